/*
 * autosched tests: lib/plan.c, a job's fire plan (SPEC §9): active windows and jitter on
 * top of its schedule, and the date schedule type, around DST in Europe/Paris,
 * America/New_York and Australia/Lord_Howe.
 */
#include "testutil.h"
#include "plan.h"

/* An instant from "2026-03-29T01:30:00Z". */
static int64_t
utc(const char *iso)
{
	struct cal_iso	 t;

	assert_int_equal(cal_parse_iso(iso, &t), 0);
	return cal_join(&t.tm) - t.off;
}

/* A plan from its parts as the API takes them (windows: JSON or NULL). */
static void
mkplan(struct plan *p, const char *type, const char *config, const char *zone,
    const char *windows, int64_t jitter)
{
	struct verrs	 e = VERRS_INIT;
	json_t		*c = json_loads(config, 0, NULL), *w = NULL, *j = json_integer(jitter);
	const struct tz	*z = tz_get(zone, NULL);

	assert_non_null(z);
	if (windows)
		assert_non_null(w = json_loads(windows, 0, NULL));
	if (plan_parse(p, (enum sched_type)sched_type_from_name(type), c, z, w, j, 0, &e) != 0)
		fail_msg("%s: %s", e.v[0].field, e.v[0].msg);
	verrs_release(&e);
	json_decref(c);
	json_decref(w);
	json_decref(j);
}

static const char *
isot(int64_t t)
{
	static char	 b[CAL_ISO_LEN];

	return cal_iso((time_t)t, b);
}

/* A minutely job with a quarter-hour window on weekdays: Friday's last, then Monday's first. */
static void
test_window_weekdays(void **state)
{
	struct plan	 p;
	struct planned	 n;

	(void)state;
	mkplan(&p, "cron", "{\"cron_expression\": \"* * * * *\"}", "Europe/Paris",
	    "[{\"days\": \"mon-fri\", \"start\": \"09:00\", \"end\": \"09:15\"}]", 0);
	/* Friday 2026-03-27, 09:13 CET */
	assert_int_equal(plan_next(&p, utc("2026-03-27T08:13:00Z"), 0, &n), 0);
	assert_string_equal(isot(n.nominal), "2026-03-27T08:14:00Z");
	/* 09:14 is the last inside: the next is Monday 09:00, now CEST */
	assert_int_equal(plan_next(&p, utc("2026-03-27T08:14:00Z"), 0, &n), 0);
	assert_string_equal(isot(n.nominal), "2026-03-30T07:00:00Z");
	assert_int_equal(n.at, n.nominal);
}

/* A window that ends before it starts crosses midnight and belongs to its first day. */
static void
test_window_overnight(void **state)
{
	struct plan	 p;
	struct planned	 n;

	(void)state;
	mkplan(&p, "cron", "{\"cron_expression\": \"30 * * * *\"}", "UTC",
	    "[{\"days\": \"fri\", \"start\": \"22:00\", \"end\": \"02:00\"}]", 0);
	/* Friday 2026-12-04 */
	assert_int_equal(plan_next(&p, utc("2026-12-04T12:00:00Z"), 0, &n), 0);
	assert_string_equal(isot(n.nominal), "2026-12-04T22:30:00Z");
	/* Saturday 01:30 is Friday's window; Saturday 22:30 is no window's */
	assert_int_equal(plan_next(&p, utc("2026-12-05T00:30:00Z"), 0, &n), 0);
	assert_string_equal(isot(n.nominal), "2026-12-05T01:30:00Z");
	assert_int_equal(plan_next(&p, utc("2026-12-05T01:30:00Z"), 0, &n), 0);
	assert_string_equal(isot(n.nominal), "2026-12-11T22:30:00Z");
}

/*
 * Paris, 2026-03-29: 02:00 to 03:00 does not exist. A 02:30 job fires at the jump; it is in
 * a 02:00-03:00 window by the time it names, and that window closes at the jump: no jitter.
 */
static void
test_window_dst_gap_paris(void **state)
{
	struct plan	 p;
	struct planned	 n;

	(void)state;
	mkplan(&p, "daily", "{\"hour\": 2, \"minute\": 30}", "Europe/Paris",
	    "[{\"days\": \"sun\", \"start\": \"02:00\", \"end\": \"03:00\"}]", 900);
	assert_int_equal(plan_next(&p, utc("2026-03-28T12:00:00Z"), 12345, &n), 0);
	assert_string_equal(isot(n.nominal), "2026-03-29T01:00:00Z");
	assert_true(n.flags & FIRE_MOVED);
	assert_int_equal(n.spread, 0);
	assert_int_equal(n.at, n.nominal);
	/* a week later, a normal Sunday: 02:30 CEST, up to 15 minutes late */
	assert_int_equal(plan_next(&p, n.nominal, 900, &n), 0);
	assert_string_equal(isot(n.nominal), "2026-04-05T00:30:00Z");
	assert_int_equal(n.spread, 900);
	assert_int_equal(n.at, n.nominal + 900);
}

