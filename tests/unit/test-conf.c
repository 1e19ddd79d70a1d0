/*
 * autosched tests: lib/conf.c, the configuration file: the shipped one loads with its bot
 * types, and every kind of mistake is refused with a message naming the section and key.
 */
#include <unistd.h>

#include "testutil.h"
#include "conf.h"

static char	 dir[64];

static const struct bad_case {
	const char	*text;
	const char	*msg;		/* a part of the message */
} bad_cases[] = {
	{ "[database]\npath = x.db\n[nonsense]\nkey = 1\n", "[nonsense]: unknown section" },
	{ "[database]\npath = x.db\ncolour = blue\n", "[database] colour: unknown key" },
	{ "[database]\nbusy_timeout_ms = 5000\n", "[database] path is missing" },
	{ "[database]\npath = x.db\nbusy_timeout_ms = soon\n", "[database] busy_timeout_ms: 'soon'" },
	{ "[database]\npath = x.db\n[api]\ndefault_timezone = Mars/Olympus\n",
	  "[api] default_timezone: 'Mars/Olympus' is not a known IANA zone" },
	{ "[database]\npath = x.db\n[bot.x]\nqueue = default\n", "[bot.x] function is missing" },
	{ "[database]\npath = x.db\n[bot.x]\nfunction = run\n", "is not a dotted Python path" },
	{ "[database]\npath = x.db\n[bot.x]\nfunction = a.b; rm -rf /\n",
	  "is not a dotted Python path" },
	{ "[database]\npath = x.db\n[bot.x]\nfunction = a.b\nparam.n = float\n",
	  "type 'float' is not bool, int or string" },
	{ "[database]\npath = x.db\n[bot.x]\nfunction = a.b\nparam.n = int, range 5\n",
	  "is not a parameter declaration" },
	{ "[database]\npath = x.db\n[bot.x]\nfunction = a.b\nparam.n = int, range 1-10, "
	  "default 50\n", "the default must be between 1 and 10" },
	{ "[database]\npath = x.db\n[bot.x]\nfunction = a.b\nparam.b = bool, default maybe\n",
	  "'maybe' is not true or false" },
	{ "[database]\npath = x.db\n[bot.x]\nfunction = a.b\nparam.n = int\nparam.n = int\n",
	  "declared twice" },
	{ "[database]\npath = x.db\n[bot.x]\nfunction = a.b\nparam.s = string, choices a|b, "
	  "default c\n", "the default must be one of: a, b" },
	{ "[database]\npath = x.db\n[bot.bad name]\nfunction = a.b\n", "is not a bot type name" },
	{ "[database]\npath = x.db\n[bot.x]\nfunction = a.b\nserializer = yaml\n",
	  "'yaml' is not json or pickle" },
	{ "[database]\npath = x.db\n[bot.x]\nfunction = a.b\ntimeout = 0\n",
	  "[bot.x] timeout: '0' is not a whole number from 1" },
	{ "this is not ini\n", "not an INI line" },
	{ "[database]\npath = x.db\n[schedd]\nredis = unix:redis.sock\n",
	  "[schedd] redis: 'unix:redis.sock': unix: needs an absolute socket path" },
	{ "[database]\npath = x.db\n[schedd]\nredis = localhost:65536\n",
	  "the port is a number 1-65535" },
	{ "[database]\npath = x.db\n[schedd]\nredis = redis://secret@host\n",
	  "write the password as redis://:PASSWORD@host" },
	{ "[database]\npath = x.db\n[schedd]\nredis = redis://host:6379/x\n",
	  "the database after '/' is a number 0-65535" },
	{ "[database]\npath = x.db\n[schedd]\nredis = :6379\n", "no host name" },
	{ "[database]\npath = x.db\n[schedd]\nredis_db = -1\n",
	  "[schedd] redis_db: '-1' is not a whole number from 0 to 65535" },
	{ "[database]\npath = x.db\n[schedd]\nworkers_behind_after = 5\n",
	  "[schedd] workers_behind_after: '5' is not a whole number from 10 to 2592000" },
};

