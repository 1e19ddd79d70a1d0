"""autosched: schedd against a Redis that wants a password, an ACL user or a database.

    /usr/bin/python3 tests/schedd/test_redis_auth.py BINDIR

A private redis-server (tests/harness) with `requirepass` and an ACL user, on a unix
socket and on a free loopback TCP port; stock `rq worker` processes reaching it with the
same credentials, as workers on other hosts would; lighttpd with the API. schedd must sign
in (AUTH, with or without a user name), use the database it is told (SELECT), say so when
Redis refuses it, and carry on once the configuration is put right.
"""
import os
import subprocess
import sys
import time

from harness import (Redis, Schedd, Stack, Tap, Worker, create, free_port, get_run, read_text,
                     run_now, wait_run, wait_until)

PASSWORD = "unix-secret"
ACL_USER, ACL_PASSWORD = "sched", "acl-s3cret:with@signs"


def queued_in(redis, db, run_id):
    c = redis.client()
    try:
        c.execute("SELECT", db)
        return c.execute("EXISTS", "rq:job:" + run_id) == 1
    finally:
        c.close()


def one_run(t, s, what, db, redis):
    job = create(s, name="auth " + what)
    rid = run_now(s, job["id"])
    run = wait_run(s, job["id"], rid, ("success", "failed"), 30)
    t.eq(run and run["status"], "success", "%s: a run reaches the worker and succeeds" % what,
         run)
    t.ok(queued_in(redis, db, rid), "%s: the RQ job is in database %d" % (what, db))
    return job, rid


def main():
    bindir = os.path.abspath(sys.argv[1])
    t = Tap()
    s = Stack(bindir)
    port = free_port()
    redis = Redis(s.dir, password=PASSWORD, port=port,
                  acl=["%s on >%s ~* &* +@all" % (ACL_USER, ACL_PASSWORD)])
    workers, schedd = [], None
    try:
        redis.start()
        # Workers as on other hosts: one on the socket (database 3), one over TCP with the
        # ACL user (database 5).
        workers.append(Worker(redis, ["default"], db=3, url="unix://%s?password=%s&db=3" %
                              (redis.sock, PASSWORD)).wait_ready())

        # 1. unix socket, redis_password and redis_db in the configuration
        schedd = Schedd(s, redis="unix:" + redis.sock, redis_password=PASSWORD, redis_db=3)
        schedd.start()
        job, rid = one_run(t, s, "requirepass over the socket", 3, redis)
        c = redis.client()
        try:
            t.eq(c.execute("EXISTS", "rq:queues"), 0,
                 "requirepass: nothing was written to database 0 (SELECT 3 took)")
        finally:
            c.close()

        # check-config shows the address and warns about a password others may read
        warnings = []
        for mode in (0o644, 0o640):
            os.chmod(schedd.conf, mode)
            r = subprocess.run([os.path.join(bindir, "autosched"), "-c", schedd.conf,
                                "check-config"], capture_output=True, text=True)
            warnings.append((r.returncode, "every user may read it" in r.stderr))
        t.eq(warnings, [(0, True), (0, False)], "check-config warns about a world-readable "
             "file holding the Redis password, and only then")

        # 2. a wrong password: refused, said, and the run waits
        t.ok(schedd.reconfigure(redis_password="wrong"), "a new password is read on SIGHUP")
        rid = run_now(s, job["id"])
        t.ok(wait_until(lambda: "AUTH refused" in schedd.logtext(), 15),
             "a wrong password: schedd's log says Redis refused it", schedd.logtext()[-1500:])
        time.sleep(1.5)
        run = get_run(s, job["id"], rid)
        t.eq(run and run["status"], "pending", "a wrong password: the run waits, pending", run)
        h = s.request("GET", "/health").json()
        t.eq((h.get("redis"), h.get("status")), ("down", "degraded"),
             "a wrong password: /health says Redis is down", h)
        t.ok(schedd.alive(), "a wrong password: schedd keeps running")

        # 3. put right: the waiting run goes
        t.ok(schedd.reconfigure(redis_password=PASSWORD), "the right password again")
        run = wait_run(s, job["id"], rid, ("success", "failed"), 40)
        t.eq(run and run["status"], "success", "the run that waited is taken and succeeds",
             run)
        schedd.stop()

        # 4. TCP, an ACL user and a database, all in a redis:// address
        workers.append(Worker(redis, ["default"], db=5, url="redis://%s:%s@127.0.0.1:%d/5" %
                              (ACL_USER, ACL_PASSWORD, port)).wait_ready())
        schedd = Schedd(s, redis="redis://%s:%s@127.0.0.1:%d/5" % (ACL_USER, ACL_PASSWORD,
                                                                     port))
        schedd.start()
        one_run(t, s, "ACL user in a redis:// address", 5, redis)
        t.ok(ACL_PASSWORD not in schedd.logtext(), "the password never shows in schedd's log")
        m = s.metrics()
        ok_runs = s.sql("SELECT count(*) FROM runs WHERE status = 'success'")[0][0]
        t.eq((m.get('autosched_runs_ended_total{status="success"}'), ok_runs), ("3", 3),
             "metrics: the runs schedd saw succeed are counted, once each")
        schedd.stop()

        # 5. a malformed address is a configuration error, named
        schedd = Schedd(s, redis="redis://secret@127.0.0.1")
        r = subprocess.run([os.path.join(bindir, "autosched"), "-c", schedd.conf,
                            "check-config"], capture_output=True, text=True)
        t.ok(r.returncode != 0 and "[schedd] redis" in r.stderr and
             "redis://:PASSWORD@host" in r.stderr,
             "check-config: a password without ':' is refused with the way to write it",
             r.stderr)
        schedd = None
    finally:
        if schedd is not None and schedd.alive():
            schedd.stop()
        for w in workers:
            w.stop()
        redis.stop()
        logs = s.errorlog() + "".join(read_text(os.path.join(s.dir, f))
                                      for f in os.listdir(s.dir) if f.endswith(".log"))
        t.ok("Sanitizer" not in logs and "runtime error" not in logs,
             "no sanitizer report from schedd or the FastCGI programs", logs[-3000:])
        s.cleanup()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
