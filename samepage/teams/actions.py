"""Every write to IEP teams and to families' consent grants."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from samepage.accounts.models import User
from samepage.core.audit import record_audit
from samepage.schools.models import Student
from samepage.teams.models import DEFAULT_CAPABILITIES, TeamMembership


def do_add_team_member(
    *,
    actor: Any,
    student: Student,
    user: User,
    team_role: str,
    discipline: str = "",
    start_date: date | None = None,
    capabilities: list[str] | None = None,
) -> TeamMembership:
    with transaction.atomic():
        membership = TeamMembership(
            student=student,
            user=user,
            team_role=team_role,
            discipline=discipline,
            capabilities=list(
                capabilities if capabilities is not None else DEFAULT_CAPABILITIES[team_role]
            ),
        )
        if start_date is not None:
            membership.start_date = start_date
        membership.full_clean()
        membership.save()
        record_audit(
            actor=actor,
            action="team.member_added",
            target=membership,
            changes={
                "student": student.pk,
                "user": user.pk,
                "team_role": team_role,
                "capabilities": membership.capabilities,
            },
        )
    return membership
