"""autosched soak: every-minute jobs firing into real RQ workers while readers, writers and
signed-in dashboard readers work at once, for SOAK_MINUTES minutes (2 by default; `make
soak MINUTES=30` for a long one).

    /usr/bin/python3 tests/soak/test_soak.py BINDIR

Everything is real and started here: lighttpd with the API and the dashboard (FastCGI),
redis-server, schedd, three stock `rq worker`s (two on `default`, one on `slow`, kept busy)
running tests/soak/soakbot.py, which notes every start and end of a run in a trace file.

- STEADY jobs fire every minute into `default`; writers change their descriptions, never
  their schedules.
- Writers (two threads) churn other every-minute jobs on `slow`: create, update, toggle,
  run now twice, then delete, often while their runs wait in the queue.
- Readers (four threads) list, read, page through history, preview, and read /health and
  /metrics; two dashboard readers, signed in, read the list and job pages.

It passes when no answer is a 5xx, every request got an answer, every minute of every steady
job was fired exactly once and ran once (the trace), no run is left pending, queued or
running after the drain, no run of a deleted job started after its DELETE answered 204 and
nothing is left to withdraw, and the RSS of schedd and of each FastCGI process is flat. It
prints the figures. TAP output.
"""
import calendar
import http.client
import json
import os
import random
import re
import sys
import threading
import time
import traceback
import urllib.parse

from harness import (Redis, Schedd, Stack, Tap, Worker, children, read_text, rss_kb, stop_all,
                     wait_until)

HERE = os.path.dirname(os.path.abspath(__file__))
STEADY = 24		# every-minute jobs that stay
PASSWORD = "soak-password-1"
BOTS = """
[schedd]
notify_socket = schedd.sock

[bot.soak]
description = The soak suite's bot (tests/soak/soakbot.py)
function = soakbot.run
queue = default
param.tag = string, default none, max_length 64
param.limit = int, range 0-1000, default 5

[bot.soak_slow]
description = The same on the queue one busy worker serves
function = soakbot.run
queue = slow
param.tag = string, default none, max_length 64
param.limit = int, range 0-1000, default 40
"""


