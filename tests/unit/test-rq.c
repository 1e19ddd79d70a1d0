/*
 * autosched tests: lib/rq.c, RQ's wire format without Redis: timestamps as RQ writes and
 * parses them, the payload tuple in JSON and pickle protocol 2 (byte for byte as in the
 * wire-format notes), and reading what workers return: base64, zlib, and pickles that
 * Python's pickle module wrote (protocol 5, the bytes pasted here from
 * `pickle.dumps(obj, protocol=5)`).
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

	(void)state;
	/* every kind of value a parameter can hold survives our pickle and our unpickler */
	kw = json_pack("{s:i,s:i,s:i,s:I,s:I,s:s,s:n,s:b,s:f}", "small", 7, "two", 300,
	    "neg", -5, "big", (json_int_t)70000, "huge", (json_int_t)1 << 40, "s", "h\xc3\xa9llo",
	    "none", "f", 0, "r", 1.5);
	assert_int_equal(rq_pickle_call("m.f", kw, &b), 0);
	assert_non_null(back = rq_unpickle(b.data, b.len));
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
} unpickle_cases[] = {
#define P(s, j)	{ s, sizeof(s) - 1, j }
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
	P("\x80\x04\x8c\x08" "datetime" "\x8c\x04" "date" "\x93\x2e", NULL),
	P("\x80\x02\x63\x64\x61\x74\x65\x74\x69\x6d\x65\x0a\x64\x61\x74\x65\x0a\x2e", NULL),
	P("\x80\x05\x8c\x10short", NULL),
	P("\x80\x05\x4b\x01", NULL),
	P("", NULL),
	P("\x80\x05\x7d\x94\x28\x4b\x01\x4b\x02\x75\x2e", NULL),	/* int key: not JSON */
	/* a dict naming itself: a copy of what it was, never a cycle */
	P("\x80\x05\x7d\x94\x28\x8c\x01k\x68\x00\x75\x2e", "{\"k\":{}}"),
#undef P
};

static void
test_unpickle(void **state)
{
	const struct unpickle_case	*c = *state;
	json_t				*v = rq_unpickle(c->bytes, c->len), *want;

	if (c->json == NULL) {
		assert_null(v);
		return;
	}
	assert_non_null(v);
	assert_non_null(want = json_loads(c->json, JSON_DECODE_ANY, NULL));
	assert_true(json_equal(v, want));
	json_decref(v);
	json_decref(want);
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
	return suite_run(&s, "rq");
}
