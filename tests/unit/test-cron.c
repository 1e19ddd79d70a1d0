/*
 * autosched tests: lib/cron.c. The hand-reasoned table of fire times, invalid and
 * never-firing expressions lives in cron_cases.h (its header says how each value was
 * reasoned); this file adds exact error messages, the DST flags, and the English
 * descriptions.
 */
#include "testutil.h"
#include "cron.h"

#define NEXT_MAX	5

struct next_case {
	const char	*expr, *zone, *start;
	const char	*want[NEXT_MAX + 1];
	int		 line;
};
struct expr_case {
	const char	*expr;
	const char	*field;		/* INVALID: the field the message names */
	int		 line;
};

#define NEXT(e, z, s, ...)	{ e, z, s, { __VA_ARGS__, NULL }, __LINE__ },
#define NEVER(e)
#define INVALID(e, f)
#define VALID(e)
static const struct next_case next_cases[] = {
#include "cron_cases.h"
};
#undef NEXT
#undef NEVER
#undef INVALID
#undef VALID

#define NEXT(e, z, s, ...)
#define NEVER(e)		{ e, NULL, __LINE__ },
#define INVALID(e, f)
#define VALID(e)
static const struct expr_case never_cases[] = {
#include "cron_cases.h"
};
#undef NEVER
#define NEVER(e)
#undef INVALID
#define INVALID(e, f)		{ e, f, __LINE__ },
static const struct expr_case invalid_cases[] = {
#include "cron_cases.h"
};
#undef INVALID
#define INVALID(e, f)
#undef VALID
#define VALID(e)		{ e, NULL, __LINE__ },
static const struct expr_case valid_cases[] = {
#include "cron_cases.h"
};
#undef NEXT
#undef NEVER
#undef INVALID
#undef VALID

static void
test_next(void **state)
{
	const struct next_case	*c = *state;
	const struct tz		*z;
	struct cron		 cr;
	struct fire		 f;
	char			 err[CRON_ERR_LEN], got[CAL_ISO_LEN];
	time_t			 t = iso(c->start);
	int			 i;

	assert_non_null(z = tz_get(c->zone, NULL));
	if (cron_parse(&cr, c->expr, err) != CRON_OK)
		fail_msg("cases line %d: '%s' rejected: %s", c->line, c->expr, err);
	for (i = 0; i < NEXT_MAX && c->want[i] != NULL; i++) {
		if (cron_next(&cr, z, t, &f) == -1)
			fail_msg("cases line %d: no fire %d, want %s", c->line, i + 1, c->want[i]);
		if (f.at != iso(c->want[i]))
			fail_msg("cases line %d: fire %d is %s, want %s", c->line, i + 1,
			    cal_iso(f.at, got), c->want[i]);
		t = f.at;
	}
}

static void
test_never(void **state)
{
	const struct expr_case	*c = *state;
	struct cron		 cr;
	char			 err[CRON_ERR_LEN];

	assert_int_equal(cron_parse(&cr, c->expr, err), CRON_NEVER);
	assert_true(strncmp(err, "expression: never fires", 23) == 0);
}

static void
test_invalid(void **state)
{
	const struct expr_case	*c = *state;
	struct cron		 cr;
	char			 err[CRON_ERR_LEN];
	size_t			 n = strlen(c->field);

	if (cron_parse(&cr, c->expr, err) != CRON_INVALID)
		fail_msg("cases line %d: '%s' accepted", c->line, c->expr);
	if (strncmp(err, c->field, n) != 0 || strncmp(err + n, ": ", 2) != 0)
		fail_msg("cases line %d: message '%s' does not name %s", c->line, err, c->field);
}

static void
test_valid(void **state)
{
	const struct expr_case	*c = *state;
	struct cron		 cr;
	char			 err[CRON_ERR_LEN];

	if (cron_parse(&cr, c->expr, err) != CRON_OK)
		fail_msg("cases line %d: '%s' rejected: %s", c->line, c->expr, err);
}

