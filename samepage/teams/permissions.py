"""Lookups of team memberships and consent grants, always through their student."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from samepage.schools.models import Student
from samepage.schools.permissions import Part, access_student
from samepage.teams.models import ConsentGrant, TeamMembership


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def access_membership(
    user: Any, student_id: Any, membership_id: Any, *, action: str = "view"
) -> tuple[Student, TeamMembership]:
    """A membership of a student the user may act on; another student's → 404."""
    student = access_student(user, student_id, action=action, part=Part.TEAM)
    membership = (
        TeamMembership.objects.select_related("user")
        .filter(pk=_pk(membership_id), student=student)
        .first()
    )
    if membership is None:
        raise Http404
    return student, membership


def access_consent_grant(
    user: Any, student_id: Any, grant_id: Any, *, action: str = "view"
) -> tuple[Student, ConsentGrant]:
    """A consent grant of a student the user may act on; another student's → 404."""
    student = access_student(user, student_id, action=action, part=Part.CONSENT)
    grant = (
        ConsentGrant.objects.select_related("grantee")
        .filter(pk=_pk(grant_id), student=student)
        .first()
    )
    if grant is None:
        raise Http404
    return student, grant
