/*
 * autosched: one pass of schedd's work: firing due jobs, handing runs to Redis (the
 * outbox), reading back what became of them, and pruning history. Nothing here sleeps or
 * reads the clock: `now` comes from the caller, so tests drive it with chosen times.
 *
 * Firing a job, in one transaction with the advance of its next_run_at (docs/SCHEDD.md):
 * the fire times it owes are next_run_at and every later one up to now. Those more than
 * misfire_grace_time late become ONE `missed` row saying how many and from when to when;
 * the rest become runs (one, for the latest, with coalesce), each `skipped` instead of
 * `pending` when the job already has max_instances runs in flight. A run is unique per
 * (job, scheduled_for) and the transaction takes SQLite's write lock first (BEGIN
 * IMMEDIATE), so several schedd on one database never fire one fire time twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedd.h"

/* Owed fire times looked at for one job in one pass; far older ones are only counted. */
#define MAX_OWED_SCAN	1000000

static void
iso_or(char *buf, int64_t t)
{
	cal_iso((time_t)t, buf);
}

/* The instant a run for fire time `at` was planned for: next_run_at for the nominal one. */
static int64_t
planned_of(const struct job *j, int64_t at)
{
	return at == job_nominal(j) ? j->next_run_at : at;
}

/* The newest run fire_job made, for the job's last_run_*. */
struct newest {
	int64_t		 at;
	enum run_status	 status;
	char		*error;
};

/*
 * Adds a run row, and remembers it as the newest. DB_CONFLICT (the slot is taken: a manual
 * run at that second) is no error.
 */
static enum db_res
add_run(struct schedd *sd, const struct job *j, int64_t at, int64_t planned, int64_t now,
    enum run_status status, const char *result, const char *error, struct newest *nw)
{
	struct run	 r;
	enum db_res	 res;

	memset(&r, 0, sizeof(r));
	uuid_v4(r.id);
	snprintf(r.job_id, sizeof(r.job_id), "%s", j->id);
	r.job_num = j->num;
	r.trigger = (char *)"schedule";
	r.scheduled_for = at;
	r.planned_at = planned;
	r.created_at = now;
	r.status = status;
	r.result = (char *)result;
	r.error = (char *)error;
	res = db_run_add(sd->db, &r);
	if (res == DB_OK && (nw->at == TIME_NONE || at >= nw->at)) {
		nw->at = at;
		nw->status = status;
		free(nw->error);
		nw->error = error ? xstrdup(error) : NULL;
	}
	return res == DB_CONFLICT ? DB_OK : res;
}

/*
 * Fires one due job. Returns DB_OK, or the store's failure (the caller rolls the
 * batch back).
 */
static enum db_res
fire_job(struct schedd *sd, const struct job *j, int64_t now, int64_t *owed,
    struct tick_stats *st)
{
	static const struct planned none = { TIME_NONE, TIME_NONE, 0, 0, 0 };
	const struct pause *cover;
	struct plan	 p;
	struct planned	 next = none;
	struct fire	 f;
	int64_t		 t, late, grace_limit, inflight = 0;
	int64_t		 nmissed = 0, first_missed = 0, last_missed = 0, nowed = 0, scanned = 0;
	int64_t		 cap = sd->conf.schedd.max_catchup, i, from;
	char		 a[CAL_ISO_LEN], b[CAL_ISO_LEN], *msg = NULL, *res = NULL;
	struct newest	 nw = { TIME_NONE, RUN_PENDING, NULL };
	enum db_res	 r = DB_OK;