/* The exact words of the messages users read. */
static const struct msg_case {
	const char	*expr;
	const char	*msg;
} msg_cases[] = {
	{ "0 24 * * *", "hour: 24 is out of range 0-23" },
	{ "60 * * * *", "minute: 60 is out of range 0-59" },
	{ "0 0 0 * *", "day-of-month: 0 is out of range 1-31" },
	{ "0 0 * 13 *", "month: 13 is out of range 1-12" },
	{ "0 0 * * 8", "day-of-week: 8 is out of range 0-7" },
	{ "*/0 * * * *", "minute: step 0 is out of range 1-1000" },
	{ "0 */0 * * *", "hour: step 0 is out of range 1-1000" },
	{ "*/1001 * * * *", "minute: step 1001 is out of range 1-1000" },
	{ "0 0 * * mon-fri/1001", "day-of-week: step 1001 is out of range 1-1000" },
	{ "*/99999999999999999999 * * * *",
	  "minute: step 99999999999999999999 is out of range 1-1000" },
	{ "*/999999999999999999999 * * * *",
	  "minute: step 99999999999999999999... is out of range 1-1000" },
	{ "0 0 * * 5-1", "day-of-week: range 5-1 is descending" },
	{ "0 0 * * fri-mon", "day-of-week: range fri-mon is descending" },
	{ "30-10 * * * *", "minute: range 30-10 is descending" },
	{ "0 0 * * * *", "expression: expected 5 fields, got 6" },
	{ "0 0 * *", "expression: expected 5 fields, got 4" },
	{ "", "expression: is empty" },
	{ "  \t ", "expression: is empty" },
	{ "@reboot", "expression: unknown macro '@reboot'" },
	{ "@daily 0", "expression: unknown macro '@daily'" },
	{ "0 0 * janu *", "month: unknown name 'janu'" },
	{ "0 0 * * monday", "day-of-week: unknown name 'monday'" },
	{ "0 0 * mon *", "month: unknown name 'mon'" },
	{ "0 0 L * *", "day-of-month: 'L' is not a number" },
	{ "0 0 ? * *", "day-of-month: unexpected character '?'" },
	{ "0 0 * * 5#3", "day-of-week: unexpected character '#'" },
	{ "1,,2 * * * *", "minute: empty list item" },
	{ "1, * * * *", "minute: empty list item" },
	{ "1,2, * * * *", "minute: empty list item" },
	{ "1 , * * * *", "expression: expected 5 fields, got 6" },
	{ "5- * * * *", "minute: a value is missing after '-'" },
	{ "1/ * * * *", "minute: a step is missing after '/'" },
	{ "*/x * * * *", "minute: unexpected character 'x' in step" },
	{ "\xd9\xa3 * * * *", "minute: unexpected non-ASCII character" },
	{ "99999999999999999999 * * * *", "minute: 99999999999999999999 is out of range 0-59" },
	{ "0 0 30 2 *", "expression: never fires: the days of the month it names do not occur "
	  "in the months it names" },
};

static void
test_msg(void **state)
{
	const struct msg_case	*c = *state;
	struct cron		 cr;
	char			 err[CRON_ERR_LEN];

	assert_int_not_equal(cron_parse(&cr, c->expr, err), CRON_OK);
	assert_string_equal(err, c->msg);
}

/* Fixed-time: neither minute nor hour begins with '*'. */
static const struct fixed_case {
	const char	*expr;
	int		 fixed;
} fixed_cases[] = {
	{ "30 2 * * *", 1 }, { "0,30 1-3 * * *", 1 }, { "@daily", 1 }, { "@weekly", 1 },
	{ "0 8-18/2 * * *", 1 }, { "5/15 2 * * *", 1 },
	{ "*/10 2 * * *", 0 }, { "30 * * * *", 0 }, { "0 */2 * * *", 0 }, { "@hourly", 0 },
	{ "* * * * *", 0 }, { "*/1 3 * * *", 0 },
	/* steps wider than the field: only the first character counts, as ever */
	{ "7/60 2 * * *", 1 }, { "30 2/24 * * *", 1 }, { "*/60 2 * * *", 0 },
	{ "0 */24 * * *", 0 },
};

static void
test_fixed(void **state)
{
	const struct fixed_case	*c = *state;
	struct cron		 cr;
	char			 err[CRON_ERR_LEN];

	assert_int_equal(cron_parse(&cr, c->expr, err), CRON_OK);
	assert_int_equal(cron_fixed(&cr), c->fixed);
}

