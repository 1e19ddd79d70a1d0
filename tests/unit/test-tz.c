/*
 * autosched tests: lib/tz.c, the TZif reader. Expected offsets come from zdump(8) output
 * (`zdump -v -c 2026,2041 ZONE`), and every zone of the system's tzdata is compared with
 * glibc's own reader (localtime_r under TZ), an independent implementation of the same files.
 */
#define _DEFAULT_SOURCE		/* tm_gmtoff */
#include <time.h>

#include "testutil.h"
#include "tz.h"

static const struct off_case {
	const char	*zone;
	const char	*at;
	int32_t		 off;
	const char	*abbr;
} off_cases[] = {
	{ "Europe/Paris", "2026-03-29T00:59:59Z", 3600, "CET" },
	{ "Europe/Paris", "2026-03-29T01:00:00Z", 7200, "CEST" },
	{ "Europe/Paris", "2026-10-25T00:59:59Z", 7200, "CEST" },
	{ "Europe/Paris", "2026-10-25T01:00:00Z", 3600, "CET" },
	/* past 2037: the POSIX footer rule "CET-1CEST,M3.5.0,M10.5.0/3" */
	{ "Europe/Paris", "2040-03-25T00:59:59Z", 3600, "CET" },
	{ "Europe/Paris", "2040-03-25T01:00:00Z", 7200, "CEST" },
	{ "Europe/Paris", "2040-10-28T00:59:59Z", 7200, "CEST" },
	{ "Europe/Paris", "2040-10-28T01:00:00Z", 3600, "CET" },
	{ "America/New_York", "2026-03-08T06:59:59Z", -18000, "EST" },
	{ "America/New_York", "2026-03-08T07:00:00Z", -14400, "EDT" },
	{ "America/New_York", "2026-11-01T05:59:59Z", -14400, "EDT" },
	{ "America/New_York", "2026-11-01T06:00:00Z", -18000, "EST" },
	{ "America/New_York", "2040-03-11T07:00:00Z", -14400, "EDT" },
	{ "America/New_York", "2040-11-04T06:00:00Z", -18000, "EST" },
	{ "Australia/Lord_Howe", "2026-04-04T14:59:59Z", 39600, "+11" },
	{ "Australia/Lord_Howe", "2026-04-04T15:00:00Z", 37800, "+1030" },
	{ "Australia/Lord_Howe", "2026-10-03T15:29:59Z", 37800, "+1030" },
	{ "Australia/Lord_Howe", "2026-10-03T15:30:00Z", 39600, "+11" },
	{ "Australia/Lord_Howe", "2040-03-31T15:00:00Z", 37800, "+1030" },
	{ "Australia/Lord_Howe", "2040-10-06T15:30:00Z", 39600, "+11" },
	/* negative DST: the footer "IST-1GMT0,M10.5.0,M3.5.0/1" */
	{ "Europe/Dublin", "2026-01-15T12:00:00Z", 0, "GMT" },
	{ "Europe/Dublin", "2026-07-15T12:00:00Z", 3600, "IST" },
	{ "Europe/Dublin", "2040-03-25T01:00:00Z", 3600, "IST" },
	{ "Europe/Dublin", "2040-10-28T01:00:00Z", 0, "GMT" },
	/* a two-hour DST */
	{ "Antarctica/Troll", "2040-03-25T01:00:00Z", 7200, "+02" },
	{ "Antarctica/Troll", "2040-10-28T00:59:59Z", 7200, "+02" },
	{ "Antarctica/Troll", "2040-10-28T01:00:00Z", 0, "+00" },
	{ "Asia/Kolkata", "2026-03-29T01:00:00Z", 19800, "IST" },
	{ "Asia/Kolkata", "2099-07-01T00:00:00Z", 19800, "IST" },
	{ "UTC", "2026-03-29T01:00:00Z", 0, "UTC" },
	{ "UTC", "9999-12-31T23:59:59Z", 0, "UTC" },
	{ "Etc/GMT+5", "2026-06-01T00:00:00Z", -18000, "-05" },
	{ "US/Eastern", "2026-07-01T00:00:00Z", -14400, "EDT" },
	{ "Asia/Kathmandu", "2026-07-01T00:00:00Z", 20700, "+0545" },
};

