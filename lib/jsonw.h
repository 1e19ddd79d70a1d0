/*
 * autosched: the JSON writer of the listing hot path (jsonw.c): appends JSON text to a
 * struct buf, for the store's job and run documents. Everything else builds JSON with
 * jansson.
 */
#ifndef JSONW_H
#define JSONW_H

#include "base.h"
#include "cal.h"

/* Appends s as a JSON string (NULL: null); invalid UTF-8 becomes U+FFFD. */
void		 jsonw_str(struct buf *, const char *s);
/* Appends ,"key": (or "key": for the first member); key is ours, not escaped. */
void		 jsonw_key(struct buf *, const char *key, int first);
void		 jsonw_int(struct buf *, int64_t);
/* Appends an instant as "2026-11-28T14:00:00Z" (TIME_NONE: null). */
void		 jsonw_time(struct buf *, int64_t);
/* Whether text is one complete JSON value (checked with jansson). */
int		 jsonw_valid(const char *text);

#endif /* JSONW_H */
