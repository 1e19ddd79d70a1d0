/*
 * autosched tests: schedd/tick.c, firing, driven with chosen times on a fresh database (no
 * Redis: what reaches Redis is tests/schedd/'s business). Expected rows are worked out by
 * hand from the rules in docs/SCHEDD.md.
 */
#include <unistd.h>

#include "testutil.h"
#include "../../schedd/schedd.h"

#define T	1795852800	/* 2026-11-28T08:00:00Z */

static char		 dir[64], path[128];
static struct schedd	 sd;

static void
fresh(void)
{
	struct buf	 err = BUF_INIT;

	db_close(sd.db);
	conf_release(&sd.conf);
	memset(&sd, 0, sizeof(sd));
	unlink(path);
	if (conf_load(&sd.conf, "deploy/autosched.conf", &err) == -1)
		fail_msg("%s", err.data);
	assert_non_null(sd.db = db_open(path, 1, 1000));
}

/* Creates a job from JSON at `created` and sets its next_run_at. */
static void
make_job(const char *doc, int64_t created, int64_t next, char *id)
{
	struct job	 j;
	struct verrs	 e = VERRS_INIT;
	json_t		*d = json_loads(doc, 0, NULL);

	job_defaults(&j);
	uuid_v4(j.id);
	assert_int_equal(job_apply(&j, d, 1, &sd.conf, created, &e), 0);
	if (next != TIME_NONE)
		j.next_run_at = j.next_scheduled_for = next;
	assert_int_equal(db_job_insert(sd.db, &j), DB_OK);
	memcpy(id, j.id, UUID_LEN);
	job_release(&j);
	json_decref(d);
}

static int64_t
next_of(const char *id)
{
	struct job	 j;
	int64_t		 t;

	assert_int_equal(db_job_get(sd.db, id, &j), DB_OK);
	t = j.next_run_at;
	job_release(&j);
	return t;
}

/* Counts runs of a job in a status, and copies the error of the last one. */
static int
count(const char *id, const char *status, char *error, int64_t *scheduled)
{
	struct run	*runs;
	size_t		 n, i;
	int		 c = 0;

	assert_int_equal(db_run_history(sd.db, id, 100000, 0, &runs, &n), DB_OK);
	for (i = 0; i < n; i++) {
		if (strcmp(run_status_name(runs[i].status), status) == 0) {
			c++;
			if (error)
				snprintf(error, 256, "%s", runs[i].error ? runs[i].error : "");
			if (scheduled)
				*scheduled = runs[i].scheduled_for;
		}
		run_release(&runs[i]);
	}
	free(runs);
	return c;
}

static void
test_fires_once(void **state)
{
	struct tick_stats	 st = { 0 };
	char			 id[UUID_LEN];
	int64_t			 at = 0;

	(void)state;
	fresh();
	make_job("{\"name\":\"d\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	    "\"timezone\":\"UTC\"}", T - 86400, T, id);
	assert_int_equal(tick_fire(&sd, T - 1, &st), 0);
	assert_int_equal(count(id, "pending", NULL, NULL), 0);
	assert_int_equal(tick_fire(&sd, T, &st), 0);
	assert_int_equal(count(id, "pending", NULL, &at), 1);
	assert_int_equal(at, T);
	assert_int_equal(next_of(id), T + 86400);
	/* again, and a little later: nothing more */
	assert_int_equal(tick_fire(&sd, T, &st), 0);
	assert_int_equal(tick_fire(&sd, T + 30, &st), 0);
	assert_int_equal(count(id, "pending", NULL, NULL), 1);
	assert_int_equal(st.pending, 1);
	assert_int_equal(st.jobs, 1);
}

/* A per-minute job three hours late, grace 600 s: minutes T-180..T-11 are missed (170),
 * T-10..T are in the grace (11): one run for T with coalesce. */
