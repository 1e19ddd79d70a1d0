/*
 * autosched: how the service is, as /health, /metrics and the dashboard's banner say it:
 * schedd from its newest heartbeat, Redis and the length of its queues as schedd last saw
 * them (the web tier never talks to Redis), and the workers from the runs queued in the
 * database that no worker has started yet.
 */
#include <string.h>

#include "cgi.h"

static const char *const schedd_names[] = {
	[SCHEDD_UNKNOWN] = "unknown",
	[SCHEDD_NEVER] = "never_started",
	[SCHEDD_STOPPED] = "stopped",
	[SCHEDD_STALE] = "stale",
	[SCHEDD_RUNNING] = "running",
};

const char *
status_schedd_name(enum schedd_state s)
{
	return schedd_names[s];
}

void
status_read(struct app *app, int64_t now, struct status *st)
{
	struct buf	 info = BUF_INIT;
	json_t		*v;
	struct cal_iso	 iso;

	memset(st, 0, sizeof(*st));
	st->beat = st->redis_down_since = st->oldest_queued = TIME_NONE;
	st->redis = "unknown";
	st->heartbeat_res = db_heartbeat_get(app->db, "schedd", &st->beat, &info);
	if (st->heartbeat_res == DB_NOTFOUND) {
		st->heartbeat_res = DB_OK;
		st->beat = TIME_NONE;
	}
	st->said = json_loads(info.data, 0, NULL);
	buf_release(&info);
	if (st->heartbeat_res != DB_OK)
		st->schedd = SCHEDD_UNKNOWN;
	else if (st->beat == TIME_NONE)
		st->schedd = SCHEDD_NEVER;
	else if (json_is_true(json_object_get(st->said, "stopped")))
		st->schedd = SCHEDD_STOPPED;
	else if (now - st->beat > STATUS_HEARTBEAT_STALE)
		st->schedd = SCHEDD_STALE;
	else
		st->schedd = SCHEDD_RUNNING;
	if (st->schedd == SCHEDD_RUNNING) {
		if (json_is_string(v = json_object_get(st->said, "redis")))
			st->redis = json_string_value(v);
		if (json_is_string(v = json_object_get(st->said, "redis_down_since")) &&
		    cal_parse_iso(json_string_value(v), &iso) == 0)
			st->redis_down_since = cal_join(&iso.tm) - iso.off;
		if (json_is_object(v = json_object_get(st->said, "queues")))
			st->queues = v;
	}
	st->backlog_res = db_backlog(app->db, &st->waiting, &st->oldest_queued);
	st->oldest_wait = st->oldest_queued == TIME_NONE || now < st->oldest_queued ? 0 :
	    now - st->oldest_queued;
	st->behind = st->backlog_res == DB_OK &&
	    st->oldest_wait > app->conf.schedd.workers_behind_after;
}

void
status_release(struct status *st)
{
	json_decref(st->said);
	st->said = NULL;
	st->queues = NULL;
}

