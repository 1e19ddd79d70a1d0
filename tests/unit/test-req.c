/*
 * autosched tests: cgi/req.c, the request layer of the FastCGI programs: query strings and
 * forms (percent-decoding, '+', empty keys and values, what is refused and why), routes,
 * URL encoding and its round trip, local redirect targets, booleans, the HTTP status of
 * each job service result, and, through req_init with an environment array as FastCGI
 * hands it over (FCGX_GetParam reads "NAME=value" strings), the query, cookies and HTTPS.
 * As tests/fuzz/fuzz-req.c does, there is no app and no streams (NULL).
 */
#include "testutil.h"
#include "cgi.h"

/* req_pairs_parse */

#define PAIRS_MAX	6

struct kv {
	const char	*k, *v;
};

static const struct pairs_case {
	const char		*name;
	const char		*s;
	size_t			 len;		/* 0: strlen(s) */
	int			 unique;
	size_t			 max;
	enum req_pairs_res	 res;
	size_t			 n;		/* pairs made, failure or not */
	struct kv		 p[PAIRS_MAX];
	const char		*dup;		/* REQ_PAIRS_REPEATED */
} pairs_cases[] = {
	{ "two pairs", "a=1&b=2", 0, 1, 8, REQ_PAIRS_OK, 2, { { "a", "1" }, { "b", "2" } }, NULL },
	{ "empty", "", 0, 1, 8, REQ_PAIRS_OK, 0, { { NULL, NULL } }, NULL },
	{ "a key without '='", "a", 0, 1, 8, REQ_PAIRS_OK, 1, { { "a", "" } }, NULL },
	{ "an empty value", "a=", 0, 1, 8, REQ_PAIRS_OK, 1, { { "a", "" } }, NULL },
	{ "an empty key", "=1", 0, 1, 8, REQ_PAIRS_OK, 1, { { "", "1" } }, NULL },
	{ "'=' alone", "=", 0, 1, 8, REQ_PAIRS_OK, 1, { { "", "" } }, NULL },
	{ "a&&b", "a&&b", 0, 1, 8, REQ_PAIRS_OK, 2, { { "a", "" }, { "b", "" } }, NULL },
	{ "'&' alone", "&&&", 0, 1, 8, REQ_PAIRS_OK, 0, { { NULL, NULL } }, NULL },
	{ "a trailing '&'", "a=1&", 0, 1, 8, REQ_PAIRS_OK, 1, { { "a", "1" } }, NULL },
	{ "the first '=' splits", "a=b=c", 0, 1, 8, REQ_PAIRS_OK, 1, { { "a", "b=c" } }, NULL },
	{ "'+' is a space", "a+b=c+d++", 0, 1, 8, REQ_PAIRS_OK, 1, { { "a b", "c d  " } },
	  NULL },
	{ "percent-decoding", "name=caf%C3%A9%20au+lait", 0, 1, 8, REQ_PAIRS_OK, 1,
	  { { "name", "caf\xc3\xa9 au lait" } }, NULL },
	{ "encoded delimiters", "q=%2B%26%3D%25", 0, 1, 8, REQ_PAIRS_OK, 1, { { "q", "+&=%" } },
	  NULL },
	{ "lower-case hex, in a key", "k%20ey=v%2fx%2F", 0, 1, 8, REQ_PAIRS_OK, 1,
	  { { "k ey", "v/x/" } }, NULL },
	{ "raw UTF-8", "t=\xe2\x82\xac", 0, 1, 8, REQ_PAIRS_OK, 1, { { "t", "\xe2\x82\xac" } },
	  NULL },
	{ "only len bytes", "a=1&b=2", 3, 1, 8, REQ_PAIRS_OK, 1, { { "a", "1" } }, NULL },
	/* bad */
	{ "'%' at the end", "a=%", 0, 1, 8, REQ_PAIRS_BAD, 0, { { NULL, NULL } }, NULL },
	{ "'%' and one digit", "a=%4", 0, 1, 8, REQ_PAIRS_BAD, 0, { { NULL, NULL } }, NULL },
	{ "'%' and one digit, then more", "a=%4&b=1", 0, 1, 8, REQ_PAIRS_BAD, 0,
	  { { NULL, NULL } }, NULL },
	{ "not hex: %4G", "a=%4G", 0, 1, 8, REQ_PAIRS_BAD, 0, { { NULL, NULL } }, NULL },
	{ "not hex: %G4", "a=%G4", 0, 1, 8, REQ_PAIRS_BAD, 0, { { NULL, NULL } }, NULL },
	{ "%% then hex", "a=%%41", 0, 1, 8, REQ_PAIRS_BAD, 0, { { NULL, NULL } }, NULL },
	{ "a bad key", "%=1", 0, 1, 8, REQ_PAIRS_BAD, 0, { { NULL, NULL } }, NULL },
	{ "%00", "a=%00", 0, 1, 8, REQ_PAIRS_BAD, 0, { { NULL, NULL } }, NULL },
	{ "%00 in a key", "a%00b=1", 0, 1, 8, REQ_PAIRS_BAD, 0, { { NULL, NULL } }, NULL },
	{ "a raw NUL", "a=x\0y", 5, 1, 8, REQ_PAIRS_BAD, 0, { { NULL, NULL } }, NULL },
	{ "encoded UTF-8 cut short", "a=%C3", 0, 1, 8, REQ_PAIRS_BAD, 0, { { NULL, NULL } },
	  NULL },
	{ "encoded overlong", "a=%C0%AF", 0, 1, 8, REQ_PAIRS_BAD, 0, { { NULL, NULL } }, NULL },
	{ "encoded surrogate", "a=%ED%A0%80", 0, 1, 8, REQ_PAIRS_BAD, 0, { { NULL, NULL } },
	  NULL },
	{ "raw Latin-1", "a=caf\xe9", 0, 1, 8, REQ_PAIRS_BAD, 0, { { NULL, NULL } }, NULL },
	{ "a bad pair after a good one", "ok=1&bad=%zz", 0, 1, 8, REQ_PAIRS_BAD, 1,
	  { { "ok", "1" } }, NULL },
	/* too many */
	{ "max pairs", "a&b", 0, 1, 2, REQ_PAIRS_OK, 2, { { "a", "" }, { "b", "" } }, NULL },
	{ "more than max", "a&b&c", 0, 1, 2, REQ_PAIRS_TOO_MANY, 2, { { "a", "" }, { "b", "" } },
	  NULL },
	{ "empty segments do not count", "a&&&&b", 0, 1, 2, REQ_PAIRS_OK, 2,
	  { { "a", "" }, { "b", "" } }, NULL },
	{ "max 0", "a", 0, 0, 0, REQ_PAIRS_TOO_MANY, 0, { { NULL, NULL } }, NULL },
	/* repeated */
	{ "repeated, unique", "a=1&b=2&a=3", 0, 1, 8, REQ_PAIRS_REPEATED, 2,
	  { { "a", "1" }, { "b", "2" } }, "a" },
	{ "repeated, not unique", "a=1&b=2&a=3", 0, 0, 8, REQ_PAIRS_OK, 3,
	  { { "a", "1" }, { "b", "2" }, { "a", "3" } }, NULL },
	{ "repeated once decoded", "a+b=1&a%20b=2", 0, 1, 8, REQ_PAIRS_REPEATED, 1,
	  { { "a b", "1" } }, "a b" },
	{ "repeated empty key", "=1&=2", 0, 1, 8, REQ_PAIRS_REPEATED, 1, { { "", "1" } }, "" },
	{ "keys are case-sensitive", "A=1&a=2", 0, 1, 8, REQ_PAIRS_OK, 2,
	  { { "A", "1" }, { "a", "2" } }, NULL },
	{ "repeated is found before too many", "a&a", 0, 1, 1, REQ_PAIRS_REPEATED, 1,
	  { { "a", "" } }, "a" },
};

