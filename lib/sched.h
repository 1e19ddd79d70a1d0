/*
 * autosched: the schedule types of SPEC §3 and §9 (sched.c): daily, weekly, interval,
 * cron, manual and date (once) schedules, validated from a job's schedule_config,
 * evaluated in a zone, said in English and previewed. Pure: no I/O but reading tzdata.
 */
#ifndef SCHED_H
#define SCHED_H

#include <jansson.h>

#include "base.h"
#include "cron.h"
#include "tz.h"


enum sched_type {
	SCHED_DAILY,
	SCHED_WEEKLY,
	SCHED_INTERVAL,
	SCHED_CRON,
	SCHED_MANUAL,
	SCHED_DATE,
	SCHED__MAX
};

struct sched {
	enum sched_type	 type;
	struct cron	 cron;		/* daily, weekly, cron */
	int64_t		 period;	/* interval: seconds */
	int64_t		 wall;		/* date: the wall-clock time, seconds since 1970 */
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
/*
 * Parses a weekly day list ("mon", "mon,wed,fri", "mon-fri", "sat-sun") into weekday bits
 * (Sunday 0, as cron has them) and appends its normalised text to norm. Returns 0, or -1
 * with *msg saying why (static storage).
 */
int		 sched_parse_days(const char *text, uint8_t *bits, struct buf *norm,
		    const char **msg);
/*
 * Whether a date schedule's wall time is skipped by a jump of zone z (0 or 1). Other
 * schedules: 0.
 */
int		 sched_skipped(const struct sched *, const struct tz *z);
/* Appends the schedule in English to b. */
void		 sched_describe(const struct sched *, struct buf *b);

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
/*
 * The next `count` fire times of s after `from` (anchor: an interval's), as the previews
 * show them: a new array of {"at", "local", "dst": "moved" | "first_of_two" | "repeated" |
 * null}.
 */
json_t		*sched_preview(const struct sched *s, const struct tz *z, int64_t anchor,
		    int64_t from, int count);

#endif /* SCHED_H */
