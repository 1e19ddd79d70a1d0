/*
 * autosched: reading crontab lines as cron (cronie) reads them. An environment setting is
 * NAME=VALUE with blanks allowed around '=' and VALUE optionally quoted; anything else that
 * is not blank or a comment is a job: five time fields or one @macro, then the command.
 * @reboot names no time and is refused here, where the reason can be said.
 */
#include <string.h>
#include <strings.h>

#include "crontab.h"

static int
name_start(int c)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * Whether p (no leading blanks) is an environment setting. On 1, name and value point
 * into p, which is cut.
 */
static int
env_line(char *p, const char **name, const char **value)
{
	size_t	 n = 0, len;
	char	*v;

	if (!name_start((unsigned char)p[0]))
		return 0;
	while (name_start((unsigned char)p[n]) || (p[n] >= '0' && p[n] <= '9'))
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

enum crontab_kind
crontab_parse_line(char *line, struct crontab_line *l)
{
	char	*p, *cmd;
	size_t	 i, len;

	buf_init(&l->expr);
	buf_init(&l->err);
	p = line + strspn(line, " \t");
	if (*p == '\0' || *p == '#')
		return l->kind = CRONTAB_NOTHING;
	if (env_line(p, &l->name, &l->value))
		return l->kind = CRONTAB_ENV;
	if (*p == '@') {
		len = strcspn(p, " \t");
		if (len == 7 && strncasecmp(p, "@reboot", 7) == 0) {
			buf_addstr(&l->err, "@reboot cannot be imported: a job runs on a schedule "
			    "or by hand, not at boot (use a systemd unit)");
			return l->kind = CRONTAB_BAD;
		}
		buf_add(&l->expr, p, len);
		cmd = p + len;
	} else {
		/* five time fields */
		for (i = 0, cmd = p; i < 5; i++) {
			cmd += strspn(cmd, " \t");
			if ((len = strcspn(cmd, " \t")) == 0)
				break;
			if (i > 0)
				buf_addch(&l->expr, ' ');
			buf_add(&l->expr, cmd, len);
			cmd += len;
		}
		if (i < 5) {
			buf_addstr(&l->err, "expected five time fields (minute hour day-of-month "
			    "month day-of-week) or a macro such as @daily, then a command");
			return l->kind = CRONTAB_BAD;
		}
	}
	cmd += strspn(cmd, " \t");
	len = strlen(cmd);
	while (len > 0 && (cmd[len - 1] == ' ' || cmd[len - 1] == '\t'))
		cmd[--len] = '\0';
	if (*cmd == '\0') {
		buf_addf(&l->err, "no command after the schedule '%s'", l->expr.data);
		return l->kind = CRONTAB_BAD;
	}
	l->command = cmd;
	return l->kind = CRONTAB_JOB;
}

void
crontab_line_release(struct crontab_line *l)
{
	buf_release(&l->expr);
	buf_release(&l->err);
}

void
crontab_job_name(const char *command, char *out, size_t sz, size_t max)
{
	struct buf	 b = BUF_INIT;
	const char	*p;

	for (p = command; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			if (b.len > 0 && b.data[b.len - 1] != ' ')
				buf_addch(&b, ' ');
		} else
			buf_addch(&b, *p);
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	/* a name that is cut ends with an ellipsis, one of its max characters */
	utf8_truncate(out, sz, b.data, utf8_chars(b.data) <= max || max == 0 ? max : max - 1);
	buf_release(&b);
}
