/*
 * autosched: the schedule types of SPEC §3 (daily, weekly, interval, cron, manual) and §9
 * (date: once, at a wall-clock time).
 *
 * Validates a job's schedule_config (a JSON object) against its type, reporting every bad
 * field at once, fills in the plan's defaults, and answers "when next" and "in words". Daily
 * and weekly schedules are cron expressions underneath (fixed-time, so DST treats them as
 * cronie treats "30 2 * * *"); an interval is elapsed time on a UTC grid from an anchor.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sched.h"

static const char *const type_names[SCHED__MAX] = {
	[SCHED_DAILY] = "daily",
	[SCHED_WEEKLY] = "weekly",
	[SCHED_INTERVAL] = "interval",
	[SCHED_CRON] = "cron",
	[SCHED_MANUAL] = "manual",
	[SCHED_DATE] = "date",
};

/* The keys each type accepts, NULL-terminated. */
static const char *const type_keys[SCHED__MAX][4] = {
	[SCHED_DAILY] = { "hour", "minute", NULL },
	[SCHED_WEEKLY] = { "day_of_week", "hour", "minute", NULL },
	[SCHED_INTERVAL] = { "hours", "minutes", NULL },
	[SCHED_CRON] = { "cron_expression", NULL },
	[SCHED_MANUAL] = { NULL },
	[SCHED_DATE] = { "run_at", NULL },
};

/* The same, in words, for the message about an unknown key. */
static const char *const type_takes[SCHED__MAX] = {
	[SCHED_DAILY] = "hour and minute",
	[SCHED_WEEKLY] = "day_of_week, hour and minute",
	[SCHED_INTERVAL] = "hours and minutes",
	[SCHED_CRON] = "cron_expression",
	[SCHED_MANUAL] = "no fields",
	[SCHED_DATE] = "run_at",
};

#define SCHED_MAX_CRON_LEN	256
#define SCHED_MAX_DOW_LEN	128

/* Day d of the week Monday first, as the plan writes them ("mon-fri"): "mon" for 0. */
#define WEEK(d)		(cal_wdays[((d) + 1) % 7].key)

int
sched_type_from_name(const char *name)
{
	int	 i;

	for (i = 0; i < SCHED__MAX; i++)
		if (strcmp(name, type_names[i]) == 0)
			return i;
	return -1;
}

const char *
sched_type_name(enum sched_type t)
{
	return t < SCHED__MAX ? type_names[t] : "?";
}

static void
field_path(char *out, size_t sz, const char *prefix, const char *key)
{
	if (prefix && *prefix)
		snprintf(out, sz, "%s.%s", prefix, key);
	else
		snprintf(out, sz, "%s", key);
}

/*
 * Reads integer `key` of `config` into *out (default def when absent), checking [min, max].
 * Returns 0, or -1 with the error added.
 */
