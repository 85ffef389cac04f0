"""Every write to IEP teams and to families' consent grants."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samepage.accounts import actions as account_actions
from samepage.accounts.models import User
from samepage.core.audit import record_audit
from samepage.core.dates import district_today
from samepage.core.events import Event, publish
from samepage.schools.models import StaffProfile, Student
from samepage.teams.models import (
    DEFAULT_CAPABILITIES,
    STAFF_TEAM_ROLES,
    Capability,
    ConsentGrant,
    Scope,
    TeamMembership,
)
from samepage.teams.permissions import Part, StudentAccess, check_access_for


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
            start_date=start_date or district_today(student.district),
            capabilities=list(
                capabilities if capabilities is not None else DEFAULT_CAPABILITIES[team_role]
            ),
        )
        # Constraints are left to the database, which also catches concurrent saves.
        membership.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError:
            # Someone else added the same member or a lead case manager a moment ago.
            raise ValidationError(
                {"team_role": [_("The team changed while you were saving. Reload and check.")]}
            ) from None
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
        publish(Event("team.member_added", actor, student, Part.TEAM, membership))
    return membership


def _user_id(actor: Any) -> int | None:
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def _staff_of_district(user: User, student: Student) -> bool:
    return StaffProfile.objects.filter(user=user, district_id=student.district_id).exists()


def check_add_team_member(
    *, actor: Any, student: Student, user: User, team_role: str, **fields: Any
) -> TeamMembership:
    """Validate, then add: staff roles only for the district's staff, one open lead."""
    errors: dict[str, list[Any]] = {}
    if team_role not in TeamMembership.TeamRole.values:
        errors["team_role"] = [_("Choose a team role from the list.")]
    elif team_role in STAFF_TEAM_ROLES and not _staff_of_district(user, student):
        errors["user"] = [_("Only staff of this student's district can hold this team role.")]
    elif team_role not in STAFF_TEAM_ROLES:
        errors["team_role"] = [
            _("Families, students and advocates join through their own links, not the team.")
        ]
    if (
        not errors
        and TeamMembership.objects.current(district_today(student.district))
        .filter(student=student, user=user, team_role=team_role)
        .exists()
    ):
        errors["user"] = [
            _("%(name)s is already on the team in this role.") % {"name": user.display_name}
        ]
    if (
        not errors
        and team_role == TeamMembership.TeamRole.CASE_MANAGER
        and TeamMembership.objects.filter(
            student=student, team_role=team_role, end_date__isnull=True
        ).exists()
    ):
        errors["team_role"] = [
            _("This student already has a lead case manager. End that membership first.")
        ]
    if errors:
        raise ValidationError(errors)
    return do_add_team_member(
        actor=actor, student=student, user=user, team_role=team_role, **fields
    )


def do_end_team_membership(
    membership: TeamMembership, *, actor: Any, end_date: date | None = None
) -> TeamMembership:
    """End a membership; the row stays as history."""
    end_date = end_date or district_today(membership.student.district)
    with transaction.atomic():
        membership = TeamMembership.objects.select_for_update().get(pk=membership.pk)
        if membership.end_date is not None:
            raise ValidationError(_("This membership has already ended."), code="ended")
        if end_date < membership.start_date:
            raise ValidationError(
                {"end_date": [_("The end date cannot be before the start date.")]}
            )
        membership.end_date = end_date
        membership.save(update_fields=["end_date", "updated_at"])
        record_audit(
            actor=actor,
            action="team.member_ended",
            target=membership,
            changes={"end_date": [None, end_date.isoformat()]},
        )
    return membership


def do_change_capabilities(
    membership: TeamMembership, *, actor: Any, capabilities: list[str]
) -> TeamMembership:
    """Widen or narrow what one member may do."""
    unknown = set(capabilities) - set(Capability.values)
    if unknown:
        raise ValidationError(
            {"capabilities": [_("Choose capabilities from the list.")]}, code="unknown"
        )
    ordered = [c for c in Capability.values if c in capabilities]
    with transaction.atomic():
        membership = TeamMembership.objects.select_for_update().get(pk=membership.pk)
        if membership.end_date is not None:
            raise ValidationError(_("This membership has ended and cannot be changed."))
        before = list(membership.capabilities)
        if before == ordered:
            return membership
        membership.capabilities = ordered
        membership.save(update_fields=["capabilities", "updated_at"])
        record_audit(
            actor=actor,
            action="team.capabilities_changed",
            target=membership,
            changes={"capabilities": [before, ordered]},
        )
    return membership


