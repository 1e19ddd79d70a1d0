"""A stand-in for schedd's notify socket ([schedd] notify_socket): a unix datagram socket
bound by the test, to see the nudges the web tier sends (one datagram "!" each)."""
import os
import socket
import time


class NotifySocket:
    """Binds a SOCK_DGRAM unix socket at path, writable by everyone (0666: under Apache and
    nginx the programs run as www-data; the folder must let them reach it)."""

    def __init__(self, path):
        self.path = path
        if os.path.exists(path):
            os.unlink(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        os.chmod(path, 0o666)

    def drain(self):
        """Every datagram waiting now."""
        out = []
        self.sock.setblocking(False)
        try:
            while True:
                out.append(self.sock.recv(4096))
        except BlockingIOError:
            pass
        finally:
            self.sock.setblocking(True)
        return out

    def wait(self, timeout=2.0, settle=0.2):
        """The datagrams that come within timeout seconds: the first one, and any more that
        follow within settle seconds of it. [] when none came."""
        out = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return out
            self.sock.settimeout(left)
            try:
                out.append(self.sock.recv(4096))
            except socket.timeout:
                return out
            finally:
                self.sock.settimeout(None)
            deadline = min(deadline, time.monotonic() + settle)

    def close(self):
        self.sock.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass
