"""schedd's world besides Redis: stock RQ workers running examples/bots, and schedd itself.
Everything is started here and stopped by pid (a worker by the process group it leads, so
that its work-horse goes too). Every wait has a deadline."""
import os
import signal
import subprocess

from .util import TOP, read_text, stop_process, wait_until

RQ_PYTHON = "/usr/bin/python3"		# Debian's: the one python3-rq is installed for
RQ_SCRIPT = "/usr/bin/rq"


class Worker:
    """A stock `rq worker` (Debian's python3-rq) running the example bots in examples/,
    in its own session so that a kill reaches its work-horse too."""
    count = 0

    def __init__(self, redis, queues, serializer="json", speed="0.05", args=(), dir=None,
                 url=None, db=0, path=(), env=None):
        """url: how the worker reaches Redis (default redis.url); db: the database it uses,
        for wait_ready; path: more folders of bots, before examples/; env: more variables."""
        Worker.count += 1
        self.name = "test-%d-%d" % (os.getpid(), Worker.count)
        self.redis = redis
        self.db = db
        self.log = os.path.join(dir or redis.dir, "worker-%s.log" % self.name)
        cmd = [RQ_PYTHON, RQ_SCRIPT, "worker", "-u", url or redis.url, "-n", self.name]
        if serializer == "json":
            cmd += ["--serializer", "rq.serializers.JSONSerializer"]
        cmd += list(args) + list(queues)
        env = dict(os.environ, PYTHONPATH=":".join(list(path) + [os.path.join(TOP, "examples")]),
                   AUTOSCHED_BOT_SPEED=str(speed), **(env or {}))
        with open(self.log, "ab") as logf:
            self.proc = subprocess.Popen(cmd, env=env, cwd=dir or redis.dir, stdout=logf,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)

    def wait_ready(self, timeout=30):
        """Waits until the worker has registered itself in Redis."""
        key = "rq:worker:" + self.name

        def ready():
            if self.proc.poll() is not None:
                raise RuntimeError("rq worker exited: " + self.logtext()[-2000:])
            c = self.redis.client()
            try:
                if self.db:
                    c.execute("SELECT", self.db)
                return c.execute("SISMEMBER", "rq:workers", key) == 1
            finally:
                c.close()
        if not wait_until(ready, timeout, 0.05):
            raise RuntimeError("rq worker %s did not start: %s" %
                               (self.name, self.logtext()[-2000:]))
        return self

    def logtext(self):
        return read_text(self.log)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=20):
        """Warm shutdown (SIGTERM to the worker: it finishes the current job); if it does
        not end in time, kill -9 of its whole group (the leader is not reaped yet, so the
        group id cannot belong to anyone else)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(30)
        rc = self.proc.returncode
        self.proc = None
        return rc

    def kill(self):
        """kill -9 of the worker and its work-horse (the process group we started), before
        the leader is reaped."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(30)
        rc = self.proc.returncode
        self.proc = None
        return rc


class Schedd:
    """bin/schedd in the foreground (-d, logs to stderr into a file) with its own
    configuration file: the stack's, then a [schedd] section from `settings`."""

    def __init__(self, stack, name="schedd", **settings):
        self.stack = stack
        self.name = name
        self.conf = os.path.join(stack.dir, name + ".conf")
        self.log = os.path.join(stack.dir, name + ".log")
        self.settings = {"notify_socket": os.path.join(stack.dir, "schedd.sock"),
                         "poll_interval_ms": 200, "heartbeat_interval": 1}
        self.settings.update(settings)
        self.proc = None
        self.write()

    def write(self):
        with open(self.stack.conf) as f:
            text = f.read()
        text += "\n[schedd]\n" + "".join("%s = %s\n" % kv for kv in self.settings.items())
        with open(self.conf + ".tmp", "w") as f:
            f.write(text)
        os.rename(self.conf + ".tmp", self.conf)

    def cmd(self, *extra):
        return [os.path.join(self.stack.bindir, "schedd"), "-d", "-c", self.conf] + list(extra)

    def start(self, verbose=True):
        with open(self.log, "ab") as logf:
            self.proc = subprocess.Popen(self.cmd(*(["-v"] if verbose else [])),
                                         stdout=logf, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
        return self

    def once(self, timeout=120):
        """One pass (`schedd --once`); returns (exit status, output)."""
        p = subprocess.run(self.cmd("--once"), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        out = p.stdout.decode("utf-8", "replace")
        with open(self.log, "a") as f:
            f.write(out)
        return p.returncode, out

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def logtext(self):
        return read_text(self.log)

    def reconfigure(self, timeout=10, **settings):
        """Rewrites the configuration and sends SIGHUP; True once the log says so."""
        self.settings.update(settings)
        self.write()
        n = self.logtext().count("configuration reloaded")
        self.proc.send_signal(signal.SIGHUP)
        return bool(wait_until(lambda: self.logtext().count("configuration reloaded") > n,
                               timeout, 0.02))

    def stop(self, sig=signal.SIGTERM, timeout=20):
        rc = stop_process(self.proc, sig, timeout)
        self.proc = None
        return rc

    def kill(self):
        return self.stop(signal.SIGKILL)


def stop_all(workers=(), schedd=None, redis=None, stack=None):
    """Stops what a suite started, the consumers first: workers, schedd, Redis, the stack."""
    for w in workers:
        w.stop()
    if schedd is not None:
        schedd.stop()
    if redis is not None:
        redis.stop()
    if stack is not None:
        stack.stop()
