"""autosched API tests: every endpoint, status code and validation rule of SPEC §5, over
real HTTP through a real web server, at two mount points, and as plain CGI.

    /usr/bin/python3 tests/api/test_api.py BINDIR [SERVER]

SERVER is the hosting (tests/harness, Stack.SERVERS): lighttpd (the default),
apache-fcgid, apache-cgi or nginx; the same tests run against each, with schedd's notify
socket ([schedd] notify_socket) in the stack's folder, bound by the nudge tests. The direct
plain-CGI tests, which need no web server, the audit lines in the error log, and the store
failures (a second stack: a short busy_timeout_ms, a lock held, a table renamed) run with
lighttpd only.

Expected fire times are computed here with Python's zoneinfo, not taken from the server.
"""
import json
import os
import re
import sys
import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from harness import AuditWatch, Installation, NotifySocket, Stack, Tap, cgi, prometheus

UTC = timezone.utc


def parse(ts):
    return datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def iso(dt):
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def next_daily(after, zone, hour, minute, days=None):
    """The first wall-clock hour:minute in zone strictly after `after` (no DST day here)."""
    z = ZoneInfo(zone)
    local = after.astimezone(z)
    d = local.date()
    for _ in range(15):
        cand = datetime(d.year, d.month, d.day, hour, minute, tzinfo=z)
        if cand > after and (days is None or cand.weekday() in days):
            return cand.astimezone(UTC)
        d += timedelta(days=1)
    raise AssertionError("no fire time")


JOB = {
    "name": "Morning birthdays",
    "description": "Wish everyone a happy birthday",
    "bot_type": "birthday",
    "schedule_type": "daily",
    "schedule_config": {"hour": 8, "minute": 0},
    "bot_config": {"dry_run": True, "max_days_late": 7, "process_late": True},
}


def test_auth(t, s):
    for method, path in [("GET", "/jobs"), ("POST", "/jobs"), ("GET", "/jobs/x"),
                         ("PUT", "/jobs/x"), ("DELETE", "/jobs/x"),
                         ("POST", "/jobs/x/toggle"), ("POST", "/jobs/x/run"),
                         ("GET", "/jobs/x/history"), ("GET", "/preview"),
                         ("GET", "/metrics"), ("GET", "/bot-types")]:
        r = s.request(method, path, key=False)
        t.ok(r.status == 401 and "API key" in r.json()["detail"],
             "auth: %s %s without a key is 401" % (method, path), r)
    r = s.request("GET", "/jobs", key="as_wrong")
    t.eq((r.status, r.json()), (401, {"detail": "Invalid API key"}), "auth: a wrong key is 401")
    r = s.request("GET", "/jobs", key=False, headers={"Authorization": "Bearer " + s.key})
    t.eq(r.status, 200, "auth: Authorization: Bearer works")
    r = s.request("GET", "/jobs", key=False, headers={"Authorization": "Basic " + s.key})
    t.eq(r.status, 401, "auth: Authorization: Basic is not a key")
    r = s.request("GET", "/jobs", key=s.key[:-1])
    t.eq(r.status, 401, "auth: a key one character short is 401")
    r = s.request("GET", "/health", key=False)
    t.ok(r.status in (200, 503) and r.json()["database"] == "ok",
         "auth: /health needs no key", r)
    # a revoked key stops working at once
    other = s.cli("apikey", "create", "other").strip()
    t.eq(s.request("GET", "/jobs", key=other).status, 200, "auth: a second key works")
    s.cli("apikey", "revoke", "other")
    t.eq(s.request("GET", "/jobs", key=other).status, 401, "auth: a revoked key is 401")


def test_create(t, s):
    r = s.request("POST", "/jobs", JOB)
    j = r.json()
    t.eq(r.status, 201, "create: 201", r)
    t.eq(r.header("Location"), "/api/scheduler/jobs/" + j["id"], "create: Location")
    t.eq(r.header("Content-Type"), "application/json", "create: JSON")
    t.ok(len(j["id"]) == 36 and j["id"][14] == "4", "create: a UUIDv4 id", j["id"])
    for k, v in JOB.items():
        t.eq(j[k], v, "create: %s as given" % k)
    t.eq((j["enabled"], j["max_instances"], j["misfire_grace_time"], j["coalesce"]),
         (True, 1, 3600, True), "create: the plan's defaults")
    t.eq(j["timezone"], "Europe/Paris", "create: the configured default zone")
    t.eq(j["created_by"], "test", "create: created_by is the key's name")
    t.eq((j["last_run_at"], j["last_run_status"], j["last_run_error"]), (None, None, None),
         "create: no run yet")
    t.eq(j["schedule_description"], "At 08:00, every day", "create: schedule in words")
    created = parse(j["created_at"])
    t.eq(j["updated_at"], j["created_at"], "create: updated_at = created_at")
    t.eq(j["next_run_at"], iso(next_daily(created, "Europe/Paris", 8, 0)),
         "create: next_run_at is the next 08:00 in Paris")
    g = s.request("GET", "/jobs/" + j["id"])
    t.eq((g.status, g.json()), (200, j), "create: GET returns the same job")
    t.eq(s.request("GET", "/jobs/" + j["id"].upper()).status, 200,
         "create: ids are case-insensitive")
    return j


def test_schedule_types(t, s):
    cases = [
        ("weekly mon-fri", {"schedule_type": "weekly",
                            "schedule_config": {"day_of_week": "mon-fri", "hour": 9,
                                                "minute": 30},
                            "timezone": "America/New_York"},
         lambda c: next_daily(c, "America/New_York", 9, 30, days={0, 1, 2, 3, 4}),
         "At 09:30, Monday through Friday"),
        ("weekly default", {"schedule_type": "weekly", "schedule_config": {}},
         lambda c: next_daily(c, "Europe/Paris", 8, 0, days={0}), "At 08:00 on Monday"),
        ("interval", {"schedule_type": "interval",
                      "schedule_config": {"hours": 2, "minutes": 30}},
         lambda c: c + timedelta(hours=2, minutes=30), "Every 2 hours and 30 minutes"),
        ("cron", {"schedule_type": "cron",
                  "schedule_config": {"cron_expression": "*/15 * * * *"},
                  "timezone": "Asia/Kolkata"},
         lambda c: c.replace(second=0) + timedelta(minutes=15 - c.minute % 15),
         "Every 15 minutes"),
        ("manual", {"schedule_type": "manual"}, lambda c: None, "Manually only"),
        ("disabled daily", {"schedule_type": "daily", "enabled": False},
         lambda c: None, "At 08:00, every day"),
    ]
    for name, over, want, words in cases:
        doc = dict(JOB, **over)
        if "schedule_config" not in over:
            doc.pop("schedule_config")
        r = s.request("POST", "/jobs", doc)
        j = r.json()
        if not t.eq(r.status, 201, "types: %s created" % name, r):
            continue
        w = want(parse(j["created_at"]))
        t.eq(j["next_run_at"], iso(w) if w else None, "types: %s next_run_at" % name)
        t.eq(j["schedule_description"], words, "types: %s in words" % name)
    r = s.request("POST", "/jobs", dict(JOB, schedule_type="cron",
                                        schedule_config={"cron_expression": "* 2 29 3 */7"}))
    t.ok(r.status == 422 and "never fires in Europe/Paris" in r.body,
         "types: a cron schedule DST skips entirely in the zone is refused", r)
    r = s.request("POST", "/jobs", dict(JOB, schedule_type="cron",
                                        schedule_config={"cron_expression": "* 2 29 3 */7"},
                                        timezone="UTC"))
    t.eq(r.status, 201, "types: the same schedule is fine in UTC")


def test_list(t, s):
    for i in range(3):
        s.request("POST", "/jobs", dict(JOB, name="list-%d" % i, bot_type="visitor",
                                        bot_config={"limit": 10 + i}, enabled=i != 1))
    r = s.request("GET", "/jobs")
    jobs = r.json()
    t.eq(r.status, 200, "list: 200")
    t.eq(r.header("X-Total-Count"), str(len(jobs)), "list: X-Total-Count")
    t.ok(all(jobs[i]["created_at"] >= jobs[i + 1]["created_at"] for i in range(len(jobs) - 1)),
         "list: newest first")
    t.eq(jobs[0]["name"], "list-2", "list: the last created comes first")
    r = s.request("GET", "/jobs?bot_type=visitor")
    t.eq(sorted(j["name"] for j in r.json()), ["list-0", "list-1", "list-2"],
         "list: bot_type filter")
    r = s.request("GET", "/jobs?bot_type=visitor&enabled_only=true")
    t.eq(sorted(j["name"] for j in r.json()), ["list-0", "list-2"], "list: enabled_only")
    t.eq(r.header("X-Total-Count"), "2", "list: X-Total-Count follows the filter")
    r = s.request("GET", "/jobs?bot_type=visitor&limit=1&offset=1")
    t.eq([j["name"] for j in r.json()], ["list-1"], "list: limit and offset")
    t.eq(r.header("X-Total-Count"), "3", "list: the total ignores limit")
    r = s.request("GET", "/jobs?offset=100000")
    t.eq(r.json(), [], "list: an offset past the end is an empty page")
    for q in ["limit=0", "limit=1001", "limit=x", "offset=-1", "enabled_only=yes",
              "enabled=true", "limit=1&limit=2"]:
        r = s.request("GET", "/jobs?" + q)
        t.ok(r.status == 422 and isinstance(r.json()["detail"], list),
             "list: ?%s is 422" % q, r)
    r = s.request("GET", "/jobs?enabled=true")
    t.eq(r.json()["detail"][0]["loc"], ["query", "enabled"], "list: the 422 names the param")


