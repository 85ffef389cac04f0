"""IEP teams, what each member may do, and the consent families give outsiders.

A member's *team role* (case manager, provider, parent…) is kept apart from what they may
*do* (capabilities): each role starts with sensible defaults, and a case manager or
school leader can widen or narrow them per member.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samepage.core.dates import district_today, on_each_district_today
from samepage.core.models import TimeStampedModel
from samepage.schools.models import Student


class Capability(models.TextChoices):
    """What a team member may do, apart from their team role."""

    VIEW_RECORD = "view_record", _("View the full record")
    EDIT_PLAN = "edit_plan", _("Edit the plan")
    ENTER_PROGRESS = "enter_progress", _("Enter progress data")
    LOG_SERVICES = "log_services", _("Log service minutes")
    MESSAGE_FAMILY = "message_family", _("Message the family")
    SEE_STAFF_NOTES = "see_staff_notes", _("See staff-only notes")
    MANAGE_TEAM = "manage_team", _("Manage the team")


class TeamMembershipQuerySet(models.QuerySet["TeamMembership"]):
    def current(self, today: date | None = None) -> TeamMembershipQuerySet:
        """Memberships in force on ``today`` (by default each student's district's today)."""
        if today is not None:
            return self.filter(_current_on(today))
        return self.filter(on_each_district_today("student__district__time_zone", _current_on))


def _current_on(today: date) -> Q:
    # The end date is the first day without access, so ending "today" takes effect at once.
    return Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gt=today))


class TeamMembership(TimeStampedModel):
    """A person's place on one student's team. Ending it keeps the row as history."""

    class TeamRole(models.TextChoices):
        CASE_MANAGER = "case_manager", _("Case manager")
        SPECIAL_ED_TEACHER = "sped_teacher", _("Special education teacher")
        GENERAL_ED_TEACHER = "gen_ed_teacher", _("General education teacher")
        PROVIDER = "provider", _("Related-service provider")
        SCHOOL_LEADER = "school_leader", _("School leader / LEA representative")
        GUARDIAN = "guardian", _("Parent or guardian")
        STUDENT = "student", _("Student")
        ADVOCATE = "advocate", _("Advocate")
        INTERPRETER = "interpreter", _("Interpreter")
        OTHER = "other", _("Other")

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships"
    )
    team_role = models.CharField(_("team role"), max_length=20, choices=TeamRole.choices)
    discipline = models.CharField(_("discipline"), max_length=60, blank=True)
    # No default: the action sets the student's district's today (the server's date may
    # be another day there).
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("The first day without access to the student's record."),
    )
    capabilities: models.JSONField[list[str], list[str]] = models.JSONField(
        _("capabilities"), default=list, blank=True
    )

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["student", "team_role", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="team_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(team_role="case_manager", end_date__isnull=True),
                name="one_open_lead_case_manager",
            ),
            models.UniqueConstraint(
                fields=["student", "user", "team_role"],
                condition=Q(end_date__isnull=True),
                name="one_open_membership_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_team_role_display()} for {self.student}"

    def has(self, capability: str) -> bool:
        return capability in self.capabilities

    def is_current(self, today: date | None = None) -> bool:
        today = today or district_today(self.student.district)
        return self.start_date <= today and (self.end_date is None or self.end_date > today)

    def capability_labels(self) -> list[str]:
        labels = dict(Capability.choices)
        return [str(labels[c]) for c in Capability.values if c in self.capabilities]


_ALL = list(Capability.values)
C = Capability
R = TeamMembership.TeamRole

DEFAULT_CAPABILITIES: dict[str, list[str]] = {
    R.CASE_MANAGER: _ALL,
    R.SPECIAL_ED_TEACHER: [
        C.VIEW_RECORD,
        C.EDIT_PLAN,
        C.ENTER_PROGRESS,
        C.LOG_SERVICES,
        C.MESSAGE_FAMILY,
        C.SEE_STAFF_NOTES,
    ],
    R.PROVIDER: [
        C.VIEW_RECORD,
        C.ENTER_PROGRESS,
        C.LOG_SERVICES,
        C.MESSAGE_FAMILY,
        C.SEE_STAFF_NOTES,
    ],
    # A general-education teacher sees what they need to teach the child (profile, plan
    # at a glance) unless a case manager widens it.
    R.GENERAL_ED_TEACHER: [C.ENTER_PROGRESS],
    R.SCHOOL_LEADER: [C.VIEW_RECORD, C.SEE_STAFF_NOTES, C.MANAGE_TEAM],
    R.INTERPRETER: [],
    R.OTHER: [],
    # Families and outsiders get their access from guardianship and consent, not from
    # team capabilities.
    R.GUARDIAN: [],
    R.STUDENT: [],
    R.ADVOCATE: [],
}

# Team roles only staff can hold; family and outside people join through other links.
STAFF_TEAM_ROLES = {
    R.CASE_MANAGER,
    R.SPECIAL_ED_TEACHER,
    R.GENERAL_ED_TEACHER,
    R.PROVIDER,
    R.SCHOOL_LEADER,
    R.INTERPRETER,
    R.OTHER,
}


class Scope(models.TextChoices):
    """Parts of a child's record a family can share with an outside person."""

    PROFILE = "profile", _("Profile")
    PLANS = "plans", _("Plans")
    PROGRESS = "progress", _("Progress")
    MESSAGES = "messages", _("Messages")
    MEETINGS = "meetings", _("Meetings")
    RECORDS = "records", _("Records")


class ConsentGrantQuerySet(models.QuerySet["ConsentGrant"]):
    def active(self, today: date | None = None) -> ConsentGrantQuerySet:
        """Unrevoked grants in force on ``today`` (by default each student's district's today).

        A consent runs through its whole expiry day in the district: one expiring "today"
        is still active at 23:30 there, whatever the date is in UTC.
        """
        if today is not None:
            return self.filter(_active_on(today))
        return self.filter(on_each_district_today("student__district__time_zone", _active_on))


def _active_on(today: date) -> Q:
    return Q(revoked_at__isnull=True, starts_on__lte=today, expires_on__gte=today)


class ConsentGrant(TimeStampedModel):
    """A family's signed, scoped, expiring consent for an outside person (FERPA 99.30).

    Given only by a guardian holding educational rights, or by the student once rights
    have transferred. Revoking ends access on the grantee's very next request.
    """

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="consents")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents_given"
    )
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents_received"
    )
    scopes: models.JSONField[list[str], list[str]] = models.JSONField(_("what is shared"))
    purpose = models.TextField(_("purpose"))
    starts_on = models.DateField(_("starts"))
    expires_on = models.DateField(_("expires"))
    signature_name = models.CharField(_("typed signature"), max_length=200)
    signed_at = models.DateTimeField(_("signed"))
    signature_ip = models.GenericIPAddressField(null=True, blank=True)
    signature_user_agent = models.CharField(max_length=400, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ConsentGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("starts_on")),
                name="consent_expires_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Consent for {self.grantee} to see {self.student}"

    def status(self, today: date | None = None) -> str:
        today = today or district_today(self.student.district)
        if self.revoked_at:
            return "revoked"
        if today > self.expires_on:
            return "expired"
        if today < self.starts_on:
            return "not_started"
        return "active"

    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels[s]) for s in Scope.values if s in self.scopes]

    @property
    def status_label(self) -> Any:
        return {
            "revoked": _("Revoked"),
            "expired": _("Expired"),
            "not_started": _("Not started yet"),
            "active": _("Active"),
        }[self.status()]
