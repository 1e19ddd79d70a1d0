"""The birthday bot: wishes happy birthday to the contacts whose birthday it is.

Keyword arguments are the bot type's parameters (deploy/autosched.conf):
bot_mode ("standard"; "fail" raises, to see a failed run; "site_warning" acts as if the
site had warned the account, and asks autosched to pause every birthday job for an hour),
dry_run, max_days_late, process_late. Returns a JSON object with messages_sent.
"""
import os
import random
import time

CONTACTS_WITH_BIRTHDAYS = 5


def _pause(seconds):
    scale = float(os.environ.get("AUTOSCHED_BOT_SPEED", "1"))
    time.sleep(seconds * scale)


def run(bot_mode="standard", dry_run=False, max_days_late=7, process_late=True):
    if bot_mode == "fail":
        raise RuntimeError("birthday bot failed on purpose (bot_mode=fail)")
    if bot_mode == "site_warning":
        # stop at once, send nothing more, and ask for a pause of every job of this bot
        return {"messages_sent": 0, "bot_mode": bot_mode,
                "autosched_pause": {"seconds": 3600, "scope": "bot_type",
                                    "reason": "the site showed a warning "
                                              "(bot_mode=site_warning)"}}
    today = CONTACTS_WITH_BIRTHDAYS
    late = random.randint(0, 3) if process_late and max_days_late > 0 else 0
    sent = 0
    for _ in range(today + late):
        _pause(0.05)                      # open the profile, write the message
        if not dry_run:
            sent += 1
    return {
        "messages_sent": sent,
        "birthdays_today": today,
        "late_birthdays": late,
        "dry_run": dry_run,
        "bot_mode": bot_mode,
    }
