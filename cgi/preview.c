/*
 * autosched: the schedule preview both programs answer (GET /preview of the API, and
 * /preview.json of the dashboard for its live form): a schedule from the query, with its
 * active windows and jitter, in words, with its next fire times, what daylight saving time
 * does to them, and how late the jitter may start each.
 */
#include <string.h>

#include "cgi.h"
#include "plan.h"

void
preview_answer(struct req *r)
{
	static const char *const params[] = {
		"schedule_type", "timezone", "count", "from", "hour", "minute", "day_of_week",
		"hours", "minutes", "cron_expression", "run_at", "windows", "jitter_seconds", NULL
	};
	static const char *const ints[] = { "hour", "minute", "hours", "minutes", NULL };
	struct verrs	 e = VERRS_INIT;
	const char	*v, *zone, *why, *msg;
	const struct tz	*z = NULL;
	struct plan	 p;
	struct buf	 words = BUF_INIT;
	struct cal_iso	 from;
	json_t		*cfg = json_object(), *runs, *win = NULL, *jit = NULL;
	int64_t		 count, start = r->now, iv;
	int		 type = -1, i;

	if (req_only_params(r, params) == -1)
		goto out;
	if ((v = req_query(r, "schedule_type")) == NULL)
		verrs_addt(&e, "value_error.missing", "schedule_type", "field required");
	else if ((type = sched_type_from_name(v)) < 0)
		verrs_add(&e, "schedule_type", "must be one of: daily, weekly, interval, cron, "
		    "manual, date");
	zone = req_query(r, "timezone");
	if (zone == NULL)
		zone = r->app->conf.default_tz;
	if ((z = tz_get(zone, &why)) == NULL)
		verrs_add(&e, "timezone", "'%.*s' %s", utf8_prefix(zone, TZ_NAME_MAX), zone,
		    why);
	req_query_int(r, "count", PREVIEW_DEFAULT_COUNT, 1, PREVIEW_MAX_COUNT, &e, &count);
	if ((v = req_query(r, "from")) != NULL) {
		if (cal_parse_iso(v, &from) == -1 || !from.has_off)
			verrs_add(&e, "from", "must be an ISO 8601 instant such as "
			    "2026-03-29T01:30:00Z");
		else
			start = cal_join(&from.tm) - from.off;
	}
	if ((v = req_query(r, "windows")) != NULL && *v != '\0' &&
	    (win = windows_from_text(v, &msg)) == NULL)
		verrs_add(&e, "windows", "%s", msg);
	if ((v = req_query(r, "jitter_seconds")) != NULL && *v != '\0') {
		if (util_parse_int64(v, INT32_MIN, INT32_MAX, &iv) == -1)
			verrs_addt(&e, "type_error.integer", "jitter_seconds", "must be an integer");
		else
			jit = json_integer(iv);
	}
	/* The schedule's own keys, as the JSON API would get them: integers are integers. */
	for (i = 0; params[i] != NULL; i++) {
		size_t k;
		if (i < 4 || i > 10 || (v = req_query(r, params[i])) == NULL)
			continue;
		for (k = 0; ints[k] && strcmp(ints[k], params[i]) != 0; k++)
			;
		if (ints[k] == NULL)
			json_object_set_new(cfg, params[i], json_string(v));
		else if (util_parse_int64(v, INT32_MIN, INT32_MAX, &iv) == -1)
			verrs_addt(&e, "type_error.integer", params[i], "must be an integer");
		else
			json_object_set_new(cfg, params[i], json_integer(iv));
	}
	if (e.n > 0 || type < 0) {
		req_invalid(r, "query", &e);
		goto out;
	}
	if (plan_parse(&p, (enum sched_type)type, cfg, z, win, jit, r->now, &e) == -1) {
		/* the query's names: hour, not schedule_config.hour */
		for (i = 0; (size_t)i < e.n; i++)
			if (strncmp(e.v[i].field, "schedule_config.", 16) == 0)
				memmove(e.v[i].field, e.v[i].field + 16, strlen(e.v[i].field + 16) + 1);
			else if (strncmp(e.v[i].field, "active_", 7) == 0)
				memmove(e.v[i].field, e.v[i].field + 7, strlen(e.v[i].field + 7) + 1);
		req_invalid(r, "query", &e);
		goto out;
	}
	plan_describe(&p, &words);
	runs = plan_preview(&p, start, (int)count);
	req_json(r, 200, json_pack("{s:s,s:s,s:s,s:o}", "schedule_type",
	    sched_type_name((enum sched_type)type), "timezone", zone, "description",
	    words.data, "next_runs", runs));
out:
	json_decref(win);
	json_decref(jit);
	buf_release(&words);
	verrs_release(&e);
	json_decref(cfg);
}
