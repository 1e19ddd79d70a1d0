/*
 * autosched: what the FastCGI programs of cgi/ share: the long-lived application state and
 * the request (req.c), the schedule preview both programs answer (preview.c), how the
 * service is (status.c), the answers a process keeps (cache.c), and the program a front controller runs (main.c). fcgiapp.h stays in main.c and req.c; handlers
 * see only struct req.
 */
#ifndef CGI_H
#define CGI_H

#include "auth.h"
#include "base.h"
#include "conf.h"
#include "db.h"
#include "jobs.h"

#define REQ_MAX_BODY		(64 * 1024)	/* bytes; more is a 413 */
#define REQ_MAX_QUERY		4096		/* bytes of QUERY_STRING */
#define REQ_MAX_PARAMS		32		/* query parameters */
#define REQ_MAX_JSON_DEPTH	8		/* nesting of arrays and objects in a body */
#define REQ_MAX_ID		64		/* longest job id echoed in a message */
#define REQ_MAX_FORM		256		/* form fields */
#define PREVIEW_DEFAULT_COUNT	5		/* next runs a preview shows */
#define PREVIEW_MAX_COUNT	100

/* Long-lived: one per process, set up before the first request. */
struct app {
	struct conf	 conf;
	struct db	*db;
};

struct req;

/* The methods a route allows, as a mask. */
#define M_GET		0x01
#define M_POST		0x02
#define M_PUT		0x04
#define M_DELETE	0x08

/* One name=value pair of a query string or a form. */
struct req_pair {
	char	*key;
	char	*val;
};

struct req {
	struct app	*app;
	void		*in, *out;		/* FCGX_Stream, or NULL for plain CGI (stdio) */
	char		**envp;

	/* the request, all borrowed until req_release() */
	const char	*method;
	int		 mbit;			/* M_GET ..., 0 for others */
	int		 head;			/* HEAD: answer as GET, without the body */
	const char	*path;			/* PATH_INFO, "" when absent */
	const char	*script;		/* SCRIPT_NAME: the mount point */
	const char	*ctype;			/* CONTENT_TYPE or NULL */
	struct req_pair	*q;			/* query parameters */
	size_t		 nq;
	struct req_pair	*form;			/* form fields (POST), in order */
	size_t		 nform;
	int64_t		 now;
	char		 who[AUTH_NAME_LEN];	/* the API key's name once authenticated */
	char		 client[64];		/* req_client's answer, once asked */

	/* the answer, built by the handler and sent by req_send() */
	int		 status;
	const char	*content_type;
	char		 etag[72];		/* req_etag's, sent with a 200 or 304 */
	struct buf	 headers;		/* extra "Name: value\r\n" lines */
	struct buf	 body;
};

/* req.c */

/* What req_pairs_parse made of a query string or form. */
enum req_pairs_res {
	REQ_PAIRS_OK,
	REQ_PAIRS_BAD,		/* bad percent-encoding, not UTF-8, or a NUL */
	REQ_PAIRS_TOO_MANY,	/* more than max pairs */
	REQ_PAIRS_REPEATED	/* a key given twice where keys are unique */
};
/*
 * Splits "a=1&b=2" (len bytes, any bytes) into percent-decoded pairs appended to *kv ('+'
 * is a space; every key and value is valid UTF-8 without NUL). On REQ_PAIRS_REPEATED, *dup
 * is the key (new).
 */
enum req_pairs_res req_pairs_parse(const char *s, size_t len, int unique, size_t max,
		    struct req_pair **kv, size_t *n, char **dup);
/* The first value of name among n pairs (borrowed), or NULL. */
const char	*req_pairs_get(const struct req_pair *, size_t n, const char *name);
/* Whether name has value among its values. */
int		 req_pairs_has(const struct req_pair *, size_t n, const char *name,
		    const char *value);
