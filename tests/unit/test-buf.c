/*
 * autosched tests: lib/buf.c, struct buf, and xasprintf of lib/util.c. Every step of every
 * case checks the invariants base.h promises: data is never NULL and is NUL-terminated at
 * len, and a buffer that owns nothing (alloc 0) points at the shared buf_empty. Expected
 * strings are written out by hand.
 */
#include "testutil.h"

/* One step of a case: what to call, and with what. */
enum op_kind {
	OP_END,
	OP_ADD,		/* buf_add(s, n) */
	OP_ADDSTR,	/* buf_addstr(s) */
	OP_ADDCH,	/* buf_addch(ch) */
	OP_ADDF,	/* buf_addf("%s|%d", s, n) */
	OP_RESET	/* buf_reset */
};

struct op {
	enum op_kind	 kind;
	const char	*s;
	size_t		 n;
	int		 ch;
};

#define LONG100	"0123456789012345678901234567890123456789012345678901234567890123456789" \
		"012345678901234567890123456789"

static const struct seq_case {
	const char	*name;
	struct op	 ops[6];
	const char	*want;
	size_t		 len;		/* may exceed strlen(want): an embedded NUL */
	int		 owns;		/* alloc > 0 at the end */
} seq_cases[] = {
	{ "nothing at all", { { OP_END, NULL, 0, 0 } }, "", 0, 0 },
	{ "add of 0 bytes allocates nothing", { { OP_ADD, "xyz", 0, 0 } }, "", 0, 0 },
	{ "addstr of \"\" allocates nothing", { { OP_ADDSTR, "", 0, 0 } }, "", 0, 0 },
	{ "reset of a new buffer", { { OP_RESET, NULL, 0, 0 } }, "", 0, 0 },
	{ "add part of a string", { { OP_ADD, "abcdef", 3, 0 } }, "abc", 3, 1 },
	{ "add keeps an embedded NUL", { { OP_ADD, "a\0b", 3, 0 } }, "a\0b", 3, 1 },
	{ "addstr twice", { { OP_ADDSTR, "hello, ", 0, 0 }, { OP_ADDSTR, "world", 0, 0 } },
	  "hello, world", 12, 1 },
	{ "addch", { { OP_ADDCH, NULL, 0, 'x' }, { OP_ADDCH, NULL, 0, 'y' } }, "xy", 2, 1 },
	{ "addch of a byte above 0x7f", { { OP_ADDCH, NULL, 0, 0xe2 } }, "\xe2", 1, 1 },
	{ "addf", { { OP_ADDF, "n", 42, 0 } }, "n|42", 4, 1 },
	{ "addf of an empty string argument", { { OP_ADDF, "", 0, 0 } }, "|0", 2, 1 },
	{ "addf after addstr", { { OP_ADDSTR, "<", 0, 0 }, { OP_ADDF, "k", -7, 0 },
	  { OP_ADDCH, NULL, 0, '>' } }, "<k|-7>", 6, 1 },
	{ "addf longer than the first allocation", { { OP_ADDCH, NULL, 0, '[' },
	  { OP_ADDF, LONG100, 1, 0 }, { OP_ADDCH, NULL, 0, ']' } }, "[" LONG100 "|1]", 104, 1 },
	{ "add of exactly the room left", { { OP_ADD, LONG100, 63, 0 },
	  { OP_ADD, "x", 1, 0 } }, "012345678901234567890123456789012345678901234567890123456789012x",
	  64, 1 },
	{ "reset, then add", { { OP_ADDSTR, "old text", 0, 0 }, { OP_RESET, NULL, 0, 0 },
	  { OP_ADDSTR, "new", 0, 0 } }, "new", 3, 1 },
	{ "reset keeps the memory", { { OP_ADDSTR, "old", 0, 0 }, { OP_RESET, NULL, 0, 0 } },
	  "", 0, 1 },
};

