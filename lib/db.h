/*
 * autosched: the SQLite store (db.c), the layer that does I/O on the database; the only
 * file that includes sqlite3.h. Every function returns an enum db_res; the store logs its
 * own failures once, and callers pass the result on (docs/DECISIONS.md, "Layers").
 */
#ifndef DB_H
#define DB_H

#include "auth.h"
#include "base.h"
#include "conf.h"
#include "job.h"

struct db;

enum db_res {
	DB_OK,
	DB_NOTFOUND,
	DB_CONFLICT,	/* a constraint, or run-now over max_instances */
	DB_BUSY,	/* still locked after the busy timeout */
	DB_ERR		/* logged */
};

/* What GET /jobs filters on. */
struct job_filter {
	int		 enabled;		/* 1: enabled only, 0: disabled only, -1: any */
	const char	*bot_type;		/* NULL: any */
	const char	*name_like;		/* NULL: any; else a part of the name, any case */
	const char	*last_status;		/* NULL: any; "none": never ran */
	int64_t		 limit;
	int64_t		 offset;
};

/* Counts for /metrics. */
struct db_stats {
	int64_t		 jobs_enabled;
	int64_t		 jobs_disabled;
	int64_t		 runs[RUN__MAX];	/* kept in the history, by status */
	int64_t		 ended[RUN__MAX];	/* that ever ended so (the ends only) */
	int64_t		 oldest_pending;	/* created_at of the oldest pending run */
};

/*
 * Opens (creating when asked) the database at path, applies the pragmas (WAL,
 * synchronous=FULL, foreign keys, busy timeout) and creates or upgrades the schema; each
 * statement is prepared when first used. Returns the handle (new: db_close it), or NULL
 * (logged).
 */
struct db	*db_open(const char *path, int create, int busy_timeout_ms);
/* Prepares every statement now, as a check of the schema. Returns 0, or -1 (logged). */
int		 db_prepare_all(struct db *);
void		 db_close(struct db *);
/* Sets SQLite's page cache (KiB; its default is 2 MiB). */
void		 db_cache_size(struct db *, int kib);
/* The schema version the database is at, and the one this build writes. */
int		 db_schema_version(struct db *);
#define DB_SCHEMA_VERSION	9

/*
 * A write transaction around several calls (BEGIN IMMEDIATE: the write lock is taken at
 * once). db_commit rolls back when it fails.
 */
enum db_res	 db_begin(struct db *);
enum db_res	 db_commit(struct db *);
void		 db_rollback(struct db *);

enum db_res	 db_job_insert(struct db *, const struct job *);
/* On DB_OK, *out is filled (release with job_release). */
enum db_res	 db_job_get(struct db *, const char *id, struct job *out);
/* Replaces every writable column of the job with j's values. */
enum db_res	 db_job_update(struct db *, const struct job *j);
/*
 * Deletes job id and its runs; its runs in Redis (queued, running) stay behind in the
 * withdrawals for schedd to take back (db_withdrawals).
 */
enum db_res	 db_job_delete(struct db *, const char *id, int64_t now);
/*
 * Lists jobs, newest first. On DB_OK, *out is a new array of *n jobs (release each, then
 * free the array) and *total counts all jobs the filter matches.
 */
enum db_res	 db_job_list(struct db *, const struct job_filter *, struct job **out,
		    size_t *n, int64_t *total);
/*
 * Records a manual run of job `id` as pending, at `now`, unless the job already has
 * max_instances runs pending, queued or running (DB_CONFLICT, *inflight set). Sets the job's
 * last_run_* to the new run. On DB_OK, run_id holds the new run's id.
 */
enum db_res	 db_run_manual(struct db *, const char *id, int64_t now, char *run_id,
		    int64_t *inflight);
/* Appends job id as the API shows it (a JSON object) to out. */
enum db_res	 db_job_json(struct db *, const char *id, struct buf *out);
/* Appends a page of jobs as a JSON array to out; *total counts all the filter matches. */
enum db_res	 db_job_list_json(struct db *, const struct job_filter *, struct buf *out,
		    int64_t *total);
/* Appends the job's newest `limit` runs, newest first, as a JSON array to out. */
enum db_res	 db_run_history_json(struct db *, const char *job_id, int64_t limit,
		    struct buf *out);
