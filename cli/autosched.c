/*
 * autosched: the command-line tool, bin/autosched.
 *
 * Subcommands are a table; each parses its own arguments. `next` shows when a cron
 * expression fires, in words and as instants, and has a batch mode for other programs
 * (docs/CLI.md has the protocol); `init`, `apikey` and `check-config` manage an
 * installation through its configuration file. Exit status: 0 success, 1 failure, 2 bad
 * usage or input.
 */
#define _DEFAULT_SOURCE		/* explicit_bzero */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"

#define NEXT_MAX_COUNT	1000
#define BATCH_FIRES	5
#define BATCH_LINE_MAX	4096

static int	cmd_next(int, char **);
static int	cmd_init(int, char **);
static int	cmd_apikey(int, char **);
static int	cmd_check_config(int, char **);
static int	cmd_user(int, char **);
static int	cmd_help(int, char **);

static const struct cmd {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*usage;
} cmds[] = {
	{ "next", cmd_next,
	  "next EXPR [--tz ZONE] [--count N] [--from ISO8601]\n"
	  "       autosched next --stdin" },
	{ "init", cmd_init, "[-c CONFIG] init" },
	{ "apikey", cmd_apikey, "[-c CONFIG] apikey create NAME | list | revoke NAME" },
	{ "user", cmd_user, "[-c CONFIG] user add NAME | passwd NAME | list | delete NAME\n"
	  "       (a password is read from the first line of standard input)" },
	{ "check-config", cmd_check_config, "[-c CONFIG] check-config" },
	{ "help", cmd_help, "help" },
};

#define KEY_NAME_MAX	64

static void	usage(FILE *);

/* The configuration file: -c, else $AUTOSCHED_CONF, else the default. */
static const char	*conf_path;

/* Loads the configuration, or says why not. Returns 0, or -1. */
static int
load_conf(struct conf *c)
{
	struct buf	 err = BUF_INIT;

	if (conf_load(c, conf_path ? conf_path : conf_default_path(), &err) == -1) {
		fprintf(stderr, "autosched: %s\n", err.data);
		buf_release(&err);
		return -1;
	}
	return 0;
}

/* Opens the configured database (creating it when asked). Returns NULL after a message. */
static struct db *
open_db(struct conf *c, int create)
{
	struct db	*db;

	if (load_conf(c) == -1)
		return NULL;
	if ((db = db_open(c->db_path, create, c->busy_timeout_ms)) == NULL) {
		fprintf(stderr, "autosched: cannot open the database '%s'%s\n", c->db_path,
		    create ? "" : " (create it with `autosched init`)");
		conf_release(c);
	}
	return db;
}

static int
cmd_check_config(int argc, char **argv)
{
	struct conf	 c;
	size_t		 i;

	(void)argv;
	if (argc != 1) {
		usage(stderr);
		return 2;
	}
	if (load_conf(&c) == -1)
		return 1;
	printf("%s: ok\n  database: %s\n  default timezone: %s\n  bot types:", c.path,
	    c.db_path, c.default_tz);
	for (i = 0; i < c.nbots; i++)
		printf(" %s", c.bots[i].name);
	printf("%s\n", c.nbots ? "" : " none");
	conf_release(&c);
	return 0;
}

static int
cmd_init(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db;

	(void)argv;
	if (argc != 1) {
		usage(stderr);
		return 2;
	}
	if ((db = open_db(&c, 1)) == NULL)
		return 1;
	printf("database %s: schema version %d\n", c.db_path, db_schema_version(db));
	db_close(db);
	conf_release(&c);
	return 0;
}

static void
print_key(const char *name, int64_t created, void *arg)
{
	char	 iso[CAL_ISO_LEN];

	(void)arg;
	printf("%-32s created %s\n", name, cal_iso((time_t)created, iso));
}

#define PASSWORD_MIN	8
#define PASSWORD_MAX	1024

