/*
 * autosched: what Python RQ reads and writes, without Redis (lib/queue.c does the talking).
 *
 * docs/rq-wire-format.md (in the shared notes) records the format as a real worker uses it.
 * An RQ job's `data` is zlib(serializer.dumps((func, None, (), kwargs))): JSON (the
 * default here, `rq worker --serializer rq.serializers.JSONSerializer`) or pickle protocol 2
 * built by hand. Timestamps must be exactly "%Y-%m-%dT%H:%M:%S.ffffffZ": a malformed one
 * crashes the worker. Outcomes come back in the stream rq:results:<id>: return_value =
 * base64(serializer bytes), exc_string = base64(zlib(traceback)). A worker on the pickle
 * serializer returns protocol-5 pickles; rq_unpickle reads the plain-data subset of them,
 * within the budget of queue.h (RQ_MAX_DEPTH, RQ_MAX_VALUES, RQ_MAX_TEXT).
 */
#include <pthread.h>
#include <string.h>
#include <sys/time.h>

#include <zlib.h>

#include "queue.h"

enum rq_status
rq_status_parse(const char *text)
{
	static const struct {
		const char	*name;
		enum rq_status	 status;
	} names[] = {
		{ "queued", RQ_STATUS_QUEUED }, { "started", RQ_STATUS_STARTED },
		{ "finished", RQ_STATUS_FINISHED }, { "failed", RQ_STATUS_FAILED },
		{ "stopped", RQ_STATUS_STOPPED }, { "canceled", RQ_STATUS_CANCELED },
	};
	size_t	 i;

	if (*text == '\0')
		return RQ_STATUS_GONE;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(text, names[i].name) == 0)
			return names[i].status;
	return RQ_STATUS_OTHER;
}

enum rq_result
rq_result_parse(const char *text)
{
	int64_t	 v;

	if (util_parse_int64(text, RQ_RESULT_OK, RQ_RESULT_STOPPED, &v) == -1)
		return RQ_RESULT_NONE;
	return (enum rq_result)v;
}

#define RQ_MAX_INFLATE	(16 * 1024 * 1024)	/* a traceback or result larger is cut */
#define PICKLE_MAX_MEMO	100000	/* memo slots a pickle may use */

void
rq_timestamp(char *out, int64_t usec_since_epoch)
{
	char	 iso[CAL_ISO_LEN];
	int64_t	 sec = cal_floor_div(usec_since_epoch, 1000000);
	int	 us = (int)(usec_since_epoch - sec * 1000000), i;

	/* "2026-11-28T14:00:00" + ".123456Z" */
	cal_iso((time_t)sec, iso);
	memcpy(out, iso, 19);
	out[19] = '.';
	for (i = 25; i >= 20; i--) {
		out[i] = (char)('0' + us % 10);
		us /= 10;
	}
	out[26] = 'Z';
	out[27] = '\0';
}

int64_t
rq_now_usec(void)
{
	struct timeval	 tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

int
rq_parse_timestamp(const char *s, int64_t *out)
{
	struct cal_iso	 iso;
	char		 head[32];
	const char	*dot;

	/* RQ writes ".ffffffZ"; accept any fraction, and none */
	if ((dot = strchr(s, '.')) == NULL)
		return cal_parse_iso(s, &iso) == 0 && iso.has_off ?
		    (*out = cal_join(&iso.tm) - iso.off, 0) : -1;
	if ((size_t)(dot - s) >= sizeof(head) - 1)
		return -1;
	memcpy(head, s, (size_t)(dot - s));
	head[dot - s] = 'Z';
	head[dot - s + 1] = '\0';
	if (cal_parse_iso(head, &iso) == -1)
		return -1;
	*out = cal_join(&iso.tm);
	return 0;
}

/* zlib */

int
rq_deflate(const void *in, size_t n, struct buf *out)
{
	/*
	 * Payloads are a few hundred bytes: a small window and little memory make a valid
	 * zlib stream, and one compressor, reset between payloads, serves a whole burst
	 * (100,000 runs) instead of allocating its state for each.
	 */
	static z_stream		 z;
	static int		 ready;
	static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
	int			 rc = -1;

	pthread_mutex_lock(&lock);
	if (!ready) {
		if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 10, 2, Z_DEFAULT_STRATEGY) != Z_OK)
			goto out;
		ready = 1;
	} else if (deflateReset(&z) != Z_OK)
		goto out;
	buf_reset(out);
	buf_grow(out, deflateBound(&z, (uLong)n));
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out->data;
	z.avail_out = (uInt)(out->alloc - 1);
	if (deflate(&z, Z_FINISH) == Z_STREAM_END)
		rc = 0;
	out->len = z.total_out;
	out->data[out->len] = '\0';
