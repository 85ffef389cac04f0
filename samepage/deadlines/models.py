"""Deadlines: one row per student, rule and occurrence, worked out from the events on
the student's record by ``refresh.refresh_deadlines`` (never on a page view), and the
district's choice of rule pack.

A row is derived data: it is rewritten whenever its inputs change, from the plans,
concerns and reports that are themselves audited, so it keeps no audit rows of its own.
Only the district's choice of pack is a decision someone makes (``actions``).

"Overdue" and "days left" are not stored: they compare ``due_date`` with the district's
today when the page is read, so a row never goes stale overnight.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samepage.deadlines.rules import DEFAULT_PACK
from samepage.schools.models import District, Student


class DeadlineStatus(models.TextChoices):
    # The starting event is not on record: nobody can say whether it is on time.
    UNKNOWN = "unknown", _("Unknown")
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    # No longer applies (the student already has a plan, the concern was answered).
    CLOSED = "closed", _("No longer needed")


class PackChoice(models.TextChoices):
    FEDERAL = "federal", _("Federal rules (IDEA)")
    CALIFORNIA = "california", _("California")


class Deadline(models.Model):
    """One deadline of one student under one rule: what started it and when, when it is
    due, and whether it was met. ``occurrence`` tells apart the deadlines a rule starts
    more than once (each reporting period, each deferred concern): "" for the others."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="deadlines")
    rule_key = models.CharField(_("rule"), max_length=40)
    occurrence = models.CharField(max_length=60, blank=True, default="")
    start_event = models.CharField(_("starting event"), max_length=40)
    # None: the starting event is not on record ("unknown").
    start_date = models.DateField(_("started on"), null=True, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    met_on = models.DateField(_("met on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=DeadlineStatus.choices)
    # What the occurrence is about, in the record's own words (a period's name).
    about = models.CharField(max_length=200, blank=True, default="")
    citation = models.CharField(_("citation"), max_length=100)
    pack = models.CharField(max_length=40)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["student", "due_date", "rule_key", "occurrence"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "rule_key", "occurrence"], name="one_deadline_per_occurrence"
            ),
            models.CheckConstraint(
                condition=~Q(status="unknown") | Q(start_date__isnull=True, due_date__isnull=True),
                name="unknown_deadline_has_no_dates",
            ),
            models.CheckConstraint(
                condition=~Q(status="open") | Q(due_date__isnull=False),
                name="open_deadline_has_due_date",
            ),
        ]
        indexes = [
            # A district's overdue and upcoming deadlines: open ones by due date.
            models.Index(fields=["due_date"], condition=Q(status="open"), name="deadline_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_key} {self.occurrence} for {self.student_id}: {self.due_date}"


class DeadlineSettings(models.Model):
    """Which rule pack a district's deadlines follow (``rules.DEFAULT_PACK`` until it
    chooses)."""

    district = models.OneToOneField(
        District, on_delete=models.PROTECT, related_name="deadline_settings"
    )
    pack = models.CharField(
        _("rule pack"), max_length=40, choices=PackChoice.choices, default=DEFAULT_PACK
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Deadline rules for {self.district_id}: {self.pack}"