static void
test_misfire_coalesce(void **state)
{
	struct tick_stats	 st = { 0 };
	char			 id[UUID_LEN], err[256];
	int64_t			 at = 0;

	(void)state;
	fresh();
	make_job("{\"name\":\"m\",\"bot_type\":\"birthday\",\"schedule_type\":\"cron\","
	    "\"schedule_config\":{\"cron_expression\":\"* * * * *\"},\"timezone\":\"UTC\","
	    "\"misfire_grace_time\":600}", T - 4 * 3600, T - 3 * 3600, id);
	assert_int_equal(tick_fire(&sd, T, &st), 0);
	assert_int_equal(count(id, "missed", err, &at), 1);
	assert_string_equal(err, "Missed 170 runs from 2026-11-28T05:00:00Z to "
	    "2026-11-28T07:49:00Z: more than misfire_grace_time (600 s) late");
	assert_int_equal(at, T - 3 * 3600);
	assert_int_equal(count(id, "pending", NULL, &at), 1);
	assert_int_equal(at, T);
	assert_int_equal(count(id, "skipped", NULL, NULL), 0);
	assert_int_equal(next_of(id), T + 60);
	assert_int_equal(st.missed, 1);
}

/* The same without coalesce and max_instances 1: one run, ten skipped with the reason. */
static void
test_no_coalesce_max_instances(void **state)
{
	struct tick_stats	 st = { 0 };
	char			 id[UUID_LEN], err[256];

	(void)state;
	fresh();
	make_job("{\"name\":\"m\",\"bot_type\":\"birthday\",\"schedule_type\":\"cron\","
	    "\"schedule_config\":{\"cron_expression\":\"* * * * *\"},\"timezone\":\"UTC\","
	    "\"misfire_grace_time\":600,\"coalesce\":false}", T - 4 * 3600, T - 3 * 3600, id);
	assert_int_equal(tick_fire(&sd, T, &st), 0);
	assert_int_equal(count(id, "missed", NULL, NULL), 1);
	assert_int_equal(count(id, "pending", NULL, NULL), 1);
	assert_int_equal(count(id, "skipped", err, NULL), 10);
	assert_string_equal(err, "Skipped: max_instances (1) reached, 1 run still pending, "
	    "queued or running");
}

/* max_instances 3 with one manual run already pending: two go out, nine are skipped. */
static void
test_inflight_counts(void **state)
{
	struct tick_stats	 st = { 0 };
	char			 id[UUID_LEN], run[UUID_LEN];
	int64_t			 inflight;

	(void)state;
	fresh();
	make_job("{\"name\":\"m\",\"bot_type\":\"birthday\",\"schedule_type\":\"cron\","
	    "\"schedule_config\":{\"cron_expression\":\"* * * * *\"},\"timezone\":\"UTC\","
	    "\"misfire_grace_time\":600,\"coalesce\":false,\"max_instances\":3}",
	    T - 3600, T - 10 * 60, id);
	assert_int_equal(db_run_manual(sd.db, id, T - 30, run, &inflight), DB_OK);
	assert_int_equal(tick_fire(&sd, T, &st), 0);
	assert_int_equal(count(id, "pending", NULL, NULL), 3);	/* the manual one and two */
	assert_int_equal(count(id, "skipped", NULL, NULL), 9);
	assert_int_equal(count(id, "missed", NULL, NULL), 0);
}

/* Catching up is bounded: with max_catchup 50, the oldest owed times become missed. */
static void
test_max_catchup(void **state)
{
	struct tick_stats	 st = { 0 };
	char			 id[UUID_LEN], err[256];

	(void)state;
	fresh();
	sd.conf.schedd.max_catchup = 50;
	make_job("{\"name\":\"m\",\"bot_type\":\"birthday\",\"schedule_type\":\"cron\","
	    "\"schedule_config\":{\"cron_expression\":\"* * * * *\"},\"timezone\":\"UTC\","
	    "\"misfire_grace_time\":86400,\"coalesce\":false,\"max_instances\":100}",
	    T - 4 * 3600, T - 3 * 3600, id);
	assert_int_equal(tick_fire(&sd, T, &st), 0);
	assert_int_equal(count(id, "missed", err, NULL), 1);
	assert_string_equal(err, "Missed 131 runs from 2026-11-28T05:00:00Z to "
	    "2026-11-28T07:10:00Z: more than misfire_grace_time (86400 s) late");
	assert_int_equal(count(id, "pending", NULL, NULL), 50);
}

/* A manual run at the very second a scheduled run is due stands for both. */
static void
test_manual_same_second(void **state)
{
	struct tick_stats	 st = { 0 };
	char			 id[UUID_LEN], run[UUID_LEN];
	int64_t			 inflight;

	(void)state;
	fresh();
	make_job("{\"name\":\"d\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	    "\"timezone\":\"UTC\",\"max_instances\":5}", T - 86400, T, id);
	assert_int_equal(db_run_manual(sd.db, id, T, run, &inflight), DB_OK);
	assert_int_equal(tick_fire(&sd, T, &st), 0);
	assert_int_equal(count(id, "pending", NULL, NULL), 1);
	assert_int_equal(next_of(id), T + 86400);
}

