/*
 * autosched: the dashboard's job form, to create a job and to edit one.
 *
 * The form is read into the same JSON document the API takes and handed to the job
 * service, so both front ends validate alike; its errors are put back beside the fields
 * they name. A job being edited is first written out as form fields, so one function
 * renders the form whether its values come from the store or from what was posted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"

/* Day d of the week, Monday first as the form lists them (Monday 0). */
#define DAY(d)		(&cal_wdays[((d) + 1) % 7])

static const char *const sched_labels[6][2] = {
	{ "daily", "Every day" }, { "weekly", "Some days of the week" },
	{ "interval", "Every few hours or minutes" }, { "cron", "Cron expression" },
	{ "date", "Once, at a date and time" }, { "manual", "Only when started by hand" }
};

/* Window rows the form shows: the job's, and empty ones up to this many at least. */
#define FORM_WINDOWS	2

/* Form fields, as posted or as written out from a job. */
struct fields {
	struct req_pair	*kv;
	size_t		 n;
	int		 own;		/* kv is ours to free */
};

static const char *
fget(const struct fields *f, const char *name)
{
	return req_pairs_get(f->kv, f->n, name);
}

static int
fhas(const struct fields *f, const char *name, const char *value)
{
	return req_pairs_has(f->kv, f->n, name, value);
}

static void
fput(struct fields *f, const char *name, const char *fmt, ...) APP_PRINTF(3, 4);

static void
fput(struct fields *f, const char *name, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	f->kv = xrealloc(f->kv, (f->n + 1) * sizeof(*f->kv));
	f->kv[f->n].key = xstrdup(name);
	f->kv[f->n].val = xstrdup(b.data);
	f->n++;
	buf_release(&b);
}

static void
fields_release(struct fields *f)
{
	size_t	 i;

	if (!f->own)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->kv[i].key);
		free(f->kv[i].val);
	}
	free(f->kv);
}

/* The form field of bot parameter p of bot b: "p.BOT.NAME". */
static void
param_field(char *out, size_t sz, const struct bot *b, const struct param *p)
{
	snprintf(out, sz, "p.%s.%s", b->name, p->name);
}

/* Writes the values of a JSON scalar as a form value. */
static void
fput_json(struct fields *f, const char *name, const json_t *v)
{
	if (json_is_string(v))
		fput(f, name, "%s", json_string_value(v));
	else if (json_is_integer(v))
		fput(f, name, "%lld", (long long)json_integer_value(v));
	else if (json_is_true(v))
		fput(f, name, "1");
	else if (json_is_false(v))
		fput(f, name, "0");
}

/* Writes days bits (Sunday 0) as the checkboxes `name` the form posts. */
static void
days_fields(struct fields *f, const char *name, uint8_t bits)
{
	int	 d;

	for (d = 0; d < 7; d++)
		if (bits >> ((d + 1) % 7) & 1)
			fput(f, name, "%s", DAY(d)->key);
}

/* Writes the job's active windows as rows wN_days, wN_start, wN_end (N from 1). */
static void
windows_fields(const struct job *j, struct fields *f)
{
	struct window	 w[PLAN_MAX_WINDOWS];
	size_t		 nw, i;
	char		 name[32];

	if (windows_stored(j->active_windows, w, &nw) == -1)
		return;
	for (i = 0; i < nw; i++) {
		snprintf(name, sizeof(name), "w%zu_days", i + 1);
		days_fields(f, name, w[i].days);
		snprintf(name, sizeof(name), "w%zu_start", i + 1);
		fput(f, name, "%02u:%02u", w[i].start / 60u, w[i].start % 60u);
		snprintf(name, sizeof(name), "w%zu_end", i + 1);
		fput(f, name, "%02u:%02u", w[i].end / 60u, w[i].end % 60u);
	}
}