static void
test_offset(void **state)
{
	const struct off_case	*c = *state;
	const struct tz		*z;
	struct tz_span		 sp;
	const char		*why = NULL;

	z = tz_get(c->zone, &why);
	assert_non_null(z);
	tz_span(z, iso(c->at), &sp);
	assert_int_equal(sp.off, c->off);
	assert_string_equal(sp.abbr, c->abbr);
	assert_true(sp.start <= iso(c->at));
	assert_true(sp.end > iso(c->at));
	assert_int_equal(tz_offset(z, iso(c->at)), c->off);
}

static const struct span_case {
	const char	*zone;
	const char	*at;
	const char	*start, *end;
	int32_t		 prev, off, next;
} span_cases[] = {
	{ "Europe/Paris", "2026-06-01T00:00:00Z", "2026-03-29T01:00:00Z",
	  "2026-10-25T01:00:00Z", 3600, 7200, 3600 },
	{ "Europe/Paris", "2026-12-01T00:00:00Z", "2026-10-25T01:00:00Z",
	  "2027-03-28T01:00:00Z", 7200, 3600, 7200 },
	{ "Europe/Paris", "2050-01-01T00:00:00Z", "2049-10-31T01:00:00Z",
	  "2050-03-27T01:00:00Z", 7200, 3600, 7200 },
	{ "Europe/Paris", "2050-10-30T00:59:59Z", "2050-03-27T01:00:00Z",
	  "2050-10-30T01:00:00Z", 3600, 7200, 3600 },
	{ "Australia/Lord_Howe", "2026-06-01T00:00:00Z", "2026-04-04T15:00:00Z",
	  "2026-10-03T15:30:00Z", 39600, 37800, 39600 },
};

static void
test_span(void **state)
{
	const struct span_case	*c = *state;
	const struct tz		*z = tz_get(c->zone, NULL);
	struct tz_span		 sp;

	assert_non_null(z);
	tz_span(z, iso(c->at), &sp);
	assert_int_equal(sp.start, iso(c->start));
	assert_int_equal(sp.end, iso(c->end));
	assert_int_equal(sp.prev_off, c->prev);
	assert_int_equal(sp.off, c->off);
	assert_int_equal(sp.next_off, c->next);
}

static const struct wall_case {
	const char	*zone;
	const char	*wall;		/* as if UTC */
	const char	*want;
} wall_cases[] = {
	{ "Europe/Paris", "2026-06-01T12:00:00Z", "2026-06-01T10:00:00Z" },
	/* 02:30 does not exist: the jump */
	{ "Europe/Paris", "2026-03-29T02:30:00Z", "2026-03-29T01:00:00Z" },
	{ "Europe/Paris", "2026-03-29T03:00:00Z", "2026-03-29T01:00:00Z" },
	{ "Europe/Paris", "2026-03-29T01:59:00Z", "2026-03-29T00:59:00Z" },
	/* 02:30 occurs twice: the first */
	{ "Europe/Paris", "2026-10-25T02:30:00Z", "2026-10-25T00:30:00Z" },
	{ "Europe/Paris", "2026-10-25T03:00:00Z", "2026-10-25T02:00:00Z" },
	{ "Australia/Lord_Howe", "2026-10-04T02:15:00Z", "2026-10-03T15:30:00Z" },
	{ "Australia/Lord_Howe", "2026-04-05T01:45:00Z", "2026-04-04T14:45:00Z" },
	{ "America/New_York", "2026-11-01T01:30:00Z", "2026-11-01T05:30:00Z" },
	{ "Asia/Kolkata", "2026-03-29T05:30:00Z", "2026-03-29T00:00:00Z" },
};

static void
test_wall(void **state)
{
	const struct wall_case	*c = *state;
	const struct tz		*z = tz_get(c->zone, NULL);

	assert_non_null(z);
	assert_int_equal(tz_from_wall(z, iso(c->wall)), iso(c->want));
}

static const char *const bad_names[] = {
	"Europe", "zone.tab", "zone1970.tab", "tzdata.zi", "leapseconds", "iso3166.tab",
	"../etc/passwd", "../../../../etc/passwd", "/etc/localtime", "/usr/share/zoneinfo/UTC",
	"localtime", "posixrules", "right/Europe/Paris", "posix/Europe/Paris", "", "/",
	"Europe//Paris", "Europe/Paris/", "Europe/Paris\n", "Europe/Paris ", " Europe/Paris",
	"Europe/./Paris", "Europe/../Europe/Paris", "europe/paris", "Not/AZone", "Mars/Olympus",
	"Europe/Paris\xc3\xa9", "Europe/Pa ris", "Europe\\Paris", "%2e%2e/etc/passwd",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	"Europe/Paris;rm", "*", ".", "..",
};

