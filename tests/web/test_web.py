"""autosched dashboard tests over HTTP: sign-in, cookies, sessions, CSRF, throttling, the
form parser and bad input, the audit line of each change, and the answers when the store
fails, through lighttpd (deploy/lighttpd.conf) and as plain CGI.

    /usr/bin/python3 tests/web/test_web.py BINDIR

The browser tests (tests/browser) drive the pages as a person does; these look at the
exact answers: status codes, headers, cookies, and what the database holds after.
"""
import html
import http.client
import json
import re
import sys
import time
import urllib.parse

from harness import AuditWatch, Stack, Tap, cgi

WEB = "/automation"
PASSWORD = "alice's long password"


class Client:
    """One browser's worth of cookies, talking to lighttpd; no redirect is followed."""

    def __init__(self, stack, source="127.0.0.1"):
        self.stack = stack
        self.source = source		# the client's address: all of 127/8 is ours
        self.cookies = {}

    def request(self, method, path, form=None, body=None, headers=None, raw=False):
        h = dict(headers or {})
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if isinstance(body, str):
            body = body.encode()
        if self.cookies and "Cookie" not in h:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        c = http.client.HTTPConnection("127.0.0.1", self.stack.port, timeout=30,
                                       source_address=(self.source, 0))
        try:
            c.request(method, path if raw else WEB + path, body=body, headers=h)
            r = c.getresponse()
            data = r.read().decode("utf-8", "replace")
            set_cookies = [v for k, v in r.getheaders() if k.lower() == "set-cookie"]
            for sc in set_cookies:
                name, _, rest = sc.partition("=")
                value = rest.split(";", 1)[0]
                if "Max-Age=0" in sc:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            r.body = data
            r.set_cookies = set_cookies
            return r
        finally:
            c.close()

    def csrf(self, path="/"):
        r = self.request("GET", path)
        m = re.search(r'name="_csrf" value="([^"]+)"', r.body)
        return m.group(1) if m else None

    def sign_in(self, user="alice", password=PASSWORD, next_path=None):
        token = self.csrf("/login")
        form = {"_csrf": token, "user": user, "password": password}
        if next_path is not None:
            form["next"] = next_path
        return self.request("POST", "/login", form=form)


def count_jobs(stack):
    return stack.sql("SELECT count(*) FROM jobs")[0][0]


def test_sign_in(t, s):
    c = Client(s)
    r = c.request("GET", "/")
    t.eq(r.status, 303, "signed out, GET / is a redirect")
    t.eq(r.getheader("Location"), WEB + "/login?next=%2F", "to sign-in, coming back to /")
    r = c.request("GET", "/jobs/new?x=1&y=%C3%A9")
    t.eq(r.getheader("Location"), WEB + "/login?next=%2Fjobs%2Fnew%3Fx%3D1%26y%3D%25C3%25A9",
         "the way back keeps the query, encoded")
    r = c.request("GET", "/login")
    t.eq(r.status, 200, "the sign-in page")
    t.ok(any(sc.startswith("autosched_login=") and "HttpOnly" in sc and
             "SameSite=Strict" in sc and "Path=" + WEB in sc for sc in r.set_cookies),
         "it sets the double-submit cookie", r.set_cookies)
    csp = r.getheader("Content-Security-Policy")
    t.ok("script-src 'self'" in csp and "default-src 'none'" in csp and
         "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp,
         "pages carry a strict Content-Security-Policy", csp)
    token = re.search(r'name="_csrf" value="([^"]+)"', r.body).group(1)

    # the double-submit token
    bare = Client(s)
    r = bare.request("POST", "/login", form={"_csrf": token, "user": "alice",
                                             "password": PASSWORD})
    t.eq(r.status, 403, "sign-in without the login cookie is refused")
    t.ok("autosched_session" not in bare.cookies, "and signs nobody in")
    r = c.request("POST", "/login", form={"_csrf": token[:-1] + ("A" if token[-1] != "A"
                                                                 else "B"),
                                          "user": "alice", "password": PASSWORD})
    t.eq(r.status, 403, "sign-in with a token that is not the cookie's is refused")
    r = c.request("POST", "/login", form={"user": "alice", "password": PASSWORD})
    t.eq(r.status, 403, "sign-in without a token is refused")

    r = c.sign_in(password="not it")
    t.eq(r.status, 403, "a wrong password is refused")
    t.ok("wrong" in r.body and 'value="alice"' in r.body,
         "it says so and keeps the user name", r.body[-600:])
    r = c.sign_in(user="nobody")
    t.eq(r.status, 403, "an unknown user is refused alike")
    r = c.sign_in(user="", password="")
    t.eq(r.status, 422, "empty fields are asked for")

    r = c.sign_in(next_path="/jobs/new")
    t.eq(r.status, 303, "the right password signs in")
    t.eq(r.getheader("Location"), WEB + "/jobs/new", "and goes back where it was asked")
    sc = [x for x in r.set_cookies if x.startswith("autosched_session=")]
    t.ok(sc and "HttpOnly" in sc[0] and "SameSite=Strict" in sc[0] and
         "Path=" + WEB in sc[0] and "Max-Age=43200" in sc[0] and "Secure" not in sc[0],
         "the session cookie: HttpOnly, SameSite=Strict, the mount, 12 h, not Secure over "
         "plain HTTP", sc)
    token = c.cookies["autosched_session"]
    t.ok(len(token) == 44 and re.fullmatch(r"[A-Za-z0-9_-]+", token),
         "the session id is 44 random base64url characters", token)
    rows = s.sql("SELECT hex(id_hash), user, expires_at - created_at FROM sessions")
    t.eq(len(rows), 1, "one session row")
    t.ok(token.encode().hex().upper() not in rows[0][0] and len(rows[0][0]) == 64,
         "the database keeps the id's SHA-256, not the id", rows)
    t.eq((rows[0][1], rows[0][2]), ("alice", 43200), "for alice, for session_hours")
    r = c.request("GET", "/")
    t.eq(r.status, 200, "signed in, the list answers")
    t.ok("Signed in as <strong>alice</strong>" in r.body, "and says who is signed in")

    for nxt in ("//evil.example/", "https://evil.example/", "/\\evil", "javascript:x"):
        o = Client(s)
        r = o.sign_in(next_path=nxt)
        t.eq(r.getheader("Location"), WEB + "/", "next=%s does not leave the site" % nxt)
    return c


