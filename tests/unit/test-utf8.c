/*
 * autosched tests: lib/utf8.c, the one UTF-8 decoder and what is built on it: validation,
 * counting, control characters and cutting text to a length. Code points come from the
 * Unicode tables (RFC 3629's ranges); every input is copied into a buffer of exactly its
 * length, so that ASan catches a read past what the caller said was there.
 */
#include "testutil.h"

/* An input of n bytes in a heap block of exactly n bytes. */
static char *
exact(const char *s, size_t n)
{
	char	*p = xmalloc(n);

	memcpy(p, s, n);
	return p;
}

static const struct decode_case {
	const char	*name;
	const char	*s;
	size_t		 n;
	size_t		 len;	/* 0: invalid */
	uint32_t	 cp;
} decode_cases[] = {
	{ "ASCII letter", "A", 1, 1, 0x41 },
	{ "NUL is a character of length 1", "\0", 1, 1, 0 },
	{ "DEL", "\x7f", 1, 1, 0x7f },
	{ "ASCII, more bytes available", "ab", 2, 1, 0x61 },
	{ "2 bytes: U+0080, the smallest", "\xc2\x80", 2, 2, 0x80 },
	{ "2 bytes: U+00E9", "\xc3\xa9", 2, 2, 0xe9 },
	{ "2 bytes: U+07FF, the largest", "\xdf\xbf", 2, 2, 0x7ff },
	{ "2 bytes, then a stray continuation", "\xc3\xa9\x80", 3, 2, 0xe9 },
	{ "3 bytes: U+0800, the smallest", "\xe0\xa0\x80", 3, 3, 0x800 },
	{ "3 bytes: U+20AC euro", "\xe2\x82\xac", 3, 3, 0x20ac },
	{ "3 bytes: U+D7FF, before the surrogates", "\xed\x9f\xbf", 3, 3, 0xd7ff },
	{ "3 bytes: U+E000, after the surrogates", "\xee\x80\x80", 3, 3, 0xe000 },
	{ "3 bytes: U+FFFF", "\xef\xbf\xbf", 3, 3, 0xffff },
	{ "4 bytes: U+10000, the smallest", "\xf0\x90\x80\x80", 4, 4, 0x10000 },
	{ "4 bytes: U+1F600", "\xf0\x9f\x98\x80", 4, 4, 0x1f600 },
	{ "4 bytes: U+10FFFF, the largest", "\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff },
	/* overlong forms */
	{ "overlong 2 bytes: C0 80 (NUL)", "\xc0\x80", 2, 0, 0 },
	{ "overlong 2 bytes: C0 AF ('/')", "\xc0\xaf", 2, 0, 0 },
	{ "overlong 2 bytes: C1 BF", "\xc1\xbf", 2, 0, 0 },
	{ "overlong 3 bytes: E0 80 80", "\xe0\x80\x80", 3, 0, 0 },
	{ "overlong 3 bytes: E0 80 AF ('/')", "\xe0\x80\xaf", 3, 0, 0 },
	{ "overlong 3 bytes: E0 9F BF (U+07FF)", "\xe0\x9f\xbf", 3, 0, 0 },
	{ "overlong 4 bytes: F0 80 80 80", "\xf0\x80\x80\x80", 4, 0, 0 },
	{ "overlong 4 bytes: F0 8F BF BF (U+FFFF)", "\xf0\x8f\xbf\xbf", 4, 0, 0 },
	/* surrogates */
	{ "surrogate U+D800", "\xed\xa0\x80", 3, 0, 0 },
	{ "surrogate U+DBFF", "\xed\xaf\xbf", 3, 0, 0 },
	{ "surrogate U+DC00", "\xed\xb0\x80", 3, 0, 0 },
	{ "surrogate U+DFFF", "\xed\xbf\xbf", 3, 0, 0 },
	/* beyond U+10FFFF, and bytes that never start a character */
	{ "U+110000", "\xf4\x90\x80\x80", 4, 0, 0 },
	{ "F5 lead byte", "\xf5\x80\x80\x80", 4, 0, 0 },
	{ "F7 BF BF BF (U+1FFFFF)", "\xf7\xbf\xbf\xbf", 4, 0, 0 },
	{ "5-byte form F8", "\xf8\x88\x80\x80\x80", 5, 0, 0 },
	{ "6-byte form FC", "\xfc\x84\x80\x80\x80\x80", 6, 0, 0 },
	{ "FE", "\xfe", 1, 0, 0 },
	{ "FF", "\xff", 1, 0, 0 },
	/* cut short */
	{ "2 bytes, 1 available", "\xc3", 1, 0, 0 },
	{ "3 bytes, 2 available", "\xe2\x82", 2, 0, 0 },
	{ "3 bytes, 1 available", "\xe2", 1, 0, 0 },
	{ "4 bytes, 3 available", "\xf0\x9f\x98", 3, 0, 0 },
	{ "3 bytes, the third is ASCII", "\xe2\x82" "A", 3, 0, 0 },
	{ "2 bytes, the second is NUL", "\xc3\0", 2, 0, 0 },
	{ "4 bytes, the last is a lead byte", "\xf0\x9f\x98\xc3", 4, 0, 0 },
	/* continuation bytes alone */
	{ "lone continuation 80", "\x80", 1, 0, 0 },
	{ "lone continuation BF", "\xbf", 1, 0, 0 },
	{ "continuation before ASCII", "\x80" "a", 2, 0, 0 },
};

static void
test_decode(void **state)
{
	const struct decode_case	*c = *state;
	char				*s = exact(c->s, c->n);
	uint32_t			 cp = 0xdeadbeef;
	size_t				 len;

	len = utf8_decode(s, c->n, &cp);
	assert_int_equal(len, c->len);
	if (c->len > 0)
		assert_int_equal(cp, c->cp);
	free(s);
}

/* Only the n bytes said to be there are read: a valid sequence with n too short is cut. */
static void
test_decode_n(void **state)
{
	static const char	 euro[] = "\xe2\x82\xac", smile[] = "\xf0\x9f\x98\x80";
	uint32_t		 cp;
	size_t			 n;
	char			*s;

	(void)state;
	for (n = 1; n < 3; n++) {
		s = exact(euro, n);
		assert_int_equal(utf8_decode(s, n, &cp), 0);
		free(s);
	}
	for (n = 1; n < 4; n++) {
		s = exact(smile, n);
		assert_int_equal(utf8_decode(s, n, &cp), 0);
		free(s);
	}
}

static const struct valid_case {
	const char	*name;
	const char	*s;
	size_t		 len;
	int		 valid;
} valid_cases[] = {
	{ "empty", "", 0, 1 },
	{ "ASCII", "hello, world", 12, 1 },
	{ "mixed widths", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, 1 },
	{ "only the first len bytes count", "ab\xff", 2, 1 },
	{ "NUL alone", "\0", 1, 0 },
	{ "NUL inside", "a\0b", 3, 0 },
	{ "NUL at the end", "ab\0", 3, 0 },
	{ "overlong", "a\xc0\xaf", 3, 0 },
	{ "surrogate", "\xed\xa0\x80", 3, 0 },
	{ "beyond U+10FFFF", "\xf4\x90\x80\x80", 4, 0 },
	{ "cut at the end", "abc\xe2\x82", 5, 0 },
	{ "a valid character cut by len", "abc\xe2\x82\xac", 5, 0 },
	{ "lone continuation first", "\x80" "abc", 4, 0 },
	{ "Latin-1, not UTF-8", "caf\xe9", 4, 0 },
};

static void
test_valid(void **state)
{
	const struct valid_case	*c = *state;
	char			*s = exact(c->s, c->len);

	assert_int_equal(utf8_valid(s, c->len), c->valid);
	free(s);
}

static const struct chars_case {
	const char	*s;
	size_t		 n;
} chars_cases[] = {
	{ "", 0 },
	{ "abc", 3 },
	{ "caf\xc3\xa9", 4 },
	{ "\xe2\x82\xac\xf0\x9f\x98\x80", 2 },
	{ "a\xe2\x80\xa6" "b", 3 },
	{ "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", 6 },	/* Привет */
};

static void
test_chars(void **state)
{
	const struct chars_case	*c = *state;

	assert_int_equal(utf8_chars(c->s), c->n);
}

static const struct control_case {
	const char	*name;
	const char	*s;
	int		 control;
} control_cases[] = {
	{ "empty", "", 0 },
	{ "plain text", "Send birthday messages", 0 },
	{ "space and tilde", " ~ ", 0 },
	{ "accents and emoji", "caf\xc3\xa9 \xf0\x9f\x98\x80", 0 },
	{ "tab", "a\tb", 1 },
	{ "newline", "line\n", 1 },
	{ "carriage return", "\rx", 1 },
	{ "U+0001", "\x01", 1 },
	{ "ESC", "x\x1b[31m", 1 },
	{ "U+001F", "\x1f", 1 },
	{ "DEL", "del\x7f", 1 },
	{ "C1: U+0080", "\xc2\x80", 1 },
	{ "C1: U+0085 NEL", "a\xc2\x85" "b", 1 },
	{ "C1: U+009B CSI", "\xc2\x9b", 1 },
	{ "C1: U+009F", "\xc2\x9f", 1 },
	{ "U+00A0 no-break space", "\xc2\xa0", 0 },
	{ "U+00C0: C3 80 is not C1", "\xc3\x80", 0 },
	{ "U+2080: 80 as a third byte is not C1", "\xe2\x82\x80", 0 },
	{ "C2 at the very end", "x\xc2", 0 },
};

static void
test_control(void **state)
{
	const struct control_case	*c = *state;

	assert_int_equal(utf8_has_control(c->s), c->control);
}

#define ELL	"\xe2\x80\xa6"		/* U+2026 */

static const struct trunc_case {
	const char	*name;
	const char	*s;
	size_t		 sz;
	size_t		 max;
	const char	*want;
} trunc_cases[] = {
	{ "short: copied", "hello", 64, 10, "hello" },
	{ "exactly max characters: copied", "hello", 64, 5, "hello" },
	{ "one over max: cut", "hello!", 64, 5, "hello" ELL },
	{ "cut at max", "hello world", 64, 5, "hello" ELL },
	{ "exactly fills the buffer: copied", "hello", 6, 10, "hello" },
	{ "one byte too long for the buffer", "hello", 5, 10, "h" ELL },
	{ "room for the ellipsis only", "hello", 4, 10, ELL },
	{ "no room for the ellipsis", "hello", 3, 10, "" },
	{ "a buffer of one byte", "hello", 1, 10, "" },
	{ "empty stays empty", "", 1, 0, "" },
	{ "max 0 cuts everything", "abc", 64, 0, ELL },
	{ "2-byte characters counted once", "caf\xc3\xa9s", 64, 4, "caf\xc3\xa9" ELL },
	{ "cut before a 2-byte character", "caf\xc3\xa9s", 64, 3, "caf" ELL },
	{ "last character multi-byte, not cut", "abc\xe2\x82\xac", 64, 4, "abc\xe2\x82\xac" },
	{ "last character multi-byte, cut", "abc\xe2\x82\xac", 64, 3, "abc" ELL },
	{ "euro not split by the buffer", "ab\xe2\x82\xac\xe2\x82\xac", 8, 10, "ab" ELL },
	{ "euro fits the buffer", "ab\xe2\x82\xac\xe2\x82\xac", 9, 10,
	  "ab\xe2\x82\xac\xe2\x82\xac" },
	{ "emoji not split by the buffer",
	  "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 10, 10, "\xf0\x9f\x98\x80" ELL },
	{ "2-byte characters to the last byte", "\xc3\xa9\xc3\xa9\xc3\xa9", 6, 10,
	  "\xc3\xa9" ELL },
	{ "the buffer is shorter than max", "abcdefgh", 7, 5, "abc" ELL },
	{ "max is shorter than the buffer", "abcdefgh", 64, 5, "abcde" ELL },
	{ "an ellipsis in the text is one character", "a" ELL "bc", 64, 2, "a" ELL ELL },
};

static void
test_truncate(void **state)
{
	const struct trunc_case	*c = *state;
	char			*out = xmalloc(c->sz), got[128];
	int			 ended;

	/* out has exactly sz bytes (ASan sees any write past them); checked from a copy */
	memset(out, 'Z', c->sz);
	utf8_truncate(out, c->sz, c->s, c->max);
	ended = memchr(out, '\0', c->sz) != NULL;
	snprintf(got, sizeof(got), "%.*s", (int)c->sz, out);
	free(out);
	assert_true(ended);
	assert_string_equal(got, c->want);
	assert_true(utf8_valid(got, strlen(got)));
}

/* A buffer of size 0 is not written to. */
static void
test_truncate_zero(void **state)
{
	char	 out[1] = { 'Z' };

	(void)state;
	utf8_truncate(out, 0, "hello", 10);
	assert_int_equal(out[0], 'Z');
}

/*
 * Every cut of a text with characters of each width, at every max and buffer size: the
 * result fits, is valid UTF-8, is a prefix of the text, and ends with the ellipsis exactly
 * when it is not the whole text.
 */
static void
test_truncate_all(void **state)
{
	static const char	 text[] = "a\xc3\xa9" "b\xe2\x82\xac" "c\xf0\x9f\x98\x80" "d";
	char			 out[32];
	size_t			 sz, max, len, keep, chars;

	(void)state;
	for (sz = 1; sz <= sizeof(out); sz++)
		for (max = 0; max <= 8; max++) {
			utf8_truncate(out, sz, text, max);
			len = strlen(out);
			if (len >= sz || !utf8_valid(out, len))
				fail_msg("sz %zu max %zu: '%s'", sz, max, out);
			if (strcmp(out, text) == 0) {
				if (max < 7 || sz <= sizeof(text) - 1)
					fail_msg("sz %zu max %zu: not cut", sz, max);
				continue;
			}
			if (len == 0)
				continue;	/* no room for the ellipsis */
			if (len < 3 || memcmp(out + len - 3, ELL, 3) != 0)
				fail_msg("sz %zu max %zu: '%s' lacks the ellipsis", sz, max, out);
			keep = len - 3;
			if (memcmp(out, text, keep) != 0)
				fail_msg("sz %zu max %zu: '%s' is no prefix", sz, max, out);
			out[keep] = '\0';
			chars = utf8_chars(out);
			if (chars > max)
				fail_msg("sz %zu max %zu: %zu characters kept", sz, max, chars);
		}
}

int
main(void)
{
	struct suite	 s = { 0 };
	size_t		 i;

	for (i = 0; i < sizeof(decode_cases) / sizeof(decode_cases[0]); i++)
		suite_add(&s, test_decode, (void *)&decode_cases[i], "decode: %s",
		    decode_cases[i].name);
	suite_add(&s, test_decode_n, NULL, "decode reads no more than n bytes");
	for (i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++)
		suite_add(&s, test_valid, (void *)&valid_cases[i], "valid: %s",
		    valid_cases[i].name);
	for (i = 0; i < sizeof(chars_cases) / sizeof(chars_cases[0]); i++)
		suite_add(&s, test_chars, (void *)&chars_cases[i], "chars: %zu characters, "
		    "%zu bytes", chars_cases[i].n, strlen(chars_cases[i].s));
	for (i = 0; i < sizeof(control_cases) / sizeof(control_cases[0]); i++)
		suite_add(&s, test_control, (void *)&control_cases[i], "control: %s",
		    control_cases[i].name);
	for (i = 0; i < sizeof(trunc_cases) / sizeof(trunc_cases[0]); i++)
		suite_add(&s, test_truncate, (void *)&trunc_cases[i], "truncate: %s",
		    trunc_cases[i].name);
	suite_add(&s, test_truncate_zero, NULL, "truncate: a buffer of size 0 is left alone");
	suite_add(&s, test_truncate_all, NULL, "truncate: every size and max of a mixed text");
	return suite_run(&s, "utf8");
}
