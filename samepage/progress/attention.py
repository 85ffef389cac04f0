"""Decision-rule alerts a staff home lists under "Needs your attention" (registered in
``apps.py``): open alerts on the goals of the students whose progress the person may
see (a provider's own goals' students, a case manager's caseload)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samepage.progress.models import AlertAdvice, ProgressAlert
from samepage.teams.attention import AttentionItem, AttentionKind, Seeker
from samepage.teams.permissions import Part


def _alerts(seeker: Seeker) -> tuple[list[AttentionItem], int]:
    rows = ProgressAlert.objects.filter(
        # The goal's page asks for the progress (progress.permissions.ProgressAccess).
        measurement__student__in=seeker.students_with(Part.PROGRESS),
        cleared_at__isnull=True,
    )
    first, total = seeker.first(
        rows.select_related("measurement__student").order_by("fired_on", "pk")
    )
    items = [
        AttentionItem(
            kind="progress_alerts",
            why=_("A goal's data says: %(advice)s") % {"advice": AlertAdvice(alert.advice).label},
            student=alert.measurement.student,
            url=reverse(
                "progress:goal",
                args=[alert.measurement.student_id, alert.measurement.goal_lineage],
            ),
            due=alert.fired_on,
        )
        for alert in first
    ]
    return items, total


PROGRESS_ALERTS_ATTENTION = AttentionKind(
    kind="progress_alerts",
    label=gettext_lazy("Goals whose data calls for a team decision"),
    collect=_alerts,
    order=50,
)
