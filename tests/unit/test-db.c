/*
 * autosched tests: lib/db.c, the store, on a fresh database in a temporary folder: schema
 * creation and versioning, jobs, manual runs and max_instances, history order, API keys,
 * heartbeat and counts.
 */
#include <sys/stat.h>

#include <unistd.h>

#include "testutil.h"
#include "db.h"
#include "sched.h"

static char	 dir[64], path[128];

static struct db *
fresh(void)
{
	unlink(path);
	return db_open(path, 1, 1000);
}

static void
sample(struct job *j, const char *name, int64_t created)
{
	job_defaults(j);
	uuid_v4(j->id);
	j->name = xstrdup(name);
	j->bot_type = xstrdup("birthday");
	j->schedule_type = SCHED_DAILY;
	j->schedule_config = xstrdup("{\"hour\":8,\"minute\":0}");
	j->bot_config = xstrdup("{}");
	j->timezone = xstrdup("Europe/Paris");
	j->created_at = j->updated_at = j->schedule_anchor = created;
	j->next_run_at = created + 3600;
}

static void
test_open(void **state)
{
	struct db	*db;
	char		 cmd[256];

	(void)state;
	assert_non_null(db = fresh());
	assert_int_equal(db_schema_version(db), DB_SCHEMA_VERSION);
	/* statements are prepared when first used: every one fits the schema */
	assert_int_equal(db_prepare_all(db), 0);
	db_close(db);
	/* a table gone: its statements cannot be prepared, and that is said */
	snprintf(cmd, sizeof(cmd), "sqlite3 %s 'ALTER TABLE withdrawals RENAME TO gone'", path);
	assert_int_equal(system(cmd), 0);
	assert_non_null(db = db_open(path, 0, 1000));
	assert_int_equal(db_prepare_all(db), -1);
	db_close(db);
	db_close(fresh());
	/* opening again keeps what is there */
	assert_non_null(db = db_open(path, 0, 1000));
	assert_int_equal(db_schema_version(db), DB_SCHEMA_VERSION);
	db_close(db);
	/* no database and no create: an error, not a new file */
	assert_null(db_open("/nonexistent/folder/x.db", 0, 1000));
	assert_null(db_open("/nonexistent/folder/x.db", 1, 1000));
}

static void
test_newer_schema(void **state)
{
	struct db	*db;
	char		 cmd[256];

	(void)state;
	db_close(fresh());
	snprintf(cmd, sizeof(cmd), "sqlite3 %s 'PRAGMA user_version = 99'", path);
	assert_int_equal(system(cmd), 0);
	db = db_open(path, 0, 1000);
	assert_null(db);
}

/*
 * A version 1 database (tests/unit/schema-v1.sql, the schema as it first shipped) is
 * upgraded in place: its jobs and runs keep their data and gain the new keys.
 */
