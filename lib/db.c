/*
 * autosched: the SQLite store. All SQL lives here, and this is the only file that includes
 * sqlite3.h.
 *
 * Every statement is prepared once in db_open(), so a typo in SQL stops the program at start
 * rather than failing a request, and is reset after each use. db_step() owns busy handling:
 * the connection waits up to the busy timeout, and what is still locked after it becomes
 * DB_BUSY (a 503 for the web tier). Changes that span statements run inside BEGIN IMMEDIATE
 * transactions, which take the write lock up front so two writers never deadlock upgrading.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "db.h"
#include "jsonw.h"
#include "sched.h"

extern const char schema_sql[];		/* lib/schema.sql, embedded by the Makefile */

enum stmt {
	STMT_BEGIN_READ,
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_JOB_INSERT,
	STMT_JOB_GET,
	STMT_JOB_UPDATE,
	STMT_JOB_DELETE,
	STMT_JOB_WITHDRAW,
	STMT_WITHDRAWALS,
	STMT_WITHDRAWAL_DONE,
	STMT_WITHDRAWAL_RUNNING,
	STMT_WITHDRAWALS_QUEUED,
	STMT_PAUSE_INSERT,
	STMT_PAUSE_DELETE,
	STMT_PAUSES,
	STMT_PAUSES_ENDED,
	STMT_JOB_FAILCOUNT,
	STMT_JOB_AUTOPAUSE,
	STMT_JOB_PAUSE_UNTIL,
	STMT_BOT_PAUSE_UNTIL,
	STMT_JOBS_TO_RESUME,
	STMT_JOBS_PAUSED,
	STMT_JOB_KEEP_PAUSED,
	STMT_JOB_LIST,
	STMT_JOB_COUNT,
	STMT_JOB_LIMITS,
	STMT_JOB_SET_LAST,
	STMT_RUN_INFLIGHT,
	STMT_RUN_COUNT,
	STMT_RUN_SLOT_TAKEN,
	STMT_RUN_INSERT,
	STMT_RUN_HISTORY,
	STMT_KEY_INSERT,
	STMT_KEY_DELETE,
	STMT_KEY_ALL,
	STMT_HEARTBEAT_GET,
	STMT_STATS_JOBS,
	STMT_STATS_RUNS,
	STMT_STATS_PENDING,
	STMT_BACKLOG,
	STMT_GENERATION,
	STMT_STATS_ENDED,
	STMT_DUE,
	STMT_NEXT_DUE,
	STMT_JOB_SET_NEXT,
	STMT_JOB_FIRED,
	STMT_RUN_ADD,
	STMT_JOB_LAST_IF_NEWEST,
	STMT_PENDING,
	STMT_RUN_QUEUED,
	STMT_JOB_QUEUED,
	STMT_RUN_EXISTS,
	STMT_OPEN,
	STMT_RUN_OUTCOME,
	STMT_HEARTBEAT_SET,
	STMT_HEARTBEAT_PRUNE,
	STMT_PRUNE_AGE,
	STMT_PRUNE_COUNT,
	STMT_SCHEDULED_IDS,
	STMT_USER_INSERT,
	STMT_USER_UPDATE,
	STMT_USER_HASH,
	STMT_USER_DELETE,
	STMT_USER_ALL,
	STMT_SESSION_INSERT,
	STMT_SESSION_GET,
	STMT_SESSION_DELETE,
	STMT_SESSION_DELETE_USER,
	STMT_SESSION_PRUNE,
	STMT_SESSION_OF_USER,
	STMT_FAILURES_ADD,
	STMT_FAILURES_UNDO,
	STMT_FAILURES_CLEAR,
	STMT_FAILURES_CLEAR_USER,
	STMT_FAILURES_PRUNE,
	STMT__MAX
};

/*
 * A job row: the columns of JOB_COLUMNS, in order. Column JC_X of a row is bound as the
 * parameter ?(JC_X + 1) (JP below) by the statements that write every column; the SQL of
 * STMT_JOB_INSERT and STMT_JOB_UPDATE names those numbers.
 */
enum jobcol {
	JC_ID, JC_NAME, JC_DESCRIPTION, JC_BOT_TYPE, JC_ENABLED, JC_SCHEDULE_TYPE,
	JC_SCHEDULE_CONFIG, JC_SCHEDULE_ANCHOR, JC_BOT_CONFIG, JC_TIMEZONE, JC_CREATED_AT,
	JC_UPDATED_AT, JC_CREATED_BY, JC_NEXT_RUN_AT, JC_LAST_RUN_AT, JC_LAST_RUN_STATUS,
	JC_LAST_RUN_ERROR, JC_MAX_INSTANCES, JC_MISFIRE_GRACE_TIME, JC_COALESCE,
	JC_ACTIVE_WINDOWS, JC_JITTER_SECONDS, JC_NEXT_SCHEDULED_FOR, JC_PAUSE_AFTER_FAILURES,
	JC_PAUSED, JC_PAUSED_REASON, JC_PAUSED_AT, JC_PAUSED_UNTIL, JC_FAILURES_IN_ROW, JC_NUM,
	JC__MAX
};
#define JP(col)		((col) + 1)
#define JOB_COLUMNS	"id, name, description, bot_type, enabled, schedule_type, " \
			"schedule_config, schedule_anchor, bot_config, timezone, created_at, " \
			"updated_at, created_by, next_run_at, last_run_at, last_run_status, " \
			"last_run_error, max_instances, misfire_grace_time, coalesce, " \
			"active_windows, jitter_seconds, next_scheduled_for, " \
			"pause_after_failures, paused, paused_reason, paused_at, paused_until, " \
			"failures_in_row, num"
/* A run row: the columns of RUN_COLUMNS, in order. */
enum runcol {
	RC_ID, RC_JOB_ID, RC_TRIGGER, RC_SCHEDULED_FOR, RC_CREATED_AT, RC_QUEUED_AT,
	RC_STARTED_AT, RC_FINISHED_AT, RC_STATUS, RC_RESULT, RC_ERROR, RC_MESSAGES_SENT,
	RC_PROFILES_VISITED, RC_RQ_JOB_ID, RC_PLANNED_AT,
	RC__MAX
};
#define RUN_COLUMNS	"id, job_id, trigger, scheduled_for, created_at, queued_at, " \
			"started_at, finished_at, status, result, error, messages_sent, " \
			"profiles_visited, CASE WHEN queued_at IS NOT NULL THEN id END, planned_at"
#define JOB_FILTER	"WHERE (?1 < 0 OR enabled = ?1) AND (?2 IS NULL OR bot_type = ?2) " \
			"AND (?5 IS NULL OR instr(lower(name), lower(?5)) > 0) " \
			"AND (?6 IS NULL OR coalesce(last_run_status, 'none') = ?6)"
#define RUN_INFLIGHT	"status IN ('pending', 'queued', 'running')"
/* The run at ?3 is the job's newest: last_run_at always holds the newest run's time. */
#define NEWER		"(?3 IS NOT NULL AND (last_run_at IS NULL OR last_run_at <= ?3))"

