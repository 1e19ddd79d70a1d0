#!/usr/bin/python3
"""Independent reference model ("oracle") of autosched's cron fire times.

Written only from docs/SCHEDULES.md (the contract); it deliberately shares no
code or structure with lib/ or cli/.  Standard library only; run it with
Debian's /usr/bin/python3 (3.11), whose zoneinfo reads the system tzdata in
/usr/share/zoneinfo, the same data the C tool reads.

Usage:
    /usr/bin/python3 tests/oracle/cron_oracle.py BIN [--cases N] [--seed S]
        Differential test: N random cases (default 3000) plus a fixed list of
        hand-picked cases are fed to `BIN next --stdin` in one process and the
        answers are compared line by line with the oracle.  Exit 0 only when
        there is no mismatch.
    /usr/bin/python3 tests/oracle/cron_oracle.py --self-test [--cases N] [--seed S]
        Checks the oracle alone: hand-computed answers, the parser on valid and
        invalid expressions, and a cross-check of next5() against a second,
        differently built brute-force model on random cases.
    Other options: --max-print K (print at most K mismatches, default all),
        --dump FILE (write the generated input lines to FILE),
        --timeout SEC (for the C tool, default 110),
        --zones all|Z1,Z2,... (zones of the random cases; default the built-in
        list of 16 DST-interesting zones; 'all' = every zone zoneinfo knows).

How the oracle computes next5(expr, zone, start)  (see docs/SCHEDULES.md):
  * It walks calendar days (wall-clock dates) from a little before start's
    date forward, keeps the days that pass the month filter and the Vixie/cronie
    day rule, and for each hour and minute in the sets forms a wall-clock time.
  * Each wall time is mapped to UTC with zoneinfo: the offsets for fold=0 and
    fold=1 give two candidate instants; a candidate is real when converting it
    back gives the same wall time.  Two real ones: a fold (fixed-time schedules
    keep the first, non-fixed keep both).  None: a gap (fixed-time schedules
    fire once at the transition instant, found by binary search on UTC
    seconds; non-fixed schedules skip it).  One: an ordinary time.
  * Instants are de-duplicated (a schedule never fires twice at one instant),
    sorted, and the first 5 strictly after start are the answer.
  * A step S is from 1 to STEP_MAX (1000).  One wider than the field's
    span (over 59 for minutes, 23 hours, 30 days of the month, 11 months,
    7 days of the week) leaves only the start of its range, as cronie does:
    Python's range(a, b + 1, S) says exactly that.
  * The walk stops only when no later day can produce an earlier instant
    (every UTC offset is assumed to be within +-BOUND; asserted), or at the end
    of year 9999.  `NEVER` when no day of a full 400-year Gregorian cycle
    matches.
"""

import argparse
import bisect
import datetime as dt
import os
import random
import re
import subprocess
import sys
import time
import zoneinfo

UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORD = dt.date(1970, 1, 1).toordinal()
MAX_ORD = dt.date(9999, 12, 31).toordinal()
BOUND = 16 * 3600  # every UTC offset we meet must be strictly inside +-BOUND

# --------------------------------------------------------------------------
# Parser (valid 5-field expressions; anything else raises CronError)
# --------------------------------------------------------------------------

MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun",
               "jul", "aug", "sep", "oct", "nov", "dec"]
DOW_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

# name, lowest, highest, names -> value
FIELD_SPECS = [
    ("minute", 0, 59, None),
    ("hour", 0, 23, None),
    ("day-of-month", 1, 31, None),
    ("month", 1, 12, {n: i + 1 for i, n in enumerate(MONTH_NAMES)}),
    ("day-of-week", 0, 7, {n: i for i, n in enumerate(DOW_NAMES)}),
]

MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}

DIGITS = re.compile(r"[0-9]+\Z")  # ASCII only (str.isdigit accepts others)
STEP_MAX = 1000  # the largest step; wider than the field = its start only


class CronError(Exception):
    pass


def _value(text, fname, lo, hi, names):
    if DIGITS.match(text):
        v = int(text, 10)
    elif names is not None and text.lower() in names and len(text) == 3:
        v = names[text.lower()]
    else:
        raise CronError("%s: bad value %r" % (fname, text))
    if not lo <= v <= hi:
        raise CronError("%s: %d is out of range %d-%d" % (fname, v, lo, hi))
    return v


def _field(text, fname, lo, hi, names):
    if text == "":
        raise CronError("%s: empty field" % fname)
    values = set()
    for item in text.split(","):
        if item == "":
            raise CronError("%s: empty list item" % fname)
        parts = item.split("/")
        if len(parts) > 2:
            raise CronError("%s: bad step in %r" % (fname, item))
        base = parts[0]
        if base == "*":
            a, b = lo, hi
        elif "-" in base:
            ends = base.split("-")
            if len(ends) != 2:
                raise CronError("%s: bad range %r" % (fname, base))
            a = _value(ends[0], fname, lo, hi, names)
            b = _value(ends[1], fname, lo, hi, names)
            if fname == "day-of-week" and b == 0:
                # fri-sun == 5-7.  NB: read literally this also makes
                # sun-sun / 0-0 mean 0-7 (every day); the random generator
                # never produces such ranges because the contract is unclear.
                b = 7
            if a > b:
                raise CronError("%s: range %d-%d is descending" % (fname, a, b))
        else:
            a = _value(base, fname, lo, hi, names)
            b = hi if len(parts) == 2 else a  # N/S == N-max/S
        step = 1
        if len(parts) == 2:
            if not DIGITS.match(parts[1]):
                raise CronError("%s: bad step %r" % (fname, parts[1]))
            step = int(parts[1], 10)
            if not 1 <= step <= STEP_MAX:
                raise CronError("%s: step %d is out of range 1-%d"
                                % (fname, step, STEP_MAX))
        values.update(range(a, b + 1, step))
    return values


class Cron:
    """A parsed expression: value sets plus the '*'-prefix flags."""

    def __init__(self, expr):
        text = expr.strip(" \t")
        if text.startswith("@"):
            if text.lower() not in MACROS:
                raise CronError("expression: unknown macro %r" % text)
            text = MACROS[text.lower()]
        fields = [f for f in re.split(r"[ \t]+", text) if f != ""]
        if len(fields) != 5:
            raise CronError("expression: expected 5 fields, got %d" % len(fields))
        sets = [_field(f, *spec) for f, spec in zip(fields, FIELD_SPECS)]
        self.minutes = sorted(sets[0])
        self.hours = sorted(sets[1])
        self.doms = sets[2]
        self.months = sets[3]
        self.dows = {d % 7 for d in sets[4]}  # 7 is Sunday
        self.min_star = fields[0].startswith("*")
        self.hour_star = fields[1].startswith("*")
        self.dom_star = fields[2].startswith("*")
        self.dow_star = fields[4].startswith("*")
        # fixed-time: neither minute nor hour field begins with '*'
        self.fixed = not (self.min_star or self.hour_star)
        self.text = text

    def day_matches(self, d):
        """d: datetime.date (a wall-clock date)."""
        if d.month not in self.months:
            return False
        dom_ok = d.day in self.doms
        dow_ok = d.isoweekday() % 7 in self.dows  # Sunday -> 0
        if not self.dom_star and not self.dow_star:
            return dom_ok or dow_ok  # Vixie/cronie: either
        return dom_ok and dow_ok

    def matches_wall(self, d, hour, minute):
        return (self.day_matches(d) and hour in self.hours
                and minute in self.minutes)