def test_update(t, s, job):
    jid = job["id"]
    r = s.request("PUT", "/jobs/" + jid, {"name": "Renamed"})
    j = r.json()
    t.eq((r.status, j["name"]), (200, "Renamed"), "update: rename")
    t.eq((j["schedule_config"], j["next_run_at"], j["bot_config"]),
         (job["schedule_config"], job["next_run_at"], job["bot_config"]),
         "update: a rename keeps the rest")
    r = s.request("PUT", "/jobs/" + jid, {"schedule_config": {"hour": 6, "minute": 15}})
    j = r.json()
    t.eq(j["next_run_at"], iso(next_daily(parse(j["updated_at"]), "Europe/Paris", 6, 15)),
         "update: a new time moves next_run_at")
    r = s.request("PUT", "/jobs/" + jid, {"timezone": "Asia/Kolkata"})
    j = r.json()
    t.eq(j["next_run_at"], iso(next_daily(parse(j["updated_at"]), "Asia/Kolkata", 6, 15)),
         "update: a new zone moves next_run_at")
    r = s.request("PUT", "/jobs/" + jid, {"schedule_type": "interval"})
    j = r.json()
    t.eq((r.status, j["schedule_config"]), (200, {"hours": 1, "minutes": 0}),
         "update: a new type without a config takes its defaults")
    t.eq(j["next_run_at"], iso(parse(j["updated_at"]) + timedelta(hours=1)),
         "update: interval counts from the change")
    r = s.request("PUT", "/jobs/" + jid, {"schedule_type": "manual"})
    t.eq(r.json()["next_run_at"], None, "update: manual has no next run")
    r = s.request("PUT", "/jobs/" + jid, {"schedule_type": "cron"})
    t.ok(r.status == 422 and r.json()["detail"][0]["loc"] ==
         ["body", "schedule_config", "cron_expression"],
         "update: cron without an expression is 422 at the right place", r)
    r = s.request("PUT", "/jobs/" + jid, {"schedule_type": "daily",
                                          "schedule_config": {"hour": 8}})
    before = s.request("GET", "/jobs/" + jid).json()
    r = s.request("PUT", "/jobs/" + jid, before)
    after = r.json()
    t.eq(r.status, 200, "update: PUT back what GET returned is accepted", r)
    t.eq({k: v for k, v in after.items() if k != "updated_at"},
         {k: v for k, v in before.items() if k != "updated_at"},
         "update: and changes nothing")
    r = s.request("PUT", "/jobs/" + jid, {"bot_type": "visitor"})
    t.ok(r.status == 422 and "unknown parameter" in r.body,
         "update: a new bot type checks the old bot_config", r)
    r = s.request("PUT", "/jobs/" + jid, {"bot_type": "visitor", "bot_config": {"limit": 5}})
    t.eq((r.status, r.json()["bot_config"]), (200, {"limit": 5}),
         "update: a new bot type with its own config")
    r = s.request("PUT", "/jobs/" + jid, {"description": None})
    t.eq(r.json()["description"], None, "update: description can be cleared")
    r = s.request("PUT", "/jobs/00000000-0000-4000-8000-000000000000", {"name": "x"})
    t.eq((r.status, r.json()), (404, {"detail": "Job 00000000-0000-4000-8000-000000000000 "
                                                "not found"}), "update: unknown job is 404")


def test_toggle(t, s):
    j = s.request("POST", "/jobs", JOB).json()
    path = "/jobs/%s/toggle" % j["id"]
    r = s.request("POST", path, {"enabled": False})
    t.eq((r.status, r.json()["enabled"], r.json()["next_run_at"]), (200, False, None),
         "toggle: JSON body disables, next_run_at null")
    r = s.request("POST", path + "?enabled=true")
    t.eq((r.status, r.json()["enabled"]), (200, True), "toggle: ?enabled=true enables")
    t.eq(r.json()["next_run_at"],
         iso(next_daily(parse(r.json()["updated_at"]), "Europe/Paris", 8, 0)),
         "toggle: enabling recomputes next_run_at")
    before = s.snapshot()
    r = s.request("POST", path)
    t.ok(r.status == 422 and r.json()["detail"][0]["loc"] == ["query", "enabled"] and
         s.snapshot() == before,
         "toggle: neither ?enabled= nor a body is a 422 naming enabled, nothing changed "
         "(a retried request must not undo itself)", r)
    r = s.request("POST", path, {"enabled": False})
    t.eq(r.json()["enabled"], False, "toggle: a body disables")
    r = s.request("POST", path, {"enabled": True})
    t.eq(r.json()["enabled"], True, "toggle: a body enables")
    r = s.request("POST", path + "?enabled=false", {"enabled": True})
    t.eq(r.status, 422, "toggle: query and body disagreeing is 422")
    for body in [{"enabled": "false"}, {"enabled": 0}, {"enabled": None}, {"enable": False},
                 [False]]:
        r = s.request("POST", path, body)
        t.eq(r.status, 422, "toggle: %s is 422" % json.dumps(body))
    r = s.request("POST", path + "?enabled=maybe")
    t.eq(r.status, 422, "toggle: ?enabled=maybe is 422")
    r = s.request("POST", "/jobs/00000000-0000-4000-8000-000000000000/toggle",
                  {"enabled": False})
    t.eq(r.status, 404, "toggle: unknown job is 404")


def test_run_and_history(t, s):
    j = s.request("POST", "/jobs", dict(JOB, name="runner")).json()
    r = s.request("POST", "/jobs/%s/run" % j["id"])
    body = r.json()
    t.eq(r.status, 202, "run: 202", r)
    t.eq(body["message"], "Job %s queued for immediate execution" % j["id"],
         "run: the plan's message")
    t.ok(len(body.get("execution_id", "")) == 36, "run: an execution_id", body)
    r = s.request("POST", "/jobs/%s/run" % j["id"], b"")
    t.ok(r.status == 409 and "max_instances 1" in r.json()["detail"],
         "run: a second run over max_instances is 409", r)
    h = s.request("GET", "/jobs/%s/history" % j["id"])
    runs = h.json()
    t.eq((h.status, len(runs)), (200, 1), "history: one run")
    t.eq((runs[0]["id"], runs[0]["status"], runs[0]["trigger"], runs[0]["job_id"]),
         (body["execution_id"], "pending", "manual", j["id"]),
         "history: the run is pending, manual, of this job")
    t.eq((runs[0]["messages_sent"], runs[0]["profiles_visited"]), (0, 0),
         "history: the counters are integers, 0 before the bot reports any (the plan's "
         "model)")
    g = s.request("GET", "/jobs/" + j["id"]).json()
    t.eq(g["last_run_status"], "pending", "run: last_run_status follows the newest run")
    s.request("PUT", "/jobs/" + j["id"], {"max_instances": 3})
    ids = [s.request("POST", "/jobs/%s/run" % j["id"], {}).json()["execution_id"]
           for _ in range(2)]
    t.eq(s.request("POST", "/jobs/%s/run" % j["id"]).status, 409,
         "run: max_instances 3 allows three in flight, not four")
    runs = s.request("GET", "/jobs/%s/history" % j["id"]).json()
    t.eq([x["id"] for x in runs], ids[::-1] + [body["execution_id"]],
         "history: newest first")
    t.eq(len(set(x["scheduled_for"] for x in runs)), 3,
         "history: runs within one second stand for distinct seconds")
    t.eq(len(s.request("GET", "/jobs/%s/history?limit=2" % j["id"]).json()), 2,
         "history: limit")
    for q in ["limit=0", "limit=1001", "limit=abc", "since=1"]:
        t.eq(s.request("GET", "/jobs/%s/history?%s" % (j["id"], q)).status, 422,
             "history: ?%s is 422" % q)
    t.eq(s.request("GET", "/jobs/00000000-0000-4000-8000-000000000000/history").status,
         404, "history: unknown job is 404")
    r = s.request("POST", "/jobs/%s/run" % j["id"], {"now": True})
    t.eq(r.status, 422, "run: a body with fields is 422")
    r = s.request("POST", "/jobs/%s/run" % j["id"], "x",
                  headers={"Content-Type": "text/plain"})
    t.eq(r.status, 415, "run: a non-JSON body is 415")
    d = s.request("DELETE", "/jobs/" + j["id"])
    t.eq((d.status, d.body), (204, ""), "delete: 204 without a body")
    t.eq(s.sql("SELECT count(*) FROM runs WHERE job_id = ?", j["id"]), [(0,)],
         "delete: the job's runs go with it")
    t.eq(s.request("GET", "/jobs/" + j["id"]).status, 404, "delete: then GET is 404")
    t.eq(s.request("DELETE", "/jobs/" + j["id"]).status, 404, "delete: twice is 404")


