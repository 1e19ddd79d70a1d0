/*
 * autosched: IANA time zones, read from the system's TZif files (RFC 8536).
 *
 * Why not glibc: it keeps one zone per process (TZ + tzset()), so evaluating jobs in their own
 * zones would mean switching TZ for every job, which re-reads the zone file, costs tens of
 * microseconds and is not thread-safe. This reader loads each zone once into an immutable
 * table of transitions (with the file's POSIX TZ footer for instants past the table, such as
 * after 2037 in "fat" files or after the last rule change in "slim" ones), caches it, and
 * answers "which UTC offset applies at t, from when to when" with a binary search.
 *
 * docs/SCHEDULES.md says which names are zones: a TZif file without leap seconds under
 * $TZDIR (default /usr/share/zoneinfo), named with letters, digits, '_', '-', '+' and '/'.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"
#include "tz.h"

#define TZ_FILE_MAX	(256 * 1024)	/* real TZif files are under 4 KiB */
#define TZ_ABBR_MAX	16
#define TZ_HASH		64

/* One date of a POSIX TZ rule: Jn, n or Mm.w.d, and the local time of day it takes effect. */
struct rdate {
	char		 kind;		/* 'J', 'N' or 'M' */
	int		 n;		/* J: 1-365, N: 0-365 */
	int		 m, w, d;	/* M: month 1-12, week 1-5 (5 = last), weekday 0-6 */
	int32_t		 secs;		/* local time, may be negative or past 24 h */
};

/* The footer rule that extends the table into the future. */
struct rule {
	int32_t		 std_off;	/* seconds east */
	int32_t		 dst_off;
	int		 has_dst;
	struct rdate	 start;		/* DST begins (local standard time) */
	struct rdate	 end;		/* DST ends (local daylight time) */
	char		 std_abbr[TZ_ABBR_MAX];
	char		 dst_abbr[TZ_ABBR_MAX];
};

struct tz {
	char		 name[TZ_NAME_MAX + 1];
	size_t		 n;		/* number of transitions */
	int64_t		*at;		/* transition instants, strictly increasing */
	int32_t		*off;		/* offset in effect from at[i] */
	const char	**abbr;		/* abbreviation in effect from at[i] */
	int32_t		 off0;		/* offset before at[0] (time type 0, RFC 8536 3.2) */
	const char	*abbr0;
	char		*chars;		/* the file's abbreviation strings, NUL-terminated */
	int		 has_rule;
	struct rule	 rule;
	struct tz	*next;		/* hash chain */
};

static pthread_mutex_t	 tz_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tz	*tz_cache[TZ_HASH];

/* The zones offered to people (tz_zones), read once; their own lock, as they call tz_get. */
static pthread_mutex_t	 zones_lock = PTHREAD_MUTEX_INITIALIZER;
static char		**zones;
static size_t		 nzones;

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* POSIX TZ strings (the TZif footer) */

static int
rule_num(const char **sp, int min, int max, int *out)
{
	const char	*s = *sp;
	int		 v = 0, nd = 0;

	while (*s >= '0' && *s <= '9' && nd < 4) {
		v = v * 10 + (*s++ - '0');
		nd++;
	}
	if (nd == 0 || v < min || v > max)
		return -1;
	*sp = s;
	*out = v;
	return 0;
}

/* [+-]hh[:mm[:ss]] with hh up to maxh; returns seconds (POSIX sign: positive is west). */
static int
rule_time(const char **sp, int maxh, int32_t *out)
{
	const char	*s = *sp;
	int		 sign = 1, h, m = 0, sec = 0;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if (rule_num(&s, 0, maxh, &h) == -1)
		return -1;
	if (*s == ':') {
		s++;
		if (rule_num(&s, 0, 59, &m) == -1)
			return -1;
		if (*s == ':') {
			s++;
			if (rule_num(&s, 0, 59, &sec) == -1)
				return -1;
		}
	}
	*sp = s;
	*out = sign * (h * 3600 + m * 60 + sec);
	return 0;
}

static int
rule_abbr(const char **sp, char *out)
{
	const char	*s = *sp;
	size_t		 n = 0;

	if (*s == '<') {
		for (s++; *s != '>'; s++) {
			if (*s == '\0' || n + 1 >= TZ_ABBR_MAX)
				return -1;
			out[n++] = *s;
		}
		s++;
	} else {
		for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++) {
			if (n + 1 >= TZ_ABBR_MAX)
				return -1;
			out[n++] = *s;
		}
	}
	if (n < 1)
		return -1;
	out[n] = '\0';
	*sp = s;
	return 0;
}

