/*
 * autosched: the kill switch (SPEC §9): pauses of every bot or of one bot type.
 *
 * A pause is a row; schedd reads the pauses in force on every pass and turns the fire
 * times of the jobs they cover into skipped runs that carry the note, so that nothing is
 * owed when the pause ends. A pause with an until ends by itself (schedd deletes it then).
 */
#include <stdlib.h>
#include <string.h>

#include "pauses.h"

static const char *const pause_keys[] = { "bot_type", "note", "until", NULL };

enum jobs_res
pauses_create(const struct jobs_ctx *ctx, const json_t *doc, struct pause *out,
    struct verrs *errs)
{
	const char	*key, *s;
	struct cal_iso	 iso;
	struct pause	 p;
	enum jobs_res	 res;
	json_t		*v;
	size_t		 i, nerr = errs->n;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	p.until = TIME_NONE;
	if (!json_is_object(doc)) {
		verrs_addt(errs, "type_error.dict", "", "the body must be a JSON object");
		return JOBS_INVALID;
	}
	json_object_foreach((json_t *)doc, key, v) {
		for (i = 0; pause_keys[i] && strcmp(pause_keys[i], key) != 0; i++)
			;
		if (pause_keys[i] == NULL)
			verrs_addt(errs, "value_error.extra", key, "extra fields not permitted");
	}
	if ((v = json_object_get(doc, "bot_type")) != NULL && !json_is_null(v)) {
		if (!json_is_string(v))
			verrs_addt(errs, "type_error.str", "bot_type", "must be a bot type or null "
			    "(every bot)");
		else if (conf_bot(ctx->conf, json_string_value(v)) == NULL)
			verrs_add(errs, "bot_type", "is not a configured bot type");
		else
			p.bot_type = (char *)json_string_value(v);
	}
	if ((v = json_object_get(doc, "note")) != NULL && !json_is_null(v)) {
		s = json_string_value(v);
		if (!json_is_string(v))
			verrs_addt(errs, "type_error.str", "note", "must be a string");
		else if (strlen(s) != json_string_length(v) || utf8_has_control(s))
			verrs_add(errs, "note", "must not contain control characters");
		else if (utf8_chars(s) > PAUSE_NOTE_MAX)
			verrs_add(errs, "note", "must be at most %d characters", PAUSE_NOTE_MAX);
		else
			p.note = (char *)s;
	}
	if ((v = json_object_get(doc, "until")) != NULL && !json_is_null(v)) {
		if (!json_is_string(v) || cal_parse_iso(json_string_value(v), &iso) == -1 ||
		    !iso.has_off)
			verrs_add(errs, "until", "must be null or an instant such as "
			    "2026-12-24T09:00:00Z");
		else if ((p.until = cal_join(&iso.tm) - iso.off) <= ctx->now)
			verrs_add(errs, "until", "is in the past");
	}
	if (errs->n > nerr)
		return JOBS_INVALID;
	uuid_v4(p.id);
	p.created_at = ctx->now;
	p.created_by = (char *)ctx->who;
	if (p.note == NULL || *p.note == '\0')
		p.note = (char *)"";
	if ((res = jobs_res_of(db_pause_add(ctx->db, &p))) != JOBS_OK)
		return res;
	log_info("audit: %s paused %s via %s: pause %s%s%s", ctx->who ? ctx->who : "-",
	    p.bot_type ? p.bot_type : "every bot", ctx->door, p.id, *p.note ? ": " : "",
	    p.note);
	notify_send(ctx->conf->schedd.notify_socket);
	*out = p;
	out->bot_type = p.bot_type ? xstrdup(p.bot_type) : NULL;
	out->note = xstrdup(p.note);
	out->created_by = p.created_by ? xstrdup(p.created_by) : NULL;
	return JOBS_OK;
}

enum jobs_res
pauses_delete(const struct jobs_ctx *ctx, const char *id)
{
	enum jobs_res	 res;

	if ((res = jobs_res_of(db_pause_delete(ctx->db, id))) != JOBS_OK)
		return res;
	log_info("audit: %s resumed pause %s via %s", ctx->who ? ctx->who : "-", id, ctx->door);
	notify_send(ctx->conf->schedd.notify_socket);
	return JOBS_OK;
}

json_t *
pauses_json(const struct pause *p)
{
	char	 a[CAL_ISO_LEN], u[CAL_ISO_LEN];

	return json_pack("{s:s,s:s?,s:s,s:s?,s:s,s:s?}", "id", p->id, "bot_type", p->bot_type,
	    "note", p->note ? p->note : "", "until", p->until != TIME_NONE ?
	    cal_iso((time_t)p->until, u) : NULL, "created_at", cal_iso((time_t)p->created_at, a),
	    "created_by", p->created_by);
}