	if (job_plan(j, &p) == -1) {
		/* Cannot happen through the API; a hand-edited row must not loop forever. */
		log_warnx("job '%s': schedule, zone or windows unreadable; not scheduling it",
		    j->id);
		return db_job_set_next(sd->db, j->id, TIME_NONE, TIME_NONE);
	}
	st->jobs++;
	grace_limit = now - j->misfire_grace_time;
	/*
	 * Walk the owed fire times: t starts at the nominal time next_run_at delays, and
	 * stays <= now. The first is as late as its planned instant; the others (outside
	 * windows passed over) as their nominal time.
	 */
	t = job_nominal(j);
	for (late = j->next_run_at; t <= now && scanned < MAX_OWED_SCAN; scanned++) {
		if (late < grace_limit) {
			if (nmissed++ == 0)
				first_missed = t;
			last_missed = t;
		} else {
			if (nowed == cap) {
				/* too many within the grace: the oldest becomes missed */
				if (nmissed++ == 0)
					first_missed = owed[0];
				last_missed = owed[0];
				memmove(owed, owed + 1, (size_t)(cap - 1) * sizeof(*owed));
				nowed--;
			}
			owed[nowed++] = t;
		}
		if (plan_nominal(&p, t, &f) == -1) {
			t = TIME_NONE;
			break;
		}
		t = late = f.at;
	}
	if (t != TIME_NONE && t <= now) {
		/* More than MAX_OWED_SCAN owed: counted as missed up to here, skip the rest. */
		nmissed++;
		last_missed = t;
	}
	/* The next fire time strictly after now, its jitter drawn once and stored. */
	if (plan_next(&p, now, plan_random(), &next) == -1)
		next = none;

	if ((cover = guard_covering(sd, j->bot_type)) != NULL && (nmissed > 0 || nowed > 0)) {
		/* the kill switch: one skipped run for the latest fire time, nothing owed */
		int64_t latest = nowed > 0 ? owed[nowed - 1] : last_missed;
		msg = guard_skip_message(cover, "Skipped");
		r = add_run(sd, j, latest, planned_of(j, latest), now, RUN_SKIPPED, NULL, msg,
		    &nw);
		st->skipped++;
		if (r != DB_OK)
			goto out;
		nmissed = nowed = 0;
	}
	if (nmissed > 0) {
		iso_or(a, first_missed);
		iso_or(b, last_missed);
		if (nmissed == 1)
			msg = xasprintf("Missed the run of %s: more than misfire_grace_time (%d s) "
			    "late", a, j->misfire_grace_time);
		else
			msg = xasprintf("Missed %lld runs from %s to %s: more than "
			    "misfire_grace_time (%d s) late", (long long)nmissed, a, b,
			    j->misfire_grace_time);
		res = xasprintf("{\"missed_runs\":%lld,\"first\":\"%s\",\"last\":\"%s\"}",
		    (long long)nmissed, a, b);
		if ((r = add_run(sd, j, first_missed, planned_of(j, first_missed), now, RUN_MISSED,
		    res, msg, &nw)) != DB_OK)
			goto out;
		st->missed++;
		free(msg);
		free(res);
		msg = res = NULL;
	}
	if (nowed > 0) {
		if ((r = db_run_inflight(sd->db, j->num, &inflight)) != DB_OK)
			goto out;
		/* coalesce: several owed fire times become one run, for the latest */
		from = j->coalesce ? nowed - 1 : 0;
		for (i = from; i < nowed; i++) {
			if (inflight >= j->max_instances) {
				msg = xasprintf("Skipped: max_instances (%d) reached, %lld run%s still "
				    "pending, queued or running", j->max_instances,
				    (long long)inflight, inflight == 1 ? "" : "s");
				r = add_run(sd, j, owed[i], planned_of(j, owed[i]), now, RUN_SKIPPED,
				    NULL, msg, &nw);
				free(msg);
				msg = NULL;
				st->skipped++;
			} else {
				/* a manual run at that very second stands for this one */
				r = add_run(sd, j, owed[i], planned_of(j, owed[i]), now, RUN_PENDING,
				    NULL, NULL, &nw);
				inflight++;
				st->pending++;
			}
			if (r != DB_OK)
				goto out;
		}
	}
	r = db_job_fired(sd->db, j->num, &next, nw.at, nw.at == TIME_NONE ? NULL :
	    run_status_name(nw.status), nw.error);
out:
	free(nw.error);
	free(msg);
	free(res);
	return r;
}

int
tick_fire(struct schedd *sd, int64_t now, struct tick_stats *st)
{
	struct job	*jobs;
	enum db_res	 r;
	size_t		 n, i;
	int64_t		*owed = xcalloc((size_t)sd->conf.schedd.max_catchup, sizeof(*owed));
	int		 rc = 0;

	for (;;) {
		if ((r = db_begin(sd->db)) != DB_OK) {
			rc = -1;
			break;
		}
		if ((r = db_jobs_due(sd->db, now, TICK_BATCH, &jobs, &n)) != DB_OK) {
			db_rollback(sd->db);
			rc = -1;
			break;
		}
		for (i = 0; i < n && r == DB_OK; i++)
			r = fire_job(sd, &jobs[i], now, owed, st);
		for (i = 0; i < n; i++)
			job_release(&jobs[i]);
		free(jobs);
		if (r != DB_OK) {
			db_rollback(sd->db);
			rc = -1;
			break;
		}
		if (db_commit(sd->db) != DB_OK) {
			rc = -1;
			break;
		}
		if (n < TICK_BATCH)
			break;
	}
	free(owed);
	return rc;
}