/* Writes job j out as the fields the form would post. */
static void
job_fields(const struct app *app, const struct job *j, struct fields *f)
{
	json_t		*sc = json_loads(j->schedule_config ? j->schedule_config : "{}", 0, NULL);
	json_t		*bc = json_loads(j->bot_config ? j->bot_config : "{}", 0, NULL);
	const char	*dow;
	char		 field[200], *p, *save;
	size_t		 i, k;

	memset(f, 0, sizeof(*f));
	f->own = 1;
	fput(f, "name", "%s", j->name ? j->name : "");
	fput(f, "description", "%s", j->description ? j->description : "");
	fput(f, "bot_type", "%s", j->bot_type ? j->bot_type : "");
	if (j->enabled)
		fput(f, "enabled", "1");
	fput(f, "schedule_type", "%s", sched_type_name(j->schedule_type));
	fput(f, "timezone", "%s", j->timezone ? j->timezone : app->conf.default_tz);
	fput(f, "max_instances", "%d", j->max_instances);
	fput(f, "misfire_grace_time", "%d", j->misfire_grace_time);
	fput(f, "pause_after_failures", "%d", j->pause_after_failures);
	if (j->coalesce)
		fput(f, "coalesce", "1");
	windows_fields(j, f);
	if (j->jitter_seconds % 60 == 0)
		fput(f, "jitter_minutes", "%d", j->jitter_seconds / 60);
	else
		fput(f, "jitter_minutes", "%.2f", j->jitter_seconds / 60.0);
	switch (j->schedule_type) {
	case SCHED_DAILY:
	case SCHED_WEEKLY:
		fput(f, j->schedule_type == SCHED_DAILY ? "daily_time" : "weekly_time",
		    "%02lld:%02lld", (long long)json_integer_value(json_object_get(sc, "hour")),
		    (long long)json_integer_value(json_object_get(sc, "minute")));
		if ((dow = json_string_value(json_object_get(sc, "day_of_week"))) != NULL) {
			/* stored normalised: names and ranges such as "mon-fri,sun" */
			char *copy = xstrdup(dow);
			for (p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
				int a = -1, z = -1, d;
				for (d = 0; d < 7; d++) {
					if (strncmp(p, DAY(d)->key, 3) == 0)
						a = d;
					if (strlen(p) == 7 && strncmp(p + 4, DAY(d)->key, 3) == 0)
						z = d;
				}
				if (a < 0)
					continue;
				if (z < 0)
					z = a;
				for (d = a; ; d = (d + 1) % 7) {
					fput(f, "days", "%s", DAY(d)->key);
					if (d == z)
						break;
				}
			}
			free(copy);
		}
		break;
	case SCHED_INTERVAL:
		fput(f, "hours", "%lld", (long long)json_integer_value(json_object_get(sc, "hours")));
		fput(f, "minutes", "%lld",
		    (long long)json_integer_value(json_object_get(sc, "minutes")));
		break;
	case SCHED_CRON:
		fput(f, "cron_expression", "%s",
		    json_string_value(json_object_get(sc, "cron_expression")) ?
		    json_string_value(json_object_get(sc, "cron_expression")) : "");
		break;
	case SCHED_DATE:
		fput(f, "run_at", "%s", json_string_value(json_object_get(sc, "run_at")) ?
		    json_string_value(json_object_get(sc, "run_at")) : "");
		break;
	default:
		break;
	}
	/* every bot's parameters: the job's values for its own, defaults for the others */
	for (i = 0; i < app->conf.nbots; i++) {
		const struct bot *b = &app->conf.bots[i];
		for (k = 0; k < b->nparams; k++) {
			const json_t *v = NULL;
			param_field(field, sizeof(field), b, &b->params[k]);
			if (j->bot_type && strcmp(b->name, j->bot_type) == 0)
				v = json_object_get(bc, b->params[k].name);
			if (v == NULL)
				v = b->params[k].def;
			fput_json(f, field, v);
		}
	}
	json_decref(sc);
	json_decref(bc);
}

/* Puts an integer field into doc as an integer, or as the text (so job_apply says why). */
static void
doc_int(json_t *o, const char *key, const char *text)
{
	int64_t	 v;

	if (text == NULL || *text == '\0')
		return;
	if (util_parse_int64(text, INT32_MIN, INT32_MAX, &v) == 0)
		json_object_set_new(o, key, json_integer(v));
	else
		json_object_set_new(o, key, json_string(text));
}

/* "08:30" into hour and minute of sc; errors go to field `field`. */
static void
doc_time(json_t *sc, const char *text, const char *field, struct verrs *e)
{
	int64_t	 h, m;
	char	 hh[3], mm[3];

	if (text == NULL || *text == '\0') {
		verrs_add(e, field, "enter a time of day such as 08:30");
		return;
	}
	if (strlen(text) < 4 || strlen(text) > 8 || strchr(text, ':') == NULL) {
		verrs_add(e, field, "enter a time of day as HH:MM, such as 08:30");
		return;
	}
	snprintf(hh, sizeof(hh), "%.*s", (int)(strchr(text, ':') - text), text);
	snprintf(mm, sizeof(mm), "%.2s", strchr(text, ':') + 1);
	if (util_parse_int64(hh, 0, 23, &h) == -1 || util_parse_int64(mm, 0, 59, &m) == -1 ||
	    strlen(strchr(text, ':') + 1) != 2) {
		verrs_add(e, field, "enter a time of day as HH:MM, such as 08:30");
		return;
	}
	json_object_set_new(sc, "hour", json_integer(h));
	json_object_set_new(sc, "minute", json_integer(m));
}

