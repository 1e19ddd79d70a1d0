/*
 * autosched: `autosched next`: when a cron expression fires, in words and as instants with
 * what daylight saving time does to them, and its batch mode for other programs (one line
 * in, one line out: docs/CLI.md has the protocol).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define NEXT_MAX_COUNT	1000
#define BATCH_FIRES	5
#define BATCH_LINE_MAX	4096

static void
describe_dst(const struct fire *f, struct buf *b)
{
	struct cal_tm	 w;

	cal_split(f->wall, &w);
	if (f->flags & FIRE_MOVED)
		buf_addf(b, "   DST: %02d:%02d is skipped that day; runs at the jump", w.hour,
		    w.min);
	else if (f->flags & FIRE_FIRST)
		buf_addf(b, "   DST: %02d:%02d occurs twice that day; runs at the first only",
		    w.hour, w.min);
	else if (f->flags & FIRE_REPEAT)
		buf_addf(b, "   DST: the second %02d:%02d (clocks went back)", w.hour, w.min);
}

/* Reads a --from value: an ISO 8601 instant, or a wall-clock time in zone z. */
static int
parse_from(const char *s, const struct tz *z, time_t *out)
{
	struct cal_iso	 iso;

	if (cal_parse_iso(s, &iso) == -1)
		return -1;
	if (iso.has_off)
		*out = cal_join(&iso.tm) - iso.off;
	else
		*out = tz_from_wall(z, cal_join(&iso.tm));
	return 0;
}

/* Batch mode: one line in, one line out (docs/CLI.md). */

struct reader {
	char	 buf[65536];
	size_t	 pos, len;
	int	 eof;
};

/*
 * Reads the next line into line[BATCH_LINE_MAX + 1] without its newline. Returns its length,
 * BATCH_LINE_MAX + 1 for a line too long (the rest is skipped), or -1 at the end. Output is
 * flushed before every read that may block, so a program can also talk to us line by line.
 */
