"""Background work for core: thin, takes ids, safe to run twice."""

from __future__ import annotations

from django_tasks import task

from samepage.core.audit_seal import seal_pending


@task()
def seal_audit() -> int:
    """Seal committed audit events into a keyed checkpoint; how many it sealed.

    Enqueued after each transaction that wrote audit events. Safe to run twice or at the
    same time: one sealer works at a time, the others find nothing left or step aside.
    """
    return seal_pending().sealed
