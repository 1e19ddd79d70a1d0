/*
 * autosched: the dashboard's job pages: the list with its timeline, the job page with its
 * history and chart, the new and edit form, and the actions (toggle, run now, delete).
 *
 * The form is read into the same JSON document the API takes and applied with job_apply,
 * so both front ends validate alike; its errors are put back beside the fields they name.
 * A job being edited is first written out as form fields, so one function renders the
 * form whether its values come from the store or from what was posted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

#define TL_WIDTH	1000	/* the timeline's viewBox */
#define TL_LABEL_W	170	/* room for job names on its left */
#define TL_LANE_H	26
#define TL_AXIS_H	22
#define TL_MAX_LANES	12
#define TL_MIN_GAP	4	/* marks closer than this (viewBox units) are drawn as one */
#define CHART_W		1000
#define CHART_H		160
#define CHART_X0	60

static const char *const days[7][2] = {
	{ "mon", "Monday" }, { "tue", "Tuesday" }, { "wed", "Wednesday" },
	{ "thu", "Thursday" }, { "fri", "Friday" }, { "sat", "Saturday" }, { "sun", "Sunday" }
};

static const char *const sched_labels[5][2] = {
	{ "daily", "Every day" }, { "weekly", "Some days of the week" },
	{ "interval", "Every few hours or minutes" }, { "cron", "Cron expression" },
	{ "manual", "Only when started by hand" }
};

/* Time zones offered by the form (zone1970.tab, and UTC), sorted. */
static char	**zones;
static size_t	  nzones;

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
page_jobs_init(struct app *app)
{
	const char	*dir = getenv("TZDIR");
	char		 path[512], line[1024], *f, *save;
	FILE		*fp;
	int		 col;

	(void)app;
	if (dir == NULL || *dir != '/')
		dir = "/usr/share/zoneinfo";
	snprintf(path, sizeof(path), "%s/zone1970.tab", dir);
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(path, sizeof(path), "%s/zone.tab", dir);
		fp = fopen(path, "r");
	}
	zones = xcalloc(1, sizeof(*zones));
	zones[nzones++] = xstrdup("UTC");
	while (fp != NULL && fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] == '#')
			continue;
		for (col = 0, f = strtok_r(line, "\t\n", &save); f && col < 2; col++)
			f = strtok_r(NULL, "\t\n", &save);
		if (f == NULL || tz_get(f, NULL) == NULL)
			continue;
		zones = xrealloc(zones, (nzones + 1) * sizeof(*zones));
		zones[nzones++] = xstrdup(f);
	}
	if (fp != NULL)
		fclose(fp);
	qsort(zones + 1, nzones - 1, sizeof(*zones), cmp_str);
	return 0;
}

/* Helpers */

/* Loads job id (any case) into *j, or answers 404 and returns -1. */
static int
load_job(struct web *w, const char *id, struct job *j)
{
	char		 lower[UUID_LEN];
	enum db_res	 res;

	if (uuid_canon(id, lower) == -1) {
		web_error(w, 404, "There is no such job.");
		return -1;
	}
	res = db_job_get(w->r->app->db, lower, j);
	if (res == DB_NOTFOUND)
		web_error(w, 404, "There is no such job: it may have been deleted.");
	else if (res != DB_OK)
		web_error(w, 503, "The database is busy. Try again in a moment.");
	return res == DB_OK ? 0 : -1;
}

static void
db_trouble(struct web *w, enum db_res res)
{
	if (res == DB_BUSY)
		web_error(w, 503, "The database is busy. Try again in a moment.");
	else
		web_error(w, 500, "Something went wrong; the server log says what.");
}

/* Appends "&name=value" (or "?name=value" first) when value is set. */
static void
query_add(struct buf *b, const char *name, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	buf_addch(b, strchr(b->data, '?') ? '&' : '?');
	buf_addstr(b, name);
	buf_addch(b, '=');
	url_encode(b, value);
}

/* Redirects after an action: to the form's "back" page (or def), with the flash code. */
static void
done(struct web *w, const char *def, const char *code, const char *id)
{
	const char	*back = req_form(w->r, "back");
	struct buf	 to = BUF_INIT;

	buf_addstr(&to, local_path_ok(back) ? back : def);
	query_add(&to, "done", code);
	query_add(&to, "job", id);
	req_redirect(w->r, "%s", to.data);
	buf_release(&to);
}

/* Sets ISO, LOCAL and REL of d for instant t in zone z. */
static void
set_when(struct web *w, struct tmpl_dict *d, const struct tz *z, int64_t t, const char *iso_key)
{
	char		 iso[CAL_ISO_LEN];
	struct buf	 b = BUF_INIT;

	tmpl_set(d, iso_key, cal_iso(t, iso));
	web_local(&b, z, t);
	tmpl_set(d, "LOCAL", b.data);
	buf_reset(&b);
	web_relative(&b, w->r->now, t);
	tmpl_set(d, "REL", b.data);
	buf_release(&b);
}

/* Adds up to `count` RUN sections (AT, LOCAL, REL, DST) to list: s's runs after from. */
static size_t
next_runs(struct web *w, struct tmpl_dict *list, const struct sched *s, const struct tz *z,
    int64_t anchor, int64_t from, int count)
{
	struct tmpl_dict *d, *x;
	struct fire	 f;
	int		 k;

	for (k = 0; k < count && sched_next(s, z, anchor, from, &f) == 0; k++) {
		d = tmpl_section(list, "RUN");
		set_when(w, d, z, f.at, "AT");
		if (f.flags & (FIRE_MOVED | FIRE_FIRST | FIRE_REPEAT)) {
			x = tmpl_section(d, "DST");
			tmpl_set(x, "TEXT", f.flags & FIRE_MOVED ? "moved by DST" :
			    f.flags & FIRE_FIRST ? "DST: fires once" : "DST: repeated hour");
			tmpl_set(x, "TITLE", f.flags & FIRE_MOVED ? "Daylight saving time skips "
			    "this wall-clock time: the run fires when the clocks jump." :
			    f.flags & FIRE_FIRST ? "This wall-clock time happens twice as the "
			    "clocks go back: the job fires at the first." : "The clocks went back: "
			    "this is the second time this wall-clock time happens.");
		}
		from = f.at;
	}
	return (size_t)k;
}

