/*
 * autosched: `autosched jobs list`: every job with its schedule in words and its next run
 * in its own zone, as a table, or as the API's JSON (--json); `autosched jobs delete ID`,
 * as DELETE /jobs/{id} does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/*
 * Deletes job `id` through the job service: its pending runs go with it, and its queued
 * ones are taken back out of Redis by schedd before this returns (or said to be still on
 * their way out).
 */
static int
delete_job(const char *id)
{
	struct conf	 c;
	struct db	*db;
	struct jobs_ctx	 ctx;
	struct job	 j;
	enum jobs_res	 res;
	char		 lower[UUID_LEN];
	int64_t		 left = 0;
	int		 rc = 1;

	if (uuid_canon(id, lower) == -1) {
		fprintf(stderr, "autosched: jobs delete: %s is not a job id (a UUID)\n", id);
		return 2;
	}
	if ((db = cli_open_db(&c, 0)) == NULL)
		return 1;
	ctx = cli_jobs_ctx(db, &c);
	res = jobs_delete(&ctx, lower, &j, &left);
	if (res == JOBS_OK) {
		printf("deleted job %s (%s)\n", j.id, j.name ? j.name : "");
		if (left > 0)
			fprintf(stderr, "autosched: jobs delete: %lld of its runs queued in Redis "
			    "are still to be taken back by schedd, which did not answer in time: "
			    "one may start if a worker takes it first\n", (long long)left);
		rc = 0;
	} else if (res == JOBS_NOTFOUND)
		fprintf(stderr, "autosched: jobs delete: no job %s\n", lower);
	else
		cli_jobs_failed("jobs delete", res);
	job_release(&j);
	db_close(db);
	conf_release(&c);
	return rc;
}

int
cmd_jobs(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db;
	struct job	*jobs = NULL;
	struct job_filter f;
	struct table	 t = { NULL, 6, 0, 0 };
	struct buf	 words = BUF_INIT, next = BUF_INIT, out = BUF_INIT;
	size_t		 n = 0, i;
	int64_t		 total;
	int		 json = 0, rc = 1;

	if (argc >= 2 && cli_wants_help(argv[1]))
		return 0;
	if (argc == 3 && strcmp(argv[1], "delete") == 0)
		return delete_job(argv[2]);
	if (argc < 2 || strcmp(argv[1], "list") != 0 || argc > 3 ||
	    (argc == 3 && strcmp(argv[2], "--json") != 0)) {
		cli_usage(stderr);
		return 2;
	}
	json = argc == 3;
	if ((db = cli_open_db(&c, 0)) == NULL)
		return 1;
	if (json) {
		/* the API's own writer: what GET /jobs answers, every job on one page */
		memset(&f, 0, sizeof(f));
		f.enabled = -1;
		f.limit = INT64_MAX;
		if (db_job_list_json(db, &f, &out, &total) != DB_OK)
			fprintf(stderr, "autosched: cannot read the jobs\n");
		else {
			buf_addch(&out, '\n');
			fwrite(out.data, 1, out.len, stdout);
			rc = 0;
		}
		goto out;
	}
	if (cli_all_jobs(db, &jobs, &n) == -1)
		goto out;
	if (n > 0)
		table_add(&t, "ID", "ENABLED", "BOT", "SCHEDULE", "NEXT RUN", "NAME");
	for (i = 0; i < n; i++) {
		buf_reset(&words);
		if (job_words(&jobs[i], &words) == -1)
			buf_addstr(&words, "?");
		buf_reset(&next);
		cli_add_next_run(&next, jobs[i].timezone ? jobs[i].timezone : "UTC",
		    jobs[i].next_run_at);
		table_add(&t, jobs[i].id, jobs[i].enabled ? "yes" : "no",
		    jobs[i].bot_type ? jobs[i].bot_type : "", words.data, next.data,
		    jobs[i].name ? jobs[i].name : "");
	}
	table_print(&t, stdout);
	rc = 0;
out:
	if (fflush(stdout) == EOF && rc == 0) {
		fprintf(stderr, "autosched: cannot write the list: %s\n", strerror(errno));
		rc = 1;
	}
	table_release(&t);
	cli_free_jobs(jobs, n);
	buf_release(&words);
	buf_release(&next);
	buf_release(&out);
	db_close(db);
	conf_release(&c);
	return rc;
}
