"""The audit trail: one line "audit: WHO VERB job ID (NAME) via DOOR" per job change, in the
web server's error log (the FastCGI programs' stderr) or on the CLI's stderr."""
import collections
import time

from .util import wait_until


def audit_lines(text):
    """What follows "audit: " on each line of text that has it."""
    return [l[l.index("audit: ") + len("audit: "):] for l in text.splitlines()
            if "audit: " in l]


class AuditWatch:
    """Watches a log (read: a function returning its whole text) for new audit lines."""

    def __init__(self, read):
        self.read = read
        self.seen = collections.Counter(audit_lines(read()))

    def fresh(self):
        return list((collections.Counter(audit_lines(self.read())) - self.seen).elements())

    def new(self, want=0, timeout=2.0, settle=0.3):
        """The audit lines written since the last call: waits up to timeout seconds for want
        of them, then settle seconds more for any extra one (with want 0, settle only)."""
        if want:
            wait_until(lambda: len(self.fresh()) >= want, timeout)
        time.sleep(settle)
        got = self.fresh()
        self.seen.update(got)
        return got