def test_preview(t, s):
    r = s.request("GET", "/preview?schedule_type=cron&cron_expression=30%202%20*%20*%20*"
                  "&timezone=Europe/Paris&from=2026-03-28T12:00:00Z&count=3")
    p = r.json()
    t.eq(r.status, 200, "preview: 200", r)
    t.eq(p["description"], "At 02:30, every day", "preview: words")
    t.eq([x["at"] for x in p["next_runs"]],
         ["2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z"],
         "preview: next runs across the spring-forward day")
    t.eq([x["dst"] for x in p["next_runs"]], ["moved", None, None],
         "preview: the run DST moves is flagged")
    t.eq(p["next_runs"][0]["local"], "2026-03-29T03:00:00+02:00", "preview: local time")
    r = s.request("GET", "/preview?schedule_type=daily&hour=2&minute=30&timezone=Europe/Paris"
                  "&from=2026-10-24T12:00:00Z&count=2")
    t.eq([(x["at"], x["dst"]) for x in r.json()["next_runs"]],
         [("2026-10-25T00:30:00Z", "first_of_two"), ("2026-10-26T01:30:00Z", None)],
         "preview: fall-back runs once, flagged")
    r = s.request("GET", "/preview?schedule_type=weekly&day_of_week=mon-fri")
    t.eq((r.status, r.json()["description"], len(r.json()["next_runs"])),
         (200, "At 08:00, Monday through Friday", 5), "preview: weekly with defaults, count 5")
    r = s.request("GET", "/preview?schedule_type=manual")
    t.eq((r.json()["next_runs"], r.json()["description"]), ([], "Manually only"),
         "preview: manual never runs")
    r = s.request("GET", "/preview?schedule_type=interval&hours=0&minutes=90&count=2"
                  "&from=2026-01-01T00:00:00Z")
    t.eq(r.json()["description"], "Every 1 hour and 30 minutes", "preview: interval words")
    for q, loc in [("", ["query", "schedule_type"]),
                   ("schedule_type=hourly", ["query", "schedule_type"]),
                   ("schedule_type=daily&hour=24", ["query", "hour"]),
                   ("schedule_type=daily&hour=8.5", ["query", "hour"]),
                   ("schedule_type=cron&cron_expression=0%2024%20*%20*%20*",
                    ["query", "cron_expression"]),
                   ("schedule_type=daily&timezone=Europe", ["query", "timezone"]),
                   ("schedule_type=daily&count=0", ["query", "count"]),
                   ("schedule_type=daily&count=101", ["query", "count"]),
                   ("schedule_type=daily&from=tomorrow", ["query", "from"]),
                   ("schedule_type=daily&cron_expression=x", ["query", "cron_expression"]),
                   ("schedule_type=daily&color=red", ["query", "color"])]:
        refused_query(t, s, q, loc)


def refused_query(t, s, q, loc):
    """GET /preview?q is a 422 whose first error is at loc."""
    r = s.request("GET", "/preview?" + q)
    d = r.json() and r.json().get("detail")
    t.ok(r.status == 422 and isinstance(d, list) and d[0]["loc"] == loc,
         "preview: ?%s is 422 at %s" % (q, loc), r)


def test_windows_jitter_date(t, s):
    """SPEC §9: active_windows, jitter_seconds and the date type, through the API."""
    win = [{"days": "Mon-Fri", "start": "09:00", "end": "18:00"},
           {"start": "22:00", "end": "01:00"}]
    r = s.request("POST", "/jobs", dict(JOB, name="windowed", schedule_type="cron",
                                        schedule_config={"cron_expression": "0 * * * *"},
                                        active_windows=win, jitter_seconds=900))
    j = r.json()
    t.eq(r.status, 201, "windows: created", r)
    t.eq(j["active_windows"], [{"days": "mon-fri", "start": "09:00", "end": "18:00"},
                               {"days": "mon-sun", "start": "22:00", "end": "01:00"}],
         "windows: stored normalised")
    t.eq(j["jitter_seconds"], 900, "jitter: stored")
    t.eq(j["schedule_description"], "Every hour, only within Monday through Friday "
         "09:00-18:00 or 22:00-01:00 (overnight), each run up to 15 minutes later at random",
         "windows and jitter: in words")
    nominal, at = parse(j["next_scheduled_for"]), parse(j["next_run_at"])
    local = nominal.astimezone(ZoneInfo("Europe/Paris"))
    t.ok(nominal.minute == 0 and (local.hour >= 22 or local.hour < 1 or
                                  (9 <= local.hour < 18 and local.weekday() < 5)),
         "windows: the next nominal fire time is inside a window", local)
    t.ok(nominal <= at <= nominal + timedelta(seconds=900),
         "jitter: next_run_at is the nominal time plus at most the jitter",
         (j["next_scheduled_for"], j["next_run_at"]))
    g = s.request("GET", "/jobs/" + j["id"]).json()
    t.eq((g["next_run_at"], g["next_scheduled_for"]), (j["next_run_at"],
         j["next_scheduled_for"]), "jitter: drawn once and stored (GET shows the same)")
    r = s.request("PUT", "/jobs/" + j["id"], g)
    t.eq((r.status, r.json()["next_run_at"]), (200, j["next_run_at"]),
         "jitter: a PUT of the job as it was keeps the instant drawn")

    bad = [({"jitter_seconds": 86401}, ["body", "jitter_seconds"]),
           ({"jitter_seconds": -1}, ["body", "jitter_seconds"]),
           ({"jitter_seconds": "60"}, ["body", "jitter_seconds"]),
           ({"active_windows": [{"days": "mon", "start": "09:00", "end": "09:00"}]},
            ["body", "active_windows", 0, "end"]),
           ({"active_windows": [{"days": "mon-xyz", "start": "09:00", "end": "10:00"}]},
            ["body", "active_windows", 0, "days"]),
           ({"active_windows": [{"days": "mon", "start": "9", "end": "10:00"}]},
            ["body", "active_windows", 0, "start"]),
           ({"active_windows": [{"start": "09:00", "end": "10:00", "zone": "UTC"}]},
            ["body", "active_windows", 0, "zone"]),
           ({"active_windows": []}, ["body", "active_windows"]),
           ({"active_windows": "mon 09:00-10:00"}, ["body", "active_windows"]),
           ({"schedule_type": "daily", "schedule_config": {"hour": 7},
             "active_windows": [{"start": "09:00", "end": "10:00"}]},
            ["body", "active_windows"]),
           ({"schedule_type": "date", "schedule_config": {"run_at": "2020-01-01T09:00"}},
            ["body", "schedule_config", "run_at"]),
           ({"schedule_type": "date", "schedule_config": {"run_at": "2027-03-28T02:30"}},
            ["body", "schedule_config", "run_at"]),
           ({"schedule_type": "date", "schedule_config": {"run_at": "2027-12-24T09:00Z"}},
            ["body", "schedule_config", "run_at"]),
           ({"schedule_type": "date", "schedule_config": {"run_at": "2027-02-30T09:00"}},
            ["body", "schedule_config", "run_at"]),
           ({"schedule_type": "date", "schedule_config": {}},
            ["body", "schedule_config", "run_at"])]
    before = s.request("GET", "/jobs/" + j["id"]).body
    for doc, loc in bad:
        r = s.request("PUT", "/jobs/" + j["id"], doc)
        d = r.json() and r.json().get("detail")
        t.ok(r.status == 422 and isinstance(d, list) and d[0]["loc"] == loc,
             "guardrail fields: %s is 422 at %s" % (json.dumps(doc), loc), r)
    t.eq(s.request("GET", "/jobs/" + j["id"]).body, before,
         "guardrail fields: the refused changes left the job as it was")

    r = s.request("PUT", "/jobs/" + j["id"], {"active_windows": None, "jitter_seconds": 0})
    t.eq((r.status, r.json()["active_windows"], r.json()["jitter_seconds"],
          r.json()["next_run_at"] == r.json()["next_scheduled_for"]), (200, None, 0, True),
         "windows and jitter: null and 0 clear them")

    when = (datetime.now(UTC) + timedelta(days=20)).astimezone(ZoneInfo("America/New_York"))
    run_at = when.strftime("%Y-%m-%dT09:15")
    r = s.request("POST", "/jobs", dict(JOB, name="once", schedule_type="date",
                                        schedule_config={"run_at": run_at},
                                        timezone="America/New_York"))
    d = r.json()
    want = datetime.strptime(run_at, "%Y-%m-%dT%H:%M").replace(
        tzinfo=ZoneInfo("America/New_York"))
    t.eq((r.status, d["schedule_config"], d["next_run_at"]),
         (201, {"run_at": run_at}, iso(want)), "date: fires at the wall time in its zone")
    t.ok(d["schedule_description"].startswith("Once, on ") and
         d["schedule_description"].endswith(" at 09:15"), "date: in words",
         d["schedule_description"])

    r = s.request("GET", "/preview?" + urllib.parse.urlencode({
        "schedule_type": "cron", "cron_expression": "*/30 * * * *",
        "timezone": "Europe/Paris", "windows": "mon-fri 09:00-10:00; sat 23:00-01:00",
        "jitter_seconds": "900", "from": "2026-03-27T07:59:00Z", "count": "4"}))
    p = r.json()
    t.eq((r.status, [x["at"] for x in p["next_runs"]]),
         (200, ["2026-03-27T08:00:00Z", "2026-03-27T08:30:00Z", "2026-03-28T22:00:00Z",
                "2026-03-28T22:30:00Z"]), "preview: windows pass fire times over", r)
    t.eq(p["next_runs"][0]["latest"], "2026-03-27T09:15:00+01:00",
         "preview: latest, the end of the jitter's spread")
    t.ok("only within Monday through Friday 09:00-10:00 or Saturday 23:00-01:00" in
         p["description"], "preview: windows in words", p["description"])
    r = s.request("GET", "/preview?schedule_type=date&run_at=2027-12-24T09:00"
                  "&timezone=Europe/Paris")
    t.eq([x["at"] for x in r.json()["next_runs"]], ["2027-12-24T08:00:00Z"],
         "preview: a date fires once")
    for q, loc in [("schedule_type=daily&windows=mon%2009:00-09:00", ["query", "windows", 0, "end"]),
                   ("schedule_type=daily&windows=mon", ["query", "windows"]),
                   ("schedule_type=daily&jitter_seconds=86401", ["query", "jitter_seconds"]),
                   ("schedule_type=daily&jitter_seconds=x", ["query", "jitter_seconds"]),
                   ("schedule_type=date&run_at=soon", ["query", "run_at"])]:
        refused_query(t, s, q, loc)