/* The job's runs, newest first, skipping `offset` (a new array, as db_job_list). */
enum db_res	 db_run_history(struct db *, const char *job_id, int64_t limit, int64_t offset,
		    struct run **out, size_t *n);
/* How many runs job id has. */
enum db_res	 db_run_count(struct db *, const char *job_id, int64_t *count);

enum db_res	 db_apikey_insert(struct db *, const char *name, const unsigned char *hash,
		    int64_t now);
enum db_res	 db_apikey_delete(struct db *, const char *name);
/*
 * Finds the key whose SHA-256 is `hash`, comparing with every stored hash in constant time.
 * On DB_OK, name[AUTH_NAME_LEN] holds the key's name.
 */
enum db_res	 db_apikey_match(struct db *, const unsigned char *hash, char *name);
/* Calls fn for each key, by name. */
enum db_res	 db_apikey_list(struct db *, void (*fn)(const char *name, int64_t created,
		    void *arg), void *arg);

/*
 * The heartbeat of daemon `name` (rows "name" and "name@host:pid"): the newest that did not
 * stop cleanly, else the newest: when it beat (TIME_NONE if never), and what it said (JSON
 * text appended to info, when info is not NULL).
 */
enum db_res	 db_heartbeat_get(struct db *, const char *name, int64_t *at, struct buf *info);
/* Writes a heartbeat row (one per process: "schedd@host:pid"). */
enum db_res	 db_heartbeat_set(struct db *, const char *name, int64_t at, int64_t pid,
		    const char *host, const char *info);
/* Forgets heartbeats older than older_than (processes long gone). */
enum db_res	 db_heartbeat_prune(struct db *, int64_t older_than);

/* Users (the dashboard's sign-in) */
/* Adds user name, or sets the password hash of an existing one (create: must not exist). */
enum db_res	 db_user_set(struct db *, const char *name, const char *hash, int create,
		    int64_t now);
/* The user's password hash (new: caller frees), or DB_NOTFOUND. */
enum db_res	 db_user_hash(struct db *, const char *name, char **hash);
enum db_res	 db_user_delete(struct db *, const char *name);
enum db_res	 db_user_list(struct db *, void (*fn)(const char *name, int64_t created,
		    void *arg), void *arg);
/* Sessions, by the SHA-256 of the cookie's value. */
enum db_res	 db_session_add(struct db *, const unsigned char *id_hash, const char *user,
		    const char *csrf, int64_t now, int64_t expires);
/*
 * The user and CSRF token of a session not expired at now (into user[AUTH_NAME_LEN] and
 * csrf[AUTH_TOKEN_LEN]). DB_NOTFOUND for an unknown or expired one.
 */
enum db_res	 db_session_get(struct db *, const unsigned char *id_hash, int64_t now,
		    char *user, char *csrf);
enum db_res	 db_session_delete(struct db *, const unsigned char *id_hash);
/* The CSRF token (csrf[AUTH_TOKEN_LEN]) of the newest unexpired session of user. */
enum db_res	 db_session_of_user(struct db *, const char *user, int64_t now, char *csrf);
/* Ends every session of user name and forgets its failed sign-ins (new password, deleted). */
enum db_res	 db_user_signout(struct db *, const char *name);
/* Forgets expired sessions, and old failed sign-ins. */
enum db_res	 db_session_prune(struct db *, int64_t now, int64_t failures_before);
/*
 * Counts a sign-in attempt for key, in a window that began after `since` (a new window
 * when the last began before), at once: *count is the count with this one. The counter is
 * taken before the password is checked, so that processes signing in at once cannot all
 * pass a check made before any of them counts.
 */
enum db_res	 db_login_attempt(struct db *, const char *key, int64_t now, int64_t since,
		    int64_t *count);
/* Takes back one attempt counted for key (it was not a failure). */
enum db_res	 db_login_undo(struct db *, const char *key);
enum db_res	 db_login_clear(struct db *, const char *key);
enum db_res	 db_stats(struct db *, struct db_stats *);
/*
 * The jobs' generation: a number that every change to a job moves on (a trigger keeps it),
 * so that an answer made from the jobs at generation n is still right while it is n.
 */