static const char *
res_name(enum req_pairs_res r)
{
	switch (r) {
	case REQ_PAIRS_OK:
		return "ok";
	case REQ_PAIRS_BAD:
		return "bad";
	case REQ_PAIRS_TOO_MANY:
		return "too many";
	case REQ_PAIRS_REPEATED:
		return "repeated";
	}
	return "?";
}

static void
free_pairs(struct req_pair *kv, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
	}
	free(kv);
}

static void
test_pairs(void **state)
{
	const struct pairs_case	*c = *state;
	struct req_pair		*kv = NULL;
	size_t			 n = 0, len = c->len ? c->len : strlen(c->s), i;
	char			*s = xmalloc(len ? len : 1), *dup = NULL;
	enum req_pairs_res	 res;

	memcpy(s, c->s, len);		/* exactly len bytes: ASan sees reads past them */
	res = req_pairs_parse(s, len, c->unique, c->max, &kv, &n, &dup);
	free(s);
	if (res != c->res)
		fail_msg("'%s': %s, not %s", c->s, res_name(res), res_name(c->res));
	assert_int_equal(n, c->n);
	for (i = 0; i < n; i++) {
		assert_string_equal(kv[i].key, c->p[i].k);
		assert_string_equal(kv[i].val, c->p[i].v);
	}
	if (c->dup != NULL) {
		assert_non_null(dup);
		assert_string_equal(dup, c->dup);
	} else
		assert_null(dup);
	free(dup);
	free_pairs(kv, n);
}

