/*
 * autosched: the job service. One function per change to a job, each the only way that
 * change is made, whichever door it came through (docs/DECISIONS.md, "One job service"):
 *
 *   1. validate (job_apply), reporting every bad field;
 *   2. write in one transaction (BEGIN IMMEDIATE: the read that decides and the write are
 *      not separated by another writer, schedd's included);
 *   3. after the commit, one audit line in the log, "audit: WHO VERB job ID (NAME) via
 *      DOOR", and the nudge that makes schedd look at the database now.
 *
 * A refused change writes nothing, logs nothing and nudges nobody.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jobs.h"

#define CREATED_BY_MAX	256	/* bytes of an imported created_by, as sign-in and key names */

enum jobs_res
jobs_res_of(enum db_res r)
{
	switch (r) {
	case DB_OK:
		return JOBS_OK;
	case DB_NOTFOUND:
		return JOBS_NOTFOUND;
	case DB_BUSY:
		return JOBS_DB_BUSY;
	case DB_CONFLICT:
	case DB_ERR:
	default:
		return JOBS_DB_ERR;
	}
}

/* The audit line of a change that was committed. */
static void
audit(const struct jobs_ctx *ctx, const char *verb, const struct job *j, const char *run_id)
{
	if (run_id != NULL)
		log_info("audit: %s %s job %s (%s) via %s: run %s", ctx->who ? ctx->who : "-",
		    verb, j->id, j->name, ctx->door, run_id);
	else
		log_info("audit: %s %s job %s (%s) via %s", ctx->who ? ctx->who : "-", verb,
		    j->id, j->name, ctx->door);
}

static void
nudge(const struct jobs_ctx *ctx)
{
	notify_send(ctx->conf->schedd.notify_socket);
}

/* Commits, or rolls back and says why not. */
static enum jobs_res
commit(const struct jobs_ctx *ctx)
{
	enum db_res	 r = db_commit(ctx->db);

	if (r != DB_OK)
		db_rollback(ctx->db);
	return jobs_res_of(r);
}

/*
 * Commits the change `verb` to job *j, then logs it and nudges schedd. When the commit
 * fails, *j is released.
 */
static enum jobs_res
commit_change(const struct jobs_ctx *ctx, const char *verb, struct job *j)
{
	enum jobs_res	 res;

	if ((res = commit(ctx)) != JOBS_OK) {
		job_release(j);
		return res;
	}
	audit(ctx, verb, j, NULL);
	nudge(ctx);
	return JOBS_OK;
}

enum jobs_res
jobs_create(const struct jobs_ctx *ctx, const json_t *doc, struct job *out,
    struct verrs *errs)
{
	enum db_res	 r;

	job_defaults(out);
	uuid_v4(out->id);
	out->created_by = ctx->who ? xstrdup(ctx->who) : NULL;
	if (job_apply(out, doc, JOB_APPLY_CREATE, ctx->conf, ctx->now, errs) == -1 || errs->n > 0) {
		job_release(out);
		return JOBS_INVALID;
	}
	if ((r = db_job_insert(ctx->db, out)) != DB_OK) {
		job_release(out);
		return jobs_res_of(r);
	}
	audit(ctx, "created", out, NULL);
	nudge(ctx);
	return JOBS_OK;
}

/*
 * Applies doc to job id inside one write transaction, so that schedd's own updates of the
 * row (next_run_at, last_run_*) are not lost; verb names the change in the audit line
 * (NULL: "enabled" or "disabled", as the job ends up).
 */
static enum jobs_res
update(const struct jobs_ctx *ctx, const char *id, const json_t *doc, const char *verb,
    struct job *out, struct verrs *errs)
{
	enum db_res	 r;
	int		 bad;

	memset(out, 0, sizeof(*out));
	if ((r = db_begin(ctx->db)) != DB_OK)
		return jobs_res_of(r);
	if ((r = db_job_get(ctx->db, id, out)) != DB_OK) {
		db_rollback(ctx->db);
		return jobs_res_of(r);
	}
	bad = job_apply(out, doc, 0, ctx->conf, ctx->now, errs) == -1 || errs->n > 0;
	if (bad) {
		/* job_apply left the job as stored */
		db_rollback(ctx->db);
		return JOBS_INVALID;
	}
	if ((r = db_job_update(ctx->db, out)) != DB_OK) {
		db_rollback(ctx->db);
		job_release(out);
		return jobs_res_of(r);
	}
	return commit_change(ctx, verb != NULL ? verb : out->enabled ? "enabled" : "disabled",
	    out);
}

enum jobs_res
jobs_update(const struct jobs_ctx *ctx, const char *id, const json_t *doc, struct job *out,
    struct verrs *errs)
{
	return update(ctx, id, doc, "updated", out, errs);
}

