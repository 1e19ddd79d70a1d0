/*
 * autosched: signing in and out of the dashboard (session.c keeps the sessions).
 *
 * The sign-in form, which no session protects yet, carries a token that must equal the one
 * in a short-lived cookie (double submit), so another site cannot post it.
 *
 * Attempts are counted before the password is checked, in one statement each (so that
 * processes checking at once cannot all slip under a limit), and a store that cannot count
 * refuses the sign-in. Past LOGIN_MAX_FAILURES for one (user name, address) pair, or
 * LOGIN_MAX_IP_FAILURES for an address, within LOGIN_WINDOW, the form answers 429 without
 * checking the password; failures of a name from everywhere only slow its checks down
 * (LOGIN_DELAY_MS, doubling), so that nobody can lock a user out from elsewhere. The
 * address is the client's as req_client tells it ([web] trusted_proxies).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pages.h"

#define LOGIN_PASSWORD_MAX	1024	/* bytes */

/* A password that is checked when the user does not exist, so both take as long. */
static char	dummy_hash[AUTH_HASH_MAX];

static void
login_form(struct web *w, int status, const char *user, const char *error)
{
	struct tmpl_dict *d;
	char		*tok = session_cookie_get(w, LOGIN_COOKIE);
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

/*
 * Counts this sign-in attempt against key, at once (db_login_attempt). Returns the count
 * with this attempt, or -1 after answering: when the count cannot be kept, nobody signs in
 * (fail closed), rather than trying passwords uncounted.
 */
static int64_t
attempt(struct web *w, const char *key)
{
	int64_t		 n = 0;
	enum db_res	 res;

	res = db_login_attempt(w->r->app->db, key, w->r->now, w->r->now - LOGIN_WINDOW, &n);
	if (res != DB_OK) {
		html_fail(w, jobs_res_of(res));
		return -1;
	}
	return n;
}

/* Answers 429: too many attempts where they are counted. */
static void
too_many(struct web *w, const char *user)
{
	req_header(w->r, "Retry-After", "%d", LOGIN_WINDOW);
	login_form(w, 429, user, "Too many failed sign-ins. Wait 15 minutes, then try again.");
}

/*
 * The wait before checking a password for a user name that failed n times (this attempt
 * included) from anywhere: none for the first LOGIN_MAX_FAILURES, then LOGIN_DELAY_MS,
 * doubling, at most LOGIN_DELAY_MAX_MS. Only slows a guesser down: it locks nobody out.
 */
static void
name_delay(int64_t n)
{
	struct timespec	 ts;
	int64_t		 ms = 0;

	if (n <= LOGIN_MAX_FAILURES)
		return;
	n -= LOGIN_MAX_FAILURES + 1;
	ms = n >= 16 ? LOGIN_DELAY_MAX_MS : LOGIN_DELAY_MS << n;
	if (ms > LOGIN_DELAY_MAX_MS)
		ms = LOGIN_DELAY_MAX_MS;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

void
page_login_post(struct web *w, const char *id)
{
	struct req	*r = w->r;
	const char	*user, *pass, *sent, *next, *addr;
	char		*tok, *hash = NULL, pkey[AUTH_NAME_LEN + 80], ukey[AUTH_NAME_LEN + 8];
	char		 ikey[80];
	int64_t		 n;
	int		 ok;

	if (req_parse_form(r) == -1)
		return;
	tok = session_cookie_get(w, LOGIN_COOKIE);
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
	    strlen(pass) > LOGIN_PASSWORD_MAX) {
		login_form(w, 422, user, "Enter your user name and password.");
		return;
	}
	/* no user has another name: refused before it is counted or logged */
	if (!auth_name_valid(user)) {
		login_form(w, 422, user, "A user name is letters, digits, '_', '.', '@' and '-'.");
		return;
	}
	/*
	 * Locked per (user, address): five wrong passwords from one place lock that place out
	 * of that name, not the name out of everywhere. Per address: many names from one place.
	 * Per name: only a delay, so nobody can lock a user out by guessing from elsewhere.
	 */
	addr = req_client(r);
	snprintf(pkey, sizeof(pkey), "pair:%s %s", user, addr);
	snprintf(ikey, sizeof(ikey), "ip:%s", addr);
	snprintf(ukey, sizeof(ukey), "user:%s", user);
	if ((n = attempt(w, pkey)) == -1)
		return;
	if (n > LOGIN_MAX_FAILURES) {
		too_many(w, user);
		return;
	}
	if ((n = attempt(w, ikey)) == -1)
		return;
	if (n > LOGIN_MAX_IP_FAILURES) {
		too_many(w, user);
		return;
	}
	if ((n = attempt(w, ukey)) == -1)
		return;
	name_delay(n);
	if (dummy_hash[0] == '\0')
		auth_password_hash("not the password", dummy_hash, sizeof(dummy_hash));
	if (db_user_hash(r->app->db, user, &hash) != DB_OK)
		hash = NULL;
	ok = auth_password_check(pass, hash ? hash : dummy_hash) && hash != NULL;
	free(hash);
	if (!ok) {
		log_info("sign-in failed for %s from %s", user, addr);
		login_form(w, 403, user, "The user name or password is wrong.");
		return;
	}
	/* the attempt was no failure: the pair and the name start afresh */
	db_login_clear(r->app->db, pkey);
	db_login_clear(r->app->db, ukey);
	db_login_undo(r->app->db, ikey);
	if (session_start(w, user) == -1)
		return;
	session_cookie(w, LOGIN_COOKIE, "", 0);
	log_info("%s signed in from %s", user, addr);
	next = req_form(r, "next");
	req_redirect(r, "%s", req_local_path_ok(next) ? next : "/");
}

void
page_login_logout(struct web *w, const char *id)
{
	session_end(w);
	req_redirect(w->r, "/login?done=signedout");
}
