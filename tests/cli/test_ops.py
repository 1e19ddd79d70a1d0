"""autosched operations tests: init (create and upgrade), jobs list, export, import,
import-crontab and backup, run as an administrator runs them.

    /usr/bin/python3 tests/cli/test_ops.py BINDIR

Everything is real and needs no server, no Redis and no root: an Installation (tests/harness:
a temporary folder, a configuration from deploy/autosched.conf, `autosched init`, an API key)
whose jobs are made through the API (BINDIR/autosched-api run as plain CGI), more databases
beside it for the commands to fill, and BINDIR/autosched run as a program. The database is
read directly only to check what the commands wrote (rows, PRAGMA integrity_check) and, in the
backup test, written by a second process that keeps inserting jobs while the copy is taken.
TAP output.
"""
import hashlib
import json
import os
import pwd
import re
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from harness import TOP, Installation, Tap, wait_until

# The schema version this build writes, as lib/db.h says.
SCHEMA = int(re.search(r"#define DB_SCHEMA_VERSION\s+(\d+)",
                       open(os.path.join(TOP, "lib", "db.h")).read()).group(1))
SAN_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
             "SUMMARY: UndefinedBehaviorSanitizer")
SAN_SEEN = []		# (command, sanitizer lines) of every run that reported something

EXPORT_KEYS = ["id", "name", "description", "bot_type", "enabled", "schedule_type",
               "schedule_config", "bot_config", "timezone", "max_instances",
               "misfire_grace_time", "coalesce", "active_windows", "jitter_seconds",
               "pause_after_failures",
               "created_at", "created_by"]


class Run:
    def __init__(self, p):
        self.rc = p.returncode
        self.out = p.stdout
        self.err = p.stderr

    def __repr__(self):
        return "<rc %r\nstdout: %s\nstderr: %s>" % (self.rc, self.out[-2000:],
                                                     self.err[-2000:])


def v1_database(db):
    """A database of schema version 1, as it first shipped, holding one job."""
    c = sqlite3.connect(db)
    with open(os.path.join(TOP, "tests", "unit", "schema-v1.sql")) as f:
        c.executescript(f.read())
    c.execute("INSERT INTO jobs (id, name, bot_type, schedule_type, schedule_config, "
              "schedule_anchor, bot_config, timezone, created_at, updated_at, next_run_at) "
              "VALUES ('11111111-2222-4333-8444-555555555555', 'survivor', 'birthday', "
              "'daily', '{\"hour\":8,\"minute\":0}', 1, '{}', 'UTC', 1, 1, NULL)")
    c.execute("PRAGMA user_version = 1")
    c.commit()
    c.close()


def cli(st, *args, conf=None, stdin=None):
    """Runs BINDIR/autosched (with -c conf when given; else the stack's configuration) and
    returns its status, stdout and stderr; sanitizer reports are collected on the way."""
    cmd = [os.path.join(st.bindir, "autosched")]
    if conf:
        cmd += ["-c", conf]
    cmd += list(args)
    p = subprocess.run(cmd, env=st.env, input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=600)
    bad = [l for l in p.stderr.splitlines() if any(m in l for m in SAN_MARKS)]
    if bad:
        SAN_SEEN.append((" ".join(args), bad[:5]))
    return Run(p)


def other_db(st, name):
    """A configuration like the stack's but for database NAME.db in the stack's folder;
    returns (configuration path, database path)."""
    db = os.path.join(st.dir, name + ".db")
    conf = os.path.join(st.dir, name + ".conf")
    with open(st.conf) as f:
        text = f.read()
    assert "path = " + st.db in text
    with open(conf, "w") as f:
        f.write(text.replace("path = " + st.db, "path = " + db))
    return conf, db


def local(ts, zone):
    """An instant as autosched shows it in a zone: "Mon 2026-11-30 08:00 CET (+01:00)"."""
    d = datetime.fromtimestamp(ts, ZoneInfo(zone))
    off = int(d.utcoffset().total_seconds())
    a = abs(off)
    return "%s%s %s (%s%02d:%02d)" % (
        d.strftime("%a %Y-%m-%d %H:%M"), ":%02d" % d.second if d.second else "",
        d.tzname(), "-" if off < 0 else "+", a // 3600, a % 3600 // 60)


def epoch(s):
    return int(datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=ZoneInfo("UTC")).timestamp())


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def api_jobs(st):
    r = st.request("GET", "/jobs?limit=1000")
    assert r.status == 200, r
    return r


# The jobs made through the API: every schedule type, bot_config set, one disabled.
JOBS = [
    {"name": "Morning birthdays", "bot_type": "birthday", "schedule_type": "daily",
     "schedule_config": {"hour": 8, "minute": 0}, "timezone": "Europe/Paris",
     "bot_config": {"dry_run": True, "max_days_late": 3, "bot_mode": "standard"},
     "description": "Birthdays \u2014 every morning"},
    {"name": "Weekday visits", "bot_type": "visitor", "schedule_type": "weekly",
     "schedule_config": {"day_of_week": "mon-fri", "hour": 9, "minute": 30},
     "timezone": "America/New_York", "bot_config": {"limit": 20}, "max_instances": 2},
    {"name": "Every 90 minutes", "bot_type": "visitor", "schedule_type": "interval",
     "schedule_config": {"hours": 1, "minutes": 30}, "timezone": "UTC",
     "bot_config": {"limit": 5, "dry_run": False}, "misfire_grace_time": 60},
    {"name": "Quarter hours", "bot_type": "birthday", "schedule_type": "cron",
     "schedule_config": {"cron_expression": "*/15 8-18 * * 1-5"}, "timezone": "Asia/Tokyo",
     "coalesce": False, "description": "two lines:\nsecond"},
    {"name": "By hand only", "bot_type": "visitor", "schedule_type": "manual",
     "bot_config": {"dry_run": True}},
    {"name": "Switched off", "bot_type": "birthday", "schedule_type": "daily",
     "schedule_config": {"hour": 23, "minute": 59}, "enabled": False},
]


