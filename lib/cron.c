/*
 * autosched: 5-field cron expressions: parsing, next fire time in a zone, and English.
 *
 * An expression becomes five bit sets and four "field begins with '*'" flags, which are all
 * the rules need: the Vixie/cronie day rule looks at the flags of day-of-month and
 * day-of-week, and the DST rule at those of minute and hour (docs/SCHEDULES.md).
 *
 * Finding the next fire time works on wall-clock time one offset span at a time: within a
 * span of constant UTC offset, wall time and UTC differ by a constant, so the first matching
 * wall minute in the span is found by plain calendar arithmetic (skipping whole months, days
 * and hours with bit operations). At the end of a span the clock jumps; the code then applies
 * cronie's rule: a forward jump fires a fixed-time schedule once at the jump if it named any
 * skipped wall time, a backward jump repeats wall times that a fixed-time schedule must not
 * fire again.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cron.h"

enum field {
	F_MIN,
	F_HOUR,
	F_DOM,
	F_MON,
	F_DOW,
	F__MAX
};

static const struct fieldinfo {
	const char		*name;
	int			 min, max;
	const struct cal_name	*names;		/* names[i].key stands for min + i */
	int			 nnames;
	unsigned		 star;		/* CRON_*_STAR */
} fields[F__MAX] = {
	[F_MIN] = { "minute", 0, 59, NULL, 0, CRON_MIN_STAR },
	[F_HOUR] = { "hour", 0, 23, NULL, 0, CRON_HOUR_STAR },
	[F_DOM] = { "day-of-month", 1, 31, NULL, 0, CRON_DOM_STAR },
	[F_MON] = { "month", 1, 12, cal_months + 1, 12, 0 },
	[F_DOW] = { "day-of-week", 0, 7, cal_wdays, 7, CRON_DOW_STAR },
};

static const struct macro {
	const char	*name;
	const char	*expr;
} macros[] = {
	{ "@yearly", "0 0 1 1 *" },
	{ "@annually", "0 0 1 1 *" },
	{ "@monthly", "0 0 1 * *" },
	{ "@weekly", "0 0 * * 0" },
	{ "@daily", "0 0 * * *" },
	{ "@midnight", "0 0 * * *" },
	{ "@hourly", "0 * * * *" },
};

#define VALUE_HUGE	1000000		/* any number at least this big is just "too big" */
/*
 * The largest step. A step wider than its field's span leaves only the start of its range,
 * as in cronie, which accepts any step (docs/DECISIONS.md); past this bound it is taken
 * for a mistake.
 */
#define STEP_MAX	1000

/* Parsing */

static void
seterr(char *err, enum field f, const char *fmt, ...) APP_PRINTF(3, 4);