out:
	pthread_mutex_unlock(&lock);
	return rc;
}

int
rq_inflate(const void *in, size_t n, struct buf *out)
{
	z_stream	 z;
	int		 rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return -1;
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	buf_reset(out);
	do {
		buf_grow(out, 4096);
		z.next_out = (Bytef *)out->data + out->len;
		z.avail_out = (uInt)(out->alloc - out->len - 1);
		rc = inflate(&z, Z_NO_FLUSH);
		out->len = (size_t)((char *)z.next_out - out->data);
		if (out->len > RQ_MAX_INFLATE)
			break;
	} while (rc == Z_OK);
	inflateEnd(&z);
	out->data[out->len] = '\0';
	return rc == Z_STREAM_END || out->len > RQ_MAX_INFLATE ? 0 : -1;
}

int
rq_base64_decode(const char *in, size_t n, struct buf *out)
{
	uint32_t	 acc = 0;
	int		 bits = 0, v;
	size_t		 i;

	buf_reset(out);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+' || c == '-')
			v = 62;
		else if (c == '/' || c == '_')
			v = 63;
		else if (c == '=' || c == '\n' || c == '\r')
			continue;
		else
			return -1;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addch(out, (int)(acc >> bits & 0xff));
		}
	}
	return 0;
}

/* Payloads */

int
rq_payload(enum serializer ser, const char *func, const json_t *kwargs, struct buf *out)
{
	struct buf	 raw = BUF_INIT;
	int		 rc;

	if (ser == SERIALIZER_JSON) {
		json_t	*tuple = json_pack("[s,n,[],O]", func, kwargs);
		char	*s = json_dumps(tuple, JSON_COMPACT);

		json_decref(tuple);
		if (s == NULL)
			return -1;
		buf_addstr(&raw, s);
		free(s);
	} else if (rq_pickle_call(func, kwargs, &raw) == -1) {
		buf_release(&raw);
		return -1;
	}
	rc = rq_deflate(raw.data, raw.len, out);
	buf_release(&raw);
	return rc;
}

static void
put_u32le(struct buf *b, uint32_t v)
{
	unsigned char	 p[4] = { (unsigned char)v, (unsigned char)(v >> 8),
	    (unsigned char)(v >> 16), (unsigned char)(v >> 24) };

	buf_add(b, p, 4);
}

static void
pickle_str(struct buf *b, const char *s, size_t n)
{
	buf_addch(b, 'X');			/* BINUNICODE */
	put_u32le(b, (uint32_t)n);
	buf_add(b, s, n);
}

/* One value of a kwargs dict: bool, int, string, null or double. */
static int
pickle_value(struct buf *b, const json_t *v)
{
	json_int_t	 i;
	double		 d;
	unsigned char	 p[9];
	int		 k;

	switch (json_typeof(v)) {
	case JSON_TRUE:
		buf_addch(b, 0x88);		/* NEWTRUE */
		return 0;
	case JSON_FALSE:
		buf_addch(b, 0x89);		/* NEWFALSE */
		return 0;
	case JSON_NULL:
		buf_addch(b, 'N');
		return 0;
	case JSON_STRING:
		pickle_str(b, json_string_value(v), json_string_length(v));
		return 0;
	case JSON_INTEGER:
		i = json_integer_value(v);
		if (i >= 0 && i <= 0xff) {
			buf_addch(b, 'K');	/* BININT1 */
			buf_addch(b, (int)i);
		} else if (i >= 0 && i <= 0xffff) {
			buf_addch(b, 'M');	/* BININT2 */
			buf_addch(b, (int)(i & 0xff));
			buf_addch(b, (int)(i >> 8));
		} else if (i >= INT32_MIN && i <= INT32_MAX) {
			buf_addch(b, 'J');	/* BININT */
			put_u32le(b, (uint32_t)(int32_t)i);
		} else {
			buf_addch(b, 0x8a);	/* LONG1: 8 bytes two's complement LE */
			buf_addch(b, 8);
			for (k = 0; k < 8; k++)
				p[k] = (unsigned char)((uint64_t)i >> (8 * k));
			buf_add(b, p, 8);
		}
		return 0;
	case JSON_REAL:
		d = json_real_value(v);
		buf_addch(b, 'G');		/* BINFLOAT, big-endian */
		{
			uint64_t u;
			memcpy(&u, &d, 8);
			for (k = 0; k < 8; k++)
				p[k] = (unsigned char)(u >> (56 - 8 * k));
		}
		buf_add(b, p, 8);
		return 0;
	default:
		return -1;
	}
}