/* What DST did to a run, for the preview. */
static const struct flag_case {
	const char	*expr, *zone, *after, *at;
	int		 flags;
	const char	*wall;		/* the wall time the schedule named, as if UTC */
} flag_cases[] = {
	{ "30 2 * * *", "Europe/Paris", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z",
	  FIRE_MOVED, "2026-03-29T02:30:00Z" },
	{ "30 2 * * *", "Europe/Paris", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z",
	  FIRE_FIRST, "2026-10-25T02:30:00Z" },
	{ "30 * * * *", "Europe/Paris", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z",
	  FIRE_REPEAT, "2026-10-25T02:30:00Z" },
	{ "30 * * * *", "Europe/Paris", "2026-10-24T23:59:00Z", "2026-10-25T00:30:00Z",
	  0, "2026-10-25T02:30:00Z" },
	{ "30 3 * * *", "Europe/Paris", "2026-10-24T12:00:00Z", "2026-10-25T02:30:00Z",
	  0, "2026-10-25T03:30:00Z" },
	/* Lord Howe jumps 02:00 -> 02:30: 02:15 is skipped, 02:45 is not */
	{ "15 2 * * *", "Australia/Lord_Howe", "2026-10-03T00:00:00Z", "2026-10-03T15:30:00Z",
	  FIRE_MOVED, "2026-10-04T02:15:00Z" },
	{ "45 2 * * *", "Australia/Lord_Howe", "2026-10-03T00:00:00Z", "2026-10-03T15:45:00Z",
	  0, "2026-10-04T02:45:00Z" },
	/* several skipped times: the first one the schedule names is reported */
	{ "10,20 2 * * *", "Europe/Paris", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z",
	  FIRE_MOVED, "2026-03-29T02:10:00Z" },
	/* steps wider than the field: 7/60 is 7, fixed-time; * /60 is 0, not fixed-time */
	{ "7/60 2 * * *", "Europe/Paris", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z",
	  FIRE_MOVED, "2026-03-29T02:07:00Z" },
	{ "7/60 2 * * *", "Europe/Paris", "2026-10-24T12:00:00Z", "2026-10-25T00:07:00Z",
	  FIRE_FIRST, "2026-10-25T02:07:00Z" },
	{ "*/60 2 * * *", "Europe/Paris", "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z",
	  FIRE_REPEAT, "2026-10-25T02:00:00Z" },
};

static void
test_flags(void **state)
{
	const struct flag_case	*c = *state;
	struct cron		 cr;
	struct fire		 f;
	char			 err[CRON_ERR_LEN];

	assert_int_equal(cron_parse(&cr, c->expr, err), CRON_OK);
	assert_int_equal(cron_next(&cr, tz_get(c->zone, NULL), iso(c->after), &f), 0);
	assert_int_equal(f.at, iso(c->at));
	assert_int_equal(f.flags, c->flags);
	assert_int_equal(f.wall, iso(c->wall));
}