/* The outbox */

void
tick_connect(struct schedd *sd, int64_t now)
{
	if (sd->q != NULL || now < sd->q_retry_at)
		return;
	if ((sd->q = queue_open(&sd->conf.schedd, 2000)) != NULL) {
		if (sd->q_backoff > 0)
			log_info("connected to redis '%s' again", sd->conf.schedd.redis_shown);
		sd->q_backoff = 0;
		return;
	}
	/* 1, 2, 4 ... 30 s between tries; runs wait as pending meanwhile */
	sd->q_backoff = sd->q_backoff ? (sd->q_backoff * 2 > 30 ? 30 : sd->q_backoff * 2) : 1;
	sd->q_retry_at = now + sd->q_backoff;
}

static void
lost(struct schedd *sd, int64_t now)
{
	log_warnx("lost redis '%s'; runs wait as pending until it is back",
	    sd->conf.schedd.redis_shown);
	queue_close(sd->q);
	sd->q = NULL;
	sd->q_backoff = 1;
	sd->q_retry_at = now + 1;
}

/*
 * The keyword arguments of a run: the bot type's declared parameters with their defaults,
 * overridden by the job's bot_config. Parameters no longer declared are not passed.
 */
static json_t *
run_kwargs(const struct bot *b, const char *bot_config)
{
	json_t	*cfg = json_loads(bot_config ? bot_config : "{}", 0, NULL), *kw, *v;
	size_t	 i;

	kw = json_object();
	for (i = 0; i < b->nparams; i++) {
		if (cfg && (v = json_object_get(cfg, b->params[i].name)) != NULL)
			json_object_set(kw, b->params[i].name, v);
		else if (b->params[i].def != NULL)
			json_object_set(kw, b->params[i].name, b->params[i].def);
	}
	json_decref(cfg);
	return kw;
}

/*
 * Records that a run does not go out: failed (its bot type left the configuration), or
 * skipped (a pause covers it).
 */
static void
refuse_run(struct schedd *sd, const struct pending_run *p, int64_t now,
    enum run_status status, const char *why)
{
	struct run	 r;

	memset(&r, 0, sizeof(r));
	r.rowid = p->rowid;
	r.job_num = p->job_num;
	snprintf(r.id, sizeof(r.id), "%s", p->id);
	snprintf(r.job_id, sizeof(r.job_id), "%s", p->job_id);
	r.scheduled_for = p->scheduled_for;
	r.status = status;
	r.started_at = TIME_NONE;
	r.finished_at = now;
	r.error = (char *)why;
	r.messages_sent = r.profiles_visited = COUNT_NONE;
	if (db_run_outcome(sd->db, &r) != DB_OK)
		log_warnx("run '%s': cannot record its failure", p->id);
}

/*
 * A run that was pushed while its job was being deleted: its row is gone, so it must not
 * run. Takes it back out of its queue; when a worker has it already, says so.
 */
static void
orphan(struct schedd *sd, const char *id, const char *queue)
{
	switch (queue_withdraw(sd->q, id, queue)) {
	case QUEUE_WITHDRAWN:
		log_info("run '%s' of a deleted job taken back from queue '%s'", id, queue);
		break;
	case QUEUE_TAKEN:
		log_warnx("run '%s' of a deleted job was taken by a worker before it could be "
		    "taken back", id);
		break;
	default:
		break;
	}
}

