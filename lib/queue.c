/*
 * autosched: Redis, for schedd: pushing runs as RQ jobs and reading back their outcome.
 * This is the only file that includes hiredis.h.
 *
 * Exactly once: a run is pushed by one Lua script that first sets a marker key
 * (autosched:pushed:<run id>, kept QUEUE_MARKER_TTL) with SET NX and writes the job only when
 * the marker was new. A schedd killed between the push and marking the run queued in SQLite
 * pushes it again on restart; the script then answers "already pushed" and changes nothing.
 * The job itself is what RQ's own enqueue writes (the "full" variant of the wire-format
 * notes): SADD rq:queues, HSET rq:job:<id> with status/origin/data/timestamps/timeouts, and
 * RPUSH rq:queue:<q>, all inside the script, so a worker never sees half a job.
 *
 * Commands go out pipelined in batches (QUEUE_BATCH), so 100,000 runs cost round trips by
 * the hundred, not by the hundred thousand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "queue.h"

#define QUEUE_MARKER_TTL	(30 * 86400)	/* how long "pushed" is remembered */
#define QUEUE_BATCH		512		/* commands in flight */
#define QUEUE_PER_SCRIPT	64		/* runs pushed by one script call */
#define PUSH_FIELDS		7		/* ARGV per run, below */
#define PUSH_HEAD		5		/* EVALSHA sha 0 ttl timestamp */

/*
 * Pushes runs, each at most once. ARGV: marker ttl, timestamp, then per run: id, queue,
 * data, description, timeout, result_ttl, failure_ttl. Returns one 1 (pushed) or 0 (pushed
 * before) per run. Several runs a call: the script's own cost is paid once for them.
 */
static const char push_lua[] =
	"local out = {}\n"
	"for b = 3, #ARGV, 7 do\n"
	"  local id, q = ARGV[b], ARGV[b + 1]\n"
	"  if redis.call('SET', 'autosched:pushed:' .. id, '1', 'NX', 'EX', ARGV[1]) then\n"
	"    redis.call('SADD', 'rq:queues', 'rq:queue:' .. q)\n"
	"    redis.call('HSET', 'rq:job:' .. id, 'status', 'queued', 'origin', q,\n"
	"        'data', ARGV[b + 2], 'created_at', ARGV[2], 'enqueued_at', ARGV[2],\n"
	"        'description', ARGV[b + 3], 'timeout', ARGV[b + 4],\n"
	"        'result_ttl', ARGV[b + 5], 'failure_ttl', ARGV[b + 6])\n"
	"    redis.call('RPUSH', 'rq:queue:' .. q, id)\n"
	"    out[#out + 1] = 1\n"
	"  else\n"
	"    out[#out + 1] = 0\n"
	"  end\n"
	"end\n"
	"return out\n";

/* KEYS: queue list, job hash. ARGV: job id. Takes a job back if no worker took it yet. */
static const char withdraw_lua[] =
	"local n = redis.call('LREM', KEYS[1], 0, ARGV[1])\n"
	"if n > 0 then redis.call('DEL', KEYS[2]) end\n"
	"return n\n";

struct queue {
	redisContext	*c;
	char		*addr;
	char		 push_sha[41];
	char		 withdraw_sha[41];
};

static int
load_script(struct queue *q, const char *lua, char *sha)
{
	redisReply	*r = redisCommand(q->c, "SCRIPT LOAD %s", lua);
	int		 ok = r && r->type == REDIS_REPLY_STRING && r->len == 40;

	if (ok)
		memcpy(sha, r->str, 41);
	else
		log_warnx("%s: cannot load a script into redis '%s': %s", __func__, q->addr,
		    r && r->type == REDIS_REPLY_ERROR ? r->str : q->c->errstr);
	if (r)
		freeReplyObject(r);
	return ok ? 0 : -1;
}

/* Sends one command of argv; returns 0 when Redis answers +OK, else -1 (logged). */
static int
command_ok(struct queue *q, const char *what, int argc, const char **argv)
{
	redisReply	*r = redisCommandArgv(q->c, argc, argv, NULL);
	int		 ok = r && r->type == REDIS_REPLY_STATUS && strcmp(r->str, "OK") == 0;

	if (!ok)
		log_warnx("redis '%s': %s refused: %s", q->addr, what,
		    r && r->type == REDIS_REPLY_ERROR ? r->str : q->c->errstr);
	if (r)
		freeReplyObject(r);
	return ok ? 0 : -1;
}