/* 02:30 in Paris on the spring-forward day fires at the jump, then next day as usual. */
static void
test_dst(void **state)
{
	struct tick_stats	 st = { 0 };
	char			 id[UUID_LEN];
	int64_t			 jump = 1774746000;	/* 2026-03-29T01:00:00Z */
	int64_t			 at = 0;

	(void)state;
	fresh();
	make_job("{\"name\":\"p\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	    "\"schedule_config\":{\"hour\":2,\"minute\":30},\"timezone\":\"Europe/Paris\"}",
	    jump - 3600, TIME_NONE, id);
	assert_int_equal(next_of(id), jump);
	assert_int_equal(tick_fire(&sd, jump, &st), 0);
	assert_int_equal(count(id, "pending", NULL, &at), 1);
	assert_int_equal(at, jump);
	assert_int_equal(next_of(id), 1774830600);		/* 2026-03-30T00:30:00Z */
}

/* Interval jobs keep their grid from the anchor whatever the tick times. */
static void
test_interval(void **state)
{
	struct tick_stats	 st = { 0 };
	char			 id[UUID_LEN];

	(void)state;
	fresh();
	make_job("{\"name\":\"i\",\"bot_type\":\"visitor\",\"schedule_type\":\"interval\","
	    "\"schedule_config\":{\"hours\":0,\"minutes\":15}}", T + 7, TIME_NONE, id);
	assert_int_equal(next_of(id), T + 7 + 900);
	assert_int_equal(tick_fire(&sd, T + 7 + 903, &st), 0);
	assert_int_equal(count(id, "pending", NULL, NULL), 1);
	assert_int_equal(next_of(id), T + 7 + 1800);
}

/* Two schedd on one database: the second pass finds nothing left to fire. */
static void
test_two_schedd(void **state)
{
	struct tick_stats	 st = { 0 };
	struct schedd		 other;
	struct buf		 err = BUF_INIT;
	char			 id[UUID_LEN];
	int			 i;

	(void)state;
	fresh();
	for (i = 0; i < 50; i++)
		make_job("{\"name\":\"d\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
		    "\"timezone\":\"UTC\"}", T - 86400, T, id);
	memset(&other, 0, sizeof(other));
	assert_int_equal(conf_load(&other.conf, "deploy/autosched.conf", &err), 0);
	assert_non_null(other.db = db_open(path, 0, 1000));
	assert_int_equal(tick_fire(&sd, T, &st), 0);
	assert_int_equal(tick_fire(&other, T, &st), 0);
	assert_int_equal(st.pending, 50);
	db_close(other.db);
	conf_release(&other.conf);
}

/* After the clock was set back a long way, next runs are computed from the new time. */
static void
test_reschedule(void **state)
{
	char	 id[UUID_LEN];

	(void)state;
	fresh();
	make_job("{\"name\":\"d\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	    "\"timezone\":\"UTC\"}", T - 86400, T + 30 * 86400, id);
	assert_int_equal(tick_reschedule(&sd, T - 3600), 1);
	assert_int_equal(next_of(id), T);
}

/* A job whose stored schedule cannot be read is taken off the schedule, not fired in a loop. */
static void
test_unreadable(void **state)
{
	struct tick_stats	 st = { 0 };
	char			 id[UUID_LEN], cmd[256];

	(void)state;
	fresh();
	make_job("{\"name\":\"d\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	    "\"timezone\":\"UTC\"}", T - 86400, T, id);
	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"UPDATE jobs SET timezone = 'Mars/Olympus'\"",
	    path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(tick_fire(&sd, T, &st), 0);
	assert_int_equal(next_of(id), TIME_NONE);
	assert_int_equal(count(id, "pending", NULL, NULL), 0);
}

/* The job's stored plan: next_run_at and next_scheduled_for. */
static void
plan_of(const char *id, int64_t *next, int64_t *nominal)
{
	struct job	 j;

	assert_int_equal(db_job_get(sd.db, id, &j), DB_OK);
	*next = j.next_run_at;
	*nominal = j.next_scheduled_for;
	job_release(&j);
}

