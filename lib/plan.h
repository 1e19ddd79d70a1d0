/*
 * autosched: a job's fire plan (plan.c), the top of the time layer: its schedule (sched.h),
 * passed over outside its active windows and delayed by its jitter (SPEC §9). What
 * next_run_at, the previews, the timeline and `autosched next` all ask. Pure: no I/O but
 * reading tzdata.
 */
#ifndef PLAN_H
#define PLAN_H

#include <jansson.h>

#include "base.h"
#include "sched.h"

#define PLAN_MAX_WINDOWS	16
#define PLAN_MAX_JITTER		86400		/* seconds */
/* With windows, a schedule that finds no fire time inside one within this never fires. */
#define PLAN_HORIZON		(366 * 86400)

/*
 * A weekly window of wall-clock time, [start, end) in minutes from midnight. An end before
 * the start crosses midnight: the window belongs to the day it starts.
 */
struct window {
	uint8_t		 days;		/* weekday bits, Sunday 0, as struct cron's dow */
	uint16_t	 start;		/* 0 - 1439 */
	uint16_t	 end;		/* 0 - 1440 (24:00), not start */
};

struct plan {
	struct sched	 s;		/* without its config JSON */
	const struct tz	*z;
	int64_t		 anchor;	/* an interval's */
	struct window	 w[PLAN_MAX_WINDOWS];
	size_t		 nw;		/* 0: always active */
	int64_t		 jitter;	/* seconds, at most PLAN_MAX_JITTER */
};

/* One planned fire. */
struct planned {
	int64_t		 nominal;	/* the schedule's fire time: a run's scheduled_for */
	int64_t		 at;		/* nominal plus the jitter drawn: next_run_at */
	int64_t		 spread;	/* the most the jitter could have added, in seconds */
	int64_t		 wall;		/* the wall-clock time the schedule names */
	int		 flags;		/* FIRE_* of the nominal time */
};

/*
 * Validates active_windows (borrowed: null, or a list of {"days", "start", "end"}) into
 * w[PLAN_MAX_WINDOWS] and *nw (0 for null). *norm: the normalised list to store (new), or
 * NULL for null. Problems go to errs under "field[i].key". Returns 0 or -1.
 */
int		 windows_parse(const json_t *v, const char *field, struct window *w, size_t *nw,
		    json_t **norm, struct verrs *errs);
/*
 * Reads stored windows (the text windows_parse's norm was dumped to; NULL: none). Returns
 * 0, or -1 when the text does not read. Memoised; thread-safe.
 */
int		 windows_stored(const char *text, struct window *w, size_t *nw);
/* Appends the windows in English: "Monday through Friday 09:00-18:00; ...". */
void		 windows_describe(const struct window *w, size_t nw, struct buf *b);

/*
 * The first nominal fire time strictly after `after` that lies inside a window (by its
 * wall-clock time). Returns 0, or -1 when there is none (with windows: none within
 * PLAN_HORIZON).
 */
int		 plan_nominal(const struct plan *, int64_t after, struct fire *out);
/*
 * The next planned fire after `after`: the nominal time and, with jitter, rnd modulo one
 * more than the spread added to it; the spread ends before the schedule's next fire time
 * and before the window closes. Returns 0, or -1 as plan_nominal.
 */
int		 plan_next(const struct plan *, int64_t after, uint64_t rnd, struct planned *out);
/* A random number for plan_next. */
uint64_t	 plan_random(void);
/*
 * Fills *p from a schedule's parts as a job document has them (borrowed; windows and
 * jitter may be NULL), validated as job_apply does, errors under the API's field names
 * (schedule_config.KEY, active_windows[i].KEY, jitter_seconds). Returns 0 or -1.
 */
int		 plan_parse(struct plan *p, enum sched_type type, const json_t *config,
		    const struct tz *z, const json_t *windows, const json_t *jitter,
		    int64_t anchor, struct verrs *errs);
/* Appends the plan in English: its schedule, then its windows and jitter. */
void		 plan_describe(const struct plan *, struct buf *b);
/*
 * Appends what stored windows (text, NULL: none) and jitter add to a schedule's words:
 * ", only within Monday through Friday 09:00-18:00, each run up to 15 minutes later at
 * random".
 */
void		 plan_words_extra(const char *windows, int64_t jitter, struct buf *b);
/*
 * Reads windows as people type them, "mon-fri 09:00-18:00; sat 10:00-12:00" (days
 * optional: every day), into the JSON list windows_parse takes (new). Returns it, or NULL
 * with *msg saying why (static storage).
 */
json_t		*windows_from_text(const char *text, const char **msg);
/*
 * The next `count` planned fires after `from`, as sched_preview shows them, each with
 * "latest": the last instant its jitter may move it to (null without jitter).
 */
json_t		*plan_preview(const struct plan *, int64_t from, int count);

#endif /* PLAN_H */