int
tick_dispatch(struct schedd *sd, int64_t now, struct tick_stats *st)
{
	struct pending_run	*runs;
	struct queue_item	*push;
	struct buf		*data;
	int64_t			*rowid;
	const struct bot	**bots;
	char			**desc, iso[CAL_ISO_LEN], *why;
	const struct bot	*b;
	const struct pause	*cover;
	size_t			 n, i, np;
	json_t			*kw;
	enum db_res		 r;
	int			 rc = 0;

	while (sd->q != NULL) {
		if (db_runs_pending(sd->db, DISPATCH_BATCH, &runs, &n) != DB_OK)
			return -1;
		if (n == 0) {
			free(runs);
			return 0;
		}
		push = xcalloc(n, sizeof(*push));
		data = xcalloc(n, sizeof(*data));
		desc = xcalloc(n, sizeof(*desc));
		rowid = xcalloc(n, sizeof(*rowid));
		bots = xcalloc(n, sizeof(*bots));
		for (i = np = 0; i < n; i++) {
			if ((b = conf_bot(&sd->conf, runs[i].bot_type)) == NULL) {
				why = xasprintf("bot type '%s' is not configured any more",
				    runs[i].bot_type);
				refuse_run(sd, &runs[i], now, RUN_FAILED, why);
				free(why);
				continue;
			}
			/* a fire time under a pause stays home; a run now was asked for (force) */
			if (strcmp(runs[i].trigger, "schedule") == 0 &&
			    (cover = guard_covering(sd, runs[i].bot_type)) != NULL) {
				why = guard_skip_message(cover, "Skipped before it went out");
				refuse_run(sd, &runs[i], now, RUN_SKIPPED, why);
				free(why);
				continue;
			}
			kw = run_kwargs(b, runs[i].bot_config);
			buf_init(&data[np]);
			if (rq_payload(b->serializer, b->function, kw, &data[np]) == -1) {
				json_decref(kw);
				refuse_run(sd, &runs[i], now, RUN_FAILED,
				    "the bot_config cannot be serialized");
				continue;
			}
			json_decref(kw);
			desc[np] = xasprintf("autosched: %s (%s run for %s)", runs[i].job_name,
			    runs[i].trigger, cal_iso((time_t)runs[i].scheduled_for, iso));
			rowid[np] = runs[i].rowid;
			bots[np] = b;
			push[np].id = runs[i].id;
			push[np].queue = b->queue;
			push[np].data = data[np].data;
			push[np].len = data[np].len;
			push[np].description = desc[np];
			push[np].timeout = b->timeout;
			push[np].result_ttl = b->result_ttl;
			push[np].failure_ttl = b->failure_ttl;
			np++;
		}
		if (np > 0 && queue_push(sd->q, push, np) == -1) {
			lost(sd, now);
			rc = -1;
		} else if (np > 0) {
			/* Mark what went out; a crash before this only means a harmless re-push. */
			if (db_begin(sd->db) == DB_OK) {
				for (i = 0; i < np; i++) {
					if (push[i].result == QUEUE_REFUSED)
						continue;
					r = db_run_queued(sd->db, rowid[i], now, bots[i]->queue,
					    bots[i]->serializer);
					if (r == DB_OK)
						st->pushed++;
					else if (r == DB_NOTFOUND)
						orphan(sd, push[i].id, push[i].queue);
				}
				if (db_commit(sd->db) != DB_OK)
					rc = -1;
			} else
				rc = -1;
		}
		for (i = 0; i < np; i++) {
			buf_release(&data[i]);
			free(desc[i]);
		}
		free(push);
		free(data);
		free(desc);
		free(rowid);
		free(bots);
		for (i = 0; i < n; i++)
			db_pending_run_release(&runs[i]);
		free(runs);
		if (rc == -1 || n < DISPATCH_BATCH)
			return rc;
	}
	return 0;
}

/* Outcomes */

