/*
 * autosched: the dashboard's job list (the mount point itself): the jobs, filtered and in
 * pages, with their schedules, next and last runs, and above them the timeline of the next
 * 24 hours.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"

#define TL_WIDTH	1000	/* the timeline's viewBox */
#define TL_LABEL_W	170	/* room for job names on its left */
#define TL_LANE_H	26
#define TL_AXIS_H	22
#define TL_MAX_LANES	12
#define TL_MIN_GAP	4	/* marks closer than this (viewBox units) are drawn as one */

/* The list's filters, as read from the query. */
struct list_query {
	const char	*q, *bot_type, *enabled, *status;
	int64_t		 page;
	int64_t		 per_page;
};

/* Appends the list's URL (under the mount) with filters lq and page to b. */
static void
list_url(struct buf *b, const struct list_query *lq, int64_t page)
{
	char	 p[24];

	buf_addch(b, '/');
	html_query_add(b, "q", lq->q);
	html_query_add(b, "bot_type", lq->bot_type);
	html_query_add(b, "enabled", lq->enabled);
	html_query_add(b, "status", lq->status);
	snprintf(p, sizeof(p), "%lld", (long long)lq->per_page);
	if (lq->per_page != WEB_PAGE_JOBS)
		html_query_add(b, "per_page", p);
	snprintf(p, sizeof(p), "%lld", (long long)page);
	if (page > 1)
		html_query_add(b, "page", p);
}

/* The timeline of the next 24 hours: one lane per job due within them, soonest first. */
static void
timeline(struct web *w, struct tmpl_dict *c)
{
	struct app	*app = w->r->app;
	int64_t		 now = w->r->now, end = now + 86400, t;
	const struct tz	*axis = tz_get(app->conf.default_tz, NULL);
	struct job	*jobs = NULL;
	struct tmpl_dict *tl, *d, *lane, *m = NULL;
	struct tz_span	 sp;
	struct cal_tm	 tm;
	struct plan	 p;
	struct fire	 f;
	struct buf	 b = BUF_INIT;
	size_t		 n = 0, i, lanes;
	long long	 total = 0, x, lastx, more, grid;
	char		 label[8];

	if (axis == NULL)
		axis = tz_get("UTC", NULL);
	if (db_jobs_due(app->db, end, TL_MAX_LANES + 1, &jobs, &n) != DB_OK || n == 0)
		goto out;
	lanes = n > TL_MAX_LANES ? TL_MAX_LANES : n;
	tl = tmpl_section(c, "TIMELINE");
	grid = TL_AXIS_H + (long long)lanes * TL_LANE_H;
	tmpl_set_int(tl, "W", TL_WIDTH);
	tmpl_set_int(tl, "H", grid + TL_AXIS_H);
	tmpl_set(tl, "AXIS_TZ", tz_name(axis));
	/* hour ticks every 3 local hours */
	tz_span(axis, now, &sp);
	for (t = now - (now + sp.off) % 3600 + 3600; t < end; t += 3600) {
		tz_span(axis, t, &sp);
		cal_split(t + sp.off, &tm);
		if (tm.hour % 3 != 0 || tm.min != 0)
			continue;
		d = tmpl_section(tl, "TICK");
		x = TL_LABEL_W + (t - now) * (TL_WIDTH - TL_LABEL_W - 10) / 86400;
		tmpl_set_int(d, "X", x);
		tmpl_set_int(d, "GRID_H", grid);
		tmpl_set_int(d, "LABEL_Y", grid + 16);
		snprintf(label, sizeof(label), "%02d:00", tm.hour % 100);
		tmpl_set(d, "LABEL", label);
	}
	for (i = 0; i < lanes; i++) {
		const struct tz *z = html_job_tz(&jobs[i]);
		if (job_plan(&jobs[i], &p) == -1)
			continue;
		lane = tmpl_section(tl, "LANE");
		tmpl_set(lane, "NAME", jobs[i].name);
		tmpl_set_int(lane, "Y", TL_AXIS_H / 2 + (long long)i * TL_LANE_H + 12);
		tmpl_set_int(lane, "TEXT_Y", TL_AXIS_H / 2 + (long long)i * TL_LANE_H + 16);
		tmpl_set_int(lane, "X0", TL_LABEL_W);
		tmpl_set_int(lane, "W", TL_WIDTH);
		lastx = -100;
		more = 0;
		m = NULL;
		for (t = jobs[i].next_run_at; t != TIME_NONE && t < end; t = f.at) {
			x = TL_LABEL_W + (t - now) * (TL_WIDTH - TL_LABEL_W - 10) / 86400;
			if (x < TL_LABEL_W)
				x = TL_LABEL_W;
			total++;
			if (m != NULL && x - lastx < TL_MIN_GAP) {
				/* too close to draw apart: one mark says how many */
				more++;
			} else {
				if (m != NULL && more > 0) {
					buf_addf(&b, " and %lld more", more);
					tmpl_set(m, "TITLE", b.data);
				}
				more = 0;
				m = tmpl_section(lane, "MARK");
				tmpl_set_int(m, "X", x);
				tmpl_set(m, "CLASS", (t - now) < 3600 ? "soon" : "later");
				buf_reset(&b);
				buf_addf(&b, "%s: ", jobs[i].name);
				html_local(&b, z, t);
				tmpl_set(m, "TITLE", b.data);
				lastx = x;
			}
			/* after the stored (jittered) one, the nominal times the plan keeps */
			if (plan_nominal(&p, t == jobs[i].next_run_at ? job_nominal(&jobs[i]) : t,
			    &f) == -1)
				break;
		}
		if (m != NULL && more > 0) {
			buf_addf(&b, " and %lld more", more);
			tmpl_set(m, "TITLE", b.data);
		}
	}
	buf_reset(&b);
	buf_addf(&b, "%lld run%s of %zu job%s in the next 24 hours%s.", total,
	    total == 1 ? "" : "s", lanes, lanes == 1 ? "" : "s",
	    n > lanes ? ", and more jobs not drawn" : "");
	tmpl_set(tl, "SUMMARY", b.data);
out:
	for (i = 0; i < n; i++)
		job_release(&jobs[i]);
	free(jobs);
	buf_release(&b);
}