_never_cache = {}


def never_fires(cron):
    """True when no date of a whole 400-year Gregorian cycle matches."""
    key = cron.text
    if key not in _never_cache:
        o = dt.date(2000, 1, 1).toordinal()
        end = o + 146097
        found = False
        while o < end:
            d = dt.date.fromordinal(o)
            if d.month not in cron.months:
                # jump to the first of next month
                o = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1).toordinal()
                continue
            if cron.day_matches(d):
                found = True
                break
            o += 1
        _never_cache[key] = not found
    return _never_cache[key]


# --------------------------------------------------------------------------
# Time-zone helpers (zoneinfo only)
# --------------------------------------------------------------------------

_zones = {}


def get_zone(name):
    if name not in _zones:
        _zones[name] = zoneinfo.ZoneInfo(name)
    return _zones[name]


def offset_at(zone, u):
    """UTC offset in seconds of zone at Unix second u."""
    off = (EPOCH + dt.timedelta(seconds=u)).astimezone(zone).utcoffset()
    s = off.days * 86400 + off.seconds
    assert off.microseconds == 0 and -BOUND < s < BOUND, (zone, u, off)
    return s


def wall_offset(zone, y, mo, d, h, mi, fold):
    off = dt.datetime(y, mo, d, h, mi, tzinfo=zone, fold=fold).utcoffset()
    s = off.days * 86400 + off.seconds
    assert off.microseconds == 0 and -BOUND < s < BOUND, (zone, y, mo, d, off)
    return s


