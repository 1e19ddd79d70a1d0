/*
 * autosched: the command-line tool, bin/autosched.
 *
 * Subcommands are a table; each parses its own arguments. `next` shows when a cron
 * expression fires, in words and as instants, and has a batch mode for other programs
 * (docs/CLI.md has the protocol). The others work on an installation through its
 * configuration file: `init` creates or upgrades the database, `user`, `apikey` and
 * `check-config` manage it, and the operations commands list the jobs (`jobs list`), move
 * them between databases (`export`, `import`: a versioned JSON document, checked by the
 * API's own validation, written all or nothing), turn a crontab into jobs (`import-crontab`)
 * and copy the live database with SQLite's online backup API (`backup`). Exit status: 0
 * success, 1 failure, 2 bad usage or input.
 */
#define _DEFAULT_SOURCE		/* explicit_bzero */
#include <sys/stat.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "app.h"

#define NEXT_MAX_COUNT	1000
#define BATCH_FIRES	5
#define BATCH_LINE_MAX	4096

static int	cmd_next(int, char **);
static int	cmd_init(int, char **);
static int	cmd_apikey(int, char **);
static int	cmd_check_config(int, char **);
static int	cmd_user(int, char **);
static int	cmd_jobs(int, char **);
static int	cmd_export(int, char **);
static int	cmd_import(int, char **);
static int	cmd_import_crontab(int, char **);
static int	cmd_backup(int, char **);
static int	cmd_help(int, char **);

static const struct cmd {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*usage;
} cmds[] = {
	{ "next", cmd_next,
	  "next EXPR [--tz ZONE] [--count N] [--from ISO8601]\n"
	  "       autosched next --stdin" },
	{ "init", cmd_init, "[-c CONFIG] init" },
	{ "apikey", cmd_apikey, "[-c CONFIG] apikey create NAME | list | revoke NAME" },
	{ "user", cmd_user, "[-c CONFIG] user add NAME | passwd NAME | list | delete NAME\n"
	  "       (a password is read from the first line of standard input)" },
	{ "check-config", cmd_check_config, "[-c CONFIG] check-config" },
	{ "jobs", cmd_jobs, "[-c CONFIG] jobs list [--json]" },
	{ "export", cmd_export, "[-c CONFIG] export [FILE]" },
	{ "import", cmd_import, "[-c CONFIG] import [FILE] [--replace]" },
	{ "import-crontab", cmd_import_crontab, "[-c CONFIG] import-crontab FILE --bot TYPE "
	  "[--tz ZONE] [--prefix NAME]\n"
	  "                 [--dry-run] [--skip-bad]" },
	{ "backup", cmd_backup, "[-c CONFIG] backup FILE [--force]" },
	{ "help", cmd_help, "help" },
};

#define KEY_NAME_MAX	64

static void	usage(FILE *);

/* The configuration file: -c, else $AUTOSCHED_CONF, else the default. */
static const char	*conf_path;

/* Loads the configuration, or says why not. Returns 0, or -1. */
static int
load_conf(struct conf *c)
{
	struct buf	 err = BUF_INIT;

	if (conf_load(c, conf_path ? conf_path : conf_default_path(), &err) == -1) {
		fprintf(stderr, "autosched: %s\n", err.data);
		buf_release(&err);
		return -1;
	}
	return 0;
}

/* Opens the configured database (creating it when asked). Returns NULL after a message. */
static struct db *
open_db(struct conf *c, int create)
{
	struct db	*db;

	if (load_conf(c) == -1)
		return NULL;
	if ((db = db_open(c->db_path, create, c->busy_timeout_ms)) == NULL) {
		fprintf(stderr, "autosched: cannot open the database '%s'%s\n", c->db_path,
		    create ? "" : " (create it with `autosched init`)");
		conf_release(c);
	}
	return db;
}

static int
cmd_check_config(int argc, char **argv)
{
	struct conf	 c;
	struct stat	 st;
	size_t		 i;

	(void)argv;
	if (argc != 1) {
		usage(stderr);
		return 2;
	}
	if (load_conf(&c) == -1)
		return 1;
	printf("%s: ok\n  database: %s\n  default timezone: %s\n  bot types:", c.path,
	    c.db_path, c.default_tz);
	for (i = 0; i < c.nbots; i++)
		printf(" %s", c.bots[i].name);
	printf("%s\n", c.nbots ? "" : " none");
	printf("  redis: %s\n", c.schedd.redis_shown);
	/* a Redis password in a file others may read is worth a word */
	if ((c.schedd.redis_password != NULL || strcmp(c.schedd.redis,
	    c.schedd.redis_shown) != 0) && stat(c.path, &st) == 0 && (st.st_mode & 0004))
		fprintf(stderr, "autosched: warning: %s holds a Redis password and every user "
		    "may read it (chmod 640 it, group of the programs)\n", c.path);
	conf_release(&c);
	return 0;
}

/*
 * Creates the database, or brings an existing one to this build's schema (db_open upgrades
 * it step by step, in one transaction, keeping every row). Running it again is harmless.
 */
static int
cmd_init(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db;
	struct stat	 st;
	int		 existed;

	(void)argv;
	if (argc != 1) {
		usage(stderr);
		return 2;
	}
	if (load_conf(&c) == -1)
		return 1;
	existed = stat(c.db_path, &st) == 0 && st.st_size > 0;
	if ((db = db_open(c.db_path, 1, c.busy_timeout_ms)) == NULL) {
		fprintf(stderr, "autosched: cannot open the database '%s'\n", c.db_path);
		conf_release(&c);
		return 1;
	}
	printf("database %s: %sschema version %d\n", c.db_path, existed ? "" : "created, ",
	    db_schema_version(db));
	db_close(db);
	conf_release(&c);
	return 0;
}

static void
print_key(const char *name, int64_t created, void *arg)
{
	char	 iso[CAL_ISO_LEN];

	(void)arg;
	printf("%-32s created %s\n", name, cal_iso((time_t)created, iso));
}

#define PASSWORD_MIN	8
#define PASSWORD_MAX	1024

static void
print_user(const char *name, int64_t created, void *arg)
{
	char	 iso[CAL_ISO_LEN];

	(void)arg;
	printf("%-32s created %s\n", name, cal_iso((time_t)created, iso));
}

/* Reads a password from the first line of standard input into pw[PASSWORD_MAX + 2]. */
static int
read_password(char *pw)
{
	size_t	 n;

	if (fgets(pw, PASSWORD_MAX + 2, stdin) == NULL) {
		fprintf(stderr, "autosched: give the password on standard input\n");
		return -1;
	}
	n = strcspn(pw, "\r\n");
	if (pw[n] == '\0' && n > PASSWORD_MAX) {
		fprintf(stderr, "autosched: a password is at most %d bytes\n", PASSWORD_MAX);
		return -1;
	}
	pw[n] = '\0';
	if (n < PASSWORD_MIN) {
		fprintf(stderr, "autosched: a password is at least %d characters\n",
		    PASSWORD_MIN);
		return -1;
	}
	return 0;
}

