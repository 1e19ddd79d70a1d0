/*
 * autosched tests: lib/job.c, job documents: what POST and PUT accept, what they refuse
 * (every field at once, in pydantic's shape), and what they compute (next_run_at,
 * anchors, defaults). The configuration is the shipped deploy/autosched.conf.
 */
#include "testutil.h"
#include "job.h"

static struct conf	 conf;

#define NOW	1795874400	/* 2026-11-28T14:00:00Z, a Saturday */

struct apply_case {
	const char	*create;	/* JSON for POST */
	const char	*update;	/* then JSON for PUT, or NULL */
	const char	*errors;	/* "field type|field type" expected, or NULL for success */
	const char	*next;		/* expected next_run_at, "null", or NULL not to check */
};

static const struct apply_case cases[] = {
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\"}", NULL, NULL,
	  "2026-11-29T07:00:00Z" },
	{ "{\"name\":\"a\",\"bot_type\":\"visitor\",\"schedule_type\":\"weekly\","
	  "\"schedule_config\":{\"day_of_week\":\"mon-fri\",\"hour\":9},"
	  "\"timezone\":\"America/New_York\"}", NULL, NULL, "2026-11-30T14:00:00Z" },
	{ "{\"name\":\"a\",\"bot_type\":\"visitor\",\"schedule_type\":\"interval\","
	  "\"schedule_config\":{\"hours\":0,\"minutes\":90}}", NULL, NULL,
	  "2026-11-28T15:30:00Z" },
	{ "{\"name\":\"a\",\"bot_type\":\"visitor\",\"schedule_type\":\"manual\"}", NULL, NULL,
	  "null" },
	{ "{\"name\":\"a\",\"bot_type\":\"visitor\",\"schedule_type\":\"daily\","
	  "\"enabled\":false}", NULL, NULL, "null" },
	/* server-managed fields are ignored, not errors */
	{ "{\"name\":\"a\",\"bot_type\":\"visitor\",\"schedule_type\":\"manual\",\"id\":\"x\","
	  "\"next_run_at\":\"2000-01-01T00:00:00Z\",\"created_by\":\"mallory\"}", NULL, NULL,
	  "null" },
	{ "{}", NULL, "name value_error.missing|bot_type value_error.missing|"
	  "schedule_type value_error.missing", NULL },
	{ "[]", NULL, " type_error.dict", NULL },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	  "\"bot_config\":{\"dryrun\":true,\"max_days_late\":366}}", NULL,
	  "bot_config.dryrun value_error.extra|bot_config.max_days_late value_error", NULL },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	  "\"schedule_config\":{\"hour\":8.5},\"max_instances\":true,\"coalesce\":1}", NULL,
	  "max_instances type_error.integer|coalesce type_error.bool|"
	  "schedule_config.hour type_error.integer", NULL },
	{ "{\"name\":null,\"bot_type\":\"birthday\",\"schedule_type\":\"daily\"}", NULL,
	  "name type_error.none.not_allowed", NULL },
	/* SPEC §9: windows, jitter and the date type */
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	  "\"schedule_config\":{\"hour\":10},\"active_windows\":[{\"days\":\"mon-fri\","
	  "\"start\":\"09:00\",\"end\":\"18:00\"}]}", NULL, NULL, "2026-11-30T09:00:00Z" },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	  "\"active_windows\":[{\"days\":\"mon-fri\",\"start\":\"09:00\",\"end\":\"18:00\"}]}",
	  NULL, "active_windows value_error", NULL },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	  "\"active_windows\":[{\"days\":\"mon\",\"start\":\"09:00\",\"end\":\"09:00\"}],"
	  "\"jitter_seconds\":86401}", NULL,
	  "jitter_seconds value_error|active_windows[0].end value_error", NULL },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	  "\"jitter_seconds\":\"60\"}", NULL, "jitter_seconds type_error.integer", NULL },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	  "\"jitter_seconds\":86400,\"active_windows\":null}", NULL, NULL, NULL },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"date\","
	  "\"schedule_config\":{\"run_at\":\"2026-12-24T09:00\"}}", NULL, NULL,
	  "2026-12-24T08:00:00Z" },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"date\","
	  "\"schedule_config\":{\"run_at\":\"2026-11-28T14:59\"}}", NULL,
	  "schedule_config.run_at value_error", NULL },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"date\","
	  "\"schedule_config\":{\"run_at\":\"2027-03-28T02:30\"}}", NULL,
	  "schedule_config.run_at value_error", NULL },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"date\","
	  "\"schedule_config\":{\"run_at\":\"2026-12-24T09:00Z\"}}", NULL,
	  "schedule_config.run_at value_error", NULL },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"date\"}", NULL,
	  "schedule_config.run_at value_error.missing", NULL },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"date\","
	  "\"schedule_config\":{\"run_at\":\"2026-12-24T09:00\"},\"active_windows\":"
	  "[{\"days\":\"sat-sun\",\"start\":\"09:00\",\"end\":\"10:00\"}]}", NULL,
	  "active_windows value_error", NULL },
	/* a PUT of windows and jitter only: next_run_at moves, and null clears them */
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\"}",
	  "{\"active_windows\":[{\"days\":\"tue\",\"start\":\"07:00\",\"end\":\"09:00\"}]}",
	  NULL, "2026-12-01T07:00:00Z" },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\","
	  "\"active_windows\":[{\"days\":\"tue\",\"start\":\"07:00\",\"end\":\"09:00\"}]}",
	  "{\"active_windows\":null}", NULL, "2026-11-29T07:00:00Z" },
	/* PUT: partial */
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\"}",
	  "{\"name\":\"b\"}", NULL, "2026-11-29T07:00:00Z" },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\"}",
	  "{\"timezone\":\"UTC\"}", NULL, "2026-11-29T08:00:00Z" },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\"}",
	  "{\"enabled\":false}", NULL, "null" },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\"}",
	  "{\"schedule_type\":\"cron\",\"schedule_config\":{\"cron_expression\":\"0 0 * * 1\"}}",
	  NULL, "2026-11-29T23:00:00Z" },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\"}",
	  "{\"schedule_type\":\"cron\"}", "schedule_config.cron_expression value_error.missing",
	  NULL },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"daily\"}",
	  "{\"schedule_config\":{\"cron_expression\":\"0 0 * * 1\"}}",
	  "schedule_config.cron_expression value_error.extra", NULL },
	{ "{\"name\":\"a\",\"bot_type\":\"birthday\",\"schedule_type\":\"cron\","
	  "\"schedule_config\":{\"cron_expression\":\"* 2 29 3 */7\"}}", NULL,
	  "schedule_config value_error", NULL },
};