static int
rule_date(const char **sp, struct rdate *r)
{
	const char	*s = *sp;

	memset(r, 0, sizeof(*r));
	if (*s == 'J') {
		s++;
		r->kind = 'J';
		if (rule_num(&s, 1, 365, &r->n) == -1)
			return -1;
	} else if (*s == 'M') {
		s++;
		r->kind = 'M';
		if (rule_num(&s, 1, 12, &r->m) == -1 || *s++ != '.' ||
		    rule_num(&s, 1, 5, &r->w) == -1 || *s++ != '.' ||
		    rule_num(&s, 0, 6, &r->d) == -1)
			return -1;
	} else {
		r->kind = 'N';
		if (rule_num(&s, 0, 365, &r->n) == -1)
			return -1;
	}
	r->secs = 2 * 3600;
	if (*s == '/') {
		s++;
		if (rule_time(&s, 167, &r->secs) == -1)
			return -1;
	}
	*sp = s;
	return 0;
}

/* Parses a POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3". Returns 0 or -1. */
static int
rule_parse(const char *s, struct rule *r)
{
	int32_t	 t;

	memset(r, 0, sizeof(*r));
	if (rule_abbr(&s, r->std_abbr) == -1 || rule_time(&s, 24, &t) == -1)
		return -1;
	r->std_off = -t;
	if (*s == '\0')
		return 0;
	if (rule_abbr(&s, r->dst_abbr) == -1)
		return -1;
	r->has_dst = 1;
	r->dst_off = r->std_off + 3600;
	if (*s != ',' && *s != '\0') {
		if (rule_time(&s, 24, &t) == -1)
			return -1;
		r->dst_off = -t;
	}
	if (*s == '\0') {
		/* No dates: POSIX leaves them to the implementation; use the US rule. */
		r->start = (struct rdate){ 'M', 0, 3, 2, 0, 7200 };
		r->end = (struct rdate){ 'M', 0, 11, 1, 0, 7200 };
		return 0;
	}
	if (*s++ != ',' || rule_date(&s, &r->start) == -1 || *s++ != ',' ||
	    rule_date(&s, &r->end) == -1 || *s != '\0')
		return -1;
	return 0;
}

/* The instant at which date r of year y happens, when `before` is the offset until then. */
static int64_t
rule_instant(const struct rdate *r, int64_t y, int32_t before)
{
	int64_t	 jan1 = cal_days(y, 1, 1), day;
	int	 md, first;

	switch (r->kind) {
	case 'J':
		day = jan1 + r->n - 1 + (cal_is_leap(y) && r->n >= 60);
		break;
	case 'N':
		day = jan1 + r->n;
		break;
	default:
		first = cal_wday(cal_days(y, r->m, 1));
		md = (r->d - first + 7) % 7 + 1 + (r->w - 1) * 7;
		while (md > cal_mdays(y, r->m))
			md -= 7;
		day = cal_days(y, r->m, md);
		break;
	}
	return day * 86400 + r->secs - before;
}

/* The TZif file */

