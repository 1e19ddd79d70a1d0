/*
 * autosched: passwords and session tokens for the dashboard.
 *
 * Passwords are hashed with crypt(3) from libxcrypt using yescrypt ("$y$"), the hash
 * Debian itself uses for /etc/shadow; checking one costs tens of milliseconds on purpose.
 * Session tokens are 256 random bits; the database keeps their SHA-256 (key_hash), like
 * API keys, so a copy of the database holds no usable session.
 */
#define _DEFAULT_SOURCE		/* explicit_bzero */
#include <stdlib.h>
#include <string.h>

#include <crypt.h>

#include "base.h"
#include "auth.h"

int
auth_name_valid(const char *name)
{
	size_t	 n = strlen(name);

	return n > 0 && n <= AUTH_NAME_MAX && strspn(name, AUTH_NAME_CHARS) == n;
}

int
auth_password_hash(const char *password, char *out, size_t outsz)
{
	struct crypt_data	*cd = xcalloc(1, sizeof(*cd));
	char			 salt[CRYPT_GENSALT_OUTPUT_SIZE], rnd[32];
	const char		*h;
	int			 rc = -1;

	util_random_bytes(rnd, sizeof(rnd));
	if (crypt_gensalt_rn("$y$", 0, rnd, sizeof(rnd), salt, sizeof(salt)) == NULL) {
		log_warn("%s: crypt_gensalt", __func__);
		goto out;
	}
	h = crypt_r(password, salt, cd);
	if (h == NULL || h[0] != '$' || strlen(h) >= outsz) {
		log_warnx("%s: crypt failed", __func__);
		goto out;
	}
	memcpy(out, h, strlen(h) + 1);
	rc = 0;
out:
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return rc;
}

int
auth_password_check(const char *password, const char *hash)
{
	struct crypt_data	*cd = xcalloc(1, sizeof(*cd));
	const char		*h = crypt_r(password, hash, cd);
	size_t			 n = strlen(hash);
	int			 ok;

	/* crypt returns "*0"-like failure tokens that never equal a stored hash */
	ok = h != NULL && strlen(h) == n && util_ct_equal(h, hash, n);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ok;
}

void
auth_token(char *out)
{
	static const char	 b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char		 raw[33];
	uint32_t		 v;
	size_t			 i, o = 0;

	util_random_bytes(raw, sizeof(raw));
	for (i = 0; i < sizeof(raw); i += 3) {
		v = (uint32_t)raw[i] << 16 | (uint32_t)raw[i + 1] << 8 | raw[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
		out[o++] = b64[v & 63];
	}
	out[o] = '\0';
}