def test_pauses(t, s):
    """SPEC §9: pause_after_failures, paused jobs and Resume, the kill switch, run now."""
    r = s.request("POST", "/jobs", dict(JOB, name="pausable", pause_after_failures=5))
    j = r.json()
    t.eq((r.status, j["pause_after_failures"], j["paused"], j["paused_reason"],
          j["consecutive_failures"]), (201, 5, False, None, 0), "pause: the fields, at rest")
    for bad, loc in [({"pause_after_failures": 101}, ["body", "pause_after_failures"]),
                     ({"pause_after_failures": -1}, ["body", "pause_after_failures"]),
                     ({"paused": "yes"}, ["body", "paused"])]:
        r = s.request("PUT", "/jobs/" + j["id"], bad)
        d = r.json() and r.json().get("detail")
        t.ok(r.status == 422 and d[0]["loc"] == loc, "pause: %s is 422" % json.dumps(bad), r)
    r = s.request("PUT", "/jobs/" + j["id"], {"paused": True})
    p = r.json()
    t.eq((r.status, p["paused"], p["paused_reason"], p["next_run_at"]),
         (200, True, "Paused by hand", None), "pause: PUT paused true pauses, no next run")
    r = s.request("POST", "/jobs/%s/run" % j["id"], {})
    t.ok(r.status == 409 and "is paused: Paused by hand" in r.body and "force" in r.body,
         "run now: a paused job is 409 saying why", r)
    r = s.request("POST", "/jobs/%s/run" % j["id"], {"force": True})
    t.eq(r.status, 202, "run now: force runs it all the same", r)
    r = s.request("POST", "/jobs/%s/run" % j["id"], {"force": 1})
    t.eq(r.status, 422, "run now: force must be a boolean", r)
    r = s.request("POST", "/jobs/%s/resume" % j["id"], {"x": 1})
    t.eq(r.status, 422, "resume: takes no parameters", r)
    r = s.request("POST", "/jobs/%s/resume" % j["id"])
    p = r.json()
    t.ok(r.status == 200 and p["paused"] is False and p["paused_reason"] is None and
         p["next_run_at"] is not None, "resume: the job fires again", r)

    before = s.request("GET", "/pauses")
    t.eq((before.status, before.json()), (200, []), "pauses: none at first")
    for bad, loc in [({"bot_type": "nobody"}, ["body", "bot_type"]),
                     ({"until": "2020-01-01T00:00:00Z"}, ["body", "until"]),
                     ({"until": "tomorrow"}, ["body", "until"]),
                     ({"note": "x" * 501}, ["body", "note"]),
                     ({"who": "me"}, ["body", "who"])]:
        r = s.request("POST", "/pauses", bad)
        d = r.json() and r.json().get("detail")
        t.ok(r.status == 422 and d[0]["loc"] == loc,
             "pauses: %s is 422 at %s" % (json.dumps(bad)[:40], loc), r)
    t.eq(s.request("GET", "/pauses").json(), [], "pauses: the refused ones made nothing")
    until = iso(datetime.now(UTC) + timedelta(hours=2))
    r = s.request("POST", "/pauses", {"bot_type": "birthday", "note": "the site warned us",
                                      "until": until})
    pz = r.json()
    t.eq((r.status, pz["bot_type"], pz["note"], pz["until"], pz["created_by"]),
         (201, "birthday", "the site warned us", until, "test"), "pauses: created", r)
    t.eq(r.header("Location"), "/api/scheduler/pauses/" + pz["id"], "pauses: Location")
    t.eq([x["id"] for x in s.request("GET", "/pauses").json()], [pz["id"]],
         "pauses: listed while in force")
    r = s.request("POST", "/jobs/%s/run" % j["id"], {})
    t.ok(r.status == 409 and "Bot type birthday is paused by test" in r.body and
         "the site warned us" in r.body, "run now: a job under a pause is 409 saying which", r)
    m = s.request("GET", "/metrics").body
    t.ok('autosched_pauses_active{bot_type="birthday"} 1' in m and
         'autosched_pauses_active{bot_type="*"} 0' in m and "autosched_jobs_paused " in m,
         "metrics: the pauses in force and the paused jobs")
    t.eq(s.request("DELETE", "/pauses/" + pz["id"]).status, 204, "pauses: DELETE resumes")
    t.eq(s.request("DELETE", "/pauses/" + pz["id"]).status, 404, "pauses: then it is gone")
    t.eq(s.request("DELETE", "/pauses/not-an-id").status, 404, "pauses: a bad id is 404")
    t.eq(s.request("GET", "/pauses").json(), [], "pauses: none left")


def test_run_counters(t, s):
    """autosched_runs_ended_total counts every run that ends, however it ends, and pruning
    the history (which lowers the autosched_runs gauge) does not lower it."""
    ended = ["success", "failed", "missed", "skipped", "cancelled"]
    m0 = s.metrics()
    t.eq(sorted(k for k in m0 if k.startswith("autosched_runs_ended_total")),
         sorted('autosched_runs_ended_total{status="%s"}' % e for e in ended),
         "metrics: a counter for each way a run ends")
    job = s.sql("SELECT num, id FROM jobs LIMIT 1")[0]
    rid = "11111111-2222-4333-8444-000000000002"
    s.sql("INSERT INTO runs (id, job_num, job_id, trigger, scheduled_for, created_at, status) "
          "VALUES (?, ?, ?, 'manual', 2, 2, 'pending')", rid, job[0], job[1])
    key = 'autosched_runs_ended_total{status="failed"}'
    before = int(m0[key])
    s.sql("UPDATE runs SET status = 'running' WHERE id = ?", rid)
    s.sql("UPDATE runs SET status = 'failed', error = 'x' WHERE id = ?", rid)
    s.sql("UPDATE runs SET error = 'y' WHERE id = ?", rid)
    m1 = s.metrics()
    t.eq(int(m1[key]) - before, 1, "metrics: a run that fails counts once")
    s.sql("DELETE FROM runs WHERE id = ?", rid)
    m2 = s.metrics()
    t.eq((int(m2[key]), int(m2['autosched_runs{status="failed"}'])),
         (int(m1[key]), int(m1['autosched_runs{status="failed"}']) - 1),
         "metrics: pruning lowers the history gauge, never the counter")
    s.sql("INSERT INTO runs (id, job_num, job_id, trigger, scheduled_for, created_at, status) "
          "VALUES ('11111111-2222-4333-8444-000000000001', ?, ?, 'schedule', 1, 1, 'missed')",
          job[0], job[1])
    t.eq(int(s.metrics()['autosched_runs_ended_total{status="missed"}']) -
         int(m0['autosched_runs_ended_total{status="missed"}']), 1,
         "metrics: a missed row counts as it is written")
    s.sql("DELETE FROM runs WHERE id = '11111111-2222-4333-8444-000000000001'")