/* The last non-empty line of a traceback: "RuntimeError: bot failed". */
static char *
last_line(const char *text)
{
	const char	*end = text + strlen(text), *start;

	while (end > text && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	for (start = end; start > text && start[-1] != '\n'; start--)
		;
	if (end - start > 2000)
		end = start + utf8_prefix(start, 2000);
	return end > start ? xasprintf("%.*s", (int)(end - start), start) : NULL;
}

/* A counter the bot returned, when it returned one. */
static int64_t
counter(const json_t *result, const char *key)
{
	const json_t	*v = json_is_object(result) ? json_object_get(result, key) : NULL;

	return json_is_integer(v) && json_integer_value(v) >= 0 ? json_integer_value(v) :
	    COUNT_NONE;
}

/*
 * Decides what a run's state in Redis means. Returns 1 and fills r when the run's state
 * changed (the strings in r are new), else 0.
 */
static int
judge(struct schedd *sd, const struct open_run *o, const struct queue_state *q, int64_t now,
    struct run *r)
{
	const struct bot	*b = conf_bot(&sd->conf, o->bot_type);
	const struct pause	*cover;
	json_t			*value = NULL;
	char			 iso[CAL_ISO_LEN];
	/* how the run was pushed, not what its job's bot type says today */
	const char		*queue = o->queue ? o->queue : b ? b->queue : NULL;
	enum serializer		 ser = o->known ? o->serializer : b ? b->serializer :
	    SERIALIZER_JSON;

	memset(r, 0, sizeof(r[0]));
	r->rowid = o->rowid;
	r->job_num = o->job_num;
	snprintf(r->id, sizeof(r->id), "%s", o->id);
	snprintf(r->job_id, sizeof(r->job_id), "%s", o->job_id);
	r->scheduled_for = o->scheduled_for;
	r->started_at = q->started_at;
	r->finished_at = TIME_NONE;
	r->messages_sent = r->profiles_visited = COUNT_NONE;

	if (q->status == RQ_STATUS_FINISHED ||
	    (q->status == RQ_STATUS_GONE && q->result == RQ_RESULT_OK)) {
		r->status = RUN_SUCCESS;
		r->finished_at = q->ended_at != TIME_NONE ? q->ended_at : now;
		if (q->return_value.len > 0) {
			const char	*why = NULL;
			json_error_t	 jerr;

			if (ser == SERIALIZER_PICKLE)
				value = rq_unpickle(q->return_value.data, q->return_value.len,
				    &why);
			else if ((value = json_loadb(q->return_value.data,
			    q->return_value.len, JSON_DECODE_ANY, &jerr)) == NULL) {
				/* deeper than jansson reads (JSON_PARSER_MAX_DEPTH, 2048) */
				if (json_error_code(&jerr) == json_error_stack_overflow)
					why = rq_too_deep;
			} else if (rq_check_depth(value, &why) == -1) {
				json_decref(value);	/* 2048 levels at most: safe */
				value = NULL;
			}
			if (value == NULL && rq_over_budget(why)) {
				/*
				 * Over the budget (queue.h): a hostile or runaway value, never
				 * written out; failed, so that it is seen, and read only once.
				 */
				r->status = RUN_FAILED;
				r->error = xstrdup(why);
				value = json_string(why);
				r->result = json_dumps(value, JSON_ENCODE_ANY);
				json_decref(value);
				return 1;
			}
			if (value == NULL)
				value = json_pack("{s:s}", "unreadable", "the function's return "
				    "value is not plain JSON data");
		}
		if (value) {
			r->result = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
			r->messages_sent = counter(value, "messages_sent");
			r->profiles_visited = counter(value, "profiles_visited");
			json_decref(value);
		}
	} else if (q->status == RQ_STATUS_FAILED || q->status == RQ_STATUS_STOPPED ||
	    (q->status == RQ_STATUS_GONE && (q->result == RQ_RESULT_FAILED ||
	    q->result == RQ_RESULT_STOPPED))) {
		r->status = RUN_FAILED;
		r->finished_at = q->ended_at != TIME_NONE ? q->ended_at : now;
		if (q->traceback.len > 0) {
			r->error = last_line(q->traceback.data);
			value = json_stringn_nocheck(q->traceback.data, q->traceback.len);
			if (value == NULL || !utf8_valid(q->traceback.data, q->traceback.len)) {
				json_decref(value);
				value = json_string("(the traceback is not valid UTF-8)");
			}
			r->result = json_dumps(value, JSON_ENCODE_ANY);
			json_decref(value);
		}
		if (r->error == NULL)
			r->error = xstrdup(q->status == RQ_STATUS_STOPPED ||
			    q->result == RQ_RESULT_STOPPED ?
			    "stopped by RQ" : "failed without a traceback");
	} else if (q->status == RQ_STATUS_CANCELED) {
		r->status = RUN_CANCELLED;
		r->finished_at = now;
		r->error = xstrdup("cancelled in RQ");
	} else if (q->status == RQ_STATUS_GONE) {
		r->status = RUN_FAILED;
		r->finished_at = now;
		r->error = xstrdup("the RQ job disappeared from Redis before its outcome was read "
		    "(expired, deleted, or Redis lost its data)");
	} else if (q->status == RQ_STATUS_STARTED) {
		int64_t beat = q->heartbeat != TIME_NONE ? q->heartbeat : q->started_at;
		if (beat != TIME_NONE && now - beat > sd->conf.schedd.worker_lost_after) {
			r->status = RUN_FAILED;
			r->finished_at = now;
			r->error = xasprintf("worker lost: no heartbeat since %s",
			    cal_iso((time_t)beat, iso));
		} else if (o->status != RUN_RUNNING)
			r->status = RUN_RUNNING;
		else
			return 0;
	} else if (o->status == RUN_QUEUED && q->status == RQ_STATUS_QUEUED && !o->manual &&
	    (cover = guard_covering(sd, o->bot_type)) != NULL && sd->q != NULL &&
	    queue != NULL && queue_withdraw(sd->q, o->id, queue) == QUEUE_WITHDRAWN) {
		/* the kill switch: no worker has it yet, so it never starts */
		r->status = RUN_SKIPPED;
		r->finished_at = now;
		r->error = guard_skip_message(cover, "Taken back from the queue");
	} else if (o->status == RUN_QUEUED && o->queued_at != TIME_NONE &&
	    now - o->queued_at > sd->conf.schedd.queued_timeout && sd->q != NULL &&
	    queue != NULL && queue_withdraw(sd->q, o->id, queue) == QUEUE_WITHDRAWN) {
		/* Still in the queue after queued_timeout: no worker; taken back, so never runs */
		r->status = RUN_FAILED;
		r->finished_at = now;
		r->error = xasprintf("no worker took it from queue '%s' within %lld s", queue,
		    (long long)sd->conf.schedd.queued_timeout);
	} else
		return 0;
	return 1;
}

int
tick_sync(struct schedd *sd, int64_t now, struct tick_stats *st)
{
	struct open_run	*open;
	struct queue_state *qs;
	struct run	*out;
	size_t		 n, i;
	int		 rc = 0, *changed;

	if (sd->q == NULL)
		return 0;
	if (db_runs_open(sd->db, sd->sync_created, sd->sync_rowid, SYNC_BATCH, &open, &n) !=
	    DB_OK)
		return -1;
	if (n < SYNC_BATCH) {
		/* next time, start from the beginning again */
		sd->sync_created = INT64_MIN;
		sd->sync_rowid = INT64_MIN;
	} else {
		sd->sync_created = open[n - 1].created_at;
		sd->sync_rowid = open[n - 1].rowid;
	}
	if (n == 0) {
		free(open);
		return 0;
	}
	qs = xcalloc(n, sizeof(*qs));
	out = xcalloc(n, sizeof(*out));
	changed = xcalloc(n, sizeof(*changed));
	for (i = 0; i < n; i++) {
		qs[i].id = open[i].id;
		buf_init(&qs[i].return_value);
		buf_init(&qs[i].traceback);
	}
	if (queue_poll(sd->q, qs, n) == -1) {
		lost(sd, now);
		rc = -1;
		goto out;
	}
	for (i = 0; i < n; i++)
		changed[i] = judge(sd, &open[i], &qs[i], now, &out[i]);
	if (db_begin(sd->db) != DB_OK) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!changed[i])
			continue;
		if (db_run_outcome(sd->db, &out[i]) != DB_OK ||
		    guard_ended(sd, &open[i], &out[i], now) != DB_OK) {
			rc = -1;
			break;
		}
		st->synced++;
	}
	if (rc == 0 && db_commit(sd->db) != DB_OK)
		rc = -1;
	else if (rc == -1)
		db_rollback(sd->db);