static int
get_int(const json_t *config, const char *key, int64_t def, int64_t min, int64_t max,
    const char *prefix, struct verrs *errs, int64_t *out)
{
	const json_t	*v = config ? json_object_get(config, key) : NULL;
	char		 path[128];

	*out = def;
	if (v == NULL)
		return 0;
	field_path(path, sizeof(path), prefix, key);
	if (!json_is_integer(v)) {
		verrs_addt(errs, "type_error.integer", path, "must be an integer");
		return -1;
	}
	if (json_integer_value(v) < min || json_integer_value(v) > max) {
		verrs_add(errs, path, "must be between %lld and %lld", (long long)min,
		    (long long)max);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

static int
week_day(const char *s, size_t n)
{
	int	 i;

	if (n != 3)
		return -1;
	for (i = 0; i < 7; i++)
		if (strncasecmp(s, WEEK(i), 3) == 0)
			return i;
	return -1;
}

int
sched_parse_days(const char *text, uint8_t *bits, struct buf *norm, const char **msg)
{
	static char	 why[96];
	const char	*s = text, *a, *e;
	int		 lo, hi, d, any = 0;

	*bits = 0;
	if (strlen(text) > SCHED_MAX_DOW_LEN) {
		*msg = "is too long";
		return -1;
	}
	for (;;) {
		while (*s == ' ')
			s++;
		a = s;
		while (*s && *s != ',' && *s != '-' && *s != ' ')
			s++;
		if ((lo = week_day(a, (size_t)(s - a))) == -1)
			goto bad;
		hi = lo;
		while (*s == ' ')
			s++;
		if (*s == '-') {
			s++;
			while (*s == ' ')
				s++;
			e = s;
			while (*s && *s != ',' && *s != '-' && *s != ' ')
				s++;
			if ((hi = week_day(e, (size_t)(s - e))) == -1) {
				a = e;
				goto bad;
			}
			if (hi < lo) {
				snprintf(why, sizeof(why), "range %s-%s goes backwards (the week "
				    "runs mon to sun)", WEEK(lo), WEEK(hi));
				*msg = why;
				return -1;
			}
			while (*s == ' ')
				s++;
		}
		for (d = lo; d <= hi; d++)
			*bits |= (uint8_t)(1u << ((d + 1) % 7));
		buf_addf(norm, "%s%s", any++ ? "," : "", WEEK(lo));
		if (hi != lo)
			buf_addf(norm, "-%s", WEEK(hi));
		if (*s == '\0')
			return 0;
		if (*s != ',')
			goto bad;
		s++;
	}
bad:
	if (*a == '\0' || *a == ',' || *a == '-')
		snprintf(why, sizeof(why), "%s", any || a != text ? "has an empty item" :
		    "is empty");
	else
		snprintf(why, sizeof(why), "unknown day '%.*s' (use mon, tue, wed, thu, fri, "
		    "sat, sun)", utf8_prefix(a, strcspn(a, ",- ") > 12 ? 12 : strcspn(a, ",- ")),
		    a);
	*msg = why;
	return -1;
}

/*
 * Reads a date schedule's run_at: "YYYY-MM-DDTHH:MM[:SS]", a wall-clock time without an
 * offset (the job's zone gives it one). Returns 0, or -1 with the error added.
 */
static int
parse_wall(const char *text, size_t len, int64_t *wall, const char *path, struct verrs *errs)
{
	struct cal_iso	 t;

	if (len > 32 || strlen(text) != len || cal_parse_iso(text, &t) == -1 ||
	    strpbrk(text, "Tt ") == NULL) {
		verrs_add(errs, path, "must be a local date and time such as "
		    "\"2026-12-24T09:00\"");
		return -1;
	}
	if (t.has_off) {
		verrs_add(errs, path, "must not carry an offset or Z: it is a wall-clock time in "
		    "the job's timezone");
		return -1;
	}
	*wall = cal_join(&t.tm);
	return 0;
}

/* "2026-12-24T09:00" (":SS" when not 0) into buf[CRON_ERR_LEN]. */
static const char *
wall_text(int64_t wall, char *buf)
{
	struct cal_tm	 tm;

	cal_split(wall, &tm);
	snprintf(buf, CRON_ERR_LEN, "%04lld-%02d-%02dT%02d:%02d", (long long)tm.year, tm.mon,
	    tm.mday, tm.hour, tm.min);
	if (tm.sec)
		snprintf(buf + 16, CRON_ERR_LEN - 16, ":%02d", tm.sec);
	return buf;
}

/* Reports each key of config that a schedule of this type does not take. */
static void
unknown_keys(const json_t *config, enum sched_type type, const char *prefix,
    struct verrs *errs)
{
	const char	*key;
	json_t		*v;
	char		 path[128];
	size_t		 i;

	json_object_foreach((json_t *)config, key, v) {
		for (i = 0; type_keys[type][i] != NULL; i++)
			if (strcmp(key, type_keys[type][i]) == 0)
				break;
		if (type_keys[type][i] == NULL) {
			field_path(path, sizeof(path), prefix, key);
			verrs_addt(errs, "value_error.extra", path,
			    "unknown field: a%s %s schedule takes %s",
			    type == SCHED_INTERVAL ? "n" : "", type_names[type], type_takes[type]);
		}
	}
}

int
sched_parse(struct sched *s, enum sched_type type, const json_t *config, const char *prefix,
    struct verrs *errs)
{
	const char	*msg;
	const json_t	*v;
	char		 path[128], err[CRON_ERR_LEN];
	struct buf	 norm = BUF_INIT;
	int64_t		 hour = 0, minute = 0, hours = 0, minutes = 0;
	size_t		 nerr = errs->n;
	uint8_t		 dow = 0x7f;
	json_t		*out = NULL;

	memset(s, 0, sizeof(*s));
	s->type = type;
	if (config != NULL && !json_is_object(config)) {
		verrs_addt(errs, "type_error.dict", prefix, "must be an object");
		return -1;
	}
	if (config != NULL)
		unknown_keys(config, type, prefix, errs);

	switch (type) {
	case SCHED_WEEKLY:
		v = config ? json_object_get(config, "day_of_week") : NULL;
		field_path(path, sizeof(path), prefix, "day_of_week");
		if (v != NULL && !json_is_string(v))
			verrs_addt(errs, "type_error.str", path, "must be a string such as \"mon-fri\"");
		else if (sched_parse_days(v ? json_string_value(v) : "mon", &dow, &norm, &msg) == -1)
			verrs_add(errs, path, "%s", msg);
		/* FALLTHROUGH */
	case SCHED_DAILY:
		get_int(config, "hour", 8, 0, 23, prefix, errs, &hour);
		get_int(config, "minute", 0, 0, 59, prefix, errs, &minute);
		if (errs->n > nerr)
			break;
		s->cron.min = (uint64_t)1 << minute;
		s->cron.hour = (uint32_t)1 << hour;
		s->cron.dom = 0xfffffffeu;
		s->cron.mon = 0x1ffe;
		s->cron.dow = dow;
		s->cron.flags = CRON_DOM_STAR | (type == SCHED_DAILY ? CRON_DOW_STAR : 0);
		out = json_object();
		if (type == SCHED_WEEKLY)
			json_object_set_new(out, "day_of_week", json_string(norm.data));
		json_object_set_new(out, "hour", json_integer(hour));
		json_object_set_new(out, "minute", json_integer(minute));
		break;
	case SCHED_INTERVAL:
		get_int(config, "hours", 1, 0, SCHED_MAX_INTERVAL_MIN / 60, prefix, errs, &hours);
		get_int(config, "minutes", 0, 0, SCHED_MAX_INTERVAL_MIN, prefix, errs, &minutes);
		if (errs->n > nerr)
			break;
		if (hours * 60 + minutes < 1 || hours * 60 + minutes > SCHED_MAX_INTERVAL_MIN) {
			verrs_add(errs, prefix, "the interval must be between 1 minute and 366 days");
			break;
		}
		s->period = (hours * 60 + minutes) * 60;
		out = json_object();
		json_object_set_new(out, "hours", json_integer(hours));
		json_object_set_new(out, "minutes", json_integer(minutes));
		break;
	case SCHED_CRON:
		v = config ? json_object_get(config, "cron_expression") : NULL;
		field_path(path, sizeof(path), prefix, "cron_expression");
		if (v == NULL)
			verrs_addt(errs, "value_error.missing", path, "field required");
		else if (!json_is_string(v))
			verrs_addt(errs, "type_error.str", path,
			    "must be a string such as \"0 8 * * 1-5\"");
		else if (json_string_length(v) > SCHED_MAX_CRON_LEN)
			verrs_add(errs, path, "must be at most %d characters", SCHED_MAX_CRON_LEN);
		else if (strlen(json_string_value(v)) != json_string_length(v))
			verrs_add(errs, path, "must not contain NUL characters");
		else if (cron_parse(&s->cron, json_string_value(v), err) != CRON_OK)
			verrs_add(errs, path, "%s", err);
		if (errs->n > nerr)
			break;
		out = json_object();
		json_object_set_new(out, "cron_expression", json_string(json_string_value(v)));
		break;
	case SCHED_MANUAL:
		if (errs->n > nerr)
			break;
		out = json_object();
		break;
	case SCHED_DATE:
		v = config ? json_object_get(config, "run_at") : NULL;
		field_path(path, sizeof(path), prefix, "run_at");
		if (v == NULL)
			verrs_addt(errs, "value_error.missing", path, "field required");
		else if (!json_is_string(v))
			verrs_addt(errs, "type_error.str", path,
			    "must be a string such as \"2026-12-24T09:00\"");
		else if (parse_wall(json_string_value(v), json_string_length(v), &s->wall,
		    path, errs) == 0) {
			out = json_object();
			json_object_set_new(out, "run_at", json_string(wall_text(s->wall, err)));
		}
		break;
	default:
		verrs_add(errs, prefix, "unknown schedule type");
		break;
	}
	buf_release(&norm);
	if (errs->n > nerr) {
		json_decref(out);
		memset(s, 0, sizeof(*s));
		return -1;
	}
	s->config = out;
	return 0;
}

void
sched_release(struct sched *s)
{
	json_decref(s->config);
	s->config = NULL;
}

/* What DST does to a date schedule's wall time: FIRE_MOVED, FIRE_FIRST or 0. */
static int
date_flags(const struct tz *z, int64_t wall, int64_t at)
{
	struct tz_span	 sp;

	if (at + tz_offset(z, at) != wall)
		return FIRE_MOVED;
	tz_span(z, at, &sp);
	/* the same wall time again, in the span after a fall back */
	if (sp.end != TZ_END && sp.next_off < sp.off && wall - sp.next_off >= sp.end)
		return FIRE_FIRST;
	return 0;
}

int
sched_skipped(const struct sched *s, const struct tz *z)
{
	return s->type == SCHED_DATE &&
	    date_flags(z, s->wall, tz_from_wall(z, s->wall)) == FIRE_MOVED;
}

int
sched_next(const struct sched *s, const struct tz *z, time_t anchor, time_t after,
    struct fire *out)
{
	int64_t	 k;

	switch (s->type) {
	case SCHED_MANUAL:
		return -1;
	case SCHED_DATE:
		/* once, as a fixed-time schedule: a skipped time at the jump, a repeated one first */
		out->at = tz_from_wall(z, s->wall);
		if (out->at <= after)
			return -1;
		out->wall = s->wall;
		out->flags = date_flags(z, s->wall, out->at);
		return 0;
	case SCHED_INTERVAL:
		k = cal_floor_div(after - anchor, s->period) + 1;
		out->at = anchor + k * s->period;
		if (out->at > CAL_MAX_TIME)
			return -1;
		out->wall = out->at + tz_offset(z, out->at);
		out->flags = 0;
		return 0;
	default:
		return cron_next(&s->cron, z, after, out);
	}
}

void
sched_describe(const struct sched *s, struct buf *b)
{
	int64_t		 min = s->period / 60;
	struct cal_tm	 tm;

	switch (s->type) {
	case SCHED_MANUAL:
		buf_addstr(b, "Manually only");
		break;
	case SCHED_DATE:
		cal_split(s->wall, &tm);
		buf_addf(b, "Once, on %s %d %s %lld at %02d:%02d", cal_wdays[tm.wday].full,
		    tm.mday, cal_months[tm.mon].full, (long long)tm.year, tm.hour, tm.min);
		if (tm.sec)
			buf_addf(b, ":%02d", tm.sec);
		break;
	case SCHED_INTERVAL:
		if (min == 60)
			buf_addstr(b, "Every hour");
		else if (min < 60)
			buf_addf(b, "Every %lld minute%s", (long long)min, min == 1 ? "" : "s");
		else if (min % 60 == 0)
			buf_addf(b, "Every %lld hours", (long long)(min / 60));
		else
			buf_addf(b, "Every %lld hour%s and %lld minute%s", (long long)(min / 60),
			    min / 60 == 1 ? "" : "s", (long long)(min % 60),
			    min % 60 == 1 ? "" : "s");
		break;
	default:
		cron_describe(&s->cron, b);
		break;
	}
}

/* Stored schedules */

/*
 * Stored schedules, read once: listing jobs describes each schedule again and schedd
 * reads each due job's, while most jobs share a few schedules. A direct-mapped cache keyed
 * by (type, config text) holds the parsed schedule and its words.
 */
#define STORED_SLOTS	512

static struct stored {
	char		*key;		/* type, NUL, config */
	size_t		 keylen;
	struct sched	 s;		/* without its config JSON */
	char		*words;
} stored_cache[STORED_SLOTS];
static pthread_mutex_t	 stored_lock = PTHREAD_MUTEX_INITIALIZER;

/* Fills *s (when not NULL) and appends the words to out (when not NULL). Returns 0 or -1. */
static int
stored_get(const char *type, const char *config, struct sched *s, struct buf *out)
{
	struct stored	*w;
	struct sched	 p;
	struct verrs	 e = VERRS_INIT;
	struct buf	 words = BUF_INIT;
	size_t		 tl = strlen(type), cl = strlen(config), i;
	uint32_t	 h = 2166136261u;
	json_t		*cfg;
	int		 t, rc = -1;

	for (i = 0; i < tl; i++)
		h = (h ^ (unsigned char)type[i]) * 16777619u;
	for (i = 0; i < cl; i++)
		h = (h ^ (unsigned char)config[i]) * 16777619u;
	pthread_mutex_lock(&stored_lock);
	w = &stored_cache[h % STORED_SLOTS];
	if (w->key && w->keylen == tl + 1 + cl && memcmp(w->key, type, tl + 1) == 0 &&
	    memcmp(w->key + tl + 1, config, cl) == 0) {
		if (s)
			*s = w->s;
		if (out)
			buf_addstr(out, w->words);
		pthread_mutex_unlock(&stored_lock);
		return 0;
	}
	pthread_mutex_unlock(&stored_lock);

	if ((t = sched_type_from_name(type)) < 0 ||
	    (cfg = json_loads(config, 0, NULL)) == NULL)
		return -1;
	if (sched_parse(&p, (enum sched_type)t, cfg, "", &e) == 0) {
		sched_describe(&p, &words);
		sched_release(&p);	/* the config JSON; the rest stays valid */
		rc = 0;
	}
	verrs_release(&e);
	json_decref(cfg);
	if (rc == -1)
		return -1;
	if (s)
		*s = p;
	if (out)
		buf_add(out, words.data, words.len);

	pthread_mutex_lock(&stored_lock);
	free(w->key);
	free(w->words);
	w->keylen = tl + 1 + cl;
	w->key = xmalloc(w->keylen);
	memcpy(w->key, type, tl + 1);
	memcpy(w->key + tl + 1, config, cl);
	w->s = p;
	w->words = buf_detach(&words);
	pthread_mutex_unlock(&stored_lock);
	return 0;
}

int
sched_words(const char *type, const char *config, struct buf *out)
{
	return stored_get(type, config, NULL, out);
}

int
sched_stored(enum sched_type type, const char *config, struct sched *s)
{
	return stored_get(sched_type_name(type), config, s, NULL);
}

/* Previews */

json_t *
sched_preview(const struct sched *s, const struct tz *z, int64_t anchor, int64_t from,
    int count)
{
	struct fire	 f;
	json_t		*runs = json_array();
	char		 at[CAL_ISO_LEN], local[TZ_ISO_LEN];
	int		 n;

	for (n = 0; n < count && sched_next(s, z, anchor, from, &f) == 0; n++) {
		tz_iso(z, f.at, local);
		json_array_append_new(runs, json_pack("{s:s,s:s,s:o}", "at",
		    cal_iso(f.at, at), "local", local, "dst", f.flags & FIRE_MOVED ?
		    json_string("moved") : f.flags & FIRE_FIRST ? json_string("first_of_two") :
		    f.flags & FIRE_REPEAT ? json_string("repeated") : json_null()));
		from = f.at;
	}
	return runs;
}
