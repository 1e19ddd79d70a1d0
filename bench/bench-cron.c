/*
 * autosched benchmark: nanoseconds per next-fire computation (cron_next), for the
 * expressions of the foundation issue, in UTC and Europe/Paris; and what a per-job zone costs
 * with our TZif reader against switching glibc's process-wide zone (setenv TZ + tzset).
 *
 * Each measurement asks for the next fire time after many different starts (a prime stride
 * over ten years), so neither the answer nor the span lookup can be cached by accident.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cron.h"

#define T0	1795874400	/* 2026-11-28T14:00:00Z */
#define T2045	2366841600	/* 2045-01-01T00:00:00Z */
#define STRIDE	7919		/* seconds; prime */
#define SPAN	(10LL * 365 * 86400)

static double
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static volatile int64_t sink;

static double
bench_next(const char *expr, const char *zone, int64_t start, long n)
{
	const struct tz	*z = tz_get(zone, NULL);
	struct cron	 c;
	struct fire	 f;
	char		 err[CRON_ERR_LEN];
	double		 t0, best = 1e30;
	long		 i;
	int		 round;

	if (z == NULL || cron_parse(&c, expr, err) != CRON_OK) {
		fprintf(stderr, "bench: cannot set up '%s' in %s\n", expr, zone);
		exit(1);
	}
	/* best of 5 rounds: the machine is shared */
	for (round = 0; round < 5; round++) {
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			if (cron_next(&c, z, start + (int64_t)i * STRIDE % SPAN, &f) == -1)
				exit(1);
			sink += f.at;
		}
		if ((now_ns() - t0) / n < best)
			best = (now_ns() - t0) / n;
	}
	return best;
}

/* Offsets for jobs spread over several zones: our reader. */
static double
bench_tz_ours(const char *const *zones, int nz, long n)
{
	double	 t0 = now_ns();
	long	 i;

	for (i = 0; i < n; i++)
		sink += tz_offset(tz_get(zones[i % nz], NULL), T0 + i * STRIDE % SPAN);
	return (now_ns() - t0) / n;
}

/* The same with glibc: switch the process zone for each job. */
static double
bench_tz_glibc(const char *const *zones, int nz, long n)
{
	char		 env[128];
	struct tm	 tm;
	time_t		 t;
	double		 t0 = now_ns();
	long		 i;

	for (i = 0; i < n; i++) {
		snprintf(env, sizeof(env), ":%s", zones[i % nz]);
		setenv("TZ", env, 1);
		tzset();
		t = T0 + i * STRIDE % SPAN;
		localtime_r(&t, &tm);
		sink += tm.tm_gmtoff;
	}
	return (now_ns() - t0) / n;
}

int
main(int argc, char **argv)
{
	static const char *const exprs[] = {
		"0 8 * * 1-5", "*/5 * * * *", "0 0 29 2 *", "0 9 13 * 5"
	};
	static const char *const zones[] = { "UTC", "Europe/Paris" };
	static const char *const mix[] = {
		"Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"
	};
	long		 n = argc > 1 ? atol(argv[1]) : 200000;
	size_t		 i, j;

	printf("%-14s %-14s %12s\n", "expression", "zone", "ns/next");
	for (i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++)
		for (j = 0; j < sizeof(zones) / sizeof(zones[0]); j++)
			printf("%-14s %-14s %12.0f\n", exprs[i], zones[j],
			    bench_next(exprs[i], zones[j], T0, n));
	printf("\nPast the zone file's table (2045-2055, from its POSIX TZ rule):\n");
	for (i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++)
		printf("%-14s %-14s %12.0f\n", exprs[i], "Europe/Paris",
		    bench_next(exprs[i], "Europe/Paris", T2045, n));
	printf("\nUTC offset of a job in its own zone (4 zones in turn):\n");
	printf("  %-40s %8.0f ns\n", "TZif reader (tz_get + tz_offset)", bench_tz_ours(mix, 4, n));
	printf("  %-40s %8.0f ns\n", "glibc (setenv TZ + tzset + localtime_r)",
	    bench_tz_glibc(mix, 4, n / 20));
	return 0;
}
