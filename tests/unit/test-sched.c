/*
 * autosched tests: lib/sched.c, the schedule types of SPEC §3: validation (every bad field
 * at once), the plan's defaults, normalised configs, next fire times and words.
 */
#include "testutil.h"
#include "sched.h"

static const struct ok_case {
	const char	*type;
	const char	*config;	/* JSON, or NULL for none */
	const char	*norm;		/* the normalised config, compact JSON with sorted keys */
	const char	*words;
} ok_cases[] = {
	{ "daily", "{\"hour\": 8, \"minute\": 0}", "{\"hour\":8,\"minute\":0}",
	  "At 08:00, every day" },
	{ "daily", "{}", "{\"hour\":8,\"minute\":0}", "At 08:00, every day" },
	{ "daily", NULL, "{\"hour\":8,\"minute\":0}", "At 08:00, every day" },
	{ "daily", "{\"hour\": 23, \"minute\": 59}", "{\"hour\":23,\"minute\":59}",
	  "At 23:59, every day" },
	{ "daily", "{\"minute\": 30}", "{\"hour\":8,\"minute\":30}", "At 08:30, every day" },
	{ "weekly", "{}", "{\"day_of_week\":\"mon\",\"hour\":8,\"minute\":0}",
	  "At 08:00 on Monday" },
	{ "weekly", "{\"day_of_week\": \"mon,wed,fri\", \"hour\": 14, \"minute\": 30}",
	  "{\"day_of_week\":\"mon,wed,fri\",\"hour\":14,\"minute\":30}",
	  "At 14:30 on Monday, Wednesday and Friday" },
	{ "weekly", "{\"day_of_week\": \"MON-Fri\"}",
	  "{\"day_of_week\":\"mon-fri\",\"hour\":8,\"minute\":0}",
	  "At 08:00, Monday through Friday" },
	{ "weekly", "{\"day_of_week\": \" sat - sun , wed \"}",
	  "{\"day_of_week\":\"sat-sun,wed\",\"hour\":8,\"minute\":0}",
	  "At 08:00 on Wednesday, Saturday and Sunday" },
	{ "weekly", "{\"day_of_week\": \"sun\", \"hour\": 10}",
	  "{\"day_of_week\":\"sun\",\"hour\":10,\"minute\":0}", "At 10:00 on Sunday" },
	{ "interval", "{\"hours\": 2, \"minutes\": 0}", "{\"hours\":2,\"minutes\":0}",
	  "Every 2 hours" },
	{ "interval", "{}", "{\"hours\":1,\"minutes\":0}", "Every hour" },
	{ "interval", "{\"hours\": 0, \"minutes\": 15}", "{\"hours\":0,\"minutes\":15}",
	  "Every 15 minutes" },
	{ "interval", "{\"hours\": 0, \"minutes\": 1}", "{\"hours\":0,\"minutes\":1}",
	  "Every 1 minute" },
	{ "interval", "{\"hours\": 1, \"minutes\": 30}", "{\"hours\":1,\"minutes\":30}",
	  "Every 1 hour and 30 minutes" },
	{ "interval", "{\"hours\": 0, \"minutes\": 90}", "{\"hours\":0,\"minutes\":90}",
	  "Every 1 hour and 30 minutes" },
	{ "interval", "{\"hours\": 8784}", "{\"hours\":8784,\"minutes\":0}", "Every 8784 hours" },
	{ "cron", "{\"cron_expression\": \"0 8-18 * * 1-5\"}",
	  "{\"cron_expression\":\"0 8-18 * * 1-5\"}",
	  "Every hour, between 08:00 and 18:59, Monday through Friday" },
	{ "cron", "{\"cron_expression\": \"@daily\"}", "{\"cron_expression\":\"@daily\"}",
	  "At 00:00, every day" },
	{ "manual", "{}", "{}", "Manually only" },
	{ "manual", NULL, "{}", "Manually only" },
};

