/*
 * autosched: the job service (jobs.c), the top layer of lib/. Every change to a job, from
 * whichever door it comes (the JSON API, the dashboard, the command-line tool), goes
 * through one function here, which validates it, writes it in its own transaction, writes
 * one audit line to the log, and nudges schedd. The doors only translate: a request or a
 * file into a document, and an enum jobs_res into an answer (cgi/req.c req_status() for
 * the web).
 */
#ifndef JOBS_H
#define JOBS_H

#include <jansson.h>

#include "base.h"
#include "conf.h"
#include "db.h"
#include "job.h"

/* How a change went. */
enum jobs_res {
	JOBS_OK,
	JOBS_INVALID,		/* refused: the errors are in errs (a 422) */
	JOBS_NOTFOUND,		/* no such job */
	JOBS_AT_LIMIT,		/* run now: max_instances runs already in flight */
	JOBS_PAUSED,		/* run now: the job is paused, or a pause covers it (a 409) */
	JOBS_EXISTS,		/* import: a job has that id already, and no --replace */
	JOBS_DB_BUSY,		/* the store stayed locked past the busy timeout (a 503) */
	JOBS_DB_ERR		/* the store failed (logged; a 500) */
};

/* Who asks, through which door, and when: what the audit line says. */
struct jobs_ctx {
	struct db		*db;
	const struct conf	*conf;
	const char		*who;	/* the API key's name, the user signed in, the Unix user */
	const char		*door;	/* "api", "web", "cli" */
	int64_t			 now;
	int64_t			 withdraw_wait_ms;	/* jobs_delete's; 0: the default */
};

/* What a failure of the store means for a change (DB_BUSY: JOBS_DB_BUSY, ...). */
enum jobs_res	 jobs_res_of(enum db_res);

/*
 * Creates a job from a document, as POST /jobs does (created_by is ctx->who). errs may
 * already hold errors found by the caller (a form's): any error refuses the change, and
 * every one is reported. On JOBS_OK, *out is the new job (release it); otherwise *out holds
 * nothing to release.
 */
enum jobs_res	 jobs_create(const struct jobs_ctx *, const json_t *doc, struct job *out,
		    struct verrs *errs);
/*
 * Applies a (partial) document to job id, as PUT /jobs/{id} does. On JOBS_OK, *out is the
 * job as saved; on JOBS_INVALID, the job as stored (both to release); otherwise nothing.
 */
enum jobs_res	 jobs_update(const struct jobs_ctx *, const char *id, const json_t *doc,
		    struct job *out, struct verrs *errs);
/*
 * Enables (1) or disables (0) job id. There is no flip: a request sent twice must leave the
 * job as the first left it. *out as for jobs_update.
 */
enum jobs_res	 jobs_set_enabled(const struct jobs_ctx *, const char *id, int enabled,
		    struct job *out, struct verrs *errs);
/*
 * Pauses job id by hand (1), or resumes it (0): a resumed job fires again from now, its
 * failures in a row forgotten, nothing caught up. *out as for jobs_update.
 */
enum jobs_res	 jobs_set_paused(const struct jobs_ctx *, const char *id, int paused,
		    struct job *out, struct verrs *errs);
/*
 * Records a manual run of job id, to go out at once, into run_id[UUID_LEN]. JOBS_AT_LIMIT
 * when the job already has max_instances runs pending, queued or running (*inflight says
 * how many); JOBS_PAUSED, unless force, when the job is paused or a pause of the kill
 * switch covers it (why says which, when not NULL). On JOBS_OK, JOBS_AT_LIMIT and
 * JOBS_PAUSED, *out is the job (release it).
 */
enum jobs_res	 jobs_run_now(const struct jobs_ctx *, const char *id, int force, char *run_id,
		    struct job *out, int64_t *inflight, struct buf *why);
/*
 * How long a delete waits by default for schedd to take the job's queued runs back out of
 * their queue, before it answers (milliseconds).
 */
#define JOBS_WITHDRAW_WAIT_MS	5000

/*
 * Deletes job id and its history. Its runs in Redis are left to schedd to take back (a run
 * a worker has started finishes, and its outcome is logged and dropped); the call waits up
 * to ctx->withdraw_wait_ms for the queued ones to be out of their queue, so that when it
 * returns no worker can start one. *withdrawing: how many are still in a queue then (0
 * unless schedd is down or slow). On JOBS_OK, *out is the job as it was (release it).
 */
enum jobs_res	 jobs_delete(const struct jobs_ctx *, const char *id, struct job *out,
		    int64_t *withdrawing);

/* One job of an import (autosched import, import-crontab). */
struct jobs_item {
	const json_t	*doc;		/* borrowed: the job's document */
	size_t		 index;		/* its place in the file, for messages */
	struct job	 job;		/* the job the document makes (jobs_check) */
	int		 has_id;	/* the document gave its id */
	/* out, from jobs_import: */
	enum jobs_res	 res;		/* JOBS_OK, JOBS_EXISTS or JOBS_INVALID */
	int		 replaced;	/* an existing job was replaced */
	struct verrs	 errs;		/* why a replacement was refused */
};

/*
 * Validates one document as POST /jobs would create it, plus what an export carries that
 * the API sets itself (id, created_at, created_by), into it->job. Needs no database
 * (ctx->db may be NULL). Failures go to errs.
 */
void		 jobs_check(const struct jobs_ctx *, struct jobs_item *it, struct verrs *errs);
/*
 * Stores n checked jobs in one transaction, all or nothing: a job whose id exists is
 * replaced by its document (every field it lacks at its default, as a PUT of the whole
 * job) when replace, else refused (JOBS_EXISTS); the others are created. Returns JOBS_OK
 * with every item's res JOBS_OK, JOBS_INVALID when some item was refused (see their res
 * and errs; nothing was stored), or the store's failure.
 */
enum jobs_res	 jobs_import(const struct jobs_ctx *, struct jobs_item *items, size_t n,
		    int replace);
/* Frees what an item holds. */
void		 jobs_item_release(struct jobs_item *);

#endif /* JOBS_H */