def test_init(t, st):
    conf, db = other_db(st, "fresh")
    r = cli(st, "init", conf=conf)
    t.eq((r.rc, r.out), (0, "database %s: created, schema version %d\n" % (db, SCHEMA)),
         "init: creates a database", r)
    r = cli(st, "init", conf=conf)
    t.eq((r.rc, r.out), (0, "database %s: schema version %d\n" % (db, SCHEMA)),
         "init again: the database is kept, nothing created", r)
    r = cli(st, "jobs", "list", conf=conf)
    t.eq((r.rc, r.out, r.err), (0, "", ""), "jobs list: an empty database lists nothing", r)
    r = cli(st, "export", conf=conf)
    t.eq((r.rc, r.out), (0, '{\n  "version": 1,\n  "jobs": []\n}\n'),
         "export: an empty database is an empty document", r)

    # A version 1 database, the schema as it first shipped, is upgraded in place.
    conf, db = other_db(st, "v1")
    v1_database(db)
    r = cli(st, "jobs", "list", conf=conf)
    t.ok(r.rc == 0, "a version 1 database opens (and is upgraded) for jobs list", r)
    conf2, db2 = other_db(st, "v1b")
    v1_database(db2)
    r = cli(st, "init", conf=conf2)
    t.ok(r.rc == 0 and r.out == "database %s: schema version %d\n" % (db2, SCHEMA) and
         "schema upgraded to version 2" in r.err and "schema upgraded to version %d" % SCHEMA in r.err,
         "init: upgrades an existing version 1 database, step by step, and says so", r)
    c = sqlite3.connect(db2)
    ver = c.execute("PRAGMA user_version").fetchone()[0]
    rows = c.execute("SELECT id, name FROM jobs").fetchall()
    c.close()
    t.eq((ver, rows), (SCHEMA, [("11111111-2222-4333-8444-555555555555", "survivor")]),
         "init: the upgraded database keeps its job")
    r = cli(st, "jobs", "list", conf=conf2)
    t.ok(r.rc == 0 and re.search(r"^11111111-2222-4333-8444-555555555555 +yes +birthday +"
                                 r"At 08:00, every day +- +survivor$", r.out, re.M),
         "jobs list: shows the upgraded job", r)


def make_jobs(t, st):
    ids = []
    for j in JOBS:
        r = st.request("POST", "/jobs", j)
        if not t.eq(r.status, 201, "API: create %r" % j["name"], r):
            raise SystemExit(1)
        ids.append(r.json()["id"])
    return ids


def test_jobs_list(t, st, ids):
    docs = {d["id"]: d for d in api_jobs(st).json()}
    r = cli(st, "jobs", "list")
    lines = r.out.splitlines()
    t.ok(r.rc == 0 and len(lines) == len(JOBS) + 1 and r.err == "",
         "jobs list: a header and one line per job", r)
    head = lines[0]
    cols = ["ID", "ENABLED", "BOT", "SCHEDULE", "NEXT RUN", "NAME"]
    t.ok(all(c in head for c in cols) and re.match(r"^ID +ENABLED +BOT +SCHEDULE +NEXT RUN +"
                                                    r"NAME$", head),
         "jobs list: header names the columns", head)
    starts = [head.index(c) for c in cols]
    want_rows = 0
    problems = []
    for line in lines[1:]:
        jid = line[:36]
        d = docs.get(jid)
        if d is None:
            problems.append("unknown id: " + line)
            continue
        cells = [line[starts[i]:starts[i + 1]].rstrip() if i + 1 < len(starts)
                 else line[starts[i]:] for i in range(len(starts))]
        nxt = local(epoch(d["next_run_at"]), d["timezone"]) if d["next_run_at"] else "-"
        want = [d["id"], "yes" if d["enabled"] else "no", d["bot_type"],
                d["schedule_description"], nxt, d["name"]]
        if cells != want:
            problems.append("want %r\ngot  %r" % (want, cells))
        else:
            want_rows += 1
    t.ok(want_rows == len(JOBS) and not problems,
         "jobs list: every column aligned, each row shows id, enabled, bot type, schedule "
         "in words, next run in the job's zone and name", *problems)
    # the same rows, spelled out for two of them
    t.ok(re.search(r"^%s +yes +birthday +At 08:00, every day +\w{3} \d{4}-\d\d-\d\d 08:00 "
                   r"CES?T \(\+0[12]:00\) +Morning birthdays$" % ids[0], r.out, re.M) and
         re.search(r"^%s +yes +visitor +Manually only +- +By hand only$" % ids[4], r.out,
                   re.M) and
         re.search(r"^%s +no +birthday +At 23:59, every day +- +Switched off$" % ids[5],
                   r.out, re.M),
         "jobs list: a daily job at 08:00 Paris time, a manual and a disabled job", r.out)
    # newest first, as the API lists them
    t.eq([l[:36] for l in lines[1:]], [d["id"] for d in api_jobs(st).json()],
         "jobs list: in the API's order (newest first)")

    r = cli(st, "jobs", "list", "--json")
    api = api_jobs(st)
    t.eq((r.rc, r.out), (0, api.body + "\n"),
         "jobs list --json: byte for byte what GET /jobs answers", r)
    t.eq(sorted(d["id"] for d in json.loads(r.out)), sorted(ids),
         "jobs list --json: a JSON array of every job")