static const struct tz *
job_tz(const struct job *j)
{
	const struct tz	*z = tz_get(j->timezone, NULL);

	return z ? z : tz_get("UTC", NULL);
}

/* The list */

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
	query_add(b, "q", lq->q);
	query_add(b, "bot_type", lq->bot_type);
	query_add(b, "enabled", lq->enabled);
	query_add(b, "status", lq->status);
	snprintf(p, sizeof(p), "%lld", (long long)lq->per_page);
	if (lq->per_page != WEB_PAGE_JOBS)
		query_add(b, "per_page", p);
	snprintf(p, sizeof(p), "%lld", (long long)page);
	if (page > 1)
		query_add(b, "page", p);
}

static void
options(struct tmpl_dict *d, const char *section, const char *const (*opts)[2], size_t n,
    const char *sel)
{
	struct tmpl_dict *o;
	size_t		 i;

	for (i = 0; i < n; i++) {
		o = tmpl_section(d, section);
		tmpl_set(o, "VALUE", opts[i][0]);
		tmpl_set(o, "LABEL", opts[i][1]);
		if (sel && strcmp(sel, opts[i][0]) == 0)
			tmpl_show(o, "SEL");
	}
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
	struct sched	 s;
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
		const struct tz *z = job_tz(&jobs[i]);
		if (sched_stored(jobs[i].schedule_type, jobs[i].schedule_config, &s) == -1)
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
				web_local(&b, z, t);
				tmpl_set(m, "TITLE", b.data);
				lastx = x;
			}
			if (sched_next(&s, z, jobs[i].schedule_anchor, t, &f) == -1)
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

void
page_jobs(struct web *w, const char *id)
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
	if ((v = req_query(r, "page")) == NULL || parse_int64(v, 1, 1000000, &lq.page) == -1)
		lq.page = 1;
	if ((v = req_query(r, "per_page")) == NULL ||
	    parse_int64(v, 10, WEB_MAX_PAGE_JOBS, &lq.per_page) == -1)
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
		db_trouble(w, res);
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
	c = web_page(w, "Jobs", "jobs.tpl");
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
	}
	options(c, "ENABLED_OPT", enabled_opts, 3, lq.enabled ? lq.enabled : "");
	options(c, "STATUS_OPT", status_opts, 9, f.last_status ? f.last_status : "");
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
		const struct tz *z = job_tz(j);
		d = tmpl_section(t, "JOB");
		tmpl_set(d, "ID", j->id);
		tmpl_set(d, "NAME", j->name);
		tmpl_set(d, "BOT_TYPE", j->bot_type);
		tmpl_set(d, "CHECKED", j->enabled ? "true" : "false");
		if (j->description && *j->description)
			tmpl_set(tmpl_section(d, "DESC"), "TEXT", j->description);
		buf_reset(&b);
		sched_words(sched_type_name(j->schedule_type), j->schedule_config, &b);
		buf_addf(&b, " (%s)", j->timezone);
		tmpl_set(d, "SCHEDULE", b.data);
		if (j->next_run_at != TIME_NONE)
			set_when(w, tmpl_section(d, "NEXT"), z, j->next_run_at, "ISO");
		else
			tmpl_set(tmpl_section(d, "NO_NEXT"), "TEXT", !j->enabled ? "Disabled" :
			    j->schedule_type == SCHED_MANUAL ? "Manual only" : "None");
		if (j->last_run_status != NULL) {
			struct tmpl_dict *l = tmpl_section(d, "LAST");
			tmpl_set(l, "STATUS", j->last_run_status);
			if (j->last_run_at != TIME_NONE) {
				char iso[CAL_ISO_LEN];
				tmpl_set(l, "ISO", cal_iso(j->last_run_at, iso));
				buf_reset(&b);
				web_relative(&b, r->now, j->last_run_at);
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
	web_render(w, 200);
	for (i = 0; i < n; i++)
		job_release(&jobs[i]);
	free(jobs);
	buf_release(&b);
	buf_release(&self);
}

/* The form */

/* Form fields, as posted or as written out from a job. */
struct fields {
	struct param_kv	*kv;
	size_t		 n;
	int		 own;		/* kv is ours to free */
};

static const char *
fget(const struct fields *f, const char *name)
{
	return param_get(f->kv, f->n, name);
}

static int
fhas(const struct fields *f, const char *name, const char *value)
{
	return param_has(f->kv, f->n, name, value);
}

static void
fput(struct fields *f, const char *name, const char *fmt, ...) APP_PRINTF(3, 4);

static void
fput(struct fields *f, const char *name, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	f->kv = xrealloc(f->kv, (f->n + 1) * sizeof(*f->kv));
	f->kv[f->n].key = xstrdup(name);
	f->kv[f->n].val = xstrdup(b.data);
	f->n++;
	buf_release(&b);
}

static void
fields_release(struct fields *f)
{
	size_t	 i;

	if (!f->own)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->kv[i].key);
		free(f->kv[i].val);
	}
	free(f->kv);
}

/* The form field of bot parameter p of bot b: "p.BOT.NAME". */
static void
param_field(char *out, size_t sz, const struct bot *b, const struct param *p)
{
	snprintf(out, sz, "p.%s.%s", b->name, p->name);
}

