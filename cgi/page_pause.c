/*
 * autosched: the kill switch in the dashboard (SPEC §9): what the Pause form of the jobs
 * list (every bot or one bot type, a note, an optional end) and the Resume button of the
 * banner (html.c shows it on every page while a pause is in force) post.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "pauses.h"

/* POST /pauses: bot_type ("" for every bot), note, until (a wall time in the default zone). */
void
page_pause_create(struct web *w, const char *id)
{
	struct jobs_ctx	 ctx = html_jobs_ctx(w);
	struct verrs	 e = VERRS_INIT;
	struct pause	 p;
	struct cal_iso	 iso;
	const char	*bot = req_form(w->r, "bot_type"), *note = req_form(w->r, "note");
	const char	*until = req_form(w->r, "until");
	const struct tz	*z = tz_get(w->r->app->conf.default_tz, NULL);
	char		 at[CAL_ISO_LEN];
	enum jobs_res	 res;
	json_t		*doc = json_object();

	(void)id;
	if (bot && *bot)
		json_object_set_new(doc, "bot_type", json_string(bot));
	if (note && *note)
		json_object_set_new(doc, "note", json_string(note));
	if (until && *until) {
		/* the form's datetime-local is a wall time in the dashboard's zone */
		if (cal_parse_iso(until, &iso) == 0 && !iso.has_off && z != NULL)
			json_object_set_new(doc, "until", json_string(cal_iso((time_t)
			    tz_from_wall(z, cal_join(&iso.tm)), at)));
		else
			json_object_set_new(doc, "until", json_string(until));
	}
	if ((res = pauses_create(&ctx, doc, &p, &e)) == JOBS_OK) {
		pause_release(&p);
		html_done(w, "/", "pause_on", NULL);
	} else if (res == JOBS_INVALID)
		html_error(w, 422, "%s", e.n ? e.v[0].msg : "The pause is not valid.");
	else
		html_fail(w, res);
	json_decref(doc);
	verrs_release(&e);
}

/* POST /pauses/{id}/resume */
void
page_pause_resume(struct web *w, const char *id)
{
	struct jobs_ctx	 ctx = html_jobs_ctx(w);
	char		 lower[UUID_LEN];
	enum jobs_res	 res;

	if (uuid_canon(id, lower) == -1 || (res = pauses_delete(&ctx, lower)) == JOBS_NOTFOUND)
		html_done(w, "/", "pause_gone", NULL);
	else if (res == JOBS_OK)
		html_done(w, "/", "pause_off", NULL);
	else
		html_fail(w, res);
}
