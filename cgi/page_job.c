/*
 * autosched: the dashboard's job page (settings, next runs, the chart of recent runs, the
 * history) and the actions on a job: enable or disable, run now, delete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"

#define CHART_W		1000
#define CHART_H		160
#define CHART_X0	60

/* Actions */

/* Answers an action asked by app.js (Accept: application/json) with the job's state. */
static void
action_json(struct web *w, int status, const struct job *j, const char *code,
    const char *message)
{
	struct buf	 b = BUF_INIT;
	json_t		*o;

	o = json_pack("{s:s,s:s,s:b,s:s}", "done", code, "id", j->id, "enabled", j->enabled,
	    "message", message);
	if (j->next_run_at != TIME_NONE) {
		const struct tz *z = html_job_tz(j);
		char iso[CAL_ISO_LEN];
		html_local(&b, z, j->next_run_at);
		json_object_set_new(o, "next_run_at", json_string(cal_iso(j->next_run_at, iso)));
		json_object_set_new(o, "next_run_local", json_string(b.data));
		buf_reset(&b);
		html_relative(&b, w->r->now, j->next_run_at);
		json_object_set_new(o, "next_run_rel", json_string(b.data));
	} else
		json_object_set_new(o, "next_run_text", json_string(!j->enabled ? "Disabled" :
		    j->schedule_type == SCHED_MANUAL ? "Manual only" : "None"));
	req_json(w->r, status, o);
	buf_release(&b);
}

void
page_job_toggle(struct web *w, const char *id)
{
	struct jobs_ctx	 ctx = html_jobs_ctx(w);
	struct verrs	 e = VERRS_INIT;
	struct job	 j;
	enum jobs_res	 res;
	const char	*want = req_form(w->r, "enabled");
	char		 lower[UUID_LEN], msg[JOB_NAME_MAX * 4 + 360];

	if (html_job_id(w, id, lower) == -1)
		return;
	/* "enabled" says which state is wanted, so that a double click does not undo */
	if (want == NULL || (strcmp(want, "1") != 0 && strcmp(want, "0") != 0)) {
		html_error(w, 422, "Say whether to enable the job or disable it (enabled=1 or 0).");
		return;
	}
	res = jobs_set_enabled(&ctx, lower, strcmp(want, "1") == 0, &j, &e);
	if (res == JOBS_OK) {
		if (html_wants_json(w)) {
			snprintf(msg, sizeof(msg), "%s \xe2\x80\x9c%s\xe2\x80\x9d.%s",
			    j.enabled ? "Enabled" : "Disabled", j.name,
			    j.enabled ? "" : html_disabled_note(w, &j));
			action_json(w, 200, &j, j.enabled ? "enabled" : "disabled", msg);
		} else
			html_done(w, "/", j.enabled ? "enabled" : "disabled", j.id);
	} else if (res == JOBS_INVALID)
		html_error(w, 422, "%s", e.n ? e.v[0].msg : "The job cannot be toggled.");
	else
		html_fail(w, res);
	verrs_release(&e);
	job_release(&j);
}

void
page_job_run(struct web *w, const char *id)
{
	struct jobs_ctx	 ctx = html_jobs_ctx(w);
	struct job	 j;
	struct buf	 why = BUF_INIT;
	char		 lower[UUID_LEN], run_id[UUID_LEN], msg[JOB_NAME_MAX * 4 + 160];
	const char	*code, *force = req_form(w->r, "force");
	int64_t		 inflight = 0;
	enum jobs_res	 res;

	if (html_job_id(w, id, lower) == -1)
		return;
	res = jobs_run_now(&ctx, lower, force && strcmp(force, "1") == 0, run_id, &j,
	    &inflight, &why);
	if (res == JOBS_OK || res == JOBS_AT_LIMIT || res == JOBS_PAUSED) {
		code = res == JOBS_OK ? "queued" : res == JOBS_PAUSED ? "held" : "busy";
		if (html_wants_json(w)) {
			if (res == JOBS_PAUSED)
				snprintf(msg, sizeof(msg), "%s", why.data);
			else
				snprintf(msg, sizeof(msg), res == JOBS_OK ? "\xe2\x80\x9c%s"
				    "\xe2\x80\x9d will run now." : "\xe2\x80\x9c%s\xe2\x80\x9d "
				    HTML_AT_LIMIT ".", j.name);
			action_json(w, res == JOBS_OK ? 202 : 409, &j, code, msg);
		} else
			html_done(w, "/", code, j.id);
		job_release(&j);
	} else
		html_fail(w, res);
	buf_release(&why);
}