/* The schedule_config of the posted fields, for their schedule type. */
static json_t *
form_schedule(const struct fields *f, const char *type, struct verrs *e)
{
	json_t		*sc = json_object();
	struct buf	 dow = BUF_INIT;
	int		 d;

	if (type == NULL)
		return sc;
	if (strcmp(type, "daily") == 0)
		doc_time(sc, fget(f, "daily_time"), "daily_time", e);
	else if (strcmp(type, "weekly") == 0) {
		for (d = 0; d < 7; d++)
			if (fhas(f, "days", DAY(d)->key))
				buf_addf(&dow, "%s%s", dow.len ? "," : "", DAY(d)->key);
		if (dow.len == 0)
			verrs_add(e, "days", "choose at least one day");
		else
			json_object_set_new(sc, "day_of_week", json_string(dow.data));
		doc_time(sc, fget(f, "weekly_time"), "weekly_time", e);
	} else if (strcmp(type, "interval") == 0) {
		const char *h = fget(f, "hours"), *m = fget(f, "minutes");
		doc_int(sc, "hours", h && *h ? h : "0");
		doc_int(sc, "minutes", m && *m ? m : "0");
	} else if (strcmp(type, "cron") == 0)
		json_object_set_new(sc, "cron_expression",
		    json_string(fget(f, "cron_expression") ? fget(f, "cron_expression") : ""));
	else if (strcmp(type, "date") == 0) {
		if (fget(f, "run_at") == NULL || *fget(f, "run_at") == '\0')
			verrs_add(e, "run_at", "enter the date and time to run at");
		else
			json_object_set_new(sc, "run_at", json_string(fget(f, "run_at")));
	}
	buf_release(&dow);
	return sc;
}

/* How many window rows the posted fields fill (the last one with anything in it). */
static size_t
window_rows(const struct fields *f)
{
	size_t	 i, n = 0, rows = 0;
	char	 name[32];
	const char *v;

	for (i = 0; i < f->n; i++)
		if (f->kv[i].key[0] == 'w' && sscanf(f->kv[i].key, "w%zu_", &n) == 1 &&
		    n <= PLAN_MAX_WINDOWS && n > rows) {
			snprintf(name, sizeof(name), "w%zu_days", n);
			v = f->kv[i].val;
			if (strcmp(f->kv[i].key, name) == 0 || (v && *v))
				rows = n;
		}
	return rows;
}

/*
 * The active_windows of the posted rows (new: null when none is filled in). A row's own
 * mistakes go to e under its fields (w1_start ...).
 */
static json_t *
form_windows(const struct fields *f, struct verrs *e)
{
	json_t		*out = json_array(), *o;
	struct buf	 days = BUF_INIT;
	const char	*a, *z;
	char		 name[32];
	size_t		 r, rows = window_rows(f);
	int		 d;

	for (r = 1; r <= rows; r++) {
		buf_reset(&days);
		snprintf(name, sizeof(name), "w%zu_days", r);
		for (d = 0; d < 7; d++)
			if (fhas(f, name, DAY(d)->key))
				buf_addf(&days, "%s%s", days.len ? "," : "", DAY(d)->key);
		snprintf(name, sizeof(name), "w%zu_start", r);
		a = fget(f, name);
		snprintf(name, sizeof(name), "w%zu_end", r);
		z = fget(f, name);
		if ((a == NULL || *a == '\0') && (z == NULL || *z == '\0') && days.len == 0)
			continue;
		if (days.len == 0) {
			snprintf(name, sizeof(name), "w%zu_days", r);
			verrs_add(e, name, "choose at least one day for this window");
		}
		if (a == NULL || *a == '\0') {
			snprintf(name, sizeof(name), "w%zu_start", r);
			verrs_add(e, name, "enter the time the window opens, such as 09:00");
		}
		if (z == NULL || *z == '\0') {
			snprintf(name, sizeof(name), "w%zu_end", r);
			verrs_add(e, name, "enter the time the window closes, such as 18:00");
		}
		o = json_object();
		json_object_set_new(o, "days", json_string(days.len ? days.data : "mon"));
		json_object_set_new(o, "start", json_string(a ? a : ""));
		json_object_set_new(o, "end", json_string(z ? z : ""));
		json_array_append_new(out, o);
	}
	buf_release(&days);
	if (json_array_size(out) == 0) {
		json_decref(out);
		return json_null();
	}
	return out;
}

