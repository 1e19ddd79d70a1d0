/*
 * autosched tests: lib/crontab.c, crontab lines read as cron (cronie) reads them: blank
 * lines and comments, environment settings (blanks around '=', quoted values), jobs of five
 * fields or a macro with the schedule normalised to single spaces and the command trimmed,
 * and what is refused (@reboot, too few fields, no command); then the job names made from
 * commands (blanks squeezed, cut with an ellipsis that counts as a character).
 */
#include "testutil.h"
#include "crontab.h"

static const struct line_case {
	const char		*line;
	enum crontab_kind	 kind;
	const char		*a;	/* ENV: name; JOB: expr; BAD: a part of err */
	const char		*b;	/* ENV: value; JOB: command */
} line_cases[] = {
	/* nothing */
	{ "", CRONTAB_NOTHING, NULL, NULL },
	{ "   \t  ", CRONTAB_NOTHING, NULL, NULL },
	{ "# m h dom mon dow command", CRONTAB_NOTHING, NULL, NULL },
	{ "#", CRONTAB_NOTHING, NULL, NULL },
	{ "    # an indented comment", CRONTAB_NOTHING, NULL, NULL },
	{ "\t#0 5 * * * a job commented out", CRONTAB_NOTHING, NULL, NULL },
	/* environment */
	{ "PATH=/usr/local/bin:/usr/bin:/bin", CRONTAB_ENV, "PATH", "/usr/local/bin:/usr/bin:/bin" },
	{ "MAILTO = admin@example.com", CRONTAB_ENV, "MAILTO", "admin@example.com" },
	{ "SHELL\t=\t/bin/bash \t", CRONTAB_ENV, "SHELL", "/bin/bash" },
	{ "  CRON_TZ=Europe/Paris", CRONTAB_ENV, "CRON_TZ", "Europe/Paris" },
	{ "GREETING='hello world'", CRONTAB_ENV, "GREETING", "hello world" },
	{ "GREETING=\"hello world\"", CRONTAB_ENV, "GREETING", "hello world" },
	{ "PAD = ' two blanks inside '  ", CRONTAB_ENV, "PAD", " two blanks inside " },
	{ "V2=x", CRONTAB_ENV, "V2", "x" },
	{ "_under_1=1", CRONTAB_ENV, "_under_1", "1" },
	{ "lower=case", CRONTAB_ENV, "lower", "case" },
	{ "EMPTY=", CRONTAB_ENV, "EMPTY", "" },
	{ "EMPTY =   ", CRONTAB_ENV, "EMPTY", "" },
	{ "QUOTES=''", CRONTAB_ENV, "QUOTES", "" },
	{ "QUOTES=\"\"", CRONTAB_ENV, "QUOTES", "" },
	{ "ONE='", CRONTAB_ENV, "ONE", "'" },
	{ "OPEN='not closed", CRONTAB_ENV, "OPEN", "'not closed" },
	{ "MIXED='a\"", CRONTAB_ENV, "MIXED", "'a\"" },
	{ "EQ=a=b", CRONTAB_ENV, "EQ", "a=b" },
	{ "SP=a b  c", CRONTAB_ENV, "SP", "a b  c" },
	/* jobs: five fields */
	{ "0 5 * * 1 /usr/bin/backup --full", CRONTAB_JOB, "0 5 * * 1", "/usr/bin/backup --full" },
	{ "*/15\t*\t*\t*\t*\tcmd", CRONTAB_JOB, "*/15 * * * *", "cmd" },
	{ "  0   5  1,15  jan-jun  1-5    run   this  ", CRONTAB_JOB, "0 5 1,15 jan-jun 1-5",
	  "run   this" },
	{ "0 5 * * * \t echo a=b \t", CRONTAB_JOB, "0 5 * * *", "echo a=b" },
	{ "0 5 * * * x", CRONTAB_JOB, "0 5 * * *", "x" },
	{ "0 0 1 1 * caf\xc3\xa9 \xe2\x82\xac", CRONTAB_JOB, "0 0 1 1 *", "caf\xc3\xa9 \xe2\x82\xac" },
	/* jobs: macros, any case */
	{ "@daily /usr/bin/report", CRONTAB_JOB, "@daily", "/usr/bin/report" },
	{ "@hourly\tcmd", CRONTAB_JOB, "@hourly", "cmd" },
	{ "@yearly   happy-new-year  ", CRONTAB_JOB, "@yearly", "happy-new-year" },
	{ "@annually x", CRONTAB_JOB, "@annually", "x" },
	{ "@monthly x", CRONTAB_JOB, "@monthly", "x" },
	{ "@weekly x", CRONTAB_JOB, "@weekly", "x" },
	{ "@HOURLY cmd", CRONTAB_JOB, "@HOURLY", "cmd" },
	{ "  @Daily cmd", CRONTAB_JOB, "@Daily", "cmd" },
	/* refused */
	{ "@reboot /usr/bin/start", CRONTAB_BAD, "@reboot cannot be imported", NULL },
	{ "@REBOOT /usr/bin/start", CRONTAB_BAD, "@reboot cannot be imported", NULL },
	{ "  @reboot", CRONTAB_BAD, "@reboot cannot be imported", NULL },
	{ "0 5 * *", CRONTAB_BAD, "expected five time fields", NULL },
	{ "0 5 * * \t ", CRONTAB_BAD, "expected five time fields", NULL },
	{ "0", CRONTAB_BAD, "expected five time fields", NULL },
	{ "hello", CRONTAB_BAD, "expected five time fields", NULL },
	{ "1X=2", CRONTAB_BAD, "expected five time fields", NULL },
	{ "MY-VAR=1", CRONTAB_BAD, "expected five time fields", NULL },
	{ "0 5 * * 1", CRONTAB_BAD, "no command after the schedule '0 5 * * 1'", NULL },
	{ "0\t5  *\t* 1 \t ", CRONTAB_BAD, "no command after the schedule '0 5 * * 1'", NULL },
	{ "@daily", CRONTAB_BAD, "no command after the schedule '@daily'", NULL },
	{ "@daily  \t ", CRONTAB_BAD, "no command after the schedule '@daily'", NULL },
};

