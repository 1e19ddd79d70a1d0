#!/usr/bin/python3
"""Stands in for systemd's notify socket, to test schedd's sd_notify messages.

    notify.py SOCKET [--no-start] -- COMMAND...

Binds a unix datagram socket at SOCKET (a path, or "@name" for an abstract socket, as
systemd's $NOTIFY_SOCKET names them), runs COMMAND with NOTIFY_SOCKET set to it, and plays
the service manager: it waits for READY=1, sends SIGHUP and waits for RELOADING=1 then
READY=1, sends SIGTERM and waits for STOPPING=1 and a clean exit (status 0). With
--no-start the command must exit non-zero without ever saying READY=1 (a start that fails).
Prints what it saw; exits 0 when everything came as expected, 1 otherwise.
"""
import os
import signal
import socket
import subprocess
import sys
import time

TIMEOUT = 15.0


def main():
    args = sys.argv[1:]
    if "--" not in args or args.index("--") < 1:
        sys.exit(__doc__)
    sep = args.index("--")
    opts, cmd = args[:sep], args[sep + 1:]
    name, no_start = opts[0], "--no-start" in opts[1:]

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    # Python spells an abstract name with a leading NUL byte, systemd with '@'.
    sock.bind("\0" + name[1:] if name.startswith("@") else name)
    sock.settimeout(0.2)
    env = dict(os.environ, NOTIFY_SOCKET=name)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    seen = []

    def expect(message):
        """Waits for a datagram holding message; False on timeout or when the command ends."""
        end = time.monotonic() + TIMEOUT
        while time.monotonic() < end:
            try:
                data = sock.recv(4096).decode("utf-8", "replace")
            except socket.timeout:
                if proc.poll() is not None:
                    return False
                continue
            seen.append(data)
            if message in data.split("\n"):
                return True
        return False

    def finish(ok, why):
        if proc.poll() is None:
            proc.kill()
        err = proc.communicate()[1].decode("utf-8", "replace")
        print("messages: %r" % seen)
        print("exit status: %r" % proc.returncode)
        if not ok:
            print("FAILED: %s" % why)
            print("stderr of the command:\n" + err[-2000:])
        sys.exit(0 if ok else 1)

    if no_start:
        try:
            status = proc.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            finish(False, "the command did not exit")
        while True:
            try:
                seen.append(sock.recv(4096).decode("utf-8", "replace"))
            except socket.timeout:
                break
        finish(status != 0 and not any("READY=1" in m for m in seen),
               "expected a failure without READY=1")
    if not expect("READY=1"):
        finish(False, "no READY=1")
    proc.send_signal(signal.SIGHUP)
    if not expect("RELOADING=1"):
        finish(False, "no RELOADING=1 after SIGHUP")
    if not expect("READY=1"):
        finish(False, "no READY=1 after the reload")
    proc.send_signal(signal.SIGTERM)
    if not expect("STOPPING=1"):
        finish(False, "no STOPPING=1 after SIGTERM")
    try:
        status = proc.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        finish(False, "no exit after SIGTERM")
    finish(status == 0, "exit status %r after SIGTERM" % status)


if __name__ == "__main__":
    main()
