/*
 * autosched: UTF-8, the only text encoding autosched reads or writes. One decoder,
 * utf8_decode, says what is a character; validation, the JSON writer and every cut of user
 * text go through it, so they agree on what is valid.
 */
#include <stdio.h>
#include <string.h>

#include "base.h"

size_t
utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 len, i;
	uint32_t		 c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return len;
}

int
utf8_valid(const char *s, size_t len)
{
	const char	*end = s + len;
	uint32_t	 cp;
	size_t		 n;

	while (s < end) {
		if ((n = utf8_decode(s, (size_t)(end - s), &cp)) == 0 || cp == 0)
			return 0;
		s += n;
	}
	return 1;
}

size_t
utf8_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

void
utf8_truncate(char *out, size_t sz, const char *s, size_t max)
{
	size_t	 i, n = 0, cut = 0;

	if (sz == 0)
		return;
	if (utf8_chars(s) <= max && strlen(s) < sz) {
		snprintf(out, sz, "%s", s);
		return;
	}
	/* the last character boundary with at most max characters before it, and room for
	 * the ellipsis and the NUL after it */
	for (i = 0; s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (n > max || i + 4 > sz)
				break;
			cut = i;
			n++;
		}
	if (cut + 4 > sz) {
		out[0] = '\0';
		return;
	}
	snprintf(out, sz, "%.*s\xe2\x80\xa6", (int)cut, s);
}

int
utf8_has_control(const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;

	for (; *s; s++) {
		if (*s < 0x20 || *s == 0x7f)
			return 1;
		/* C1: U+0080..U+009F is 0xC2 0x80..0x9F */
		if (*s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
			return 1;
	}
	return 0;
}

void
utf8_scrub(struct buf *b, const char *s, size_t n)
{
	const char	*end = s + n, *run = s;
	uint32_t	 cp;
	size_t		 len;

	while (s < end) {
		if ((len = utf8_decode(s, (size_t)(end - s), &cp)) > 0 && cp != 0) {
			s += len;
			continue;
		}
		buf_add(b, run, (size_t)(s - run));
		buf_add(b, "\xef\xbf\xbd", 3);	/* U+FFFD */
		run = ++s;
	}
	buf_add(b, run, (size_t)(s - run));
}

int
utf8_prefix(const char *s, size_t max)
{
	size_t	 n = strnlen(s, max + 1);

	if (n > max) {
		n = max;
		/* back over the continuation bytes of the character the cut falls in */
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	return n > INT32_MAX ? INT32_MAX : (int)n;
}
