/*
 * autosched: the helpers every dashboard page is built with: the layout around a page's
 * template, the banner (the scheduler or Redis down), the flash message after an action,
 * error pages, the CSRF check, and dates and durations as people read them. HTML comes only
 * from the templates, with ctemplate's auto-escaping: nothing here escapes by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "sched.h"

static const struct flash {
	const char	*code;
	const char	*kind;		/* ok, warn */
	const char	*before;	/* the job's name goes between, when there is one */
	const char	*after;
} flashes[] = {
	{ "created", "ok", "Created \xe2\x80\x9c", "\xe2\x80\x9d." },
	{ "saved", "ok", "Saved \xe2\x80\x9c", "\xe2\x80\x9d." },
	{ "deleted", "ok", "Deleted the job. None of its runs will start.", NULL },
	{ "deleted_withdrawing", "warn", "Deleted the job. Some of its runs are still in the "
	  "queue, and schedd has not taken them back yet (is it running?): a worker may start "
	  "one.", NULL },
	{ "enabled", "ok", "Enabled \xe2\x80\x9c", "\xe2\x80\x9d." },
	{ "disabled", "ok", "Disabled \xe2\x80\x9c", "\xe2\x80\x9d." },
	{ "queued", "ok", "\xe2\x80\x9c", "\xe2\x80\x9d will run now." },
	{ "busy", "warn", "\xe2\x80\x9c", "\xe2\x80\x9d " HTML_AT_LIMIT ": no run was added." },
	{ "held", "warn", "\xe2\x80\x9c", "\xe2\x80\x9d is paused, or a pause covers it: no "
	  "run was added. Run anyway, on its page, starts it all the same." },
	{ "resumed", "ok", "Resumed \xe2\x80\x9c", "\xe2\x80\x9d: it fires again from now "
	  "on, nothing is caught up." },
	{ "paused", "ok", "Paused \xe2\x80\x9c", "\xe2\x80\x9d." },
	{ "pause_on", "ok", "Paused. Fire times under the pause are recorded as skipped, and "
	  "nothing is owed when it ends.", NULL },
	{ "pause_off", "ok", "Resumed. Jobs fire again from now on; nothing is caught up.",
	  NULL },
	{ "pause_gone", "warn", "That pause had ended already.", NULL },
	{ "signedout", "ok", "Signed out.", NULL },
};

const char *
html_banner(struct web *w)
{
	struct buf	 b = BUF_INIT;
	struct status	 st;

	if (w->banner != NULL)
		return w->banner;

	status_read(w->r->app, w->r->now, &st);
	if (st.heartbeat_res != DB_OK)
		;
	else if (st.schedd == SCHEDD_NEVER)
		buf_addstr(&b, "The scheduler has never run: no job will fire until schedd "
		    "starts.");
	else if (st.schedd != SCHEDD_RUNNING) {
		buf_addstr(&b, "The scheduler is not running since ");
		html_local(&b, tz_get("UTC", NULL), st.beat);
		buf_addstr(&b, " (");
		html_relative(&b, w->r->now, st.beat);
		buf_addstr(&b, "): jobs will not fire until schedd is back.");
	} else if (strcmp(st.redis, "ok") != 0) {
		buf_addstr(&b, "Redis is unreachable");
		if (st.redis_down_since != TIME_NONE) {
			buf_addstr(&b, " since ");
			html_local(&b, tz_get("UTC", NULL), st.redis_down_since);
		}
		buf_addstr(&b, ": runs wait as pending and go out when it is back.");
	} else if (st.behind) {
		buf_addf(&b, "Workers are behind: %lld run%s waiting, the oldest for ",
		    (long long)st.waiting, st.waiting == 1 ? "" : "s");
		html_duration(&b, st.oldest_wait);
		buf_addstr(&b, ". Start more RQ workers, or check that one serves every queue.");
	}
	status_release(&st);
	w->banner = xstrdup(b.len ? b.data : "");
	buf_release(&b);
	return w->banner;
}

