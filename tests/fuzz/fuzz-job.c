/*
 * autosched fuzz target: a job document as POST /jobs receives it, validated against the
 * shipped configuration (deploy/autosched.conf; run from the top of the tree). Checks that
 * failure always says why and success never does, and that what the API would return can
 * be PUT back unchanged (the round trip clients of the plan rely on).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct conf	 conf;

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
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct job	 j;
	struct verrs	 e = VERRS_INIT;
	json_t		*doc, *out, *again;
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
		out = job_json(&j);
		if (job_apply(&j, out, 0, &conf, 1795874400, &e) != 0)
			abort();	/* PUT back what GET returned */
		again = job_json(&j);
		if (!json_equal(out, again))
			abort();
		json_decref(out);
		json_decref(again);
	}
	verrs_release(&e);
	job_release(&j);
	json_decref(doc);
	return 0;
}
