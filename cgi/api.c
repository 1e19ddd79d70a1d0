/*
 * autosched: the JSON API of SPEC §5: routes and handlers.
 *
 * Routing is a table matched on PATH_INFO, so the program does not care where it is
 * mounted (/api/scheduler, /scheduler, ...): SCRIPT_NAME only prefixes the Location of new
 * jobs. An unknown path is a 404, a known path with another method a 405 with Allow, and
 * every route but /health needs an API key (X-API-Key or Authorization: Bearer), else 401.
 * Errors keep FastAPI's shapes: {"detail": "..."} and the 422 list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cgi.h"
#include "pauses.h"

#define LIST_DEFAULT_LIMIT	100
#define LIST_MAX_LIMIT		1000
#define HISTORY_DEFAULT_LIMIT	50
#define HISTORY_MAX_LIMIT	1000

typedef void	(*handler_fn)(struct req *, const char *id);

static void	api_jobs(struct req *, const char *);
static void	api_job(struct req *, const char *);
static void	api_toggle(struct req *, const char *);
static void	api_run(struct req *, const char *);
static void	api_history(struct req *, const char *);
static void	api_preview(struct req *, const char *);
static void	api_health(struct req *, const char *);
static void	api_metrics(struct req *, const char *);
static void	api_bot_types(struct req *, const char *);
static void	api_resume(struct req *, const char *);
static void	api_pauses(struct req *, const char *);
static void	api_pause(struct req *, const char *);

enum page {
	PAGE_JOBS,
	PAGE_JOB,
	PAGE_JOB_TOGGLE,
	PAGE_JOB_RUN,
	PAGE_JOB_HISTORY,
	PAGE_PREVIEW,
	PAGE_HEALTH,
	PAGE_METRICS,
	PAGE_BOT_TYPES,
	PAGE_JOB_RESUME,
	PAGE_PAUSES,
	PAGE_PAUSE,
	PAGE__MAX
};

static const struct route {
	const char	*pattern;	/* segments; "*" is the job id */
	int		 methods;
	int		 auth;
	handler_fn	 fn;
} routes[PAGE__MAX] = {
	[PAGE_JOBS] = { "jobs", M_GET | M_POST, 1, api_jobs },
	[PAGE_JOB] = { "jobs/*", M_GET | M_PUT | M_DELETE, 1, api_job },
	[PAGE_JOB_TOGGLE] = { "jobs/*/toggle", M_POST, 1, api_toggle },
	[PAGE_JOB_RUN] = { "jobs/*/run", M_POST, 1, api_run },
	[PAGE_JOB_HISTORY] = { "jobs/*/history", M_GET, 1, api_history },
	[PAGE_PREVIEW] = { "preview", M_GET, 1, api_preview },
	[PAGE_HEALTH] = { "health", M_GET, 0, api_health },
	[PAGE_METRICS] = { "metrics", M_GET, 1, api_metrics },
	[PAGE_BOT_TYPES] = { "bot-types", M_GET, 1, api_bot_types },
	[PAGE_JOB_RESUME] = { "jobs/*/resume", M_POST, 1, api_resume },
	[PAGE_PAUSES] = { "pauses", M_GET | M_POST, 1, api_pauses },
	[PAGE_PAUSE] = { "pauses/*", M_DELETE, 1, api_pause },
};

static int	api_init(struct app *);
static void	api_serve(struct req *);

const struct program program = { "autosched-api", api_init, api_serve };

static int
api_init(struct app *app)
{
	(void)app;
	return 0;
}

/* Authenticates with X-API-Key or Authorization: Bearer. Returns 0, or -1 after a 401. */
static int
authenticate(struct req *r)
{
	const char	*key = req_env(r, "HTTP_X_API_KEY"), *auth;
	unsigned char	 hash[KEY_HASH_LEN];
	enum db_res	 res;

	if (key == NULL && (auth = req_env(r, "HTTP_AUTHORIZATION")) != NULL &&
	    strncasecmp(auth, "Bearer ", 7) == 0)
		key = auth + 7 + strspn(auth + 7, " ");
	if (key == NULL || *key == '\0') {
		req_header(r, "WWW-Authenticate", "Bearer");
		req_detail(r, 401, "Missing API key: send it as X-API-Key or "
		    "Authorization: Bearer");
		return -1;
	}
	key_hash(key, strlen(key), hash);
	res = db_apikey_match(r->app->db, hash, r->who);
	if (res == DB_OK)
		return 0;
	if (res != DB_NOTFOUND) {
		req_fail(r, jobs_res_of(res));
		return -1;
	}
	req_header(r, "WWW-Authenticate", "Bearer");
	req_detail(r, 401, "Invalid API key");
	return -1;
}

