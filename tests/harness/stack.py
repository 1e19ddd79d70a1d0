"""An installation (configuration, database, API key) and the stack that serves it.

Installation() makes a temporary folder with a configuration (from deploy/autosched.conf), a
database (`autosched init`) and an API key, and nothing else: no server, no Redis, no root.
Its request() runs the API as plain CGI (cgi() below), one process per request.

Stack() is an Installation behind a real web server: it picks a free loopback port and starts
a web server from its file in deploy/ (through scripts/server-conf) with the API and the
dashboard under their mount points: lighttpd, Apache (mod_fcgid or plain CGI) or nginx (the
programs started by spawn-fcgi). Everything it starts is stopped by pid.
"""
import contextlib
import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time

from .util import TOP, free_port, read_text, wait_until


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


def prometheus(text):
    """The samples of a Prometheus text answer: {"name{labels}": "value"}."""
    return dict(l.rsplit(" ", 1) for l in text.splitlines() if l and not l.startswith("#"))


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


class Installation:
    """What `autosched init` and `autosched apikey create` leave, in a temporary folder of
    its own: autosched.conf (deploy/autosched.conf with the database's path, the templates'
    path and conf_extra appended), autosched.db, and the key of an API key named "test".
    No server runs: request() runs the API as plain CGI, with the environment a web server
    would give it, and keeps its stderr in log/api-cgi.log (errorlog() reads it)."""

    # The name of the check finish() makes.
    SANITIZER_CHECK = "sanitizers: no report from the API run as plain CGI"

    def __init__(self, bindir, prefix="/api/scheduler", conf_extra=""):
        self.bindir = os.path.abspath(bindir)
        self.prefix = prefix
        self.dir = tempfile.mkdtemp(prefix="autosched-test-")
        self.conf = os.path.join(self.dir, "autosched.conf")
        self.db = os.path.join(self.dir, "autosched.db")
        templates = self.web_files()
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

    def web_files(self):
        """Where the programs find their templates (the source tree's)."""
        return os.path.join(TOP, "templates")

    def cli(self, *args, check=True, stdin=None):
        p = subprocess.run([os.path.join(self.bindir, "autosched")] + list(args),
                           env=self.env, input=stdin, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if check and p.returncode != 0:
            raise RuntimeError("autosched %s: %s" % (" ".join(args), p.stderr))
        return p.stdout

    def errorlog(self):
        """Every log in log/ (the web server's and the programs'), one after the other."""
        logdir = os.path.join(self.dir, "log")
        return "".join(read_text(os.path.join(logdir, n)) for n in
                       (sorted(os.listdir(logdir)) if os.path.isdir(logdir) else []))

    @staticmethod
    def _request_parts(key_value, body, headers, key):
        h = {}
        if key:
            h["X-API-Key"] = key_value if key is True else key
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            h["Content-Type"] = "application/json"
        if isinstance(body, str):
            body = body.encode()
        if headers:
            h.update(headers)
        return body, h

    def request(self, method, path, body=None, headers=None, key=True, raw_path=False):
        """One request to the API, run as plain CGI under SCRIPT_NAME = prefix. path is
        below the prefix (with raw_path, the whole path, which must start with it); a query
        string after '?' becomes QUERY_STRING. body: bytes, str, or a JSON-able object."""
        body, h = self._request_parts(self.key, body, headers, key)
        if raw_path:
            if not path.startswith(self.prefix):
                raise ValueError("%r is not under %r" % (path, self.prefix))
            path = path[len(self.prefix):]
        path, _, query = path.partition("?")
        r, _, err = cgi(self.bindir, self.conf, method, path, body or b"", headers=h,
                        query=query, script=self.prefix)
        if err:
            with open(os.path.join(self.dir, "log", "api-cgi.log"), "ab") as f:
                f.write(err)
        return r

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

    @contextlib.contextmanager
    def locked(self):
        """Holds the database's write lock (BEGIN EXCLUSIVE) from another connection for
        the time of a with block, as a long writer elsewhere would."""
        lock = sqlite3.connect(self.db, isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            lock.execute("ROLLBACK")
            lock.close()

    def stop(self):
        """Nothing runs between requests."""

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def finish(self, t):
        """Stops everything, checks the logs for a sanitizer report (one TAP line), and
        removes the folder. Returns the logs."""
        self.stop()
        log = self.errorlog()
        t.ok("Sanitizer" not in log and "runtime error" not in log, self.SANITIZER_CHECK,
             log[-3000:])
        self.cleanup()
        return log


class Stack(Installation):
    """The API and the dashboard behind one web server, SERVER being one of SERVERS:
    lighttpd (which starts the FastCGI programs), Apache with mod_fcgid, Apache with plain
    CGI, or nginx with the programs started by spawn-fcgi. Apache's and nginx's workers run
    as www-data, so the folder and the database are given to that user, as in production."""

    SERVERS = ("lighttpd", "apache-fcgid", "apache-cgi", "nginx")
    WEB_USER = "www-data"
    SANITIZER_CHECK = "sanitizers: no report from the FastCGI processes"

    def __init__(self, bindir, prefix="/api/scheduler", conf_extra="", lighttpd_extra=None,
                 server="lighttpd"):
        if server not in self.SERVERS:
            raise ValueError("unknown server %r" % server)
        self.server = server
        self.proc = None
        self.programs = []
        super().__init__(bindir, prefix=prefix, conf_extra=conf_extra)
        self.port = free_port()
        self.lconf = os.path.join(self.dir, server + ".conf")
        extra = []
        if lighttpd_extra:
            extra = [os.path.join(self.dir, "extra.conf")]
            with open(extra[0], "w") as f:
                f.write(lighttpd_extra.replace("@RUN@", os.path.join(self.dir, "run")))
        run = os.path.join(self.dir, "run")
        log = os.path.join(self.dir, "log")
        subprocess.run([os.path.join(TOP, "scripts", "server-conf"), server, self.lconf,
                        str(self.port), prefix, self.webbin, self.conf, run, self.static,
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
        # lighttpd's FastCGI programs write to the stderr they inherit from it (their log
        # lines, sanitizer reports): into log/ with the rest. Apache files its programs'
        # stderr in its error log itself, and spawn-fcgi's go to log/NAME.log.
        out = subprocess.DEVNULL
        if server == "lighttpd":
            out = open(os.path.join(self.dir, "log", "lighttpd-stderr.log"), "ab")
        # A session of its own: Apache's prefork MPM stops by signalling its process group.
        try:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=out, start_new_session=True)
        finally:
            if out is not subprocess.DEVNULL:
                out.close()
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

    def web_files(self):
        """What the web programs read. www-data may not reach the source tree (a clone in a
        private home folder): under Apache and nginx they run from copies in the folder."""
        self.webbin, templates, self.static = (self.bindir, os.path.join(TOP, "templates"),
                                               os.path.join(TOP, "static"))
        if self.server != "lighttpd":
            self.webbin = os.path.join(self.dir, "bin")
            os.makedirs(self.webbin)
            for name in ("autosched-api", "autosched-web"):
                shutil.copy2(os.path.join(self.bindir, name), self.webbin)
            templates = shutil.copytree(templates, os.path.join(self.dir, "templates"))
            self.static = shutil.copytree(self.static, os.path.join(self.dir, "static"))
        return templates

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

    def request(self, method, path, body=None, headers=None, key=True, raw_path=False):
        """One request on a new connection. body: bytes, str, or a JSON-able object."""
        body, h = self._request_parts(self.key, body, headers, key)
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            c.request(method, path if raw_path else self.prefix + path, body=body,
                      headers=h)
            r = c.getresponse()
            data = r.read().decode("utf-8", "replace")
            return Response(r.status, r.getheaders(), data)
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
