/*
 * autosched: reading crontab files (crontab.c), as cron reads them: blank lines and
 * comments, environment settings (NAME=VALUE), and jobs (five time fields or a macro such
 * as @daily, then a command). What a line means for autosched (a job of which bot type, in
 * which zone) is the command-line tool's business (cli/crontab.c).
 */
#ifndef CRONTAB_H
#define CRONTAB_H

#include "base.h"

enum crontab_kind {
	CRONTAB_NOTHING,	/* blank, or a comment */
	CRONTAB_ENV,		/* NAME=VALUE */
	CRONTAB_JOB,		/* a schedule and a command */
	CRONTAB_BAD		/* not a crontab line: err says why */
};

/* One line of a crontab, read. */
struct crontab_line {
	enum crontab_kind kind;
	const char	*name;		/* ENV: borrowed from the line */
	const char	*value;		/* ENV: unquoted, borrowed from the line */
	struct buf	 expr;		/* JOB: the schedule, fields one space apart */
	const char	*command;	/* JOB: trimmed, borrowed from the line */
	struct buf	 err;		/* BAD: why, for people */
};

/*
 * Reads one line (without its newline; cut up in place) into *l, which the caller has
 * filled with zeros. Returns l->kind. Release l with crontab_line_release.
 */
enum crontab_kind crontab_parse_line(char *line, struct crontab_line *l);
void		 crontab_line_release(struct crontab_line *);
/*
 * A job name from a command into out[sz]: blanks squeezed to one space, cut to max
 * characters (the ellipsis is one of them).
 */
void		 crontab_job_name(const char *command, char *out, size_t sz, size_t max);

#endif /* CRONTAB_H */
