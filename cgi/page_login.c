/*
 * autosched: signing in and out of the dashboard (session.c keeps the sessions).
 *
 * The sign-in form, which no session protects yet, carries a token that must equal the one
 * in a short-lived cookie (double submit), so another site cannot post it.
 *
 * Failed sign-ins are counted per user name and per address: past LOGIN_MAX_FAILURES for a
 * name, or LOGIN_MAX_IP_FAILURES for an address, within LOGIN_WINDOW, the form answers 429
 * without checking the password until the window has passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"

/* A password that is checked when the user does not exist, so both take as long. */
#define LOGIN_PASSWORD_MAX	1024	/* bytes */

static char	dummy_hash[AUTH_HASH_MAX];

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
		session_cookie(w, LOGIN_COOKIE, fresh, 3600);
	} else
		snprintf(fresh, sizeof(fresh), "%s", tok);
	free(tok);
	d = html_page(w, "Sign in", "login.tpl");
	tmpl_set(d, "LOGIN_TOKEN", fresh);
	tmpl_set(d, "USER", user ? user : "");
	if (req_local_path_ok(next))
		tmpl_set(d, "NEXT", next);
	if (error)
		tmpl_set(tmpl_section(d, "ERROR"), "TEXT", error);
	html_render(w, status);
}

void
page_login_show(struct web *w, const char *id)
{
	const char	*next = req_query(w->r, "next");

	if (w->signed_in) {
		req_redirect(w->r, "%s", req_local_path_ok(next) ? next : "/");
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
	    strlen(user) >= AUTH_NAME_LEN || strlen(pass) > LOGIN_PASSWORD_MAX) {
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
	session_cookie(w, LOGIN_COOKIE, "", 0);
	log_info("%s signed in from %s", user, addr ? addr : "-");
	next = req_form(r, "next");
	req_redirect(r, "%s", req_local_path_ok(next) ? next : "/");
}

void
page_login_logout(struct web *w, const char *id)
{
	session_end(w);
	req_redirect(w->r, "/login?done=signedout");
}