const char *
html_disabled_note(struct web *w, const struct job *j)
{
	static char	 s[200];
	int64_t		 n = 0;

	if (j->enabled || db_run_inflight(w->r->app->db, j->num, &n) != DB_OK || n == 0)
		return " It will not fire until you enable it again.";
	snprintf(s, sizeof(s), " It will not fire again, but %lld run%s it already made (pending, "
	    "queued or running) will still run; delete the job to take queued runs back.",
	    (long long)n, n == 1 ? "" : "s");
	return s;
}

static void
flash(struct web *w)
{
	const char	*done = req_query(w->r, "done"), *id = req_query(w->r, "job");
	const struct flash *fl;
	struct tmpl_dict *f;
	struct job	 j;
	size_t		 i;

	if (done == NULL)
		return;
	for (i = 0; i < sizeof(flashes) / sizeof(flashes[0]); i++) {
		fl = &flashes[i];
		if (strcmp(done, fl->code) != 0)
			continue;
		f = tmpl_section(w->page, "FLASH");
		tmpl_set(f, "KIND", fl->kind);
		if (fl->after == NULL)
			tmpl_set(f, "TEXT", fl->before);
		else if (w->signed_in && id && uuid_valid(id) &&
		    db_job_get(w->r->app->db, id, &j) == DB_OK) {
			tmpl_setf(f, "TEXT", "%s%s%s%s", fl->before, j.name, fl->after,
			    strcmp(fl->code, "disabled") == 0 ? html_disabled_note(w, &j) : "");
			job_release(&j);
		} else
			tmpl_setf(f, "TEXT", "%sthe job%s", fl->before, fl->after);
		return;
	}
}

/* The banner of the pauses in force, each with its Resume button. */
static void
pauses_banner(struct web *w)
{
	struct pause	*list;
	struct tmpl_dict *d;
	struct buf	 b = BUF_INIT;
	size_t		 n, i;

	if (db_pauses(w->r->app->db, w->r->now, &list, &n) != DB_OK)
		return;
	for (i = 0; i < n; i++) {
		d = tmpl_section(w->page, "PAUSE");
		buf_reset(&b);
		pause_describe(&list[i], &b);
		tmpl_set(d, "TEXT", b.data);
		tmpl_set(d, "ID", list[i].id);
		buf_reset(&b);
		buf_addf(&b, "%s", *w->r->path ? w->r->path : "/");
		tmpl_set(d, "BACK", b.data);
		pause_release(&list[i]);
	}
	free(list);
	buf_release(&b);
}

struct tmpl_dict *
html_page(struct web *w, const char *title, const char *file)
{
	if (w->page)
		tmpl_dict_free(w->page);
	w->page = tmpl_dict_new();
	tmpl_set_global(w->page, "BASE", w->r->script);
	tmpl_set_global(w->page, "STATIC", w->r->app->conf.web.static_url);
	tmpl_set(w->page, "TITLE", title);
	if (w->signed_in) {
		struct tmpl_dict *s = tmpl_section(w->page, "SIGNED_IN");
		tmpl_set(s, "USER", w->user);
		tmpl_set_global(w->page, "CSRF", w->csrf);
		if (*html_banner(w) != '\0')
			tmpl_set(tmpl_section(w->page, "BANNER"), "TEXT", w->banner);
		pauses_banner(w);
	}
	flash(w);
	w->content = tmpl_include(w->page, "CONTENT", file);
	return w->content;
}

void
html_render(struct web *w, int status)
{
	struct req	*r = w->r;

	buf_reset(&r->body);
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
	if (tmpl_render("layout.tpl", w->page, &r->body) == -1) {
		buf_reset(&r->body);
		r->status = 500;
		r->content_type = "text/plain; charset=utf-8";
		buf_addstr(&r->body, "Internal error; see the server log.\n");
	}
}

void
html_error(struct web *w, int status, const char *fmt, ...)
{
	struct tmpl_dict	*d;
	struct buf		 b = BUF_INIT;
	va_list			 ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	d = html_page(w, status == 404 ? "Not found" : "Sorry", "error.tpl");
	tmpl_set(d, "MESSAGE", b.data);
	tmpl_set_int(d, "STATUS", status);
	buf_release(&b);
	html_render(w, status);
}

