/*
 * autosched: RQ and Redis, the layer beside the store that does I/O on Redis: what Python RQ
 * reads and writes (rq.c: payloads, pickles, timestamps; no Redis there) and the connection
 * schedd pushes runs through and reads outcomes back from (queue.c, the only file that
 * includes hiredis.h).
 */
#ifndef QUEUE_H
#define QUEUE_H

#include <jansson.h>

#include "base.h"
#include "cal.h"
#include "conf.h"

/* rq.c */

#define RQ_TS_LEN	28	/* "2026-11-28T14:00:00.123456Z" and the NUL */

/* The status field of an RQ job hash (rq.job.JobStatus). */
enum rq_status {
	RQ_STATUS_GONE,		/* no hash: never pushed, expired or deleted */
	RQ_STATUS_QUEUED,
	RQ_STATUS_STARTED,
	RQ_STATUS_FINISHED,
	RQ_STATUS_FAILED,
	RQ_STATUS_STOPPED,
	RQ_STATUS_CANCELED,
	RQ_STATUS_OTHER		/* deferred, scheduled, or one a newer RQ added */
};
/* The status RQ wrote as text ("" when the hash is gone). */
enum rq_status	 rq_status_parse(const char *text);

/* The type of an entry of a job's rq:results stream (rq.results.Result.Type). */
enum rq_result {
	RQ_RESULT_NONE = 0,	/* no entry, or a type this version does not know */
	RQ_RESULT_OK = 1,
	RQ_RESULT_FAILED = 2,
	RQ_RESULT_STOPPED = 3
};
/* The result type RQ wrote as text. */
enum rq_result	 rq_result_parse(const char *text);

/* Writes a time as RQ writes timestamps into out[RQ_TS_LEN]. */
void		 rq_timestamp(char *out, int64_t usec_since_epoch);
int64_t		 rq_now_usec(void);
/* Reads an RQ timestamp (any fraction, or none) into Unix seconds. Returns 0 or -1. */
int		 rq_parse_timestamp(const char *s, int64_t *out);
int		 rq_deflate(const void *in, size_t n, struct buf *out);
int		 rq_inflate(const void *in, size_t n, struct buf *out);
int		 rq_base64_decode(const char *in, size_t n, struct buf *out);
/*
 * The `data` of an RQ job calling func(**kwargs) (kwargs borrowed: an object of bools, ints,
 * strings, nulls, reals): zlib of the JSON or pickle-2 tuple. Returns 0 or -1.
 */
int		 rq_payload(enum serializer, const char *func, const json_t *kwargs,
		    struct buf *out);
/* The pickle protocol 2 tuple (func, None, (), kwargs), uncompressed. Returns 0 or -1. */
int		 rq_pickle_call(const char *func, const json_t *kwargs, struct buf *out);
/*
 * Reads a pickle (protocols 2-5) of plain data (dicts with string keys, lists, tuples,
 * strings, ints, floats, bools, None) into JSON. Returns new, or NULL for anything else.
 */
json_t		*rq_unpickle(const void *data, size_t len);

/* queue.c */

struct queue;

/* What became of one run handed to queue_push. */
enum queue_pushed {
	QUEUE_PUSHED,		/* now in its RQ queue */
	QUEUE_PUSHED_BEFORE,	/* pushed by an earlier call: nothing changed */
	QUEUE_REFUSED		/* Redis refused it (logged) */
};

/* One run to push as an RQ job. */
struct queue_item {
	const char	*id;		/* the run id: also the RQ job id */
	const char	*queue;
	const char	*data;		/* the RQ payload (rq_payload) */
	size_t		 len;
	const char	*description;
	int64_t		 timeout, result_ttl, failure_ttl;
	enum queue_pushed result;	/* out */
};

/* What Redis knows of one RQ job. */
struct queue_state {
	const char	*id;		/* in */
	enum rq_status	 status;	/* the job hash's */
	int64_t		 started_at, ended_at, heartbeat;	/* TIME_NONE when absent */
	enum rq_result	 result;	/* the latest rq:results entry's type */
	struct buf	 return_value;	/* serializer bytes, base64-decoded */
	struct buf	 traceback;	/* text */
};

/* What queue_withdraw did. */
enum queue_withdrawn {
	QUEUE_WITHDRAWN,	/* taken off its queue: no worker will run it */
	QUEUE_TAKEN,		/* not in the queue any more: a worker has it */
	QUEUE_WITHDRAW_ERR	/* Redis failed (logged) */
};

/*
 * Connects to [schedd] redis, signs in (AUTH) and selects the database when the address or
 * the configuration says so. Returns a new handle (queue_close it), or NULL (logged).
 */
struct queue	*queue_open(const struct schedd_conf *, int timeout_ms);
void		 queue_close(struct queue *);
int		 queue_ping(struct queue *);
/*
 * Pushes n runs as RQ jobs, exactly once each (see queue.c). Returns 0 with each
 * items[i].result set, or -1 when the connection failed (then close and reopen).
 */
int		 queue_push(struct queue *, struct queue_item *items, size_t n);
/* Reads the state of n RQ jobs. Returns 0, or -1 when the connection failed. */
int		 queue_poll(struct queue *, struct queue_state *s, size_t n);
void		 queue_state_release(struct queue_state *);
/* Takes job id off RQ queue `queue` if no worker has taken it yet. */
enum queue_withdrawn queue_withdraw(struct queue *, const char *id, const char *queue);

#endif /* QUEUE_H */
