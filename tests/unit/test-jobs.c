/*
 * autosched tests: lib/jobs.c, the job service, against a real SQLite database in a
 * temporary folder, with a configuration of one bot type (birthday, as deploy/autosched.conf
 * declares it) whose notify_socket is bound here with notify_listen. Each change is checked
 * for its result, what the store then holds, its one audit line on stderr ("audit: WHO
 * VERB job ID (NAME) via DOOR") and its one nudge datagram; each refused change (invalid,
 * not found, at the limit, an existing id, the store busy) for no change, no audit line
 * and no nudge.
 */
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "testutil.h"
#include "jobs.h"

#define NOW	1795874400	/* 2026-11-28T14:00:00Z */
#define PROG	"test-jobs"	/* log_init's name, before every line */

static char		 dir[64], sock[128];
static struct conf	 conf;
static int		 listen_fd = -1;

/* The configuration: this, the notify socket's path, then conf_tail. */
static const char	 conf_head[] =
    "[database]\n"
    "path = test.db\n"
    "busy_timeout_ms = 50\n"
    "[api]\n"
    "default_timezone = Europe/Paris\n"
    "[schedd]\n"
    "notify_socket = ";
static const char	 conf_tail[] =
    "\n"
    "[bot.birthday]\n"
    "description = Send birthday messages to your LinkedIn contacts\n"
    "function = bots.birthday.run\n"
    "queue = default\n"
    "timeout = 3600\n"
    "param.bot_mode = string, default standard, max_length 32\n"
    "param.dry_run = bool, default false\n"
    "param.max_days_late = int, range 0-365, default 7\n"
    "param.process_late = bool, default true\n";

#define DOC_DAILY	"{\"name\":\"morning\",\"bot_type\":\"birthday\",\"schedule_type\":" \
			"\"daily\",\"schedule_config\":{\"hour\":8,\"minute\":30}}"

/* A fresh database, empty, at the configured path (with the configured busy timeout). */
static struct db *
fresh(void)
{
	char	 p[160];

	snprintf(p, sizeof(p), "%s-wal", conf.db_path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", conf.db_path);
	unlink(p);
	unlink(conf.db_path);
	return db_open(conf.db_path, 1, conf.busy_timeout_ms);
}

static void
ctx_init(struct jobs_ctx *ctx, struct db *db)
{
	ctx->db = db;
	ctx->conf = &conf;
	ctx->who = "tester";
	ctx->door = "cli";
	ctx->now = NOW;
	ctx->withdraw_wait_ms = 100;	/* no schedd here takes runs back */
}

static json_t *
doc(const char *text)
{
	json_error_t	 err;
	json_t		*v = json_loads(text, JSON_DECODE_ANY, &err);

	if (v == NULL)
		fail_msg("bad JSON in the test table: %s: '%s'", err.text, text);
	return v;
}

/* The number of datagrams waiting at the notify socket (each must be "!"); reads them. */
static int
nudges(void)
{
	char	 b[16];
	ssize_t	 n;
	int	 count = 0;

	while ((n = recv(listen_fd, b, sizeof(b), MSG_DONTWAIT)) >= 0) {
		if (n != 1 || b[0] != '!')
			fail_msg("a nudge of %zd bytes", n);
		count++;
	}
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
	return count;
}

/* stderr into a file, around one call */

static int	 cap_fd = -1, cap_saved = -1;

static void
cap_begin(void)
{
	char	 p[160];

	snprintf(p, sizeof(p), "%s/stderr", dir);
	fflush(stderr);
	assert_true((cap_fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0600)) != -1);
	assert_true((cap_saved = dup(2)) != -1);
	assert_true(dup2(cap_fd, 2) != -1);
}

/* Whether [p, end) holds "audit:". */
static int
has_audit(const char *p, const char *end)
{
	for (; end - p >= 6; p++)
		if (strncmp(p, "audit:", 6) == 0)
			return 1;
	return 0;
}

/* What was written to stderr since cap_begin: only its audit lines, each ended by '\n'. */
static char *
cap_end(void)
{
	struct buf	 all = BUF_INIT, out = BUF_INIT;
	char		 b[4096];
	const char	*p, *nl;
	ssize_t		 n;

	fflush(stderr);
	dup2(cap_saved, 2);
	close(cap_saved);
	lseek(cap_fd, 0, SEEK_SET);
	while ((n = read(cap_fd, b, sizeof(b))) > 0)
		buf_add(&all, b, (size_t)n);
	close(cap_fd);
	for (p = all.data; *p; p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		if (has_audit(p, nl)) {
			buf_add(&out, p, (size_t)(nl - p));
			buf_addch(&out, '\n');
		}
	}
	buf_release(&all);
	return buf_detach(&out);
}

