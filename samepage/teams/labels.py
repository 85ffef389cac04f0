"""Readable, translated names for roles and record parts in the record of access."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from samepage.schools.models import StaffProfile
from samepage.teams.models import TeamMembership

PART_LABELS: dict[str, Any] = {
    "summary": _("the overview"),
    "profile": _("the profile"),
    "plans": _("the plans"),
    "progress": _("progress"),
    "messages": _("messages"),
    "meetings": _("meetings"),
    "records": _("records"),
    "team": _("the team"),
    "access_log": _("the record of access"),
    "consent": _("consents"),
}

ROLE_LABELS: dict[str, Any] = {
    **dict(StaffProfile.Role.choices),
    **dict(TeamMembership.TeamRole.choices),
    "guardian": _("Parent or guardian"),
    "student": _("Student"),
    "advocate": _("Advocate"),
    "outside": _("Outside person with consent"),
}


def part_label(part: str) -> Any:
    return PART_LABELS.get(part, part)


def role_label(role: str) -> Any:
    return ROLE_LABELS.get(role, role)