/* The jitter in minutes ("15", "1.5") as seconds into o, or the text (so job_apply says why). */
static void
form_jitter(const struct fields *f, json_t *o, struct verrs *e)
{
	const char	*v = fget(f, "jitter_minutes");
	char		*end;
	double		 m;

	if (v == NULL || *v == '\0') {
		json_object_set_new(o, "jitter_seconds", json_integer(0));
		return;
	}
	m = strtod(v, &end);
	if (*end != '\0' || end == v || !(m >= 0 && m <= PLAN_MAX_JITTER / 60))
		verrs_add(e, "jitter_minutes", "enter minutes from 0 to %d", PLAN_MAX_JITTER / 60);
	else
		json_object_set_new(o, "jitter_seconds", json_integer((json_int_t)(m * 60 + 0.5)));
}

/* The job document (as the API takes it) of the posted fields. */
static json_t *
form_doc(const struct app *app, const struct fields *f, struct verrs *e)
{
	json_t		*doc = json_object(), *bc = json_object();
	const char	*v, *type = fget(f, "schedule_type"), *bot = fget(f, "bot_type");
	const struct bot *b;
	char		 field[200];
	size_t		 k;

	if ((v = fget(f, "name")) != NULL)
		json_object_set_new(doc, "name", json_string(v));
	v = fget(f, "description");
	json_object_set_new(doc, "description", v && *v ? json_string(v) : json_null());
	if (bot != NULL)
		json_object_set_new(doc, "bot_type", json_string(bot));
	json_object_set_new(doc, "enabled", json_boolean(fhas(f, "enabled", "1")));
	if (type != NULL) {
		json_object_set_new(doc, "schedule_type", json_string(type));
		if (sched_type_from_name(type) >= 0)
			json_object_set_new(doc, "schedule_config", form_schedule(f, type, e));
	}
	if ((v = fget(f, "timezone")) != NULL)
		json_object_set_new(doc, "timezone", json_string(v));
	doc_int(doc, "max_instances", fget(f, "max_instances"));
	doc_int(doc, "misfire_grace_time", fget(f, "misfire_grace_time"));
	doc_int(doc, "pause_after_failures", fget(f, "pause_after_failures"));
	json_object_set_new(doc, "coalesce", json_boolean(fhas(f, "coalesce", "1")));
	json_object_set_new(doc, "active_windows", form_windows(f, e));
	form_jitter(f, doc, e);
	if (bot != NULL && (b = conf_bot(&app->conf, bot)) != NULL) {
		for (k = 0; k < b->nparams; k++) {
			const struct param *p = &b->params[k];
			param_field(field, sizeof(field), b, p);
			v = fget(f, field);
			if (p->type == PARAM_BOOL)
				json_object_set_new(bc, p->name, json_boolean(fhas(f, field, "1")));
			else if (v == NULL || *v == '\0')
				continue;
			else if (p->type == PARAM_INT)
				doc_int(bc, p->name, v);
			else
				json_object_set_new(bc, p->name, json_string(v));
		}
	}
	json_object_set_new(doc, "bot_config", bc);
	return doc;
}

/* Where an error of job_apply (or of the form itself) is shown: a field, and its label. */
static void
error_place(const char *loc, const char *type, const char *bot, char *field, size_t sz,
    const char **label)
{
	static const char *const names[][2] = {
		{ "name", "Name" }, { "description", "Description" }, { "bot_type", "Bot" },
		{ "enabled", "Enabled" }, { "schedule_type", "Schedule" },
		{ "timezone", "Time zone" }, { "max_instances", "Runs at once" },
		{ "misfire_grace_time", "Grace for late runs" }, { "coalesce", "Coalesce" },
		{ "daily_time", "Time of day" }, { "weekly_time", "Time of day" },
		{ "days", "Days" }, { "hours", "Hours" }, { "minutes", "Minutes" },
		{ "cron_expression", "Cron expression" }, { "schedule_config", "Schedule" },
		{ "run_at", "Date and time" }, { "windows", "Active windows" },
		{ "jitter_minutes", "Jitter" },
		{ "pause_after_failures", "Pause after failures" },
	};
	size_t	 n;
	size_t	 i;

	if (strncmp(loc, "schedule_config.", 16) == 0) {
		loc += 16;
		if (strcmp(loc, "hour") == 0 || strcmp(loc, "minute") == 0)
			loc = type && strcmp(type, "weekly") == 0 ? "weekly_time" : "daily_time";
		else if (strcmp(loc, "day_of_week") == 0)
			loc = "days";
		else if (strcmp(loc, "hours") != 0 && strcmp(loc, "minutes") != 0 &&
		    strcmp(loc, "cron_expression") != 0 && strcmp(loc, "run_at") != 0)
			loc = "schedule_config";
	}
	if (strncmp(loc, "bot_config.", 11) == 0 && bot != NULL) {
		snprintf(field, sz, "p.%s.%s", bot, loc + 11);
		*label = loc + 11;
		return;
	}
	if (strncmp(loc, "active_windows", 14) == 0)
		loc = "windows";
	if (strcmp(loc, "jitter_seconds") == 0)
		loc = "jitter_minutes";
	if (sscanf(loc, "w%zu_", &n) == 1) {
		/* a window row's own field */
		static char lab[32];
		snprintf(field, sz, "%s", loc);
		snprintf(lab, sizeof(lab), "Active window %zu", n);
		*label = lab;
		return;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(loc, names[i][0]) == 0) {
			snprintf(field, sz, "%s", loc);
			*label = names[i][1];
			return;
		}
	snprintf(field, sz, "schedule_config");
	*label = *loc ? loc : "Form";
}

