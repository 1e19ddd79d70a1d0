/*
 * autosched: the base layer of lib/: allocation, strings, logging, UTF-8, UUIDs, the list of
 * validation failures, and the nudge to schedd. Nothing here knows about time, jobs or the
 * store; every other header of lib/ builds on this one (docs/DECISIONS.md, "Layers").
 *
 * Ownership follows jansson's words: a "new" result belongs to the caller, a "borrowed" one
 * stays owned by the callee, and a function that "steals" an argument takes it over.
 */
#ifndef BASE_H
#define BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define AUTOSCHED_VERSION	"0.1.0"

#if defined(__GNUC__)
#define APP_PRINTF(f, a)	__attribute__((format(printf, f, a)))
#define APP_NORETURN		__attribute__((noreturn))
#else
#define APP_PRINTF(f, a)
#define APP_NORETURN
#endif

/* util.c */

/*
 * Allocation that cannot fail: on exhaustion these log and abort(). Results are new. (The
 * x prefix is git's, for wrappers that cannot fail; the rest of util.c is util_.)
 */
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xrealloc(void *, size_t);
char		*xstrdup(const char *);
char		*xasprintf(const char *, ...) APP_PRINTF(1, 2);

/*
 * Parses the whole of `s` as a decimal integer in [min, max]: optional '-', ASCII digits
 * only, no spaces, no '+'. Returns 0 and sets *out, or -1 (nothing set).
 */
int		 util_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);
/* Fills buf with n cryptographically random bytes (getrandom); aborts if it cannot. */
void		 util_random_bytes(void *buf, size_t n);
/*
 * Whether the n bytes at a and b are equal, in time that does not depend on where they
 * differ (secrets: key hashes, CSRF tokens, password hashes).
 */
int		 util_ct_equal(const void *a, const void *b, size_t n);

/* buf.c */

/*
 * A growable string. Invariant: data is never NULL and always NUL-terminated, so
 * buf.data can be used as a C string at any time (BUF_INIT points it at a shared "").
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 alloc;
};
extern char buf_empty[];
#define BUF_INIT	{ buf_empty, 0, 0 }

void		 buf_init(struct buf *);
void		 buf_grow(struct buf *, size_t extra);
void		 buf_add(struct buf *, const void *, size_t);
void		 buf_addstr(struct buf *, const char *);
void		 buf_addch(struct buf *, int);
void		 buf_addf(struct buf *, const char *, ...) APP_PRINTF(2, 3);
void		 buf_vaddf(struct buf *, const char *, va_list) APP_PRINTF(2, 0);
void		 buf_reset(struct buf *);
/* Returns the string (new: caller frees) and leaves the buffer empty, as after buf_init. */
char		*buf_detach(struct buf *);
void		 buf_release(struct buf *);

/* log.c */

enum log_dest {
	LOGTO_STDERR,
	LOGTO_SYSLOG
};
void		 log_init(const char *progname, enum log_dest, int verbose);
/* log_warn appends strerror(errno); log_warnx does not. */
void		 log_warn(const char *, ...) APP_PRINTF(1, 2);
void		 log_warnx(const char *, ...) APP_PRINTF(1, 2);
void		 log_info(const char *, ...) APP_PRINTF(1, 2);
void		 log_debug(const char *, ...) APP_PRINTF(1, 2);

/* utf8.c */

/*
 * Decodes the character at s (n bytes available, n > 0): returns its length in bytes
 * (1 to 4) and sets *cp, or 0 when the bytes there are not valid UTF-8 (overlong forms,
 * surrogates, beyond U+10FFFF, or cut short). A NUL byte is a character of length 1.
 */
size_t		 utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Whether [s, s + len) is valid UTF-8 (no overlongs, surrogates or NUL). */
int		 utf8_valid(const char *s, size_t len);
/* The number of code points in a valid UTF-8 string. */
size_t		 utf8_chars(const char *s);
/* Whether the UTF-8 string holds a control character (C0, DEL or C1). */
int		 utf8_has_control(const char *s);
/*
 * Copies s into out[sz], cut at max characters (or what fits) on a character boundary,
 * with an ellipsis when cut.
 */
void		 utf8_truncate(char *out, size_t sz, const char *s, size_t max);
/*
 * The length of the longest prefix of s of at most max bytes that ends on a character
 * boundary: for "%.*s", so that a cut never splits a character.
 */
int		 utf8_prefix(const char *s, size_t max);
/*
 * Appends the n bytes at s to b as valid UTF-8: every byte that does not begin a valid
 * character (and every NUL) becomes U+FFFD. For text from outside on its way into JSON,
 * which must be valid UTF-8 or jansson refuses the whole document.
 */
void		 utf8_scrub(struct buf *b, const char *s, size_t n);

/* sha256.c */

#define SHA256_LEN	32
/* Writes the SHA-256 of the len bytes at data into out[SHA256_LEN]. */
void		 sha256(const void *data, size_t len, unsigned char *out);

/* uuid.c */

/* A UUID in text form, "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11", and its NUL. */
#define UUID_LEN	37
/* Writes a new random (version 4) UUID, lower case, into out[UUID_LEN]. */
void		 uuid_v4(char *out);
/* Whether s is a UUID in canonical text form (any case). */
int		 uuid_valid(const char *s);
/* Writes UUID s in lower case into out[UUID_LEN]. Returns 0, or -1 when s is no UUID. */
int		 uuid_canon(const char *s, char *out);

/* valid.c */

/*
 * One validation failure: the field's dotted path ("schedule_config.hour"), a message, and
 * its kind in pydantic's words ("value_error", "type_error.integer", "value_error.missing").
 */
struct verr {
	char		*field;
	char		*msg;
	const char	*type;		/* static */
};
/* A list of validation failures, so that every bad field is reported at once. */
struct verrs {
	struct verr	*v;
	size_t		 n;
	size_t		 alloc;
};
#define VERRS_INIT	{ NULL, 0, 0 }
/* Adds a failure of type "value_error". */
void		 verrs_add(struct verrs *, const char *field, const char *fmt, ...)
		    APP_PRINTF(3, 4);
/* Adds a failure of the given type (a static string). */
void		 verrs_addt(struct verrs *, const char *type, const char *field,
		    const char *fmt, ...) APP_PRINTF(4, 5);
void		 verrs_release(struct verrs *);

/* notify.c: both ends of the nudge that makes schedd look at the database now */

/*
 * Sends the nudge to the unix datagram socket at path (the [schedd] notify_socket). Never
 * blocks; does nothing when nobody listens there.
 */
void		 notify_send(const char *path);
/*
 * Binds the socket at path (replacing one an earlier schedd left) for notify_send's
 * datagrams, writable by every user (the web tier may run as another). Returns a
 * non-blocking fd, or -1 (logged when the path is usable but binding fails).
 */
int		 notify_listen(const char *path);

#endif /* BASE_H */
