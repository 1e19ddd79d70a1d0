/*
 * autosched: the internal header of the shared core (lib/libapp.a).
 *
 * Every structure and function that more than one file of lib/, cgi/, schedd/ or cli/ uses is
 * declared here, grouped by the file that defines it. Ownership follows jansson's words: a
 * "new" result belongs to the caller, a "borrowed" one stays owned by the callee, and a
 * function that "steals" an argument takes it over.
 *
 * Time: time_t is always a UTC instant in seconds (Unix time). "Wall" seconds (int64_t) are a
 * zone's local wall-clock time counted as if it were UTC, used only inside the schedule engine.
 */
#ifndef APP_H
#define APP_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#define AUTOSCHED_VERSION	"0.1.0"

#if defined(__GNUC__)
#define APP_PRINTF(f, a)	__attribute__((format(printf, f, a)))
#define APP_NORETURN		__attribute__((noreturn))
#else
#define APP_PRINTF(f, a)
#define APP_NORETURN
#endif

/* util.c */

/* Allocation that cannot fail: on exhaustion these log and abort(). Results are new. */
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xrealloc(void *, size_t);
char		*xstrdup(const char *);
char		*xasprintf(const char *, ...) APP_PRINTF(1, 2);

/*
 * Parses the whole of `s` as a decimal integer in [min, max]: optional '-', ASCII digits
 * only, no spaces, no '+'. Returns 0 and sets *out, or -1 (nothing set).
 */
int		 parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Fills buf with n cryptographically random bytes (getrandom); aborts if it cannot. */
void		 random_bytes(void *buf, size_t n);

/* A UUID in text form, "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11", and its NUL. */
#define UUID_LEN	37
/* Writes a new random (version 4) UUID, lower case, into out[UUID_LEN]. */
void		 uuid_v4(char *out);
/* Whether s is a UUID in canonical text form (any case). */
int		 uuid_valid(const char *s);
/* Writes UUID s in lower case into out[UUID_LEN]. Returns 0, or -1 when s is no UUID. */
int		 uuid_canon(const char *s, char *out);

/* Whether [s, s + len) is valid UTF-8 (no overlongs, surrogates or NUL). */
int		 utf8_valid(const char *s, size_t len);
/* The number of code points in a valid UTF-8 string. */
size_t		 utf8_chars(const char *s);
/* Whether the UTF-8 string holds a control character (C0, DEL or C1). */
int		 utf8_has_control(const char *s);
/*
 * Copies s into out[sz], cut at max characters (or what fits) on a character boundary,
 * with an ellipsis when cut.
 */
void		 utf8_truncate(char *out, size_t sz, const char *s, size_t max);

/*
 * Nudges schedd through its notify socket (a unix datagram socket at path) so that it looks
 * at the database now. Never blocks; does nothing when schedd does not listen.
 */
void		 notify_schedd(const char *path);

/* buf.c */

/*
 * A growable string. Invariant: data is never NULL and always NUL-terminated, so
 * buf.data can be used as a C string at any time (BUF_INIT points it at a shared "").
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 alloc;
};
extern char buf_empty[];
#define BUF_INIT	{ buf_empty, 0, 0 }

void		 buf_init(struct buf *);
void		 buf_grow(struct buf *, size_t extra);
void		 buf_add(struct buf *, const void *, size_t);
void		 buf_addstr(struct buf *, const char *);
void		 buf_addch(struct buf *, int);
void		 buf_addf(struct buf *, const char *, ...) APP_PRINTF(2, 3);
void		 buf_vaddf(struct buf *, const char *, va_list) APP_PRINTF(2, 0);
void		 buf_reset(struct buf *);
/* Returns the string (new: caller frees) and leaves the buffer empty, as after buf_init. */
char		*buf_detach(struct buf *);
void		 buf_release(struct buf *);

/* log.c */

enum log_dest {
	LOGTO_STDERR,
	LOGTO_SYSLOG
};
void		 log_init(const char *progname, enum log_dest, int verbose);
/* log_warn appends strerror(errno); log_warnx does not. */
void		 log_warn(const char *, ...) APP_PRINTF(1, 2);
void		 log_warnx(const char *, ...) APP_PRINTF(1, 2);
void		 log_info(const char *, ...) APP_PRINTF(1, 2);
void		 log_debug(const char *, ...) APP_PRINTF(1, 2);