def test_csrf(t, s, c):
    token = c.csrf()
    n = count_jobs(s)
    form = {"name": "x", "bot_type": "visitor", "schedule_type": "manual", "enabled": "1"}
    r = c.request("POST", "/jobs", form=form)
    t.eq(r.status, 403, "a POST without the CSRF token is refused")
    r = c.request("POST", "/jobs", form=dict(form, _csrf="x" * 44))
    t.eq(r.status, 403, "a POST with a wrong CSRF token is refused")
    other = Client(s)
    other.sign_in()
    r = c.request("POST", "/jobs", form=dict(form, _csrf=other.csrf()))
    t.eq(r.status, 403, "another session's token is refused")
    t.eq(count_jobs(s), n, "and nothing was created")
    r = c.request("POST", "/jobs", form=dict(form, _csrf=token))
    t.eq(r.status, 303, "with its token, the POST goes through")
    t.eq(count_jobs(s), n + 1, "and creates the job")
    job = s.sql("SELECT id, created_by FROM jobs ORDER BY num DESC LIMIT 1")[0]
    t.eq(job[1], "alice", "created_by is the signed-in user")
    t.eq(r.getheader("Location"), WEB + "/jobs/%s?done=created&job=%s" % (job[0], job[0]),
         "POST, then redirect to the job")
    for path in ("/jobs/%s/toggle" % job[0], "/jobs/%s/run" % job[0],
                 "/jobs/%s/delete" % job[0], "/jobs/%s" % job[0], "/logout"):
        r = c.request("POST", path, form={"name": "y"})
        t.eq(r.status, 403, "POST %s without the token is refused" % path.replace(job[0],
                                                                                 "{id}"))
    t.eq(s.sql("SELECT name, enabled FROM jobs WHERE id = ?", job[0]), [("x", 1)],
         "and changed nothing")
    return job[0]


def test_session_end(t, s):
    c = Client(s)
    c.sign_in()
    t.eq(c.request("GET", "/").status, 200, "a fresh session works")
    s.sql("UPDATE sessions SET expires_at = strftime('%s', 'now') - 1")
    r = c.request("GET", "/")
    t.eq(r.status, 303, "an expired session is signed out")
    t.ok(r.getheader("Location").startswith(WEB + "/login"), "to sign-in")
    c2 = Client(s)
    c2.sign_in()
    token = c2.csrf()
    r = c2.request("POST", "/logout", form={"_csrf": token})
    t.eq(r.status, 303, "sign out")
    t.eq(r.getheader("Location"), WEB + "/login?done=signedout", "to sign-in, saying so")
    t.ok("autosched_session" not in c2.cookies, "the cookie is deleted")
    t.eq(s.sql("SELECT count(*) FROM sessions WHERE user = 'alice' AND expires_at > "
               "strftime('%s', 'now')")[0][0], 0, "and the session row too")
    r = c2.request("GET", "/login?done=signedout")
    t.ok("Signed out." in r.body, "the sign-in page says it")
    # the old cookie value no longer works
    r = c2.request("GET", "/", headers={"Cookie": "autosched_session=" + "A" * 44})
    t.eq(r.status, 303, "an unknown session id is signed out")


def test_cookies(t, s):
    c = Client(s)
    c.sign_in()
    tok = c.cookies["autosched_session"]
    for header, want, name in [
            ("a=1; autosched_session=%s; b=2" % tok, 200, "among other cookies"),
            ("autosched_session=%s" % tok, 200, "alone"),
            ("a=1;autosched_session=%s" % tok, 200, "without a space"),
            ("xautosched_session=%s" % tok, 303, "a cookie whose name only ends the same"),
            ("autosched_session=%s" % tok[:-1], 303, "a shortened id"),
            ("autosched_session=", 303, "an empty value"),
            ("autosched_session", 303, "no value at all"),
            (";;; =; autosched_session=%s" % tok, 200, "after empty pairs"),
            ("autosched_session=%s\u00e9" % tok[:-1], 303, "non-ASCII")]:
        r = c.request("GET", "/", headers={"Cookie": header.encode("utf-8").decode("latin-1")})
        t.eq(r.status, want, "cookie: %s" % name)