/* The newest run of a job: its scheduled_for and planned_at. */
static void
newest_run(const char *id, int64_t *scheduled, int64_t *planned)
{
	struct run	*runs;
	size_t		 n, i;

	assert_int_equal(db_run_history(sd.db, id, 1, 0, &runs, &n), DB_OK);
	assert_int_equal(n, 1);
	*scheduled = runs[0].scheduled_for;
	*planned = runs[0].planned_at;
	for (i = 0; i < n; i++)
		run_release(&runs[i]);
	free(runs);
}

/*
 * Jitter: drawn once and stored; the job fires at the delayed instant, and its run keeps
 * the nominal time as scheduled_for and the delayed one as planned_at.
 */
static void
test_jitter(void **state)
{
	struct tick_stats	 st = { 0 };
	char			 id[UUID_LEN];
	int64_t			 next, nominal, sched, planned;

	(void)state;
	fresh();
	make_job("{\"name\":\"j\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	    "\"timezone\":\"UTC\",\"jitter_seconds\":900}", T - 3600, TIME_NONE, id);
	plan_of(id, &next, &nominal);
	assert_int_equal(nominal, T);
	assert_true(next >= T && next <= T + 900);
	/* a restart reads the same plan: nothing is drawn again before it fires */
	assert_int_equal(tick_reschedule(&sd, T - 60), 0);
	plan_of(id, &sched, &planned);
	assert_int_equal(sched, next);
	if (next > T) {
		assert_int_equal(tick_fire(&sd, next - 1, &st), 0);
		assert_int_equal(count(id, "pending", NULL, NULL), 0);
	}
	assert_int_equal(tick_fire(&sd, next, &st), 0);
	assert_int_equal(count(id, "pending", NULL, NULL), 1);
	newest_run(id, &sched, &planned);
	assert_int_equal(sched, T);
	assert_int_equal(planned, next);
	plan_of(id, &next, &nominal);
	assert_int_equal(nominal, T + 86400);
	assert_true(next >= T + 86400 && next <= T + 86400 + 900);
	/* exactly once: tomorrow's (skipped: today's is still pending), and nothing more */
	assert_int_equal(tick_fire(&sd, next + 30, &st), 0);
	assert_int_equal(count(id, "skipped", NULL, &sched), 1);
	assert_int_equal(sched, T + 86400);
	assert_int_equal(tick_fire(&sd, next + 60, &st), 0);
	assert_int_equal(count(id, "pending", NULL, NULL) + count(id, "skipped", NULL, NULL), 2);
}

/*
 * Windows: a minutely job with a 08:00-08:02 window, three minutes late: it owes 08:00 and
 * 08:01 (one run, coalesced), not 08:02, and next fires tomorrow at 08:00.
 */
static void
test_window(void **state)
{
	struct tick_stats	 st = { 0 };
	char			 id[UUID_LEN];
	int64_t			 at = 0, next, nominal;

	(void)state;
	fresh();
	make_job("{\"name\":\"w\",\"bot_type\":\"birthday\",\"schedule_type\":\"cron\","
	    "\"schedule_config\":{\"cron_expression\":\"* * * * *\"},\"timezone\":\"UTC\","
	    "\"active_windows\":[{\"start\":\"08:00\",\"end\":\"08:02\"}]}", T - 3600,
	    TIME_NONE, id);
	plan_of(id, &next, &nominal);
	assert_int_equal(next, T);
	assert_int_equal(tick_fire(&sd, T + 180, &st), 0);
	assert_int_equal(count(id, "pending", NULL, &at), 1);
	assert_int_equal(at, T + 60);
	assert_int_equal(count(id, "skipped", NULL, NULL) + count(id, "missed", NULL, NULL), 0);
	plan_of(id, &next, &nominal);
	assert_int_equal(next, T + 86400);
}