/* valid.c */

/*
 * One validation failure: the field's dotted path ("schedule_config.hour"), a message, and
 * its kind in pydantic's words ("value_error", "type_error.integer", "value_error.missing").
 */
struct verr {
	char		*field;
	char		*msg;
	const char	*type;		/* static */
};
/* A list of validation failures, so that every bad field is reported at once. */
struct verrs {
	struct verr	*v;
	size_t		 n;
	size_t		 alloc;
};
#define VERRS_INIT	{ NULL, 0, 0 }
/* Adds a failure of type "value_error". */
void		 verrs_add(struct verrs *, const char *field, const char *fmt, ...)
		    APP_PRINTF(3, 4);
/* Adds a failure of the given type (a static string). */
void		 verrs_addt(struct verrs *, const char *type, const char *field,
		    const char *fmt, ...) APP_PRINTF(4, 5);
void		 verrs_release(struct verrs *);

/* cal.c: proleptic Gregorian calendar arithmetic, no time zones */

#define CAL_MIN_YEAR	1
#define CAL_MAX_YEAR	9999
/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the instants autosched accepts. */
#define CAL_MIN_TIME	((int64_t)-62135596800LL)
#define CAL_MAX_TIME	((int64_t)253402300799LL)
/* "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define CAL_ISO_LEN	21

struct cal_tm {
	int64_t	 year;
	int	 mon;		/* 1-12 */
	int	 mday;		/* 1-31 */
	int	 hour;		/* 0-23 */
	int	 min;		/* 0-59 */
	int	 sec;		/* 0-59 */
	int	 wday;		/* 0-6, Sunday 0 */
};

int64_t		 cal_floor_div(int64_t, int64_t);
int		 cal_is_leap(int64_t year);
int		 cal_mdays(int64_t year, int mon);
/* Days since 1970-01-01 of a date (any month and day within the calendar). */
int64_t		 cal_days(int64_t year, int mon, int mday);
/* Splits days since 1970-01-01 into a date. */
void		 cal_date(int64_t days, int64_t *year, int *mon, int *mday);
int		 cal_wday(int64_t days);
/* Splits seconds since 1970-01-01T00:00 (UTC or wall) into fields, and joins them back. */
void		 cal_split(int64_t secs, struct cal_tm *);
int64_t		 cal_join(const struct cal_tm *);
/* Writes "YYYY-MM-DDTHH:MM:SSZ" into buf[CAL_ISO_LEN]; returns buf. */
char		*cal_iso(time_t, char *buf);

/* A parsed ISO 8601 date-time; has_off says whether a zone (Z or +hh:mm) was given. */
struct cal_iso {
	struct cal_tm	 tm;
	int		 has_off;
	int32_t		 off;		/* seconds east of UTC, when has_off */
};
/*
 * Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", "YYYY-MM-DDTHH:MM:SS", each optionally followed by
 * "Z", "+hh:mm", "-hh:mm", "+hhmm" or "+hh" (a space may stand for the T). Returns 0, or -1
 * when the text is not such a date-time or names a day that does not exist.
 */
int		 cal_parse_iso(const char *, struct cal_iso *);

/* tz.c: IANA time zones read from the system's TZif files */

struct tz;

#define TZ_NAME_MAX	64

/* A span of time during which a zone's UTC offset is constant: [start, end). */
struct tz_span {
	int64_t		 start;		/* TZ_BEGIN when unbounded */
	int64_t		 end;		/* TZ_END when unbounded */
	int32_t		 off;		/* seconds east of UTC during the span */
	int32_t		 prev_off;	/* offset just before start (== off when unbounded) */
	int32_t		 next_off;	/* offset from end on (== off when unbounded) */
	const char	*abbr;		/* "CET" (borrowed from the zone) */
};
#define TZ_BEGIN	INT64_MIN
#define TZ_END		INT64_MAX

/*
 * Returns the zone called `name` (borrowed: zones are loaded once, cached, and live until
 * tz_cache_flush()), or NULL with *why set to a static message when `name` is not a zone of
 * the system's tzdata. Thread-safe.
 */
