"""A private redis-server on a unix socket, and a minimal client for it (standard library
only). Everything is started here and stopped by pid; every wait has a deadline."""
import os
import signal
import socket
import subprocess

from .util import read_text, stop_process, wait_until


class RedisError(Exception):
    pass


class RedisClient:
    """A minimal RESP client over a unix socket (standard library only)."""

    def __init__(self, path, timeout=20):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.f = self.sock.makefile("rb")

    @staticmethod
    def _encode(args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            if not isinstance(a, bytes):
                a = str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        return b"".join(out)

    def _read(self):
        line = self.f.readline()
        if not line.endswith(b"\r\n"):
            raise ConnectionError("redis closed the connection")
        t, rest = line[:1], line[1:-2]
        if t == b"+":
            return rest.decode()
        if t == b"-":
            return RedisError(rest.decode())
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.f.read(n + 2)
            return data[:-2]
        if t == b"*":
            n = int(rest)
            return None if n < 0 else [self._read() for _ in range(n)]
        raise ConnectionError("bad reply from redis: %r" % line)

    def execute(self, *args):
        self.sock.sendall(self._encode(args))
        r = self._read()
        if isinstance(r, RedisError):
            raise r
        return r

    def pipeline(self, commands, chunk=1000):
        """Sends commands (tuples) in chunks and returns every reply, errors included."""
        out = []
        for i in range(0, len(commands), chunk):
            part = commands[i:i + chunk]
            self.sock.sendall(b"".join(self._encode(c) for c in part))
            out.extend(self._read() for _ in part)
        return out

    def close(self):
        try:
            self.f.close()
            self.sock.close()
        except OSError:
            pass


class Redis:
    """A private redis-server on a unix socket only (no TCP port), in folder `dir`.
    aof=True keeps the data across a stop and start, even a kill -9: an append-only file
    written and fsynced before Redis answers (appendfsync always)."""

    def __init__(self, dir, name="redis", aof=False, password=None, acl=(), port=0):
        """password: requirepass (the default user's); acl: ACL rules, each a user line
        such as "sched on >pw ~* &* +@all"; port: also listen on 127.0.0.1:port."""
        self.dir = dir
        self.name = name
        self.sock = os.path.join(dir, name + ".sock")
        self.password = password
        self.url = "unix://" + self.sock + ("?password=" + password if password else "")
        self.log = os.path.join(dir, name + ".log")
        self.aof = aof
        self.acl = list(acl)
        self.port = port
        self.proc = None

    def start(self, timeout=20):
        cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
               "--unixsocket", self.sock,
               "--unixsocketperm", "700", "--save", "", "--daemonize", "no",
               "--dir", self.dir, "--logfile", self.log]
        if self.aof:
            cmd += ["--appendonly", "yes", "--appendfsync", "always",
                    "--appenddirname", self.name + "-aof"]
        else:
            cmd += ["--appendonly", "no"]
        if self.password:
            cmd += ["--requirepass", self.password]
        for rule in self.acl:
            cmd += ["--user"] + rule.split()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)

        def up():
            if self.proc.poll() is not None:
                raise RuntimeError("redis-server exited: " + self.logtext()[-2000:])
            try:
                c = self.client(timeout=2)
                try:
                    return c.execute("PING") == "PONG"
                finally:
                    c.close()
            except (OSError, ConnectionError, RedisError):
                return False
        if not wait_until(up, timeout, 0.02):
            self.stop()
            raise RuntimeError("redis-server did not answer: " + self.logtext()[-2000:])
        return self

    def client(self, timeout=20):
        c = RedisClient(self.sock, timeout=timeout)
        if self.password:
            c.execute("AUTH", self.password)
        return c

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def logtext(self):
        return read_text(self.log)

    def pause(self):
        """SIGSTOP: Redis hangs (connections stay open, nothing answers)."""
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self):
        self.proc.send_signal(signal.SIGCONT)

    def stop(self, sig=signal.SIGTERM):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)	# a paused server cannot stop
        rc = stop_process(self.proc, sig, timeout=20)
        self.proc = None
        return rc
