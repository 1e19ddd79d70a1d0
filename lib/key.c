/*
 * autosched: API keys. A key is 256 random bits written as "as_" + base64url; the database
 * keeps only its SHA-256, so a stolen database copy holds no usable key. A fast hash is
 * right here (unlike for passwords): the keys are random, so there is nothing to guess.
 */
#include <string.h>

#include "base.h"
#include "auth.h"

/* A key is "as_" and a token: the buffers must agree (fails to compile otherwise). */
typedef char key_fits_token[KEY_TEXT_LEN == 3 + AUTH_TOKEN_LEN ? 1 : -1];
typedef char key_hash_is_sha256[KEY_HASH_LEN == SHA256_LEN ? 1 : -1];

void
key_generate(char *out)
{
	/* "as_" and a token: 264 random bits as 44 base64url characters */
	memcpy(out, "as_", 3);
	auth_token(out + 3);
}

void
key_hash(const char *key, size_t len, unsigned char *out)
{
	sha256(key, len, out);
}