def test_export(t, st, ids):
    r = cli(st, "export")
    t.ok(r.rc == 0 and r.err == "" and r.out.endswith("}\n"), "export: to standard output", r)
    doc = json.loads(r.out)
    t.eq(list(doc.keys()), ["version", "jobs"], "export: {\"version\", \"jobs\"}")
    t.eq(doc["version"], 1, "export: version 1")
    t.eq([j["id"] for j in doc["jobs"]], sorted(ids), "export: every job, sorted by id")
    t.ok(all(list(j.keys()) == EXPORT_KEYS for j in doc["jobs"]),
         "export: each job has exactly the fields a user sets, in a fixed order",
         [list(j.keys()) for j in doc["jobs"]][:1])
    api = {d["id"]: d for d in api_jobs(st).json()}
    mism = [(j["id"], k) for j in doc["jobs"] for k in EXPORT_KEYS if j[k] != api[j["id"]][k]]
    t.eq(mism, [], "export: every field as the API shows it (bot_config, schedule_config, "
         "created_at, created_by ...)")
    by = {j["name"]: j for j in doc["jobs"]}
    t.ok(by["Weekday visits"]["bot_config"] == {"limit": 20} and
         by["Weekday visits"]["schedule_config"] == {"day_of_week": "mon-fri", "hour": 9,
                                                     "minute": 30} and
         by["Every 90 minutes"]["misfire_grace_time"] == 60 and
         by["Quarter hours"]["coalesce"] is False and
         by["Switched off"]["enabled"] is False and by["By hand only"]["description"] is None
         and by["Morning birthdays"]["created_by"] == "test",
         "export: values round as set through the API", by)
    path = os.path.join(st.dir, "export.json")
    r2 = cli(st, "export", path)
    with open(path) as f:
        text = f.read()
    t.ok(r2.rc == 0 and r2.out == "" and text == r.out and
         not os.path.exists(path + ".tmp"),
         "export FILE: writes the same document to the file", r2)
    r3 = cli(st, "export")
    t.eq(r3.out, r.out, "export: deterministic (twice the same bytes)")
    return r.out


def test_round_trip(t, st, text):
    conf, db = other_db(st, "restore")
    cli(st, "init", conf=conf)
    path = write(os.path.join(st.dir, "round.json"), text)
    r = cli(st, "import", path, conf=conf)
    t.eq((r.rc, r.out), (0, "imported %d jobs: %d created, 0 replaced\n" %
                         (len(JOBS), len(JOBS))), "import FILE: into an empty database", r)
    r2 = cli(st, "export", conf=conf)
    t.ok(r2.rc == 0 and r2.out == text,
         "round trip: export, import into an empty database, export: byte-identical", r2)
    c = sqlite3.connect(db)
    rows = dict(c.execute("SELECT name, next_run_at IS NOT NULL FROM jobs").fetchall())
    c.close()
    t.eq(rows, {"Morning birthdays": 1, "Weekday visits": 1, "Every 90 minutes": 1,
                "Quarter hours": 1, "By hand only": 0, "Switched off": 0},
         "import: next runs computed as on create (none for manual and disabled jobs)")
    r3 = cli(st, "jobs", "list", conf=conf)
    t.eq(len(r3.out.splitlines()), len(JOBS) + 1, "import: the jobs list in the new database",
         r3)

    # stdin, and --replace of everything: nothing changes but updated_at
    r = cli(st, "import", "--replace", conf=conf, stdin=text)
    t.eq((r.rc, r.out), (0, "imported %d jobs: 0 created, %d replaced\n" %
                         (len(JOBS), len(JOBS))), "import --replace from standard input", r)
    r2 = cli(st, "export", "-", conf=conf)
    t.eq(r2.out, text, "round trip: import --replace of the same document changes nothing")

    # documents as the API writes them (GET /jobs) are accepted as they are
    conf3, db3 = other_db(st, "fromapi")
    cli(st, "init", conf=conf3)
    api = api_jobs(st).json()
    r = cli(st, "import", conf=conf3, stdin=json.dumps({"version": 1, "jobs": api}))
    r2 = cli(st, "export", conf=conf3)
    t.ok(r.rc == 0 and r2.out == text,
         "import: GET /jobs documents (server fields ignored) import to the same jobs", r, r2)
    return conf, db


def bad_import(t, st, name, doc, *expect, raw=None):
    """Imports a bad document into the stack's database: exit 2, every expected message,
    the database unchanged."""
    before = st.snapshot()
    text = raw if raw is not None else json.dumps(doc)
    r = cli(st, "import", stdin=text)
    missing = [e for e in expect if e not in r.err]
    t.ok(r.rc == 2 and not missing and r.out == "" and st.snapshot() == before,
         "import rejects %s: exit 2, says so, database unchanged" % name, r,
         "missing: %r" % missing)


