"""Small builders for notification tests."""

from __future__ import annotations

from datetime import timedelta
from itertools import count
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from samepage.notifications.actions import recount_unread
from samepage.notifications.models import Delivery, DeliveryChannel, Notice
from samepage.schools.models import Student
from samepage.teams import actions as team_actions
from samepage.teams.models import ConsentGrant
from samepage.teams.permissions import student_access

_n = count(1)


def make_notice(recipient: Any, student: Student, **extra: Any) -> Notice:
    """A notice made directly (test setup), linking to the student's page."""
    n = next(_n)
    fields: dict[str, Any] = {
        "recipient": recipient,
        "kind": "plan.draft_shared",
        "student": student,
        "target_type": ContentType.objects.get_for_model(Student),
        "target_id": student.pk,
        "link": f"/students/{student.pk}/",
        "params": {"student": student.first_name, "actor": "Carol Case"},
        "key": f"test:{n}",
        "created_at": timezone.now() - timedelta(minutes=n),
    }
    fields.update(extra)
    notice = Notice.objects.create(**fields)
    recount_unread(notice.recipient_id)
    return notice


def grant_consent(world: Any, grantee: Any, scopes: list[str]) -> ConsentGrant:
    """The child's parent gives ``grantee`` consent to ``scopes``, from today."""
    return team_actions.check_grant_consent(
        actor=world.parent,
        student=world.child,
        access=student_access(world.parent, world.child),
        grantee_email=grantee.email,
        scopes=scopes,
        purpose="Help at the meeting",
        starts_on=world.today,
        expires_on=world.today + timedelta(days=30),
        signature_name="Alice Lane",
        consent_confirmed=True,
    )


def recipients_of(kind: str) -> set[Any]:
    return set(Notice.objects.filter(kind=kind).values_list("recipient__full_name", flat=True))


class FailingEmailBackend(BaseEmailBackend):
    """An email backend whose server is down: every send raises."""

    def send_messages(self, email_messages: Any) -> int:
        raise OSError("mail server down")


FAILING_BACKEND = "samepage.notifications.tests.helpers.FailingEmailBackend"


def matrix_params(world: Any) -> dict[str, str]:
    """Ids the permission matrix's notification rows need: a failed email delivery of a
    notice to the child's parent (so, of the child's district), waiting for its retry."""
    notice = make_notice(world.parent, world.child)
    delivery = Delivery.objects.create(
        notice=notice,
        channel=DeliveryChannel.EMAIL,
        attempts=1,
        last_error="OSError: down",
        next_attempt_at=timezone.now() + timedelta(minutes=1),
    )
    return {"delivery_id": str(delivery.pk)}