/* The HTML id of a field (ids cannot hold the dots of parameter fields). */
static void
field_id(char *out, size_t sz, const char *field)
{
	size_t	 i;

	snprintf(out, sz, "%s", field);
	for (i = 0; out[i]; i++)
		if (out[i] == '.')
			out[i] = '-';
	if (strcmp(out, "schedule_config") == 0)
		snprintf(out, sz, "schedule_type");
}

/* The preview of the schedule the fields describe (also when the form has errors). */
static void
form_preview(struct web *w, struct tmpl_dict *c, const struct fields *f)
{
	const char	*type = fget(f, "schedule_type"), *zone = fget(f, "timezone"), *why;
	struct verrs	 e = VERRS_INIT;
	struct plan	 pl;
	struct buf	 b = BUF_INIT;
	const struct tz	*z;
	json_t		*sc = NULL, *win = NULL, *jit = json_object();
	struct tmpl_dict *p;
	int		 t;

	if (type == NULL || (t = sched_type_from_name(type)) < 0) {
		tmpl_set(tmpl_section(c, "PREVIEW_ERROR"), "TEXT", "Choose a schedule to see "
		    "when the job will run.");
		goto out;
	}
	if ((z = tz_get(zone && *zone ? zone : w->r->app->conf.default_tz, &why)) == NULL) {
		tmpl_set(tmpl_section(c, "PREVIEW_ERROR"), "TEXT", "Choose a valid time zone to "
		    "see when the job will run.");
		goto out;
	}
	sc = form_schedule(f, type, &e);
	win = form_windows(f, &e);
	form_jitter(f, jit, &e);
	if (e.n > 0 || plan_parse(&pl, (enum sched_type)t, sc, z, win,
	    json_object_get(jit, "jitter_seconds"), w->r->now, &e) == -1) {
		buf_addstr(&b, "The schedule is not complete: ");
		buf_addstr(&b, e.n ? e.v[0].msg : "check its fields");
		buf_addch(&b, '.');
		tmpl_set(tmpl_section(c, "PREVIEW_ERROR"), "TEXT", b.data);
		goto out;
	}
	p = tmpl_section(c, "PREVIEW");
	plan_describe(&pl, &b);
	buf_addf(&b, ", %s time.", tz_name(z));
	tmpl_set(p, "WORDS", b.data);
	if (t == SCHED_MANUAL)
		tmpl_set(tmpl_section(p, "NO_RUNS"), "TEXT", "Runs only when started by hand.");
	else if (html_next_runs(w, tmpl_section(p, "RUNS"), &pl, w->r->now, TIME_NONE,
	    TIME_NONE, WEB_NEXT_RUNS) == 0)
		tmpl_set(tmpl_section(p, "NO_RUNS"), "TEXT", t == SCHED_DATE ?
		    "This date has passed, or is outside every window." :
		    "This schedule never fires.");
out:
	json_decref(sc);
	json_decref(win);
	json_decref(jit);
	verrs_release(&e);
	buf_release(&b);
}