/*
 * New York, 2026-11-01: 01:00 to 02:00 happens twice. A 01:30 job fires once, at the
 * first; its window closes at the (only) 02:00, 90 minutes later in real time.
 */
static void
test_window_dst_fold_new_york(void **state)
{
	struct plan	 p;
	struct planned	 n;

	(void)state;
	mkplan(&p, "daily", "{\"hour\": 1, \"minute\": 30}", "America/New_York",
	    "[{\"start\": \"01:00\", \"end\": \"02:00\"}]", 86400);
	assert_int_equal(plan_next(&p, utc("2026-10-31T12:00:00Z"), 0, &n), 0);
	assert_string_equal(isot(n.nominal), "2026-11-01T05:30:00Z");
	assert_true(n.flags & FIRE_FIRST);
	assert_int_equal(n.spread, 5399);
	assert_int_equal(plan_next(&p, n.nominal, 0, &n), 0);
	assert_string_equal(isot(n.nominal), "2026-11-02T06:30:00Z");
	assert_int_equal(n.spread, 1799);
}

/*
 * Lord Howe moves its clocks by 30 minutes: 2026-10-04 02:00 becomes 02:30. A 02:15 job
 * fires at the jump (15:30Z); its 02:00-03:00 window closes 30 minutes after that.
 */
static void
test_window_dst_lord_howe(void **state)
{
	struct plan	 p;
	struct planned	 n;

	(void)state;
	mkplan(&p, "daily", "{\"hour\": 2, \"minute\": 15}", "Australia/Lord_Howe",
	    "[{\"days\": \"sun\", \"start\": \"02:00\", \"end\": \"03:00\"}]", 3600);
	assert_int_equal(plan_next(&p, utc("2026-10-03T00:00:00Z"), 0, &n), 0);
	assert_string_equal(isot(n.nominal), "2026-10-03T15:30:00Z");
	assert_true(n.flags & FIRE_MOVED);
	assert_int_equal(n.spread, 1799);
	assert_int_equal(plan_next(&p, n.nominal, 5000, &n), 0);
	/* the next Sunday, 02:15 LHDT (+11) */
	assert_string_equal(isot(n.nominal), "2026-10-10T15:15:00Z");
	assert_int_equal(n.spread, 2699);
	assert_int_equal(n.at, n.nominal + 5000 % 2700);
}

/* Jitter ends before the next nominal fire time; the draw is rnd modulo spread + 1. */
static void
test_jitter_clamp(void **state)
{
	struct plan	 p;
	struct planned	 n;

	(void)state;
	mkplan(&p, "cron", "{\"cron_expression\": \"*/5 * * * *\"}", "UTC", NULL, 3600);
	assert_int_equal(plan_next(&p, utc("2026-12-03T10:01:00Z"), 299, &n), 0);
	assert_string_equal(isot(n.nominal), "2026-12-03T10:05:00Z");
	assert_int_equal(n.spread, 299);
	assert_int_equal(n.at, n.nominal + 299);
	assert_int_equal(plan_next(&p, utc("2026-12-03T10:01:00Z"), 300, &n), 0);
	assert_int_equal(n.at, n.nominal);
	mkplan(&p, "daily", "{}", "UTC", NULL, 86400);
	assert_int_equal(plan_next(&p, utc("2026-12-03T10:01:00Z"), UINT64_MAX, &n), 0);
	assert_int_equal(n.spread, 86399);
	assert_true(n.at >= n.nominal && n.at <= n.nominal + 86399);
}

/* Windows that leave no fire time within a year; and an interval passed over. */
static void
test_window_never(void **state)
{
	struct plan	 p;
	struct planned	 n;
	struct fire	 f;

	(void)state;
	mkplan(&p, "daily", "{\"hour\": 8}", "UTC",
	    "[{\"days\": \"mon\", \"start\": \"09:00\", \"end\": \"10:00\"}]", 0);
	assert_int_equal(plan_next(&p, utc("2026-12-03T00:00:00Z"), 0, &n), -1);
	assert_int_equal(plan_nominal(&p, utc("2026-12-03T00:00:00Z"), &f), -1);
	/* every 7 hours from the epoch: only the ones in 09:00-12:00 */
	mkplan(&p, "interval", "{\"hours\": 7}", "UTC",
	    "[{\"start\": \"09:00\", \"end\": \"12:00\"}]", 0);
	assert_int_equal(plan_nominal(&p, utc("2026-12-03T00:00:00Z"), &f), 0);
	assert_int_equal((f.at % 86400) >= 9 * 3600 && (f.at % 86400) < 12 * 3600, 1);
	assert_int_equal(f.at % (7 * 3600), 0);
}

