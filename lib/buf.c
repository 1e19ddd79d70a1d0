/*
 * autosched: struct buf, the one growable string type (git's strbuf semantics).
 *
 * data is never NULL and always NUL-terminated; an empty buffer points at buf_empty and owns
 * nothing, so a buffer that was never written to needs no release.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

char buf_empty[1];

void
buf_init(struct buf *b)
{
	b->data = buf_empty;
	b->len = 0;
	b->alloc = 0;
}

void
buf_grow(struct buf *b, size_t extra)
{
	size_t	 want;

	if (extra >= SIZE_MAX - b->len - 1) {
		log_warnx("%s: size overflow", __func__);
		abort();
	}
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return;
	if (b->alloc == 0) {
		b->alloc = want < 64 ? 64 : want;
		b->data = xmalloc(b->alloc);
		b->data[0] = '\0';
		return;
	}
	while (b->alloc < want)
		b->alloc = b->alloc < SIZE_MAX / 2 ? b->alloc * 2 : want;
	b->data = xrealloc(b->data, b->alloc);
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (n >= b->alloc - b->len)	/* also when alloc == 0: the shared "" */
		buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addch(struct buf *b, int c)
{
	if (b->len + 1 >= b->alloc)
		buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 cp;
	int	 n;

	va_copy(cp, ap);
	n = vsnprintf(b->data + b->len, b->alloc ? b->alloc - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0) {
		log_warnx("%s: bad format '%s'", __func__, fmt);
		abort();
	}
	if (b->alloc == 0 || (size_t)n >= b->alloc - b->len) {
		buf_grow(b, (size_t)n);
		n = vsnprintf(b->data + b->len, b->alloc - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

char *
buf_detach(struct buf *b)
{
	char	*s;

	s = b->alloc ? b->data : xstrdup("");
	buf_init(b);
	return s;
}

void
buf_release(struct buf *b)
{
	if (b->alloc)
		free(b->data);
	buf_init(b);
}
