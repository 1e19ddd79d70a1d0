/*
 * autosched: the request and the answer, for FastCGI and plain CGI alike.
 *
 * Input is read through FCGX streams, or stdin for plain CGI; nothing is sent until the
 * handler has finished, so any failure can still become a clean error. req_send() writes
 * the status, the security headers every answer carries, and the body. Request memory
 * hangs off struct req and dies in req_release(), before FCGX_Finish_r.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <fcgiapp.h>

#include "cgi.h"

void
req_init(struct req *r, struct app *app, char **envp, void *in, void *out)
{
	const char	*m;

	memset(r, 0, sizeof(*r));
	r->app = app;
	r->envp = envp;
	r->in = in;
	r->out = out;
	r->now = time(NULL);
	r->status = 200;
	r->content_type = "application/json";
	buf_init(&r->headers);
	buf_init(&r->body);
	m = req_env(r, "REQUEST_METHOD");
	r->method = m ? m : "GET";
	if (strcmp(r->method, "GET") == 0)
		r->mbit = M_GET;
	else if (strcmp(r->method, "HEAD") == 0) {
		r->mbit = M_GET;
		r->head = 1;
	} else if (strcmp(r->method, "POST") == 0)
		r->mbit = M_POST;
	else if (strcmp(r->method, "PUT") == 0)
		r->mbit = M_PUT;
	else if (strcmp(r->method, "DELETE") == 0)
		r->mbit = M_DELETE;
	r->path = req_env(r, "PATH_INFO");
	if (r->path == NULL)
		r->path = "";
	r->script = req_env(r, "SCRIPT_NAME");
	if (r->script == NULL)
		r->script = "";
	r->ctype = req_env(r, "CONTENT_TYPE");
}

void
req_release(struct req *r)
{
	size_t	 i;

	for (i = 0; i < r->nq; i++) {
		free(r->q[i].key);
		free(r->q[i].val);
	}
	free(r->q);
	for (i = 0; i < r->nform; i++) {
		free(r->form[i].key);
		free(r->form[i].val);
	}
	free(r->form);
	buf_release(&r->headers);
	buf_release(&r->body);
	memset(r, 0, sizeof(*r));
}

const char *
req_env(const struct req *r, const char *name)
{
	return FCGX_GetParam(name, r->envp);
}

/* Query string */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes application/x-www-form-urlencoded text [s, s + n). Returns new, or NULL. */
static char *
urldecode(const char *s, size_t n)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;
	int		 h, l;

	for (i = 0; i < n; i++) {
		if (s[i] == '+')
			buf_addch(&b, ' ');
		else if (s[i] == '%') {
			if (i + 2 >= n)
				goto bad;
			if ((h = hexval((unsigned char)s[i + 1])) < 0 ||
			    (l = hexval((unsigned char)s[i + 2])) < 0)
				goto bad;
			buf_addch(&b, h << 4 | l);
			i += 2;
		} else
			buf_addch(&b, s[i]);
	}
	if (!utf8_valid(b.data, b.len) || memchr(b.data, '\0', b.len) != NULL)
		goto bad;
	return buf_detach(&b);
bad:
	buf_release(&b);
	return NULL;
}

enum req_pairs_res
req_pairs_parse(const char *s, size_t len, int unique, size_t max, struct req_pair **kv,
    size_t *n, char **dup)
{
	const char	*p, *amp, *eq, *end = s + len;
	char		*k, *v;

	for (p = s; p < end; p = amp + 1) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p)
			continue;
		eq = memchr(p, '=', (size_t)(amp - p));
		k = urldecode(p, (size_t)((eq ? eq : amp) - p));
		v = eq ? urldecode(eq + 1, (size_t)(amp - eq - 1)) : xstrdup("");
		if (k == NULL || v == NULL) {
			free(k);
			free(v);
			return REQ_PAIRS_BAD;
		}
		if (unique && req_pairs_get(*kv, *n, k) != NULL) {
			*dup = k;
			free(v);
			return REQ_PAIRS_REPEATED;
		}
		if (*n >= max) {
			free(k);
			free(v);
			return REQ_PAIRS_TOO_MANY;
		}
		*kv = xrealloc(*kv, (*n + 1) * sizeof(**kv));
		(*kv)[*n].key = k;
		(*kv)[*n].val = v;
		(*n)++;
	}
	return REQ_PAIRS_OK;
}