static const struct desc_case {
	const char	*expr;
	const char	*words;
} desc_cases[] = {
	{ "0 8 * * 1-5", "At 08:00, Monday through Friday" },
	{ "*/15 8-18 * * *", "Every 15 minutes, between 08:00 and 18:59" },
	{ "30 2 1 * 1", "At 02:30 on day 1 and on Monday" },
	{ "0 8 * * *", "At 08:00, every day" },
	{ "@daily", "At 00:00, every day" },
	{ "@hourly", "Every hour" },
	{ "@weekly", "At 00:00 on Sunday" },
	{ "@monthly", "At 00:00 on day 1 of the month" },
	{ "@yearly", "At 00:00 on day 1 of the month, in January" },
	{ "* * * * *", "Every minute" },
	{ "*/5 * * * *", "Every 5 minutes" },
	{ "30 * * * *", "At minute 30 of every hour" },
	{ "0 */2 * * *", "Every 2 hours" },
	{ "15 */3 * * *", "At minute 15 of every 3rd hour" },
	{ "0 8-18 * * *", "Every hour, between 08:00 and 18:59" },
	{ "0,30 9 * * *", "At 09:00 and 09:30, every day" },
	{ "0 9,12,18 * * *", "At 09:00, 12:00 and 18:00, every day" },
	{ "0 9 * * mon,wed,fri", "At 09:00 on Monday, Wednesday and Friday" },
	{ "0 9 * * sat,sun", "At 09:00 on Saturday and Sunday" },
	{ "0 9 * * fri-sun", "At 09:00, Friday through Sunday" },
	{ "0 9 13 * 5", "At 09:00 on day 13 and on Friday" },
	{ "0 0 */2 * 1", "At 00:00 on every 2nd day of the month, if it is a Monday" },
	{ "0 0 1-31 * 1", "At 00:00, every day" },
	{ "0 0 1,15 * *", "At 00:00 on days 1 and 15 of the month" },
	{ "0 0 1-7 * *", "At 00:00 on days 1 through 7 of the month" },
	{ "0 0 29 2 *", "At 00:00 on day 29 of the month, in February" },
	{ "0 8 * 1-3 *", "At 08:00, every day in January through March" },
	{ "*/10 * * 6,7,8 *", "Every 10 minutes, in June through August" },
	{ "*/10 9-11,14-16 * * *",
	  "Every 10 minutes, between 09:00 and 11:59 and between 14:00 and 16:59" },
	{ "0,20,40 * * * 1-5", "Every 20 minutes, Monday through Friday" },
	{ "*/20 9-10 * * *", "Every 20 minutes, between 09:00 and 10:59" },
	{ "*/30 9 * * *", "At 09:00 and 09:30, every day" },
	{ "0,10,25 * * * *", "At minutes 0, 10 and 25" },
	{ "0-5 * * * *", "At minutes 0 through 5" },
	{ "5,10 0-23/4 * * *", "At minutes 5 and 10, every 4th hour" },
	/* steps wider than the field fire at their start only, and the words say why */
	{ "*/60 * * * *", "At minute 0 of every hour: the step 60 is wider than the field" },
	{ "7/60 * * * *", "At minute 7 of every hour: the step 60 is wider than the field" },
	{ "*/1000 * * * *", "At minute 0 of every hour: the step 1000 is wider than the field" },
	{ "*/60 */2 * * *",
	  "At minute 0 of every 2nd hour: the step 60 is wider than the field" },
	{ "*/60 8-18 * * *", "At minute 0 of every hour, between 08:00 and 18:59: the step 60 "
	  "is wider than the field" },
	{ "*/60,30 * * * *", "Every 30 minutes: the step 60 is wider than the field" },
	{ "0 */24 * * *", "At 00:00, every day: the step 24 is wider than the field" },
	{ "0 */30 * * *", "At 00:00, every day: the step 30 is wider than the field" },
	{ "30 5/24 * * *", "At 05:30, every day: the step 24 is wider than the field" },
	{ "* */24 * * *",
	  "Every minute, between 00:00 and 00:59: the step 24 is wider than the field" },
	{ "*/15 */24 * * *",
	  "Every 15 minutes, between 00:00 and 00:59: the step 24 is wider than the field" },
	{ "0 0 */40 * *", "At 00:00 on day 1 of the month: the step 40 is wider than the field" },
	{ "0 0 15/40 * *",
	  "At 00:00 on day 15 of the month: the step 40 is wider than the field" },
	{ "0 0 */40 * 1", "At 00:00 on day 1 of the month, if it is a Monday: the step 40 is "
	  "wider than the field" },
	{ "0 0 1 */12 *", "At 00:00 on day 1 of the month, in January: the step 12 is wider "
	  "than the field" },
	{ "0 0 * */13 *",
	  "At 00:00, every day in January: the step 13 is wider than the field" },
	{ "0 0 1 jun/12 *", "At 00:00 on day 1 of the month, in June: the step 12 is wider "
	  "than the field" },
	{ "0 0 * * */8", "At 00:00 on Sunday: the step 8 is wider than the field" },
	{ "0 0 * * 1-5/8", "At 00:00 on Monday: the step 8 is wider than the field" },
	{ "*/60 */24 * * *", "At 00:00, every day: the minute step 60 and the hour step 24 are "
	  "wider than their fields" },
	{ "*/60 */24 */40 */12 */8", "At 00:00 on day 1 of the month, if it is a Sunday, in "
	  "January: the minute step 60, the hour step 24, the day-of-month step 40, the month "
	  "step 12 and the day-of-week step 8 are wider than their fields" },
	/* steps that fit keep their words, even where they leave one value */
	{ "0 0 * * */7", "At 00:00 on Sunday" },
	{ "0-30/45 * * * *", "Every hour" },
	{ "0 0 * */11 *", "At 00:00, every day in January and December" },
};

static void
test_describe(void **state)
{
	const struct desc_case	*c = *state;
	struct cron		 cr;
	struct buf		 b = BUF_INIT;
	char			 err[CRON_ERR_LEN];

	assert_int_equal(cron_parse(&cr, c->expr, err), CRON_OK);
	cron_describe(&cr, &b);
	assert_string_equal(b.data, c->words);
	buf_release(&b);
}

