/*
 * autosched fuzz target: a job document as POST /jobs receives it, validated against the
 * shipped configuration (deploy/autosched.conf; run from the top of the tree) and stored in
 * an in-memory database. Checks that failure always says why and success never does, and
 * that what the API returns can be PUT back unchanged (the round trip clients rely on).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "job.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct conf	 conf;
static struct db	*db;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct buf	 err = BUF_INIT;

	(void)argc;
	(void)argv;
	if (conf_load(&conf, "deploy/autosched.conf", &err) == -1) {
		fprintf(stderr, "fuzz-job: %s\n", err.data);
		exit(1);
	}
	if ((db = db_open(":memory:", 1, 1000)) == NULL)
		exit(1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct job	 j;
	struct verrs	 e = VERRS_INIT;
	struct buf	 out = BUF_INIT, again = BUF_INIT;
	json_t		*doc, *got;
	int		 rc;

	doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (doc == NULL)
		return 0;
	job_defaults(&j);
	uuid_v4(j.id);
	rc = job_apply(&j, doc, 1, &conf, 1795874400, &e);
	if ((rc == 0) != (e.n == 0))
		abort();
	if (rc == 0) {
		if (db_job_insert(db, &j) != DB_OK || db_job_json(db, j.id, &out) != DB_OK)
			abort();
		if ((got = json_loads(out.data, 0, NULL)) == NULL)
			abort();	/* the store renders valid JSON */
		if (job_apply(&j, got, 0, &conf, 1795874400, &e) != 0)
			abort();	/* PUT back what GET returned */
		if (db_job_update(db, &j) != DB_OK || db_job_json(db, j.id, &again) != DB_OK)
			abort();
		if (strcmp(out.data, again.data) != 0)
			abort();	/* and nothing changed */
		db_job_delete(db, j.id, 0);
		json_decref(got);
	}
	buf_release(&out);
	buf_release(&again);
	verrs_release(&e);
	job_release(&j);
	json_decref(doc);
	return 0;
}
