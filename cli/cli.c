/*
 * autosched: what the command-line tool's commands share: the configuration and the
 * database, options, dates for people, the job service on behalf of the Unix user, and
 * messages.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int
cli_load_conf(struct conf *c)
{
	struct buf	 err = BUF_INIT;

	if (conf_load(c, cli_conf_path ? cli_conf_path : conf_default_path(), &err) == -1) {
		fprintf(stderr, "autosched: %s\n", err.data);
		buf_release(&err);
		return -1;
	}
	return 0;
}

struct db *
cli_open_db(struct conf *c, int create)
{
	struct db	*db;

	if (cli_load_conf(c) == -1)
		return NULL;
	if ((db = db_open(c->db_path, create, c->busy_timeout_ms)) == NULL) {
		fprintf(stderr, "autosched: cannot open the database '%s'%s\n", c->db_path,
		    create ? "" : " (create it with `autosched init`)");
		conf_release(c);
	}
	return db;
}

/* Returns the value of option `name` at argv[*i] ("--tz X" or "--tz=X"), or NULL. */
const char *
cli_optval(int argc, char **argv, int *i, const char *name, int *bad)
{
	size_t	 n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		fprintf(stderr, "autosched: %s needs a value\n", name);
		*bad = 1;
		return NULL;
	}
	return argv[++*i];
}

/* Formats an instant as "Sun 2026-03-29 03:00 CEST (+02:00)" in zone z. */
void
cli_add_local(struct buf *b, const struct tz *z, time_t t)
{
	struct tz_span	 sp;
	struct cal_tm	 tm;
	int32_t		 off;

	tz_span(z, t, &sp);
	cal_split(t + sp.off, &tm);
	off = sp.off < 0 ? -sp.off : sp.off;
	buf_addf(b, "%s %04lld-%02d-%02d %02d:%02d", cal_wdays[tm.wday % 7].abbr,
	    (long long)tm.year, tm.mon, tm.mday, tm.hour, tm.min);
	if (tm.sec)
		buf_addf(b, ":%02d", tm.sec);
	buf_addf(b, " %s (%c%02d:%02d)", sp.abbr, sp.off < 0 ? '-' : '+', off / 3600,
	    off % 3600 / 60);
}

/* Appends when a job runs next, in its own zone ("-" for none). */
void
cli_add_next_run(struct buf *b, const char *zone, int64_t next)
{
	const struct tz	*z;
	char		 iso[CAL_ISO_LEN];

	if (next == TIME_NONE)
		buf_addch(b, '-');
	else if ((z = tz_get(zone, NULL)) != NULL)
		cli_add_local(b, z, (time_t)next);
	else
		buf_addstr(b, cal_iso((time_t)next, iso));
}

/* Whether argv[i] asks for help; prints the usage if so. */
int
cli_wants_help(const char *arg)
{
	if (strcmp(arg, "--help") != 0 && strcmp(arg, "-h") != 0)
		return 0;
	cli_usage(stdout);
	return 1;
}

/*
 * Arguments of the form [FLAG] [FILE]: sets *file (NULL when absent) and *flag_set.
 * FLAG may be NULL (no flag). Returns 0, 1 after --help was answered, 2 after a usage
 * message.
 */
int
cli_file_args(int argc, char **argv, const char *flag, int *flag_set, const char **file)
{
	int	i;

	*file = NULL;
	if (flag_set != NULL)
		*flag_set = 0;
	for (i = 1; i < argc; i++) {
		if (cli_wants_help(argv[i]))
			return 1;
		if (flag != NULL && strcmp(argv[i], flag) == 0)
			*flag_set = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "autosched: unknown option '%s'\n", argv[i]);
			cli_usage(stderr);
			return 2;
		} else if (*file != NULL) {
			cli_usage(stderr);
			return 2;
		} else
			*file = argv[i];
	}
	return 0;
}

/* Every job, newest first, as db_job_list gives them. Returns 0, or -1 after a message. */
int
cli_all_jobs(struct db *db, struct job **jobs, size_t *n)
{
	struct job_filter f;
	int64_t		 total;

	memset(&f, 0, sizeof(f));
	f.enabled = -1;
	f.limit = INT64_MAX;
	if (db_job_list(db, &f, jobs, n, &total) != DB_OK) {
		fprintf(stderr, "autosched: cannot read the jobs\n");
		return -1;
	}
	return 0;
}

void
cli_free_jobs(struct job *jobs, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		job_release(&jobs[i]);
	free(jobs);
}

void
cli_print_verrs(const char *where, const struct verrs *e, size_t from)
{
	size_t	 i;

	for (i = from; i < e->n; i++)
		fprintf(stderr, "autosched: %s: %s%s%s\n", where, e->v[i].field,
		    *e->v[i].field ? ": " : "", e->v[i].msg);
}

struct jobs_ctx
cli_jobs_ctx(struct db *db, const struct conf *c)
{
	static char	 who[64];
	struct passwd	*pw;
	struct jobs_ctx	 ctx;

	if (who[0] == '\0') {
		if ((pw = getpwuid(geteuid())) != NULL)
			snprintf(who, sizeof(who), "%s", pw->pw_name);
		else
			snprintf(who, sizeof(who), "uid %lu", (unsigned long)geteuid());
	}
	ctx.db = db;
	ctx.conf = c;
	ctx.who = who;
	ctx.door = "cli";
	ctx.now = (int64_t)time(NULL);
	ctx.withdraw_wait_ms = 0;
	return ctx;
}

void
cli_jobs_failed(const char *what, enum jobs_res res)
{
	fprintf(stderr, "autosched: %s: the database is %s\n", what, res == JOBS_DB_BUSY ?
	    "busy" : "failing");
}