def test_workers_behind(t, s):
    """A run queued in Redis that no worker starts within workers_behind_after (120 s) makes
    /health 503 "workers behind", with the backlog, and /metrics say it; the queue lengths
    are schedd's, from its heartbeat."""
    s.sql("UPDATE heartbeat SET info = '{\"redis\":\"ok\",\"queues\":{\"default\":7,"
          "\"visits\":0}}'")
    job = s.sql("SELECT num, id FROM jobs LIMIT 1")[0]
    rids = ["22222222-2222-4333-8444-00000000000%d" % i for i in (1, 2)]
    now = int(time.time())
    for i, rid in enumerate(rids):
        s.sql("INSERT INTO runs (id, job_num, job_id, trigger, scheduled_for, created_at, "
              "queued_at, status, rq_queue) VALUES (?, ?, ?, 'manual', ?, ?, ?, 'queued', "
              "'default')", rid, job[0], job[1], 7 + i, now - 400, now - 400 + 100 * i)
    try:
        r = s.request("GET", "/health", key=False)
        w = (r.json() or {}).get("workers") or {}
        t.eq((r.status, r.json()["status"], w.get("state"), w.get("runs_waiting"),
              w.get("behind_after_seconds"), w.get("queues")),
             (503, "degraded", "behind", 2, 120, {"default": 7, "visits": 0}),
             "health: the oldest queued run waiting over 120 s is 503, workers behind, with "
             "the runs waiting and the queue lengths", r)
        t.ok(400 <= w.get("oldest_waiting_seconds", 0) <= 410,
             "health: how long the oldest has waited", w)
        m = s.metrics()
        t.eq((m.get('autosched_queue_length{queue="default"}'),
              m.get('autosched_queue_length{queue="visits"}'),
              m.get("autosched_workers_behind")), ("7", "0", "1"),
             "metrics: each queue's length as schedd counted it, and workers behind")
        t.ok(400 <= int(m.get("autosched_oldest_queued_run_age_seconds", 0)) <= 410,
             "metrics: the oldest queued run's age", m.get(
                 "autosched_oldest_queued_run_age_seconds"))
        s.sql("UPDATE runs SET queued_at = ? WHERE id IN (?, ?)", now - 30, *rids)
        r = s.request("GET", "/health", key=False)
        w = (r.json() or {}).get("workers") or {}
        t.eq((r.status, w.get("state"), w.get("runs_waiting")), (200, "ok", 2),
             "health: queued runs waiting less than 120 s are fine (200)", r)
    finally:
        s.sql("DELETE FROM runs WHERE id IN (?, ?)", *rids)
    r = s.request("GET", "/health", key=False)
    w = (r.json() or {}).get("workers") or {}
    t.eq((r.status, w.get("runs_waiting"), w.get("oldest_waiting_seconds")), (200, 0, 0),
         "health: no run waiting", r)
    t.eq(s.metrics().get("autosched_oldest_queued_run_age_seconds"), "0",
         "metrics: 0 when no run waits")


def test_health_metrics_misc(t, s):
    r = s.request("GET", "/health", key=False)
    h = r.json()
    t.eq((r.status, h["status"], h["database"], h["schedd"]["state"]),
         (503, "degraded", "ok", "never_started"), "health: no schedd yet is 503")
    s.sql("INSERT INTO heartbeat (name, at, info) VALUES ('schedd', strftime('%s', 'now'), "
          "'{\"redis\":\"down\"}')")
    r = s.request("GET", "/health", key=False)
    t.eq((r.status, r.json()["redis"], r.json()["schedd"]["state"]), (503, "down", "running"),
         "health: schedd running but Redis down is 503")
    s.sql("UPDATE heartbeat SET info = '{\"redis\":\"ok\"}'")
    r = s.request("GET", "/health", key=False)
    t.eq((r.status, r.json()["status"], r.json()["redis"], r.json()["schedd"]["state"]),
         (200, "ok", "ok", "running"), "health: a fresh heartbeat with Redis up is 200")
    test_workers_behind(t, s)
    s.sql("UPDATE heartbeat SET at = at - 3600")
    r = s.request("GET", "/health", key=False)
    t.eq((r.status, r.json()["schedd"]["state"]), (503, "stale"),
         "health: a stale heartbeat is 503")
    r = s.request("GET", "/metrics", key=False, headers={"Authorization": "Bearer " + s.key})
    t.eq(r.status, 200, "metrics: 200 with a Bearer key")
    t.ok(r.header("Content-Type").startswith("text/plain; version=0.0.4"),
         "metrics: Prometheus text format", r.header("Content-Type"))
    lines = prometheus(r.body)
    n_enabled = s.sql("SELECT count(*) FROM jobs WHERE enabled = 1")[0][0]
    t.eq(lines.get('autosched_jobs{enabled="true"}'), str(n_enabled), "metrics: job count")
    n_pending = s.sql("SELECT count(*) FROM runs WHERE status = 'pending'")[0][0]
    t.eq(lines.get('autosched_runs{status="pending"}'), str(n_pending), "metrics: run count")
    t.ok("autosched_schedd_heartbeat_timestamp_seconds" in lines, "metrics: heartbeat")
    test_run_counters(t, s)
    r = s.request("GET", "/bot-types")
    names = [b["name"] for b in r.json()]
    t.eq(names, ["birthday", "visitor"], "bot-types: the configured types")
    visitor = r.json()[1]["parameters"]
    t.eq(visitor, [{"name": "dry_run", "type": "bool", "default": False},
                   {"name": "limit", "type": "int", "default": 50, "min": 1, "max": 1000}],
         "bot-types: declared parameters with defaults and ranges")
    for method, path, allow in [("DELETE", "/jobs", "GET, HEAD, POST"),
                                ("POST", "/jobs/x/history", "GET, HEAD"),
                                ("GET", "/jobs/x/run", "POST"), ("PATCH", "/jobs/x",
                                                                 "GET, HEAD, PUT, DELETE"),
                                ("POST", "/health", "GET, HEAD")]:
        r = s.request(method, path)
        t.eq((r.status, r.header("Allow")), (405, allow), "routes: %s %s is 405" % (method, path))
    for path in ["", "/", "/job", "/jobs/x/y/z", "/JOBS", "/jobs/x/runs"]:
        r = s.request("GET", path)
        t.eq((r.status, r.json()), (404, {"detail": "Not Found"}),
             "routes: GET %r is 404" % path)
    r = s.request("GET", "/../etc/passwd")
    t.eq(r.status, 404, "routes: a path climbing out of the mount point is 404")
    r = s.request("GET", "/jobs/")
    t.eq((r.status, r.header("X-Total-Count") is not None), (200, True),
         "routes: a trailing slash is the same route")
    r = s.request("HEAD", "/jobs")
    t.eq((r.status, r.body, r.header("X-Total-Count") is not None), (200, "", True),
         "routes: HEAD is GET without a body")
    r = s.request("GET", "/jobs")
    for h, v in [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                 ("Cache-Control", "private, no-cache")]:
        t.eq(r.header(h), v, "headers: %s" % h)
    for path in ("/bot-types", "/health", "/jobs/" + UNKNOWN):
        t.eq(s.request("GET", path).header("Cache-Control"), "no-store",
             "headers: Cache-Control no-store for %s (no ETag)" % path)
    t.ok("frame-ancestors 'none'" in (r.header("Content-Security-Policy") or ""),
         "headers: Content-Security-Policy")