static long
read_line(struct reader *r, char *line)
{
	size_t	 n = 0;
	ssize_t	 got;
	int	 any = 0;
	char	 c;

	for (;;) {
		if (r->pos == r->len) {
			if (r->eof)
				return any ? (long)(n > BATCH_LINE_MAX ? BATCH_LINE_MAX + 1 : n) : -1;
			fflush(stdout);
			do
				got = read(STDIN_FILENO, r->buf, sizeof(r->buf));
			while (got == -1 && errno == EINTR);
			if (got <= 0) {
				r->eof = 1;
				continue;
			}
			r->pos = 0;
			r->len = (size_t)got;
		}
		c = r->buf[r->pos++];
		any = 1;
		if (c == '\n')
			break;
		if (n < BATCH_LINE_MAX)
			line[n] = c;
		n++;
	}
	if (n > BATCH_LINE_MAX)
		return BATCH_LINE_MAX + 1;
	if (n > 0 && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	return (long)n;
}

/* Answers one batch line into out (without the newline). */
static void
batch_line(char *line, long len, struct buf *out)
{
	char		*f[3], *p, err[CRON_ERR_LEN];
	const char	*why;
	const struct tz	*z;
	struct cron	 c;
	struct fire	 fire;
	enum cron_res	 res;
	int64_t		 start;
	time_t		 t;
	int		 n, i;

	if (len > BATCH_LINE_MAX) {
		buf_addf(out, "ERR line longer than %d bytes", BATCH_LINE_MAX);
		return;
	}
	if ((long)strlen(line) != len) {
		buf_addstr(out, "ERR line contains a NUL byte");
		return;
	}
	for (n = 0, p = line; n < 3; n++) {
		f[n] = p;
		if ((p = strchr(p, '\t')) == NULL)
			break;
		*p++ = '\0';
	}
	if (n != 2) {
		buf_addstr(out, "ERR expected 3 tab-separated fields: expression, zone, start");
		return;
	}
	res = cron_parse(&c, f[0], err);
	if (res == CRON_INVALID) {
		buf_addf(out, "ERR %s", err);
		return;
	}
	if ((z = tz_get(f[1], &why)) == NULL) {
		buf_addf(out, "ERR timezone: '%.*s' %s", utf8_prefix(f[1], TZ_NAME_MAX), f[1],
		    why);
		return;
	}
	if (util_parse_int64(f[2], CAL_MIN_TIME, CAL_MAX_TIME, &start) == -1) {
		buf_addstr(out, "ERR start: must be Unix seconds in the years 1 to 9999");
		return;
	}
	if (res == CRON_NEVER) {
		buf_addstr(out, "NEVER");
		return;
	}
	for (i = 0, t = start; i < BATCH_FIRES; i++) {
		if (cron_next(&c, z, t, &fire) == -1)
			break;
		buf_addf(out, "%s%lld", i ? " " : "", (long long)fire.at);
		t = fire.at;
	}
	/* No instant at all: DST skips every one in this zone, or the calendar ends. */
	if (i == 0)
		buf_addstr(out, "NEVER");
}

static int
next_batch(void)
{
	static struct reader	 r;
	static char		 line[BATCH_LINE_MAX + 1];
	struct buf		 out = BUF_INIT;
	long			 len;

	while ((len = read_line(&r, line)) != -1) {
		buf_reset(&out);
		batch_line(line, len, &out);
		buf_addch(&out, '\n');
		fwrite(out.data, 1, out.len, stdout);
	}
	buf_release(&out);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "autosched: cannot write the answers: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

int
cmd_next(int argc, char **argv)
{
	const char	*expr = NULL, *zone = NULL, *from = NULL, *count_s = NULL, *v, *why;
	const char	*jitter_s = NULL, *msg;
	const struct tz	*z;
	struct plan	 p;
	struct planned	 pl;
	struct fire	 fire;
	struct verrs	 e = VERRS_INIT;
	struct buf	 b = BUF_INIT, wins = BUF_INIT;
	char		 iso[CAL_ISO_LEN];
	int64_t		 count = 5, jitter = 0;
	json_t		*cfg, *win = NULL, *jit;
	time_t		 t;
	int		 i, bad = 0, batch = 0, rc = 0;

	for (i = 1; i < argc && !bad; i++) {
		if ((v = cli_optval(argc, argv, &i, "--tz", &bad)) != NULL)
			zone = v;
		else if ((v = cli_optval(argc, argv, &i, "--count", &bad)) != NULL)
			count_s = v;
		else if ((v = cli_optval(argc, argv, &i, "--from", &bad)) != NULL)
			from = v;
		else if ((v = cli_optval(argc, argv, &i, "--window", &bad)) != NULL)
			buf_addf(&wins, "%s%s", wins.len ? ";" : "", v);
		else if ((v = cli_optval(argc, argv, &i, "--jitter", &bad)) != NULL)
			jitter_s = v;
		else if (bad)
			break;
		else if (strcmp(argv[i], "--stdin") == 0)
			batch = 1;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--") == 0 && i + 1 < argc && expr == NULL)
			expr = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] == '-') {
			fprintf(stderr, "autosched: unknown option '%s'\n", argv[i]);
			bad = 1;
		} else if (expr == NULL)
			expr = argv[i];
		else {
			fprintf(stderr, "autosched: one expression only (quote it: '0 8 * * 1-5')\n");
			bad = 1;
		}
	}
	if (!bad && batch && (expr || from || count_s || zone || wins.len || jitter_s)) {
		fprintf(stderr, "autosched: --stdin takes no other arguments\n");
		bad = 1;
	}
	if (!bad && !batch && expr == NULL) {
		fprintf(stderr, "autosched: a cron expression is needed\n");
		bad = 1;
	}
	if (bad) {
		cli_usage(stderr);
		buf_release(&wins);
		return 2;
	}
	if (batch)
		return next_batch();
	rc = 2;

	if (count_s && util_parse_int64(count_s, 1, NEXT_MAX_COUNT, &count) == -1) {
		fprintf(stderr, "autosched: --count must be a number from 1 to %d\n",
		    NEXT_MAX_COUNT);
		goto out;
	}
	if (jitter_s && util_parse_int64(jitter_s, 0, PLAN_MAX_JITTER, &jitter) == -1) {
		fprintf(stderr, "autosched: --jitter must be seconds from 0 to %d\n",
		    PLAN_MAX_JITTER);
		goto out;
	}
	if (wins.len && (win = windows_from_text(wins.data, &msg)) == NULL) {
		fprintf(stderr, "autosched: --window: %s\n", msg);
		goto out;
	}
	if (zone == NULL)
		zone = "UTC";
	if ((z = tz_get(zone, &why)) == NULL) {
		fprintf(stderr, "autosched: timezone: '%s' %s\n", zone, why);
		goto out;
	}
	t = time(NULL);
	if (from && parse_from(from, z, &t) == -1) {
		fprintf(stderr, "autosched: --from: '%s' is not a date-time such as "
		    "2026-03-29T01:30:00Z, 2026-03-29T02:30+02:00 or 2026-03-29 (local)\n", from);
		goto out;
	}
	if (t < CAL_MIN_TIME || t > CAL_MAX_TIME) {
		fprintf(stderr, "autosched: --from: must be in the years 1 to 9999\n");
		goto out;
	}
	/* the plan a job with this schedule, windows and jitter has */
	cfg = json_pack("{s:s}", "cron_expression", expr);
	jit = json_integer(jitter);
	i = plan_parse(&p, SCHED_CRON, cfg, z, win, jit, t, &e);
	json_decref(cfg);
	json_decref(jit);
	if (i == -1) {
		/* a cron expression's own message says which field; the others name theirs */
		for (i = 0; (size_t)i < e.n; i++) {
			size_t k;
			char key[16];
			if (strcmp(e.v[i].field, "schedule_config.cron_expression") == 0)
				fprintf(stderr, "autosched: %s\n", e.v[i].msg);
			else if (sscanf(e.v[i].field, "active_windows[%zu].%15s", &k, key) == 2)
				fprintf(stderr, "autosched: --window %zu: %s %s\n", k + 1, key,
				    e.v[i].msg);
			else
				fprintf(stderr, "autosched: --window: %s\n", e.v[i].msg);
		}
		goto out;
	}
	rc = 0;
	plan_describe(&p, &b);
	printf("%s (%s)\n", b.data, tz_name(z));
	for (i = 0; i < count; i++) {
		if (plan_next(&p, t, 0, &pl) == -1) {
			printf(i ? "  (no more runs before the year 10000)\n" : p.nw ?
			    "  never fires within its windows in the coming year\n" :
			    "  never fires in this time zone (daylight saving time skips every "
			    "time it names)\n");
			break;
		}
		fire.at = pl.nominal;
		fire.flags = pl.flags;
		fire.wall = pl.wall;
		buf_reset(&b);
		buf_addstr(&b, "  ");
		cli_add_local(&b, z, fire.at);
		buf_addf(&b, "   %s", cal_iso(fire.at, iso));
		describe_dst(&fire, &b);
		if (pl.spread > 0) {
			buf_addstr(&b, "   jitter: up to ");
			cli_add_local(&b, z, pl.nominal + pl.spread);
		}
		printf("%s\n", b.data);
		t = pl.nominal;
	}
	if (fflush(stdout) == EOF)
		rc = 1;
out:
	buf_release(&b);
	buf_release(&wins);
	verrs_release(&e);
	json_decref(win);
	return rc;
}