/* Writes the values of a JSON scalar as a form value. */
static void
fput_json(struct fields *f, const char *name, const json_t *v)
{
	if (json_is_string(v))
		fput(f, name, "%s", json_string_value(v));
	else if (json_is_integer(v))
		fput(f, name, "%lld", (long long)json_integer_value(v));
	else if (json_is_true(v))
		fput(f, name, "1");
	else if (json_is_false(v))
		fput(f, name, "0");
}

/* Writes job j out as the fields the form would post. */
static void
job_fields(const struct app *app, const struct job *j, struct fields *f)
{
	json_t		*sc = json_loads(j->schedule_config ? j->schedule_config : "{}", 0, NULL);
	json_t		*bc = json_loads(j->bot_config ? j->bot_config : "{}", 0, NULL);
	const char	*dow;
	char		 field[200], *p, *save;
	size_t		 i, k;

	memset(f, 0, sizeof(*f));
	f->own = 1;
	fput(f, "name", "%s", j->name ? j->name : "");
	fput(f, "description", "%s", j->description ? j->description : "");
	fput(f, "bot_type", "%s", j->bot_type ? j->bot_type : "");
	if (j->enabled)
		fput(f, "enabled", "1");
	fput(f, "schedule_type", "%s", sched_type_name(j->schedule_type));
	fput(f, "timezone", "%s", j->timezone ? j->timezone : app->conf.default_tz);
	fput(f, "max_instances", "%d", j->max_instances);
	fput(f, "misfire_grace_time", "%d", j->misfire_grace_time);
	if (j->coalesce)
		fput(f, "coalesce", "1");
	switch (j->schedule_type) {
	case SCHED_DAILY:
	case SCHED_WEEKLY:
		fput(f, j->schedule_type == SCHED_DAILY ? "daily_time" : "weekly_time",
		    "%02lld:%02lld", (long long)json_integer_value(json_object_get(sc, "hour")),
		    (long long)json_integer_value(json_object_get(sc, "minute")));
		if ((dow = json_string_value(json_object_get(sc, "day_of_week"))) != NULL) {
			/* stored normalised: names and ranges such as "mon-fri,sun" */
			char *copy = xstrdup(dow);
			for (p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
				int a = -1, z = -1, d;
				for (d = 0; d < 7; d++) {
					if (strncmp(p, days[d][0], 3) == 0)
						a = d;
					if (strlen(p) == 7 && strncmp(p + 4, days[d][0], 3) == 0)
						z = d;
				}
				if (a < 0)
					continue;
				if (z < 0)
					z = a;
				for (d = a; ; d = (d + 1) % 7) {
					fput(f, "days", "%s", days[d][0]);
					if (d == z)
						break;
				}
			}
			free(copy);
		}
		break;
	case SCHED_INTERVAL:
		fput(f, "hours", "%lld", (long long)json_integer_value(json_object_get(sc, "hours")));
		fput(f, "minutes", "%lld",
		    (long long)json_integer_value(json_object_get(sc, "minutes")));
		break;
	case SCHED_CRON:
		fput(f, "cron_expression", "%s",
		    json_string_value(json_object_get(sc, "cron_expression")) ?
		    json_string_value(json_object_get(sc, "cron_expression")) : "");
		break;
	default:
		break;
	}
	/* every bot's parameters: the job's values for its own, defaults for the others */
	for (i = 0; i < app->conf.nbots; i++) {
		const struct bot *b = &app->conf.bots[i];
		for (k = 0; k < b->nparams; k++) {
			const json_t *v = NULL;
			param_field(field, sizeof(field), b, &b->params[k]);
			if (j->bot_type && strcmp(b->name, j->bot_type) == 0)
				v = json_object_get(bc, b->params[k].name);
			if (v == NULL)
				v = b->params[k].def;
			fput_json(f, field, v);
		}
	}
	json_decref(sc);
	json_decref(bc);
}

/* Puts an integer field into doc as an integer, or as the text (so job_apply says why). */
static void
doc_int(json_t *o, const char *key, const char *text)
{
	int64_t	 v;

	if (text == NULL || *text == '\0')
		return;
	if (parse_int64(text, INT32_MIN, INT32_MAX, &v) == 0)
		json_object_set_new(o, key, json_integer(v));
	else
		json_object_set_new(o, key, json_string(text));
}

/* "08:30" into hour and minute of sc; errors go to field `field`. */
static void
doc_time(json_t *sc, const char *text, const char *field, struct verrs *e)
{
	int64_t	 h, m;
	char	 hh[3], mm[3];

	if (text == NULL || *text == '\0') {
		verrs_add(e, field, "enter a time of day such as 08:30");
		return;
	}
	if (strlen(text) < 4 || strlen(text) > 8 || strchr(text, ':') == NULL) {
		verrs_add(e, field, "enter a time of day as HH:MM, such as 08:30");
		return;
	}
	snprintf(hh, sizeof(hh), "%.*s", (int)(strchr(text, ':') - text), text);
	snprintf(mm, sizeof(mm), "%.2s", strchr(text, ':') + 1);
	if (parse_int64(hh, 0, 23, &h) == -1 || parse_int64(mm, 0, 59, &m) == -1 ||
	    strlen(strchr(text, ':') + 1) != 2) {
		verrs_add(e, field, "enter a time of day as HH:MM, such as 08:30");
		return;
	}
	json_object_set_new(sc, "hour", json_integer(h));
	json_object_set_new(sc, "minute", json_integer(m));
}