static void
api_serve(struct req *r)
{
	char	 id[REQ_MAX_ID + 1] = "";
	int	 i;

	for (i = 0; i < PAGE__MAX; i++)
		if (req_route(routes[i].pattern, r->path, id))
			break;
	if (i == PAGE__MAX) {
		req_detail(r, 404, "Not Found");
		return;
	}
	if (!(routes[i].methods & r->mbit)) {
		req_method_not_allowed(r, routes[i].methods);
		return;
	}
	if (routes[i].auth && authenticate(r) == -1)
		return;
	if (req_parse_query(r) == -1)
		return;
	routes[i].fn(r, id);
}

/* Helpers */

/*
 * Writes job id in canonical form (lower case) into lower[UUID_LEN]. Ids are UUIDs: for
 * anything else, answers 404 and returns -1.
 */
static int
job_id(struct req *r, const char *id, char *lower)
{
	if (uuid_canon(id, lower) == -1) {
		req_detail(r, 404, "Job %s not found", id);
		return -1;
	}
	return 0;
}

/* Answers with job id as the store renders it. */
static void
job_answer(struct req *r, int status, const char *id)
{
	enum db_res	 res;

	buf_reset(&r->body);
	res = db_job_json(r->app->db, id, &r->body);
	if (res == DB_OK) {
		r->status = status;
		r->content_type = "application/json";
	} else if (res == DB_NOTFOUND)
		req_detail(r, 404, "Job %s not found", id);
	else
		req_fail(r, jobs_res_of(res));
}

/* The job service on behalf of this request's API key. */
static struct jobs_ctx
ctx_of(struct req *r)
{
	struct jobs_ctx	 ctx = { r->app->db, &r->app->conf, r->who, "api", r->now, 0 };

	return ctx;
}

/*
 * Answers a change to job id (canonical) that the service refused: the validation errors,
 * a 404 naming the id as given, or the store's failure.
 */
static void
refused(struct req *r, enum jobs_res res, const char *id, const struct verrs *e)
{
	if (res == JOBS_INVALID)
		req_invalid(r, "body", e);
	else if (res == JOBS_NOTFOUND)
		req_detail(r, 404, "Job %s not found", id);
	else
		req_fail(r, res);
}

/* Answers a change to a job: 200 with the job as saved, or why it was refused. */
static void
changed(struct req *r, enum jobs_res res, const struct job *j, const char *id,
    const struct verrs *e)
{
	if (res == JOBS_OK)
		job_answer(r, 200, j->id);
	else
		refused(r, res, id, e);
}

/* The guardrails in /metrics: paused jobs, and the pauses of the kill switch in force. */
static void
metrics_pauses(struct req *r, struct buf *b)
{
	struct pause	*p;
	int64_t		 paused = 0;
	size_t		 n = 0, i, k, c;

	db_jobs_paused(r->app->db, &paused);
	buf_addf(b, "# HELP autosched_jobs_paused Jobs paused (after failures, by their bot, or "
	    "by hand).\n# TYPE autosched_jobs_paused gauge\nautosched_jobs_paused %lld\n",
	    (long long)paused);
	buf_addstr(b, "# HELP autosched_pauses_active Pauses of the kill switch in force, by the "
	    "bot type they cover (\"*\": every bot).\n# TYPE autosched_pauses_active gauge\n");
	if (db_pauses(r->app->db, r->now, &p, &n) != DB_OK)
		return;
	for (k = c = 0; k < n; k++)
		c += p[k].bot_type == NULL;
	buf_addf(b, "autosched_pauses_active{bot_type=\"*\"} %zu\n", c);
	for (i = 0; i < r->app->conf.nbots; i++) {
		const char *name = r->app->conf.bots[i].name;
		for (k = c = 0; k < n; k++)
			c += p[k].bot_type && strcmp(p[k].bot_type, name) == 0;
		buf_addf(b, "autosched_pauses_active{bot_type=\"%s\"} %zu\n", name, c);
	}
	for (i = 0; i < n; i++)
		pause_release(&p[i]);
	free(p);
}

