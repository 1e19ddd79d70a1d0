/*
 * autosched: `autosched import-crontab`: a crontab's lines become jobs of one bot type, each
 * keeping its command in its description (autosched runs bots, not commands), in the zone
 * of the CRON_TZ or TZ line above it; made through the job service, all or nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crontab.h"

/* The crontab's jobs: what the service makes of them, and their lines. */
struct cronjobs {
	struct jobs_item *items;
	long		*line;		/* the line of each */
	char		**expr;		/* its schedule as written */
	size_t		 n, alloc;
};

static void
cronjobs_release(struct cronjobs *cj)
{
	size_t	 i;

	for (i = 0; i < cj->n; i++) {
		jobs_item_release(&cj->items[i]);
		free(cj->expr[i]);
	}
	free(cj->items);
	free(cj->line);
	free(cj->expr);
}

/* The settings of the lines read so far that matter to the next ones. */
struct cronenv {
	const char	*src;		/* the file, for messages */
	const char	*bot, *prefix;
	const char	*default_zone;
	const char	*zone;		/* CRON_TZ or TZ, else default_zone */
};

/* An environment line: CRON_TZ and TZ set the zone of the jobs below. Returns 0 or -1. */
static int
env_setting(struct cronenv *env, long lineno, const struct crontab_line *l)
{
	const struct tz	*z;
	const char	*why;

	if (strcmp(l->name, "CRON_TZ") == 0 || strcmp(l->name, "TZ") == 0) {
		if (*l->value == '\0')
			env->zone = env->default_zone;
		else if ((z = tz_get(l->value, &why)) != NULL)
			env->zone = tz_name(z);
		else {
			fprintf(stderr, "autosched: %s:%ld: %s: '%s' %s\n", env->src, lineno,
			    l->name, l->value, why);
			env->zone = env->default_zone;
			return -1;
		}
	} else if (strcmp(l->name, "MAILTO") != 0)
		fprintf(stderr, "autosched: %s:%ld: note: %s ignored (the commands are not run "
		    "here: each is kept in its job's description)\n", env->src, lineno,
		    l->name);
	return 0;
}

/* A job line: checked as the job it makes, and added to cj. Returns 0 or -1 (reported). */
static int
job_line(struct cronenv *env, long lineno, const struct crontab_line *l,
    const struct jobs_ctx *ctx, struct cronjobs *cj)
{
	struct verrs	 e = VERRS_INIT;
	struct jobs_item *it;
	char		 name[JOB_NAME_MAX * 4 + 4];
	size_t		 i;
	json_t		*doc;

	if (env->prefix != NULL)
		snprintf(name, sizeof(name), "%s-%ld", env->prefix, lineno);
	else
		crontab_job_name(l->command, name, sizeof(name), JOB_NAME_MAX);
	doc = json_pack("{s:s,s:s,s:s,s:s,s:{s:s},s:s}", "name", name, "description",
	    l->command, "bot_type", env->bot, "schedule_type", "cron", "schedule_config",
	    "cron_expression", l->expr.data, "timezone", env->zone);
	if (doc == NULL) {
		fprintf(stderr, "autosched: %s:%ld: cannot read the line\n", env->src, lineno);
		return -1;
	}
	if (cj->n == cj->alloc) {
		cj->alloc = cj->alloc ? cj->alloc * 2 : 64;
		cj->items = xrealloc(cj->items, cj->alloc * sizeof(*cj->items));
		cj->line = xrealloc(cj->line, cj->alloc * sizeof(*cj->line));
		cj->expr = xrealloc(cj->expr, cj->alloc * sizeof(*cj->expr));
	}
	it = &cj->items[cj->n];
	memset(it, 0, sizeof(*it));
	it->doc = doc;
	it->index = (size_t)lineno;
	jobs_check(ctx, it, &e);
	it->doc = NULL;		/* a new job: the service needs its document no more */
	json_decref(doc);
	if (e.n > 0) {
		for (i = 0; i < e.n; i++) {
			if (strncmp(e.v[i].field, "schedule_config", 15) == 0)
				fprintf(stderr, "autosched: %s:%ld: '%s': %s\n", env->src, lineno,
				    l->expr.data, e.v[i].msg);
			else
				fprintf(stderr, "autosched: %s:%ld: %s: %s\n", env->src, lineno,
				    strcmp(e.v[i].field, "description") == 0 ? "command" :
				    e.v[i].field, e.v[i].msg);
		}
		jobs_item_release(it);
		verrs_release(&e);
		return -1;
	}
	cj->line[cj->n] = lineno;
	cj->expr[cj->n] = xstrdup(l->expr.data);
	cj->n++;
	return 0;
}