/* The schedule_config of the posted fields, for their schedule type. */
static json_t *
form_schedule(const struct fields *f, const char *type, struct verrs *e)
{
	json_t		*sc = json_object();
	struct buf	 dow = BUF_INIT;
	int		 d;

	if (type == NULL)
		return sc;
	if (strcmp(type, "daily") == 0)
		doc_time(sc, fget(f, "daily_time"), "daily_time", e);
	else if (strcmp(type, "weekly") == 0) {
		for (d = 0; d < 7; d++)
			if (fhas(f, "days", days[d][0]))
				buf_addf(&dow, "%s%s", dow.len ? "," : "", days[d][0]);
		if (dow.len == 0)
			verrs_add(e, "days", "choose at least one day");
		else
			json_object_set_new(sc, "day_of_week", json_string(dow.data));
		doc_time(sc, fget(f, "weekly_time"), "weekly_time", e);
	} else if (strcmp(type, "interval") == 0) {
		const char *h = fget(f, "hours"), *m = fget(f, "minutes");
		doc_int(sc, "hours", h && *h ? h : "0");
		doc_int(sc, "minutes", m && *m ? m : "0");
	} else if (strcmp(type, "cron") == 0)
		json_object_set_new(sc, "cron_expression",
		    json_string(fget(f, "cron_expression") ? fget(f, "cron_expression") : ""));
	buf_release(&dow);
	return sc;
}

/* The job document (as the API takes it) of the posted fields. */
static json_t *
form_doc(const struct app *app, const struct fields *f, struct verrs *e)
{
	json_t		*doc = json_object(), *bc = json_object();
	const char	*v, *type = fget(f, "schedule_type"), *bot = fget(f, "bot_type");
	const struct bot *b;
	char		 field[200];
	size_t		 k;

	if ((v = fget(f, "name")) != NULL)
		json_object_set_new(doc, "name", json_string(v));
	v = fget(f, "description");
	json_object_set_new(doc, "description", v && *v ? json_string(v) : json_null());
	if (bot != NULL)
		json_object_set_new(doc, "bot_type", json_string(bot));
	json_object_set_new(doc, "enabled", json_boolean(fhas(f, "enabled", "1")));
	if (type != NULL) {
		json_object_set_new(doc, "schedule_type", json_string(type));
		if (sched_type_from_name(type) >= 0)
			json_object_set_new(doc, "schedule_config", form_schedule(f, type, e));
	}
	if ((v = fget(f, "timezone")) != NULL)
		json_object_set_new(doc, "timezone", json_string(v));
	doc_int(doc, "max_instances", fget(f, "max_instances"));
	doc_int(doc, "misfire_grace_time", fget(f, "misfire_grace_time"));
	json_object_set_new(doc, "coalesce", json_boolean(fhas(f, "coalesce", "1")));
	if (bot != NULL && (b = conf_bot(&app->conf, bot)) != NULL) {
		for (k = 0; k < b->nparams; k++) {
			const struct param *p = &b->params[k];
			param_field(field, sizeof(field), b, p);
			v = fget(f, field);
			if (p->type == PARAM_BOOL)
				json_object_set_new(bc, p->name, json_boolean(fhas(f, field, "1")));
			else if (v == NULL || *v == '\0')
				continue;
			else if (p->type == PARAM_INT)
				doc_int(bc, p->name, v);
			else
				json_object_set_new(bc, p->name, json_string(v));
		}
	}
	json_object_set_new(doc, "bot_config", bc);
	return doc;
}

/* Where an error of job_apply (or of the form itself) is shown: a field, and its label. */
static void
error_place(const char *loc, const char *type, const char *bot, char *field, size_t sz,
    const char **label)
{
	static const char *const names[][2] = {
		{ "name", "Name" }, { "description", "Description" }, { "bot_type", "Bot" },
		{ "enabled", "Enabled" }, { "schedule_type", "Schedule" },
		{ "timezone", "Time zone" }, { "max_instances", "Runs at once" },
		{ "misfire_grace_time", "Grace for late runs" }, { "coalesce", "Coalesce" },
		{ "daily_time", "Time of day" }, { "weekly_time", "Time of day" },
		{ "days", "Days" }, { "hours", "Hours" }, { "minutes", "Minutes" },
		{ "cron_expression", "Cron expression" }, { "schedule_config", "Schedule" },
	};
	size_t	 i;

	if (strncmp(loc, "schedule_config.", 16) == 0) {
		loc += 16;
		if (strcmp(loc, "hour") == 0 || strcmp(loc, "minute") == 0)
			loc = type && strcmp(type, "weekly") == 0 ? "weekly_time" : "daily_time";
		else if (strcmp(loc, "day_of_week") == 0)
			loc = "days";
		else if (strcmp(loc, "hours") != 0 && strcmp(loc, "minutes") != 0 &&
		    strcmp(loc, "cron_expression") != 0)
			loc = "schedule_config";
	}
	if (strncmp(loc, "bot_config.", 11) == 0 && bot != NULL) {
		snprintf(field, sz, "p.%s.%s", bot, loc + 11);
		*label = loc + 11;
		return;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(loc, names[i][0]) == 0) {
			snprintf(field, sz, "%s", loc);
			*label = names[i][1];
			return;
		}
	snprintf(field, sz, "schedule_config");
	*label = *loc ? loc : "Form";
}

/* The HTML id of a field (ids cannot hold the dots of parameter fields). */
static void
field_id(char *out, size_t sz, const char *field)
{
	size_t	 i;

	snprintf(out, sz, "%s", field);
	for (i = 0; out[i]; i++)
		if (out[i] == '.')
			out[i] = '-';
	if (strcmp(out, "schedule_config") == 0)
		snprintf(out, sz, "schedule_type");
}