class Client:
    """HTTP/1.1 requests on one keep-alive connection; counts every answer and failure."""

    def __init__(self, port, stats, headers=None):
        self.port = port
        self.stats = stats
        self.headers = headers or {}
        self.c = None

    def request(self, kind, method, path, body=None, headers=None):
        h = dict(self.headers, **(headers or {}))
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            h["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self.c is None:
                self.c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            t0 = time.monotonic()
            try:
                self.c.request(method, path, body=body, headers=h)
                r = self.c.getresponse()
                data = r.read()
            except (http.client.RemoteDisconnected, ConnectionResetError,
                    BrokenPipeError) as e:
                # the server closed an idle keep-alive connection: once more, anew
                self.c.close()
                self.c = None
                if attempt == 2:
                    self.stats.failed(kind, "%s %s: %r" % (method, path, e))
                    return None
                continue
            except Exception as e:
                self.c.close()
                self.c = None
                self.stats.failed(kind, "%s %s: %r" % (method, path, e))
                return None
            self.stats.answer(kind, r.status, time.monotonic() - t0, method, path, data)
            if r.getheader("Connection", "").lower() == "close":
                self.c.close()
                self.c = None
            r.body = data
            return r
        return None


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_kind = {}	# kind -> {"n", "status": {code: n}, "lat": [...]}
        self.fails = []
        self.bad = []		# 5xx answers

    def _k(self, kind):
        return self.by_kind.setdefault(kind, {"n": 0, "status": {}, "lat": []})

    def answer(self, kind, status, secs, method, path, data):
        with self.lock:
            k = self._k(kind)
            k["n"] += 1
            k["status"][status] = k["status"].get(status, 0) + 1
            k["lat"].append(secs)
            if status >= 500:
                self.bad.append("%d %s %s: %s" % (status, method, path, data[:200]))

    def failed(self, kind, what):
        with self.lock:
            self._k(kind)
            self.fails.append(what)

    def table(self):
        lines = ["%-16s %7s %9s %9s  %s" % ("requests", "n", "p50 ms", "p99 ms", "statuses")]
        for kind in sorted(self.by_kind):
            k = self.by_kind[kind]
            lat = sorted(k["lat"]) or [0]
            p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
            lines.append("%-16s %7d %9.1f %9.1f  %s" % (
                kind, k["n"], p(0.5), p(0.99),
                " ".join("%d:%d" % kv for kv in sorted(k["status"].items()))))
        return lines


def sign_in(port, stats):
    """A dashboard client signed in as admin: its cookie."""
    c = Client(port, stats)
    r = c.request("web", "GET", "/automation/login")
    token = re.search(rb'name="_csrf" value="([^"]+)"', r.body).group(1).decode()
    login = re.search(r"(autosched_login=[^;]+)", r.getheader("Set-Cookie")).group(1)
    form = urllib.parse.urlencode({"_csrf": token, "user": "admin", "password": PASSWORD})
    r = c.request("web", "POST", "/automation/login", body=form,
                  headers={"Content-Type": "application/x-www-form-urlencoded",
                           "Cookie": login})
    return re.search(r"(autosched_session=[^;]+)", r.getheader("Set-Cookie")).group(1)


class Soak:
    def __init__(self, t, bindir, minutes):
        self.t = t
        self.bindir = bindir
        self.minutes = minutes
        self.stats = Stats()
        self.rss = {}			# name -> [(seconds since start, KiB)]
        self.stop = threading.Event()
        self.errors = []		# exceptions in the load threads
        self.deleted = []		# (tag, job id, status, answered at)
        self.steady = []		# job documents
        # Under AddressSanitizer, freed memory waits in a quarantine (256 MiB by default)
        # before it is used again: RSS would only tell how full that is. (Set before the
        # web server starts the programs.)
        if "ASAN_OPTIONS" in os.environ:
            os.environ["ASAN_OPTIONS"] += (":quarantine_size_mb=0:"
                                           "thread_local_quarantine_size_kb=0")
        self.s = Stack(bindir, conf_extra=BOTS)
        self.trace = os.path.join(self.s.dir, "trace")
        self.redis = Redis(self.s.dir)
        self.workers = []
        self.schedd = None

    def start(self):
        self.redis.start()
        env = {"SOAK_TRACE": self.trace}
        self.workers = [Worker(self.redis, ["default"], speed="0.05", dir=self.s.dir,
                               path=[HERE], env=env) for _ in range(2)]
        self.workers.append(Worker(self.redis, ["slow"], speed="1", dir=self.s.dir,
                                   path=[HERE], env=env))
        for w in self.workers:
            w.wait_ready()
        self.schedd = Schedd(self.s, redis="unix:" + self.redis.sock)
        self.schedd.start(verbose=False)
        self.s.cli("user", "add", "admin", stdin=PASSWORD + "\n")

    def api(self, c, kind, method, path, body=None, headers=None):
        return c.request(kind, method, self.s.prefix + path, body, headers)

    # --- the load ---------------------------------------------------------------------

    def guarded(self, fn, *args):
        def run():
            try:
                fn(*args)
            except Exception:
                self.errors.append(traceback.format_exc())
        th = threading.Thread(target=run, daemon=True)
        th.start()
        return th

    def reader(self, n):
        c = Client(self.s.port, self.stats, {"X-API-Key": self.s.key})
        rnd = random.Random(n)
        etag = None
        while not self.stop.is_set():
            what = rnd.randrange(8)
            if what == 0:
                r = self.api(c, "api list", "GET", "/jobs?limit=100",
                             headers={"If-None-Match": etag} if etag else None)
                if r is not None and r.status == 200:
                    etag = r.getheader("ETag")
            elif what == 1:
                j = rnd.choice(self.steady)
                self.api(c, "api job", "GET", "/jobs/" + j["id"])
            elif what == 2:
                j = rnd.choice(self.steady)
                self.api(c, "api history", "GET", "/jobs/%s/history?limit=20" % j["id"])
            elif what == 3:
                self.api(c, "api preview", "GET", "/preview?schedule_type=cron&"
                         "cron_expression=*/5+9-17+*+*+1-5&timezone=Europe/Paris&count=10")
            elif what == 4:
                self.api(c, "health", "GET", "/health")
            elif what == 5:
                self.api(c, "metrics", "GET", "/metrics",
                         headers={"Authorization": "Bearer " + self.s.key})
            else:
                self.api(c, "api list", "GET", "/jobs?enabled_only=true&bot_type=soak")
            time.sleep(0.02)

    def dashboard(self, n):
        cookie = sign_in(self.s.port, self.stats)
        c = Client(self.s.port, self.stats, {"Cookie": cookie})
        rnd = random.Random(100 + n)
        while not self.stop.is_set():
            if rnd.randrange(3) == 0:
                j = rnd.choice(self.steady)
                c.request("web", "GET", "/automation/jobs/" + j["id"])
            else:
                c.request("web", "GET", "/automation/?per_page=%d" % rnd.choice((25, 50)))
            time.sleep(0.1)

    def writer(self, n):
        c = Client(self.s.port, self.stats, {"X-API-Key": self.s.key})
        rnd = random.Random(200 + n)
        i = 0
        while not self.stop.is_set():
            i += 1
            tag = "churn-%d-%d" % (n, i)
            r = self.api(c, "api create", "POST", "/jobs", {
                "name": tag, "bot_type": "soak_slow", "schedule_type": "cron",
                "schedule_config": {"cron_expression": "* * * * *"}, "max_instances": 3,
                "bot_config": {"tag": tag}})
            if r is None or r.status != 201:
                continue
            jid = json.loads(r.body)["id"]
            self.api(c, "api update", "PUT", "/jobs/" + jid, {"description": "churned"})
            self.api(c, "api toggle", "POST", "/jobs/%s/toggle?enabled=false" % jid)
            self.api(c, "api toggle", "POST", "/jobs/%s/toggle?enabled=true" % jid)
            for _ in range(2):
                self.api(c, "api run", "POST", "/jobs/%s/run" % jid)
            s = rnd.choice(self.steady)
            self.api(c, "api update", "PUT", "/jobs/" + s["id"],
                     {"description": "steady, touched by writer %d at %d" % (n, i)})
            self.stop.wait(rnd.uniform(0.2, 3))
            r = self.api(c, "api delete", "DELETE", "/jobs/" + jid)
            self.deleted.append((tag, jid, r.status if r is not None else None, time.time()))
            self.stop.wait(rnd.uniform(0.1, 1))

    def sample_rss(self, since):
        progs = [(p, n) for p, n in children(self.s.proc.pid) if n.startswith("autosched-")]
        progs.append((self.schedd.proc.pid, "schedd"))
        for i, (p, n) in enumerate(sorted(progs)):
            kb = rss_kb(p)
            if kb is not None:
                self.rss.setdefault("%s[%d]" % (n, p), []).append((time.time() - since, kb))

    # --- the run ----------------------------------------------------------------------

    def run(self):
        t = self.t
        self.start()
        c = Client(self.s.port, self.stats, {"X-API-Key": self.s.key})
        for i in range(STEADY):
            r = self.api(c, "api create", "POST", "/jobs", {
                "name": "steady-%02d" % i, "bot_type": "soak", "schedule_type": "cron",
                "schedule_config": {"cron_expression": "* * * * *"},
                "bot_config": {"tag": "steady-%02d" % i}})
            self.steady.append(json.loads(r.body))
        began = time.time()
        threads = [self.guarded(self.reader, i) for i in range(4)]
        threads += [self.guarded(self.dashboard, i) for i in range(2)]
        threads += [self.guarded(self.writer, i) for i in range(2)]
        end = began + self.minutes * 60
        while time.time() < end:
            self.sample_rss(began)
            time.sleep(min(10, max(0, end - time.time())))
        # Stop the steady jobs away from a minute's edge, so that every minute up to then
        # is owed and none after.
        while not 8 <= time.time() % 60 <= 45:
            time.sleep(0.5)
        self.sample_rss(began)
        self.stop.set()
        for th in threads:
            th.join(60)
        stopped = time.time()
        for j in self.steady:
            r = self.api(c, "api toggle", "POST", "/jobs/%s/toggle?enabled=false" % j["id"])
            t.eq(r and r.status, 200, "drain: %s disabled" % j["name"])
        loaded = stopped - began
        print("# load: %.0f s, %d steady every-minute jobs, %d churned jobs deleted" %
              (loaded, STEADY, len(self.deleted)))

        # Drain: every run ends.
        def open_runs():
            return self.s.sql("SELECT count(*) FROM runs WHERE status IN "
                              "('pending', 'queued', 'running')")[0][0]
        drained = wait_until(lambda: open_runs() == 0 and
                             self.s.sql("SELECT count(*) FROM withdrawals")[0][0] == 0,
                             180, 0.5)
        t.ok(drained, "drain: no run left pending, queued or running, nothing left to "
             "withdraw (%d open runs)" % open_runs())
        self.check(began, stopped)

    def check(self, began, stopped):
        t = self.t
        st = self.stats
        for line in st.table():
            print("# " + line)
        t.eq(st.bad, [], "no 5xx answer (%d requests)" %
             sum(k["n"] for k in st.by_kind.values()))
        t.eq(st.fails, [], "every request got an answer")
        t.eq(self.errors, [], "the load threads ran to their end")

        # Every minute of every steady job fired once, and ran once.
        trace = [l.split() for l in read_text(self.trace).splitlines() if l.strip()]
        starts = {}
        for at, what, rid, tag in trace:
            if what == "start":
                starts.setdefault(rid, []).append((float(at), tag))
        lost, doubled, unfinished, total = [], [], [], 0
        for j in self.steady:
            created = calendar.timegm(time.strptime(j["created_at"], "%Y-%m-%dT%H:%M:%SZ"))
            want = list(range((created // 60 + 1) * 60, int(stopped) + 1, 60))
            rows = self.s.sql("SELECT r.scheduled_for, r.status, r.id FROM runs r JOIN jobs j "
                              "ON r.job_num = j.num WHERE j.id = ? AND r.trigger = 'schedule' "
                              "ORDER BY r.scheduled_for", j["id"])
            got = [r[0] for r in rows]
            total += len(want)
            if got != want:
                lost.append("%s: want %s, got %s" % (j["name"], want, got))
            for at, status, rid in rows:
                if status != "success":
                    unfinished.append("%s %d: %s" % (j["name"], at, status))
                if len(starts.get(rid, [])) != 1:
                    doubled.append("%s %d: run %s started %d times" % (
                        j["name"], at, rid, len(starts.get(rid, []))))
        print("# fires: %d minutes owed over %d steady jobs" % (total, STEADY))
        t.eq(lost, [], "fires: every minute of every steady job fired once (%d)" % total)
        t.eq(unfinished, [], "fires: each of them ran and succeeded")
        t.eq(doubled, [], "fires: each run started exactly once in a worker (the trace)")
        twice = [rid for rid, s in starts.items() if len(s) > 1]
        t.eq(twice, [], "trace: no run started twice, of any job (%d runs started)" %
             len(starts))

        # After a DELETE answered 204, no run of the job is left in a queue: schedd took
        # each one back, or found a worker had already taken it (dequeued: the bot may begin
        # a moment later, in the work-horse RQ forks), which it then lets finish and drops.
        log = self.schedd.logtext()
        taken = set(re.findall(r"run '([0-9a-f-]{36})' of deleted job '[^']*' \(.*?\) taken "
                               r"back from queue", log))
        dropped = set(re.findall(r"run '([0-9a-f-]{36})' of deleted job '[^']*' \(.*?\) "
                                 r"ended \S+.*? after the job was deleted: its outcome is "
                                 r"dropped", log))
        late, ran_anyway, statuses, delays = [], [], {}, []
        tags = {tag: (status, answered) for tag, jid, status, answered in self.deleted}
        for tag, (status, answered) in tags.items():
            statuses[status] = statuses.get(status, 0) + 1
        for rid, ss in starts.items():
            for at, tag in ss:
                if rid in taken:
                    ran_anyway.append("%s: run %s was taken back, yet started" % (tag, rid))
                if tag in tags and tags[tag][0] == 204 and at > tags[tag][1]:
                    delays.append(at - tags[tag][1])
                    if rid not in dropped:
                        late.append("%s: run %s started %.3f s after its DELETE, and no "
                                    "worker had it before" % (tag, rid, at - tags[tag][1]))
        print("# deletes: %s; runs taken back from their queue: %d; runs of deleted jobs "
              "a worker already had, let finish and dropped: %d (of which the bot began "
              "after the DELETE answered: %d, at most %.3f s after)" % (
                  " ".join("%s:%d" % kv for kv in sorted(statuses.items(), key=str)),
                  len(taken), len(dropped), len(delays), max(delays or [0])))
        t.ok(self.deleted and set(statuses) <= {204, 202}, "deletes: every one answered "
             "204 (or 202, still withdrawing)", statuses)
        t.eq(ran_anyway, [], "deletes: no run taken back from its queue ever started")
        t.eq(late, [], "deletes: every run of a deleted job that began after its DELETE "
             "answered was already a worker's before (schedd found it taken, dropped it)")
        t.ok(len(taken) > 0, "deletes: some runs were taken back from the queue (%d): the "
             "test deleted jobs with runs waiting" % len(taken))

        # RSS: flat from the first sample after warm-up to the end.
        flat = []
        print("# RSS KiB (first sample after 20 s, then the last):")
        for name, samples in sorted(self.rss.items()):
            warm = [kb for secs, kb in samples if secs >= 20] or [samples[-1][1]]
            first, last, peak = warm[0], samples[-1][1], max(warm)
            print("#   %-28s %6d -> %6d (peak %d)" % (name, first, last, peak))
            if last > first * 1.25 + 1024:
                flat.append("%s: %d -> %d KiB" % (name, first, last))
        t.eq(flat, [], "RSS of schedd and each FastCGI process is flat (within 25% + 1 MiB)")
        sans = [l for l in log.splitlines() + self.s.errorlog().splitlines()
                if "Sanitizer" in l or "runtime error" in l]
        t.eq(sans[:5], [], "no sanitizer report from schedd or the web programs")

    def cleanup(self):
        self.stop.set()
        stop_all(self.workers, self.schedd, self.redis, self.s)


def main():
    bindir = sys.argv[1]
    minutes = float(os.environ.get("SOAK_MINUTES", "2"))
    t = Tap()
    soak = Soak(t, bindir, minutes)
    try:
        soak.run()
    except Exception:
        t.ok(False, "the soak could not go on", traceback.format_exc())
    finally:
        soak.cleanup()
        if not os.environ.get("AUTOSCHED_TEST_KEEP"):
            soak.s.cleanup()
        else:
            print("# kept " + soak.s.dir)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
