/*
 * autosched: `autosched pause` and `autosched resume`: the kill switch from the command
 * line (SPEC §9), through the same service as the API and the dashboard (lib/pauses.c),
 * and the resume of a paused job.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pauses.h"

/* Lists the pauses in force. */
static int
list(struct db *db, int64_t now)
{
	struct pause	*p;
	struct table	 t = { NULL, 5, 0, 0 };
	char		 a[CAL_ISO_LEN], u[CAL_ISO_LEN];
	size_t		 n, i;

	if (db_pauses(db, now, &p, &n) != DB_OK) {
		fprintf(stderr, "autosched: cannot read the pauses\n");
		return 1;
	}
	if (n == 0)
		printf("No pause is in force: every bot fires on schedule.\n");
	else
		table_add(&t, "ID", "BOTS", "SINCE", "UNTIL", "BY", "NOTE");
	for (i = 0; i < n; i++) {
		table_add(&t, p[i].id, p[i].bot_type ? p[i].bot_type : "every bot",
		    cal_iso((time_t)p[i].created_at, a), p[i].until != TIME_NONE ?
		    cal_iso((time_t)p[i].until, u) : "resumed by hand", p[i].created_by ?
		    p[i].created_by : "-", p[i].note);
		pause_release(&p[i]);
	}
	free(p);
	table_print(&t, stdout);
	table_release(&t);
	return 0;
}

int
cmd_pause(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db;
	struct jobs_ctx	 ctx;
	struct verrs	 e = VERRS_INIT;
	struct pause	 p;
	struct buf	 b = BUF_INIT;
	const char	*bot = NULL, *note = NULL, *until = NULL, *v;
	enum jobs_res	 res;
	json_t		*doc;
	int		 i, bad = 0, rc = 1, show = 0;

	for (i = 1; i < argc && !bad; i++) {
		if ((v = cli_optval(argc, argv, &i, "--bot", &bad)) != NULL)
			bot = v;
		else if ((v = cli_optval(argc, argv, &i, "--note", &bad)) != NULL)
			note = v;
		else if ((v = cli_optval(argc, argv, &i, "--until", &bad)) != NULL)
			until = v;
		else if (bad)
			break;
		else if (strcmp(argv[i], "--list") == 0)
			show = 1;
		else if (cli_wants_help(argv[i]))
			return 0;
		else {
			fprintf(stderr, "autosched: unknown argument '%s'\n", argv[i]);
			bad = 1;
		}
	}
	if (bad || (show && (bot || note || until))) {
		cli_usage(stderr);
		return 2;
	}
	if ((db = cli_open_db(&c, 0)) == NULL)
		return 1;
	ctx = cli_jobs_ctx(db, &c);
	if (show) {
		rc = list(db, ctx.now);
		goto out;
	}
	doc = json_object();
	if (bot)
		json_object_set_new(doc, "bot_type", json_string(bot));
	if (note)
		json_object_set_new(doc, "note", json_string(note));
	if (until)
		json_object_set_new(doc, "until", json_string(until));
	res = pauses_create(&ctx, doc, &p, &e);
	json_decref(doc);
	if (res == JOBS_OK) {
		pause_describe(&p, &b);
		printf("%s\n%s. Fire times under it are recorded as skipped; nothing is caught up "
		    "when it ends (autosched resume %s).\n", p.id, b.data, p.id);
		pause_release(&p);
		rc = 0;
	} else if (res == JOBS_INVALID) {
		cli_print_verrs("pause", &e, 0);
		rc = 2;
	} else
		cli_jobs_failed("pause", res);
out:
	if (fflush(stdout) == EOF && rc == 0)
		rc = 1;
	verrs_release(&e);
	buf_release(&b);
	db_close(db);
	conf_release(&c);
	return rc;
}

int
cmd_resume(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db;
	struct jobs_ctx	 ctx;
	struct verrs	 e = VERRS_INIT;
	struct pause	*p = NULL;
	struct job	 j;
	char		 id[UUID_LEN];
	enum jobs_res	 res;
	size_t		 n = 0, i;
	int		 rc = 1;

	if (argc >= 2 && cli_wants_help(argv[1]))
		return 0;
	if (!(argc == 2 || (argc == 3 && strcmp(argv[1], "--job") == 0)) ||
	    (argc == 2 && strcmp(argv[1], "--all") != 0 && uuid_canon(argv[1], id) == -1) ||
	    (argc == 3 && uuid_canon(argv[2], id) == -1)) {
		cli_usage(stderr);
		return 2;
	}
	if ((db = cli_open_db(&c, 0)) == NULL)
		return 1;
	ctx = cli_jobs_ctx(db, &c);
	if (argc == 3) {
		/* a paused job */
		if ((res = jobs_set_paused(&ctx, id, 0, &j, &e)) == JOBS_OK) {
			printf("Resumed job %s (%s): it fires again from now on.\n", j.id, j.name);
			job_release(&j);
			rc = 0;
		} else if (res == JOBS_INVALID) {
			cli_print_verrs("resume", &e, 0);
			job_release(&j);
		} else
			cli_jobs_failed("resume", res);
	} else if (strcmp(argv[1], "--all") == 0) {
		if (db_pauses(db, ctx.now, &p, &n) != DB_OK)
			fprintf(stderr, "autosched: cannot read the pauses\n");
		else {
			for (i = 0, rc = 0; i < n; i++) {
				if ((res = pauses_delete(&ctx, p[i].id)) != JOBS_OK &&
				    res != JOBS_NOTFOUND) {
					cli_jobs_failed("resume", res);
					rc = 1;
				}
				pause_release(&p[i]);
			}
			free(p);
			printf("Ended %zu pause%s.\n", n, n == 1 ? "" : "s");
		}
	} else if ((res = pauses_delete(&ctx, id)) == JOBS_OK) {
		printf("Ended pause %s: its bots fire again from now on.\n", id);
		rc = 0;
	} else if (res == JOBS_NOTFOUND)
		fprintf(stderr, "autosched: no pause %s is in force (autosched pause --list)\n",
		    id);
	else
		cli_jobs_failed("resume", res);
	if (fflush(stdout) == EOF && rc == 0)
		rc = 1;
	verrs_release(&e);
	db_close(db);
	conf_release(&c);
	return rc;
}