/* Pairs are appended to what *kv holds already. */
static void
test_pairs_append(void **state)
{
	struct req_pair	*kv = NULL;
	size_t		 n = 0;
	char		*dup = NULL;

	(void)state;
	assert_int_equal(req_pairs_parse("a=1", 3, 1, 8, &kv, &n, &dup), REQ_PAIRS_OK);
	assert_int_equal(req_pairs_parse("b=2", 3, 1, 8, &kv, &n, &dup), REQ_PAIRS_OK);
	assert_int_equal(n, 2);
	assert_string_equal(kv[1].key, "b");
	/* and a repeat is found across the calls */
	assert_int_equal(req_pairs_parse("a=3", 3, 1, 8, &kv, &n, &dup), REQ_PAIRS_REPEATED);
	assert_string_equal(dup, "a");
	assert_int_equal(n, 2);
	free(dup);
	free_pairs(kv, n);
}

static void
test_pairs_get(void **state)
{
	static const char	 s[] = "a=1&b=&a=2&c&d=x+y";
	struct req_pair		*kv = NULL;
	size_t			 n = 0;
	char			*dup = NULL;

	(void)state;
	assert_int_equal(req_pairs_parse(s, strlen(s), 0, 8, &kv, &n, &dup), REQ_PAIRS_OK);
	assert_int_equal(n, 5);
	assert_string_equal(req_pairs_get(kv, n, "a"), "1");	/* the first */
	assert_string_equal(req_pairs_get(kv, n, "b"), "");
	assert_string_equal(req_pairs_get(kv, n, "c"), "");
	assert_string_equal(req_pairs_get(kv, n, "d"), "x y");
	assert_null(req_pairs_get(kv, n, "e"));
	assert_null(req_pairs_get(kv, n, "A"));
	assert_null(req_pairs_get(kv, n, ""));
	assert_null(req_pairs_get(kv, 1, "b"));			/* only n pairs */
	assert_null(req_pairs_get(NULL, 0, "a"));
	assert_true(req_pairs_has(kv, n, "a", "1"));
	assert_true(req_pairs_has(kv, n, "a", "2"));
	assert_false(req_pairs_has(kv, n, "a", "3"));
	assert_true(req_pairs_has(kv, n, "b", ""));
	assert_true(req_pairs_has(kv, n, "c", ""));
	assert_false(req_pairs_has(kv, n, "d", "x+y"));
	assert_false(req_pairs_has(kv, n, "e", ""));
	assert_false(req_pairs_has(kv, 2, "a", "2"));
	assert_false(req_pairs_has(NULL, 0, "a", "1"));
	free_pairs(kv, n);
}

/* req_route */

#define ID64	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const struct route_case {
	const char	*pattern;
	const char	*path;
	int		 match;
	const char	*id;		/* when the pattern has a "*" and matches */
} route_cases[] = {
	{ "", "", 1, NULL },
	{ "", "/", 1, NULL },
	{ "", "/jobs", 0, NULL },
	{ "jobs", "/jobs", 1, NULL },
	{ "jobs", "/jobs/", 1, NULL },
	{ "jobs", "jobs", 1, NULL },
	{ "jobs", "", 0, NULL },
	{ "jobs", "/", 0, NULL },
	{ "jobs", "/job", 0, NULL },
	{ "jobs", "/jobsx", 0, NULL },
	{ "jobs", "/Jobs", 0, NULL },
	{ "jobs", "/jobs/x", 0, NULL },
	{ "jobs/*", "/jobs/abc", 1, "abc" },
	{ "jobs/*", "/jobs/abc/", 1, "abc" },
	{ "jobs/*", "/jobs/9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11", 1,
	  "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11" },
	{ "jobs/*", "/jobs/%2e%2e", 1, "%2e%2e" },
	{ "jobs/*", "/jobs", 0, NULL },
	{ "jobs/*", "/jobs/", 0, NULL },
	{ "jobs/*", "/jobs//abc", 0, NULL },
	{ "jobs/*", "/jobs/abc/edit", 0, NULL },
	{ "jobs/*", "/keys/abc", 0, NULL },
	{ "jobs/*/edit", "/jobs/x/edit", 1, "x" },
	{ "jobs/*/edit", "/jobs/x/edit/", 1, "x" },
	{ "jobs/*/edit", "/jobs/x", 0, NULL },
	{ "jobs/*/edit", "/jobs/x/", 0, NULL },
	{ "jobs/*/edit", "/jobs/x/run", 0, NULL },
	{ "jobs/*/edit", "/jobs/x/edit/more", 0, NULL },
	{ "jobs/*/edit", "/jobs//edit", 0, NULL },
	{ "jobs/*/edit", "/jobs/edit", 0, NULL },
	/* the id is cut to REQ_MAX_ID characters */
	{ "jobs/*", "/jobs/" ID64, 1, ID64 },
	{ "jobs/*", "/jobs/" ID64 "XYZ", 1, ID64 },
	{ "jobs/*/edit", "/jobs/" ID64 ID64 "/edit", 1, ID64 },
};