/* Handlers */

/* GET /jobs/{id}: revalidatable, and kept while the jobs' generation stands. */
static void
job_get(struct req *r, const char *id)
{
	enum db_res	 res;
	int64_t		 gen;
	char		 tag[32], key[8 + UUID_LEN];

	if ((res = db_generation(r->app->db, &gen)) != DB_OK) {
		req_fail(r, jobs_res_of(res));
		return;
	}
	snprintf(tag, sizeof(tag), "j%lld", (long long)gen);
	snprintf(key, sizeof(key), "job %s", id);
	if (!cache_get(r, key, gen)) {
		job_answer(r, 200, id);
		cache_put(r, key, gen, 0);
	}
	/* after the answer: a job that is not there has no tag */
	if (r->status == 200)
		req_etag(r, tag);
}

static void
jobs_list(struct req *r)
{
	static const char *const params[] = {
		"enabled_only", "bot_type", "limit", "offset", NULL
	};
	struct verrs	 e = VERRS_INIT;
	struct job_filter f;
	struct buf	 key = BUF_INIT;
	const char	*v;
	enum db_res	 res;
	int64_t		 total, gen;
	char		 tag[32];
	int		 b;

	if (req_only_params(r, params) == -1)
		return;
	memset(&f, 0, sizeof(f));
	f.enabled = -1;
	if ((v = req_query(r, "enabled_only")) != NULL && req_bool(v, &b) == -1)
		verrs_add(&e, "enabled_only", "must be true or false");
	else if (v != NULL && b)
		f.enabled = 1;
	f.bot_type = req_query(r, "bot_type");
	req_query_int(r, "limit", LIST_DEFAULT_LIMIT, 1, LIST_MAX_LIMIT, &e, &f.limit);
	req_query_int(r, "offset", 0, 0, INT64_MAX / 2, &e, &f.offset);
	if (e.n > 0) {
		req_invalid(r, "query", &e);
		verrs_release(&e);
		return;
	}
	/* the generation first: what follows is at least as new as it */
	if ((res = db_generation(r->app->db, &gen)) != DB_OK) {
		req_fail(r, jobs_res_of(res));
		return;
	}
	snprintf(tag, sizeof(tag), "j%lld", (long long)gen);
	if (req_etag(r, tag))
		return;
	buf_addf(&key, "list %d %lld %lld %s", f.enabled, (long long)f.limit,
	    (long long)f.offset, f.bot_type ? f.bot_type : "");
	if (!cache_get(r, key.data, gen)) {
		if ((res = db_job_list_json(r->app->db, &f, &r->body, &total)) != DB_OK) {
			buf_reset(&r->body);
			req_fail(r, jobs_res_of(res));
		} else {
			req_header(r, "X-Total-Count", "%lld", (long long)total);
			cache_put(r, key.data, gen, 0);
		}
	}
	buf_release(&key);
}

static void
jobs_create_one(struct req *r)
{
	struct jobs_ctx	 ctx = ctx_of(r);
	struct job	 j;
	struct verrs	 e = VERRS_INIT;
	enum jobs_res	 res;
	json_t		*doc;

	if (req_json_body(r, 0, &doc) == -1)
		return;
	if ((res = jobs_create(&ctx, doc, &j, &e)) == JOBS_OK) {
		req_header(r, "Location", "%s/jobs/%s", r->script, j.id);
		job_answer(r, 201, j.id);
		job_release(&j);
	} else
		refused(r, res, "", &e);
	verrs_release(&e);
	json_decref(doc);
}

static void
api_jobs(struct req *r, const char *id)
{
	(void)id;
	if (r->mbit == M_GET)
		jobs_list(r);
	else
		jobs_create_one(r);
}