static void
parse_fields(const char *want, char fields[8][2][64], size_t *n)
{
	const char	*p = want, *bar, *sp;

	*n = 0;
	for (; *p && *n < 8; p = *bar ? bar + 1 : bar) {
		bar = p + strcspn(p, "|");
		sp = memchr(p, ' ', (size_t)(bar - p));
		snprintf(fields[*n][0], 64, "%.*s", (int)(sp - p), p);
		snprintf(fields[*n][1], 64, "%.*s", (int)(bar - sp - 1), sp + 1);
		(*n)++;
	}
}

static void
test_apply(void **state)
{
	const struct apply_case	*c = *state;
	struct job		 j;
	struct verrs		 e = VERRS_INIT;
	json_t			*doc;
	char			 want[8][2][64], iso_buf[CAL_ISO_LEN];
	size_t			 n, i;
	int			 rc;

	job_defaults(&j);
	uuid_v4(j.id);
	assert_non_null(doc = json_loads(c->create, JSON_DECODE_ANY, NULL));
	rc = job_apply(&j, doc, 1, &conf, NOW, &e);
	json_decref(doc);
	if (c->update != NULL) {
		assert_int_equal(rc, 0);
		assert_non_null(doc = json_loads(c->update, 0, NULL));
		rc = job_apply(&j, doc, 0, &conf, NOW + 60, &e);
		json_decref(doc);
	}
	if (c->errors == NULL) {
		for (i = 0; i < e.n; i++)
			print_message("unexpected: %s %s\n", e.v[i].field, e.v[i].msg);
		assert_int_equal(rc, 0);
		assert_int_equal(e.n, 0);
		if (c->next && strcmp(c->next, "null") == 0)
			assert_int_equal(j.next_run_at, TIME_NONE);
		else if (c->next) {
			assert_true(j.next_run_at != TIME_NONE);
			assert_string_equal(cal_iso((time_t)j.next_run_at, iso_buf), c->next);
		}
		assert_string_equal(j.timezone, j.timezone);
	} else {
		assert_int_equal(rc, -1);
		parse_fields(c->errors, want, &n);
		for (i = 0; i < e.n && i < n; i++) {
			assert_string_equal(e.v[i].field, want[i][0]);
			assert_string_equal(e.v[i].type, want[i][1]);
		}
		assert_int_equal(e.n, n);
	}
	verrs_release(&e);
	job_release(&j);
}