/* A date fires once, then the job has no next run. */
static void
test_date(void **state)
{
	struct tick_stats	 st = { 0 };
	char			 id[UUID_LEN];
	int64_t			 at = 0, next, nominal;

	(void)state;
	fresh();
	make_job("{\"name\":\"o\",\"bot_type\":\"birthday\",\"schedule_type\":\"date\","
	    "\"schedule_config\":{\"run_at\":\"2026-11-28T09:00\"},\"timezone\":\"UTC\"}",
	    T, TIME_NONE, id);
	plan_of(id, &next, &nominal);
	assert_int_equal(next, T + 3600);
	assert_int_equal(tick_fire(&sd, T + 3600, &st), 0);
	assert_int_equal(count(id, "pending", NULL, &at), 1);
	assert_int_equal(at, T + 3600);
	plan_of(id, &next, &nominal);
	assert_int_equal(next, TIME_NONE);
	assert_int_equal(nominal, TIME_NONE);
	assert_int_equal(tick_reschedule(&sd, T + 7200), 0);
	assert_int_equal(tick_fire(&sd, T + 86400 * 400, &st), 0);
	assert_int_equal(count(id, "pending", NULL, NULL), 1);
}

/* A run of job `id` that ended with status and result, as tick_sync hands it on. */
static void
ended(const char *id, enum run_status status, const char *result, int64_t now)
{
	struct open_run	 o;
	struct run	 r;
	struct job	 j;

	assert_int_equal(db_job_get(sd.db, id, &j), DB_OK);
	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	o.job_num = r.job_num = j.num;
	o.bot_type = j.bot_type;
	snprintf(r.id, sizeof(r.id), "%s", "aaaaaaaa-2222-4333-8444-555555555555");
	snprintf(r.job_id, sizeof(r.job_id), "%s", id);
	r.status = status;
	r.result = (char *)result;
	r.error = status == RUN_FAILED ? (char *)"RuntimeError: the site said no" : NULL;
	assert_int_equal(guard_ended(&sd, &o, &r, now), DB_OK);
	job_release(&j);
}

/* pause_after_failures: the third failure in a row pauses; a success in between resets. */
static void
test_auto_pause(void **state)
{
	char		 id[UUID_LEN];
	struct job	 j;

	(void)state;
	fresh();
	make_job("{\"name\":\"f\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	    "\"timezone\":\"UTC\"}", T - 86400, T, id);
	ended(id, RUN_FAILED, NULL, T);
	ended(id, RUN_FAILED, NULL, T);
	ended(id, RUN_SUCCESS, "{}", T);
	ended(id, RUN_FAILED, NULL, T);
	ended(id, RUN_FAILED, NULL, T);
	assert_int_equal(db_job_get(sd.db, id, &j), DB_OK);
	assert_false(j.paused);
	assert_int_equal(j.failures_in_row, 2);
	job_release(&j);
	ended(id, RUN_FAILED, NULL, T + 10);
	assert_int_equal(db_job_get(sd.db, id, &j), DB_OK);
	assert_true(j.paused);
	assert_int_equal(j.next_run_at, TIME_NONE);
	assert_int_equal(j.paused_at, T + 10);
	assert_int_equal(j.paused_until, TIME_NONE);
	assert_string_equal(j.paused_reason, "Paused after 3 failed runs in a row "
	    "(pause_after_failures 3); the last: RuntimeError: the site said no");
	job_release(&j);
	/* paused, it does not fire, and a pass does not resume it */
	guard_pass(&sd, T + 86400 * 3);
	assert_int_equal(next_of(id), TIME_NONE);
}

/* A bot's autosched_pause: its bot type, until then; schedd resumes them when it comes. */
static void
test_bot_pause(void **state)
{
	char		 a[UUID_LEN], b[UUID_LEN], c[UUID_LEN];
	struct job	 j;

	(void)state;
	fresh();
	make_job("{\"name\":\"a\",\"bot_type\":\"visitor\",\"schedule_type\":\"daily\","
	    "\"timezone\":\"UTC\"}", T - 86400, T, a);
	make_job("{\"name\":\"b\",\"bot_type\":\"visitor\",\"schedule_type\":\"daily\","
	    "\"timezone\":\"UTC\"}", T - 86400, T, b);
	make_job("{\"name\":\"c\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	    "\"timezone\":\"UTC\"}", T - 86400, T, c);
	ended(a, RUN_SUCCESS, "{\"profiles_visited\":3,\"autosched_pause\":{\"seconds\":7200,"
	    "\"scope\":\"bot_type\",\"reason\":\"the site warned us\"}}", T);
	assert_int_equal(db_job_get(sd.db, b, &j), DB_OK);
	assert_true(j.paused);
	assert_int_equal(j.paused_until, T + 7200);
	assert_string_equal(j.paused_reason, "The bot asked for a pause of every job of its "
	    "type until 2026-11-28T10:00:00Z: the site warned us");
	job_release(&j);
	assert_int_equal(next_of(c), T);
	guard_pass(&sd, T + 7199);
	assert_int_equal(next_of(a), TIME_NONE);
	guard_pass(&sd, T + 7200);
	/* resumed from then on: tomorrow's 08:00, nothing caught up */
	assert_int_equal(next_of(a), T + 86400);
	assert_int_equal(next_of(b), T + 86400);
	assert_int_equal(db_job_get(sd.db, a, &j), DB_OK);
	assert_false(j.paused);
	assert_null(j.paused_reason);
	job_release(&j);
}