static void
test_route(void **state)
{
	const struct route_case	*c = *state;
	char			*id = xmalloc(REQ_MAX_ID + 1), got[REQ_MAX_ID + 2];
	int			 m;

	assert_int_equal(strlen(ID64), REQ_MAX_ID);
	memset(id, 0, REQ_MAX_ID + 1);
	m = req_route(c->pattern, c->path, id);
	memcpy(got, id, REQ_MAX_ID + 1);
	got[REQ_MAX_ID + 1] = '\0';
	free(id);
	assert_int_equal(m, c->match);
	if (c->match && c->id != NULL)
		assert_string_equal(got, c->id);
}

/* req_url_encode */

static const struct enc_case {
	const char	*in;
	const char	*out;
} enc_cases[] = {
	{ "", "" },
	{ "AZaz09-._~", "AZaz09-._~" },
	{ "a b", "a%20b" },
	{ "a+b&c=d/e?f#g%h", "a%2Bb%26c%3Dd%2Fe%3Ff%23g%25h" },
	{ "!*'();:@$,[]", "%21%2A%27%28%29%3B%3A%40%24%2C%5B%5D" },
	{ "caf\xc3\xa9", "caf%C3%A9" },
	{ "\xe2\x82\xac", "%E2%82%AC" },
	{ "\x01\t\n\x1f\x7f", "%01%09%0A%1F%7F" },
	{ "<script>\"'", "%3Cscript%3E%22%27" },
};

static void
test_encode(void **state)
{
	const struct enc_case	*c = *state;
	struct buf		 b = BUF_INIT, q = BUF_INIT;
	struct req_pair		*kv = NULL;
	size_t			 n = 0;
	char			*dup = NULL;
	enum req_pairs_res	 res;

	/* appends: what the buffer held stays */
	buf_addstr(&b, "k=");
	req_url_encode(&b, c->in);
	assert_string_equal(b.data + 2, c->out);
	assert_memory_equal(b.data, "k=", 2);
	/* the round trip, in a query with another pair after it */
	buf_addf(&q, "%s&z=1", b.data);
	res = req_pairs_parse(q.data, q.len, 1, 4, &kv, &n, &dup);
	buf_release(&b);
	buf_release(&q);
	assert_int_equal(res, REQ_PAIRS_OK);
	assert_int_equal(n, 2);
	assert_string_equal(kv[0].key, "k");
	assert_string_equal(kv[0].val, c->in);
	assert_string_equal(kv[1].val, "1");
	free_pairs(kv, n);
}

/* req_local_path_ok */

static const struct path_case {
	const char	*path;
	size_t		 len;		/* > 0: "/" and len - 1 'a', made at run time */
	int		 ok;
} path_cases[] = {
	{ "/x?y=1", 0, 1 },
	{ "/", 0, 1 },
	{ "/jobs/9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11/edit?saved=1&q=a%20b", 0, 1 },
	{ "/?", 0, 1 },
	{ NULL, 0, 0 },
	{ "", 0, 0 },
	{ "x", 0, 0 },
	{ "jobs", 0, 0 },
	{ "//evil.example/", 0, 0 },
	{ "//", 0, 0 },
	{ "http://evil.example/", 0, 0 },
	{ "javascript:alert(1)", 0, 0 },
	{ "/a b", 0, 0 },
	{ "/a\\b", 0, 0 },
	{ "/\\evil.example", 0, 0 },
	{ "/a\tb", 0, 0 },
	{ "/a\r\nLocation: x", 0, 0 },
	{ "/a\x01", 0, 0 },
	{ "/a\x7f", 0, 0 },
	{ "/caf\xc3\xa9", 0, 0 },
	/* dot segments: a browser resolves them, out of the mount point */
	{ "/..//evil.example", 0, 0 },
	{ "/../x", 0, 0 },
	{ "/a/../../x", 0, 0 },
	{ "/./x", 0, 0 },
	{ "/a/.", 0, 0 },
	{ "/a/..", 0, 0 },
	{ "/%2e%2e/x", 0, 0 },
	{ "/%2E./x", 0, 0 },
	{ "/.%2e/x", 0, 0 },
	{ "/%2e/x", 0, 0 },
	{ "/...", 0, 1 },
	{ "/a..b/.x/x.", 0, 1 },
	{ "/jobs?back=../..", 0, 1 },
	{ "/jobs#../x", 0, 1 },
	{ NULL, 1024, 1 },
	{ NULL, 1025, 0 },
};