const struct tz	*tz_get(const char *name, const char **why);
const char	*tz_name(const struct tz *);
/* Fills *sp with the span containing the instant t. */
void		 tz_span(const struct tz *, int64_t t, struct tz_span *sp);
int32_t		 tz_offset(const struct tz *, int64_t t);
/*
 * Converts a wall-clock time to an instant: the first occurrence when the wall time occurs
 * twice; for a wall time skipped by a jump forward, the instant of the jump.
 */
int64_t		 tz_from_wall(const struct tz *, int64_t wall);
/* Forgets every cached zone (after a tzdata update); earlier results become invalid. */
void		 tz_cache_flush(void);

/* cron.c: 5-field cron expressions */

#define CRON_MIN_STAR	0x01	/* the minute field begins with '*' */
#define CRON_HOUR_STAR	0x02	/* the hour field begins with '*' */
#define CRON_DOM_STAR	0x04	/* the day-of-month field begins with '*' */
#define CRON_DOW_STAR	0x08	/* the day-of-week field begins with '*' */

struct cron {
	uint64_t	 min;		/* bit m: minute m (0-59) */
	uint32_t	 hour;		/* bit h: hour h (0-23) */
	uint32_t	 dom;		/* bit d: day d of the month (1-31) */
	uint16_t	 mon;		/* bit m: month m (1-12) */
	uint8_t		 dow;		/* bit d: weekday d (0-6, Sunday 0; 7 folds to 0) */
	unsigned	 flags;		/* CRON_*_STAR */
};

enum cron_res {
	CRON_OK,
	CRON_INVALID,	/* malformed: err says which field and why */
	CRON_NEVER	/* well-formed but names only days that never exist */
};

#define CRON_ERR_LEN	128

/*
 * Parses a cron expression (SPEC §3, docs/SCHEDULES.md). On CRON_INVALID and CRON_NEVER, err
 * (CRON_ERR_LEN bytes) holds "<field>: <reason>"; on CRON_NEVER *c is still filled in.
 */
enum cron_res	 cron_parse(struct cron *c, const char *expr, char *err);
/* Whether the DST rule treats the schedule as fixed-time (see docs/SCHEDULES.md). */
int		 cron_fixed(const struct cron *);

/* A fire instant and what DST did to it. */
#define FIRE_MOVED	0x01	/* its wall time was skipped by a jump: fires at the jump */
#define FIRE_FIRST	0x02	/* fixed-time, at a wall time that occurs again; fires once */
#define FIRE_REPEAT	0x04	/* not fixed-time, at the second occurrence of a wall time */
struct fire {
	time_t		 at;
	int64_t		 wall;		/* the wall-clock time the schedule names */
	int		 flags;
};

/*
 * Finds the first fire instant strictly after `after`, in zone z. Returns 0 and fills *out,
 * or -1 when there is none before the end of year 9999.
 */
int		 cron_next(const struct cron *, const struct tz *z, time_t after, struct fire *out);
/* Appends the schedule in English ("At 08:00, Monday through Friday") to b. */
void		 cron_describe(const struct cron *, struct buf *b);

/* sched.c: the schedule types of SPEC §3 */

enum sched_type {
	SCHED_DAILY,
	SCHED_WEEKLY,
	SCHED_INTERVAL,
	SCHED_CRON,
	SCHED_MANUAL,
	SCHED__MAX
};

struct sched {
	enum sched_type	 type;
	struct cron	 cron;		/* daily, weekly, cron */
	int64_t		 period;	/* interval: seconds */
	json_t		*config;	/* normalised schedule_config, defaults filled in */
};

#define SCHED_MAX_INTERVAL_MIN	(366 * 24 * 60)

/* Returns the type called `name`, or -1. */
int		 sched_type_from_name(const char *name);
const char	*sched_type_name(enum sched_type);
/*
 * Validates schedule_config for a schedule of type `type` and fills *s. Every problem is
 * added to errs under "<prefix>.<key>" (prefix is "schedule_config" for the API). Returns 0,
 * or -1 when anything was wrong (then *s holds nothing to release). `config` is borrowed
 * and may be NULL (all defaults).
 */
int		 sched_parse(struct sched *s, enum sched_type type, const json_t *config,
		    const char *prefix, struct verrs *errs);
void		 sched_release(struct sched *);
/*
 * Finds the first fire instant strictly after `after`; `anchor` is the instant an interval
 * schedule counts from. Returns 0, or -1 when there is none (manual schedules never fire).
 */