/* A failed PUT leaves the job as it was. */
static void
test_failed_put_changes_nothing(void **state)
{
	struct job	 j;
	struct verrs	 e = VERRS_INIT;
	json_t		*doc;
	int64_t		 next, updated;

	(void)state;
	job_defaults(&j);
	doc = json_loads("{\"name\":\"keep\",\"bot_type\":\"birthday\",\"schedule_type\":"
	    "\"daily\",\"timezone\":\"UTC\"}", 0, NULL);
	assert_int_equal(job_apply(&j, doc, 1, &conf, NOW, &e), 0);
	json_decref(doc);
	next = j.next_run_at;
	updated = j.updated_at;
	doc = json_loads("{\"name\":\"changed\",\"schedule_config\":{\"hour\":9},"
	    "\"timezone\":\"Nowhere/Land\"}", 0, NULL);
	assert_int_equal(job_apply(&j, doc, 0, &conf, NOW + 60, &e), -1);
	json_decref(doc);
	assert_string_equal(j.name, "keep");
	assert_string_equal(j.timezone, "UTC");
	assert_string_equal(j.schedule_config, "{\"hour\":8,\"minute\":0}");
	assert_int_equal(j.next_run_at, next);
	assert_int_equal(j.updated_at, updated);
	verrs_release(&e);
	job_release(&j);
}

static void
test_words(void **state)
{
	struct buf	 b = BUF_INIT;
	int		 i;

	(void)state;
	/* twice: computed, then from the cache */
	for (i = 0; i < 2; i++) {
		buf_reset(&b);
		assert_int_equal(sched_words("cron", "{\"cron_expression\":\"0 8 * * 1-5\"}",
		    &b), 0);
		assert_string_equal(b.data, "At 08:00, Monday through Friday");
	}
	buf_reset(&b);
	assert_int_equal(sched_words("interval", "{\"hours\":2,\"minutes\":0}", &b), 0);
	assert_string_equal(b.data, "Every 2 hours");
	assert_int_equal(sched_words("cron", "{\"cron_expression\":\"bad\"}", &b), -1);
	assert_int_equal(sched_words("hourly", "{}", &b), -1);
	assert_int_equal(sched_words("daily", "not json", &b), -1);
	buf_release(&b);
}

int
main(void)
{
	struct suite	 s = { 0 };
	struct buf	 err = BUF_INIT;
	size_t		 i;

	if (conf_load(&conf, "deploy/autosched.conf", &err) == -1) {
		fprintf(stderr, "test-model: %s\n", err.data);
		return 1;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		suite_add(&s, test_apply, (void *)&cases[i], "apply %s then %s", cases[i].create,
		    cases[i].update ? cases[i].update : "-");
	suite_add(&s, test_failed_put_changes_nothing, NULL, "a failed PUT changes nothing");
	suite_add(&s, test_words, NULL, "schedules in words, memoised");
	i = (size_t)suite_run(&s, "model");
	conf_release(&conf);
	return (int)i;
}