static void
test_ok(void **state)
{
	const struct ok_case	*c = *state;
	struct sched		 s;
	struct verrs		 e = VERRS_INIT;
	struct buf		 b = BUF_INIT;
	json_t			*cfg = NULL;
	char			*norm;

	if (c->config)
		assert_non_null(cfg = json_loads(c->config, 0, NULL));
	assert_int_equal(sched_parse(&s, sched_type_from_name(c->type), cfg, "schedule_config",
	    &e), 0);
	assert_int_equal(e.n, 0);
	norm = json_dumps(s.config, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(norm, c->norm);
	sched_describe(&s, &b);
	assert_string_equal(b.data, c->words);
	free(norm);
	buf_release(&b);
	sched_release(&s);
	json_decref(cfg);
}

/* Each row: config, then the fields named by the errors, in order, then NULL. */
static const struct bad_case {
	const char	*type;
	const char	*config;
	const char	*fields[5];
	const char	*first_msg;
} bad_cases[] = {
	{ "daily", "{\"hour\": 24, \"minute\": 60}",
	  { "schedule_config.hour", "schedule_config.minute", NULL },
	  "must be between 0 and 23" },
	{ "daily", "{\"hour\": -1}", { "schedule_config.hour", NULL }, "must be between 0 and 23" },
	{ "daily", "{\"hour\": 8.5}", { "schedule_config.hour", NULL }, "must be an integer" },
	{ "daily", "{\"hour\": 8.0}", { "schedule_config.hour", NULL }, "must be an integer" },
	{ "daily", "{\"hour\": \"8\"}", { "schedule_config.hour", NULL }, "must be an integer" },
	{ "daily", "{\"hour\": true}", { "schedule_config.hour", NULL }, "must be an integer" },
	{ "daily", "{\"hour\": null}", { "schedule_config.hour", NULL }, "must be an integer" },
	{ "daily", "{\"hour\": 99999999999999999}", { "schedule_config.hour", NULL },
	  "must be between 0 and 23" },
	{ "daily", "{\"hours\": 8}", { "schedule_config.hours", NULL },
	  "unknown field: a daily schedule takes hour and minute" },
	{ "daily", "{\"hour\": 8, \"day_of_week\": \"mon\", \"minute\": \"x\"}",
	  { "schedule_config.day_of_week", "schedule_config.minute", NULL },
	  "unknown field: a daily schedule takes hour and minute" },
	{ "daily", "[]", { "schedule_config", NULL }, "must be an object" },
	{ "daily", "\"8:00\"", { "schedule_config", NULL }, "must be an object" },
	{ "weekly", "{\"day_of_week\": \"monday\"}", { "schedule_config.day_of_week", NULL },
	  "unknown day 'monday' (use mon, tue, wed, thu, fri, sat, sun)" },
	{ "weekly", "{\"day_of_week\": \"fri-mon\"}", { "schedule_config.day_of_week", NULL },
	  "range fri-mon goes backwards (the week runs mon to sun)" },
	{ "weekly", "{\"day_of_week\": \"\"}", { "schedule_config.day_of_week", NULL },
	  "is empty" },
	{ "weekly", "{\"day_of_week\": \"mon,,fri\"}", { "schedule_config.day_of_week", NULL },
	  "has an empty item" },
	{ "weekly", "{\"day_of_week\": \"mon,\"}", { "schedule_config.day_of_week", NULL },
	  "has an empty item" },
	{ "weekly", "{\"day_of_week\": \"1-5\"}", { "schedule_config.day_of_week", NULL },
	  "unknown day '1' (use mon, tue, wed, thu, fri, sat, sun)" },
	{ "weekly", "{\"day_of_week\": 1, \"hour\": 25, \"minute\": -5}",
	  { "schedule_config.day_of_week", "schedule_config.hour", "schedule_config.minute",
	    NULL }, "must be a string such as \"mon-fri\"" },
	{ "interval", "{\"hours\": 0, \"minutes\": 0}", { "schedule_config", NULL },
	  "the interval must be between 1 minute and 366 days" },
	{ "interval", "{\"hours\": 8784, \"minutes\": 1}", { "schedule_config", NULL },
	  "the interval must be between 1 minute and 366 days" },
	{ "interval", "{\"hours\": -1}", { "schedule_config.hours", NULL },
	  "must be between 0 and 8784" },
	{ "interval", "{\"hours\": 1.5, \"minutes\": \"30\"}",
	  { "schedule_config.hours", "schedule_config.minutes", NULL }, "must be an integer" },
	{ "interval", "{\"seconds\": 30}", { "schedule_config.seconds", NULL },
	  "unknown field: an interval schedule takes hours and minutes" },
	{ "cron", "{}", { "schedule_config.cron_expression", NULL }, "field required" },
	{ "cron", "{\"cron_expression\": \"0 24 * * *\"}",
	  { "schedule_config.cron_expression", NULL }, "hour: 24 is out of range 0-23" },
	{ "cron", "{\"cron_expression\": \"0 0 30 2 *\"}",
	  { "schedule_config.cron_expression", NULL },
	  "expression: never fires: the days of the month it names do not occur in the "
	  "months it names" },
	{ "cron", "{\"cron_expression\": 5}", { "schedule_config.cron_expression", NULL },
	  "must be a string such as \"0 8 * * 1-5\"" },
	{ "cron", "{\"cron_expression\": \"0 8 * * *\\u0000x\"}",
	  { "schedule_config.cron_expression", NULL }, "must not contain NUL characters" },
	{ "cron", "{\"cron\": \"0 8 * * *\"}",
	  { "schedule_config.cron", "schedule_config.cron_expression", NULL },
	  "unknown field: a cron schedule takes cron_expression" },
	{ "manual", "{\"hour\": 8}", { "schedule_config.hour", NULL },
	  "unknown field: a manual schedule takes no fields" },
};

static void
test_bad(void **state)
{
	const struct bad_case	*c = *state;
	struct sched		 s;
	struct verrs		 e = VERRS_INIT;
	json_t			*cfg;
	size_t			 i;

	assert_non_null(cfg = json_loads(c->config, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL));
	assert_int_equal(sched_parse(&s, sched_type_from_name(c->type), cfg, "schedule_config",
	    &e), -1);
	for (i = 0; c->fields[i] != NULL; i++) {
		if (i >= e.n)
			fail_msg("error %zu (%s) missing", i, c->fields[i]);
		assert_string_equal(e.v[i].field, c->fields[i]);
	}
	assert_int_equal(e.n, i);
	assert_string_equal(e.v[0].msg, c->first_msg);
	assert_null(s.config);
	verrs_release(&e);
	json_decref(cfg);
}

/* Fire times of the non-cron types (cron is test-cron's). */
static const struct next_case {
	const char	*type, *config, *zone, *anchor, *after;
	const char	*want[4];
} next_cases[] = {
	/* daily at 02:30 in Paris: the spring gap fires at the jump, the fold once */
	{ "daily", "{\"hour\": 2, \"minute\": 30}", "Europe/Paris", NULL,
	  "2026-03-28T12:00:00Z",
	  { "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z", NULL } },
	{ "daily", "{\"hour\": 2, \"minute\": 30}", "Europe/Paris", NULL,
	  "2026-10-24T12:00:00Z",
	  { "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", NULL } },
	{ "daily", "{}", "Europe/Paris", NULL, "2026-11-28T14:00:00Z",
	  { "2026-11-29T07:00:00Z", "2026-11-30T07:00:00Z", NULL } },
	/* weekly mon-fri 08:00 in New York, over the November fall-back */
	{ "weekly", "{\"day_of_week\": \"mon-fri\"}", "America/New_York", NULL,
	  "2026-10-30T13:00:00Z",
	  { "2026-11-02T13:00:00Z", "2026-11-03T13:00:00Z", NULL } },
	{ "weekly", "{\"day_of_week\": \"sun\", \"hour\": 2, \"minute\": 15}",
	  "America/New_York", NULL, "2026-03-01T12:00:00Z",
	  { "2026-03-08T07:00:00Z", "2026-03-15T06:15:00Z", NULL } },
	/* interval: a UTC grid from the anchor, blind to DST */
	{ "interval", "{\"hours\": 1}", "Europe/Paris", "2026-03-29T00:10:00Z",
	  "2026-03-29T00:10:00Z",
	  { "2026-03-29T01:10:00Z", "2026-03-29T02:10:00Z", "2026-03-29T03:10:00Z", NULL } },
	{ "interval", "{\"hours\": 2, \"minutes\": 30}", "UTC", "2026-01-01T00:00:00Z",
	  "2026-01-01T06:00:00Z", { "2026-01-01T07:30:00Z", "2026-01-01T10:00:00Z", NULL } },
	{ "interval", "{\"hours\": 0, \"minutes\": 15}", "UTC", "2026-01-01T00:07:00Z",
	  "2026-01-01T00:00:00Z", { "2026-01-01T00:07:00Z", "2026-01-01T00:22:00Z", NULL } },
	{ "interval", "{\"hours\": 0, \"minutes\": 15}", "UTC", "2026-01-01T00:07:00Z",
	  "2025-12-31T23:52:00Z", { "2026-01-01T00:07:00Z", NULL } },
	{ "interval", "{\"hours\": 24}", "Europe/Paris", "2026-03-28T07:00:00Z",
	  "2026-03-28T07:00:00Z", { "2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z", NULL } },
};

static void
test_next(void **state)
{
	const struct next_case	*c = *state;
	struct sched		 s;
	struct verrs		 e = VERRS_INIT;
	struct fire		 f;
	json_t			*cfg;
	time_t			 t = iso(c->after), anchor = c->anchor ? iso(c->anchor) : 0;
	char			 got[CAL_ISO_LEN];
	int			 i;

	assert_non_null(cfg = json_loads(c->config, 0, NULL));
	assert_int_equal(sched_parse(&s, sched_type_from_name(c->type), cfg, "", &e), 0);
	for (i = 0; c->want[i] != NULL; i++) {
		assert_int_equal(sched_next(&s, tz_get(c->zone, NULL), anchor, t, &f), 0);
		if (f.at != iso(c->want[i]))
			fail_msg("fire %d is %s, want %s", i + 1, cal_iso(f.at, got), c->want[i]);
		t = f.at;
	}
	sched_release(&s);
	json_decref(cfg);
}

static void
test_manual_never(void **state)
{
	struct sched	 s;
	struct verrs	 e = VERRS_INIT;
	struct fire	 f;

	(void)state;
	assert_int_equal(sched_parse(&s, SCHED_MANUAL, NULL, "schedule_config", &e), 0);
	assert_int_equal(sched_next(&s, tz_get("UTC", NULL), 0, 0, &f), -1);
	sched_release(&s);
}

static void
test_type_names(void **state)
{
	int	 i;

	(void)state;
	for (i = 0; i < SCHED__MAX; i++)
		assert_int_equal(sched_type_from_name(sched_type_name((enum sched_type)i)), i);
	assert_int_equal(sched_type_from_name("Daily"), -1);
	assert_int_equal(sched_type_from_name("once"), -1);
	assert_int_equal(sched_type_from_name(""), -1);
}

int
main(void)
{
	struct suite	 s = { 0 };
	size_t		 i;

#define N(a)	(sizeof(a) / sizeof((a)[0]))
	for (i = 0; i < N(ok_cases); i++)
		suite_add(&s, test_ok, (void *)&ok_cases[i], "%s %s", ok_cases[i].type,
		    ok_cases[i].config ? ok_cases[i].config : "(no config)");
	for (i = 0; i < N(bad_cases); i++)
		suite_add(&s, test_bad, (void *)&bad_cases[i], "rejects %s %s", bad_cases[i].type,
		    bad_cases[i].config);
	for (i = 0; i < N(next_cases); i++)
		suite_add(&s, test_next, (void *)&next_cases[i], "next %s %s %s from %s",
		    next_cases[i].type, next_cases[i].config, next_cases[i].zone,
		    next_cases[i].after);
	suite_add(&s, test_manual_never, NULL, "manual never fires");
	suite_add(&s, test_type_names, NULL, "type names");
	return suite_run(&s, "sched");
}
