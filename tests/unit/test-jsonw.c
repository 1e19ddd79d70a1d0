/*
 * autosched tests: lib/jsonw.c, the listing's JSON writer: escapes, invalid UTF-8, numbers
 * and times, each checked by hand and by jansson reading the result back.
 */
#include <jansson.h>

#include "testutil.h"
#include "jsonw.h"

static const struct str_case {
	const char	*in;
	const char	*out;
} str_cases[] = {
	{ "plain", "\"plain\"" },
	{ "", "\"\"" },
	{ "quote \" and backslash \\", "\"quote \\\" and backslash \\\\\"" },
	{ "line\nbreak\r\ttab", "\"line\\nbreak\\r\\ttab\"" },
	{ "bell\a esc\x1b del\x7f", "\"bell\\u0007 esc\\u001b del\x7f\"" },
	{ "<script>alert(1)</script>", "\"<script>alert(1)</script>\"" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
	/* not UTF-8: each bad byte becomes U+FFFD */
	{ "bad \xff end", "\"bad \xef\xbf\xbd end\"" },
	{ "overlong \xc0\xaf", "\"overlong \xef\xbf\xbd\xef\xbf\xbd\"" },
	{ "surrogate \xed\xa0\x80", "\"surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
	{ "cut \xe2\x82", "\"cut \xef\xbf\xbd\xef\xbf\xbd\"" },
	{ "too high \xf4\x90\x80\x80", "\"too high \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	  "\xef\xbf\xbd\"" },
};

static void
test_str(void **state)
{
	const struct str_case	*c = *state;
	struct buf		 b = BUF_INIT;
	json_t			*v;

	jsonw_str(&b, c->in);
	assert_string_equal(b.data, c->out);
	assert_non_null(v = json_loads(b.data, JSON_DECODE_ANY, NULL));
	assert_true(json_is_string(v));
	json_decref(v);
	buf_release(&b);
}

static void
test_other(void **state)
{
	struct buf	 b = BUF_INIT;
	json_t		*v;

	(void)state;
	buf_addch(&b, '{');
	jsonw_key(&b, "a", 1);
	jsonw_int(&b, INT64_MIN);
	jsonw_key(&b, "b", 0);
	jsonw_int(&b, 0);
	jsonw_key(&b, "c", 0);
	jsonw_int(&b, 604800);
	jsonw_key(&b, "d", 0);
	jsonw_time(&b, 1795874400);
	jsonw_key(&b, "e", 0);
	jsonw_time(&b, TIME_NONE);
	jsonw_key(&b, "f", 0);
	jsonw_str(&b, NULL);
	buf_addch(&b, '}');
	assert_string_equal(b.data, "{\"a\":-9223372036854775808,\"b\":0,\"c\":604800,"
	    "\"d\":\"2026-11-28T14:00:00Z\",\"e\":null,\"f\":null}");
	assert_non_null(v = json_loads(b.data, 0, NULL));
	json_decref(v);
	assert_true(jsonw_valid("{\"a\":[1,2]}"));
	assert_true(jsonw_valid("3"));
	assert_false(jsonw_valid("{\"a\":"));
	assert_false(jsonw_valid("Traceback (most recent call last)"));
	buf_release(&b);
}

int
main(void)
{
	struct suite	 s = { 0 };
	size_t		 i;

	for (i = 0; i < sizeof(str_cases) / sizeof(str_cases[0]); i++)
		suite_add(&s, test_str, (void *)&str_cases[i], "string %zu", i);
	suite_add(&s, test_other, NULL, "keys, integers, times, null");
	return suite_run(&s, "json");
}
