/*
 * autosched: rows printed in aligned columns, for the command-line tool's listings.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void
table_add(struct table *t, ...)
{
	va_list	 ap;
	size_t	 i;

	while (t->n + t->ncols > t->alloc) {
		t->alloc = t->alloc ? t->alloc * 2 : 64 * t->ncols;
		t->cell = xrealloc(t->cell, t->alloc * sizeof(*t->cell));
	}
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++)
		t->cell[t->n++] = xstrdup(va_arg(ap, const char *));
	va_end(ap);
}

/* Width in characters of a string that is valid UTF-8 (our own text and validated rows). */
static size_t
text_width(const char *s)
{
	return utf8_valid(s, strlen(s)) ? utf8_chars(s) : strlen(s);
}

void
table_print(const struct table *t, FILE *f)
{
	size_t	 w[TABLE_MAX_COLS] = { 0 }, i, k, len;

	assert(t->ncols > 0 && t->ncols <= TABLE_MAX_COLS);
	for (i = 0; i < t->n; i++)
		if ((len = text_width(t->cell[i])) > w[i % t->ncols])
			w[i % t->ncols] = len;
	for (i = 0; i < t->n; i += t->ncols) {
		for (k = 0; k + 1 < t->ncols; k++)
			fprintf(f, "%s%*s", t->cell[i + k],
			    (int)(w[k] - text_width(t->cell[i + k]) + 2), "");
		fprintf(f, "%s\n", t->cell[i + k]);
	}
}

void
table_release(struct table *t)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		free(t->cell[i]);
	free(t->cell);
	t->cell = NULL;
	t->n = t->alloc = 0;
}
