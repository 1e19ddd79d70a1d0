"""autosched schedd tests: firing, dispatch to real RQ workers, outcomes, and faults.

    /usr/bin/python3 tests/schedd/test_schedd.py BINDIR

Everything is real and started here: lighttpd with the FastCGI API (tests/harness),
a private redis-server on a unix socket in a temporary folder, stock `rq worker` processes
(Debian's python3-rq, /usr/bin/python3) running the example bots of examples/bots, and
BINDIR/schedd. Outcomes are read back through the API (GET /jobs/{id}/history); the database
is edited directly only to move time (a job's next_run_at) and Redis is read directly only
to count what schedd pushed.

Two stacks, each with its own folder, database, lighttpd and redis-server:
  - the main stack: one schedd daemon for most of the run (reconfigured by SIGHUP), a JSON
    worker on `default`, a pickle worker on `pickled`, more workers for the lost-worker
    test. Run-now, success and failure, both serializers, scheduled and misfired fires,
    max_instances, Redis down, lost workers, queued_timeout, retention, signals, /health.
  - the fault stack: 2,000 jobs and no worker, so that every run stays in
    rq:queue:default to be counted: schedd killed with -9 twenty times during bursts, a
    SIGTERM during a pass, two schedd on one database, Redis killed (its data kept on disk)
    and Redis hung (SIGSTOP) in the middle of a burst.
The one-minute cron job is created first and checked late, so that the suite does not wait
for the minute to turn. Fire times are computed here, never taken from the server.
"""
import base64
import collections
import json
import os
import pickle
import random
import re
import signal
import socket
import sqlite3
import sys
import time
import traceback
import uuid
import zlib
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from harness import (Redis, Schedd, Stack, Tap, Worker, create, get_run, history, read_text,
                     run_now, stop_all, wait_run, wait_until)

UTC = timezone.utc
PARIS = ZoneInfo("Europe/Paris")

BOTS = """
[schedd]
notify_socket = schedd.sock

[bot.visitor_pickle]
description = Visit LinkedIn profiles (a worker left on RQ's pickle serializer)
function = bots.visitor.run
queue = pickled
serializer = pickle
timeout = 3600
param.dry_run = bool, default false
param.limit = int, range 1-1000, default 50

[bot.slow]
description = A long visitor run, for the lost-worker test
function = bots.visitor.run
queue = slow
param.dry_run = bool, default false
param.limit = int, range 1-1000, default 50

[bot.slow_live]
description = A long visitor run on a worker that beats every second
function = bots.visitor.run
queue = slowlive
param.dry_run = bool, default false
param.limit = int, range 1-1000, default 50

[bot.orphan]
description = A queue no worker listens on
function = bots.birthday.run
queue = nobody
param.dry_run = bool, default false
"""

FAIL_LINE = "RuntimeError: birthday bot failed on purpose (bot_mode=fail)"
SAN_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
             "SUMMARY: UndefinedBehaviorSanitizer")


# --- small helpers -------------------------------------------------------------------------

def iso(t):
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch(s):
    return int(datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())


def far_hour():
    """An hour of the day (Paris) twelve hours away, so daily jobs never fire by themselves
    while the suite runs."""
    return (datetime.now(PARIS).hour + 12) % 24


def next_daily(after, hour):
    """The first hour:00 in Paris strictly after the Unix time `after`."""
    local = datetime.fromtimestamp(after, PARIS)
    d = local.date()
    for _ in range(3):
        cand = datetime(d.year, d.month, d.day, hour, 0, tzinfo=PARIS)
        if cand.timestamp() > after:
            return int(cand.timestamp())
        d += timedelta(days=1)
    raise AssertionError("no fire time")