/* Checks the audit lines against want ("" for none), then frees them. */
static void
audit_is(char *got, const char *want)
{
	int	 same = strcmp(got, want) == 0;

	if (!same)
		print_error("audit lines:\n%s\nwanted:\n%s\n", got, want);
	free(got);
	assert_true(same);
}

/*
 * Runs `call` (an expression giving an enum jobs_res) with stderr captured, and checks that
 * it answers `want`, wrote no audit line and sent no nudge.
 */
#define REFUSED(call, want) do {					\
	enum jobs_res	 refused_;					\
									\
	cap_begin();							\
	refused_ = (call);						\
	audit_is(cap_end(), "");					\
	assert_int_equal(refused_, (want));				\
	assert_int_equal(nudges(), 0);					\
} while (0)

/* The audit line of one change, as log_info writes it (new). */
static char *
line(const char *verb, const char *id, const char *name, const char *run)
{
	if (run != NULL)
		return xasprintf(PROG ": audit: tester %s job %s (%s) via cli: run %s\n", verb, id,
		    name, run);
	return xasprintf(PROG ": audit: tester %s job %s (%s) via cli\n", verb, id, name);
}

static void
audit_is_line(char *got, const char *verb, const char *id, const char *name,
    const char *run)
{
	char	*want = line(verb, id, name, run);
	int	 same = strcmp(got, want) == 0;

	if (!same)
		print_error("audit lines:\n%s\nwanted:\n%s\n", got, want);
	free(got);
	free(want);
	assert_true(same);
}

static int64_t
njobs(struct db *db)
{
	struct job_filter	 f = { -1, NULL, NULL, NULL, 100, 0 };
	struct job		*list;
	size_t			 n, i;
	int64_t			 total;

	assert_int_equal(db_job_list(db, &f, &list, &n, &total), DB_OK);
	for (i = 0; i < n; i++)
		job_release(&list[i]);
	free(list);
	return total;
}

/* Whether errs names field (a dotted path). */
static int
has_field(const struct verrs *e, const char *field)
{
	size_t	 i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->v[i].field, field) == 0)
			return 1;
	return 0;
}

/* Creates a job from text for a test's setup: must succeed; its line and nudge are read. */
static void
setup_job(const struct jobs_ctx *ctx, const char *text, struct job *out)
{
	struct verrs	 e = VERRS_INIT;
	json_t		*d = doc(text);
	enum jobs_res	 res;

	cap_begin();
	res = jobs_create(ctx, d, out, &e);
	free(cap_end());
	json_decref(d);
	verrs_release(&e);
	assert_int_equal(res, JOBS_OK);
	assert_int_equal(nudges(), 1);
}

/* jobs_create */

static const struct create_case {
	const char	*name;
	const char	*doc;
	int		 pre;		/* an error found by the caller before the call */
	enum jobs_res	 res;
	const char	*job_name;	/* JOBS_OK */
	const char	*fields[4];	/* JOBS_INVALID: fields named in errs */
} create_cases[] = {
	{ "a daily job", DOC_DAILY, 0, JOBS_OK, "morning", { NULL } },
	{ "a manual job with a UTF-8 name", "{\"name\":\"caf\\u00e9 \\u20ac\",\"bot_type\":"
	  "\"birthday\",\"schedule_type\":\"manual\",\"bot_config\":{\"dry_run\":true}}", 0,
	  JOBS_OK, "caf\xc3\xa9 \xe2\x82\xac", { NULL } },
	{ "an empty document", "{}", 0, JOBS_INVALID, NULL,
	  { "name", "bot_type", "schedule_type", NULL } },
	{ "not an object", "[]", 0, JOBS_INVALID, NULL, { "", NULL } },
	{ "an unknown bot type", "{\"name\":\"x\",\"bot_type\":\"spammer\",\"schedule_type\":"
	  "\"daily\"}", 0, JOBS_INVALID, NULL, { "bot_type", NULL } },
	{ "a parameter out of range", "{\"name\":\"x\",\"bot_type\":\"birthday\","
	  "\"schedule_type\":\"daily\",\"bot_config\":{\"max_days_late\":366}}", 0, JOBS_INVALID,
	  NULL, { "bot_config.max_days_late", NULL } },
	{ "two bad fields at once", "{\"name\":\"\",\"bot_type\":\"birthday\",\"schedule_type\":"
	  "\"daily\",\"max_instances\":0}", 0, JOBS_INVALID, NULL,
	  { "name", "max_instances", NULL } },
	{ "a good document, and an error found before", DOC_DAILY, 1, JOBS_INVALID, NULL,
	  { "csrf", NULL } },
	{ "a bad document, and an error found before", "{\"name\":\"x\"}", 1, JOBS_INVALID,
	  NULL, { "csrf", "bot_type", "schedule_type", NULL } },
};