static void
test_local_path(void **state)
{
	const struct path_case	*c = *state;
	char			*p = NULL;

	if (c->len > 0) {
		p = xmalloc(c->len + 1);
		p[0] = '/';
		memset(p + 1, 'a', c->len - 1);
		p[c->len] = '\0';
	}
	assert_int_equal(req_local_path_ok(c->len > 0 ? p : c->path), c->ok);
	free(p);
}

/* req_json: an answer jansson could not build is never empty */

static void
test_json_unbuilt(void **state)
{
	char		*env[] = { (char *)"REQUEST_METHOD=GET", (char *)"PATH_INFO=/x", NULL };
	struct req	 r;

	(void)state;
	req_init(&r, NULL, env, NULL, NULL);
	req_json(&r, 200, NULL);
	assert_int_equal(r.status, 500);
	assert_string_equal(r.body.data, "{\"detail\":\"Internal Server Error\"}");
	req_json(&r, 404, json_pack("{s:s}", "detail", "bad \xff byte"));
	assert_int_equal(r.status, 404);
	assert_string_equal(r.body.data, "{\"detail\":\"Not Found\"}");
	req_detail(&r, 404, "Job %s not found", "bad \xff byte");
	assert_string_equal(r.body.data, "{\"detail\":\"Job bad \xef\xbf\xbd byte not found\"}");
	req_release(&r);
}

/* req_bool */

static const struct bool_case {
	const char	*v;
	int		 rc, out;
} bool_cases[] = {
	{ "true", 0, 1 }, { "TRUE", 0, 1 }, { "True", 0, 1 }, { "1", 0, 1 },
	{ "false", 0, 0 }, { "FALSE", 0, 0 }, { "fAlSe", 0, 0 }, { "0", 0, 0 },
	{ "", -1, 0 }, { "yes", -1, 0 }, { "on", -1, 0 }, { "2", -1, 0 }, { "01", -1, 0 },
	{ " true", -1, 0 }, { "true ", -1, 0 }, { "truee", -1, 0 }, { "t", -1, 0 },
};

static void
test_bool(void **state)
{
	const struct bool_case	*c = *state;
	int			 out = -7;

	assert_int_equal(req_bool(c->v, &out), c->rc);
	if (c->rc == 0)
		assert_int_equal(out, c->out);
}

/* req_status */

static const struct status_case {
	enum jobs_res	 res;
	const char	*name;
	int		 status;
} status_cases[] = {
	{ JOBS_OK, "JOBS_OK", 200 },
	{ JOBS_INVALID, "JOBS_INVALID", 422 },
	{ JOBS_NOTFOUND, "JOBS_NOTFOUND", 404 },
	{ JOBS_AT_LIMIT, "JOBS_AT_LIMIT", 409 },
	{ JOBS_EXISTS, "JOBS_EXISTS", 409 },
	{ JOBS_DB_BUSY, "JOBS_DB_BUSY", 503 },
	{ JOBS_DB_ERR, "JOBS_DB_ERR", 500 },
};

static void
test_status(void **state)
{
	const struct status_case	*c = *state;

	assert_int_equal(req_status(c->res), c->status);
}

/* Requests: an environment array of "NAME=value" strings, NULL-terminated */

struct env {
	char	*v[8];
	size_t	 n;
};

static void
env_add(struct env *e, const char *name, const char *value)
{
	if (value == NULL)
		return;
	assert_true(e->n + 1 < sizeof(e->v) / sizeof(e->v[0]));
	e->v[e->n++] = xasprintf("%s=%s", name, value);
	e->v[e->n] = NULL;
}

static void
env_free(struct env *e)
{
	size_t	 i;

	for (i = 0; i < e->n; i++)
		free(e->v[i]);
	e->n = 0;
}

