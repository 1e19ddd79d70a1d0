"""Small helpers of the harness: the tree's top folder, free ports, log files, waits,
stopping a process we started, and the processes a server started and their memory."""
import os
import signal
import socket
import subprocess
import time

# The top folder of the tree (tests/harness/util.py is three levels down).
TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def read_text(path):
    """A log file's text, "" when it is not there (yet)."""
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def wait_until(pred, timeout, interval=0.02):
    """Polls pred() until it returns something true or timeout seconds pass; returns the
    last value (false on timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v or time.monotonic() > deadline:
            return v
        time.sleep(interval)


def stop_process(proc, sig=signal.SIGTERM, timeout=15):
    """Signals a process we started and waits for it (SIGKILL after timeout). Returns its
    exit status."""
    if proc is None:
        return None
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(30)
    return proc.returncode


def rss_kb(pid):
    """The resident set of process pid in KiB, or None when it is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def children(pid):
    """(pid, command name) of each child of process pid."""
    out = subprocess.run(["ps", "-o", "pid=,comm=", "--ppid", str(pid)],
                         stdout=subprocess.PIPE, text=True).stdout
    return [(int(p), c) for p, c in (l.split(None, 1) for l in out.splitlines())]
