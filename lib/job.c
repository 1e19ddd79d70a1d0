/*
 * autosched: the job and run of SPEC §2: their lifecycles, the run statuses, and validating
 * a job document (a POST, or a partial PUT) into a job.
 *
 * Validation is strict and complete: every bad field is reported at once, with its path and
 * pydantic's error type, so a client of the plan's FastAPI backend reads our 422s unchanged.
 * No type is coerced, unknown fields are errors, and the fields the server manages are
 * ignored on input so that a client can PUT back what it got.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job.h"

/* The longest bot_type and schedule_type read before looking them up, in characters. */
#define JOB_BOT_TYPE_MAX	64
#define JOB_SCHED_TYPE_MAX	16

/* Fields the server sets; accepted and ignored on input. */
static const char *const managed[] = {
	"id", "created_at", "updated_at", "created_by", "next_run_at", "last_run_at",
	"last_run_status", "last_run_error", "schedule_description", "next_scheduled_for",
	"paused_reason", "paused_at", "paused_until", "consecutive_failures", NULL
};

static const char *const writable[] = {
	"name", "description", "bot_type", "enabled", "schedule_type", "schedule_config",
	"bot_config", "timezone", "max_instances", "misfire_grace_time", "coalesce",
	"active_windows", "jitter_seconds", "pause_after_failures", "paused", NULL
};

static const char *const run_status_names[RUN__MAX] = {
	[RUN_PENDING] = "pending",
	[RUN_QUEUED] = "queued",
	[RUN_RUNNING] = "running",
	[RUN_SUCCESS] = "success",
	[RUN_FAILED] = "failed",
	[RUN_MISSED] = "missed",
	[RUN_SKIPPED] = "skipped",
	[RUN_CANCELLED] = "cancelled",
};

const char *
run_status_name(enum run_status s)
{
	return (unsigned)s < RUN__MAX ? run_status_names[s] : "unknown";
}

int
run_status_from_name(const char *name)
{
	int	 i;

	for (i = 0; name != NULL && i < RUN__MAX; i++)
		if (strcmp(name, run_status_names[i]) == 0)
			return i;
	return -1;
}

int
run_status_ended(enum run_status s)
{
	return s >= RUN_SUCCESS && s < RUN__MAX;
}

void
job_release(struct job *j)
{
	free(j->name);
	free(j->description);
	free(j->bot_type);
	free(j->schedule_config);
	free(j->bot_config);
	free(j->timezone);
	free(j->created_by);
	free(j->last_run_status);
	free(j->last_run_error);
	free(j->active_windows);
	free(j->paused_reason);
	memset(j, 0, sizeof(*j));
}

void
run_release(struct run *r)
{
	free(r->trigger);
	free(r->result);
	free(r->error);
	free(r->rq_job_id);
	memset(r, 0, sizeof(*r));
}

void
pause_release(struct pause *p)
{
	free(p->bot_type);
	free(p->note);
	free(p->created_by);
	memset(p, 0, sizeof(*p));
}

const struct pause *
pause_covering(const struct pause *list, size_t n, const char *bot)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (list[i].bot_type == NULL || (bot && strcmp(list[i].bot_type, bot) == 0))
			return &list[i];
	return NULL;
}

void
pause_describe(const struct pause *p, struct buf *b)
{
	char	 iso[CAL_ISO_LEN];

	if (p->bot_type)
		buf_addf(b, "Bot type %s is paused", p->bot_type);
	else
		buf_addstr(b, "All bots are paused");
	if (p->created_by)
		buf_addf(b, " by %s", p->created_by);
	buf_addf(b, " since %s", cal_iso((time_t)p->created_at, iso));
	if (p->until != TIME_NONE)
		buf_addf(b, " until %s", cal_iso((time_t)p->until, iso));
	if (p->note && *p->note)
		buf_addf(b, ": %s", p->note);
}

static int
in_list(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (strcmp(*l, s) == 0)
			return 1;
	return 0;
}

/* Validation */

