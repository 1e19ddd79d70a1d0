/*
 * autosched: the list of validation failures that every validator appends to, so that a
 * request with several bad fields hears about all of them at once (SPEC §5's 422 list).
 */
#include <stdlib.h>

#include "app.h"

void
verrs_add(struct verrs *e, const char *field, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	if (e->n == e->alloc) {
		e->alloc = e->alloc ? e->alloc * 2 : 8;
		e->v = xrealloc(e->v, e->alloc * sizeof(*e->v));
	}
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	e->v[e->n].field = xstrdup(field);
	e->v[e->n].msg = buf_detach(&b);
	e->n++;
}

void
verrs_release(struct verrs *e)
{
	size_t	 i;

	for (i = 0; i < e->n; i++) {
		free(e->v[i].field);
		free(e->v[i].msg);
	}
	free(e->v);
	e->v = NULL;
	e->n = e->alloc = 0;
}