/* The preview of the schedule the fields describe (also when the form has errors). */
static void
form_preview(struct web *w, struct tmpl_dict *c, const struct fields *f)
{
	const char	*type = fget(f, "schedule_type"), *zone = fget(f, "timezone"), *why;
	struct verrs	 e = VERRS_INIT;
	struct sched	 s;
	struct buf	 b = BUF_INIT;
	const struct tz	*z;
	json_t		*sc = NULL;
	struct tmpl_dict *p;
	int		 t;

	if (type == NULL || (t = sched_type_from_name(type)) < 0) {
		tmpl_set(tmpl_section(c, "PREVIEW_ERROR"), "TEXT", "Choose a schedule to see "
		    "when the job will run.");
		return;
	}
	if ((z = tz_get(zone && *zone ? zone : w->r->app->conf.default_tz, &why)) == NULL) {
		tmpl_set(tmpl_section(c, "PREVIEW_ERROR"), "TEXT", "Choose a valid time zone to "
		    "see when the job will run.");
		return;
	}
	sc = form_schedule(f, type, &e);
	if (e.n > 0 || sched_parse(&s, (enum sched_type)t, sc, "", &e) == -1) {
		buf_addstr(&b, "The schedule is not complete: ");
		buf_addstr(&b, e.n ? e.v[0].msg : "check its fields");
		buf_addch(&b, '.');
		tmpl_set(tmpl_section(c, "PREVIEW_ERROR"), "TEXT", b.data);
		goto out;
	}
	p = tmpl_section(c, "PREVIEW");
	sched_describe(&s, &b);
	buf_addf(&b, ", %s time.", tz_name(z));
	tmpl_set(p, "WORDS", b.data);
	if (t == SCHED_MANUAL)
		tmpl_set(tmpl_section(p, "NO_RUNS"), "TEXT", "Runs only when started by hand.");
	else if (next_runs(w, tmpl_section(p, "RUNS"), &s, z, w->r->now, w->r->now,
	    WEB_NEXT_RUNS) == 0)
		tmpl_set(tmpl_section(p, "NO_RUNS"), "TEXT", "This schedule never fires.");
	sched_release(&s);
out:
	json_decref(sc);
	verrs_release(&e);
	buf_release(&b);
}

/* Renders the form with fields f and errors e (may be empty) at status. */
static void
form_render(struct web *w, const struct job *j, const struct fields *f,
    const struct verrs *e, int status)
{
	struct app	*app = w->r->app;
	struct tmpl_dict *c, *d, *bd, *pd, *errs = NULL, *it;
	const char	*type = fget(f, "schedule_type"), *bot = fget(f, "bot_type"), *v;
	const char	*label;
	char		 field[200], fid[200], key[220];
	struct buf	 b = BUF_INIT;
	size_t		 i, k, q;
	int		 dd, adv = 0;

	c = web_page(w, j ? "Edit job" : "New job", "job_form.tpl");
	if (j) {
		buf_addf(&b, "Edit \xe2\x80\x9c%s\xe2\x80\x9d", j->name);
		tmpl_set(c, "HEADING", b.data);
		buf_reset(&b);
		buf_addf(&b, "%s/jobs/%s", w->r->script, j->id);
		tmpl_set(c, "ACTION", b.data);
		tmpl_set(c, "CANCEL", b.data);
		tmpl_set(c, "SUBMIT", "Save");
	} else {
		tmpl_set(c, "HEADING", "New job");
		buf_addf(&b, "%s/jobs", w->r->script);
		tmpl_set(c, "ACTION", b.data);
		buf_reset(&b);
		buf_addf(&b, "%s/", w->r->script);
		tmpl_set(c, "CANCEL", b.data);
		tmpl_set(c, "SUBMIT", "Create the job");
	}
	tmpl_set(c, "NAME", fget(f, "name"));
	tmpl_set_int(c, "NAME_MAX", JOB_NAME_MAX);
	tmpl_set(c, "DESCRIPTION", fget(f, "description"));
	tmpl_set_int(c, "DESC_MAX", JOB_DESC_MAX);
	for (i = 0; i < app->conf.nbots; i++) {
		d = tmpl_section(c, "BOT_OPT");
		tmpl_set(d, "VALUE", app->conf.bots[i].name);
		tmpl_set(d, "DESC", app->conf.bots[i].description ?
		    app->conf.bots[i].description : "");
		if (bot && strcmp(bot, app->conf.bots[i].name) == 0)
			tmpl_show(d, "SEL");
	}
	if (fhas(f, "enabled", "1"))
		tmpl_show(c, "ENABLED");
	options(c, "ST_OPT", sched_labels, 5, type);
	tmpl_set(c, "DAILY_TIME", fget(f, "daily_time"));
	tmpl_set(c, "WEEKLY_TIME", fget(f, "weekly_time"));
	for (dd = 0; dd < 7; dd++) {
		d = tmpl_section(c, "DAY");
		tmpl_set(d, "VALUE", days[dd][0]);
		tmpl_set(d, "LONG", days[dd][1]);
		snprintf(key, sizeof(key), "%c%s", days[dd][0][0] - 32, days[dd][0] + 1);
		tmpl_set(d, "LABEL", key);
		if (fhas(f, "days", days[dd][0]))
			tmpl_show(d, "SEL");
	}
	tmpl_set(c, "HOURS", fget(f, "hours"));
	tmpl_set(c, "MINUTES", fget(f, "minutes"));
	tmpl_set(c, "CRON", fget(f, "cron_expression"));
	tmpl_set(c, "TIMEZONE", fget(f, "timezone"));
	for (i = 0; i < nzones; i++)
		tmpl_set(tmpl_section(c, "ZONE"), "NAME", zones[i]);
	tmpl_set(c, "MAX_INSTANCES", fget(f, "max_instances"));
	tmpl_set_int(c, "MAX_INST", JOB_MAX_INSTANCES);
	tmpl_set(c, "GRACE", fget(f, "misfire_grace_time"));
	tmpl_set_int(c, "MAX_GRACE", JOB_MAX_GRACE);
	if (fhas(f, "coalesce", "1"))
		tmpl_show(c, "COALESCE");

	/* errors: in a summary at the top, and beside their fields */
	for (i = 0; e && i < e->n; i++) {
		error_place(e->v[i].field, type, bot, field, sizeof(field), &label);
		if (errs == NULL)
			errs = tmpl_section(c, "ERRORS");
		it = tmpl_section(errs, "ITEM");
		field_id(fid, sizeof(fid), field);
		tmpl_set(it, "FOR", fid);
		tmpl_set(it, "LABEL", label);
		tmpl_set(it, "TEXT", e->v[i].msg);
		if (strncmp(field, "p.", 2) != 0) {
			snprintf(key, sizeof(key), "E_%s", field);
			tmpl_set(tmpl_section(c, key), "TEXT", e->v[i].msg);
		}
		if (strcmp(field, "max_instances") == 0 ||
		    strcmp(field, "misfire_grace_time") == 0)
			adv = 1;
	}
	if (adv)
		tmpl_show(c, "ADV_OPEN");

	for (i = 0; i < app->conf.nbots; i++) {
		const struct bot *b2 = &app->conf.bots[i];
		bd = tmpl_section(c, "BOT");
		tmpl_set(bd, "NAME", b2->name);
		if (b2->nparams == 0)
			tmpl_show(bd, "NO_PARAM");
		for (k = 0; k < b2->nparams; k++) {
			const struct param *p = &b2->params[k];
			param_field(field, sizeof(field), b2, p);
			field_id(fid, sizeof(fid), field);
			pd = tmpl_section(bd, "PARAM");
			tmpl_set(pd, "FIELD", field);
			tmpl_set(pd, "FID", fid);
			tmpl_set(pd, "LABEL", p->name);
			v = fget(f, field);
			switch (p->type) {
			case PARAM_BOOL:
				/* a checked box posts "0" (the hidden field) and "1" */
				tmpl_show(pd, "IS_BOOL");
				if (fhas(f, field, "1"))
					tmpl_show(pd, "ON");
				break;
			case PARAM_INT:
				d = tmpl_section(pd, "IS_INT");
				tmpl_set_int(d, "MIN", p->min);
				tmpl_set_int(d, "MAX", p->max);
				tmpl_set(d, "VALUE", v);
				buf_reset(&b);
				buf_addf(&b, "A whole number from %lld to %lld.", (long long)p->min,
				    (long long)p->max);
				tmpl_set(tmpl_section(pd, "HINT"), "TEXT", b.data);
				break;
			case PARAM_STRING:
				if (p->nchoices > 0) {
					d = tmpl_section(pd, "IS_CHOICE");
					for (q = 0; q < p->nchoices; q++) {
						struct tmpl_dict *o = tmpl_section(d, "OPT");
						tmpl_set(o, "VALUE", p->choices[q]);
						if (v && strcmp(v, p->choices[q]) == 0)
							tmpl_show(o, "SEL");
					}
				} else {
					d = tmpl_section(pd, "IS_TEXT");
					tmpl_set(d, "VALUE", v);
					tmpl_set_int(d, "MAXLEN", (long long)p->max_len);
				}
				break;
			}
			/* this parameter's errors, when its bot is the job's */
			for (q = 0; e && bot && strcmp(bot, b2->name) == 0 && q < e->n; q++)
				if (strncmp(e->v[q].field, "bot_config.", 11) == 0 &&
				    strcmp(e->v[q].field + 11, p->name) == 0)
					tmpl_set(tmpl_section(pd, "ERR"), "TEXT", e->v[q].msg);
		}
	}
	form_preview(w, c, f);
	web_render(w, status);
	buf_release(&b);
}