int
rq_pickle_call(const char *func, const json_t *kwargs, struct buf *out)
{
	const char	*key;
	json_t		*v;

	buf_reset(out);
	buf_add(out, "\x80\x02(", 3);			/* PROTO 2, MARK */
	pickle_str(out, func, strlen(func));
	buf_add(out, "N)}", 3);				/* None, (), {} */
	if (json_object_size(kwargs) > 0) {
		buf_addch(out, '(');
		json_object_foreach((json_t *)kwargs, key, v) {
			pickle_str(out, key, strlen(key));
			if (pickle_value(out, v) == -1)
				return -1;
		}
		buf_addch(out, 'u');			/* SETITEMS */
	}
	buf_add(out, "t.", 2);				/* TUPLE, STOP */
	return 0;
}

/* Reading pickles (protocols 2 to 5), plain data only */

#define RQ_STR(x)	RQ_STR_(x)
#define RQ_STR_(x)	#x
#define UP_MAX_STACK	100000	/* items on the stack; more: not plain data, as before */

const char	 rq_too_deep[] = "the return value nests deeper than " RQ_STR(RQ_MAX_DEPTH)
		    " levels";
const char	 rq_too_many[] = "the return value expands to more than "
		    RQ_STR(RQ_MAX_VALUES) " values";
const char	 rq_too_long[] = "the return value expands to more than "
		    RQ_STR(RQ_MAX_TEXT) " bytes of text";

