/*
 * autosched tests: lib/log.c: what a log line looks like on stderr, and that input carried
 * in a message cannot start a line of its own (control characters come out as \xNN).
 */
#include <fcntl.h>
#include <unistd.h>

#include "testutil.h"

/* Runs log_info("sign-in failed for %s", arg) with stderr in a file; returns what it wrote. */
static char *
logged(const char *arg)
{
	char	 path[] = "/tmp/autosched-test-log-XXXXXX", buf[8192];
	int	 fd = mkstemp(path), saved = dup(2);
	ssize_t	 n;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	log_info("sign-in failed for %s", arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	unlink(path);
	assert_true(n >= 0);
	buf[n] = '\0';
	return xstrdup(buf);
}

static const struct log_case {
	const char	*arg;
	const char	*want;
} cases[] = {
	{ "plain", "tester: sign-in failed for plain\n" },
	{ "bob\nautosched-web: forged",
	  "tester: sign-in failed for bob\\x0aautosched-web: forged\n" },
	{ "cr\rtab\tesc\x1b del\x7f",
	  "tester: sign-in failed for cr\\x0dtab\\x09esc\\x1b del\\x7f\n" },
	{ "caf\xc3\xa9 \xe2\x82\xac", "tester: sign-in failed for caf\xc3\xa9 \xe2\x82\xac\n" },
};

static void
test_escape(void **state)
{
	const struct log_case	*c = *state;
	char			*got;

	log_init("tester", LOGTO_STDERR, 0);
	got = logged(c->arg);
	assert_string_equal(got, c->want);
	free(got);
}

int
main(void)
{
	struct suite	 s = { 0 };
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		suite_add(&s, test_escape, (void *)&cases[i], "escape case %zu", i);
	return suite_run(&s, "log");
}