out:
	for (i = 0; i < n; i++) {
		queue_state_release(&qs[i]);
		free(out[i].result);
		free(out[i].error);
		db_open_run_release(&open[i]);
	}
	free(qs);
	free(out);
	free(changed);
	free(open);
	return rc;
}

/* Runs of deleted jobs */

/* What became of a withdrawn run whose worker had it: NULL while it still runs. */
static const char *
ended_as(const struct schedd *sd, const struct queue_state *q, int64_t now)
{
	int64_t	 beat;

	switch (q->status) {
	case RQ_STATUS_FINISHED:
		return "success";
	case RQ_STATUS_FAILED:
	case RQ_STATUS_STOPPED:
		return "failed";
	case RQ_STATUS_CANCELED:
		return "cancelled";
	case RQ_STATUS_GONE:
		return q->result == RQ_RESULT_OK ? "success" : q->result == RQ_RESULT_NONE ?
		    "gone from Redis" : "failed";
	case RQ_STATUS_STARTED:
		beat = q->heartbeat != TIME_NONE ? q->heartbeat : q->started_at;
		if (beat != TIME_NONE && now - beat > sd->conf.schedd.worker_lost_after)
			return "failed (worker lost)";
		return NULL;
	default:
		return NULL;
	}
}

int
tick_withdraw(struct schedd *sd, int64_t now, struct tick_stats *st)
{
	struct withdrawal	*w;
	struct queue_state	 q;
	const char		*end;
	size_t			 n, i;
	int			 rc = 0;

	if (sd->q == NULL)
		return 0;
	if (db_withdrawals(sd->db, WITHDRAW_BATCH, &w, &n) != DB_OK)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		if (w[i].status == RUN_QUEUED && w[i].queue != NULL) {
			switch (queue_withdraw(sd->q, w[i].run_id, w[i].queue)) {
			case QUEUE_WITHDRAWN:
				log_info("run '%s' of deleted job '%s' (%s) taken back from queue "
				    "'%s': it will not run", w[i].run_id, w[i].job_id, w[i].job_name,
				    w[i].queue);
				db_withdrawal_done(sd->db, w[i].run_id);
				st->withdrawn++;
				continue;
			case QUEUE_TAKEN:
				/* a worker has it: it may finish; wait for its end below */
				db_withdrawal_running(sd->db, w[i].run_id);
				break;
			default:
				lost(sd, now);
				rc = -1;
				continue;
			}
		}
		memset(&q, 0, sizeof(q));
		q.id = w[i].run_id;
		buf_init(&q.return_value);
		buf_init(&q.traceback);
		if (queue_poll(sd->q, &q, 1) == -1) {
			lost(sd, now);
			rc = -1;
		} else if ((end = ended_as(sd, &q, now)) != NULL) {
			log_info("run '%s' of deleted job '%s' (%s) ended %s after the job was "
			    "deleted: its outcome is dropped", w[i].run_id, w[i].job_id,
			    w[i].job_name, end);
			db_withdrawal_done(sd->db, w[i].run_id);
			st->withdrawn++;
		}
		queue_state_release(&q);
	}
	for (i = 0; i < n; i++)
		db_withdrawal_release(&w[i]);
	free(w);
	return rc;
}