struct queue *
queue_open(const struct schedd_conf *sc, int timeout_ms)
{
	struct queue		*q = xcalloc(1, sizeof(*q));
	struct timeval		 tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	struct redis_addr	 ra;
	struct buf		 err = BUF_INIT;
	const char		*user, *password, *argv[3];
	char			 db[16];
	int			 n;

	q->addr = xstrdup(sc->redis_shown);
	if (conf_redis_parse(sc->redis, &ra, &err) == -1) {
		log_warnx("%s: %s", __func__, err.data);
		buf_release(&err);
		goto fail;
	}
	if (ra.path[0] != '\0')
		q->c = redisConnectUnixWithTimeout(ra.path, tv);
	else
		q->c = redisConnectWithTimeout(ra.host, ra.port, tv);
	if (q->c == NULL || q->c->err) {
		log_warnx("cannot connect to redis '%s': %s", sc->redis_shown,
		    q->c ? q->c->errstr : "out of memory");
		goto fail;
	}
	redisSetTimeout(q->c, tv);
	/* the address's own credentials first, else the configuration's */
	password = ra.password[0] != '\0' ? ra.password : sc->redis_password;
	user = ra.password[0] != '\0' ? ra.user : sc->redis_username;
	if (password != NULL && password[0] != '\0') {
		n = 0;
		argv[n++] = "AUTH";
		if (user != NULL && user[0] != '\0')
			argv[n++] = user;
		argv[n++] = password;
		if (command_ok(q, "AUTH", n, argv) == -1)
			goto fail;
	}
	if (ra.db != 0 || sc->redis_db != 0) {
		snprintf(db, sizeof(db), "%d", ra.db != 0 ? ra.db : (int)sc->redis_db);
		argv[0] = "SELECT";
		argv[1] = db;
		if (command_ok(q, "SELECT", 2, argv) == -1)
			goto fail;
	}
	if (load_script(q, push_lua, q->push_sha) == -1 ||
	    load_script(q, withdraw_lua, q->withdraw_sha) == -1)
		goto fail;
	return q;
fail:
	queue_close(q);
	return NULL;
}

void
queue_close(struct queue *q)
{
	if (q == NULL)
		return;
	if (q->c)
		redisFree(q->c);
	free(q->addr);
	free(q);
}

int
queue_ping(struct queue *q)
{
	redisReply	*r = redisCommand(q->c, "PING");
	int		 ok = r && r->type == REDIS_REPLY_STATUS;

	if (r)
		freeReplyObject(r);
	return ok ? 0 : -1;
}

/* Reads one reply; a broken connection is -1 (and logged once by the caller). */
static int
get_reply(struct queue *q, redisReply **r)
{
	void	*reply = NULL;

	if (redisGetReply(q->c, &reply) != REDIS_OK || reply == NULL) {
		log_warnx("redis '%s': %s", q->addr, q->c->errstr[0] ? q->c->errstr :
		    "no reply");
		return -1;
	}
	*r = reply;
	return 0;
}

int
queue_lengths(struct queue *q, const char *const *names, size_t n, int64_t *len)
{
	redisReply	*r;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (redisAppendCommand(q->c, "LLEN rq:queue:%s", names[i]) != REDIS_OK)
			return -1;
	for (i = 0; i < n; i++) {
		if (get_reply(q, &r) == -1)
			return -1;
		len[i] = r->type == REDIS_REPLY_INTEGER ? (int64_t)r->integer : -1;
		freeReplyObject(r);
	}
	return 0;
}

