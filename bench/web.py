"""autosched benchmark: the dashboard's job list through lighttpd, beside its ceiling.

    /usr/bin/python3 bench/web.py BUILD BIN [SECONDS]

Starts lighttpd (deploy/lighttpd.conf) with the API and the dashboard, fills the database
with 100 jobs through the API (each due within a day, so the 24-hour timeline is drawn),
signs in, and measures with wrk, signed in, GET /automation/ (the first page of 25 jobs
and the timeline) and GET /automation/?per_page=100 (all 100 rows), each beside a trivial
FastCGI program (bench/fcgi-fixed.c) answering a fixed body of the same size under the
same server. Also the RSS of one dashboard process after the run.
"""
import http.client
import os
import re
import sys
import urllib.parse

from api import FIXED, FIXED_ONE, print_rows, wrk
from harness import Stack, children, rss_kb

PASSWORD = "bench password"


def job(i):
    return {"name": "Job %03d" % i, "description": "Wish everyone a happy birthday",
            "bot_type": "birthday" if i % 2 else "visitor", "schedule_type": "cron",
            "schedule_config": {"cron_expression": "%d %d * * *" % (i % 60, i % 24)},
            "timezone": ["Europe/Paris", "America/New_York", "Asia/Tokyo"][i % 3]}


def sign_in(port):
    """Signs in as the form does; returns the session cookie (name=value)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", "/automation/login")
    r = c.getresponse()
    body = r.read().decode()
    login = re.search(r"autosched_login=([^;]+)", r.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="_csrf" value="([^"]+)"', body).group(1)
    form = urllib.parse.urlencode({"_csrf": token, "user": "admin", "password": PASSWORD})
    c.request("POST", "/automation/login", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "autosched_login=" + login})
    r = c.getresponse()
    r.read()
    cookie = re.search(r"(autosched_session=[^;]+)", r.getheader("Set-Cookie")).group(1)
    c.close()
    return cookie


def size_of(port, path, cookie):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", path, headers={"Cookie": cookie})
    r = c.getresponse()
    body = r.read()
    c.close()
    if r.status != 200:
        raise RuntimeError("%s: %d" % (path, r.status))
    return len(body)


def fill(s):
    s.cli("user", "add", "admin", stdin=PASSWORD + "\n")
    for i in range(100):
        r = s.request("POST", "/jobs", job(i))
        if r.status != 201:
            raise RuntimeError(repr(r))
    return sign_in(s.port)


def main():
    build, bindir = sys.argv[1], sys.argv[2]
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    fixed = os.path.abspath(os.path.join(build, "bench", "fcgi-fixed"))
    # lighttpd matches fastcgi.server mounts by prefix: no name may begin another
    pages = [("GET /automation/ (25 of 100)", "/automation/", "page-25"),
             ("GET /automation/?per_page=100", "/automation/?per_page=100", "page-100")]

    s = Stack(bindir)
    cookie = fill(s)
    sizes = [size_of(s.port, path, cookie) for _, path, _ in pages]
    s.cleanup()

    mounts = "\n".join(FIXED_ONE % (name, name, fixed, size)
                       for (_, _, name), size in zip(pages, sizes))
    s = Stack(bindir, lighttpd_extra=FIXED % mounts)
    try:
        cookie = fill(s)
        base = "http://127.0.0.1:%d" % s.port
        rows = []
        for (name, path, fixed_name), size in zip(pages, sizes):
            ours = wrk(base + path, seconds, s.key, header="Cookie: " + cookie)
            ceil = wrk(base + "/fixed/" + fixed_name, seconds, s.key)
            rows.append((name, size, ours, ceil))
        web_pids = [p for p, c in children(s.proc.pid) if c.startswith("autosched-web")]
        rss = max(rss_kb(p) for p in web_pids) if web_pids else 0
    finally:
        s.cleanup()

    print("wrk -t2 -c16 -d%ds, lighttpd with 2 FastCGI processes each, signed in (target: "
          "30%% of the ceiling or more)" % seconds)
    print_rows("page", 32, rows)
    print("RSS of one autosched-web FastCGI process after the run: %d KiB" % rss)


if __name__ == "__main__":
    main()