/* A date: a wall time, once; in a gap it does not exist, in a fold it is the first. */
static void
test_date(void **state)
{
	struct plan	 p;
	struct planned	 n;

	(void)state;
	mkplan(&p, "date", "{\"run_at\": \"2026-12-24T09:00\"}", "Europe/Paris", NULL, 0);
	assert_int_equal(plan_next(&p, utc("2026-12-01T00:00:00Z"), 0, &n), 0);
	assert_string_equal(isot(n.nominal), "2026-12-24T08:00:00Z");
	assert_int_equal(plan_next(&p, n.nominal, 0, &n), -1);
	assert_false(sched_skipped(&p.s, p.z));

	mkplan(&p, "date", "{\"run_at\": \"2026-03-29T02:30\"}", "Europe/Paris", NULL, 0);
	assert_true(sched_skipped(&p.s, p.z));
	assert_false(sched_skipped(&p.s, tz_get("UTC", NULL)));

	mkplan(&p, "date", "{\"run_at\": \"2026-10-25T02:30:15\"}", "Europe/Paris", NULL, 0);
	assert_false(sched_skipped(&p.s, p.z));
	assert_int_equal(plan_next(&p, utc("2026-10-01T00:00:00Z"), 0, &n), 0);
	assert_string_equal(isot(n.nominal), "2026-10-25T00:30:15Z");
	assert_true(n.flags & FIRE_FIRST);
	/* it fires once: not again at the second 02:30 */
	assert_int_equal(plan_next(&p, n.nominal, 0, &n), -1);
}

static const struct bad_case {
	const char	*json;
	const char	*field;
	const char	*msg;		/* a part of the message */
} bad_cases[] = {
	{ "[{\"days\": \"mon\", \"start\": \"09:00\", \"end\": \"09:00\"}]",
	  "active_windows[0].end", "must differ from start" },
	{ "[{\"days\": \"mon-xyz\", \"start\": \"09:00\", \"end\": \"10:00\"}]",
	  "active_windows[0].days", "unknown day 'xyz'" },
	{ "[{\"days\": \"fri-mon\", \"start\": \"09:00\", \"end\": \"10:00\"}]",
	  "active_windows[0].days", "goes backwards" },
	{ "[{\"days\": 1, \"start\": \"09:00\", \"end\": \"10:00\"}]",
	  "active_windows[0].days", "must be a string" },
	{ "[{\"start\": \"25:00\", \"end\": \"10:00\"}]",
	  "active_windows[0].start", "from 00:00 to 23:59" },
	{ "[{\"start\": \"24:00\", \"end\": \"10:00\"}]",
	  "active_windows[0].start", "from 00:00 to 23:59" },
	{ "[{\"start\": \"9:00\", \"end\": \"10:00\"}]",
	  "active_windows[0].start", "HH:MM" },
	{ "[{\"start\": \"09:00\", \"end\": \"24:01\"}]",
	  "active_windows[0].end", "from 00:00 to 24:00" },
	{ "[{\"start\": \"09:00\"}]", "active_windows[0].end", "field required" },
	{ "[{\"start\": \"09:00\", \"end\": \"10:00\", \"tz\": \"UTC\"}]",
	  "active_windows[0].tz", "unknown field" },
	{ "[]", "active_windows", "at least one window" },
	{ "{}", "active_windows", "must be a list" },
	{ "[\"mon 09:00-10:00\"]", "active_windows[0]", "must be an object" },
	{ "[{\"start\": \"09:00\", \"end\": \"10:00\"}, {\"start\": \"10:00\", \"end\": \"10:00\"}]",
	  "active_windows[1].end", "must differ" },
};

static void
test_windows_bad(void **state)
{
	const struct bad_case	*c = *state;
	struct window		 w[PLAN_MAX_WINDOWS];
	struct verrs		 e = VERRS_INIT;
	json_t			*v = json_loads(c->json, 0, NULL), *norm = (json_t *)1;
	size_t			 nw = 99;

	assert_non_null(v);
	assert_int_equal(windows_parse(v, "active_windows", w, &nw, &norm, &e), -1);
	assert_null(norm);
	assert_true(e.n >= 1);
	assert_string_equal(e.v[0].field, c->field);
	if (strstr(e.v[0].msg, c->msg) == NULL)
		fail_msg("'%s' lacks '%s'", e.v[0].msg, c->msg);
	verrs_release(&e);
	json_decref(v);
}