const char *
req_pairs_get(const struct req_pair *kv, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, name) == 0)
			return kv[i].val;
	return NULL;
}

int
req_pairs_has(const struct req_pair *kv, size_t n, const char *name, const char *value)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, name) == 0 && strcmp(kv[i].val, value) == 0)
			return 1;
	return 0;
}

int
req_parse_query(struct req *r)
{
	const char	*q = req_env(r, "QUERY_STRING");
	char		*dup = NULL;
	struct verrs	 e = VERRS_INIT;
	enum req_pairs_res rc;

	if (q == NULL || *q == '\0')
		return 0;
	if (strlen(q) > REQ_MAX_QUERY) {
		req_detail(r, 414, "the query string is longer than %d bytes", REQ_MAX_QUERY);
		return -1;
	}
	rc = req_pairs_parse(q, strlen(q), 1, REQ_MAX_PARAMS, &r->q, &r->nq, &dup);
	if (rc == REQ_PAIRS_OK)
		return 0;
	if (rc == REQ_PAIRS_BAD) {
		req_detail(r, 400, "the query string is not valid percent-encoded UTF-8");
		return -1;
	}
	if (rc == REQ_PAIRS_REPEATED) {
		verrs_add(&e, dup, "given more than once");
		free(dup);
	} else
		verrs_add(&e, "", "more than %d parameters", REQ_MAX_PARAMS);
	req_invalid(r, "query", &e);
	verrs_release(&e);
	return -1;
}

const char *
req_query(const struct req *r, const char *name)
{
	return req_pairs_get(r->q, r->nq, name);
}

int
req_parse_form(struct req *r)
{
	struct buf	 b = BUF_INIT;
	char		*dup = NULL;
	enum req_pairs_res rc;

	if (r->ctype == NULL || strncasecmp(r->ctype, "application/x-www-form-urlencoded",
	    33) != 0) {
		req_detail(r, 415, "Content-Type must be application/x-www-form-urlencoded");
		return -1;
	}
	if (req_read_body(r, &b) == -1)
		return -1;
	rc = req_pairs_parse(b.data, b.len, 0, REQ_MAX_FORM, &r->form, &r->nform, &dup);
	buf_release(&b);
	if (rc == REQ_PAIRS_BAD)
		req_detail(r, 400, "the form is not valid percent-encoded UTF-8");
	else if (rc != REQ_PAIRS_OK)
		req_detail(r, 400, "the form has more than %d fields", REQ_MAX_FORM);
	return rc == REQ_PAIRS_OK ? 0 : -1;
}

const char *
req_form(const struct req *r, const char *name)
{
	return req_pairs_get(r->form, r->nform, name);
}

int
req_form_has(const struct req *r, const char *name, const char *value)
{
	return req_pairs_has(r->form, r->nform, name, value);
}

char *
req_cookie(const struct req *r, const char *name)
{
	const char	*c = req_env(r, "HTTP_COOKIE"), *p, *semi, *eq;
	size_t		 n = strlen(name);

	if (c == NULL)
		return NULL;
	for (p = c; *p; p = *semi ? semi + 1 : semi) {
		while (*p == ' ')
			p++;
		semi = p + strcspn(p, ";");
		eq = memchr(p, '=', (size_t)(semi - p));
		if (eq && (size_t)(eq - p) == n && strncmp(p, name, n) == 0)
			return xasprintf("%.*s", (int)(semi - eq - 1), eq + 1);
	}
	return NULL;
}

void
req_redirect(struct req *r, const char *fmt, ...)
{
	struct buf	 where = BUF_INIT;
	va_list		 ap;

	va_start(ap, fmt);
	buf_vaddf(&where, fmt, ap);
	va_end(ap);
	r->status = 303;
	req_header(r, "Location", "%s%s", r->script, where.data);
	buf_reset(&r->body);
	buf_release(&where);
}

int
req_https(const struct req *r)
{
	const char	*h = req_env(r, "HTTPS");

	return h != NULL && (strcasecmp(h, "on") == 0 || strcmp(h, "1") == 0);
}