static void
api_job(struct req *r, const char *id)
{
	struct jobs_ctx	 ctx = ctx_of(r);
	struct job	 j;
	char		 lower[UUID_LEN];
	enum jobs_res	 res;
	int64_t		 left;
	json_t		*doc;

	if (r->nq > 0 && req_only_params(r, (const char *const[]){ NULL }) == -1)
		return;
	switch (r->mbit) {
	case M_GET:
		if (job_id(r, id, lower) == 0)
			job_get(r, lower);
		break;
	case M_PUT:
		if (req_json_body(r, 0, &doc) == -1)
			return;
		if (job_id(r, id, lower) == 0) {
			struct verrs e = VERRS_INIT;
			res = jobs_update(&ctx, lower, doc, &j, &e);
			changed(r, res, &j, id, &e);
			job_release(&j);
			verrs_release(&e);
		}
		json_decref(doc);
		break;
	case M_DELETE:
		if (job_id(r, id, lower) == -1)
			return;
		if ((res = jobs_delete(&ctx, lower, &j, &left)) == JOBS_OK && left > 0)
			/* deleted, but schedd has not yet taken every queued run back */
			req_detail(r, 202, "Job %s deleted; %lld of its runs queued in Redis are "
			    "still to be taken back by schedd, which did not answer in time: one "
			    "may start if a worker takes it first", j.id, (long long)left);
		else if (res == JOBS_OK)
			r->status = 204;
		else
			refused(r, res, id, NULL);
		job_release(&j);
		break;
	}
}

static void
api_toggle(struct req *r, const char *id)
{
	static const char *const params[] = { "enabled", NULL };
	struct jobs_ctx	 ctx = ctx_of(r);
	struct verrs	 e = VERRS_INIT;
	struct job	 j;
	char		 lower[UUID_LEN];
	enum jobs_res	 res;
	const char	*q;
	json_t		*doc = NULL, *v;
	int		 want = -1, b;

	if (req_only_params(r, params) == -1 || req_json_body(r, 1, &doc) == -1)
		return;
	if (doc != NULL) {
		const char *key;
		json_t *val;
		if (!json_is_object(doc))
			verrs_addt(&e, "type_error.dict", "", "the body must be a JSON object");
		else
			json_object_foreach(doc, key, val)
				if (strcmp(key, "enabled") != 0)
					verrs_addt(&e, "value_error.extra", key,
					    "extra fields not permitted");
		if (e.n == 0 && (v = json_object_get(doc, "enabled")) != NULL) {
			if (!json_is_boolean(v))
				verrs_addt(&e, "type_error.bool", "enabled",
				    "must be true or false");
			else
				want = json_is_true(v);
		}
		if (e.n > 0) {
			req_invalid(r, "body", &e);
			goto out;
		}
	}
	if ((q = req_query(r, "enabled")) != NULL) {
		if (req_bool(q, &b) == -1) {
			verrs_add(&e, "enabled", "must be true or false");
			req_invalid(r, "query", &e);
			goto out;
		}
		if (want != -1 && want != b) {
			verrs_add(&e, "enabled", "the query and the body disagree");
			req_invalid(r, "query", &e);
			goto out;
		}
		want = b;
	}
	if (want == -1) {
		/* no flip: a request sent twice must not undo itself (the plan's enabled) */
		verrs_addt(&e, "value_error.missing", "enabled", "field required: send "
		    "?enabled=true or false, or {\"enabled\": true or false}");
		req_invalid(r, "query", &e);
		goto out;
	}
	if (job_id(r, id, lower) == 0) {
		res = jobs_set_enabled(&ctx, lower, want, &j, &e);
		changed(r, res, &j, id, &e);
		job_release(&j);
	}
out:
	verrs_release(&e);
	json_decref(doc);
}

