/*
 * autosched: who may do what, the model layer's secrets: API keys (key.c), kept as SHA-256
 * hashes, and dashboard passwords (yescrypt) and session tokens (auth.c).
 */
#ifndef AUTH_H
#define AUTH_H

#include <stddef.h>

#define AUTH_HASH_MAX	256
#define AUTH_TOKEN_LEN	45	/* 44 base64url characters (264 random bits) and the NUL */
/* The longest name of a user or an API key, with its NUL. */
#define AUTH_NAME_LEN	256
/* Names people and keys may have: at most AUTH_NAME_MAX of these characters. */
#define AUTH_NAME_MAX	64
#define AUTH_NAME_CHARS	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.@-"

/* key.c */

#define KEY_HASH_LEN	32
#define KEY_TEXT_LEN	48	/* "as_" + 44 base64url characters, and the NUL */

/* Writes a new random API key (264 bits) into out[KEY_TEXT_LEN]. */
void		 key_generate(char *out);
/* The SHA-256 of a key, into out[KEY_HASH_LEN]. */
void		 key_hash(const char *key, size_t len, unsigned char *out);

/* auth.c */

/* Whether name is a user's or a key's name: 1 to AUTH_NAME_MAX of AUTH_NAME_CHARS. */
int		 auth_name_valid(const char *name);

/* Hashes a password with yescrypt into out[outsz]. Returns 0, or -1 (logged). */
int		 auth_password_hash(const char *password, char *out, size_t outsz);
/* Whether password matches the stored crypt(3) hash (compared in constant time). */
int		 auth_password_check(const char *password, const char *hash);
/* Writes a new random token into out[AUTH_TOKEN_LEN]. */
void		 auth_token(char *out);

#endif /* AUTH_H */
