"""autosched dashboard tests in a real browser.

    /usr/bin/python3 tests/browser/test_browser.py BINDIR [SHOTS]
    /usr/bin/python3 tests/browser/test_browser.py --smoke SERVER BINDIR [SHOTS]

Starts everything for real in a temporary folder: a private redis-server on a unix socket,
lighttpd with both FastCGI programs (the API and the dashboard, from deploy/lighttpd.conf),
schedd and a stock `rq worker` running the example bots. Then runs dashboard.mjs, which
drives Debian's Chromium (/usr/bin/chromium) through playwright-core, against it: with
JavaScript on and off. Its results come back as TAP on its standard output and are counted
here with this file's own checks. Screenshots of each page go to SHOTS (default:
BINDIR/../test-logs/screenshots).

With --smoke, smoke.mjs runs instead: the core flows only, behind SERVER (lighttpd,
apache-fcgid, apache-cgi or nginx; tests/harness), with schedd running from the start.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
from harness import Redis, Schedd, Stack, Tap, Worker

PASSWORD = "correct horse battery"


def npm_ready(tap):
    """playwright-core from npm, installed from the lock file when missing."""
    if os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
        return True
    p = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=HERE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=600)
    tap.ok(p.returncode == 0, "npm ci installs playwright-core", p.stdout[-2000:])
    return p.returncode == 0


def main():
    args = sys.argv[1:]
    server = None
    if args[:1] == ["--smoke"]:
        server, args = args[1], args[2:]
    bindir = os.path.abspath(args[0])
    shots = os.path.abspath(args[1] if len(args) > 1 else
                            os.path.join(bindir, "..", "test-logs", "screenshots"))
    os.makedirs(shots, exist_ok=True)
    tap = Tap()
    if not npm_ready(tap):
        tap.done()
        return
    rdir = tempfile.mkdtemp(prefix="autosched-redis-")
    # Under Apache and nginx the programs run as www-data: let them reach schedd's socket.
    os.chmod(rdir, 0o711)
    redis = Redis(rdir).start()
    stack = worker = schedd = None
    try:
        stack = Stack(bindir, conf_extra="\n[schedd]\nredis = unix:%s\nnotify_socket = %s\n" %
                      (redis.sock, os.path.join(rdir, "schedd.sock")),
                      server=server or "lighttpd")
        stack.cli("user", "add", "admin", stdin=PASSWORD + "\n")
        worker = Worker(redis, ["default"], speed="0.5").wait_ready()
        schedd = Schedd(stack, redis="unix:" + redis.sock,
                        notify_socket=os.path.join(rdir, "schedd.sock"))
        env = dict(os.environ, AUTOSCHED_URL="http://127.0.0.1:%d" % stack.port,
                   AUTOSCHED_WEB="/automation", AUTOSCHED_API="/api/scheduler",
                   AUTOSCHED_KEY=stack.key, AUTOSCHED_USER="admin",
                   AUTOSCHED_PASSWORD=PASSWORD, AUTOSCHED_SHOTS=shots,
                   AUTOSCHED_DOCS=os.environ.get("AUTOSCHED_DOCS", "") if not server else "",
                   AUTOSCHED_SERVER=server or "lighttpd")
        if server:
            schedd.start()
        script = "smoke.mjs" if server else "dashboard.mjs"
        # The script asks for schedd once it has seen the "never ran" banner, and at the
        # end for Redis and schedd to go, to see the banners that say so.
        proc = subprocess.Popen(["node", os.path.join(HERE, script)], env=env,
                                cwd=HERE, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, bufsize=1)
        started = time.time()
        for line in proc.stdout:
            line = line.rstrip("\n")
            if line in ("START SCHEDD", "STOP WORKER", "AGE QUEUED", "STOP REDIS",
                        "STOP SCHEDD"):
                if line == "START SCHEDD":
                    schedd.start()
                    time.sleep(1.5)		# its first heartbeat
                elif line == "STOP WORKER":
                    worker.stop()
                    worker = None
                elif line == "AGE QUEUED":
                    stack.sql("UPDATE runs SET queued_at = queued_at - 420 "
                              "WHERE status = 'queued'")
                elif line == "STOP REDIS":
                    if worker is not None:
                        worker.stop()
                        worker = None
                    redis.stop()
                    time.sleep(2.5)		# a heartbeat that finds Redis gone
                else:
                    schedd.stop()
                    schedd = None
                proc.stdin.write("done\n")
                proc.stdin.flush()
            elif line.startswith("ok ") or line.startswith("not ok "):
                good = line.startswith("ok ")
                name = line.split(" - ", 1)[1] if " - " in line else line
                tap.ok(good, name)
            else:
                print("# " + line, flush=True)
        rc = proc.wait(timeout=60)
        tap.ok(rc == 0, "the browser script finished (status %d, %.0f s)" %
               (rc, time.time() - started))
    finally:
        if schedd is not None:
            schedd.stop()
        if worker is not None:
            worker.stop()
        if stack is not None:
            stack.stop()
            log = stack.errorlog()
            tap.ok("Sanitizer" not in log and "runtime error" not in log,
                   "no sanitizer report from the FastCGI programs", log[-3000:])
            if server:
                # mod_cgi files what a program writes to stderr (its log) as errors
                errors = [l for l in log.splitlines()
                          if re.search(r"\[(\w+:)?(error|crit|alert|emerg)\]", l) and
                          "AH01215: stderr from " not in l]
                tap.ok(not errors, "%s: no error in the server's log" % server,
                       "\n".join(errors[-20:]))
            stack.cleanup()
        redis.stop()
    tap.done()


if __name__ == "__main__":
    main()
