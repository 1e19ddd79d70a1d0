/*
 * autosched: the list of validation failures that every validator appends to, so that a
 * request with several bad fields hears about all of them at once (SPEC §5's 422 list).
 */
#include <stdlib.h>

#include "base.h"

static void verrs_vadd(struct verrs *, const char *, const char *, const char *, va_list)
    APP_PRINTF(4, 0);

static void
verrs_vadd(struct verrs *e, const char *type, const char *field, const char *fmt, va_list ap)
{
	struct buf	 b = BUF_INIT;

	if (e->n == e->alloc) {
		e->alloc = e->alloc ? e->alloc * 2 : 8;
		e->v = xrealloc(e->v, e->alloc * sizeof(*e->v));
	}
	buf_vaddf(&b, fmt, ap);
	e->v[e->n].field = xstrdup(field);
	e->v[e->n].msg = buf_detach(&b);
	e->v[e->n].type = type;
	e->n++;
}

void
verrs_add(struct verrs *e, const char *field, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	verrs_vadd(e, "value_error", field, fmt, ap);
	va_end(ap);
}

void
verrs_addt(struct verrs *e, const char *type, const char *field, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	verrs_vadd(e, type, field, fmt, ap);
	va_end(ap);
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