def test_import_errors(t, st, text):
    doc = json.loads(text)
    good = {"name": "A good one", "bot_type": "visitor", "schedule_type": "manual"}
    bad_import(t, st, "an id that exists (without --replace)", doc,
               'jobs[0] ("%s"): id: job %s exists already (use --replace to update it)' %
               (doc["jobs"][0]["name"], doc["jobs"][0]["id"]),
               "nothing imported")
    bad_import(t, st, "a new job and one whose id exists (one transaction: rolled back)",
               {"version": 1, "jobs": [good, doc["jobs"][2]]},
               'jobs[1] ("%s"): id: job %s exists already' % (doc["jobs"][2]["name"],
                                                              doc["jobs"][2]["id"]),
               "nothing imported: 1 of 2 jobs clash with the database")
    bad_import(t, st, "an hour out of range, after a good job (all or nothing)",
               {"version": 1, "jobs": [good, {"name": "Late", "bot_type": "birthday",
                                              "schedule_type": "daily",
                                              "schedule_config": {"hour": 24}}]},
               'jobs[1] ("Late"): schedule_config.hour: must be between 0 and 23',
               "nothing imported: 1 of 2 jobs are invalid")
    bad_import(t, st, "every bad field of every job at once",
               {"version": 1, "jobs": [
                   {"name": "Typo", "bot_type": "birthday", "schedule_type": "manual",
                    "bot_config": {"dryrun": True}},
                   {"name": "Nowhere", "bot_type": "robot", "schedule_type": "manual",
                    "timezone": "Mars/Olympus"},
                   {"bot_type": "visitor", "schedule_type": "manual", "colour": "red"},
                   {"name": "Half", "bot_type": "visitor", "schedule_type": "daily",
                    "schedule_config": {"hour": 8.5}, "max_instances": 0},
                   {"name": "Never", "bot_type": "visitor", "schedule_type": "cron",
                    "schedule_config": {"cron_expression": "0 0 30 2 *"}},
                   "not an object"]},
               'jobs[0] ("Typo"): bot_config.dryrun', 'jobs[1] ("Nowhere"): bot_type: must '
               'be one of: birthday, visitor', 'jobs[1] ("Nowhere"): timezone:',
               "jobs[2]: name: field required", "jobs[2]: colour: extra fields not permitted",
               'jobs[3] ("Half"): schedule_config.hour: must be an integer',
               'jobs[3] ("Half"): max_instances: must be between 1 and 100',
               'jobs[4] ("Never"): schedule_config.cron_expression:',
               "jobs[5]: must be a JSON object", "nothing imported: 6 of 6 jobs are invalid")
    uid = "0b7a4f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
    bad_import(t, st, "the same id twice in the file",
               {"version": 1, "jobs": [dict(good, id=uid), dict(good, id=uid.upper())]},
               'jobs[1] ("A good one"): id: %s is also the id of jobs[0]' % uid)
    bad_import(t, st, "an id that is no UUID, a bad created_at and created_by",
               {"version": 1, "jobs": [dict(good, id="job-1", created_at="yesterday",
                                            created_by="a\u0007b")]},
               'jobs[0] ("A good one"): id: must be a UUID',
               'jobs[0] ("A good one"): created_at: must be a date-time',
               'jobs[0] ("A good one"): created_by:')
    bad_import(t, st, "malformed JSON", None, "standard input: line 2, column",
               "invalid JSON", raw='{"version": 1,\n "jobs": [}')
    bad_import(t, st, "a duplicate key", None, "duplicate object key",
               raw='{"version": 1, "jobs": [{"name": "a", "name": "b", "bot_type": '
                   '"visitor", "schedule_type": "manual"}]}')
    bad_import(t, st, "another version", {"version": 2, "jobs": []}, "version: must be 1")
    bad_import(t, st, "an unknown member", {"version": 1, "jobs": [], "extra": 1},
               "unknown member 'extra'")
    bad_import(t, st, "jobs that are not an array", {"version": 1, "jobs": {}},
               "jobs: must be an array")
    bad_import(t, st, "not an object at all", [], "expected an object")
    r = cli(st, "import", os.path.join(st.dir, "no-such-file.json"))
    t.ok(r.rc == 2 and "cannot open" in r.err, "import: a missing file is exit 2", r)


def test_replace(t, st, text):
    doc = json.loads(text)
    by = {j["name"]: j for j in doc["jobs"]}
    api = {d["id"]: d for d in api_jobs(st).json()}
    daily, interval = by["Morning birthdays"], by["Every 90 minutes"]
    # a run in the history, which a replace must keep
    r = st.request("POST", "/jobs/%s/run" % interval["id"])
    t.eq(r.status, 202, "API: run now (a history to keep)", r)
    time.sleep(1.1)		# updated_at must move
    new_daily = dict(daily, name="Morning birthdays (later)",
                     schedule_config={"hour": 10, "minute": 15},
                     bot_config={"dry_run": False})
    del new_daily["description"]
    new_interval = dict(interval, name="Every 90 minutes, renamed", created_by="mallory",
                        created_at="2001-01-01T00:00:00Z")
    fresh = {"name": "Imported without id", "bot_type": "birthday", "schedule_type": "cron",
             "schedule_config": {"cron_expression": "@daily"}}
    r = cli(st, "import", "--replace", stdin=json.dumps(
        {"version": 1, "jobs": [new_daily, new_interval, fresh]}))
    t.eq((r.rc, r.out), (0, "imported 3 jobs: 1 created, 2 replaced\n"),
         "import --replace: existing ids updated, a job without id created", r)
    now = {d["id"]: d for d in api_jobs(st).json()}
    d, i = now[daily["id"]], now[interval["id"]]
    t.ok(d["name"] == "Morning birthdays (later)" and d["schedule_config"] ==
         {"hour": 10, "minute": 15} and d["bot_config"] == {"dry_run": False} and
         d["description"] is None and d["timezone"] == "Europe/Paris",
         "import --replace: the whole document replaces the settings (absent description: "
         "none)", d)
    t.ok(d["next_run_at"] != api[daily["id"]]["next_run_at"] and
         local(epoch(d["next_run_at"]), "Europe/Paris")[15:20] == "10:15",
         "import --replace: a changed schedule gets its next run recomputed", d)
    t.ok(i["name"] == "Every 90 minutes, renamed" and
         i["next_run_at"] == api[interval["id"]]["next_run_at"] and
         i["created_at"] == api[interval["id"]]["created_at"] and i["created_by"] == "test"
         and i["updated_at"] != api[interval["id"]]["updated_at"],
         "import --replace: an unchanged schedule keeps its next run; created_at and "
         "created_by stay", i, api[interval["id"]])
    h = st.request("GET", "/jobs/%s/history" % interval["id"]).json()
    t.eq(len(h), 1, "import --replace: the job's run history is kept")
    news = [x for x in now.values() if x["name"] == "Imported without id"]
    t.ok(len(news) == 1 and news[0]["schedule_config"] == {"cron_expression": "@daily"} and
         news[0]["created_by"] is None and news[0]["timezone"] == "Europe/Paris",
         "import: a job without id gets a new one, the default zone", news)


CRONTAB = """\
# m h  dom mon dow   command
SHELL=/bin/bash
MAILTO="ops@example.com"

0 8 * * 1-5\t/usr/local/bin/birthdays --send   # weekdays only
*/15 9-17 * * *  /usr/local/bin/visit --limit 20
  @daily /usr/local/bin/cleanup --old
CRON_TZ = "America/New_York"
30 6 1 * * /opt/report.sh > /var/log/report.log 2>&1
@WEEKLY\t\t/opt/weekly.sh
CRON_TZ=
@hourly /opt/hourly
"""
BAD_LINES = """\
@reboot /opt/start-daemon
61 * * * * /opt/bad-minute
* * * /opt/too-few-fields
@every /opt/unknown-macro
TZ=Mars/Olympus
"""


