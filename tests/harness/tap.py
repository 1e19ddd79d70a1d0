"""TAP output: "ok N - name" / "not ok N - name", then "1..N"."""
import sys


class Tap:
    """Counts and prints TAP lines; a failure shows what was expected and what came."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, *detail):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            for d in detail:
                for line in str(d).splitlines()[:40]:
                    print("#   " + (line if len(line) < 600 else line[:600] + "..."))
        sys.stdout.flush()
        return cond

    def eq(self, got, want, name, *detail):
        return self.ok(got == want, name, "want: %r" % (want,), "got:  %r" % (got,), *detail)

    def done(self):
        print("1..%d" % self.n)
        return 0 if self.failed == 0 else 1