static void
test_create(void **state)
{
	const struct create_case	*c = *state;
	struct db			*db = fresh();
	struct jobs_ctx			 ctx;
	struct verrs			 e = VERRS_INIT;
	struct job			 out, got;
	json_t				*d = doc(c->doc);
	enum jobs_res			 res;
	char				*audit;
	size_t				 i;

	assert_non_null(db);
	ctx_init(&ctx, db);
	nudges();
	if (c->pre)
		verrs_add(&e, "csrf", "the form has expired");
	cap_begin();
	res = jobs_create(&ctx, d, &out, &e);
	audit = cap_end();
	json_decref(d);
	assert_int_equal(res, c->res);
	if (res == JOBS_OK) {
		assert_int_equal(e.n, 0);
		assert_true(uuid_valid(out.id));
		assert_string_equal(out.name, c->job_name);
		assert_string_equal(out.created_by, "tester");
		assert_int_equal(out.created_at, NOW);
		assert_int_equal(db_job_get(db, out.id, &got), DB_OK);
		assert_string_equal(got.name, c->job_name);
		assert_string_equal(got.bot_type, "birthday");
		assert_string_equal(got.created_by, "tester");
		assert_int_equal(got.next_run_at, out.next_run_at);
		job_release(&got);
		audit_is_line(audit, "created", out.id, c->job_name, NULL);
		assert_int_equal(nudges(), 1);
		assert_int_equal(njobs(db), 1);
		job_release(&out);
	} else {
		for (i = 0; c->fields[i] != NULL; i++)
			if (!has_field(&e, c->fields[i]))
				fail_msg("no error for '%s' (%zu errors)", c->fields[i], e.n);
		audit_is(audit, "");
		assert_int_equal(nudges(), 0);
		assert_int_equal(njobs(db), 0);
	}
	verrs_release(&e);
	db_close(db);
}

/* jobs_update */

static void
test_update(void **state)
{
	struct db	*db = fresh();
	struct jobs_ctx	 ctx;
	struct verrs	 e = VERRS_INIT;
	struct job	 a, out, got;
	json_t		*d;
	enum jobs_res	 res;
	char		*audit;

	(void)state;
	assert_non_null(db);
	ctx_init(&ctx, db);
	nudges();
	setup_job(&ctx, DOC_DAILY, &a);

	/* a partial document: only the name changes */
	ctx.now = NOW + 60;
	d = doc("{\"name\":\"renamed\",\"description\":\"now with words\"}");
	cap_begin();
	res = jobs_update(&ctx, a.id, d, &out, &e);
	audit = cap_end();
	json_decref(d);
	assert_int_equal(res, JOBS_OK);
	assert_int_equal(e.n, 0);
	assert_string_equal(out.name, "renamed");
	job_release(&out);
	audit_is_line(audit, "updated", a.id, "renamed", NULL);
	assert_int_equal(nudges(), 1);
	assert_int_equal(db_job_get(db, a.id, &got), DB_OK);
	assert_string_equal(got.name, "renamed");
	assert_string_equal(got.description, "now with words");
	assert_string_equal(got.bot_type, "birthday");
	assert_int_equal(got.schedule_type, a.schedule_type);
	assert_string_equal(got.schedule_config, a.schedule_config);
	assert_string_equal(got.timezone, a.timezone);
	assert_int_equal(got.enabled, 1);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(got.updated_at, NOW + 60);
	assert_string_equal(got.created_by, "tester");
	job_release(&got);

	/* an invalid one: refused, *out is the job as stored */
	d = doc("{\"name\":\"other\",\"max_instances\":0}");
	cap_begin();
	res = jobs_update(&ctx, a.id, d, &out, &e);
	audit = cap_end();
	json_decref(d);
	assert_int_equal(res, JOBS_INVALID);
	assert_true(has_field(&e, "max_instances"));
	assert_string_equal(out.name, "renamed");
	job_release(&out);
	verrs_release(&e);
	audit_is(audit, "");
	assert_int_equal(nudges(), 0);
	assert_int_equal(db_job_get(db, a.id, &got), DB_OK);
	assert_string_equal(got.name, "renamed");
	assert_int_equal(got.max_instances, 1);
	job_release(&got);

	/* a good document with an error found before: refused too */
	verrs_add(&e, "csrf", "the form has expired");
	d = doc("{\"name\":\"other\"}");
	cap_begin();
	res = jobs_update(&ctx, a.id, d, &out, &e);
	audit = cap_end();
	json_decref(d);
	assert_int_equal(res, JOBS_INVALID);
	job_release(&out);
	verrs_release(&e);
	audit_is(audit, "");
	assert_int_equal(nudges(), 0);
	assert_int_equal(db_job_get(db, a.id, &got), DB_OK);
	assert_string_equal(got.name, "renamed");
	job_release(&got);

	/* no such job */
	d = doc("{\"name\":\"other\"}");
	cap_begin();
	res = jobs_update(&ctx, "00000000-0000-4000-8000-000000000000", d, &out, &e);
	audit = cap_end();
	json_decref(d);
	assert_int_equal(res, JOBS_NOTFOUND);
	assert_int_equal(e.n, 0);
	audit_is(audit, "");
	assert_int_equal(nudges(), 0);
	job_release(&a);
	db_close(db);
}

