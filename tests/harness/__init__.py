"""autosched test harness: a real stack started by the tests themselves.

tests/run puts tests/ on PYTHONPATH (bench/run too), so a test says `from harness import ...`.

  stack.py   Installation: a temporary folder with a configuration (from
             deploy/autosched.conf), a database (`autosched init`) and an API key; no server,
             the API run as plain CGI (cgi()) when asked. Stack: an Installation behind a web
             server from deploy/ (lighttpd, Apache with mod_fcgid or plain CGI, nginx with
             spawn-fcgi) on a free loopback port. Response, prometheus().
  tap.py     Tap: TAP output.
  redis.py   Redis (a private redis-server on a unix socket), RedisClient (a minimal RESP
             client), RedisError.
  worker.py  Worker (a stock `rq worker` running examples/bots, and other bots on `path`),
             Schedd (the daemon with its own configuration file, or `--once`), stop_all.
  audit.py   audit_lines, AuditWatch: the audit trail of job changes in a log.
  jobs.py    create, history, get_run, wait_run, run_now: jobs and runs through the API.
  notify.py  NotifySocket: a stand-in for schedd's notify socket, to see the nudges.
  util.py    TOP, free_port, read_text, wait_until, stop_process, children, rss_kb.

Everything started is stopped by pid. Run with Debian's /usr/bin/python3; standard library
only.
"""
from .audit import AuditWatch, audit_lines
from .jobs import create, get_run, history, run_now, wait_run
from .notify import NotifySocket
from .redis import Redis, RedisClient, RedisError
from .stack import Installation, Response, Stack, cgi, prometheus
from .tap import Tap
from .util import TOP, children, free_port, read_text, rss_kb, stop_process, wait_until
from .worker import RQ_PYTHON, RQ_SCRIPT, Schedd, Worker, stop_all

__all__ = ["TOP", "AuditWatch", "Installation", "NotifySocket", "RQ_PYTHON", "RQ_SCRIPT",
           "Redis", "RedisClient", "RedisError", "Response", "Schedd", "Stack", "Tap", "Worker",
           "audit_lines", "cgi", "children", "create", "free_port", "get_run", "history",
           "prometheus", "read_text", "rss_kb", "run_now", "stop_all", "stop_process",
           "wait_run", "wait_until"]