int
queue_push(struct queue *q, struct queue_item *p, size_t n)
{
	char		 ttl[24], ts[RQ_TS_LEN], (*num)[3][24];
	const char	**argv;
	size_t		*argvlen, i, k, a, call, calls, first, done = 0, batch;
	redisReply	*r;
	int		 rc = -1, reload = 0;

	rq_timestamp(ts, rq_now_usec());
	snprintf(ttl, sizeof(ttl), "%d", QUEUE_MARKER_TTL);
	argv = xcalloc(PUSH_HEAD + QUEUE_PER_SCRIPT * PUSH_FIELDS, sizeof(*argv));
	argvlen = xcalloc(PUSH_HEAD + QUEUE_PER_SCRIPT * PUSH_FIELDS, sizeof(*argvlen));
	num = xcalloc(QUEUE_PER_SCRIPT, sizeof(*num));
	while (done < n) {
		/* up to QUEUE_BATCH script calls in flight, QUEUE_PER_SCRIPT runs each */
		batch = n - done < QUEUE_BATCH * QUEUE_PER_SCRIPT ? n - done :
		    QUEUE_BATCH * QUEUE_PER_SCRIPT;
		calls = (batch + QUEUE_PER_SCRIPT - 1) / QUEUE_PER_SCRIPT;
		for (call = 0; call < calls; call++) {
			first = done + call * QUEUE_PER_SCRIPT;
			argv[0] = "EVALSHA";
			argv[1] = q->push_sha;
			argv[2] = "0";
			argv[3] = ttl;
			argv[4] = ts;
			for (a = PUSH_HEAD, i = first;
			    i < done + batch && i < first + QUEUE_PER_SCRIPT; i++) {
				k = i - first;
				snprintf(num[k][0], 24, "%lld", (long long)p[i].timeout);
				snprintf(num[k][1], 24, "%lld", (long long)p[i].result_ttl);
				snprintf(num[k][2], 24, "%lld", (long long)p[i].failure_ttl);
				argv[a] = p[i].id;
				argv[a + 1] = p[i].queue;
				argv[a + 2] = p[i].data;
				argv[a + 3] = p[i].description;
				argv[a + 4] = num[k][0];
				argv[a + 5] = num[k][1];
				argv[a + 6] = num[k][2];
				a += PUSH_FIELDS;
			}
			for (k = 0; k < a; k++)
				argvlen[k] = k >= PUSH_HEAD && (k - PUSH_HEAD) % PUSH_FIELDS == 2 ?
				    p[first + (k - PUSH_HEAD) / PUSH_FIELDS].len :	/* binary */
				    strlen(argv[k]);
			if (redisAppendCommandArgv(q->c, (int)a, argv, argvlen) != REDIS_OK)
				goto out;
		}
		for (call = 0; call < calls; call++) {
			first = done + call * QUEUE_PER_SCRIPT;
			if (get_reply(q, &r) == -1)
				goto out;
			for (i = first; i < done + batch && i < first + QUEUE_PER_SCRIPT; i++) {
				k = i - first;
				if (r->type == REDIS_REPLY_ARRAY && k < r->elements &&
				    r->element[k]->type == REDIS_REPLY_INTEGER)
					p[i].result = r->element[k]->integer == 1 ?
					    QUEUE_PUSHED : QUEUE_PUSHED_BEFORE;
				else
					p[i].result = QUEUE_REFUSED;
			}
			if (r->type == REDIS_REPLY_ERROR) {
				/* NOSCRIPT after a Redis restart: reload and push again */
				if (strncmp(r->str, "NOSCRIPT", 8) == 0)
					reload = 1;
				else
					log_warnx("redis '%s': pushing runs: %s", q->addr, r->str);
			}
			freeReplyObject(r);
		}
		if (reload == 1) {
			if (load_script(q, push_lua, q->push_sha) == -1 ||
			    load_script(q, withdraw_lua, q->withdraw_sha) == -1)
				goto out;
			reload = 2;
			continue;	/* the same runs again; SET NX keeps it exactly once */
		}
		done += batch;
	}
	rc = 0;
out:
	free(argv);
	free(argvlen);
	free(num);
	return rc;
}

static void
field(const redisReply *r, struct buf *out)
{
	buf_reset(out);
	if (r && r->type == REDIS_REPLY_STRING)
		buf_add(out, r->str, r->len);
}

static int64_t
field_time(const redisReply *r)
{
	int64_t	 t;

	if (r && r->type == REDIS_REPLY_STRING && r->len > 0 &&
	    rq_parse_timestamp(r->str, &t) == 0)
		return t;
	return TIME_NONE;
}

void
queue_state_release(struct queue_state *s)
{
	buf_release(&s->return_value);
	buf_release(&s->traceback);
}

