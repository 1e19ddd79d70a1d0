"""The visitor bot: visits up to `limit` profiles.

Keyword arguments: dry_run, limit. Returns a JSON object with profiles_visited.
"""
import os
import time


def run(dry_run=False, limit=50):
    scale = float(os.environ.get("AUTOSCHED_BOT_SPEED", "1"))
    visited = 0
    for _ in range(limit):
        time.sleep(0.01 * scale)          # load one profile
        visited += 1
    return {"profiles_visited": 0 if dry_run else visited, "dry_run": dry_run,
            "limit": limit}