/* History */

void
tick_prune(struct schedd *sd, int64_t now)
{
	int64_t	 deleted, total = 0;

	/* In slices, so that the API never waits long for the write lock. */
	do {
		if (db_prune(sd->db, now - sd->conf.schedd.history_max_days * 86400,
		    sd->conf.schedd.history_max_runs, 5000, &deleted) != DB_OK)
			return;
		total += deleted;
	} while (deleted > 0);
	if (total > 0)
		log_info("pruned %lld runs from the history", (long long)total);
	/* heartbeats of schedd processes gone for a week */
	db_heartbeat_prune(sd->db, now - 7 * 86400);
}

int64_t
tick_reschedule(struct schedd *sd, int64_t now)
{
	char		(*ids)[UUID_LEN] = NULL;
	struct job	 j;
	struct planned	 next;
	int64_t		 moved = 0;
	size_t		 n, i;

	if (db_job_ids_scheduled(sd->db, &ids, &n) != DB_OK)
		return 0;
	for (i = 0; i < n; i++) {
		if (i % TICK_BATCH == 0 && db_begin(sd->db) != DB_OK)
			break;
		if (db_job_get(sd->db, ids[i], &j) == DB_OK) {
			/* a jitter already drawn stays, unless its nominal time moved */
			if (job_next_run(&j, now, plan_random(), &next) == 0 &&
			    next.nominal != j.next_scheduled_for &&
			    db_job_set_next(sd->db, j.id, next.at, next.nominal) == DB_OK)
				moved++;
			job_release(&j);
		}
		if ((i % TICK_BATCH == TICK_BATCH - 1 || i == n - 1) && db_commit(sd->db) != DB_OK)
			break;
	}
	free(ids);
	return moved;
}