def nudge(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        s.sendto(b"!", path)
    except OSError:
        pass
    finally:
        s.close()


def rq_result(rc, run_id):
    """The newest entry of RQ's results stream for a job, as a dict of str."""
    e = rc.execute("XREVRANGE", "rq:results:" + run_id, "+", "-", "COUNT", "1")
    if not e:
        return None
    f = e[0][1]
    return {f[i].decode(): f[i + 1] for i in range(0, len(f), 2)}


def counts(stack, where="1", *args):
    return dict(stack.sql("SELECT status, count(*) FROM runs WHERE %s GROUP BY status" % where,
                          *args))


def clone_jobs(stack, template_id, n):
    """Copies a job n - 1 times in SQL (fresh ids); returns the n ids."""
    c = sqlite3.connect(stack.db)
    try:
        # every column but an integer primary key (the store's own row number, if any)
        cols = [x[1] for x in c.execute("PRAGMA table_info(jobs)")
                if not (x[5] and x[2].upper() == "INTEGER")]
        row = dict(zip(cols, c.execute("SELECT %s FROM jobs WHERE id = ?" % ", ".join(cols),
                                       (template_id,)).fetchone()))
        ids = [template_id]
        rows = []
        for i in range(n - 1):
            d = dict(row, id=str(uuid.uuid4()), name="fault %d" % i, next_run_at=None)
            ids.append(d["id"])
            rows.append(tuple(d[k] for k in cols))
        c.execute("UPDATE jobs SET next_run_at = NULL WHERE id = ?", (template_id,))
        c.executemany("INSERT INTO jobs (%s) VALUES (%s)" % (", ".join(cols),
                                                             ", ".join("?" * len(cols))), rows)
        c.commit()
        return ids
    finally:
        c.close()


def sanitizer_report(text):
    return [l for l in text.splitlines() if any(m in l for m in SAN_MARKS)]


class Checker:
    """Runs one test function; an exception becomes a failed TAP line, not the end."""

    def __init__(self, t):
        self.t = t

    def run(self, name, fn, *args):
        try:
            return fn(*args)
        except Exception:
            self.t.ok(False, "%s: raised" % name, traceback.format_exc())
            return None


# --- the main stack -----------------------------------------------------------------------

class Main:
    def __init__(self, t, bindir):
        self.t = t
        self.bindir = bindir
        self.s = Stack(bindir, conf_extra=BOTS)
        self.redis = Redis(self.s.dir)
        self.workers = []
        self.schedd = None
        self.logs = []		# schedd logs to scan for sanitizer reports
        self.hour = far_hour()
        self.cron = None	# the one-minute cron job (test 4)

    def rc(self):
        return self.redis.client()

    def start_workers(self):
        ws = [Worker(self.redis, ["default"], "json", dir=self.s.dir),
              Worker(self.redis, ["pickled"], "pickle", dir=self.s.dir)]
        self.workers += ws
        for w in ws:
            w.wait_ready()
        self.json_worker, self.pickle_worker = ws

    def stop_workers(self):
        for w in self.workers:
            w.stop()
        self.workers = []

    def worker_logs(self):
        return "".join(read_text(os.path.join(self.s.dir, name))
                       for name in os.listdir(self.s.dir) if name.startswith("worker-"))

    def cleanup(self):
        stop_all(self.workers, self.schedd, self.redis, self.s)


def test_notify_and_success(t, m):
    """1: run-now reaches a JSON worker, woken by the notify socket; success and counters."""
    s = m.s
    # A long poll interval: only the notify socket can make schedd act at once.
    m.schedd = Schedd(s, redis="unix:" + m.redis.sock, poll_interval_ms=10000)
    m.logs.append(m.schedd.log)
    m.schedd.start()
    notify = m.schedd.settings["notify_socket"]
    t.ok(wait_until(lambda: os.path.exists(notify), 10), "schedd: binds its notify socket")
    job = create(s, name="birthdays now")
    time.sleep(0.3)		# let the pass the creation nudged end
    rc = m.rc()
    t0 = time.monotonic()
    rid = run_now(s, job["id"])
    seen = wait_until(lambda: rc.execute("EXISTS", "rq:job:" + rid) == 1, 5, 0.002)
    latency = time.monotonic() - t0
    print("# run-now to Redis: %.1f ms (poll_interval_ms = 10000)" % (latency * 1000))
    t.ok(seen and latency < 0.5, "run-now: the run is in Redis %.0f ms after the API call "
         "(the notify socket woke schedd)" % (latency * 1000))
    keys = ("origin", "timeout", "result_ttl", "failure_ttl", "data", "created_at")
    h = dict(zip(keys, rc.pipeline([("HGET", "rq:job:" + rid, k) for k in keys])))
    t.eq([h[k] for k in keys[:4]], [b"default", b"3600", b"604800", b"2592000"],
         "rq job: origin is the queue, timeout 3600, result_ttl 7 days, failure_ttl 30 days")
    t.ok(re.fullmatch(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", h["created_at"] or b""),
         "rq job: created_at in RQ's timestamp format", h["created_at"])
    payload = json.loads(zlib.decompress(h["data"])) if h["data"] else None
    t.eq(payload, ["bots.birthday.run", None, [],
                   {"bot_mode": "standard", "dry_run": False, "max_days_late": 7,
                    "process_late": True}],
         "rq job: JSON payload with the bot type's defaults as kwargs")

    # SIGHUP: a new poll interval, read without a restart. (Sent once the pass that
    # pushed the run is surely over: a signal that lands during a pass waits for the
    # poll interval, see test_signal_in_pass.)
    time.sleep(0.5)
    t.ok(m.schedd.reconfigure(poll_interval_ms=200), "SIGHUP: the log says the "
         "configuration was reloaded", m.schedd.logtext()[-1500:])
    t.ok(m.schedd.alive(), "SIGHUP: schedd keeps running")

    run = wait_run(s, job["id"], rid, ("success", "failed"), 15)
    t.eq(run and run["status"], "success", "run-now: the run succeeds", run)
    if not run or run["status"] != "success":
        return
    res = rq_result(rc, rid)
    rv = json.loads(base64.b64decode(res["return_value"])) if res else None
    t.eq(run["result"], rv, "success: result is the whole return value the worker stored")
    t.eq(sorted(run["result"]), ["birthdays_today", "bot_mode", "dry_run", "late_birthdays",
                                 "messages_sent"], "success: the birthday bot's keys")
    t.eq(run["messages_sent"], run["result"]["messages_sent"],
         "success: messages_sent from the return value")
    t.eq(run["messages_sent"], 5 + run["result"]["late_birthdays"],
         "success: messages_sent counts today's and late birthdays (dry_run false)")
    t.eq((run["profiles_visited"], run["error"], run["trigger"], run["rq_job_id"]),
         (0, None, "manual", rid), "success: the visitor counter the bot did not report is 0, "
         "no error, manual, RQ job id = run id")
    times = [run[k] and epoch(run[k]) for k in ("created_at", "queued_at", "started_at",
                                                 "finished_at")]
    t.ok(None not in times and times == sorted(times),
         "success: created <= queued <= started <= finished", times)
    g = s.request("GET", "/jobs/" + job["id"]).json()
    t.eq((g["last_run_status"], g["last_run_at"], g["last_run_error"]),
         ("success", run["scheduled_for"], None), "success: the job's last_run_* follow")
    m.j_birthday = job


def test_failure(t, m):
    """2: a failing bot: failed, the exception's last line, the traceback in result."""
    s = m.s
    job = create(s, name="failing birthdays", bot_config={"bot_mode": "fail"})
    t0 = time.monotonic()
    rid = run_now(s, job["id"])
    run = wait_run(s, job["id"], rid, ("success", "failed"), 15)
    took = time.monotonic() - t0
    t.eq(run and run["status"], "failed", "failure: the run is failed", run)
    if not run or run["status"] != "failed":
        return
    # No nudge comes after the worker is done: a poll-driven pass read the outcome.
    t.ok(took < 4, "SIGHUP: the new poll_interval_ms (200) is in effect (outcome after "
         "%.1f s, not 10 s)" % took)
    t.eq(run["error"], FAIL_LINE, "failure: error is the exception's last line")
    tb = run["result"]
    t.ok(isinstance(tb, str) and tb.startswith("Traceback (most recent call last):") and
         "birthday.py" in tb and tb.rstrip().endswith(FAIL_LINE),
         "failure: the whole traceback is kept in result", tb)
    t.eq((run["messages_sent"], run["profiles_visited"]), (0, 0),
         "failure: the counters are 0 (integers in every run, as the plan's model has them)")
    g = s.request("GET", "/jobs/" + job["id"]).json()
    t.eq((g["last_run_status"], g["last_run_error"]), ("failed", FAIL_LINE),
         "failure: the job's last_run_status and last_run_error follow")
    m.j_fail = job


def test_bot_pause(t, m):
    """SPEC §9: a bot's autosched_pause, through a real worker, pauses its bot type."""
    s = m.s
    warned = create(s, name="warned birthdays", bot_config={"bot_mode": "site_warning"})
    other = create(s, name="other birthdays", schedule_type="daily",
                   schedule_config={"hour": far_hour(), "minute": 0}, timezone="UTC")
    t0 = time.time()
    rid = run_now(s, warned["id"])
    run = wait_run(s, warned["id"], rid, ("success", "failed"), 15)
    t.eq(run and run["status"], "success", "bot pause: the run that asked succeeded", run)
    o = wait_until(lambda: (lambda g: g if g["paused"] else None)(
        s.request("GET", "/jobs/" + other["id"]).json()), 5)
    t.ok(o and o["next_run_at"] is None and o["paused_reason"].startswith(
         "The bot asked for a pause of every job of its type until ") and
         o["paused_reason"].endswith("the site showed a warning (bot_mode=site_warning)") and
         abs(epoch(o["paused_until"]) - (t0 + 3600)) < 30,
         "bot pause: every birthday job is paused for the hour it asked", o)
    r = s.request("POST", "/jobs/%s/run" % other["id"])
    t.eq(r.status, 409, "bot pause: run now of a job it paused is refused", r)
    n = 0
    for j in s.request("GET", "/jobs?limit=1000").json():
        if j["paused"]:
            n += s.request("POST", "/jobs/%s/resume" % j["id"]).status == 200
    o = s.request("GET", "/jobs/" + other["id"]).json()
    t.ok(n >= 2 and not o["paused"] and o["next_run_at"] is not None,
         "bot pause: Resume restarts them", (n, o))


def test_pickle_and_visitor(t, m):
    """3: the pickle bot type on its own queue and worker; the JSON visitor with dry_run."""
    s = m.s
    jp = create(s, name="pickled visitor", bot_type="visitor_pickle",
                bot_config={"limit": 7})
    jv = create(s, name="dry visitor", bot_type="visitor",
                bot_config={"limit": 5, "dry_run": True})
    rp = run_now(s, jp["id"])
    rv = run_now(s, jv["id"])
    rc = m.rc()
    data = wait_until(lambda: rc.execute("HGET", "rq:job:" + rp, "data"), 5)
    raw = zlib.decompress(data) if data else b""
    t.ok(raw[:2] == b"\x80\x02", "pickle: the payload is pickle protocol 2", raw[:20])
    t.eq(pickle.loads(raw) if raw else None,
         ("bots.visitor.run", None, (), {"dry_run": False, "limit": 7}),
         "pickle: Python reads the payload back")
    t.eq(rc.execute("LPOS", "rq:queue:default", rp), None,
         "pickle: the run went to its own queue, not default")
    run = wait_run(s, jp["id"], rp, ("success", "failed"), 15)
    t.eq(run and (run["status"], run["profiles_visited"], run["messages_sent"]),
         ("success", 7, 0), "pickle: success with profiles_visited = limit (7)", run)
    t.eq(run and run["result"], {"profiles_visited": 7, "dry_run": False, "limit": 7},
         "pickle: the return value, read from the worker's pickle, in result")
    run = wait_run(s, jv["id"], rv, ("success", "failed"), 15)
    t.eq(run and (run["status"], run["profiles_visited"]), ("success", 0),
         "visitor: dry_run visits nobody (profiles_visited 0)", run)
    m.j_pickle, m.j_visitor = jp, jv


def test_health(t, m, when):
    """12: the heartbeat the API reads."""
    r = m.s.request("GET", "/health", key=False)
    h = r.json() or {}
    t.eq((r.status, h.get("status"), h.get("redis"), (h.get("schedd") or {}).get("state")),
         (200, "ok", "ok", "running"), "health (%s): 200, redis ok, schedd running" % when, r)
    beat = (h.get("schedd") or {}).get("heartbeat_at")
    t.ok(beat and abs(epoch(beat) - time.time()) <= 5,
         "health (%s): the heartbeat is fresh" % when, beat)


def test_bad_reload(t, m):
    """11: SIGHUP with a broken configuration keeps the previous one."""
    sd = m.schedd
    good = dict(sd.settings)
    sd.settings["poll_interval_ms"] = 5		# below the minimum (10)
    sd.write()
    n = sd.logtext().count("keeping the previous configuration")
    sd.proc.send_signal(signal.SIGHUP)
    said = wait_until(lambda: sd.logtext().count("keeping the previous configuration") > n,
                      10)
    t.ok(said, "SIGHUP with a bad configuration: the log says the previous one is kept",
         sd.logtext()[-1000:])
    t.ok(sd.alive(), "SIGHUP with a bad configuration: schedd keeps running")
    rid = run_now(m.s, m.j_visitor["id"])
    run = wait_run(m.s, m.j_visitor["id"], rid, ("success", "failed"), 15)
    t.eq(run and run["status"], "success", "SIGHUP with a bad configuration: runs still go "
         "out and come back", run)
    sd.settings = good
    t.ok(sd.reconfigure(), "SIGHUP: a good configuration again")


def test_two_schedd_workers(t, m):
    """8b with real workers: a second schedd on the same database; every run-now runs once
    and its outcome is recorded once."""
    s = m.s
    other = Schedd(s, name="schedd-2", redis="unix:" + m.redis.sock,
                   notify_socket=os.path.join(s.dir, "schedd-2.sock"))
    m.logs.append(other.log)
    other.start()
    try:
        jobs = [create(s, name="pair %d" % i, bot_config={"dry_run": True})
                for i in range(30)]
        rids = [run_now(s, j["id"]) for j in jobs]
        for _ in jobs:		# the second one hears of them too
            nudge(other.settings["notify_socket"])
        runs = [wait_run(s, j["id"], r, ("success", "failed"), 30) for j, r in zip(jobs, rids)]
        t.eq([r and r["status"] for r in runs], ["success"] * 30,
             "two schedd + workers: 30 run-nows all succeed", runs)
        t.ok(all(r and r["messages_sent"] == 0 and r["result"]["dry_run"] is True
                 for r in runs), "two schedd + workers: outcomes recorded (dry_run: 0 sent)")
        rc = m.rc()
        t.eq([rc.execute("XLEN", "rq:results:" + r) for r in rids], [1] * 30,
             "two schedd + workers: each run ran once (one RQ result each)")
        logs = m.worker_logs()
        t.eq([logs.count("Job OK (%s)" % r) for r in rids], [1] * 30,
             "two schedd + workers: the workers ran each run once")
        last = [s.request("GET", "/jobs/" + j["id"]).json()["last_run_status"] for j in jobs]
        t.eq(last, ["success"] * 30, "two schedd + workers: every job's last_run_status "
             "is success")
    finally:
        rc = other.stop(signal.SIGINT)
    t.eq(rc, 0, "SIGINT: schedd exits 0", other.logtext()[-1000:])


def start_cron(t, m):
    """4 (start): a one-minute cron job, checked at the end."""
    m.cron = create(m.s, name="every minute", schedule_type="cron",
                    schedule_config={"cron_expression": "* * * * *"},
                    bot_config={"dry_run": True})
    m.cron_first = (epoch(m.cron["created_at"]) // 60 + 1) * 60
    t.eq(m.cron["next_run_at"], iso(m.cron_first), "cron: next_run_at is the next minute")


def test_daily_due(t, m):
    """4: a daily job whose next_run_at is moved into the past fires at once."""
    s = m.s
    job = create(s, name="daily", schedule_type="daily",
                 schedule_config={"hour": m.hour, "minute": 0}, bot_config={"dry_run": True})
    at = int(time.time()) - 120
    s.sql("UPDATE jobs SET next_run_at = ? WHERE id = ?", at, job["id"])
    t0 = time.monotonic()
    runs = wait_until(lambda: history(s, job["id"]), 5)
    took = time.monotonic() - t0
    t.ok(runs and len(runs) == 1 and took < 2, "daily: a due job fires at once (%.2f s)" %
         took, runs)
    if not runs:
        return
    t.eq((runs[0]["trigger"], runs[0]["scheduled_for"]), ("schedule", iso(at)),
         "daily: one scheduled run for the owed fire time")
    run = wait_run(s, job["id"], runs[0]["id"], ("success", "failed"), 15)
    t.eq(run and run["status"], "success", "daily: the run succeeds", run)
    g = s.request("GET", "/jobs/" + job["id"]).json()
    t.eq(g["next_run_at"], iso(next_daily(epoch(runs[0]["created_at"]), m.hour)),
         "daily: next_run_at moves to the next %02d:00 in Paris" % m.hour)


def test_misfire(t, m):
    """5: misfire_grace_time, coalesce, max_instances on an owed gap of three hours."""
    s = m.s
    common = dict(schedule_type="cron", schedule_config={"cron_expression": "* * * * *"},
                  misfire_grace_time=600, bot_config={"dry_run": True}, enabled=False)
    jc = create(s, name="misfire coalesce", coalesce=True, **common)
    jn = create(s, name="misfire no coalesce", coalesce=False, max_instances=1, **common)
    x = (int(time.time()) // 60) * 60 - 3 * 3600
    # Both made due in one statement; enabled by hand (a disabled job has no next run).
    s.sql("UPDATE jobs SET enabled = 1, next_run_at = ? WHERE id IN (?, ?)", x, jc["id"],
          jn["id"])

    def missed_row(job_id):
        return [r for r in history(s, job_id) if r["status"] == "missed"]
    ok = wait_until(lambda: missed_row(jc["id"]) and missed_row(jn["id"]), 10)
    t.ok(ok, "misfire: both jobs fired", history(s, jc["id"]))
    if not ok:
        return
    for job, coalesce in ((jc, True), (jn, False)):
        name = "misfire (coalesce %s)" % ("true" if coalesce else "false")
        runs = history(s, job["id"])
        miss = [r for r in runs if r["status"] == "missed"]
        now = epoch(miss[0]["created_at"])		# the time of the pass that fired
        fires = list(range(x, now + 1, 60))
        late = [f for f in fires if f < now - 600]
        grace = [f for f in fires if f >= now - 600]
        mine = [r for r in runs if epoch(r["scheduled_for"]) <= now]
        print("# %s: %d fire times owed, %d past the grace, %d within" %
              (name, len(fires), len(late), len(grace)))
        t.eq(len(miss), 1, "%s: exactly one missed row" % name, runs)
        want = ("Missed %d runs from %s to %s: more than misfire_grace_time (600 s) late" %
                (len(late), iso(late[0]), iso(late[-1])))
        t.eq(miss[0]["error"], want, "%s: the missed row says how many and from when to "
             "when" % name)
        t.eq((miss[0]["scheduled_for"], miss[0]["trigger"], miss[0]["result"]),
             (iso(late[0]), "schedule", {"missed_runs": len(late), "first": iso(late[0]),
                                         "last": iso(late[-1])}),
             "%s: the missed row stands at the first missed time, counts in result" % name)
        live = [r for r in mine if r["status"] in ("pending", "queued", "running", "success")]
        skipped = [r for r in mine if r["status"] == "skipped"]
        if coalesce:
            t.eq(len(mine), 2, "%s: two rows for the gap: missed + one run" % name, mine)
            t.eq([r["scheduled_for"] for r in live], [iso(grace[-1])],
                 "%s: one run, for the latest owed fire time" % name, mine)
        else:
            t.eq(len(mine), 1 + len(grace), "%s: missed + one row per fire time within the "
                 "grace (%d)" % (name, len(grace)), mine)
            t.eq(len(live), 1, "%s: one run goes out" % name, mine)
            t.eq(len(skipped), len(grace) - 1, "%s: the other %d are skipped" %
                 (name, len(grace) - 1), mine)
            t.eq(sorted(epoch(r["scheduled_for"]) for r in live + skipped), grace,
                 "%s: run and skipped rows cover the fire times within the grace" % name)
            reason = "Skipped: max_instances (1) reached, 1 run still pending, queued or running"
            t.ok(skipped and all(r["error"] == reason for r in skipped),
                 "%s: skipped rows give the reason" % name,
                 skipped and skipped[0]["error"])
        if live:
            run = wait_run(s, job["id"], live[0]["id"], ("success", "failed"), 15)
            t.eq(run and run["status"], "success", "%s: the run succeeds" % name, run)
    for job in (jc, jn):
        s.request("POST", "/jobs/%s/toggle?enabled=false" % job["id"])


def test_max_instances(t, m):
    """6: while a run is in flight, a scheduled fire is skipped and run-now is 409."""
    s = m.s
    job = create(s, name="one at a time", schedule_type="daily",
                 schedule_config={"hour": m.hour, "minute": 0}, bot_config={"dry_run": True})
    m.stop_workers()
    rid = run_now(s, job["id"])
    run = wait_run(s, job["id"], rid, ("queued",), 5)
    t.eq(run and run["status"], "queued", "max_instances: with no worker the run stays queued",
         run)
    t.eq(s.request("GET", "/jobs/" + job["id"]).json()["last_run_status"], "queued",
         "last_run_status follows the newest run to queued, not only to its end")
    # No worker: schedd counts the queue (LLEN) at its heartbeat, and the run grows old.
    qlen = wait_until(lambda: int(s.metrics().get('autosched_queue_length{queue="default"}',
                                                  "0")) >= 1, 5, 0.2)
    t.ok(qlen, "workers behind: /metrics has the default queue's length, as schedd counted "
         "it in Redis", s.metrics())
    s.sql("UPDATE runs SET queued_at = queued_at - 300 WHERE id = ?", rid)
    r = s.request("GET", "/health", key=False)
    w = (r.json() or {}).get("workers") or {}
    t.eq((r.status, w.get("state"), w.get("runs_waiting") >= 1,
          (w.get("queues") or {}).get("default", 0) >= 1),
         (503, "behind", True, True), "workers behind: a run queued 5 min ago with no worker "
         "makes /health 503, workers behind", r)
    at = int(time.time()) - 30
    s.sql("UPDATE jobs SET next_run_at = ? WHERE id = ?", at, job["id"])
    sk = wait_until(lambda: [r for r in history(s, job["id"]) if r["status"] == "skipped"], 5)
    t.ok(sk and len(sk) == 1 and sk[0]["scheduled_for"] == iso(at) and
         sk[0]["trigger"] == "schedule",
         "max_instances: the scheduled fire is one skipped row", history(s, job["id"]))
    t.eq(sk and sk[0]["error"], "Skipped: max_instances (1) reached, 1 run still pending, "
         "queued or running", "max_instances: the skipped row gives the reason")
    r = s.request("POST", "/jobs/%s/run" % job["id"])
    t.ok(r.status == 409 and "max_instances" in (r.json() or {}).get("detail", ""),
         "max_instances: run-now is 409 while the run is in flight", r)
    t.eq(len(history(s, job["id"])), 2, "max_instances: the 409 recorded nothing")
    g = s.request("GET", "/jobs/" + job["id"]).json()
    t.ok(g["next_run_at"] and epoch(g["next_run_at"]) > time.time(),
         "max_instances: next_run_at still advanced", g["next_run_at"])
    # While its run waits, a pickle job moves to the JSON visitor: the run was pushed as
    # pickle, and a pickle worker will answer in pickle.
    jp = create(s, name="moves to JSON", bot_type="visitor_pickle", bot_config={"limit": 3})
    rp = run_now(s, jp["id"])
    wait_run(s, jp["id"], rp, ("queued",), 5)
    r = s.request("PUT", "/jobs/" + jp["id"], {"bot_type": "visitor"})
    t.eq(r.status, 200, "bot type changed: the job moves to another bot type", r)
    m.start_workers()
    run = wait_run(s, job["id"], rid, ("success", "failed"), 20)
    t.eq(run and run["status"], "success", "max_instances: the queued run succeeds once a "
         "worker is back", run)
    r = wait_until(lambda: s.request("GET", "/health", key=False).status == 200, 10, 0.2)
    t.ok(r, "workers behind: /health is 200 again once a worker took the run")
    run = wait_run(s, jp["id"], rp, ("success", "failed"), 20)
    t.eq(run and (run["status"], run["profiles_visited"], run["result"]),
         ("success", 3, {"profiles_visited": 3, "dry_run": False, "limit": 3}),
         "bot type changed: a run pushed as pickle is read back as pickle (the bot type it "
         "went out with, not the job's new one)", run)


def check_cron(t, m):
    """4 (end): the one-minute cron job fired on time and succeeded."""
    s = m.s
    deadline = m.cron_first + 30 - time.time()
    print("# waiting up to %.0f s for the one-minute cron job" % max(deadline, 0))

    def first():
        runs = [r for r in history(s, m.cron["id"]) if r["trigger"] == "schedule"]
        runs.sort(key=lambda r: r["scheduled_for"])
        return runs and runs[0]["status"] in ("success", "failed") and runs[0]
    run = wait_until(first, max(deadline, 5), 0.2)
    t.ok(run, "cron: the one-minute job produced a finished run", history(s, m.cron["id"]))
    if not run:
        return
    t.eq((run["scheduled_for"], run["status"]), (iso(m.cron_first), "success"),
         "cron: its first run is for the first minute after creation and succeeds")
    lag = epoch(run["queued_at"]) - m.cron_first if run["queued_at"] else None
    print("# cron: fired %s s after its time" % lag)
    t.ok(lag is not None and 0 <= lag <= 3, "cron: queued within 3 s of its minute", run)
    s.request("POST", "/jobs/%s/toggle?enabled=false" % m.cron["id"])


def no_open_runs(m):
    return wait_until(lambda: not m.s.sql("SELECT 1 FROM runs WHERE status IN "
                                          "('pending', 'queued', 'running')"), 20, 0.1)


def test_redis_down(t, m):
    """7: Redis stopped: runs wait as pending, /health says so, all go out once it is back."""
    s = m.s
    # The per-minute job fires at every minute: keep its run out of the moment Redis
    # stops (a queued run dies with a Redis that keeps nothing).
    if 60 - time.time() % 60 < 8:
        time.sleep(60 - time.time() % 60 + 1.5)
    t.ok(no_open_runs(m), "redis down: nothing in flight before Redis stops",
         s.sql("SELECT id, status FROM runs WHERE status IN ('pending','queued','running')"))
    m.stop_workers()
    m.redis.stop()
    # Nothing waits to go out: does the heartbeat still tell the truth about Redis?
    t0 = time.monotonic()
    h = wait_until(lambda: (s.request("GET", "/health", key=False).json() or {})
                   .get("redis") == "down", 5, 0.2)
    t.ok(h, "redis down: /health says redis \"down\" within 5 s even with nothing to send",
         s.request("GET", "/health", key=False))
    jobs = [m.j_birthday, m.j_pickle, m.j_visitor]
    rids = [run_now(s, j["id"]) for j in jobs]

    def health():
        r = s.request("GET", "/health", key=False)
        return r.status == 503 and (r.json() or {}).get("redis") == "down" and r
    t0 = time.monotonic()
    h = wait_until(health, 10, 0.1)
    t.ok(h, "redis down: /health is 503 with redis \"down\" (after %.1f s)" %
         (time.monotonic() - t0), s.request("GET", "/health", key=False))
    t.eq(h and (h.json()["status"], h.json()["schedd"]["state"]), ("degraded", "running"),
         "redis down: status degraded, schedd still running")
    time.sleep(1.5)
    st = [get_run(s, j["id"], r)["status"] for j, r in zip(jobs, rids)]
    t.eq(st, ["pending"] * 3, "redis down: the runs wait as pending")
    t.ok("lost redis" in m.schedd.logtext() or "cannot connect to redis" in
         m.schedd.logtext(), "redis down: schedd logs it")
    t.ok(m.schedd.alive(), "redis down: schedd keeps running")

    m.redis.start()
    t0 = time.monotonic()
    m.start_workers()
    runs = [wait_run(s, j["id"], r, ("success", "failed"), 60) for j, r in zip(jobs, rids)]
    print("# redis back: the pending runs finished %.1f s later" % (time.monotonic() - t0))
    t.eq([r and r["status"] for r in runs], ["success"] * 3,
         "redis back: every pending run goes out and succeeds", runs)
    rc = m.rc()
    t.eq([rc.execute("XLEN", "rq:results:" + r) for r in rids], [1, 1, 1],
         "redis back: each run ran exactly once (one RQ result each)")
    logs = m.worker_logs()
    t.eq([logs.count("Job OK (%s)" % r) for r in rids], [1, 1, 1],
         "redis back: the workers ran each run once")
    h = wait_until(lambda: s.request("GET", "/health", key=False).status == 200, 10, 0.2)
    t.ok(h, "redis back: /health is 200 again")


def test_lost_worker_and_queued_timeout(t, m):
    """9: a worker killed during a run; a queue no worker serves."""
    s = m.s
    t.ok(m.schedd.reconfigure(worker_lost_after=5, queued_timeout=5),
         "SIGHUP: worker_lost_after and queued_timeout reloaded")
    slow = Worker(m.redis, ["slow"], "json", speed="1", dir=s.dir)
    live = Worker(m.redis, ["slowlive"], "json", speed="1",
                  args=["--job-monitoring-interval", "1"], dir=s.dir)
    m.workers += [slow, live]
    slow.wait_ready()
    live.wait_ready()
    js = create(s, name="slow", bot_type="slow", bot_config={"limit": 1000})	# 10 s
    jl = create(s, name="slow, beating", bot_type="slow_live", bot_config={"limit": 700})
    jo = create(s, name="orphan", bot_type="orphan")
    jm = create(s, name="orphan, then moved", bot_type="orphan")
    rs, rl, ro = run_now(s, js["id"]), run_now(s, jl["id"]), run_now(s, jo["id"])
    rm = run_now(s, jm["id"])
    moved = wait_run(s, jm["id"], rm, ("queued",), 5)
    # Its job moves to a served bot type while the run waits in `nobody`.
    s.request("PUT", "/jobs/" + jm["id"], {"bot_type": "birthday"})
    rc = m.rc()
    started = wait_until(lambda: rc.execute("HGET", "rq:job:" + rs, "status") == b"started",
                         20, 0.01)
    t.ok(started, "lost worker: the worker started the run")
    slow.kill()
    killed = time.monotonic()
    run = wait_run(s, js["id"], rs, ("success", "failed"), 30)
    took = time.monotonic() - killed
    t.eq(run and run["status"], "failed", "lost worker: the run ends failed (%.1f s after "
         "the kill)" % took, run)
    t.ok(run and (run["error"] or "").startswith("worker lost: no heartbeat since "),
         "lost worker: the error says the worker was lost", run and run["error"])
    t.ok(run and run["started_at"] and run["finished_at"] and
         epoch(run["finished_at"]) - epoch(run["started_at"]) >= 5,
         "lost worker: not declared lost before worker_lost_after (5 s)", run)

    run = wait_run(s, jo["id"], ro, ("failed", "success"), 30)
    t.eq(run and (run["status"], run["error"]),
         ("failed", "no worker took it from queue 'nobody' within 5 s"),
         "queued_timeout: a run no worker takes ends failed", run)
    t.eq(rc.execute("LPOS", "rq:queue:nobody", ro), None,
         "queued_timeout: the run is no longer in the Redis queue")
    t.eq(rc.execute("EXISTS", "rq:job:" + ro), 0, "queued_timeout: its RQ job is gone")
    run = wait_run(s, jm["id"], rm, ("failed", "success"), 10)
    t.eq(moved and run and (run["status"], run["error"]),
         ("failed", "no worker took it from queue 'nobody' within 5 s"),
         "bot type changed: a run waiting in a queue no worker serves still times out "
         "(taken back from the queue it went to)", run)
    t.eq(rc.execute("LPOS", "rq:queue:nobody", rm), None,
         "bot type changed: and it is taken out of that queue")
    if run and run["status"] not in ("failed", "success"):
        # it would block max_instances for ever, and the tests after this one
        s.request("DELETE", "/jobs/" + jm["id"])
        rc.execute("LREM", "rq:queue:nobody", 0, rm)

    run = wait_run(s, jl["id"], rl, ("success", "failed"), 30)
    t.eq(run and (run["status"], run["profiles_visited"]), ("success", 700),
         "lost worker: a 7 s run on a worker that beats every second is not lost", run)
    live.stop()
    m.workers.remove(live)
    m.workers.remove(slow)
    t.ok(m.schedd.reconfigure(worker_lost_after=300, queued_timeout=86400),
         "SIGHUP: back to the default timeouts")


def test_deleted_runs(t, m):
    """9b: a deleted job's runs queued behind a busy worker never start; one already started
    finishes, and its outcome is logged and dropped."""
    s = m.s
    slow = Worker(m.redis, ["slow"], "json", speed="1", dir=s.dir)
    m.workers.append(slow)
    slow.wait_ready()
    rc = m.rc()
    # A started run of a job deleted while it runs (3 s), then the worker kept busy (8 s).
    jr = create(s, name="deleted while running", bot_type="slow", bot_config={"limit": 300})
    jb = create(s, name="keeps the worker busy", bot_type="slow", bot_config={"limit": 800})
    jd = create(s, name="doomed", bot_type="slow", max_instances=3, bot_config={"limit": 5})
    rr = run_now(s, jr["id"])
    rb = run_now(s, jb["id"])
    started = wait_until(lambda: rc.execute("HGET", "rq:job:" + rr, "status") == b"started",
                         20, 0.01)
    t.ok(started, "deleted job: the worker started the first run")
    r = s.request("DELETE", "/jobs/" + jr["id"])
    t.eq(r.status, 204, "deleted job: a job whose run has started is deleted (204)", r)
    doomed = [run_now(s, jd["id"]) for _ in range(3)]
    queued = [wait_run(s, jd["id"], x, ("queued",), 10) for x in doomed]
    t.ok(all(q and q["status"] == "queued" for q in queued),
         "deleted job: three runs queued behind the busy worker", queued)
    inq = [rc.execute("LPOS", "rq:queue:slow", x) for x in doomed]
    t.ok(all(p is not None for p in inq), "deleted job: they wait in rq:queue:slow", inq)
    began = time.monotonic()
    r = s.request("DELETE", "/jobs/" + jd["id"])
    took = time.monotonic() - began
    t.eq(r.status, 204, "deleted job: DELETE answers 204 once schedd has taken the queued "
         "runs back (%.2f s)" % took, r)
    t.eq([rc.execute("LPOS", "rq:queue:slow", x) for x in doomed], [None] * 3,
         "deleted job: when DELETE answers, no run of it is left in the RQ queue")
    t.eq([rc.execute("EXISTS", "rq:job:" + x) for x in doomed], [0] * 3,
         "deleted job: and their RQ jobs are gone")
    t.eq(s.sql("SELECT count(*) FROM withdrawals WHERE job_id = ?", jd["id"])[0][0], 0,
         "deleted job: nothing left to withdraw")
    busy = wait_run(s, jb["id"], rb, ("success", "failed"), 30)
    t.eq(busy and busy["status"], "success", "deleted job: the busy run ends", busy)
    time.sleep(1.5)		# the worker would take the next one now
    logs = slow.logtext()
    t.ok(not any(x in logs for x in doomed) and
         not any(rc.execute("EXISTS", "rq:results:" + x, "rq:job:" + x) for x in doomed),
         "deleted job: the worker never started any of the withdrawn runs", logs[-1500:])
    end = wait_until(lambda: "run '%s' of deleted job '%s' (deleted while running) ended "
                     "success after the job was deleted: its outcome is dropped" %
                     (rr, jr["id"]) in m.schedd.logtext(), 10, 0.1)
    t.ok(end, "deleted job: the run that had started finishes, and schedd logs its end and "
         "drops it", m.schedd.logtext()[-2000:])
    t.eq(s.sql("SELECT count(*) FROM withdrawals")[0][0], 0,
         "deleted job: every withdrawal done")
    t.ok("taken back from queue 'slow': it will not run" in m.schedd.logtext(),
         "deleted job: schedd logs each run it takes back")
    slow.stop()
    m.workers.remove(slow)


def prepare_retention(t, m):
    """10 (before): a job with an old in-flight run and five newer finished ones."""
    s = m.s
    jr = create(s, name="retention", bot_type="orphan", max_instances=2)
    inflight = run_now(s, jr["id"])
    run = wait_run(s, jr["id"], inflight, ("queued",), 10)
    t.eq(run and run["status"], "queued", "retention: an in-flight run (no worker's queue)")
    r = s.request("PUT", "/jobs/" + jr["id"], {"bot_type": "birthday",
                                               "bot_config": {"dry_run": True}})
    t.eq(r.status, 200, "retention: the job moves to the birthday bot", r)
    done = []
    for _ in range(5):
        rid = run_now(s, jr["id"])
        run = wait_run(s, jr["id"], rid, ("success", "failed"), 15)
        done.append(run and run["status"])
    t.eq(done, ["success"] * 5, "retention: five finished runs after it")
    # An old in-flight run is never pruned by age either; an old finished one is.
    s.sql("UPDATE runs SET created_at = created_at - 100 * 86400 WHERE id = ?", inflight)
    s.sql("UPDATE runs SET created_at = created_at - 100 * 86400 WHERE job_id = ?",
          m.j_fail["id"])
    m.retention = (jr, inflight)


def test_sigterm(t, m):
    """11: SIGTERM: exit 0, promptly."""
    notify = m.schedd.settings["notify_socket"]
    t0 = time.monotonic()
    rc = m.schedd.stop(signal.SIGTERM)
    took = time.monotonic() - t0
    t.eq(rc, 0, "SIGTERM: schedd exits 0 (%.2f s)" % took, m.schedd.logtext()[-3000:])
    t.ok(took < 3, "SIGTERM: promptly")
    t.ok("stopping" in m.schedd.logtext(), "SIGTERM: the log says it stops")
    t.ok(not os.path.exists(notify), "SIGTERM: the notify socket is removed")
    m.schedd = None


def test_retention(t, m):
    """10: schedd --once with history_max_runs = 3 keeps the newest 3 finished runs per job,
    drops finished runs older than history_max_days, and never prunes in-flight runs."""
    s = m.s
    jr, inflight = m.retention
    rows = s.sql("SELECT id, job_id, status, scheduled_for, created_at FROM runs")
    cutoff = int(time.time()) - 90 * 86400
    keep = set()
    by_job = collections.defaultdict(list)
    for rid, job, status, sched, created in rows:
        if status in ("pending", "queued", "running"):
            keep.add(rid)
        else:
            by_job[job].append((sched, rid, created))
    for job, runs in by_job.items():
        # age first, then the newest 3 of what is left (the order schedd prunes in)
        runs = sorted((r for r in runs if r[2] >= cutoff), reverse=True)
        keep.update(rid for sched, rid, created in runs[:3])
    pr = Schedd(s, name="prune", redis="unix:" + m.redis.sock, history_max_runs=3,
                history_max_days=90)
    m.logs.append(pr.log)
    code, out = pr.once()
    t.eq(code, 0, "retention: schedd --once exits 0", out[-2000:])
    left = set(r for (r,) in s.sql("SELECT id FROM runs"))
    t.eq(len(left), len(keep), "retention: %d of %d runs kept" % (len(keep), len(rows)))
    t.ok(left == keep, "retention: exactly the newest 3 finished runs per job, and every "
         "in-flight run", sorted(left ^ keep)[:10])
    mine = history(s, jr["id"])
    t.eq(sorted(r["status"] for r in mine), ["queued", "success", "success", "success"],
         "retention: the job keeps its old in-flight run and its 3 newest successes")
    t.ok(inflight in [r["id"] for r in mine], "retention: the in-flight run (100 days old) "
         "is kept")
    t.eq(history(s, m.j_fail["id"]), [], "retention: a finished run older than "
         "history_max_days is dropped")
    t.ok("pruned %d runs" % (len(rows) - len(keep)) in out, "retention: the log says how "
         "many", out[-1000:])


# --- the fault stack ----------------------------------------------------------------------

class Fault:
    N = 2000

    def __init__(self, t, bindir):
        self.t = t
        self.s = Stack(bindir, conf_extra="\n[schedd]\nnotify_socket = schedd.sock\n")
        # Kept on disk (append-only file, fsync before each reply) so that killing Redis
        # loses nothing it acknowledged.
        self.redis = Redis(self.s.dir, aof=True)
        self.procs = []
        self.logs = []
        self.expected = set()		# (job id, scheduled_for) that must have one run each
        self.base = int(time.time()) - 1000
        self.tick = 0

    def schedd(self, name, **kw):
        sd = Schedd(self.s, name=name, redis="unix:" + self.redis.sock, **kw)
        self.procs.append(sd)
        self.logs.append(sd.log)
        return sd

    def refill(self):
        """Makes every job that is not due any more due again, at a new fire time (under
        the write lock, so a running schedd sees all of it or none)."""
        self.tick += 1
        at = self.base + self.tick
        now = int(time.time())
        c = sqlite3.connect(self.s.db, timeout=30)
        try:
            c.execute("BEGIN IMMEDIATE")
            ids = [r for (r,) in c.execute("SELECT id FROM jobs WHERE next_run_at IS NULL "
                                           "OR next_run_at > ?", (now,))]
            c.executemany("UPDATE jobs SET next_run_at = ? WHERE id = ?",
                          [(at, i) for i in ids])
            c.commit()
        finally:
            c.close()
        self.expected.update((i, at) for i in ids)
        return len(ids)

    def settled(self):
        now = int(time.time())
        return (not self.s.sql("SELECT 1 FROM runs WHERE status = 'pending' LIMIT 1") and
                not self.s.sql("SELECT 1 FROM jobs WHERE next_run_at <= ? LIMIT 1", now))

    def check(self, name):
        """Every expected fire time has exactly one run, queued, in Redis exactly once."""
        t = self.t
        rows = self.s.sql("SELECT id, job_id, scheduled_for, status FROM runs")
        pairs = collections.Counter((j, at) for _, j, at, _ in rows)
        t.eq(len(rows), len(self.expected), "%s: one run per fire time (%d)" %
             (name, len(self.expected)))
        t.ok(set(pairs) == self.expected and max(pairs.values()) == 1,
             "%s: no fire time lost, none fired twice" % name,
             "missing: %r" % sorted(self.expected - set(pairs))[:5],
             "extra: %r" % [p for p, n in pairs.items() if n > 1 or p not in
                            self.expected][:5])
        st = collections.Counter(s for *_, s in rows)
        t.eq(dict(st), {"queued": len(rows)}, "%s: every run is queued in the database" %
             name)
        rc = self.redis.client()
        try:
            queue = [x.decode() for x in rc.execute("LRANGE", "rq:queue:default", 0, -1)]
            ids = [r[0] for r in rows]
            seen = collections.Counter(queue)
            twice = [i for i, n in seen.items() if n > 1]
            t.eq(len(queue), len(rows), "%s: rq:queue:default holds %d ids" %
                 (name, len(rows)))
            t.ok(not twice, "%s: no run pushed twice" % name, twice[:5])
            t.ok(set(queue) == set(ids), "%s: every run in Redis, nothing else" % name,
                 sorted(set(ids) - set(queue))[:5], sorted(set(queue) - set(ids))[:5])
            h = rc.pipeline([("HMGET", "rq:job:" + i, "status", "origin") for i in ids])
            bad = [i for i, v in zip(ids, h) if v != [b"queued", b"default"]]
            t.ok(not bad, "%s: every run has its RQ job hash (queued, origin default)" %
                 name, bad[:5])
            m = rc.pipeline([("EXISTS", "autosched:pushed:" + i) for i in ids])
            t.ok(all(x == 1 for x in m), "%s: every run has its pushed marker" % name)
        finally:
            rc.close()

    def cleanup(self):
        for p in self.procs:
            p.stop()
        self.redis.stop()
        self.s.stop()


def test_kill9(t, f):
    """8a: 2,000 due jobs; schedd killed with -9 at random moments, 20 times."""
    s = f.s
    hour = far_hour()
    # max_instances 100: nothing takes the runs, and every round's must still go out
    tmpl = create(s, name="fault", schedule_type="daily", max_instances=100,
                  schedule_config={"hour": hour, "minute": 0}, bot_config={"dry_run": True})
    f.jobs = clone_jobs(s, tmpl["id"], f.N)
    sd = f.schedd("kill9")
    rc = f.redis.client()
    rnd = random.Random()
    busy = hits = 0
    window = set()
    f.refill()
    for i in range(20):
        if i:
            f.refill()
        base = rc.execute("LLEN", "rq:queue:default")
        sd.start()
        if i % 2:
            time.sleep(rnd.uniform(0, 0.3))
        else:
            # aim at the outbox: once pushing has begun, up to 30 ms later
            wait_until(lambda: rc.execute("LLEN", "rq:queue:default") > base, 10, 0.001)
            time.sleep(rnd.uniform(0, 0.03))
        sd.kill()
        # Pushed to Redis but not yet marked queued: the crash window of the outbox.
        pend = [r for (r,) in s.sql("SELECT id FROM runs WHERE status = 'pending'")]
        if pend or not f.settled():
            busy += 1
        if pend:
            inredis = [r for r, e in zip(pend, rc.pipeline([("EXISTS", "rq:job:" + r)
                                                            for r in pend])) if e]
            hits += bool(inredis)
            window.update(inredis)
    rc.close()
    print("# kill -9: %d of 20 kills left work undone; %d landed between a push and its "
          "mark (%d runs in Redis but still pending)" % (busy, hits, len(window)))
    print("# kill -9: %d fire times made due over the rounds" % len(f.expected))
    sd.start()
    t0 = time.monotonic()
    ok = wait_until(f.settled, 180, 0.1)
    print("# kill -9: the last schedd finished the burst in %.1f s" % (time.monotonic() - t0))
    t.ok(ok, "kill -9: a last schedd brings every due run out", counts(s))
    t.eq(sd.stop(), 0, "kill -9: the last schedd stops with 0", sd.logtext()[-2000:])
    f.check("kill -9 x20")


def test_two_schedd(t, f):
    """8b: two schedd on one database over bursts of due jobs."""
    s = f.s
    a = f.schedd("two-a", notify_socket=os.path.join(s.dir, "a.sock"))
    b = f.schedd("two-b", notify_socket=os.path.join(s.dir, "b.sock"))
    before = len(f.expected)
    a.start()
    b.start()
    wait_until(lambda: os.path.exists(os.path.join(s.dir, "a.sock")) and
               os.path.exists(os.path.join(s.dir, "b.sock")), 10)
    for _ in range(2):
        f.refill()
        nudge(os.path.join(s.dir, "a.sock"))
        nudge(os.path.join(s.dir, "b.sock"))
        time.sleep(0.05)
        t.ok(wait_until(f.settled, 120, 0.1), "two schedd: the burst goes out", counts(s))
    t.eq((a.stop(), b.stop()), (0, 0), "two schedd: both stop with 0",
         a.logtext()[-1000:], b.logtext()[-1000:])
    fired = []
    for sd in (a, b):
        fired.append(sum(int(x) for x in re.findall(r"pass: \d+ jobs fired, (\d+) runs pending",
                                                     sd.logtext())))
    print("# two schedd: runs recorded by each: %r (of %d)" % (fired, len(f.expected) - before))
    t.eq(sum(fired), len(f.expected) - before, "two schedd: together they recorded each "
         "new run once")
    f.check("two schedd")


def test_redis_stop_in_burst(t, f):
    """8c: Redis killed in the middle of a burst, back after 3 s."""
    s = f.s
    sd = f.schedd("redis-stop")
    sd.start()
    rc = f.redis.client()
    base = rc.execute("LLEN", "rq:queue:default")
    n = f.refill()
    nudge(os.path.join(s.dir, "schedd.sock"))

    def pushing():
        try:
            return rc.execute("LLEN", "rq:queue:default") > base
        except (OSError, ConnectionError):
            return True
    wait_until(pushing, 30, 0.001)
    f.redis.stop(signal.SIGKILL)	# at once: SIGTERM waits for Redis's next cron tick
    rc.close()
    pend = s.sql("SELECT count(*) FROM runs WHERE status = 'pending'")[0][0]
    n2 = f.refill()		# a second burst while Redis is down
    nudge(os.path.join(s.dir, "schedd.sock"))
    time.sleep(3)
    print("# redis stop: Redis stopped with %d of %d runs of a burst not yet queued; "
          "%d more fire times came due while it was down" % (pend, n, n2))
    t.ok(wait_until(lambda: s.sql("SELECT count(*) FROM runs WHERE status = 'pending'")[0][0]
                    >= n2, 5), "redis stop: runs wait as pending while Redis is down",
         counts(s))
    t.ok(sd.alive(), "redis stop: schedd keeps running without Redis")
    f.redis.start()
    t0 = time.monotonic()
    ok = wait_until(f.settled, 120, 0.1)
    print("# redis stop: all out %.1f s after Redis came back" % (time.monotonic() - t0))
    t.ok(ok, "redis stop: everything goes out once Redis is back", counts(s))
    t.eq(sd.stop(), 0, "redis stop: schedd stops with 0", sd.logtext()[-2000:])
    f.check("redis stop")


def test_redis_hung(t, f):
    """8d: Redis hangs (SIGSTOP) for 3 s in the middle of a burst: schedd's commands time
    out, and scripts it sent may still run when Redis wakes up."""
    s = f.s
    sd = f.schedd("redis-hung")
    sd.start()
    rc = f.redis.client()
    base = rc.execute("LLEN", "rq:queue:default")
    f.refill()
    nudge(os.path.join(s.dir, "schedd.sock"))
    wait_until(lambda: rc.execute("LLEN", "rq:queue:default") > base, 30, 0.001)
    rc.close()
    f.redis.pause()
    try:
        pend = s.sql("SELECT count(*) FROM runs WHERE status = 'pending'")[0][0]
        time.sleep(3)
    finally:
        f.redis.resume()
    print("# redis hung: Redis paused with %d runs not yet marked queued" % pend)
    t.ok(sd.alive(), "redis hung: schedd keeps running")
    t0 = time.monotonic()
    ok = wait_until(f.settled, 120, 0.1)
    print("# redis hung: all out %.1f s after Redis woke up" % (time.monotonic() - t0))
    t.ok(ok, "redis hung: everything goes out once Redis answers again", counts(s))
    t.eq(sd.stop(), 0, "redis hung: schedd stops with 0", sd.logtext()[-2000:])
    f.check("redis hung")


def test_signal_in_pass(t, f):
    """11: SIGTERM that lands while schedd is busy with a burst: it finishes the pass and
    exits; it must not sleep a whole poll interval first."""
    s = f.s
    sd = f.schedd("sigterm-in-pass", poll_interval_ms=10000)
    sd.start()
    notify = os.path.join(s.dir, "schedd.sock")
    wait_until(lambda: os.path.exists(notify), 10)
    time.sleep(0.3)
    rc = f.redis.client()
    base = rc.execute("LLEN", "rq:queue:default")
    passes = sd.logtext().count("pass: ")
    f.refill()
    nudge(notify)
    wait_until(lambda: rc.execute("LLEN", "rq:queue:default") > base, 30, 0.001)
    rc.close()
    sd.proc.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    # the end of the pass the signal landed in (its summary line), if it was not over yet
    ended = wait_until(lambda: sd.logtext().count("pass: ") > passes and time.monotonic(),
                       30, 0.005) or sent
    try:
        sd.proc.wait(30)
    except Exception:
        pass
    gone = time.monotonic()
    print("# SIGTERM in a pass: the pass ended %.2f s after the signal, schedd exited "
          "%.2f s after the pass" % (max(ended - sent, 0), gone - max(ended, sent)))
    t.ok(gone - max(ended, sent) < 2, "SIGTERM during a pass: schedd exits when the pass "
         "is over, not a poll interval (10 s) later (%.1f s)" % (gone - max(ended, sent)),
         sd.logtext()[-600:])
    t.eq(sd.stop(), 0, "SIGTERM during a pass: exit status 0")
    t.ok(f.settled(), "SIGTERM during a pass: the pass was finished first (nothing "
         "left pending or due)", counts(s))


# --- main ---------------------------------------------------------------------------------

def main():
    if len(sys.argv) != 2:
        print("usage: test_schedd.py BINDIR", file=sys.stderr)
        return 2
    bindir = sys.argv[1]
    t = Tap()
    c = Checker(t)
    started = time.monotonic()
    m = f = None
    logs = []
    try:
        m = Main(t, bindir)
        m.redis.start()
        m.start_workers()
        c.run("notify", test_notify_and_success, t, m)
        if m.schedd is None or not m.schedd.alive():
            raise RuntimeError("schedd did not start: " +
                               (m.schedd.logtext() if m.schedd else ""))
        c.run("cron", start_cron, t, m)
        c.run("failure", test_failure, t, m)
        c.run("pickle", test_pickle_and_visitor, t, m)
        c.run("bot pause", test_bot_pause, t, m)
        c.run("bad reload", test_bad_reload, t, m)
        c.run("two schedd + workers", test_two_schedd_workers, t, m)
        c.run("health", test_health, t, m, "idle")
        c.run("daily", test_daily_due, t, m)
        c.run("misfire", test_misfire, t, m)
        c.run("max_instances", test_max_instances, t, m)

        f = Fault(t, bindir)
        f.redis.start()
        c.run("kill -9", test_kill9, t, f)
        c.run("sigterm in a pass", test_signal_in_pass, t, f)
        c.run("two schedd", test_two_schedd, t, f)
        c.run("redis stop", test_redis_stop_in_burst, t, f)
        c.run("redis hung", test_redis_hung, t, f)
        f.cleanup()

        c.run("health", test_health, t, m, "after the fault tests")
        c.run("lost worker", test_lost_worker_and_queued_timeout, t, m)
        c.run("deleted job", test_deleted_runs, t, m)
        c.run("redis down", test_redis_down, t, m)
        c.run("cron", check_cron, t, m)
        c.run("retention", prepare_retention, t, m)
        c.run("sigterm", test_sigterm, t, m)
        c.run("retention", test_retention, t, m)
    except Exception:
        t.ok(False, "the suite could not go on", traceback.format_exc())
    finally:
        for x in (f, m):
            if x:
                x.cleanup()
                logs += x.logs
    bad = []
    for path in logs:
        bad += sanitizer_report(read_text(path))
    t.ok(not bad, "no sanitizer report in any schedd log", *bad[:10])
    print("# schedd suite: %.0f s" % (time.monotonic() - started))
    for x in (f, m):
        if x and not os.environ.get("AUTOSCHED_TEST_KEEP"):
            x.s.cleanup()
        elif x:
            print("# kept " + x.s.dir)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
