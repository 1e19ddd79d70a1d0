/*
 * autosched: what the dashboard's pages share: the request as a page sees it (struct web),
 * the helpers that build a page around the templates (html.c: layout, banner, flash, error
 * pages, CSRF, dates for people) and the session (session.c). The pages themselves are in
 * pages.h; web.c routes to them.
 */
#ifndef HTML_H
#define HTML_H

#include "cgi.h"
#include "plan.h"
#include "tmpl.h"

#define WEB_PAGE_JOBS		25	/* jobs per page of the list, unless ?per_page= */
#define WEB_MAX_PAGE_JOBS	100
#define WEB_PAGE_RUNS		20	/* runs per page of a job's history */
#define WEB_CHART_RUNS		30	/* runs in a job's chart */
#define WEB_NEXT_RUNS		5	/* next runs shown */
#define LOGIN_MAX_FAILURES	5	/* per (user name, address) within LOGIN_WINDOW */
#define LOGIN_MAX_IP_FAILURES	20	/* per address within LOGIN_WINDOW */
#define LOGIN_WINDOW		(15 * 60)
#define LOGIN_DELAY_MS		100	/* per user name past LOGIN_MAX_FAILURES, doubling */
#define LOGIN_DELAY_MAX_MS	1000
#define SESSION_COOKIE		"autosched_session"
#define LOGIN_COOKIE		"autosched_login"
/* What a job at max_instances is said to be, after its name. */
#define HTML_AT_LIMIT		"is already running as many times as it may (max_instances)"

/* One dashboard request: who is signed in, and the page being built. */
struct web {
	struct req		*r;
	int			 signed_in;
	char			 user[AUTH_NAME_LEN];
	char			 csrf[AUTH_TOKEN_LEN];
	struct tmpl_dict	*page;		/* the layout's dictionary */
	struct tmpl_dict	*content;	/* the page's own (borrowed from page) */
	char			*banner;	/* html_banner's text ("": none), once read */
};

/* html.c */
/*
 * Starts a page: the layout with title, the signed-in user, the banner when the scheduler
 * or Redis is down, and the flash message named by ?done=. Returns the page's own
 * dictionary (borrowed), which renders template `file` inside the layout.
 */
struct tmpl_dict *html_page(struct web *, const char *title, const char *file);
/*
 * The banner's text ("" for none), read once a request: the scheduler or Redis down, and
 * since when; else the workers behind (the oldest queued run waiting longer than
 * workers_behind_after), and by how much.
 */
const char	*html_banner(struct web *);
/* Renders the page begun by html_page with status. */
void		 html_render(struct web *, int status);
/* An error page (404, 403, 503 ...) with a sentence for people. */
void		 html_error(struct web *, int status, const char *fmt, ...) APP_PRINTF(3, 4);
/*
 * The error page of a failure, with req_status()'s status: the job is not there (404), the
 * store is busy (503), or anything else (500: the log says what).
 */
void		 html_fail(struct web *, enum jobs_res);
/*
 * Writes job id of a path in canonical form into lower[UUID_LEN]. Ids are UUIDs: for
 * anything else, answers 404 and returns -1.
 */
int		 html_job_id(struct web *, const char *id, char *lower);
/* Loads job id (any case) into *j, or answers html_fail and returns -1. */
int		 html_load_job(struct web *, const char *id, struct job *j);
/*
 * What disabling job j leaves, as a sentence to follow "Disabled ..." (a static buffer): it
 * fires no more, but the runs it had already made (pending, queued or running) still run,
 * as a manual run of a disabled job does; deleting the job is what takes them back.
 */
const char	*html_disabled_note(struct web *, const struct job *j);
/* Whether the posted form carries this session's CSRF token (answers 403 if not). */
int		 html_csrf_ok(struct web *);
/* Adds the hidden CSRF field's value to d as CSRF. */
void		 html_csrf(struct web *, struct tmpl_dict *d);
/* "in 3 h", "5 min ago": t relative to now. Appends to b. */
void		 html_relative(struct buf *b, int64_t now, int64_t t);
/* "42 s", "6 min 05 s", "2 h 03 min": a duration of s seconds. Appends to b. */
void		 html_duration(struct buf *b, int64_t s);
/* "Sun 29 Mar 2026, 03:00 CEST": t in zone z. Appends to b. */
void		 html_local(struct buf *b, const struct tz *z, int64_t t);
/*
 * Redirects after an action: to the posted "back" page when it is local, else def, with
 * ?done=code (and &job=id when not NULL) for the flash.
 */
void		 html_done(struct web *, const char *def, const char *code, const char *id);
/* Appends the wall-clock time of t in z: "09:07", or "09:07:12". */
void		 html_clock(struct buf *b, const struct tz *z, int64_t t);
/* Whether the request asks for JSON (fetch from app.js). */
int		 html_wants_json(const struct web *);
/* Appends "&name=value" (or "?name=value" first) to a URL when value is set. */
void		 html_query_add(struct buf *b, const char *name, const char *value);
/* Sets iso_key (the instant in ISO 8601), LOCAL and REL of d for instant t in zone z. */
void		 html_when(struct web *, struct tmpl_dict *d, const struct tz *z, int64_t t,
		    const char *iso_key);
/*
 * Adds up to `count` RUN sections (AT, LOCAL, REL, DST, JITTER) to list: p's planned fires
 * after from. The one at nominal time `drawn_for` shows `drawn` (a stored next_run_at) as
 * its planned instant; the others their jitter's spread. Returns how many.
 */
size_t		 html_next_runs(struct web *, struct tmpl_dict *list, const struct plan *p,
		    int64_t from, int64_t drawn_for, int64_t drawn, int count);
/* Adds a `section` (VALUE, LABEL, SEL when it is sel) to d for each of n options. */
void		 html_options(struct tmpl_dict *d, const char *section,
		    const char *const (*opts)[2], size_t n, const char *sel);
/* The job's zone (UTC when it cannot be read). */
const struct tz	*html_job_tz(const struct job *);
/* The job service on behalf of the user signed in. */
struct jobs_ctx	 html_jobs_ctx(struct web *);

/* session.c */
/* Reads the session cookie (or REMOTE_USER, when trusted) into w. Returns 0 or -1. */
int		 session_read(struct web *);
/* Starts a session for user: a cookie, and its row. Returns 0, or -1 (answered). */
int		 session_start(struct web *, const char *user);
/* Ends the session of the request's cookie, and the cookie. */
void		 session_end(struct web *);
/*
 * Sets cookie `base` to value for max_age seconds (0: delete it): HttpOnly, SameSite=Strict,
 * under the mount point; over HTTPS (or with [web] secure_cookies) Secure and named
 * "__Host-" + base, with Path=/ as that prefix requires.
 */
void		 session_cookie(struct web *, const char *base, const char *value,
		    int64_t max_age);
/* The value of cookie `base` as session_cookie names it here (new), or NULL. */
char		*session_cookie_get(struct web *, const char *base);

#endif /* HTML_H */
