"""The family's concerns a staff home lists under "Needs your attention" (registered
in ``apps.py``): concerns nobody has answered, declined or deferred yet."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samepage.concerns.models import ConcernOutcome, ParentConcern
from samepage.teams.attention import AttentionItem, AttentionKind, Seeker
from samepage.teams.permissions import Part


def _open_concerns(seeker: Seeker) -> tuple[list[AttentionItem], int]:
    rows = ParentConcern.objects.filter(
        # The concerns pages ask for the plans (concerns.permissions).
        student__in=seeker.students_with(Part.PLANS),
    ).filter(~Exists(ConcernOutcome.objects.filter(concern=OuterRef("pk"))))
    first, total = seeker.first(rows.select_related("student").order_by("created_at", "pk"))
    items = [
        AttentionItem(
            kind="open_concerns",
            why=_("A concern of the family (%(topic)s) is waiting for the team's decision")
            % {"topic": concern.get_category_display()},
            student=concern.student,
            url=reverse("concerns:detail", args=[concern.student_id, concern.pk]),
        )
        for concern in first
    ]
    return items, total


OPEN_CONCERNS_ATTENTION = AttentionKind(
    kind="open_concerns",
    label=gettext_lazy("Family concerns waiting for a decision"),
    collect=_open_concerns,
    order=30,
)