enum jobs_res
jobs_set_enabled(const struct jobs_ctx *ctx, const char *id, int enabled, struct job *out,
    struct verrs *errs)
{
	enum jobs_res	 res;
	json_t		*doc = json_pack("{s:b}", "enabled", enabled != 0);

	res = update(ctx, id, doc, NULL, out, errs);
	json_decref(doc);
	return res;
}

/* Why job j may not run now (a pause), into why. Returns 1 when it may not, else 0. */
static int
held(const struct jobs_ctx *ctx, const struct job *j, struct buf *why)
{
	struct pause		*p;
	const struct pause	*c;
	size_t			 n, i;
	int			 rc = 0;

	if (j->paused) {
		buf_addf(why, "Job %s is paused: %s. Resume it, or send {\"force\": true}",
		    j->id, j->paused_reason ? j->paused_reason : "paused");
		return 1;
	}
	if (db_pauses(ctx->db, ctx->now, &p, &n) != DB_OK)
		return 0;
	if ((c = pause_covering(p, n, j->bot_type)) != NULL) {
		pause_describe(c, why);
		buf_addstr(why, ". Resume it, or send {\"force\": true}");
		rc = 1;
	}
	for (i = 0; i < n; i++)
		pause_release(&p[i]);
	free(p);
	return rc;
}

enum jobs_res
jobs_set_paused(const struct jobs_ctx *ctx, const char *id, int paused, struct job *out,
    struct verrs *errs)
{
	enum jobs_res	 res;
	json_t		*doc = json_pack("{s:b}", "paused", paused != 0);

	res = update(ctx, id, doc, paused ? "paused" : "resumed", out, errs);
	json_decref(doc);
	return res;
}

enum jobs_res
jobs_run_now(const struct jobs_ctx *ctx, const char *id, int force, char *run_id,
    struct job *out, int64_t *inflight, struct buf *why)
{
	struct buf	 dummy = BUF_INIT;
	enum db_res	 r;

	*inflight = 0;
	if ((r = db_job_get(ctx->db, id, out)) != DB_OK) {
		memset(out, 0, sizeof(*out));
		return jobs_res_of(r);
	}
	if (!force && held(ctx, out, why ? why : &dummy)) {
		buf_release(&dummy);
		return JOBS_PAUSED;
	}
	switch ((r = db_run_manual(ctx->db, out->id, ctx->now, run_id, inflight))) {
	case DB_OK:
		audit(ctx, "ran", out, run_id);
		nudge(ctx);
		return JOBS_OK;
	case DB_CONFLICT:
		return JOBS_AT_LIMIT;
	default:
		job_release(out);
		return jobs_res_of(r);
	}
}

/*
 * Waits for schedd to take job id's queued runs back out of Redis (the nudge woke it), up to
 * ctx->withdraw_wait_ms. Returns how many are left.
 */
static int64_t
withdrawn(const struct jobs_ctx *ctx, const char *id)
{
	struct timespec	 start, now, pause = { 0, 20 * 1000000L };
	int64_t		 left = 0, wait = ctx->withdraw_wait_ms > 0 ? ctx->withdraw_wait_ms :
			    JOBS_WITHDRAW_WAIT_MS;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (db_withdrawals_queued(ctx->db, id, &left) != DB_OK || left == 0)
			return left;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 >=
		    wait)
			return left;
		nanosleep(&pause, NULL);
	}
}

enum jobs_res
jobs_delete(const struct jobs_ctx *ctx, const char *id, struct job *out,
    int64_t *withdrawing)
{
	enum db_res	 r;
	enum jobs_res	 res;

	memset(out, 0, sizeof(*out));
	if ((r = db_begin(ctx->db)) != DB_OK)
		return jobs_res_of(r);
	if ((r = db_job_get(ctx->db, id, out)) != DB_OK ||
	    (r = db_job_delete(ctx->db, out->id, ctx->now)) != DB_OK) {
		db_rollback(ctx->db);
		job_release(out);
		return jobs_res_of(r);
	}
	*withdrawing = 0;
	if ((res = commit_change(ctx, "deleted", out)) == JOBS_OK)
		*withdrawing = withdrawn(ctx, out->id);
	return res;
}

/* Imports */

