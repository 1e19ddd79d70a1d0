/*
 * autosched: signing in and out of the dashboard.
 *
 * A session is a random token (264 bits) in a cookie that scripts cannot read (HttpOnly),
 * that the browser sends only with requests from our own pages (SameSite=Strict), only
 * under the mount point, and only over HTTPS when the request came over HTTPS (or the
 * configuration says so). The database keeps the token's SHA-256, so a copy of the
 * database does not sign anyone in, with the user, the session's CSRF token and when it
 * expires. The sign-in form, which no session protects yet, carries a token that must
 * equal the one in a short-lived cookie (double submit), so another site cannot post it.
 *
 * Failed sign-ins are counted per user name and per address: past LOGIN_MAX_FAILURES for a
 * name, or LOGIN_MAX_IP_FAILURES for an address, within LOGIN_WINDOW, the form answers 429
 * without checking the password until the window has passed.
 *
 * With [web] trust_remote_user, the web server signs people in: REMOTE_USER names the
 * user, and a session is made for them on their first request (for its CSRF token).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

/* A password that is checked when the user does not exist, so both take as long. */
static char	dummy_hash[AUTH_HASH_MAX];

/* Sets cookie name to value for max_age seconds (0: delete it). */
static void
set_cookie(struct web *w, const char *name, const char *value, int64_t max_age)
{
	struct req	*r = w->r;

	req_header(r, "Set-Cookie", "%s=%s; Path=%s; Max-Age=%lld; HttpOnly; SameSite=Strict%s",
	    name, value, *r->script ? r->script : "/", (long long)max_age,
	    req_https(r) || r->app->conf.web.secure_cookies ? "; Secure" : "");
}

/* Starts a session for user: a cookie, and its row. Returns 0, or -1 (answered). */
static int
session_start(struct web *w, const char *user)
{
	struct req	*r = w->r;
	char		 token[AUTH_TOKEN_LEN];
	unsigned char	 hash[KEY_HASH_LEN];
	int64_t		 life = r->app->conf.web.session_hours * 3600;
	enum db_res	 res;

	auth_token(token);
	auth_token(w->csrf);
	key_hash(token, strlen(token), hash);
	/* now and then, forget what expired */
	if (hash[0] == 0)
		db_session_prune(r->app->db, r->now, r->now - LOGIN_WINDOW);
	res = db_session_add(r->app->db, hash, user, w->csrf, r->now, r->now + life);
	if (res != DB_OK) {
		web_error(w, 503, "The database is busy. Try again in a moment.");
		return -1;
	}
	set_cookie(w, SESSION_COOKIE, token, life);
	snprintf(w->user, sizeof(w->user), "%s", user);
	w->signed_in = 1;
	return 0;
}

int
web_session(struct web *w)
{
	struct req	*r = w->r;
	const char	*ru = NULL;
	char		*token = req_cookie(r, SESSION_COOKIE);
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
		if (session_start(w, ru) == -1)
			return -1;
	}
	if (!w->signed_in) {
		w->user[0] = w->csrf[0] = '\0';
		return -1;
	}
	return 0;
}

static void
login_form(struct web *w, int status, const char *user, const char *error)
{
	struct tmpl_dict *d;
	char		*tok = req_cookie(w->r, LOGIN_COOKIE);
	char		 fresh[AUTH_TOKEN_LEN];
	const char	*next = req_query(w->r, "next");

	if (next == NULL)
		next = req_form(w->r, "next");
	/* the double-submit token: the cookie's, or a new one */
	if (tok == NULL || strlen(tok) != AUTH_TOKEN_LEN - 1) {
		auth_token(fresh);
		set_cookie(w, LOGIN_COOKIE, fresh, 3600);
	} else
		snprintf(fresh, sizeof(fresh), "%s", tok);
	free(tok);
	d = web_page(w, "Sign in", "login.tpl");
	tmpl_set(d, "LOGIN_TOKEN", fresh);
	tmpl_set(d, "USER", user ? user : "");
	if (local_path_ok(next))
		tmpl_set(d, "NEXT", next);
	if (error)
		tmpl_set(tmpl_section(d, "ERROR"), "TEXT", error);
	web_render(w, status);
}