int		 sched_next(const struct sched *, const struct tz *, time_t anchor, time_t after,
		    struct fire *out);
/* Appends the schedule in English to b. */
void		 sched_describe(const struct sched *, struct buf *b);

/* json.c: the JSON writer of the listing hot path */

/* Appends s as a JSON string (NULL: null); invalid UTF-8 becomes U+FFFD. */
void		 jsonw_str(struct buf *, const char *s);
/* Appends ,"key": (or "key": for the first member); key is ours, not escaped. */
void		 jsonw_key(struct buf *, const char *key, int first);
void		 jsonw_int(struct buf *, int64_t);
/* Appends an instant as "2026-11-28T14:00:00Z" (TIME_NONE: null). */
void		 jsonw_time(struct buf *, int64_t);
/* Whether text is one complete JSON value (checked with jansson). */
int		 json_text_ok(const char *text);

/* key.c: API keys (random secrets, kept as SHA-256 hashes) */

#define KEY_HASH_LEN	32
#define KEY_TEXT_LEN	48	/* "as_" + 44 base64url characters, and the NUL */

/* Writes a new random API key (264 bits) into out[KEY_TEXT_LEN]. */
void		 key_generate(char *out);
/* The SHA-256 of a key, into out[KEY_HASH_LEN]. */
void		 key_hash(const char *key, size_t len, unsigned char *out);
/* Compares two hashes in time that does not depend on where they differ. */
int		 key_equal(const unsigned char *a, const unsigned char *b);

/* auth.c: passwords (yescrypt) and session tokens */

#define AUTH_HASH_MAX	256
#define AUTH_TOKEN_LEN	45	/* 44 base64url characters (264 random bits) and the NUL */

/* Hashes a password with yescrypt into out[outsz]. Returns 0, or -1 (logged). */
int		 auth_password_hash(const char *password, char *out, size_t outsz);
/* Whether password matches the stored crypt(3) hash (compared in constant time). */
int		 auth_password_check(const char *password, const char *hash);
/* Writes a new random token into out[AUTH_TOKEN_LEN]. */
void		 auth_token(char *out);

/* conf.c: the configuration file and the bot types it declares */

#define CONF_DEFAULT_PATH	"/etc/autosched/autosched.conf"

enum param_type {
	PARAM_BOOL,
	PARAM_INT,
	PARAM_STRING
};

/* One declared parameter of a bot type, which a job's bot_config may set. */
struct param {
	char		*name;
	enum param_type	 type;
	json_t		*def;		/* default value, or NULL */
	int64_t		 min, max;	/* int */
	size_t		 max_len;	/* string, in characters */
	char		**choices;	/* string: allowed values, when nchoices > 0 */
	size_t		 nchoices;
};

enum serializer {
	SERIALIZER_JSON,
	SERIALIZER_PICKLE
};

/* A bot type: the RQ function that runs it and how. */
struct bot {
	char		*name;
	char		*function;	/* dotted Python path */
	char		*queue;
	char		*description;
	int64_t		 timeout;	/* seconds */
	int64_t		 result_ttl;
	int64_t		 failure_ttl;
	enum serializer	 serializer;
	struct param	*params;
	size_t		 nparams;
};

/* schedd's settings ([schedd]). */
struct schedd_conf {
	char		*redis;			/* "unix:/path", "host:port", "redis://..." */
	char		*redis_shown;		/* the same with its password as "***", for logs */
	char		*redis_username;	/* AUTH with a user (Redis 6 ACL), or NULL */
	char		*redis_password;	/* AUTH, or NULL */
	int64_t		 redis_db;		/* SELECT, 0 by default */
	char		*notify_socket;		/* where the web tier nudges schedd */
	int64_t		 poll_interval_ms;
	int64_t		 heartbeat_interval;	/* seconds */
	int64_t		 history_max_runs;	/* kept per job */
	int64_t		 history_max_days;
	int64_t		 worker_lost_after;	/* seconds without a worker heartbeat */
	int64_t		 queued_timeout;	/* seconds a run may wait for a worker */
	int64_t		 max_catchup;		/* owed runs made at once for one job */
};