static const char *
tzif_parse(struct tz *z, const unsigned char *p, size_t len)
{
	const unsigned char	*h = p, *d, *types, *idx, *end = p + len;
	uint32_t		 isut, isstd, leap, timecnt, typecnt, charcnt, i;
	size_t			 tsize = 4, need;
	const char		*foot;

	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return "is not a TZif file";
	if (p[4] >= '2') {
		/* Skip the version 1 block to the 64-bit one. */
		need = 44 + (size_t)be32(p + 32) * 5 + (size_t)be32(p + 36) * 6 +
		    be32(p + 40) + (size_t)be32(p + 28) * 8 + be32(p + 24) + be32(p + 20);
		if (need + 44 > len || memcmp(p + need, "TZif", 4) != 0)
			return "is a damaged TZif file";
		h = p + need;
		tsize = 8;
	}
	isut = be32(h + 20);
	isstd = be32(h + 24);
	leap = be32(h + 28);
	timecnt = be32(h + 32);
	typecnt = be32(h + 36);
	charcnt = be32(h + 40);
	if (leap != 0)
		return "counts leap seconds (a right/ zone)";
	if (typecnt == 0 || typecnt > 256 || charcnt == 0 || charcnt > 4096 ||
	    timecnt > 100000 || (isut && isut != typecnt) || (isstd && isstd != typecnt))
		return "is a damaged TZif file";
	d = h + 44;
	need = (size_t)timecnt * (tsize + 1) + (size_t)typecnt * 6 + charcnt + isstd + isut;
	if (need > (size_t)(end - d))
		return "is a damaged TZif file";
	idx = d + (size_t)timecnt * tsize;
	types = idx + timecnt;
	z->chars = xmalloc(charcnt + 1);
	memcpy(z->chars, types + (size_t)typecnt * 6, charcnt);
	z->chars[charcnt] = '\0';
	for (i = 0; i < typecnt; i++) {
		int32_t off = (int32_t)be32(types + i * 6);
		if (off <= -90000 || off >= 93600 || types[i * 6 + 5] >= charcnt)
			return "is a damaged TZif file";
	}
	z->n = timecnt;
	z->at = xcalloc(timecnt, sizeof(*z->at));
	z->off = xcalloc(timecnt, sizeof(*z->off));
	z->abbr = xcalloc(timecnt, sizeof(*z->abbr));
	for (i = 0; i < timecnt; i++) {
		const unsigned char *ty;
		z->at[i] = tsize == 8 ? be64(d + i * 8) : (int32_t)be32(d + i * 4);
		if (idx[i] >= typecnt || (i > 0 && z->at[i] <= z->at[i - 1]))
			return "is a damaged TZif file";
		ty = types + (size_t)idx[i] * 6;
		z->off[i] = (int32_t)be32(ty);
		z->abbr[i] = z->chars + ty[5];
	}
	z->off0 = (int32_t)be32(types);
	z->abbr0 = z->chars + types[5];
	if (tsize == 8) {
		/* The footer: "\n" POSIX-TZ "\n". One we cannot read leaves the last offset. */
		char	 tzs[128];
		size_t	 n;

		foot = (const char *)d + need;
		if ((const unsigned char *)foot < end && *foot == '\n') {
			for (n = 0, foot++; (const unsigned char *)foot + n < end &&
			    foot[n] != '\n' && n + 1 < sizeof(tzs); n++)
				tzs[n] = foot[n];
			tzs[n] = '\0';
			if (n > 0 && rule_parse(tzs, &z->rule) == 0)
				z->has_rule = 1;
		}
	}
	return NULL;
}

static void
tz_free(struct tz *z)
{
	if (z == NULL)
		return;
	free(z->at);
	free(z->off);
	free(z->abbr);
	free(z->chars);
	free(z);
}

static const char *
tz_dir(void)
{
	const char	*d = getenv("TZDIR");

	return d && *d == '/' ? d : "/usr/share/zoneinfo";
}

static const char *
tz_valid_name(const char *name)
{
	const char	*s;
	size_t		 comp = 0, len = strlen(name);

	if (len == 0)
		return "is empty";
	if (len > TZ_NAME_MAX)
		return "is too long";
	for (s = name; *s; s++) {
		if (*s == '/') {
			if (comp == 0)
				return "is not a zone name";
			comp = 0;
			continue;
		}
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '+'))
			return "is not a zone name";
		comp++;
	}
	if (comp == 0)
		return "is not a zone name";
	/* Files of tzdata that are not IANA zone names. */
	if (strcmp(name, "localtime") == 0 || strcmp(name, "posixrules") == 0 ||
	    strncmp(name, "posix/", 6) == 0 || strncmp(name, "right/", 6) == 0)
		return "is not an IANA zone name";
	return NULL;
}

static struct tz *
tz_load(const char *name, const char **why)
{
	struct tz	*z = NULL;
	struct stat	 st;
	unsigned char	*data = NULL;
	char		 path[4096];
	ssize_t		 r;
	size_t		 got = 0;
	int		 fd = -1;

	if ((*why = tz_valid_name(name)) != NULL)
		return NULL;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", tz_dir(), name) >= sizeof(path)) {
		*why = "is too long";
		return NULL;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*why = errno == ENOENT || errno == ENOTDIR ? "is not a known IANA zone" :
		    "cannot be read from the system's tzdata";
		goto out;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size > TZ_FILE_MAX) {
		*why = "is not a known IANA zone";
		goto out;
	}
	data = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		if ((r = read(fd, data + got, (size_t)st.st_size - got)) <= 0)
			break;
		got += (size_t)r;
	}
	z = xcalloc(1, sizeof(*z));
	snprintf(z->name, sizeof(z->name), "%s", name);
	if ((*why = tzif_parse(z, data, got)) != NULL) {
		/* "zone.tab is not a TZif file" reads as "not a zone" to users. */
		if (strcmp(*why, "is not a TZif file") == 0)
			*why = "is not a known IANA zone";
		tz_free(z);
		z = NULL;
	}
