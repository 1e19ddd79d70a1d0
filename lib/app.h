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

/* One validation failure: the field's dotted path ("schedule_config.hour") and a message. */
struct verr {
	char	*field;
	char	*msg;
};
/* A list of validation failures, so that every bad field is reported at once. */
struct verrs {
	struct verr	*v;
	size_t		 n;
	size_t		 alloc;
};
#define VERRS_INIT	{ NULL, 0, 0 }
void		 verrs_add(struct verrs *, const char *field, const char *fmt, ...)
		    APP_PRINTF(3, 4);
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

#endif /* APP_H */
