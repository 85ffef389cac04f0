"""Background work for deadlines: thin, takes ids, safe to run twice."""

from __future__ import annotations

from django_tasks import task

# The module, not its names: actions enqueues this task, so each imports the other.
from samepage.deadlines import actions


@task()
def refresh_district_deadlines(district_id: int) -> int:
    """Recompute every student's deadlines in the district (after its pack changed);
    how many students. Safe to run twice: each refresh writes what the record says."""
    return actions.refresh_district(district_id)