/* jobs_set_enabled */

static const struct enable_case {
	int		 initial;
	int		 arg;		/* 1 or 0 (there is no flip) */
	int		 after;
	const char	*verb;
} enable_cases[] = {
	{ 1, 0, 0, "disabled" },
	{ 0, 1, 1, "enabled" },
	{ 1, 1, 1, "enabled" },
	{ 0, 0, 0, "disabled" },
};

static void
test_enable(void **state)
{
	const struct enable_case	*c = *state;
	struct db			*db = fresh();
	struct jobs_ctx			 ctx;
	struct verrs			 e = VERRS_INIT;
	struct job			 a, out, got;
	enum jobs_res			 res;
	char				*audit;

	assert_non_null(db);
	ctx_init(&ctx, db);
	nudges();
	setup_job(&ctx, c->initial ? DOC_DAILY : "{\"name\":\"morning\",\"bot_type\":"
	    "\"birthday\",\"schedule_type\":\"daily\",\"enabled\":false}", &a);
	assert_int_equal(a.enabled, c->initial);
	cap_begin();
	res = jobs_set_enabled(&ctx, a.id, c->arg, &out, &e);
	audit = cap_end();
	assert_int_equal(res, JOBS_OK);
	assert_int_equal(e.n, 0);
	assert_int_equal(out.enabled, c->after);
	job_release(&out);
	audit_is_line(audit, c->verb, a.id, "morning", NULL);
	assert_int_equal(nudges(), 1);
	assert_int_equal(db_job_get(db, a.id, &got), DB_OK);
	assert_int_equal(got.enabled, c->after);
	/* a disabled job has no next run; an enabled daily one has one, in the future */
	if (c->after)
		assert_true(got.next_run_at > NOW);
	else
		assert_int_equal(got.next_run_at, TIME_NONE);
	job_release(&got);
	/* no such job */
	REFUSED(jobs_set_enabled(&ctx, "00000000-0000-4000-8000-000000000000", c->arg, &out, &e),
	    JOBS_NOTFOUND);
	job_release(&a);
	db_close(db);
}

/* jobs_run_now */

