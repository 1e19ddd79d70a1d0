/*
 * autosched fuzz target: what the dashboard reads from a request before anything else:
 * the query string, a form body, the Cookie header and the path. The input is split at its
 * first two NUL bytes into a query (as QUERY_STRING), a cookie header and a form body; the
 * whole input is also a path. Checks what the parsers promise: decoded keys and values are
 * valid UTF-8 without NUL, a failure leaves no pair half made, a cookie's value has no ';',
 * a redirect target accepted by req_local_path_ok stays on the site, and percent-encoding then
 * parsing gives the value back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_pairs(const struct req_pair *kv, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!utf8_valid(kv[i].key, strlen(kv[i].key)) ||
		    !utf8_valid(kv[i].val, strlen(kv[i].val)))
			abort();
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*all = malloc(size + 1), *query, *cookie, *form, *env[6], *v, *dup = NULL;
	const char	*e1, *e2;
	struct req_pair	*kv = NULL;
	struct req	 r;
	struct buf	 b = BUF_INIT;
	size_t		 n = 0, qlen, clen;
	char		 id[REQ_MAX_ID + 1];
	int		 rc;

	memcpy(all, data, size);
	all[size] = '\0';
	query = all;
	qlen = strlen(query);
	e1 = qlen < size ? all + qlen + 1 : all + size;
	cookie = (char *)e1;
	clen = strlen(cookie);
	e2 = e1 + clen < all + size ? e1 + clen + 1 : all + size;
	form = (char *)e2;

	/* the query, as the programs read it */
	env[0] = xasprintf("QUERY_STRING=%s", query);
	env[1] = xasprintf("HTTP_COOKIE=%s", cookie);
	env[2] = xasprintf("PATH_INFO=/%s", query);
	env[3] = xstrdup("REQUEST_METHOD=GET");
	env[4] = xstrdup("SCRIPT_NAME=/automation");
	env[5] = NULL;
	req_init(&r, NULL, env, NULL, NULL);
	if (req_parse_query(&r) == 0) {
		check_pairs(r.q, r.nq);
		if (r.nq > REQ_MAX_PARAMS)
			abort();
	} else if (r.status < 400 || r.status >= 500)
		abort();
	if ((v = req_cookie(&r, "autosched_session")) != NULL) {
		if (strchr(v, ';') != NULL)
			abort();
		free(v);
	}
	req_route("jobs/*/edit", r.path, id);
	req_route("", r.path, id);
	if (req_local_path_ok(query) && (query[0] != '/' || query[1] == '/' ||
	    strchr(query, '\\') != NULL || strpbrk(query, " \r\n\t") != NULL))
		abort();
	req_release(&r);

	/* a form body: any bytes */
	rc = req_pairs_parse(form, (size_t)(all + size - form), 0, REQ_MAX_FORM, &kv, &n,
	    &dup);
	if (rc != REQ_PAIRS_OK && rc != REQ_PAIRS_BAD && rc != REQ_PAIRS_TOO_MANY)
		abort();
	check_pairs(kv, n);
	free_pairs(kv, n);

	/* encoding a value and reading it back gives it back */
	if (utf8_valid(cookie, clen)) {
		kv = NULL;
		n = 0;
		buf_addstr(&b, "k=");
		req_url_encode(&b, cookie);
		if (req_pairs_parse(b.data, b.len, 1, 4, &kv, &n, &dup) != REQ_PAIRS_OK || n != 1 ||
		    strcmp(kv[0].val, cookie) != 0)
			abort();
		free_pairs(kv, n);
	}
	buf_release(&b);
	for (n = 0; n < 5; n++)
		free(env[n]);
	free(all);
	return 0;
}