const char *
req_client(struct req *r)
{
	const char	*addr = req_env(r, "REMOTE_ADDR"), *xff, *end, *start;
	char		 hop[sizeof(r->client)];
	size_t		 n;

	if (r->client[0] != '\0')
		return r->client;
	snprintf(r->client, sizeof(r->client), "%s", addr && conf_addr_valid(addr) ? addr : "-");
	if (addr == NULL || !conf_proxy_trusted(&r->app->conf, addr) ||
	    (xff = req_env(r, "HTTP_X_FORWARDED_FOR")) == NULL)
		return r->client;
	/* right to left: each trusted proxy appended the address it saw */
	for (end = xff + strlen(xff); end > xff; end = start) {
		for (start = end; start > xff && start[-1] != ','; start--)
			;
		n = (size_t)(end - start);
		while (n > 0 && (*start == ' ' || *start == '\t'))
			start++, n--;
		while (n > 0 && (start[n - 1] == ' ' || start[n - 1] == '\t'))
			n--;
		if (n == 0 || n >= sizeof(hop))
			break;
		memcpy(hop, start, n);
		hop[n] = '\0';
		if (!conf_addr_valid(hop))
			break;		/* not an address: believe nothing further left */
		snprintf(r->client, sizeof(r->client), "%s", hop);
		if (!conf_proxy_trusted(&r->app->conf, hop))
			break;
		if (start > xff)
			start--;	/* over the comma */
	}
	return r->client;
}

/* Shared by the programs */

int
req_route(const char *pattern, const char *path, char *id)
{
	const char	*p = pattern, *s = path, *pe, *se;

	while (*s == '/')
		s++;
	if (*p == '\0')
		return *s == '\0';
	for (;;) {
		pe = p + strcspn(p, "/");
		se = s + strcspn(s, "/");
		if (pe - p == 1 && *p == '*') {
			if (se == s)
				return 0;
			snprintf(id, REQ_MAX_ID + 1, "%.*s", utf8_prefix(s, (size_t)(se - s) <
			    REQ_MAX_ID ? (size_t)(se - s) : REQ_MAX_ID), s);
		} else if (pe - p != se - s || strncmp(p, s, (size_t)(pe - p)) != 0)
			return 0;
		p = *pe ? pe + 1 : pe;
		s = *se ? se + 1 : se;
		if (*p == '\0')
			return *s == '\0';	/* "/jobs/" is "/jobs" */
		if (*s == '\0')
			return 0;
	}
}

void
req_url_encode(struct buf *b, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~')
			buf_addch(b, (char)*p);
		else
			buf_addf(b, "%%%02X", *p);
}

/*
 * Whether the path segment [s, e) is "." or "..", also written with %2e, which a browser
 * resolves as one (the WHATWG URL standard's "single-dot" and "double-dot" segments).
 */
static int
dot_segment(const char *s, const char *e)
{
	int	 dots = 0;

	while (s < e) {
		if (*s == '.')
			s++;
		else if (e - s >= 3 && s[0] == '%' && s[1] == '2' && (s[2] == 'e' || s[2] == 'E'))
			s += 3;
		else
			return 0;
		dots++;
	}
	return dots == 1 || dots == 2;
}

int
req_local_path_ok(const char *path)
{
	const unsigned char *p;
	const char	*seg, *end;

	if (path == NULL || path[0] != '/' || path[1] == '/' || strlen(path) > 1024)
		return 0;
	for (p = (const unsigned char *)path; *p; p++)
		if (*p < 0x21 || *p >= 0x7f || *p == '\\')
			return 0;
	/* no "." or ".." segment: "/../../elsewhere" would leave the mount point */
	end = path + strcspn(path, "?#");
	for (seg = path + 1; seg <= end; seg += strcspn(seg, "/") + 1) {
		const char *e = seg + strcspn(seg, "/");
		if (dot_segment(seg, e < end ? e : end))
			return 0;
		if (e >= end)
			break;
	}
	return 1;
}