static int
cmd_user(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db;
	char		 pw[PASSWORD_MAX + 2], hash[AUTH_HASH_MAX];
	enum db_res	 res;
	int		 rc = 1, add;

	if (argc < 2 || (strcmp(argv[1], "list") == 0 ? argc != 2 : argc != 3)) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "list") != 0) {
		size_t n = strlen(argv[2]);
		if (n == 0 || n > KEY_NAME_MAX || strspn(argv[2], "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.@-") != n) {
			fprintf(stderr, "autosched: a user name is 1 to %d letters, digits, "
			    "'_', '.', '@' or '-'\n", KEY_NAME_MAX);
			return 2;
		}
	}
	add = strcmp(argv[1], "add") == 0;
	if (!add && strcmp(argv[1], "passwd") != 0 && strcmp(argv[1], "list") != 0 &&
	    strcmp(argv[1], "delete") != 0) {
		usage(stderr);
		return 2;
	}
	if ((add || strcmp(argv[1], "passwd") == 0) && read_password(pw) == -1)
		return 2;
	if ((db = open_db(&c, 0)) == NULL)
		return 1;
	if (add || strcmp(argv[1], "passwd") == 0) {
		if (auth_password_hash(pw, hash, sizeof(hash)) == -1)
			goto out;
		res = db_user_set(db, argv[2], hash, add, time(NULL));
		/* a new password ends the old sessions and lifts a sign-in lockout */
		if (res == DB_OK && !add)
			res = db_user_signout(db, argv[2]);
		if (res == DB_OK)
			rc = 0;
		else if (res == DB_CONFLICT)
			fprintf(stderr, "autosched: a user named '%s' exists already\n", argv[2]);
		else if (res == DB_NOTFOUND)
			fprintf(stderr, "autosched: no user named '%s'\n", argv[2]);
		else
			fprintf(stderr, "autosched: cannot store the user\n");
	} else if (strcmp(argv[1], "delete") == 0) {
		res = db_user_delete(db, argv[2]);
		if (res == DB_OK)
			res = db_user_signout(db, argv[2]);
		if (res == DB_OK)
			rc = 0;
		else
			fprintf(stderr, "autosched: no user named '%s'\n", argv[2]);
	} else
		rc = db_user_list(db, print_user, NULL) == DB_OK ? 0 : 1;
out:
	explicit_bzero(pw, sizeof(pw));
	db_close(db);
	conf_release(&c);
	return rc;
}

static int
cmd_apikey(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db;
	char		 key[KEY_TEXT_LEN];
	unsigned char	 hash[KEY_HASH_LEN];
	enum db_res	 res;
	int		 rc = 1;

	if (argc < 2 || (strcmp(argv[1], "list") == 0 ? argc != 2 : argc != 3)) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "create") == 0 || strcmp(argv[1], "revoke") == 0) {
		size_t n = strlen(argv[2]);
		if (n == 0 || n > KEY_NAME_MAX || strspn(argv[2], "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.@-") != n) {
			fprintf(stderr, "autosched: a key name is 1 to %d letters, digits, "
			    "'_', '.', '@' or '-'\n", KEY_NAME_MAX);
			return 2;
		}
	} else if (strcmp(argv[1], "list") != 0) {
		usage(stderr);
		return 2;
	}
	if ((db = open_db(&c, 0)) == NULL)
		return 1;
	if (strcmp(argv[1], "create") == 0) {
		key_generate(key);
		key_hash(key, strlen(key), hash);
		res = db_apikey_insert(db, argv[2], hash, time(NULL));
		if (res == DB_OK) {
			printf("%s\n", key);
			rc = 0;
		} else if (res == DB_CONFLICT)
			fprintf(stderr, "autosched: a key named '%s' exists already\n", argv[2]);
		else
			fprintf(stderr, "autosched: cannot store the key\n");
	} else if (strcmp(argv[1], "revoke") == 0) {
		res = db_apikey_delete(db, argv[2]);
		if (res == DB_OK)
			rc = 0;
		else if (res == DB_NOTFOUND)
			fprintf(stderr, "autosched: no key named '%s'\n", argv[2]);
		else
			fprintf(stderr, "autosched: cannot revoke the key\n");
	} else
		rc = db_apikey_list(db, print_key, NULL) == DB_OK ? 0 : 1;
	db_close(db);
	conf_release(&c);
	return rc;
}

static void
usage(FILE *f)
{
	size_t	 i;

	fprintf(f, "usage:");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "%s autosched %s\n", i ? "      " : "", cmds[i].usage);
}

static int
cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

/* Returns the value of option `name` at argv[*i] ("--tz X" or "--tz=X"), or NULL. */
static const char *
optval(int argc, char **argv, int *i, const char *name, int *bad)
{
	size_t	 n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		fprintf(stderr, "autosched: %s needs a value\n", name);
		*bad = 1;
		return NULL;
	}
	return argv[++*i];
}

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

/* Formats an instant as "Sun 2026-03-29 03:00 CEST (+02:00)" in zone z. */
static void
add_local(struct buf *b, const struct tz *z, time_t t)
{
	static const char *const wd[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	struct tz_span	 sp;
	struct cal_tm	 tm;
	int32_t		 off;

	tz_span(z, t, &sp);
	cal_split(t + sp.off, &tm);
	off = sp.off < 0 ? -sp.off : sp.off;
	buf_addf(b, "%s %04lld-%02d-%02d %02d:%02d", wd[tm.wday], (long long)tm.year, tm.mon,
	    tm.mday, tm.hour, tm.min);
	if (tm.sec)
		buf_addf(b, ":%02d", tm.sec);
	buf_addf(b, " %s (%c%02d:%02d)", sp.abbr, sp.off < 0 ? '-' : '+', off / 3600,
	    off % 3600 / 60);
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
		buf_addf(out, "ERR timezone: '%.*s' %s", TZ_NAME_MAX, f[1], why);
		return;
	}
	if (parse_int64(f[2], CAL_MIN_TIME, CAL_MAX_TIME, &start) == -1) {
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

static int
cmd_next(int argc, char **argv)
{
	const char	*expr = NULL, *zone = NULL, *from = NULL, *count_s = NULL, *v, *why;
	const struct tz	*z;
	struct cron	 c;
	struct fire	 fire;
	struct buf	 b = BUF_INIT;
	char		 err[CRON_ERR_LEN], iso[CAL_ISO_LEN];
	int64_t		 count = 5;
	time_t		 t;
	int		 i, bad = 0, batch = 0, rc = 0;

	for (i = 1; i < argc && !bad; i++) {
		if ((v = optval(argc, argv, &i, "--tz", &bad)) != NULL)
			zone = v;
		else if ((v = optval(argc, argv, &i, "--count", &bad)) != NULL)
			count_s = v;
		else if ((v = optval(argc, argv, &i, "--from", &bad)) != NULL)
			from = v;
		else if (bad)
			break;
		else if (strcmp(argv[i], "--stdin") == 0)
			batch = 1;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
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
	if (!bad && batch && (expr || from || count_s || zone)) {
		fprintf(stderr, "autosched: --stdin takes no other arguments\n");
		bad = 1;
	}
	if (!bad && !batch && expr == NULL) {
		fprintf(stderr, "autosched: a cron expression is needed\n");
		bad = 1;
	}
	if (bad) {
		usage(stderr);
		return 2;
	}
	if (batch)
		return next_batch();

	if (count_s && parse_int64(count_s, 1, NEXT_MAX_COUNT, &count) == -1) {
		fprintf(stderr, "autosched: --count must be a number from 1 to %d\n",
		    NEXT_MAX_COUNT);
		return 2;
	}
	switch (cron_parse(&c, expr, err)) {
	case CRON_OK:
		break;
	default:
		fprintf(stderr, "autosched: %s\n", err);
		return 2;
	}
	if (zone == NULL)
		zone = "UTC";
	if ((z = tz_get(zone, &why)) == NULL) {
		fprintf(stderr, "autosched: timezone: '%s' %s\n", zone, why);
		return 2;
	}
	t = time(NULL);
	if (from && parse_from(from, z, &t) == -1) {
		fprintf(stderr, "autosched: --from: '%s' is not a date-time such as "
		    "2026-03-29T01:30:00Z, 2026-03-29T02:30+02:00 or 2026-03-29 (local)\n", from);
		return 2;
	}
	if (t < CAL_MIN_TIME || t > CAL_MAX_TIME) {
		fprintf(stderr, "autosched: --from: must be in the years 1 to 9999\n");
		return 2;
	}
	cron_describe(&c, &b);
	printf("%s (%s)\n", b.data, tz_name(z));
	for (i = 0; i < count; i++) {
		if (cron_next(&c, z, t, &fire) == -1) {
			printf(i ? "  (no more runs before the year 10000)\n" :
			    "  never fires in this time zone (daylight saving time skips every "
			    "time it names)\n");
			break;
		}
		buf_reset(&b);
		buf_addstr(&b, "  ");
		add_local(&b, z, fire.at);
		buf_addf(&b, "   %s", cal_iso(fire.at, iso));
		describe_dst(&fire, &b);
		printf("%s\n", b.data);
		t = fire.at;
	}
	buf_release(&b);
	if (fflush(stdout) == EOF)
		rc = 1;
	return rc;
}

/* Operations: listing, export and import, crontabs, backups */

#define EXPORT_VERSION		1
#define IMPORT_MAX_BYTES	(256L << 20)	/* 100,000 jobs take about 60 MiB */
#define CREATED_BY_MAX		256		/* bytes, as sign-in and key names */
#define BACKUP_STEP_PAGES	256		/* 1 MiB of 4 KiB pages per backup step */
#define TABLE_MAX_COLS		8

/* Rows printed in aligned columns, the last column unpadded. */
struct table {
	char		**cell;		/* row after row, ncols cells each */
	size_t		 ncols, n, alloc;
};

/* Adds a row of t->ncols strings (copied). */
static void
table_add(struct table *t, ...)
{
	va_list	 ap;
	size_t	 i;

	while (t->n + t->ncols > t->alloc) {
		t->alloc = t->alloc ? t->alloc * 2 : 64 * t->ncols;
		t->cell = xrealloc(t->cell, t->alloc * sizeof(*t->cell));
	}
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++)
		t->cell[t->n++] = xstrdup(va_arg(ap, const char *));
	va_end(ap);
}

/* Width in characters of a string that is valid UTF-8 (our own text and validated rows). */
static size_t
text_width(const char *s)
{
	return utf8_valid(s, strlen(s)) ? utf8_chars(s) : strlen(s);
}

static void
table_print(const struct table *t, FILE *f)
{
	size_t	 w[TABLE_MAX_COLS] = { 0 }, i, k, len;

	assert(t->ncols > 0 && t->ncols <= TABLE_MAX_COLS);
	for (i = 0; i < t->n; i++)
		if ((len = text_width(t->cell[i])) > w[i % t->ncols])
			w[i % t->ncols] = len;
	for (i = 0; i < t->n; i += t->ncols) {
		for (k = 0; k + 1 < t->ncols; k++)
			fprintf(f, "%s%*s", t->cell[i + k],
			    (int)(w[k] - text_width(t->cell[i + k]) + 2), "");
		fprintf(f, "%s\n", t->cell[i + k]);
	}
}

static void
table_release(struct table *t)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		free(t->cell[i]);
	free(t->cell);
	t->cell = NULL;
	t->n = t->alloc = 0;
}

/* Appends when a job runs next, in its own zone ("-" for none). */
static void
add_next_run(struct buf *b, const char *zone, int64_t next)
{
	const struct tz	*z;
	char		 iso[CAL_ISO_LEN];

	if (next == TIME_NONE)
		buf_addch(b, '-');
	else if ((z = tz_get(zone, NULL)) != NULL)
		add_local(b, z, (time_t)next);
	else
		buf_addstr(b, cal_iso((time_t)next, iso));
}

/* Whether argv[i] asks for help; prints the usage if so. */
static int
wants_help(const char *arg)
{
	if (strcmp(arg, "--help") != 0 && strcmp(arg, "-h") != 0)
		return 0;
	usage(stdout);
	return 1;
}

/*
 * Arguments of the form [FLAG] [FILE]: sets *file (NULL when absent) and *flag_set.
 * FLAG may be NULL (no flag). Returns 0, 1 after --help was answered, 2 after a usage
 * message.
 */
static int
file_args(int argc, char **argv, const char *flag, int *flag_set, const char **file)
{
	int	i;

	*file = NULL;
	if (flag_set != NULL)
		*flag_set = 0;
	for (i = 1; i < argc; i++) {
		if (wants_help(argv[i]))
			return 1;
		if (flag != NULL && strcmp(argv[i], flag) == 0)
			*flag_set = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "autosched: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		} else if (*file != NULL) {
			usage(stderr);
			return 2;
		} else
			*file = argv[i];
	}
	return 0;
}

/* Every job, newest first, as db_job_list gives them. Returns 0, or -1 after a message. */
static int
all_jobs(struct db *db, struct job **jobs, size_t *n)
{
	struct job_filter f;
	int64_t		 total;

	memset(&f, 0, sizeof(f));
	f.enabled = -1;
	f.limit = INT64_MAX;
	if (db_job_list(db, &f, jobs, n, &total) != DB_OK) {
		fprintf(stderr, "autosched: cannot read the jobs\n");
		return -1;
	}
	return 0;
}

static void
free_jobs(struct job *jobs, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		job_release(&jobs[i]);
	free(jobs);
}

static int
cmd_jobs(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db;
	struct job	*jobs = NULL;
	struct job_filter f;
	struct table	 t = { NULL, 6, 0, 0 };
	struct buf	 words = BUF_INIT, next = BUF_INIT, out = BUF_INIT;
	size_t		 n = 0, i;
	int64_t		 total;
	int		 json = 0, rc = 1;

	if (argc >= 2 && wants_help(argv[1]))
		return 0;
	if (argc < 2 || strcmp(argv[1], "list") != 0 || argc > 3 ||
	    (argc == 3 && strcmp(argv[2], "--json") != 0)) {
		usage(stderr);
		return 2;
	}
	json = argc == 3;
	if ((db = open_db(&c, 0)) == NULL)
		return 1;
	if (json) {
		/* the API's own writer: what GET /jobs answers, every job on one page */
		memset(&f, 0, sizeof(f));
		f.enabled = -1;
		f.limit = INT64_MAX;
		if (db_job_list_json(db, &f, &out, &total) != DB_OK)
			fprintf(stderr, "autosched: cannot read the jobs\n");
		else {
			buf_addch(&out, '\n');
			fwrite(out.data, 1, out.len, stdout);
			rc = 0;
		}
		goto out;
	}
	if (all_jobs(db, &jobs, &n) == -1)
		goto out;
	if (n > 0)
		table_add(&t, "ID", "ENABLED", "BOT", "SCHEDULE", "NEXT RUN", "NAME");
	for (i = 0; i < n; i++) {
		buf_reset(&words);
		if (sched_words(sched_type_name(jobs[i].schedule_type),
		    jobs[i].schedule_config ? jobs[i].schedule_config : "", &words) == -1)
			buf_addstr(&words, "?");
		buf_reset(&next);
		add_next_run(&next, jobs[i].timezone ? jobs[i].timezone : "UTC",
		    jobs[i].next_run_at);
		table_add(&t, jobs[i].id, jobs[i].enabled ? "yes" : "no",
		    jobs[i].bot_type ? jobs[i].bot_type : "", words.data, next.data,
		    jobs[i].name ? jobs[i].name : "");
	}
	table_print(&t, stdout);
	rc = 0;
out:
	if (fflush(stdout) == EOF && rc == 0) {
		fprintf(stderr, "autosched: cannot write the list: %s\n", strerror(errno));
		rc = 1;
	}
	table_release(&t);
	free_jobs(jobs, n);
	buf_release(&words);
	buf_release(&next);
	buf_release(&out);
	db_close(db);
	conf_release(&c);
	return rc;
}

/* Export */

static int
job_id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct job *)a)->id, ((const struct job *)b)->id);
}

/* Sets key in o to v (stolen); a NULL v (bad text in the row) counts in *bad. */
static void
set_or_bad(json_t *o, const char *key, json_t *v, int *bad)
{
	if (v == NULL)
		(*bad)++;
	else
		json_object_set_new(o, key, v);
}

/*
 * A job as the export document has it: what a user set, in a fixed order. Returns new, or
 * NULL when the row does not read (not UTF-8, stored JSON that is not an object).
 */
static json_t *
export_job(const struct job *j)
{
	json_t	*o = json_object();
	char	 iso[CAL_ISO_LEN];
	int	 bad = 0;

	set_or_bad(o, "id", json_string(j->id), &bad);
	set_or_bad(o, "name", j->name ? json_string(j->name) : NULL, &bad);
	set_or_bad(o, "description", j->description ? json_string(j->description) :
	    json_null(), &bad);
	set_or_bad(o, "bot_type", j->bot_type ? json_string(j->bot_type) : NULL, &bad);
	set_or_bad(o, "enabled", json_boolean(j->enabled), &bad);
	set_or_bad(o, "schedule_type", json_string(sched_type_name(j->schedule_type)), &bad);
	set_or_bad(o, "schedule_config", j->schedule_config ?
	    json_loads(j->schedule_config, 0, NULL) : NULL, &bad);
	set_or_bad(o, "bot_config", j->bot_config ? json_loads(j->bot_config, 0, NULL) : NULL,
	    &bad);
	set_or_bad(o, "timezone", j->timezone ? json_string(j->timezone) : NULL, &bad);
	set_or_bad(o, "max_instances", json_integer(j->max_instances), &bad);
	set_or_bad(o, "misfire_grace_time", json_integer(j->misfire_grace_time), &bad);
	set_or_bad(o, "coalesce", json_boolean(j->coalesce), &bad);
	set_or_bad(o, "created_at", json_string(cal_iso((time_t)j->created_at, iso)), &bad);
	set_or_bad(o, "created_by", j->created_by ? json_string(j->created_by) : json_null(),
	    &bad);
	if (bad || !json_is_object(json_object_get(o, "schedule_config")) ||
	    !json_is_object(json_object_get(o, "bot_config"))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * The export document of every job, sorted by id (new string, caller frees), or NULL after
 * a message. One read transaction: the jobs as they were at one instant.
 */
static char *
export_text(struct db *db)
{
	struct job	*jobs = NULL;
	size_t		 n = 0, i;
	json_t		*root = NULL, *list, *o;
	char		*text = NULL, *out = NULL;

	if (all_jobs(db, &jobs, &n) == -1)
		return NULL;
	if (n > 1)
		qsort(jobs, n, sizeof(*jobs), job_id_cmp);
	root = json_object();
	list = json_array();
	json_object_set_new(root, "version", json_integer(EXPORT_VERSION));
	json_object_set_new(root, "jobs", list);
	for (i = 0; i < n; i++) {
		if ((o = export_job(&jobs[i])) == NULL) {
			fprintf(stderr, "autosched: job %s does not read (edited by hand?): "
			    "nothing exported\n", jobs[i].id);
			goto out;
		}
		json_array_append_new(list, o);
	}
	if ((text = json_dumps(root, JSON_INDENT(2))) == NULL) {
		fprintf(stderr, "autosched: cannot write the document\n");
		goto out;
	}
	out = xasprintf("%s\n", text);
out:
	free(text);
	json_decref(root);
	free_jobs(jobs, n);
	return out;
}

/* Flushes and syncs fd, then closes it. Returns 0, or -1 with errno set. */
static int
sync_close(int fd)
{
	int	 saved;

	if (fsync(fd) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

/* Syncs the folder holding path, so that a rename in it survives a crash. */
static void
sync_dir_of(const char *path)
{
	char	*dir = xstrdup(path), *slash = strrchr(dir, '/');
	int	 fd;

	if (slash == NULL)
		snprintf(dir, strlen(dir) + 1, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY)) != -1) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/*
 * Writes data to path through path.tmp and a rename, so that path is either the old file
 * or the whole new one. Returns 0, or -1 after a message.
 */
static int
write_file(const char *path, const char *data, size_t len)
{
	char	*tmp = xasprintf("%s.tmp", path);
	size_t	 off = 0;
	ssize_t	 w;
	int	 fd, rc = -1;

	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666)) == -1) {
		fprintf(stderr, "autosched: cannot create '%s': %s\n", tmp, strerror(errno));
		goto out;
	}
	while (off < len) {
		if ((w = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)w;
	}
	if (off < len || sync_close(fd) == -1) {
		fprintf(stderr, "autosched: cannot write '%s': %s\n", tmp, strerror(errno));
		if (off < len)
			close(fd);
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path) == -1) {
		fprintf(stderr, "autosched: cannot rename '%s' to '%s': %s\n", tmp, path,
		    strerror(errno));
		unlink(tmp);
		goto out;
	}
	sync_dir_of(path);
	rc = 0;
out:
	free(tmp);
	return rc;
}

static int
cmd_export(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db;
	const char	*file = NULL;
	char		*text;
	int		 i, rc = 1;

	if ((i = file_args(argc, argv, NULL, NULL, &file)) != 0)
		return i == 1 ? 0 : 2;
	if ((db = open_db(&c, 0)) == NULL)
		return 1;
	if ((text = export_text(db)) == NULL)
		goto out;
	if (file == NULL || strcmp(file, "-") == 0) {
		fputs(text, stdout);
		if (fflush(stdout) == EOF || ferror(stdout))
			fprintf(stderr, "autosched: cannot write the export: %s\n",
			    strerror(errno));
		else
			rc = 0;
	} else if (write_file(file, text, strlen(text)) == 0)
		rc = 0;
	free(text);
out:
	db_close(db);
	conf_release(&c);
	return rc;
}

/* Import */

/* Reads all of path ("-" or NULL: standard input) into b. Returns 0, or -1 after a message. */
static int
read_all(const char *path, struct buf *b)
{
	FILE	*f = stdin;
	char	 chunk[65536];
	size_t	 n;
	int	 rc = 0;

	if (path != NULL && strcmp(path, "-") != 0 && (f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "autosched: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > (size_t)IMPORT_MAX_BYTES) {
			fprintf(stderr, "autosched: %s: larger than %ld MiB\n",
			    f == stdin ? "standard input" : path, IMPORT_MAX_BYTES >> 20);
			rc = -1;
			break;
		}
		buf_add(b, chunk, n);
	}
	if (rc == 0 && ferror(f)) {
		fprintf(stderr, "autosched: cannot read %s: %s\n", f == stdin ?
		    "standard input" : path, strerror(errno));
		rc = -1;
	}
	if (f != stdin)
		fclose(f);
	return rc;
}

