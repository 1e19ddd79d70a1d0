/*
 * autosched: what the dashboard's files share (web.c: routes, sign-in, pages;
 * page_jobs.c: the job pages; page_login.c: signing in and out).
 */
#ifndef WEB_H
#define WEB_H

#include "cgi.h"
#include "tmpl.h"

#define WEB_PAGE_JOBS		25	/* jobs per page of the list, unless ?per_page= */
#define WEB_MAX_PAGE_JOBS	100
#define WEB_PAGE_RUNS		20	/* runs per page of a job's history */
#define WEB_CHART_RUNS		30	/* runs in a job's chart */
#define WEB_NEXT_RUNS		5	/* next runs shown */
#define LOGIN_MAX_FAILURES	5	/* per user name within LOGIN_WINDOW */
#define LOGIN_MAX_IP_FAILURES	20	/* per address within LOGIN_WINDOW */
#define LOGIN_WINDOW		(15 * 60)
#define SESSION_COOKIE		"autosched_session"
#define LOGIN_COOKIE		"autosched_login"

/* One dashboard request: who is signed in, and the page being built. */
struct web {
	struct req		*r;
	int			 signed_in;
	char			 user[256];
	char			 csrf[64];
	struct tmpl_dict	*page;		/* the layout's dictionary */
	struct tmpl_dict	*content;	/* the page's own (borrowed from page) */
};

/* web.c */
/*
 * Starts a page: the layout with title, the signed-in user, the banner when the scheduler
 * or Redis is down, and the flash message named by ?done=. Returns the page's own
 * dictionary (borrowed), which renders template `file` inside the layout.
 */
struct tmpl_dict *web_page(struct web *, const char *title, const char *file);
/* Renders the page begun by web_page with status. */
void		 web_render(struct web *, int status);
/* An error page (404, 403, 503 ...) with a sentence for people. */
void		 web_error(struct web *, int status, const char *fmt, ...) APP_PRINTF(3, 4);
/* Whether the posted form carries this session's CSRF token (answers 403 if not). */
int		 web_csrf_ok(struct web *);
/* Adds the hidden CSRF field's value to d as CSRF. */
void		 web_csrf(struct web *, struct tmpl_dict *d);
/* "in 3 h", "5 min ago": t relative to now. Appends to b. */
void		 web_relative(struct buf *b, int64_t now, int64_t t);
/* "Sun 29 Mar 2026, 03:00 CEST": t in zone z. Appends to b. */
void		 web_local(struct buf *b, const struct tz *z, int64_t t);
/* Marks the request as wanting JSON (fetch from app.js). */
int		 web_wants_json(const struct web *);

/* page_jobs.c */
void		 page_jobs(struct web *, const char *id);
void		 page_job_new(struct web *, const char *id);
void		 page_job_create(struct web *, const char *id);
void		 page_job(struct web *, const char *id);
void		 page_job_edit(struct web *, const char *id);
void		 page_job_update(struct web *, const char *id);
void		 page_job_toggle(struct web *, const char *id);
void		 page_job_run(struct web *, const char *id);
void		 page_job_delete_confirm(struct web *, const char *id);
void		 page_job_delete(struct web *, const char *id);
void		 page_preview(struct web *, const char *id);
int		 page_jobs_init(struct app *);

/* page_login.c */
void		 page_login(struct web *, const char *id);
void		 page_login_post(struct web *, const char *id);
void		 page_logout(struct web *, const char *id);
/* Reads the session cookie (or REMOTE_USER, when trusted) into w. Returns 0 or -1. */
int		 web_session(struct web *);

#endif
