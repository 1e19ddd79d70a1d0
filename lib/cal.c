/*
 * autosched: proleptic Gregorian calendar arithmetic, with no time zone in sight.
 *
 * Dates are converted to and from a count of days since 1970-01-01 with Howard Hinnant's
 * algorithms (public domain: "chrono-Compatible Low-Level Date Algorithms"), which are exact
 * for every year and need no tables or loops. Also ISO 8601 formatting and parsing.
 */
#include <stdio.h>
#include <string.h>

#include "cal.h"

const struct cal_name cal_wdays[7] = {
	{ "sun", "Sun", "Sunday" }, { "mon", "Mon", "Monday" }, { "tue", "Tue", "Tuesday" },
	{ "wed", "Wed", "Wednesday" }, { "thu", "Thu", "Thursday" }, { "fri", "Fri", "Friday" },
	{ "sat", "Sat", "Saturday" }
};

const struct cal_name cal_months[13] = {
	{ "", "", "" }, { "jan", "Jan", "January" }, { "feb", "Feb", "February" },
	{ "mar", "Mar", "March" }, { "apr", "Apr", "April" }, { "may", "May", "May" },
	{ "jun", "Jun", "June" }, { "jul", "Jul", "July" }, { "aug", "Aug", "August" },
	{ "sep", "Sep", "September" }, { "oct", "Oct", "October" }, { "nov", "Nov", "November" },
	{ "dec", "Dec", "December" }
};

int64_t
cal_floor_div(int64_t a, int64_t b)
{
	int64_t	 q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int
cal_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
cal_mdays(int64_t y, int m)
{
	static const int days[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && cal_is_leap(y) ? 29 : days[m];
}

int64_t
cal_days(int64_t y, int m, int d)
{
	int64_t		 era, yoe, doy, doe;

	y -= m <= 2;
	era = cal_floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
cal_date(int64_t z, int64_t *year, int *mon, int *mday)
{
	int64_t		 era, doe, yoe, y, doy, mp;

	z += 719468;
	era = cal_floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mon = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = y + (*mon <= 2);
}

int
cal_wday(int64_t days)
{
	/* 1970-01-01 was a Thursday. */
	int64_t	 w = (days + 4) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

void
cal_split(int64_t secs, struct cal_tm *tm)
{
	int64_t	 days = cal_floor_div(secs, 86400);
	int64_t	 rem = secs - days * 86400;

	cal_date(days, &tm->year, &tm->mon, &tm->mday);
	tm->hour = (int)(rem / 3600);
	tm->min = (int)(rem % 3600 / 60);
	tm->sec = (int)(rem % 60);
	tm->wday = cal_wday(days);
}

int64_t
cal_join(const struct cal_tm *tm)
{
	return cal_days(tm->year, tm->mon, tm->mday) * 86400 +
	    tm->hour * 3600 + tm->min * 60 + tm->sec;
}

/* Writes v as exactly n decimal digits at p. */
static void
put_digits(char *p, unsigned v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

char *
cal_iso(time_t t, char *buf)
{
	struct cal_tm	 tm;

	/* By hand, not snprintf: listing jobs formats five of these per job. */
	cal_split(t, &tm);
	put_digits(buf, (unsigned)(tm.year % 10000), 4);
	buf[4] = '-';
	put_digits(buf + 5, (unsigned)tm.mon, 2);
	buf[7] = '-';
	put_digits(buf + 8, (unsigned)tm.mday, 2);
	buf[10] = 'T';
	put_digits(buf + 11, (unsigned)tm.hour, 2);
	buf[13] = ':';
	put_digits(buf + 14, (unsigned)tm.min, 2);
	buf[16] = ':';
	put_digits(buf + 17, (unsigned)tm.sec, 2);
	buf[19] = 'Z';
	buf[20] = '\0';
	return buf;
}

/* Reads exactly n ASCII digits. */
static int
digits(const char **sp, int n, int *out)
{
	const char	*s = *sp;
	int		 v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	*sp = s;
	*out = v;
	return 0;
}

int
cal_parse_iso(const char *s, struct cal_iso *out)
{
	struct cal_iso	 r;
	int		 y, oh, om = 0, sign;

	memset(&r, 0, sizeof(r));
	if (digits(&s, 4, &y) == -1 || *s++ != '-' ||
	    digits(&s, 2, &r.tm.mon) == -1 || *s++ != '-' ||
	    digits(&s, 2, &r.tm.mday) == -1)
		return -1;
	r.tm.year = y;
	if (*s == 'T' || *s == 't' || *s == ' ') {
		s++;
		if (digits(&s, 2, &r.tm.hour) == -1 || *s++ != ':' ||
		    digits(&s, 2, &r.tm.min) == -1)
			return -1;
		if (*s == ':') {
			s++;
			if (digits(&s, 2, &r.tm.sec) == -1)
				return -1;
		}
	}
	if (*s == 'Z' || *s == 'z') {
		r.has_off = 1;
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (digits(&s, 2, &oh) == -1)
			return -1;
		if (*s == ':')
			s++;
		if (*s != '\0' && digits(&s, 2, &om) == -1)
			return -1;
		if (oh > 23 || om > 59)
			return -1;
		r.has_off = 1;
		r.off = sign * (oh * 3600 + om * 60);
	}
	if (*s != '\0')
		return -1;
	if (r.tm.year < CAL_MIN_YEAR || r.tm.mon < 1 || r.tm.mon > 12 || r.tm.mday < 1 ||
	    r.tm.mday > cal_mdays(r.tm.year, r.tm.mon) || r.tm.hour > 23 ||
	    r.tm.min > 59 || r.tm.sec > 59)
		return -1;
	r.tm.wday = cal_wday(cal_days(r.tm.year, r.tm.mon, r.tm.mday));
	*out = r;
	return 0;
}