static const struct init_case {
	const char	*method;	/* NULL: absent */
	const char	*path;
	const char	*script;
	const char	*ctype;
	const char	*want_method;
	int		 mbit, head;
	const char	*want_path;
} init_cases[] = {
	{ NULL, NULL, NULL, NULL, "GET", M_GET, 0, "" },
	{ "GET", "/jobs", "/automation", "application/json", "GET", M_GET, 0, "/jobs" },
	{ "HEAD", "/", NULL, NULL, "HEAD", M_GET, 1, "/" },
	{ "POST", "/jobs", "/api", "application/x-www-form-urlencoded", "POST", M_POST, 0,
	  "/jobs" },
	{ "PUT", "/jobs/x", NULL, NULL, "PUT", M_PUT, 0, "/jobs/x" },
	{ "DELETE", "/jobs/x", NULL, NULL, "DELETE", M_DELETE, 0, "/jobs/x" },
	{ "PATCH", "", NULL, NULL, "PATCH", 0, 0, "" },
	{ "get", NULL, NULL, NULL, "get", 0, 0, "" },
};

static void
test_init(void **state)
{
	const struct init_case	*c = *state;
	struct env		 e = { { NULL }, 0 };
	struct req		 r;

	env_add(&e, "SERVER_NAME", "localhost");
	env_add(&e, "REQUEST_METHOD", c->method);
	env_add(&e, "PATH_INFO", c->path);
	env_add(&e, "SCRIPT_NAME", c->script);
	env_add(&e, "CONTENT_TYPE", c->ctype);
	req_init(&r, NULL, e.v, NULL, NULL);
	assert_string_equal(r.method, c->want_method);
	assert_int_equal(r.mbit, c->mbit);
	assert_int_equal(r.head, c->head);
	assert_string_equal(r.path, c->want_path);
	assert_string_equal(r.script, c->script ? c->script : "");
	if (c->ctype)
		assert_string_equal(r.ctype, c->ctype);
	else
		assert_null(r.ctype);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.nq, 0);
	assert_int_equal(r.body.len, 0);
	assert_string_equal(req_env(&r, "SERVER_NAME"), "localhost");
	assert_null(req_env(&r, "SERVER"));		/* a prefix of a name is no name */
	assert_null(req_env(&r, "HTTP_COOKIE"));
	req_release(&r);
	env_free(&e);
}

/* req_parse_query */

enum qgen {
	Q_TEXT,		/* the text as it is */
	Q_PARAMS,	/* n parameters p0=0&p1=1... */
	Q_BYTES		/* "a=" and 'x' up to n bytes */
};

static const struct query_case {
	const char	*name;
	enum qgen	 gen;
	const char	*text;		/* Q_TEXT; NULL: no QUERY_STRING */
	size_t		 n;
	int		 rc;
	int		 status;
	size_t		 nq;
	const char	*detail;	/* a part of the answer's body on -1 */
} query_cases[] = {
	{ "no QUERY_STRING", Q_TEXT, NULL, 0, 0, 200, 0, NULL },
	{ "an empty one", Q_TEXT, "", 0, 0, 200, 0, NULL },
	{ "two parameters", Q_TEXT, "a=1&b=x+y", 0, 0, 200, 2, NULL },
	{ "a repeated parameter", Q_TEXT, "a=1&b=2&a=1", 0, -1, 422, 0,
	  "\"loc\":[\"query\",\"a\"],\"msg\":\"given more than once\"" },
	{ "bad percent-encoding", Q_TEXT, "a=%zz", 0, -1, 400, 0,
	  "not valid percent-encoded UTF-8" },
	{ "%00", Q_TEXT, "a=%00", 0, -1, 400, 0, "not valid percent-encoded UTF-8" },
	{ "not UTF-8", Q_TEXT, "a=%FF", 0, -1, 400, 0, "not valid percent-encoded UTF-8" },
	{ "REQ_MAX_PARAMS parameters", Q_PARAMS, NULL, REQ_MAX_PARAMS, 0, 200, REQ_MAX_PARAMS,
	  NULL },
	{ "one parameter too many", Q_PARAMS, NULL, REQ_MAX_PARAMS + 1, -1, 422, 0,
	  "more than 32 parameters" },
	{ "REQ_MAX_QUERY bytes", Q_BYTES, NULL, REQ_MAX_QUERY, 0, 200, 1, NULL },
	{ "REQ_MAX_QUERY + 1 bytes", Q_BYTES, NULL, REQ_MAX_QUERY + 1, -1, 414, 0,
	  "longer than 4096 bytes" },
};