enum db_res	 db_generation(struct db *, int64_t *n);
/*
 * The runs handed to Redis that no worker has started yet: how many, and when the oldest
 * was queued (TIME_NONE when none).
 */
enum db_res	 db_backlog(struct db *, int64_t *waiting, int64_t *oldest);

/* A pending run with what dispatching it needs. */
struct pending_run {
	int64_t		 rowid;
	int64_t		 job_num;
	char		 id[UUID_LEN];
	char		 job_id[UUID_LEN];
	char		*trigger;
	int64_t		 scheduled_for;
	char		*job_name;
	char		*bot_type;
	char		*bot_config;
};
void		 db_pending_run_release(struct pending_run *);

/* A run handed to Redis and not yet over. */
struct open_run {
	int64_t		 rowid;
	int64_t		 job_num;
	char		 id[UUID_LEN];
	char		 job_id[UUID_LEN];
	enum run_status	 status;		/* queued or running */
	int64_t		 scheduled_for;
	int64_t		 created_at;
	int64_t		 queued_at;
	int64_t		 started_at;
	char		*bot_type;		/* the job's, now */
	char		*queue;			/* where the run was pushed (NULL before v2) */
	enum serializer	 serializer;		/* and how, when known */
	int		 known;
	int		 manual;		/* run now, not a fire time */
};
void		 db_open_run_release(struct open_run *);

/* Jobs with next_run_at <= now, soonest first (a new array, as db_job_list). */
enum db_res	 db_jobs_due(struct db *, int64_t now, int64_t limit, struct job **out,
		    size_t *n);
/*
 * The earliest instant schedd has something to do at: a job's next_run_at or paused_until,
 * or a pause's end (TIME_NONE: none).
 */
enum db_res	 db_next_due(struct db *, int64_t *t);
/* A job's next_run_at and the nominal time it delays (next_scheduled_for). */
enum db_res	 db_job_set_next(struct db *, const char *id, int64_t next, int64_t nominal);
/*
 * After firing job `num`: its next run, and its last_run_* when last_at (TIME_NONE: no run
 * made) is its newest run.
 */
enum db_res	 db_job_fired(struct db *, int64_t num, const struct planned *next, int64_t last_at,
		    const char *last_status, const char *last_error);
/* Runs of the job (its num) pending, queued or running. */
enum db_res	 db_run_inflight(struct db *, int64_t job_num, int64_t *n);
/*
 * Adds a run (id, job_num, job_id, trigger, scheduled_for, created_at, status, result,
 * error). DB_CONFLICT when the job already has a run for that scheduled time.
 */
enum db_res	 db_run_add(struct db *, const struct run *);
/* Sets the job's (num's) last_run_* when a run at `at` is its newest. */
enum db_res	 db_job_last(struct db *, int64_t job_num, int64_t at, const char *status,
		    const char *error);
/* The oldest `limit` pending runs (a new array: release each, free it). */
enum db_res	 db_runs_pending(struct db *, int64_t limit, struct pending_run **out,
		    size_t *n);
/*
 * Marks a pending run queued: it is in Redis, on `queue`, in that serializer; and its job's
 * last_run_status when it is the job's newest run. DB_OK too when another schedd marked it
 * first; DB_NOTFOUND when the run is gone (its job was deleted since it was read).
 */
enum db_res	 db_run_queued(struct db *, int64_t rowid, int64_t now, const char *queue,
		    enum serializer);
/*
 * Queued and running runs after the cursor (created_at, rowid), oldest first (a new array:
 * db_open_run_release each, then free it).
 */
enum db_res	 db_runs_open(struct db *, int64_t after_created, int64_t after_rowid,
		    int64_t limit, struct open_run **out, size_t *n);
/*
 * Records what became of a run (found by rowid: status, started_at unless TIME_NONE,
 * finished_at, result, error, counters) and, when it is the job's (job_num's) newest run,
 * the job's last_run_*.
 */
enum db_res	 db_run_outcome(struct db *, const struct run *);
/*
 * Deletes up to `limit` finished runs created before older_than, and up to `limit` beyond
 * each job's newest `keep`. *deleted counts them.
 */
