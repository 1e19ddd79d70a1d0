"""autosched test harness: a real stack started by the tests themselves.

Stack() makes a temporary folder with a configuration (from deploy/autosched.conf), a
database (`autosched init`) and an API key, picks a free loopback port, and starts lighttpd
from deploy/lighttpd.conf (through scripts/lighttpd-conf) with the FastCGI API under a mount
point. Everything it starts is stopped by pid. TAP output through Tap.

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
    def __init__(self, bindir, prefix="/api/scheduler", conf_extra="", lighttpd_extra=None):
        self.bindir = os.path.abspath(bindir)
        self.prefix = prefix
        self.dir = tempfile.mkdtemp(prefix="autosched-test-")
        self.port = free_port()
        self.conf = os.path.join(self.dir, "autosched.conf")
        self.db = os.path.join(self.dir, "autosched.db")
        with open(os.path.join(TOP, "deploy", "autosched.conf")) as f:
            text = f.read().replace("path = /var/lib/autosched/autosched.db",
                                    "path = " + self.db)
        with open(self.conf, "w") as f:
            f.write(text + conf_extra)
        self.env = dict(os.environ, AUTOSCHED_CONF=self.conf)
        self.cli("init")
        self.key = self.cli("apikey", "create", "test").strip()
        for d in ("run", "log", "static"):
            os.makedirs(os.path.join(self.dir, d))
        self.lconf = os.path.join(self.dir, "lighttpd.conf")
        extra = []
        if lighttpd_extra:
            extra = [os.path.join(self.dir, "extra.conf")]
            with open(extra[0], "w") as f:
                f.write(lighttpd_extra.replace("@RUN@", os.path.join(self.dir, "run")))
        subprocess.run([os.path.join(TOP, "scripts", "lighttpd-conf"), self.lconf,
                        str(self.port), prefix, self.bindir, self.conf,
                        os.path.join(self.dir, "run"), os.path.join(self.dir, "static"),
                        os.path.join(self.dir, "log")] + extra, check=True)
        self.proc = subprocess.Popen(["lighttpd", "-D", "-f", self.lconf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
                raise RuntimeError("lighttpd did not start: " + self.errorlog())
            time.sleep(0.05)

    def cli(self, *args, check=True, stdin=None):
        p = subprocess.run([os.path.join(self.bindir, "autosched")] + list(args),
                           env=self.env, input=stdin, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if check and p.returncode != 0:
            raise RuntimeError("autosched %s: %s" % (" ".join(args), p.stderr))
        return p.stdout

    def errorlog(self):
        try:
            with open(os.path.join(self.dir, "log", "lighttpd-error.log"),
                      errors="replace") as f:
                return f.read()
        except OSError:
            return ""

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
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def cgi(bindir, conf, method, path, body=b"", headers=None, query="", script="/cgi-bin/api"):
    """Runs the API as plain CGI: one request from the environment and stdin."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AUTOSCHED_CONF": conf,
           "REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": script,
           "QUERY_STRING": query, "CONTENT_LENGTH": str(len(body)),
           "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1"}
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    for k, v in (headers or {}).items():
        if k.lower() == "content-type":
            env["CONTENT_TYPE"] = v
        else:
            env["HTTP_" + k.upper().replace("-", "_")] = v
    p = subprocess.run([os.path.join(bindir, "autosched-api")], input=body, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    head, _, data = p.stdout.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1]) if lines and lines[0].startswith("Status:") else 0
    hdrs = [tuple(l.split(": ", 1)) for l in lines[1:] if ": " in l]
    return Response(status, hdrs, data.decode("utf-8", "replace")), p.returncode, p.stderr