/*
 * Matches PATH_INFO against a route pattern of segments: a "*" segment matches any one
 * segment, copied into id[REQ_MAX_ID + 1] (truncated); "" is the mount itself. A trailing
 * slash does not matter. Returns 1 on a match.
 */
int		 req_route(const char *pattern, const char *path, char *id);
/* Appends s percent-encoded for a URL's query (every byte but unreserved ones). */
void		 req_url_encode(struct buf *, const char *s);
/*
 * Whether a path is one of ours to redirect to, under the mount point: it starts with one
 * "/", is printable ASCII without "\\", and has no "." or ".." segment (also as %2e).
 */
int		 req_local_path_ok(const char *path);
void		 req_init(struct req *, struct app *, char **envp, void *in, void *out);
void		 req_release(struct req *);
const char	*req_env(const struct req *, const char *name);
/*
 * Parses QUERY_STRING into r->q. Returns 0, or -1 after answering 400 (bad encoding),
 * 414 (longer than REQ_MAX_QUERY) or 422 (a parameter repeated, or too many).
 */
int		 req_parse_query(struct req *);
/* The value of query parameter name (borrowed), or NULL. */
const char	*req_query(const struct req *, const char *name);
/*
 * Reads the body (CONTENT_LENGTH bytes, at most REQ_MAX_BODY) into b. Returns 0, or -1
 * after answering 413 or 400.
 */
int		 req_read_body(struct req *, struct buf *b);
/*
 * Reads and parses a JSON body into *out (new). Empty bodies give *out == NULL when
 * allow_empty. Returns 0, or -1 after answering 413, 415 or 422.
 */
int		 req_json_body(struct req *, int allow_empty, json_t **out);
/*
 * Reads an application/x-www-form-urlencoded body into r->form (a field may repeat).
 * Returns 0, or -1 after answering 413, 415 or 400.
 */
int		 req_parse_form(struct req *);
/* The first value of form field name (borrowed), or NULL. */
const char	*req_form(const struct req *, const char *name);
/* Whether form field name has the given value among its values (checkboxes). */
int		 req_form_has(const struct req *, const char *name, const char *value);
/* The value of cookie name (a new string), or NULL. */
char		*req_cookie(const struct req *, const char *name);
/* Answers 303 See Other to path (under the mount point; may carry a query). */
void		 req_redirect(struct req *, const char *fmt, ...) APP_PRINTF(2, 3);
/* Whether the request came over HTTPS (the web server says so). */
int		 req_https(const struct req *);
/*
 * The client's address (borrowed: valid until req_release): REMOTE_ADDR, or, when that is
 * one of [web] trusted_proxies, the nearest address of X-Forwarded-For that is not, read
 * from the right (what the proxies appended). "-" when there is none.
 */
const char	*req_client(struct req *);
/* Answers with a JSON document (steals v). */
void		 req_json(struct req *, int status, json_t *v);
/* Answers {"detail": "..."}. */
void		 req_detail(struct req *, int status, const char *fmt, ...) APP_PRINTF(3, 4);
/* Answers 422 with every validation error, each located under root ("body", "query"). */
void		 req_invalid(struct req *, const char *root, const struct verrs *);
/* Answers 405 with the Allow header for mask. */
void		 req_method_not_allowed(struct req *, int mask);
void		 req_header(struct req *, const char *name, const char *fmt, ...)
		    APP_PRINTF(3, 4);
/*
 * Makes the answer revalidatable: adds `ETag: "tag"` and `Cache-Control: private,
 * no-cache` (a browser may keep it, but asks again every time). When the request's
 * If-None-Match names the tag (or is *), answers 304 Not Modified and returns 1: the
 * handler is done. Otherwise returns 0, and the handler builds the answer.
 */
int		 req_etag(struct req *, const char *tag);
/*
 * The HTTP status of a change's result, for the API and the dashboard alike: 200, 422
 * invalid, 404 not found, 409 at max_instances or an existing id, 503 when the store is
 * still locked after the busy timeout (the client may retry), 500 for any other failure.
 */