def test_throttle(t, s):
    s.cli("user", "add", "bob", stdin=PASSWORD + "\n")
    c = Client(s)
    for i in range(5):
        r = c.sign_in(user="bob", password="wrong %d" % i)
    t.eq(r.status, 403, "five wrong passwords are refused")
    r = c.sign_in(user="bob")
    t.eq(r.status, 429, "then even the right one waits")
    t.eq(r.getheader("Retry-After"), "900", "Retry-After says 15 minutes")
    t.ok("Too many failed sign-ins" in r.body, "and the page says why")
    t.ok("autosched_session" not in c.cookies, "no session was made")
    r = Client(s).sign_in()
    t.eq(r.status, 303, "another user from the same address still signs in")
    s.sql("UPDATE login_failures SET first_at = first_at - 901 WHERE key LIKE '%bob%'")
    r = c.sign_in(user="bob")
    t.eq(r.status, 303, "after the window, bob signs in")
    t.eq(s.sql("SELECT count(*) FROM login_failures WHERE key = 'user:bob'")[0][0], 0,
         "and his failures are forgotten")
    # a new password lifts the lockout and ends the old sessions
    c = Client(s)
    for i in range(6):
        c.sign_in(user="bob", password="wrong %d" % i)
    t.eq(c.sign_in(user="bob").status, 429, "bob is locked out again")
    s.cli("user", "passwd", "bob", stdin="a new password\n")
    t.eq(c.sign_in(user="bob", password="a new password").status, 303,
         "autosched user passwd lifts the lockout")
    t.eq(c.request("GET", "/").status, 200, "bob is signed in")
    s.cli("user", "passwd", "bob", stdin="yet another one\n")
    t.eq(c.request("GET", "/").status, 303, "a new password ends bob's sessions")
    t.eq(c.sign_in(user="bob", password="yet another one").status, 303, "sign in again")
    s.cli("user", "delete", "bob")
    t.eq(c.request("GET", "/").status, 303, "deleting bob ends his sessions")
    s.sql("DELETE FROM login_failures")
    for i in range(20):
        Client(s).sign_in(user="user%d" % i, password="x")
    r = Client(s).sign_in()
    t.eq(r.status, 429, "twenty failures from one address hold it back for every name")
    s.sql("DELETE FROM login_failures")


def test_form_parser(t, s, c, job_id):
    c.sign_in()		# the session test ended every session
    token = c.csrf()
    n = count_jobs(s)
    h = {"Content-Type": "application/x-www-form-urlencoded"}
    cases = [
        ("%zz=1&_csrf=" + token, h, 400, "bad percent-encoding"),
        ("name=%C3%28&_csrf=" + token, h, 400, "invalid UTF-8"),
        ("name=a%00b&_csrf=" + token, h, 400, "a NUL byte"),
        ("&".join("f%d=1" % i for i in range(300)) + "&_csrf=" + token, h, 400,
         "more than 256 fields"),
        ("_csrf=" + token, {"Content-Type": "application/json"}, 415,
         "a JSON body where a form is expected"),
        ("_csrf=" + token, {}, 415, "no Content-Type"),
        ("_csrf=" + token + "&name=" + "a" * 70000, h, 413, "a body over 64 KiB"),
    ]
    for body, headers, want, name in cases:
        r = c.request("POST", "/jobs", body=body, headers=headers)
        t.eq(r.status, want, "form: %s" % name, r.body[:300])
    t.eq(count_jobs(s), n, "form: bad bodies changed nothing")
    r = c.request("POST", "/jobs", body="_csrf=%s&&&name=Plus+and%%20space&bot_type=visitor"
                  "&schedule_type=manual&enabled=1&=novalue&flag" % token, headers=h)
    t.eq(r.status, 303, "form: empty pairs, '+' and keys without values are read")
    t.eq(s.sql("SELECT name FROM jobs ORDER BY num DESC LIMIT 1")[0][0], "Plus and space",
         "form: '+' is a space, %20 too")
    r = c.request("POST", "/jobs", form=[("_csrf", token), ("name", "Two days"),
                                         ("bot_type", "visitor"), ("schedule_type", "weekly"),
                                         ("days", "tue"), ("days", "thu"),
                                         ("weekly_time", "07:05")])
    t.eq(r.status, 303, "form: a repeated field (checkboxes)")
    t.eq(s.sql("SELECT schedule_config FROM jobs ORDER BY num DESC LIMIT 1")[0][0],
         '{"day_of_week":"tue,thu","hour":7,"minute":5}', "form: every value of it is read")

    for path, want, name in [
            ("/?page=1&page=2", 422, "a repeated query parameter"),
            ("/?" + "&".join("p%d=1" % i for i in range(40)), 422, "too many parameters"),
            ("/?" + "q=" + "a" * 5000, 414, "a query over 4 KiB"),
            ("/?page=-1&per_page=100000&enabled=maybe&status=%3Cb%3E", 200,
             "nonsense filters fall back to defaults"),
            ("/jobs/not-a-uuid", 404, "a job id that is no UUID"),
            ("/jobs/11111111-2222-4333-8444-555555555555", 404, "an unknown job"),
            ("/jobs/%s" % job_id.upper(), 200, "a job id in upper case"),
            ("/jobs/%s/edit" % job_id, 200, "the edit form"),
            ("/jobs/%s/delete" % job_id, 200, "the delete confirmation"),
            ("/jobs/%s?page=999" % job_id, 200, "a history page past the end"),
            ("/nowhere", 404, "an unknown page"),
            ("/preview.json?schedule_type=cron&cron_expression=61+*+*+*+*", 422,
             "a preview of a bad schedule"),
            ("/preview.json?schedule_type=daily&hour=7&timezone=Europe/Paris", 200,
             "a preview"),
    ]:
        r = c.request("GET", path)
        t.eq(r.status, want, "GET: %s" % name, r.body[:300])
    r = c.request("GET", "/preview.json?schedule_type=daily&hour=7&minute=30&"
                  "timezone=Asia/Kolkata&count=2")
    t.ok(r.getheader("Content-Type").startswith("application/json") and
         '"local":"2026' in r.body.replace(" ", "") or '"local": "20' in r.body,
         "the preview is JSON", r.body[:300])
    for method, path in [("PUT", "/"), ("DELETE", "/jobs/%s" % job_id), ("POST", "/"),
                         ("GET", "/logout"), ("GET", "/jobs/%s/run" % job_id)]:
        r = c.request(method, path, body=b"")
        t.eq(r.status, 405, "%s %s is not allowed" % (method, path.replace(job_id, "{id}")))
        t.ok(r.getheader("Allow"), "and Allow says what is", r.getheaders())
    # a 500 never happens: garbage on every route
    garbage = ["", "%", "%%%", "=", "&&", "a=%FF", "_csrf", "\x7f", "name=\u202e"]
    worst = 0
    for path in ("/", "/login", "/logout", "/jobs", "/jobs/new", "/jobs/%s" % job_id,
                 "/jobs/%s/edit" % job_id, "/jobs/%s/toggle" % job_id,
                 "/jobs/%s/run" % job_id, "/jobs/%s/delete" % job_id, "/preview.json"):
        for g in garbage:
            for method in ("GET", "POST"):
                r = c.request(method, path + "?" + urllib.parse.quote(g, safe="%=&"),
                              body=g.encode("utf-8"), headers=h)
                worst = max(worst, r.status)
    t.ok(worst < 500, "garbage on every route gets a 4xx, never a 5xx", worst)