/* How messages name job i of the document: jobs[2] ("Morning birthdays"). */
static void
job_label(const json_t *doc, size_t i, struct buf *b)
{
	const json_t	*name = json_is_object(doc) ? json_object_get(doc, "name") : NULL;
	char		 cut[64 * 4 + 4];

	buf_reset(b);
	buf_addf(b, "jobs[%zu]", i);
	if (json_is_string(name) && strlen(json_string_value(name)) ==
	    json_string_length(name) && !utf8_has_control(json_string_value(name))) {
		utf8_truncate(cut, sizeof(cut), json_string_value(name), 60);
		buf_addf(b, " (\"%s\")", cut);
	}
}

/* Prints every failure in e as "autosched: <where>: <field>: <message>". */
static void
print_verrs(const char *where, const struct verrs *e, size_t from)
{
	size_t	 i;

	for (i = from; i < e->n; i++)
		fprintf(stderr, "autosched: %s: %s%s%s\n", where, e->v[i].field,
		    *e->v[i].field ? ": " : "", e->v[i].msg);
}

/* One job of an import: its document (borrowed from the file's) and the job it makes. */
struct imp {
	const json_t	*doc;
	struct job	 j;
	int		 has_id;
	size_t		 index;
};

static int
imp_id_cmp(const void *a, const void *b)
{
	const struct imp	*x = *(const struct imp *const *)a;
	const struct imp	*y = *(const struct imp *const *)b;
	int			 c = strcmp(x->j.id, y->j.id);

	return c ? c : x->index < y->index ? -1 : 1;
}

/*
 * Validates one job document into it->j, as POST /jobs would create it, plus what an export
 * carries that the API sets itself: id, created_at, created_by. Failures go to e.
 */
static void
import_check(struct imp *it, const struct conf *c, int64_t now, struct verrs *e)
{
	const json_t	*v;
	struct cal_iso	 iso;
	int64_t		 created = TIME_NONE;
	const char	*s;

	job_defaults(&it->j);
	if (!json_is_object(it->doc)) {
		verrs_addt(e, "type_error.dict", "", "must be a JSON object");
		return;
	}
	if ((v = json_object_get(it->doc, "id")) != NULL && !json_is_null(v)) {
		if (!json_is_string(v) || uuid_canon(json_string_value(v), it->j.id) == -1)
			verrs_add(e, "id", "must be a UUID such as "
			    "9b2f0c8e-3a51-4c07-9d8e-2f6a1c0b7e11");
		else
			it->has_id = 1;
	}
	if ((v = json_object_get(it->doc, "created_at")) != NULL && !json_is_null(v)) {
		if (!json_is_string(v) || cal_parse_iso(json_string_value(v), &iso) == -1 ||
		    !iso.has_off || (created = cal_join(&iso.tm) - iso.off) < CAL_MIN_TIME ||
		    created > CAL_MAX_TIME)
			verrs_add(e, "created_at", "must be a date-time such as "
			    "2026-11-28T14:00:00Z");
	}
	if ((v = json_object_get(it->doc, "created_by")) != NULL && !json_is_null(v)) {
		s = json_string_value(v);
		if (!json_is_string(v) || *s == '\0' || strlen(s) > CREATED_BY_MAX ||
		    strlen(s) != json_string_length(v) || utf8_has_control(s))
			verrs_add(e, "created_by", "must be null or 1 to %d bytes of text without "
			    "control characters", CREATED_BY_MAX);
		else
			it->j.created_by = xstrdup(s);
	}
	if (job_apply(&it->j, it->doc, 1, c, now, e) == 0 && created != TIME_NONE)
		it->j.created_at = created;
}

static void
set_default(json_t *doc, const char *key, json_t *v)
{
	if (json_object_get(doc, key) == NULL)
		json_object_set_new(doc, key, v);
	else
		json_decref(v);
}

/*
 * The document with every writable field, the absent ones at their defaults: applied as a
 * PUT to an existing job, it replaces the job's settings, while an unchanged schedule keeps
 * its next run (and an interval its anchor), as PUT /jobs/{id} does. Returns new.
 */
static json_t *
replacement(const json_t *doc, const struct conf *c)
{
	struct job	 d;
	json_t		*full = json_copy((json_t *)doc);

	job_defaults(&d);
	set_default(full, "description", json_null());
	set_default(full, "enabled", json_boolean(d.enabled));
	set_default(full, "schedule_config", json_object());
	set_default(full, "bot_config", json_object());
	set_default(full, "timezone", json_string(c->default_tz));
	set_default(full, "max_instances", json_integer(d.max_instances));
	set_default(full, "misfire_grace_time", json_integer(d.misfire_grace_time));
	set_default(full, "coalesce", json_boolean(d.coalesce));
	return full;
}

/* Reads and checks the document's envelope. Returns the jobs array (borrowed), or NULL. */
static const json_t *
import_envelope(const json_t *root, const char *src)
{
	const json_t	*v, *jobs;
	const char	*key;

	if (!json_is_object(root)) {
		fprintf(stderr, "autosched: %s: expected an object {\"version\": %d, \"jobs\": "
		    "[...]}\n", src, EXPORT_VERSION);
		return NULL;
	}
	json_object_foreach((json_t *)root, key, v)
		if (strcmp(key, "version") != 0 && strcmp(key, "jobs") != 0) {
			fprintf(stderr, "autosched: %s: unknown member '%s' (expected \"version\" "
			    "and \"jobs\")\n", src, key);
			return NULL;
		}
	v = json_object_get(root, "version");
	if (!json_is_integer(v) || json_integer_value(v) != EXPORT_VERSION) {
		fprintf(stderr, "autosched: %s: version: must be %d (the format `autosched "
		    "export` writes)\n", src, EXPORT_VERSION);
		return NULL;
	}
	jobs = json_object_get(root, "jobs");
	if (!json_is_array(jobs)) {
		fprintf(stderr, "autosched: %s: jobs: must be an array of jobs\n", src);
		return NULL;
	}
	return jobs;
}

