/*
 * autosched: calendar arithmetic (cal.c), the first header of the time layer. Proleptic
 * Gregorian dates and times with no time zone in sight, ISO 8601, and the one table of
 * weekday and month names every part of autosched writes and reads.
 *
 * Time: time_t and int64_t instants are UTC seconds (Unix time). "Wall" seconds (int64_t) are
 * a zone's local wall-clock time counted as if it were UTC, used only inside the schedule
 * engine (tz.c, cron.c, sched.c).
 */
#ifndef CAL_H
#define CAL_H

#include <stdint.h>
#include <time.h>

#define TIME_NONE	INT64_MIN	/* no instant: a NULL time column, "never" */


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

/*
 * Names of the weekdays, indexed by cal_tm.wday (Sunday 0): "sun" as cron and the API write
 * them, "Sun" for dates people read, "Sunday" in sentences.
 */
struct cal_name {
	const char	*key;
	const char	*abbr;
	const char	*full;
};
extern const struct cal_name cal_wdays[7];
/* Names of the months, indexed by cal_tm.mon (January 1; index 0 is empty strings). */
extern const struct cal_name cal_months[13];

#endif /* CAL_H */