def test_crontab(t, st):
    path = write(os.path.join(st.dir, "crontab"), CRONTAB)
    before = st.snapshot()
    r = cli(st, "import-crontab", path, "--bot", "visitor", "--tz", "Europe/Paris",
            "--dry-run")
    lines = r.out.splitlines()
    want = [("5", "0 8 * * 1-5", "Europe/Paris", "At 08:00, Monday through Friday",
             "/usr/local/bin/birthdays --send # weekdays only"),
            ("6", "*/15 9-17 * * *", "Europe/Paris",
             "Every 15 minutes, between 09:00 and 17:59", "/usr/local/bin/visit --limit 20"),
            ("7", "@daily", "Europe/Paris", "At 00:00, every day",
             "/usr/local/bin/cleanup --old"),
            ("9", "30 6 1 * *", "America/New_York", "At 06:30 on day 1 of the month",
             "/opt/report.sh > /var/log/report.log 2>&1"),
            ("10", "@WEEKLY", "America/New_York", "At 00:00 on Sunday", "/opt/weekly.sh"),
            ("12", "@hourly", "Europe/Paris", "Every hour", "/opt/hourly")]
    got = []
    for l in lines[1:-1]:
        m = re.match(r"^(\d+) +(\S+(?: \S+){4}|@\w+) +(\S+) +(.*?) +(\w{3} \d{4}-\d\d-\d\d "
                     r"\d\d:\d\d \S+ \([+-]\d\d:\d\d\)) +(.*)$", l)
        got.append(m and (m.group(1), m.group(2), m.group(3), m.group(4), m.group(6)))
    t.ok(r.rc == 0 and lines[0].split() == ["LINE", "CRON", "ZONE", "SCHEDULE", "NEXT",
                                            "RUN", "NAME"] and got == want and
         lines[-1] == "dry run: would create 6 jobs of bot type visitor",
         "import-crontab --dry-run: each line's schedule, zone (CRON_TZ), words, next run "
         "and name", r, "want %r" % want, "got  %r" % got)
    t.ok(st.snapshot() == before, "import-crontab --dry-run: writes nothing")
    t.ok("crontab:2: note: SHELL ignored" in r.err and "MAILTO" not in r.err,
         "import-crontab: SHELL noted as ignored, MAILTO ignored silently", r.err)

    # the bad lines: each reported with its line number, nothing written
    bad = write(os.path.join(st.dir, "crontab.bad"), CRONTAB + BAD_LINES)
    r = cli(st, "import-crontab", bad, "--bot", "visitor")
    msgs = ["crontab.bad:13: @reboot cannot be imported",
            "crontab.bad:14: '61 * * * *': minute: 61 is out of range 0-59",
            "crontab.bad:15: expected five time fields",
            "crontab.bad:16: '@every': expression: unknown macro '@every'",
            "crontab.bad:17: TZ: 'Mars/Olympus' is not a known IANA zone",
            "nothing imported: 5 bad lines"]
    missing = [m for m in msgs if m not in r.err]
    t.ok(r.rc == 2 and not missing and r.out == "" and st.snapshot() == before,
         "import-crontab: @reboot refused, bad lines named by number, nothing written", r,
         "missing: %r" % missing)

    # the good crontab, for real
    r = cli(st, "import-crontab", path, "--bot", "visitor", "--tz", "Europe/Paris")
    t.ok(r.rc == 0 and r.out.splitlines()[-1] == "created 6 jobs of bot type visitor" and
         r.out.splitlines()[0].split()[0] == "ID",
         "import-crontab: creates the jobs and lists them with their ids", r)
    made = {x.split()[0] for x in r.out.splitlines()[1:-1]}
    jobs = {d["id"]: d for d in api_jobs(st).json() if d["id"] in made}
    rows = sorted((d["schedule_config"]["cron_expression"], d["timezone"], d["description"],
                   d["name"], d["bot_type"], d["schedule_type"]) for d in jobs.values())
    raw = {"5": "/usr/local/bin/birthdays --send   # weekdays only"}	# blanks kept
    exp = sorted((w[1], w[2], raw.get(w[0], w[4]), w[4], "visitor", "cron") for w in want)
    t.eq(rows, exp, "import-crontab: cron jobs of the bot type, named after their command (blanks "
         "squeezed), the command as written in the description, macros kept")
    t.ok(all(d["next_run_at"] for d in jobs.values()) and len(jobs) == 6,
         "import-crontab: next runs computed", jobs)

    # --skip-bad and --prefix
    before = st.snapshot()
    r = cli(st, "import-crontab", bad, "--bot", "birthday", "--prefix", "legacy",
            "--skip-bad", "--tz=UTC")
    names = sorted(d["name"] for d in api_jobs(st).json() if d["name"].startswith("legacy-"))
    t.ok(r.rc == 0 and "crontab.bad:13: @reboot" in r.err and
         r.out.splitlines()[-1] == "created 6 jobs of bot type birthday (bad lines skipped)"
         and names == sorted("legacy-%s" % w[0] for w in want),
         "import-crontab --skip-bad --prefix: good lines imported as PREFIX-LINE, bad ones "
         "reported", r, names)
    zones = sorted(d["timezone"] for d in api_jobs(st).json()
                   if d["name"].startswith("legacy-"))
    t.eq(zones, ["America/New_York"] * 2 + ["UTC"] * 4,
         "import-crontab --tz: the zone of lines before CRON_TZ and after it is emptied")

    before = st.snapshot()
    r = cli(st, "import-crontab", path, "--bot", "robot")
    t.ok(r.rc == 2 and "no bot type 'robot'" in r.err and st.snapshot() == before,
         "import-crontab: an unknown bot type is exit 2", r)
    long_cmd = "0 3 * * * /bin/echo " + "x" * 400 + "\n"
    r = cli(st, "import-crontab", "-", "--bot", "visitor", "--dry-run", stdin=long_cmd)
    name = r.out.splitlines()[1].split("  ")[-1] if r.rc == 0 else ""
    t.ok(r.rc == 0 and len(name) == 200 and name.endswith("\u2026"),
         "import-crontab: a long command makes a name of 200 characters", r)