/* The dashboard's settings ([web]). */
struct web_conf {
	char		*templates;		/* folder of the .tpl files */
	char		*static_url;		/* where the web server serves static/ */
	int64_t		 session_hours;
	int		 trust_remote_user;	/* the web server signs people in */
	int		 secure_cookies;	/* always mark cookies Secure */
};

struct conf {
	char		*path;		/* of the file itself */
	char		*db_path;
	int		 busy_timeout_ms;
	char		*default_tz;
	struct bot	*bots;
	size_t		 nbots;
	struct schedd_conf schedd;
	struct web_conf	 web;
};

/* The configuration file's path: $AUTOSCHED_CONF, else CONF_DEFAULT_PATH (borrowed). */
const char	*conf_default_path(void);
/*
 * Reads the configuration file into *c. Returns 0, or -1 with a message for people in err
 * (then *c holds nothing to release).
 */
int		 conf_load(struct conf *c, const char *path, struct buf *err);
void		 conf_release(struct conf *);
/* Returns the bot type called name (borrowed), or NULL. */
const struct bot *conf_bot(const struct conf *, const char *name);
/*
 * Checks one value against a parameter's declaration. Returns NULL when it fits, else a
 * message (in buf[sz], or a static string).
 */
const char	*param_check(const struct param *, const json_t *v, char *buf, size_t sz);
/*
 * Checks a job's bot_config (borrowed) against its bot type: only declared parameters, each
 * of its declared type and range. Adds every problem to errs under "<prefix>.<key>".
 * Returns 0, or -1.
 */
int		 bot_config_check(const struct bot *, const json_t *cfg, const char *prefix,
		    struct verrs *errs);

/* db.c: the SQLite store; the only file that includes sqlite3.h */

struct db;

enum db_res {
	DB_OK,
	DB_NOTFOUND,
	DB_CONFLICT,	/* a constraint, or run-now over max_instances */
	DB_BUSY,	/* still locked after the busy timeout */
	DB_ERR		/* logged */
};

#define TIME_NONE	INT64_MIN	/* a NULL time column */
#define COUNT_NONE	(-1)		/* a NULL counter column */

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
	char		*last_run_status;
	char		*last_run_error;
	int		 max_instances;
	int		 misfire_grace_time;
	int		 coalesce;
};

struct run {
	int64_t		 rowid;			/* the store's own key (outcomes) */
	char		 id[UUID_LEN];
	int64_t		 job_num;		/* the job's num */
	char		 job_id[UUID_LEN];
	char		*trigger;
	int64_t		 scheduled_for;
	int64_t		 created_at;
	int64_t		 queued_at;
	int64_t		 started_at;
	int64_t		 finished_at;
	char		*status;
	char		*result;		/* JSON text or NULL */
	char		*error;
	int64_t		 messages_sent;		/* COUNT_NONE when unknown */
	int64_t		 profiles_visited;
	char		*rq_job_id;
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
	int64_t		 runs[8];		/* by run status, in run_status_names order */
	int64_t		 ended[8];		/* runs that ever ended so, same order */
	int64_t		 oldest_pending;	/* created_at of the oldest pending run */
};
extern const char *const run_status_names[8];
/* run_status_names[RUN_ENDED_FIRST..7] are the ends: success, failed, missed, skipped, cancelled */
#define RUN_ENDED_FIRST	3

/*
 * Opens (creating when asked) the database at path, applies the pragmas (WAL,
 * synchronous=FULL, foreign keys, busy timeout), creates or upgrades the schema and prepares
 * every statement. Returns the handle (new: db_close it), or NULL (logged).
 */
struct db	*db_open(const char *path, int create, int busy_timeout_ms);
void		 db_close(struct db *);
/* Sets SQLite's page cache (KiB; its default is 2 MiB). */
void		 db_cache_size(struct db *, int kib);
/* The schema version the database is at, and the one this build writes. */
int		 db_schema_version(struct db *);
#define DB_SCHEMA_VERSION	4

/*
 * A write transaction around several calls (BEGIN IMMEDIATE: the write lock is taken at
 * once). db_commit rolls back when it fails.
 */
enum db_res	 db_begin(struct db *);
enum db_res	 db_commit(struct db *);
void		 db_rollback(struct db *);

void		 job_release(struct job *);
void		 run_release(struct run *);