def test_form_guardrails(t, s, c):
    """The form's windows (day chips, from, to), jitter in minutes and the date type."""
    c.sign_in()
    token = c.csrf()
    n = count_jobs(s)
    base = [("_csrf", token), ("bot_type", "visitor"), ("enabled", "1"),
            ("timezone", "Europe/Paris")]
    r = c.request("POST", "/jobs", form=base + [
        ("name", "Windowed"), ("schedule_type", "cron"), ("cron_expression", "*/20 * * * *"),
        ("w1_days", "mon"), ("w1_days", "tue"), ("w1_days", "wed"), ("w1_start", "09:00"),
        ("w1_end", "12:00"), ("w2_start", ""), ("w2_end", ""),
        ("w3_days", "sat"), ("w3_start", "22:00"), ("w3_end", "01:30"),
        ("jitter_minutes", "7.5")])
    t.eq(r.status, 303, "form: windows and jitter saved", r.body[:500])
    row = s.sql("SELECT id, active_windows, jitter_seconds FROM jobs ORDER BY num DESC "
                "LIMIT 1")[0]
    t.eq(row[1:], ('[{"days":"mon-wed","start":"09:00","end":"12:00"},'
                   '{"days":"sat","start":"22:00","end":"01:30"}]', 450),
         "form: the rows filled in are the windows; minutes are seconds")
    job = row[0]
    r = c.request("GET", "/jobs/%s/edit" % job)
    body = r.body
    t.ok('name="w1_days" value="tue" checked' in body and 'name="w2_start" type="time" '
         'value="22:00"' in body and 'name="w3_start" type="time" value=""' in body and
         'id="jitter_minutes"' in body and 'value="7.50"' in body,
         "form: editing shows the windows as rows, one empty to add, and the jitter",
         re.findall(r'<div class="window.*?</div>\n</div>', body, re.S)[:1])
    r = c.request("GET", "/jobs/%s" % job)
    t.ok("only within Monday through Wednesday 09:00-12:00 or Saturday 22:00-01:30 "
         "(overnight), each run up to 7 minutes and 30 seconds later at random" in
         html.unescape(r.body), "job page: the windows and jitter in words")
    t.ok(re.search(r"jitter: (starts at|between) \d\d:\d\d", r.body) is not None,
         "job page: the next runs say when the jitter starts them")

    bad = [
        ([("w1_days", "mon"), ("w1_start", "09:00")], "Active window 1",
         "enter the time the window closes"),
        ([("w1_start", "09:00"), ("w1_end", "10:00")], "Active window 1",
         "choose at least one day"),
        ([("w1_days", "mon"), ("w1_start", "09:00"), ("w1_end", "09:00")], "Active windows",
         "must differ from start"),
        ([("jitter_minutes", "1441")], "Jitter", "enter minutes from 0 to 1440"),
        ([("jitter_minutes", "soon")], "Jitter", "enter minutes from 0 to 1440"),
        ([("schedule_type", "date"), ("run_at", "2020-05-01T09:00")], "Date and time",
         "is in the past"),
        ([("schedule_type", "date"), ("run_at", "2027-03-28T02:30")], "Date and time",
         "daylight saving time skips it"),
        ([("schedule_type", "date"), ("run_at", "")], "Date and time",
         "enter the date and time"),
    ]
    for extra, label, msg in bad:
        form = base + [("name", "Bad")] + extra
        if not any(k == "schedule_type" for k, _ in extra):
            form += [("schedule_type", "daily"), ("daily_time", "10:00")]
        r = c.request("POST", "/jobs", form=form)
        summary = re.search(r'<div class="error-summary".*?</div>', r.body, re.S)
        text = html.unescape(summary.group(0)) if summary else ""
        t.ok(r.status == 422 and label in text and msg in text,
             "form: %s is refused beside its field (%s)" % (extra, label), text or r.body[:300])
    t.eq(count_jobs(s), n + 1, "form: the refused forms created nothing")

    r = c.request("POST", "/jobs", form=base + [
        ("name", "Preview"), ("schedule_type", "daily"), ("daily_time", "09:00"),
        ("w1_days", "mon"), ("w1_days", "tue"), ("w1_days", "wed"), ("w1_days", "thu"),
        ("w1_days", "fri"), ("w1_start", "09:00"), ("w1_end", "09:10"),
        ("jitter_minutes", "15"), ("preview", "1")])
    t.ok(r.status == 200 and "jitter: between 09:00 and 09:09:59" in r.body and
         "only within Monday through Friday 09:00-09:10" in html.unescape(r.body),
         "form preview: the window bounds the jitter", r.body[:200])
    when = time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.time() + 40 * 86400))
    r = c.request("POST", "/jobs", form=base + [
        ("name", "Once"), ("schedule_type", "date"), ("run_at", when)])
    t.eq(r.status, 303, "form: a date job", r.body[:300])
    t.eq(s.sql("SELECT schedule_type, schedule_config FROM jobs ORDER BY num DESC "
               "LIMIT 1")[0], ("date", '{"run_at":"%s"}' % when), "form: run_at stored")
    r = c.request("GET", "/preview.json?" + urllib.parse.urlencode({
        "schedule_type": "daily", "hour": "9", "timezone": "UTC", "count": "1",
        "windows": "mon-fri 09:00-09:05", "jitter_seconds": "900"}))
    t.ok(r.status == 200 and re.search(r'"latest":\s*"[^"]*T09:04:59\+00:00"', r.body),
         "preview.json: latest, within the window", r.body[:300])


