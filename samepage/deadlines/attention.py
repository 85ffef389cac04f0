"""The deadlines a staff home lists under "Needs your attention" (registered in
``apps.py``): open deadlines overdue or due within 30 days, of the students whose plans
(where the deadlines page reads them) the person may see."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy

from samepage.deadlines.models import Deadline, DeadlineStatus
from samepage.deadlines.presenters import when
from samepage.deadlines.rules import TITLES
from samepage.teams.attention import AttentionItem, AttentionKind, Seeker, register_attention
from samepage.teams.permissions import Part

# How far ahead an open deadline counts as upcoming.
UPCOMING_DAYS = 30


def _deadlines(seeker: Seeker) -> tuple[list[AttentionItem], int]:
    today = seeker.day()
    rows = Deadline.objects.filter(
        # The deadlines page asks for the plans (deadlines.permissions.DeadlinesAccess).
        student__in=seeker.students_with(Part.PLANS),
        status=DeadlineStatus.OPEN,
        due_date__lte=today + timedelta(days=UPCOMING_DAYS),
    )
    first, total = seeker.first(
        rows.select_related("student").order_by("due_date", "student_id", "rule_key", "pk")
    )
    items = [
        AttentionItem(
            kind="deadlines",
            # The rule's title and the days left, both translated words already.
            why=f"{TITLES.get(row.rule_key, row.rule_key)}: {when(row, today)}",
            student=row.student,
            url=reverse("deadlines:student", args=[row.student_id]),
            due=row.due_date,
            overdue=row.due_date is not None and row.due_date < today,
        )
        for row in first
    ]
    return items, total


DEADLINES_ATTENTION = AttentionKind(
    kind="deadlines",
    label=gettext_lazy("Deadlines overdue or due within 30 days"),
    collect=_deadlines,
    order=10,
)

# Registered when apps.py imports this module (kept to one line there: the other
# engineer's work on the deadlines app shares that file).
register_attention(DEADLINES_ATTENTION)