static void
test_query(void **state)
{
	const struct query_case	*c = *state;
	struct env		 e = { { NULL }, 0 };
	struct buf		 q = BUF_INIT;
	struct req		 r;
	size_t			 i;
	int			 rc;

	switch (c->gen) {
	case Q_TEXT:
		env_add(&e, "QUERY_STRING", c->text);
		break;
	case Q_PARAMS:
		for (i = 0; i < c->n; i++)
			buf_addf(&q, "%sp%zu=%zu", i ? "&" : "", i, i);
		env_add(&e, "QUERY_STRING", q.data);
		break;
	case Q_BYTES:
		buf_addstr(&q, "a=");
		while (q.len < c->n)
			buf_addch(&q, 'x');
		env_add(&e, "QUERY_STRING", q.data);
		break;
	}
	buf_release(&q);
	env_add(&e, "REQUEST_METHOD", "GET");
	req_init(&r, NULL, e.v, NULL, NULL);
	rc = req_parse_query(&r);
	if (rc != c->rc || r.status != c->status) {
		fail_msg("%s: rc %d, status %d (%s); want %d, %d", c->name, rc, r.status,
		    r.body.data, c->rc, c->status);
	}
	if (rc == 0) {
		assert_int_equal(r.nq, c->nq);
		assert_int_equal(r.body.len, 0);
	} else {
		assert_string_equal(r.content_type, "application/json");
		if (strstr(r.body.data, c->detail) == NULL)
			fail_msg("%s: the answer '%s' lacks '%s'", c->name, r.body.data,
			    c->detail);
	}
	req_release(&r);
	env_free(&e);
}

/* req_query after a successful parse */
static void
test_query_values(void **state)
{
	struct env	 e = { { NULL }, 0 };
	struct req	 r;

	(void)state;
	env_add(&e, "QUERY_STRING", "limit=20&name=caf%C3%A9+au+lait&enabled=&x");
	req_init(&r, NULL, e.v, NULL, NULL);
	assert_int_equal(req_parse_query(&r), 0);
	assert_int_equal(r.nq, 4);
	assert_string_equal(req_query(&r, "limit"), "20");
	assert_string_equal(req_query(&r, "name"), "caf\xc3\xa9 au lait");
	assert_string_equal(req_query(&r, "enabled"), "");
	assert_string_equal(req_query(&r, "x"), "");
	assert_null(req_query(&r, "offset"));
	assert_null(req_query(&r, "Limit"));
	req_release(&r);
	/* no query at all */
	env_free(&e);
	env_add(&e, "REQUEST_METHOD", "GET");
	req_init(&r, NULL, e.v, NULL, NULL);
	assert_int_equal(req_parse_query(&r), 0);
	assert_null(req_query(&r, "limit"));
	req_release(&r);
	env_free(&e);
}

/* req_cookie */

static const struct cookie_case {
	const char	*header;	/* NULL: no Cookie header */
	const char	*name;
	const char	*want;		/* NULL: none */
} cookie_cases[] = {
	{ NULL, "s", NULL },
	{ "", "s", NULL },
	{ "s=abc", "s", "abc" },
	{ "a=1; s=abc; b=2", "s", "abc" },
	{ "a=1;s=abc;b=2", "s", "abc" },
	{ "a=1;    s=abc", "s", "abc" },
	{ "s=abc;", "s", "abc" },
	{ "s=", "s", "" },
	{ "s=a=b", "s", "a=b" },
	{ "s", "s", NULL },
	{ "a=1; b=2", "c", NULL },
	{ "s=1; s=2", "s", "1" },
	{ "session_old=x; session=y", "session", "y" },
	{ "session=y; session_old=x", "session_old", "x" },
	{ "session_old=x", "session", NULL },
	{ "xsession=1; session=2", "session", "2" },
	{ "ses=1", "session", NULL },
	{ "autosched_session=tok; autosched_csrf=c0ffee", "autosched_csrf", "c0ffee" },
	{ "autosched_session=tok; autosched_csrf=c0ffee", "autosched_session", "tok" },
	{ "a=1; x=s=2", "s", NULL },
};

static void
test_cookie(void **state)
{
	const struct cookie_case	*c = *state;
	struct env			 e = { { NULL }, 0 };
	struct req			 r;
	char				*v, got[64];

	env_add(&e, "HTTP_COOKIE", c->header);
	req_init(&r, NULL, e.v, NULL, NULL);
	v = req_cookie(&r, c->name);
	req_release(&r);
	env_free(&e);
	if (v != NULL) {
		snprintf(got, sizeof(got), "%s", v);
		free(v);
		if (c->want == NULL)
			fail_msg("'%s' gives '%s' for %s, not nothing", c->header, got, c->name);
		assert_string_equal(got, c->want);
	} else if (c->want != NULL)
		fail_msg("'%s' gives nothing for %s, not '%s'", c->header, c->name, c->want);
}

