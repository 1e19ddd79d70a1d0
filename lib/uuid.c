/*
 * autosched: UUIDs in their text form. Run and job ids are random (version 4) UUIDs; ids
 * from outside are checked and written in lower case before they reach the store.
 */
#include <ctype.h>
#include <pthread.h>
#include <string.h>

#include "base.h"

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
		util_random_bytes(uuid_pool, sizeof(uuid_pool));
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
