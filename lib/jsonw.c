/*
 * autosched: a small JSON writer for the hot path, listing jobs and runs (jsonw_*).
 *
 * Requests are parsed and most answers are built with jansson; but rendering a page of
 * jobs through jansson (or SQLite's json_object) costs several microseconds a row in
 * allocations, while the rows only need their strings escaped around text that is JSON
 * already (stored configs, which jansson wrote). These functions append to a struct buf.
 * Strings are escaped per RFC 8259, and any byte sequence that is not valid UTF-8 becomes
 * U+FFFD, so the output is valid JSON whatever the database holds. tests/fuzz/fuzz-job and
 * the API tests parse every document written here with jansson.
 */
#include <string.h>

#include <jansson.h>

#include "jsonw.h"

void
jsonw_str(struct buf *b, const char *str)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*s = (const unsigned char *)str, *run;
	size_t			 n, len;
	uint32_t		 cp;
	char			 esc[6] = { '\\', 'u', '0', '0', 0, 0 };

	if (str == NULL) {
		buf_addstr(b, "null");
		return;
	}
	n = strlen(str);
	buf_grow(b, n + 2);
	buf_addch(b, '"');
	while (n > 0) {
		/* the common case: a run of printable ASCII copied at once */
		for (run = s; n > 0 && *s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\'; s++)
			n--;
		buf_add(b, run, (size_t)(s - run));
		if (n == 0)
			break;
		if (*s == '"' || *s == '\\') {
			buf_addch(b, '\\');
			buf_addch(b, *s);
			s++, n--;
		} else if (*s < 0x20) {
			switch (*s) {
			case '\n': buf_add(b, "\\n", 2); break;
			case '\r': buf_add(b, "\\r", 2); break;
			case '\t': buf_add(b, "\\t", 2); break;
			default:
				esc[4] = hex[*s >> 4];
				esc[5] = hex[*s & 15];
				buf_add(b, esc, 6);
				break;
			}
			s++, n--;
		} else if ((len = utf8_decode((const char *)s, n, &cp)) > 0) {
			buf_add(b, s, len);
			s += len, n -= len;
		} else {
			buf_add(b, "\xef\xbf\xbd", 3);	/* U+FFFD */
			s++, n--;
		}
	}
	buf_addch(b, '"');
}

void
jsonw_key(struct buf *b, const char *key, int first)
{
	if (!first)
		buf_addch(b, ',');
	buf_addch(b, '"');
	buf_addstr(b, key);	/* our own keys: nothing to escape */
	buf_add(b, "\":", 2);
}

void
jsonw_int(struct buf *b, int64_t v)
{
	char		 tmp[24];
	uint64_t	 u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	int		 i = (int)sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		tmp[--i] = '-';
	buf_add(b, tmp + i, sizeof(tmp) - (size_t)i);
}

void
jsonw_time(struct buf *b, int64_t t)
{
	char	 iso[CAL_ISO_LEN];

	if (t == TIME_NONE) {
		buf_addstr(b, "null");
		return;
	}
	cal_iso((time_t)t, iso);
	buf_addch(b, '"');
	buf_add(b, iso, CAL_ISO_LEN - 1);
	buf_addch(b, '"');
}

int
jsonw_valid(const char *text)
{
	json_t	*v = json_loads(text, JSON_DECODE_ANY, NULL);

	json_decref(v);
	return v != NULL;
}