def malformed_corpus(s, job_id):
    """(name, method, path, body, headers, status): each must be refused and change nothing."""
    J = "application/json"
    good = dict(JOB)

    def doc(**over):
        d = dict(good, **over)
        return json.dumps(d).encode()

    def without(k):
        d = dict(good)
        d.pop(k)
        return json.dumps(d).encode()

    deep = b'{"name": "x", "bot_config": ' + b"[" * 100 + b"]" * 100 + b"}"
    c = [
        ("empty body", "POST", "/jobs", b"", J, 422),
        ("truncated JSON", "POST", "/jobs", b'{"name": "x"', J, 422),
        ("lone brace", "POST", "/jobs", b"{", J, 422),
        ("null document", "POST", "/jobs", b"null", J, 422),
        ("array document", "POST", "/jobs", b"[]", J, 422),
        ("string document", "POST", "/jobs", b'"job"', J, 422),
        ("trailing garbage", "POST", "/jobs", doc() + b"x", J, 422),
        ("duplicate key", "POST", "/jobs", b'{"name": "a", "name": "b", "bot_type": '
         b'"birthday", "schedule_type": "manual"}', J, 422),
        ("invalid UTF-8", "POST", "/jobs", doc(name="x").replace(b'"x"', b'"\xff\xfe"'
                                                                    .decode("unicode_escape")
                                                                    .encode("latin-1")), J, 422),
        ("overlong UTF-8", "POST", "/jobs", doc(name="x").replace(b'"x"', b'"\xc0\xaf"'
                                                                     .decode("unicode_escape")
                                                                     .encode("latin-1")), J, 422),
        ("lone surrogate", "POST", "/jobs", doc(name="x").replace(b'"x"', b'"\\ud800"'), J,
         422),
        ("NUL in name", "POST", "/jobs", doc(name="x").replace(b'"x"', b'"a\\u0000b"'), J,
         422),
        ("nesting 100 deep", "POST", "/jobs", deep, J, 422),
        ("nesting 9 deep", "POST", "/jobs", doc(bot_config={"a": [[[[[[[[1]]]]]]]]}), J, 422),
        ("huge integer", "POST", "/jobs", doc(max_instances=1).replace(
            b'"max_instances": 1', b'"max_instances": 123456789012345678901234567890'), J, 422),
        ("huge float", "POST", "/jobs", doc(max_instances=1).replace(
            b'"max_instances": 1', b'"max_instances": 1e400'), J, 422),
        ("float for int", "POST", "/jobs", doc(max_instances=1.0), J, 422),
        ("8.5 hour", "POST", "/jobs", doc(schedule_config={"hour": 8.5}), J, 422),
        ("string for int", "POST", "/jobs", doc(max_instances="1"), J, 422),
        ("max_instances 0", "POST", "/jobs", doc(max_instances=0), J, 422),
        ("max_instances 101", "POST", "/jobs", doc(max_instances=101), J, 422),
        ("grace -1", "POST", "/jobs", doc(misfire_grace_time=-1), J, 422),
        ("grace over a week", "POST", "/jobs", doc(misfire_grace_time=604801), J, 422),
        ("string for bool", "POST", "/jobs", doc(enabled="true"), J, 422),
        ("number for bool", "POST", "/jobs", doc(enabled=1), J, 422),
        ("null coalesce", "POST", "/jobs", doc(coalesce=None), J, 422),
        ("no name", "POST", "/jobs", without("name"), J, 422),
        ("no bot_type", "POST", "/jobs", without("bot_type"), J, 422),
        ("no schedule_type", "POST", "/jobs", without("schedule_type"), J, 422),
        ("empty name", "POST", "/jobs", doc(name=""), J, 422),
        ("blank name", "POST", "/jobs", doc(name="   "), J, 422),
        ("201-character name", "POST", "/jobs", doc(name="x" * 201), J, 422),
        ("201 e-acute name", "POST", "/jobs", doc(name="\u00e9" * 201), J, 422),
        ("newline in name", "POST", "/jobs", doc(name="a\nb"), J, 422),
        ("C1 in name", "POST", "/jobs", doc(name="a\u0085b"), J, 422),
        ("DEL in name", "POST", "/jobs", doc(name="a\u007fb"), J, 422),
        ("ESC in name", "POST", "/jobs", doc(name="a\u001b[31mb"), J, 422),
        ("number name", "POST", "/jobs", doc(name=5), J, 422),
        ("2001-character description", "POST", "/jobs", doc(description="d" * 2001), J, 422),
        ("control in description", "POST", "/jobs", doc(description="a\u0001"), J, 422),
        ("unknown bot_type", "POST", "/jobs", doc(bot_type="spammer"), J, 422),
        ("number bot_type", "POST", "/jobs", doc(bot_type=5), J, 422),
        ("unknown schedule_type", "POST", "/jobs", doc(schedule_type="hourly"), J, 422),
        ("list schedule_config", "POST", "/jobs", doc(schedule_config=[8, 0]), J, 422),
        ("hour 24", "POST", "/jobs", doc(schedule_config={"hour": 24}), J, 422),
        ("unknown schedule key", "POST", "/jobs", doc(schedule_config={"hours": 8}), J, 422),
        ("cron out of range", "POST", "/jobs",
         doc(schedule_type="cron", schedule_config={"cron_expression": "0 24 * * *"}), J, 422),
        ("cron never fires", "POST", "/jobs",
         doc(schedule_type="cron", schedule_config={"cron_expression": "0 0 30 2 *"}), J, 422),
        ("cron 6 fields", "POST", "/jobs",
         doc(schedule_type="cron", schedule_config={"cron_expression": "0 0 * * * *"}), J,
         422),
        ("cron 300 characters", "POST", "/jobs",
         doc(schedule_type="cron", schedule_config={"cron_expression": "0," * 150}), J, 422),
        ("weekly bad day", "POST", "/jobs",
         doc(schedule_type="weekly", schedule_config={"day_of_week": "funday"}), J, 422),
        ("interval zero", "POST", "/jobs",
         doc(schedule_type="interval", schedule_config={"hours": 0, "minutes": 0}), J, 422),
        ("typo in bot_config", "POST", "/jobs", doc(bot_config={"dryrun": True}), J, 422),
        ("string for bool param", "POST", "/jobs", doc(bot_config={"dry_run": "yes"}), J, 422),
        ("param out of range", "POST", "/jobs",
         doc(bot_type="visitor", bot_config={"limit": 0}), J, 422),
        ("list bot_config", "POST", "/jobs", doc(bot_config=[]), J, 422),
        ("number for string param", "POST", "/jobs", doc(bot_config={"bot_mode": 5}), J, 422),
        ("zone folder", "POST", "/jobs", doc(timezone="Europe"), J, 422),
        ("zone path", "POST", "/jobs", doc(timezone="../../etc/passwd"), J, 422),
        ("zone absolute", "POST", "/jobs", doc(timezone="/etc/localtime"), J, 422),
        ("zone.tab", "POST", "/jobs", doc(timezone="zone.tab"), J, 422),
        ("right/ zone", "POST", "/jobs", doc(timezone="right/Europe/Paris"), J, 422),
        ("number zone", "POST", "/jobs", doc(timezone=1), J, 422),
        ("unknown field", "POST", "/jobs", doc(owner="me"), J, 422),
        ("text/plain", "POST", "/jobs", doc(), "text/plain", 415),
        ("no content type", "POST", "/jobs", doc(), None, 415),
        ("latin-1 charset", "POST", "/jobs", doc(), "application/json; charset=latin-1", 415),
        ("application/jsonx", "POST", "/jobs", doc(), "application/jsonx", 415),
        ("form body", "POST", "/jobs", b"name=x", "application/x-www-form-urlencoded", 415),
        ("64 KiB + 1", "POST", "/jobs", b"{" + b" " * (64 * 1024 - 1) + b"}", J, 413),
        ("PUT invalid JSON", "PUT", "/jobs/" + job_id, b"{,}", J, 422),
        ("PUT null name", "PUT", "/jobs/" + job_id, b'{"name": null}', J, 422),
        ("PUT cron without expression", "PUT", "/jobs/" + job_id,
         b'{"schedule_type": "cron"}', J, 422),
        ("PUT unknown field", "PUT", "/jobs/" + job_id, b'{"colour": "red"}', J, 422),
        ("PUT text/plain", "PUT", "/jobs/" + job_id, b'{"name": "x"}', "text/plain", 415),
        ("toggle string", "POST", "/jobs/%s/toggle" % job_id, b'{"enabled": "no"}', J, 422),
        ("run with fields", "POST", "/jobs/%s/run" % job_id, b'{"x": 1}', J, 422),
        # lighttpd itself refuses these two (HTML 400); the CGI tests check our own answer
        ("invalid UTF-8 in query", "GET", "/jobs?bot_type=%ff", None, None, -400),
        ("NUL in query", "GET", "/jobs?bot_type=a%00b", None, None, -400),
        ("negative limit", "GET", "/jobs?limit=-5", None, None, 422),
        ("query too long", "GET", "/jobs?bot_type=" + "x" * 5000, None, None, 414),
        ("not a UUID", "GET", "/jobs/123", None, None, 404),
        ("long id", "GET", "/jobs/" + "a" * 1000, None, None, 404),
        ("UUID with junk", "GET", "/jobs/%s-0" % job_id, None, None, 404),
    ]
    return c


def test_malformed(t, s):
    job_id = s.request("POST", "/jobs", dict(JOB, name="untouchable")).json()["id"]
    corpus = malformed_corpus(s, job_id)
    t.ok(len(corpus) >= 50, "malformed: a corpus of at least 50 requests (%d)" % len(corpus))
    before = s.snapshot()
    for name, method, path, body, ctype, want in corpus:
        headers = {"Content-Type": ctype} if ctype else {}
        r = s.request(method, path, body, headers=headers)
        if want < 0:
            t.eq(r.status, -want, "malformed: %s is %d from the web server" % (name, -want))
            continue
        d = r.json()
        t.ok(r.status == want and isinstance(d, dict) and d.get("detail"),
             "malformed: %s is %d with a message" % (name, want), r)
    t.ok(s.snapshot() == before, "malformed: the database is unchanged afterwards")
    # several bad fields at once: every one listed
    r = s.request("POST", "/jobs", {"name": "", "bot_type": "nope", "schedule_type": "daily",
                                    "schedule_config": {"hour": 99, "minute": -1},
                                    "max_instances": 0, "extra": 1})
    locs = [tuple(e["loc"]) for e in r.json()["detail"]]
    t.eq(sorted(locs), sorted([("body", "extra"), ("body", "name"), ("body", "bot_type"),
                               ("body", "max_instances"),
                               ("body", "schedule_config", "hour"),
                               ("body", "schedule_config", "minute")]),
         "malformed: every bad field is listed at once")
    t.eq(r.json()["detail"][0], {"loc": ["body", "extra"], "msg": "extra fields not permitted",
                                 "type": "value_error.extra"}, "malformed: pydantic's shape")
    # a 10 MB announcement is refused by the web server before the body is sent
    import socket
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    sock.sendall(("POST %s/jobs HTTP/1.1\r\nHost: x\r\nX-API-Key: %s\r\n"
                  "Content-Type: application/json\r\nContent-Length: 10485760\r\n\r\n"
                  % (s.prefix, s.key)).encode())
    head = sock.recv(4096).decode("latin-1")
    sock.close()
    t.ok(head.startswith("HTTP/1.1 413"), "malformed: 10 MB announced is 413 at once",
         head[:200])