void
html_fail(struct web *w, enum jobs_res res)
{
	int	 status = req_status(res);

	if (status == 404)
		html_error(w, status, "There is no such job: it may have been deleted.");
	else if (status == 503)
		html_error(w, status, "The database is busy. Try again in a moment.");
	else
		html_error(w, status, "Something went wrong; the server log says what.");
}

int
html_job_id(struct web *w, const char *id, char *lower)
{
	if (uuid_canon(id, lower) == -1) {
		html_error(w, 404, "There is no such job.");
		return -1;
	}
	return 0;
}

int
html_load_job(struct web *w, const char *id, struct job *j)
{
	char		 lower[UUID_LEN];
	enum db_res	 res;

	if (html_job_id(w, id, lower) == -1)
		return -1;
	if ((res = db_job_get(w->r->app->db, lower, j)) != DB_OK) {
		html_fail(w, jobs_res_of(res));
		return -1;
	}
	return 0;
}

const struct tz *
html_job_tz(const struct job *j)
{
	const struct tz	*z = tz_get(j->timezone, NULL);

	return z ? z : tz_get("UTC", NULL);
}

struct jobs_ctx
html_jobs_ctx(struct web *w)
{
	struct jobs_ctx	 ctx = { w->r->app->db, &w->r->app->conf, w->user, "web", w->r->now,
			    0 };

	return ctx;
}

int
html_wants_json(const struct web *w)
{
	const char	*a = req_env(w->r, "HTTP_ACCEPT");

	return a != NULL && strncmp(a, "application/json", 16) == 0;
}

int
html_csrf_ok(struct web *w)
{
	const char	*got = req_form(w->r, "_csrf");
	size_t		 n = strlen(w->csrf);

	if (got != NULL && strlen(got) == n && n > 0 && util_ct_equal(got, w->csrf, n))
		return 1;
	html_error(w, 403, "This form has expired or did not come from this site. Reload the "
	    "page and try again.");
	return 0;
}

void
html_csrf(struct web *w, struct tmpl_dict *d)
{
	tmpl_set(d, "CSRF", w->csrf);
}

