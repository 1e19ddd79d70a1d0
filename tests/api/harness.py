"""autosched test harness: a real stack started by the tests themselves.

Stack() makes a temporary folder with a configuration (from deploy/autosched.conf), a
database (`autosched init`) and an API key, picks a free loopback port, and starts a web
server from its file in deploy/ (through scripts/server-conf) with the API and the dashboard
under their mount points: lighttpd, Apache (mod_fcgid or plain CGI) or nginx (the programs
started by spawn-fcgi). Everything it starts is stopped by pid. TAP output through Tap.

For schedd (tests/schedd): Redis (a private redis-server on a unix socket), RedisClient (a
minimal RESP client), Worker (a stock `rq worker` running examples/bots) and Schedd (the
daemon with its own configuration file, or `--once`).

Run with Debian's /usr/bin/python3; standard library only.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Tap:
    """Counts and prints TAP lines; a failure shows what was expected and what came."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, *detail):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            for d in detail:
                for line in str(d).splitlines()[:40]:
                    print("#   " + (line if len(line) < 600 else line[:600] + "..."))
        sys.stdout.flush()
        return cond

    def eq(self, got, want, name, *detail):
        return self.ok(got == want, name, "want: %r" % (want,), "got:  %r" % (got,), *detail)

    def done(self):
        print("1..%d" % self.n)
        return 0 if self.failed == 0 else 1


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