static void
test_run_now(void **state)
{
	struct db	*db = fresh();
	struct jobs_ctx	 ctx;
	struct job	 a, out;
	struct run	*runs;
	char		 run[UUID_LEN], run2[UUID_LEN];
	int64_t		 inflight = -1;
	size_t		 n;
	enum jobs_res	 res;
	char		*audit;

	(void)state;
	assert_non_null(db);
	ctx_init(&ctx, db);
	nudges();
	setup_job(&ctx, DOC_DAILY, &a);
	assert_int_equal(a.max_instances, 1);
	cap_begin();
	res = jobs_run_now(&ctx, a.id, 0, run, &out, &inflight, NULL);
	audit = cap_end();
	assert_int_equal(res, JOBS_OK);
	assert_true(uuid_valid(run));
	assert_int_equal(inflight, 0);
	assert_string_equal(out.id, a.id);
	job_release(&out);
	audit_is_line(audit, "ran", a.id, "morning", run);
	assert_int_equal(nudges(), 1);
	assert_int_equal(db_run_history(db, a.id, 10, 0, &runs, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(runs[0].id, run);
	assert_string_equal(runs[0].trigger, "manual");
	assert_int_equal(runs[0].status, RUN_PENDING);
	run_release(&runs[0]);
	free(runs);

	/* max_instances 1 and one run pending: at the limit, *out is the job */
	memset(run2, 0, sizeof(run2));
	cap_begin();
	res = jobs_run_now(&ctx, a.id, 0, run2, &out, &inflight, NULL);
	audit = cap_end();
	assert_int_equal(res, JOBS_AT_LIMIT);
	assert_int_equal(inflight, 1);
	assert_string_equal(out.name, "morning");
	job_release(&out);
	audit_is(audit, "");
	assert_int_equal(nudges(), 0);
	assert_int_equal(db_run_count(db, a.id, &inflight), DB_OK);
	assert_int_equal(inflight, 1);

	/* no such job */
	REFUSED(jobs_run_now(&ctx, "00000000-0000-4000-8000-000000000000", 0, run2, &out,
	    &inflight, NULL),
	    JOBS_NOTFOUND);
	job_release(&a);
	db_close(db);
}

/* jobs_delete */

static void
test_delete(void **state)
{
	struct db	*db = fresh();
	struct jobs_ctx	 ctx;
	struct job	 a, b, out, got;
	enum jobs_res	 res;
	char		*audit;
	char		 run[UUID_LEN];
	int64_t		 inflight, count, left = -1;
	struct pending_run *p;
	struct withdrawal *wd;
	size_t		 n;

	(void)state;
	assert_non_null(db);
	ctx_init(&ctx, db);
	nudges();
	setup_job(&ctx, DOC_DAILY, &a);
	setup_job(&ctx, "{\"name\":\"other\",\"bot_type\":\"birthday\",\"schedule_type\":"
	    "\"manual\"}", &b);
	assert_int_equal(db_run_manual(db, a.id, NOW, run, &inflight), DB_OK);
	/* the run is in Redis (as schedd marks it): deleting leaves it to be taken back */
	assert_int_equal(db_runs_pending(db, 10, &p, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(db_run_queued(db, p[0].rowid, NOW, "default", SERIALIZER_JSON), DB_OK);
	db_pending_run_release(&p[0]);
	free(p);
	cap_begin();
	res = jobs_delete(&ctx, a.id, &out, &left);
	audit = cap_end();
	assert_int_equal(res, JOBS_OK);
	/* nobody took it back within withdraw_wait_ms: one left, and its withdrawal kept */
	assert_int_equal(left, 1);
	assert_int_equal(db_withdrawals(db, 10, &wd, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(wd[0].run_id, run);
	assert_string_equal(wd[0].job_id, a.id);
	assert_string_equal(wd[0].job_name, "morning");
	assert_string_equal(wd[0].queue, "default");
	assert_int_equal(wd[0].status, RUN_QUEUED);
	db_withdrawal_release(&wd[0]);
	free(wd);
	assert_string_equal(out.name, "morning");
	job_release(&out);
	audit_is_line(audit, "deleted", a.id, "morning", NULL);
	assert_int_equal(nudges(), 1);
	assert_int_equal(db_job_get(db, a.id, &got), DB_NOTFOUND);
	assert_int_equal(db_run_count(db, a.id, &count), DB_OK);
	assert_int_equal(count, 0);
	assert_int_equal(njobs(db), 1);		/* the other job stays */
	/* again: gone */
	REFUSED(jobs_delete(&ctx, a.id, &out, &left), JOBS_NOTFOUND);
	assert_int_equal(njobs(db), 1);
	job_release(&a);
	job_release(&b);
	db_close(db);
}

/* jobs_check */

static const struct check_case {
	const char	*name;
	const char	*doc;
	const char	*field;		/* an error expected there, or NULL */
	int		 has_id;
	const char	*id;		/* as stored (lower case) */
	int64_t		 created_at;
	const char	*created_by;
} check_cases[] = {
	{ "no id: the import makes one", DOC_DAILY, NULL, 0, NULL, NOW, NULL },
	{ "an id in upper case is lowered", "{\"id\":\"9B2F0C8E-3A51-4C07-9D8E-2F6A1C0B7E11\","
	  "\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"manual\"}", NULL, 1,
	  "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11", NOW, NULL },
	{ "created_at and created_by are kept", "{\"name\":\"a\",\"bot_type\":\"birthday\","
	  "\"schedule_type\":\"manual\",\"created_at\":\"2026-01-02T03:04:05Z\","
	  "\"created_by\":\"alice\"}", NULL, 0, NULL, 1767323045, "alice" },
	{ "id null is no id", "{\"id\":null,\"name\":\"a\",\"bot_type\":\"birthday\","
	  "\"schedule_type\":\"manual\"}", NULL, 0, NULL, NOW, NULL },
	{ "an id that is no UUID", "{\"id\":\"42\",\"name\":\"a\",\"bot_type\":\"birthday\","
	  "\"schedule_type\":\"manual\"}", "id", 0, NULL, 0, NULL },
	{ "created_at without a zone", "{\"name\":\"a\",\"bot_type\":\"birthday\","
	  "\"schedule_type\":\"manual\",\"created_at\":\"2026-01-02T03:04:05\"}", "created_at", 0,
	  NULL, 0, NULL },
	{ "created_by with a control character", "{\"name\":\"a\",\"bot_type\":\"birthday\","
	  "\"schedule_type\":\"manual\",\"created_by\":\"al\\nice\"}", "created_by", 0, NULL, 0,
	  NULL },
	{ "created_by empty", "{\"name\":\"a\",\"bot_type\":\"birthday\","
	  "\"schedule_type\":\"manual\",\"created_by\":\"\"}", "created_by", 0, NULL, 0, NULL },
	{ "a bad job document", "{\"name\":\"a\",\"bot_type\":\"birthday\"}", "schedule_type", 0,
	  NULL, 0, NULL },
	{ "not an object", "\"job\"", "", 0, NULL, 0, NULL },
};

static void
test_check(void **state)
{
	const struct check_case	*c = *state;
	struct jobs_ctx		 ctx;
	struct jobs_item	 it;
	struct verrs		 e = VERRS_INIT;
	json_t			*d = doc(c->doc);

	ctx_init(&ctx, NULL);		/* no database needed */
	memset(&it, 0, sizeof(it));
	it.doc = d;
	jobs_check(&ctx, &it, &e);
	if (c->field != NULL) {
		if (!has_field(&e, c->field))
			fail_msg("no error for '%s' (%zu errors)", c->field, e.n);
	} else {
		if (e.n > 0)
			fail_msg("%zu errors, the first for '%s': %s", e.n, e.v[0].field,
			    e.v[0].msg);
		assert_int_equal(it.has_id, c->has_id);
		if (c->has_id)
			assert_string_equal(it.job.id, c->id);
		assert_int_equal(it.job.created_at, c->created_at);
		if (c->created_by != NULL)
			assert_string_equal(it.job.created_by, c->created_by);
		else
			assert_null(it.job.created_by);
	}
	jobs_item_release(&it);
	verrs_release(&e);
	json_decref(d);
}

/* jobs_import */

#define ID_A	"11111111-2222-4333-8444-555555555555"

static void
check_items(const struct jobs_ctx *ctx, struct jobs_item *items, json_t **docs,
    const char *const *texts, size_t n)
{
	struct verrs	 e = VERRS_INIT;
	size_t		 i;

	memset(items, 0, n * sizeof(*items));
	for (i = 0; i < n; i++) {
		docs[i] = doc(texts[i]);
		items[i].doc = docs[i];
		items[i].index = i;
		jobs_check(ctx, &items[i], &e);
		if (e.n > 0)
			fail_msg("item %zu: '%s': %s", i, e.v[0].field, e.v[0].msg);
	}
}

static void
release_items(struct jobs_item *items, json_t **docs, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		jobs_item_release(&items[i]);
		json_decref(docs[i]);
	}
}

static void
test_import_new(void **state)
{
	static const char *const texts[] = {
		DOC_DAILY,
		"{\"id\":\"" ID_A "\",\"name\":\"second\",\"bot_type\":\"birthday\","
		"\"schedule_type\":\"manual\",\"created_by\":\"alice\"}",
	};
	struct db	*db = fresh();
	struct jobs_ctx	 ctx;
	struct jobs_item items[2];
	json_t		*docs[2];
	struct job	 got;
	struct buf	 want = BUF_INIT;
	enum jobs_res	 res;
	char		*audit, *l;

	(void)state;
	assert_non_null(db);
	ctx_init(&ctx, db);
	nudges();
	check_items(&ctx, items, docs, texts, 2);
	cap_begin();
	res = jobs_import(&ctx, items, 2, 0);
	audit = cap_end();
	assert_int_equal(res, JOBS_OK);
	assert_int_equal(items[0].res, JOBS_OK);
	assert_int_equal(items[1].res, JOBS_OK);
	assert_false(items[0].replaced);
	assert_true(uuid_valid(items[0].job.id));
	assert_string_equal(items[1].job.id, ID_A);
	buf_addstr(&want, l = line("created", items[0].job.id, "morning", NULL));
	free(l);
	buf_addstr(&want, l = line("created", ID_A, "second", NULL));
	free(l);
	audit_is(audit, want.data);
	buf_release(&want);
	assert_int_equal(nudges(), 1);
	assert_int_equal(njobs(db), 2);
	assert_int_equal(db_job_get(db, ID_A, &got), DB_OK);
	assert_string_equal(got.name, "second");
	assert_string_equal(got.created_by, "alice");
	job_release(&got);
	assert_int_equal(db_job_get(db, items[0].job.id, &got), DB_OK);
	assert_string_equal(got.name, "morning");
	job_release(&got);
	release_items(items, docs, 2);
	db_close(db);
}

static void
test_import_existing(void **state)
{
	static const char *const texts[] = {
		"{\"name\":\"brand new\",\"bot_type\":\"birthday\",\"schedule_type\":\"manual\"}",
		"{\"id\":\"" ID_A "\",\"name\":\"imported\",\"bot_type\":\"birthday\","
		"\"schedule_type\":\"manual\"}",
	};
	struct db	*db = fresh();
	struct jobs_ctx	 ctx;
	struct jobs_item items[2];
	json_t		*docs[2];
	struct job	 a, got;
	struct buf	 want = BUF_INIT;
	enum jobs_res	 res;
	char		*audit, *l;

	(void)state;
	assert_non_null(db);
	ctx_init(&ctx, db);
	nudges();
	/* the job the import meets: with a description and max_instances of its own */
	job_defaults(&a);
	memcpy(a.id, ID_A, UUID_LEN);
	a.name = xstrdup("stored");
	a.description = xstrdup("old words");
	a.bot_type = xstrdup("birthday");
	a.schedule_type = SCHED_MANUAL;
	a.schedule_config = xstrdup("{}");
	a.bot_config = xstrdup("{}");
	a.timezone = xstrdup("UTC");
	a.max_instances = 3;
	a.created_at = a.updated_at = a.schedule_anchor = NOW - 3600;
	a.next_run_at = TIME_NONE;
	assert_int_equal(db_job_insert(db, &a), DB_OK);
	job_release(&a);

	/* without replace: refused, all of it */
	check_items(&ctx, items, docs, texts, 2);
	cap_begin();
	res = jobs_import(&ctx, items, 2, 0);
	audit = cap_end();
	assert_int_equal(res, JOBS_INVALID);
	assert_int_equal(items[1].res, JOBS_EXISTS);
	assert_int_equal(items[0].res, JOBS_OK);
	audit_is(audit, "");
	assert_int_equal(nudges(), 0);
	assert_int_equal(njobs(db), 1);		/* the new one was not stored either */
	assert_int_equal(db_job_get(db, ID_A, &got), DB_OK);
	assert_string_equal(got.name, "stored");
	job_release(&got);
	release_items(items, docs, 2);

	/* with replace: the document replaces the job, absent fields at their defaults */
	check_items(&ctx, items, docs, texts, 2);
	cap_begin();
	res = jobs_import(&ctx, items, 2, 1);
	audit = cap_end();
	assert_int_equal(res, JOBS_OK);
	assert_int_equal(items[0].res, JOBS_OK);
	assert_int_equal(items[1].res, JOBS_OK);
	assert_false(items[0].replaced);
	assert_true(items[1].replaced);
	buf_addstr(&want, l = line("created", items[0].job.id, "brand new", NULL));
	free(l);
	buf_addstr(&want, l = line("replaced", ID_A, "imported", NULL));
	free(l);
	audit_is(audit, want.data);
	buf_release(&want);
	assert_int_equal(nudges(), 1);
	assert_int_equal(njobs(db), 2);
	assert_int_equal(db_job_get(db, ID_A, &got), DB_OK);
	assert_string_equal(got.name, "imported");
	assert_null(got.description);
	assert_int_equal(got.max_instances, 1);
	assert_string_equal(got.timezone, "Europe/Paris");
	assert_int_equal(got.created_at, NOW - 3600);
	job_release(&got);
	release_items(items, docs, 2);
	db_close(db);
}

/* The store busy: another handle holds the write lock */

enum busy_op {
	BUSY_CREATE,
	BUSY_UPDATE,
	BUSY_ENABLE,
	BUSY_RUN_NOW,
	BUSY_DELETE,
	BUSY_IMPORT
};

static const struct busy_case {
	const char	*name;
	enum busy_op	 op;
} busy_cases[] = {
	{ "jobs_create", BUSY_CREATE },
	{ "jobs_update", BUSY_UPDATE },
	{ "jobs_set_enabled", BUSY_ENABLE },
	{ "jobs_run_now", BUSY_RUN_NOW },
	{ "jobs_delete", BUSY_DELETE },
	{ "jobs_import", BUSY_IMPORT },
};

static void
test_busy(void **state)
{
	const struct busy_case	*c = *state;
	struct db		*db = fresh(), *other;
	struct jobs_ctx		 ctx;
	struct verrs		 e = VERRS_INIT;
	struct jobs_item	 it;
	struct job		 a, out, got;
	json_t			*d = NULL;
	enum jobs_res		 res = JOBS_OK;
	char			*audit, run[UUID_LEN];
	int64_t			 inflight, count, left;

	assert_non_null(db);
	ctx_init(&ctx, db);
	nudges();
	setup_job(&ctx, DOC_DAILY, &a);
	assert_non_null(other = db_open(conf.db_path, 0, 50));
	assert_int_equal(db_begin(other), DB_OK);
	memset(&it, 0, sizeof(it));
	cap_begin();
	switch (c->op) {
	case BUSY_CREATE:
		d = doc("{\"name\":\"new\",\"bot_type\":\"birthday\",\"schedule_type\":"
		    "\"manual\"}");
		if ((res = jobs_create(&ctx, d, &out, &e)) == JOBS_OK)
			job_release(&out);
		break;
	case BUSY_UPDATE:
		d = doc("{\"name\":\"renamed\"}");
		if ((res = jobs_update(&ctx, a.id, d, &out, &e)) == JOBS_OK ||
		    res == JOBS_INVALID)
			job_release(&out);
		break;
	case BUSY_ENABLE:
		if ((res = jobs_set_enabled(&ctx, a.id, 0, &out, &e)) == JOBS_OK ||
		    res == JOBS_INVALID)
			job_release(&out);
		break;
	case BUSY_RUN_NOW:
		if ((res = jobs_run_now(&ctx, a.id, 0, run, &out, &inflight, NULL)) == JOBS_OK ||
		    res == JOBS_AT_LIMIT)
			job_release(&out);
		break;
	case BUSY_DELETE:
		if ((res = jobs_delete(&ctx, a.id, &out, &left)) == JOBS_OK)
			job_release(&out);
		break;
	case BUSY_IMPORT:
		d = doc("{\"name\":\"new\",\"bot_type\":\"birthday\",\"schedule_type\":"
		    "\"manual\"}");
		it.doc = d;
		jobs_check(&ctx, &it, &e);
		res = jobs_import(&ctx, &it, 1, 0);
		jobs_item_release(&it);
		break;
	}
	audit = cap_end();
	json_decref(d);
	verrs_release(&e);
	db_rollback(other);
	db_close(other);
	assert_int_equal(res, JOBS_DB_BUSY);
	audit_is(audit, "");
	assert_int_equal(nudges(), 0);
	/* nothing changed */
	assert_int_equal(njobs(db), 1);
	assert_int_equal(db_job_get(db, a.id, &got), DB_OK);
	assert_string_equal(got.name, "morning");
	assert_int_equal(got.enabled, 1);
	assert_int_equal(got.updated_at, a.updated_at);
	job_release(&got);
	assert_int_equal(db_run_count(db, a.id, &count), DB_OK);
	assert_int_equal(count, 0);
	/* and once the lock is gone, the same handle works */
	d = doc("{\"name\":\"renamed\"}");
	cap_begin();
	res = jobs_update(&ctx, a.id, d, &out, &e);
	audit = cap_end();
	json_decref(d);
	assert_int_equal(res, JOBS_OK);
	job_release(&out);
	audit_is_line(audit, "updated", a.id, "renamed", NULL);
	assert_int_equal(nudges(), 1);
	job_release(&a);
	db_close(db);
}

/* jobs_res_of */

static const struct res_case {
	enum db_res	 db;
	const char	*name;
	enum jobs_res	 res;
} res_cases[] = {
	{ DB_OK, "DB_OK", JOBS_OK },
	{ DB_NOTFOUND, "DB_NOTFOUND", JOBS_NOTFOUND },
	{ DB_BUSY, "DB_BUSY", JOBS_DB_BUSY },
	{ DB_ERR, "DB_ERR", JOBS_DB_ERR },
	{ DB_CONFLICT, "DB_CONFLICT", JOBS_DB_ERR },
};

static void
test_res_of(void **state)
{
	const struct res_case	*c = *state;

	assert_int_equal(jobs_res_of(c->db), c->res);
}

#define N(a)	(sizeof(a) / sizeof((a)[0]))

int
main(void)
{
	struct suite	 s = { 0 };
	struct buf	 err = BUF_INIT;
	char		 p[160], cmd[96];
	FILE		*f;
	size_t		 i;
	int		 rc;

	log_init(PROG, LOGTO_STDERR, 0);
	snprintf(dir, sizeof(dir), "/tmp/autosched-test-jobs-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(sock, sizeof(sock), "%s/schedd.sock", dir);
	snprintf(p, sizeof(p), "%s/autosched.conf", dir);
	if ((f = fopen(p, "w")) == NULL)
		return 1;
	fputs(conf_head, f);
	fputs(sock, f);
	fputs(conf_tail, f);
	fclose(f);
	if (conf_load(&conf, p, &err) == -1) {
		fprintf(stderr, "test-jobs: %s\n", err.data);
		return 1;
	}
	if ((listen_fd = notify_listen(conf.schedd.notify_socket)) == -1)
		return 1;

	for (i = 0; i < N(create_cases); i++)
		suite_add(&s, test_create, (void *)&create_cases[i], "create: %s",
		    create_cases[i].name);
	suite_add(&s, test_update, NULL, "update: partial, invalid, not found");
	for (i = 0; i < N(enable_cases); i++)
		suite_add(&s, test_enable, (void *)&enable_cases[i], "set_enabled %d on a job %s",
		    enable_cases[i].arg, enable_cases[i].initial ? "enabled" : "disabled");
	suite_add(&s, test_run_now, NULL, "run now, then at max_instances, then not found");
	suite_add(&s, test_delete, NULL, "delete, then not found");
	for (i = 0; i < N(check_cases); i++)
		suite_add(&s, test_check, (void *)&check_cases[i], "check: %s",
		    check_cases[i].name);
	suite_add(&s, test_import_new, NULL, "import: two new jobs");
	suite_add(&s, test_import_existing, NULL, "import: an existing id, without and with "
	    "replace");
	for (i = 0; i < N(busy_cases); i++)
		suite_add(&s, test_busy, (void *)&busy_cases[i], "store busy: %s",
		    busy_cases[i].name);
	for (i = 0; i < N(res_cases); i++)
		suite_add(&s, test_res_of, (void *)&res_cases[i], "jobs_res_of(%s)",
		    res_cases[i].name);
	rc = suite_run(&s, "jobs");
	close(listen_fd);
	conf_release(&conf);
	buf_release(&err);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) != 0 ? 1 : rc;
}
