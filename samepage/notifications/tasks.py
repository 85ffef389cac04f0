"""Background work for notifications: thin, takes ids, safe to run twice."""

from __future__ import annotations

from django_tasks import task

from samepage.notifications.emails import send_notice_email_now


@task()
def send_notice_email(notice_id: int) -> bool:
    """Email one notice to its recipient, in their language. Enqueued after the commit
    that made the notice; a second run finds it sent and sends nothing (False)."""
    return send_notice_email_now(notice_id)
