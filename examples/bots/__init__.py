"""Example bot functions for autosched, run by stock RQ workers.

They stand in for the LinkedIn birthday and visitor bots of the plan: they simulate the work
(short sleeps instead of a browser), honour dry_run, and return the counters autosched shows
in the run history (messages_sent, profiles_visited). Point a worker at them with
PYTHONPATH=examples and the shipped configuration (function = bots.birthday.run).
"""