def test_second_mount(t, bindir, server):
    s = Stack(bindir, prefix="/scheduler", server=server)
    try:
        r = s.request("POST", "/jobs", JOB)
        t.eq((r.status, r.header("Location")), (201, "/scheduler/jobs/" + r.json()["id"]),
             "mount /scheduler: create, Location under the mount")
        jid = r.json()["id"]
        t.eq(s.request("GET", "/jobs/" + jid).status, 200, "mount /scheduler: get")
        t.eq(len(s.request("GET", "/jobs").json()), 1, "mount /scheduler: list")
        t.eq(s.request("POST", "/jobs/%s/run" % jid).status, 202, "mount /scheduler: run")
        t.eq(s.request("DELETE", "/jobs/" + jid).status, 204, "mount /scheduler: delete")
        r = s.request("GET", "/api/scheduler/jobs", raw_path=True)
        t.eq(r.status, 404, "mount /scheduler: nothing at /api/scheduler")
    finally:
        s.cleanup()


def test_cgi(t, bindir):
    s = Installation(bindir)
    try:
        h = {"X-API-Key": s.key}
        r, rc, err = cgi(bindir, s.conf, "GET", "/jobs", headers=h)
        t.eq((r.status, r.json(), rc), (200, [], 0), "cgi: GET /jobs as plain CGI", err)
        body = json.dumps(JOB).encode()
        r, rc, err = cgi(bindir, s.conf, "POST", "/jobs", body,
                         headers=dict(h, **{"Content-Type": "application/json"}))
        t.eq(r.status, 201, "cgi: POST /jobs as plain CGI", r, err)
        t.eq(r.header("Location"), "/cgi-bin/api/jobs/" + (r.json() or {}).get("id", ""),
             "cgi: Location under SCRIPT_NAME")
        r, rc, err = cgi(bindir, s.conf, "GET", "/jobs", query="limit=1", headers=h)
        t.eq((r.status, len(r.json()), r.header("X-Total-Count")), (200, 1, "1"),
             "cgi: the job is there, query string read")
        r, rc, err = cgi(bindir, s.conf, "GET", "/jobs")
        t.eq(r.status, 401, "cgi: no key is 401")
        r, rc, err = cgi(bindir, s.conf, "POST", "/jobs", b"{oops",
                         headers=dict(h, **{"Content-Type": "application/json"}))
        t.eq(r.status, 422, "cgi: bad JSON is 422")
        for q, want in [("bot_type=%zz", 400), ("bot_type=%ff", 400), ("bot_type=a%00b", 400),
                        ("bot_type=%e9t%e9", 400), ("limit=1&limit=2", 422),
                        ("a=1&" * 40, 422)]:
            r, rc, err = cgi(bindir, s.conf, "GET", "/jobs", query=q, headers=h)
            t.ok(r.status == want and (r.json() or {}).get("detail"),
                 "cgi: query %r is %d with a message" % (q[:30], want), r)
        r, rc, err = cgi(bindir, s.conf, "GET", "/nowhere", headers=h)
        t.eq(r.status, 404, "cgi: unknown route is 404")
        r, rc, err = cgi(bindir, "/nonexistent/autosched.conf", "GET", "/jobs", headers=h)
        t.ok(r.status == 503 and rc != 0 and b"autosched.conf" in err,
             "cgi: a missing configuration is a 503 and a log line", r, err)
        t.ok(b"Sanitizer" not in err and b"runtime error" not in err,
             "cgi: no sanitizer report", err)
    finally:
        s.cleanup()


# schedd's notify socket, in the stack's folder (relative paths are the configuration's).
NOTIFY_CONF = "\n[schedd]\nnotify_socket = notify.sock\n"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def test_notify(t, s):
    """Every change the API accepts nudges schedd: one datagram "!" on [schedd]
    notify_socket. A refused request sends none."""
    sock = NotifySocket(os.path.join(s.dir, "notify.sock"))
    try:
        def nudged(method, path, body, status, nudges, name):
            sock.drain()
            r = s.request(method, path, body)
            got = sock.wait(2.0 if nudges else 0.5)
            t.eq((r.status, got), (status, [b"!"] * nudges), "notify: " + name, r)
            return r
        r = nudged("POST", "/jobs", dict(JOB, name="nudger"), 201, 1,
                   "POST /jobs nudges schedd (one datagram)")
        jid = (r.json() or {}).get("id", UNKNOWN)
        nudged("POST", "/jobs", dict(JOB, schedule_config={"hour": 24}), 422, 0,
               "a refused POST /jobs (422) does not")
        nudged("PUT", "/jobs/" + jid, {"description": "nudged"}, 200, 1,
               "PUT /jobs/{id} nudges schedd")
        nudged("PUT", "/jobs/" + jid, {"max_instances": 0}, 422, 0,
               "a refused PUT /jobs/{id} (422) does not")
        nudged("PUT", "/jobs/" + UNKNOWN, {"description": "x"}, 404, 0,
               "PUT /jobs/{id} of no job (404) does not")
        nudged("POST", "/jobs/%s/toggle" % jid, {"enabled": False}, 200, 1,
               "POST /jobs/{id}/toggle nudges schedd")
        nudged("POST", "/jobs/%s/toggle" % UNKNOWN, {"enabled": False}, 404, 0,
               "POST /jobs/{id}/toggle of no job (404) does not")
        nudged("POST", "/jobs/%s/run" % jid, None, 202, 1, "POST /jobs/{id}/run nudges schedd")
        nudged("POST", "/jobs/%s/run" % jid, None, 409, 0,
               "a refused POST /jobs/{id}/run (409, max_instances) does not")
        nudged("POST", "/jobs/%s/run" % UNKNOWN, None, 404, 0,
               "POST /jobs/{id}/run of no job (404) does not")
        nudged("DELETE", "/jobs/" + jid, None, 204, 1, "DELETE /jobs/{id} nudges schedd")
        nudged("DELETE", "/jobs/" + jid, None, 404, 0,
               "DELETE /jobs/{id} of a job already gone (404) does not")
    finally:
        sock.close()


def test_audit(t, s):
    """Every change writes one line "audit: KEYNAME VERB job ID (NAME) via api" to the
    program's stderr (the web server's error log); a refused change writes none."""
    watch = AuditWatch(s.errorlog)

    def change(method, path, body, status, lines, name):
        r = s.request(method, path, body)
        want = [l(r) for l in lines]
        got = watch.new(len(want))
        t.eq((r.status, got), (status, want), "audit: " + name, r)
        return r

    name = "Audited through the API"
    r = change("POST", "/jobs", dict(JOB, name=name), 201,
               [lambda r: "test created job %s (%s) via api" % (r.json()["id"], name)],
               "POST /jobs: one line, the key's name, created")
    jid = (r.json() or {}).get("id", UNKNOWN)
    line = lambda verb: lambda r: "test %s job %s (%s) via api" % (verb, jid, name)
    change("PUT", "/jobs/" + jid, {"description": "audited"}, 200, [line("updated")],
           "PUT /jobs/{id}: one line, updated")
    change("POST", "/jobs/%s/toggle?enabled=false" % jid, None, 200, [line("disabled")],
           "POST /jobs/{id}/toggle (off): one line, disabled")
    change("POST", "/jobs/%s/toggle?enabled=true" % jid, None, 200, [line("enabled")],
           "POST /jobs/{id}/toggle (on): one line, enabled")
    change("POST", "/jobs/%s/run" % jid, None, 202,
           [lambda r: "test ran job %s (%s) via api: run %s" %
            (jid, name, (r.json() or {}).get("execution_id"))],
           "POST /jobs/{id}/run: one line, ran, with the new run's id")
    change("POST", "/jobs", dict(JOB, schedule_config={"hour": 24}), 422, [],
           "a refused POST /jobs (422): no line")
    change("PUT", "/jobs/" + jid, {"max_instances": 0}, 422, [],
           "a refused PUT /jobs/{id} (422): no line")
    change("PUT", "/jobs/" + UNKNOWN, {"description": "x"}, 404, [],
           "PUT /jobs/{id} of no job (404): no line")
    change("POST", "/jobs/%s/toggle?enabled=true" % UNKNOWN, None, 404, [],
           "POST /jobs/{id}/toggle of no job (404): no line")
    change("POST", "/jobs/%s/run" % jid, None, 409, [],
           "a refused POST /jobs/{id}/run (409): no line")
    change("DELETE", "/jobs/" + jid, None, 204, [line("deleted")],
           "DELETE /jobs/{id}: one line, deleted")
    change("DELETE", "/jobs/" + jid, None, 404, [],
           "DELETE /jobs/{id} of a job already gone (404): no line")