def test_audit(t, st):
    """Every job an import makes or replaces writes one line to stderr, as all the CLI's log
    lines are prefixed: "autosched: audit: USER VERB job ID (NAME) via cli", USER being the
    Unix user running it. A refused import writes none."""
    conf, db = other_db(st, "audit")
    cli(st, "init", conf=conf)
    who = pwd.getpwuid(os.geteuid()).pw_name
    line = lambda verb, jid, name: "autosched: audit: %s %s job %s (%s) via cli" % (
        who, verb, jid, name)
    audit = lambda r: sorted(l for l in r.err.splitlines() if "audit: " in l)
    a, b, c = ("a0d1e2f3-0000-4000-8000-00000000000%d" % i for i in (1, 2, 3))
    job = {"bot_type": "visitor", "schedule_type": "manual"}
    doc = {"version": 1, "jobs": [dict(job, id=a, name="Audit one"),
                                  dict(job, id=b, name="Audit two")]}
    r = cli(st, "import", conf=conf, stdin=json.dumps(doc))
    t.eq((r.rc, audit(r)), (0, sorted([line("created", a, "Audit one"),
                                       line("created", b, "Audit two")])),
         "audit: import of 2 jobs: 2 lines, created, the Unix user, via cli", r)
    r = cli(st, "import", conf=conf, stdin=json.dumps(doc))
    t.eq((r.rc, audit(r)), (2, []), "audit: a refused import (ids exist): no line", r)
    r = cli(st, "import", "--replace", conf=conf, stdin=json.dumps(
        {"version": 1, "jobs": [dict(job, id=a, name="Audit one, replaced"),
                                dict(job, id=c, name="Audit three")]}))
    t.eq((r.rc, audit(r)), (0, sorted([line("replaced", a, "Audit one, replaced"),
                                       line("created", c, "Audit three")])),
         "audit: import --replace: replaced for the job that was there, created for the new",
         r)
    r = cli(st, "import", "--replace", conf=conf, stdin=json.dumps(
        {"version": 1, "jobs": [dict(job, id=b, name="Audit two, bad", max_instances=0)]}))
    t.eq((r.rc, audit(r)), (2, []), "audit: a refused import --replace (invalid): no line", r)
    crontab = "0 8 * * 1-5 /opt/audit-one\n30 9 * * * /opt/audit-two --x\n"
    r = cli(st, "import-crontab", "-", "--bot", "visitor", "--dry-run", conf=conf,
            stdin=crontab)
    t.eq((r.rc, audit(r)), (0, []), "audit: import-crontab --dry-run: no line", r)
    r = cli(st, "import-crontab", "-", "--bot", "visitor", conf=conf,
            stdin=crontab + "61 * * * * /opt/bad\n")
    t.eq((r.rc, audit(r)), (2, []), "audit: a refused import-crontab (a bad line): no line", r)
    r = cli(st, "import-crontab", "-", "--bot", "visitor", conf=conf, stdin=crontab)
    c2 = sqlite3.connect(db)
    made = c2.execute("SELECT id, name FROM jobs WHERE schedule_type = 'cron'").fetchall()
    c2.close()
    t.eq((r.rc, len(made), audit(r)), (0, 2, sorted(line("created", i, n) for i, n in made)),
         "audit: import-crontab of 2 lines: 2 lines, created", r)


def test_jobs_delete(t, st):
    """jobs delete ID: the job and its pending runs go; a run already queued in Redis is left
    for schedd to take back (a withdrawals row), and with no schedd to do it, the command says
    so after its wait instead of claiming the run will not start."""
    conf, db = other_db(st, "delete")
    cli(st, "init", conf=conf)
    who = pwd.getpwuid(os.geteuid()).pw_name
    a, b = ("d0d1e2f3-0000-4000-8000-00000000000%d" % i for i in (1, 2))
    job = {"bot_type": "visitor", "schedule_type": "manual"}
    r = cli(st, "import", conf=conf, stdin=json.dumps(
        {"version": 1, "jobs": [dict(job, id=a, name="Quiet one"),
                                dict(job, id=b, name="Busy one")]}))
    t.eq(r.rc, 0, "jobs delete: two jobs to delete", r)
    c = sqlite3.connect(db)
    now = int(time.time())
    for jid, rid, status in ((a, "e0000000-0000-4000-8000-000000000001", "pending"),
                             (b, "e0000000-0000-4000-8000-000000000002", "pending"),
                             (b, "e0000000-0000-4000-8000-000000000003", "queued")):
        c.execute("INSERT INTO runs (id, job_num, job_id, trigger, scheduled_for, created_at, "
                  "status, rq_queue) SELECT ?, num, id, 'manual', ?, ?, ?, ? FROM jobs "
                  "WHERE id = ?", (rid, now + len(rid) + ord(rid[-1]), now, status,
                                   "default" if status == "queued" else None, jid))
    c.commit()
    c.close()

    started = time.monotonic()
    r = cli(st, "jobs", "delete", a.upper(), conf=conf)
    quick = time.monotonic() - started
    t.eq((r.rc, r.out), (0, "deleted job %s (Quiet one)\n" % a),
         "jobs delete: deletes the job (an id in any case) and says which", r)
    t.ok("autosched: audit: %s deleted job %s (Quiet one) via cli" % (who, a) in r.err,
         "jobs delete: the audit line names the Unix user and the door", r)
    t.ok(quick < 4, "jobs delete: with only a pending run, nothing to wait for (%.1f s)" % quick)

    started = time.monotonic()
    r = cli(st, "jobs", "delete", b, conf=conf)
    waited = time.monotonic() - started
    t.ok(r.rc == 0 and r.out == "deleted job %s (Busy one)\n" % b and
         "1 of its runs queued in Redis are still to be taken back by schedd" in r.err,
         "jobs delete: a queued run and no schedd to take it back: deleted, and it says "
         "the run may still start (after %.1f s)" % waited, r)
    c = sqlite3.connect(db)
    left = c.execute("SELECT job_id, job_name, queue, status FROM withdrawals").fetchall()
    runs = c.execute("SELECT count(*) FROM runs").fetchone()[0]
    jobs = c.execute("SELECT count(*) FROM jobs").fetchone()[0]
    c.close()
    t.eq((jobs, runs, left), (0, 0, [(b, "Busy one", "default", "queued")]),
         "jobs delete: the jobs and their runs are gone; the queued run waits in withdrawals "
         "for schedd")
    r = cli(st, "jobs", "delete", b, conf=conf)
    t.eq((r.rc, r.out, r.err), (1, "", "autosched: jobs delete: no job %s\n" % b),
         "jobs delete: an unknown job is exit 1 and says so", r)
    r = cli(st, "jobs", "delete", "not-an-id", conf=conf)
    t.eq((r.rc, r.out, r.err), (2, "", "autosched: jobs delete: not-an-id is not a job id "
                                        "(a UUID)\n"), "jobs delete: a malformed id is exit 2",
         r)