/* The list page, rendered. */
static void
render(struct web *w)
{
	static const char *const enabled_opts[3][2] = {
		{ "", "Any" }, { "yes", "Enabled" }, { "no", "Disabled" }
	};
	static const char *const status_opts[9][2] = {
		{ "", "Any" }, { "success", "success" }, { "failed", "failed" },
		{ "missed", "missed" }, { "running", "running" }, { "queued", "queued" },
		{ "pending", "pending" }, { "cancelled", "cancelled" }, { "none", "never ran" }
	};
	struct req	*r = w->r;
	struct list_query lq;
	struct job_filter f;
	struct job	*jobs = NULL;
	struct tmpl_dict *c, *d, *t;
	struct buf	 b = BUF_INIT, self = BUF_INIT;
	size_t		 n = 0, i;
	int64_t		 total = 0, pages;
	enum db_res	 res;
	const char	*v;

	memset(&lq, 0, sizeof(lq));
	memset(&f, 0, sizeof(f));
	lq.q = req_query(r, "q");
	lq.bot_type = req_query(r, "bot_type");
	lq.enabled = req_query(r, "enabled");
	lq.status = req_query(r, "status");
	if ((v = req_query(r, "page")) == NULL || util_parse_int64(v, 1, 1000000, &lq.page) == -1)
		lq.page = 1;
	if ((v = req_query(r, "per_page")) == NULL ||
	    util_parse_int64(v, 10, WEB_MAX_PAGE_JOBS, &lq.per_page) == -1)
		lq.per_page = WEB_PAGE_JOBS;
	f.enabled = lq.enabled && strcmp(lq.enabled, "yes") == 0 ? 1 :
	    lq.enabled && strcmp(lq.enabled, "no") == 0 ? 0 : -1;
	if (f.enabled == -1)
		lq.enabled = NULL;
	f.bot_type = lq.bot_type && *lq.bot_type ? lq.bot_type : NULL;
	f.name_like = lq.q && *lq.q ? lq.q : NULL;
	f.last_status = lq.status && *lq.status ? lq.status : NULL;
	f.limit = lq.per_page;
	f.offset = (lq.page - 1) * lq.per_page;
	res = db_job_list(r->app->db, &f, &jobs, &n, &total);
	if (res != DB_OK) {
		html_fail(w, jobs_res_of(res));
		return;
	}
	if (n == 0 && total > 0 && lq.page > 1) {
		/* past the last page (jobs were deleted): go to the last one */
		list_url(&b, &lq, (total + lq.per_page - 1) / lq.per_page);
		req_redirect(r, "%s", b.data);
		buf_release(&b);
		return;
	}
	list_url(&self, &lq, lq.page);
	c = html_page(w, "Jobs", "jobs.tpl");
	tmpl_set(c, "REFRESH_URL", "");
	buf_addf(&b, "%s%s", r->script, self.data);
	tmpl_set(c, "REFRESH_URL", b.data);
	tmpl_set_global(w->page, "BACK", self.data);
	tmpl_set(c, "Q", lq.q ? lq.q : "");
	for (i = 0; i < r->app->conf.nbots; i++) {
		d = tmpl_section(c, "BOT_OPT");
		tmpl_set(d, "VALUE", r->app->conf.bots[i].name);
		if (f.bot_type && strcmp(f.bot_type, r->app->conf.bots[i].name) == 0)
			tmpl_show(d, "SEL");
		tmpl_set(tmpl_section(c, "PAUSE_BOT"), "VALUE", r->app->conf.bots[i].name);
	}
	tmpl_set(c, "PAUSE_TZ", r->app->conf.default_tz);
	html_options(c, "ENABLED_OPT", enabled_opts, 3, lq.enabled ? lq.enabled : "");
	html_options(c, "STATUS_OPT", status_opts, 9, f.last_status ? f.last_status : "");
	if (f.bot_type || f.name_like || f.last_status || f.enabled != -1)
		tmpl_show(c, "FILTERED");
	timeline(w, c);

	if (total == 0) {
		tmpl_show(c, f.bot_type || f.name_like || f.last_status || f.enabled != -1 ?
		    "NOMATCH" : "EMPTY");
		goto render;
	}
	t = tmpl_section(c, "TABLE");
	tmpl_set_int(t, "TOTAL", total);
	tmpl_set_int(t, "FROM", f.offset + 1);
	tmpl_set_int(t, "TO", f.offset + (int64_t)n);
	pages = (total + lq.per_page - 1) / lq.per_page;
	if (lq.page > 1) {
		buf_reset(&b);
		buf_addstr(&b, r->script);
		list_url(&b, &lq, lq.page - 1);
		tmpl_set(tmpl_section(t, "PREV"), "URL", b.data);
	}
	if (lq.page < pages) {
		buf_reset(&b);
		buf_addstr(&b, r->script);
		list_url(&b, &lq, lq.page + 1);
		tmpl_set(tmpl_section(t, "NEXT_PAGE"), "URL", b.data);
	}
	for (i = 0; i < n; i++) {
		struct job *j = &jobs[i];
		const struct tz *z = html_job_tz(j);
		d = tmpl_section(t, "JOB");
		tmpl_set(d, "ID", j->id);
		tmpl_set(d, "NAME", j->name);
		tmpl_set(d, "BOT_TYPE", j->bot_type);
		tmpl_set(d, "CHECKED", j->enabled ? "true" : "false");
		tmpl_set(d, "WANT", j->enabled ? "0" : "1");
		if (j->paused)
			tmpl_set(tmpl_section(d, "PAUSED"), "REASON", j->paused_reason ?
			    j->paused_reason : "paused");
		if (j->description && *j->description)
			tmpl_set(tmpl_section(d, "DESC"), "TEXT", j->description);
		buf_reset(&b);
		job_words(j, &b);
		buf_addf(&b, " (%s)", j->timezone);
		tmpl_set(d, "SCHEDULE", b.data);
		if (j->next_run_at != TIME_NONE)
			html_when(w, tmpl_section(d, "NEXT"), z, j->next_run_at, "ISO");
		else
			tmpl_set(tmpl_section(d, "NO_NEXT"), "TEXT", !j->enabled ? "Disabled" :
			    j->paused ? "Paused" : j->schedule_type == SCHED_MANUAL ?
			    "Manual only" : "None");
		if (j->last_run_status != NULL) {
			struct tmpl_dict *l = tmpl_section(d, "LAST");
			tmpl_set(l, "STATUS", j->last_run_status);
			if (j->last_run_at != TIME_NONE) {
				char iso[CAL_ISO_LEN];
				tmpl_set(l, "ISO", cal_iso(j->last_run_at, iso));
				buf_reset(&b);
				html_relative(&b, r->now, j->last_run_at);
				tmpl_set(l, "REL", b.data);
			}
			if (j->last_run_error && *j->last_run_error) {
				struct tmpl_dict *e = tmpl_section(l, "ERR");
				char shortened[84];
				tmpl_set(e, "TEXT", j->last_run_error);
				utf8_truncate(shortened, sizeof(shortened), j->last_run_error, 80);
				tmpl_set(e, "SHORT", shortened);
			}
		} else
			tmpl_show(d, "NO_LAST");
	}
render:
	html_render(w, 200);
	for (i = 0; i < n; i++)
		job_release(&jobs[i]);
	free(jobs);
	buf_release(&b);
	buf_release(&self);
}