/* The kill switch: one skipped run per pass carrying the note, nothing owed afterwards. */
static void
test_kill_switch(void **state)
{
	struct tick_stats	 st = { 0 };
	struct pause		 p;
	char			 id[UUID_LEN], err[256];
	int64_t			 at = 0;

	(void)state;
	fresh();
	make_job("{\"name\":\"k\",\"bot_type\":\"visitor\",\"schedule_type\":\"cron\","
	    "\"schedule_config\":{\"cron_expression\":\"* * * * *\"},\"timezone\":\"UTC\"}",
	    T - 3600, T, id);
	memset(&p, 0, sizeof(p));
	uuid_v4(p.id);
	p.bot_type = (char *)"visitor";
	p.note = (char *)"the site warned us";
	p.until = T + 600;
	p.created_at = T - 60;
	p.created_by = (char *)"alice";
	assert_int_equal(db_pause_add(sd.db, &p), DB_OK);
	guard_pass(&sd, T + 300);
	assert_int_equal(tick_fire(&sd, T + 300, &st), 0);
	assert_int_equal(count(id, "skipped", err, &at), 1);
	assert_int_equal(at, T + 300);
	assert_string_equal(err, "Skipped: Bot type visitor is paused by alice since "
	    "2026-11-28T07:59:00Z until 2026-11-28T08:10:00Z: the site warned us");
	assert_int_equal(count(id, "pending", NULL, NULL), 0);
	assert_int_equal(count(id, "missed", NULL, NULL), 0);
	/* the pause ends by itself; the next fire time runs, the past is not caught up */
	guard_pass(&sd, T + 660);
	assert_int_equal(sd.npauses, 0);
	assert_int_equal(tick_fire(&sd, T + 660, &st), 0);
	assert_int_equal(count(id, "skipped", NULL, NULL), 1);
	assert_int_equal(count(id, "pending", NULL, &at), 1);
	assert_int_equal(at, T + 660);
}

int
main(void)
{
	struct suite	 s = { 0 };
	int		 rc;

	snprintf(dir, sizeof(dir), "/tmp/autosched-test-tick-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/tick.db", dir);
	suite_add(&s, test_fires_once, NULL, "a due job fires once");
	suite_add(&s, test_misfire_coalesce, NULL, "misfire: one missed row, coalesced run");
	suite_add(&s, test_no_coalesce_max_instances, NULL, "no coalesce: skipped rows");
	suite_add(&s, test_inflight_counts, NULL, "runs in flight count against max_instances");
	suite_add(&s, test_max_catchup, NULL, "catching up is bounded");
	suite_add(&s, test_manual_same_second, NULL, "a manual run at the same second");
	suite_add(&s, test_dst, NULL, "DST: fires at the jump");
	suite_add(&s, test_interval, NULL, "interval grid");
	suite_add(&s, test_two_schedd, NULL, "two schedd never fire twice");
	suite_add(&s, test_reschedule, NULL, "rescheduling after a clock set back");
	suite_add(&s, test_unreadable, NULL, "an unreadable schedule is not fired");
	suite_add(&s, test_jitter, NULL, "jitter: drawn once, run at the delayed instant");
	suite_add(&s, test_window, NULL, "windows: owed times outside are passed over");
	suite_add(&s, test_date, NULL, "date: fires once");
	suite_add(&s, test_auto_pause, NULL, "pause_after_failures: the third in a row pauses");
	suite_add(&s, test_bot_pause, NULL, "a bot's pause covers its bot type, then resumes");
	suite_add(&s, test_kill_switch, NULL, "kill switch: skipped, nothing owed");
	rc = suite_run(&s, "tick");
	guard_release(&sd);
	db_close(sd.db);
	conf_release(&sd.conf);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	return system(path) != 0 ? 1 : rc;
}
