/*
 * autosched fuzz target: a schedule_config document as the API receives it. The first byte
 * picks the schedule type, the rest is JSON. Whatever sched_parse accepts must describe
 * itself and either never fire (manual) or fire strictly later each time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sched.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sched	 s;
	struct verrs	 e = VERRS_INIT;
	struct buf	 b = BUF_INIT;
	struct fire	 f;
	json_t		*cfg;
	time_t		 t = 1774699200;
	int		 n, rc;

	if (size < 1)
		return 0;
	cfg = json_loadb((const char *)data + 1, size - 1, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
	    NULL);
	if (cfg == NULL)
		return 0;
	rc = sched_parse(&s, (enum sched_type)(data[0] % SCHED__MAX), cfg, "schedule_config", &e);
	if ((rc == 0) != (e.n == 0))
		abort();	/* failure always says why; success never has errors */
	if (rc == 0) {
		sched_describe(&s, &b);
		if (b.len == 0)
			abort();
		for (n = 0; n < 3; n++) {
			if (sched_next(&s, tz_get("Europe/Paris", NULL), 1774690000, t, &f) == -1) {
				/*
				 * Only manual schedules never fire, and cron schedules that
				 * are not fixed-time whose every time DST skips in Paris.
				 */
				if (s.type != SCHED_MANUAL && (s.type != SCHED_CRON ||
				    cron_fixed(&s.cron)))
					abort();
				break;
			}
			if (f.at <= t)
				abort();
			t = f.at;
		}
		sched_release(&s);
	}
	buf_release(&b);
	verrs_release(&e);
	json_decref(cfg);
	return 0;
}
