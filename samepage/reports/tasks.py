"""Background work for progress reports: thin, takes ids, safe to run twice."""

from __future__ import annotations

from django_tasks import task

# The module, not its names: actions enqueues this task, so each imports the other.
from samepage.reports import actions


@task()
def generate_school_reports(job_id: int) -> int:
    """Draft a school's reports for the job's period; how many this run drafted.

    Enqueued when a leader or case manager asks for them. Safe to run twice or at the
    same time: each student's report for a period is unique, so a second run drafts
    only what the first did not reach."""
    job = actions.do_run_generation(job_id)
    return job.created if job is not None else 0
