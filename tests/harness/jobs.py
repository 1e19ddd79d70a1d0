"""Jobs and runs through the API of a Stack (or an Installation): make a job, run it now,
read its history, wait for a run to reach a status. Each raises when the API refuses."""
from .util import wait_until


def create(stack, **fields):
    doc = {"name": "job", "bot_type": "birthday", "schedule_type": "manual",
           "schedule_config": {}, "bot_config": {}}
    doc.update(fields)
    r = stack.request("POST", "/jobs", doc)
    if r.status != 201:
        raise RuntimeError("cannot create a job: %r" % (r,))
    return r.json()


def history(stack, job_id):
    r = stack.request("GET", "/jobs/%s/history?limit=1000" % job_id)
    if r.status != 200:
        raise RuntimeError("history: %r" % (r,))
    return r.json()


def get_run(stack, job_id, run_id):
    for x in history(stack, job_id):
        if x["id"] == run_id:
            return x
    return None


def wait_run(stack, job_id, run_id, statuses, timeout):
    """Waits until the run has one of `statuses`; returns the run as last seen."""
    last = [None]

    def check():
        last[0] = get_run(stack, job_id, run_id)
        return last[0] is not None and last[0]["status"] in statuses
    wait_until(check, timeout, 0.05)
    return last[0]


def run_now(stack, job_id):
    r = stack.request("POST", "/jobs/%s/run" % job_id)
    if r.status != 202:
        raise RuntimeError("run-now: %r" % (r,))
    return r.json()["execution_id"]
