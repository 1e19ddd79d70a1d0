/*
 * autosched: the job and run of SPEC §2 (job.c), the model layer's documents: their
 * structures, the run statuses, and the validation of a job document (a POST, or a partial
 * PUT) into a job.
 */
#ifndef JOB_H
#define JOB_H

#include <jansson.h>

#include "base.h"
#include "conf.h"
#include "plan.h"

#define JOB_NAME_MAX		200	/* characters */
#define JOB_DESC_MAX		2000
#define JOB_MAX_INSTANCES	100
#define JOB_MAX_GRACE		604800	/* seconds (a week) */

#define COUNT_NONE	(-1)		/* a counter the bot did not return */

struct job {
	int64_t		 num;			/* the store's own key */
	char		 id[UUID_LEN];
	char		*name;
	char		*description;		/* NULL when none */
	char		*bot_type;
	int		 enabled;
	enum sched_type	 schedule_type;
	char		*schedule_config;	/* JSON text, normalised */
	int64_t		 schedule_anchor;
	char		*bot_config;		/* JSON text */
	char		*timezone;
	int64_t		 created_at;
	int64_t		 updated_at;
	char		*created_by;		/* NULL when unknown */
	int64_t		 next_run_at;		/* TIME_NONE: manual or disabled */
	int64_t		 last_run_at;
	char		*last_run_status;	/* a run_status_name(), or NULL: never ran */
	char		*last_run_error;
	int		 max_instances;
	int		 misfire_grace_time;
	int		 coalesce;
	char		*active_windows;	/* JSON text, normalised; NULL: always active */
	int		 jitter_seconds;
	int64_t		 next_scheduled_for;	/* the nominal time next_run_at delays */
	int		 pause_after_failures;	/* 0: never */
	int		 paused;
	char		*paused_reason;
	int64_t		 paused_at;
	int64_t		 paused_until;		/* TIME_NONE: until resumed */
	int		 failures_in_row;	/* scheduled runs ended failed, in a row */
};
#define JOB_MAX_PAUSE_AFTER	100
#define JOB_REASON_MAX		500	/* characters of a paused_reason */

/*
 * What became of a run (SPEC §2). The first three are in flight; the rest are ends, in the
 * order /metrics lists them.
 */
enum run_status {
	RUN_PENDING,		/* recorded, not yet in Redis */
	RUN_QUEUED,
	RUN_RUNNING,
	RUN_SUCCESS,
	RUN_FAILED,
	RUN_MISSED,		/* past misfire_grace_time */
	RUN_SKIPPED,		/* max_instances reached */
	RUN_CANCELLED,
	RUN__MAX
};

/* "pending", "queued" ... as the API and the store write them. */
const char	*run_status_name(enum run_status);
/* The status called name, or -1. */
int		 run_status_from_name(const char *name);
/* Whether a run in this status is over (success, failed, missed, skipped, cancelled). */
int		 run_status_ended(enum run_status);

struct run {
	int64_t		 rowid;			/* the store's own key (outcomes) */
	char		 id[UUID_LEN];
	int64_t		 job_num;		/* the job's num */
	char		 job_id[UUID_LEN];
	char		*trigger;		/* "schedule" or "manual" */
	int64_t		 scheduled_for;
	int64_t		 created_at;
	int64_t		 queued_at;
	int64_t		 started_at;
	int64_t		 finished_at;
	enum run_status	 status;
	char		*result;		/* JSON text or NULL */
	char		*error;
	int64_t		 messages_sent;		/* COUNT_NONE when unknown */
	int64_t		 profiles_visited;
	char		*rq_job_id;
	int64_t		 planned_at;		/* the instant it was due (jitter): TIME_NONE */
};

/* A pause of the kill switch (SPEC §9): every bot, or one bot type, until a time or resumed. */
struct pause {
	char		 id[UUID_LEN];
	char		*bot_type;		/* NULL: every bot type */
	char		*note;
	int64_t		 until;			/* TIME_NONE: until resumed */
	int64_t		 created_at;
	char		*created_by;		/* NULL when unknown */
};
/* Frees what the pause holds and zeroes it. */
void		 pause_release(struct pause *);
/* The pause in `list` that covers bot type `bot` (every bot first), or NULL. */
const struct pause *pause_covering(const struct pause *list, size_t n, const char *bot);
/* "All bots are paused by alice since 2026-12-03T10:02:00Z: the site warned us". */
void		 pause_describe(const struct pause *, struct buf *b);

/* Frees what the job holds and zeroes it. */
void		 job_release(struct job *);
/* Frees what the run holds and zeroes it. */
void		 run_release(struct run *);
/* Fills *j with a new job's defaults (enabled, max_instances 1, grace 3600, coalesce). */
void		 job_defaults(struct job *j);
/*
 * Validates a job document (borrowed) and applies it to *j: all of it when how has
 * JOB_APPLY_CREATE (name,
 * bot_type and schedule_type required), else only the fields it has (a partial PUT). Fields
 * the server manages are ignored; anything else unknown is an error. Recomputes
 * next_run_at (strictly after now) when the schedule, zone or enabled flag change. Every
 * problem goes to errs; returns 0, or -1 with *j unchanged.
 */
int		 job_apply(struct job *j, const json_t *doc, int how, const struct conf *,
		    int64_t now, struct verrs *errs);
#define JOB_APPLY_CREATE	0x01	/* a new job: every required field */
#define JOB_APPLY_RESTORE	0x02	/* from an export: a date that has passed stays, idle */
/* Appends the job's schedule in English, with its windows and jitter. Returns 0 or -1. */
int		 job_words(const struct job *j, struct buf *b);
/*
 * The nominal fire time the job's next_run_at delays: next_scheduled_for, unless the two do
 * not agree (next_run_at set by hand, or by an older version): then next_run_at itself.
 */
int64_t		 job_nominal(const struct job *j);
/*
 * Fills *p with the job's plan: schedule, zone, windows and jitter. Returns 0, or -1 when
 * the stored schedule, zone or windows cannot be read.
 */
int		 job_plan(const struct job *j, struct plan *p);
/*
 * The job's next planned fire strictly after now, its jitter drawn from rnd, into *next
 * (at and nominal TIME_NONE when disabled or manual, or when the plan never fires).
 * Returns 0, or -1 when the plan cannot be read.
 */
int		 job_next_run(const struct job *j, int64_t now, uint64_t rnd,
		    struct planned *next);

#endif /* JOB_H */