void
page_job_new(struct web *w, const char *id)
{
	struct job	 j;
	struct fields	 f;
	const struct bot *b = w->r->app->conf.nbots ? &w->r->app->conf.bots[0] : NULL;
	const char	*want = req_query(w->r, "bot_type");

	job_defaults(&j);
	if (want && conf_bot(&w->r->app->conf, want))
		b = conf_bot(&w->r->app->conf, want);
	j.name = xstrdup("");
	j.bot_type = xstrdup(b ? b->name : "");
	j.schedule_type = SCHED_DAILY;
	j.schedule_config = xstrdup("{\"hour\":8,\"minute\":0}");
	j.timezone = xstrdup(w->r->app->conf.default_tz);
	job_fields(w->r->app, &j, &f);
	/* the other types' fields start with sensible values too */
	fput(&f, "weekly_time", "08:00");
	fput(&f, "days", "mon");
	fput(&f, "hours", "1");
	fput(&f, "minutes", "0");
	fput(&f, "cron_expression", "0 8 * * 1-5");
	form_render(w, NULL, &f, NULL, 200);
	fields_release(&f);
	job_release(&j);
}

static void
posted(struct web *w, struct fields *f)
{
	f->kv = w->r->form;
	f->n = w->r->nform;
	f->own = 0;
}

void
page_job_create(struct web *w, const char *id)
{
	struct req	*r = w->r;
	struct fields	 f;
	struct verrs	 e = VERRS_INIT;
	struct job	 j;
	enum db_res	 res;
	json_t		*doc;

	posted(w, &f);
	if (fget(&f, "preview") != NULL) {
		form_render(w, NULL, &f, NULL, 200);
		return;
	}
	doc = form_doc(r->app, &f, &e);
	job_defaults(&j);
	uuid_v4(j.id);
	j.created_by = xstrdup(w->user);
	if (job_apply(&j, doc, 1, &r->app->conf, r->now, &e) == -1 || e.n > 0)
		form_render(w, NULL, &f, &e, 422);
	else if ((res = db_job_insert(r->app->db, &j)) != DB_OK)
		db_trouble(w, res);
	else {
		notify_schedd(r->app->conf.schedd.notify_socket);
		log_info("%s created job %s (%s)", w->user, j.id, j.name);
		req_redirect(r, "/jobs/%s?done=created&job=%s", j.id, j.id);
	}
	json_decref(doc);
	verrs_release(&e);
	job_release(&j);
}