static const char *
kind_name(enum crontab_kind k)
{
	switch (k) {
	case CRONTAB_NOTHING:
		return "nothing";
	case CRONTAB_ENV:
		return "env";
	case CRONTAB_JOB:
		return "job";
	case CRONTAB_BAD:
		return "bad";
	}
	return "?";
}

static void
test_line(void **state)
{
	const struct line_case	*c = *state;
	struct crontab_line	 l;
	char			*line = xstrdup(c->line);
	enum crontab_kind	 k;

	memset(&l, 0, sizeof(l));
	k = crontab_parse_line(line, &l);
	if (k != c->kind)
		fail_msg("'%s': %s, not %s (err '%s')", c->line, kind_name(k), kind_name(c->kind),
		    l.err.data);
	assert_int_equal(l.kind, c->kind);
	switch (c->kind) {
	case CRONTAB_NOTHING:
		assert_int_equal(l.expr.len, 0);
		assert_int_equal(l.err.len, 0);
		break;
	case CRONTAB_ENV:
		assert_string_equal(l.name, c->a);
		assert_string_equal(l.value, c->b);
		assert_int_equal(l.err.len, 0);
		break;
	case CRONTAB_JOB:
		assert_string_equal(l.expr.data, c->a);
		assert_string_equal(l.command, c->b);
		assert_int_equal(l.err.len, 0);
		break;
	case CRONTAB_BAD:
		if (strstr(l.err.data, c->a) == NULL)
			fail_msg("'%s': message '%s' lacks '%s'", c->line, l.err.data, c->a);
		assert_null(l.command);
		break;
	}
	crontab_line_release(&l);
	assert_int_equal(l.expr.alloc, 0);
	assert_int_equal(l.err.alloc, 0);
	free(line);
}

#define ELL	"\xe2\x80\xa6"

static const struct name_case {
	const char	*name;
	const char	*command;
	size_t		 sz, max;
	const char	*want;
} name_cases[] = {
	{ "short: as it is", "backup.sh", 64, 10, "backup.sh" },
	{ "blanks squeezed, ends trimmed", "  run   this\t now  \t", 64, 40, "run this now" },
	{ "tabs squeezed", "a\t\tb", 64, 10, "a b" },
	{ "empty", "", 64, 10, "" },
	{ "blanks only", " \t ", 64, 10, "" },
	{ "one under max", "abcdefghi", 64, 10, "abcdefghi" },
	{ "exactly max characters: not cut", "abcdefghij", 64, 10, "abcdefghij" },
	{ "one over max: cut, the ellipsis is the last character", "abcdefghijk", 64, 10,
	  "abcdefghi" ELL },
	{ "long: cut to max", "/usr/local/bin/very-long-program --with --many --options", 64, 12,
	  "/usr/local/" ELL },
	{ "squeezed first, then counted", "a    b    c", 64, 6, "a b c" },
	{ "max counted in characters, not bytes", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	  64, 4, "\xc3\xa9\xc3\xa9\xc3\xa9" ELL },
	{ "multi-byte characters that fit", "\xc3\xa9t\xc3\xa9", 64, 4, "\xc3\xa9t\xc3\xa9" },
	{ "max 1: the ellipsis alone", "abc", 64, 1, ELL },
	{ "a small buffer never splits a character", "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac"
	  "\xe2\x82\xac", 8, 100, "\xe2\x82\xac" ELL },
	{ "a small buffer, ASCII", "abcdefghij", 8, 100, "abcd" ELL },
};

static void
test_name(void **state)
{
	const struct name_case	*c = *state;
	char			*out = xmalloc(c->sz), got[128];
	int			 ended;
	size_t			 chars;

	/* out has exactly sz bytes (ASan sees any write past them); checked from a copy */
	memset(out, 'Z', c->sz);
	crontab_job_name(c->command, out, c->sz, c->max);
	ended = memchr(out, '\0', c->sz) != NULL;
	snprintf(got, sizeof(got), "%.*s", (int)c->sz, out);
	free(out);
	assert_true(ended);
	assert_string_equal(got, c->want);
	assert_true(utf8_valid(got, strlen(got)));
	chars = utf8_chars(got);
	if (chars > c->max)
		fail_msg("'%s': %zu characters, more than %zu", got, chars, c->max);
}

int
main(void)
{
	struct suite	 s = { 0 };
	size_t		 i;

	for (i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++)
		suite_add(&s, test_line, (void *)&line_cases[i], "%s: '%s'",
		    kind_name(line_cases[i].kind), line_cases[i].line);
	for (i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++)
		suite_add(&s, test_name, (void *)&name_cases[i], "job name: %s",
		    name_cases[i].name);
	return suite_run(&s, "crontab");
}