static void
test_bad_name(void **state)
{
	const char	*name = *state, *why = NULL;

	assert_null(tz_get(name, &why));
	assert_non_null(why);
}

/*
 * Every zone that tzdata.zi names ("Z name" and "L target link" lines) loads, and agrees
 * with glibc every 5 days and 7 hours from 1900 to 2100 and one second either side of each
 * of our transitions.
 */
static void
test_against_glibc(void **state)
{
	const char	*name = *state;
	const struct tz	*z = tz_get(name, NULL);
	struct tz_span	 sp;
	struct tm	 tm;
	char		 env[128];
	int64_t		 t, end = iso("2100-01-01T00:00:00Z");
	time_t		 tt;
	int		 bad = 0;

	assert_non_null(z);
	snprintf(env, sizeof(env), ":%s", name);
	setenv("TZ", env, 1);
	tzset();
	for (t = iso("1900-01-01T00:00:00Z"); t < end && bad < 3; t += 5 * 86400 + 7 * 3600) {
		tt = (time_t)t;
		localtime_r(&tt, &tm);
		if (tm.tm_gmtoff != tz_offset(z, t)) {
			print_message("%s at %lld: glibc %ld, ours %d\n", name, (long long)t,
			    tm.tm_gmtoff, tz_offset(z, t));
			bad++;
		}
	}
	for (tz_span(z, iso("1900-01-01T00:00:00Z"), &sp); sp.end < end && bad < 3;
	    tz_span(z, sp.end, &sp)) {
		tt = (time_t)(sp.end - 1);
		localtime_r(&tt, &tm);
		if (tm.tm_gmtoff != sp.off)
			bad++;
		tt = (time_t)sp.end;
		localtime_r(&tt, &tm);
		if (tm.tm_gmtoff != sp.next_off)
			bad++;
		if (bad)
			print_message("%s around %lld: glibc %ld\n", name, (long long)sp.end,
			    tm.tm_gmtoff);
	}
	assert_int_equal(bad, 0);
}

int
main(void)
{
	struct suite	 s = { 0 };
	char		 line[512], a[8], b[128], c[128];
	char		**zones = NULL;
	size_t		 i, nz = 0;
	FILE		*f;

	for (i = 0; i < sizeof(off_cases) / sizeof(off_cases[0]); i++)
		suite_add(&s, test_offset, (void *)&off_cases[i], "offset %s %s",
		    off_cases[i].zone, off_cases[i].at);
	for (i = 0; i < sizeof(span_cases) / sizeof(span_cases[0]); i++)
		suite_add(&s, test_span, (void *)&span_cases[i], "span %s %s",
		    span_cases[i].zone, span_cases[i].at);
	for (i = 0; i < sizeof(wall_cases) / sizeof(wall_cases[0]); i++)
		suite_add(&s, test_wall, (void *)&wall_cases[i], "wall %s %s",
		    wall_cases[i].zone, wall_cases[i].wall);
	for (i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++)
		suite_add(&s, test_bad_name, (void *)bad_names[i], "not a zone: '%s'",
		    bad_names[i]);
	if ((f = fopen("/usr/share/zoneinfo/tzdata.zi", "r")) == NULL) {
		fprintf(stderr, "test-tz: cannot open tzdata.zi\n");
		return 1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%7s %127s %127s", a, b, c) < 2)
			continue;
		if (strcmp(a, "Z") != 0 && strcmp(a, "L") != 0)
			continue;
		zones = xrealloc(zones, (nz + 1) * sizeof(*zones));
		zones[nz++] = xstrdup(strcmp(a, "Z") == 0 ? b : c);
	}
	fclose(f);
	for (i = 0; i < nz; i++)
		suite_add(&s, test_against_glibc, zones[i], "zone %s agrees with glibc", zones[i]);
	i = (size_t)suite_run(&s, "tz");
	while (nz > 0)
		free(zones[--nz]);
	free(zones);
	return (int)i;
}
