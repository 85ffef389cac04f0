"""Service minutes: the sessions a provider logs for a service in a student's plan, the
district's calendar of days without school, and the delivery alerts already raised.

A session belongs to a service's *lineage* (``plans.Service.lineage_id``) for one
student, not to one version's row: an amendment that changes the minutes keeps the
sessions logged before it. A session is either delivered (the minutes the child got)
or missed (the minutes that were due, with why). A make-up session is a delivered one
that makes up minutes missed earlier. Nothing here is deleted: a wrong session is
voided with a reason, and stays on the list shown as voided.

The arithmetic (what was prescribed, what is owed) reads these rows and the plan's
words and lives in ``arithmetic.py``, which makes no query.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samepage.schools.models import District, Student

MAX_NOTE_TEXT = 500
MAX_REASON_TEXT = 500
# A day has 1,440 minutes: more than that in one session is a typing slip.
MAX_SESSION_MINUTES = 24 * 60


class SessionStatus(models.TextChoices):
    DELIVERED = "delivered", _("Delivered")
    MISSED = "missed", _("Missed")


class MissedReason(models.TextChoices):
    """Why a session did not happen: it decides whether the minutes are owed."""

    PROVIDER_ABSENT = "provider_absent", _("The provider was absent")
    STUDENT_ABSENT = "student_absent", _("The student was absent")
    SCHOOL_CLOSED = "school_closed", _("School was closed")
    OTHER = "other", _("Another reason")


class ServiceSessionQuerySet(models.QuerySet["ServiceSession"]):
    def standing(self) -> ServiceSessionQuerySet:
        """Sessions not voided: the ones every count reads."""
        return self.filter(voided_at__isnull=True)


class ServiceSession(models.Model):
    """One session of a service for one student on one day, delivered or missed, with
    who logged it. Never deleted."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="service_sessions")
    service_lineage = models.UUIDField()
    day = models.DateField(_("day"))
    minutes = models.PositiveIntegerField(_("minutes"))
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices)
    missed_reason = models.CharField(
        _("why it was missed"), max_length=16, choices=MissedReason.choices, blank=True
    )
    # What happened, in words: needed for "another reason", shown to the family.
    note = models.CharField(_("note"), max_length=MAX_NOTE_TEXT, blank=True)
    # For the team only (never shown to the family or an advocate).
    staff_note = models.CharField(_("staff-only note"), max_length=MAX_NOTE_TEXT, blank=True)
    is_make_up = models.BooleanField(_("make-up session"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    # Made by the form when it is opened: a form sent twice stores one session.
    client_key = models.UUIDField(default=uuid.uuid4, unique=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.CharField(_("reason"), max_length=MAX_REASON_TEXT, blank=True)

    objects = ServiceSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-id"]
        indexes = [
            # The services page: one student's sessions, newest first, a page at a time;
            # the week's and month's sums read the same index by day.
            models.Index(fields=["student", "-day", "-id"], name="session_student_day"),
            models.Index(fields=["student", "service_lineage", "day"], name="session_lineage_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=MAX_SESSION_MINUTES),
                name="session_minutes_in_a_day",
            ),
            models.CheckConstraint(
                condition=Q(status=SessionStatus.DELIVERED, missed_reason="")
                | (Q(status=SessionStatus.MISSED) & ~Q(missed_reason="")),
                name="session_missed_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(is_make_up=False) | Q(status=SessionStatus.DELIVERED),
                name="session_make_up_is_delivered",
            ),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True, voided_by__isnull=True, void_reason="")
                | (Q(voided_at__isnull=False, voided_by__isnull=False) & ~Q(void_reason="")),
                name="session_void_has_who_and_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} min {self.status} on {self.day}"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    @property
    def is_delivered(self) -> bool:
        return self.status == SessionStatus.DELIVERED


class NonSchoolDayQuerySet(models.QuerySet["NonSchoolDay"]):
    def standing(self) -> NonSchoolDayQuerySet:
        """Days on the calendar (not archived): the ones the arithmetic reads."""
        return self.filter(archived_at__isnull=True)


class NonSchoolDay(models.Model):
    """A weekday the district's schools are closed (a holiday, a break, an in-service
    day): no per-day minutes are due on it, and a week's or month's minutes are spread
    over the school days left."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    name = models.CharField(_("name"), max_length=120)
    # Taken off the calendar (school opened after all, a typing slip): kept, not
    # deleted, so the district's calendar history says what it was; the arithmetic
    # reads standing days only.
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = NonSchoolDayQuerySet.as_manager()

    class Meta:
        ordering = ["district", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "day"],
                condition=Q(archived_at__isnull=True),
                name="one_closure_per_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.name}"


class DeliveryAlert(models.Model):
    """That a service's delivery fell below the district's threshold in one month, and
    the team and the family were told: at most one per service and month."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    service_lineage = models.UUIDField()
    # The first day of the month it is about.
    month = models.DateField()
    # The service's words when the alert was raised (the notice's title names it).
    service_name = models.CharField(max_length=300)
    delivered = models.PositiveIntegerField()
    due = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["student", "-month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "service_lineage", "month"], name="one_alert_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_name}: {self.delivered} of {self.due} ({self.month:%Y-%m})"


class MinutesSettings(models.Model):
    """A district's settings for service minutes (``arithmetic.DEFAULT_RULES`` until it
    sets its own): the delivery threshold, and whether closures are made up."""

    district = models.OneToOneField(
        District, on_delete=models.PROTECT, related_name="minutes_settings"
    )
    threshold_percent = models.PositiveSmallIntegerField(
        _("delivery below this percent tells the team and the family"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    closures_owed = models.BooleanField(
        _("minutes missed because school was closed are made up"), default=False
    )
    alert_after_school_days = models.PositiveSmallIntegerField(
        _("school days of a month before its delivery is judged"), default=5
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold_percent__gte=1, threshold_percent__lte=100),
                name="minutes_threshold_is_a_percent",
            )
        ]

    def __str__(self) -> str:
        return f"Service minutes settings for {self.district_id}"