class Stack:
    """The API and the dashboard behind one web server, SERVER being one of SERVERS:
    lighttpd (which starts the FastCGI programs), Apache with mod_fcgid, Apache with plain
    CGI, or nginx with the programs started by spawn-fcgi. Apache's and nginx's workers run
    as www-data, so the folder and the database are given to that user, as in production."""

    SERVERS = ("lighttpd", "apache-fcgid", "apache-cgi", "nginx")
    WEB_USER = "www-data"

    def __init__(self, bindir, prefix="/api/scheduler", conf_extra="", lighttpd_extra=None,
                 server="lighttpd"):
        if server not in self.SERVERS:
            raise ValueError("unknown server %r" % server)
        self.bindir = os.path.abspath(bindir)
        self.prefix = prefix
        self.server = server
        self.dir = tempfile.mkdtemp(prefix="autosched-test-")
        self.port = free_port()
        self.conf = os.path.join(self.dir, "autosched.conf")
        self.db = os.path.join(self.dir, "autosched.db")
        self.proc = None
        self.programs = []
        # What the web programs read. www-data may not reach the source tree (a clone in a
        # private home folder): under Apache and nginx they run from copies in the folder.
        self.webbin, templates, static = (self.bindir, os.path.join(TOP, "templates"),
                                          os.path.join(TOP, "static"))
        if server != "lighttpd":
            self.webbin = os.path.join(self.dir, "bin")
            os.makedirs(self.webbin)
            for name in ("autosched-api", "autosched-web"):
                shutil.copy2(os.path.join(self.bindir, name), self.webbin)
            templates = shutil.copytree(templates, os.path.join(self.dir, "templates"))
            static = shutil.copytree(static, os.path.join(self.dir, "static"))
        with open(os.path.join(TOP, "deploy", "autosched.conf")) as f:
            text = f.read().replace("path = /var/lib/autosched/autosched.db",
                                    "path = " + self.db).replace(
                "templates = /usr/local/share/autosched/templates",
                "templates = " + templates)
        with open(self.conf, "w") as f:
            f.write(text + conf_extra)
        self.env = dict(os.environ, AUTOSCHED_CONF=self.conf)
        self.cli("init")
        self.key = self.cli("apikey", "create", "test").strip()
        for d in ("run", "log"):
            os.makedirs(os.path.join(self.dir, d))
        self.lconf = os.path.join(self.dir, server + ".conf")
        extra = []
        if lighttpd_extra:
            extra = [os.path.join(self.dir, "extra.conf")]
            with open(extra[0], "w") as f:
                f.write(lighttpd_extra.replace("@RUN@", os.path.join(self.dir, "run")))
        run = os.path.join(self.dir, "run")
        log = os.path.join(self.dir, "log")
        subprocess.run([os.path.join(TOP, "scripts", "server-conf"), server, self.lconf,
                        str(self.port), prefix, self.webbin, self.conf, run, static,
                        log] + extra, check=True,
                       env=dict(os.environ, WEB_USER=self.WEB_USER))
        if server != "lighttpd":
            self.give_to_web_user()
        if server == "lighttpd":
            cmd = ["lighttpd", "-D", "-f", self.lconf]
        elif server == "nginx":
            for name in ("api", "web"):
                self.spawn_fcgi(name)
            cmd = ["nginx", "-c", self.lconf]
        else:
            cmd = ["apache2", "-f", self.lconf, "-DFOREGROUND"]
        # A session of its own: Apache's prefork MPM stops by signalling its process group.
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        deadline = time.time() + 20
        while True:
            try:
                r = self.request("GET", "/health")
                if r.status in (200, 503):
                    break
            except OSError:
                pass
            if time.time() > deadline or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError("%s did not start: %s" % (server, self.errorlog()))
            time.sleep(0.05)

    def give_to_web_user(self):
        """The programs run as WEB_USER: the folder, the database and the logs are theirs
        (SQLite, run as root here, gives its journal files to the database's owner)."""
        import pwd
        pw = pwd.getpwnam(self.WEB_USER)
        for root, dirs, files in os.walk(self.dir):
            for n in [root] + [os.path.join(root, f) for f in files]:
                os.chown(n, pw.pw_uid, pw.pw_gid)

    def spawn_fcgi(self, name):
        """One FastCGI program on run/NAME.sock, started by spawn-fcgi as nginx's hosting
        has it (deploy/systemd/autosched-NAME.service); its stderr in log/NAME.log."""
        sock = os.path.join(self.dir, "run", name + ".sock")
        logf = open(os.path.join(self.dir, "log", name + ".log"), "ab")
        p = subprocess.Popen(["spawn-fcgi", "-n", "-s", sock, "-M", "0660",
                              "-u", self.WEB_USER, "-U", self.WEB_USER,
                              "--", os.path.join(self.webbin, "autosched-" + name)],
                             env=self.env, stdout=logf, stderr=logf)
        logf.close()
        self.programs.append(p)
        wait_until(lambda: os.path.exists(sock) or p.poll() is not None, 20)

    def cli(self, *args, check=True, stdin=None):
        p = subprocess.run([os.path.join(self.bindir, "autosched")] + list(args),
                           env=self.env, input=stdin, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if check and p.returncode != 0:
            raise RuntimeError("autosched %s: %s" % (" ".join(args), p.stderr))
        return p.stdout

    def errorlog(self):
        """Every log of the web server and of the programs it runs, one after the other."""
        logdir = os.path.join(self.dir, "log")
        return "".join(read_text(os.path.join(logdir, n)) for n in
                       (sorted(os.listdir(logdir)) if os.path.isdir(logdir) else []))

    def request(self, method, path, body=None, headers=None, key=True, raw_path=False):
        """One request on a new connection. body: bytes, str, or a JSON-able object."""
        h = {}
        if key:
            h["X-API-Key"] = self.key if key is True else key
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            h["Content-Type"] = "application/json"
        if isinstance(body, str):
            body = body.encode()
        if headers:
            h.update(headers)
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            c.request(method, path if raw_path else self.prefix + path, body=body,
                      headers=h)
            r = c.getresponse()
            data = r.read().decode("utf-8", "replace")
            return Response(r.status, r.getheaders(), data)
        finally:
            c.close()

    def metrics(self):
        """GET /metrics, as prometheus() reads it."""
        return prometheus(self.request("GET", "/metrics").body)

    def snapshot(self):
        """Every row of every table, to check that bad input changed nothing."""
        c = sqlite3.connect(self.db)
        try:
            out = {}
            for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                  "ORDER BY name"):
                out[t] = sorted(c.execute("SELECT * FROM %s" % t).fetchall(), key=repr)
            return out
        finally:
            c.close()

    def sql(self, query, *args):
        c = sqlite3.connect(self.db)
        try:
            rows = c.execute(query, args).fetchall()
            c.commit()
            return rows
        finally:
            c.close()

    def stop(self):
        for p in [self.proc] + self.programs:
            if p and p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        self.proc = None
        self.programs = []

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def finish(self, t):
        """Stops everything, checks the logs for a sanitizer report (one TAP line), and
        removes the folder. Returns the logs."""
        self.stop()
        log = self.errorlog()
        t.ok("Sanitizer" not in log and "runtime error" not in log,
             "sanitizers: no report from the FastCGI processes", log[-3000:])
        self.cleanup()
        return log