int		 req_status(enum jobs_res);
/* Answers a failure with req_status's status and {"detail": ...} for people. */
void		 req_fail(struct req *, enum jobs_res);
/* Rejects query parameters not in the NULL-terminated list. Returns 0, or -1 after 422. */
int		 req_only_params(struct req *, const char *const *allowed);
/* Query parameter name as an integer in [min, max] (def when absent); errors go to e. */
int		 req_query_int(struct req *, const char *name, int64_t def, int64_t min,
		    int64_t max, struct verrs *e, int64_t *out);
/* "true"/"1" or "false"/"0" (any case). Returns 0, or -1 for anything else. */
int		 req_bool(const char *v, int *out);
/* Sends status, headers (security headers included) and body. */
void		 req_send(struct req *);

/* cache.c: answers kept by the process while the jobs' generation stands */
#define CACHE_ENTRIES	8
#define CACHE_MAX_BYTES	(2 * 1024 * 1024)
/*
 * When an answer was kept under key at generation gen, puts its status, content type,
 * headers and body into r and returns 1; else returns 0 (an answer of an older generation
 * is dropped).
 */
int		 cache_get(struct req *, const char *key, int64_t gen);
/*
 * Keeps r's answer (a 200, not too large) under key at generation gen, with the headers
 * the handler added from offset `from` of r->headers on (not those of the request's own,
 * such as a session's Set-Cookie).
 */
void		 cache_put(struct req *, const char *key, int64_t gen, size_t from);
void		 cache_clear(void);

/* status.c */
#define STATUS_HEARTBEAT_STALE	30	/* seconds without a schedd heartbeat: not running */

enum schedd_state {
	SCHEDD_UNKNOWN,		/* the heartbeat could not be read */
	SCHEDD_NEVER,		/* no heartbeat ever */
	SCHEDD_STOPPED,		/* its newest heartbeat says it stopped */
	SCHEDD_STALE,		/* none for STATUS_HEARTBEAT_STALE seconds */
	SCHEDD_RUNNING
};

/* How the service is: schedd, Redis and its queues as schedd last saw them, the backlog. */
struct status {
	enum db_res	 heartbeat_res;
	enum schedd_state schedd;
	int64_t		 beat;		/* the newest heartbeat, or TIME_NONE */
	const char	*redis;		/* "ok", "down" or "unknown" (schedd not running) */
	int64_t		 redis_down_since; /* or TIME_NONE */
	const json_t	*queues;	/* {"default": 412}: LLEN of each queue, or NULL */
	enum db_res	 backlog_res;
	int64_t		 waiting;	/* runs queued in Redis that no worker started yet */
	int64_t		 oldest_queued;	/* when the oldest of them was queued, or TIME_NONE */
	int64_t		 oldest_wait;	/* seconds it has waited (0 when none) */
	int		 behind;	/* oldest_wait > [schedd] workers_behind_after */
	json_t		*said;		/* the heartbeat's info */
};
/* Reads the status at `now` (status_release it). */
void		 status_read(struct app *, int64_t now, struct status *);
void		 status_release(struct status *);
/* "running", "stale", ...: as /health names schedd's state. */
const char	*status_schedd_name(enum schedd_state);

/* preview.c */
/*
 * Answers a schedule preview from the query (schedule_type, timezone, count, from and the
 * schedule's own keys): its words and next runs, as GET /preview of the API.
 */
void		 preview_answer(struct req *);

/*
 * A FastCGI program of cgi/: main.c runs whichever one it is linked with (api.c for the
 * JSON API, web.c for the dashboard).
 */
struct program {
	const char	*name;			/* for logs */
	int		(*init)(struct app *);	/* after config and database; 0 or -1 */
	void		(*serve)(struct req *);
};
extern const struct program program;

#endif
