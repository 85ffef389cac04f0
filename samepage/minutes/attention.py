"""Missed service minutes a staff home lists under "Needs your attention" (registered
in ``apps.py``): delivery alerts of this month and last, for the students whose service
minutes the person may see."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samepage.minutes.models import DeliveryAlert
from samepage.teams.attention import AttentionItem, AttentionKind, Seeker
from samepage.teams.permissions import Part


def _delivery_alerts(seeker: Seeker) -> tuple[list[AttentionItem], int]:
    this_month = seeker.day().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    rows = DeliveryAlert.objects.filter(
        # The services page asks for the progress (minutes.permissions.MinutesAccess).
        student__in=seeker.students_with(Part.PROGRESS),
        month__gte=last_month,
    )
    first, total = seeker.first(rows.select_related("student").order_by("month", "pk"))
    items = [
        AttentionItem(
            kind="delivery_alerts",
            why=_("%(service)s: %(delivered)s of %(due)s minutes delivered in %(month)s")
            % {
                "service": alert.service_name,
                "delivered": alert.delivered,
                "due": alert.due,
                "month": alert.month.strftime("%Y-%m"),
            },
            student=alert.student,
            url=reverse("minutes:services", args=[alert.student_id]),
        )
        for alert in first
    ]
    return items, total


DELIVERY_ALERTS_ATTENTION = AttentionKind(
    kind="delivery_alerts",
    label=gettext_lazy("Services delivered below what the plan says"),
    collect=_delivery_alerts,
    order=60,
)