void
page_job_edit(struct web *w, const char *id)
{
	struct job	 j;
	struct fields	 f;

	if (load_job(w, id, &j) == -1)
		return;
	job_fields(w->r->app, &j, &f);
	if (j.schedule_type != SCHED_DAILY)
		fput(&f, "daily_time", "08:00");
	if (j.schedule_type != SCHED_WEEKLY) {
		fput(&f, "weekly_time", "08:00");
		fput(&f, "days", "mon");
	}
	if (j.schedule_type != SCHED_INTERVAL) {
		fput(&f, "hours", "1");
		fput(&f, "minutes", "0");
	}
	if (j.schedule_type != SCHED_CRON)
		fput(&f, "cron_expression", "0 8 * * 1-5");
	form_render(w, &j, &f, NULL, 200);
	fields_release(&f);
	job_release(&j);
}

void
page_job_update(struct web *w, const char *id)
{
	struct req	*r = w->r;
	struct fields	 f;
	struct verrs	 e = VERRS_INIT;
	struct job	 j;
	enum db_res	 res;
	json_t		*doc;

	posted(w, &f);
	if ((res = db_begin(r->app->db)) != DB_OK) {
		db_trouble(w, res);
		return;
	}
	if (load_job(w, id, &j) == -1) {
		db_rollback(r->app->db);
		return;
	}
	if (fget(&f, "preview") != NULL) {
		db_rollback(r->app->db);
		form_render(w, &j, &f, NULL, 200);
		job_release(&j);
		return;
	}
	doc = form_doc(r->app, &f, &e);
	if (e.n > 0 || job_apply(&j, doc, 0, &r->app->conf, r->now, &e) == -1) {
		db_rollback(r->app->db);
		/* job_apply left j as stored: the heading keeps the stored name */
		form_render(w, &j, &f, &e, 422);
	} else if ((res = db_job_update(r->app->db, &j)) != DB_OK ||
	    (res = db_commit(r->app->db)) != DB_OK) {
		db_rollback(r->app->db);
		db_trouble(w, res);
	} else {
		notify_schedd(r->app->conf.schedd.notify_socket);
		log_info("%s saved job %s (%s)", w->user, j.id, j.name);
		req_redirect(r, "/jobs/%s?done=saved&job=%s", j.id, j.id);
	}
	json_decref(doc);
	verrs_release(&e);
	job_release(&j);
}

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
		const struct tz *z = job_tz(j);
		char iso[CAL_ISO_LEN];
		web_local(&b, z, j->next_run_at);
		json_object_set_new(o, "next_run_at", json_string(cal_iso(j->next_run_at, iso)));
		json_object_set_new(o, "next_run_local", json_string(b.data));
		buf_reset(&b);
		web_relative(&b, w->r->now, j->next_run_at);
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
	struct req	*r = w->r;
	struct verrs	 e = VERRS_INIT;
	struct job	 j;
	enum db_res	 res;
	json_t		*doc;
	const char	*want = req_form(r, "enabled");
	char		 msg[300];

	if ((res = db_begin(r->app->db)) != DB_OK) {
		db_trouble(w, res);
		return;
	}
	if (load_job(w, id, &j) == -1) {
		db_rollback(r->app->db);
		return;
	}
	/* "enabled" says which state is wanted (so a double click does not undo); else flip */
	doc = json_pack("{s:b}", "enabled", want ? strcmp(want, "1") == 0 : !j.enabled);
	if (job_apply(&j, doc, 0, &r->app->conf, r->now, &e) == -1) {
		db_rollback(r->app->db);
		web_error(w, 422, "%s", e.n ? e.v[0].msg : "The job cannot be toggled.");
	} else if ((res = db_job_update(r->app->db, &j)) != DB_OK ||
	    (res = db_commit(r->app->db)) != DB_OK) {
		db_rollback(r->app->db);
		db_trouble(w, res);
	} else {
		notify_schedd(r->app->conf.schedd.notify_socket);
		if (web_wants_json(w)) {
			snprintf(msg, sizeof(msg), "%s \xe2\x80\x9c%.200s\xe2\x80\x9d.",
			    j.enabled ? "Enabled" : "Disabled", j.name);
			action_json(w, 200, &j, j.enabled ? "enabled" : "disabled", msg);
		} else
			done(w, "/", j.enabled ? "enabled" : "disabled", j.id);
	}
	json_decref(doc);
	verrs_release(&e);
	job_release(&j);
}

void
page_job_run(struct web *w, const char *id)
{
	struct req	*r = w->r;
	struct job	 j;
	char		 run_id[UUID_LEN], msg[300];
	int64_t		 inflight = 0;
	enum db_res	 res;

	if (load_job(w, id, &j) == -1)
		return;
	res = db_run_manual(r->app->db, j.id, r->now, run_id, &inflight);
	if (res == DB_OK) {
		notify_schedd(r->app->conf.schedd.notify_socket);
		log_info("%s ran job %s now (run %s)", w->user, j.id, run_id);
	}
	if (res == DB_OK || res == DB_CONFLICT) {
		if (web_wants_json(w)) {
			snprintf(msg, sizeof(msg), res == DB_OK ? "\xe2\x80\x9c%.200s\xe2\x80\x9d "
			    "will run now." : "\xe2\x80\x9c%.200s\xe2\x80\x9d is already running as "
			    "many times as it may (max_instances).", j.name);
			action_json(w, res == DB_OK ? 202 : 409, &j, res == DB_OK ? "queued" :
			    "busy", msg);
		} else
			done(w, "/", res == DB_OK ? "queued" : "busy", j.id);
	} else
		db_trouble(w, res);
	job_release(&j);
}