/* The window rows: the posted or stored ones, and at least one empty to fill in. */
static void
form_window_rows(struct tmpl_dict *c, const struct fields *f, const struct verrs *e)
{
	struct tmpl_dict *row, *d;
	size_t		 rows = window_rows(f), r, i;
	char		 name[32], id[32];
	int		 dd;

	if (rows < PLAN_MAX_WINDOWS)
		rows++;
	if (rows < FORM_WINDOWS)
		rows = FORM_WINDOWS;
	for (r = 1; r <= rows; r++) {
		row = tmpl_section(c, "WIN");
		tmpl_set_int(row, "N", (long long)r);
		snprintf(name, sizeof(name), "w%zu_days", r);
		tmpl_set(row, "DAYS_NAME", name);
		for (dd = 0; dd < 7; dd++) {
			d = tmpl_section(row, "WDAY");
			tmpl_set(d, "NAME", name);
			tmpl_set(d, "VALUE", DAY(dd)->key);
			tmpl_set(d, "LONG", DAY(dd)->full);
			tmpl_set(d, "LABEL", DAY(dd)->abbr);
			if (fhas(f, name, DAY(dd)->key))
				tmpl_show(d, "SEL");
		}
		snprintf(id, sizeof(id), "w%zu_start", r);
		tmpl_set(row, "START", fget(f, id));
		snprintf(id, sizeof(id), "w%zu_end", r);
		tmpl_set(row, "END", fget(f, id));
		snprintf(id, sizeof(id), "w%zu_", r);
		for (i = 0; e && i < e->n; i++)
			if (strncmp(e->v[i].field, id, strlen(id)) == 0) {
				tmpl_show(row, "HAS_ERR");
				tmpl_set(tmpl_section(row, "ERR"), "TEXT", e->v[i].msg);
			}
	}
}

