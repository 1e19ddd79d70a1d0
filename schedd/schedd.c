/*
 * autosched: schedd, the daemon that fires due jobs, hands their runs to Redis for RQ
 * workers, and records how every run ended (SPEC §4, docs/SCHEDD.md).
 *
 *	schedd [-d] [-v] [-c config] [--once]
 *
 * The loop, in the spirit of OpenBSD cron: read the wall clock, do one pass of work
 * (tick.c), then sleep on the monotonic clock until the earliest next_run_at or the poll
 * interval, whichever is first, or until the web tier nudges us through the notify socket
 * (a manual run, a new job). Signals only set flags: SIGTERM and SIGINT finish the current
 * pass and exit 0; SIGHUP reloads the configuration. Under systemd (Type=notify) we say
 * when we are ready, reloading and stopping, as sd_notify(3) would.
 *
 * Clock jumps. Schedules are read on the wall clock; sleeping uses the monotonic clock, so
 * a change of the wall clock shows as the two disagreeing. The policy, case by case:
 *  - wall clock set forward (or the host slept): the jobs whose times were jumped over are
 *    due at once and the misfire rules apply as after any outage: fire times within
 *    misfire_grace_time run (one run with coalesce), older ones become one `missed` row.
 *    Nothing is lost silently.
 *  - wall clock set back by up to TICK_BIG_JUMP (3 hours; NTP steps, a wrong-zone fix):
 *    nothing moves. Runs already fired are not fired again; jobs wait for the clock to
 *    reach their next_run_at again. Firing twice is worse than firing a little late.
 *  - wall clock set back by more than that: the old times are meaningless (the clock was
 *    wrong, or was reset to a different date): every job's next run is computed afresh
 *    from the new time. A fire time that already has a run is never fired again, since a
 *    run is unique per (job, scheduled time).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "schedd.h"

#define PRUNE_INTERVAL	3600	/* seconds between history prunes */
#define JUMP_SLACK	5	/* seconds of disagreement between clocks that are noise */

static volatile sig_atomic_t	 quit, reload;
static int			 wake_pipe[2] = { -1, -1 };

/*
 * Signals set a flag and write a byte to a pipe the loop's poll() watches, so that a
 * signal arriving during a pass ends the sleep that follows it (the self-pipe trick).
 */
static void
on_signal(int sig)
{
	int	 saved = errno;

	if (sig == SIGHUP)
		reload = 1;
	else
		quit = 1;
	/* a full pipe means a wakeup is pending already */
	if (wake_pipe[1] != -1 && write(wake_pipe[1], "s", 1) == -1)
		errno = saved;
	errno = saved;
}

static void
drain(int fd)
{
	char	 b[64];

	while (read(fd, b, sizeof(b)) > 0)
		;
}

static void
usage(void)
{
	fprintf(stderr, "usage: schedd [-d] [-v] [-c config] [--once]\n");
	exit(2);
}

static uint64_t
mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int64_t
wall_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Tells the service manager how we are ("READY=1", "RELOADING=1", "STOPPING=1"): one
 * datagram to the unix socket named by $NOTIFY_SOCKET, which is what sd_notify(3) sends,
 * without linking libsystemd. A name starting with '@' is an abstract socket (its first
 * byte is NUL on the wire). Without the variable (not under systemd, or Type=simple) this
 * does nothing; a failure is logged and changes nothing else.
 */
static void
notify_systemd(const char *state)
{
	struct sockaddr_un	 sun;
	const char		*path = getenv("NOTIFY_SOCKET");
	socklen_t		 len;
	size_t			 n;
	int			 fd;

	if (path == NULL || (path[0] != '/' && path[0] != '@'))
		return;
	if ((n = strlen(path)) < 2 || n >= sizeof(sun.sun_path)) {
		log_warnx("%s: NOTIFY_SOCKET '%s' is not a usable socket name", __func__, path);
		return;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, n);
	/* a file socket's length counts its NUL; an abstract name is exactly its bytes */
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (path[0] == '/'));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("%s: socket", __func__);
		return;
	}
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sun, len) == -1)
		log_warn("%s: cannot tell '%s' to '%s'", __func__, state, path);
	close(fd);
}

static int
load(struct schedd *sd, const char *path)
{
	struct buf	 err = BUF_INIT;

	if (conf_load(&sd->conf, path, &err) == -1) {
		log_warnx("%s", err.data);
		buf_release(&err);
		return -1;
	}
	return 0;
}