static void
api_run(struct req *r, const char *id)
{
	struct jobs_ctx	 ctx = ctx_of(r);
	struct verrs	 e = VERRS_INIT;
	struct buf	 why = BUF_INIT;
	struct job	 j;
	char		 run_id[UUID_LEN], lower[UUID_LEN], *msg;
	const char	*key;
	enum jobs_res	 res;
	json_t		*doc = NULL, *v;
	int64_t		 inflight = 0;
	int		 force = 0;

	if (req_only_params(r, (const char *const[]){ NULL }) == -1 ||
	    req_json_body(r, 1, &doc) == -1)
		return;
	/* {} or {"force": true}: run it although a pause holds it */
	if (doc != NULL && !json_is_object(doc))
		verrs_addt(&e, "type_error.dict", "", "the body must be empty or a JSON object");
	else if (doc != NULL)
		json_object_foreach(doc, key, v) {
			if (strcmp(key, "force") != 0)
				verrs_addt(&e, "value_error.extra", key, "extra fields not "
				    "permitted: run takes force");
			else if (!json_is_boolean(v))
				verrs_addt(&e, "type_error.bool", "force", "must be true or false");
			else
				force = json_is_true(v);
		}
	json_decref(doc);
	if (e.n > 0) {
		req_invalid(r, "body", &e);
		verrs_release(&e);
		return;
	}
	if (job_id(r, id, lower) == -1)
		return;
	res = jobs_run_now(&ctx, lower, force, run_id, &j, &inflight, &why);
	if (res == JOBS_OK) {
		msg = xasprintf("Job %s queued for immediate execution", j.id);
		req_json(r, 202, json_pack("{s:s,s:s}", "message", msg, "execution_id", run_id));
		free(msg);
	} else if (res == JOBS_AT_LIMIT)
		req_detail(r, 409, "Job %s already has %lld run%s in flight (max_instances %d)",
		    j.id, (long long)inflight, inflight == 1 ? "" : "s",
		    j.max_instances);
	else if (res == JOBS_PAUSED)
		req_detail(r, 409, "%s", why.data);
	else
		refused(r, res, id, NULL);
	job_release(&j);
	buf_release(&why);
}

/* POST /jobs/{id}/resume: a paused job fires again, from now (nothing is caught up). */
static void
api_resume(struct req *r, const char *id)
{
	struct jobs_ctx	 ctx = ctx_of(r);
	struct verrs	 e = VERRS_INIT;
	struct job	 j;
	char		 lower[UUID_LEN];
	enum jobs_res	 res;
	json_t		*doc = NULL;

	if (req_only_params(r, (const char *const[]){ NULL }) == -1 ||
	    req_json_body(r, 1, &doc) == -1)
		return;
	if (doc != NULL && (!json_is_object(doc) || json_object_size(doc) > 0)) {
		verrs_addt(&e, "value_error.extra", "", "resume takes no parameters: send an "
		    "empty body or {}");
		req_invalid(r, "body", &e);
	} else if (job_id(r, id, lower) == 0) {
		res = jobs_set_paused(&ctx, lower, 0, &j, &e);
		changed(r, res, &j, id, &e);
		job_release(&j);
	}
	json_decref(doc);
	verrs_release(&e);
}

/* GET /pauses: the pauses in force; POST /pauses: a new one. */
static void
api_pauses(struct req *r, const char *id)
{
	struct jobs_ctx	 ctx = ctx_of(r);
	struct verrs	 e = VERRS_INIT;
	struct pause	*list, p;
	enum jobs_res	 res;
	enum db_res	 dr;
	json_t		*doc = NULL, *out;
	size_t		 n, i;

	if (req_only_params(r, (const char *const[]){ NULL }) == -1)
		return;
	if (r->mbit == M_GET) {
		if ((dr = db_pauses(r->app->db, r->now, &list, &n)) != DB_OK) {
			req_fail(r, jobs_res_of(dr));
			return;
		}
		out = json_array();
		for (i = 0; i < n; i++) {
			json_array_append_new(out, pauses_json(&list[i]));
			pause_release(&list[i]);
		}
		free(list);
		req_json(r, 200, out);
		return;
	}
	if (req_json_body(r, 0, &doc) == -1)
		return;
	if ((res = pauses_create(&ctx, doc, &p, &e)) == JOBS_OK) {
		req_header(r, "Location", "%s/pauses/%s", r->script, p.id);
		req_json(r, 201, pauses_json(&p));
		pause_release(&p);
	} else if (res == JOBS_INVALID)
		req_invalid(r, "body", &e);
	else
		req_fail(r, res);
	verrs_release(&e);
	json_decref(doc);
}

/* DELETE /pauses/{id}: resume what it paused. */
static void
api_pause(struct req *r, const char *id)
{
	struct jobs_ctx	 ctx = ctx_of(r);
	char		 lower[UUID_LEN];
	enum jobs_res	 res;

	if (req_only_params(r, (const char *const[]){ NULL }) == -1)
		return;
	if (uuid_canon(id, lower) == -1 || (res = pauses_delete(&ctx, lower)) == JOBS_NOTFOUND)
		req_detail(r, 404, "Pause %s not found", id);
	else if (res == JOBS_OK) {
		r->status = 204;
		buf_reset(&r->body);
	} else
		req_fail(r, res);
}

