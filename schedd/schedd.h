/*
 * autosched: what the parts of schedd share. schedd.c is the daemon (options, signals, the
 * loop); tick.c is one pass of work, which never sleeps and takes `now` as a parameter so
 * that tests drive it with chosen times.
 */
#ifndef SCHEDD_H
#define SCHEDD_H

#include "conf.h"
#include "db.h"
#include "jobs.h"
#include "queue.h"

#define TICK_BATCH	1000	/* due jobs per transaction */
#define DISPATCH_BATCH	5000	/* pending runs per push */
#define SYNC_BATCH	2000	/* open runs read back per pass */
#define WITHDRAW_BATCH	1000	/* runs of deleted jobs looked at per pass */
#define SCHEDD_CACHE_KIB 4096	/* SQLite page cache: bounded, for the RSS target */

struct schedd {
	struct conf	 conf;
	struct db	*db;
	struct queue	*q;		/* NULL while Redis is unreachable */
	int64_t		 q_retry_at;	/* when to try Redis again (wall seconds) */
	int64_t		 q_backoff;	/* seconds */
	int64_t		 redis_down_since; /* first heartbeat without Redis (0: it is up) */
	/* where the last sync pass stopped, to go round the open runs fairly */
	int64_t		 sync_created;
	int64_t		 sync_rowid;
	/* the pauses of the kill switch in force, read at the start of each pass */
	struct pause	*pauses;
	size_t		 npauses;
};

/* What one pass did, for logs and tests. */
struct tick_stats {
	int64_t		 jobs;		/* due jobs handled */
	int64_t		 pending;	/* runs recorded to go out */
	int64_t		 missed;	/* missed rows (each may stand for many fire times) */
	int64_t		 skipped;	/* runs skipped for max_instances */
	int64_t		 pushed;	/* runs handed to Redis */
	int64_t		 synced;	/* runs whose state changed from what Redis says */
	int64_t		 withdrawn;	/* runs of deleted jobs taken back or dropped */
};

/* tick.c */
/*
 * Turns every job due at `now` into runs (pending, missed, skipped) and advances its
 * next_run_at, TICK_BATCH jobs per transaction. Returns 0, or -1 (logged).
 */
int		 tick_fire(struct schedd *, int64_t now, struct tick_stats *);
/* Pushes pending runs to Redis and marks them queued. Returns 0, or -1 (Redis lost). */
int		 tick_dispatch(struct schedd *, int64_t now, struct tick_stats *);
/* Reads back the state of queued and running runs. Returns 0, or -1 (Redis lost). */
int		 tick_sync(struct schedd *, int64_t now, struct tick_stats *);
/*
 * Takes the runs of deleted jobs back out of their queues; of those a worker has already,
 * waits for the end, logs it and drops it. Returns 0, or -1 (Redis lost).
 */
int		 tick_withdraw(struct schedd *, int64_t now, struct tick_stats *);
/* Drops finished runs past the configured history. */
void		 tick_prune(struct schedd *, int64_t now);
/*
 * After the wall clock was set back by more than TICK_BIG_JUMP: schedules read from the new
 * time (see schedd.c). Returns the number of jobs whose next run moved.
 */
int64_t		 tick_reschedule(struct schedd *, int64_t now);
/* Connects to Redis when it is time to try again. */
void		 tick_connect(struct schedd *, int64_t now);

/* guard.c */
/*
 * At the start of a pass: ends the pauses whose time is over, resumes the jobs whose
 * paused_until has come, and reads the pauses in force.
 */
void		 guard_pass(struct schedd *, int64_t now);
/* The pause in force that covers bot type bot_type, or NULL. */
const struct pause *guard_covering(const struct schedd *, const char *bot_type);
/* "WHAT: All bots are paused by ... : note" (new). */
char		*guard_skip_message(const struct pause *, const char *what);
/*
 * After run r of open run o ended (in the caller's transaction): its job's failures in a
 * row, the pause after too many, and a pause its bot asked for.
 */
enum db_res	 guard_ended(struct schedd *, const struct open_run *o, const struct run *r,
		    int64_t now);
void		 guard_release(struct schedd *);

#define TICK_BIG_JUMP	(3 * 3600)

#endif
