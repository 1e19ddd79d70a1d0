/*
 * autosched: a job's fire plan (SPEC §9): active windows and jitter on top of its schedule.
 *
 * A fire time is inside a window when its wall-clock time (the time the schedule names,
 * even when DST moves the instant) is. Fire times outside every window are passed over
 * without being looked at one by one: from one outside, the search jumps to the next
 * opening of a window, so a minutely schedule with a one-hour window costs a few calls a
 * day, not 1,440. Jitter is a forward delay, drawn once by the caller's random number and
 * kept, that ends before the schedule's next fire time and before the window closes.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

#define DAY		86400
/* Calls of sched_next for one plan_nominal, whatever the windows: a bound, not a limit. */
#define MAX_STEPS	100000

/* Windows */

/* Reads "HH:MM" (00:00-23:59, and 24:00 when allow_24) into minutes. Returns 0 or -1. */
static int
read_hhmm(const char *s, int allow_24, uint16_t *out)
{
	int	 h, m;

	if (strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '9' || s[1] < '0' ||
	    s[1] > '9' || s[3] < '0' || s[3] > '9' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + s[1] - '0';
	m = (s[3] - '0') * 10 + s[4] - '0';
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)))
		return -1;
	*out = (uint16_t)(h * 60 + m);
	return 0;
}

static void
hhmm(uint16_t min, char *buf)
{
	snprintf(buf, 6, "%02u:%02u", (unsigned)(min / 60 % 100), (unsigned)(min % 60));
}

/* Weekday bits (Sunday 0) as the shortest day list, Monday first: "mon-wed,sat". */
static void
days_text(uint8_t bits, struct buf *b)
{
	int	 d, e, any = 0;

	for (d = 0; d < 7; d = e + 1) {
		for (; d < 7 && !(bits >> ((d + 1) % 7) & 1); d++)
			;
		if (d == 7)
			break;
		for (e = d; e + 1 < 7 && (bits >> ((e + 2) % 7) & 1); e++)
			;
		buf_addf(b, "%s%s", any++ ? "," : "", cal_wdays[(d + 1) % 7].key);
		if (e > d)
			buf_addf(b, "%s%s", e == d + 1 ? "," : "-", cal_wdays[(e + 1) % 7].key);
	}
}

int
windows_parse(const json_t *v, const char *field, struct window *w, size_t *nw,
    json_t **norm, struct verrs *errs)
{
	const char	*key, *msg;
	json_t		*item, *x, *out;
	struct buf	 days = BUF_INIT;
	size_t		 i, nerr = errs->n;
	char		 path[96], t[6];
	uint16_t	 start = 0, end = 0;
	int		 ok;

	*nw = 0;
	*norm = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v)) {
		verrs_addt(errs, "type_error.list", field, "must be a list of {\"days\", \"start\", "
		    "\"end\"}, or null");
		return -1;
	}
	if (json_array_size(v) == 0) {
		verrs_add(errs, field, "must hold at least one window, or be null (always active)");
		return -1;
	}
	if (json_array_size(v) > PLAN_MAX_WINDOWS) {
		verrs_add(errs, field, "must hold at most %d windows", PLAN_MAX_WINDOWS);
		return -1;
	}
	out = json_array();
	json_array_foreach(v, i, item) {
		snprintf(path, sizeof(path), "%s[%zu]", field, i);
		if (!json_is_object(item)) {
			verrs_addt(errs, "type_error.dict", path, "must be an object such as "
			    "{\"days\": \"mon-fri\", \"start\": \"09:00\", \"end\": \"18:00\"}");
			continue;
		}
		json_object_foreach(item, key, x)
			if (strcmp(key, "days") != 0 && strcmp(key, "start") != 0 &&
			    strcmp(key, "end") != 0) {
				snprintf(path, sizeof(path), "%s[%zu].%.40s", field, i, key);
				verrs_addt(errs, "value_error.extra", path,
				    "unknown field: a window takes days, start and end");
			}
		ok = 1;
		buf_reset(&days);
		snprintf(path, sizeof(path), "%s[%zu].days", field, i);
		x = json_object_get(item, "days");
		if (x == NULL)
			buf_addstr(&days, "mon-sun");
		if (x != NULL && !json_is_string(x)) {
			verrs_addt(errs, "type_error.str", path, "must be a string such as "
			    "\"mon-fri\"");
			ok = 0;
		} else if (x != NULL && sched_parse_days(json_string_value(x), &w[i].days, &days,
		    &msg) == -1) {
			verrs_add(errs, path, "%s", msg);
			ok = 0;
		} else if (x == NULL)
			w[i].days = 0x7f;
		snprintf(path, sizeof(path), "%s[%zu].start", field, i);
		if ((x = json_object_get(item, "start")) == NULL) {
			verrs_addt(errs, "value_error.missing", path, "field required");
			ok = 0;
		} else if (!json_is_string(x) || read_hhmm(json_string_value(x), 0, &start) == -1) {
			verrs_add(errs, path, "must be a time \"HH:MM\" from 00:00 to 23:59");
			ok = 0;
		}
		snprintf(path, sizeof(path), "%s[%zu].end", field, i);
		if ((x = json_object_get(item, "end")) == NULL) {
			verrs_addt(errs, "value_error.missing", path, "field required");
			ok = 0;
		} else if (!json_is_string(x) || read_hhmm(json_string_value(x), 1, &end) == -1) {
			verrs_add(errs, path, "must be a time \"HH:MM\" from 00:00 to 24:00");
			ok = 0;
		} else if (ok && end == start) {
			verrs_add(errs, path, "must differ from start (an end before the start "
			    "crosses midnight)");
			ok = 0;
		}
		if (!ok)
			continue;
		w[i].start = start;
		w[i].end = end;
		json_array_append_new(out, json_object());
		x = json_array_get(out, json_array_size(out) - 1);
		buf_reset(&days);
		days_text(w[i].days, &days);
		json_object_set_new(x, "days", json_string(days.data));
		hhmm(start, t);
		json_object_set_new(x, "start", json_string(t));
		hhmm(end, t);
		json_object_set_new(x, "end", json_string(t));
	}
	buf_release(&days);
	if (errs->n > nerr) {
		json_decref(out);
		return -1;
	}
	*nw = json_array_size(v);
	*norm = out;
	return 0;
}

