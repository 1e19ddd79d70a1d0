/*
 * autosched: the dashboard (SPEC §6), a FastCGI program of server-rendered pages: its
 * routes, and nothing else (the pages are in page_*.c, what they share in html.c).
 *
 * Routing is a table on PATH_INFO, as in the API, so it works at any mount point (the
 * plan's is /automation). Every page but sign-in needs a session: signed out, a page is
 * redirected to sign-in and comes back after it. Every POST carries the session's CSRF
 * token. Forms post, then redirect, then the browser GETs the result (POST-redirect-GET),
 * so everything works without JavaScript; static/app.js only makes it nicer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"

static int	web_init(struct app *);
static void	web_serve(struct req *);

const struct program program = { "autosched-web", web_init, web_serve };

static const char *const templates[] = {
	"layout.tpl", "jobs.tpl", "job.tpl", "job_form.tpl", "confirm.tpl", "login.tpl",
	"error.tpl", NULL
};

typedef void	(*page_fn)(struct web *, const char *id);

enum wpage {
	WP_LIST,
	WP_LOGIN,
	WP_LOGOUT,
	WP_JOB_NEW,
	WP_JOBS,
	WP_JOB,
	WP_JOB_EDIT,
	WP_JOB_TOGGLE,
	WP_JOB_RUN,
	WP_JOB_DELETE,
	WP_PREVIEW,
	WP_JOB_RESUME,
	WP_PAUSES,
	WP_PAUSE_RESUME,
	WP__MAX
};

/* What a route asks of the request before its handler runs. */
#define WR_OPEN		0x01	/* no session needed */
#define WR_NO_CSRF	0x02	/* its POST carries no session's CSRF token (sign-in's own) */
#define WR_DATA		0x04	/* not a page: signed out, a 403 rather than a redirect */

static const struct wroute {
	const char	*pattern;	/* segments; "*" is the job id; "" is the mount itself */
	int		 flags;		/* WR_* */
	page_fn		 get, post;	/* NULL: method not allowed */
} wroutes[WP__MAX] = {
	[WP_LIST] = { "", 0, page_list_show, NULL },
	[WP_LOGIN] = { "login", WR_OPEN | WR_NO_CSRF, page_login_show, page_login_post },
	[WP_LOGOUT] = { "logout", 0, NULL, page_login_logout },
	[WP_JOB_NEW] = { "jobs/new", 0, page_form_new, NULL },
	[WP_JOBS] = { "jobs", 0, NULL, page_form_create },
	[WP_JOB] = { "jobs/*", 0, page_job_show, page_form_update },
	[WP_JOB_EDIT] = { "jobs/*/edit", 0, page_form_edit, NULL },
	[WP_JOB_TOGGLE] = { "jobs/*/toggle", 0, NULL, page_job_toggle },
	[WP_JOB_RUN] = { "jobs/*/run", 0, NULL, page_job_run },
	[WP_JOB_DELETE] = { "jobs/*/delete", 0, page_job_delete_confirm, page_job_delete },
	[WP_PREVIEW] = { "preview.json", WR_DATA, page_form_preview, NULL },
	[WP_JOB_RESUME] = { "jobs/*/resume", 0, NULL, page_job_resume },
	[WP_PAUSES] = { "pauses", 0, NULL, page_pause_create },
	[WP_PAUSE_RESUME] = { "pauses/*/resume", 0, NULL, page_pause_resume },
};

static int
web_init(struct app *app)
{
	size_t	 n;

	if (tmpl_init(app->conf.web.templates, templates) == -1)
		return -1;
	/* the form's zone list, read once before the first request */
	(void)tz_zones(&n);
	return 0;
}

/* Signed out: a page comes back here after signing in; anything else is refused. */
static void
signed_out(struct web *w, const struct wroute *rt)
{
	struct req	*r = w->r;
	const char	*q = req_env(r, "QUERY_STRING");
	struct buf	 next = BUF_INIT, enc = BUF_INIT;

	if (r->mbit != M_GET || (rt->flags & WR_DATA)) {
		html_error(w, 403, "Your session has ended. Sign in again, then retry.");
		return;
	}
	buf_addf(&next, "%s%s%s", *r->path ? r->path : "/", q && *q ? "?" : "", q ? q : "");
	req_url_encode(&enc, next.data);
	req_redirect(r, "/login?next=%s", enc.data);
	buf_release(&next);
	buf_release(&enc);
}

static void
web_serve(struct req *r)
{
	const struct wroute *rt = NULL;
	struct web	 w;
	char		 id[REQ_MAX_ID + 1] = "";
	int		 i;
	page_fn		 fn;

	memset(&w, 0, sizeof(w));
	w.r = r;
	r->content_type = "text/html; charset=utf-8";
	for (i = 0; i < WP__MAX && rt == NULL; i++)
		if (req_route(wroutes[i].pattern, r->path, id))
			rt = &wroutes[i];
	if (rt == NULL) {
		html_error(&w, 404, "There is no such page.");
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
	if (session_read(&w) == -1 && !(rt->flags & WR_OPEN)) {
		signed_out(&w, rt);
		goto out;
	}
	/* every POST but signing in carries the session's CSRF token */
	if (r->mbit == M_POST && !(rt->flags & WR_NO_CSRF) &&
	    (req_parse_form(r) == -1 || !html_csrf_ok(&w)))
		goto out;
	fn(&w, id);
out:
	if (w.page)
		tmpl_dict_free(w.page);
	free(w.banner);
}
