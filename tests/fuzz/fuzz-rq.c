/*
 * autosched fuzz target: what schedd reads back from Redis, which anything able to write
 * to Redis controls: pickles (rq_unpickle), base64 and zlib. Whatever the bytes, the
 * readers must not crash; what rq_unpickle returns must be JSON that jansson writes, within
 * the budget of queue.h (RQ_MAX_DEPTH levels, RQ_MAX_VALUES values, RQ_MAX_TEXT bytes of
 * text); and when it returns NULL it must say why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Adds v's values and text to *values and *text. Returns the containers nested in v. */
static size_t
measure(const json_t *v, size_t level, size_t *values, size_t *text)
{
	const char	*key;
	json_t		*item;
	size_t		 i, d, deepest = 0;

	if (level > RQ_MAX_DEPTH)
		abort();		/* deeper than the budget: stop before the stack does */
	++*values;
	if (json_is_string(v))
		*text += json_string_length(v);
	if (json_is_array(v))
		json_array_foreach(v, i, item)
			if ((d = measure(item, level + 1, values, text)) > deepest)
				deepest = d;
	if (json_is_object(v))
		json_object_foreach((json_t *)v, key, item) {
			*text += strlen(key);
			if ((d = measure(item, level + 1, values, text)) > deepest)
				deepest = d;
		}
	return json_is_array(v) || json_is_object(v) ? deepest + 1 : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 b = BUF_INIT;
	json_t		*v;
	const char	*why = "unset";
	size_t		 values = 0, text = 0;
	char		*s;

	if ((v = rq_unpickle(data, size, &why)) != NULL) {
		if (why != NULL)
			abort();
		if (measure(v, 0, &values, &text) > RQ_MAX_DEPTH || values > RQ_MAX_VALUES ||
		    text > RQ_MAX_TEXT || rq_check_depth(v, &why) == -1)
			abort();
		if ((s = json_dumps(v, JSON_ENCODE_ANY)) == NULL)
			abort();
		free(s);
		json_decref(v);
	} else if (why == NULL || strncmp(why, "the return value ", 17) != 0)
		abort();
	rq_base64_decode((const char *)data, size, &b);
	rq_inflate(data, size, &b);
	buf_release(&b);
	return 0;
}