/*
 * The list is kept by the process (cache.c) and revalidatable (ETag) under what it is made
 * of: the jobs' generation, the minute (relative times and the timeline move with it, and
 * the page's script brings relative times up to date anyway), who asks (the page holds
 * their name and CSRF token), the query and the banner. A page with a flash (?done=) is
 * neither: it says once what an action did.
 */
void
page_list_show(struct web *w, const char *id)
{
	struct req	*r = w->r;
	struct buf	 key = BUF_INIT;
	unsigned char	 h[SHA256_LEN];
	char		 tag[2 * 12 + 1];
	const char	*query = req_env(r, "QUERY_STRING");
	size_t		 from = r->headers.len, i;
	int64_t		 gen;

	(void)id;
	if (req_query(r, "done") != NULL || db_generation(r->app->db, &gen) != DB_OK) {
		render(w);
		return;
	}
	buf_addf(&key, "list %lld %lld %s %s %s\n%s", (long long)gen, (long long)(r->now / 60),
	    w->user, w->csrf, query ? query : "", html_banner(w));
	/* the tag must not show the token: a hash of the key */
	sha256(key.data, key.len, h);
	for (i = 0; i < 12; i++)
		snprintf(tag + 2 * i, 3, "%02x", h[i]);
	if (!req_etag(r, tag) && !cache_get(r, key.data, gen)) {
		render(w);
		cache_put(r, key.data, gen, from);
	}
	buf_release(&key);
}
