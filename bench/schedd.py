"""autosched benchmark: schedd.

    /usr/bin/python3 bench/schedd.py BIN [IDLE_SECONDS]

1. 100,000 jobs all due at once: seconds from schedd's start until all their runs are in
   Redis (target: under 5 s), and schedd's peak RSS meanwhile (target: under 16 MB).
2. 100,000 jobs none due: CPU time schedd uses over IDLE_SECONDS (60 by default; target:
   under 0.2 s over 60 s).
3. Run-now latency: from the API call (through lighttpd) to the job in Redis, 50 times
   (target: p50 under 100 ms).
Everything runs on a private redis-server on a unix socket, without workers.
"""
import os
import sqlite3
import subprocess
import sys
import time
import uuid

import redis
from harness import Stack

N = 100000


def proc_stat(pid):
    """(cpu seconds, rss KiB, peak rss KiB) of a process."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss = hwm = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return cpu, rss, hwm


def add_jobs(db, n, next_run_at, now):
    c = sqlite3.connect(db)
    rows = []
    for i in range(n):
        rows.append((str(uuid.uuid4()), "bench %d" % i, "birthday", "cron",
                     '{"cron_expression":"0 8 * * 1-5"}', now, '{"dry_run":true}',
                     "Europe/Paris", now, now, "bench", next_run_at))
    c.executemany("INSERT INTO jobs (id, name, bot_type, schedule_type, schedule_config, "
                  "schedule_anchor, bot_config, timezone, created_at, updated_at, created_by, "
                  "next_run_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    c.commit()
    c.close()


class Redis:
    def __init__(self, folder):
        self.sock = os.path.join(folder, "redis.sock")
        self.proc = subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", self.sock,
                                      "--save", "", "--appendonly", "no"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while not os.path.exists(self.sock):
            if time.time() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.02)
        self.r = redis.Redis(unix_socket_path=self.sock)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def start_schedd(bindir, conf):
    return subprocess.Popen([os.path.join(bindir, "schedd"), "-d", "-c", conf],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(p):
    p.terminate()
    p.wait(20)


def main():
    bindir = os.path.abspath(sys.argv[1])
    idle = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    extra = "\n[schedd]\nredis = unix:%s\nnotify_socket = %s\npoll_interval_ms = 1000\n"

    def stopped_stack():
        """A stack whose database schedd reads directly (no web server), and its Redis."""
        s = Stack(bindir, conf_extra="")
        rd = Redis(s.dir)
        with open(s.conf, "a") as f:
            f.write(extra % (rd.sock, os.path.join(s.dir, "schedd.sock")))
        s.stop()
        return s, rd

    # 1. the burst
    s, rd = stopped_stack()
    now = int(time.time())
    add_jobs(s.db, N, now - 10, now)
    t0 = time.time()
    p = start_schedd(bindir, s.conf)
    peak = 0
    while rd.r.llen("rq:queue:default") < N:
        peak = max(peak, proc_stat(p.pid)[2])
        if time.time() - t0 > 120:
            break
        time.sleep(0.01)
    burst = time.time() - t0
    queued = rd.r.llen("rq:queue:default")
    time.sleep(0.5)
    peak = max(peak, proc_stat(p.pid)[2])
    stop(p)
    in_db = sqlite3.connect(s.db).execute(
        "SELECT count(*) FROM runs WHERE status = 'queued'").fetchone()[0]
    rd.stop()
    s.cleanup()

    # 2. idle, 100,000 jobs none due
    s, rd = stopped_stack()
    now = int(time.time())
    add_jobs(s.db, N, now + 86400, now)
    p = start_schedd(bindir, s.conf)
    time.sleep(3)
    c0 = proc_stat(p.pid)[0]
    time.sleep(idle)
    c1, rss_idle, _ = proc_stat(p.pid)
    stop(p)
    rd.stop()
    s.cleanup()

    # 3. run-now latency through the API
    rdir = __import__("tempfile").mkdtemp()
    rd = Redis(rdir)
    s = Stack(bindir, conf_extra=extra % (rd.sock, os.path.join(rdir, "schedd.sock")))
    p = start_schedd(bindir, s.conf)
    job = s.request("POST", "/jobs", {"name": "latency", "bot_type": "birthday",
                                      "schedule_type": "manual", "max_instances": 100}).json()
    lat = []
    time.sleep(1)
    for _ in range(50):
        t0 = time.time()
        r = s.request("POST", "/jobs/%s/run" % job["id"], b"")
        rid = r.json()["execution_id"]
        while not rd.r.exists("rq:job:" + rid):
            if time.time() - t0 > 5:
                break
            time.sleep(0.0005)
        lat.append((time.time() - t0) * 1000)
        # keep max_instances from filling: the run is in Redis, count it done
        sqlite3.connect(s.db).execute("UPDATE runs SET status = 'success' WHERE id = ?",
                                      (rid,)).connection.commit()
    stop(p)
    s.cleanup()
    rd.stop()
    lat.sort()

    print("100,000 jobs due at once: all %d runs in Redis after %.2f s (%.0f runs/s); "
          "%d queued in the database (target: under 5 s)" % (queued, burst, queued / burst,
                                                               in_db))
    print("schedd peak RSS during the burst: %.1f MiB (target: under 16 MiB)" % (peak / 1024))
    print("idle with 100,000 jobs: %.3f s of CPU over %d s (target: under 0.2 s over 60 s); "
          "RSS %.1f MiB" % (c1 - c0, idle, rss_idle / 1024))
    print("run-now to Redis, 50 runs: p50 %.1f ms, p90 %.1f ms, max %.1f ms "
          "(target: p50 under 100 ms)" % (lat[25], lat[45], lat[-1]))


if __name__ == "__main__":
    main()