static void
check_invariants(const struct buf *b)
{
	assert_non_null(b->data);
	assert_int_equal(b->data[b->len], '\0');
	if (b->alloc == 0) {
		assert_ptr_equal(b->data, buf_empty);
		assert_int_equal(b->len, 0);
	} else {
		assert_ptr_not_equal(b->data, buf_empty);
		assert_true(b->len < b->alloc);
	}
	assert_int_equal(buf_empty[0], '\0');
}

static void
test_seq(void **state)
{
	const struct seq_case	*c = *state;
	const struct op		*op;
	struct buf		 b = BUF_INIT;

	check_invariants(&b);
	for (op = c->ops; op < c->ops + 6 && op->kind != OP_END; op++) {
		switch (op->kind) {
		case OP_ADD:
			buf_add(&b, op->s, op->n);
			break;
		case OP_ADDSTR:
			buf_addstr(&b, op->s);
			break;
		case OP_ADDCH:
			buf_addch(&b, op->ch);
			break;
		case OP_ADDF:
			buf_addf(&b, "%s|%d", op->s, (int)op->n);
			break;
		case OP_RESET:
			buf_reset(&b);
			break;
		case OP_END:
			break;
		}
		check_invariants(&b);
	}
	assert_int_equal(b.len, c->len);
	assert_memory_equal(b.data, c->want, c->len + 1);
	assert_int_equal(b.alloc > 0, c->owns);
	buf_release(&b);
	check_invariants(&b);
	assert_int_equal(b.alloc, 0);
}

/* BUF_INIT and buf_init agree, and a buffer that was never written needs no release. */
static void
test_init(void **state)
{
	struct buf	 a = BUF_INIT, b;

	(void)state;
	memset(&b, 0xa5, sizeof(b));
	buf_init(&b);
	assert_ptr_equal(a.data, buf_empty);
	assert_ptr_equal(b.data, buf_empty);
	assert_int_equal(a.len, 0);
	assert_int_equal(b.len, 0);
	assert_int_equal(a.alloc, 0);
	assert_int_equal(b.alloc, 0);
	assert_string_equal(a.data, "");
	/* released without ever being written: nothing freed, still as new */
	buf_release(&a);
	check_invariants(&a);
	assert_int_equal(a.alloc, 0);
	buf_release(&a);
	check_invariants(&a);
	/* and usable again */
	buf_addstr(&a, "again");
	assert_string_equal(a.data, "again");
	buf_release(&a);
}

/* Many small appends of each kind: the content stays whole through every reallocation. */
static void
test_growth(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;
	char		 want;

	(void)state;
	for (i = 0; i < 30000; i++) {
		switch (i % 3) {
		case 0:
			buf_addch(&b, (int)('a' + i % 26));
			break;
		case 1:
			buf_add(&b, "0123456789" + i % 10, 1);
			break;
		default:
			buf_addf(&b, "%c", (int)('A' + i % 26));
			break;
		}
		if (b.data[b.len] != '\0' || b.len != i + 1 || b.len >= b.alloc)
			fail_msg("after %zu appends: len %zu, alloc %zu", i + 1, b.len, b.alloc);
	}
	assert_int_equal(strlen(b.data), 30000);
	for (i = 0; i < 30000; i++) {
		want = i % 3 == 0 ? (char)('a' + i % 26) : i % 3 == 1 ?
		    (char)('0' + i % 10) : (char)('A' + i % 26);
		if (b.data[i] != want)
			fail_msg("byte %zu is '%c', not '%c'", i, b.data[i], want);
	}
	buf_release(&b);
}