/* Renders the form with fields f and errors e (may be empty) at status. */
static void
form_render(struct web *w, const struct job *j, const struct fields *f,
    const struct verrs *e, int status)
{
	struct app	*app = w->r->app;
	struct tmpl_dict *c, *d, *bd, *pd, *errs = NULL, *it;
	const char	*type = fget(f, "schedule_type"), *bot = fget(f, "bot_type"), *v;
	const char	*label;
	char		 field[200], fid[200], key[220];
	struct buf	 b = BUF_INIT;
	const char *const *zones;
	size_t		 i, k, q, nzones;
	int		 dd, adv = 0;

	c = html_page(w, j ? "Edit job" : "New job", "job_form.tpl");
	if (j) {
		buf_addf(&b, "Edit \xe2\x80\x9c%s\xe2\x80\x9d", j->name);
		tmpl_set(c, "HEADING", b.data);
		buf_reset(&b);
		buf_addf(&b, "%s/jobs/%s", w->r->script, j->id);
		tmpl_set(c, "ACTION", b.data);
		tmpl_set(c, "CANCEL", b.data);
		tmpl_set(c, "SUBMIT", "Save");
	} else {
		tmpl_set(c, "HEADING", "New job");
		buf_addf(&b, "%s/jobs", w->r->script);
		tmpl_set(c, "ACTION", b.data);
		buf_reset(&b);
		buf_addf(&b, "%s/", w->r->script);
		tmpl_set(c, "CANCEL", b.data);
		tmpl_set(c, "SUBMIT", "Create the job");
	}
	tmpl_set(c, "NAME", fget(f, "name"));
	tmpl_set_int(c, "NAME_MAX", JOB_NAME_MAX);
	tmpl_set(c, "DESCRIPTION", fget(f, "description"));
	tmpl_set_int(c, "DESC_MAX", JOB_DESC_MAX);
	for (i = 0; i < app->conf.nbots; i++) {
		d = tmpl_section(c, "BOT_OPT");
		tmpl_set(d, "VALUE", app->conf.bots[i].name);
		tmpl_set(d, "DESC", app->conf.bots[i].description ?
		    app->conf.bots[i].description : "");
		if (bot && strcmp(bot, app->conf.bots[i].name) == 0)
			tmpl_show(d, "SEL");
	}
	if (fhas(f, "enabled", "1"))
		tmpl_show(c, "ENABLED");
	html_options(c, "ST_OPT", sched_labels, 6, type);
	tmpl_set(c, "RUN_AT", fget(f, "run_at"));
	form_window_rows(c, f, e);
	tmpl_set(c, "JITTER", fget(f, "jitter_minutes"));
	tmpl_set_int(c, "MAX_JITTER_MIN", PLAN_MAX_JITTER / 60);
	tmpl_set(c, "DAILY_TIME", fget(f, "daily_time"));
	tmpl_set(c, "WEEKLY_TIME", fget(f, "weekly_time"));
	for (dd = 0; dd < 7; dd++) {
		d = tmpl_section(c, "DAY");
		tmpl_set(d, "VALUE", DAY(dd)->key);
		tmpl_set(d, "LONG", DAY(dd)->full);
		tmpl_set(d, "LABEL", DAY(dd)->abbr);
		if (fhas(f, "days", DAY(dd)->key))
			tmpl_show(d, "SEL");
	}
	tmpl_set(c, "HOURS", fget(f, "hours"));
	tmpl_set(c, "MINUTES", fget(f, "minutes"));
	tmpl_set(c, "CRON", fget(f, "cron_expression"));
	tmpl_set(c, "TIMEZONE", fget(f, "timezone"));
	for (zones = tz_zones(&nzones), i = 0; i < nzones; i++)
		tmpl_set(tmpl_section(c, "ZONE"), "NAME", zones[i]);
	tmpl_set(c, "MAX_INSTANCES", fget(f, "max_instances"));
	tmpl_set_int(c, "MAX_INST", JOB_MAX_INSTANCES);
	tmpl_set(c, "GRACE", fget(f, "misfire_grace_time"));
	tmpl_set_int(c, "MAX_GRACE", JOB_MAX_GRACE);
	tmpl_set(c, "PAUSE_AFTER", fget(f, "pause_after_failures"));
	tmpl_set_int(c, "MAX_PAUSE_AFTER", JOB_MAX_PAUSE_AFTER);
	if (fhas(f, "coalesce", "1"))
		tmpl_show(c, "COALESCE");

	/* errors: in a summary at the top, and beside their fields */
	for (i = 0; e && i < e->n; i++) {
		error_place(e->v[i].field, type, bot, field, sizeof(field), &label);
		if (errs == NULL)
			errs = tmpl_section(c, "ERRORS");
		it = tmpl_section(errs, "ITEM");
		field_id(fid, sizeof(fid), field);
		tmpl_set(it, "FOR", fid);
		tmpl_set(it, "LABEL", label);
		tmpl_set(it, "TEXT", e->v[i].msg);
		if (strncmp(field, "p.", 2) != 0) {
			snprintf(key, sizeof(key), "E_%s", field);
			tmpl_set(tmpl_section(c, key), "TEXT", e->v[i].msg);
		}
		if (strcmp(field, "max_instances") == 0 ||
		    strcmp(field, "misfire_grace_time") == 0 ||
		    strcmp(field, "pause_after_failures") == 0)
			adv = 1;
	}
	if (adv)
		tmpl_show(c, "ADV_OPEN");

	for (i = 0; i < app->conf.nbots; i++) {
		const struct bot *b2 = &app->conf.bots[i];
		bd = tmpl_section(c, "BOT");
		tmpl_set(bd, "NAME", b2->name);
		if (b2->nparams == 0)
			tmpl_show(bd, "NO_PARAM");
		for (k = 0; k < b2->nparams; k++) {
			const struct param *p = &b2->params[k];
			param_field(field, sizeof(field), b2, p);
			field_id(fid, sizeof(fid), field);
			pd = tmpl_section(bd, "PARAM");
			tmpl_set(pd, "FIELD", field);
			tmpl_set(pd, "FID", fid);
			tmpl_set(pd, "LABEL", p->name);
			v = fget(f, field);
			switch (p->type) {
			case PARAM_BOOL:
				/* a checked box posts "0" (the hidden field) and "1" */
				tmpl_show(pd, "IS_BOOL");
				if (fhas(f, field, "1"))
					tmpl_show(pd, "ON");
				break;
			case PARAM_INT:
				d = tmpl_section(pd, "IS_INT");
				tmpl_set_int(d, "MIN", p->min);
				tmpl_set_int(d, "MAX", p->max);
				tmpl_set(d, "VALUE", v);
				buf_reset(&b);
				buf_addf(&b, "A whole number from %lld to %lld.", (long long)p->min,
				    (long long)p->max);
				tmpl_set(tmpl_section(pd, "HINT"), "TEXT", b.data);
				break;
			case PARAM_STRING:
				if (p->nchoices > 0) {
					d = tmpl_section(pd, "IS_CHOICE");
					for (q = 0; q < p->nchoices; q++) {
						struct tmpl_dict *o = tmpl_section(d, "OPT");
						tmpl_set(o, "VALUE", p->choices[q]);
						if (v && strcmp(v, p->choices[q]) == 0)
							tmpl_show(o, "SEL");
					}
				} else {
					d = tmpl_section(pd, "IS_TEXT");
					tmpl_set(d, "VALUE", v);
					tmpl_set_int(d, "MAXLEN", (long long)p->max_len);
				}
				break;
			}
			/* this parameter's errors, when its bot is the job's */
			for (q = 0; e && bot && strcmp(bot, b2->name) == 0 && q < e->n; q++)
				if (strncmp(e->v[q].field, "bot_config.", 11) == 0 &&
				    strcmp(e->v[q].field + 11, p->name) == 0)
					tmpl_set(tmpl_section(pd, "ERR"), "TEXT", e->v[q].msg);
		}
	}
	form_preview(w, c, f);
	html_render(w, status);
	buf_release(&b);
}