def transition_between(zone, lo, hi):
    """Smallest u in (lo, hi] whose offset differs from the offset at lo."""
    base = offset_at(zone, lo)
    assert offset_at(zone, hi) != base, (zone, lo, hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if offset_at(zone, mid) == base:
            lo = mid
        else:
            hi = mid
    return hi


def wall_instants(zone, ws, y, mo, d, h, mi, fixed):
    """UTC instants at which a run scheduled at this wall time fires.

    ws = the wall time as if it were UTC, in seconds since the epoch."""
    o0 = wall_offset(zone, y, mo, d, h, mi, 0)
    o1 = wall_offset(zone, y, mo, d, h, mi, 1)
    if o0 == o1:
        return (ws - o0,)
    cands = sorted({ws - o0, ws - o1})
    real = [u for u in cands if u + offset_at(zone, u) == ws]
    if len(real) == 2:  # fold: the wall time happens twice
        return (real[0],) if fixed else tuple(real)
    if len(real) == 1:
        return (real[0],)
    # gap: the wall time does not exist
    if not fixed:
        return ()
    return (transition_between(zone, cands[0], cands[1]),)


# --------------------------------------------------------------------------
# The reference next5
# --------------------------------------------------------------------------

def next_n(cron, zone, start, n=5):
    """First n fire instants > start, or 'NEVER'.  Exhaustive up to 9999."""
    if never_fires(cron):
        return "NEVER"
    found = []  # sorted, unique
    o = max((start - BOUND) // 86400 + EPOCH_ORD, 1)  # earliest wall date to look at
    while o <= MAX_ORD:
        day_ws = (o - EPOCH_ORD) * 86400
        if len(found) >= n and day_ws - BOUND > found[n - 1]:
            break  # every instant from this day on is later than the n-th
        d = dt.date.fromordinal(o)
        if d.month not in cron.months:
            if d.month == 12:
                if d.year == 9999:
                    break
                o = dt.date(d.year + 1, 1, 1).toordinal()
            else:
                o = dt.date(d.year, d.month + 1, 1).toordinal()
            continue
        o += 1
        if not cron.day_matches(d):
            continue
        for h in cron.hours:
            for mi in cron.minutes:
                ws = day_ws + h * 3600 + mi * 60
                if ws + BOUND <= start:
                    continue
                if len(found) >= n and ws - BOUND > found[n - 1]:
                    break
                for u in wall_instants(zone, ws, d.year, d.month, d.day, h, mi,
                                       cron.fixed):
                    if u > start:
                        i = bisect.bisect_left(found, u)
                        if i == len(found) or found[i] != u:
                            found.insert(i, u)
    return found[:n]


def oracle_line(expr, zname, start):
    """Expected output line of `autosched next --stdin`, or 'ERR'."""
    try:
        cron = Cron(expr)
    except CronError:
        return "ERR"
    try:
        zone = zone_or_none(zname)
    except Exception:
        zone = None
    if zone is None:
        return "ERR"
    r = next_n(cron, zone, start)
    if r == "NEVER" or not r:
        # NEVER: no fire instant after start at all (the days never exist, DST skips
        # every one of them in this zone, or the year 9999 ends first).
        return "NEVER"
    return " ".join(str(u) for u in r)


ZONE_NAME = re.compile(r"[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*\Z")


def zone_or_none(name):
    """Contract: a path of letters, digits, _ - + under the zone folder,
    naming a TZif file without leap seconds (so no 'right/...',
    'localtime', folders, zone.tab...)."""
    if not ZONE_NAME.match(name) or name == "localtime" or name.startswith("right/"):
        return None
    path = os.path.join("/usr/share/zoneinfo", name)
    if not os.path.isfile(path):
        return None
    with open(path, "rb") as f:
        if f.read(4) != b"TZif":
            return None
    return get_zone(name)


# --------------------------------------------------------------------------
# A second, differently built model for the self-test: walk UTC minutes
# forward and look at what the wall clock shows.  Valid only for zones whose
# offsets are whole minutes around the instants looked at.
# --------------------------------------------------------------------------

def brute_next_n(cron, zone, start, n=5, limit_minutes=200 * 1440):
    out = []
    u = (start // 60 + 1) * 60  # first whole UTC minute > start
    prev_off = offset_at(zone, u - 60)
    for _ in range(limit_minutes):
        w = (EPOCH + dt.timedelta(seconds=u)).astimezone(zone)
        off = w.utcoffset().days * 86400 + w.utcoffset().seconds
        assert off % 60 == 0
        fired = False
        if off != prev_off:
            # a transition in (u-60, u]; find it exactly
            t = transition_between(zone, u - 60, u)
            assert t == u, "transition not on a minute"
            if off > prev_off and cron.fixed:
                # skipped wall minutes: [t + prev_off, t + off)
                ws = t + prev_off
                while ws < t + off:
                    wd = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=ws)
                    if cron.matches_wall(wd.date(), wd.hour, wd.minute):
                        fired = True
                        break
                    ws += 60
        if not fired and cron.matches_wall(w.date(), w.hour, w.minute):
            if not (cron.fixed and w.fold == 1):
                fired = True
        if fired and u > start:
            out.append(u)
            if len(out) == n:
                return out
        prev_off = off
        u += 60
    return None  # not conclusive


# --------------------------------------------------------------------------
# Random case generator
# --------------------------------------------------------------------------

ZONES = ["UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe",
         "Asia/Kolkata", "Europe/Dublin", "Antarctica/Troll", "America/St_Johns",
         "Asia/Kathmandu", "Pacific/Chatham", "America/Santiago",
         "Africa/Casablanca", "Pacific/Apia", "Europe/London",
         "Australia/Sydney", "America/Sao_Paulo"]


def ts(y, mo=1, d=1, h=0, mi=0, s=0):
    return int((dt.datetime(y, mo, d, h, mi, s, tzinfo=UTC) - EPOCH).total_seconds())


def find_transitions(zone, lo, hi, step):
    """Offset changes of zone in [lo, hi] (UTC seconds), sampled every step."""
    out = []
    u = lo
    prev = offset_at(zone, u)
    while u < hi:
        v = min(u + step, hi)
        o = offset_at(zone, v)
        if o != prev:
            t = transition_between(zone, u, v)
            out.append((t, offset_at(zone, t - 1), offset_at(zone, t)))
        prev = o
        u = v
    return out


_transitions = {}


def zone_transitions(rng, name):
    """[(t, off_before, off_after), ...] of zone name in four epochs."""
    if name not in _transitions:
        z = get_zone(name)
        tr = []
        tr += find_transitions(z, ts(1850), ts(1970), 2 * 86400)
        tr += find_transitions(z, ts(1970), ts(2038), 2 * 86400)
        tr += find_transitions(z, ts(2038), ts(2101), 2 * 86400)
        # a short stretch of the far future (POSIX footer rule)
        y = rng.choice([2150, 2233, 2399, 2400, 2500, 3000])
        tr += find_transitions(z, ts(y), ts(y + 2), 2 * 86400)
        _transitions[name] = tr
    return _transitions[name]


def _num(rng, v):
    # occasionally with leading zeros
    if rng.random() < 0.08:
        return "0" * rng.randint(1, 2) + str(v)
    return str(v)


def _name(rng, names, v):
    n = names[v]
    c = rng.random()
    if c < 0.4:
        return n
    if c < 0.7:
        return n.upper()
    return n.capitalize()


def wide_step(rng, span):
    """A step wider than a field whose values span `span` (max - min)."""
    return rng.choice([span + 1, span + 1, span + 2, 60, 100, STEP_MAX,
                       rng.randint(span + 1, STEP_MAX)])


def gen_minute(rng, focus):
    """Return (text, begins_with_star)."""
    c = rng.random()
    if c < 0.06:
        # a step wider than the minutes: the start alone
        w = wide_step(rng, 59)
        a = focus if focus is not None else rng.randint(0, 59)
        return rng.choice([("*/%d" % w, True), ("%d/%d" % (a, w), False),
                           ("%d-59/%d" % (a, w), False),
                           ("*/%d,%d" % (w, rng.randint(0, 59)), True)])
    if c < 0.40:
        if focus is not None and rng.random() < 0.6:
            return (_num(rng, focus), False)
        return (_num(rng, rng.choice([0, 0, 30, 15, 45, 59, rng.randint(0, 59)])), False)
    if c < 0.52:
        if focus is not None and rng.random() < 0.5:
            return ("%d,%d" % (focus // 2, focus), False) if focus else ("0,30", False)
        a = rng.randint(0, 58)
        return ("%d,%d" % (a, rng.randint(a + 1, 59)), False)
    if c < 0.60:
        a = rng.randint(0, 50)
        return ("%d-%d" % (a, rng.randint(a, 59)), False)
    if c < 0.68:
        return (rng.choice(["0-59/15", "5/20", "10-50/10", "0,15-20,45",
                            "0/30", "1/29", "0-30/7,45", "0-59"]), False)
    if c < 0.78:
        return ("*", True)
    s = rng.choice([1, 2, 5, 7, 10, 10, 15, 15, 20, 30, 30, 45, 59, rng.randint(1, 59)])
    return ("*/%d" % s, True)


def gen_hour(rng, focus):
    c = rng.random()
    if c < 0.06:
        w = wide_step(rng, 23)
        a = focus if focus is not None else rng.randint(0, 23)
        return rng.choice([("*/%d" % w, True), ("%d/%d" % (a, w), False),
                           ("%d-23/%d" % (a, w), False)])
    if c < 0.45:
        if focus is not None and rng.random() < 0.75:
            return (_num(rng, focus), False)
        return (_num(rng, rng.choice([0, 1, 2, 2, 3, 23, rng.randint(0, 23)])), False)
    if c < 0.58:
        if focus is not None and rng.random() < 0.6:
            a = max(0, focus - 1)
            return ("%d-%d" % (a, min(23, focus + 1)), False)
        a = rng.randint(0, 22)
        return ("%d-%d" % (a, rng.randint(a, min(23, a + 4))), False)
    if c < 0.70:
        return (rng.choice(["1,2,3", "0,2", "2,3", "0-23/6", "2/4", "22-23",
                            "0-3,12", "1-3/2"]), False)
    if c < 0.85:
        return ("*", True)
    s = rng.choice([1, 2, 3, 5, 23, rng.randint(1, 23)])
    return ("*/%d" % s, True)


def gen_dom(rng, focused):
    c = rng.random()
    if c < (0.85 if focused else 0.62):
        return "*"
    if rng.random() < 0.1:
        w = wide_step(rng, 30)
        return rng.choice(["*/%d" % w, "%d/%d" % (rng.randint(1, 31), w),
                           "1-31/%d" % w, "29-31/%d,15" % w])
    return rng.choice(["*/2", "*/10", "1", "15", "1,15", "1-7", "10-20/3",
                       "31", "29", "13", "1-31", "5/7", "8-14",
                       str(rng.randint(1, 28)), "*/3", "2/2"])


def gen_month(rng, focus):
    c = rng.random()
    if c < 0.70:
        return "*"
    if focus is not None and c < 0.85:
        choices = [str(focus), _name(rng, MONTH_NAMES, focus - 1),
                   "%d,%d" % (focus, focus % 12 + 1),
                   "%d-%d" % (max(1, focus - 1), min(12, focus + 1)),
                   "%s/%d" % (_name(rng, MONTH_NAMES, focus - 1), wide_step(rng, 11))]
        return rng.choice(choices)
    if c < 0.88:
        w = wide_step(rng, 11)
        return rng.choice(["*/%d" % w, "%d/%d" % (rng.randint(1, 12), w),
                           "jan-jun/%d" % w])
    return rng.choice(["3,10", "mar,oct", "MAR-OCT", "jan-jun/2", "*/3", "4/2",
                       "Nov-Dec", "2", "feb", "9-12", "1,4,7,10"])


def gen_dow(rng, focused):
    c = rng.random()
    if c < (0.75 if focused else 0.60):
        return "*"
    v = rng.randint(0, 6)
    if rng.random() < 0.1:
        w = wide_step(rng, 7)
        return rng.choice(["*/%d" % w, "%d/%d" % (v, w), "mon-fri/%d" % w,
                           "0-7/%d" % w, "*/7"])
    return rng.choice([str(v), "7", _name(rng, DOW_NAMES, v), "mon-fri",
                       "fri-sun", "sat-sun", "Fri-SUN", "5-0", "0,6", "1-5/2",
                       "*/2", "1/2", "sun", "6-7", "0-6", "1,3,5", "SAT",
                       "tue-thu", "*/3"])


MACRO_TEXTS = ["@daily", "@HOURLY", "@weekly", "@monthly", "@yearly",
               "@Annually", "@midnight", "@Daily"]


def gen_expr(rng, hour_focus=None, min_focus=None, month_focus=None):
    if rng.random() < 0.03:
        return rng.choice(MACRO_TEXTS)
    m, _ = gen_minute(rng, min_focus)
    h, _ = gen_hour(rng, hour_focus)
    focused = hour_focus is not None
    fields = [m, h, gen_dom(rng, focused), gen_month(rng, month_focus),
              gen_dow(rng, focused)]
    sep = " "
    if rng.random() < 0.05:
        sep = "  "
    text = sep.join(fields)
    if rng.random() < 0.03:
        text = "  " + text + " "
    return text


def targeted_case(rng, zname, t, ob, oa):
    """A schedule naming a wall time in the gap or fold of the transition at
    t (offsets ob -> oa), with start right around the transition."""
    lo, hi = t + min(ob, oa), t + max(ob, oa)
    w = rng.randrange(lo, hi) if hi > lo else lo
    w = w - w % 60 + (60 if w % 60 and rng.random() < 0.5 else 0)
    wd = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=w)
    h, m = wd.hour, wd.minute
    width = hi - lo  # length of the gap / fold
    k = rng.random()
    if k < 0.45:
        expr = "%d %d * * *" % (m, h)                      # fixed
    elif k < 0.55:
        expr = "%d,%d %d,%d * * *" % (m, (m + 30) % 60, h, (h + 1) % 24)  # fixed
    elif k < 0.75:
        expr = "%d * * * *" % m                            # non-fixed
    elif k < 0.85:
        expr = "*/%d %d * * *" % (rng.choice([1, 5, 15, 30]), h)  # non-fixed
    elif k < 0.88:
        expr = "%d/%d %d * * *" % (m, wide_step(rng, 59), h)  # fixed: m alone
    elif k < 0.9:
        expr = "*/%d %d * * *" % (wide_step(rng, 59), h)  # non-fixed: minute 0
    elif k < 0.92:
        expr = "%d %d/%d * * *" % (m, h, wide_step(rng, 23))  # fixed: h alone
    else:
        expr = "* * * * *"
    start = t + rng.choice([-86400, -3600, -61, -60, -1, 0, 1, 59, 60,
                            width // 2, width - 1, width, width + 1,
                            -width // 2, -width])
    return (expr, zname, start)


def gen_cases(rng, count, zones=ZONES):
    cases = []
    while len(cases) < count:
        zname = rng.choice(zones)
        trs = zone_transitions(rng, zname)
        hour_focus = min_focus = month_focus = None
        if trs and rng.random() < 0.8:
            e = rng.random()
            if e < 0.12:
                pool = [t for t in trs if t[0] < 0]
            elif e < 0.35:
                pool = [t for t in trs if t[0] >= ts(2038)]
            else:
                pool = [t for t in trs if 0 <= t[0] < ts(2038)]
            if not pool:
                pool = trs
            t, ob, oa = rng.choice(pool)
            if rng.random() < 0.15:
                cases.append(targeted_case(rng, zname, t, ob, oa))
                continue
            # a wall time inside the gap / fold (pre-transition wall clock)
            if rng.random() < 0.75:
                lo, hi = t + min(ob, oa), t + max(ob, oa)
                w = rng.randrange(lo, hi) if hi > lo else lo
                wd = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=w)
                hour_focus, min_focus, month_focus = wd.hour, wd.minute, wd.month
            r = rng.random()
            if r < 0.05:
                start = t + rng.choice([-1, 0, 1, -60, 60, -3600])
            else:
                # mostly before the transition, so that the next 5 runs
                # have a chance to meet it
                if rng.random() < 0.75:
                    start = t - rng.randint(0, 2 * 86400)
                else:
                    start = t + rng.randint(0, 2 * 86400)
                if rng.random() < 0.5:
                    start -= start % 60
        else:
            start = rng.randint(ts(1970), ts(2100))
            if rng.random() < 0.4:
                start -= start % 60
        expr = gen_expr(rng, hour_focus, min_focus, month_focus)
        try:
            Cron(expr)
        except CronError as e:  # generator bug: never feed invalid ones here
            raise AssertionError("generator made invalid %r: %s" % (expr, e))
        cases.append((expr, zname, start))
    return cases


# --------------------------------------------------------------------------
# Hand-picked cases
# --------------------------------------------------------------------------

def Z(s):
    """'2026-03-29T01:00:00Z' -> Unix seconds (years 1..10000)."""
    if s.startswith("10000-"):  # datetime stops at 9999; 10000 is a leap year
        return Z("9999-" + s[6:]) + (365 if s[6:11] < "03-01" else 366) * 86400
    return int((dt.datetime.fromisoformat(s.replace("Z", "+00:00")) - EPOCH).total_seconds())


# (expr, zone, start, expected) with expected either a list of ISO-UTC
# strings (hand-computed), "NEVER", "ERR", or None (= whatever the oracle says).
HAND = [
    # Paris spring forward 2026-03-29 01:00Z (02:00 CET -> 03:00 CEST)
    ("30 2 * * *", "Europe/Paris", Z("2026-03-28T12:00:00Z"),
     ["2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z",
      "2026-04-01T00:30:00Z", "2026-04-02T00:30:00Z"]),
    # non-fixed: wall 02:00/02:30 don't exist, UTC half-hours are all there
    ("*/30 * * * *", "Europe/Paris", Z("2026-03-29T00:00:00Z"),
     ["2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z",
      "2026-03-29T02:00:00Z", "2026-03-29T02:30:00Z"]),
    ("*/10 2 * * *", "Europe/Paris", Z("2026-03-28T12:00:00Z"),
     ["2026-03-30T00:00:00Z", "2026-03-30T00:10:00Z", "2026-03-30T00:20:00Z",
      "2026-03-30T00:30:00Z", "2026-03-30T00:40:00Z"]),
    # several missing times + the run at 03:00 collapse into one run
    ("0,30 1-3 * * *", "Europe/Paris", Z("2026-03-29T00:00:00Z"),
     ["2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z",
      "2026-03-29T23:00:00Z", "2026-03-29T23:30:00Z"]),
    # Paris fall back 2026-10-25 01:00Z (03:00 CEST -> 02:00 CET)
    ("30 2 * * *", "Europe/Paris", Z("2026-10-24T12:00:00Z"),
     ["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", "2026-10-27T01:30:00Z",
      "2026-10-28T01:30:00Z", "2026-10-29T01:30:00Z"]),
    ("30 * * * *", "Europe/Paris", Z("2026-10-24T23:00:00Z"),
     ["2026-10-24T23:30:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z",
      "2026-10-25T02:30:00Z", "2026-10-25T03:30:00Z"]),
    ("*/20 2 * * *", "Europe/Paris", Z("2026-10-25T00:00:00Z"),
     ["2026-10-25T00:20:00Z", "2026-10-25T00:40:00Z", "2026-10-25T01:00:00Z",
      "2026-10-25T01:20:00Z", "2026-10-25T01:40:00Z"]),
    # Lord Howe 2011-10-02: 02:00 +1030 -> 02:30 +11 at 15:30Z (Oct 1)
    ("0,15 2 * * *", "Australia/Lord_Howe", Z("2011-10-01T12:00:00Z"),
     ["2011-10-01T15:30:00Z", "2011-10-02T15:00:00Z", "2011-10-02T15:15:00Z",
      "2011-10-03T15:00:00Z", "2011-10-03T15:15:00Z"]),
    ("0,15,30 2 * * *", "Australia/Lord_Howe", Z("2011-10-01T12:00:00Z"),
     ["2011-10-01T15:30:00Z", "2011-10-02T15:00:00Z", "2011-10-02T15:15:00Z",
      "2011-10-02T15:30:00Z", "2011-10-03T15:00:00Z"]),
    # Lord Howe fall back 2011-04-03 02:00 +11 -> 01:30 +1030 at 15:00Z (Apr 2)
    ("45 1 * * *", "Australia/Lord_Howe", Z("2011-04-02T12:00:00Z"),
     ["2011-04-02T14:45:00Z", "2011-04-03T15:15:00Z", "2011-04-04T15:15:00Z",
      "2011-04-05T15:15:00Z", "2011-04-06T15:15:00Z"]),
    ("45 * * * *", "Australia/Lord_Howe", Z("2011-04-02T13:00:00Z"),
     ["2011-04-02T13:45:00Z", "2011-04-02T14:45:00Z", "2011-04-02T15:15:00Z",
      "2011-04-02T16:15:00Z", "2011-04-02T17:15:00Z"]),
    # Apia skipped Friday 2011-12-30: 23:59:59 -10 -> 00:00 +14 at 10:00Z
    ("30 2 * * *", "Pacific/Apia", Z("2011-12-29T00:00:00Z"),
     ["2011-12-29T12:30:00Z", "2011-12-30T10:00:00Z", "2011-12-30T12:30:00Z",
      "2011-12-31T12:30:00Z", "2012-01-01T12:30:00Z"]),
    ("0 12 * * 5", "Pacific/Apia", Z("2011-12-20T00:00:00Z"),
     ["2011-12-23T22:00:00Z", "2011-12-30T10:00:00Z", "2012-01-05T22:00:00Z",
      "2012-01-12T22:00:00Z", "2012-01-19T22:00:00Z"]),
    ("0 * 30 12 *", "Pacific/Apia", Z("2011-12-01T00:00:00Z"),
     ["2012-12-29T10:00:00Z", "2012-12-29T11:00:00Z", "2012-12-29T12:00:00Z",
      "2012-12-29T13:00:00Z", "2012-12-29T14:00:00Z"]),
    # Troll: +00 -> +02 at 01:00Z; 01:00-02:59 missing
    ("0 1,2 * * *", "Antarctica/Troll", Z("2011-03-26T12:00:00Z"),
     ["2011-03-27T01:00:00Z", "2011-03-27T23:00:00Z", "2011-03-28T00:00:00Z",
      "2011-03-28T23:00:00Z", "2011-03-29T00:00:00Z"]),
    # St John's 2011-03-13: 00:00:59 NST -> 01:01 NDT at 03:31Z
    ("0 1 * * *", "America/St_Johns", Z("2011-03-12T12:00:00Z"),
     ["2011-03-13T03:31:00Z", "2011-03-14T03:30:00Z", "2011-03-15T03:30:00Z",
      "2011-03-16T03:30:00Z", "2011-03-17T03:30:00Z"]),
    # Kathmandu 1986-01-01 00:00 +0530 -> 00:15 +0545 at 1985-12-31T18:30Z
    ("10 0 * * *", "Asia/Kathmandu", Z("1985-12-31T00:00:00Z"),
     ["1985-12-31T18:30:00Z", "1986-01-01T18:25:00Z", "1986-01-02T18:25:00Z",
      "1986-01-03T18:25:00Z", "1986-01-04T18:25:00Z"]),
    # Santiago 2011-08-21: 24:00 -04 -> 01:00 -03 (Sunday 00:xx missing)
    ("30 0 * * 0", "America/Santiago", Z("2011-08-15T00:00:00Z"),
     ["2011-08-21T04:00:00Z", "2011-08-28T03:30:00Z", "2011-09-04T03:30:00Z",
      "2011-09-11T03:30:00Z", "2011-09-18T03:30:00Z"]),
    # Santiago 2011-05-08: 24:00 -03 -> 23:00 -04 Saturday (fold 23:xx)
    ("30 23 * * 6", "America/Santiago", Z("2011-05-07T00:00:00Z"),
     ["2011-05-08T02:30:00Z", "2011-05-15T03:30:00Z", "2011-05-22T03:30:00Z",
      "2011-05-29T03:30:00Z", "2011-06-05T03:30:00Z"]),
    ("30 */23 * * 6", "America/Santiago", Z("2011-05-07T12:00:00Z"),
     ["2011-05-08T02:30:00Z", "2011-05-08T03:30:00Z", "2011-05-14T04:30:00Z",
      "2011-05-15T03:30:00Z", "2011-05-21T04:30:00Z"]),
    # leap years: 2100 is not one, 2400 is
    ("0 0 29 2 *", "UTC", Z("2097-01-01T00:00:00Z"),
     ["2104-02-29T00:00:00Z", "2108-02-29T00:00:00Z", "2112-02-29T00:00:00Z",
      "2116-02-29T00:00:00Z", "2120-02-29T00:00:00Z"]),
    ("0 0 29 2 *", "UTC", Z("2396-03-01T00:00:00Z"),
     ["2400-02-29T00:00:00Z", "2404-02-29T00:00:00Z", "2408-02-29T00:00:00Z",
      "2412-02-29T00:00:00Z", "2416-02-29T00:00:00Z"]),
    # day rule
    ("0 9 13 * 5", "UTC", Z("2026-02-01T00:00:00Z"),
     ["2026-02-06T09:00:00Z", "2026-02-13T09:00:00Z", "2026-02-20T09:00:00Z",
      "2026-02-27T09:00:00Z", "2026-03-06T09:00:00Z"]),
    ("0 0 */2 * 1", "UTC", Z("2026-01-01T00:00:00Z"),
     ["2026-01-05T00:00:00Z", "2026-01-19T00:00:00Z", "2026-02-09T00:00:00Z",
      "2026-02-23T00:00:00Z", "2026-03-09T00:00:00Z"]),
    ("0 0 1-31 * 1", "UTC", Z("2026-01-01T00:00:00Z"),
     ["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z",
      "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z"]),
    # '1,*' does not begin with '*': either-rule -> every day
    ("0 0 1,* * 1", "UTC", Z("2026-01-01T00:00:00Z"),
     ["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z",
      "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z"]),
    # dow 1/2 = 1-7/2 = mon,wed,fri,sun ; fri-sun = 5-7
    ("0 12 * * 1/2", "UTC", Z("2026-01-05T00:00:00Z"),
     ["2026-01-05T12:00:00Z", "2026-01-07T12:00:00Z", "2026-01-09T12:00:00Z",
      "2026-01-11T12:00:00Z", "2026-01-12T12:00:00Z"]),
    ("0 12 * * fri-sun", "UTC", Z("2026-01-05T00:00:00Z"),
     ["2026-01-09T12:00:00Z", "2026-01-10T12:00:00Z", "2026-01-11T12:00:00Z",
      "2026-01-16T12:00:00Z", "2026-01-17T12:00:00Z"]),
    # start inside a minute; strictly after
    ("* * * * *", "UTC", Z("2026-01-01T00:00:00Z"),
     ["2026-01-01T00:01:00Z", "2026-01-01T00:02:00Z", "2026-01-01T00:03:00Z",
      "2026-01-01T00:04:00Z", "2026-01-01T00:05:00Z"]),
    ("* * * * *", "UTC", Z("2026-01-01T00:00:00Z") - 1,
     ["2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", "2026-01-01T00:02:00Z",
      "2026-01-01T00:03:00Z", "2026-01-01T00:04:00Z"]),
    ("@hourly", "Asia/Kolkata", Z("2026-01-01T00:00:30Z"),
     ["2026-01-01T00:30:00Z", "2026-01-01T01:30:00Z", "2026-01-01T02:30:00Z",
      "2026-01-01T03:30:00Z", "2026-01-01T04:30:00Z"]),
    # macros, names, case, whitespace (answers from the oracle)
    ("@YEARLY", "Europe/Paris", Z("2026-06-01T00:00:00Z"), None),
    ("@weekly", "America/New_York", Z("2026-03-01T00:00:00Z"), None),
    ("@monthly", "Australia/Sydney", Z("2026-03-01T00:00:00Z"), None),
    ("@midnight", "America/Sao_Paulo", Z("2018-11-01T00:00:00Z"), None),
    ("0 8 * JAN-jun/2 Mon-FRI", "Europe/London", Z("2026-01-01T00:00:00Z"), None),
    ("  0   8 *\t* *  ".replace("\t", " "), "UTC", Z("2026-01-01T00:00:00Z"), None),
    ("08 08 01 01 *", "UTC", Z("2026-01-01T00:00:00Z"), None),
    ("0 0 */29 2 1", "UTC", Z("2026-01-01T00:00:00Z"), None),   # Monday 29 Feb: rare
    ("0 0 31 * *", "Pacific/Apia", Z("2026-01-01T00:00:00Z"), None),
    ("0 0 29 2 *", "UTC", Z("2026-01-01T00:00:00Z"), None),
    ("0 0 29 2 1", "UTC", Z("2026-01-01T00:00:00Z"), None),
    ("30 2 * * *", "Europe/Dublin", Z("1916-05-20T12:00:00Z"), None),  # DMT -> IST
    ("30 1 * * *", "America/St_Johns", Z("1917-04-07T12:00:00Z"), None),  # -3:30:52
    ("30 2 * * *", "Europe/Paris", Z("2150-03-25T00:00:00Z"), None),
    ("30 2 * * *", "Europe/Paris", Z("1945-04-01T00:00:00Z"), None),
    ("*/15 2 * * *", "America/New_York", Z("2099-03-07T00:00:00Z"), None),
    ("0 0 1 1 *", "UTC", Z("9990-06-01T00:00:00Z"), None),
    # "The engine searches up to the year 9999; past that nothing fires."
    # Fewer than 5 runs remain: the line holds only those; none at all is NEVER.
    ("0 0 1 1 *", "UTC", Z("9998-06-01T00:00:00Z"), ["9999-01-01T00:00:00Z"]),
    ("* * * * *", "UTC", Z("9999-12-31T23:59:50Z"), "NEVER"),
    ("0 0 * * *", "UTC", Z("9999-12-31T23:59:59Z"), "NEVER"),
    # 02:xx on a Sunday 29 March never exists in Paris (the EU jump is the last Sunday of
    # March) and a non-fixed schedule skips gap times: NEVER there, fires in UTC.
    ("* 2 29 3 */7", "Europe/Paris", Z("2026-03-01T00:00:00Z"), "NEVER"),
    ("* 2 29 3 */7", "UTC", Z("2026-03-01T00:00:00Z"), None),
    ("0 20 31 12 *", "America/New_York", Z("9999-06-01T00:00:00Z"),
     ["10000-01-01T01:00:00Z"]),  # wall-clock year 9999 (a UTC instant in 10000)
    # never fires
    ("0 0 30 2 *", "UTC", 0, "NEVER"),
    ("0 0 31 4,6,9,11 *", "Europe/Paris", 0, "NEVER"),
    ("0 0 30/2 2 *", "UTC", 0, "NEVER"),
    ("0 0 */30 2 *", "UTC", 0, None),  # */30 = 1,31: fires on 1 February
    ("0 0 31 2 1", "UTC", 0, None),  # either-rule: fires on Mondays in Feb
    ("0 0 30/40 2 *", "UTC", 0, "NEVER"),  # 30/40 = {30}
    ("0 0 31 2/12 *", "UTC", 0, "NEVER"),  # 2/12 = {2}
    # steps wider than the field: the start of the range alone (cronie)
    ("*/60 * * * *", "UTC", Z("2026-05-10T10:07:00Z"),
     ["2026-05-10T11:00:00Z", "2026-05-10T12:00:00Z", "2026-05-10T13:00:00Z",
      "2026-05-10T14:00:00Z", "2026-05-10T15:00:00Z"]),
    ("7/1000 * * * *", "UTC", Z("2026-05-10T10:07:00Z"),
     ["2026-05-10T11:07:00Z", "2026-05-10T12:07:00Z", "2026-05-10T13:07:00Z",
      "2026-05-10T14:07:00Z", "2026-05-10T15:07:00Z"]),
    # hour 0 in Paris: 00:00 local, +01 before 29 March, +02 after
    ("0 */24 * * *", "Europe/Paris", Z("2026-03-27T12:00:00Z"),
     ["2026-03-27T23:00:00Z", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z",
      "2026-03-30T22:00:00Z", "2026-03-31T22:00:00Z"]),
    ("0 0 */31 * *", "UTC", Z("2026-01-01T00:00:00Z"),
     ["2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z",
      "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z"]),
    ("0 0 * */12 *", "UTC", Z("2026-05-10T00:00:00Z"),
     ["2027-01-01T00:00:00Z", "2027-01-02T00:00:00Z", "2027-01-03T00:00:00Z",
      "2027-01-04T00:00:00Z", "2027-01-05T00:00:00Z"]),
    ("0 0 * * */8", "UTC", Z("2026-05-11T00:00:00Z"),  # Sundays
     ["2026-05-17T00:00:00Z", "2026-05-24T00:00:00Z", "2026-05-31T00:00:00Z",
      "2026-06-07T00:00:00Z", "2026-06-14T00:00:00Z"]),
    # fixed-time (7/60 begins with 7): the missing 02:07 fires at the jump
    ("7/60 2 * * *", "Europe/Paris", Z("2026-03-28T12:00:00Z"),
     ["2026-03-29T01:00:00Z", "2026-03-30T00:07:00Z", "2026-03-31T00:07:00Z",
      "2026-04-01T00:07:00Z", "2026-04-02T00:07:00Z"]),
    # not fixed-time (*/60 begins with '*'): both 02:00 of 25 October
    ("*/60 2 * * *", "Europe/Paris", Z("2026-10-24T12:00:00Z"),
     ["2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", "2026-10-26T01:00:00Z",
      "2026-10-27T01:00:00Z", "2026-10-28T01:00:00Z"]),
    # not fixed-time: the missing midnight of Sunday 6 September is skipped
    ("0 */24 * * *", "America/Santiago", Z("2026-09-05T12:00:00Z"),
     ["2026-09-07T03:00:00Z", "2026-09-08T03:00:00Z", "2026-09-09T03:00:00Z",
      "2026-09-10T03:00:00Z", "2026-09-11T03:00:00Z"]),
    # invalid expressions
    ("0 24 * * *", "UTC", 0, "ERR"),
    ("*/0 * * * *", "UTC", 0, "ERR"),
    ("@reboot", "UTC", 0, "ERR"),
    ("0 0 * * * *", "UTC", 0, "ERR"),
    ("0 0 * *", "UTC", 0, "ERR"),
    ("60 0 * * *", "UTC", 0, "ERR"),
    ("0 0 0 * *", "UTC", 0, "ERR"),
    ("0 0 32 * *", "UTC", 0, "ERR"),
    ("0 0 * 13 *", "UTC", 0, "ERR"),
    ("0 0 * 0 *", "UTC", 0, "ERR"),
    ("0 0 * * 8", "UTC", 0, "ERR"),
    ("0 0 * * 5-1", "UTC", 0, "ERR"),
    ("0 0 * janu *", "UTC", 0, "ERR"),
    ("0 0 * * monday", "UTC", 0, "ERR"),
    ("0 0 L * *", "UTC", 0, "ERR"),
    ("0 0 15W * *", "UTC", 0, "ERR"),
    ("0 0 * * 5#3", "UTC", 0, "ERR"),
    ("0 0 ? * *", "UTC", 0, "ERR"),
    ("H 0 * * *", "UTC", 0, "ERR"),
    ("0 0 1,,2 * *", "UTC", 0, "ERR"),
    ("0, 0 * * *", "UTC", 0, "ERR"),
    ("*/1001 * * * *", "UTC", 0, "ERR"),
    ("0 */1001 * * *", "UTC", 0, "ERR"),
    ("0 0 */1001 * *", "UTC", 0, "ERR"),
    ("0 0 * */1001 *", "UTC", 0, "ERR"),
    ("0 0 * * */1001", "UTC", 0, "ERR"),
    ("0 */0 * * *", "UTC", 0, "ERR"),
    ("*/99999999999999999999 * * * *", "UTC", 0, "ERR"),
    ("0 0 * * 1-", "UTC", 0, "ERR"),
    ("0 0 * * -1", "UTC", 0, "ERR"),
    ("5-3 * * * *", "UTC", 0, "ERR"),
    ("\u0661 * * * *", "UTC", 0, "ERR"),   # ARABIC-INDIC DIGIT ONE
    ("", "UTC", 0, "ERR"),
    # invalid zones
    ("0 0 * * *", "Europe", 0, "ERR"),
    ("0 0 * * *", "zone.tab", 0, "ERR"),
    ("0 0 * * *", "../../etc/passwd", 0, "ERR"),
    ("0 0 * * *", "../etc/passwd", 0, "ERR"),
    ("0 0 * * *", "Not/AZone", 0, "ERR"),
    ("0 0 * * *", "/etc/localtime", 0, "ERR"),
    ("0 0 * * *", "localtime", 0, "ERR"),
    ("0 0 * * *", "right/UTC", 0, "ERR"),
    ("0 0 * * *", "", 0, "ERR"),
]


def hand_cases():
    out = []
    for expr, zone, start, exp in HAND:
        if isinstance(exp, list):
            exp = " ".join(str(Z(s)) for s in exp)
        out.append(((expr, zone, start), exp))
    return out


# --------------------------------------------------------------------------
# Reporting helpers
# --------------------------------------------------------------------------

CYCLE = 146097 * 86400  # 400 Gregorian years


def iso_utc(u):
    k = 0
    while u >= ts(9999, 12, 31):  # beyond datetime: shift by 400-year cycles
        u, k = u - CYCLE, k + 400
    while u < ts(1, 1, 2):
        u, k = u + CYCLE, k - 400
    t = EPOCH + dt.timedelta(seconds=u)
    return "%d%s" % (t.year + k, t.strftime("-%m-%dT%H:%M:%SZ"))


def iso_local(u, zname):
    try:
        z = get_zone(zname)
        w = (EPOCH + dt.timedelta(seconds=u)).astimezone(z)
    except Exception:
        return "?"
    off = w.utcoffset()
    s = off.days * 86400 + off.seconds
    sign = "+" if s >= 0 else "-"
    s = abs(s)
    return "%s%s%02d:%02d%s%s" % (w.strftime("%Y-%m-%dT%H:%M:%S"), sign, s // 3600,
                                   s // 60 % 60, (":%02d" % (s % 60)) if s % 60 else "",
                                   " (fold=1)" if w.fold else "")


def readable(line, zname):
    if line is None:
        return "        (no line)"
    if line == "":
        return "        (empty line)"
    parts = line.split()
    if parts and all(re.fullmatch(r"-?[0-9]+", p) for p in parts):
        return "\n".join("        %s  %s  %s" % (p, iso_utc(int(p)), iso_local(int(p), zname))
                         for p in parts)
    return "        " + line


def classify_instant(zname, u):
    """What kind of instant u is on zone's clock (for the mismatch summary)."""
    try:
        z = get_zone(zname)
        before, at = offset_at(z, u - 1), offset_at(z, u)
    except Exception:
        return "?"
    if at > before:
        return "jump"  # the instant the clock jumps forward
    w = (EPOCH + dt.timedelta(seconds=u)).astimezone(z)
    if w.fold:
        return "fold-2nd"
    if w.replace(fold=1).utcoffset() != w.utcoffset():
        return "fold-1st"
    return "plain"


def mismatch_class(expr, zname, exp, got):
    try:
        fixed = "fixed" if Cron(expr).fixed else "non-fixed"
    except CronError:
        fixed = "invalid"
    nums = re.compile(r"-?[0-9]+( -?[0-9]+)*\Z")
    if exp in ("ERR", "NEVER") or got is None or not nums.match(got) \
            or not nums.match(exp):
        g = "no line" if got is None else "an empty line" if got == "" else \
            got.split(" ")[0] if not nums.match(got) else "times"
        e = exp if exp in ("ERR", "NEVER") else "an empty line" if exp == "" else "times"
        return "%s: expected %s, got %s" % (fixed, e, g)
    es, gs = set(map(int, exp.split())), set(map(int, got.split()))
    cut = min(max(es), max(gs))  # only differences both sides cover
    missing = sorted({classify_instant(zname, u) for u in es - gs if u <= cut})
    extra = sorted({classify_instant(zname, u) for u in gs - es if u <= cut})
    return "%s: missing %s, extra %s" % (fixed, "+".join(missing) or "-",
                                         "+".join(extra) or "-")


def same(expected, got):
    if expected == "ERR":
        return got is not None and got.startswith("ERR ")
    return got == expected


# --------------------------------------------------------------------------
# Self-test
# --------------------------------------------------------------------------

def self_test(cases, rng):
    failures = 0
    t0 = time.time()
    for (expr, zname, start), exp in hand_cases():
        got = oracle_line(expr, zname, start)
        ok = (got == "ERR") if exp == "ERR" else (exp is None or got == exp)
        if not ok:
            failures += 1
            print("SELF-TEST hand case FAILED: %r %s %d\n  expected:\n%s\n  oracle:\n%s"
                  % (expr, zname, start, readable(exp, zname), readable(got, zname)))
    print("self-test: %d hand cases checked (%.2fs)" % (len(HAND), time.time() - t0))

    # never_fires vs. an analytic statement of the same thing
    for expr in ["0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 29 2 *", "0 0 */30 2 *",
                 "0 0 31 2 1", "0 0 30 2 */1",
                 "0 0 31 2,4 *", "0 0 31 2,5 *", "0 0 30/40 2 *", "0 0 */40 2 *",
                 "0 0 31 2/12 *", "0 0 31 1/12 *"]:
        c = Cron(expr)
        dim = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30,
               10: 31, 11: 30, 12: 31}
        either = not c.dom_star and not c.dow_star
        analytic = (not either) and not any(d <= dim[m] for m in c.months for d in c.doms)
        if analytic != never_fires(c):
            failures += 1
            print("SELF-TEST never_fires disagrees for %r" % expr)

    # cross-check next_n against the UTC-walking brute force
    t0 = time.time()
    checked = 0
    for expr, zname, start in cases:
        c = Cron(expr)
        z = get_zone(zname)
        # brute force needs whole-minute offsets near the answer
        if start < ts(1970) or offset_at(z, start) % 60:
            continue
        exp = next_n(c, z, start)
        if exp == "NEVER" or exp[-1] - start > 60 * 86400:
            continue
        if any(offset_at(z, u) % 60 for u in exp):
            continue
        got = brute_next_n(c, z, start, limit_minutes=(exp[-1] - start) // 60 + 10)
        checked += 1
        if got != exp:
            failures += 1
            print("SELF-TEST brute force disagrees: %r %s %d (%s)\n  next_n:\n%s\n  brute:\n%s"
                  % (expr, zname, start, iso_utc(start),
                     readable(" ".join(map(str, exp)), zname),
                     readable(" ".join(map(str, got)) if got else None, zname)))
    print("self-test: %d random cases cross-checked against brute force (%.1fs)"
          % (checked, time.time() - t0))
    print("self-test: %s" % ("OK" if failures == 0 else "%d FAILURES" % failures))
    return failures == 0


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bin", nargs="?", help="path of bin/autosched")
    ap.add_argument("--cases", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--max-print", type=int, default=None)
    ap.add_argument("--dump", default=None)
    ap.add_argument("--timeout", type=float, default=110.0)
    ap.add_argument("--tap", action="store_true",
                    help="end with a TAP line (ok / not ok) for tests/run")
    ap.add_argument("--zones", default=None,
                    help="comma-separated zones for the random cases, or 'all' "
                         "(every zone zoneinfo knows); default: the built-in list")
    a = ap.parse_args()
    if not a.self_test and not a.bin:
        ap.error("BIN is required (or --self-test)")
    if "PYTHONTZPATH" in os.environ or "TZDIR" in os.environ:
        print("oracle: warning: PYTHONTZPATH/TZDIR set; oracle and tool may read "
              "different tzdata")

    seed = a.seed if a.seed is not None else random.SystemRandom().randrange(1 << 32)
    print("oracle: seed %d (rerun with --seed %d)" % (seed, seed))
    sys.stdout.flush()
    rng = random.Random(seed)
    t0 = time.time()
    zones = ZONES
    if a.zones == "all":
        zones = sorted(zoneinfo.available_timezones())
    elif a.zones:
        zones = a.zones.split(",")
    rand_cases = gen_cases(rng, a.cases, zones)
    t_gen = time.time() - t0

    if a.self_test:
        ok = self_test(rand_cases, rng)
        sys.exit(0 if ok else 1)

    t0 = time.time()
    work = [(c, None) for c in rand_cases] + hand_cases()
    expected = []
    for (expr, zname, start), exp in work:
        o = oracle_line(expr, zname, start)
        if exp is None:
            exp = o
        elif exp != o:
            print("oracle: internal: hand case %r %s %d: oracle says %s, list says %s"
                  % (expr, zname, start, o, exp))
        expected.append(exp)
    t_oracle = time.time() - t0

    lines = ["%s\t%s\t%d\n" % c for c, _ in work]
    data = "".join(lines)
    if a.dump:
        with open(a.dump, "w") as f:
            f.write(data)

    t0 = time.time()
    try:
        p = subprocess.run([a.bin, "next", "--stdin"], input=data.encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=a.timeout)
    except subprocess.TimeoutExpired:
        print("oracle: %s did not answer within %.0fs" % (a.bin, a.timeout))
        finish(a, len(work), len(work))
    t_tool = time.time() - t0
    out = p.stdout.decode("utf-8", "replace").split("\n")
    if out and out[-1] == "":
        out.pop()
    if p.returncode != 0:
        print("oracle: note: %s exited with status %d; stderr: %s"
              % (a.bin, p.returncode, p.stderr.decode("utf-8", "replace")[:2000]))
    if len(out) != len(work):
        print("oracle: note: %d input lines but %d output lines" % (len(work), len(out)))

    mism = 0
    classes = {}
    for i, ((expr, zname, start), _) in enumerate(work):
        exp = expected[i]
        got = out[i] if i < len(out) else None
        if same(exp, got):
            continue
        mism += 1
        k = mismatch_class(expr, zname, exp, got)
        classes.setdefault(k, []).append(i + 1)
        if a.max_print is None or mism <= a.max_print:
            print("MISMATCH line %d: %r  zone %s  start %d = %s = %s" % (
                i + 1, expr, zname, start, iso_utc(start), iso_local(start, zname)))
            print("    expected:%s\n%s" % (" (any 'ERR ...')" if exp == "ERR" else "",
                                         readable(exp, zname)))
            print("    got:\n%s" % readable(got, zname))
    if classes:
        print("oracle: mismatch classes (instant kinds: plain, jump = the instant of a "
              "spring-forward jump, fold-1st / fold-2nd = first / second occurrence "
              "of a repeated wall time):")
        for k, v in sorted(classes.items(), key=lambda kv: -len(kv[1])):
            print("  %5d  %s   e.g. lines %s" % (len(v), k, " ".join(map(str, v[:5]))))
    print("oracle: timing: generate %.1fs, oracle %.1fs, tool %.1fs"
          % (t_gen, t_oracle, t_tool))
    finish(a, len(work), mism)


def finish(a, ncases, mism):
    """Prints the summary (and the TAP line when asked) and exits."""
    summary = "oracle: %d cases, %d mismatches" % (ncases, mism)
    print(summary)
    if a.tap:
        print("%s 1 - %s" % ("ok" if mism == 0 else "not ok", summary[len("oracle: "):]))
        print("1..1")
    sys.exit(0 if mism == 0 else 1)


if __name__ == "__main__":
    main()