/* POST /jobs/{id}/resume: a paused job fires again from now. */
void
page_job_resume(struct web *w, const char *id)
{
	struct jobs_ctx	 ctx = html_jobs_ctx(w);
	struct verrs	 e = VERRS_INIT;
	struct job	 j;
	char		 lower[UUID_LEN];
	enum jobs_res	 res;

	if (html_job_id(w, id, lower) == -1)
		return;
	if ((res = jobs_set_paused(&ctx, lower, 0, &j, &e)) == JOBS_OK) {
		if (html_wants_json(w))
			action_json(w, 200, &j, "resumed", "Resumed: it fires again from now on.");
		else
			html_done(w, "/", "resumed", j.id);
		job_release(&j);
	} else if (res == JOBS_INVALID) {
		/* its schedule no longer fires: the form says why */
		html_fail(w, res);
		job_release(&j);
	} else
		html_fail(w, res);
	verrs_release(&e);
}

void
page_job_delete_confirm(struct web *w, const char *id)
{
	struct tmpl_dict *c;
	struct job	 j;
	int64_t		 runs = 0;

	if (html_load_job(w, id, &j) == -1)
		return;
	db_run_count(w->r->app->db, j.id, &runs);
	c = html_page(w, "Delete job", "confirm.tpl");
	tmpl_set(c, "NAME", j.name);
	tmpl_set(c, "ID", j.id);
	tmpl_set_int(c, "RUNS", runs);
	tmpl_set(c, "RUNS_S", runs == 1 ? "" : "s");
	html_render(w, 200);
	job_release(&j);
}

void
page_job_delete(struct web *w, const char *id)
{
	struct jobs_ctx	 ctx = html_jobs_ctx(w);
	struct job	 j;
	char		 lower[UUID_LEN];
	enum jobs_res	 res;
	int64_t		 left;

	if (html_job_id(w, id, lower) == -1)
		return;
	if ((res = jobs_delete(&ctx, lower, &j, &left)) == JOBS_OK) {
		req_redirect(w->r, "/?done=%s", left > 0 ? "deleted_withdrawing" : "deleted");
		job_release(&j);
	} else
		html_fail(w, res);
}

/* The job page */

static void
counter(struct tmpl_dict *d, const char *key, int64_t v)
{
	if (v == COUNT_NONE)
		tmpl_set(d, key, "\xe2\x80\x94");
	else
		tmpl_set_int(d, key, v);
}

/* The chart of the newest runs: a bar each, oldest on the left, height the duration. */
static void
chart(struct web *w, struct tmpl_dict *c, const struct job *j)
{
	struct run	*runs = NULL;
	struct tmpl_dict *ch, *bar;
	struct buf	 b = BUF_INIT;
	const struct tz	*z = html_job_tz(j);
	size_t		 n = 0, i, k;
	int64_t		 maxd = 1, d, ok = 0, bad = 0;
	long long	 slot, bw, h, base = CHART_H - 20;

	if (db_run_history(w->r->app->db, j->id, WEB_CHART_RUNS, 0, &runs, &n) != DB_OK ||
	    n == 0) {
		tmpl_show(c, "NO_CHART");
		goto out;
	}
	for (i = 0; i < n; i++)
		if (runs[i].started_at != TIME_NONE && runs[i].finished_at != TIME_NONE &&
		    runs[i].finished_at - runs[i].started_at > maxd)
			maxd = runs[i].finished_at - runs[i].started_at;
	ch = tmpl_section(c, "CHART");
	tmpl_set_int(ch, "W", CHART_W);
	tmpl_set_int(ch, "H", CHART_H);
	tmpl_set_int(ch, "X0", CHART_X0);
	tmpl_set_int(ch, "BASE_Y", base);
	tmpl_set_int(ch, "LABEL_X", 4);
	html_duration(&b, maxd);
	tmpl_set(ch, "MAX_LABEL", b.data);
	slot = (CHART_W - CHART_X0) / WEB_CHART_RUNS;
	bw = slot * 7 / 10;
	for (k = 0; k < n; k++) {
		struct run *r = &runs[n - 1 - k];	/* oldest first */
		d = r->started_at != TIME_NONE && r->finished_at != TIME_NONE ?
		    r->finished_at - r->started_at : 0;
		h = d * (base - 20) / maxd;
		if (h < 3)
			h = 3;
		bar = tmpl_section(ch, "BAR");
		tmpl_set(bar, "STATUS", run_status_name(r->status));
		tmpl_set_int(bar, "X", CHART_X0 + (long long)k * slot + (slot - bw) / 2);
		tmpl_set_int(bar, "Y", base - h);
		tmpl_set_int(bar, "BW", bw);
		tmpl_set_int(bar, "BH", h);
		buf_reset(&b);
		html_local(&b, z, r->scheduled_for);
		buf_addf(&b, ": %s", run_status_name(r->status));
		if (r->started_at != TIME_NONE && r->finished_at != TIME_NONE) {
			buf_addstr(&b, " in ");
			html_duration(&b, d);
		}
		tmpl_set(bar, "TITLE", b.data);
		if (r->status == RUN_SUCCESS)
			ok++;
		else if (r->status == RUN_FAILED || r->status == RUN_MISSED)
			bad++;
	}
	buf_reset(&b);
	buf_addf(&b, "The last %zu runs: %lld succeeded, %lld failed or were missed; the "
	    "longest took ", n, (long long)ok, (long long)bad);
	html_duration(&b, maxd);
	buf_addch(&b, '.');
	tmpl_set(ch, "SUMMARY", b.data);
out:
	for (i = 0; i < n; i++)
		run_release(&runs[i]);
	free(runs);
	buf_release(&b);
}