/*
 * Stored windows, read once: schedd reads each due job's, and most jobs share a few. A
 * direct-mapped cache keyed by the text.
 */
#define STORED_SLOTS	256

static struct stored {
	char		*text;
	struct window	 w[PLAN_MAX_WINDOWS];
	size_t		 nw;
} stored_cache[STORED_SLOTS];
static pthread_mutex_t	 stored_lock = PTHREAD_MUTEX_INITIALIZER;

int
windows_stored(const char *text, struct window *w, size_t *nw)
{
	struct stored	*c;
	struct verrs	 e = VERRS_INIT;
	json_t		*v, *norm;
	uint32_t	 h = 2166136261u;
	const char	*p;
	int		 rc;

	*nw = 0;
	if (text == NULL)
		return 0;
	for (p = text; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	pthread_mutex_lock(&stored_lock);
	c = &stored_cache[h % STORED_SLOTS];
	if (c->text && strcmp(c->text, text) == 0) {
		memcpy(w, c->w, sizeof(c->w));
		*nw = c->nw;
		pthread_mutex_unlock(&stored_lock);
		return 0;
	}
	pthread_mutex_unlock(&stored_lock);
	if ((v = json_loads(text, 0, NULL)) == NULL)
		return -1;
	rc = windows_parse(v, "active_windows", w, nw, &norm, &e);
	json_decref(norm);
	json_decref(v);
	verrs_release(&e);
	if (rc == -1)
		return -1;
	pthread_mutex_lock(&stored_lock);
	free(c->text);
	c->text = xstrdup(text);
	memcpy(c->w, w, sizeof(c->w));
	c->nw = *nw;
	pthread_mutex_unlock(&stored_lock);
	return 0;
}

void
windows_describe(const struct window *w, size_t nw, struct buf *b)
{
	size_t	 i;
	char	 s[6], e[6];

	for (i = 0; i < nw; i++) {
		if (i)
			buf_addstr(b, i + 1 == nw ? " or " : ", ");
		if (w[i].days != 0x7f) {
			cron_describe_days(w[i].days, b);
			buf_addch(b, ' ');
		}
		hhmm(w[i].start, s);
		hhmm(w[i].end, e);
		buf_addf(b, "%s-%s", s, e);
		if (w[i].end < w[i].start)
			buf_addstr(b, " (overnight)");
	}
}

/*
 * Whether the wall-clock time `wall` is inside a window; *close (when not NULL): the wall
 * time the latest of the windows holding it closes.
 */
static int
inside(const struct plan *p, int64_t wall, int64_t *close)
{
	int64_t	 day = cal_floor_div(wall, DAY), sec = wall - day * DAY, c, best = TIME_NONE;
	int	 wd = cal_wday(day), yd = (wd + 6) % 7;
	size_t	 i;

	for (i = 0; i < p->nw; i++) {
		const struct window *w = &p->w[i];
		c = TIME_NONE;
		if (w->start < w->end) {
			if ((w->days >> wd & 1) && sec >= w->start * 60 && sec < w->end * 60)
				c = day * DAY + w->end * 60;
		} else if ((w->days >> wd & 1) && sec >= w->start * 60)
			c = (day + 1) * DAY + w->end * 60;
		else if ((w->days >> yd & 1) && sec < w->end * 60)
			c = day * DAY + w->end * 60;
		if (c != TIME_NONE && (best == TIME_NONE || c > best))
			best = c;
	}
	if (close)
		*close = best;
	return best != TIME_NONE;
}

/* The wall-clock time the first window opens strictly after `wall`. */
static int64_t
next_open(const struct plan *p, int64_t wall)
{
	int64_t	 day = cal_floor_div(wall, DAY), d, o, best = TIME_NONE;
	size_t	 i;

	/* every window has a day: within eight days one opens */
	for (d = day; d <= day + 8 && best == TIME_NONE; d++)
		for (i = 0; i < p->nw; i++) {
			o = d * DAY + p->w[i].start * 60;
			if ((p->w[i].days >> cal_wday(d) & 1) && o > wall &&
			    (best == TIME_NONE || o < best))
				best = o;
		}
	return best;
}

int
plan_nominal(const struct plan *p, int64_t after, struct fire *out)
{
	int64_t	 limit = after + PLAN_HORIZON, open, t;
	int	 steps;

	for (steps = 0; steps < MAX_STEPS; steps++) {
		if (sched_next(&p->s, p->z, p->anchor, after, out) == -1)
			return -1;
		if (p->nw == 0)
			return 0;
		if (out->at > limit)
			return -1;
		if (inside(p, out->wall, NULL))
			return 0;
		if ((open = next_open(p, out->wall)) == TIME_NONE)
			return -1;
		/* from just before the opening; always onwards */
		t = tz_from_wall(p->z, open) - 1;
		after = t > out->at ? t : out->at;
	}
	return -1;
}

int
plan_next(const struct plan *p, int64_t after, uint64_t rnd, struct planned *out)
{
	struct fire	 f, g;
	int64_t		 close, spread = p->jitter, c;

	if (plan_nominal(p, after, &f) == -1)
		return -1;
	if (spread > 0 && sched_next(&p->s, p->z, p->anchor, f.at, &g) == 0 &&
	    g.at - f.at - 1 < spread)
		spread = g.at - f.at - 1;
	if (spread > 0 && p->nw > 0 && inside(p, f.wall, &close)) {
		c = tz_from_wall(p->z, close) - f.at - 1;
		if (c < spread)
			spread = c;
	}
	if (spread < 0)
		spread = 0;
	out->nominal = f.at;
	out->wall = f.wall;
	out->flags = f.flags;
	out->spread = spread;
	out->at = f.at + (spread > 0 ? (int64_t)(rnd % (uint64_t)(spread + 1)) : 0);
	return 0;
}

uint64_t
plan_random(void)
{
	uint64_t	 r;

	util_random_bytes(&r, sizeof(r));
	return r;
}

/* "15 minutes", "90 seconds", "1 hour and 30 minutes" */
static void
duration(int64_t s, struct buf *b)
{
	int64_t	 h = s / 3600, m = s % 3600 / 60, sec = s % 60;

	if (h)
		buf_addf(b, "%lld hour%s", (long long)h, h == 1 ? "" : "s");
	if (m)
		buf_addf(b, "%s%lld minute%s", h ? (sec ? ", " : " and ") : "", (long long)m,
		    m == 1 ? "" : "s");
	if (sec)
		buf_addf(b, "%s%lld second%s", h || m ? " and " : "", (long long)sec,
		    sec == 1 ? "" : "s");
}

/* What windows and jitter add to a schedule's words. */
static void
describe_extra(const struct window *w, size_t nw, int64_t jitter, struct buf *b)
{
	if (nw > 0) {
		buf_addstr(b, ", only within ");
		windows_describe(w, nw, b);
	}
	if (jitter > 0) {
		buf_addstr(b, ", each run up to ");
		duration(jitter, b);
		buf_addstr(b, " later at random");
	}
}

void
plan_describe(const struct plan *p, struct buf *b)
{
	sched_describe(&p->s, b);
	describe_extra(p->w, p->nw, p->jitter, b);
}

void
plan_words_extra(const char *windows, int64_t jitter, struct buf *b)
{
	struct window	 w[PLAN_MAX_WINDOWS];
	size_t		 nw;

	if (windows_stored(windows, w, &nw) == -1)
		nw = 0;
	describe_extra(w, nw, jitter, b);
}

int
plan_parse(struct plan *p, enum sched_type type, const json_t *config, const struct tz *z,
    const json_t *windows, const json_t *jitter, int64_t anchor, struct verrs *errs)
{
	json_t	*norm = NULL;
	size_t	 nerr = errs->n;

	memset(p, 0, sizeof(*p));
	p->z = z;
	p->anchor = anchor;
	if (sched_parse(&p->s, type, config, "schedule_config", errs) == 0)
		sched_release(&p->s);	/* the config JSON; the rest stays valid */
	windows_parse(windows, "active_windows", p->w, &p->nw, &norm, errs);
	json_decref(norm);
	if (jitter != NULL && !json_is_null(jitter)) {
		if (!json_is_integer(jitter))
			verrs_addt(errs, "type_error.integer", "jitter_seconds", "must be an integer");
		else if (json_integer_value(jitter) < 0 ||
		    json_integer_value(jitter) > PLAN_MAX_JITTER)
			verrs_add(errs, "jitter_seconds", "must be between 0 and %d", PLAN_MAX_JITTER);
		else
			p->jitter = json_integer_value(jitter);
	}
	return errs->n > nerr ? -1 : 0;
}

json_t *
windows_from_text(const char *text, const char **msg)
{
	static char	 why[120];
	json_t		*out = json_array(), *o;
	const char	*s = text, *e, *sp, *dash;
	char		 item[200], t[8];
	size_t		 n;

	while (*s) {
		e = s + strcspn(s, ";");
		n = (size_t)(e - s);
		while (n > 0 && (*s == ' ' || *s == '\t'))
			s++, n--;
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == 0 || n >= sizeof(item)) {
			snprintf(why, sizeof(why), n ? "a window is too long" :
			    "has an empty window (windows are separated by ';')");
			goto bad;
		}
		memcpy(item, s, n);
		item[n] = '\0';
		o = json_object();
		json_array_append_new(out, o);
		/* the times are the last word: "09:00-18:00" */
		sp = strrchr(item, ' ');
		if (sp != NULL) {
			char *d = item;
			item[sp - item] = '\0';
			json_object_set_new(o, "days", json_string(d));
			sp++;
		} else
			sp = item;
		if ((dash = strchr(sp, '-')) == NULL || dash - sp > 5 || strlen(dash + 1) > 5) {
			snprintf(why, sizeof(why), "'%.40s' is not DAYS HH:MM-HH:MM, such as "
			    "mon-fri 09:00-18:00", sp);
			goto bad;
		}
		snprintf(t, sizeof(t), "%.*s", (int)(dash - sp), sp);
		json_object_set_new(o, "start", json_string(t));
		json_object_set_new(o, "end", json_string(dash + 1));
		s = *e ? e + 1 : e;
	}
	return out;
bad:
	*msg = why;
	json_decref(out);
	return NULL;
}

json_t *
plan_preview(const struct plan *p, int64_t from, int count)
{
	struct planned	 pl;
	json_t		*runs = json_array();
	char		 at[CAL_ISO_LEN], local[TZ_ISO_LEN], last[TZ_ISO_LEN];
	int		 n;

	for (n = 0; n < count && plan_next(p, from, 0, &pl) == 0; n++) {
		tz_iso(p->z, pl.nominal, local);
		if (pl.spread > 0)
			tz_iso(p->z, pl.nominal + pl.spread, last);
		json_array_append_new(runs, json_pack("{s:s,s:s,s:o,s:o}", "at",
		    cal_iso(pl.nominal, at), "local", local, "dst", pl.flags & FIRE_MOVED ?
		    json_string("moved") : pl.flags & FIRE_FIRST ? json_string("first_of_two") :
		    pl.flags & FIRE_REPEAT ? json_string("repeated") : json_null(),
		    "latest", pl.spread > 0 ? json_string(last) : json_null()));
		from = pl.nominal;
	}
	return runs;
}