def cgi(bindir, conf, method, path, body=b"", headers=None, query="", script="/cgi-bin/api",
        program="autosched-api", env_extra=None):
    """Runs a program (the API by default) as plain CGI: one request from the environment
    and stdin. env_extra adds CGI variables (REMOTE_USER, HTTPS, REMOTE_ADDR...)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AUTOSCHED_CONF": conf,
           "REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": script,
           "QUERY_STRING": query, "CONTENT_LENGTH": str(len(body)),
           "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1"}
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    env.update(env_extra or {})
    for k, v in (headers or {}).items():
        if k.lower() == "content-type":
            env["CONTENT_TYPE"] = v
        else:
            env["HTTP_" + k.upper().replace("-", "_")] = v
    p = subprocess.run([os.path.join(bindir, program)], input=body, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    head, _, data = p.stdout.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1]) if lines and lines[0].startswith("Status:") else 0
    hdrs = [tuple(l.split(": ", 1)) for l in lines[1:] if ": " in l]
    return Response(status, hdrs, data.decode("utf-8", "replace")), p.returncode, p.stderr


# --- schedd's world: a private redis-server, stock RQ workers, schedd itself ---------------
#
# Everything below starts real processes and stops them by pid (a worker by the process
# group it leads, so that its work-horse goes too). Every wait has a deadline.

RQ_PYTHON = "/usr/bin/python3"		# Debian's: the one python3-rq is installed for
RQ_SCRIPT = "/usr/bin/rq"


def read_text(path):
    """A log file's text, "" when it is not there (yet)."""
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def prometheus(text):
    """The samples of a Prometheus text answer: {"name{labels}": "value"}."""
    return dict(l.rsplit(" ", 1) for l in text.splitlines() if l and not l.startswith("#"))


