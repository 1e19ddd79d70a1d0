"""autosched benchmark: GET /jobs/{id} behind each hosting of deploy/.

    /usr/bin/python3 bench/hosting.py BIN [SECONDS]

For each web server the tests run (lighttpd, Apache with mod_fcgid, Apache with plain CGI,
nginx with spawn-fcgi; tests/harness starts each from its deploy/ file), fills a
database with 100 jobs and measures one job's JSON with wrk: 16 connections for throughput
and p99, then 1 connection for the time a single request takes, which for plain CGI is
mostly starting the program. Same machine, same binaries, one run: compare the ratios.
"""
import sys

from api import JOB, wrk
from harness import Stack


def main():
    bindir = sys.argv[1]
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    rows = []
    for server in (sys.argv[3].split(",") if len(sys.argv) > 3 else Stack.SERVERS):
        s = Stack(bindir, server=server)
        try:
            for i in range(100):
                r = s.request("POST", "/jobs", dict(JOB, name=JOB["name"] % i))
            url = "http://127.0.0.1:%d%s/jobs/%s" % (s.port, s.prefix, r.json()["id"])
            wrk(url, seconds, s.key)		# warm up: processes started, caches filled
            rps, p99, errors = wrk(url, seconds, s.key)
            single = wrk(url, seconds, s.key, conns=1)[0]
            rows.append((server, rps, p99, errors, 1000.0 / single))
        finally:
            s.stop()
            s.cleanup()
    best = max(r[1] for r in rows)
    print("GET /jobs/{id} (100 jobs in the database); wrk -t2 -c16 -d%ds, then -c1" % seconds)
    print("%-14s %10s %9s %9s %13s %8s" % ("hosting", "req/s", "p99 ms", "vs best",
                                            "1 request ms", "non-2xx"))
    for server, rps, p99, errors, one in rows:
        print("%-14s %10.0f %9.2f %8.0f%% %13.2f %8d" % (server, rps, p99, 100 * rps / best,
                                                         one, errors))


if __name__ == "__main__":
    main()
