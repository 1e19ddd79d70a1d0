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
 * What schedd accepts as a return value, whatever serializer wrote it. A worker's Python at
 * its default recursion limit (1000) writes no deeper: pickle.dumps stops at about 500
 * nested lists and json.dumps at about 990 (RecursionError); jansson's json_loadb stops at
 * 2048. 1000 levels keep json_dumps, json_decref and json_deep_copy, which recurse once a
 * level, under half a megabyte of stack (measured, ASan or not). A million values (empty
 * lists, the costliest) is about 100 MB in jansson and half a second to build and free,
 * where a bot returns a few dozen; 16 MiB of text is RQ_MAX_INFLATE (lib/rq.c), the most
 * kept of a traceback. Digits only: the messages below spell them.
 */
#define RQ_MAX_DEPTH	1000		/* containers nested in containers */
#define RQ_MAX_VALUES	1000000		/* values in all, memo copies counted */
#define RQ_MAX_TEXT	16777216	/* bytes of strings and keys in all, copies counted */
/* Why a return value was refused for its size: "the return value nests deeper than 1000
 * levels", "... expands to more than 1000000 values", "... to more than 16777216 bytes of
 * text". Compare pointers, or use rq_over_budget. */
extern const char rq_too_deep[], rq_too_many[], rq_too_long[];
/*
 * Reads a pickle (protocols 2-5) of plain data (dicts with string keys, lists, tuples,
 * strings, ints, floats, bools, None) into JSON, within the limits above (memo references
 * are copies: a few bytes can stand for billions of values, and are counted as copied).
 * Returns new, or NULL with *why (if why is not NULL) a static message: one of the three
 * above, or "the return value is not plain data (pickle opcode 0x63)" and the like.
 */
json_t		*rq_unpickle(const void *data, size_t len, const char **why);
/* Whether why is one of rq_too_deep, rq_too_many, rq_too_long. */
int		 rq_over_budget(const char *why);
/*
 * Checks a value read otherwise (json_loadb) against RQ_MAX_DEPTH before it reaches
 * json_dumps. Returns 0, or -1 with *why = rq_too_deep.
 */
int		 rq_check_depth(const json_t *, const char **why);

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
/*
 * How many RQ jobs wait in each of the n queues names[] (LLEN rq:queue:NAME, one round
 * trip): len[i], or -1 when Redis answered something else. Returns 0, or -1 when the
 * connection failed.
 */
int		 queue_lengths(struct queue *, const char *const *names, size_t n,
		    int64_t *len);
/* Takes job id off RQ queue `queue` if no worker has taken it yet. */
enum queue_withdrawn queue_withdraw(struct queue *, const char *id, const char *queue);

#endif /* QUEUE_H */
