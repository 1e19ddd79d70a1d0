/*
 * autosched: allocation that cannot fail, and strict integer parsing.
 *
 * Out of memory is not recovered from: per-call recovery in C is rarely tested and so rarely
 * right, and the service manager restarts us. These wrappers log once and abort.
 */
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"

static void APP_NORETURN
oom(size_t n)
{
	log_warnx("out of memory allocating %zu bytes", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n ? n : 1)) == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p;

	if ((p = calloc(n ? n : 1, sz ? sz : 1)) == NULL)
		oom(n * sz);
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void	*p;

	if ((p = realloc(old, n ? n : 1)) == NULL)
		oom(n);
	return p;
}

char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		oom(strlen(s) + 1);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

int
parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int		 neg = 0;
	uint64_t	 v = 0, lim;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (*s < '0' || *s > '9')
		return -1;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (lim - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (*s != '\0')
		return -1;
	if (neg) {
		int64_t r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
		if (r < min || r > max)
			return -1;
		*out = r;
	} else {
		if ((int64_t)v < min || (int64_t)v > max)
			return -1;
		*out = (int64_t)v;
	}
	return 0;
}

void
random_bytes(void *buf, size_t n)
{
	unsigned char	*p = buf;
	ssize_t		 r;

	while (n > 0) {
		r = getrandom(p, n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			log_warn("%s: getrandom", __func__);
			abort();
		}
		p += r;
		n -= (size_t)r;
	}
}

/* Random bytes fetched 4 KiB at a time: schedd makes 100,000 runs in a burst. */
static unsigned char	 uuid_pool[4096];
static size_t		 uuid_left;

static void
uuid_forget(void)
{
	uuid_left = 0;
}

void
uuid_v4(char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
	static int		 registered;
	unsigned char		 b[16];
	int			 i, o = 0;

	pthread_mutex_lock(&lock);
	if (!registered) {
		/* a forked child must not hand out its parent's next ids */
		pthread_atfork(NULL, NULL, uuid_forget);
		registered = 1;
	}
	if (uuid_left < sizeof(b)) {
		random_bytes(uuid_pool, sizeof(uuid_pool));
		uuid_left = sizeof(uuid_pool);
	}
	memcpy(b, uuid_pool + sizeof(uuid_pool) - uuid_left, sizeof(b));
	memset(uuid_pool + sizeof(uuid_pool) - uuid_left, 0, sizeof(b));
	uuid_left -= sizeof(b);
	pthread_mutex_unlock(&lock);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);	/* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

int
uuid_canon(const char *s, char *out)
{
	size_t	 i;

	if (!uuid_valid(s))
		return -1;
	for (i = 0; i < UUID_LEN; i++)
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'F' ? s[i] + 32 : s[i]);
	return 0;
}

int
uuid_valid(const char *s)
{
	int	 i;

	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return s[36] == '\0';
}

int
utf8_valid(const char *str, size_t len)
{
	const unsigned char	*s = (const unsigned char *)str, *end = s + len;
	uint32_t		 cp;
	int			 n, i;

	while (s < end) {
		if (*s == 0)
			return 0;
		if (*s < 0x80) {
			s++;
			continue;
		}
		if (*s >= 0xc2 && *s <= 0xdf) {
			n = 1;
			cp = *s & 0x1f;
		} else if (*s >= 0xe0 && *s <= 0xef) {
			n = 2;
			cp = *s & 0x0f;
		} else if (*s >= 0xf0 && *s <= 0xf4) {
			n = 3;
			cp = *s & 0x07;
		} else
			return 0;
		if (end - s <= n)
			return 0;
		for (i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		s += n + 1;
	}
	return 1;
}

size_t
utf8_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

void
utf8_truncate(char *out, size_t sz, const char *s, size_t max)
{
	size_t	 i, n = 0, cut = 0;

	if (sz == 0)
		return;
	if (utf8_chars(s) <= max && strlen(s) < sz) {
		snprintf(out, sz, "%s", s);
		return;
	}
	/* the last character boundary with at most max characters before it, and room for
	 * the ellipsis and the NUL after it */
	for (i = 0; s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (n > max || i + 4 > sz)
				break;
			cut = i;
			n++;
		}
	if (cut + 4 > sz) {
		out[0] = '\0';
		return;
	}
	snprintf(out, sz, "%.*s\xe2\x80\xa6", (int)cut, s);
}

int
utf8_has_control(const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;

	for (; *s; s++) {
		if (*s < 0x20 || *s == 0x7f)
			return 1;
		/* C1: U+0080..U+009F is 0xC2 0x80..0x9F */
		if (*s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
			return 1;
	}
	return 0;
}

void
notify_schedd(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	if (path == NULL || strlen(path) >= sizeof(sun.sun_path))
		return;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1)
		return;
	/* One byte: "look now". A full or absent socket only means schedd looks later. */
	(void)sendto(fd, "!", 1, MSG_DONTWAIT, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
}