def test_cgi(t, s):
    bindir = s.bindir
    r, rc, err = cgi(bindir, s.conf, "GET", "/login", program="autosched-web",
                     script="/cgi-bin/web", env_extra={"HTTPS": "on"})
    t.eq((r.status, rc), (200, 0), "plain CGI: the sign-in page")
    sc = r.header("Set-Cookie") or ""
    t.ok(sc.startswith("__Host-autosched_login=") and "Secure" in sc and "Path=/;" in sc,
         "under HTTPS, cookies are Secure and named __Host-, so Path=/ as that prefix "
         "requires (no sibling host or plain HTTP can set them)", sc)
    t.ok(b"Sanitizer" not in err and b"runtime error" not in err, "cgi: no sanitizer report",
         err)
    # lighttpd re-encodes a bad %-escape before the program sees it; plain CGI does not
    r, rc, _ = cgi(bindir, s.conf, "GET", "/login", query="next=%zz", program="autosched-web",
                   script="/cgi-bin/web")
    t.eq(r.status, 400, "plain CGI: a badly encoded query is a 400")
    # trust_remote_user: the web server has signed bob in
    conf = s.conf + ".remote"
    with open(s.conf) as f:
        text = f.read()
    with open(conf, "w") as f:
        f.write(text.replace("trust_remote_user = false", "trust_remote_user = true")
                .replace("secure_cookies = false", "secure_cookies = true"))
    r, rc, _ = cgi(bindir, conf, "GET", "/", program="autosched-web", script="/web",
                   env_extra={"REMOTE_USER": "carol"})
    t.eq(r.status, 200, "trust_remote_user: REMOTE_USER is signed in")
    t.ok("Signed in as <strong>carol</strong>" in r.body, "as that user")
    first = r
    for _ in range(3):
        cgi(bindir, conf, "GET", "/", program="autosched-web", script="/web",
            env_extra={"REMOTE_USER": "carol"})
    t.eq(s.sql("SELECT count(*) FROM sessions WHERE user = 'carol'")[0][0], 1,
         "trust_remote_user: requests without the cookie reuse carol's one session")
    r = first
    sc = r.header("Set-Cookie") or ""
    t.ok(sc.startswith("__Host-autosched_session=") and "Secure" in sc,
         "with a session for the CSRF token (Secure and __Host- by secure_cookies)", sc)
    cookie = sc.split(";", 1)[0]
    token = re.search(r'name="_csrf" value="([^"]+)"', r.body).group(1)
    body = urllib.parse.urlencode({"_csrf": token, "name": "Carol's", "bot_type": "visitor",
                                   "schedule_type": "manual"}).encode()
    r, rc, _ = cgi(bindir, conf, "POST", "/jobs", body=body, program="autosched-web",
                   script="/web", headers={"Content-Type":
                                           "application/x-www-form-urlencoded",
                                           "Cookie": cookie},
                   env_extra={"REMOTE_USER": "carol"})
    t.eq(r.status, 303, "trust_remote_user: a form posts")
    t.eq(s.sql("SELECT created_by FROM jobs WHERE name = ?", "Carol's"), [("carol",)],
         "created_by is REMOTE_USER")
    r, rc, _ = cgi(bindir, conf, "GET", "/", program="autosched-web", script="/web",
                   headers={"Cookie": cookie}, env_extra={"REMOTE_USER": "mallory"})
    t.ok(r.status == 200 and "<strong>mallory</strong>" in r.body,
         "another REMOTE_USER with carol's cookie is mallory, not carol")
    r, rc, _ = cgi(bindir, s.conf, "GET", "/", program="autosched-web", script="/web",
                   env_extra={"REMOTE_USER": "carol"})
    t.eq(r.status, 303, "without trust_remote_user, REMOTE_USER signs nobody in")


def test_lockout(t, s):
    """Five wrong passwords lock one (user, address) pair out, not the user everywhere."""
    s.sql("DELETE FROM login_failures")
    s.cli("user", "add", "dave", stdin=PASSWORD + "\n")
    there, here = Client(s, "127.0.0.2"), Client(s, "127.0.0.3")
    for i in range(5):
        r = there.sign_in(user="dave", password="wrong %d" % i)
    t.eq(r.status, 403, "lockout: five wrong passwords for dave from 127.0.0.2")
    t.eq(there.sign_in(user="dave").status, 429,
         "lockout: then 127.0.0.2 waits, even with the right password")
    start = time.monotonic()
    r = here.sign_in(user="dave")
    took = time.monotonic() - start
    t.eq(r.status, 303, "lockout: dave still signs in from 127.0.0.3: guessing from "
         "elsewhere locks nobody out", r.body[:300])
    t.ok(took >= 0.09, "lockout: a name that failed elsewhere only waits a little "
         "(%.2f s)" % took)
    t.eq(Client(s, "127.0.0.2").sign_in().status, 303,
         "lockout: alice signs in from 127.0.0.2 (another pair)")
    s.sql("DELETE FROM login_failures")


