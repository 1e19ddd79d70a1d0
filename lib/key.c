/*
 * autosched: API keys. A key is 256 random bits written as "as_" + base64url; the database
 * keeps only its SHA-256, so a stolen database copy holds no usable key. A fast hash is
 * right here (unlike for passwords): the keys are random, so there is nothing to guess.
 * This is the only file that uses OpenSSL.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "base.h"
#include "auth.h"

/* A key is "as_" and a token: the buffers must agree (fails to compile otherwise). */
typedef char key_fits_token[KEY_TEXT_LEN == 3 + AUTH_TOKEN_LEN ? 1 : -1];

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
	static EVP_MD	*sha256;
	unsigned int	 n = KEY_HASH_LEN;

	/* Fetch the algorithm once: OpenSSL 3 looks it up anew on every implicit use. */
	if (sha256 == NULL && (sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL) {
		log_warnx("%s: SHA-256 is not available", __func__);
		abort();
	}
	if (EVP_Digest(key, len, out, &n, sha256, NULL) != 1 || n != KEY_HASH_LEN) {
		log_warnx("%s: SHA-256 failed", __func__);
		abort();
	}
}
