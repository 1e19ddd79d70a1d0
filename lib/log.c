/*
 * autosched: logging to stderr or syslog.
 *
 * Messages follow git's style: lowercase, no full stop, the failure first, the subject in
 * single quotes. log_warn appends the errno text. Debug messages appear only when verbose.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "base.h"

static const char	*log_prog = "autosched";
static enum log_dest	 log_dest = LOGTO_STDERR;
static int		 log_verbose;

void
log_init(const char *progname, enum log_dest dest, int verbose)
{
	log_prog = progname;
	log_dest = dest;
	log_verbose = verbose;
	if (dest == LOGTO_SYSLOG)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

static void vlog(int, const char *, const char *, va_list) APP_PRINTF(3, 0);

/*
 * Writes control characters of msg (which may carry input: a name, a path) as \xNN, in
 * place into out[sz], so that no input can start a line of its own in the log.
 */
static void
escape(const char *msg, char *out, size_t sz)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p;
	size_t			 o = 0;

	for (p = (const unsigned char *)msg; *p && o + 5 < sz; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		} else
			out[o++] = (char)*p;
	}
	out[o] = '\0';
}

static void
vlog(int pri, const char *errstr, const char *fmt, va_list ap)
{
	char	 raw[1024], msg[4 * sizeof(raw)];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	escape(raw, msg, sizeof(msg));
	if (log_dest == LOGTO_SYSLOG) {
		if (errstr)
			syslog(pri, "%s: %s", msg, errstr);
		else
			syslog(pri, "%s", msg);
		return;
	}
	if (errstr)
		fprintf(stderr, "%s: %s: %s\n", log_prog, msg, errstr);
	else
		fprintf(stderr, "%s: %s\n", log_prog, msg);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog(LOG_WARNING, strerror(saved), fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, NULL, fmt, ap);
	va_end(ap);
}
