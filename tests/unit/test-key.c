/*
 * autosched tests: lib/sha256.c, lib/key.c and lib/auth.c, the secrets: the SHA-256 of API
 * keys (FIPS 180-2 test vectors, and every padding edge), new keys and session tokens (their form, and that they differ),
 * util_ct_equal of lib/util.c, and dashboard passwords (a hash checks against its own
 * password only; what is not a crypt hash matches nothing). The sha512crypt vector is
 * Ulrich Drepper's, from the SHA-crypt specification.
 */
#include "testutil.h"
#include "auth.h"

#define B64URL	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

/* 128 'x': the padding edges are its first N bytes (digests from another SHA-256). */
#define X128	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

static const struct sha_case {
	const char	*name;
	const char	*in;
	size_t		 len;
	const char	*hex;
} sha_cases[] = {
	{ "the empty text", "", 0,
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "\"abc\" (FIPS 180-2 B.1)", "abc", 3,
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "448 bits (FIPS 180-2 B.2)", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  56, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "only len bytes: \"abc\" of \"abcdef\"", "abcdef", 3,
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },	{ "55 bytes (a padding edge)", X128, 55,
	  "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072" },
	{ "56 bytes (a padding edge)", X128, 56,
	  "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e" },
	{ "63 bytes (a padding edge)", X128, 63,
	  "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2" },
	{ "64 bytes (a padding edge)", X128, 64,
	  "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c" },
	{ "65 bytes (a padding edge)", X128, 65,
	  "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9" },
	{ "111 bytes (a padding edge)", X128, 111,
	  "5ba60613dba318e9ed9020301e5dc59c721c19d82862e4d03718708aa75d2bad" },
	{ "112 bytes (a padding edge)", X128, 112,
	  "87bf6e70ecc829aa717756ac6797b82de8b30fca1281ea1659df31949839fc6b" },
	{ "119 bytes (a padding edge)", X128, 119,
	  "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c" },
	{ "120 bytes (a padding edge)", X128, 120,
	  "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98" },
	{ "128 bytes (a padding edge)", X128, 128,
	  "24da1b81d0b16df6428eee73c69fcb2a93c76bc6df706f0c6670fe6bfe800464" },
};

static void
from_hex(const char *hex, unsigned char *out, size_t n)
{
	size_t		 i;
	unsigned int	 v;

	for (i = 0; i < n; i++) {
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			fail_msg("bad hex in the test table: '%s'", hex);
		out[i] = (unsigned char)v;
	}
}

static void
test_sha(void **state)
{
	const struct sha_case	*c = *state;
	unsigned char		 h[KEY_HASH_LEN], want[KEY_HASH_LEN];

	from_hex(c->hex, want, KEY_HASH_LEN);
	memset(h, 0, sizeof(h));
	key_hash(c->in, c->len, h);
	assert_memory_equal(h, want, KEY_HASH_LEN);
}

/* FIPS 180-2 B.3: a million 'a'. */
static void
test_sha_million(void **state)
{
	char		*a = xmalloc(1000000);
	unsigned char	 h[KEY_HASH_LEN], want[KEY_HASH_LEN];

	(void)state;
	memset(a, 'a', 1000000);
	from_hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", want,
	    KEY_HASH_LEN);
	key_hash(a, 1000000, h);
	assert_memory_equal(h, want, KEY_HASH_LEN);
	free(a);
}

/* Moved from test-db.c, unchanged. */
static void
test_key_hash(void **state)
{
	unsigned char	 h[KEY_HASH_LEN];
	/* SHA-256("abc"), FIPS 180-2 appendix B.1 */
	static const unsigned char want[KEY_HASH_LEN] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae,
		0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61,
		0xf2, 0x00, 0x15, 0xad
	};

	(void)state;
	key_hash("abc", 3, h);
	assert_memory_equal(h, want, KEY_HASH_LEN);
	assert_true(util_ct_equal(h, want, KEY_HASH_LEN));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#define NKEYS	2000