/* One buf_addf far longer than what the buffer holds, into a buffer that has text. */
static void
test_addf_long(void **state)
{
	struct buf	 b = BUF_INIT;
	char		*big = xmalloc(10001);
	size_t		 i, alloc;

	(void)state;
	for (i = 0; i < 10000; i++)
		big[i] = (char)('a' + i % 26);
	big[10000] = '\0';
	buf_addstr(&b, "head:");
	alloc = b.alloc;
	assert_true(alloc < 10000);
	buf_addf(&b, "%s:%d", big, 12345);
	check_invariants(&b);
	assert_int_equal(b.len, 5 + 10000 + 6);
	assert_memory_equal(b.data, "head:", 5);
	assert_memory_equal(b.data + 5, big, 10000);
	assert_string_equal(b.data + 10005, ":12345");
	/* and once more, into a new buffer (alloc 0) */
	buf_release(&b);
	buf_addf(&b, "%s", big);
	check_invariants(&b);
	assert_string_equal(b.data, big);
	buf_release(&b);
	free(big);
}

static void
test_detach(void **state)
{
	struct buf	 b = BUF_INIT;
	char		*s, *t;

	(void)state;
	buf_addstr(&b, "keep me");
	s = buf_detach(&b);
	assert_string_equal(s, "keep me");
	/* the buffer is as new, and no longer shares the string */
	check_invariants(&b);
	assert_int_equal(b.alloc, 0);
	assert_ptr_not_equal(b.data, s);
	buf_addstr(&b, "other");
	assert_string_equal(s, "keep me");
	assert_string_equal(b.data, "other");
	buf_release(&b);
	free(s);
	/* a never-written buffer gives a string of its own too, not buf_empty */
	t = buf_detach(&b);
	assert_non_null(t);
	assert_ptr_not_equal(t, buf_empty);
	assert_string_equal(t, "");
	check_invariants(&b);
	free(t);
	/* a reset buffer gives "" and its memory */
	buf_addstr(&b, "gone");
	buf_reset(&b);
	t = buf_detach(&b);
	assert_string_equal(t, "");
	check_invariants(&b);
	assert_int_equal(b.alloc, 0);
	free(t);
}

static const struct asprintf_case {
	const char	*s;
	int		 d;
	const char	*want;
} asprintf_cases[] = {
	{ "", 0, ":0" },
	{ "job", 7, "job:7" },
	{ "caf\xc3\xa9", -2147483647, "caf\xc3\xa9:-2147483647" },
	{ "100%", 100, "100%:100" },
	{ LONG100 LONG100 LONG100, 1, LONG100 LONG100 LONG100 ":1" },
};

static void
test_asprintf(void **state)
{
	const struct asprintf_case	*c = *state;
	char				*s = xasprintf("%s:%d", c->s, c->d);

	assert_string_equal(s, c->want);
	free(s);
}

static void
test_asprintf_plain(void **state)
{
	char	*s;

	(void)state;
	s = xasprintf("%s", "");
	assert_string_equal(s, "");
	free(s);
	s = xasprintf("%05.1f|%x|%%|%c", 3.14159, 255u, 'z');
	assert_string_equal(s, "003.1|ff|%|z");
	free(s);
}

int
main(void)
{
	struct suite	 s = { 0 };
	size_t		 i;

	suite_add(&s, test_init, NULL, "BUF_INIT and buf_init own nothing; release of a new buffer");
	for (i = 0; i < sizeof(seq_cases) / sizeof(seq_cases[0]); i++)
		suite_add(&s, test_seq, (void *)&seq_cases[i], "%s", seq_cases[i].name);
	suite_add(&s, test_growth, NULL, "30000 appends of each kind");
	suite_add(&s, test_addf_long, NULL, "addf of 10000 bytes into a small buffer");
	suite_add(&s, test_detach, NULL, "detach returns an owned string, leaves the buffer new");
	for (i = 0; i < sizeof(asprintf_cases) / sizeof(asprintf_cases[0]); i++)
		suite_add(&s, test_asprintf, (void *)&asprintf_cases[i], "xasprintf %zu", i);
	suite_add(&s, test_asprintf_plain, NULL, "xasprintf: empty, floats, hex, %%");
	return suite_run(&s, "buf");
}
