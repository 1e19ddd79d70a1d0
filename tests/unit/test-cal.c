/*
 * autosched tests: lib/cal.c, calendar arithmetic and ISO 8601. Expected day numbers come
 * from Python's datetime (date(y, m, d) - date(1970, 1, 1)), computed outside these tests.
 */
#include "testutil.h"
#include "cal.h"

static const struct day_case {
	int64_t	 y;
	int	 m, d;
	int64_t	 days;
	int	 wday;
} day_cases[] = {
	{ 1970, 1, 1, 0, 4 },
	{ 1969, 12, 31, -1, 3 },
	{ 2000, 3, 1, 11017, 3 },
	{ 2026, 11, 28, 20785, 6 },
	{ 2100, 3, 1, 47541, 1 },
	{ 1600, 2, 29, -135081, 2 },
	{ 1, 1, 1, -719162, 1 },
	{ 9999, 12, 31, 2932896, 5 },
};

static void
test_days(void **state)
{
	const struct day_case	*c = *state;
	int64_t			 y;
	int			 m, d;

	assert_int_equal(cal_days(c->y, c->m, c->d), c->days);
	cal_date(c->days, &y, &m, &d);
	assert_int_equal(y, c->y);
	assert_int_equal(m, c->m);
	assert_int_equal(d, c->d);
	assert_int_equal(cal_wday(c->days), c->wday);
}

static const struct leap_case {
	int64_t	 y;
	int	 leap;
} leap_cases[] = {
	{ 1900, 0 }, { 2000, 1 }, { 2024, 1 }, { 2026, 0 }, { 2100, 0 }, { 2400, 1 }, { 4, 1 },
};

static void
test_leap(void **state)
{
	const struct leap_case	*c = *state;

	assert_int_equal(cal_is_leap(c->y), c->leap);
	assert_int_equal(cal_mdays(c->y, 2), c->leap ? 29 : 28);
}

/* Every day from 1600 to 2500 converts both ways and steps the weekday by one. */
static void
test_days_roundtrip(void **state)
{
	int64_t	 z, y;
	int	 m, d, w = cal_wday(cal_days(1600, 1, 1));

	(void)state;
	for (z = cal_days(1600, 1, 1); z <= cal_days(2500, 12, 31); z++) {
		cal_date(z, &y, &m, &d);
		if (cal_days(y, m, d) != z || d > cal_mdays(y, m) || cal_wday(z) != w)
			fail_msg("day %lld", (long long)z);
		w = (w + 1) % 7;
	}
}

static const struct iso_case {
	const char	*in;
	int		 ok;
	int64_t		 utc;	/* when the text has a zone */
} iso_cases[] = {
	{ "2026-11-28T14:00:00Z", 1, 1795874400 },
	{ "2026-11-28T15:00:00+01:00", 1, 1795874400 },
	{ "2026-11-28T09:00:00-0500", 1, 1795874400 },
	{ "2026-11-28T19:30:00+05:30", 1, 1795874400 },
	{ "2026-11-28T14:00Z", 1, 1795874400 },
	{ "2026-11-28 14:00:00z", 1, 1795874400 },
	{ "1970-01-01T00:00:00Z", 1, 0 },
	{ "1969-12-31T23:59:59Z", 1, -1 },
	{ "2000-02-29T00:00:00Z", 1, 951782400 },
	{ "2026-11-28", 1, 0 },
	{ "2026-11-28T14:00", 1, 0 },
	{ "2100-02-29T00:00:00Z", 0, 0 },
	{ "2026-02-30T00:00:00Z", 0, 0 },
	{ "2026-13-01T00:00:00Z", 0, 0 },
	{ "2026-11-28T24:00:00Z", 0, 0 },
	{ "2026-11-28T23:60:00Z", 0, 0 },
	{ "2026-11-28T23:59:60Z", 0, 0 },
	{ "2026-11-28T14:00:00+24:00", 0, 0 },
	{ "2026-11-28T14:00:00ZZ", 0, 0 },
	{ "2026-11-28T14", 0, 0 },
	{ "26-11-28", 0, 0 },
	{ "2026/11/28", 0, 0 },
	{ "", 0, 0 },
	{ "0000-01-01T00:00:00Z", 0, 0 },
	{ " 2026-11-28", 0, 0 },
	{ "2026-11-28T14:00:00.5Z", 0, 0 },
};

static void
test_iso(void **state)
{
	const struct iso_case	*c = *state;
	struct cal_iso		 r;
	char			 buf[CAL_ISO_LEN];

	if (!c->ok) {
		assert_int_equal(cal_parse_iso(c->in, &r), -1);
		return;
	}
	assert_int_equal(cal_parse_iso(c->in, &r), 0);
	if (r.has_off) {
		assert_int_equal(cal_join(&r.tm) - r.off, c->utc);
		if (strchr(c->in, 'Z') && strlen(c->in) == 20)
			assert_string_equal(cal_iso((time_t)c->utc, buf), c->in);
	}
}

static void
test_floor_div(void **state)
{
	(void)state;
	assert_int_equal(cal_floor_div(7, 2), 3);
	assert_int_equal(cal_floor_div(-7, 2), -4);
	assert_int_equal(cal_floor_div(-8, 2), -4);
	assert_int_equal(cal_floor_div(0, 60), 0);
	assert_int_equal(cal_floor_div(-1, 60), -1);
}

int
main(void)
{
	struct suite	 s = { 0 };
	size_t		 i;

	for (i = 0; i < sizeof(day_cases) / sizeof(day_cases[0]); i++)
		suite_add(&s, test_days, (void *)&day_cases[i], "days %04lld-%02d-%02d",
		    (long long)day_cases[i].y, day_cases[i].m, day_cases[i].d);
	for (i = 0; i < sizeof(leap_cases) / sizeof(leap_cases[0]); i++)
		suite_add(&s, test_leap, (void *)&leap_cases[i], "leap %lld",
		    (long long)leap_cases[i].y);
	for (i = 0; i < sizeof(iso_cases) / sizeof(iso_cases[0]); i++)
		suite_add(&s, test_iso, (void *)&iso_cases[i], "iso '%s'", iso_cases[i].in);
	suite_add(&s, test_days_roundtrip, NULL, "days round trip 1600-2500");
	suite_add(&s, test_floor_div, NULL, "floor division");
	return suite_run(&s, "cal");
}