static void
seterr(char *err, enum field f, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	n = snprintf(err, CRON_ERR_LEN, "%s: ", f == F__MAX ? "expression" : fields[f].name);
	va_start(ap, fmt);
	vsnprintf(err + n, CRON_ERR_LEN - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Describes the character at s for an error message. */
static const char *
charname(const char *s, char *out, size_t sz)
{
	unsigned char	 c = (unsigned char)*s;

	if (c >= 0x80)
		snprintf(out, sz, "non-ASCII character");
	else if (isprint(c))
		snprintf(out, sz, "character '%c'", c);
	else
		snprintf(out, sz, "character 0x%02x", c);
	return out;
}

/*
 * Reads one value (a number or, where the field has them, a name) at *sp. Returns 0, or -1
 * with err set.
 */
static int
parse_value(enum field f, const char **sp, const char *end, int *out, char *err)
{
	const struct fieldinfo	*fi = &fields[f];
	const char		*s = *sp, *t;
	char			 cn[32];
	long			 v = 0;
	int			 i;

	if (s < end && *s >= '0' && *s <= '9') {
		for (t = s; t < end && *t >= '0' && *t <= '9'; t++)
			if (v < VALUE_HUGE)
				v = v * 10 + (*t - '0');
		if (v < fi->min || v > fi->max) {
			if (t - s > 20)
				seterr(err, f, "%.20s... is out of range %d-%d", s, fi->min, fi->max);
			else
				seterr(err, f, "%.*s is out of range %d-%d", (int)(t - s), s,
				    fi->min, fi->max);
			return -1;
		}
		*sp = t;
		*out = (int)v;
		return 0;
	}
	if (s < end && isalpha((unsigned char)*s)) {
		for (t = s; t < end && isalpha((unsigned char)*t); t++)
			;
		if (fi->names == NULL) {
			seterr(err, f, "'%.*s' is not a number", (int)(t - s > 20 ? 20 : t - s), s);
			return -1;
		}
		for (i = 0; i < fi->nnames; i++)
			if (t - s == 3 && strncasecmp(s, fi->names[i].key, 3) == 0) {
				*sp = t;
				*out = fi->min + i;
				return 0;
			}
		seterr(err, f, "unknown name '%.*s'", (int)(t - s > 20 ? 20 : t - s), s);
		return -1;
	}
	if (s >= end)
		seterr(err, f, "a value is missing");
	else
		seterr(err, f, "unexpected %s", charname(s, cn, sizeof(cn)));
	return -1;
}

/*
 * Parses one field [s, end) into *bits, and sets *wide to its first step wider than the
 * field's span (or 0). Returns 0, or -1 with err set.
 */
static int
parse_field(enum field f, const char *s, const char *end, uint64_t *bits, uint16_t *wide,
    char *err)
{
	const struct fieldinfo	*fi = &fields[f];
	const char		*item, *digits;
	char			 cn[32];
	int			 lo, hi, step, v;

	*bits = 0;
	*wide = 0;
	for (;;) {
		item = s;
		step = 1;
		if (s == end || *s == ',') {
			seterr(err, f, "empty list item");
			return -1;
		}
		if (*s == '*') {
			s++;
			lo = fi->min;
			hi = fi->max;
		} else {
			if (parse_value(f, &s, end, &lo, err) == -1)
				return -1;
			hi = lo;
			if (s < end && *s == '-') {
				s++;
				if (s == end || *s == ',' || *s == '/') {
					seterr(err, f, "a value is missing after '-'");
					return -1;
				}
				if (parse_value(f, &s, end, &hi, err) == -1)
					return -1;
				/* cronie reads "fri-sun" (5-0) as 5-7 */
				if (f == F_DOW && hi == 0 && lo > 0)
					hi = 7;
				if (lo > hi) {
					seterr(err, f, "range %.*s is descending",
					    (int)(s - item > 40 ? 40 : s - item), item);
					return -1;
				}
			} else if (s < end && *s == '/')
				hi = fi->max;		/* "5/15" means "5-59/15" */
		}
		if (s < end && *s == '/') {
			s++;
			if (s == end || *s < '0' || *s > '9') {
				if (s == end || *s == ',')
					seterr(err, f, "a step is missing after '/'");
				else
					seterr(err, f, "unexpected %s in step",
					    charname(s, cn, sizeof(cn)));
				return -1;
			}
			digits = s;
			for (v = 0; s < end && *s >= '0' && *s <= '9'; s++)
				if (v < VALUE_HUGE)
					v = v * 10 + (*s - '0');
			if (v < 1 || v > STEP_MAX) {
				if (s - digits > 20)
					seterr(err, f, "step %.20s... is out of range 1-%d",
					    digits, STEP_MAX);
				else
					seterr(err, f, "step %.*s is out of range 1-%d",
					    (int)(s - digits), digits, STEP_MAX);
				return -1;
			}
			step = v;
			/* wider than the field: the range holds its start only */
			if (step > fi->max - fi->min && *wide == 0)
				*wide = (uint16_t)step;
		}
		for (v = lo; v <= hi; v += step)
			*bits |= (uint64_t)1 << (f == F_DOW && v == 7 ? 0 : v);
		if (s == end)
			return 0;
		if (*s != ',') {
			seterr(err, f, "unexpected %s", charname(s, cn, sizeof(cn)));
			return -1;
		}
		s++;
	}
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Whether some day of the month that c names exists in some month it names. */
static int
days_exist(const struct cron *c)
{
	static const int maxdays[13] = { 0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int	 m;

	for (m = 1; m <= 12; m++)
		if ((c->mon & (1u << m)) &&
		    (c->dom & (uint32_t)(((uint64_t)2 << maxdays[m]) - 2)))
			return 1;
	return 0;
}

enum cron_res
cron_parse(struct cron *c, const char *expr, char *err)
{
	const char	*s, *e, *start[F__MAX + 1], *end[F__MAX + 1];
	uint64_t	 bits;
	uint16_t	 wide;
	size_t		 i, n;

	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	for (s = expr; is_space(*s); s++)
		;
	for (e = s + strlen(s); e > s && is_space(e[-1]); e--)
		;
	if (s == e) {
		seterr(err, F__MAX, "is empty");
		return CRON_INVALID;
	}
	if (*s == '@') {
		for (i = 0; i < sizeof(macros) / sizeof(macros[0]); i++)
			if ((size_t)(e - s) == strlen(macros[i].name) &&
			    strncasecmp(s, macros[i].name, (size_t)(e - s)) == 0)
				return cron_parse(c, macros[i].expr, err);
		for (n = 0; s + n < e && !is_space(s[n]) && n < 20; n++)
			;
		seterr(err, F__MAX, "unknown macro '%.*s'", (int)n, s);
		return CRON_INVALID;
	}
	for (n = 0; s < e; n++) {
		if (n < F__MAX + 1)
			start[n] = s;
		while (s < e && !is_space(*s))
			s++;
		if (n < F__MAX + 1)
			end[n] = s;
		while (s < e && is_space(*s))
			s++;
	}
	if (n != F__MAX) {
		seterr(err, F__MAX, "expected 5 fields, got %zu", n);
		return CRON_INVALID;
	}
	for (i = 0; i < F__MAX; i++) {
		if (parse_field((enum field)i, start[i], end[i], &bits, &wide, err) == -1)
			return CRON_INVALID;
		c->wide[i] = wide;
		if (*start[i] == '*')
			c->flags |= fields[i].star;
		switch (i) {
		case F_MIN:
			c->min = bits;
			break;
		case F_HOUR:
			c->hour = (uint32_t)bits;
			break;
		case F_DOM:
			c->dom = (uint32_t)bits;
			break;
		case F_MON:
			c->mon = (uint16_t)bits;
			break;
		default:
			c->dow = (uint8_t)bits;
			break;
		}
	}
	/*
	 * Both day fields restricted: a day matches either, and every weekday exists. Otherwise
	 * both must match; over the 400-year cycle every date falls on every weekday, so what
	 * matters is whether the days of the month exist in the months.
	 */
	if ((c->flags & (CRON_DOM_STAR | CRON_DOW_STAR)) && !days_exist(c)) {
		seterr(err, F__MAX, "never fires: the days of the month it names do not occur "
		    "in the months it names");
		return CRON_NEVER;
	}
	return CRON_OK;
}

int
cron_fixed(const struct cron *c)
{
	return !(c->flags & (CRON_MIN_STAR | CRON_HOUR_STAR));
}

/* Next fire time */

/* The lowest set bit of `bits` at or above `from`, or -1. */
static int
next_bit(uint64_t bits, int from)
{
	if (from >= 64)
		return -1;
	bits &= ~(uint64_t)0 << from;
	return bits ? __builtin_ctzll(bits) : -1;
}

static int
day_matches(const struct cron *c, int mday, int wday)
{
	int	 dom = (c->dom >> mday) & 1, dow = (c->dow >> wday) & 1;

	if (c->flags & (CRON_DOM_STAR | CRON_DOW_STAR))
		return dom && dow;
	return dom || dow;
}

/*
 * Finds the first wall-clock minute W >= from with W < limit that c matches. Returns 0 and
 * sets *out, or -1. Stops after year CAL_MAX_YEAR.
 */
static int
wall_next(const struct cron *c, int64_t from, int64_t limit, int64_t *out)
{
	int64_t		 days, year, w;
	int		 mon, mday, hour, min, wday, x, md;

	from = cal_floor_div(from + 59, 60) * 60;
	if (from >= limit)
		return -1;
	days = cal_floor_div(from, 86400);
	hour = (int)((from - days * 86400) / 3600);
	min = (int)((from - days * 86400) % 3600 / 60);
	cal_date(days, &year, &mon, &mday);
	if (year > CAL_MAX_YEAR)
		return -1;
	wday = cal_wday(days);
	md = cal_mdays(year, mon);

	for (;;) {
		if (!(c->mon & (1u << mon))) {
			/* Skip to the first day of the next month in the set. */
			if ((x = next_bit(c->mon, mon + 1)) == -1) {
				year++;
				x = next_bit(c->mon, 1);
			}
			mon = x;
			mday = 1;
			goto newday;
		}
		if (!day_matches(c, mday, wday)) {
			/*
			 * When both day fields must match, only the days of the month in the
			 * set can: jump to the next one.
			 */
			if ((c->flags & (CRON_DOM_STAR | CRON_DOW_STAR)) &&
			    (x = next_bit(c->dom, mday + 1)) != -1 && x <= md) {
				mday = x;
				goto newday;
			}
			if (c->flags & (CRON_DOM_STAR | CRON_DOW_STAR))
				mday = md;	/* none later this month */
			goto nextday;
		}
		if ((x = next_bit(c->hour, hour)) == -1) {
			hour = 24;	/* no more hours today */
			goto nextday;
		}
		if (x != hour) {
			hour = x;
			min = 0;
		}
		if ((x = next_bit(c->min, min)) == -1) {
			hour++;
			min = 0;
			if (hour == 24)
				goto nextday;
			continue;
		}
		min = x;
		w = days * 86400 + hour * 3600 + min * 60;
		if (w >= limit)
			return -1;
		*out = w;
		return 0;
nextday:
		if (++mday > md) {
			mday = 1;
			if (++mon > 12) {
				mon = 1;
				year++;
			}
		}
newday:
		if (year > CAL_MAX_YEAR)
			return -1;
		days = cal_days(year, mon, mday);
		if (days * 86400 >= limit)
			return -1;
		wday = cal_wday(days);
		md = cal_mdays(year, mon);
		hour = 0;
		min = 0;
	}
}

int
cron_next(const struct cron *c, const struct tz *z, time_t after, struct fire *out)
{
	struct tz_span	 sp, nx;
	int64_t		 from, limit, w;
	int		 fixed = cron_fixed(c);

	tz_span(z, after, &sp);
	from = after + 1 + sp.off;
	/* Wall times repeated after a jump back fired in their first occurrence. */
	if (fixed && sp.prev_off > sp.off && from < sp.start + sp.prev_off)
		from = sp.start + sp.prev_off;
	for (;;) {
		limit = sp.end == TZ_END ? INT64_MAX : sp.end + sp.off;
		if (wall_next(c, from, limit, &w) == 0) {
			out->at = w - sp.off;
			out->wall = w;
			out->flags = 0;
			if (!fixed && sp.prev_off > sp.off && w < sp.start + sp.prev_off)
				out->flags |= FIRE_REPEAT;
			if (fixed && sp.next_off < sp.off && w >= sp.end + sp.next_off)
				out->flags |= FIRE_FIRST;
			return 0;
		}
		if (sp.end == TZ_END || sp.end > CAL_MAX_TIME)
			return -1;
		tz_span(z, sp.end, &nx);
		if (nx.off > sp.off) {
			/*
			 * Forward jump: wall times [end + off, end + nx.off) do not exist. A
			 * fixed-time schedule naming any of them fires once, at the jump.
			 */
			if (fixed && wall_next(c, sp.end + sp.off, sp.end + nx.off, &w) == 0) {
				out->at = sp.end;
				out->wall = w;
				out->flags = FIRE_MOVED;
				return 0;
			}
			from = sp.end + nx.off;
		} else if (nx.off < sp.off && fixed) {
			/* Backward jump: skip the wall times that repeat. */
			from = sp.end + sp.off;
		} else
			from = sp.end + nx.off;
		sp = nx;
	}
}

/* English */

/* Day d of the week Monday first (Monday 0), as people read a week. */
#define DOW_FULL(d)	(cal_wdays[((d) + 1) % 7].full)

static int
popcount(uint64_t x)
{
	return __builtin_popcountll(x);
}

static void
add_ordinal(struct buf *b, int n)
{
	const char	*suf = "th";

	if (n % 100 < 11 || n % 100 > 13) {
		if (n % 10 == 1)
			suf = "st";
		else if (n % 10 == 2)
			suf = "nd";
		else if (n % 10 == 3)
			suf = "rd";
	}
	buf_addf(b, "%d%s", n, suf);
}

/* The separator before item i of n in "a, b and c". */
static void
add_sep(struct buf *b, int i, int n)
{
	if (i == 0)
		return;
	buf_addstr(b, i == n - 1 ? " and " : ", ");
}

/*
 * If the set is lo, lo+s, lo+2s, ... as far as hi (with s >= 2 and at least 2 elements),
 * returns s; else 0. This is how "*" + "/s" reads back.
 */
static int
stepped(uint64_t bits, int lo, int hi)
{
	int	 s, v, n = popcount(bits);

	if (n < 2 || !((bits >> lo) & 1))
		return 0;
	s = next_bit(bits, lo + 1) - lo;
	if (s < 2)
		return 0;
	for (v = lo; v <= hi; v += s)
		if (!((bits >> v) & 1))
			return 0;
	return popcount(bits) == (hi - lo) / s + 1 ? s : 0;
}

typedef void (*name_fn)(struct buf *, int);

/*
 * Appends the set as a list of values and runs: "1, 15 and 20 through 25". Runs of three or
 * more become "a through b". Positions lo..hi map to names through fn.
 */
static void
add_runs(struct buf *b, uint64_t bits, int lo, int hi, name_fn fn)
{
	int	 runs[64][2], n = 0, nitems = 0, i, v, item;

	for (v = lo; v <= hi; v++) {
		if (!((bits >> v) & 1))
			continue;
		if (n > 0 && runs[n - 1][1] == v - 1)
			runs[n - 1][1] = v;
		else {
			runs[n][0] = runs[n][1] = v;
			n++;
		}
	}
	for (i = 0; i < n; i++)
		nitems += runs[i][1] - runs[i][0] >= 2 ? 1 : runs[i][1] - runs[i][0] + 1;
	for (i = 0, item = 0; i < n; i++) {
		if (runs[i][1] - runs[i][0] >= 2) {
			add_sep(b, item++, nitems);
			fn(b, runs[i][0]);
			buf_addstr(b, " through ");
			fn(b, runs[i][1]);
			continue;
		}
		for (v = runs[i][0]; v <= runs[i][1]; v++) {
			add_sep(b, item++, nitems);
			fn(b, v);
		}
	}
}

static void
name_num(struct buf *b, int v)
{
	buf_addf(b, "%d", v);
}

static void
name_mon(struct buf *b, int v)
{
	buf_addstr(b, cal_months[v].full);
}

static void
name_dow(struct buf *b, int v)
{
	buf_addstr(b, DOW_FULL(v));
}

/* Weekday bits (Sunday 0) in Monday-first order (Monday 0). */
static uint64_t
dow_monday_first(uint8_t dow)
{
	return (uint64_t)(dow >> 1) | (uint64_t)(dow & 1) << 6;
}

static int
dow_is_range(uint8_t dow)
{
	uint64_t	 m = dow_monday_first(dow);
	int		 lo = __builtin_ctzll(m);

	/* one run of three or more days */
	return popcount(m) >= 3 && ((m >> lo) & ((m >> lo) + 1)) == 0;
}

static void
add_hours_window(struct buf *b, uint32_t hour)
{
	int	 runs = 0, v, s;

	if (hour == 0xffffff)
		return;
	if ((s = stepped(hour, 0, 23)) != 0) {
		buf_addstr(b, ", every ");
		add_ordinal(b, s);
		buf_addstr(b, " hour");
		return;
	}
	for (v = 0; v < 24; v++) {
		int first = v;
		if (!((hour >> v) & 1))
			continue;
		while (v + 1 < 24 && ((hour >> (v + 1)) & 1))
			v++;
		buf_addf(b, "%s between %02d:00 and %02d:59", runs++ ? " and" : ",", first, v);
	}
}

static void
add_dom(struct buf *b, uint32_t dom)
{
	int	 s;

	if ((s = stepped(dom, 1, 31)) != 0) {
		buf_addstr(b, "every ");
		add_ordinal(b, s);
		buf_addstr(b, " day");
		return;
	}
	buf_addstr(b, popcount(dom) == 1 ? "day " : "days ");
	add_runs(b, dom, 1, 31, name_num);
}

/*
 * Appends why fields with steps wider than them fire at one value (their start), for
 * cron_describe: ": the step 60 is wider than the field", or with several fields ": the
 * minute step 60 and the hour step 24 are wider than their fields".
 */
static void
add_wide(const struct cron *c, struct buf *b)
{
	int	 f, i, n;

	for (f = 0, n = 0; f < F__MAX; f++)
		n += c->wide[f] != 0;
	if (n == 0)
		return;
	if (n == 1) {
		for (f = 0; c->wide[f] == 0; f++)
			;
		buf_addf(b, ": the step %d is wider than the field", c->wide[f]);
		return;
	}
	buf_addstr(b, ": ");
	for (f = 0, i = 0; f < F__MAX; f++)
		if (c->wide[f] != 0) {
			add_sep(b, i++, n);
			buf_addf(b, "the %s step %d", fields[f].name, c->wide[f]);
		}
	buf_addstr(b, " are wider than their fields");
}

void
cron_describe_days(uint8_t dow, struct buf *b)
{
	if (dow == 0x7f)
		buf_addstr(b, "every day");
	else
		add_runs(b, dow_monday_first(dow), 0, 6, name_dow);
}

void
cron_describe(const struct cron *c, struct buf *b)
{
	const uint64_t	 all_min = ((uint64_t)1 << 60) - 1;
	int		 nmin = popcount(c->min), nhour = popcount(c->hour);
	int		 smin = stepped(c->min, 0, 59), shour = stepped(c->hour, 0, 23);
	int		 all_hours = c->hour == 0xffffff, explicit = 0, h, m, i, n;
	int		 all_dom = c->dom == 0xfffffffeu, all_dow = c->dow == 0x7f;
	int		 first = __builtin_ctzll(c->min), no_days;
	/* "Every hour" would hide that a step wider than the minutes left minute 0 */
	int		 on_hour = first == 0 && c->wide[F_MIN] == 0;

	/* The time of day */
	if (c->min == all_min) {
		buf_addstr(b, "Every minute");
		add_hours_window(b, c->hour);
	} else if (smin && (nmin >= 3 || all_hours)) {
		buf_addf(b, "Every %d minutes", smin);
		add_hours_window(b, c->hour);
	} else if (nmin == 1 && all_hours) {
		if (on_hour)
			buf_addstr(b, "Every hour");
		else
			buf_addf(b, "At minute %d of every hour", first);
	} else if (nmin == 1 && shour) {
		if (on_hour)
			buf_addf(b, "Every %d hours", shour);
		else {
			buf_addf(b, "At minute %d of every ", first);
			add_ordinal(b, shour);
			buf_addstr(b, " hour");
		}
	} else if (nmin * nhour <= 6) {
		explicit = 1;
		buf_addstr(b, "At ");
		for (i = 0, n = nmin * nhour, h = 0; h < 24; h++)
			for (m = 0; m < 60 && (c->hour >> h & 1); m++)
				if (c->min >> m & 1) {
					add_sep(b, i++, n);
					buf_addf(b, "%02d:%02d", h, m);
				}
	} else if (nmin == 1) {
		if (on_hour)
			buf_addstr(b, "Every hour");
		else
			buf_addf(b, "At minute %d of every hour", first);
		add_hours_window(b, c->hour);
	} else {
		buf_addstr(b, "At minutes ");
		add_runs(b, c->min, 0, 59, name_num);
		add_hours_window(b, c->hour);
	}

	/* The days: the Vixie/cronie rule decides between "and" and "or". */
	no_days = 0;
	if (c->flags & (CRON_DOM_STAR | CRON_DOW_STAR)) {
		if (!all_dom && !all_dow) {
			buf_addstr(b, " on ");
			add_dom(b, c->dom);
			buf_addstr(b, " of the month, if it is a ");
			for (i = 0, n = 0; i < 7; i++)
				if (dow_monday_first(c->dow) >> i & 1) {
					if (n++ > 0)
						buf_addstr(b, " or a ");
					buf_addstr(b, DOW_FULL(i));
				}
		} else if (!all_dom) {
			buf_addstr(b, " on ");
			add_dom(b, c->dom);
			buf_addstr(b, " of the month");
		} else if (!all_dow) {
			buf_addstr(b, dow_is_range(c->dow) ? ", " : " on ");
			add_runs(b, dow_monday_first(c->dow), 0, 6, name_dow);
		} else
			no_days = 1;
	} else if (all_dom || all_dow)
		no_days = 1;
	else {
		buf_addstr(b, " on ");
		add_dom(b, c->dom);
		buf_addstr(b, " and on ");
		add_runs(b, dow_monday_first(c->dow), 0, 6, name_dow);
	}
	if (no_days && explicit)
		buf_addstr(b, ", every day");

	/* The months */
	if (c->mon != 0x1ffe) {
		buf_addstr(b, no_days && explicit ? " in " : ", in ");
		add_runs(b, c->mon, 1, 12, name_mon);
	}
	add_wide(c, b);
}