int
queue_poll(struct queue *q, struct queue_state *s, size_t n)
{
	char		 hash[96], stream[96];
	struct buf	 tmp = BUF_INIT;
	redisReply	*r, *e, *f;
	size_t		 i, k, done = 0, batch;

	while (done < n) {
		batch = n - done < QUEUE_BATCH ? n - done : QUEUE_BATCH;
		for (i = done; i < done + batch; i++) {
			snprintf(hash, sizeof(hash), "rq:job:%s", s[i].id);
			snprintf(stream, sizeof(stream), "rq:results:%s", s[i].id);
			if (redisAppendCommand(q->c, "HMGET %s status started_at ended_at "
			    "last_heartbeat exc_info", hash) != REDIS_OK ||
			    redisAppendCommand(q->c, "XREVRANGE %s + - COUNT 1", stream) !=
			    REDIS_OK)
				goto fail;
		}
		for (i = done; i < done + batch; i++) {
			s[i].status = RQ_STATUS_GONE;
			s[i].started_at = s[i].ended_at = s[i].heartbeat = TIME_NONE;
			s[i].result = RQ_RESULT_NONE;
			buf_reset(&s[i].return_value);
			buf_reset(&s[i].traceback);
			if (get_reply(q, &r) == -1)
				goto fail;
			if (r->type == REDIS_REPLY_ARRAY && r->elements == 5) {
				field(r->element[0], &tmp);
				s[i].status = rq_status_parse(tmp.data);
				s[i].started_at = field_time(r->element[1]);
				s[i].ended_at = field_time(r->element[2]);
				s[i].heartbeat = field_time(r->element[3]);
				/* RQ 1.13 cleanup of an abandoned job: zlib text in exc_info */
				if (r->element[4]->type == REDIS_REPLY_STRING)
					rq_inflate(r->element[4]->str, r->element[4]->len,
					    &s[i].traceback);
			}
			freeReplyObject(r);
			if (get_reply(q, &r) == -1)
				goto fail;
			/* [[entry-id, [field, value, ...]]] */
			if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
			    (e = r->element[0])->type == REDIS_REPLY_ARRAY && e->elements == 2 &&
			    (f = e->element[1])->type == REDIS_REPLY_ARRAY) {
				for (k = 0; k + 1 < f->elements; k += 2) {
					const redisReply *key = f->element[k], *val = f->element[k + 1];
					if (key->type != REDIS_REPLY_STRING ||
					    val->type != REDIS_REPLY_STRING)
						continue;
					if (strcmp(key->str, "type") == 0)
						s[i].result = rq_result_parse(val->str);
					else if (strcmp(key->str, "return_value") == 0)
						rq_base64_decode(val->str, val->len, &s[i].return_value);
					else if (strcmp(key->str, "exc_string") == 0 &&
					    rq_base64_decode(val->str, val->len, &tmp) == 0)
						rq_inflate(tmp.data, tmp.len, &s[i].traceback);
				}
			}
			freeReplyObject(r);
		}
		done += batch;
	}
	buf_release(&tmp);
	return 0;
fail:
	buf_release(&tmp);
	return -1;
}

enum queue_withdrawn
queue_withdraw(struct queue *q, const char *id, const char *queue)
{
	redisReply		*r;
	enum queue_withdrawn	 rc = QUEUE_WITHDRAW_ERR;

	r = redisCommand(q->c, "EVALSHA %s 2 rq:queue:%s rq:job:%s %s", q->withdraw_sha, queue,
	    id, id);
	if (r && r->type == REDIS_REPLY_ERROR && strncmp(r->str, "NOSCRIPT", 8) == 0 &&
	    load_script(q, withdraw_lua, q->withdraw_sha) == 0) {
		/* Redis restarted and forgot the script: once more */
		freeReplyObject(r);
		r = redisCommand(q->c, "EVALSHA %s 2 rq:queue:%s rq:job:%s %s", q->withdraw_sha,
		    queue, id, id);
	}
	if (r && r->type == REDIS_REPLY_INTEGER)
		rc = r->integer > 0 ? QUEUE_WITHDRAWN : QUEUE_TAKEN;
	else
		log_warnx("redis '%s': withdrawing '%s': %s", q->addr, id,
		    r && r->type == REDIS_REPLY_ERROR ? r->str : q->c->errstr);
	if (r)
		freeReplyObject(r);
	return rc;
}
