/*
 * autosched: the dashboard's pages, each a handler web.c routes to. A handler gets the
 * request as struct web and the job id of the path ("" when the route has none), builds
 * its page with html.c, and answers; one file per page: page_list.c (the job list),
 * page_form.c (new and edit), page_job.c (a job and its actions), page_login.c.
 */
#ifndef PAGES_H
#define PAGES_H

#include "html.h"

/* page_list.c */
void		 page_list_show(struct web *, const char *id);

/* page_form.c */
void		 page_form_new(struct web *, const char *id);
void		 page_form_create(struct web *, const char *id);
void		 page_form_edit(struct web *, const char *id);
void		 page_form_update(struct web *, const char *id);
/* The form's live preview (JSON, as GET /preview of the API). */
void		 page_form_preview(struct web *, const char *id);

/* page_job.c */
void		 page_job_show(struct web *, const char *id);
void		 page_job_toggle(struct web *, const char *id);
void		 page_job_run(struct web *, const char *id);
void		 page_job_resume(struct web *, const char *id);
void		 page_job_delete_confirm(struct web *, const char *id);
void		 page_job_delete(struct web *, const char *id);

/* page_pause.c */
void		 page_pause_create(struct web *, const char *id);
void		 page_pause_resume(struct web *, const char *id);

/* page_login.c */
void		 page_login_show(struct web *, const char *id);
void		 page_login_post(struct web *, const char *id);
void		 page_login_logout(struct web *, const char *id);

#endif /* PAGES_H */