static void
print_user(const char *name, int64_t created, void *arg)
{
	char	 iso[CAL_ISO_LEN];

	(void)arg;
	printf("%-32s created %s\n", name, cal_iso((time_t)created, iso));
}

/* Reads a password from the first line of standard input into pw[PASSWORD_MAX + 2]. */
static int
read_password(char *pw)
{
	size_t	 n;

	if (fgets(pw, PASSWORD_MAX + 2, stdin) == NULL) {
		fprintf(stderr, "autosched: give the password on standard input\n");
		return -1;
	}
	n = strcspn(pw, "\r\n");
	if (pw[n] == '\0' && n > PASSWORD_MAX) {
		fprintf(stderr, "autosched: a password is at most %d bytes\n", PASSWORD_MAX);
		return -1;
	}
	pw[n] = '\0';
	if (n < PASSWORD_MIN) {
		fprintf(stderr, "autosched: a password is at least %d characters\n",
		    PASSWORD_MIN);
		return -1;
	}
	return 0;
}

static int
cmd_user(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db;
	char		 pw[PASSWORD_MAX + 2], hash[AUTH_HASH_MAX];
	enum db_res	 res;
	int		 rc = 1, add;

	if (argc < 2 || (strcmp(argv[1], "list") == 0 ? argc != 2 : argc != 3)) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "list") != 0) {
		size_t n = strlen(argv[2]);
		if (n == 0 || n > KEY_NAME_MAX || strspn(argv[2], "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.@-") != n) {
			fprintf(stderr, "autosched: a user name is 1 to %d letters, digits, "
			    "'_', '.', '@' or '-'\n", KEY_NAME_MAX);
			return 2;
		}
	}
	add = strcmp(argv[1], "add") == 0;
	if (!add && strcmp(argv[1], "passwd") != 0 && strcmp(argv[1], "list") != 0 &&
	    strcmp(argv[1], "delete") != 0) {
		usage(stderr);
		return 2;
	}
	if ((add || strcmp(argv[1], "passwd") == 0) && read_password(pw) == -1)
		return 2;
	if ((db = open_db(&c, 0)) == NULL)
		return 1;
	if (add || strcmp(argv[1], "passwd") == 0) {
		if (auth_password_hash(pw, hash, sizeof(hash)) == -1)
			goto out;
		res = db_user_set(db, argv[2], hash, add, time(NULL));
		/* a new password ends the old sessions and lifts a sign-in lockout */
		if (res == DB_OK && !add)
			res = db_user_signout(db, argv[2]);
		if (res == DB_OK)
			rc = 0;
		else if (res == DB_CONFLICT)
			fprintf(stderr, "autosched: a user named '%s' exists already\n", argv[2]);
		else if (res == DB_NOTFOUND)
			fprintf(stderr, "autosched: no user named '%s'\n", argv[2]);
		else
			fprintf(stderr, "autosched: cannot store the user\n");
	} else if (strcmp(argv[1], "delete") == 0) {
		res = db_user_delete(db, argv[2]);
		if (res == DB_OK)
			res = db_user_signout(db, argv[2]);
		if (res == DB_OK)
			rc = 0;
		else
			fprintf(stderr, "autosched: no user named '%s'\n", argv[2]);
	} else
		rc = db_user_list(db, print_user, NULL) == DB_OK ? 0 : 1;
out:
	explicit_bzero(pw, sizeof(pw));
	db_close(db);
	conf_release(&c);
	return rc;
}