int
cmd_import_crontab(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db = NULL;
	struct jobs_ctx	 ctx;
	struct cronjobs	 cj;
	struct cronenv	 env;
	struct crontab_line cl;
	struct table	 t = { NULL, 6, 0, 0 };
	struct buf	 next = BUF_INIT;
	const char	*file = NULL, *bot = NULL, *tz = NULL, *prefix = NULL, *v, *src, *why;
	const char	*default_zone;
	enum jobs_res	 res;
	FILE		*f = NULL;
	char		*line = NULL, no[24];
	size_t		 cap = 0, i;
	ssize_t		 len;
	long		 lineno = 0, bad = 0;
	int		 dry = 0, skip = 0, bad_opt = 0, rc = 2, conf_loaded = 0, r;

	memset(&cj, 0, sizeof(cj));

	for (r = 1; r < argc && !bad_opt; r++) {
		if (cli_wants_help(argv[r]))
			return 0;
		if ((v = cli_optval(argc, argv, &r, "--bot", &bad_opt)) != NULL)
			bot = v;
		else if ((v = cli_optval(argc, argv, &r, "--tz", &bad_opt)) != NULL)
			tz = v;
		else if ((v = cli_optval(argc, argv, &r, "--prefix", &bad_opt)) != NULL)
			prefix = v;
		else if (bad_opt)
			break;
		else if (strcmp(argv[r], "--dry-run") == 0)
			dry = 1;
		else if (strcmp(argv[r], "--skip-bad") == 0)
			skip = 1;
		else if (argv[r][0] == '-' && argv[r][1] != '\0') {
			fprintf(stderr, "autosched: unknown option '%s'\n", argv[r]);
			bad_opt = 1;
		} else if (file == NULL)
			file = argv[r];
		else {
			fprintf(stderr, "autosched: one crontab file only\n");
			bad_opt = 1;
		}
	}
	if (!bad_opt && (file == NULL || bot == NULL)) {
		fprintf(stderr, "autosched: import-crontab needs a FILE and --bot TYPE\n");
		bad_opt = 1;
	}
	if (!bad_opt && prefix != NULL && (*prefix == '\0' || utf8_chars(prefix) >
	    JOB_NAME_MAX - 12 || !utf8_valid(prefix, strlen(prefix)) ||
	    utf8_has_control(prefix))) {
		fprintf(stderr, "autosched: --prefix: 1 to %d characters of text\n",
		    JOB_NAME_MAX - 12);
		bad_opt = 1;
	}
	if (bad_opt) {
		cli_usage(stderr);
		return 2;
	}
	if (cli_load_conf(&c) == -1)
		return 1;
	conf_loaded = 1;
	if (conf_bot(&c, bot) == NULL) {
		fprintf(stderr, "autosched: --bot: no bot type '%s' in %s (configured:", bot,
		    c.path);
		for (i = 0; i < c.nbots; i++)
			fprintf(stderr, " %s", c.bots[i].name);
		fprintf(stderr, "%s)\n", c.nbots ? "" : " none");
		goto out;
	}
	if ((default_zone = tz ? tz : c.default_tz) != NULL && tz_get(default_zone, &why) ==
	    NULL) {
		fprintf(stderr, "autosched: timezone: '%s' %s\n", default_zone, why);
		goto out;
	}
	default_zone = tz_name(tz_get(default_zone, NULL));
	src = strcmp(file, "-") == 0 ? "standard input" : file;
	env.src = src;
	env.bot = bot;
	env.prefix = prefix;
	env.default_zone = env.zone = default_zone;
	ctx = cli_jobs_ctx(NULL, &c);
	if (strcmp(file, "-") == 0)
		f = stdin;
	else if ((f = fopen(file, "r")) == NULL) {
		fprintf(stderr, "autosched: cannot open '%s': %s\n", file, strerror(errno));
		rc = 1;
		goto out;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if ((size_t)len != strlen(line) || !utf8_valid(line, (size_t)len)) {
			fprintf(stderr, "autosched: %s:%ld: not a line of text (NUL byte or not "
			    "UTF-8)\n", src, lineno);
			bad++;
			continue;
		}
		memset(&cl, 0, sizeof(cl));
		switch (crontab_parse_line(line, &cl)) {
		case CRONTAB_NOTHING:
			r = 0;
			break;
		case CRONTAB_ENV:
			r = env_setting(&env, lineno, &cl);
			break;
		case CRONTAB_JOB:
			r = job_line(&env, lineno, &cl, &ctx, &cj);
			break;
		case CRONTAB_BAD:
		default:
			fprintf(stderr, "autosched: %s:%ld: %s\n", src, lineno, cl.err.data);
			r = -1;
			break;
		}
		crontab_line_release(&cl);
		if (r == -1)
			bad++;
	}
	if (ferror(f)) {
		fprintf(stderr, "autosched: cannot read %s: %s\n", src, strerror(errno));
		rc = 1;
		goto out;
	}
	if (bad > 0 && !skip) {
		fprintf(stderr, "autosched: nothing imported: %ld bad line%s (fix %s, or skip "
		    "%s with --skip-bad)\n", bad, bad == 1 ? "" : "s", bad == 1 ? "it" : "them",
		    bad == 1 ? "it" : "them");
		goto out;
	}

	if (!dry) {
		if ((db = db_open(c.db_path, 0, c.busy_timeout_ms)) == NULL) {
			fprintf(stderr, "autosched: cannot open the database '%s' (create it with "
			    "`autosched init`)\n", c.db_path);
			rc = 1;
			goto out;
		}
		ctx.db = db;
		if ((res = jobs_import(&ctx, cj.items, cj.n, 0)) != JOBS_OK) {
			cli_jobs_failed("nothing imported", res);
			rc = 1;
			goto out;
		}
	}
	if (cj.n > 0)
		table_add(&t, dry ? "LINE" : "ID", "CRON", "ZONE", "SCHEDULE", "NEXT RUN", "NAME");
	for (i = 0; i < cj.n; i++) {
		const struct job *j = &cj.items[i].job;
		struct buf	 words = BUF_INIT;

		snprintf(no, sizeof(no), "%ld", cj.line[i]);
		sched_words("cron", j->schedule_config, &words);
		buf_reset(&next);
		cli_add_next_run(&next, j->timezone, j->next_run_at);
		table_add(&t, dry ? no : j->id, cj.expr[i], j->timezone, words.data, next.data,
		    j->name);
		buf_release(&words);
	}
	table_print(&t, stdout);
	if (dry)
		printf("dry run: would create %zu job%s of bot type %s%s\n", cj.n,
		    cj.n == 1 ? "" : "s", bot, bad ? " (bad lines skipped)" : "");
	else
		printf("created %zu job%s of bot type %s%s\n", cj.n, cj.n == 1 ? "" : "s", bot,
		    bad ? " (bad lines skipped)" : "");
	rc = 0;
out:
	if (f != NULL && f != stdin)
		fclose(f);
	free(line);
	cronjobs_release(&cj);
	table_release(&t);
	buf_release(&next);
	db_close(db);
	if (conf_loaded)
		conf_release(&c);
	return rc;
}
