"""Who may invite whom, and whose invitations a person may touch.

A person someone may not invite answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from samepage.accounts.models import Invitation, User
from samepage.schools.models import Guardian, StaffProfile
from samepage.schools.roles import roles_for
from samepage.teams.permissions import visible_students

# Staff roles that may also invite the other staff of their district.
STAFF_INVITING_ROLES = {StaffProfile.Role.DISTRICT_ADMIN, StaffProfile.Role.SCHOOL_LEADER}


def can_use_people_page(user: Any) -> bool:
    return roles_for(user).is_staff_member


def can_invite_staff(user: Any) -> bool:
    staff = roles_for(user).staff
    return staff is not None and staff.role in STAFF_INVITING_ROLES


def invitable_people(user: Any) -> QuerySet[User]:
    """Everyone ``user`` may invite (or re-invite), as one query.

    Staff invite the guardians of the students they can see (not court-restricted
    links); district admins and school leaders also invite their district's staff.
    """
    staff = roles_for(user).staff
    if staff is None or not user.is_active:
        return User.objects.none()
    guardian_ids = Guardian.objects.filter(
        student__in=visible_students(user), is_restricted=False
    ).values("user_id")
    condition = Q(pk__in=guardian_ids)
    if staff.role in STAFF_INVITING_ROLES:
        condition |= Q(staff_profile__district_id=staff.district_id)
    # No distinct(): each condition names a person once (staff_profile is one-to-one).
    return User.objects.filter(condition).exclude(pk=user.pk)


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def access_invitable_person(user: Any, person_id: Any) -> User:
    """The person ``user`` may invite, or 404."""
    person = invitable_people(user).filter(pk=_pk(person_id)).first()
    if person is None:
        raise Http404
    return person


def access_invitation(user: Any, invitation_id: Any) -> Invitation:
    """An invitation for someone ``user`` may invite, or 404."""
    invitation = (
        Invitation.objects.select_related("user")
        .filter(pk=_pk(invitation_id), user__in=invitable_people(user))
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation
