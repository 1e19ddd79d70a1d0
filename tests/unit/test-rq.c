/*
 * autosched tests: lib/rq.c, RQ's wire format without Redis: timestamps as RQ writes and
 * parses them, the payload tuple in JSON and pickle protocol 2 (byte for byte as in the
 * wire-format notes), and reading what workers return: base64, zlib, and pickles that
 * Python's pickle module wrote (protocol 5, the bytes pasted here from
 * `pickle.dumps(obj, protocol=5)`), and hostile ones built by hand that must be refused
 * within the budget of queue.h (RQ_MAX_DEPTH, RQ_MAX_VALUES, RQ_MAX_TEXT), quickly.
 */
#include <zlib.h>

#include "testutil.h"
#include "queue.h"

static void
test_timestamp(void **state)
{
	char	 ts[RQ_TS_LEN];
	int64_t	 t;

	(void)state;
	rq_timestamp(ts, 1795874400123456LL);
	assert_string_equal(ts, "2026-11-28T14:00:00.123456Z");
	rq_timestamp(ts, 1795874400000001LL);
	assert_string_equal(ts, "2026-11-28T14:00:00.000001Z");
	rq_timestamp(ts, 0);
	assert_string_equal(ts, "1970-01-01T00:00:00.000000Z");
	assert_int_equal(rq_parse_timestamp("2026-11-28T14:00:00.123456Z", &t), 0);
	assert_int_equal(t, 1795874400);
	assert_int_equal(rq_parse_timestamp("2026-11-28T14:00:00.123Z", &t), 0);
	assert_int_equal(t, 1795874400);
	assert_int_equal(rq_parse_timestamp("2026-11-28T14:00:00Z", &t), 0);
	assert_int_equal(t, 1795874400);
	assert_int_equal(rq_parse_timestamp("2026-11-28 14:00:00", &t), -1);
	assert_int_equal(rq_parse_timestamp("", &t), -1);
}

/* The 93 bytes of docs/rq-wire-format.md §3d, for run_bot(bot_mode='standard',
 * dry_run=True, max_days_late=7). */
static const unsigned char doc_pickle[] = {
	0x80, 0x02, 0x28, 0x58, 0x13, 0x00, 0x00, 0x00, 0x6d, 0x79, 0x70, 0x6b, 0x67, 0x2e,
	0x74, 0x61, 0x73, 0x6b, 0x73, 0x2e, 0x72, 0x75, 0x6e, 0x5f, 0x62, 0x6f, 0x74, 0x4e,
	0x29, 0x7d, 0x28, 0x58, 0x08, 0x00, 0x00, 0x00, 0x62, 0x6f, 0x74, 0x5f, 0x6d, 0x6f,
	0x64, 0x65, 0x58, 0x08, 0x00, 0x00, 0x00, 0x73, 0x74, 0x61, 0x6e, 0x64, 0x61, 0x72,
	0x64, 0x58, 0x07, 0x00, 0x00, 0x00, 0x64, 0x72, 0x79, 0x5f, 0x72, 0x75, 0x6e, 0x88,
	0x58, 0x0d, 0x00, 0x00, 0x00, 0x6d, 0x61, 0x78, 0x5f, 0x64, 0x61, 0x79, 0x73, 0x5f,
	0x6c, 0x61, 0x74, 0x65, 0x4b, 0x07, 0x75, 0x74, 0x2e
};

static void
test_pickle_payload(void **state)
{
	struct buf	 b = BUF_INIT, z = BUF_INIT, back = BUF_INIT;
	json_t		*kw = json_pack("{s:s,s:b,s:i}", "bot_mode", "standard", "dry_run", 1,
	    "max_days_late", 7);

	(void)state;
	assert_int_equal(rq_pickle_call("mypkg.tasks.run_bot", kw, &b), 0);
	assert_int_equal(b.len, sizeof(doc_pickle));
	assert_memory_equal(b.data, doc_pickle, sizeof(doc_pickle));
	/* the payload is zlib of the same bytes */
	assert_int_equal(rq_payload(SERIALIZER_PICKLE, "mypkg.tasks.run_bot", kw, &z), 0);
	/* a zlib stream: deflate (CM 8), header checksum (RFC 1950) */
	assert_int_equal((unsigned char)z.data[0] & 0x0f, 8);
	assert_int_equal(((unsigned char)z.data[0] * 256 + (unsigned char)z.data[1]) % 31, 0);
	assert_int_equal(rq_inflate(z.data, z.len, &back), 0);
	assert_int_equal(back.len, sizeof(doc_pickle));
	assert_memory_equal(back.data, doc_pickle, sizeof(doc_pickle));
	json_decref(kw);
	buf_release(&b);
	buf_release(&z);
	buf_release(&back);
}

static void
test_pickle_values(void **state)
{
	struct buf	 b = BUF_INIT;
	json_t		*kw, *back;
	const char	*why = "unset";

	(void)state;
	/* every kind of value a parameter can hold survives our pickle and our unpickler */
	kw = json_pack("{s:i,s:i,s:i,s:I,s:I,s:s,s:n,s:b,s:f}", "small", 7, "two", 300,
	    "neg", -5, "big", (json_int_t)70000, "huge", (json_int_t)1 << 40, "s", "h\xc3\xa9llo",
	    "none", "f", 0, "r", 1.5);
	assert_int_equal(rq_pickle_call("m.f", kw, &b), 0);
	assert_non_null(back = rq_unpickle(b.data, b.len, &why));
	assert_null(why);
	assert_true(json_is_array(back));
	assert_string_equal(json_string_value(json_array_get(back, 0)), "m.f");
	assert_true(json_equal(json_array_get(back, 3), kw));
	json_decref(back);
	json_decref(kw);
	buf_release(&b);
}

static const struct unpickle_case {
	const char	*bytes;
	size_t		 len;
	const char	*json;		/* NULL: refused */
	const char	*why;		/* why refused, when the row says */
} unpickle_cases[] = {
#define P(s, j)	{ s, sizeof(s) - 1, j, NULL }
#define W(s, w)	{ s, sizeof(s) - 1, NULL, "the return value is not plain data (" w ")" }
	P("\x80\x05\x95\x4a\x00\x00\x00\x00\x00\x00\x00\x7d\x94\x28\x8c\x0d\x6d\x65\x73\x73\x61"
	  "\x67\x65\x73\x5f\x73\x65\x6e\x74\x94\x4b\x03\x8c\x08\x62\x6f\x74\x5f\x6d\x6f\x64\x65"
	  "\x94\x8c\x08\x73\x74\x61\x6e\x64\x61\x72\x64\x94\x8c\x07\x64\x72\x79\x5f\x72\x75\x6e"
	  "\x94\x88\x8c\x0d\x6d\x61\x78\x5f\x64\x61\x79\x73\x5f\x6c\x61\x74\x65\x94\x4b\x07\x75"
	  "\x2e", "{\"messages_sent\":3,\"bot_mode\":\"standard\",\"dry_run\":true,"
	  "\"max_days_late\":7}"),
	P("\x80\x05\x95\x35\x00\x00\x00\x00\x00\x00\x00\x5d\x94\x28\x4b\x01\x4a\xfb\xff\xff\xff"
	  "\x4a\x70\x11\x01\x00\x8a\x06\x00\x00\x00\x00\x00\x01\x8a\x06\x00\x00\x00\x00\x00\xff"
	  "\x47\x3f\xf8\x00\x00\x00\x00\x00\x00\x4e\x89\x8c\x06\x68\xc3\xa9\x6c\x6c\x6f\x94\x65"
	  "\x2e", "[1,-5,70000,1099511627776,-1099511627776,1.5,null,false,\"h\xc3\xa9llo\"]"),
	P("\x80\x05\x95\x3a\x00\x00\x00\x00\x00\x00\x00\x7d\x94\x28\x8c\x06\x6e\x65\x73\x74\x65"
	  "\x64\x94\x7d\x94\x8c\x01\x61\x94\x5d\x94\x28\x4b\x01\x4b\x02\x7d\x94\x8c\x01\x62\x94"
	  "\x4b\x03\x4b\x04\x86\x94\x73\x65\x73\x8c\x05\x65\x6d\x70\x74\x79\x94\x7d\x94\x8c\x01"
	  "\x6c\x94\x5d\x94\x75\x2e", "{\"nested\":{\"a\":[1,2,{\"b\":[3,4]}]},\"empty\":{},"
	  "\"l\":[]}"),
	/* not plain data: a global (a class instance), a truncated string, no STOP */
	W("\x80\x04\x8c\x08" "datetime" "\x8c\x04" "date" "\x93\x2e", "pickle opcode 0x93"),
	W("\x80\x02\x63\x64\x61\x74\x65\x74\x69\x6d\x65\x0a\x64\x61\x74\x65\x0a\x2e",
	  "pickle opcode 0x63"),
	W("\x80\x05\x8c\x10short", "pickle opcode 0x8c"),
	W("\x80\x05\x4b\x01", "a pickle without STOP"),
	W("", "a pickle without STOP"),
	W("\x80\x05\x4b\x01\x4b\x02\x2e", "pickle opcode 0x2e"),	/* two values at STOP */
	P("\x80\x05\x7d\x94\x28\x4b\x01\x4b\x02\x75\x2e", NULL),	/* int key: not JSON */
	/* a dict naming itself: a copy of what it was, never a cycle */
	P("\x80\x05\x7d\x94\x28\x8c\x01k\x68\x00\x75\x2e", "{\"k\":{}}"),
#undef W
#undef P
};

static void
test_unpickle(void **state)
{
	const struct unpickle_case	*c = *state;
	const char			*why = "unset";
	json_t				*v = rq_unpickle(c->bytes, c->len, &why), *want;

	if (c->json == NULL) {
		assert_null(v);
		assert_non_null(why);
		assert_false(rq_over_budget(why));
		assert_memory_equal(why, "the return value is not plain data (", 36);
		if (c->why != NULL)
			assert_string_equal(why, c->why);
		return;
	}
	assert_non_null(v);
	assert_null(why);
	assert_non_null(want = json_loads(c->json, JSON_DECODE_ANY, NULL));
	assert_true(json_equal(v, want));
	json_decref(v);
	json_decref(want);
}

/*
 * Hostile pickles, too big to paste: built at run time from opcodes of protocols 2 and 5.
 * Memo references (BINGET, LONG_BINGET) are copied, so a few bytes can stand for billions
 * of values; nesting makes a tree deeper than json_dumps and json_decref can recurse.
 */

/* Frames a protocol 5 body as Python does: PROTO 5, FRAME <length>. */
static void
p5_frame(struct buf *b, const struct buf *body)
{
	unsigned char	 len[8];
	int		 i;

	buf_add(b, "\x80\x05\x95", 3);
	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)((uint64_t)body->len >> (8 * i));
	buf_add(b, len, 8);
	buf_add(b, body->data, body->len);
}

/* ( ]q0, then n times ] ( h<i> h<i> e q<i+1>: list i+1 is [list i, list i]; t. */
static void
memo_doubling_p2(struct buf *b, int n)
{
	int	 i;

	buf_add(b, "\x80\x02(]q\x00", 6);
	for (i = 0; i < n; i++) {
		buf_add(b, "](h", 3);
		buf_addch(b, i);
		buf_addch(b, 'h');
		buf_addch(b, i);
		buf_add(b, "eq", 2);
		buf_addch(b, i + 1);
	}
	buf_add(b, "t.", 2);
}

/* The same in protocol 5: MEMOIZE, LONG_BINGET and APPEND, in a FRAME. */
static void
memo_doubling_p5(struct buf *b, int n)
{
	struct buf	 body = BUF_INIT;
	unsigned char	 get[5] = { 'j' };
	int		 i, k;

	buf_add(&body, "(]\x94", 3);
	for (i = 0; i < n; i++) {
		for (k = 0; k < 4; k++)
			get[1 + k] = (unsigned char)(i >> (8 * k));
		buf_addch(&body, ']');
		buf_add(&body, get, 5);
		buf_addch(&body, 'a');
		buf_add(&body, get, 5);
		buf_add(&body, "a\x94", 2);
	}
	buf_add(&body, "t.", 2);
	p5_frame(b, &body);
	buf_release(&body);
}

/* ( X<n KiB> q0, then 10 times ] ( h<i> h<i> e q<i+1> as above: 2046 copies of it; t. */
static void
text_doubling(struct buf *b, int n)
{
	size_t	 len = (size_t)n * 1024;
	int	 i;

	buf_add(b, "\x80\x02(X", 4);
	for (i = 0; i < 4; i++)
		buf_addch(b, (int)(len >> (8 * i) & 0xff));
	for (i = 0; i < n; i++)
		buf_addf(b, "%1024d", i);
	buf_add(b, "q\x00", 2);
	for (i = 0; i < 10; i++) {
		buf_add(b, "](h", 3);
		buf_addch(b, i);
		buf_addch(b, 'h');
		buf_addch(b, i);
		buf_add(b, "eq", 2);
		buf_addch(b, i + 1);
	}
	buf_add(b, "t.", 2);
}

/* K 0 wrapped in n TUPLE1s: ((((0,),),),) n deep, on a stack of one. */
static void
deep_tuple1(struct buf *b, int n)
{
	int	 i;

	buf_add(b, "\x80\x02K\x00", 4);
	for (i = 0; i < n; i++)
		buf_addch(b, 0x85);
	buf_addch(b, '.');
}

/* ] n times, then APPEND n - 1 times: [[[...]]] n deep. */
static void
deep_append(struct buf *b, int n)
{
	struct buf	 body = BUF_INIT;
	int		 i;

	for (i = 0; i < n; i++)
		buf_addch(&body, ']');
	for (i = 1; i < n; i++)
		buf_addch(&body, 'a');
	buf_addch(&body, '.');
	p5_frame(b, &body);
	buf_release(&body);
}

/* MARK n - 1 times, ), then TUPLE n - 1 times: (((...),),) n deep. */
static void
deep_mark_tuple(struct buf *b, int n)
{
	int	 i;

	buf_add(b, "\x80\x02", 2);
	for (i = 1; i < n; i++)
		buf_addch(b, '(');
	buf_addch(b, ')');
	for (i = 1; i < n; i++)
		buf_addch(b, 't');
	buf_addch(b, '.');
}

/* ] q0, then n times h0 TUPLE1 q0: each step copies the last, one level deeper. */
static void
deep_memo(struct buf *b, int n)
{
	int	 i;

	buf_add(b, "\x80\x02]q\x00", 5);
	for (i = 0; i < n; i++)
		buf_add(b, "h\x00\x85q\x00", 5);
	buf_addch(b, '.');
}

/* [] in n - 1 TUPLE1s: n levels. */
static void
nest_list(struct buf *b, int n)
{
	int	 i;

	buf_add(b, "\x80\x02]", 3);
	for (i = 1; i < n; i++)
		buf_addch(b, 0x85);
	buf_addch(b, '.');
}

/* ( ] MEMOIZE ( None x n e, then BINGET 0 1,000 times, t: 1 + (n + 1) * 1,001 values. */
static void
wide_memo(struct buf *b, int n)
{
	struct buf	 body = BUF_INIT;
	int		 i;

	buf_add(&body, "(]\x94(", 4);
	for (i = 0; i < n; i++)
		buf_addch(&body, 'N');
	buf_addch(&body, 'e');
	for (i = 0; i < 1000; i++)
		buf_add(&body, "h\x00", 2);
	buf_add(&body, "t.", 2);
	p5_frame(b, &body);
	buf_release(&body);
}

/* ( X<8 MiB + n bytes> q0 h0 t: a string and its copy, 16 MiB + 2n bytes of text. */
static void
text_exact(struct buf *b, int n)
{
	size_t	 len = RQ_MAX_TEXT / 2 + (size_t)n;
	int	 i;

	buf_add(b, "\x80\x02(X", 4);
	for (i = 0; i < 4; i++)
		buf_addch(b, (int)(len >> (8 * i) & 0xff));
	buf_grow(b, len);
	memset(b->data + b->len, 'x', len);
	b->len += len;
	buf_add(b, "q\x00h\x00t.", 6);
}

static const struct built_case {
	const char	*name;
	void		(*build)(struct buf *, int);
	int		 n;
	const char	*why;		/* NULL: accepted, with depth and values as below */
	size_t		 depth, values;
} built_cases[] = {
	{ "memo doubling, protocol 2 (APPENDS), 2^31 lists", memo_doubling_p2, 30, rq_too_many,
	  0, 0 },
	{ "memo doubling, protocol 5 (APPEND), 2^41 lists", memo_doubling_p5, 40, rq_too_many,
	  0, 0 },
	{ "a 64 KiB string copied 2^11 times", text_doubling, 64, rq_too_long, 0, 0 },
	{ "100,000 TUPLE1 levels", deep_tuple1, 100000, rq_too_deep, 0, 0 },
	{ "100,000 EMPTY_LIST+APPEND levels", deep_append, 100000, rq_too_deep, 0, 0 },
	{ "100,000 MARK...TUPLE levels", deep_mark_tuple, 100000, rq_too_deep, 0, 0 },
	{ "20,000 memo copies, each a level deeper", deep_memo, 20000, rq_too_deep, 0, 0 },
	{ "1,000 levels: the most", nest_list, 1000, NULL, 1000, 1000 },
	{ "1,001 levels", nest_list, 1001, rq_too_deep, 0, 0 },
	{ "1,000,000 values with memo copies: the most", wide_memo, 998, NULL, 2, 1000000 },
	{ "1,000,001 values", wide_memo, 999, rq_too_many, 0, 0 },
	{ "16 MiB of text with a memo copy: the most", text_exact, 0, NULL, 1, 3 },
	{ "16 MiB and 2 bytes of text", text_exact, 1, rq_too_long, 0, 0 },
};

/* Containers nested (0 for a scalar), and values in all. */
static size_t
measure(const json_t *v, size_t *values)
{
	const char	*key;
	json_t		*item;
	size_t		 i, d, deepest = 0;

	++*values;
	if (json_is_array(v))
		json_array_foreach(v, i, item)
			if ((d = measure(item, values)) > deepest)
				deepest = d;
	if (json_is_object(v))
		json_object_foreach((json_t *)v, key, item)
			if ((d = measure(item, values)) > deepest)
				deepest = d;
	return json_is_array(v) || json_is_object(v) ? deepest + 1 : 0;
}

static void
test_built(void **state)
{
	const struct built_case	*c = *state;
	struct buf		 b = BUF_INIT;
	json_t			*v;
	size_t			 values = 0, depth;
	const char		*why = "unset";
	char			*s;

	c->build(&b, c->n);
	v = rq_unpickle(b.data, b.len, &why);
	buf_release(&b);
	if (c->why != NULL) {
		if (v != NULL) {
			/* what schedd does next with a return value */
			s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
			free(s);
			json_decref(v);
			fail_msg("%s: accepted", c->name);
		}
		assert_ptr_equal(why, c->why);
		assert_true(rq_over_budget(why));
		return;
	}
	assert_non_null(v);
	assert_null(why);
	depth = measure(v, &values);
	assert_int_equal(depth, c->depth);
	assert_int_equal(values, c->values);
	assert_non_null(s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY));
	free(s);
	json_decref(v);
}

/*
 * A JSON worker's return value: jansson's json_loadb reads up to 2048 levels
 * (JSON_PARSER_MAX_DEPTH, a scalar at the bottom counted as one), rq_check_depth lets
 * RQ_MAX_DEPTH through to json_dumps.
 */
static const struct depth_case {
	int		 n;
	int		 object;	/* {"a": ...} levels, else [...] */
	int		 loads;		/* json_loadb reads it */
	int		 ok;		/* rq_check_depth passes it */
} depth_cases[] = {
	{ 0, 0, 1, 1 },
	{ 1, 0, 1, 1 },
	{ 1000, 0, 1, 1 },
	{ 1000, 1, 1, 1 },
	{ 1001, 0, 1, 0 },
	{ 1001, 1, 1, 0 },
	{ 2048, 0, 1, 0 },
	{ 2049, 0, 0, 0 },
};

static void
test_check_depth(void **state)
{
	const struct depth_case	*c = *state;
	struct buf		 b = BUF_INIT;
	const char		*why = NULL;
	json_t			*v;
	int			 i;

	/* n containers, the innermost empty ({"a":{"a":{}}}: 3); 0, a scalar */
	for (i = 1; i < c->n; i++)
		buf_addstr(&b, c->object ? "{\"a\":" : "[");
	buf_addstr(&b, c->n == 0 ? "1" : c->object ? "{}" : "[]");
	for (i = 1; i < c->n; i++)
		buf_addch(&b, c->object ? '}' : ']');
	v = json_loadb(b.data, b.len, JSON_DECODE_ANY, NULL);
	buf_release(&b);
	if (!c->loads) {
		assert_null(v);
		return;
	}
	assert_non_null(v);
	assert_int_equal(rq_check_depth(v, &why), c->ok ? 0 : -1);
	if (c->ok)
		assert_null(why);
	else
		assert_ptr_equal(why, rq_too_deep);
	json_decref(v);
}

static void
test_json_payload(void **state)
{
	struct buf	 z = BUF_INIT, raw = BUF_INIT;
	json_t		*kw = json_pack("{s:b,s:i}", "dry_run", 0, "limit", 50);

	(void)state;
	assert_int_equal(rq_payload(SERIALIZER_JSON, "bots.visitor.run", kw, &z), 0);
	assert_int_equal(rq_inflate(z.data, z.len, &raw), 0);
	assert_string_equal(raw.data, "[\"bots.visitor.run\",null,[],{\"dry_run\":false,"
	    "\"limit\":50}]");
	json_decref(kw);
	buf_release(&z);
	buf_release(&raw);
}

static void
test_base64(void **state)
{
	static const char rv[] = "eyJtZXNzYWdlc19zZW50IjogMywgImJvdF9tb2RlIjogInN0YW5k"
	    "YXJkIiwgImRyeV9ydW4iOiB0cnVlLCAibWF4X2RheXNfbGF0ZSI6IDd9";
	struct buf	 b = BUF_INIT;

	(void)state;
	/* what RQ stored as return_value for {"messages_sent": 3, ...} (the notes, §2c) */
	assert_int_equal(rq_base64_decode(rv, strlen(rv), &b), 0);
	assert_string_equal(b.data, "{\"messages_sent\": 3, \"bot_mode\": \"standard\", "
	    "\"dry_run\": true, \"max_days_late\": 7}");
	assert_int_equal(rq_base64_decode("aGk=", 4, &b), 0);
	assert_string_equal(b.data, "hi");
	assert_int_equal(rq_base64_decode("a*b", 3, &b), -1);
	assert_int_equal(rq_inflate("not zlib", 8, &b), -1);
	buf_release(&b);
}

int
main(void)
{
	struct suite	 s = { 0 };
	size_t		 i;

	suite_add(&s, test_timestamp, NULL, "timestamps as RQ writes them");
	suite_add(&s, test_pickle_payload, NULL, "pickle payload, byte for byte");
	suite_add(&s, test_pickle_values, NULL, "pickle of every parameter value, read back");
	suite_add(&s, test_json_payload, NULL, "JSON payload");
	suite_add(&s, test_base64, NULL, "base64 and zlib");
	for (i = 0; i < sizeof(unpickle_cases) / sizeof(unpickle_cases[0]); i++)
		suite_add(&s, test_unpickle, (void *)&unpickle_cases[i], "unpickle %zu", i);
	for (i = 0; i < sizeof(built_cases) / sizeof(built_cases[0]); i++)
		suite_add(&s, test_built, (void *)&built_cases[i], "unpickle: %s",
		    built_cases[i].name);
	for (i = 0; i < sizeof(depth_cases) / sizeof(depth_cases[0]); i++)
		suite_add(&s, test_check_depth, (void *)&depth_cases[i], "JSON depth: %d %s",
		    depth_cases[i].n, depth_cases[i].object ? "objects" : "lists");
	return suite_run(&s, "rq");
}