/* Each of n strings is distinct from the others (they are sorted in place). */
static void
all_distinct(char **s, size_t n)
{
	size_t	 i;

	qsort(s, n, sizeof(*s), cmp_str);
	for (i = 1; i < n; i++)
		if (strcmp(s[i - 1], s[i]) == 0)
			fail_msg("'%s' made twice", s[i]);
}

static void
test_key_generate(void **state)
{
	char	*keys[NKEYS];
	int	 used[64];
	size_t	 i, j, kinds;

	(void)state;
	memset(used, 0, sizeof(used));
	for (i = 0; i < NKEYS; i++) {
		keys[i] = xmalloc(KEY_TEXT_LEN);
		memset(keys[i], 'Z', KEY_TEXT_LEN);
		key_generate(keys[i]);
		if (strlen(keys[i]) != KEY_TEXT_LEN - 1 || strlen(keys[i]) != 3 + 44)
			fail_msg("'%s' has %zu characters", keys[i], strlen(keys[i]));
		if (strncmp(keys[i], "as_", 3) != 0)
			fail_msg("'%s' does not start with as_", keys[i]);
		if (strspn(keys[i] + 3, B64URL) != 44)
			fail_msg("'%s' is not base64url after as_", keys[i]);
		for (j = 3; j < KEY_TEXT_LEN - 1; j++)
			used[strchr(B64URL, keys[i][j]) - B64URL]++;
	}
	/* 88,000 random characters use the whole alphabet */
	for (i = kinds = 0; i < 64; i++)
		kinds += used[i] > 0;
	assert_int_equal(kinds, 64);
	all_distinct(keys, NKEYS);
	for (i = 0; i < NKEYS; i++)
		free(keys[i]);
}

static void
test_token(void **state)
{
	char	*tok[NKEYS];
	size_t	 i;

	(void)state;
	for (i = 0; i < NKEYS; i++) {
		tok[i] = xmalloc(AUTH_TOKEN_LEN);
		memset(tok[i], 'Z', AUTH_TOKEN_LEN);
		auth_token(tok[i]);
		if (strlen(tok[i]) != AUTH_TOKEN_LEN - 1 || strlen(tok[i]) != 44)
			fail_msg("'%s' has %zu characters", tok[i], strlen(tok[i]));
		if (strspn(tok[i], B64URL) != 44)
			fail_msg("'%s' is not base64url", tok[i]);
	}
	all_distinct(tok, NKEYS);
	for (i = 0; i < NKEYS; i++)
		free(tok[i]);
}

static const struct ct_case {
	const char	*name;
	const char	*a, *b;
	size_t		 n;
	int		 equal;
} ct_cases[] = {
	{ "equal", "abcd", "abcd", 4, 1 },
	{ "differ at the first byte", "abcd", "xbcd", 4, 0 },
	{ "differ at the last byte", "abcd", "abcx", 4, 0 },
	{ "differ in one bit", "\x00", "\x80", 1, 0 },
	{ "differ only past n", "abcd", "abce", 3, 1 },
	{ "n = 0", "a", "b", 0, 1 },
	{ "not a string compare: after a NUL", "a\0x", "a\0y", 3, 0 },
	{ "equal with NULs", "a\0x", "a\0x", 3, 1 },
	{ "32 bytes, the last differs", "0123456789abcdef0123456789abcdef",
	  "0123456789abcdef0123456789abcdeF", 32, 0 },
	{ "32 bytes, equal", "0123456789abcdef0123456789abcdef",
	  "0123456789abcdef0123456789abcdef", 32, 1 },
};

static void
test_ct(void **state)
{
	const struct ct_case	*c = *state;
	char			*a, *b;

	/* copies of exactly n bytes: no reading past n */
	a = xmalloc(c->n);
	b = xmalloc(c->n);
	memcpy(a, c->a, c->n);
	memcpy(b, c->b, c->n);
	assert_int_equal(util_ct_equal(a, b, c->n), c->equal);
	assert_int_equal(util_ct_equal(b, a, c->n), c->equal);
	free(a);
	free(b);
}

