"""autosched benchmark: the JSON API through lighttpd, beside its ceiling.

    /usr/bin/python3 bench/api.py BUILD BIN [SECONDS]

Starts lighttpd (deploy/lighttpd.conf) with the API and, under the same server, a trivial
FastCGI program (bench/fcgi-fixed.c) that returns a fixed body of the same size as each API
answer. wrk measures both in the same run; the ratio is ours / ceiling. Also the RSS of one
FastCGI process of the API and the time of one plain-CGI request.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

from harness import Stack, cgi, children, rss_kb

JOB = {"name": "Morning birthdays %d", "description": "Wish everyone a happy birthday",
       "bot_type": "birthday", "schedule_type": "cron",
       "schedule_config": {"cron_expression": "0 8 * * 1-5"},
       "bot_config": {"dry_run": True, "max_days_late": 7, "process_late": True},
       "timezone": "Europe/Paris"}

FIXED = """
fastcgi.server += (
%s
)
"""
FIXED_ONE = """	"/fixed/%s" => ((
		"socket" => "@RUN@/fixed-%s.sock",
		"bin-path" => "%s",
		"bin-environment" => ( "FIXED_SIZE" => "%d" ),
		"check-local" => "disable",
		"max-procs" => 2,
	)),"""


def wrk(url, seconds, key, script=None, header=None, conns=16):
    """wrk on url: (req/s, p99 ms, non-2xx/3xx answers), CONNS connections."""
    args = ["wrk", "-t%d" % min(2, conns), "-c%d" % conns, "-d%ds" % seconds, "--latency",
            "-H", "X-API-Key: " + key]
    if header:
        args += ["-H", header]
    if script:
        args += ["-s", script]
    out = subprocess.run(args + [url], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"\s99%\s+([\d.]+)(us|ms|s)\b", out)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p99, int(errors.group(1)) if errors else 0


def print_rows(what, width, rows):
    """The table of ours beside the ceiling: rows of (name, bytes, ours, ceiling), each of
    those two a wrk() result."""
    print("%-*s %7s %11s %9s %11s %9s %7s %6s" % (width, what, "bytes", "ours req/s", "p99 ms",
                                                  "ceil req/s", "p99 ms", "ratio", "non-2xx"))
    for name, size, (r1, p1, e1), (r2, p2, e2) in rows:
        print("%-*s %7d %11.0f %9.2f %11.0f %9.2f %6.0f%% %6d" % (width, name, size, r1, p1,
                                                                  r2, p2, 100 * r1 / r2,
                                                                  e1 + e2))


def main():
    build, bindir = sys.argv[1], sys.argv[2]
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    fixed = os.path.abspath(os.path.join(build, "bench", "fcgi-fixed"))

    # First learn the sizes of the answers, on a stack without the ceiling.
    s = Stack(bindir)
    for i in range(100):
        r = s.request("POST", "/jobs", dict(JOB, name=JOB["name"] % i))
    one_id = r.json()["id"]
    size_list = len(s.request("GET", "/jobs").body)
    size_one = len(s.request("GET", "/jobs/" + one_id).body)
    size_post = len(r.body)
    s.cleanup()

    mounts = "\n".join(FIXED_ONE % (name, name, fixed, size) for name, size in
                       [("list", size_list), ("one", size_one), ("post", size_post),
                        ("empty", 2)])
    s = Stack(bindir, lighttpd_extra=FIXED % mounts)
    try:
        for i in range(100):
            r = s.request("POST", "/jobs", dict(JOB, name=JOB["name"] % i))
        one_id = r.json()["id"]
        base = "http://127.0.0.1:%d" % s.port
        api = base + s.prefix
        post = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        post.write('wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = '
                   '"application/json"\n' % json.dumps(json.dumps(dict(JOB, name="bench"))))
        post.close()
        # (a build without ETags answers the whole list to it)
        etag = s.request("GET", "/jobs").header("ETag") or '"none"'
        rows = []
        for name, url, ceiling, script, size, header in [
                ("GET /jobs (100 jobs)", api + "/jobs", base + "/fixed/list", None, size_list,
                 None),
                ("GET /jobs, revalidated (304)", api + "/jobs", base + "/fixed/empty", None,
                 0, "If-None-Match: " + etag),
                ("GET /jobs/{id}", api + "/jobs/" + one_id, base + "/fixed/one", None,
                 size_one, None),
                ("POST /jobs", api + "/jobs", base + "/fixed/post", post.name, size_post,
                 None)]:
            ours = wrk(url, seconds, s.key, script, header)
            ceil = wrk(ceiling, seconds, s.key, script)
            rows.append((name, size, ours, ceil))
        os.unlink(post.name)
        lpid = s.proc.pid
        api_pids = [p for p, c in children(lpid) if c.startswith("autosched-api")]
        rss = max(rss_kb(p) for p in api_pids) if api_pids else 0
    finally:
        s.stop()

    # One plain-CGI request, many times over.
    n = 200
    t0 = time.perf_counter()
    for _ in range(n):
        cgi(bindir, s.conf, "GET", "/jobs/" + one_id, headers={"X-API-Key": s.key})
    cgi_ms = (time.perf_counter() - t0) / n * 1000
    s.cleanup()

    print("wrk -t2 -c16 -d%ds, lighttpd with 2 FastCGI processes each" % seconds)
    print_rows("endpoint", 28, rows)
    print("RSS of one autosched-api FastCGI process after the run: %d KiB" % rss)
    print("one plain-CGI request (GET /jobs/{id}, fork+exec+answer): %.2f ms" % cgi_ms)


if __name__ == "__main__":
    main()
