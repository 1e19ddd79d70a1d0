"""Python's croniter on the expressions of bench-cron, for the ratio in docs/BENCHMARKS.md.

Run with Debian's /usr/bin/python3 and python3-croniter. Times get_next() alone (the
iterators are built before the clock starts), from the same spread of start times as
bench-cron, best of 5 rounds.
"""
import sys
import time
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from croniter import croniter

T0 = 1795874400
STRIDE = 7919
SPAN = 10 * 365 * 86400
EXPRS = ["0 8 * * 1-5", "*/5 * * * *", "0 0 29 2 *", "0 9 13 * 5"]
ZONES = ["UTC", "Europe/Paris"]


def bench(expr, zone, n):
    tz = timezone.utc if zone == "UTC" else ZoneInfo(zone)
    best = float("inf")
    for _ in range(5):
        its = [croniter(expr, datetime.fromtimestamp(T0 + i * STRIDE % SPAN, tz))
               for i in range(n)]
        t0 = time.perf_counter_ns()
        for it in its:
            it.get_next(datetime)
        best = min(best, (time.perf_counter_ns() - t0) / n)
    return best


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    print("%-14s %-14s %12s" % ("expression", "zone", "ns/next"))
    for e in EXPRS:
        for z in ZONES:
            print("%-14s %-14s %12.0f" % (e, z, bench(e, z, n)))


if __name__ == "__main__":
    main()