/* SIGHUP: read the configuration again; keep the old one if the new one is bad. */
static void
reconfigure(struct schedd *sd, const char *path, int *nfd)
{
	struct conf	 old = sd->conf;

	if (load(sd, path) == -1) {
		log_warnx("keeping the previous configuration");
		sd->conf = old;
		return;
	}
	if (strcmp(old.db_path, sd->conf.db_path) != 0)
		log_warnx("[database] path changed: restart schedd to use it");
	if (!conf_redis_same(&old.schedd, &sd->conf.schedd)) {
		queue_close(sd->q);
		sd->q = NULL;
		sd->q_retry_at = 0;
	}
	if (strcmp(old.schedd.notify_socket, sd->conf.schedd.notify_socket) != 0) {
		if (*nfd != -1)
			close(*nfd);
		*nfd = notify_listen(sd->conf.schedd.notify_socket);
	}
	conf_release(&old);
	tz_cache_flush();	/* pick up a tzdata update too */
	log_info("configuration reloaded");
}

/*
 * Counts what waits in the RQ queue of every configured bot type (each queue once) into
 * object `queues`, {"default": 412}: how far behind the workers are, for /metrics and
 * /health. Returns -1 when the connection failed.
 */
static int
queue_lengths_into(struct schedd *sd, json_t *queues)
{
	const char	**names;
	int64_t		 *len;
	size_t		  i, k, n = 0;
	int		  rc;

	names = xcalloc(sd->conf.nbots + 1, sizeof(*names));
	len = xcalloc(sd->conf.nbots + 1, sizeof(*len));
	for (i = 0; i < sd->conf.nbots; i++) {
		for (k = 0; k < n && strcmp(names[k], sd->conf.bots[i].queue) != 0; k++)
			;
		if (k == n)
			names[n++] = sd->conf.bots[i].queue;
	}
	if ((rc = queue_lengths(sd->q, names, n, len)) == 0)
		for (i = 0; i < n; i++)
			if (len[i] >= 0)
				json_object_set_new(queues, names[i], json_integer(len[i]));
	free(names);
	free(len);
	return rc;
}

/*
 * Says schedd is alive, how Redis is and how long its queues are: asked now, not guessed
 * from the last pass (an idle pass sends Redis nothing). `stopping` marks a clean exit.
 */
static void
heartbeat(struct schedd *sd, int64_t now, int stopping)
{
	char	 host[256] = "", *text, name[320], iso[CAL_ISO_LEN];
	json_t	*info, *queues = json_object();

	if (sd->q != NULL && (queue_ping(sd->q) == -1 ||
	    queue_lengths_into(sd, queues) == -1)) {
		log_warnx("lost redis '%s'", sd->conf.schedd.redis_shown);
		queue_close(sd->q);
		sd->q = NULL;
		sd->q_retry_at = now + 1;
	}
	gethostname(host, sizeof(host) - 1);
	/* one row per process: several schedd may share a database */
	snprintf(name, sizeof(name), "schedd@%s:%ld", host, (long)getpid());
	info = json_pack("{s:s,s:s}", "redis", sd->q ? "ok" : "down", "version",
	    AUTOSCHED_VERSION);
	/* the dashboard's banner says since when Redis is unreachable */
	if (sd->q != NULL) {
		sd->redis_down_since = 0;
		json_object_set(info, "queues", queues);
	} else {
		if (sd->redis_down_since == 0)
			sd->redis_down_since = now;
		json_object_set_new(info, "redis_down_since",
		    json_string(cal_iso(sd->redis_down_since, iso)));
	}
	if (stopping)
		json_object_set_new(info, "stopped", json_true());
	text = json_dumps(info, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL ||
	    db_heartbeat_set(sd->db, name, now, (int64_t)getpid(), host, text) != DB_OK)
		log_warnx("cannot write the heartbeat");
	free(text);
	json_decref(info);
	json_decref(queues);
}