def test_conditional(t, s):
    """GET /jobs and GET /jobs/{id} carry an ETag from the jobs' generation, which every
    change to a job moves on (a trigger: whoever changes it, schedd included), and answer
    304 to If-None-Match. Each FastCGI process keeps answers while the generation stands:
    a change through any door, or straight into the database, is seen at once."""
    r = s.request("GET", "/jobs")
    tag = r.header("ETag")
    t.ok(r.status == 200 and tag and re.match(r'^"j\d+"$', tag) and
         r.header("Cache-Control") == "private, no-cache",
         "etag: GET /jobs has an ETag, and may be kept but is asked for again", r.headers)
    seen = []
    for _ in range(4):		# every FastCGI process, cached or not
        c = s.request("GET", "/jobs", headers={"If-None-Match": tag})
        seen.append((c.status, c.body, c.header("ETag"), c.header("Content-Length") or "0"))
    t.eq(set(seen), {(304, "", tag, "0")},
         "etag: If-None-Match with the tag is 304, no body, the same tag")
    for inm in ('"nope", W/%s' % tag, "*", '"x",%s' % tag):
        t.eq(s.request("GET", "/jobs", headers={"If-None-Match": inm}).status, 304,
             "etag: If-None-Match %s is 304" % inm)
    t.eq(s.request("GET", "/jobs", headers={"If-None-Match": '"j1"'}).status, 200,
         "etag: another tag is a 200")
    body = r.body
    one = json.loads(body)[0]
    t.eq([json.loads(s.request("GET", "/jobs").body) for _ in range(3)], [json.loads(body)] * 3,
         "cache: the same list again and again")
    small = s.request("GET", "/jobs?limit=1")
    t.eq((len(small.json()), small.header("ETag")), (1, tag),
         "cache: another query is its own answer (limit=1 gives 1 job), under the same tag")
    r = s.request("GET", "/jobs/" + one["id"])
    jtag = r.header("ETag")
    t.eq(s.request("GET", "/jobs/" + one["id"], headers={"If-None-Match": jtag}).status, 304,
         "etag: GET /jobs/{id} too")
    r = s.request("GET", "/jobs/" + UNKNOWN)
    t.eq((r.status, r.header("ETag"), r.header("Cache-Control")), (404, None, "no-store"),
         "etag: a job that is not there has none, and is not kept")

    # A change through the API: new tag, new content, in every process.
    s.request("PUT", "/jobs/" + one["id"], {"description": "changed for the cache"})
    got = [s.request("GET", "/jobs", headers={"If-None-Match": tag}) for _ in range(4)]
    t.ok(all(g.status == 200 and g.header("ETag") != tag and
             json.loads(g.body)[0]["description"] == "changed for the cache" for g in got),
         "etag: after a change, the old tag is a 200 with the change, in every process",
         [(g.status, g.header("ETag")) for g in got])
    new = got[0].header("ETag")
    got = [s.request("GET", "/jobs/" + one["id"], headers={"If-None-Match": jtag})
           for _ in range(4)]
    t.ok(all(g.status == 200 and g.json()["description"] == "changed for the cache"
             for g in got), "etag: and GET /jobs/{id} with its old tag too")
    # A change straight into the database, as schedd makes them: the trigger moves it on.
    s.sql("UPDATE jobs SET last_run_status = 'failed', last_run_error = 'from below' "
          "WHERE id = ?", one["id"])
    got = [s.request("GET", "/jobs/" + one["id"], headers={"If-None-Match": new})
           for _ in range(4)]
    t.ok(all(g.status == 200 and g.json()["last_run_error"] == "from below" for g in got),
         "cache: a row changed by another program (as schedd does) is seen at once",
         [(g.status, g.body[:80]) for g in got])
    s.sql("UPDATE jobs SET last_run_status = NULL, last_run_error = NULL WHERE id = ?",
          one["id"])
    gens = [s.sql("SELECT n FROM generation")[0][0]]
    s.request("POST", "/jobs/%s/toggle?enabled=%s" % (one["id"], "false"))
    s.request("POST", "/jobs/%s/toggle?enabled=%s" % (one["id"], "true"))
    gens.append(s.sql("SELECT n FROM generation")[0][0])
    t.ok(gens[1] - gens[0] >= 2, "generation: each change moves it on", gens)


def test_text_cut(t, s):
    """User text cut at a length is cut between characters: answers are never empty."""
    euro = "\u20ac"				# three bytes in UTF-8
    bad = euro * 30				# 90 bytes: 64 cut one in the middle of a character
    r = s.request("GET", "/jobs/" + urllib.parse.quote(bad))
    t.ok(r.status == 404 and r.json()["detail"].startswith("Job " + euro * 21 + " not"),
         "a long id of three-byte characters: 404 with its text cut between characters", r)
    r = s.request("POST", "/jobs", {"name": "cut", "bot_type": "birthday",
                                    "schedule_type": "manual", "timezone": euro * 30})
    d = r.status == 422 and r.json()["detail"]
    t.ok(d and d[0]["loc"] == ["body", "timezone"] and d[0]["msg"].startswith("'" + euro * 21),
         "a long zone of three-byte characters: 422 naming timezone, cut between characters",
         r)
    r = s.request("POST", "/jobs", {"name": "cut", "bot_type": "birthday",
                                    "schedule_type": "weekly",
                                    "schedule_config": {"day_of_week": euro * 10}})
    d = r.status == 422 and r.json()["detail"]
    t.ok(d and d[0]["loc"] == ["body", "schedule_config", "day_of_week"] and
         ("'" + euro * 4 + "'") in d[0]["msg"],
         "an unknown day of three-byte characters: 422 with its text cut between characters",
         r)


def test_store_failures(t, bindir):
    """The store failing answers the same everywhere: still locked after busy_timeout_ms
    (DB_BUSY) is a 503, any other failure (DB_ERR) a 500, both {"detail": ...}. The lock is
    an exclusive transaction held here; the other failure is a table renamed under the
    running FastCGI programs (their statements fail when SQLite prepares them again)."""
    s = Stack(bindir, conf_extra="\n[database]\nbusy_timeout_ms = 100\n")
    try:
        jid = s.request("POST", "/jobs", JOB).json()["id"]
        # (ALTER TABLE ... RENAME writes the name back quoted: "jobs", the same table)
        schema = lambda: [(a, b, (c or "").replace('"', '')) for a, b, c in
                          s.sql("SELECT type, name, sql FROM sqlite_master ORDER BY name")]
        before = schema()
        cases = [("GET", "/jobs/" + jid, None), ("PUT", "/jobs/" + jid, {"description": "x"}),
                 ("POST", "/jobs/%s/toggle?enabled=false" % jid, None),
                 ("POST", "/jobs/%s/run" % jid, None),
                 ("DELETE", "/jobs/" + jid, None)]

        def answer(r, status, name):
            t.ok(r.status == status and
                 (r.header("Content-Type") or "").startswith("application/json") and
                 list((r.json() or {1: 1}).keys()) == ["detail"] and r.json()["detail"],
                 "store %s: %d {\"detail\": ...}" % (name, status), r)

        # DB_BUSY: writes wait for the lock, then give up. (In WAL mode readers are not held
        # back by a writer: a GET still answers, so only the writes are checked here.)
        with s.locked():
            for method, path, body in cases[1:] + [("POST", "/jobs", JOB)]:
                answer(s.request(method, path, body), 503,
                       "locked (DB_BUSY): %s %s" % (method, path.replace(jid, "{id}")))

        # DB_ERR: the jobs table gone from under the prepared statements.
        s.sql("ALTER TABLE jobs RENAME TO jobs_gone")
        try:
            for method, path, body in cases + [("POST", "/jobs", JOB), ("GET", "/jobs", None)]:
                answer(s.request(method, path, body), 500,
                       "failing (DB_ERR): %s %s" % (method, path.replace(jid, "{id}")))
        finally:
            s.sql("ALTER TABLE jobs_gone RENAME TO jobs")
        # DB_ERR in the API key check itself.
        s.sql("ALTER TABLE api_keys RENAME TO api_keys_gone")
        try:
            answer(s.request("GET", "/jobs"), 500, "failing (DB_ERR) in the API key check")
        finally:
            s.sql("ALTER TABLE api_keys_gone RENAME TO api_keys")
        t.ok(schema() == before and
             s.request("GET", "/jobs/" + jid).status == 200,
             "store: the schema put back, the job answers again")
    finally:
        s.finish(t)


def main():
    bindir = sys.argv[1]
    server = sys.argv[2] if len(sys.argv) > 2 else "lighttpd"
    t = Tap()
    s = Stack(bindir, server=server, conf_extra=NOTIFY_CONF)
    try:
        test_auth(t, s)
        job = test_create(t, s)
        test_schedule_types(t, s)
        test_list(t, s)
        test_update(t, s, job)
        test_toggle(t, s)
        test_run_and_history(t, s)
        test_preview(t, s)
        test_windows_jitter_date(t, s)
        test_pauses(t, s)
        test_health_metrics_misc(t, s)
        test_malformed(t, s)
        test_notify(t, s)
        test_conditional(t, s)
        test_text_cut(t, s)
        if server == "lighttpd":
            test_audit(t, s)
    finally:
        s.finish(t)
    test_second_mount(t, bindir, server)
    if server == "lighttpd":
        test_cgi(t, bindir)
        test_store_failures(t, bindir)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