/* Bits as cron reads them: 7 is Sunday, "5/15" is "5-59/15", names in any case. */
static void
test_bits(void **state)
{
	struct cron	 c;
	char		 err[CRON_ERR_LEN];

	(void)state;
	assert_int_equal(cron_parse(&c, "5/15 8-18/2 1,15 JAN-jun/2 7", err), CRON_OK);
	assert_true(c.min == ((uint64_t)1 << 5 | (uint64_t)1 << 20 | (uint64_t)1 << 35 |
	    (uint64_t)1 << 50));
	assert_int_equal(c.hour, 1 << 8 | 1 << 10 | 1 << 12 | 1 << 14 | 1 << 16 | 1 << 18);
	assert_int_equal(c.dom, 1 << 1 | 1 << 15);
	assert_int_equal(c.mon, 1 << 1 | 1 << 3 | 1 << 5);
	assert_int_equal(c.dow, 1 << 0);
	assert_int_equal(c.flags, 0);
	assert_int_equal(cron_parse(&c, "*/20 * */2 * *", err), CRON_OK);
	assert_int_equal(c.flags, CRON_MIN_STAR | CRON_HOUR_STAR | CRON_DOM_STAR |
	    CRON_DOW_STAR);
	assert_int_equal(cron_parse(&c, " 08\t09 * * fri-sun ", err), CRON_OK);
	assert_int_equal(c.dow, 1 << 5 | 1 << 6 | 1 << 0);
	assert_true(c.min == 1 << 8);
	assert_int_equal(c.wide[0] | c.wide[1] | c.wide[2] | c.wide[3] | c.wide[4], 0);
	/* steps wider than the field: the start alone, and the first such step of each field */
	assert_int_equal(cron_parse(&c, "7/60,*/90,*/100 */24 1 */12 0-7/8", err), CRON_OK);
	assert_true(c.min == ((uint64_t)1 << 0 | (uint64_t)1 << 7));
	assert_int_equal(c.hour, 1 << 0);
	assert_int_equal(c.dom, 1 << 1);
	assert_int_equal(c.mon, 1 << 1);
	assert_int_equal(c.dow, 1 << 0);
	assert_int_equal(c.wide[0], 60);
	assert_int_equal(c.wide[1], 24);
	assert_int_equal(c.wide[2], 0);
	assert_int_equal(c.wide[3], 12);
	assert_int_equal(c.wide[4], 8);
	assert_int_equal(c.flags, CRON_HOUR_STAR);
	/* the widest steps that fit are not wide */
	assert_int_equal(cron_parse(&c, "*/59 */23 */30 */11 */7", err), CRON_OK);
	assert_int_equal(c.wide[0] | c.wide[1] | c.wide[2] | c.wide[3] | c.wide[4], 0);
}

int
main(void)
{
	struct suite	 s = { 0 };
	size_t		 i;

#define N(a)	(sizeof(a) / sizeof((a)[0]))
	for (i = 0; i < N(next_cases); i++)
		suite_add(&s, test_next, (void *)&next_cases[i], "next '%s' %s from %s",
		    next_cases[i].expr, next_cases[i].zone, next_cases[i].start);
	for (i = 0; i < N(never_cases); i++)
		suite_add(&s, test_never, (void *)&never_cases[i], "never '%s'",
		    never_cases[i].expr);
	for (i = 0; i < N(invalid_cases); i++)
		suite_add(&s, test_invalid, (void *)&invalid_cases[i], "invalid '%s' (line %d)",
		    invalid_cases[i].expr, invalid_cases[i].line);
	for (i = 0; i < N(valid_cases); i++)
		suite_add(&s, test_valid, (void *)&valid_cases[i], "valid '%s'",
		    valid_cases[i].expr);
	for (i = 0; i < N(msg_cases); i++)
		suite_add(&s, test_msg, (void *)&msg_cases[i], "message for '%s'",
		    msg_cases[i].expr);
	for (i = 0; i < N(fixed_cases); i++)
		suite_add(&s, test_fixed, (void *)&fixed_cases[i], "fixed-time '%s'",
		    fixed_cases[i].expr);
	for (i = 0; i < N(flag_cases); i++)
		suite_add(&s, test_flags, (void *)&flag_cases[i], "DST flags '%s' %s after %s",
		    flag_cases[i].expr, flag_cases[i].zone, flag_cases[i].after);
	for (i = 0; i < N(desc_cases); i++)
		suite_add(&s, test_describe, (void *)&desc_cases[i], "words for '%s'",
		    desc_cases[i].expr);
	suite_add(&s, test_bits, NULL, "bit sets and star flags");
	return suite_run(&s, "cron");
}