static void
api_history(struct req *r, const char *id)
{
	static const char *const params[] = { "limit", NULL };
	struct verrs	 e = VERRS_INIT;
	struct job	 j;
	char		 lower[UUID_LEN];
	enum db_res	 res;
	int64_t		 limit;

	if (req_only_params(r, params) == -1)
		return;
	if (req_query_int(r, "limit", HISTORY_DEFAULT_LIMIT, 1, HISTORY_MAX_LIMIT, &e, &limit) ==
	    -1) {
		req_invalid(r, "query", &e);
		verrs_release(&e);
		return;
	}
	if (job_id(r, id, lower) == -1)
		return;
	if ((res = db_job_get(r->app->db, lower, &j)) == DB_OK) {
		res = db_run_history_json(r->app->db, j.id, limit, &r->body);
		job_release(&j);
	}
	if (res == DB_NOTFOUND)
		req_detail(r, 404, "Job %s not found", id);
	else if (res != DB_OK) {
		buf_reset(&r->body);
		req_fail(r, jobs_res_of(res));
	}
}

static void
api_preview(struct req *r, const char *id)
{
	(void)id;
	preview_answer(r);
}

static void
api_health(struct req *r, const char *id)
{
	struct status	 st;
	const char	*db;
	char		 iso[CAL_ISO_LEN];
	int		 ok;

	(void)id;
	status_read(r->app, r->now, &st);
	db = st.heartbeat_res == DB_OK && st.backlog_res == DB_OK ? "ok" : "unavailable";
	ok = strcmp(db, "ok") == 0 && st.schedd == SCHEDD_RUNNING &&
	    strcmp(st.redis, "ok") == 0 && !st.behind;
	req_json(r, ok ? 200 : 503, json_pack("{s:s,s:s,s:s,s:{s:s,s:o},s:{s:s,s:I,s:I,s:I,s:O?}}",
	    "status", ok ? "ok" : "degraded",
	    "database", db,
	    "redis", st.redis,
	    "schedd", "state", status_schedd_name(st.schedd), "heartbeat_at",
	    st.beat == TIME_NONE ? json_null() : json_string(cal_iso((time_t)st.beat, iso)),
	    "workers", "state", st.backlog_res != DB_OK ? "unknown" : st.behind ? "behind" : "ok",
	    "runs_waiting", (json_int_t)st.waiting,
	    "oldest_waiting_seconds", (json_int_t)st.oldest_wait,
	    "behind_after_seconds", (json_int_t)r->app->conf.schedd.workers_behind_after,
	    "queues", (json_t *)st.queues));
	status_release(&st);
}

