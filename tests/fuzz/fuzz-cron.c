/*
 * autosched fuzz target: cron_parse, then (for what parses) the description and the next
 * fire times in zones with gaps, folds and 30-minute shifts. Checks the invariants every
 * caller relies on: instants strictly increase and lie after the start.
 *
 *   make fuzz    (libFuzzer, clang)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cron.h"

#define FUZZ_MAX_EXPR	512

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const zones[] = { "UTC", "Europe/Paris", "Australia/Lord_Howe" };
	/* a spring-forward day, a fall-back day, and a day past the table (POSIX rule) */
	static const time_t starts[] = { 1774699200, 1792843200, 2216505600 };
	char		 expr[FUZZ_MAX_EXPR + 1], err[CRON_ERR_LEN];
	struct cron	 c;
	struct fire	 f;
	struct buf	 b = BUF_INIT;
	time_t		 t;
	size_t		 i, k;
	int		 n;

	if (size > FUZZ_MAX_EXPR)
		return 0;
	memcpy(expr, data, size);
	expr[size] = '\0';
	switch (cron_parse(&c, expr, err)) {
	case CRON_INVALID:
	case CRON_NEVER:
		if (strchr(err, ':') == NULL)
			abort();	/* every message names its field */
		return 0;
	case CRON_OK:
		break;
	}
	cron_describe(&c, &b);
	if (b.len == 0)
		abort();
	buf_release(&b);
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		for (k = 0; k < sizeof(starts) / sizeof(starts[0]); k++)
			for (n = 0, t = starts[k]; n < 4; n++) {
				/*
				 * Without DST a valid expression always fires again;
				 * with it, a non-fixed one may name only gap times
				 * (every minute of 02:00 on Sunday 29 March, in Paris).
				 */
				if (cron_next(&c, tz_get(zones[i], NULL), t, &f) == -1) {
					if (i == 0 || cron_fixed(&c))
						abort();
					break;
				}
				if (f.at <= t)
					abort();
				t = f.at;
			}
	return 0;
}