static const char *const stmts[STMT__MAX] = {
	[STMT_BEGIN_READ] = "BEGIN",
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	/* num is NULL: SQLite gives the next one */
	[STMT_JOB_INSERT] = "INSERT INTO jobs (" JOB_COLUMNS ") VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
	    "?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, NULL)",
	[STMT_JOB_GET] = "SELECT " JOB_COLUMNS " FROM jobs WHERE id = ?1",
	[STMT_JOB_UPDATE] = "UPDATE jobs SET name = ?2, description = ?3, bot_type = ?4, "
	    "enabled = ?5, schedule_type = ?6, schedule_config = ?7, schedule_anchor = ?8, "
	    "bot_config = ?9, timezone = ?10, updated_at = ?12, next_run_at = ?14, "
	    "max_instances = ?18, misfire_grace_time = ?19, coalesce = ?20, "
	    "active_windows = ?21, jitter_seconds = ?22, next_scheduled_for = ?23, "
	    "pause_after_failures = ?24, paused = ?25, paused_reason = ?26, paused_at = ?27, "
	    "paused_until = ?28, failures_in_row = ?29 WHERE id = ?1",
	[STMT_JOB_DELETE] = "DELETE FROM jobs WHERE id = ?1",
	/* before the delete: the job's runs in Redis, for schedd to take back */
	[STMT_JOB_WITHDRAW] = "INSERT OR IGNORE INTO withdrawals (run_id, job_id, job_name, "
	    "queue, status, created_at) SELECT r.id, j.id, j.name, r.rq_queue, r.status, ?2 "
	    "FROM jobs j JOIN runs r ON r.job_num = j.num "
	    "WHERE j.id = ?1 AND r.status IN ('queued', 'running')",
	[STMT_WITHDRAWALS] = "SELECT run_id, job_id, job_name, queue, status, created_at "
	    "FROM withdrawals ORDER BY created_at, run_id LIMIT ?1",
	[STMT_WITHDRAWAL_DONE] = "DELETE FROM withdrawals WHERE run_id = ?1",
	[STMT_WITHDRAWAL_RUNNING] = "UPDATE withdrawals SET status = 'running' WHERE run_id = ?1",
	[STMT_WITHDRAWALS_QUEUED] = "SELECT count(*) FROM withdrawals WHERE job_id = ?1 "
	    "AND status = 'queued'",
	[STMT_PAUSE_INSERT] = "INSERT INTO pauses (id, bot_type, note, until, created_at, "
	    "created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_PAUSE_DELETE] = "DELETE FROM pauses WHERE id = ?1",
	/* in force at ?1: every bot first, then by bot type, oldest first */
	[STMT_PAUSES] = "SELECT id, bot_type, note, until, created_at, created_by FROM pauses "
	    "WHERE until IS NULL OR until > ?1 ORDER BY bot_type IS NOT NULL, created_at, id",
	[STMT_PAUSES_ENDED] = "DELETE FROM pauses WHERE until <= ?1 RETURNING id, bot_type, "
	    "note, until, created_at, created_by",
	/* a success resets the count; a scheduled run that failed adds one */
	[STMT_JOB_FAILCOUNT] = "UPDATE jobs SET failures_in_row = CASE WHEN ?2 = 'success' THEN 0 "
	    "WHEN ?2 = 'failed' AND ?3 = 'schedule' THEN failures_in_row + 1 "
	    "ELSE failures_in_row END WHERE num = ?1 AND ?2 IN ('success', 'failed')",
	[STMT_JOB_AUTOPAUSE] = "UPDATE jobs SET paused = 1, paused_reason = 'Paused after ' || "
	    "failures_in_row || ' failed runs in a row (pause_after_failures ' || "
	    "pause_after_failures || '); the last: ' || substr(coalesce(?2, 'no message'), 1, "
	    "300), paused_at = ?3, paused_until = NULL, next_run_at = NULL, "
	    "next_scheduled_for = NULL WHERE num = ?1 AND paused = 0 AND "
	    "pause_after_failures > 0 AND failures_in_row >= pause_after_failures",
	/* a bot's pause does not shorten a longer one, nor end one until resumed */
	[STMT_JOB_PAUSE_UNTIL] = "UPDATE jobs SET paused = 1, paused_reason = ?2, "
	    "paused_at = ?3, paused_until = ?4, next_run_at = NULL, next_scheduled_for = NULL "
	    "WHERE num = ?1 AND (paused = 0 OR paused_until < ?4)",
	[STMT_BOT_PAUSE_UNTIL] = "UPDATE jobs SET paused = 1, paused_reason = ?2, "
	    "paused_at = ?3, paused_until = ?4, next_run_at = NULL, next_scheduled_for = NULL "
	    "WHERE bot_type = ?1 AND (paused = 0 OR paused_until < ?4)",
	[STMT_JOBS_TO_RESUME] = "SELECT id FROM jobs WHERE paused_until <= ?1 "
	    "ORDER BY paused_until LIMIT ?2",
	[STMT_JOBS_PAUSED] = "SELECT count(*) FROM jobs WHERE paused = 1",
	[STMT_JOB_KEEP_PAUSED] = "UPDATE jobs SET paused_until = NULL WHERE id = ?1",
	[STMT_JOB_LIST] = "SELECT " JOB_COLUMNS " FROM jobs " JOB_FILTER
	    " ORDER BY created_at DESC, num DESC LIMIT ?3 OFFSET ?4",
	[STMT_JOB_COUNT] = "SELECT count(*) FROM jobs " JOB_FILTER,
	[STMT_JOB_LIMITS] = "SELECT num, max_instances FROM jobs WHERE id = ?1",
	[STMT_JOB_SET_LAST] = "UPDATE jobs SET last_run_at = ?2, last_run_status = ?3, "
	    "last_run_error = ?4 WHERE num = ?1",
	[STMT_RUN_INFLIGHT] = "SELECT count(*) FROM runs WHERE job_num = ?1 AND " RUN_INFLIGHT,
	[STMT_RUN_SLOT_TAKEN] = "SELECT 1 FROM runs WHERE job_num = ?1 AND scheduled_for = ?2",
	[STMT_RUN_INSERT] = "INSERT INTO runs (id, job_id, trigger, scheduled_for, created_at, "
	    "status, error, job_num) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[STMT_RUN_HISTORY] = "SELECT " RUN_COLUMNS " FROM runs "
	    "WHERE job_num = (SELECT num FROM jobs WHERE id = ?1) "
	    "ORDER BY scheduled_for DESC LIMIT ?2 OFFSET ?3",
	[STMT_RUN_COUNT] = "SELECT count(*) FROM runs "
	    "WHERE job_num = (SELECT num FROM jobs WHERE id = ?1)",
	[STMT_KEY_INSERT] = "INSERT INTO api_keys (name, hash, created_at) VALUES (?1, ?2, ?3)",
	[STMT_KEY_DELETE] = "DELETE FROM api_keys WHERE name = ?1",
	[STMT_KEY_ALL] = "SELECT name, hash, created_at FROM api_keys ORDER BY name",
	/*
	 * Each process beats in its own row, "schedd@host:pid": the one that matters is the
	 * newest of those that did not stop cleanly, else the newest.
	 */
	[STMT_HEARTBEAT_GET] = "SELECT at, info FROM heartbeat "
	    "WHERE name = ?1 OR name LIKE ?1 || '@%' "
	    "ORDER BY json_extract(info, '$.stopped') IS 1, at DESC LIMIT 1",
	[STMT_STATS_JOBS] = "SELECT enabled, count(*) FROM jobs GROUP BY enabled",
	[STMT_STATS_RUNS] = "SELECT status, count(*) FROM runs GROUP BY status",
	[STMT_STATS_PENDING] = "SELECT min(created_at) FROM runs WHERE status = 'pending'",
	/* the IN lets SQLite see that the runs_inflight index holds every queued run */
	[STMT_GENERATION] = "SELECT n FROM generation WHERE name = 'jobs'",
	[STMT_BACKLOG] = "SELECT count(*), min(queued_at) FROM runs "
	    "WHERE status IN ('queued', 'running') AND status = 'queued'",
	[STMT_STATS_ENDED] = "SELECT status, n FROM run_totals",
	[STMT_DUE] = "SELECT " JOB_COLUMNS " FROM jobs WHERE next_run_at <= ?1 "
	    "ORDER BY next_run_at LIMIT ?2",
	/* "IS NOT NULL" lets SQLite use the partial index jobs_due */
	[STMT_NEXT_DUE] = "SELECT min(t) FROM (SELECT min(next_run_at) AS t FROM jobs "
	    "WHERE next_run_at IS NOT NULL UNION ALL SELECT min(paused_until) FROM jobs "
	    "WHERE paused_until IS NOT NULL UNION ALL SELECT min(until) FROM pauses)",
	[STMT_JOB_SET_NEXT] = "UPDATE jobs SET next_run_at = ?2, next_scheduled_for = ?3 "
	    "WHERE id = ?1",
	/*
	 * After firing: the next run, and the job's last_run_* when ?3 (the newest run made)
	 * is not older than its current last run. Found by rowid: no index lookup.
	 */
	[STMT_JOB_FIRED] = "UPDATE jobs SET next_run_at = ?2, next_scheduled_for = ?6, "
	    "last_run_at = CASE WHEN " NEWER " THEN ?3 ELSE last_run_at END, "
	    "last_run_status = CASE WHEN " NEWER " THEN ?4 ELSE last_run_status END, "
	    "last_run_error = CASE WHEN " NEWER " THEN ?5 ELSE last_run_error END "
	    "WHERE num = ?1",
	[STMT_RUN_ADD] = "INSERT INTO runs (id, job_id, trigger, scheduled_for, created_at, "
	    "status, result, error, job_num, planned_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
	    "ON CONFLICT (job_num, scheduled_for) DO NOTHING",
	/* last_run_at always holds the newest run's time: comparing with it is enough */
	[STMT_JOB_LAST_IF_NEWEST] = "UPDATE jobs SET last_run_at = ?2, last_run_status = ?3, "
	    "last_run_error = ?4 WHERE num = ?1 AND (last_run_at IS NULL OR last_run_at <= ?2)",
	/* both in the order of their partial index: no sort */
	[STMT_PENDING] = "SELECT r.id, r.job_id, r.trigger, r.scheduled_for, j.name, j.bot_type, "
	    "j.bot_config, r.rowid, r.job_num FROM runs r JOIN jobs j ON j.num = r.job_num "
	    "WHERE r.status = 'pending' ORDER BY r.created_at, r.rowid LIMIT ?1",
	/* the RQ job id is the run id: rq_job_id is not stored again, but shown once queued */
	[STMT_RUN_QUEUED] = "UPDATE runs SET status = 'queued', queued_at = ?2, "
	    "rq_queue = ?3, rq_serializer = ?4 WHERE rowid = ?1 AND status = 'pending'",
	/* the job's last_run_status follows its newest run from pending to queued */
	[STMT_JOB_QUEUED] = "UPDATE jobs SET last_run_status = 'queued' "
	    "WHERE num = (SELECT job_num FROM runs WHERE rowid = ?1) "
	    "AND last_run_at = (SELECT scheduled_for FROM runs WHERE rowid = ?1) "
	    "AND last_run_status = 'pending'",
	[STMT_RUN_EXISTS] = "SELECT 1 FROM runs WHERE rowid = ?1",
	[STMT_OPEN] = "SELECT r.id, r.job_id, r.status, r.scheduled_for, r.created_at, "
	    "r.queued_at, r.started_at, j.bot_type, r.rowid, r.job_num, r.rq_queue, "
	    "r.rq_serializer, r.trigger = 'manual' FROM runs r "
	    "JOIN jobs j ON j.num = r.job_num WHERE r.status IN ('queued', 'running') "
	    "AND (r.created_at, r.rowid) > (?1, ?2) ORDER BY r.created_at, r.rowid LIMIT ?3",
	[STMT_RUN_OUTCOME] = "UPDATE runs SET status = ?2, started_at = coalesce(?3, started_at), "
	    "finished_at = ?4, result = ?5, error = ?6, messages_sent = ?7, "
	    "profiles_visited = ?8 WHERE rowid = ?1",
	[STMT_HEARTBEAT_SET] = "INSERT INTO heartbeat (name, at, pid, host, info) "
	    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO UPDATE SET at = excluded.at, "
	    "pid = excluded.pid, host = excluded.host, info = excluded.info",
	[STMT_HEARTBEAT_PRUNE] = "DELETE FROM heartbeat WHERE at < ?1",
	[STMT_PRUNE_AGE] = "DELETE FROM runs WHERE rowid IN (SELECT rowid FROM runs "
	    "WHERE created_at < ?1 AND NOT " RUN_INFLIGHT " LIMIT ?2)",
	[STMT_PRUNE_COUNT] = "DELETE FROM runs WHERE rowid IN (SELECT rowid FROM "
	    "(SELECT rowid, row_number() OVER (PARTITION BY job_num ORDER BY scheduled_for DESC) "
	    "AS n FROM runs WHERE NOT " RUN_INFLIGHT ") WHERE n > ?1 LIMIT ?2)",
	[STMT_SCHEDULED_IDS] = "SELECT id FROM jobs WHERE next_run_at IS NOT NULL",
	[STMT_USER_INSERT] = "INSERT INTO users (name, hash, created_at) VALUES (?1, ?2, ?3)",
	[STMT_USER_UPDATE] = "UPDATE users SET hash = ?2 WHERE name = ?1",
	[STMT_USER_HASH] = "SELECT hash FROM users WHERE name = ?1",
	[STMT_USER_DELETE] = "DELETE FROM users WHERE name = ?1",
	[STMT_USER_ALL] = "SELECT name, created_at FROM users ORDER BY name",
	[STMT_SESSION_INSERT] = "INSERT INTO sessions (id_hash, user, csrf, created_at, "
	    "expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_SESSION_GET] = "SELECT user, csrf FROM sessions WHERE id_hash = ?1 "
	    "AND expires_at > ?2",
	[STMT_SESSION_DELETE] = "DELETE FROM sessions WHERE id_hash = ?1",
	[STMT_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user = ?1",
	[STMT_SESSION_PRUNE] = "DELETE FROM sessions WHERE expires_at <= ?1",
	[STMT_SESSION_OF_USER] = "SELECT csrf FROM sessions WHERE user = ?1 AND expires_at > ?2 "
	    "ORDER BY expires_at DESC LIMIT 1",
	/* an attempt after the window began starts a new one */
	[STMT_FAILURES_ADD] = "INSERT INTO login_failures (key, count, first_at) "
	    "VALUES (?1, 1, ?2) ON CONFLICT (key) DO UPDATE SET "
	    "count = CASE WHEN first_at >= ?3 THEN count + 1 ELSE 1 END, "
	    "first_at = CASE WHEN first_at >= ?3 THEN first_at ELSE ?2 END RETURNING count",
	[STMT_FAILURES_UNDO] = "UPDATE login_failures SET count = count - 1 WHERE key = ?1 "
	    "AND count > 0",
	[STMT_FAILURES_CLEAR] = "DELETE FROM login_failures WHERE key = ?1",
	/* "user:NAME" and every "pair:NAME ADDRESS" (no LIKE: '_' is in names) */
	[STMT_FAILURES_CLEAR_USER] = "DELETE FROM login_failures WHERE key = 'user:' || ?1 "
	    "OR substr(key, 1, length(?1) + 6) = 'pair:' || ?1 || ' '",
	[STMT_FAILURES_PRUNE] = "DELETE FROM login_failures WHERE first_at < ?1",
};

struct db {
	sqlite3		*h;
	sqlite3_stmt	*s[STMT__MAX];
	char		*path;
	int		 busy_timeout_ms;
	struct timespec	 busy_since;	/* when the current wait began */
	uint32_t	 jitter;	/* spreads the waits of several processes */
};

/*
 * Prepares statement i on its first use: a program answers one request with a few of them,
 * and a plain-CGI program lives for one request. Returns SQLITE_OK or the error (logged).
 */
static int
ready(struct db *db, enum stmt i)
{
	int	 rc;

	if (db->s[i] != NULL)
		return SQLITE_OK;
	rc = sqlite3_prepare_v3(db->h, stmts[i], -1, SQLITE_PREPARE_PERSISTENT, &db->s[i],
	    NULL);
	if (rc != SQLITE_OK) {
		log_warnx("cannot prepare '%s' on '%s': %s", stmts[i], db->path,
		    sqlite3_errmsg(db->h));
		sqlite3_finalize(db->s[i]);
		db->s[i] = NULL;
	}
	return rc;
}

/* Steps statement i. Returns SQLITE_ROW, SQLITE_DONE, or the error (logged once). */
static int
db_step(struct db *db, enum stmt i)
{
	int	 rc;

	if ((rc = ready(db, i)) != SQLITE_OK)
		return rc;
	if ((rc = sqlite3_step(db->s[i])) != SQLITE_ROW && rc != SQLITE_DONE && rc != SQLITE_CONSTRAINT)
		log_warnx("%s: '%s' on '%s': %s", __func__, stmts[i], db->path,
		    sqlite3_errmsg(db->h));
	return rc;
}

static enum db_res
res_of(int rc)
{
	switch (rc) {
	case SQLITE_ROW:
	case SQLITE_DONE:
		return DB_OK;
	case SQLITE_CONSTRAINT:
		return DB_CONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	default:
		return DB_ERR;
	}
}

static sqlite3_stmt *
prep(struct db *db, enum stmt i)
{
	if (ready(db, i) == SQLITE_OK) {
		sqlite3_reset(db->s[i]);
		sqlite3_clear_bindings(db->s[i]);
	}
	return db->s[i];
}

/* What run_stmt makes of a statement that changed no row. */
enum unchanged {
	UNCHANGED_OK,
	UNCHANGED_NOTFOUND,	/* the row to change is not there */
	UNCHANGED_CONFLICT	/* ON CONFLICT DO NOTHING did nothing */
};

/* Steps statement i, bound by the caller, which returns no row, and resets it. */
static enum db_res
run_stmt(struct db *db, enum stmt i, enum unchanged unchanged)
{
	int	 rc = db_step(db, i);

	sqlite3_reset(db->s[i]);
	if (rc == SQLITE_DONE && unchanged != UNCHANGED_OK && sqlite3_changes(db->h) == 0)
		return unchanged == UNCHANGED_NOTFOUND ? DB_NOTFOUND : DB_CONFLICT;
	return res_of(rc);
}

static void
bind_text(sqlite3_stmt *s, int col, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, col);
	else
		sqlite3_bind_text(s, col, v, -1, SQLITE_TRANSIENT);
}