static void
api_metrics(struct req *r, const char *id)
{
	struct db_stats	 st;
	struct status	 now;
	enum db_res	 res;
	struct buf	*b = &r->body;
	const char	*q;
	json_t		*n;
	int		 i;

	(void)id;
	if ((res = db_stats(r->app->db, &st)) != DB_OK) {
		req_fail(r, jobs_res_of(res));
		return;
	}
	status_read(r->app, r->now, &now);
	if ((res = now.heartbeat_res) != DB_OK || (res = now.backlog_res) != DB_OK) {
		status_release(&now);
		req_fail(r, jobs_res_of(res));
		return;
	}
	buf_addstr(b, "# HELP autosched_jobs Jobs, by whether they are enabled.\n"
	    "# TYPE autosched_jobs gauge\n");
	buf_addf(b, "autosched_jobs{enabled=\"true\"} %lld\n", (long long)st.jobs_enabled);
	buf_addf(b, "autosched_jobs{enabled=\"false\"} %lld\n", (long long)st.jobs_disabled);
	buf_addstr(b, "# HELP autosched_runs Runs kept in the history, by status.\n"
	    "# TYPE autosched_runs gauge\n");
	for (i = 0; i < RUN__MAX; i++)
		buf_addf(b, "autosched_runs{status=\"%s\"} %lld\n", run_status_name(i),
		    (long long)st.runs[i]);
	buf_addstr(b, "# HELP autosched_runs_ended_total Runs that ended, by how, since the "
	    "database was made (pruning the history does not lower it).\n"
	    "# TYPE autosched_runs_ended_total counter\n");
	for (i = 0; i < RUN__MAX; i++)
		if (run_status_ended(i))
			buf_addf(b, "autosched_runs_ended_total{status=\"%s\"} %lld\n",
			    run_status_name(i), (long long)st.ended[i]);
	buf_addstr(b, "# HELP autosched_oldest_pending_run_age_seconds Age of the oldest run "
	    "not yet handed to Redis (0 when none).\n"
	    "# TYPE autosched_oldest_pending_run_age_seconds gauge\n");
	buf_addf(b, "autosched_oldest_pending_run_age_seconds %lld\n",
	    st.oldest_pending == TIME_NONE ? 0LL : (long long)(r->now - st.oldest_pending));
	buf_addstr(b, "# HELP autosched_oldest_queued_run_age_seconds How long the oldest run "
	    "queued in Redis has waited for a worker (0 when none).\n"
	    "# TYPE autosched_oldest_queued_run_age_seconds gauge\n");
	buf_addf(b, "autosched_oldest_queued_run_age_seconds %lld\n", (long long)now.oldest_wait);
	buf_addstr(b, "# HELP autosched_workers_behind 1 when the oldest queued run has waited "
	    "longer than workers_behind_after.\n"
	    "# TYPE autosched_workers_behind gauge\n");
	buf_addf(b, "autosched_workers_behind %d\n", now.behind);
	metrics_pauses(r, b);
	buf_addstr(b, "# HELP autosched_queue_length Jobs waiting in each RQ queue, as schedd "
	    "last counted them (absent while schedd or Redis is down).\n"
	    "# TYPE autosched_queue_length gauge\n");
	json_object_foreach((json_t *)now.queues, q, n)
		if (json_is_integer(n) && strpbrk(q, "\"\\\n") == NULL)
			buf_addf(b, "autosched_queue_length{queue=\"%s\"} %lld\n", q,
			    (long long)json_integer_value(n));
	buf_addstr(b, "# HELP autosched_schedd_heartbeat_timestamp_seconds When schedd last "
	    "said it was alive (0 when never).\n"
	    "# TYPE autosched_schedd_heartbeat_timestamp_seconds gauge\n");
	buf_addf(b, "autosched_schedd_heartbeat_timestamp_seconds %lld\n",
	    now.beat == TIME_NONE ? 0LL : (long long)now.beat);
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
	status_release(&now);
}

static void
api_bot_types(struct req *r, const char *id)
{
	const struct conf	*c = &r->app->conf;
	const struct param	*p;
	json_t			*list = json_array(), *params, *o, *choices;
	size_t			 i, k, m;

	(void)id;
	for (i = 0; i < c->nbots; i++) {
		params = json_array();
		for (k = 0; k < c->bots[i].nparams; k++) {
			p = &c->bots[i].params[k];
			o = json_pack("{s:s,s:s,s:O?}", "name", p->name, "type",
			    p->type == PARAM_BOOL ? "bool" : p->type == PARAM_INT ? "int" :
			    "string", "default", p->def);
			if (p->type == PARAM_INT) {
				json_object_set_new(o, "min", p->min == INT64_MIN ? json_null() :
				    json_integer(p->min));
				json_object_set_new(o, "max", p->max == INT64_MAX ? json_null() :
				    json_integer(p->max));
			}
			if (p->type == PARAM_STRING) {
				json_object_set_new(o, "max_length", json_integer((json_int_t)
				    p->max_len));
				choices = json_array();
				for (m = 0; m < p->nchoices; m++)
					json_array_append_new(choices, json_string(p->choices[m]));
				json_object_set_new(o, "choices", choices);
			}
			json_array_append_new(params, o);
		}
		json_array_append_new(list, json_pack("{s:s,s:s?,s:s,s:I,s:o}", "name",
		    c->bots[i].name, "description", c->bots[i].description, "queue",
		    c->bots[i].queue, "timeout", (json_int_t)c->bots[i].timeout, "parameters",
		    params));
	}
	req_json(r, 200, list);
}
