/*
 * autosched: the dashboard (SPEC §6), a FastCGI program of server-rendered pages.
 *
 * Routing is a table on PATH_INFO, as in the API, so it works at any mount point (the
 * plan's is /automation). Every page but sign-in needs a session: signed out, a GET is
 * redirected to sign-in and comes back after it. Every POST carries the session's CSRF
 * token. Forms post, then redirect, then the browser GETs the result (POST-redirect-GET),
 * so everything works without JavaScript; static/app.js only makes it nicer. HTML comes
 * only from the templates, with ctemplate's auto-escaping: nothing here escapes by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web.h"

static int	web_init(struct app *);
static void	web_serve(struct req *);

const struct program program = { "autosched-web", web_init, web_serve };

static const char *const templates[] = {
	"layout.tpl", "jobs.tpl", "job.tpl", "job_form.tpl", "confirm.tpl", "login.tpl",
	"error.tpl", NULL
};

typedef void	(*page_fn)(struct web *, const char *id);

static const struct wroute {
	const char	*pattern;	/* segments; "*" is the job id; "" is the mount itself */
	int		 open;		/* no session needed */
	page_fn		 get, post;	/* NULL: method not allowed */
} wroutes[] = {
	{ "", 0, page_jobs, NULL },
	{ "login", 1, page_login, page_login_post },
	{ "logout", 0, NULL, page_logout },
	{ "jobs/new", 0, page_job_new, NULL },
	{ "jobs", 0, NULL, page_job_create },
	{ "jobs/*", 0, page_job, page_job_update },
	{ "jobs/*/edit", 0, page_job_edit, NULL },
	{ "jobs/*/toggle", 0, NULL, page_job_toggle },
	{ "jobs/*/run", 0, NULL, page_job_run },
	{ "jobs/*/delete", 0, page_job_delete_confirm, page_job_delete },
	{ "preview.json", 0, page_preview, NULL },
};
#define NROUTES	(sizeof(wroutes) / sizeof(wroutes[0]))

static int
web_init(struct app *app)
{
	if (tmpl_init(app->conf.web.templates, templates) == -1)
		return -1;
	return page_jobs_init(app);
}

int
web_wants_json(const struct web *w)
{
	const char	*a = req_env(w->r, "HTTP_ACCEPT");

	return a != NULL && strncmp(a, "application/json", 16) == 0;
}

static void
web_serve(struct req *r)
{
	const struct wroute *rt = NULL;
	struct web	 w;
	char		 id[REQ_MAX_ID + 1] = "";
	size_t		 i;
	page_fn		 fn;

	memset(&w, 0, sizeof(w));
	w.r = r;
	r->content_type = "text/html; charset=utf-8";
	for (i = 0; i < NROUTES && rt == NULL; i++)
		if (req_route(wroutes[i].pattern, r->path, id))
			rt = &wroutes[i];
	if (rt == NULL) {
		web_error(&w, 404, "There is no such page.");
		goto out;
	}
	fn = r->mbit == M_GET ? rt->get : r->mbit == M_POST ? rt->post : NULL;
	if (fn == NULL) {
		req_method_not_allowed(r, (rt->get ? M_GET : 0) | (rt->post ? M_POST : 0));
		r->content_type = "text/plain; charset=utf-8";
		buf_reset(&r->body);
		buf_addstr(&r->body, "Method Not Allowed\n");
		goto out;
	}
	if (req_parse_query(r) == -1)
		goto out;
	if (web_session(&w) == -1 && !rt->open) {
		if (r->mbit == M_GET && rt->get != page_preview) {
			/* come back here after signing in */
			const char *q = req_env(r, "QUERY_STRING");
			struct buf next = BUF_INIT, enc = BUF_INIT;
			buf_addf(&next, "%s%s%s", *r->path ? r->path : "/", q && *q ? "?" : "",
			    q ? q : "");
			url_encode(&enc, next.data);
			req_redirect(r, "/login?next=%s", enc.data);
			buf_release(&next);
			buf_release(&enc);
		} else
			web_error(&w, 403, "Your session has ended. Sign in again, then retry.");
		goto out;
	}
	/* every POST but signing in carries the session's CSRF token */
	if (r->mbit == M_POST && fn != page_login_post &&
	    (req_parse_form(r) == -1 || !web_csrf_ok(&w)))
		goto out;
	fn(&w, id);
out:
	if (w.page)
		tmpl_dict_free(w.page);
}

/* Pages */

static const struct flash {
	const char	*code;
	const char	*kind;		/* ok, warn */
	const char	*before;	/* the job's name goes between, when there is one */
	const char	*after;
} flashes[] = {
	{ "created", "ok", "Created \xe2\x80\x9c", "\xe2\x80\x9d." },
	{ "saved", "ok", "Saved \xe2\x80\x9c", "\xe2\x80\x9d." },
	{ "deleted", "ok", "Deleted the job.", NULL },
	{ "enabled", "ok", "Enabled \xe2\x80\x9c", "\xe2\x80\x9d." },
	{ "disabled", "ok", "Disabled \xe2\x80\x9c", "\xe2\x80\x9d." },
	{ "queued", "ok", "\xe2\x80\x9c", "\xe2\x80\x9d will run now." },
	{ "busy", "warn", "\xe2\x80\x9c", "\xe2\x80\x9d is already running as many times "
	  "as it may (max_instances): no run was added." },
	{ "signedout", "ok", "Signed out.", NULL },
};

