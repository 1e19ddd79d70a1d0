/*
 * autosched: the front controller of the FastCGI programs (the JSON API, the dashboard:
 * whichever `program` it is linked with).
 *
 * Everything that can fail on bad configuration (reading the config, opening the database,
 * preparing every statement) happens once at start, so a broken setup stops the process
 * instead of failing requests. Then, under a FastCGI server, requests are accepted one at a
 * time; started as plain CGI (stdin is not a socket), the one request is served from the
 * environment and stdio. SIGTERM finishes the current request and exits.
 */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

#include "cgi.h"

extern char **environ;

static void
on_term(int sig)
{
	(void)sig;
	FCGX_ShutdownPending();
}

static int
app_init(struct app *app)
{
	struct buf	 err = BUF_INIT;
	const char	*path = conf_default_path();

	memset(app, 0, sizeof(*app));
	if (conf_load(&app->conf, path, &err) == -1) {
		log_warnx("%s", err.data);
		buf_release(&err);
		return -1;
	}
	app->db = db_open(app->conf.db_path, 0, app->conf.busy_timeout_ms);
	if (app->db == NULL) {
		log_warnx("cannot open the database (run `autosched init` to create it)");
		conf_release(&app->conf);
		return -1;
	}
	return program.init(app);
}

static void
app_release(struct app *app)
{
	db_close(app->db);
	conf_release(&app->conf);
	tz_cache_flush();
}

/* Answers when the program cannot start: a 503, so the cause is in the server log. */
static void
serve_broken(struct req *r)
{
	req_detail(r, 503, "The service is not configured; see the server log");
	req_send(r);
}

int
main(void)
{
	struct app	 app;
	struct req	 r;
	FCGX_Request	 fr;
	int		 ok;

	log_init(program.name, LOGTO_STDERR, 0);
	/*
	 * Answers of tens of KiB are built and freed on every request: keep the memory in
	 * the process instead of returning it to the kernel and faulting it back in each time.
	 */
	mallopt(M_TRIM_THRESHOLD, 8 * 1024 * 1024);
	mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
	ok = app_init(&app) == 0;
	if (FCGX_IsCGI()) {
		req_init(&r, &app, environ, NULL, NULL);
		if (ok)
			program.serve(&r);
		if (ok)
			req_send(&r);
		else
			serve_broken(&r);
		req_release(&r);
		if (ok)
			app_release(&app);
		return ok ? 0 : 1;
	}
	if (!ok)
		return 1;
	signal(SIGTERM, on_term);
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, 0, 0) != 0) {
		log_warnx("cannot initialise FastCGI");
		return 1;
	}
	while (FCGX_Accept_r(&fr) >= 0) {
		req_init(&r, &app, fr.envp, fr.in, fr.out);
		program.serve(&r);
		req_send(&r);
		req_release(&r);
		FCGX_Finish_r(&fr);
	}
	FCGX_Free(&fr, 1);
	cache_clear();
	app_release(&app);
	return 0;
}
