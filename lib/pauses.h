/*
 * autosched: the kill switch of SPEC §9 (pauses.c), in the service layer beside the job
 * service: pausing every bot or one bot type, until a time or until resumed, from
 * whichever door (the JSON API, the dashboard's banner and list, the command line). As
 * jobs.c does, each change is validated, written in its own transaction, logged in one
 * audit line and followed by the nudge to schedd.
 */
#ifndef PAUSES_H
#define PAUSES_H

#include <jansson.h>

#include "jobs.h"

#define PAUSE_NOTE_MAX	500		/* characters */

/*
 * Validates a pause document ({"bot_type": null | NAME, "note": TEXT, "until": null | ISO
 * 8601 instant}, all optional) and records it (created_by ctx->who). On JOBS_OK, *out is
 * the new pause (release it); JOBS_INVALID with the errors in errs.
 */
enum jobs_res	 pauses_create(const struct jobs_ctx *, const json_t *doc, struct pause *out,
		    struct verrs *errs);
/* Ends pause id (a resume). JOBS_NOTFOUND when there is none in force. */
enum jobs_res	 pauses_delete(const struct jobs_ctx *, const char *id);
/* A pause as the API shows it (new). */
json_t		*pauses_json(const struct pause *);

#endif /* PAUSES_H */