def test_sign_in_input(t, s):
    """Names outside the alphabet are refused before they are counted or logged."""
    s.sql("DELETE FROM login_failures")
    forged = "mallory\nautosched-web: mallory signed in from 10.9.9.9"
    before = s.errorlog()
    r = Client(s).sign_in(user=forged, password="x")
    t.ok(r.status == 422 and "letters, digits" in r.body,
         "sign-in: a name with a newline is a 422 that says what names are", r.status)
    log = s.errorlog()[len(before):]
    t.ok("signed in from 10.9.9.9" not in log and "mallory" not in log,
         "sign-in: the name is neither counted nor logged: no forged line", log)
    t.eq(s.sql("SELECT count(*) FROM login_failures")[0][0], 0, "sign-in: nothing counted")
    # a name that is fine but unknown is logged as it is, on one line
    Client(s).sign_in(user="nobody.at.all", password="x")
    t.ok("sign-in failed for nobody.at.all from 127.0.0.1" in s.errorlog(),
         "sign-in: a failure is logged with the client's address")
    s.sql("DELETE FROM login_failures")


def test_fail_closed(t, s):
    """A store that cannot count attempts lets nobody try a password."""
    c = Client(s)
    token = c.csrf("/login")
    with s.locked():
        r = c.request("POST", "/login", form={"_csrf": token, "user": "alice",
                                               "password": "not the password"})
    t.eq(r.status, 503, "sign-in: with the store locked, a 503 before any password is "
         "checked (the throttle fails closed)")
    t.eq(c.sign_in().status, 303, "sign-in: then alice signs in")


def test_redirects(t, s):
    """next and back stay under the mount point: no dot segments."""
    for target in ["/..//evil.example", "/../../x", "/a/%2e%2e/%2E%2e//evil.example",
                   "/./x"]:
        r = Client(s).sign_in(next_path=target)
        t.eq((r.status, r.getheader("Location")), (303, WEB + "/"),
             "sign-in: next=%s is refused for the list" % target)
    r = Client(s).sign_in(next_path="/jobs/new?x=..")
    t.eq(r.getheader("Location"), WEB + "/jobs/new?x=..",
         "sign-in: dots in the query are no path")


def test_session_replaced(t, s):
    """A new sign-in ends the session it replaces."""
    c = Client(s)
    c.sign_in()
    old = c.cookies["autosched_session"]
    n = s.sql("SELECT count(*) FROM sessions WHERE user = 'alice'")[0][0]
    # another tab's sign-in form, posted by a browser that has a session already
    other = Client(s)
    token = other.csrf("/login")
    other.cookies["autosched_session"] = old
    r = other.request("POST", "/login", form={"_csrf": token, "user": "alice",
                                               "password": PASSWORD})
    t.ok(r.status == 303 and other.cookies["autosched_session"] != old and
         s.sql("SELECT count(*) FROM sessions WHERE user = 'alice'")[0][0] == n,
         "sign-in: signing in again replaces the browser's session instead of adding one")
    r = c.request("GET", "/", headers={"Cookie": "autosched_session=" + old})
    t.eq(r.status, 303, "sign-in: the replaced session no longer signs anyone in")


def test_proxies(t, bindir):
    """Behind a proxy, the client is the address it forwards, and only a trusted one's."""
    s = Stack(bindir, conf_extra="\n[web]\ntrusted_proxies = 127.0.0.1, 10.0.0.0/8\n")
    try:
        s.cli("user", "add", "erin", stdin=PASSWORD + "\n")
        fwd = Client(s)

        def sign_in(c, xff, password):
            token = c.csrf("/login")
            return c.request("POST", "/login", form={"_csrf": token, "user": "erin",
                                                     "password": password},
                             headers={"X-Forwarded-For": xff})
        for i in range(5):
            sign_in(fwd, "203.0.113.5", "wrong %d" % i)
        t.eq(sign_in(fwd, "203.0.113.5", PASSWORD).status, 429,
             "proxies: 203.0.113.5, forwarded by a trusted proxy, is locked out")
        t.ok("sign-in failed for erin from 203.0.113.5" in s.errorlog(),
             "proxies: the log names the forwarded address")
        t.eq(sign_in(fwd, "203.0.113.6, 10.1.2.3", PASSWORD).status, 303,
             "proxies: 203.0.113.6 through two trusted proxies signs in")
        t.eq(sign_in(Client(s, "127.0.0.9"), "203.0.113.7", "wrong").status, 403,
             "proxies: an untrusted peer's X-Forwarded-For is ignored")
        t.ok("sign-in failed for erin from 127.0.0.9" in s.errorlog(),
             "proxies: ... the peer's own address counts")
    finally:
        s.finish(t)


UNKNOWN = "11111111-2222-4333-8444-555555555555"


def test_audit(t, s, c):
    """Every change made in the dashboard writes one line "audit: USER VERB job ID (NAME)
    via web" to the program's stderr (the web server's error log); a refused one none."""
    c.sign_in()
    token = c.csrf()
    watch = AuditWatch(s.errorlog)
    name = "Audited in the dashboard"
    form = {"_csrf": token, "name": name, "bot_type": "visitor", "schedule_type": "manual",
            "enabled": "1"}

    def change(path, form, status, lines, what):
        r = c.request("POST", path, form=form)
        want = [l() for l in lines]
        got = watch.new(len(want))
        t.eq((r.status, got), (status, want), "audit: " + what, r.body[-300:])
        return r

    r = c.request("POST", "/jobs", form=form)
    m = re.search(r"/jobs/([0-9a-f-]{36})\?done=created", r.getheader("Location") or "")
    jid = m.group(1) if m else UNKNOWN
    got = watch.new(1)
    t.eq((r.status, got), (303, ["alice created job %s (%s) via web" % (jid, name)]),
         "audit: create: one line, the signed-in user, created")
    line = lambda verb: lambda: "alice %s job %s (%s) via web" % (verb, jid, name)
    change("/jobs/" + jid, dict(form, description="saved"), 303, [line("updated")],
           "save: one line, updated")
    change("/jobs/%s/toggle" % jid, {"_csrf": token, "enabled": "0"}, 303, [line("disabled")],
           "toggle (off): one line, disabled")
    change("/jobs/%s/toggle" % jid, {"_csrf": token, "enabled": "1"}, 303, [line("enabled")],
           "toggle (on): one line, enabled")

    def ran():
        rid = s.sql("SELECT id FROM runs WHERE job_id = ? ORDER BY created_at DESC, rowid DESC "
                    "LIMIT 1", jid)
        return "alice ran job %s (%s) via web: run %s" % (jid, name, rid and rid[0][0])
    change("/jobs/%s/run" % jid, {"_csrf": token}, 303, [ran],
           "run now: one line, ran, with the new run's id")
    change("/jobs", dict(form, name=""), 422, [], "a refused create (422): no line")
    change("/jobs/" + jid, dict(form, name=""), 422, [], "a refused save (422): no line")
    change("/jobs/%s/toggle" % UNKNOWN, {"_csrf": token, "enabled": "1"}, 404, [],
           "toggle of no job (404): no line")
    change("/jobs/%s/run" % UNKNOWN, {"_csrf": token}, 404, [],
           "run now of no job (404): no line")
    change("/jobs/%s/delete" % jid, {"_csrf": token}, 303, [line("deleted")],
           "delete: one line, deleted")
    change("/jobs/%s/delete" % jid, {"_csrf": token}, 404, [],
           "delete of a job already gone (404): no line")