static int
cmd_apikey(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db;
	char		 key[KEY_TEXT_LEN];
	unsigned char	 hash[KEY_HASH_LEN];
	enum db_res	 res;
	int		 rc = 1;

	if (argc < 2 || (strcmp(argv[1], "list") == 0 ? argc != 2 : argc != 3)) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "create") == 0 || strcmp(argv[1], "revoke") == 0) {
		size_t n = strlen(argv[2]);
		if (n == 0 || n > KEY_NAME_MAX || strspn(argv[2], "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.@-") != n) {
			fprintf(stderr, "autosched: a key name is 1 to %d letters, digits, "
			    "'_', '.', '@' or '-'\n", KEY_NAME_MAX);
			return 2;
		}
	} else if (strcmp(argv[1], "list") != 0) {
		usage(stderr);
		return 2;
	}
	if ((db = open_db(&c, 0)) == NULL)
		return 1;
	if (strcmp(argv[1], "create") == 0) {
		key_generate(key);
		key_hash(key, strlen(key), hash);
		res = db_apikey_insert(db, argv[2], hash, time(NULL));
		if (res == DB_OK) {
			printf("%s\n", key);
			rc = 0;
		} else if (res == DB_CONFLICT)
			fprintf(stderr, "autosched: a key named '%s' exists already\n", argv[2]);
		else
			fprintf(stderr, "autosched: cannot store the key\n");
	} else if (strcmp(argv[1], "revoke") == 0) {
		res = db_apikey_delete(db, argv[2]);
		if (res == DB_OK)
			rc = 0;
		else if (res == DB_NOTFOUND)
			fprintf(stderr, "autosched: no key named '%s'\n", argv[2]);
		else
			fprintf(stderr, "autosched: cannot revoke the key\n");
	} else
		rc = db_apikey_list(db, print_key, NULL) == DB_OK ? 0 : 1;
	db_close(db);
	conf_release(&c);
	return rc;
}

static void
usage(FILE *f)
{
	size_t	 i;

	fprintf(f, "usage:");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "%s autosched %s\n", i ? "      " : "", cmds[i].usage);
}

static int
cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

/* Returns the value of option `name` at argv[*i] ("--tz X" or "--tz=X"), or NULL. */
static const char *
optval(int argc, char **argv, int *i, const char *name, int *bad)
{
	size_t	 n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		fprintf(stderr, "autosched: %s needs a value\n", name);
		*bad = 1;
		return NULL;
	}
	return argv[++*i];
}

static void
describe_dst(const struct fire *f, struct buf *b)
{
	struct cal_tm	 w;

	cal_split(f->wall, &w);
	if (f->flags & FIRE_MOVED)
		buf_addf(b, "   DST: %02d:%02d is skipped that day; runs at the jump", w.hour,
		    w.min);
	else if (f->flags & FIRE_FIRST)
		buf_addf(b, "   DST: %02d:%02d occurs twice that day; runs at the first only",
		    w.hour, w.min);
	else if (f->flags & FIRE_REPEAT)
		buf_addf(b, "   DST: the second %02d:%02d (clocks went back)", w.hour, w.min);
}