void
jobs_check(const struct jobs_ctx *ctx, struct jobs_item *it, struct verrs *e)
{
	const json_t	*v;
	struct cal_iso	 iso;
	int64_t		 created = TIME_NONE;
	const char	*s;

	job_defaults(&it->job);
	if (!json_is_object(it->doc)) {
		verrs_addt(e, "type_error.dict", "", "must be a JSON object");
		return;
	}
	if ((v = json_object_get(it->doc, "id")) != NULL && !json_is_null(v)) {
		if (!json_is_string(v) || uuid_canon(json_string_value(v), it->job.id) == -1)
			verrs_add(e, "id", "must be a UUID such as "
			    "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11");
		else
			it->has_id = 1;
	}
	if ((v = json_object_get(it->doc, "created_at")) != NULL && !json_is_null(v)) {
		if (!json_is_string(v) || cal_parse_iso(json_string_value(v), &iso) == -1 ||
		    !iso.has_off || (created = cal_join(&iso.tm) - iso.off) < CAL_MIN_TIME ||
		    created > CAL_MAX_TIME)
			verrs_add(e, "created_at", "must be a date-time such as "
			    "2026-11-28T14:00:00Z");
	}
	if ((v = json_object_get(it->doc, "created_by")) != NULL && !json_is_null(v)) {
		s = json_string_value(v);
		if (!json_is_string(v) || *s == '\0' || strlen(s) > CREATED_BY_MAX ||
		    strlen(s) != json_string_length(v) || utf8_has_control(s))
			verrs_add(e, "created_by", "must be null or 1 to %d bytes of text without "
			    "control characters", CREATED_BY_MAX);
		else
			it->job.created_by = xstrdup(s);
	}
	if (job_apply(&it->job, it->doc, JOB_APPLY_CREATE | JOB_APPLY_RESTORE, ctx->conf, ctx->now, e) == 0 &&
	    created != TIME_NONE)
		it->job.created_at = created;
}

static void
set_default(json_t *doc, const char *key, json_t *v)
{
	if (json_object_get(doc, key) == NULL)
		json_object_set_new(doc, key, v);
	else
		json_decref(v);
}

/*
 * The document with every writable field, the absent ones at their defaults: applied as a
 * PUT to an existing job, it replaces the job's settings, while an unchanged schedule keeps
 * its next run (and an interval its anchor), as PUT /jobs/{id} does. Returns new.
 */
static json_t *
replacement(const json_t *doc, const struct conf *c)
{
	struct job	 d;
	json_t		*full = json_copy((json_t *)doc);

	job_defaults(&d);
	set_default(full, "description", json_null());
	set_default(full, "enabled", json_boolean(d.enabled));
	set_default(full, "schedule_config", json_object());
	set_default(full, "bot_config", json_object());
	set_default(full, "timezone", json_string(c->default_tz));
	set_default(full, "max_instances", json_integer(d.max_instances));
	set_default(full, "misfire_grace_time", json_integer(d.misfire_grace_time));
	set_default(full, "coalesce", json_boolean(d.coalesce));
	return full;
}

/* Replaces the stored job it->job.id with it's document. Returns DB_OK or the failure. */
static enum db_res
import_replace(const struct jobs_ctx *ctx, struct jobs_item *it, struct job *old)
{
	json_t		*full = replacement(it->doc, ctx->conf);
	enum db_res	 r = DB_OK;

	if (job_apply(old, full, JOB_APPLY_RESTORE, ctx->conf, ctx->now, &it->errs) == -1)
		it->res = JOBS_INVALID;
	else if ((r = db_job_update(ctx->db, old)) == DB_OK)
		it->replaced = 1;
	json_decref(full);
	return r;
}

enum jobs_res
jobs_import(const struct jobs_ctx *ctx, struct jobs_item *items, size_t n, int replace)
{
	struct jobs_item *it;
	struct job	 old;
	enum db_res	 r;
	enum jobs_res	 res;
	size_t		 i, bad = 0;

	if ((r = db_begin(ctx->db)) != DB_OK)
		return jobs_res_of(r);
	for (i = 0; i < n; i++) {
		it = &items[i];
		it->res = JOBS_OK;
		it->replaced = 0;
		r = DB_NOTFOUND;
		if (!it->has_id)
			uuid_v4(it->job.id);
		else if ((r = db_job_get(ctx->db, it->job.id, &old)) == DB_OK) {
			if (!replace)
				it->res = JOBS_EXISTS;
			else
				r = import_replace(ctx, it, &old);
			job_release(&old);
			bad += it->res != JOBS_OK;
			if (r != DB_OK)
				goto fail;
			continue;
		}
		if (r != DB_NOTFOUND)
			goto fail;
		if ((r = db_job_insert(ctx->db, &it->job)) == DB_CONFLICT) {
			it->res = JOBS_EXISTS;	/* its id was taken meanwhile */
			bad++;
		} else if (r != DB_OK)
			goto fail;
	}
	if (bad > 0) {
		db_rollback(ctx->db);
		return JOBS_INVALID;
	}
	if ((res = commit(ctx)) != JOBS_OK)
		return res;
	for (i = 0; i < n; i++)
		audit(ctx, items[i].replaced ? "replaced" : "created", &items[i].job, NULL);
	nudge(ctx);
	return JOBS_OK;
fail:
	db_rollback(ctx->db);
	return jobs_res_of(r);
}

void
jobs_item_release(struct jobs_item *it)
{
	job_release(&it->job);
	verrs_release(&it->errs);
}