/* A static message for each opcode where reading can stop: nothing to free or to share. */
#define NP(x)		"the return value is not plain data (pickle opcode 0x" #x ")"
#define NP16(h)		NP(h##0), NP(h##1), NP(h##2), NP(h##3), NP(h##4), NP(h##5), \
			NP(h##6), NP(h##7), NP(h##8), NP(h##9), NP(h##a), NP(h##b), NP(h##c), \
			NP(h##d), NP(h##e), NP(h##f)
static const char *const not_plain[256] = {
	NP16(0), NP16(1), NP16(2), NP16(3), NP16(4), NP16(5), NP16(6), NP16(7),
	NP16(8), NP16(9), NP16(a), NP16(b), NP16(c), NP16(d), NP16(e), NP16(f)
};
#undef NP16
#undef NP

struct unpickler {
	const unsigned char	*p, *end;
	json_t			**stack;
	int			*mark;		/* 1 where the stack holds a MARK */
	size_t			*height;	/* containers nested in the item (0: scalar) */
	size_t			 n, alloc;
	json_t			**memo;
	size_t			 nmemo;
	size_t			 values, text;	/* made so far, copies included */
	const char		*why;		/* a budget ran out */
};

static int
up_push(struct unpickler *u, json_t *v, int mark, size_t height)
{
	if (u->n == u->alloc) {
		u->alloc = u->alloc ? u->alloc * 2 : 32;
		u->stack = xrealloc(u->stack, u->alloc * sizeof(*u->stack));
		u->mark = xrealloc(u->mark, u->alloc * sizeof(*u->mark));
		u->height = xrealloc(u->height, u->alloc * sizeof(*u->height));
	}
	u->stack[u->n] = v;
	u->height[u->n] = height;
	u->mark[u->n++] = mark;
	return v == NULL && !mark ? -1 : 0;
}

/* Counts values and bytes of text made against the budget. Returns 0, or -1 (u->why). */
static int
up_spend(struct unpickler *u, size_t values, size_t text)
{
	u->values += values;
	u->text += text;
	if (u->values > RQ_MAX_VALUES)
		u->why = rq_too_many;
	else if (u->text > RQ_MAX_TEXT)
		u->why = rq_too_long;
	return u->why == NULL ? 0 : -1;
}

/* Pushes a new value read from the pickle (a scalar, or an empty container). */
static int
up_new(struct unpickler *u, json_t *v)
{
	if (v != NULL && up_spend(u, 1, json_is_string(v) ? json_string_length(v) : 0) == -1) {
		json_decref(v);
		return -1;
	}
	return up_push(u, v, 0, json_is_array(v) || json_is_object(v) ? 1 : 0);
}

/* Checks that a container holding an item `height` deep stays within RQ_MAX_DEPTH. */
static int
up_deep(struct unpickler *u, size_t height)
{
	if (height < RQ_MAX_DEPTH)
		return 0;
	u->why = rq_too_deep;
	return -1;
}

static int
up_need(struct unpickler *u, size_t n)
{
	return (size_t)(u->end - u->p) >= n ? 0 : -1;
}

static uint64_t
up_le(struct unpickler *u, int n)
{
	uint64_t	 v = 0;
	int		 i;

	for (i = n - 1; i >= 0; i--)
		v = v << 8 | u->p[i];
	u->p += n;
	return v;
}

/* Index of the topmost MARK, or -1. */
static long
up_marked(struct unpickler *u)
{
	long	 i;

	for (i = (long)u->n - 1; i >= 0; i--)
		if (u->mark[i])
			return i;
	return -1;
}

static json_t *
up_top(struct unpickler *u)
{
	return u->n > 0 && !u->mark[u->n - 1] ? u->stack[u->n - 1] : NULL;
}

/*
 * Moves items [from, n) into the container below them (a list, or a dict by pairs). All is
 * checked before anything moves, so that on failure every item is still on the stack once.
 */
static int
up_fill(struct unpickler *u, size_t from, json_t *into)
{
	size_t	 i, height = u->height[from - 1];

	for (i = from; i < u->n; i++) {
		if (u->mark[i] || u->stack[i] == into)
			return -1;	/* a container inside itself: not JSON */
		if (u->height[i] >= height) {
			if (up_deep(u, u->height[i]) == -1)
				return -1;
			height = u->height[i] + 1;
		}
	}
	if (json_is_object(into)) {
		if ((u->n - from) % 2)
			return -1;
		for (i = from; i < u->n; i += 2)
			if (!json_is_string(u->stack[i]))
				return -1;	/* JSON keys are strings */
		for (i = from; i < u->n; i += 2) {
			json_object_set_new(into, json_string_value(u->stack[i]), u->stack[i + 1]);
			json_decref(u->stack[i]);
		}
	} else if (json_is_array(into)) {
		for (i = from; i < u->n; i++)
			json_array_append_new(into, u->stack[i]);
	} else
		return -1;
	u->height[from - 1] = height;
	u->n = from;
	return 0;
}

/* Replaces items [from, n) by a list (a tuple) of them. */
static int
up_tuple(struct unpickler *u, size_t from)
{
	json_t	*v;
	size_t	 i, height = 1;

	for (i = from; i < u->n; i++) {
		if (u->mark[i])
			return -1;
		if (u->height[i] >= height) {
			if (up_deep(u, u->height[i]) == -1)
				return -1;
			height = u->height[i] + 1;
		}
	}
	if (up_spend(u, 1, 0) == -1)
		return -1;
	v = json_array();
	for (i = from; i < u->n; i++)
		json_array_append_new(v, u->stack[i]);
	u->n = from;
	return up_push(u, v, 0, height);
}

/*
 * Adds what copying v makes to *values and *text, giving up once *values passes room.
 * Returns the containers nested in v. Recurses once a level: whatever reaches the memo was
 * on the stack, within RQ_MAX_DEPTH.
 */
static size_t
up_measure(const json_t *v, size_t room, size_t *values, size_t *text)
{
	const char	*key;
	json_t		*item;
	size_t		 i, d, height = 0;

	++*values;
	if (json_is_string(v))
		*text += json_string_length(v);
	if (json_is_array(v)) {
		json_array_foreach(v, i, item) {
			if (*values > room)
				break;
			if ((d = up_measure(item, room, values, text)) > height)
				height = d;
		}
	} else if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, item) {
			if (*values > room)
				break;
			*text += strlen(key);
			if ((d = up_measure(item, room, values, text)) > height)
				height = d;
		}
	} else
		return 0;
	return height + 1;
}

/*
 * Pushes a copy of memo entry v, not the object: plain data never refers to a container
 * being built, and a reference could make a cycle that JSON cannot hold. The copy is
 * counted against the budget before it is made.
 */
static int
up_copy(struct unpickler *u, const json_t *v)
{
	size_t	 values = 0, text = 0, height;

	height = up_measure(v, RQ_MAX_VALUES - u->values, &values, &text);
	if (up_spend(u, values, text) == -1)
		return -1;
	return up_push(u, json_deep_copy(v), 0, height);
}

json_t *
rq_unpickle(const void *data, size_t len, const char **why)
{
	struct unpickler	 u;
	json_t			*v = NULL, *result = NULL;
	uint64_t		 n;
	long			 m;
	size_t			 i;
	int			 op = -1, ok = 1, stop = 0;

	memset(&u, 0, sizeof(u));
	u.p = data;
	u.end = u.p + len;
	while (ok && !stop && u.p < u.end) {
		op = *u.p++;
		switch (op) {
		case 0x80:			/* PROTO */
			ok = up_need(&u, 1) == 0;
			u.p++;
			break;
		case 0x95:			/* FRAME */
			ok = up_need(&u, 8) == 0 && (up_le(&u, 8), 1);
			break;
		case '}':
			ok = up_new(&u, json_object()) == 0;
			break;
		case ']':
		case ')':
			ok = up_new(&u, json_array()) == 0;
			break;
		case '(':
			ok = up_push(&u, NULL, 1, 0) == 0;
			break;
		case 'N':
			ok = up_new(&u, json_null()) == 0;
			break;
		case 0x88:
			ok = up_new(&u, json_true()) == 0;
			break;
		case 0x89:
			ok = up_new(&u, json_false()) == 0;
			break;
		case 'K':
			ok = up_need(&u, 1) == 0 && up_new(&u, json_integer(*u.p++)) == 0;
			break;
		case 'M':
			ok = up_need(&u, 2) == 0 &&
			    up_new(&u, json_integer((json_int_t)up_le(&u, 2))) == 0;
			break;
		case 'J':
			ok = up_need(&u, 4) == 0 &&
			    up_new(&u, json_integer((int32_t)up_le(&u, 4))) == 0;
			break;
		case 0x8a:			/* LONG1 */
			if ((ok = up_need(&u, 1) == 0) && (n = *u.p++) <= 8 &&
			    (ok = up_need(&u, n) == 0)) {
				uint64_t x = n ? up_le(&u, (int)n) : 0;
				if (n > 0 && n < 8 && (x >> (8 * n - 1)) & 1)
					x |= ~(uint64_t)0 << (8 * n);	/* sign-extend */
				ok = up_new(&u, json_integer((json_int_t)x)) == 0;
			} else
				ok = 0;
			break;
		case 'G': {			/* BINFLOAT, big-endian */
			uint64_t x = 0;
			double d;
			if (!(ok = up_need(&u, 8) == 0))
				break;
			for (i = 0; i < 8; i++)
				x = x << 8 | u.p[i];
			u.p += 8;
			memcpy(&d, &x, 8);
			ok = up_new(&u, json_real(d)) == 0;
			break;
		}
		case 0x8c:			/* SHORT_BINUNICODE */
		case 'X':			/* BINUNICODE */
		case 0x8d:			/* BINUNICODE8 */
			n = op == 0x8c ? 1 : op == 'X' ? 4 : 8;
			if (!(ok = up_need(&u, n) == 0))
				break;
			n = up_le(&u, (int)n);
			if (!(ok = up_need(&u, n) == 0))
				break;
			ok = up_new(&u, json_stringn((const char *)u.p, n)) == 0;
			u.p += n;
			break;
		case 0x94:			/* MEMOIZE: the next free index */
		case 'q':			/* BINPUT */
		case 'r':			/* LONG_BINPUT */
			n = u.nmemo;
			if (op == 'q' && (ok = up_need(&u, 1) == 0))
				n = up_le(&u, 1);
			else if (op == 'r' && (ok = up_need(&u, 4) == 0))
				n = up_le(&u, 4);
			if (!ok || (v = up_top(&u)) == NULL || n >= PICKLE_MAX_MEMO) {
				ok = 0;
				break;
			}
			if (n >= u.nmemo) {
				u.memo = xrealloc(u.memo, (n + 1) * sizeof(*u.memo));
				memset(u.memo + u.nmemo, 0, (n + 1 - u.nmemo) * sizeof(*u.memo));
				u.nmemo = n + 1;
			}
			json_decref(u.memo[n]);
			u.memo[n] = json_incref(v);
			break;
		case 'h':			/* BINGET */
		case 'j':			/* LONG_BINGET */
			n = op == 'h' ? 1 : 4;
			if (!(ok = up_need(&u, n) == 0))
				break;
			n = up_le(&u, (int)n);
			ok = n < u.nmemo && u.memo[n] != NULL && up_copy(&u, u.memo[n]) == 0;
			break;
		case 's':			/* SETITEM */
			ok = u.n >= 3 && !u.mark[u.n - 3] && up_fill(&u, u.n - 2,
			    u.stack[u.n - 3]) == 0;
			break;
		case 'a':			/* APPEND */
			ok = u.n >= 2 && !u.mark[u.n - 2] && up_fill(&u, u.n - 1,
			    u.stack[u.n - 2]) == 0;
			break;
		case 'u':			/* SETITEMS */
		case 'e':			/* APPENDS */
			m = up_marked(&u);
			ok = m >= 1 && !u.mark[m - 1];
			if (ok) {
				json_t *into = u.stack[m - 1];
				size_t from = (size_t)m;
				/* drop the MARK, then fill */
				memmove(&u.stack[from], &u.stack[from + 1], (u.n - from - 1) *
				    sizeof(*u.stack));
				memmove(&u.mark[from], &u.mark[from + 1], (u.n - from - 1) *
				    sizeof(*u.mark));
				memmove(&u.height[from], &u.height[from + 1], (u.n - from - 1) *
				    sizeof(*u.height));
				u.n--;
				ok = up_fill(&u, from, into) == 0;
			}
			break;
		case 't':			/* TUPLE */
			m = up_marked(&u);
			if (!(ok = m >= 0))
				break;
			/* drop the MARK, then gather what was above it */
			memmove(&u.stack[m], &u.stack[m + 1], (u.n - (size_t)m - 1) *
			    sizeof(*u.stack));
			memmove(&u.mark[m], &u.mark[m + 1], (u.n - (size_t)m - 1) *
			    sizeof(*u.mark));
			memmove(&u.height[m], &u.height[m + 1], (u.n - (size_t)m - 1) *
			    sizeof(*u.height));
			u.n--;
			ok = up_tuple(&u, (size_t)m) == 0;
			break;
		case 0x85:			/* TUPLE1..3 */
		case 0x86:
		case 0x87:
			n = (uint64_t)(op - 0x84);
			ok = u.n >= n && up_tuple(&u, u.n - n) == 0;
			break;
		case '.':			/* STOP */
			if (u.n == 1 && !u.mark[0]) {
				result = u.stack[0];
				u.n = 0;
			} else
				ok = 0;
			stop = 1;
			break;
		default:
			ok = 0;			/* anything else is not plain data */
			break;
		}
		if (u.n > UP_MAX_STACK)
			ok = 0;
	}
	if (why != NULL)
		*why = result != NULL ? NULL : u.why != NULL ? u.why :
		    u.n > UP_MAX_STACK ? "the return value is not plain data (a pickle stack of "
		    "more than " RQ_STR(UP_MAX_STACK) " items)" :
		    !ok || stop ? not_plain[op] :
		    "the return value is not plain data (a pickle without STOP)";
	for (i = 0; i < u.n; i++)
		if (!u.mark[i])
			json_decref(u.stack[i]);
	for (i = 0; i < u.nmemo; i++)
		json_decref(u.memo[i]);
	free(u.stack);
	free(u.mark);
	free(u.height);
	free(u.memo);
	return result;
}

int
rq_over_budget(const char *why)
{
	return why == rq_too_deep || why == rq_too_many || why == rq_too_long;
}

/* Whether v, inside `level` containers, nests at most RQ_MAX_DEPTH deep in all. */
static int
depth_ok(const json_t *v, size_t level)
{
	const char	*key;
	json_t		*item;
	size_t		 i;

	if (!json_is_array(v) && !json_is_object(v))
		return 1;
	if (++level > RQ_MAX_DEPTH)
		return 0;
	if (json_is_array(v)) {
		json_array_foreach(v, i, item)
			if (!depth_ok(item, level))
				return 0;
	} else {
		json_object_foreach((json_t *)v, key, item)
			if (!depth_ok(item, level))
				return 0;
	}
	return 1;
}

int
rq_check_depth(const json_t *v, const char **why)
{
	if (depth_ok(v, 0))
		return 0;
	if (why != NULL)
		*why = rq_too_deep;
	return -1;
}