/* Redis addresses that parse, and what they say. */
static const struct redis_case {
	const char	*spec;
	struct redis_addr want;
} redis_cases[] = {
	{ "127.0.0.1:6379", { .host = "127.0.0.1", .port = 6379 } },
	{ "redis.internal", { .host = "redis.internal", .port = 6379 } },
	{ "unix:/run/redis/redis.sock", { .path = "/run/redis/redis.sock", .port = 6379 } },
	{ "redis://10.0.0.5:6380", { .host = "10.0.0.5", .port = 6380 } },
	{ "redis://10.0.0.5:6380/", { .host = "10.0.0.5", .port = 6380 } },
	{ "redis://:s3cret@redis.internal/2",
	  { .host = "redis.internal", .port = 6379, .password = "s3cret", .db = 2 } },
	{ "redis://sched:p@ss:w0rd@h:7000/15",
	  { .host = "h", .port = 7000, .user = "sched", .password = "p@ss:w0rd", .db = 15 } },
};

static void
test_redis_addr(void **state)
{
	const struct redis_case	*c = *state;
	struct redis_addr	 got;
	struct buf		 err = BUF_INIT;

	if (conf_redis_parse(c->spec, &got, &err) != 0)
		fail_msg("'%s' refused: %s", c->spec, err.data);
	assert_string_equal(got.path, c->want.path);
	assert_string_equal(got.host, c->want.host);
	assert_int_equal(got.port, c->want.port);
	assert_string_equal(got.user, c->want.user);
	assert_string_equal(got.password, c->want.password);
	assert_int_equal(got.db, c->want.db);
	buf_release(&err);
}

static void
write_file(const char *p, const char *text)
{
	FILE	*f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_bad(void **state)
{
	const struct bad_case	*c = *state;
	struct conf		 cf;
	struct buf		 err = BUF_INIT;
	char			 p[128];

	snprintf(p, sizeof(p), "%s/bad.conf", dir);
	write_file(p, c->text);
	assert_int_equal(conf_load(&cf, p, &err), -1);
	if (strstr(err.data, c->msg) == NULL)
		fail_msg("message '%s' lacks '%s'", err.data, c->msg);
	buf_release(&err);
}

static void
test_shipped(void **state)
{
	struct conf		 c;
	struct buf		 err = BUF_INIT;
	const struct bot	*b;

	(void)state;
	assert_int_equal(conf_load(&c, "deploy/autosched.conf", &err), 0);
	assert_string_equal(c.db_path, "/var/lib/autosched/autosched.db");
	assert_string_equal(c.default_tz, "Europe/Paris");
	assert_int_equal(c.nbots, 2);
	assert_int_equal(c.schedd.workers_behind_after, 120);
	assert_non_null(b = conf_bot(&c, "birthday"));
	assert_string_equal(b->function, "bots.birthday.run");
	assert_int_equal(b->timeout, 3600);
	assert_int_equal(b->nparams, 4);
	assert_string_equal(b->params[0].name, "bot_mode");
	assert_string_equal(json_string_value(b->params[0].def), "standard");
	assert_int_equal(b->params[2].min, 0);
	assert_int_equal(b->params[2].max, 365);
	assert_non_null(b = conf_bot(&c, "visitor"));
	assert_int_equal(json_integer_value(b->params[1].def), 50);
	assert_null(conf_bot(&c, "spammer"));
	conf_release(&c);
}

static void
test_relative(void **state)
{
	struct conf	 c;
	struct buf	 err = BUF_INIT;
	char		 p[128], want[160];

	(void)state;
	snprintf(p, sizeof(p), "%s/rel.conf", dir);
	write_file(p, "; comment\n[database]\npath = state/x.db\n");
	assert_int_equal(conf_load(&c, p, &err), 0);
	snprintf(want, sizeof(want), "%s/state/x.db", dir);
	assert_string_equal(c.db_path, want);
	assert_int_equal(c.nbots, 0);
	conf_release(&c);
	assert_int_equal(conf_load(&c, "/nonexistent.conf", &err), -1);
	assert_non_null(strstr(err.data, "No such file"));
	buf_release(&err);
}

int
main(void)
{
	struct suite	 s = { 0 };
	char		 cmd[96];
	size_t		 i;
	int		 rc;

	snprintf(dir, sizeof(dir), "/tmp/autosched-test-conf-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	suite_add(&s, test_shipped, NULL, "the shipped configuration");
	suite_add(&s, test_relative, NULL, "relative paths and a missing file");
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
		suite_add(&s, test_bad, (void *)&bad_cases[i], "refuses: %s", bad_cases[i].msg);
	for (i = 0; i < sizeof(redis_cases) / sizeof(redis_cases[0]); i++)
		suite_add(&s, test_redis_addr, (void *)&redis_cases[i], "redis address %s",
		    redis_cases[i].spec);
	rc = suite_run(&s, "conf");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) != 0 ? 1 : rc;
}
