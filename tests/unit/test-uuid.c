/*
 * autosched tests: lib/uuid.c, UUIDs in text form: new random ones (RFC 4122 version 4:
 * the version nibble 4, the variant bits 10, lower case), and the check and lower-casing of
 * ids that come from outside.
 */
#include "testutil.h"

#define MANY	20000		/* more than one 4 KiB pool of random bytes (256 ids) */

static int
is_lower_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* The shape of one uuid_v4 result, by hand rather than with uuid_valid. */
static void
check_v4(const char *u)
{
	size_t	 i;

	if (strlen(u) != UUID_LEN - 1)
		fail_msg("'%s': %zu characters", u, strlen(u));
	for (i = 0; i < UUID_LEN - 1; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (u[i] != '-')
				fail_msg("'%s': no '-' at %zu", u, i);
		} else if (!is_lower_hex((unsigned char)u[i]))
			fail_msg("'%s': '%c' at %zu is not lower-case hex", u, u[i], i);
	if (u[14] != '4')
		fail_msg("'%s': version %c, not 4", u, u[14]);
	if (strchr("89ab", u[19]) == NULL)
		fail_msg("'%s': variant nibble %c, not 8-b", u, u[19]);
	if (!uuid_valid(u))
		fail_msg("'%s': uuid_valid refuses it", u);
}

static int
cmp_id(const void *a, const void *b)
{
	return memcmp(a, b, UUID_LEN);
}

/*
 * Many ids: each well formed, all distinct, and every nibble outside the fixed ones takes
 * many values (a constant byte would show as one value).
 */
static void
test_v4_many(void **state)
{
	char	(*ids)[UUID_LEN] = xcalloc(MANY, sizeof(*ids));
	int	 seen[UUID_LEN][16], variants[4] = { 0 };
	size_t	 i, j, values;

	(void)state;
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < MANY; i++) {
		memset(ids[i], 'Z', UUID_LEN);
		uuid_v4(ids[i]);
		check_v4(ids[i]);
		for (j = 0; j < UUID_LEN - 1; j++)
			if (ids[i][j] != '-')
				seen[j][ids[i][j] <= '9' ? ids[i][j] - '0' : ids[i][j] - 'a' + 10]++;
		variants[(ids[i][19] <= '9' ? ids[i][19] - '0' : ids[i][19] - 'a' + 10) - 8]++;
	}
	for (j = 0; j < UUID_LEN - 1; j++) {
		if (j == 8 || j == 13 || j == 18 || j == 23 || j == 14 || j == 19)
			continue;
		for (i = values = 0; i < 16; i++)
			values += seen[j][i] > 0;
		if (values != 16)
			fail_msg("position %zu took only %zu values in %d ids", j, values, MANY);
	}
	for (i = 0; i < 4; i++)
		if (variants[i] == 0)
			fail_msg("variant nibble %zx never seen", i + 8);
	qsort(ids, MANY, sizeof(*ids), cmp_id);
	for (i = 1; i < MANY; i++)
		if (memcmp(ids[i - 1], ids[i], UUID_LEN) == 0)
			fail_msg("'%s' made twice", ids[i]);
	free(ids);
}

static const struct valid_case {
	const char	*s;
	int		 valid;
	const char	*canon;		/* when valid */
} valid_cases[] = {
	{ "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11", 1, "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11" },
	{ "9B2F0C8E-3A51-4C07-9D8E-2F6A1C0B7E11", 1, "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11" },
	{ "9b2F0c8E-3a51-4C07-9d8e-2f6A1c0B7e11", 1, "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11" },
	{ "00000000-0000-0000-0000-000000000000", 1, "00000000-0000-0000-0000-000000000000" },
	{ "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", 1, "ffffffff-ffff-ffff-ffff-ffffffffffff" },
	/* any version and variant: only the form is checked */
	{ "11111111-2222-1333-0444-555555555555", 1, "11111111-2222-1333-0444-555555555555" },
	{ "", 0, NULL },
	{ "9b2f0c8e", 0, NULL },
	{ "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e1", 0, NULL },		/* 35 */
	{ "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e111", 0, NULL },		/* 37 */
	{ "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11 ", 0, NULL },
	{ " 9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11", 0, NULL },
	{ "9b2f0c8e3a514c079d8e2f6a1c0b7e11", 0, NULL },		/* no dashes */
	{ "{9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11}", 0, NULL },
	{ "9b2f0c8-e3a51-4c07-9d8e-2f6a1c0b7e11", 0, NULL },		/* first dash early */
	{ "9b2f0c8e-3a5-14c07-9d8e-2f6a1c0b7e11", 0, NULL },
	{ "9b2f0c8e-3a51-4c0-79d8e-2f6a1c0b7e11", 0, NULL },
	{ "9b2f0c8e-3a51-4c07-9d8-e2f6a1c0b7e11", 0, NULL },
	{ "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e-1", 0, NULL },		/* a fifth dash */
	{ "9b2f0c8e_3a51_4c07_9d8e_2f6a1c0b7e11", 0, NULL },
	{ "9b2f0c8g-3a51-4c07-9d8e-2f6a1c0b7e11", 0, NULL },		/* g */
	{ "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e1z", 0, NULL },
	{ "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e1\xc3\xa9", 0, NULL },
	{ "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7\0e11", 0, NULL },		/* ends early */
	{ "+b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11", 0, NULL },
	{ "0x2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11", 0, NULL },
	{ "../../../etc/passwd", 0, NULL },
};

static void
test_valid(void **state)
{
	const struct valid_case	*c = *state;
	char			*s = xstrdup(c->s);	/* exactly its length: ASan sees overreads */
	char			 out[UUID_LEN];

	assert_int_equal(uuid_valid(s), c->valid);
	memset(out, 'Z', sizeof(out));
	if (c->valid) {
		assert_int_equal(uuid_canon(s, out), 0);
		assert_string_equal(out, c->canon);
	} else {
		assert_int_equal(uuid_canon(s, out), -1);
	}
	free(s);
}

/* uuid_canon may write over its own input. */
static void
test_canon_in_place(void **state)
{
	char	 s[UUID_LEN] = "ABCDEF01-2345-4789-ABCD-EF0123456789";

	(void)state;
	assert_int_equal(uuid_canon(s, s), 0);
	assert_string_equal(s, "abcdef01-2345-4789-abcd-ef0123456789");
}

int
main(void)
{
	struct suite	 s = { 0 };
	size_t		 i;

	suite_add(&s, test_v4_many, NULL, "uuid_v4: %d ids, well formed and distinct", MANY);
	for (i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++)
		suite_add(&s, test_valid, (void *)&valid_cases[i], "%s '%s'",
		    valid_cases[i].valid ? "accepts" : "refuses", valid_cases[i].s);
	suite_add(&s, test_canon_in_place, NULL, "uuid_canon in place");
	return suite_run(&s, "uuid");
}