WRITER = r"""
import json, os, sqlite3, sys, time, uuid
db, stop, log = sys.argv[1:4]
c = sqlite3.connect(db, timeout=10, isolation_level=None)
c.execute("PRAGMA busy_timeout = 10000")
c.execute("PRAGMA synchronous = FULL")
row = c.execute("SELECT name, bot_type, schedule_type, schedule_config, schedule_anchor, "
                "bot_config, timezone FROM jobs ORDER BY num LIMIT 1").fetchone()
times = []
worst = 0.0
n = 0
while not os.path.exists(stop):
    t0 = time.time()
    c.execute("INSERT INTO jobs (id, name, bot_type, enabled, schedule_type, schedule_config, "
              "schedule_anchor, bot_config, timezone, created_at, updated_at, max_instances, "
              "misfire_grace_time, coalesce) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, 1, 3600, 1)",
              (str(uuid.uuid4()), "writer %d" % n) + row[1:] + (int(t0), int(t0)))
    t1 = time.time()
    worst = max(worst, t1 - t0)
    times.append(t1)
    n += 1
with open(log, "w") as f:
    json.dump({"n": n, "worst": worst, "times": times}, f)
"""


def test_backup(t, st):
    # A database of some size, so that the copy takes many steps.
    many = {"version": 1, "jobs": [
        {"name": "bulk %05d" % i, "bot_type": "visitor", "schedule_type": "cron",
         "schedule_config": {"cron_expression": "%d %d * * *" % (i % 60, i % 24)},
         "description": "padding " * 20, "bot_config": {"limit": 1 + i % 1000}}
        for i in range(12000)]}
    r = cli(st, "import", stdin=json.dumps(many))
    t.ok(r.rc == 0, "backup: 12,000 jobs imported first", r)

    stop = os.path.join(st.dir, "writer.stop")
    log = os.path.join(st.dir, "writer.json")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, st.db, stop, log],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    count = lambda: st.sql("SELECT count(*) FROM jobs")[0][0]
    windows = []
    results = []
    try:
        start_count = count()
        wait_until(lambda: count() > start_count + 20 or writer.poll() is not None, 30)
        for k in range(3):
            path = os.path.join(st.dir, "backup-%d.db" % k)
            c0 = count()
            t0 = time.time()
            r = cli(st, "backup", path)
            t1 = time.time()
            c1 = count()
            windows.append((t0, t1))
            results.append((path, r, c0, c1))
    finally:
        open(stop, "w").close()
        try:
            out, err = writer.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            writer.kill()
            out, err = writer.communicate()
    with open(log) as f:
        wlog = json.load(f)
    during = sum(1 for x in wlog["times"] for (a, b) in windows if a < x < b)
    t.ok(writer.returncode == 0 and wlog["n"] > 50 and during > 0,
         "backup: the writer kept inserting jobs while the copies were taken (%d inserts "
         "during the backups, %d in all)" % (during, wlog["n"]), err, windows)
    t.ok(wlog["worst"] < 2.0, "backup: no insert waited long for the backup (worst %.3f s)"
         % wlog["worst"])
    for k, (path, r, c0, c1) in enumerate(results):
        m = re.match(r"^(.*): a copy of (.*), (\d+) pages of (\d+) bytes \((\d+) KiB\), "
                     r"copied in (\d+) steps\nintegrity_check: ok\n$", r.out)
        t.ok(r.rc == 0 and m and m.group(1) == path and m.group(2) == st.db and
             int(m.group(6)) > 1 and int(m.group(3)) * int(m.group(4)) ==
             os.path.getsize(path),
             "backup %d: written in several steps, integrity_check ok reported" % k, r)
        c = sqlite3.connect(path)
        try:
            check = c.execute("PRAGMA integrity_check").fetchall()
            mode = c.execute("PRAGMA journal_mode").fetchone()[0]
            n = c.execute("SELECT count(*) FROM jobs").fetchone()[0]
            names = c.execute("SELECT count(*) FROM jobs WHERE name LIKE 'writer %'"
                              ).fetchone()[0]
        finally:
            c.close()
        t.ok(check == [("ok",)] and mode == "delete" and c0 <= n <= c1 and names > 0 and
             not any(os.path.exists(path + x) for x in (".tmp", "-wal", "-journal")),
             "backup %d: the copy passes integrity_check, is one file, and holds one "
             "instant of the database (%d <= %d <= %d jobs)" % (k, c0, n, c1), check, mode)
    path, r, c0, c1 = results[-1]
    conf = os.path.join(st.dir, "backup.conf")
    with open(st.conf) as f:
        write(conf, f.read().replace("path = " + st.db, "path = " + path))
    c = sqlite3.connect(path)
    n = c.execute("SELECT count(*) FROM jobs").fetchone()[0]
    c.close()
    r = cli(st, "jobs", "list", conf=conf)
    t.ok(r.rc == 0 and len(r.out.splitlines()) == n + 1,
         "backup: opens with `autosched -c` pointing at it, and lists its %d jobs" % n, r.err)
    r = cli(st, "export", conf=conf)
    t.ok(r.rc == 0 and len(json.loads(r.out)["jobs"]) == n, "backup: exports", r.err)

    # never overwritten without --force
    digest = sha(path)
    r = cli(st, "backup", path)
    t.ok(r.rc == 1 and "exists: not overwritten (use --force" in r.err and sha(path) == digest
         and not os.path.exists(path + ".tmp"),
         "backup: refuses to overwrite an existing file (exit 1, file unchanged)", r)
    st.request("POST", "/jobs", JOBS[0])
    r = cli(st, "backup", "--force", path)
    c = sqlite3.connect(path)
    n2 = c.execute("SELECT count(*) FROM jobs").fetchone()[0]
    c.close()
    t.ok(r.rc == 0 and sha(path) != digest and n2 == count(),
         "backup --force: replaces it with a new copy", r)
    r = cli(st, "backup", "--force", st.db)
    t.ok(r.rc == 1 and "is the database itself" in r.err and count() == n2,
         "backup: never over the database itself, even with --force", r)
    stale = os.path.join(st.dir, "stale.db")
    write(stale + ".tmp", "left over")
    r = cli(st, "backup", stale)
    t.ok(r.rc == 1 and "stale.db.tmp' exists" in r.err and not os.path.exists(stale),
         "backup: a FILE.tmp in the way (another backup?) is not touched", r)
    r = cli(st, "backup", "--force", stale)
    t.ok(r.rc == 0 and os.path.exists(stale) and not os.path.exists(stale + ".tmp"),
         "backup --force: clears a stale FILE.tmp", r)
    conf, db = other_db(st, "missing")
    r = cli(st, "backup", os.path.join(st.dir, "x.db"), conf=conf)
    t.ok(r.rc == 1 and "no database at" in r.err and not os.path.exists(db),
         "backup: no database, no copy (and none created)", r)
    os.chmod(st.db, 0o640)
    p3 = os.path.join(st.dir, "mode.db")
    r = cli(st, "backup", p3)
    t.ok(r.rc == 0 and os.stat(p3).st_mode & 0o777 == 0o640,
         "backup: the copy gets the database's permissions", oct(os.stat(p3).st_mode))