/* Reports a null where a value is needed. Returns 1 if v is null. */
static int
null_check(const json_t *v, const char *field, struct verrs *errs)
{
	if (!json_is_null(v))
		return 0;
	verrs_addt(errs, "type_error.none.not_allowed", field, "none is not an allowed value");
	return 1;
}

static int
get_text(const json_t *v, const char *field, size_t max, int multiline, struct verrs *errs,
    const char **out)
{
	const char	*s, *p;

	if (null_check(v, field, errs))
		return -1;
	if (!json_is_string(v)) {
		verrs_addt(errs, "type_error.str", field, "must be a string");
		return -1;
	}
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v)) {
		verrs_add(errs, field, "must not contain NUL characters");
		return -1;
	}
	if (utf8_chars(s) > max) {
		verrs_add(errs, field, "must be at most %zu characters", max);
		return -1;
	}
	if (multiline) {
		/* line breaks and tabs are text; other controls are not */
		for (p = s; *p; p++)
			if ((((unsigned char)*p < 0x20 && !strchr("\t\r\n", *p)) || *p == 0x7f ||
			    ((unsigned char)*p == 0xc2 && (unsigned char)p[1] >= 0x80 &&
			    (unsigned char)p[1] <= 0x9f))) {
				verrs_add(errs, field, "must not contain control characters");
				return -1;
			}
	} else if (utf8_has_control(s)) {
		verrs_add(errs, field, "must not contain control characters");
		return -1;
	}
	*out = s;
	return 0;
}

