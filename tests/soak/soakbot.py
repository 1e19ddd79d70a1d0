"""The soak suite's bot: what the example visitor does (sleeps `limit` hundredths of a second,
scaled by AUTOSCHED_BOT_SPEED), and one line on each start and end in the file named by
SOAK_TRACE, with the RQ job id (the run id), the job's tag and the time, so that the suite
can tell which runs a worker started, when, and how many times."""
import os
import time

from rq import get_current_job


def trace(what, tag):
    job = get_current_job()
    with open(os.environ["SOAK_TRACE"], "a") as f:
        f.write("%.6f %s %s %s\n" % (time.time(), what, job.id if job else "-", tag))


def run(tag="", limit=5):
    trace("start", tag)
    time.sleep(0.01 * limit * float(os.environ.get("AUTOSCHED_BOT_SPEED", "1")))
    trace("end", tag)
    return {"profiles_visited": limit, "tag": tag}
