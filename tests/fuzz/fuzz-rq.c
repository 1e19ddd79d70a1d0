/*
 * autosched fuzz target: what schedd reads back from Redis, which anything able to write
 * to Redis controls: pickles (rq_unpickle), base64 and zlib. Whatever the bytes, the
 * readers must not crash, and what rq_unpickle returns must be JSON that jansson writes.
 */
#include <stdint.h>
#include <stdlib.h>

#include "queue.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 b = BUF_INIT;
	json_t		*v;
	char		*s;

	if ((v = rq_unpickle(data, size)) != NULL) {
		if ((s = json_dumps(v, JSON_ENCODE_ANY)) == NULL)
			abort();
		free(s);
		json_decref(v);
	}
	rq_base64_decode((const char *)data, size, &b);
	rq_inflate(data, size, &b);
	buf_release(&b);
	return 0;
}