def test_disable_and_delete_say(t, s, c):
    """What disabling and deleting leave is said where the user acted: a disabled job's runs
    already made still run (the flash counts them); a deleted job's queued runs are taken back
    by schedd, and with no schedd to do it the flash says one may start."""
    c.sign_in()
    token = c.csrf()
    form = {"_csrf": token, "name": "Disabled with a run", "bot_type": "visitor",
            "schedule_type": "manual", "enabled": "1", "max_instances": "3"}
    r = c.request("POST", "/jobs", form=form)
    m = re.search(r"/jobs/([0-9a-f-]{36})\?done=created", r.getheader("Location") or "")
    jid = m.group(1) if m else UNKNOWN
    for _ in range(2):
        c.request("POST", "/jobs/%s/run" % jid, form={"_csrf": token})
    r = c.request("POST", "/jobs/%s/toggle" % jid, form={"_csrf": token, "enabled": "0"})
    page = c.request("GET", (r.getheader("Location") or "/").replace(WEB, "", 1))
    t.ok(r.status == 303 and "It will not fire again, but 2 runs it already made (pending, "
         "queued or running) will still run; delete the job to take queued runs back." in
         html.unescape(page.body),
         "disable: the flash says the job's 2 runs already made still run", page.body[-2000:])
    r = c.request("POST", "/jobs/%s/toggle" % jid, form={"_csrf": token, "enabled": "0"},
                  headers={"Accept": "application/json"})
    t.ok(r.status == 200 and "2 runs it already made" in (json.loads(r.body).get("message")
                                                          or ""),
         "disable (JSON, as the page's script asks): the same sentence", r.body)
    r = c.request("POST", "/jobs", form=dict(form, name="Disabled, nothing made"))
    m = re.search(r"/jobs/([0-9a-f-]{36})\?done=created", r.getheader("Location") or "")
    quiet = m.group(1) if m else UNKNOWN
    r = c.request("POST", "/jobs/%s/toggle" % quiet, form={"_csrf": token, "enabled": "0"})
    page = c.request("GET", (r.getheader("Location") or "/").replace(WEB, "", 1))
    t.ok("It will not fire until you enable it again." in page.body,
         "disable: with no run made, the flash says only that it will not fire",
         page.body[-2000:])
    r = c.request("GET", "/jobs/%s/delete" % jid)
    t.ok("runs waiting in the queue are taken back before a worker starts them" in r.body,
         "delete: the confirmation says what becomes of queued and started runs", r.body)

    # One run already pushed to Redis, and no schedd in this stack to take it back.
    s.sql("UPDATE runs SET status = 'queued', rq_queue = 'default', queued_at = created_at "
          "WHERE id = (SELECT id FROM runs WHERE job_id = ? LIMIT 1)", jid)
    r = c.request("POST", "/jobs/%s/delete" % jid, form={"_csrf": token})
    page = c.request("GET", (r.getheader("Location") or "/").replace(WEB, "", 1))
    t.ok(r.status == 303 and "done=deleted_withdrawing" in (r.getheader("Location") or "") and
         "schedd has not taken them back yet (is it running?): a worker may start one." in
         page.body, "delete: a queued run schedd did not take back in time is said",
         r.getheader("Location"), page.body[-1500:])
    r = c.request("POST", "/jobs/%s/delete" % quiet, form={"_csrf": token})
    page = c.request("GET", (r.getheader("Location") or "/").replace(WEB, "", 1))
    t.ok("Deleted the job. None of its runs will start." in page.body,
         "delete: with nothing in Redis, the flash says none of its runs will start",
         page.body[-1500:])