static int
cmd_import(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db = NULL;
	struct buf	 in = BUF_INIT, label = BUF_INIT;
	struct verrs	 e = VERRS_INIT;
	struct imp	*items = NULL, **byid = NULL;
	struct job	 old;
	const json_t	*jobs;
	const char	*file = NULL, *src;
	json_error_t	 jerr;
	json_t		*root = NULL, *full;
	enum db_res	 res;
	size_t		 n = 0, i, k, nid = 0, bad = 0, created = 0, replaced = 0;
	int64_t		 now = (int64_t)time(NULL);
	int		 replace = 0, rc = 1, conf_loaded = 0, in_tx = 0;

	if ((rc = file_args(argc, argv, "--replace", &replace, &file)) != 0)
		return rc == 1 ? 0 : 2;
	rc = 1;
	src = file == NULL || strcmp(file, "-") == 0 ? "standard input" : file;
	if (load_conf(&c) == -1)
		return 1;
	conf_loaded = 1;
	if (read_all(file, &in) == -1) {
		rc = 2;
		goto out;
	}
	if ((root = json_loadb(in.data, in.len, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		fprintf(stderr, "autosched: %s: line %d, column %d: invalid JSON: %s\n", src,
		    jerr.line, jerr.column, jerr.text);
		rc = 2;
		goto out;
	}
	if ((jobs = import_envelope(root, src)) == NULL) {
		rc = 2;
		goto out;
	}

	/* Everything is checked before the database is opened. */
	n = json_array_size(jobs);
	items = xcalloc(n ? n : 1, sizeof(*items));
	byid = xcalloc(n ? n : 1, sizeof(*byid));
	for (i = 0; i < n; i++) {
		items[i].doc = json_array_get(jobs, i);
		items[i].index = i;
		k = e.n;
		import_check(&items[i], &c, now, &e);
		if (e.n > k) {
			job_label(items[i].doc, i, &label);
			print_verrs(label.data, &e, k);
			bad++;
		} else if (items[i].has_id)
			byid[nid++] = &items[i];
	}
	qsort(byid, nid, sizeof(*byid), imp_id_cmp);
	for (i = 1; i < nid; i++)
		if (strcmp(byid[i]->j.id, byid[i - 1]->j.id) == 0) {
			job_label(byid[i]->doc, byid[i]->index, &label);
			fprintf(stderr, "autosched: %s: id: %s is also the id of jobs[%zu]\n",
			    label.data, byid[i]->j.id, byid[i - 1]->index);
			bad++;
		}
	if (bad > 0) {
		fprintf(stderr, "autosched: nothing imported: %zu of %zu jobs are invalid\n",
		    bad, n);
		rc = 2;
		goto out;
	}

	/* All or nothing: one transaction. */
	if ((db = db_open(c.db_path, 0, c.busy_timeout_ms)) == NULL) {
		fprintf(stderr, "autosched: cannot open the database '%s' (create it with "
		    "`autosched init`)\n", c.db_path);
		goto out;
	}
	if ((res = db_begin(db)) != DB_OK) {
		fprintf(stderr, "autosched: the database is %s\n", res == DB_BUSY ? "busy" :
		    "failing");
		goto out;
	}
	in_tx = 1;
	for (i = 0; i < n; i++) {
		struct imp	*it = &items[i];

		res = DB_NOTFOUND;
		if (!it->has_id)
			uuid_v4(it->j.id);
		else if ((res = db_job_get(db, it->j.id, &old)) == DB_OK) {
			job_label(it->doc, i, &label);
			if (!replace) {
				fprintf(stderr, "autosched: %s: id: job %s exists already (use "
				    "--replace to update it)\n", label.data, it->j.id);
				bad++;
			} else {
				full = replacement(it->doc, &c);
				k = e.n;
				if (job_apply(&old, full, 0, &c, now, &e) == -1) {
					print_verrs(label.data, &e, k);
					bad++;
				} else if ((res = db_job_update(db, &old)) != DB_OK)
					fprintf(stderr, "autosched: %s: cannot update job %s\n",
					    label.data, it->j.id);
				else
					replaced++;
				json_decref(full);
			}
			job_release(&old);
			if (res != DB_OK)
				goto out;
			continue;
		}
		if (res != DB_NOTFOUND) {
			fprintf(stderr, "autosched: cannot read the jobs\n");
			goto out;
		}
		if ((res = db_job_insert(db, &it->j)) != DB_OK) {
			job_label(it->doc, i, &label);
			fprintf(stderr, "autosched: %s: cannot store the job%s\n", label.data,
			    res == DB_CONFLICT ? " (its id was taken meanwhile)" : "");
			goto out;
		}
		created++;
	}
	if (bad > 0) {
		fprintf(stderr, "autosched: nothing imported: %zu of %zu jobs clash with the "
		    "database\n", bad, n);
		rc = 2;
		goto out;
	}
	in_tx = 0;
	if ((res = db_commit(db)) != DB_OK) {
		fprintf(stderr, "autosched: cannot commit the import: the database is %s\n",
		    res == DB_BUSY ? "busy" : "failing");
		goto out;
	}
	notify_schedd(c.schedd.notify_socket);
	printf("imported %zu job%s: %zu created, %zu replaced\n", n, n == 1 ? "" : "s",
	    created, replaced);
	rc = 0;
out:
	if (in_tx)
		db_rollback(db);
	for (i = 0; i < n && items; i++)
		job_release(&items[i].j);
	free(items);
	free(byid);
	json_decref(root);
	verrs_release(&e);
	buf_release(&in);
	buf_release(&label);
	db_close(db);
	if (conf_loaded)
		conf_release(&c);
	return rc;
}

/* import-crontab */

/* One crontab line that becomes a job. */
struct cronline {
	long		 line;
	char		*expr;
	struct job	 j;
};

/*
 * Whether p (no leading blanks) is an environment setting, NAME=VALUE with blanks allowed
 * around '=' and VALUE optionally quoted, as cron reads them. On 1, name and value point
 * into p, which is cut.
 */
static int
env_line(char *p, char **name, char **value)
{
	size_t	 n = 0, len;
	char	*v;

	if (!(p[0] == '_' || (p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')))
		return 0;
	while (p[n] == '_' || (p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= 'a' && p[n] <= 'z') ||
	    (p[n] >= '0' && p[n] <= '9'))
		n++;
	v = p + n + strspn(p + n, " \t");
	if (*v != '=')
		return 0;
	p[n] = '\0';
	v++;
	v += strspn(v, " \t");
	len = strlen(v);
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		v[--len] = '\0';
	if (len >= 2 && (v[0] == '"' || v[0] == '\'') && v[len - 1] == v[0]) {
		v[len - 1] = '\0';
		v++;
	}
	*name = p;
	*value = v;
	return 1;
}

/* A job name from a command: blanks squeezed, cut to JOB_NAME_MAX characters. */
static void
name_of_command(const char *cmd, char *out, size_t sz)
{
	struct buf	 b = BUF_INIT;
	const char	*p;

	for (p = cmd; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			if (b.len > 0 && b.data[b.len - 1] != ' ')
				buf_addch(&b, ' ');
		} else
			buf_addch(&b, *p);
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	/* the ellipsis is one more character */
	utf8_truncate(out, sz, b.data, JOB_NAME_MAX - 1);
	buf_release(&b);
}

static void
cronline_release(struct cronline *l)
{
	free(l->expr);
	job_release(&l->j);
}

/*
 * Reads one crontab line into *l. Returns 1 for a job, 0 for a line without one (blank,
 * comment, environment), -1 for a bad line (reported). *zone follows CRON_TZ and TZ.
 */
static int
crontab_line(char *line, long lineno, const char *src, const struct conf *c,
    const char *bot, const char *prefix, const char *default_zone, const char **zone,
    int64_t now, struct cronline *l)
{
	struct verrs	 e = VERRS_INIT;
	struct buf	 expr = BUF_INIT;
	const struct tz	*z;
	char		*p, *name, *value, *cmd, cmdname[JOB_NAME_MAX * 4 + 4];
	const char	*why;
	size_t		 i, len;
	json_t		*doc;
	int		 rc = -1;

	p = line + strspn(line, " \t");
	if (*p == '\0' || *p == '#')
		return 0;
	if (env_line(p, &name, &value)) {
		if (strcmp(name, "CRON_TZ") == 0 || strcmp(name, "TZ") == 0) {
			if (*value == '\0')
				*zone = default_zone;
			else if ((z = tz_get(value, &why)) != NULL)
				*zone = tz_name(z);
			else {
				fprintf(stderr, "autosched: %s:%ld: %s: '%s' %s\n", src, lineno,
				    name, value, why);
				*zone = default_zone;
				return -1;
			}
		} else if (strcmp(name, "MAILTO") != 0)
			fprintf(stderr, "autosched: %s:%ld: note: %s ignored (the commands are not "
			    "run here: each is kept in its job's description)\n", src, lineno,
			    name);
		return 0;
	}

	if (*p == '@') {
		len = strcspn(p, " \t");
		if (len == 7 && strncasecmp(p, "@reboot", 7) == 0) {
			fprintf(stderr, "autosched: %s:%ld: @reboot cannot be imported: a job runs "
			    "on a schedule or by hand, not at boot (use a systemd unit)\n", src,
			    lineno);
			return -1;
		}
		buf_add(&expr, p, len);
		cmd = p + len;
	} else {
		/* five time fields */
		for (i = 0, cmd = p; i < 5; i++) {
			cmd += strspn(cmd, " \t");
			if ((len = strcspn(cmd, " \t")) == 0)
				break;
			if (i > 0)
				buf_addch(&expr, ' ');
			buf_add(&expr, cmd, len);
			cmd += len;
		}
		if (i < 5) {
			fprintf(stderr, "autosched: %s:%ld: expected five time fields (minute hour "
			    "day-of-month month day-of-week) or a macro such as @daily, then a "
			    "command\n", src, lineno);
			goto out;
		}
	}
	cmd += strspn(cmd, " \t");
	len = strlen(cmd);
	while (len > 0 && (cmd[len - 1] == ' ' || cmd[len - 1] == '\t'))
		cmd[--len] = '\0';
	if (*cmd == '\0') {
		fprintf(stderr, "autosched: %s:%ld: no command after the schedule '%s'\n", src,
		    lineno, expr.data);
		goto out;
	}
	if (prefix != NULL)
		snprintf(cmdname, sizeof(cmdname), "%s-%ld", prefix, lineno);
	else
		name_of_command(cmd, cmdname, sizeof(cmdname));

	doc = json_pack("{s:s,s:s,s:s,s:s,s:{s:s},s:s}", "name", cmdname, "description", cmd,
	    "bot_type", bot, "schedule_type", "cron", "schedule_config", "cron_expression",
	    expr.data, "timezone", *zone);
	if (doc == NULL) {
		fprintf(stderr, "autosched: %s:%ld: cannot read the line\n", src, lineno);
		goto out;
	}
	memset(l, 0, sizeof(*l));
	l->line = lineno;
	job_defaults(&l->j);
	if (job_apply(&l->j, doc, 1, c, now, &e) == -1) {
		for (i = 0; i < e.n; i++) {
			if (strncmp(e.v[i].field, "schedule_config", 15) == 0)
				fprintf(stderr, "autosched: %s:%ld: '%s': %s\n", src, lineno,
				    expr.data, e.v[i].msg);
			else
				fprintf(stderr, "autosched: %s:%ld: %s: %s\n", src, lineno,
				    strcmp(e.v[i].field, "description") == 0 ? "command" :
				    e.v[i].field, e.v[i].msg);
		}
		job_release(&l->j);
	} else {
		l->expr = buf_detach(&expr);
		rc = 1;
	}
	json_decref(doc);
out:
	verrs_release(&e);
	buf_release(&expr);
	return rc;
}

static int
cmd_import_crontab(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db = NULL;
	struct cronline	*lines = NULL;
	struct table	 t = { NULL, 6, 0, 0 };
	struct buf	 next = BUF_INIT;
	const char	*file = NULL, *bot = NULL, *tz = NULL, *prefix = NULL, *v, *src, *why;
	const char	*zone, *default_zone;
	enum db_res	 res;
	FILE		*f = NULL;
	char		*line = NULL, no[24];
	size_t		 cap = 0, n = 0, alloc = 0, i;
	ssize_t		 len;
	long		 lineno = 0, bad = 0;
	int64_t		 now = (int64_t)time(NULL);
	int		 dry = 0, skip = 0, bad_opt = 0, rc = 2, conf_loaded = 0, in_tx = 0, r;

	for (r = 1; r < argc && !bad_opt; r++) {
		if (wants_help(argv[r]))
			return 0;
		if ((v = optval(argc, argv, &r, "--bot", &bad_opt)) != NULL)
			bot = v;
		else if ((v = optval(argc, argv, &r, "--tz", &bad_opt)) != NULL)
			tz = v;
		else if ((v = optval(argc, argv, &r, "--prefix", &bad_opt)) != NULL)
			prefix = v;
		else if (bad_opt)
			break;
		else if (strcmp(argv[r], "--dry-run") == 0)
			dry = 1;
		else if (strcmp(argv[r], "--skip-bad") == 0)
			skip = 1;
		else if (argv[r][0] == '-' && argv[r][1] != '\0') {
			fprintf(stderr, "autosched: unknown option '%s'\n", argv[r]);
			bad_opt = 1;
		} else if (file == NULL)
			file = argv[r];
		else {
			fprintf(stderr, "autosched: one crontab file only\n");
			bad_opt = 1;
		}
	}
	if (!bad_opt && (file == NULL || bot == NULL)) {
		fprintf(stderr, "autosched: import-crontab needs a FILE and --bot TYPE\n");
		bad_opt = 1;
	}
	if (!bad_opt && prefix != NULL && (*prefix == '\0' || utf8_chars(prefix) >
	    JOB_NAME_MAX - 12 || !utf8_valid(prefix, strlen(prefix)) ||
	    utf8_has_control(prefix))) {
		fprintf(stderr, "autosched: --prefix: 1 to %d characters of text\n",
		    JOB_NAME_MAX - 12);
		bad_opt = 1;
	}
	if (bad_opt) {
		usage(stderr);
		return 2;
	}
	if (load_conf(&c) == -1)
		return 1;
	conf_loaded = 1;
	if (conf_bot(&c, bot) == NULL) {
		fprintf(stderr, "autosched: --bot: no bot type '%s' in %s (configured:", bot,
		    c.path);
		for (i = 0; i < c.nbots; i++)
			fprintf(stderr, " %s", c.bots[i].name);
		fprintf(stderr, "%s)\n", c.nbots ? "" : " none");
		goto out;
	}
	if ((default_zone = tz ? tz : c.default_tz) != NULL && tz_get(default_zone, &why) ==
	    NULL) {
		fprintf(stderr, "autosched: timezone: '%s' %s\n", default_zone, why);
		goto out;
	}
	default_zone = tz_name(tz_get(default_zone, NULL));
	zone = default_zone;
	src = strcmp(file, "-") == 0 ? "standard input" : file;
	if (strcmp(file, "-") == 0)
		f = stdin;
	else if ((f = fopen(file, "r")) == NULL) {
		fprintf(stderr, "autosched: cannot open '%s': %s\n", file, strerror(errno));
		rc = 1;
		goto out;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if ((size_t)len != strlen(line) || !utf8_valid(line, (size_t)len)) {
			fprintf(stderr, "autosched: %s:%ld: not a line of text (NUL byte or not "
			    "UTF-8)\n", src, lineno);
			bad++;
			continue;
		}
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			lines = xrealloc(lines, alloc * sizeof(*lines));
		}
		r = crontab_line(line, lineno, src, &c, bot, prefix, default_zone, &zone, now,
		    &lines[n]);
		if (r == 1)
			n++;
		else if (r == -1)
			bad++;
	}
	if (ferror(f)) {
		fprintf(stderr, "autosched: cannot read %s: %s\n", src, strerror(errno));
		rc = 1;
		goto out;
	}
	if (bad > 0 && !skip) {
		fprintf(stderr, "autosched: nothing imported: %ld bad line%s (fix %s, or skip "
		    "%s with --skip-bad)\n", bad, bad == 1 ? "" : "s", bad == 1 ? "it" : "them",
		    bad == 1 ? "it" : "them");
		goto out;
	}

	if (!dry) {
		if ((db = db_open(c.db_path, 0, c.busy_timeout_ms)) == NULL) {
			fprintf(stderr, "autosched: cannot open the database '%s' (create it with "
			    "`autosched init`)\n", c.db_path);
			rc = 1;
			goto out;
		}
		if ((res = db_begin(db)) != DB_OK) {
			fprintf(stderr, "autosched: the database is %s\n", res == DB_BUSY ?
			    "busy" : "failing");
			rc = 1;
			goto out;
		}
		in_tx = 1;
		for (i = 0; i < n; i++) {
			uuid_v4(lines[i].j.id);
			if ((res = db_job_insert(db, &lines[i].j)) != DB_OK) {
				fprintf(stderr, "autosched: %s:%ld: cannot store the job\n", src,
				    lines[i].line);
				rc = 1;
				goto out;
			}
		}
		in_tx = 0;
		if ((res = db_commit(db)) != DB_OK) {
			fprintf(stderr, "autosched: cannot commit the jobs: the database is %s\n",
			    res == DB_BUSY ? "busy" : "failing");
			rc = 1;
			goto out;
		}
		notify_schedd(c.schedd.notify_socket);
	}
	if (n > 0)
		table_add(&t, dry ? "LINE" : "ID", "CRON", "ZONE", "SCHEDULE", "NEXT RUN", "NAME");
	for (i = 0; i < n; i++) {
		struct buf	 words = BUF_INIT;

		snprintf(no, sizeof(no), "%ld", lines[i].line);
		sched_words("cron", lines[i].j.schedule_config, &words);
		buf_reset(&next);
		add_next_run(&next, lines[i].j.timezone, lines[i].j.next_run_at);
		table_add(&t, dry ? no : lines[i].j.id, lines[i].expr, lines[i].j.timezone,
		    words.data, next.data, lines[i].j.name);
		buf_release(&words);
	}
	table_print(&t, stdout);
	if (dry)
		printf("dry run: would create %zu job%s of bot type %s%s\n", n, n == 1 ? "" : "s",
		    bot, bad ? " (bad lines skipped)" : "");
	else
		printf("created %zu job%s of bot type %s%s\n", n, n == 1 ? "" : "s", bot,
		    bad ? " (bad lines skipped)" : "");
	rc = 0;
out:
	if (in_tx)
		db_rollback(db);
	if (f != NULL && f != stdin)
		fclose(f);
	free(line);
	for (i = 0; i < n; i++)
		cronline_release(&lines[i]);
	free(lines);
	table_release(&t);
	buf_release(&next);
	db_close(db);
	if (conf_loaded)
		conf_release(&c);
	return rc;
}

/* backup */

/* Removes path; a path that is not there is no failure. */
static void
remove_quietly(const char *path)
{
	if (unlink(path) == -1 && errno != ENOENT)
		fprintf(stderr, "autosched: cannot remove '%s': %s\n", path, strerror(errno));
}

/* Removes what SQLite may have left beside a database file (with_file: and the file). */
static void
remove_copy(const char *tmp, int with_file)
{
	static const char *const ext[] = { "-journal", "-wal", "-shm" };
	size_t	 i;
	char	*p;

	if (with_file)
		remove_quietly(tmp);
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		p = xasprintf("%s%s", tmp, ext[i]);
		remove_quietly(p);
		free(p);
	}
}

static int
cmd_backup(int argc, char **argv)
{
	struct conf	 c;
	struct stat	 sst, dst;
	struct db_backup_info info;
	struct buf	 check = BUF_INIT;
	const char	*file = NULL;
	char		*tmp = NULL;
	enum db_res	 res;
	int		 force = 0, fd, rc = 1, made = 0;

	if ((rc = file_args(argc, argv, "--force", &force, &file)) != 0)
		return rc == 1 ? 0 : 2;
	rc = 1;
	if (file == NULL || *file == '\0' || strcmp(file, "-") == 0) {
		fprintf(stderr, "autosched: backup needs a FILE to write\n");
		usage(stderr);
		return 2;
	}
	if (load_conf(&c) == -1)
		return 1;
	if (stat(c.db_path, &sst) == -1) {
		fprintf(stderr, "autosched: no database at '%s': %s\n", c.db_path,
		    strerror(errno));
		goto out;
	}
	if (stat(file, &dst) == 0) {
		if (dst.st_dev == sst.st_dev && dst.st_ino == sst.st_ino) {
			fprintf(stderr, "autosched: '%s' is the database itself\n", file);
			goto out;
		}
		if (S_ISDIR(dst.st_mode)) {
			fprintf(stderr, "autosched: '%s' is a folder: give the file to write\n",
			    file);
			goto out;
		}
		if (!force) {
			fprintf(stderr, "autosched: '%s' exists: not overwritten (use --force to "
			    "replace it)\n", file);
			goto out;
		}
	}

	/*
	 * The copy is written beside its destination and renamed over it once complete and
	 * checked. The temporary name is taken with O_EXCL: another backup may be writing it.
	 */
	tmp = xasprintf("%s.tmp", file);
	if (force)
		remove_copy(tmp, 1);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		if (errno == EEXIST)
			fprintf(stderr, "autosched: '%s' exists: another backup is being written, "
			    "or one was interrupted (remove it, or use --force)\n", tmp);
		else
			fprintf(stderr, "autosched: cannot create '%s': %s\n", tmp,
			    strerror(errno));
		goto out;
	}
	close(fd);
	made = 1;
	/* a journal an interrupted copy left beside it would be rolled into ours */
	remove_copy(tmp, 0);

	res = db_backup(c.db_path, tmp, c.busy_timeout_ms, BACKUP_STEP_PAGES, &info, &check);
	if (res != DB_OK) {
		fprintf(stderr, "autosched: backup failed%s\n", res == DB_BUSY ?
		    ": the database stayed locked" : "");
		goto out;
	}
	if (strcmp(check.data, "ok") != 0) {
		fprintf(stderr, "autosched: the copy fails PRAGMA integrity_check:\n%s\n",
		    check.data);
		goto out;
	}
	/* the copy holds what the database holds (password hashes): the same permissions */
	if (chmod(tmp, sst.st_mode & 0666) == -1 || (fd = open(tmp, O_RDONLY)) == -1 ||
	    sync_close(fd) == -1) {
		fprintf(stderr, "autosched: cannot finish '%s': %s\n", tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, file) == -1) {
		fprintf(stderr, "autosched: cannot rename '%s' to '%s': %s\n", tmp, file,
		    strerror(errno));
		goto out;
	}
	made = 0;
	sync_dir_of(file);
	printf("%s: a copy of %s, %lld pages of %lld bytes (%lld KiB), copied in %lld "
	    "step%s\nintegrity_check: %s\n", file, c.db_path, (long long)info.pages,
	    (long long)info.page_size, (long long)(info.pages * info.page_size / 1024),
	    (long long)info.steps, info.steps == 1 ? "" : "s", check.data);
	rc = 0;
out:
	if (made)
		remove_copy(tmp, 1);
	free(tmp);
	buf_release(&check);
	conf_release(&c);
	return rc;
}

int
main(int argc, char **argv)
{
	size_t	 i;

	log_init("autosched", LOGTO_STDERR, 0);
	if (argc >= 3 && (strcmp(argv[1], "-c") == 0 || strcmp(argv[1], "--config") == 0)) {
		conf_path = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(argc - 1, argv + 1);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "autosched: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