/* The banner: the scheduler or Redis down, and since when. */
static void
banner(struct web *w)
{
	struct buf	 info = BUF_INIT, b = BUF_INIT;
	int64_t		 beat;
	json_t		*said = NULL;
	const char	*since;

	switch (db_heartbeat_get(w->r->app->db, "schedd", &beat, &info)) {
	case DB_OK:
		break;
	case DB_NOTFOUND:
		beat = TIME_NONE;
		break;
	default:
		goto out;
	}
	said = json_loads(info.data, 0, NULL);
	if (beat == TIME_NONE)
		buf_addstr(&b, "The scheduler has never run: no job will fire until schedd "
		    "starts.");
	else if (json_is_true(json_object_get(said, "stopped")) ||
	    w->r->now - beat > 30) {
		buf_addstr(&b, "The scheduler is not running since ");
		web_local(&b, tz_get("UTC", NULL), beat);
		buf_addstr(&b, " (");
		web_relative(&b, w->r->now, beat);
		buf_addstr(&b, "): jobs will not fire until schedd is back.");
	} else if (json_is_string(json_object_get(said, "redis")) &&
	    strcmp(json_string_value(json_object_get(said, "redis")), "ok") != 0) {
		since = json_string_value(json_object_get(said, "redis_down_since"));
		buf_addstr(&b, "Redis is unreachable");
		if (since) {
			struct cal_iso iso;
			if (cal_parse_iso(since, &iso) == 0) {
				buf_addstr(&b, " since ");
				web_local(&b, tz_get("UTC", NULL), cal_join(&iso.tm) - iso.off);
			}
		}
		buf_addstr(&b, ": runs wait as pending and go out when it is back.");
	}
	if (b.len)
		tmpl_set(tmpl_section(w->page, "BANNER"), "TEXT", b.data);
out:
	json_decref(said);
	buf_release(&info);
	buf_release(&b);
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
			tmpl_setf(f, "TEXT", "%s%s%s", fl->before, j.name, fl->after);
			job_release(&j);
		} else
			tmpl_setf(f, "TEXT", "%sthe job%s", fl->before, fl->after);
		return;
	}
}

struct tmpl_dict *
web_page(struct web *w, const char *title, const char *file)
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
		banner(w);
	}
	flash(w);
	w->content = tmpl_include(w->page, "CONTENT", file);
	return w->content;
}

void
web_render(struct web *w, int status)
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
web_error(struct web *w, int status, const char *fmt, ...)
{
	struct tmpl_dict	*d;
	struct buf		 b = BUF_INIT;
	va_list			 ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	d = web_page(w, status == 404 ? "Not found" : "Sorry", "error.tpl");
	tmpl_set(d, "MESSAGE", b.data);
	tmpl_set_int(d, "STATUS", status);
	buf_release(&b);
	web_render(w, status);
}

int
web_csrf_ok(struct web *w)
{
	const char	*got = req_form(w->r, "_csrf");
	size_t		 n = strlen(w->csrf), i;
	unsigned char	 d = 0;

	if (got != NULL && strlen(got) == n && n > 0) {
		for (i = 0; i < n; i++)
			d |= (unsigned char)(got[i] ^ w->csrf[i]);
		if (d == 0)
			return 1;
	}
	web_error(w, 403, "This form has expired or did not come from this site. Reload the "
	    "page and try again.");
	return 0;
}

void
web_csrf(struct web *w, struct tmpl_dict *d)
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
web_relative(struct buf *b, int64_t now, int64_t t)
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
web_local(struct buf *b, const struct tz *z, int64_t t)
{
	static const char *const wd[7] = { "Sun ", "Mon ", "Tue ", "Wed ", "Thu ", "Fri ",
	    "Sat " };
	static const char *const mo[13] = { "", " Jan ", " Feb ", " Mar ", " Apr ", " May ",
	    " Jun ", " Jul ", " Aug ", " Sep ", " Oct ", " Nov ", " Dec " };
	struct tz_span	 sp;
	struct cal_tm	 tm;

	tz_span(z, t, &sp);
	cal_split(t + sp.off, &tm);
	buf_addstr(b, wd[tm.wday % 7]);
	put_num(b, tm.mday, 1);
	buf_addstr(b, mo[tm.mon % 13]);
	put_num(b, tm.year, 1);
	buf_addstr(b, ", ");
	put_num(b, tm.hour, 2);
	buf_addch(b, ':');
	put_num(b, tm.min, 2);
	buf_addch(b, ' ');
	buf_addstr(b, sp.abbr);
}
