/*
 * autosched tests: what every cmocka suite shares. A suite is a table of rows; each row
 * becomes one named cmocka test, so the summary counts cases, not functions.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base.h"
#include "cal.h"
#include "tz.h"

/* A growable list of tests built from tables at run time. */
struct suite {
	struct CMUnitTest	*t;
	size_t			 n, alloc;
};

static inline void
suite_add(struct suite *s, CMUnitTestFunction fn, void *state, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	if (s->n == s->alloc) {
		s->alloc = s->alloc ? s->alloc * 2 : 64;
		s->t = xrealloc(s->t, s->alloc * sizeof(*s->t));
	}
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	memset(&s->t[s->n], 0, sizeof(s->t[s->n]));
	s->t[s->n].name = buf_detach(&b);
	s->t[s->n].test_func = fn;
	s->t[s->n].initial_state = state;
	s->n++;
}

static inline int
suite_run(struct suite *s, const char *name)
{
	int	 rc = _cmocka_run_group_tests(name, s->t, s->n, NULL, NULL);
	size_t	 i;

	for (i = 0; i < s->n; i++)
		free((char *)s->t[i].name);
	free(s->t);
	tz_cache_flush();
	return rc;
}

/* Parses an ISO 8601 instant with an explicit zone; fails the test otherwise. */
static inline time_t
iso(const char *s)
{
	struct cal_iso	 c;

	if (cal_parse_iso(s, &c) == -1 || !c.has_off)
		fail_msg("bad ISO 8601 instant in the test table: '%s'", s);
	return cal_join(&c.tm) - c.off;
}

#endif