enum db_res	 db_job_insert(struct db *, const struct job *);
/* On DB_OK, *out is filled (release with job_release). */
enum db_res	 db_job_get(struct db *, const char *id, struct job *out);
/* Replaces every writable column of the job with j's values. */
enum db_res	 db_job_update(struct db *, const struct job *j);
enum db_res	 db_job_delete(struct db *, const char *id);
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
 * On DB_OK, name (at least 256 bytes) holds the key's name.
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
 * The user and CSRF token of a session not expired at now (user: 256 bytes, csrf:
 * 64 bytes). DB_NOTFOUND for an unknown or expired one.
 */
enum db_res	 db_session_get(struct db *, const unsigned char *id_hash, int64_t now,
		    char *user, char *csrf);
enum db_res	 db_session_delete(struct db *, const unsigned char *id_hash);
/* Ends every session of user name and forgets its failed sign-ins (new password, deleted). */
enum db_res	 db_user_signout(struct db *, const char *name);
/* Forgets expired sessions, and old failed sign-ins. */
enum db_res	 db_session_prune(struct db *, int64_t now, int64_t failures_before);
/* Failed sign-ins for key since `since` (0 when none or older). */
enum db_res	 db_login_failures(struct db *, const char *key, int64_t since, int64_t *count);
/* Counts a failed sign-in for key (a new window when the last began before `since`). */
enum db_res	 db_login_failed(struct db *, const char *key, int64_t now, int64_t since);
enum db_res	 db_login_clear(struct db *, const char *key);
enum db_res	 db_stats(struct db *, struct db_stats *);

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
void		 pending_run_release(struct pending_run *);

/* A run handed to Redis and not yet over. */
struct open_run {
	int64_t		 rowid;
	int64_t		 job_num;
	char		 id[UUID_LEN];
	char		 job_id[UUID_LEN];
	char		 status[16];
	int64_t		 scheduled_for;
	int64_t		 created_at;
	int64_t		 queued_at;
	int64_t		 started_at;
	char		*bot_type;		/* the job's, now */
	char		*queue;			/* where the run was pushed (NULL before v2) */
	enum serializer	 serializer;		/* and how, when known */
	int		 known;
};
void		 open_run_release(struct open_run *);

/* Jobs with next_run_at <= now, soonest first (a new array, as db_job_list). */
enum db_res	 db_jobs_due(struct db *, int64_t now, int64_t limit, struct job **out,
		    size_t *n);
/* The earliest next_run_at of all jobs (TIME_NONE: none). */
enum db_res	 db_next_due(struct db *, int64_t *t);
enum db_res	 db_job_set_next(struct db *, const char *id, int64_t next);
/*
 * After firing job `num`: its next run, and its last_run_* when last_at (TIME_NONE: no run
 * made) is its newest run.
 */