def wait_until(pred, timeout, interval=0.02):
    """Polls pred() until it returns something true or timeout seconds pass; returns the
    last value (false on timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v or time.monotonic() > deadline:
            return v
        time.sleep(interval)


def stop_process(proc, sig=signal.SIGTERM, timeout=15):
    """Signals a process we started and waits for it (SIGKILL after timeout). Returns its
    exit status."""
    if proc is None:
        return None
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(30)
    return proc.returncode


class RedisError(Exception):
    pass


class RedisClient:
    """A minimal RESP client over a unix socket (standard library only)."""

    def __init__(self, path, timeout=20):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.f = self.sock.makefile("rb")

    @staticmethod
    def _encode(args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            if not isinstance(a, bytes):
                a = str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        return b"".join(out)

    def _read(self):
        line = self.f.readline()
        if not line.endswith(b"\r\n"):
            raise ConnectionError("redis closed the connection")
        t, rest = line[:1], line[1:-2]
        if t == b"+":
            return rest.decode()
        if t == b"-":
            return RedisError(rest.decode())
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.f.read(n + 2)
            return data[:-2]
        if t == b"*":
            n = int(rest)
            return None if n < 0 else [self._read() for _ in range(n)]
        raise ConnectionError("bad reply from redis: %r" % line)

    def execute(self, *args):
        self.sock.sendall(self._encode(args))
        r = self._read()
        if isinstance(r, RedisError):
            raise r
        return r

    def pipeline(self, commands, chunk=1000):
        """Sends commands (tuples) in chunks and returns every reply, errors included."""
        out = []
        for i in range(0, len(commands), chunk):
            part = commands[i:i + chunk]
            self.sock.sendall(b"".join(self._encode(c) for c in part))
            out.extend(self._read() for _ in part)
        return out

    def close(self):
        try:
            self.f.close()
            self.sock.close()
        except OSError:
            pass


class Redis:
    """A private redis-server on a unix socket only (no TCP port), in folder `dir`.
    aof=True keeps the data across a stop and start, even a kill -9: an append-only file
    written and fsynced before Redis answers (appendfsync always)."""

    def __init__(self, dir, name="redis", aof=False, password=None, acl=(), port=0):
        """password: requirepass (the default user's); acl: ACL rules, each a user line
        such as "sched on >pw ~* &* +@all"; port: also listen on 127.0.0.1:port."""
        self.dir = dir
        self.name = name
        self.sock = os.path.join(dir, name + ".sock")
        self.password = password
        self.url = "unix://" + self.sock + ("?password=" + password if password else "")
        self.log = os.path.join(dir, name + ".log")
        self.aof = aof
        self.acl = list(acl)
        self.port = port
        self.proc = None

    def start(self, timeout=20):
        cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
               "--unixsocket", self.sock,
               "--unixsocketperm", "700", "--save", "", "--daemonize", "no",
               "--dir", self.dir, "--logfile", self.log]
        if self.aof:
            cmd += ["--appendonly", "yes", "--appendfsync", "always",
                    "--appenddirname", self.name + "-aof"]
        else:
            cmd += ["--appendonly", "no"]
        if self.password:
            cmd += ["--requirepass", self.password]
        for rule in self.acl:
            cmd += ["--user"] + rule.split()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)

        def up():
            if self.proc.poll() is not None:
                raise RuntimeError("redis-server exited: " + self.logtext()[-2000:])
            try:
                c = self.client(timeout=2)
                try:
                    return c.execute("PING") == "PONG"
                finally:
                    c.close()
            except (OSError, ConnectionError, RedisError):
                return False
        if not wait_until(up, timeout, 0.02):
            self.stop()
            raise RuntimeError("redis-server did not answer: " + self.logtext()[-2000:])
        return self

    def client(self, timeout=20):
        c = RedisClient(self.sock, timeout=timeout)
        if self.password:
            c.execute("AUTH", self.password)
        return c

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def logtext(self):
        return read_text(self.log)

    def pause(self):
        """SIGSTOP: Redis hangs (connections stay open, nothing answers)."""
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self):
        self.proc.send_signal(signal.SIGCONT)

    def stop(self, sig=signal.SIGTERM):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)	# a paused server cannot stop
        rc = stop_process(self.proc, sig, timeout=20)
        self.proc = None
        return rc


class Worker:
    """A stock `rq worker` (Debian's python3-rq) running the example bots in examples/,
    in its own session so that a kill reaches its work-horse too."""
    count = 0

    def __init__(self, redis, queues, serializer="json", speed="0.05", args=(), dir=None,
                 url=None, db=0):
        """url: how the worker reaches Redis (default redis.url); db: the database it uses,
        for wait_ready."""
        Worker.count += 1
        self.name = "test-%d-%d" % (os.getpid(), Worker.count)
        self.redis = redis
        self.db = db
        self.log = os.path.join(dir or redis.dir, "worker-%s.log" % self.name)
        cmd = [RQ_PYTHON, RQ_SCRIPT, "worker", "-u", url or redis.url, "-n", self.name]
        if serializer == "json":
            cmd += ["--serializer", "rq.serializers.JSONSerializer"]
        cmd += list(args) + list(queues)
        env = dict(os.environ, PYTHONPATH=os.path.join(TOP, "examples"),
                   AUTOSCHED_BOT_SPEED=str(speed))
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
