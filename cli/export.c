/*
 * autosched: moving jobs between databases: `autosched export` writes every job as a
 * versioned JSON document, `autosched import` reads one back through the job service,
 * checked by the API's own validation and written all or nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define EXPORT_VERSION		1

/* Export */

static int
job_id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct job *)a)->id, ((const struct job *)b)->id);
}

/* Sets key in o to v (stolen); a NULL v (bad text in the row) counts in *bad. */
static void
set_or_bad(json_t *o, const char *key, json_t *v, int *bad)
{
	if (v == NULL)
		(*bad)++;
	else
		json_object_set_new(o, key, v);
}

/*
 * A job as the export document has it: what a user set, in a fixed order. Returns new, or
 * NULL when the row does not read (not UTF-8, stored JSON that is not an object).
 */
static json_t *
export_job(const struct job *j)
{
	json_t	*o = json_object();
	char	 iso[CAL_ISO_LEN];
	int	 bad = 0;

	set_or_bad(o, "id", json_string(j->id), &bad);
	set_or_bad(o, "name", j->name ? json_string(j->name) : NULL, &bad);
	set_or_bad(o, "description", j->description ? json_string(j->description) :
	    json_null(), &bad);
	set_or_bad(o, "bot_type", j->bot_type ? json_string(j->bot_type) : NULL, &bad);
	set_or_bad(o, "enabled", json_boolean(j->enabled), &bad);
	set_or_bad(o, "schedule_type", json_string(sched_type_name(j->schedule_type)), &bad);
	set_or_bad(o, "schedule_config", j->schedule_config ?
	    json_loads(j->schedule_config, 0, NULL) : NULL, &bad);
	set_or_bad(o, "bot_config", j->bot_config ? json_loads(j->bot_config, 0, NULL) : NULL,
	    &bad);
	set_or_bad(o, "timezone", j->timezone ? json_string(j->timezone) : NULL, &bad);
	set_or_bad(o, "max_instances", json_integer(j->max_instances), &bad);
	set_or_bad(o, "misfire_grace_time", json_integer(j->misfire_grace_time), &bad);
	set_or_bad(o, "coalesce", json_boolean(j->coalesce), &bad);
	set_or_bad(o, "active_windows", j->active_windows ?
	    json_loads(j->active_windows, 0, NULL) : json_null(), &bad);
	set_or_bad(o, "jitter_seconds", json_integer(j->jitter_seconds), &bad);
	set_or_bad(o, "pause_after_failures", json_integer(j->pause_after_failures), &bad);
	set_or_bad(o, "created_at", json_string(cal_iso((time_t)j->created_at, iso)), &bad);
	set_or_bad(o, "created_by", j->created_by ? json_string(j->created_by) : json_null(),
	    &bad);
	if (bad || !json_is_object(json_object_get(o, "schedule_config")) ||
	    !json_is_object(json_object_get(o, "bot_config"))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * The export document of every job, sorted by id (new string, caller frees), or NULL after
 * a message. One read transaction: the jobs as they were at one instant.
 */
static char *
export_text(struct db *db)
{
	struct job	*jobs = NULL;
	size_t		 n = 0, i;
	json_t		*root = NULL, *list, *o;
	char		*text = NULL, *out = NULL;

	if (cli_all_jobs(db, &jobs, &n) == -1)
		return NULL;
	if (n > 1)
		qsort(jobs, n, sizeof(*jobs), job_id_cmp);
	root = json_object();
	list = json_array();
	json_object_set_new(root, "version", json_integer(EXPORT_VERSION));
	json_object_set_new(root, "jobs", list);
	for (i = 0; i < n; i++) {
		if ((o = export_job(&jobs[i])) == NULL) {
			fprintf(stderr, "autosched: job %s does not read (edited by hand?): "
			    "nothing exported\n", jobs[i].id);
			goto out;
		}
		json_array_append_new(list, o);
	}
	if ((text = json_dumps(root, JSON_INDENT(2))) == NULL) {
		fprintf(stderr, "autosched: cannot write the document\n");
		goto out;
	}
	out = xasprintf("%s\n", text);
out:
	free(text);
	json_decref(root);
	cli_free_jobs(jobs, n);
	return out;
}

int
cmd_export(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db;
	const char	*file = NULL;
	char		*text;
	int		 i, rc = 1;

	if ((i = cli_file_args(argc, argv, NULL, NULL, &file)) != 0)
		return i == 1 ? 0 : 2;
	if ((db = cli_open_db(&c, 0)) == NULL)
		return 1;
	if ((text = export_text(db)) == NULL)
		goto out;
	if (file == NULL || strcmp(file, "-") == 0) {
		fputs(text, stdout);
		if (fflush(stdout) == EOF || ferror(stdout))
			fprintf(stderr, "autosched: cannot write the export: %s\n",
			    strerror(errno));
		else
			rc = 0;
	} else if (file_write(file, text, strlen(text)) == 0)
		rc = 0;
	free(text);
out:
	db_close(db);
	conf_release(&c);
	return rc;
}

/* How messages name job i of the document: jobs[2] ("Morning birthdays"). */
static void
job_label(const json_t *doc, size_t i, struct buf *b)
{
	const json_t	*name = json_is_object(doc) ? json_object_get(doc, "name") : NULL;
	char		 cut[64 * 4 + 4];

	buf_reset(b);
	buf_addf(b, "jobs[%zu]", i);
	if (json_is_string(name) && strlen(json_string_value(name)) ==
	    json_string_length(name) && !utf8_has_control(json_string_value(name))) {
		utf8_truncate(cut, sizeof(cut), json_string_value(name), 60);
		buf_addf(b, " (\"%s\")", cut);
	}
}

static int
item_id_cmp(const void *a, const void *b)
{
	const struct jobs_item	*x = *(const struct jobs_item *const *)a;
	const struct jobs_item	*y = *(const struct jobs_item *const *)b;
	int			 c = strcmp(x->job.id, y->job.id);

	return c ? c : x->index < y->index ? -1 : 1;
}

/* Reads and checks the document's envelope. Returns the jobs array (borrowed), or NULL. */
static const json_t *
import_envelope(const json_t *root, const char *src)
{
	const json_t	*v, *jobs;
	const char	*key;

	if (!json_is_object(root)) {
		fprintf(stderr, "autosched: %s: expected an object {\"version\": %d, \"jobs\": "
		    "[...]}\n", src, EXPORT_VERSION);
		return NULL;
	}
	json_object_foreach((json_t *)root, key, v)
		if (strcmp(key, "version") != 0 && strcmp(key, "jobs") != 0) {
			fprintf(stderr, "autosched: %s: unknown member '%s' (expected \"version\" "
			    "and \"jobs\")\n", src, key);
			return NULL;
		}
	v = json_object_get(root, "version");
	if (!json_is_integer(v) || json_integer_value(v) != EXPORT_VERSION) {
		fprintf(stderr, "autosched: %s: version: must be %d (the format `autosched "
		    "export` writes)\n", src, EXPORT_VERSION);
		return NULL;
	}
	jobs = json_object_get(root, "jobs");
	if (!json_is_array(jobs)) {
		fprintf(stderr, "autosched: %s: jobs: must be an array of jobs\n", src);
		return NULL;
	}
	return jobs;
}

int
cmd_import(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db = NULL;
	struct jobs_ctx	 ctx;
	struct buf	 in = BUF_INIT, label = BUF_INIT;
	struct verrs	 e = VERRS_INIT;
	struct jobs_item *items = NULL, **byid = NULL;
	const json_t	*jobs;
	const char	*file = NULL, *src;
	json_error_t	 jerr;
	json_t		*root = NULL;
	enum jobs_res	 res;
	size_t		 n = 0, i, k, nid = 0, bad = 0, replaced = 0;
	int		 replace = 0, rc = 1, conf_loaded = 0;

	if ((rc = cli_file_args(argc, argv, "--replace", &replace, &file)) != 0)
		return rc == 1 ? 0 : 2;
	rc = 1;
	src = file == NULL || strcmp(file, "-") == 0 ? "standard input" : file;
	if (cli_load_conf(&c) == -1)
		return 1;
	conf_loaded = 1;
	ctx = cli_jobs_ctx(NULL, &c);
	if (file_read_all(file, &in) == -1) {
		rc = 2;
		goto out;
	}
	if ((root = json_loadb(in.data, in.len, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		fprintf(stderr, "autosched: %s: line %d, column %d: invalid JSON: %s\n", src,
		    jerr.line, jerr.column, jerr.text);
		rc = 2;
		goto out;
	}
	if ((jobs = import_envelope(root, src)) == NULL) {
		rc = 2;
		goto out;
	}

	/* Everything is checked before the database is opened. */
	n = json_array_size(jobs);
	items = xcalloc(n ? n : 1, sizeof(*items));
	byid = xcalloc(n ? n : 1, sizeof(*byid));
	for (i = 0; i < n; i++) {
		items[i].doc = json_array_get(jobs, i);
		items[i].index = i;
		k = e.n;
		jobs_check(&ctx, &items[i], &e);
		if (e.n > k) {
			job_label(items[i].doc, i, &label);
			cli_print_verrs(label.data, &e, k);
			bad++;
		} else if (items[i].has_id)
			byid[nid++] = &items[i];
	}
	qsort(byid, nid, sizeof(*byid), item_id_cmp);
	for (i = 1; i < nid; i++)
		if (strcmp(byid[i]->job.id, byid[i - 1]->job.id) == 0) {
			job_label(byid[i]->doc, byid[i]->index, &label);
			fprintf(stderr, "autosched: %s: id: %s is also the id of jobs[%zu]\n",
			    label.data, byid[i]->job.id, byid[i - 1]->index);
			bad++;
		}
	if (bad > 0) {
		fprintf(stderr, "autosched: nothing imported: %zu of %zu jobs are invalid\n",
		    bad, n);
		rc = 2;
		goto out;
	}

	/* All or nothing: one transaction. */
	if ((db = db_open(c.db_path, 0, c.busy_timeout_ms)) == NULL) {
		fprintf(stderr, "autosched: cannot open the database '%s' (create it with "
		    "`autosched init`)\n", c.db_path);
		goto out;
	}
	ctx.db = db;
	res = jobs_import(&ctx, items, n, replace);
	if (res == JOBS_INVALID) {
		for (i = 0; i < n; i++) {
			if (items[i].res == JOBS_OK)
				continue;
			job_label(items[i].doc, i, &label);
			if (items[i].res == JOBS_EXISTS)
				fprintf(stderr, "autosched: %s: id: job %s exists already (use "
				    "--replace to update it)\n", label.data, items[i].job.id);
			else
				cli_print_verrs(label.data, &items[i].errs, 0);
			bad++;
		}
		fprintf(stderr, "autosched: nothing imported: %zu of %zu jobs clash with the "
		    "database\n", bad, n);
		rc = 2;
		goto out;
	}
	if (res != JOBS_OK) {
		cli_jobs_failed("nothing imported", res);
		goto out;
	}
	for (i = 0; i < n; i++)
		replaced += items[i].replaced;
	printf("imported %zu job%s: %zu created, %zu replaced\n", n, n == 1 ? "" : "s",
	    n - replaced, replaced);
	rc = 0;
out:
	for (i = 0; i < n && items; i++)
		jobs_item_release(&items[i]);
	free(items);
	free(byid);
	json_decref(root);
	verrs_release(&e);
	buf_release(&in);
	buf_release(&label);
	db_close(db);
	if (conf_loaded)
		conf_release(&c);
	return rc;
}