int
req_status(enum jobs_res res)
{
	switch (res) {
	case JOBS_OK:
		return 200;
	case JOBS_INVALID:
		return 422;
	case JOBS_NOTFOUND:
		return 404;
	case JOBS_AT_LIMIT:
	case JOBS_EXISTS:
		return 409;
	case JOBS_DB_BUSY:
		return 503;
	case JOBS_DB_ERR:
	default:
		return 500;
	}
}

void
req_fail(struct req *r, enum jobs_res res)
{
	int	 status = req_status(res);

	switch (status) {
	case 503:
		req_detail(r, status, "The database is busy; try again");
		break;
	case 404:
		req_detail(r, status, "Not Found");
		break;
	case 409:
		req_detail(r, status, "Conflict");
		break;
	default:
		req_detail(r, status, "Internal error; see the server log");
		break;
	}
}

int
req_only_params(struct req *r, const char *const *allowed)
{
	struct verrs	 e = VERRS_INIT;
	const char *const *a;
	size_t		 i;

	for (i = 0; i < r->nq; i++) {
		for (a = allowed; *a; a++)
			if (strcmp(*a, r->q[i].key) == 0)
				break;
		if (*a == NULL)
			verrs_addt(&e, "value_error.extra", r->q[i].key,
			    "unknown query parameter");
	}
	if (e.n == 0)
		return 0;
	req_invalid(r, "query", &e);
	verrs_release(&e);
	return -1;
}

int
req_query_int(struct req *r, const char *name, int64_t def, int64_t min, int64_t max,
    struct verrs *e, int64_t *out)
{
	const char	*v = req_query(r, name);

	*out = def;
	if (v == NULL)
		return 0;
	if (util_parse_int64(v, min, max, out) == -1) {
		verrs_add(e, name, "must be an integer between %lld and %lld", (long long)min,
		    (long long)max);
		return -1;
	}
	return 0;
}