out:
	if (fd != -1)
		close(fd);
	free(data);
	return z;
}

static unsigned
tz_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % TZ_HASH;
}

const struct tz *
tz_get(const char *name, const char **why)
{
	struct tz	*z;
	unsigned	 h;
	const char	*dummy;

	if (why == NULL)
		why = &dummy;
	if (strlen(name) > TZ_NAME_MAX) {
		*why = "is too long";
		return NULL;
	}
	h = tz_hash(name);
	pthread_mutex_lock(&tz_lock);
	for (z = tz_cache[h]; z != NULL; z = z->next)
		if (strcmp(z->name, name) == 0)
			break;
	if (z == NULL && (z = tz_load(name, why)) != NULL) {
		z->next = tz_cache[h];
		tz_cache[h] = z;
	}
	pthread_mutex_unlock(&tz_lock);
	return z;
}

const char *
tz_name(const struct tz *z)
{
	return z->name;
}

void
tz_cache_flush(void)
{
	struct tz	*z, *next;
	size_t		 i;

	pthread_mutex_lock(&tz_lock);
	for (i = 0; i < TZ_HASH; i++) {
		for (z = tz_cache[i]; z != NULL; z = next) {
			next = z->next;
			tz_free(z);
		}
		tz_cache[i] = NULL;
	}
	pthread_mutex_unlock(&tz_lock);
	pthread_mutex_lock(&zones_lock);
	for (i = 0; i < nzones; i++)
		free(zones[i]);
	free(zones);
	zones = NULL;
	nzones = 0;
	pthread_mutex_unlock(&zones_lock);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

const char *const *
tz_zones(size_t *n)
{
	char		 path[512], line[1024], *f, *save;
	FILE		*fp;
	int		 col;

	pthread_mutex_lock(&zones_lock);
	if (zones == NULL) {
		snprintf(path, sizeof(path), "%s/zone1970.tab", tz_dir());
		if ((fp = fopen(path, "r")) == NULL) {
			snprintf(path, sizeof(path), "%s/zone.tab", tz_dir());
			fp = fopen(path, "r");
		}
		zones = xcalloc(1, sizeof(*zones));
		zones[nzones++] = xstrdup("UTC");
		while (fp != NULL && fgets(line, sizeof(line), fp) != NULL) {
			if (line[0] == '#')
				continue;
			/* the third column: code(s), coordinates, zone name */
			for (col = 0, f = strtok_r(line, "\t\n", &save); f && col < 2; col++)
				f = strtok_r(NULL, "\t\n", &save);
			if (f == NULL || tz_get(f, NULL) == NULL)
				continue;
			zones = xrealloc(zones, (nzones + 1) * sizeof(*zones));
			zones[nzones++] = xstrdup(f);
		}
		if (fp != NULL)
			fclose(fp);
		qsort(zones + 1, nzones - 1, sizeof(*zones), cmp_str);
	}
	*n = nzones;
	pthread_mutex_unlock(&zones_lock);
	return (const char *const *)zones;
}

void
tz_iso(const struct tz *z, time_t t, char *buf)
{
	struct cal_tm	 tm;
	int32_t		 off = tz_offset(z, t), a = off < 0 ? -off : off;

	cal_split(t + off, &tm);
	snprintf(buf, TZ_ISO_LEN, "%04u-%02u-%02uT%02u:%02u:%02u%c%02u:%02u",
	    (unsigned)(tm.year % 10000), (unsigned)tm.mon % 100u, (unsigned)tm.mday % 100u,
	    (unsigned)tm.hour % 100u, (unsigned)tm.min % 100u, (unsigned)tm.sec % 100u,
	    off < 0 ? '-' : '+', (unsigned)a / 3600 % 100u, (unsigned)a % 3600 / 60 % 100u);
}

/* Spans */

struct rtrans {
	int64_t		 at;
	int32_t		 off;
	const char	*abbr;
};

/* The span containing t when t is at or after the last transition of the table. */
static void
footer_span(const struct tz *z, int64_t t, struct tz_span *sp)
{
	const struct rule	*r = &z->rule;
	struct rtrans		 l[10], x;
	int64_t			 y, floor_at;
	size_t			 n = 0, i, j;
	int			 k;
	struct cal_tm		 tm;

	floor_at = z->n ? z->at[z->n - 1] : TZ_BEGIN;
	cal_split(t + r->std_off, &tm);
	for (y = tm.year - 2; y <= tm.year + 2; y++) {
		x.at = rule_instant(&r->start, y, r->std_off);
		x.off = r->dst_off;
		x.abbr = r->dst_abbr;
		if (x.at > floor_at)
			l[n++] = x;
		x.at = rule_instant(&r->end, y, r->dst_off);
		x.off = r->std_off;
		x.abbr = r->std_abbr;
		if (x.at > floor_at)
			l[n++] = x;
	}
	/* Sort by instant; of two at one instant the later-listed one is what holds. */
	for (i = 1; i < n; i++) {
		x = l[i];
		for (j = i; j > 0 && l[j - 1].at > x.at; j--)
			l[j] = l[j - 1];
		l[j] = x;
	}
	for (i = 0, j = 0; i < n; i++) {
		if (j > 0 && l[j - 1].at == l[i].at)
			j--;
		l[j++] = l[i];
	}
	n = j;
	for (k = -1; k + 1 < (int)n && l[k + 1].at <= t; k++)
		;
	if (k >= 0) {
		sp->start = l[k].at;
		sp->off = l[k].off;
		sp->abbr = l[k].abbr;
		if (k >= 1)
			sp->prev_off = l[k - 1].off;
		else if (z->n)
			sp->prev_off = z->off[z->n - 1];
		else
			sp->prev_off = l[k].off == r->dst_off ? r->std_off : r->dst_off;
	} else if (z->n == 0) {
		/* Unreachable (year y - 2 has transitions before t); kept total. */
		sp->start = TZ_BEGIN;
		sp->off = sp->prev_off = l[0].off == r->dst_off ? r->std_off : r->dst_off;
		sp->abbr = l[0].off == r->dst_off ? r->std_abbr : r->dst_abbr;
	} else {
		/* t lies between the table's last transition and the rule's first one. */
		sp->start = floor_at;
		sp->off = z->off[z->n - 1];
		sp->abbr = z->abbr[z->n - 1];
		sp->prev_off = z->n >= 2 ? z->off[z->n - 2] : z->off0;
	}
	sp->end = l[k + 1].at;
	sp->next_off = l[k + 1].off;
}

void
tz_span(const struct tz *z, int64_t t, struct tz_span *sp)
{
	size_t	 lo = 0, hi = z->n, mid;

	if ((z->n == 0 || t >= z->at[z->n - 1]) && z->has_rule && z->rule.has_dst) {
		footer_span(z, t, sp);
		return;
	}
	/* lo = number of transitions at or before t */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (z->at[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0) {
		sp->start = TZ_BEGIN;
		sp->off = sp->prev_off = z->off0;
		sp->abbr = z->abbr0;
	} else {
		sp->start = z->at[lo - 1];
		sp->off = z->off[lo - 1];
		sp->abbr = z->abbr[lo - 1];
		sp->prev_off = lo >= 2 ? z->off[lo - 2] : z->off0;
	}
	if (lo < z->n) {
		sp->end = z->at[lo];
		sp->next_off = z->off[lo];
	} else {
		sp->end = TZ_END;
		sp->next_off = sp->off;
	}
}

int32_t
tz_offset(const struct tz *z, int64_t t)
{
	struct tz_span	 sp;

	tz_span(z, t, &sp);
	return sp.off;
}

int64_t
tz_from_wall(const struct tz *z, int64_t wall)
{
	struct tz_span	 sp;

	/* No offset exceeds 26 h, so the span holding wall - 26 h starts early enough. */
	tz_span(z, wall - 26 * 3600, &sp);
	for (;;) {
		if (sp.start != TZ_BEGIN && wall < sp.start + sp.off)
			return sp.start;	/* skipped by the jump that starts this span */
		if (sp.end == TZ_END || wall < sp.end + sp.off)
			return wall - sp.off;
		tz_span(z, sp.end, &sp);
	}
}
