/*
 * autosched: schedd's part of the guardrails (SPEC §9): the pauses of the kill switch in
 * force (read once a pass, ended when their time comes), jobs resumed when their
 * paused_until comes, and what a run's end means for its job: a failure in a row more, a
 * success that forgets them, the pause after too many, or a pause the bot asked for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedd.h"

/* The longest pause a bot may ask for. */
#define BOT_PAUSE_MAX	(30 * 86400)
#define RESUME_BATCH	100

static void
forget_pauses(struct schedd *sd)
{
	size_t	 i;

	for (i = 0; i < sd->npauses; i++)
		pause_release(&sd->pauses[i]);
	free(sd->pauses);
	sd->pauses = NULL;
	sd->npauses = 0;
}

void
guard_release(struct schedd *sd)
{
	forget_pauses(sd);
}

void
guard_pass(struct schedd *sd, int64_t now)
{
	struct jobs_ctx	 ctx = { sd->db, &sd->conf, "schedd", "schedd", now, 0 };
	struct pause	*ended;
	struct verrs	 e = VERRS_INIT;
	struct job	 j;
	struct buf	 b = BUF_INIT;
	char		(*ids)[UUID_LEN];
	size_t		 n, i;

	if (db_pauses_end(sd->db, now, &ended, &n) == DB_OK) {
		for (i = 0; i < n; i++) {
			buf_reset(&b);
			pause_describe(&ended[i], &b);
			log_info("pause %s is over (%s)", ended[i].id, b.data);
			pause_release(&ended[i]);
		}
		free(ended);
	}
	if (db_jobs_to_resume(sd->db, now, RESUME_BATCH, &ids, &n) == DB_OK) {
		for (i = 0; i < n; i++) {
			if (jobs_set_paused(&ctx, ids[i], 0, &j, &e) == JOBS_OK) {
				job_release(&j);
				continue;
			}
			/* cannot fire again (its schedule is over): paused until resumed by hand */
			log_warnx("job '%s': its pause is over but it cannot be resumed%s%s; it "
			    "stays paused", ids[i], e.n ? ": " : "", e.n ? e.v[0].msg : "");
			if (j.id[0])
				job_release(&j);
			verrs_release(&e);
			db_job_keep_paused(sd->db, ids[i]);
		}
		free(ids);
	}
	forget_pauses(sd);
	if (db_pauses(sd->db, now, &sd->pauses, &sd->npauses) != DB_OK) {
		sd->pauses = NULL;
		sd->npauses = 0;
	}
	buf_release(&b);
}

const struct pause *
guard_covering(const struct schedd *sd, const char *bot_type)
{
	return pause_covering(sd->pauses, sd->npauses, bot_type);
}

char *
guard_skip_message(const struct pause *p, const char *what)
{
	struct buf	 b = BUF_INIT;

	buf_addf(&b, "%s: ", what);
	pause_describe(p, &b);
	return buf_detach(&b);
}

/* A pause the bot asked for in its result: {"autosched_pause": {"seconds", "scope", "reason"}}. */
static void
bot_pause(struct schedd *sd, const struct open_run *o, const struct run *r, int64_t now)
{
	json_t		*res, *ask, *v;
	const char	*scope = "job", *reason = NULL;
	int64_t		 seconds, changed = 0;
	char		*why, until[CAL_ISO_LEN];

	if (r->result == NULL || strstr(r->result, "\"autosched_pause\"") == NULL ||
	    (res = json_loads(r->result, 0, NULL)) == NULL)
		return;
	ask = json_object_get(res, "autosched_pause");
	if (!json_is_object(ask) || !json_is_integer(v = json_object_get(ask, "seconds")) ||
	    json_integer_value(v) < 1) {
		log_warnx("run '%s' of job '%s': autosched_pause must be {\"seconds\": N (1 to "
		    "%d), \"scope\": \"job\" or \"bot_type\", \"reason\": TEXT}; ignored", r->id,
		    r->job_id, BOT_PAUSE_MAX);
		json_decref(res);
		return;
	}
	seconds = json_integer_value(v) > BOT_PAUSE_MAX ? BOT_PAUSE_MAX : json_integer_value(v);
	if (json_is_string(v = json_object_get(ask, "scope")))
		scope = json_string_value(v);
	if (json_is_string(v = json_object_get(ask, "reason")) && !utf8_has_control(
	    json_string_value(v)))
		reason = json_string_value(v);
	if (strcmp(scope, "job") != 0 && strcmp(scope, "bot_type") != 0) {
		log_warnx("run '%s': autosched_pause scope '%.40s' is neither job nor bot_type; "
		    "the job alone is paused", r->id, scope);
		scope = "job";
	}
	cal_iso((time_t)(now + seconds), until);
	why = xasprintf("The bot asked for a pause%s until %s%s%.300s", strcmp(scope,
	    "bot_type") == 0 ? " of every job of its type" : "", until, reason ? ": " : "",
	    reason ? reason : "");
	if (db_jobs_pause_until(sd->db, o->job_num, strcmp(scope, "bot_type") == 0 ?
	    o->bot_type : NULL, why, now, now + seconds, &changed) == DB_OK && changed > 0)
		log_info("audit: schedd paused %lld job%s (%s %s) via schedd: %s", (long long)changed,
		    changed == 1 ? "" : "s", strcmp(scope, "bot_type") == 0 ? "bot type" : "job",
		    strcmp(scope, "bot_type") == 0 ? o->bot_type : r->job_id, why);
	free(why);
	json_decref(res);
}

enum db_res
guard_ended(struct schedd *sd, const struct open_run *o, const struct run *r, int64_t now)
{
	enum db_res	 res;
	int		 paused = 0;

	if (!run_status_ended(r->status))
		return DB_OK;
	res = db_job_ended(sd->db, r->job_num, run_status_name(r->status), o->manual ?
	    "manual" : "schedule", r->error, now, &paused);
	if (res != DB_OK)
		return res;
	if (paused)
		log_info("audit: schedd paused job %s via schedd: too many failed runs in a row "
		    "(the last: %s)", r->job_id, r->error ? r->error : "no message");
	if (r->status == RUN_SUCCESS)
		bot_pause(sd, o, r, now);
	return DB_OK;
}