static void
history(struct web *w, struct tmpl_dict *c, const struct job *j)
{
	struct run	*runs = NULL;
	struct tmpl_dict *h, *row, *nav;
	struct buf	 b = BUF_INIT;
	const struct tz	*z = html_job_tz(j);
	const char	*v = req_query(w->r, "page");
	int64_t		 page = 1, total = 0;
	size_t		 n = 0, i;
	char		 iso[CAL_ISO_LEN];

	if (v != NULL && util_parse_int64(v, 1, 1000000, &page) == -1)
		page = 1;
	if (db_run_count(w->r->app->db, j->id, &total) != DB_OK || total == 0 ||
	    db_run_history(w->r->app->db, j->id, WEB_PAGE_RUNS, (page - 1) * WEB_PAGE_RUNS,
	    &runs, &n) != DB_OK || n == 0) {
		tmpl_show(c, "NO_HISTORY");
		goto out;
	}
	h = tmpl_section(c, "HISTORY");
	tmpl_set_int(h, "FROM", (page - 1) * WEB_PAGE_RUNS + 1);
	tmpl_set_int(h, "TO", (page - 1) * WEB_PAGE_RUNS + (int64_t)n);
	tmpl_set_int(h, "TOTAL", total);
	if (page > 1) {
		nav = tmpl_section(h, "NEWER");
		buf_addf(&b, "%s/jobs/%s", w->r->script, j->id);
		if (page > 2)
			buf_addf(&b, "?page=%lld", (long long)(page - 1));
		tmpl_set(nav, "URL", b.data);
	}
	if (page * WEB_PAGE_RUNS < total) {
		nav = tmpl_section(h, "OLDER");
		buf_reset(&b);
		buf_addf(&b, "%s/jobs/%s?page=%lld", w->r->script, j->id, (long long)(page + 1));
		tmpl_set(nav, "URL", b.data);
	}
	for (i = 0; i < n; i++) {
		struct run *r = &runs[i];
		row = tmpl_section(h, "ROW");
		tmpl_set(row, "ID", r->id);
		tmpl_set(row, "AT", cal_iso(r->scheduled_for, iso));
		buf_reset(&b);
		html_local(&b, z, r->scheduled_for);
		tmpl_set(row, "LOCAL", b.data);
		tmpl_set(row, "TRIGGER", r->trigger);
		tmpl_set(row, "STATUS", run_status_name(r->status));
		buf_reset(&b);
		if (r->started_at != TIME_NONE && r->finished_at != TIME_NONE)
			html_duration(&b, r->finished_at - r->started_at);
		else
			buf_addstr(&b, "\xe2\x80\x94");
		tmpl_set(row, "DURATION", b.data);
		counter(row, "MESSAGES", r->messages_sent);
		counter(row, "PROFILES", r->profiles_visited);
		tmpl_set(row, "ERROR", r->error ? r->error : "");
	}
out:
	for (i = 0; i < n; i++)
		run_release(&runs[i]);
	free(runs);
	buf_release(&b);
}

/*
 * Why the job does not fire: paused (with Resume and Run anyway), or covered by a pause of
 * the kill switch (the banner says which; Run anyway here).
 */