static void
test_password(void **state)
{
	char	 h1[AUTH_HASH_MAX], h2[AUTH_HASH_MAX];

	(void)state;
	assert_int_equal(auth_password_hash("correct horse battery staple", h1, sizeof(h1)), 0);
	assert_int_equal(strncmp(h1, "$y$", 3), 0);
	assert_true(strlen(h1) < sizeof(h1));
	assert_true(auth_password_check("correct horse battery staple", h1));
	assert_false(auth_password_check("correct horse battery stapl", h1));
	assert_false(auth_password_check("Correct horse battery staple", h1));
	assert_false(auth_password_check("", h1));
	/* the same password again: another salt, another hash, both check */
	assert_int_equal(auth_password_hash("correct horse battery staple", h2, sizeof(h2)), 0);
	assert_string_not_equal(h1, h2);
	assert_true(auth_password_check("correct horse battery staple", h2));
	/* an empty password is a password like any other */
	assert_int_equal(auth_password_hash("", h2, sizeof(h2)), 0);
	assert_true(auth_password_check("", h2));
	assert_false(auth_password_check(" ", h2));
}

/* A buffer too small for the hash: -1, not a cut hash. */
static void
test_password_small(void **state)
{
	char	 h[16];

	(void)state;
	assert_int_equal(auth_password_hash("secret", h, sizeof(h)), -1);
}

static const struct check_case {
	const char	*name;
	const char	*password;
	const char	*hash;
	int		 ok;
} check_cases[] = {
	{ "sha512crypt vector, right password", "Hello world!", "$6$saltstring$svn8UoSVapNtMuq1"
	  "ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1", 1 },
	{ "sha512crypt vector, wrong password", "Hello world", "$6$saltstring$svn8UoSVapNtMuq1"
	  "ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1", 0 },
	{ "sha512crypt vector, one character changed", "Hello world!", "$6$saltstring$svn8Uo"
	  "SVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz2", 0 },
	{ "the password stored as it is", "hunter2", "hunter2", 0 },
	{ "an empty hash", "", "", 0 },
	{ "an empty hash, any password", "secret", "", 0 },
	{ "a locked account", "secret", "!", 0 },
	{ "a disabled account", "secret", "*", 0 },
	{ "crypt's failure token", "secret", "*0", 0 },
	{ "an unknown method", "secret", "$99$salt$abcdefghijklmnop", 0 },
	{ "a yescrypt prefix alone", "secret", "$y$", 0 },
	{ "a bare SHA-256 in hex", "abc",
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 0 },
};

static void
test_check(void **state)
{
	const struct check_case	*c = *state;

	assert_int_equal(auth_password_check(c->password, c->hash), c->ok);
}

int
main(void)
{
	struct suite	 s = { 0 };
	size_t		 i;

	log_init("test-key", LOGTO_STDERR, 0);
	for (i = 0; i < sizeof(sha_cases) / sizeof(sha_cases[0]); i++)
		suite_add(&s, test_sha, (void *)&sha_cases[i], "key_hash: SHA-256 of %s",
		    sha_cases[i].name);
	suite_add(&s, test_sha_million, NULL, "key_hash: SHA-256 of a million 'a' (B.3)");
	suite_add(&s, test_key_hash, NULL, "SHA-256 of a known text");
	suite_add(&s, test_key_generate, NULL, "key_generate: as_ and 44 base64url, %d distinct",
	    NKEYS);
	suite_add(&s, test_token, NULL, "auth_token: 44 base64url, %d distinct", NKEYS);
	for (i = 0; i < sizeof(ct_cases) / sizeof(ct_cases[0]); i++)
		suite_add(&s, test_ct, (void *)&ct_cases[i], "util_ct_equal: %s", ct_cases[i].name);
	suite_add(&s, test_password, NULL, "password: hash, then right and wrong passwords");
	suite_add(&s, test_password_small, NULL, "password: a buffer too small");
	for (i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]); i++)
		suite_add(&s, test_check, (void *)&check_cases[i], "password check: %s",
		    check_cases[i].name);
	return suite_run(&s, "key");
}