/* Too many windows; normalised text; what people type; words. */
static void
test_windows_norm(void **state)
{
	struct window	 w[PLAN_MAX_WINDOWS];
	struct verrs	 e = VERRS_INIT;
	struct buf	 b = BUF_INIT;
	struct plan	 p;
	const char	*msg;
	json_t		*v, *norm;
	char		*s;
	size_t		 nw, i;

	(void)state;
	v = json_array();
	for (i = 0; i < PLAN_MAX_WINDOWS + 1; i++)
		json_array_append_new(v, json_pack("{s:s,s:s}", "start", "09:00", "end", "10:00"));
	assert_int_equal(windows_parse(v, "active_windows", w, &nw, &norm, &e), -1);
	assert_string_equal(e.v[0].msg, "must hold at most 16 windows");
	verrs_release(&e);
	json_decref(v);

	v = windows_from_text(" MON-fri 09:00-18:00 ;sat,sun 22:00-02:00; 12:00-24:00", &msg);
	assert_non_null(v);
	assert_int_equal(windows_parse(v, "active_windows", w, &nw, &norm, &e), 0);
	assert_int_equal(nw, 3);
	s = json_dumps(norm, JSON_COMPACT);
	assert_string_equal(s, "[{\"days\":\"mon-fri\",\"start\":\"09:00\",\"end\":\"18:00\"},"
	    "{\"days\":\"sat,sun\",\"start\":\"22:00\",\"end\":\"02:00\"},"
	    "{\"days\":\"mon-sun\",\"start\":\"12:00\",\"end\":\"24:00\"}]");
	assert_int_equal(w[1].days, 0x41);
	assert_int_equal(w[2].end, 1440);
	free(s);
	json_decref(norm);
	json_decref(v);
	assert_null(windows_from_text("mon 09:00-18:00;;sat 10:00-11:00", &msg));
	assert_string_equal(msg, "has an empty window (windows are separated by ';')");
	assert_null(windows_from_text("mon 0900", &msg));

	mkplan(&p, "weekly", "{\"day_of_week\": \"mon-fri\", \"hour\": 9}", "Europe/Paris",
	    "[{\"days\": \"mon-fri\", \"start\": \"09:00\", \"end\": \"18:00\"},"
	    "{\"days\": \"sat\", \"start\": \"22:00\", \"end\": \"01:00\"}]", 5400);
	plan_describe(&p, &b);
	assert_string_equal(b.data, "At 09:00, Monday through Friday, only within Monday "
	    "through Friday 09:00-18:00 or Saturday 22:00-01:00 (overnight), each run up to 1 "
	    "hour and 30 minutes later at random");
	buf_release(&b);
}

/* The preview: nominal times, and the latest instant jitter may move each to. */
static void
test_preview(void **state)
{
	struct plan	 p;
	json_t		*runs;

	(void)state;
	mkplan(&p, "daily", "{\"hour\": 9}", "Europe/Paris",
	    "[{\"days\": \"mon-fri\", \"start\": \"09:00\", \"end\": \"09:10\"}]", 900);
	runs = plan_preview(&p, utc("2026-12-04T12:00:00Z"), 2);
	assert_int_equal(json_array_size(runs), 2);
	/* Friday's is past: Monday 7 and Tuesday 8 December, up to 09:09:59 */
	assert_string_equal(json_string_value(json_object_get(json_array_get(runs, 0), "at")),
	    "2026-12-07T08:00:00Z");
	assert_string_equal(json_string_value(json_object_get(json_array_get(runs, 0),
	    "latest")), "2026-12-07T09:09:59+01:00");
	assert_string_equal(json_string_value(json_object_get(json_array_get(runs, 1), "at")),
	    "2026-12-08T08:00:00Z");
	json_decref(runs);
}

int
main(void)
{
	struct suite	 s = { 0 };
	size_t		 i;

	suite_add(&s, test_window_weekdays, NULL, "window: Friday's last, then Monday's first");
	suite_add(&s, test_window_overnight, NULL, "window: overnight belongs to its first day");
	suite_add(&s, test_window_dst_gap_paris, NULL, "window and jitter: Paris spring gap");
	suite_add(&s, test_window_dst_fold_new_york, NULL,
	    "window and jitter: New York fall fold");
	suite_add(&s, test_window_dst_lord_howe, NULL,
	    "window and jitter: Lord Howe half-hour shift");
	suite_add(&s, test_jitter_clamp, NULL, "jitter: before the next fire time");
	suite_add(&s, test_window_never, NULL, "windows: none within a year; intervals");
	suite_add(&s, test_date, NULL, "date: once; gap; fold");
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
		suite_add(&s, test_windows_bad, (void *)&bad_cases[i], "bad windows: %s",
		    bad_cases[i].json);
	suite_add(&s, test_windows_norm, NULL, "windows: normalised, typed, in words");
	suite_add(&s, test_preview, NULL, "preview: latest");
	return suite_run(&s, "plan");
}
