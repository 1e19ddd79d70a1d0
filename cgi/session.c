/*
 * autosched: the dashboard's sessions.
 *
 * A session is a random token (264 bits) in a cookie that scripts cannot read (HttpOnly),
 * that the browser sends only with requests from our own pages (SameSite=Strict), only
 * under the mount point, and only over HTTPS when the request came over HTTPS (or the
 * configuration says so). The database keeps the token's SHA-256, so a copy of the
 * database does not sign anyone in, with the user, the session's CSRF token and when it
 * expires.
 *
 * With [web] trust_remote_user, the web server signs people in: REMOTE_USER names the
 * user, and a session is made for them on their first request (for its CSRF token).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

/* Whether cookies are Secure: over HTTPS, or always with [web] secure_cookies. */
static int
secure(const struct web *w)
{
	return req_https(w->r) || w->r->app->conf.web.secure_cookies;
}

/*
 * The name a cookie has: a Secure one is "__Host-" + base, which browsers keep only when it
 * came over HTTPS, with Path=/ and no Domain, so that neither a sibling host nor plain
 * HTTP can set it. Into out[sz].
 */
static void
cookie_name(const struct web *w, const char *base, char *out, size_t sz)
{
	snprintf(out, sz, "%s%s", secure(w) ? "__Host-" : "", base);
}

char *
session_cookie_get(struct web *w, const char *base)
{
	char	 name[64];

	cookie_name(w, base, name, sizeof(name));
	return req_cookie(w->r, name);
}

void
session_cookie(struct web *w, const char *base, const char *value, int64_t max_age)
{
	struct req	*r = w->r;
	char		 name[64];

	cookie_name(w, base, name, sizeof(name));
	req_header(r, "Set-Cookie", "%s=%s; Path=%s; Max-Age=%lld; HttpOnly; SameSite=Strict%s",
	    name, value, secure(w) || *r->script == '\0' ? "/" : r->script, (long long)max_age,
	    secure(w) ? "; Secure" : "");
}

/* Forgets the session of the request's cookie, if it has one. */
static void
forget(struct web *w)
{
	char		*token = session_cookie_get(w, SESSION_COOKIE);
	unsigned char	 hash[KEY_HASH_LEN];

	if (token != NULL) {
		key_hash(token, strlen(token), hash);
		db_session_delete(w->r->app->db, hash);
		free(token);
	}
}

int
session_start(struct web *w, const char *user)
{
	struct req	*r = w->r;
	char		 token[AUTH_TOKEN_LEN];
	unsigned char	 hash[KEY_HASH_LEN];
	int64_t		 life = r->app->conf.web.session_hours * 3600;
	enum db_res	 res;

	/* a new session replaces the one the browser had, which ends */
	forget(w);
	auth_token(token);
	auth_token(w->csrf);
	key_hash(token, strlen(token), hash);
	/* now and then, forget what expired */
	if (hash[0] == 0)
		db_session_prune(r->app->db, r->now, r->now - LOGIN_WINDOW);
	res = db_session_add(r->app->db, hash, user, w->csrf, r->now, r->now + life);
	if (res != DB_OK) {
		html_fail(w, jobs_res_of(res));
		return -1;
	}
	session_cookie(w, SESSION_COOKIE, token, life);
	snprintf(w->user, sizeof(w->user), "%s", user);
	w->signed_in = 1;
	return 0;
}

int
session_read(struct web *w)
{
	struct req	*r = w->r;
	const char	*ru = NULL;
	char		*token = session_cookie_get(w, SESSION_COOKIE);
	unsigned char	 hash[KEY_HASH_LEN];

	if (r->app->conf.web.trust_remote_user)
		ru = req_env(r, "REMOTE_USER");
	if (token != NULL && strlen(token) == AUTH_TOKEN_LEN - 1) {
		key_hash(token, strlen(token), hash);
		if (db_session_get(r->app->db, hash, r->now, w->user, w->csrf) == DB_OK &&
		    (ru == NULL || *ru == '\0' || strcmp(ru, w->user) == 0))
			w->signed_in = 1;
	}
	free(token);
	if (!w->signed_in && ru != NULL && *ru != '\0' && strlen(ru) < sizeof(w->user)) {
		/*
		 * The web server vouches for every request: its session is only there for the
		 * CSRF token, so the newest one of the user serves, with or without a cookie
		 * (a client that keeps no cookies must not add a session a request).
		 */
		if (db_session_of_user(r->app->db, ru, r->now, w->csrf) == DB_OK) {
			snprintf(w->user, sizeof(w->user), "%s", ru);
			w->signed_in = 1;
		} else if (session_start(w, ru) == -1)
			return -1;
	}
	if (!w->signed_in) {
		w->user[0] = w->csrf[0] = '\0';
		return -1;
	}
	return 0;
}

void
session_end(struct web *w)
{
	forget(w);
	session_cookie(w, SESSION_COOKIE, "", 0);
}