/* req_https */

static const struct https_case {
	const char	*https;		/* NULL: absent */
	int		 on;
} https_cases[] = {
	{ NULL, 0 }, { "on", 1 }, { "ON", 1 }, { "On", 1 }, { "1", 1 },
	{ "off", 0 }, { "", 0 }, { "0", 0 }, { "yes", 0 },
};

static void
test_https(void **state)
{
	const struct https_case	*c = *state;
	struct env		 e = { { NULL }, 0 };
	struct req		 r;

	env_add(&e, "HTTPS", c->https);
	req_init(&r, NULL, e.v, NULL, NULL);
	assert_int_equal(req_https(&r), c->on);
	req_release(&r);
	env_free(&e);
}

#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* s with its bytes outside printable ASCII as \xNN, for test names. */
static const char *
printable(const char *s, char *out, size_t sz)
{
	size_t	 o = 0;

	for (; *s && o + 5 < sz; s++)
		if (*s >= 0x20 && *s < 0x7f)
			out[o++] = *s;
		else
			o += (size_t)snprintf(out + o, sz - o, "\\x%02x", (unsigned char)*s);
	out[o] = '\0';
	return out;
}

int
main(void)
{
	struct suite	 s = { 0 };
	char		 pr[128];
	size_t		 i;

	for (i = 0; i < N(pairs_cases); i++)
		suite_add(&s, test_pairs, (void *)&pairs_cases[i], "pairs: %s",
		    pairs_cases[i].name);
	suite_add(&s, test_pairs_append, NULL, "pairs: appended to earlier ones");
	suite_add(&s, test_pairs_get, NULL, "pairs: req_pairs_get and req_pairs_has");
	for (i = 0; i < N(route_cases); i++)
		if (strlen(route_cases[i].path) > 24)
			suite_add(&s, test_route, (void *)&route_cases[i],
			    "route '%s' %s '%.16s...' (%zu bytes)", route_cases[i].pattern,
			    route_cases[i].match ? "matches" : "refuses", route_cases[i].path,
			    strlen(route_cases[i].path));
		else
			suite_add(&s, test_route, (void *)&route_cases[i], "route '%s' %s '%s'",
			    route_cases[i].pattern, route_cases[i].match ? "matches" : "refuses",
			    route_cases[i].path);
	for (i = 0; i < N(enc_cases); i++)
		suite_add(&s, test_encode, (void *)&enc_cases[i], "url encode and back: '%s'",
		    enc_cases[i].out);
	for (i = 0; i < N(path_cases); i++) {
		if (path_cases[i].len > 0)
			suite_add(&s, test_local_path, (void *)&path_cases[i],
			    "local path of %zu bytes %s", path_cases[i].len,
			    path_cases[i].ok ? "accepted" : "refused");
		else
			suite_add(&s, test_local_path, (void *)&path_cases[i],
			    "local path '%s' %s", path_cases[i].path ?
			    printable(path_cases[i].path, pr, sizeof(pr)) : "NULL",
			    path_cases[i].ok ? "accepted" : "refused");
	}
	suite_add(&s, test_json_unbuilt, NULL, "an answer that cannot be built: a fixed error, "
	    "not nothing; bytes that are not UTF-8 become U+FFFD");
	for (i = 0; i < N(bool_cases); i++)
		suite_add(&s, test_bool, (void *)&bool_cases[i], "bool '%s'", bool_cases[i].v);
	for (i = 0; i < N(status_cases); i++)
		suite_add(&s, test_status, (void *)&status_cases[i], "status of %s: %d",
		    status_cases[i].name, status_cases[i].status);
	for (i = 0; i < N(init_cases); i++)
		suite_add(&s, test_init, (void *)&init_cases[i], "req_init: method %s",
		    init_cases[i].method ? init_cases[i].method : "absent");
	for (i = 0; i < N(query_cases); i++)
		suite_add(&s, test_query, (void *)&query_cases[i], "query: %s",
		    query_cases[i].name);
	suite_add(&s, test_query_values, NULL, "query: req_query");
	for (i = 0; i < N(cookie_cases); i++)
		suite_add(&s, test_cookie, (void *)&cookie_cases[i], "cookie %s in '%s'",
		    cookie_cases[i].name, cookie_cases[i].header ? cookie_cases[i].header :
		    "(no header)");
	for (i = 0; i < N(https_cases); i++)
		suite_add(&s, test_https, (void *)&https_cases[i], "HTTPS=%s",
		    https_cases[i].https ? https_cases[i].https : "(absent)");
	return suite_run(&s, "req");
}