/* The fields of the schedule types other than the job's, at sensible values. */
static void
other_types(struct fields *f, enum sched_type type)
{
	if (type != SCHED_DAILY)
		fput(f, "daily_time", "08:00");
	if (type != SCHED_WEEKLY) {
		fput(f, "weekly_time", "08:00");
		fput(f, "days", "mon");
	}
	if (type != SCHED_INTERVAL) {
		fput(f, "hours", "1");
		fput(f, "minutes", "0");
	}
	if (type != SCHED_CRON)
		fput(f, "cron_expression", "0 8 * * 1-5");
	if (type != SCHED_DATE)
		fput(f, "run_at", "%s", "");
}

void
page_form_new(struct web *w, const char *id)
{
	struct job	 j;
	struct fields	 f;
	const struct bot *b = w->r->app->conf.nbots ? &w->r->app->conf.bots[0] : NULL;
	const char	*want = req_query(w->r, "bot_type");

	job_defaults(&j);
	if (want && conf_bot(&w->r->app->conf, want))
		b = conf_bot(&w->r->app->conf, want);
	j.name = xstrdup("");
	j.bot_type = xstrdup(b ? b->name : "");
	j.schedule_type = SCHED_DAILY;
	j.schedule_config = xstrdup("{\"hour\":8,\"minute\":0}");
	j.timezone = xstrdup(w->r->app->conf.default_tz);
	job_fields(w->r->app, &j, &f);
	other_types(&f, j.schedule_type);
	form_render(w, NULL, &f, NULL, 200);
	fields_release(&f);
	job_release(&j);
}

static void
posted(struct web *w, struct fields *f)
{
	f->kv = w->r->form;
	f->n = w->r->nform;
	f->own = 0;
}

void
page_form_create(struct web *w, const char *id)
{
	struct jobs_ctx	 ctx = html_jobs_ctx(w);
	struct fields	 f;
	struct verrs	 e = VERRS_INIT;
	struct job	 j;
	enum jobs_res	 res;
	json_t		*doc;

	posted(w, &f);
	if (fget(&f, "preview") != NULL) {
		form_render(w, NULL, &f, NULL, 200);
		return;
	}
	/* the form's own errors and the service's are shown together */
	doc = form_doc(w->r->app, &f, &e);
	if ((res = jobs_create(&ctx, doc, &j, &e)) == JOBS_OK) {
		req_redirect(w->r, "/jobs/%s?done=created&job=%s", j.id, j.id);
		job_release(&j);
	} else if (res == JOBS_INVALID)
		form_render(w, NULL, &f, &e, 422);
	else
		html_fail(w, res);
	json_decref(doc);
	verrs_release(&e);
}

void
page_form_edit(struct web *w, const char *id)
{
	struct job	 j;
	struct fields	 f;

	if (html_load_job(w, id, &j) == -1)
		return;
	job_fields(w->r->app, &j, &f);
	other_types(&f, j.schedule_type);
	form_render(w, &j, &f, NULL, 200);
	fields_release(&f);
	job_release(&j);
}

void
page_form_update(struct web *w, const char *id)
{
	struct jobs_ctx	 ctx = html_jobs_ctx(w);
	struct fields	 f;
	struct verrs	 e = VERRS_INIT;
	struct job	 j;
	char		 lower[UUID_LEN];
	enum jobs_res	 res;
	json_t		*doc;

	posted(w, &f);
	if (fget(&f, "preview") != NULL) {
		if (html_load_job(w, id, &j) == 0) {
			form_render(w, &j, &f, NULL, 200);
			job_release(&j);
		}
		return;
	}
	doc = form_doc(w->r->app, &f, &e);
	if (e.n > 0) {
		/* the form itself is wrong: shown with the job as stored */
		if (html_load_job(w, id, &j) == 0) {
			form_render(w, &j, &f, &e, 422);
			job_release(&j);
		}
	} else if (html_job_id(w, id, lower) == -1)
		;
	else if ((res = jobs_update(&ctx, lower, doc, &j, &e)) == JOBS_OK) {
		req_redirect(w->r, "/jobs/%s?done=saved&job=%s", j.id, j.id);
		job_release(&j);
	} else if (res == JOBS_INVALID) {
		/* the job as stored: the heading keeps the stored name */
		form_render(w, &j, &f, &e, 422);
		job_release(&j);
	} else
		html_fail(w, res);
	json_decref(doc);
	verrs_release(&e);
}

void
page_form_preview(struct web *w, const char *id)
{
	preview_answer(w->r);
}