void
page_login(struct web *w, const char *id)
{
	const char	*next = req_query(w->r, "next");

	if (w->signed_in) {
		req_redirect(w->r, "%s", local_path_ok(next) ? next : "/");
		return;
	}
	login_form(w, 200, NULL, NULL);
}

/* Whether key has failed too often; counts nothing. */
static int
throttled(struct web *w, const char *key, int64_t max)
{
	int64_t	 n = 0;

	db_login_failures(w->r->app->db, key, w->r->now - LOGIN_WINDOW, &n);
	return n >= max;
}

void
page_login_post(struct web *w, const char *id)
{
	struct req	*r = w->r;
	const char	*user, *pass, *sent, *next, *addr = req_env(r, "REMOTE_ADDR");
	char		*tok, *hash = NULL, ukey[300], ikey[80];
	int		 ok;

	if (req_parse_form(r) == -1)
		return;
	tok = req_cookie(r, LOGIN_COOKIE);
	sent = req_form(r, "_csrf");
	ok = tok != NULL && sent != NULL && strlen(tok) == AUTH_TOKEN_LEN - 1 &&
	    strcmp(tok, sent) == 0;
	free(tok);
	if (!ok) {
		login_form(w, 403, req_form(r, "user"), "This form has expired or did not come "
		    "from this site. Try again.");
		return;
	}
	user = req_form(r, "user");
	pass = req_form(r, "password");
	if (user == NULL || *user == '\0' || pass == NULL || *pass == '\0' ||
	    strlen(user) > 255 || strlen(pass) > 1024) {
		login_form(w, 422, user, "Enter your user name and password.");
		return;
	}
	snprintf(ukey, sizeof(ukey), "user:%s", user);
	snprintf(ikey, sizeof(ikey), "ip:%s", addr ? addr : "-");
	if (throttled(w, ukey, LOGIN_MAX_FAILURES) ||
	    throttled(w, ikey, LOGIN_MAX_IP_FAILURES)) {
		req_header(r, "Retry-After", "%d", LOGIN_WINDOW);
		login_form(w, 429, user, "Too many failed sign-ins. Wait 15 minutes, then try "
		    "again.");
		return;
	}
	if (dummy_hash[0] == '\0')
		auth_password_hash("not the password", dummy_hash, sizeof(dummy_hash));
	if (db_user_hash(r->app->db, user, &hash) != DB_OK)
		hash = NULL;
	ok = auth_password_check(pass, hash ? hash : dummy_hash) && hash != NULL;
	free(hash);
	if (!ok) {
		db_login_failed(r->app->db, ukey, r->now, r->now - LOGIN_WINDOW);
		db_login_failed(r->app->db, ikey, r->now, r->now - LOGIN_WINDOW);
		log_info("sign-in failed for %.64s from %s", user, addr ? addr : "-");
		login_form(w, 403, user, "The user name or password is wrong.");
		return;
	}
	db_login_clear(r->app->db, ukey);
	if (session_start(w, user) == -1)
		return;
	set_cookie(w, LOGIN_COOKIE, "", 0);
	log_info("%s signed in from %s", user, addr ? addr : "-");
	next = req_form(r, "next");
	req_redirect(r, "%s", local_path_ok(next) ? next : "/");
}

void
page_logout(struct web *w, const char *id)
{
	struct req	*r = w->r;
	char		*token = req_cookie(r, SESSION_COOKIE);
	unsigned char	 hash[KEY_HASH_LEN];

	if (token != NULL) {
		key_hash(token, strlen(token), hash);
		db_session_delete(r->app->db, hash);
		free(token);
	}
	set_cookie(w, SESSION_COOKIE, "", 0);
	req_redirect(r, "/login?done=signedout");
}