int
req_bool(const char *v, int *out)
{
	if (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0)
		*out = 1;
	else if (strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

/* Body */

static int64_t
content_length(const struct req *r)
{
	const char	*s = req_env(r, "CONTENT_LENGTH");
	int64_t		 n;

	if (s == NULL || *s == '\0')
		return 0;
	if (util_parse_int64(s, 0, INT64_MAX, &n) == -1)
		return -1;
	return n;
}

int
req_read_body(struct req *r, struct buf *b)
{
	int64_t		 len = content_length(r);
	size_t		 got = 0;
	int		 n;

	if (len < 0) {
		req_detail(r, 400, "Content-Length is not a number");
		return -1;
	}
	if (len > REQ_MAX_BODY) {
		req_detail(r, 413, "the body is larger than %d bytes", REQ_MAX_BODY);
		return -1;
	}
	buf_grow(b, (size_t)len);
	while (got < (size_t)len) {
		if (r->in)
			n = FCGX_GetStr(b->data + got, (int)((size_t)len - got), r->in);
		else
			n = (int)fread(b->data + got, 1, (size_t)len - got, stdin);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	b->len = got;
	b->data[got] = '\0';
	if (got != (size_t)len) {
		req_detail(r, 400, "the body ended before Content-Length bytes");
		return -1;
	}
	return 0;
}

/* Whether the Content-Type is JSON: application/json, optionally with charset=utf-8. */
static int
ctype_json(const char *ct)
{
	const char	*p;

	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0)
		return 0;
	for (p = ct + 16; *p == ' '; p++)
		;
	if (*p == '\0')
		return 1;
	if (*p++ != ';')
		return 0;
	while (*p == ' ')
		p++;
	return strncasecmp(p, "charset=utf-8", 13) == 0 && p[13 + strspn(p + 13, " ")] == '\0';
}

/*
 * Whether the JSON text nests arrays and objects deeper than max, outside strings. Checked
 * before parsing so that deep input is refused with a clear message.
 */
static int
too_deep(const char *s, size_t n, int max)
{
	size_t	 i;
	int	 depth = 0, in_str = 0;

	for (i = 0; i < n; i++) {
		if (in_str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_str = 0;
			continue;
		}
		if (s[i] == '"')
			in_str = 1;
		else if (s[i] == '{' || s[i] == '[') {
			if (++depth > max)
				return 1;
		} else if (s[i] == '}' || s[i] == ']')
			depth--;
	}
	return 0;
}

int
req_json_body(struct req *r, int allow_empty, json_t **out)
{
	struct buf	 b = BUF_INIT;
	json_error_t	 err;
	json_t		*loc, *item, *list;
	int64_t		 len = content_length(r);

	*out = NULL;
	if (len > REQ_MAX_BODY) {
		req_detail(r, 413, "the body is larger than %d bytes", REQ_MAX_BODY);
		return -1;
	}
	if (len == 0 && allow_empty)
		return 0;
	if (!ctype_json(r->ctype)) {
		req_detail(r, 415, "Content-Type must be application/json");
		return -1;
	}
	if (req_read_body(r, &b) == -1)
		return -1;
	if (too_deep(b.data, b.len, REQ_MAX_JSON_DEPTH)) {
		buf_release(&b);
		list = json_array();
		json_array_append_new(list, json_pack("{s:[s],s:s,s:s}", "loc", "body", "msg",
		    "JSON nested deeper than 8 levels", "type", "value_error.jsondecode"));
		req_json(r, 422, json_pack("{s:o}", "detail", list));
		return -1;
	}
	*out = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &err);
	buf_release(&b);
	if (*out == NULL) {
		loc = json_pack("[s,I]", "body", (json_int_t)err.position);
		item = json_pack("{s:o,s:s+,s:s}", "loc", loc, "msg", "Invalid JSON: ", err.text,
		    "type", "value_error.jsondecode");
		list = json_array();
		json_array_append_new(list, item);
		req_json(r, 422, json_pack("{s:o}", "detail", list));
		return -1;
	}
	return 0;
}

/* Answers */

void
req_header(struct req *r, const char *name, const char *fmt, ...)
{
	va_list	 ap;

	buf_addf(&r->headers, "%s: ", name);
	va_start(ap, fmt);
	buf_vaddf(&r->headers, fmt, ap);
	va_end(ap);
	buf_addstr(&r->headers, "\r\n");
}

/* Whether If-None-Match value `inm` names entity tag `tag` ("W/" prefixes do not count). */
static int
names_tag(const char *inm, const char *tag)
{
	size_t	 n = strlen(tag), k;

	for (;;) {
		inm += strspn(inm, " \t,");
		if (*inm == '\0')
			return 0;
		if (*inm == '*')
			return 1;
		if (strncmp(inm, "W/", 2) == 0)
			inm += 2;
		k = strcspn(inm, ",");
		while (k > 0 && (inm[k - 1] == ' ' || inm[k - 1] == '\t'))
			k--;
		if (k == n && memcmp(inm, tag, n) == 0)
			return 1;
		inm += strcspn(inm, ",");
	}
}

int
req_etag(struct req *r, const char *tag)
{
	const char	*inm = req_env(r, "HTTP_IF_NONE_MATCH");

	snprintf(r->etag, sizeof(r->etag), "\"%s\"", tag);
	if (inm == NULL || !names_tag(inm, r->etag))
		return 0;
	r->status = 304;
	buf_reset(&r->body);
	return 1;
}

static int
dump_to_buf(const char *s, size_t n, void *arg)
{
	buf_add(arg, s, n);
	return 0;
}

static const char	*reason(int);

void
req_json(struct req *r, int status, json_t *v)
{
	r->status = status;
	r->content_type = "application/json";
	buf_reset(&r->body);
	if (v == NULL) {
		/* jansson could not build it (text that is not UTF-8): never an empty answer */
		log_warnx("%s: the answer to %s '%s' could not be built", __func__, r->method,
		    r->path);
		if (status < 400)
			r->status = 500;
		buf_addf(&r->body, "{\"detail\":\"%s\"}", reason(r->status));
		return;
	}
	json_dump_callback(v, dump_to_buf, &r->body, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(v);
}

/* A JSON string of text from anywhere: bytes that are not UTF-8 become U+FFFD. */
static json_t *
text(const char *s, size_t n)
{
	struct buf	 b = BUF_INIT;
	json_t		*v;

	utf8_scrub(&b, s, n);
	v = json_stringn(b.data, b.len);
	buf_release(&b);
	return v;
}

void
req_detail(struct req *r, int status, const char *fmt, ...)
{
	struct buf	 msg = BUF_INIT;
	va_list		 ap;

	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	req_json(r, status, json_pack("{s:o}", "detail", text(msg.data, msg.len)));
	buf_release(&msg);
}

/*
 * Appends one segment of a field's path to loc: "active_windows[0]" as "active_windows"
 * and 0, as pydantic gives list positions.
 */
static void
loc_segment(json_t *loc, const char *p, size_t n)
{
	size_t	 open = n;

	if (n > 2 && p[n - 1] == ']') {
		for (open = n - 1; open > 0 && p[open - 1] >= '0' && p[open - 1] <= '9'; open--)
			;
		if (open == 0 || p[open - 1] != '[' || open == n - 1 || n - open > 7)
			open = n;
		else
			open--;
	}
	json_array_append_new(loc, text(p, open));
	if (open < n)
		json_array_append_new(loc, json_integer(strtol(p + open + 1, NULL, 10)));
}

void
req_invalid(struct req *r, const char *root, const struct verrs *e)
{
	json_t		*list = json_array(), *loc;
	const char	*p, *dot;
	size_t		 i;

	for (i = 0; i < e->n; i++) {
		loc = json_array();
		json_array_append_new(loc, json_string(root));
		for (p = e->v[i].field; *p; p = *dot ? dot + 1 : dot) {
			dot = p + strcspn(p, ".");
			loc_segment(loc, p, (size_t)(dot - p));
		}
		json_array_append_new(list, json_pack("{s:o,s:o,s:s}", "loc", loc, "msg",
		    text(e->v[i].msg, strlen(e->v[i].msg)), "type", e->v[i].type));
	}
	req_json(r, 422, json_pack("{s:o}", "detail", list));
}

void
req_method_not_allowed(struct req *r, int mask)
{
	req_header(r, "Allow", "%s%s%s%s%s", mask & M_GET ? "GET, HEAD" : "",
	    (mask & M_GET) && (mask & ~M_GET) ? ", " : "",
	    mask & M_POST ? "POST" : "", (mask & M_POST) && (mask & (M_PUT | M_DELETE)) ?
	    ", " : "", mask & M_PUT ? ((mask & M_DELETE) ? "PUT, DELETE" : "PUT") :
	    (mask & M_DELETE ? "DELETE" : ""));
	req_detail(r, 405, "Method Not Allowed");
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

static void
put(struct req *r, const char *s, size_t n)
{
	if (r->out)
		FCGX_PutStr(s, (int)n, r->out);
	else
		fwrite(s, 1, n, stdout);
}

void
req_send(struct req *r)
{
	struct buf	 h = BUF_INIT;

	if (r->status == 204 || r->status == 304)
		buf_reset(&r->body);
	buf_addf(&h, "Status: %d %s\r\n", r->status, reason(r->status));
	if (r->status != 204 && r->status != 304) {
		buf_addf(&h, "Content-Type: %s\r\n", r->content_type);
		buf_addf(&h, "Content-Length: %zu\r\n", r->body.len);
	}
	/* a browser may keep what has an ETag, but asks again each time */
	if (r->etag[0] != '\0' && (r->status == 200 || r->status == 304))
		buf_addf(&h, "ETag: %s\r\nCache-Control: private, no-cache\r\n", r->etag);
	else
		buf_addstr(&h, "Cache-Control: no-store\r\n");
	buf_addstr(&h, "X-Content-Type-Options: nosniff\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Referrer-Policy: no-referrer\r\n");
	/* Pages may load our own scripts, styles and images, and nothing else. */
	if (strncmp(r->content_type, "text/html", 9) == 0)
		buf_addstr(&h, "Content-Security-Policy: default-src 'none'; script-src 'self'; "
		    "style-src 'self'; img-src 'self' data:; connect-src 'self'; "
		    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'\r\n");
	else
		buf_addstr(&h, "Content-Security-Policy: default-src 'none'; "
		    "frame-ancestors 'none'\r\n");
	buf_add(&h, r->headers.data, r->headers.len);
	buf_addstr(&h, "\r\n");
	put(r, h.data, h.len);
	if (!r->head)
		put(r, r->body.data, r->body.len);
	if (!r->out)
		fflush(stdout);
	buf_release(&h);
}