def test_list_conditional(t, s, c):
    """The job list has an ETag made of the jobs' generation, the minute, who asks, the
    query and the banner; each FastCGI process keeps the page while they stand. Another
    user, another session, another query or a change to any job never gets a kept page."""
    c.sign_in()
    r = c.request("GET", "/")
    tag = r.getheader("ETag")
    t.ok(r.status == 200 and tag and re.match(r'^"[0-9a-f]{24}"$', tag) and
         r.getheader("Cache-Control") == "private, no-cache",
         "list: an ETag (a hash: it shows no token), revalidated on every use",
         r.getheaders())
    again = [c.request("GET", "/", headers={"If-None-Match": tag}) for _ in range(4)]
    if time.time() % 60 > 57:	# a new minute makes a new page: the tag changed meanwhile
        time.sleep(3)
        tag = c.request("GET", "/").getheader("ETag")
        again = [c.request("GET", "/", headers={"If-None-Match": tag}) for _ in range(4)]
    t.eq({(a.status, a.body) for a in again}, {(304, "")},
         "list: If-None-Match with its tag is 304, in every process")
    other = Client(s)
    s.cli("user", "add", "bob", stdin=PASSWORD + "\n", check=False)
    other.sign_in("bob")
    pages = [other.request("GET", "/", headers={"If-None-Match": tag}) for _ in range(4)]
    token = other.csrf()
    t.ok(all(p.status == 200 and p.getheader("ETag") != tag and "bob" in p.body and
             'value="%s"' % token in p.body and 'value="%s"' % c.csrf() not in p.body
             for p in pages),
         "list: another user's session gets its own page (its name, its token), never "
         "a page kept for another", [p.status for p in pages])
    filtered = c.request("GET", "/?bot_type=nope", headers={"If-None-Match": tag})
    t.ok(filtered.status == 200 and "No job matches" in html.unescape(filtered.body),
         "list: another query is its own page", filtered.body[-800:])
    name = "Seen at once in the list"
    r = c.request("POST", "/jobs", form={"_csrf": c.csrf(), "name": name, "bot_type": "visitor",
                                         "schedule_type": "manual", "enabled": "1"})
    pages = [c.request("GET", "/", headers={"If-None-Match": tag}) for _ in range(4)]
    t.ok(all(p.status == 200 and name in html.unescape(p.body) for p in pages),
         "list: a new job is in the page at once, in every process", [p.status for p in pages])
    m = re.search(r"/jobs/([0-9a-f-]{36})\?done=created", r.getheader("Location") or "")
    flash = c.request("GET", "/?done=deleted")
    t.eq((flash.getheader("ETag"), flash.getheader("Cache-Control")), (None, "no-store"),
         "list: a page with a flash is not kept")
    if m:
        c.request("POST", "/jobs/%s/delete" % m.group(1), form={"_csrf": c.csrf()})


def test_store_failures(t, bindir):
    """The store failing answers the same as in the API: still locked after busy_timeout_ms
    (DB_BUSY) is a 503, any other failure (DB_ERR) a 500, each as the HTML error page. The
    lock is an exclusive transaction held here; the other failure is the jobs table renamed
    under the running program."""
    s = Stack(bindir, conf_extra="\n[database]\nbusy_timeout_ms = 100\n")
    try:
        s.cli("user", "add", "alice", stdin=PASSWORD + "\n")
        c = Client(s)
        c.sign_in()
        token = c.csrf()
        jid = s.request("POST", "/jobs", {"name": "fragile", "bot_type": "visitor",
                                          "schedule_type": "manual"}).json()["id"]
        # (ALTER TABLE ... RENAME writes the name back quoted: "jobs", the same table)
        schema = lambda: [(a, b, (c or "").replace('"', '')) for a, b, c in
                          s.sql("SELECT type, name, sql FROM sqlite_master ORDER BY name")]
        before = schema()
        form = {"_csrf": token, "name": "fragile", "bot_type": "visitor",
                "schedule_type": "manual", "enabled": "1"}
        writes = [("POST", "/jobs/%s/toggle" % jid, {"_csrf": token, "enabled": "0"}),
                  ("POST", "/jobs/%s/run" % jid, {"_csrf": token}),
                  ("POST", "/jobs/" + jid, form),
                  ("POST", "/jobs/%s/delete" % jid, {"_csrf": token})]

        def answer(r, status, what):
            t.ok(r.status == status and
                 (r.getheader("Content-Type") or "").startswith("text/html") and
                 "HTTP %d" % status in r.body and "</html>" in r.body,
                 "store %s: %d, the error page" % (what, status),
                 "got %d: %s" % (r.status, " / ".join(re.findall(r"<p[^>]*>([^<]*)</p>",
                                                                  r.body)[:2])))

        # DB_BUSY: writes wait for the lock, then give up. (In WAL mode readers are not held
        # back by a writer: pages that only read still answer, so only writes are checked.)
        with s.locked():
            for method, path, form_ in writes + [("POST", "/jobs", form)]:
                answer(c.request(method, path, form=form_), 503,
                       "locked (DB_BUSY): %s %s" % (method, path.replace(jid, "{id}")))

        # DB_ERR: the jobs table gone from under the prepared statements.
        s.sql("ALTER TABLE jobs RENAME TO jobs_gone")
        try:
            for method, path, form_ in [("GET", "/jobs/" + jid, None),
                                        ("GET", "/jobs/%s/edit" % jid, None)] + writes:
                answer(c.request(method, path, form=form_), 500,
                       "failing (DB_ERR): %s %s" % (method, path.replace(jid, "{id}")))
        finally:
            s.sql("ALTER TABLE jobs_gone RENAME TO jobs")
        t.ok(schema() == before and
             c.request("GET", "/jobs/" + jid).status == 200,
             "store: the schema put back, the job page answers again")
    finally:
        s.finish(t)


def main():
    bindir = sys.argv[1]
    t = Tap()
    s = Stack(bindir)
    try:
        s.cli("user", "add", "alice", stdin=PASSWORD + "\n")
        c = test_sign_in(t, s)
        job_id = test_csrf(t, s, c)
        test_session_end(t, s)
        test_cookies(t, s)
        test_throttle(t, s)
        test_form_parser(t, s, c, job_id)
        test_form_guardrails(t, s, c)
        test_cgi(t, s)
        test_audit(t, s, c)
        test_disable_and_delete_say(t, s, c)
        test_list_conditional(t, s, c)
        test_lockout(t, s)
        test_sign_in_input(t, s)
        test_fail_closed(t, s)
        test_redirects(t, s)
        test_session_replaced(t, s)
    finally:
        s.finish(t)
    test_proxies(t, bindir)
    test_store_failures(t, bindir)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
