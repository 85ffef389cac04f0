"""General-education teachers confirming they read the plan at a glance (IDEA 300.323(d):
each teacher is told their duties and the accommodations they must provide)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from samepage.core.audit import record_audit
from samepage.plans.models import PlanAcknowledgement, PlanVersion
from samepage.plans.permissions import plan_access

ACKNOWLEDGEABLE = (PlanVersion.Status.IN_EFFECT, PlanVersion.Status.FINAL)


def do_acknowledge(version: PlanVersion, *, actor: Any) -> PlanAcknowledgement:
    """Record that ``actor`` read ``version`` at a glance. Once per person and version:
    a new version in effect is a new plan to read, so it asks again."""
    # Checked here too, not only in the view: the API and tasks call this directly.
    access = plan_access(actor, version.plan)
    if access is None or not access.can_acknowledge:
        raise PermissionDenied(
            _("Only general-education teachers on the team confirm they read the plan.")
        )
    already = ValidationError(
        _("You already acknowledged this version of the plan."), code="already_acknowledged"
    )
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().get(pk=version.pk)
        if version.status not in ACKNOWLEDGEABLE:
            raise ValidationError(_("Only a final plan can be acknowledged."), code="not_final")
        if PlanAcknowledgement.objects.filter(version=version, user=actor).exists():
            raise already
        try:
            with transaction.atomic():
                acknowledgement = PlanAcknowledgement.objects.create(version=version, user=actor)
        except IntegrityError:  # a double click that slipped past the check
            raise already from None
        record_audit(
            actor=actor,
            action="plan.acknowledged",
            target=acknowledgement,
            changes={"version": version.pk, "number": version.number},
        )
    return acknowledgement