/* Formats an instant as "Sun 2026-03-29 03:00 CEST (+02:00)" in zone z. */
static void
add_local(struct buf *b, const struct tz *z, time_t t)
{
	static const char *const wd[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	struct tz_span	 sp;
	struct cal_tm	 tm;
	int32_t		 off;

	tz_span(z, t, &sp);
	cal_split(t + sp.off, &tm);
	off = sp.off < 0 ? -sp.off : sp.off;
	buf_addf(b, "%s %04lld-%02d-%02d %02d:%02d", wd[tm.wday], (long long)tm.year, tm.mon,
	    tm.mday, tm.hour, tm.min);
	if (tm.sec)
		buf_addf(b, ":%02d", tm.sec);
	buf_addf(b, " %s (%c%02d:%02d)", sp.abbr, sp.off < 0 ? '-' : '+', off / 3600,
	    off % 3600 / 60);
}

/* Reads a --from value: an ISO 8601 instant, or a wall-clock time in zone z. */
static int
parse_from(const char *s, const struct tz *z, time_t *out)
{
	struct cal_iso	 iso;

	if (cal_parse_iso(s, &iso) == -1)
		return -1;
	if (iso.has_off)
		*out = cal_join(&iso.tm) - iso.off;
	else
		*out = tz_from_wall(z, cal_join(&iso.tm));
	return 0;
}

/* Batch mode: one line in, one line out (docs/CLI.md). */

struct reader {
	char	 buf[65536];
	size_t	 pos, len;
	int	 eof;
};

/*
 * Reads the next line into line[BATCH_LINE_MAX + 1] without its newline. Returns its length,
 * BATCH_LINE_MAX + 1 for a line too long (the rest is skipped), or -1 at the end. Output is
 * flushed before every read that may block, so a program can also talk to us line by line.
 */
static long
read_line(struct reader *r, char *line)
{
	size_t	 n = 0;
	ssize_t	 got;
	int	 any = 0;
	char	 c;

	for (;;) {
		if (r->pos == r->len) {
			if (r->eof)
				return any ? (long)(n > BATCH_LINE_MAX ? BATCH_LINE_MAX + 1 : n) : -1;
			fflush(stdout);
			do
				got = read(STDIN_FILENO, r->buf, sizeof(r->buf));
			while (got == -1 && errno == EINTR);
			if (got <= 0) {
				r->eof = 1;
				continue;
			}
			r->pos = 0;
			r->len = (size_t)got;
		}
		c = r->buf[r->pos++];
		any = 1;
		if (c == '\n')
			break;
		if (n < BATCH_LINE_MAX)
			line[n] = c;
		n++;
	}
	if (n > BATCH_LINE_MAX)
		return BATCH_LINE_MAX + 1;
	if (n > 0 && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	return (long)n;
}

/* Answers one batch line into out (without the newline). */
static void
batch_line(char *line, long len, struct buf *out)
{
	char		*f[3], *p, err[CRON_ERR_LEN];
	const char	*why;
	const struct tz	*z;
	struct cron	 c;
	struct fire	 fire;
	enum cron_res	 res;
	int64_t		 start;
	time_t		 t;
	int		 n, i;

	if (len > BATCH_LINE_MAX) {
		buf_addf(out, "ERR line longer than %d bytes", BATCH_LINE_MAX);
		return;
	}
	if ((long)strlen(line) != len) {
		buf_addstr(out, "ERR line contains a NUL byte");
		return;
	}
	for (n = 0, p = line; n < 3; n++) {
		f[n] = p;
		if ((p = strchr(p, '\t')) == NULL)
			break;
		*p++ = '\0';
	}
	if (n != 2) {
		buf_addstr(out, "ERR expected 3 tab-separated fields: expression, zone, start");
		return;
	}
	res = cron_parse(&c, f[0], err);
	if (res == CRON_INVALID) {
		buf_addf(out, "ERR %s", err);
		return;
	}
	if ((z = tz_get(f[1], &why)) == NULL) {
		buf_addf(out, "ERR timezone: '%.*s' %s", TZ_NAME_MAX, f[1], why);
		return;
	}
	if (parse_int64(f[2], CAL_MIN_TIME, CAL_MAX_TIME, &start) == -1) {
		buf_addstr(out, "ERR start: must be Unix seconds in the years 1 to 9999");
		return;
	}
	if (res == CRON_NEVER) {
		buf_addstr(out, "NEVER");
		return;
	}
	for (i = 0, t = start; i < BATCH_FIRES; i++) {
		if (cron_next(&c, z, t, &fire) == -1)
			break;
		buf_addf(out, "%s%lld", i ? " " : "", (long long)fire.at);
		t = fire.at;
	}
	/* No instant at all: DST skips every one in this zone, or the calendar ends. */
	if (i == 0)
		buf_addstr(out, "NEVER");
}

static int
next_batch(void)
{
	static struct reader	 r;
	static char		 line[BATCH_LINE_MAX + 1];
	struct buf		 out = BUF_INIT;
	long			 len;

	while ((len = read_line(&r, line)) != -1) {
		buf_reset(&out);
		batch_line(line, len, &out);
		buf_addch(&out, '\n');
		fwrite(out.data, 1, out.len, stdout);
	}
	buf_release(&out);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "autosched: cannot write the answers: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

static int
cmd_next(int argc, char **argv)
{
	const char	*expr = NULL, *zone = NULL, *from = NULL, *count_s = NULL, *v, *why;
	const struct tz	*z;
	struct cron	 c;
	struct fire	 fire;
	struct buf	 b = BUF_INIT;
	char		 err[CRON_ERR_LEN], iso[CAL_ISO_LEN];
	int64_t		 count = 5;
	time_t		 t;
	int		 i, bad = 0, batch = 0, rc = 0;

	for (i = 1; i < argc && !bad; i++) {
		if ((v = optval(argc, argv, &i, "--tz", &bad)) != NULL)
			zone = v;
		else if ((v = optval(argc, argv, &i, "--count", &bad)) != NULL)
			count_s = v;
		else if ((v = optval(argc, argv, &i, "--from", &bad)) != NULL)
			from = v;
		else if (bad)
			break;
		else if (strcmp(argv[i], "--stdin") == 0)
			batch = 1;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--") == 0 && i + 1 < argc && expr == NULL)
			expr = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] == '-') {
			fprintf(stderr, "autosched: unknown option '%s'\n", argv[i]);
			bad = 1;
		} else if (expr == NULL)
			expr = argv[i];
		else {
			fprintf(stderr, "autosched: one expression only (quote it: '0 8 * * 1-5')\n");
			bad = 1;
		}
	}
	if (!bad && batch && (expr || from || count_s || zone)) {
		fprintf(stderr, "autosched: --stdin takes no other arguments\n");
		bad = 1;
	}
	if (!bad && !batch && expr == NULL) {
		fprintf(stderr, "autosched: a cron expression is needed\n");
		bad = 1;
	}
	if (bad) {
		usage(stderr);
		return 2;
	}
	if (batch)
		return next_batch();

	if (count_s && parse_int64(count_s, 1, NEXT_MAX_COUNT, &count) == -1) {
		fprintf(stderr, "autosched: --count must be a number from 1 to %d\n",
		    NEXT_MAX_COUNT);
		return 2;
	}
	switch (cron_parse(&c, expr, err)) {
	case CRON_OK:
		break;
	default:
		fprintf(stderr, "autosched: %s\n", err);
		return 2;
	}
	if (zone == NULL)
		zone = "UTC";
	if ((z = tz_get(zone, &why)) == NULL) {
		fprintf(stderr, "autosched: timezone: '%s' %s\n", zone, why);
		return 2;
	}
	t = time(NULL);
	if (from && parse_from(from, z, &t) == -1) {
		fprintf(stderr, "autosched: --from: '%s' is not a date-time such as "
		    "2026-03-29T01:30:00Z, 2026-03-29T02:30+02:00 or 2026-03-29 (local)\n", from);
		return 2;
	}
	if (t < CAL_MIN_TIME || t > CAL_MAX_TIME) {
		fprintf(stderr, "autosched: --from: must be in the years 1 to 9999\n");
		return 2;
	}
	cron_describe(&c, &b);
	printf("%s (%s)\n", b.data, tz_name(z));
	for (i = 0; i < count; i++) {
		if (cron_next(&c, z, t, &fire) == -1) {
			printf(i ? "  (no more runs before the year 10000)\n" :
			    "  never fires in this time zone (daylight saving time skips every "
			    "time it names)\n");
			break;
		}
		buf_reset(&b);
		buf_addstr(&b, "  ");
		add_local(&b, z, fire.at);
		buf_addf(&b, "   %s", cal_iso(fire.at, iso));
		describe_dst(&fire, &b);
		printf("%s\n", b.data);
		t = fire.at;
	}
	buf_release(&b);
	if (fflush(stdout) == EOF)
		rc = 1;
	return rc;
}

int
main(int argc, char **argv)
{
	size_t	 i;

	log_init("autosched", LOGTO_STDERR, 0);
	if (argc >= 3 && (strcmp(argv[1], "-c") == 0 || strcmp(argv[1], "--config") == 0)) {
		conf_path = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(argc - 1, argv + 1);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "autosched: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