enum db_res	 db_prune(struct db *, int64_t older_than, int64_t keep, int64_t limit,
		    int64_t *deleted);
/* The ids of every job with a next_run_at (a new array). */
enum db_res	 db_job_ids_scheduled(struct db *, char (**out)[UUID_LEN], size_t *n);

/* A run of a deleted job that is still in Redis (SPEC: no run of a deleted job may start). */
struct withdrawal {
	char		 run_id[UUID_LEN];
	char		 job_id[UUID_LEN];
	char		*job_name;
	char		*queue;			/* NULL when not known (before version 2) */
	enum run_status	 status;		/* RUN_QUEUED: take it back; RUN_RUNNING: wait */
	int64_t		 created_at;
};
void		 db_withdrawal_release(struct withdrawal *);
/* The oldest `limit` withdrawals (a new array: release each, free it). */
enum db_res	 db_withdrawals(struct db *, int64_t limit, struct withdrawal **out, size_t *n);
/* A withdrawal is over (taken back, or its run ended): forgets it. */
enum db_res	 db_withdrawal_done(struct db *, const char *run_id);
/* A worker had the run before it could be taken back: now waiting for its end. */
enum db_res	 db_withdrawal_running(struct db *, const char *run_id);
/* How many runs of job id are still to be taken back out of their queue. */
enum db_res	 db_withdrawals_queued(struct db *, const char *job_id, int64_t *n);

enum db_res	 db_pause_add(struct db *, const struct pause *);
/* DB_NOTFOUND when there is no pause `id`. */
enum db_res	 db_pause_delete(struct db *, const char *id);
/* The pauses in force at now, those of every bot first (a new array: release each). */
enum db_res	 db_pauses(struct db *, int64_t now, struct pause **out, size_t *n);
/* Deletes the pauses that ended by now, and returns them (a new array). */
enum db_res	 db_pauses_end(struct db *, int64_t now, struct pause **out, size_t *n);
/*
 * After a run of job `num` ended with `status` ("success", "failed" ...): a success resets
 * the job's failures in a row, a scheduled run that failed adds one, and the job pauses
 * itself when they reach its pause_after_failures (*paused: 1; error: the run's).
 */
enum db_res	 db_job_ended(struct db *, int64_t num, const char *status, const char *trigger,
		    const char *error, int64_t now, int *paused);
/*
 * Pauses job `num`, or every job of bot_type when not NULL, until `until`, for `reason`
 * (a bot's request), unless one is paused longer already. *changed: how many jobs.
 */
enum db_res	 db_jobs_pause_until(struct db *, int64_t num, const char *bot_type,
		    const char *reason, int64_t now, int64_t until, int64_t *changed);
/* Up to `limit` ids of jobs whose paused_until has come (a new array). */
enum db_res	 db_jobs_to_resume(struct db *, int64_t now, int64_t limit,
		    char (**ids)[UUID_LEN], size_t *n);
/* A job that could not be resumed stays paused until resumed by hand. */
enum db_res	 db_job_keep_paused(struct db *, const char *id);
/* How many jobs are paused. */
enum db_res	 db_jobs_paused(struct db *, int64_t *n);

/* What db_backup did. */
struct db_backup_info {
	int64_t		 pages;		/* copied */
	int64_t		 page_size;	/* bytes */
	int64_t		 steps;		/* sqlite3_backup_step calls that copied */
	int64_t		 restarts;	/* times a write elsewhere made the copy start again */
};
/*
 * Copies the database at path src, as it is at one instant, into a new database file at path
 * dest (which should not exist) with SQLite's online backup API, `step` pages per step, while
 * other processes go on writing to src (see db.c). src is only read: not upgraded, whatever
 * its schema version. The copy is left in rollback-journal mode, and checked with PRAGMA
 * integrity_check, whose lines ("ok" alone for a sound copy) are appended to check. Returns
 * DB_OK, DB_BUSY (src stayed locked past the timeout), or DB_ERR (logged); on failure dest
 * may hold a partial copy, which the caller removes.
 */
enum db_res	 db_backup(const char *src, const char *dest, int busy_timeout_ms, int step,
		    struct db_backup_info *info, struct buf *check);

#endif /* DB_H */