def test_redis_secret(t, st):
    """A Redis password in a malformed address is never printed by a configuration error."""
    with open(st.conf) as f:
        text = f.read()
    for spec, name in [("redis://s3cret-pw@localhost:notaport", "no colon before the @"),
                       ("redis://:s3cret-pw@localhost:notaport", "a bad port"),
                       ("redis://u:s3cret-pw@localhost/db9", "a bad database")]:
        conf = os.path.join(st.dir, "redis-secret.conf")
        with open(conf, "w") as f:
            f.write(text + "\n[schedd]\nredis = %s\n" % spec)
        r = cli(st, "check-config", conf=conf)
        t.ok(r.rc == 1 and "redis" in r.err and "s3cret-pw" not in r.err + r.out and
             "***" in r.err, "check-config: %s: the error shows the address without its "
             "password" % name, r)


def test_usage(t, st):
    cases = [["jobs"], ["jobs", "frob"], ["jobs", "list", "--yaml"], ["jobs", "delete"],
             ["jobs", "delete", "a", "b"], ["export", "a", "b"],
             ["export", "--pretty"], ["import", "--merge"], ["import", "a", "b"],
             ["import-crontab"], ["import-crontab", "f"], ["import-crontab", "f", "--bot"],
             ["import-crontab", "f", "--bot", "visitor", "--prefix", ""],
             ["import-crontab", "f", "g", "--bot", "visitor"],
             ["import-crontab", "f", "--bot", "visitor", "--wat"], ["backup"],
             ["backup", "a", "b"], ["backup", "--zip", "a"], ["backup", "-"]]
    bad = []
    for c in cases:
        r = cli(st, *c)
        if r.rc != 2 or "usage:" not in r.err or r.out != "":
            bad.append("%r: %r" % (c, r))
    t.ok(not bad, "bad usage: exit 2 with the usage on stderr (%d cases)" % len(cases), *bad)
    r = cli(st, "import-crontab", "/dev/null", "--bot", "visitor", "--tz", "Nowhere/Else")
    t.ok(r.rc == 2 and "timezone: 'Nowhere/Else'" in r.err, "import-crontab: a bad --tz is "
         "exit 2", r)
    r = cli(st, "help")
    t.ok(r.rc == 0 and all(s in r.out for s in (
        "autosched [-c CONFIG] jobs list [--json] | delete ID", "autosched [-c CONFIG] export [FILE]",
        "autosched [-c CONFIG] import [FILE] [--replace]",
        "autosched [-c CONFIG] import-crontab FILE --bot TYPE [--tz ZONE] [--prefix NAME]",
        "[--dry-run] [--skip-bad]", "autosched [-c CONFIG] backup FILE [--force]")),
        "help: lists the operations commands", r.out)
    r = cli(st, "import", "--help")
    t.ok(r.rc == 0 and "usage:" in r.out, "import --help: the usage, exit 0", r)


def main():
    bindir = sys.argv[1]
    t = Tap()
    st = Installation(bindir)
    try:
        test_init(t, st)
        ids = make_jobs(t, st)
        test_jobs_list(t, st, ids)
        text = test_export(t, st, ids)
        test_round_trip(t, st, text)
        test_import_errors(t, st, text)
        test_replace(t, st, text)
        test_crontab(t, st)
        test_redis_secret(t, st)
        test_usage(t, st)
        test_audit(t, st)
        test_jobs_delete(t, st)
        test_backup(t, st)
    finally:
        st.finish(t)
        t.eq(SAN_SEEN, [], "sanitizers: no report from any autosched run")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