static int
get_bool(const json_t *v, const char *field, struct verrs *errs, int *out)
{
	if (null_check(v, field, errs))
		return -1;
	if (!json_is_boolean(v)) {
		verrs_addt(errs, "type_error.bool", field, "must be true or false");
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}

static int
get_int(const json_t *v, const char *field, int64_t min, int64_t max, struct verrs *errs,
    int *out)
{
	if (null_check(v, field, errs))
		return -1;
	if (!json_is_integer(v)) {
		verrs_addt(errs, "type_error.integer", field, "must be an integer");
		return -1;
	}
	if (json_integer_value(v) < min || json_integer_value(v) > max) {
		verrs_add(errs, field, "must be between %lld and %lld", (long long)min,
		    (long long)max);
		return -1;
	}
	*out = (int)json_integer_value(v);
	return 0;
}

/* The names of the configured bot types, for messages. */
static void
bot_names(const struct conf *c, struct buf *b)
{
	size_t	 i;

	for (i = 0; i < c->nbots; i++)
		buf_addf(b, "%s%s", i ? ", " : "", c->bots[i].name);
	if (c->nbots == 0)
		buf_addstr(b, "(none configured)");
}

int
job_words(const struct job *j, struct buf *b)
{
	if (sched_words(sched_type_name(j->schedule_type), j->schedule_config ?
	    j->schedule_config : "", b) == -1)
		return -1;
	plan_words_extra(j->active_windows, j->jitter_seconds, b);
	return 0;
}

int64_t
job_nominal(const struct job *j)
{
	int64_t	 n = j->next_scheduled_for;

	return n != TIME_NONE && n <= j->next_run_at && j->next_run_at - n <=
	    j->jitter_seconds ? n : j->next_run_at;
}

int
job_plan(const struct job *j, struct plan *p)
{
	memset(p, 0, sizeof(*p));
	if ((p->z = tz_get(j->timezone, NULL)) == NULL ||
	    sched_stored(j->schedule_type, j->schedule_config, &p->s) == -1 ||
	    windows_stored(j->active_windows, p->w, &p->nw) == -1)
		return -1;
	p->anchor = j->schedule_anchor;
	p->jitter = j->jitter_seconds;
	return 0;
}

int
job_next_run(const struct job *j, int64_t now, uint64_t rnd, struct planned *next)
{
	struct plan	 p;

	memset(next, 0, sizeof(*next));
	next->at = next->nominal = TIME_NONE;
	if (!j->enabled || j->paused || j->schedule_type == SCHED_MANUAL)
		return 0;
	if (job_plan(j, &p) == -1)
		return -1;
	if (plan_next(&p, now, rnd, next) == -1)
		next->at = next->nominal = TIME_NONE;
	return 0;
}

/*
 * Why a schedule that was set (create, or its schedule, zone or windows changed) gives no
 * next fire time: into errs. Returns -1.
 */
static int
never_fires(const struct job *n, int64_t now, struct verrs *errs)
{
	struct plan	 p;
	char		 at[CAL_ISO_LEN];

	if (job_plan(n, &p) == -1) {
		verrs_add(errs, "schedule_config", "cannot be read");
		return -1;
	}
	if (n->schedule_type == SCHED_DATE) {
		if (sched_skipped(&p.s, p.z))
			verrs_add(errs, "schedule_config.run_at", "does not exist in %s: daylight "
			    "saving time skips it", n->timezone);
		else if (tz_from_wall(p.z, p.s.wall) <= now)
			verrs_add(errs, "schedule_config.run_at", "is in the past (it is %s now)",
			    cal_iso(now, at));
		else
			verrs_add(errs, "active_windows", "leave the date outside every window");
		return -1;
	}
	p.nw = 0;
	if (n->active_windows != NULL && sched_next(&p.s, p.z, p.anchor, now,
	    &(struct fire){ 0, 0, 0 }) == 0)
		verrs_add(errs, "active_windows", "leave the schedule no fire time within a year");
	else
		verrs_add(errs, "schedule_config", "never fires in %s: daylight saving time skips "
		    "every time it names", n->timezone);
	return -1;
}

int
job_apply(struct job *j, const json_t *doc, int how, const struct conf *c, int64_t now,
    struct verrs *errs)
{
	int			 create = how & JOB_APPLY_CREATE;
	const char		*key, *s, *why;
	const struct bot	*bot = NULL;
	json_t			*v, *sc, *bc, *tv;
	struct sched		 sch;
	struct job		 n;
	struct buf		 names = BUF_INIT;
	struct window		 win[PLAN_MAX_WINDOWS];
	struct planned		 next;
	json_t			*wnorm;
	size_t			 nerr = errs->n, nwin;
	int			 type, sched_changed = 0, config_changed = 0, b, i;
	char			*text;

	if (!json_is_object(doc)) {
		verrs_addt(errs, "type_error.dict", "", "the body must be a JSON object");
		return -1;
	}
	json_object_foreach((json_t *)doc, key, v)
		if (!in_list(writable, key) && !in_list(managed, key))
			verrs_addt(errs, "value_error.extra", key, "extra fields not permitted");
	if (create)
		for (i = 0; i < 3; i++) {
			key = (const char *[]){ "name", "bot_type", "schedule_type" }[i];
			if (json_object_get(doc, key) == NULL)
				verrs_addt(errs, "value_error.missing", key, "field required");
		}

	/* Work on a copy of the borrowed strings; j changes only when all is well. */
	n = *j;
	if ((v = json_object_get(doc, "name")) != NULL &&
	    get_text(v, "name", JOB_NAME_MAX, 0, errs, &s) == 0) {
		if (strspn(s, " \t") == strlen(s))
			verrs_add(errs, "name", "must not be blank");
		else
			n.name = (char *)s;
	}
	if ((v = json_object_get(doc, "description")) != NULL) {
		if (json_is_null(v))
			n.description = NULL;
		else if (get_text(v, "description", JOB_DESC_MAX, 1, errs, &s) == 0)
			n.description = (char *)s;
	}
	if ((v = json_object_get(doc, "bot_type")) != NULL &&
	    get_text(v, "bot_type", JOB_BOT_TYPE_MAX, 0, errs, &s) == 0) {
		if (conf_bot(c, s) == NULL) {
			bot_names(c, &names);
			verrs_add(errs, "bot_type", "must be one of: %s", names.data);
		} else
			n.bot_type = (char *)s;
	}
	if ((v = json_object_get(doc, "enabled")) != NULL &&
	    get_bool(v, "enabled", errs, &b) == 0) {
		sched_changed |= b != n.enabled;
		n.enabled = b;
	}
	if ((v = json_object_get(doc, "schedule_type")) != NULL &&
	    get_text(v, "schedule_type", JOB_SCHED_TYPE_MAX, 0, errs, &s) == 0) {
		if ((type = sched_type_from_name(s)) < 0)
			verrs_add(errs, "schedule_type", "must be one of: daily, weekly, interval, "
			    "cron, manual, date");
		else
			n.schedule_type = (enum sched_type)type;
	}
	if ((v = json_object_get(doc, "timezone")) != NULL &&
	    get_text(v, "timezone", TZ_NAME_MAX + 16, 0, errs, &s) == 0) {
		if (tz_get(s, &why) == NULL)
			verrs_add(errs, "timezone", "'%.*s' %s", utf8_prefix(s, TZ_NAME_MAX), s,
			    why);
		else {
			sched_changed |= n.timezone == NULL || strcmp(s, n.timezone) != 0;
			n.timezone = (char *)s;
		}
	}
	if ((v = json_object_get(doc, "max_instances")) != NULL)
		get_int(v, "max_instances", 1, JOB_MAX_INSTANCES, errs, &n.max_instances);
	if ((v = json_object_get(doc, "misfire_grace_time")) != NULL)
		get_int(v, "misfire_grace_time", 0, JOB_MAX_GRACE, errs, &n.misfire_grace_time);
	if ((v = json_object_get(doc, "coalesce")) != NULL)
		get_bool(v, "coalesce", errs, &n.coalesce);
	if ((v = json_object_get(doc, "pause_after_failures")) != NULL)
		get_int(v, "pause_after_failures", 0, JOB_MAX_PAUSE_AFTER, errs,
		    &n.pause_after_failures);
	if ((v = json_object_get(doc, "paused")) != NULL &&
	    get_bool(v, "paused", errs, &b) == 0 && b != n.paused) {
		/* paused by hand, or resumed: the next run is computed again */
		sched_changed = 1;
		n.paused = b;
		n.paused_reason = b ? (char *)"Paused by hand" : NULL;
		n.paused_at = b ? now : TIME_NONE;
		n.paused_until = TIME_NONE;
		n.failures_in_row = 0;
	}
	if ((v = json_object_get(doc, "jitter_seconds")) != NULL &&
	    get_int(v, "jitter_seconds", 0, PLAN_MAX_JITTER, errs, &i) == 0) {
		sched_changed |= i != n.jitter_seconds;
		n.jitter_seconds = i;
	}
	if ((v = json_object_get(doc, "active_windows")) != NULL &&
	    windows_parse(v, "active_windows", win, &nwin, &wnorm, errs) == 0) {
		n.active_windows = wnorm ? json_dumps(wnorm, JSON_COMPACT) : NULL;
		json_decref(wnorm);
		if ((n.active_windows == NULL) != (j->active_windows == NULL) ||
		    (n.active_windows && strcmp(n.active_windows, j->active_windows) != 0))
			config_changed = 1;
	}

	/*
	 * schedule_config: the one given, or (type changed, none given) the new type's
	 * defaults, or the stored one. Without a valid type there is nothing to check it by.
	 */
	sc = json_object_get(doc, "schedule_config");
	tv = json_object_get(doc, "schedule_type");
	if (sc != NULL && json_is_null(sc))
		null_check(sc, "schedule_config", errs);
	else if ((tv == NULL && !create) || (json_is_string(tv) &&
	    sched_type_from_name(json_string_value(tv)) >= 0)) {
		json_t *old = NULL;
		if (sc == NULL && !create && n.schedule_type == j->schedule_type &&
		    j->schedule_config != NULL)
			sc = old = json_loads(j->schedule_config, 0, NULL);
		if (sched_parse(&sch, n.schedule_type, sc, "schedule_config", errs) == 0) {
			text = json_dumps(sch.config, JSON_COMPACT);
			if (create || n.schedule_type != j->schedule_type ||
			    j->schedule_config == NULL || strcmp(text, j->schedule_config) != 0)
				config_changed = 1;
			n.schedule_config = text;
			sched_release(&sch);
		}
		json_decref(old);
	}

	/* bot_config: the one given, or the stored one checked against a new bot type. */
	bot = n.bot_type ? conf_bot(c, n.bot_type) : NULL;
	bc = json_object_get(doc, "bot_config");
	if (bc != NULL && json_is_null(bc))
		null_check(bc, "bot_config", errs);
	else if (bot != NULL) {
		json_t *old = NULL;
		if (bc == NULL)
			bc = old = j->bot_config ? json_loads(j->bot_config, 0, NULL) : json_object();
		if (conf_bot_config_check(bot, bc, "bot_config", errs) == 0)
			n.bot_config = json_dumps(bc, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(old);
	}
	buf_release(&names);

	if (errs->n > nerr)
		goto fail;
	if (create && n.timezone == NULL)
		n.timezone = c->default_tz;
	if (create || config_changed || sched_changed) {
		if (config_changed)
			n.schedule_anchor = now;
		if (job_next_run(&n, now, plan_random(), &next) == -1) {
			verrs_add(errs, "schedule_config", "cannot be read");
			goto fail;
		}
		/* a date set now must exist in its zone (fixed-time schedules move instead) */
		if (n.schedule_type == SCHED_DATE && next.at != TIME_NONE &&
		    (next.flags & FIRE_MOVED) && !(how & JOB_APPLY_RESTORE)) {
			never_fires(&n, now, errs);
			goto fail;
		}
		/*
		 * A schedule set now must fire; one only enabled again may have nothing left
		 * (a date that has passed).
		 */
		if (next.at == TIME_NONE && n.enabled && !n.paused &&
		    n.schedule_type != SCHED_MANUAL && (n.schedule_type != SCHED_DATE || (!(how & JOB_APPLY_RESTORE) &&
		    (create || config_changed)))) {
			never_fires(&n, now, errs);
			goto fail;
		}
		n.next_run_at = next.at;
		n.next_scheduled_for = next.nominal;
	}
	n.updated_at = now;
	if (create)
		n.created_at = now;

	/* Commit: every string in n that is not j's is borrowed from doc or new. */
#define TAKE(f)	do { if (n.f != j->f) { char *t = n.f ? xstrdup(n.f) : NULL; \
		free(j->f); j->f = t; } } while (0)
#define TAKE_NEW(f) do { if (n.f != j->f) { free(j->f); j->f = n.f; } } while (0)
	TAKE(name);
	TAKE(description);
	TAKE(bot_type);
	TAKE(timezone);
	TAKE(paused_reason);
	TAKE_NEW(schedule_config);
	TAKE_NEW(bot_config);
	TAKE_NEW(active_windows);
#undef TAKE
#undef TAKE_NEW
	j->enabled = n.enabled;
	j->schedule_type = n.schedule_type;
	j->schedule_anchor = n.schedule_anchor;
	j->created_at = n.created_at;
	j->updated_at = n.updated_at;
	j->next_run_at = n.next_run_at;
	j->max_instances = n.max_instances;
	j->misfire_grace_time = n.misfire_grace_time;
	j->coalesce = n.coalesce;
	j->jitter_seconds = n.jitter_seconds;
	j->next_scheduled_for = n.next_scheduled_for;
	j->pause_after_failures = n.pause_after_failures;
	j->paused = n.paused;
	j->paused_at = n.paused_at;
	j->paused_until = n.paused_until;
	j->failures_in_row = n.failures_in_row;
	return 0;
fail:
	if (n.schedule_config != j->schedule_config)
		free(n.schedule_config);
	if (n.active_windows != j->active_windows)
		free(n.active_windows);
	if (n.bot_config != j->bot_config)
		free(n.bot_config);
	return -1;
}

void
job_defaults(struct job *j)
{
	memset(j, 0, sizeof(*j));
	j->enabled = 1;
	j->schedule_type = SCHED_MANUAL;
	j->max_instances = 1;
	j->misfire_grace_time = 3600;
	j->coalesce = 1;
	j->next_run_at = TIME_NONE;
	j->next_scheduled_for = TIME_NONE;
	j->last_run_at = TIME_NONE;
	j->pause_after_failures = 3;
	j->paused_at = j->paused_until = TIME_NONE;
}