/* Appends n in decimal, at least `width` digits. */
static void
put_num(struct buf *b, long long n, int width)
{
	char		 d[24];
	int		 i = 0;
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;

	if (n < 0)
		buf_addch(b, '-');
	do {
		d[i++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0 || i < width);
	while (i > 0)
		buf_addch(b, d[--i]);
}

/* These two run for every row of the list: by hand, not printf. */
void
html_relative(struct buf *b, int64_t now, int64_t t)
{
	int64_t	 d = t - now, a = d < 0 ? -d : d;

	if (a < 60) {
		buf_addstr(b, d >= 0 ? "in less than a minute" : "just now");
		return;
	}
	if (d > 0)
		buf_addstr(b, "in ");
	if (a < 3600) {
		put_num(b, a / 60, 1);
		buf_addstr(b, " min");
	} else if (a < 48 * 3600) {
		put_num(b, a / 3600, 1);
		buf_addstr(b, " h");
	} else {
		put_num(b, a / 86400, 1);
		buf_addstr(b, " days");
	}
	if (d < 0)
		buf_addstr(b, " ago");
}

void
html_duration(struct buf *b, int64_t s)
{
	if (s < 60)
		buf_addf(b, "%lld s", (long long)s);
	else if (s < 3600)
		buf_addf(b, "%lld min %02lld s", (long long)(s / 60), (long long)(s % 60));
	else
		buf_addf(b, "%lld h %02lld min", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
}

void
html_local(struct buf *b, const struct tz *z, int64_t t)
{
	struct tz_span	 sp;
	struct cal_tm	 tm;

	tz_span(z, t, &sp);
	cal_split(t + sp.off, &tm);
	buf_addstr(b, cal_wdays[tm.wday % 7].abbr);
	buf_addch(b, ' ');
	put_num(b, tm.mday, 1);
	buf_addch(b, ' ');
	buf_addstr(b, cal_months[tm.mon % 13].abbr);
	buf_addch(b, ' ');
	put_num(b, tm.year, 1);
	buf_addstr(b, ", ");
	put_num(b, tm.hour, 2);
	buf_addch(b, ':');
	put_num(b, tm.min, 2);
	buf_addch(b, ' ');
	buf_addstr(b, sp.abbr);
}

/* Redirects after an action: to the form's "back" page (or def), with the flash code. */
void
html_done(struct web *w, const char *def, const char *code, const char *id)
{
	const char	*back = req_form(w->r, "back");
	struct buf	 to = BUF_INIT;

	buf_addstr(&to, req_local_path_ok(back) ? back : def);
	html_query_add(&to, "done", code);
	html_query_add(&to, "job", id);
	req_redirect(w->r, "%s", to.data);
	buf_release(&to);
}

void
html_clock(struct buf *b, const struct tz *z, int64_t t)
{
	struct cal_tm	 tm;

	cal_split(t + tz_offset(z, t), &tm);
	put_num(b, tm.hour, 2);
	buf_addch(b, ':');
	put_num(b, tm.min, 2);
	if (tm.sec) {
		buf_addch(b, ':');
		put_num(b, tm.sec, 2);
	}
}

void
html_query_add(struct buf *b, const char *name, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	buf_addch(b, strchr(b->data, '?') ? '&' : '?');
	buf_addstr(b, name);
	buf_addch(b, '=');
	req_url_encode(b, value);
}

void
html_when(struct web *w, struct tmpl_dict *d, const struct tz *z, int64_t t,
    const char *iso_key)
{
	char		 iso[CAL_ISO_LEN];
	struct buf	 b = BUF_INIT;

	tmpl_set(d, iso_key, cal_iso(t, iso));
	html_local(&b, z, t);
	tmpl_set(d, "LOCAL", b.data);
	buf_reset(&b);
	html_relative(&b, w->r->now, t);
	tmpl_set(d, "REL", b.data);
	buf_release(&b);
}

size_t
html_next_runs(struct web *w, struct tmpl_dict *list, const struct plan *p, int64_t from,
    int64_t drawn_for, int64_t drawn, int count)
{
	struct tmpl_dict *d, *x;
	struct planned	 pl;
	struct buf	 b = BUF_INIT;
	int		 k, f;

	for (k = 0; k < count && plan_next(p, from, 0, &pl) == 0; k++) {
		d = tmpl_section(list, "RUN");
		html_when(w, d, p->z, pl.nominal, "AT");
		f = pl.flags;
		if (f & (FIRE_MOVED | FIRE_FIRST | FIRE_REPEAT)) {
			x = tmpl_section(d, "DST");
			tmpl_set(x, "TEXT", f & FIRE_MOVED ? "moved by DST" :
			    f & FIRE_FIRST ? "DST: fires once" : "DST: repeated hour");
			tmpl_set(x, "TITLE", f & FIRE_MOVED ? "Daylight saving time skips "
			    "this wall-clock time: the run fires when the clocks jump." :
			    f & FIRE_FIRST ? "This wall-clock time happens twice as the "
			    "clocks go back: the job fires at the first." : "The clocks went back: "
			    "this is the second time this wall-clock time happens.");
		}
		buf_reset(&b);
		if (pl.nominal == drawn_for && drawn != TIME_NONE && drawn != pl.nominal) {
			buf_addstr(&b, "jitter: starts at ");
			html_clock(&b, p->z, drawn);
		} else if (pl.nominal == drawn_for && drawn != TIME_NONE)
			;
		else if (pl.spread > 0) {
			buf_addstr(&b, "jitter: between ");
			html_clock(&b, p->z, pl.nominal);
			buf_addstr(&b, " and ");
			html_clock(&b, p->z, pl.nominal + pl.spread);
		}
		if (b.len > 0)
			tmpl_set(tmpl_section(d, "JITTER"), "TEXT", b.data);
		from = pl.nominal;
	}
	buf_release(&b);
	return (size_t)k;
}

void
html_options(struct tmpl_dict *d, const char *section, const char *const (*opts)[2],
    size_t n, const char *sel)
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