int
main(int argc, char **argv)
{
	struct schedd		 sd;
	struct tick_stats	 st;
	struct sigaction	 sa;
	struct pollfd		 pfd[2];
	const char		*path = NULL;
	uint64_t		 last_mono;
	int64_t			 last_wall, now, next, wait_ms, last_beat = 0, last_prune = 0;
	int64_t			 drift;
	int			 i, debug = 0, verbose = 0, once = 0, nfd = -1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-d") == 0)
			debug = 1;
		else if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "--once") == 0)
			once = 1;
		else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			path = argv[++i];
		else
			usage();
	}
	if (path == NULL)
		path = conf_default_path();
	log_init("schedd", debug ? LOGTO_STDERR : LOGTO_SYSLOG, verbose);

	memset(&sd, 0, sizeof(sd));
	sd.sync_created = sd.sync_rowid = INT64_MIN;
	if (load(&sd, path) == -1)
		return 1;
	if ((sd.db = db_open(sd.conf.db_path, 0, sd.conf.busy_timeout_ms)) == NULL) {
		log_warnx("cannot open the database '%s' (create it with `autosched init`)",
		    sd.conf.db_path);
		return 1;
	}
	/* a burst of due jobs touches jobs, runs and their indexes at once */
	db_cache_size(sd.db, SCHEDD_CACHE_KIB);

	if (pipe(wake_pipe) == -1 ||
	    fcntl(wake_pipe[0], F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(wake_pipe[1], F_SETFL, O_NONBLOCK) == -1) {
		log_warn("cannot make the signal pipe");
		return 1;
	}
	fcntl(wake_pipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(wake_pipe[1], F_SETFD, FD_CLOEXEC);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (!once)
		nfd = notify_listen(sd.conf.schedd.notify_socket);
	log_info("started (database '%s', redis '%s')", sd.conf.db_path,
	    sd.conf.schedd.redis_shown);
	/* the database is open and the notify socket bound (or polling chosen): ready */
	if (!once)
		notify_systemd("READY=1");
	last_wall = wall_ms() / 1000;
	last_mono = mono_ms();

	while (!quit) {
		if (reload) {
			reload = 0;
			notify_systemd("RELOADING=1");
			reconfigure(&sd, path, &nfd);
			notify_systemd("READY=1");
		}
		now = wall_ms() / 1000;

		/* Clock jumps: the wall clock moved unlike the monotonic one (see above). */
		drift = (now - last_wall) - (int64_t)((mono_ms() - last_mono) / 1000);
		if (drift < -JUMP_SLACK) {
			log_warnx("the clock went back %lld s", (long long)-drift);
			if (-drift > TICK_BIG_JUMP)
				log_info("rescheduled %lld jobs from the new time",
				    (long long)tick_reschedule(&sd, now));
		} else if (drift > JUMP_SLACK)
			log_info("the clock went forward %lld s; owed runs follow the misfire "
			    "rules", (long long)drift);
		last_wall = now;
		last_mono = mono_ms();

		memset(&st, 0, sizeof(st));
		guard_pass(&sd, now);
		if (tick_fire(&sd, now, &st) == -1)
			log_warnx("firing failed; trying again next pass");
		tick_connect(&sd, now);
		/* before anything new goes out: a deleted job's runs must not start */
		tick_withdraw(&sd, now, &st);
		tick_dispatch(&sd, now, &st);
		tick_sync(&sd, now, &st);
		if (st.pending || st.missed || st.skipped || st.pushed || st.synced)
			log_debug("pass: %lld jobs fired, %lld runs pending, %lld missed rows, "
			    "%lld skipped, %lld pushed, %lld updated", (long long)st.jobs,
			    (long long)st.pending, (long long)st.missed, (long long)st.skipped,
			    (long long)st.pushed, (long long)st.synced);
		if (now - last_beat >= sd.conf.schedd.heartbeat_interval || once) {
			heartbeat(&sd, now, 0);
			last_beat = now;
		}
		if (now - last_prune >= PRUNE_INTERVAL) {
			tick_prune(&sd, now);
			last_prune = now;
		}
		if (once)
			break;

		/* Sleep until the next fire time or the poll interval, whichever is first. */
		wait_ms = sd.conf.schedd.poll_interval_ms;
		if (db_next_due(sd.db, &next) == DB_OK && next != TIME_NONE) {
			int64_t until = next * 1000 - wall_ms();
			/* never spin: a job still due after a pass means a pass failed */
			if (until < wait_ms)
				wait_ms = until < 10 ? 10 : until;
		}
		pfd[0].fd = wake_pipe[0];
		pfd[0].events = POLLIN;
		pfd[1].fd = nfd;	/* ignored by poll() when -1 */
		pfd[1].events = POLLIN;
		if (!quit && !reload && poll(pfd, 2, (int)wait_ms) > 0) {
			drain(wake_pipe[0]);
			if (nfd != -1)
				drain(nfd);
		}
	}
	log_info("stopping");
	if (!once) {
		notify_systemd("STOPPING=1");
		heartbeat(&sd, wall_ms() / 1000, 1);
	}
	if (nfd != -1) {
		close(nfd);
		unlink(sd.conf.schedd.notify_socket);
	}
	queue_close(sd.q);
	guard_release(&sd);
	db_close(sd.db);
	conf_release(&sd.conf);
	tz_cache_flush();
	return 0;
}