void
page_job_delete_confirm(struct web *w, const char *id)
{
	struct tmpl_dict *c;
	struct job	 j;
	int64_t		 runs = 0;

	if (load_job(w, id, &j) == -1)
		return;
	db_run_count(w->r->app->db, j.id, &runs);
	c = web_page(w, "Delete job", "confirm.tpl");
	tmpl_set(c, "NAME", j.name);
	tmpl_set(c, "ID", j.id);
	tmpl_set_int(c, "RUNS", runs);
	tmpl_set(c, "RUNS_S", runs == 1 ? "" : "s");
	web_render(w, 200);
	job_release(&j);
}

void
page_job_delete(struct web *w, const char *id)
{
	struct job	 j;
	enum db_res	 res;

	if (load_job(w, id, &j) == -1)
		return;
	res = db_job_delete(w->r->app->db, j.id);
	if (res == DB_OK || res == DB_NOTFOUND) {
		notify_schedd(w->r->app->conf.schedd.notify_socket);
		log_info("%s deleted job %s (%s)", w->user, j.id, j.name);
		req_redirect(w->r, "/?done=deleted");
	} else
		db_trouble(w, res);
	job_release(&j);
}

/* The job page */

static void
duration(struct buf *b, int64_t s)
{
	if (s < 60)
		buf_addf(b, "%lld s", (long long)s);
	else if (s < 3600)
		buf_addf(b, "%lld min %02lld s", (long long)(s / 60), (long long)(s % 60));
	else
		buf_addf(b, "%lld h %02lld min", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
}

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
	const struct tz	*z = job_tz(j);
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
	duration(&b, maxd);
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
		tmpl_set(bar, "STATUS", r->status);
		tmpl_set_int(bar, "X", CHART_X0 + (long long)k * slot + (slot - bw) / 2);
		tmpl_set_int(bar, "Y", base - h);
		tmpl_set_int(bar, "BW", bw);
		tmpl_set_int(bar, "BH", h);
		buf_reset(&b);
		web_local(&b, z, r->scheduled_for);
		buf_addf(&b, ": %s", r->status);
		if (r->started_at != TIME_NONE && r->finished_at != TIME_NONE) {
			buf_addstr(&b, " in ");
			duration(&b, d);
		}
		tmpl_set(bar, "TITLE", b.data);
		if (strcmp(r->status, "success") == 0)
			ok++;
		else if (strcmp(r->status, "failed") == 0 || strcmp(r->status, "missed") == 0)
			bad++;
	}
	buf_reset(&b);
	buf_addf(&b, "The last %zu runs: %lld succeeded, %lld failed or were missed; the "
	    "longest took ", n, (long long)ok, (long long)bad);
	duration(&b, maxd);
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
	const struct tz	*z = job_tz(j);
	const char	*v = req_query(w->r, "page");
	int64_t		 page = 1, total = 0;
	size_t		 n = 0, i;
	char		 iso[CAL_ISO_LEN];

	if (v != NULL && parse_int64(v, 1, 1000000, &page) == -1)
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
		web_local(&b, z, r->scheduled_for);
		tmpl_set(row, "LOCAL", b.data);
		tmpl_set(row, "TRIGGER", r->trigger);
		tmpl_set(row, "STATUS", r->status);
		buf_reset(&b);
		if (r->started_at != TIME_NONE && r->finished_at != TIME_NONE)
			duration(&b, r->finished_at - r->started_at);
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

void
page_job(struct web *w, const char *id)
{
	struct job	 j;
	struct tmpl_dict *c, *d;
	struct sched	 s;
	struct buf	 b = BUF_INIT;
	const struct tz	*z;
	json_t		*bc, *v;
	const char	*key;

	if (load_job(w, id, &j) == -1)
		return;
	z = job_tz(&j);
	c = web_page(w, j.name, "job.tpl");
	buf_addf(&b, "/jobs/%s", j.id);
	tmpl_set_global(w->page, "BACK", b.data);
	tmpl_set(c, "ID", j.id);
	tmpl_set(c, "NAME", j.name);
	tmpl_set(c, "BOT_TYPE", j.bot_type);
	tmpl_show(c, j.enabled ? "IS_ENABLED" : "IS_DISABLED");
	tmpl_set(c, "TOGGLE_LABEL", j.enabled ? "Disable" : "Enable");
	if (j.description && *j.description)
		tmpl_set(tmpl_section(c, "DESC"), "TEXT", j.description);
	buf_reset(&b);
	sched_words(sched_type_name(j.schedule_type), j.schedule_config, &b);
	tmpl_set(c, "SCHEDULE", b.data);
	tmpl_set(c, "TIMEZONE", j.timezone);
	tmpl_set_int(c, "MAX_INSTANCES", j.max_instances);
	tmpl_set_int(c, "GRACE", j.misfire_grace_time);
	tmpl_set(c, "COALESCE", j.coalesce ? "yes" : "no");
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
	web_local(&b, z, j.created_at);
	tmpl_set(c, "CREATED", b.data);
	if (j.created_by)
		tmpl_set(tmpl_section(c, "BY"), "USER", j.created_by);
	buf_reset(&b);
	web_local(&b, z, j.updated_at);
	tmpl_set(c, "UPDATED", b.data);

	/* the next runs, from the stored next_run_at on, with what DST does to them */
	if (j.next_run_at != TIME_NONE &&
	    sched_stored(j.schedule_type, j.schedule_config, &s) == 0) {
		next_runs(w, tmpl_section(c, "RUNS"), &s, z, j.schedule_anchor,
		    j.next_run_at - 1, WEB_NEXT_RUNS);
	} else
		tmpl_set(tmpl_section(c, "NO_RUNS"), "TEXT", !j.enabled ?
		    "None: the job is disabled." : j.schedule_type == SCHED_MANUAL ?
		    "None: the job runs only when started by hand." : "None.");
	chart(w, c, &j);
	history(w, c, &j);
	web_render(w, 200);
	buf_release(&b);
	job_release(&j);
}

void
page_preview(struct web *w, const char *id)
{
	req_preview(w->r);
}
