"""Read queries for account pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from samepage.accounts.models import ApiToken, Invitation, User
from samepage.accounts.permissions import invitable_people
from samepage.schools.models import Guardian
from samepage.teams.permissions import visible_students


@dataclass(frozen=True)
class PersonRow:
    """One line of the people page: who, how they relate, and what may be done."""

    person: User
    role_label: str
    children: list[str]
    invitation: Invitation | None
    status: str
    can_invite: bool
    can_resend: bool
    can_revoke: bool


def _status(person: User, invitation: Invitation | None) -> str:
    if invitation is not None and invitation.status in {"pending", "expired"}:
        return invitation.status
    if person.has_usable_password():
        return "active"
    if invitation is not None:
        return invitation.status
    return "not_invited"


def people_rows(user: Any) -> list[PersonRow]:
    """The people page for ``user``, in a fixed number of queries however many rows."""
    people = (
        invitable_people(user)
        .select_related("staff_profile")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.order_by("-created_at", "-id"),
                to_attr="invitation_list",
            ),
            Prefetch(
                "guardianships",
                queryset=Guardian.objects.filter(
                    student__in=visible_students(user), is_restricted=False
                ).select_related("student"),
                to_attr="visible_guardianships",
            ),
        )
        .order_by("full_name", "email")
    )
    rows = []
    for person in people:
        invitations: list[Invitation] = getattr(person, "invitation_list", [])
        invitation = invitations[0] if invitations else None
        status = _status(person, invitation)
        staff = getattr(person, "staff_profile", None)
        guardianships: list[Guardian] = getattr(person, "visible_guardianships", [])
        children = [g.student.display_name for g in guardianships]
        role_label = str(staff.get_role_display()) if staff is not None else ""
        rows.append(
            PersonRow(
                person=person,
                role_label=role_label,
                children=children,
                invitation=invitation,
                status=status,
                can_invite=status in {"not_invited", "revoked"},
                can_resend=status in {"pending", "expired"},
                can_revoke=status == "pending",
            )
        )
    return rows


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
