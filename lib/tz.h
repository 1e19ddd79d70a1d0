/*
 * autosched: IANA time zones read from the system's TZif files (tz.c), the time layer's
 * second header: which UTC offset applies at an instant, wall clock to instant and back.
 */
#ifndef TZ_H
#define TZ_H

#include "cal.h"


struct tz;

#define TZ_NAME_MAX	64

/* A span of time during which a zone's UTC offset is constant: [start, end). */
struct tz_span {
	int64_t		 start;		/* TZ_BEGIN when unbounded */
	int64_t		 end;		/* TZ_END when unbounded */
	int32_t		 off;		/* seconds east of UTC during the span */
	int32_t		 prev_off;	/* offset just before start (== off when unbounded) */
	int32_t		 next_off;	/* offset from end on (== off when unbounded) */
	const char	*abbr;		/* "CET" (borrowed from the zone) */
};
#define TZ_BEGIN	INT64_MIN
#define TZ_END		INT64_MAX

/*
 * Returns the zone called `name` (borrowed: zones are loaded once, cached, and live until
 * tz_cache_flush()), or NULL with *why set to a static message when `name` is not a zone of
 * the system's tzdata. Thread-safe.
 */
const struct tz	*tz_get(const char *name, const char **why);
const char	*tz_name(const struct tz *);
/* Fills *sp with the span containing the instant t. */
void		 tz_span(const struct tz *, int64_t t, struct tz_span *sp);
int32_t		 tz_offset(const struct tz *, int64_t t);
/*
 * Converts a wall-clock time to an instant: the first occurrence when the wall time occurs
 * twice; for a wall time skipped by a jump forward, the instant of the jump.
 */
int64_t		 tz_from_wall(const struct tz *, int64_t wall);
/* Forgets every cached zone (after a tzdata update); earlier results become invalid. */
void		 tz_cache_flush(void);

/* "2026-03-29T03:00:00+02:00": the local time of t in zone z, into buf[TZ_ISO_LEN]. */
#define TZ_ISO_LEN	26
void		 tz_iso(const struct tz *z, time_t t, char *buf);
/*
 * The zones people choose from (the system's zone1970.tab, or zone.tab, that tz_get
 * accepts), sorted, after "UTC": a borrowed array of *n names, read on the first call and
 * kept until tz_cache_flush().
 */
const char *const *tz_zones(size_t *n);

#endif /* TZ_H */
