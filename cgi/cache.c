/*
 * autosched: a few answers kept by a FastCGI process, each under a key (what was asked:
 * the route and its query, for the dashboard also who asks) and the jobs' generation it was
 * made at (db_generation). An answer is served again only while the generation has not
 * moved, so it is always what the database would give: any change to any job, through
 * any door or by schedd, moves the generation on. The least recently used answer goes
 * first; CACHE_ENTRIES answers and CACHE_MAX_BYTES of bodies at most.
 */
#include <stdlib.h>
#include <string.h>

#include "cgi.h"

struct entry {
	char		*key;		/* NULL: free */
	int64_t		 gen;
	int		 status;
	const char	*content_type;	/* static strings only */
	struct buf	 headers, body;
	uint64_t	 used;
};

static struct entry	 cache[CACHE_ENTRIES];
static uint64_t		 ticks;
static size_t		 bytes;

static void
drop(struct entry *e)
{
	bytes -= e->body.len;
	free(e->key);
	buf_release(&e->headers);
	buf_release(&e->body);
	memset(e, 0, sizeof(*e));
}

static struct entry *
find(const char *key)
{
	int	 i;

	for (i = 0; i < CACHE_ENTRIES; i++)
		if (cache[i].key != NULL && strcmp(cache[i].key, key) == 0)
			return &cache[i];
	return NULL;
}

int
cache_get(struct req *r, const char *key, int64_t gen)
{
	struct entry	*e = find(key);

	if (e == NULL)
		return 0;
	if (e->gen != gen) {
		drop(e);
		return 0;
	}
	e->used = ++ticks;
	r->status = e->status;
	r->content_type = e->content_type;
	buf_add(&r->headers, e->headers.data, e->headers.len);
	buf_reset(&r->body);
	buf_add(&r->body, e->body.data, e->body.len);
	return 1;
}

void
cache_put(struct req *r, const char *key, int64_t gen, size_t from)
{
	struct entry	*e, *lru;
	int		 i;

	if (r->status != 200 || r->body.len > CACHE_MAX_BYTES / 4)
		return;
	if ((e = find(key)) != NULL)
		drop(e);
	/* a free entry and room for the body; else the least recently used goes */
	for (;;) {
		e = lru = NULL;
		for (i = 0; i < CACHE_ENTRIES; i++)
			if (cache[i].key == NULL) {
				if (e == NULL)
					e = &cache[i];
			} else if (lru == NULL || cache[i].used < lru->used)
				lru = &cache[i];
		if (e != NULL && bytes + r->body.len <= CACHE_MAX_BYTES)
			break;
		drop(lru);	/* there is one: no entry is free, or some hold bytes */
	}
	e->key = xstrdup(key);
	e->gen = gen;
	e->status = r->status;
	e->content_type = r->content_type;
	buf_init(&e->headers);
	buf_init(&e->body);
	buf_add(&e->headers, r->headers.data + from, r->headers.len - from);
	buf_add(&e->body, r->body.data, r->body.len);
	bytes += e->body.len;
	e->used = ++ticks;
}

void
cache_clear(void)
{
	int	 i;

	for (i = 0; i < CACHE_ENTRIES; i++)
		if (cache[i].key != NULL)
			drop(&cache[i]);
}