static void
paused_note(struct web *w, struct tmpl_dict *c, const struct job *j, const struct tz *z)
{
	struct tmpl_dict *d;
	struct pause	*list;
	struct buf	 b = BUF_INIT;
	size_t		 n, i;

	if (j->paused) {
		tmpl_show(c, "IS_PAUSED");
		d = tmpl_section(c, "PAUSED");
		tmpl_set(d, "REASON", j->paused_reason ? j->paused_reason : "paused");
		html_local(&b, z, j->paused_at);
		tmpl_set(d, "SINCE", b.data);
		if (j->paused_until != TIME_NONE) {
			buf_reset(&b);
			html_local(&b, z, j->paused_until);
			tmpl_set(tmpl_section(d, "UNTIL"), "WHEN", b.data);
		}
	} else if (db_pauses(w->r->app->db, w->r->now, &list, &n) == DB_OK) {
		const struct pause *p = pause_covering(list, n, j->bot_type);
		if (p != NULL) {
			pause_describe(p, &b);
			buf_addstr(&b, ": its fire times are recorded as skipped.");
			tmpl_set(tmpl_section(c, "HELD"), "TEXT", b.data);
		}
		for (i = 0; i < n; i++)
			pause_release(&list[i]);
		free(list);
	}
	buf_release(&b);
}

void
page_job_show(struct web *w, const char *id)
{
	struct job	 j;
	struct tmpl_dict *c, *d;
	struct plan	 p;
	struct buf	 b = BUF_INIT;
	const struct tz	*z;
	json_t		*bc, *v;
	const char	*key;

	if (html_load_job(w, id, &j) == -1)
		return;
	z = html_job_tz(&j);
	c = html_page(w, j.name, "job.tpl");
	buf_addf(&b, "/jobs/%s", j.id);
	tmpl_set_global(w->page, "BACK", b.data);
	tmpl_set(c, "ID", j.id);
	tmpl_set(c, "NAME", j.name);
	tmpl_set(c, "BOT_TYPE", j.bot_type);
	tmpl_show(c, j.enabled ? "IS_ENABLED" : "IS_DISABLED");
	tmpl_set(c, "TOGGLE_LABEL", j.enabled ? "Disable" : "Enable");
	tmpl_set(c, "TOGGLE_WANT", j.enabled ? "0" : "1");
	if (j.description && *j.description)
		tmpl_set(tmpl_section(c, "DESC"), "TEXT", j.description);
	paused_note(w, c, &j, z);
	buf_reset(&b);
	job_words(&j, &b);
	tmpl_set(c, "SCHEDULE", b.data);
	tmpl_set(c, "TIMEZONE", j.timezone);
	tmpl_set_int(c, "MAX_INSTANCES", j.max_instances);
	tmpl_set_int(c, "GRACE", j.misfire_grace_time);
	tmpl_set(c, "COALESCE", j.coalesce ? "yes" : "no");
	buf_reset(&b);
	if (j.pause_after_failures == 0)
		buf_addstr(&b, "never");
	else
		buf_addf(&b, "%d failed runs in a row (%d so far)", j.pause_after_failures,
		    j.failures_in_row);
	tmpl_set(c, "PAUSE_AFTER", b.data);
	if ((bc = json_loads(j.bot_config ? j.bot_config : "{}", 0, NULL)) != NULL) {
		json_object_foreach(bc, key, v) {
			char *text = json_dumps(v, JSON_ENCODE_ANY);
			d = tmpl_section(c, "PARAM");
			tmpl_set(d, "NAME", key);
			tmpl_set(d, "VALUE", text ? text : "");
			free(text);
		}
		json_decref(bc);
	}
	buf_reset(&b);
	html_local(&b, z, j.created_at);
	tmpl_set(c, "CREATED", b.data);
	if (j.created_by)
		tmpl_set(tmpl_section(c, "BY"), "USER", j.created_by);
	buf_reset(&b);
	html_local(&b, z, j.updated_at);
	tmpl_set(c, "UPDATED", b.data);

	/* the next runs, from the stored next_run_at on, with what DST does to them */
	if (j.next_run_at != TIME_NONE && job_plan(&j, &p) == 0) {
		html_next_runs(w, tmpl_section(c, "RUNS"), &p, job_nominal(&j) - 1,
		    job_nominal(&j), j.next_run_at, WEB_NEXT_RUNS);
	} else
		tmpl_set(tmpl_section(c, "NO_RUNS"), "TEXT", !j.enabled ?
		    "None: the job is disabled." : j.schedule_type == SCHED_MANUAL ?
		    "None: the job runs only when started by hand." : "None.");
	chart(w, c, &j);
	history(w, c, &j);
	html_render(w, 200);
	buf_release(&b);
	job_release(&j);
}