static void
bind_time(sqlite3_stmt *s, int col, int64_t v)
{
	if (v == TIME_NONE)
		sqlite3_bind_null(s, col);
	else
		sqlite3_bind_int64(s, col, v);
}

/* A text column (borrowed: valid until the statement steps or resets), or NULL. */
static const char *
col_str(sqlite3_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s, col);
}

static char *
col_text(sqlite3_stmt *s, int col)
{
	const unsigned char	*t = sqlite3_column_text(s, col);

	return t ? xstrdup((const char *)t) : NULL;
}

static int64_t
col_time(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL ? TIME_NONE :
	    sqlite3_column_int64(s, col);
}

static enum db_res	scalar(struct db *, enum stmt, int64_t *);

/* Binds a job filter as ?1, ?2, ?5, ?6 (and ?3, ?4: the page) of JOB_FILTER statements. */
static void
bind_filter(sqlite3_stmt *s, const struct job_filter *f)
{
	sqlite3_bind_int(s, 1, f->enabled);
	if (f->bot_type)
		sqlite3_bind_text(s, 2, f->bot_type, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, 2);
	/* the count statement has no ?3 and ?4: binding them there is a harmless error */
	sqlite3_bind_int64(s, 3, f->limit);
	sqlite3_bind_int64(s, 4, f->offset);
	if (f->name_like)
		sqlite3_bind_text(s, 5, f->name_like, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, 5);
	if (f->last_status)
		sqlite3_bind_text(s, 6, f->last_status, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, 6);
}

static enum db_res
tx(struct db *db, enum stmt i)
{
	prep(db, i);
	return run_stmt(db, i, UNCHANGED_OK);
}

static void
rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		tx(db, STMT_ROLLBACK);
}

enum db_res
db_begin(struct db *db)
{
	return tx(db, STMT_BEGIN);
}

enum db_res
db_commit(struct db *db)
{
	enum db_res	 r = tx(db, STMT_COMMIT);

	if (r != DB_OK)
		rollback(db);
	return r;
}

void
db_rollback(struct db *db)
{
	rollback(db);
}

/* Opening */

/*
 * Waiting for another process's write lock. SQLite's own handler sleeps 1, 2, 5, 10 ... up
 * to 100 ms between tries, so a writer that just missed a short transaction (ours last
 * well under a millisecond) waits far longer than needed. Retry every 0.25 to 2 ms,
 * spread at random so waiters do not wake together, until the timeout.
 */
static int
busy_wait(void *arg, int tries)
{
	struct db	*db = arg;
	struct timespec	 now, ts;
	int64_t		 waited_us;
	long		 us;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (tries == 0)
		db->busy_since = now;
	waited_us = (int64_t)(now.tv_sec - db->busy_since.tv_sec) * 1000000 +
	    (now.tv_nsec - db->busy_since.tv_nsec) / 1000;
	if (waited_us >= (int64_t)db->busy_timeout_ms * 1000)
		return 0;
	db->jitter = db->jitter * 1103515245u + 12345u;
	us = 250 + (tries < 8 ? tries : 8) * 200 + (long)(db->jitter >> 24);
	ts.tv_sec = 0;
	ts.tv_nsec = us * 1000;
	nanosleep(&ts, NULL);
	return 1;
}