def _is_valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def check_grant_consent(
    *,
    actor: Any,
    student: Student,
    access: StudentAccess | None,
    grantee_email: str,
    scopes: list[str],
    purpose: str,
    starts_on: date | None,
    expires_on: date | None,
    signature_name: str,
    consent_confirmed: bool,
    ip: str | None = None,
    user_agent: str = "",
    today: date | None = None,
) -> ConsentGrant:
    """Validate a family's consent for an outside person, then record it.

    ``access`` is what the permission layer worked out for ``actor`` on ``student``: only
    a guardian holding rights or an adult student may consent. Everything is checked
    before anything is written.
    """
    check_access_for(access, actor=actor, student=student)
    assert access is not None
    if not access.can_grant_consent:
        raise PermissionDenied(
            _("Only a parent holding educational rights, or an adult student, can give consent.")
        )
    # ``today`` lets the demo district record consents signed in the past.
    today = today or district_today(student.district)
    errors: dict[str, list[Any]] = {}
    email = (grantee_email or "").strip().lower()
    grantee = User.objects.filter(email__iexact=email).first() if email else None
    if not email:
        errors["grantee_email"] = [_("Enter the email address of the person you are sharing with.")]
    elif grantee is not None and grantee.pk == _user_id(actor):
        errors["grantee_email"] = [_("You cannot give consent to your own account.")]
    elif grantee is None and not _is_valid_email(email):
        errors["grantee_email"] = [_("Enter a valid email address.")]
    elif grantee is not None and _staff_of_district(grantee, student):
        # No name here: the message must not reveal who works for the district.
        errors["grantee_email"] = [
            _("This person works for the school district and does not need your consent.")
        ]
    clean_scopes = [s for s in Scope.values if s in set(scopes)]
    if not clean_scopes or len(set(scopes)) != len(clean_scopes):
        errors["scopes"] = [_("Choose at least one part of the record to share.")]
    if not (purpose or "").strip():
        errors["purpose"] = [_("Say why you are sharing (for example: help at the IEP meeting).")]
    if starts_on is None:
        errors["starts_on"] = [_("Enter the date the consent starts.")]
    elif starts_on < today:
        errors["starts_on"] = [_("The consent cannot start in the past.")]
    if expires_on is None:
        errors["expires_on"] = [_("Every consent needs an end date, at most one year away.")]
    elif starts_on is not None and expires_on < starts_on:
        errors["expires_on"] = [_("The end date cannot be before the start date.")]
    elif starts_on is not None and expires_on > _one_year_after(starts_on):
        errors["expires_on"] = [_("Consent can last at most one year. Choose an earlier end date.")]
    if not (signature_name or "").strip():
        errors["signature_name"] = [_("Type your full name to sign.")]
    if not consent_confirmed:
        errors["consent_confirmed"] = [_("Tick the box to confirm that you give this consent.")]
    if errors:
        raise ValidationError(errors)
    assert starts_on is not None and expires_on is not None
    with transaction.atomic():
        if grantee is None:
            grantee = account_actions.do_create_user(
                actor=actor, email=email, full_name=email.split("@")[0], is_advocate=True
            )
            account_actions.do_invite(grantee, actor=actor)
        grant = ConsentGrant.objects.create(
            student=student,
            granted_by=actor,
            grantee=grantee,
            scopes=clean_scopes,
            purpose=purpose.strip(),
            starts_on=starts_on,
            expires_on=expires_on,
            signature_name=signature_name.strip(),
            signed_at=timezone.now(),
            signature_ip=ip or None,
            signature_user_agent=(user_agent or "")[:400],
        )
        record_audit(
            actor=actor,
            action="consent.granted",
            target=grant,
            changes={
                "student": student.pk,
                "grantee": grantee.pk,
                "scopes": clean_scopes,
                "starts_on": starts_on.isoformat(),
                "expires_on": expires_on.isoformat(),
                "purpose": grant.purpose,
            },
        )
        publish(Event("consent.granted", actor, student, Part.CONSENT, grant))
    return grant


def do_revoke_consent(grant: ConsentGrant, *, actor: Any) -> ConsentGrant:
    """Revoke at once: the grantee's very next request no longer sees the child."""
    with transaction.atomic():
        grant = ConsentGrant.objects.select_for_update().get(pk=grant.pk)
        if grant.revoked_at is not None:
            raise ValidationError(_("This consent was already revoked."), code="revoked")
        grant.revoked_at = timezone.now()
        grant.revoked_by = actor
        grant.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        record_audit(
            actor=actor,
            action="consent.revoked",
            target=grant,
            changes={"revoked_at": grant.revoked_at.isoformat()},
        )
        publish(Event("consent.revoked", actor, grant.student, Part.CONSENT, grant))
    return grant