static void
test_upgrade(void **state)
{
	struct db	*db;
	struct job	 got;
	struct run	*runs;
	struct db_stats	 st;
	char		 cmd[1024], run[UUID_LEN];
	int64_t		 inflight;
	size_t		 n;

	(void)state;
	unlink(path);
	snprintf(cmd, sizeof(cmd), "sqlite3 %s < tests/unit/schema-v1.sql && sqlite3 %s \""
	    "INSERT INTO jobs (id, name, bot_type, schedule_type, schedule_config, "
	    "schedule_anchor, bot_config, timezone, created_at, updated_at, next_run_at) VALUES "
	    "('11111111-2222-4333-8444-555555555555', 'survivor', 'birthday', 'daily', "
	    "'{\\\"hour\\\":8,\\\"minute\\\":0}', 1, '{}', 'UTC', 1, 1, 4600); "
	    "INSERT INTO runs (id, job_id, trigger, scheduled_for, created_at, status) VALUES "
	    "('aaaaaaaa-2222-4333-8444-555555555555', '11111111-2222-4333-8444-555555555555', "
	    "'manual', 10, 10, 'success'); PRAGMA user_version = 1;\"", path, path);
	assert_int_equal(system(cmd), 0);
	assert_non_null(db = db_open(path, 0, 1000));
	assert_int_equal(db_schema_version(db), DB_SCHEMA_VERSION);
	assert_int_equal(db_job_get(db, "11111111-2222-4333-8444-555555555555", &got), DB_OK);
	assert_string_equal(got.name, "survivor");
	assert_int_equal(got.next_run_at, 4600);
	assert_true(got.num > 0);
	job_release(&got);
	assert_int_equal(db_run_history(db, "11111111-2222-4333-8444-555555555555", 10, 0, &runs,
	    &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(runs[0].id, "aaaaaaaa-2222-4333-8444-555555555555");
	assert_string_equal(run_status_name(runs[0].status), "success");
	run_release(&runs[0]);
	free(runs);
	/* the run totals start from the history, each run counted once (version 4) */
	assert_int_equal(db_stats(db, &st), DB_OK);
	assert_int_equal(st.ended[RUN_SUCCESS], 1);
	assert_int_equal(st.ended[RUN_FAILED], 0);
	/* and works as a version 2 database */
	assert_int_equal(db_run_manual(db, "11111111-2222-4333-8444-555555555555", 20, run,
	    &inflight), DB_OK);
	assert_int_equal(db_job_delete(db, "11111111-2222-4333-8444-555555555555", 0), DB_OK);
	db_close(db);
	snprintf(cmd, sizeof(cmd), "test \"$(sqlite3 %s 'SELECT count(*) FROM runs; "
	    "SELECT count(*) FROM sqlite_master WHERE name LIKE \"%%_v1\"')\" = \"$(printf "
	    "'0\\n0')\"", path);
	assert_int_equal(system(cmd), 0);
}

/*
 * A version 7 database (tests/unit/schema-v7.sql) is upgraded in place: jobs is rebuilt to
 * take the date type, runs keep referring to it (a delete still takes them along), its
 * triggers and indexes are back, and next_scheduled_for starts as next_run_at.
 */
static void
test_upgrade_v7(void **state)
{
	struct db	*db;
	struct job	 got;
	struct run	*runs;
	char		 cmd[2048];
	size_t		 n;

	(void)state;
	unlink(path);
	snprintf(cmd, sizeof(cmd), "sqlite3 %s < tests/unit/schema-v7.sql && sqlite3 %s \""
	    "INSERT INTO jobs (id, name, bot_type, schedule_type, schedule_config, "
	    "schedule_anchor, bot_config, timezone, created_at, updated_at, next_run_at) VALUES "
	    "('11111111-2222-4333-8444-555555555555', 'survivor', 'birthday', 'daily', "
	    "'{\\\"hour\\\":8,\\\"minute\\\":0}', 1, '{}', 'UTC', 1, 1, 4600); "
	    "INSERT INTO runs (id, job_num, job_id, trigger, scheduled_for, created_at, status) "
	    "VALUES ('aaaaaaaa-2222-4333-8444-555555555555', 1, "
	    "'11111111-2222-4333-8444-555555555555', 'manual', 10, 10, 'success'); "
	    "PRAGMA user_version = 7;\"", path, path);
	assert_int_equal(system(cmd), 0);
	assert_non_null(db = db_open(path, 0, 1000));
	assert_int_equal(db_schema_version(db), DB_SCHEMA_VERSION);
	assert_int_equal(db_job_get(db, "11111111-2222-4333-8444-555555555555", &got), DB_OK);
	assert_string_equal(got.name, "survivor");
	assert_int_equal(got.next_run_at, 4600);
	assert_int_equal(got.next_scheduled_for, 4600);
	assert_int_equal(got.jitter_seconds, 0);
	assert_null(got.active_windows);
	job_release(&got);
	assert_int_equal(db_run_history(db, "11111111-2222-4333-8444-555555555555", 10, 0, &runs,
	    &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(runs[0].planned_at, TIME_NONE);
	run_release(&runs[0]);
	free(runs);
	assert_int_equal(db_job_delete(db, "11111111-2222-4333-8444-555555555555", 0), DB_OK);
	db_close(db);
	/* no run left, nothing of version 7 left, runs refer to jobs, foreign keys hold */
	snprintf(cmd, sizeof(cmd), "test \"$(sqlite3 %s \"SELECT count(*) FROM runs; "
	    "SELECT count(*) FROM sqlite_master WHERE name LIKE '%%_v7'; "
	    "SELECT count(*) FROM sqlite_master WHERE name IN ('jobs_due', 'jobs_order', "
	    "'jobs_generation_insert', 'jobs_generation_update', 'jobs_generation_delete'); "
	    "SELECT instr(sql, 'REFERENCES jobs (num)') > 0 FROM sqlite_master "
	    "WHERE name = 'runs'; PRAGMA foreign_key_check; "
	    "INSERT INTO jobs (id, name, bot_type, schedule_type, schedule_config, "
	    "schedule_anchor, bot_config, timezone, created_at, updated_at) VALUES ('x', 'd', "
	    "'birthday', 'date', '{}', 1, '{}', 'UTC', 1, 1); SELECT count(*) FROM jobs\")\" = "
	    "\"$(printf '0\\n0\\n5\\n1\\n1')\"", path);
	assert_int_equal(system(cmd), 0);
}

static void
test_jobs(void **state)
{
	struct db	*db = fresh();
	struct job	 a, b, got, *list;
	struct job_filter f = { -1, NULL, NULL, NULL, 100, 0 };
	size_t		 n;
	int64_t		 total;

	(void)state;
	sample(&a, "first", 1000);
	sample(&b, "second", 1000);	/* same second: insertion order decides */
	free(b.bot_type);
	b.bot_type = xstrdup("visitor");
	b.enabled = 0;
	b.next_run_at = TIME_NONE;
	assert_int_equal(db_job_insert(db, &a), DB_OK);
	assert_int_equal(db_job_insert(db, &b), DB_OK);
	assert_int_equal(db_job_insert(db, &a), DB_CONFLICT);
	assert_int_equal(db_job_get(db, a.id, &got), DB_OK);
	assert_string_equal(got.name, "first");
	assert_int_equal(got.next_run_at, 4600);
	assert_int_equal(got.last_run_at, TIME_NONE);
	assert_null(got.description);
	job_release(&got);
	assert_int_equal(db_job_list(db, &f, &list, &n, &total), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	assert_string_equal(list[0].name, "second");	/* newest first */
	job_release(&list[0]);
	job_release(&list[1]);
	free(list);
	f.enabled = 1;
	assert_int_equal(db_job_list(db, &f, &list, &n, &total), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "first");
	job_release(&list[0]);
	free(list);
	f.enabled = -1;
	f.bot_type = "visitor";
	f.limit = 1;
	assert_int_equal(db_job_list(db, &f, &list, &n, &total), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "second");
	job_release(&list[0]);
	free(list);
	free(a.name);
	a.name = xstrdup("renamed");
	a.description = xstrdup("now with words");
	assert_int_equal(db_job_update(db, &a), DB_OK);
	assert_int_equal(db_job_get(db, a.id, &got), DB_OK);
	assert_string_equal(got.name, "renamed");
	assert_string_equal(got.description, "now with words");
	job_release(&got);
	assert_int_equal(db_job_delete(db, b.id, 0), DB_OK);
	assert_int_equal(db_job_delete(db, b.id, 0), DB_NOTFOUND);
	assert_int_equal(db_job_get(db, b.id, &got), DB_NOTFOUND);
	assert_int_equal(db_job_update(db, &b), DB_NOTFOUND);
	job_release(&a);
	job_release(&b);
	db_close(db);
}

static void
test_runs(void **state)
{
	struct db	*db = fresh();
	struct job	 a, got;
	struct run	*runs;
	struct db_stats	 st;
	char		 r1[UUID_LEN], r2[UUID_LEN], r3[UUID_LEN];
	int64_t		 inflight;
	size_t		 n;

	(void)state;
	sample(&a, "runner", 1000);
	a.max_instances = 2;
	assert_int_equal(db_job_insert(db, &a), DB_OK);
	assert_int_equal(db_run_manual(db, a.id, 5000, r1, &inflight), DB_OK);
	assert_int_equal(inflight, 0);
	assert_int_equal(db_run_manual(db, a.id, 5000, r2, &inflight), DB_OK);
	assert_int_equal(inflight, 1);
	assert_int_equal(db_run_manual(db, a.id, 5000, r3, &inflight), DB_CONFLICT);
	assert_int_equal(inflight, 2);
	assert_int_equal(db_run_manual(db, "00000000-0000-4000-8000-000000000000", 5000, r3,
	    &inflight), DB_NOTFOUND);
	assert_int_equal(db_run_history(db, a.id, 10, 0, &runs, &n), DB_OK);
	assert_int_equal(n, 2);
	/* one second each: the second run stands for 5001, newest first */
	assert_string_equal(runs[0].id, r2);
	assert_int_equal(runs[0].scheduled_for, 5001);
	assert_string_equal(runs[1].id, r1);
	assert_int_equal(runs[1].scheduled_for, 5000);
	assert_string_equal(run_status_name(runs[1].status), "pending");
	assert_string_equal(runs[1].trigger, "manual");
	assert_int_equal(runs[1].messages_sent, COUNT_NONE);
	assert_int_equal(runs[1].started_at, TIME_NONE);
	run_release(&runs[0]);
	run_release(&runs[1]);
	free(runs);
	assert_int_equal(db_run_history(db, a.id, 1, 0, &runs, &n), DB_OK);
	assert_int_equal(n, 1);
	run_release(&runs[0]);
	free(runs);
	assert_int_equal(db_job_get(db, a.id, &got), DB_OK);
	assert_string_equal(got.last_run_status, "pending");
	assert_int_equal(got.last_run_at, 5001);
	job_release(&got);
	assert_int_equal(db_stats(db, &st), DB_OK);
	assert_int_equal(st.runs[0], 2);
	assert_int_equal(st.jobs_enabled, 1);
	assert_int_equal(st.oldest_pending, 5000);
	/* deleting the job deletes its runs */
	assert_int_equal(db_job_delete(db, a.id, 0), DB_OK);
	assert_int_equal(db_stats(db, &st), DB_OK);
	assert_int_equal(st.runs[0], 0);
	job_release(&a);
	db_close(db);
}

static void
count_key(const char *name, int64_t created, void *arg)
{
	(void)name;
	(void)created;
	(*(int *)arg)++;
}

static void
test_keys(void **state)
{
	struct db	*db = fresh();
	char		 k1[KEY_TEXT_LEN], k2[KEY_TEXT_LEN], name[256];
	unsigned char	 h1[KEY_HASH_LEN], h2[KEY_HASH_LEN];
	int		 count = 0;
	int64_t		 at;

	(void)state;
	key_generate(k1);
	key_generate(k2);
	assert_int_equal(strlen(k1), KEY_TEXT_LEN - 1);
	assert_string_not_equal(k1, k2);
	key_hash(k1, strlen(k1), h1);
	key_hash(k2, strlen(k2), h2);
	assert_int_equal(db_apikey_insert(db, "alice", h1, 1), DB_OK);
	assert_int_equal(db_apikey_insert(db, "alice", h2, 1), DB_CONFLICT);
	assert_int_equal(db_apikey_insert(db, "bob", h2, 1), DB_OK);
	assert_int_equal(db_apikey_match(db, h2, name), DB_OK);
	assert_string_equal(name, "bob");
	assert_int_equal(db_apikey_match(db, h1, name), DB_OK);
	assert_string_equal(name, "alice");
	h1[31] ^= 1;
	assert_int_equal(db_apikey_match(db, h1, name), DB_NOTFOUND);
	assert_int_equal(db_apikey_list(db, count_key, &count), DB_OK);
	assert_int_equal(count, 2);
	assert_int_equal(db_apikey_delete(db, "bob"), DB_OK);
	assert_int_equal(db_apikey_delete(db, "bob"), DB_NOTFOUND);
	assert_int_equal(db_apikey_match(db, h2, name), DB_NOTFOUND);
	assert_int_equal(db_heartbeat_get(db, "schedd", &at, NULL), DB_OK);
	assert_int_equal(at, TIME_NONE);
	db_close(db);
}

int
main(void)
{
	struct suite	 s = { 0 };
	int		 rc;

	snprintf(dir, sizeof(dir), "/tmp/autosched-test-db-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/test.db", dir);
	suite_add(&s, test_open, NULL, "open, create, reopen");
	suite_add(&s, test_newer_schema, NULL, "a newer schema is refused");
	suite_add(&s, test_upgrade, NULL, "a version 1 database is upgraded in place");
	suite_add(&s, test_upgrade_v7, NULL, "a version 7 database is upgraded in place");
	suite_add(&s, test_jobs, NULL, "jobs: insert, get, list, update, delete");
	suite_add(&s, test_runs, NULL, "runs: manual, max_instances, history, stats");
	suite_add(&s, test_keys, NULL, "API keys and heartbeat");
	rc = suite_run(&s, "db");
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	if (system(path) != 0)
		rc = 1;
	return rc;
}