static int
exec(struct db *db, const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_warnx("%s: '%s': %s", __func__, db->path, err ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

void
db_cache_size(struct db *db, int kib)
{
	char	 sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", kib);
	exec(db, sql);
}

int
db_schema_version(struct db *db)
{
	sqlite3_stmt	*s;
	int		 v = -1;

	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/*
 * Upgrade steps. upgrade_pre[v] and upgrade_post[v] bring a database from version v - 1
 * to v around a run of lib/schema.sql (the whole current schema, all "IF NOT EXISTS"):
 * a step that rebuilds a table renames the old one away first, then copies its rows over.
 */
static const char *const upgrade_pre[DB_SCHEMA_VERSION + 1] = {
	/* 2: jobs get an integer key, runs refer to it; new indexes for schedd */
	[2] = "DROP INDEX jobs_due; DROP INDEX jobs_order; DROP INDEX runs_history; "
	    "DROP INDEX runs_open; ALTER TABLE runs RENAME TO runs_v1; "
	    "ALTER TABLE jobs RENAME TO jobs_v1;",
	/*
	 * 8: jobs take the date schedule type (a CHECK: the table is rebuilt, and runs keep
	 * referring to it by name: migrate() turns foreign keys off and renames the legacy
	 * way), with the guardrails' columns (upgrade_columns, as runs' planned_at)
	 */
	[8] = "DROP TRIGGER jobs_generation_insert; DROP TRIGGER jobs_generation_update; "
	    "DROP TRIGGER jobs_generation_delete; DROP INDEX jobs_due; DROP INDEX jobs_order; "
	    "ALTER TABLE jobs RENAME TO jobs_v7;",
};

/*
 * Columns a step adds, before its upgrade_pre, to a table an earlier step may have made
 * with them already (the whole current schema): "table column decl".
 */
static const char *const upgrade_columns[DB_SCHEMA_VERSION + 1][7] = {
	[8] = { "runs planned_at INTEGER", "jobs active_windows TEXT",
	    "jobs jitter_seconds INTEGER NOT NULL DEFAULT 0", "jobs next_scheduled_for INTEGER",
	    NULL },
	/* 9: pauses (and the pauses table, from the schema) */
	[9] = { "jobs pause_after_failures INTEGER NOT NULL DEFAULT 3",
	    "jobs paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1))",
	    "jobs paused_reason TEXT", "jobs paused_at INTEGER", "jobs paused_until INTEGER",
	    "jobs failures_in_row INTEGER NOT NULL DEFAULT 0", NULL },
};
static const char *const upgrade_post[DB_SCHEMA_VERSION + 1] = {
	[2] = "INSERT INTO jobs (num, id, name, description, bot_type, enabled, schedule_type, "
	    "schedule_config, schedule_anchor, bot_config, timezone, created_at, updated_at, "
	    "created_by, next_run_at, last_run_at, last_run_status, last_run_error, "
	    "max_instances, misfire_grace_time, coalesce) SELECT rowid, id, name, description, "
	    "bot_type, enabled, schedule_type, schedule_config, schedule_anchor, bot_config, "
	    "timezone, created_at, updated_at, created_by, next_run_at, last_run_at, "
	    "last_run_status, last_run_error, max_instances, misfire_grace_time, coalesce "
	    "FROM jobs_v1; "
	    "INSERT INTO runs (id, job_num, job_id, trigger, scheduled_for, created_at, "
	    "queued_at, started_at, finished_at, status, result, error, messages_sent, "
	    "profiles_visited) SELECT r.id, j.num, r.job_id, r.trigger, "
	    "r.scheduled_for, r.created_at, r.queued_at, r.started_at, r.finished_at, r.status, "
	    "r.result, r.error, r.messages_sent, r.profiles_visited "
	    "FROM runs_v1 r JOIN jobs j ON j.id = r.job_id; "
	    "DROP TABLE runs_v1; DROP TABLE jobs_v1;",
	/*
	 * 4: the run totals start from the history kept (counted afresh: the triggers, made
	 * by an earlier step's run of the schema, may have counted copied rows already)
	 */
	[4] = "DELETE FROM run_totals; INSERT INTO run_totals (status, n) "
	    "SELECT status, count(*) FROM runs WHERE status IN "
	    "('success', 'failed', 'missed', 'skipped', 'cancelled') GROUP BY status;",
	[8] = "INSERT INTO jobs (num, id, name, description, bot_type, enabled, schedule_type, "
	    "schedule_config, schedule_anchor, bot_config, timezone, created_at, updated_at, "
	    "created_by, next_run_at, last_run_at, last_run_status, last_run_error, "
	    "max_instances, misfire_grace_time, coalesce, active_windows, jitter_seconds, "
	    "next_scheduled_for) SELECT num, id, name, description, bot_type, enabled, "
	    "schedule_type, schedule_config, schedule_anchor, bot_config, timezone, created_at, "
	    "updated_at, created_by, next_run_at, last_run_at, last_run_status, "
	    "last_run_error, max_instances, misfire_grace_time, coalesce, active_windows, "
	    "jitter_seconds, coalesce(next_scheduled_for, next_run_at) FROM jobs_v7; "
	    "DROP TABLE jobs_v7;",
};

/* Adds a column ("table column decl") unless the table has it. Returns 0 or -1. */
static int
add_column(struct db *db, const char *spec)
{
	char		 table[32], column[32], sql[160];
	sqlite3_stmt	*s;
	int		 has;

	if (sscanf(spec, "%31s %31s", table, column) != 2)
		return -1;
	snprintf(sql, sizeof(sql), "SELECT 1 FROM pragma_table_info('%s') WHERE name = '%s'",
	    table, column);
	if (sqlite3_prepare_v2(db->h, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	has = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	if (has)
		return 0;
	snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN %s", table, spec + strlen(table) + 1);
	return exec(db, sql);
}

/*
 * Brings the schema to DB_SCHEMA_VERSION in one transaction: the whole schema on an empty
 * database, else each upgrade step in turn. A database already current costs one read.
 */
static int
migrate(struct db *db)
{
	char	 sql[64];
	int	 v, i;

	if (db_schema_version(db) == DB_SCHEMA_VERSION)
		return 0;
	/* a rebuilt table keeps the rows that refer to it (step 8); both are per connection */
	if (exec(db, "PRAGMA foreign_keys = OFF") == -1 ||
	    exec(db, "PRAGMA legacy_alter_table = ON") == -1 ||
	    exec(db, "BEGIN IMMEDIATE") == -1)
		return -1;
	if ((v = db_schema_version(db)) < 0)
		goto fail;
	if (v > DB_SCHEMA_VERSION) {
		log_warnx("database '%s' has schema version %d, newer than this build's %d: "
		    "upgrade autosched", db->path, v, DB_SCHEMA_VERSION);
		goto fail;
	}
	if (v == 0) {
		if (exec(db, schema_sql) == -1)
			goto fail;
	} else
		for (v++; v <= DB_SCHEMA_VERSION; v++) {
			for (i = 0; upgrade_columns[v][i] != NULL; i++)
				if (add_column(db, upgrade_columns[v][i]) == -1)
					goto fail;
			if ((upgrade_pre[v] && exec(db, upgrade_pre[v]) == -1) ||
			    exec(db, schema_sql) == -1 ||
			    (upgrade_post[v] && exec(db, upgrade_post[v]) == -1))
				goto fail;
			log_info("database '%s': schema upgraded to version %d", db->path, v);
		}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", DB_SCHEMA_VERSION);
	if (exec(db, sql) == -1 || exec(db, "COMMIT") == -1)
		goto fail;
	exec(db, "PRAGMA legacy_alter_table = OFF");
	return 0;
fail:
	exec(db, "ROLLBACK");
	exec(db, "PRAGMA legacy_alter_table = OFF");
	return -1;
}

struct db *
db_open(const char *path, int create, int busy_timeout_ms)
{
	struct db	*db = xcalloc(1, sizeof(*db));
	int		 flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	static int	 configured;

	/*
	 * Memory statistics take a global mutex on every allocation; nothing reads them.
	 * (Only possible before SQLite initialises: the first open.)
	 */
	if (!configured) {
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		configured = 1;
	}

	db->path = xstrdup(path);
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		log_warnx("cannot open database '%s': %s", path,
		    db->h ? sqlite3_errmsg(db->h) : "out of memory");
		goto fail;
	}
	db->busy_timeout_ms = busy_timeout_ms;
	util_random_bytes(&db->jitter, sizeof(db->jitter));
	sqlite3_busy_handler(db->h, busy_wait, db);
	sqlite3_extended_result_codes(db->h, 0);
	if (exec(db, "PRAGMA journal_mode = WAL") == -1 ||
	    exec(db, "PRAGMA synchronous = FULL") == -1 ||
	    migrate(db) == -1 || exec(db, "PRAGMA foreign_keys = ON") == -1)
		goto fail;
	return db;
fail:
	db_close(db);
	return NULL;
}

int
db_prepare_all(struct db *db)
{
	int	 i, rc = 0;

	for (i = 0; i < STMT__MAX; i++)
		if (ready(db, i) != SQLITE_OK)
			rc = -1;
	return rc;
}

void
db_close(struct db *db)
{
	int	 i;

	if (db == NULL)
		return;
	for (i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(db->s[i]);
	sqlite3_close(db->h);
	free(db->path);
	free(db);
}

/* Backups */

/* Runs one statement on a connection of its own, ignoring rows. Returns 0, or -1 (logged). */
static int
exec_on(sqlite3 *h, const char *path, const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_warnx("%s: '%s' on '%s': %s", __func__, sql, path, err ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/*
 * The copy is one snapshot of the source. In WAL mode (which db_open sets) a read transaction
 * held on the source across every step pins that snapshot, and readers never block writers, so
 * schedd and the web tier go on writing while the pages are copied; without it, a write from
 * another process between two steps would restart the copy from the first page, over and over
 * under a steady writer. A database in a rollback-journal mode cannot be read while it is
 * written, so there each step holds the read lock only briefly, the copy pauses between steps
 * to let writers in, and after a restart the steps grow so that the copy still ends.
 */
enum db_res
db_backup(const char *src, const char *dest, int busy_timeout_ms, int step,
    struct db_backup_info *info, struct buf *check)
{
	sqlite3		*sh = NULL, *dh = NULL;
	sqlite3_backup	*b = NULL;
	sqlite3_stmt	*s = NULL;
	struct timespec	 since, now;
	enum db_res	 r = DB_ERR;
	const char	*mode;
	int		 rc, wal = 0, remaining = -1, busy = 0;

	memset(info, 0, sizeof(*info));
	if (step < 1)
		step = 1;
	if (sqlite3_open_v2(src, &sh, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		log_warnx("%s: cannot open database '%s': %s", __func__, src,
		    sh ? sqlite3_errmsg(sh) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(sh, busy_timeout_ms);
	if (sqlite3_prepare_v2(sh, "PRAGMA journal_mode", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		log_warnx("%s: cannot read '%s': %s", __func__, src, sqlite3_errmsg(sh));
		r = res_of(sqlite3_errcode(sh)) == DB_BUSY ? DB_BUSY : DB_ERR;
		goto out;
	}
	mode = (const char *)sqlite3_column_text(s, 0);
	wal = mode != NULL && strcmp(mode, "wal") == 0;
	sqlite3_finalize(s);
	s = NULL;
	/* the read transaction begins with the first read: BEGIN alone takes no snapshot */
	if (wal && (exec_on(sh, src, "BEGIN") == -1 ||
	    exec_on(sh, src, "SELECT count(*) FROM sqlite_schema") == -1))
		goto out;

	if (sqlite3_open_v2(dest, &dh, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		log_warnx("%s: cannot create '%s': %s", __func__, dest,
		    dh ? sqlite3_errmsg(dh) : "out of memory");
		goto out;
	}
	if ((b = sqlite3_backup_init(dh, "main", sh, "main")) == NULL) {
		log_warnx("%s: cannot back up '%s' to '%s': %s", __func__, src, dest,
		    sqlite3_errmsg(dh));
		goto out;
	}
	for (;;) {
		rc = sqlite3_backup_step(b, step);
		if (rc == SQLITE_DONE)
			break;
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			/* a writer holds the source (rollback mode): wait, up to the timeout */
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (!busy) {
				since = now;
				busy = 1;
			} else if ((int64_t)(now.tv_sec - since.tv_sec) * 1000 +
			    (now.tv_nsec - since.tv_nsec) / 1000000 >= busy_timeout_ms) {
				log_warnx("%s: '%s' stayed locked for %d ms", __func__, src,
				    busy_timeout_ms);
				r = DB_BUSY;
				goto out;
			}
			sqlite3_sleep(5);
			continue;
		}
		if (rc != SQLITE_OK) {
			log_warnx("%s: cannot back up '%s' to '%s': %s", __func__, src, dest,
			    sqlite3_errstr(rc));
			goto out;
		}
		busy = 0;
		info->steps++;
		if (remaining >= 0 && sqlite3_backup_remaining(b) > remaining) {
			info->restarts++;
			if (step < (1 << 20))
				step *= 2;
		}
		remaining = sqlite3_backup_remaining(b);
		if (!wal)
			sqlite3_sleep(2);
	}
	info->steps++;
	info->pages = sqlite3_backup_pagecount(b);
	rc = sqlite3_backup_finish(b);
	b = NULL;
	if (rc != SQLITE_OK) {
		log_warnx("%s: cannot finish the backup to '%s': %s", __func__, dest,
		    sqlite3_errstr(rc));
		goto out;
	}
	if (wal)
		exec_on(sh, src, "COMMIT");
	sqlite3_close(sh);
	sh = NULL;

	/*
	 * The copy says WAL in its header, as the source did: make it one self-contained file
	 * (rollback journal), which opens anywhere, even read-only; db_open turns WAL on again.
	 */
	if (exec_on(dh, dest, "PRAGMA journal_mode = DELETE") == -1)
		goto out;
	if (sqlite3_prepare_v2(dh, "PRAGMA page_size", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		info->page_size = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(dh, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK) {
		log_warnx("%s: cannot check '%s': %s", __func__, dest, sqlite3_errmsg(dh));
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		buf_addf(check, "%s%s", check->len ? "\n" : "",
		    (const char *)sqlite3_column_text(s, 0));
	if (rc != SQLITE_DONE) {
		log_warnx("%s: cannot check '%s': %s", __func__, dest, sqlite3_errmsg(dh));
		goto out;
	}
	r = DB_OK;
out:
	sqlite3_finalize(s);
	if (b != NULL)
		sqlite3_backup_finish(b);
	if (sh != NULL && !sqlite3_get_autocommit(sh))
		sqlite3_exec(sh, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(sh);
	if (dh != NULL && sqlite3_close(dh) != SQLITE_OK && r == DB_OK) {
		log_warnx("%s: cannot close '%s'", __func__, dest);
		r = DB_ERR;
	}
	return r;
}

/*
 * Steps statement i (bound by the caller) to its end, decoding each row into a growing
 * array of `size`-byte elements with `row`; on failure, what was decoded goes through
 * `release` (may be NULL). On DB_OK, *out is a new array of *n elements.
 */
static enum db_res
collect(struct db *db, enum stmt i, size_t size, void (*row)(sqlite3_stmt *, void *),
    void (*release)(void *), void **out, size_t *n)
{
	char	*v = NULL;
	size_t	 cnt = 0, alloc = 0;
	int	 rc;

	while ((rc = db_step(db, i)) == SQLITE_ROW) {
		if (cnt == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			v = xrealloc(v, alloc * size);
		}
		memset(v + cnt * size, 0, size);
		row(db->s[i], v + cnt++ * size);
	}
	sqlite3_reset(db->s[i]);
	if (rc != SQLITE_DONE) {
		while (release && cnt > 0)
			release(v + --cnt * size);
		free(v);
		return res_of(rc);
	}
	*out = v;
	*n = cnt;
	return DB_OK;
}

static void
job_free_row(void *p)
{
	job_release(p);
}

/* Jobs */

/* Decodes a row of JOB_COLUMNS into a job (a collect() row decoder). */
static void
job_row(sqlite3_stmt *s, void *p)
{
	struct job	*j = p;
	const char	*t;
	int		 type;

	memset(j, 0, sizeof(*j));
	snprintf(j->id, sizeof(j->id), "%s", col_str(s, JC_ID));
	j->name = col_text(s, JC_NAME);
	j->description = col_text(s, JC_DESCRIPTION);
	j->bot_type = col_text(s, JC_BOT_TYPE);
	j->enabled = sqlite3_column_int(s, JC_ENABLED);
	t = col_str(s, JC_SCHEDULE_TYPE);
	type = sched_type_from_name(t ? t : "");
	j->schedule_type = type < 0 ? SCHED_MANUAL : (enum sched_type)type;
	j->schedule_config = col_text(s, JC_SCHEDULE_CONFIG);
	j->schedule_anchor = sqlite3_column_int64(s, JC_SCHEDULE_ANCHOR);
	j->bot_config = col_text(s, JC_BOT_CONFIG);
	j->timezone = col_text(s, JC_TIMEZONE);
	j->created_at = sqlite3_column_int64(s, JC_CREATED_AT);
	j->updated_at = sqlite3_column_int64(s, JC_UPDATED_AT);
	j->created_by = col_text(s, JC_CREATED_BY);
	j->next_run_at = col_time(s, JC_NEXT_RUN_AT);
	j->last_run_at = col_time(s, JC_LAST_RUN_AT);
	j->last_run_status = col_text(s, JC_LAST_RUN_STATUS);
	j->last_run_error = col_text(s, JC_LAST_RUN_ERROR);
	j->max_instances = sqlite3_column_int(s, JC_MAX_INSTANCES);
	j->misfire_grace_time = sqlite3_column_int(s, JC_MISFIRE_GRACE_TIME);
	j->coalesce = sqlite3_column_int(s, JC_COALESCE);
	j->active_windows = col_text(s, JC_ACTIVE_WINDOWS);
	j->jitter_seconds = sqlite3_column_int(s, JC_JITTER_SECONDS);
	j->next_scheduled_for = col_time(s, JC_NEXT_SCHEDULED_FOR);
	j->pause_after_failures = sqlite3_column_int(s, JC_PAUSE_AFTER_FAILURES);
	j->paused = sqlite3_column_int(s, JC_PAUSED);
	j->paused_reason = col_text(s, JC_PAUSED_REASON);
	j->paused_at = col_time(s, JC_PAUSED_AT);
	j->paused_until = col_time(s, JC_PAUSED_UNTIL);
	j->failures_in_row = sqlite3_column_int(s, JC_FAILURES_IN_ROW);
	j->num = sqlite3_column_int64(s, JC_NUM);
}

/* Binds every column of j but num as ?JP(JC_ID) .. ?JP(JC_FAILURES_IN_ROW). */
static void
bind_job(sqlite3_stmt *s, const struct job *j)
{
	bind_text(s, JP(JC_ID), j->id);
	bind_text(s, JP(JC_NAME), j->name);
	bind_text(s, JP(JC_DESCRIPTION), j->description);
	bind_text(s, JP(JC_BOT_TYPE), j->bot_type);
	sqlite3_bind_int(s, JP(JC_ENABLED), j->enabled);
	bind_text(s, JP(JC_SCHEDULE_TYPE), sched_type_name(j->schedule_type));
	bind_text(s, JP(JC_SCHEDULE_CONFIG), j->schedule_config);
	sqlite3_bind_int64(s, JP(JC_SCHEDULE_ANCHOR), j->schedule_anchor);
	bind_text(s, JP(JC_BOT_CONFIG), j->bot_config);
	bind_text(s, JP(JC_TIMEZONE), j->timezone);
	sqlite3_bind_int64(s, JP(JC_CREATED_AT), j->created_at);
	sqlite3_bind_int64(s, JP(JC_UPDATED_AT), j->updated_at);
	bind_text(s, JP(JC_CREATED_BY), j->created_by);
	bind_time(s, JP(JC_NEXT_RUN_AT), j->next_run_at);
	bind_time(s, JP(JC_LAST_RUN_AT), j->last_run_at);
	bind_text(s, JP(JC_LAST_RUN_STATUS), j->last_run_status);
	bind_text(s, JP(JC_LAST_RUN_ERROR), j->last_run_error);
	sqlite3_bind_int(s, JP(JC_MAX_INSTANCES), j->max_instances);
	sqlite3_bind_int(s, JP(JC_MISFIRE_GRACE_TIME), j->misfire_grace_time);
	sqlite3_bind_int(s, JP(JC_COALESCE), j->coalesce);
	bind_text(s, JP(JC_ACTIVE_WINDOWS), j->active_windows);
	sqlite3_bind_int(s, JP(JC_JITTER_SECONDS), j->jitter_seconds);
	bind_time(s, JP(JC_NEXT_SCHEDULED_FOR), j->next_scheduled_for);
	sqlite3_bind_int(s, JP(JC_PAUSE_AFTER_FAILURES), j->pause_after_failures);
	sqlite3_bind_int(s, JP(JC_PAUSED), j->paused);
	bind_text(s, JP(JC_PAUSED_REASON), j->paused_reason);
	bind_time(s, JP(JC_PAUSED_AT), j->paused_at);
	bind_time(s, JP(JC_PAUSED_UNTIL), j->paused_until);
	sqlite3_bind_int(s, JP(JC_FAILURES_IN_ROW), j->failures_in_row);
}

enum db_res
db_job_insert(struct db *db, const struct job *j)
{
	sqlite3_stmt	*s = prep(db, STMT_JOB_INSERT);

	bind_job(s, j);
	return run_stmt(db, STMT_JOB_INSERT, UNCHANGED_OK);
}

enum db_res
db_job_get(struct db *db, const char *id, struct job *out)
{
	sqlite3_stmt	*s = prep(db, STMT_JOB_GET);
	enum db_res	 r;
	int		 rc;

	bind_text(s, 1, id);
	rc = db_step(db, STMT_JOB_GET);
	if (rc == SQLITE_ROW) {
		job_row(s, out);
		r = DB_OK;
	} else
		r = rc == SQLITE_DONE ? DB_NOTFOUND : res_of(rc);
	sqlite3_reset(s);
	return r;
}

enum db_res
db_job_update(struct db *db, const struct job *j)
{
	sqlite3_stmt	*s = prep(db, STMT_JOB_UPDATE);

	bind_job(s, j);
	return run_stmt(db, STMT_JOB_UPDATE, UNCHANGED_NOTFOUND);
}

enum db_res
db_job_delete(struct db *db, const char *id, int64_t now)
{
	sqlite3_stmt	*s = prep(db, STMT_JOB_WITHDRAW);
	enum db_res	 r;

	bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	if ((r = run_stmt(db, STMT_JOB_WITHDRAW, UNCHANGED_OK)) != DB_OK)
		return r;
	bind_text(prep(db, STMT_JOB_DELETE), 1, id);
	return run_stmt(db, STMT_JOB_DELETE, UNCHANGED_NOTFOUND);
}

enum db_res
db_job_list(struct db *db, const struct job_filter *f, struct job **out, size_t *n,
    int64_t *total)
{
	enum db_res	 r;

	*out = NULL;
	*n = 0;
	/* One read transaction, so the count and the page agree. */
	if ((r = tx(db, STMT_BEGIN_READ)) != DB_OK)
		return r;
	bind_filter(prep(db, STMT_JOB_COUNT), f);
	if ((r = scalar(db, STMT_JOB_COUNT, total)) == DB_OK) {
		bind_filter(prep(db, STMT_JOB_LIST), f);
		r = collect(db, STMT_JOB_LIST, sizeof(**out), job_row, job_free_row,
		    (void **)out, n);
	}
	if (r == DB_OK)
		tx(db, STMT_COMMIT);
	else
		rollback(db);
	return r;
}

/* Documents: rows as the API shows them (SPEC §2), written straight from the columns */

/* Stored JSON text (written by jansson): copied as it is; NULL or not an object: {}. */
static void
raw_object(struct buf *b, const char *text)
{
	if (text == NULL || *text != '{')
		buf_add(b, "{}", 2);
	else
		buf_addstr(b, text);
}

static void
bool_json(struct buf *b, int v)
{
	buf_addstr(b, v ? "true" : "false");
}

/* Appends the job in the current row of s (JOB_COLUMNS order). */
static void
job_row_json(sqlite3_stmt *s, struct buf *b, struct buf *words)
{
	const char	*type = col_str(s, JC_SCHEDULE_TYPE), *config = col_str(s,
			    JC_SCHEDULE_CONFIG);

	buf_addch(b, '{');
	jsonw_key(b, "id", 1);
	jsonw_str(b, col_str(s, JC_ID));
	jsonw_key(b, "name", 0);
	jsonw_str(b, col_str(s, JC_NAME));
	jsonw_key(b, "description", 0);
	jsonw_str(b, col_str(s, JC_DESCRIPTION));
	jsonw_key(b, "bot_type", 0);
	jsonw_str(b, col_str(s, JC_BOT_TYPE));
	jsonw_key(b, "enabled", 0);
	bool_json(b, sqlite3_column_int(s, JC_ENABLED));
	jsonw_key(b, "schedule_type", 0);
	jsonw_str(b, type);
	jsonw_key(b, "schedule_config", 0);
	raw_object(b, config);
	jsonw_key(b, "schedule_description", 0);
	buf_reset(words);
	if (type && config && sched_words(type, config, words) == 0) {
		plan_words_extra(col_str(s, JC_ACTIVE_WINDOWS),
		    sqlite3_column_int64(s, JC_JITTER_SECONDS), words);
		jsonw_str(b, words->data);
	} else
		jsonw_str(b, NULL);
	jsonw_key(b, "bot_config", 0);
	raw_object(b, col_str(s, JC_BOT_CONFIG));
	jsonw_key(b, "timezone", 0);
	jsonw_str(b, col_str(s, JC_TIMEZONE));
	jsonw_key(b, "created_at", 0);
	jsonw_time(b, col_time(s, JC_CREATED_AT));
	jsonw_key(b, "updated_at", 0);
	jsonw_time(b, col_time(s, JC_UPDATED_AT));
	jsonw_key(b, "created_by", 0);
	jsonw_str(b, col_str(s, JC_CREATED_BY));
	jsonw_key(b, "last_run_at", 0);
	jsonw_time(b, col_time(s, JC_LAST_RUN_AT));
	jsonw_key(b, "last_run_status", 0);
	jsonw_str(b, col_str(s, JC_LAST_RUN_STATUS));
	jsonw_key(b, "last_run_error", 0);
	jsonw_str(b, col_str(s, JC_LAST_RUN_ERROR));
	jsonw_key(b, "next_run_at", 0);
	jsonw_time(b, col_time(s, JC_NEXT_RUN_AT));
	jsonw_key(b, "max_instances", 0);
	jsonw_int(b, sqlite3_column_int64(s, JC_MAX_INSTANCES));
	jsonw_key(b, "misfire_grace_time", 0);
	jsonw_int(b, sqlite3_column_int64(s, JC_MISFIRE_GRACE_TIME));
	jsonw_key(b, "coalesce", 0);
	bool_json(b, sqlite3_column_int(s, JC_COALESCE));
	jsonw_key(b, "active_windows", 0);
	if (col_str(s, JC_ACTIVE_WINDOWS) && jsonw_valid(col_str(s, JC_ACTIVE_WINDOWS)))
		buf_addstr(b, col_str(s, JC_ACTIVE_WINDOWS));
	else
		buf_addstr(b, "null");
	jsonw_key(b, "jitter_seconds", 0);
	jsonw_int(b, sqlite3_column_int64(s, JC_JITTER_SECONDS));
	jsonw_key(b, "next_scheduled_for", 0);
	jsonw_time(b, col_time(s, JC_NEXT_SCHEDULED_FOR));
	jsonw_key(b, "pause_after_failures", 0);
	jsonw_int(b, sqlite3_column_int64(s, JC_PAUSE_AFTER_FAILURES));
	jsonw_key(b, "paused", 0);
	bool_json(b, sqlite3_column_int(s, JC_PAUSED));
	jsonw_key(b, "paused_reason", 0);
	jsonw_str(b, col_str(s, JC_PAUSED_REASON));
	jsonw_key(b, "paused_at", 0);
	jsonw_time(b, col_time(s, JC_PAUSED_AT));
	jsonw_key(b, "paused_until", 0);
	jsonw_time(b, col_time(s, JC_PAUSED_UNTIL));
	jsonw_key(b, "consecutive_failures", 0);
	jsonw_int(b, sqlite3_column_int64(s, JC_FAILURES_IN_ROW));
	buf_addch(b, '}');
}

/* A counter of a run: 0 when the bot did not report it (an integer in every run, SPEC §2). */
static void
count_json(struct buf *b, sqlite3_stmt *s, int col)
{
	jsonw_int(b, sqlite3_column_int64(s, col));
}

/* Appends the run in the current row of s (RUN_COLUMNS order). */
static void
run_row_json(sqlite3_stmt *s, struct buf *b)
{
	const char	*result = col_str(s, RC_RESULT);

	buf_addch(b, '{');
	jsonw_key(b, "id", 1);
	jsonw_str(b, col_str(s, RC_ID));
	jsonw_key(b, "job_id", 0);
	jsonw_str(b, col_str(s, RC_JOB_ID));
	jsonw_key(b, "trigger", 0);
	jsonw_str(b, col_str(s, RC_TRIGGER));
	jsonw_key(b, "scheduled_for", 0);
	jsonw_time(b, col_time(s, RC_SCHEDULED_FOR));
	jsonw_key(b, "created_at", 0);
	jsonw_time(b, col_time(s, RC_CREATED_AT));
	jsonw_key(b, "queued_at", 0);
	jsonw_time(b, col_time(s, RC_QUEUED_AT));
	jsonw_key(b, "started_at", 0);
	jsonw_time(b, col_time(s, RC_STARTED_AT));
	jsonw_key(b, "finished_at", 0);
	jsonw_time(b, col_time(s, RC_FINISHED_AT));
	jsonw_key(b, "status", 0);
	jsonw_str(b, col_str(s, RC_STATUS));
	jsonw_key(b, "result", 0);
	/* schedd stores results as JSON it has checked; anything else is shown as text */
	if (result == NULL)
		buf_addstr(b, "null");
	else if (jsonw_valid(result))
		buf_addstr(b, result);
	else
		jsonw_str(b, result);
	jsonw_key(b, "error", 0);
	jsonw_str(b, col_str(s, RC_ERROR));
	jsonw_key(b, "messages_sent", 0);
	count_json(b, s, RC_MESSAGES_SENT);
	jsonw_key(b, "profiles_visited", 0);
	count_json(b, s, RC_PROFILES_VISITED);
	jsonw_key(b, "rq_job_id", 0);
	jsonw_str(b, col_str(s, RC_RQ_JOB_ID));
	jsonw_key(b, "planned_at", 0);
	jsonw_time(b, col_time(s, RC_PLANNED_AT));
	buf_addch(b, '}');
}

enum db_res
db_job_json(struct db *db, const char *id, struct buf *out)
{
	sqlite3_stmt	*s = prep(db, STMT_JOB_GET);
	struct buf	 words = BUF_INIT;
	enum db_res	 r;
	int		 rc;

	bind_text(s, 1, id);
	rc = db_step(db, STMT_JOB_GET);
	if (rc == SQLITE_ROW) {
		job_row_json(s, out, &words);
		r = DB_OK;
	} else
		r = rc == SQLITE_DONE ? DB_NOTFOUND : res_of(rc);
	sqlite3_reset(s);
	buf_release(&words);
	return r;
}

enum db_res
db_job_list_json(struct db *db, const struct job_filter *f, struct buf *out, int64_t *total)
{
	sqlite3_stmt	*s;
	struct buf	 words = BUF_INIT;
	enum db_res	 r;
	int		 rc, n = 0;

	/* One read transaction, so the count and the page agree. */
	if ((r = tx(db, STMT_BEGIN_READ)) != DB_OK)
		return r;
	bind_filter(prep(db, STMT_JOB_COUNT), f);
	if ((r = scalar(db, STMT_JOB_COUNT, total)) != DB_OK)
		goto out;
	s = prep(db, STMT_JOB_LIST);
	bind_filter(s, f);
	buf_addch(out, '[');
	while ((rc = db_step(db, STMT_JOB_LIST)) == SQLITE_ROW) {
		if (n++)
			buf_addch(out, ',');
		job_row_json(s, out, &words);
	}
	buf_addch(out, ']');
	sqlite3_reset(s);
	r = rc == SQLITE_DONE ? DB_OK : res_of(rc);
out:
	buf_release(&words);
	if (r == DB_OK)
		r = tx(db, STMT_COMMIT);
	else
		rollback(db);
	return r;
}

enum db_res
db_run_history_json(struct db *db, const char *job_id, int64_t limit, struct buf *out)
{
	sqlite3_stmt	*s = prep(db, STMT_RUN_HISTORY);
	int		 rc, n = 0;

	bind_text(s, 1, job_id);
	sqlite3_bind_int64(s, 2, limit);
	sqlite3_bind_int64(s, 3, 0);
	buf_addch(out, '[');
	while ((rc = db_step(db, STMT_RUN_HISTORY)) == SQLITE_ROW) {
		if (n++)
			buf_addch(out, ',');
		run_row_json(s, out);
	}
	buf_addch(out, ']');
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? DB_OK : res_of(rc);
}

/* Runs */

static int64_t
col_count(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL ? COUNT_NONE :
	    sqlite3_column_int64(s, col);
}

/* Decodes a row of RUN_COLUMNS into a run (a collect() row decoder). */
static void
run_row(sqlite3_stmt *s, void *p)
{
	struct run	*r = p;
	int		 st = run_status_from_name(col_str(s, RC_STATUS));

	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s", col_str(s, RC_ID));
	snprintf(r->job_id, sizeof(r->job_id), "%s", col_str(s, RC_JOB_ID));
	r->trigger = col_text(s, RC_TRIGGER);
	r->scheduled_for = sqlite3_column_int64(s, RC_SCHEDULED_FOR);
	r->created_at = sqlite3_column_int64(s, RC_CREATED_AT);
	r->queued_at = col_time(s, RC_QUEUED_AT);
	r->started_at = col_time(s, RC_STARTED_AT);
	r->finished_at = col_time(s, RC_FINISHED_AT);
	r->status = st < 0 ? RUN_FAILED : (enum run_status)st;	/* the schema's CHECK */
	r->result = col_text(s, RC_RESULT);
	r->error = col_text(s, RC_ERROR);
	r->messages_sent = col_count(s, RC_MESSAGES_SENT);
	r->profiles_visited = col_count(s, RC_PROFILES_VISITED);
	r->rq_job_id = col_text(s, RC_RQ_JOB_ID);
	r->planned_at = col_time(s, RC_PLANNED_AT);
}

/* Reads one integer from a single-row statement bound by the caller. */
static enum db_res
scalar(struct db *db, enum stmt i, int64_t *out)
{
	int	 rc = db_step(db, i);

	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(db->s[i], 0);
	sqlite3_reset(db->s[i]);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : res_of(rc);
}

enum db_res
db_run_manual(struct db *db, const char *id, int64_t now, char *run_id, int64_t *inflight)
{
	sqlite3_stmt	*s;
	enum db_res	 r;
	int64_t		 num, max, taken, slot = now;
	int		 rc;

	if ((r = tx(db, STMT_BEGIN)) != DB_OK)
		return r;
	s = prep(db, STMT_JOB_LIMITS);
	bind_text(s, 1, id);
	rc = db_step(db, STMT_JOB_LIMITS);
	num = sqlite3_column_int64(s, 0);
	max = sqlite3_column_int64(s, 1);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		r = rc == SQLITE_DONE ? DB_NOTFOUND : res_of(rc);
		goto fail;
	}
	sqlite3_bind_int64(prep(db, STMT_RUN_INFLIGHT), 1, num);
	if ((r = scalar(db, STMT_RUN_INFLIGHT, inflight)) != DB_OK)
		goto fail;
	if (*inflight >= max) {
		r = DB_CONFLICT;
		goto fail;
	}
	/*
	 * A run is unique per (job, scheduled_for): a second manual run within the same
	 * second stands for the next free second.
	 */
	for (;; slot++) {
		s = prep(db, STMT_RUN_SLOT_TAKEN);
		sqlite3_bind_int64(s, 1, num);
		sqlite3_bind_int64(s, 2, slot);
		if ((r = scalar(db, STMT_RUN_SLOT_TAKEN, &taken)) == DB_NOTFOUND)
			break;
		if (r != DB_OK)
			goto fail;
	}
	uuid_v4(run_id);
	s = prep(db, STMT_RUN_INSERT);
	bind_text(s, 1, run_id);
	bind_text(s, 2, id);
	bind_text(s, 3, "manual");
	sqlite3_bind_int64(s, 4, slot);
	sqlite3_bind_int64(s, 5, now);
	bind_text(s, 6, run_status_name(RUN_PENDING));
	sqlite3_bind_int64(s, 8, num);
	if ((r = run_stmt(db, STMT_RUN_INSERT, UNCHANGED_OK)) != DB_OK)
		goto fail;
	s = prep(db, STMT_JOB_SET_LAST);
	sqlite3_bind_int64(s, 1, num);
	sqlite3_bind_int64(s, 2, slot);
	bind_text(s, 3, run_status_name(RUN_PENDING));
	if ((r = run_stmt(db, STMT_JOB_SET_LAST, UNCHANGED_OK)) != DB_OK)
		goto fail;
	return tx(db, STMT_COMMIT);
fail:
	rollback(db);
	return r;
}

static void
run_free_row(void *p)
{
	run_release(p);
}

enum db_res
db_run_history(struct db *db, const char *job_id, int64_t limit, int64_t offset,
    struct run **out, size_t *n)
{
	sqlite3_stmt	*s = prep(db, STMT_RUN_HISTORY);

	bind_text(s, 1, job_id);
	sqlite3_bind_int64(s, 2, limit);
	sqlite3_bind_int64(s, 3, offset);
	return collect(db, STMT_RUN_HISTORY, sizeof(**out), run_row, run_free_row, (void **)out,
	    n);
}

enum db_res
db_run_count(struct db *db, const char *job_id, int64_t *count)
{
	bind_text(prep(db, STMT_RUN_COUNT), 1, job_id);
	return scalar(db, STMT_RUN_COUNT, count);
}

/* API keys */

enum db_res
db_apikey_insert(struct db *db, const char *name, const unsigned char *hash, int64_t now)
{
	sqlite3_stmt	*s = prep(db, STMT_KEY_INSERT);

	bind_text(s, 1, name);
	sqlite3_bind_blob(s, 2, hash, KEY_HASH_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, now);
	return run_stmt(db, STMT_KEY_INSERT, UNCHANGED_OK);
}

enum db_res
db_apikey_delete(struct db *db, const char *name)
{
	sqlite3_stmt	*s = prep(db, STMT_KEY_DELETE);

	bind_text(s, 1, name);
	return run_stmt(db, STMT_KEY_DELETE, UNCHANGED_NOTFOUND);
}

enum db_res
db_apikey_match(struct db *db, const unsigned char *hash, char *name)
{
	sqlite3_stmt	*s = prep(db, STMT_KEY_ALL);
	const void	*h;
	int		 rc, found = 0;

	/* Every stored hash is compared, whether or not an earlier one matched. */
	while ((rc = db_step(db, STMT_KEY_ALL)) == SQLITE_ROW) {
		h = sqlite3_column_blob(s, 1);
		if (h == NULL || sqlite3_column_bytes(s, 1) != KEY_HASH_LEN)
			continue;
		if (util_ct_equal(h, hash, KEY_HASH_LEN) && !found) {
			found = 1;
			snprintf(name, AUTH_NAME_LEN, "%s", (const char *)sqlite3_column_text(s, 0));
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return res_of(rc);
	return found ? DB_OK : DB_NOTFOUND;
}

enum db_res
db_apikey_list(struct db *db, void (*fn)(const char *, int64_t, void *), void *arg)
{
	sqlite3_stmt	*s = prep(db, STMT_KEY_ALL);
	int		 rc;

	while ((rc = db_step(db, STMT_KEY_ALL)) == SQLITE_ROW)
		fn((const char *)sqlite3_column_text(s, 0), sqlite3_column_int64(s, 2), arg);
	sqlite3_reset(s);
	return res_of(rc);
}

/* Health and metrics */

enum db_res
db_heartbeat_get(struct db *db, const char *name, int64_t *at, struct buf *info)
{
	sqlite3_stmt	*s = prep(db, STMT_HEARTBEAT_GET);
	int		 rc;

	bind_text(s, 1, name);
	*at = TIME_NONE;
	rc = db_step(db, STMT_HEARTBEAT_GET);
	if (rc == SQLITE_ROW) {
		*at = sqlite3_column_int64(s, 0);
		if (info && sqlite3_column_text(s, 1))
			buf_addstr(info, (const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK : res_of(rc);
}

enum db_res
db_heartbeat_set(struct db *db, const char *name, int64_t at, int64_t pid, const char *host,
    const char *info)
{
	sqlite3_stmt	*s = prep(db, STMT_HEARTBEAT_SET);

	bind_text(s, 1, name);
	sqlite3_bind_int64(s, 2, at);
	sqlite3_bind_int64(s, 3, pid);
	bind_text(s, 4, host);
	bind_text(s, 5, info);
	return run_stmt(db, STMT_HEARTBEAT_SET, UNCHANGED_OK);
}

/* Rows (status, count) into out[], by run status. Returns SQLite's code. */
static int
count_by_status(struct db *db, enum stmt i, int64_t out[RUN__MAX])
{
	sqlite3_stmt	*s = prep(db, i);
	int		 rc, k;

	while ((rc = db_step(db, i)) == SQLITE_ROW)
		if ((k = run_status_from_name(col_str(s, 0))) >= 0)
			out[k] = sqlite3_column_int64(s, 1);
	sqlite3_reset(s);
	return rc;
}

enum db_res
db_stats(struct db *db, struct db_stats *st)
{
	sqlite3_stmt	*s;
	int		 rc;

	memset(st, 0, sizeof(*st));
	s = prep(db, STMT_STATS_JOBS);
	while ((rc = db_step(db, STMT_STATS_JOBS)) == SQLITE_ROW) {
		if (sqlite3_column_int(s, 0))
			st->jobs_enabled = sqlite3_column_int64(s, 1);
		else
			st->jobs_disabled = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return res_of(rc);
	if ((rc = count_by_status(db, STMT_STATS_RUNS, st->runs)) != SQLITE_DONE ||
	    (rc = count_by_status(db, STMT_STATS_ENDED, st->ended)) != SQLITE_DONE)
		return res_of(rc);
	s = prep(db, STMT_STATS_PENDING);
	rc = db_step(db, STMT_STATS_PENDING);
	st->oldest_pending = rc == SQLITE_ROW ? col_time(s, 0) : TIME_NONE;
	sqlite3_reset(s);
	return res_of(rc);
}

enum db_res
db_generation(struct db *db, int64_t *n)
{
	prep(db, STMT_GENERATION);
	return scalar(db, STMT_GENERATION, n);
}

enum db_res
db_backlog(struct db *db, int64_t *waiting, int64_t *oldest)
{
	sqlite3_stmt	*s = prep(db, STMT_BACKLOG);
	int		 rc = db_step(db, STMT_BACKLOG);

	*waiting = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	*oldest = rc == SQLITE_ROW ? col_time(s, 1) : TIME_NONE;
	sqlite3_reset(s);
	return res_of(rc);
}

/* schedd: firing, the outbox, outcomes */

enum db_res
db_jobs_due(struct db *db, int64_t now, int64_t limit, struct job **out, size_t *n)
{
	sqlite3_stmt	*s = prep(db, STMT_DUE);

	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, limit);
	return collect(db, STMT_DUE, sizeof(**out), job_row, job_free_row, (void **)out, n);
}

enum db_res
db_next_due(struct db *db, int64_t *t)
{
	sqlite3_stmt	*s = prep(db, STMT_NEXT_DUE);
	int		 rc = db_step(db, STMT_NEXT_DUE);

	*t = rc == SQLITE_ROW ? col_time(s, 0) : TIME_NONE;
	sqlite3_reset(s);
	return res_of(rc);
}

enum db_res
db_job_set_next(struct db *db, const char *id, int64_t next, int64_t nominal)
{
	sqlite3_stmt	*s = prep(db, STMT_JOB_SET_NEXT);

	bind_text(s, 1, id);
	bind_time(s, 2, next);
	bind_time(s, 3, nominal);
	return run_stmt(db, STMT_JOB_SET_NEXT, UNCHANGED_OK);
}

enum db_res
db_job_fired(struct db *db, int64_t num, const struct planned *next, int64_t last_at,
    const char *last_status, const char *last_error)
{
	sqlite3_stmt	*s = prep(db, STMT_JOB_FIRED);

	sqlite3_bind_int64(s, 1, num);
	bind_time(s, 2, next->at);
	bind_time(s, 6, next->nominal);
	bind_time(s, 3, last_at);
	bind_text(s, 4, last_status);
	bind_text(s, 5, last_error);
	return run_stmt(db, STMT_JOB_FIRED, UNCHANGED_OK);
}

enum db_res
db_run_inflight(struct db *db, int64_t job_num, int64_t *n)
{
	sqlite3_bind_int64(prep(db, STMT_RUN_INFLIGHT), 1, job_num);
	return scalar(db, STMT_RUN_INFLIGHT, n);
}

enum db_res
db_run_add(struct db *db, const struct run *r)
{
	sqlite3_stmt	*s = prep(db, STMT_RUN_ADD);

	bind_text(s, 1, r->id);
	bind_text(s, 2, r->job_id);
	bind_text(s, 3, r->trigger);
	sqlite3_bind_int64(s, 4, r->scheduled_for);
	sqlite3_bind_int64(s, 5, r->created_at);
	bind_text(s, 6, run_status_name(r->status));
	bind_text(s, 7, r->result);
	bind_text(s, 8, r->error);
	sqlite3_bind_int64(s, 9, r->job_num);
	bind_time(s, 10, r->planned_at);
	return run_stmt(db, STMT_RUN_ADD, UNCHANGED_CONFLICT);
}

enum db_res
db_job_last(struct db *db, int64_t job_num, int64_t at, const char *status,
    const char *error)
{
	sqlite3_stmt	*s = prep(db, STMT_JOB_LAST_IF_NEWEST);

	sqlite3_bind_int64(s, 1, job_num);
	sqlite3_bind_int64(s, 2, at);
	bind_text(s, 3, status);
	bind_text(s, 4, error);
	return run_stmt(db, STMT_JOB_LAST_IF_NEWEST, UNCHANGED_OK);
}

void
db_pending_run_release(struct pending_run *p)
{
	free(p->trigger);
	free(p->job_name);
	free(p->bot_type);
	free(p->bot_config);
	memset(p, 0, sizeof(*p));
}

static void
pending_row(sqlite3_stmt *s, void *p)
{
	struct pending_run	*v = p;

	snprintf(v->id, UUID_LEN, "%s", col_str(s, 0));
	snprintf(v->job_id, UUID_LEN, "%s", col_str(s, 1));
	v->trigger = col_text(s, 2);
	v->scheduled_for = sqlite3_column_int64(s, 3);
	v->job_name = col_text(s, 4);
	v->bot_type = col_text(s, 5);
	v->bot_config = col_text(s, 6);
	v->rowid = sqlite3_column_int64(s, 7);
	v->job_num = sqlite3_column_int64(s, 8);
}

static void
pending_free_row(void *p)
{
	db_pending_run_release(p);
}

enum db_res
db_runs_pending(struct db *db, int64_t limit, struct pending_run **out, size_t *n)
{
	sqlite3_bind_int64(prep(db, STMT_PENDING), 1, limit);
	return collect(db, STMT_PENDING, sizeof(**out), pending_row, pending_free_row,
	    (void **)out, n);
}

enum db_res
db_run_queued(struct db *db, int64_t rowid, int64_t now, const char *queue,
    enum serializer ser)
{
	sqlite3_stmt	*s = prep(db, STMT_RUN_QUEUED);
	enum db_res	 r;
	int64_t		 exists;

	sqlite3_bind_int64(s, 1, rowid);
	sqlite3_bind_int64(s, 2, now);
	bind_text(s, 3, queue);
	bind_text(s, 4, ser == SERIALIZER_PICKLE ? "pickle" : "json");
	if ((r = run_stmt(db, STMT_RUN_QUEUED, UNCHANGED_NOTFOUND)) == DB_NOTFOUND) {
		/* not pending any more: another schedd marked it (fine), or it is gone */
		sqlite3_bind_int64(prep(db, STMT_RUN_EXISTS), 1, rowid);
		return scalar(db, STMT_RUN_EXISTS, &exists);
	}
	if (r != DB_OK)
		return r;
	sqlite3_bind_int64(prep(db, STMT_JOB_QUEUED), 1, rowid);
	return run_stmt(db, STMT_JOB_QUEUED, UNCHANGED_OK);
}

static void
open_row(sqlite3_stmt *s, void *p)
{
	struct open_run	*v = p;

	snprintf(v->id, UUID_LEN, "%s", col_str(s, 0));
	snprintf(v->job_id, UUID_LEN, "%s", col_str(s, 1));
	v->status = col_str(s, 2) && strcmp(col_str(s, 2), "running") == 0 ? RUN_RUNNING :
	    RUN_QUEUED;
	v->scheduled_for = sqlite3_column_int64(s, 3);
	v->created_at = sqlite3_column_int64(s, 4);
	v->queued_at = col_time(s, 5);
	v->started_at = col_time(s, 6);
	v->bot_type = col_text(s, 7);
	v->rowid = sqlite3_column_int64(s, 8);
	v->job_num = sqlite3_column_int64(s, 9);
	v->queue = col_text(s, 10);
	v->serializer = col_str(s, 11) && strcmp(col_str(s, 11), "pickle") == 0 ?
	    SERIALIZER_PICKLE : SERIALIZER_JSON;
	v->known = col_str(s, 11) != NULL;
	v->manual = sqlite3_column_int(s, 12);
}

static void
open_free_row(void *p)
{
	db_open_run_release(p);
}

void
db_open_run_release(struct open_run *o)
{
	free(o->bot_type);
	free(o->queue);
	memset(o, 0, sizeof(*o));
}

enum db_res
db_runs_open(struct db *db, int64_t after_created, int64_t after_rowid, int64_t limit,
    struct open_run **out, size_t *n)
{
	sqlite3_stmt	*s = prep(db, STMT_OPEN);

	sqlite3_bind_int64(s, 1, after_created);
	sqlite3_bind_int64(s, 2, after_rowid);
	sqlite3_bind_int64(s, 3, limit);
	return collect(db, STMT_OPEN, sizeof(**out), open_row, open_free_row, (void **)out, n);
}

static void
bind_count(sqlite3_stmt *s, int col, int64_t v)
{
	if (v == COUNT_NONE)
		sqlite3_bind_null(s, col);
	else
		sqlite3_bind_int64(s, col, v);
}

enum db_res
db_run_outcome(struct db *db, const struct run *r)
{
	sqlite3_stmt	*s = prep(db, STMT_RUN_OUTCOME);
	enum db_res	 res;

	sqlite3_bind_int64(s, 1, r->rowid);
	bind_text(s, 2, run_status_name(r->status));
	bind_time(s, 3, r->started_at);
	bind_time(s, 4, r->finished_at);
	bind_text(s, 5, r->result);
	bind_text(s, 6, r->error);
	bind_count(s, 7, r->messages_sent);
	bind_count(s, 8, r->profiles_visited);
	if ((res = run_stmt(db, STMT_RUN_OUTCOME, UNCHANGED_OK)) != DB_OK)
		return res;
	return db_job_last(db, r->job_num, r->scheduled_for, run_status_name(r->status),
	    r->error);
}

enum db_res
db_heartbeat_prune(struct db *db, int64_t older_than)
{
	sqlite3_stmt	*s = prep(db, STMT_HEARTBEAT_PRUNE);

	sqlite3_bind_int64(s, 1, older_than);
	return run_stmt(db, STMT_HEARTBEAT_PRUNE, UNCHANGED_OK);
}

enum db_res
db_prune(struct db *db, int64_t older_than, int64_t keep, int64_t limit, int64_t *deleted)
{
	sqlite3_stmt	*s;
	enum db_res	 r;

	*deleted = 0;
	s = prep(db, STMT_PRUNE_AGE);
	sqlite3_bind_int64(s, 1, older_than);
	sqlite3_bind_int64(s, 2, limit);
	if ((r = run_stmt(db, STMT_PRUNE_AGE, UNCHANGED_OK)) != DB_OK)
		return r;
	*deleted += sqlite3_changes(db->h);
	s = prep(db, STMT_PRUNE_COUNT);
	sqlite3_bind_int64(s, 1, keep);
	sqlite3_bind_int64(s, 2, limit);
	if ((r = run_stmt(db, STMT_PRUNE_COUNT, UNCHANGED_OK)) != DB_OK)
		return r;
	*deleted += sqlite3_changes(db->h);
	return DB_OK;
}

static void
id_row(sqlite3_stmt *s, void *p)
{
	snprintf(p, UUID_LEN, "%s", col_str(s, 0));
}

enum db_res
db_job_ids_scheduled(struct db *db, char (**out)[UUID_LEN], size_t *n)
{
	prep(db, STMT_SCHEDULED_IDS);
	return collect(db, STMT_SCHEDULED_IDS, sizeof(**out), id_row, NULL, (void **)out, n);
}

/* Users, sessions, sign-in failures */

enum db_res
db_user_set(struct db *db, const char *name, const char *hash, int create, int64_t now)
{
	sqlite3_stmt	*s = prep(db, create ? STMT_USER_INSERT : STMT_USER_UPDATE);

	bind_text(s, 1, name);
	bind_text(s, 2, hash);
	if (create)
		sqlite3_bind_int64(s, 3, now);
	return run_stmt(db, create ? STMT_USER_INSERT : STMT_USER_UPDATE,
	    create ? UNCHANGED_OK : UNCHANGED_NOTFOUND);
}

enum db_res
db_user_hash(struct db *db, const char *name, char **hash)
{
	sqlite3_stmt	*s = prep(db, STMT_USER_HASH);
	int		 rc;

	bind_text(s, 1, name);
	rc = db_step(db, STMT_USER_HASH);
	*hash = rc == SQLITE_ROW ? col_text(s, 0) : NULL;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : res_of(rc);
}

enum db_res
db_user_delete(struct db *db, const char *name)
{
	bind_text(prep(db, STMT_USER_DELETE), 1, name);
	return run_stmt(db, STMT_USER_DELETE, UNCHANGED_NOTFOUND);
}

enum db_res
db_user_list(struct db *db, void (*fn)(const char *, int64_t, void *), void *arg)
{
	sqlite3_stmt	*s = prep(db, STMT_USER_ALL);
	int		 rc;

	while ((rc = db_step(db, STMT_USER_ALL)) == SQLITE_ROW)
		fn(col_str(s, 0), sqlite3_column_int64(s, 1), arg);
	sqlite3_reset(s);
	return res_of(rc);
}

enum db_res
db_session_add(struct db *db, const unsigned char *id_hash, const char *user,
    const char *csrf, int64_t now, int64_t expires)
{
	sqlite3_stmt	*s = prep(db, STMT_SESSION_INSERT);

	sqlite3_bind_blob(s, 1, id_hash, KEY_HASH_LEN, SQLITE_TRANSIENT);
	bind_text(s, 2, user);
	bind_text(s, 3, csrf);
	sqlite3_bind_int64(s, 4, now);
	sqlite3_bind_int64(s, 5, expires);
	return run_stmt(db, STMT_SESSION_INSERT, UNCHANGED_OK);
}

enum db_res
db_session_get(struct db *db, const unsigned char *id_hash, int64_t now, char *user,
    char *csrf)
{
	sqlite3_stmt	*s = prep(db, STMT_SESSION_GET);
	int		 rc;

	sqlite3_bind_blob(s, 1, id_hash, KEY_HASH_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, now);
	rc = db_step(db, STMT_SESSION_GET);
	if (rc == SQLITE_ROW) {
		snprintf(user, AUTH_NAME_LEN, "%s", col_str(s, 0));
		snprintf(csrf, AUTH_TOKEN_LEN, "%s", col_str(s, 1));
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : res_of(rc);
}

enum db_res
db_session_delete(struct db *db, const unsigned char *id_hash)
{
	sqlite3_bind_blob(prep(db, STMT_SESSION_DELETE), 1, id_hash, KEY_HASH_LEN,
	    SQLITE_TRANSIENT);
	return run_stmt(db, STMT_SESSION_DELETE, UNCHANGED_OK);
}

enum db_res
db_session_of_user(struct db *db, const char *user, int64_t now, char *csrf)
{
	sqlite3_stmt	*s = prep(db, STMT_SESSION_OF_USER);
	int		 rc;

	bind_text(s, 1, user);
	sqlite3_bind_int64(s, 2, now);
	rc = db_step(db, STMT_SESSION_OF_USER);
	if (rc == SQLITE_ROW)
		snprintf(csrf, AUTH_TOKEN_LEN, "%s", col_str(s, 0));
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : res_of(rc);
}

enum db_res
db_user_signout(struct db *db, const char *name)
{
	enum db_res	 r;

	bind_text(prep(db, STMT_SESSION_DELETE_USER), 1, name);
	if ((r = run_stmt(db, STMT_SESSION_DELETE_USER, UNCHANGED_OK)) != DB_OK)
		return r;
	bind_text(prep(db, STMT_FAILURES_CLEAR_USER), 1, name);
	return run_stmt(db, STMT_FAILURES_CLEAR_USER, UNCHANGED_OK);
}

enum db_res
db_session_prune(struct db *db, int64_t now, int64_t failures_before)
{
	enum db_res	 r;

	sqlite3_bind_int64(prep(db, STMT_SESSION_PRUNE), 1, now);
	if ((r = run_stmt(db, STMT_SESSION_PRUNE, UNCHANGED_OK)) != DB_OK)
		return r;
	sqlite3_bind_int64(prep(db, STMT_FAILURES_PRUNE), 1, failures_before);
	return run_stmt(db, STMT_FAILURES_PRUNE, UNCHANGED_OK);
}

enum db_res
db_login_attempt(struct db *db, const char *key, int64_t now, int64_t since, int64_t *count)
{
	sqlite3_stmt	*s = prep(db, STMT_FAILURES_ADD);
	enum db_res	 r;

	bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, since);
	/* RETURNING: the one row comes back from the step that wrote it */
	if ((r = scalar(db, STMT_FAILURES_ADD, count)) == DB_NOTFOUND)
		r = DB_ERR;
	return r;
}

enum db_res
db_login_undo(struct db *db, const char *key)
{
	bind_text(prep(db, STMT_FAILURES_UNDO), 1, key);
	return run_stmt(db, STMT_FAILURES_UNDO, UNCHANGED_OK);
}

enum db_res
db_login_clear(struct db *db, const char *key)
{
	bind_text(prep(db, STMT_FAILURES_CLEAR), 1, key);
	return run_stmt(db, STMT_FAILURES_CLEAR, UNCHANGED_OK);
}

/* Withdrawals: runs of deleted jobs still in Redis */

void
db_withdrawal_release(struct withdrawal *w)
{
	free(w->job_name);
	free(w->queue);
	memset(w, 0, sizeof(*w));
}

static void
withdrawal_row(sqlite3_stmt *s, void *p)
{
	struct withdrawal	*w = p;

	snprintf(w->run_id, UUID_LEN, "%s", col_str(s, 0));
	snprintf(w->job_id, UUID_LEN, "%s", col_str(s, 1));
	w->job_name = col_text(s, 2);
	w->queue = col_text(s, 3);
	w->status = col_str(s, 4) && strcmp(col_str(s, 4), "running") == 0 ? RUN_RUNNING :
	    RUN_QUEUED;
	w->created_at = sqlite3_column_int64(s, 5);
}

static void
withdrawal_free_row(void *p)
{
	db_withdrawal_release(p);
}

enum db_res
db_withdrawals(struct db *db, int64_t limit, struct withdrawal **out, size_t *n)
{
	sqlite3_bind_int64(prep(db, STMT_WITHDRAWALS), 1, limit);
	return collect(db, STMT_WITHDRAWALS, sizeof(**out), withdrawal_row, withdrawal_free_row,
	    (void **)out, n);
}

enum db_res
db_withdrawal_done(struct db *db, const char *run_id)
{
	bind_text(prep(db, STMT_WITHDRAWAL_DONE), 1, run_id);
	return run_stmt(db, STMT_WITHDRAWAL_DONE, UNCHANGED_OK);
}

enum db_res
db_withdrawal_running(struct db *db, const char *run_id)
{
	bind_text(prep(db, STMT_WITHDRAWAL_RUNNING), 1, run_id);
	return run_stmt(db, STMT_WITHDRAWAL_RUNNING, UNCHANGED_OK);
}

enum db_res
db_withdrawals_queued(struct db *db, const char *job_id, int64_t *n)
{
	bind_text(prep(db, STMT_WITHDRAWALS_QUEUED), 1, job_id);
	return scalar(db, STMT_WITHDRAWALS_QUEUED, n);
}

/* Pauses (the kill switch) and paused jobs */

static void
pause_row(sqlite3_stmt *s, void *v)
{
	struct pause	*p = v;

	snprintf(p->id, UUID_LEN, "%s", col_str(s, 0));
	p->bot_type = col_text(s, 1);
	p->note = col_text(s, 2);
	p->until = col_time(s, 3);
	p->created_at = sqlite3_column_int64(s, 4);
	p->created_by = col_text(s, 5);
}

static void
pause_free_row(void *p)
{
	pause_release(p);
}

enum db_res
db_pause_add(struct db *db, const struct pause *p)
{
	sqlite3_stmt	*s = prep(db, STMT_PAUSE_INSERT);

	bind_text(s, 1, p->id);
	bind_text(s, 2, p->bot_type);
	bind_text(s, 3, p->note);
	bind_time(s, 4, p->until);
	sqlite3_bind_int64(s, 5, p->created_at);
	bind_text(s, 6, p->created_by);
	return run_stmt(db, STMT_PAUSE_INSERT, UNCHANGED_OK);
}

enum db_res
db_pause_delete(struct db *db, const char *id)
{
	bind_text(prep(db, STMT_PAUSE_DELETE), 1, id);
	return run_stmt(db, STMT_PAUSE_DELETE, UNCHANGED_NOTFOUND);
}

enum db_res
db_pauses(struct db *db, int64_t now, struct pause **out, size_t *n)
{
	sqlite3_bind_int64(prep(db, STMT_PAUSES), 1, now);
	return collect(db, STMT_PAUSES, sizeof(**out), pause_row, pause_free_row, (void **)out,
	    n);
}

enum db_res
db_pauses_end(struct db *db, int64_t now, struct pause **out, size_t *n)
{
	sqlite3_bind_int64(prep(db, STMT_PAUSES_ENDED), 1, now);
	return collect(db, STMT_PAUSES_ENDED, sizeof(**out), pause_row, pause_free_row,
	    (void **)out, n);
}

enum db_res
db_job_ended(struct db *db, int64_t num, const char *status, const char *trigger,
    const char *error, int64_t now, int *paused)
{
	sqlite3_stmt	*s = prep(db, STMT_JOB_FAILCOUNT);
	enum db_res	 r;

	*paused = 0;
	sqlite3_bind_int64(s, 1, num);
	bind_text(s, 2, status);
	bind_text(s, 3, trigger);
	if ((r = run_stmt(db, STMT_JOB_FAILCOUNT, UNCHANGED_OK)) != DB_OK ||
	    strcmp(status, "failed") != 0 || strcmp(trigger, "schedule") != 0)
		return r;
	s = prep(db, STMT_JOB_AUTOPAUSE);
	sqlite3_bind_int64(s, 1, num);
	bind_text(s, 2, error);
	sqlite3_bind_int64(s, 3, now);
	if ((r = run_stmt(db, STMT_JOB_AUTOPAUSE, UNCHANGED_OK)) == DB_OK)
		*paused = sqlite3_changes(db->h) > 0;
	return r;
}

enum db_res
db_jobs_pause_until(struct db *db, int64_t num, const char *bot_type, const char *reason,
    int64_t now, int64_t until, int64_t *changed)
{
	enum stmt	 i = bot_type ? STMT_BOT_PAUSE_UNTIL : STMT_JOB_PAUSE_UNTIL;
	sqlite3_stmt	*s = prep(db, i);
	enum db_res	 r;

	if (bot_type)
		bind_text(s, 1, bot_type);
	else
		sqlite3_bind_int64(s, 1, num);
	bind_text(s, 2, reason);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, until);
	r = run_stmt(db, i, UNCHANGED_OK);
	*changed = r == DB_OK ? sqlite3_changes(db->h) : 0;
	return r;
}

enum db_res
db_jobs_to_resume(struct db *db, int64_t now, int64_t limit, char (**ids)[UUID_LEN],
    size_t *n)
{
	sqlite3_stmt	*s = prep(db, STMT_JOBS_TO_RESUME);

	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, limit);
	return collect(db, STMT_JOBS_TO_RESUME, UUID_LEN, id_row, NULL, (void **)ids, n);
}

enum db_res
db_jobs_paused(struct db *db, int64_t *n)
{
	return scalar(db, STMT_JOBS_PAUSED, n);
}

enum db_res
db_job_keep_paused(struct db *db, const char *id)
{
	bind_text(prep(db, STMT_JOB_KEEP_PAUSED), 1, id);
	return run_stmt(db, STMT_JOB_KEEP_PAUSED, UNCHANGED_OK);
}
