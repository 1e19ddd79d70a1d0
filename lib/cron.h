/*
 * autosched: 5-field cron expressions (cron.c), parsed and evaluated in a zone with
 * cronie's daylight-saving rules (docs/SCHEDULES.md), and said in English.
 */
#ifndef CRON_H
#define CRON_H

#include "base.h"
#include "tz.h"


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
	/*
	 * Per field (minute, hour, day-of-month, month, day-of-week): the first step in it
	 * that is wider than the field's span, so that only its start is in range (cronie
	 * accepts these: docs/SCHEDULES.md), or 0. For the description only.
	 */
	uint16_t	 wide[5];
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
/* Appends weekday bits (Sunday 0) in English: "Monday through Friday", "every day". */
void		 cron_describe_days(uint8_t dow, struct buf *b);

#endif /* CRON_H */