enum db_res	 db_job_fired(struct db *, int64_t num, int64_t next, int64_t last_at,
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
/* Marks a pending run queued: it is in Redis, on `queue`, in that serializer. */
enum db_res	 db_run_queued(struct db *, int64_t rowid, int64_t now, const char *queue,
		    enum serializer);
/*
 * Queued and running runs after the cursor (created_at, rowid), oldest first (a new array:
 * open_run_release each, then free it).
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

/* model.c: the job and run documents (SPEC §2) */

#define JOB_NAME_MAX		200	/* characters */
#define JOB_DESC_MAX		2000
#define JOB_MAX_INSTANCES	100
#define JOB_MAX_GRACE		604800	/* seconds (a week) */

/*
 * Appends the schedule of type `type` with stored config `config` (JSON text) in English to
 * out. Returns 0, or -1 when they do not read. Memoised; thread-safe.
 */
int		 sched_words(const char *type, const char *config, struct buf *out);
/*
 * Reads a stored schedule (config: the JSON text job_apply stored) into *s, without its
 * config JSON (nothing to release). Returns 0, or -1 when it does not read. Memoised.
 */
int		 sched_stored(enum sched_type type, const char *config, struct sched *s);
/* Fills *j with a new job's defaults (enabled, max_instances 1, grace 3600, coalesce). */
void		 job_defaults(struct job *j);
/*
 * Validates a job document (borrowed) and applies it to *j: all of it when create (name,
 * bot_type and schedule_type required), else only the fields it has (a partial PUT). Fields
 * the server manages are ignored; anything else unknown is an error. Recomputes
 * next_run_at (strictly after now) when the schedule, zone or enabled flag change. Every
 * problem goes to errs; returns 0, or -1 with *j unchanged.
 */
int		 job_apply(struct job *j, const json_t *doc, int create, const struct conf *,
		    int64_t now, struct verrs *errs);
/* "2026-03-29T03:00:00+02:00": the local time of t in zone z, into buf[LOCAL_ISO_LEN]. */
#define LOCAL_ISO_LEN	26
void		 local_iso(const struct tz *z, time_t t, char *buf);
/*
 * The next `count` fire times of s after `from` (anchor: an interval's), as the previews
 * show them: a new array of {"at", "local", "dst": "moved" | "first_of_two" | "repeated" |
 * null}.
 */
json_t		*sched_preview(const struct sched *s, const struct tz *z, int64_t anchor,
		    int64_t from, int count);
/*
 * The job's next fire time strictly after now into *next (TIME_NONE when disabled or
 * manual, or when the schedule never fires in the job's zone). Returns 0, or -1 when the
 * stored schedule or zone cannot be read.
 */
int		 job_next_run(const struct job *j, int64_t now, int64_t *next);

/* rq.c: what Python RQ reads and writes (no Redis here: see queue.c) */

#define RQ_TS_LEN	28	/* "2026-11-28T14:00:00.123456Z" and the NUL */

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

/* queue.c: Redis (the only file that includes hiredis.h) */

struct queue;

/* One run to push as an RQ job. */
struct qpush {
	const char	*id;		/* the run id: also the RQ job id */
	const char	*queue;
	const char	*data;		/* the RQ payload (rq_payload) */
	size_t		 len;
	const char	*description;
	int64_t		 timeout, result_ttl, failure_ttl;
	int		 result;	/* out: 1 pushed, 0 pushed before, -1 refused */
};

/* What Redis knows of one RQ job. */
struct qstate {
	const char	*id;		/* in */
	char		 status[16];	/* the job hash's status; "" when the hash is gone */
	int64_t		 started_at, ended_at, heartbeat;	/* TIME_NONE when absent */
	int		 result_type;	/* latest rq:results entry: 0 none, 1 ok, 2 failed, 3 stopped */
	struct buf	 return_value;	/* serializer bytes, base64-decoded */
	struct buf	 traceback;	/* text */
};

/* A Redis address, parsed: a unix socket path, or host and port; credentials; database. */
struct redis_addr {
	char		 path[108];	/* unix socket, "" for TCP */
	char		 host[256];
	int		 port;
	char		 user[128];	/* from redis://USER:PASSWORD@..., "" when absent */
	char		 password[256];
	int		 db;		/* redis://host/DB, 0 when absent */
};
/*
 * Parses "unix:/path", "host[:port]" or "redis://[[USER]:PASSWORD@]host[:port][/DB]".
 * Returns 0, or -1 with a message in err.
 */
int		 redis_addr_parse(const char *spec, struct redis_addr *out, struct buf *err);
/* A copy of a Redis address for logs: redis://USER:PASSWORD@... as redis://USER:***@... */
char		*redis_redacted(const char *spec);
/* Whether two configurations reach Redis the same way (address, user, password, db). */
int		 redis_same(const struct schedd_conf *, const struct schedd_conf *);
/*
 * Connects to [schedd] redis, signs in (AUTH) and selects the database when the address or
 * the configuration says so. Returns a new handle (queue_close it), or NULL (logged).
 */
struct queue	*queue_open(const struct schedd_conf *, int timeout_ms);
void		 queue_close(struct queue *);
int		 queue_ping(struct queue *);
/*
 * Pushes n runs as RQ jobs, exactly once each (see queue.c). Returns 0 with each p[i].result
 * set, or -1 when the connection failed (then close and reopen).
 */
int		 queue_push(struct queue *, struct qpush *p, size_t n);
/* Reads the state of n RQ jobs. Returns 0, or -1 when the connection failed. */
int		 queue_poll(struct queue *, struct qstate *s, size_t n);
void		 qstate_release(struct qstate *);
/*
 * Takes job id off RQ queue `queue` if no worker has taken it yet. Returns 1 when taken
 * back, 0 when a worker had it, -1 on error.
 */
int		 queue_withdraw(struct queue *, const char *id, const char *queue);

#endif /* APP_H */
