"""Progress monitoring between meetings: how each goal is measured, the data points the
school and the family record for it, and where instruction changed.

A ``GoalMeasurement`` belongs to a goal's *lineage* (``plans.Goal.lineage_id``) for one
student, not to one version's row: the data carries across amendments and from one
year's plan to the next. Its numbers are numbers (``Decimal``, exact as typed); they
stay empty until known, and a measurement made from a goal's old free text that could
not be read is marked ``needs_review`` with the problems, never filled with a guess.

Trials ("8 of 10"): a point keeps the numerator and denominator as entered and its
``value`` is the percent correct (80.00), so a trials goal's baseline, target and
mastery level are percents too and every rule compares like with like.

Home observations are a series of their own (``Series.HOME``): shown on the chart,
labelled, never counted toward a rating or a decision rule. Nothing here is deleted: a
wrong point is voided with a reason, and a correction is a void plus a new point that
names the one it ``corrects``.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samepage.core.models import TimeStampedModel
from samepage.progress import parsing
from samepage.schools.models import Student

MAX_CHANGE_TEXT = 1000
MAX_REASON_TEXT = 500
# Twelve digits with three after the point: 999,999,999.999 covers any count or time.
VALUE_DIGITS = 12
VALUE_PLACES = 3


class MeasurementKind(models.TextChoices):
    """How a goal is measured (domain/IDEA_REFERENCE.md §5)."""

    PERCENT = parsing.PERCENT, _("Percent accuracy")
    FREQUENCY = parsing.FREQUENCY, _("Frequency (how many times)")
    RATE = parsing.RATE, _("Rate (for example words correct per minute)")
    DURATION = parsing.DURATION, _("Duration (how long)")
    LATENCY = parsing.LATENCY, _("Latency (how long before starting)")
    TRIALS = parsing.TRIALS, _("Trials (x of y)")
    RUBRIC = parsing.RUBRIC, _("Rubric level")
    PROMPT = parsing.PROMPT, _("Prompt level")
    INTERVAL = parsing.INTERVAL, _("Percent of intervals")


# Kinds whose values are percents: never below 0 or above 100.
PERCENT_KINDS = frozenset(
    {MeasurementKind.PERCENT, MeasurementKind.TRIALS, MeasurementKind.INTERVAL}
)


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase (higher is better)")
    DECREASE = "decrease", _("Decrease (lower is better)")


class ReviewProblem(models.TextChoices):
    """Why a measurement made from a goal's old text needs the case manager's eye."""

    MISSING = parsing.MISSING, _("nothing was written")
    NO_NUMBER = parsing.NO_NUMBER, _("no number was written")
    RANGE = parsing.RANGE, _("a range was written, not one number")
    SEVERAL_NUMBERS = parsing.SEVERAL_NUMBERS, _("more than one number was written")
    UNKNOWN_UNIT = parsing.UNKNOWN_UNIT, _("the unit was not recognised")
    OUT_OF_RANGE = parsing.OUT_OF_RANGE, _("the number is outside what this measure allows")
    UNITS_DISAGREE = parsing.UNITS_DISAGREE, _("the baseline and target use different units")
    NO_LEVEL = parsing.NO_LEVEL, _("the level to reach was not written")
    NO_RUN = parsing.NO_RUN, _("how many sessions in a row was not written")
    NO_DIRECTION = parsing.NO_DIRECTION, _("whether higher or lower is better is not clear")
    UNKNOWN_KIND = parsing.UNKNOWN_KIND, _("how it is measured was not recognised")


# The goal's texts a problem can be about, in the words the goal form uses.
REVIEW_FIELDS = {
    "baseline": _("Baseline"),
    "target": _("Target"),
    "mastery_criterion": _("When it counts as met"),
    "measurement_method": _("How it is measured"),
    "unit": _("Unit"),
    "direction": _("Direction"),
}


class GoalMeasurement(TimeStampedModel):
    """How one goal of one student is measured, for every version of the goal."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="measurements")
    goal_lineage = models.UUIDField()
    # Empty only on a measurement made from old text that did not say (needs_review):
    # no point is recorded until a person sets it.
    kind = models.CharField(
        _("how it is measured"), max_length=12, choices=MeasurementKind.choices, blank=True
    )
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, blank=True
    )
    baseline_value = models.DecimalField(
        _("baseline"), null=True, blank=True, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target"), null=True, blank=True, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    mastery_value = models.DecimalField(
        _("level that counts as met"),
        null=True,
        blank=True,
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
    )
    mastery_sessions = models.PositiveSmallIntegerField(
        _("sessions in a row"), null=True, blank=True
    )
    # The top of a rubric or prompt scale (levels run from 0 to it); empty: no top.
    scale_max = models.DecimalField(
        _("highest level"),
        null=True,
        blank=True,
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
    )
    needs_review = models.BooleanField(default=False)
    # What could not be read from the goal's text: [{"field": "baseline", "problem":
    # "range", "text": "40-50"}]; codes, so each reader sees them in their language.
    review_reasons: models.JSONField[list[dict[str, str]], list[dict[str, str]]] = models.JSONField(
        default=list, blank=True
    )
    # Bumped by every change, so a form opened before someone else's save is noticed.
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["student", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "goal_lineage"], name="one_measurement_per_goal"
            ),
            models.CheckConstraint(
                condition=Q(mastery_sessions__isnull=True) | Q(mastery_sessions__gte=1),
                name="mastery_run_of_one_or_more",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for goal {self.goal_lineage}"

    @property
    def is_percent(self) -> bool:
        return self.kind in PERCENT_KINDS

    def review_reason_lines(self) -> list[str]:
        """The review problems in the reader's language ("Baseline: a range was written,
        not one number (“40-50”)")."""
        problems = dict(ReviewProblem.choices)
        lines = []
        for reason in self.review_reasons or []:
            label = REVIEW_FIELDS.get(reason.get("field", ""), reason.get("field", ""))
            problem = problems.get(reason.get("problem", ""), reason.get("problem", ""))
            text = reason.get("text", "")
            line = f"{label}: {problem}"
            lines.append(f"{line} (“{text}”)" if text else line)
        return lines


class Series(models.TextChoices):
    SCHOOL = "school", _("School data")
    HOME = "home", _("Home observation")


class DataPointQuerySet(models.QuerySet["DataPoint"]):
    def standing(self) -> DataPointQuerySet:
        """Points not voided (a corrected point is voided, its correction stands)."""
        return self.filter(voided_at__isnull=True)

    def counted(self) -> DataPointQuerySet:
        """The points ratings and decision rules read: the school's, not voided."""
        return self.standing().filter(series=Series.SCHOOL)


class DataPoint(models.Model):
    """One value recorded for a goal on one day, by one person. Never deleted."""

    measurement = models.ForeignKey(
        GoalMeasurement, on_delete=models.PROTECT, related_name="points"
    )
    day = models.DateField(_("day"))
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    # Trials only: how many were correct of how many (value is the percent).
    numerator = models.PositiveIntegerField(_("correct"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("trials"), null=True, blank=True)
    series = models.CharField(max_length=6, choices=Series.choices, default=Series.SCHOOL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    # Made by the form when it is opened: a form sent twice (a retry on a bad
    # connection) stores one point.
    client_key = models.UUIDField(default=uuid.uuid4, unique=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.CharField(_("reason"), max_length=MAX_REASON_TEXT, blank=True)
    # The voided point this one replaces (a correction).
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by"
    )

    objects = DataPointQuerySet.as_manager()

    class Meta:
        ordering = ["measurement", "day", "entered_at", "id"]
        indexes = [models.Index(fields=["measurement", "day"], name="point_measurement_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(numerator__isnull=True, denominator__isnull=True)
                | Q(
                    numerator__isnull=False,
                    denominator__gt=0,
                    numerator__lte=models.F("denominator"),
                ),
                name="point_trials_x_of_y",
            ),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True, voided_by__isnull=True, void_reason="")
                | (Q(voided_at__isnull=False, voided_by__isnull=False) & ~Q(void_reason="")),
                name="point_void_has_who_and_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} on {self.day}"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    @property
    def counts(self) -> bool:
        """Whether ratings and decision rules count it (home observations never do)."""
        return self.series == Series.SCHOOL and not self.is_void

    def as_trials(self) -> tuple[int, int] | None:
        if self.numerator is None or self.denominator is None:
            return None
        return self.numerator, self.denominator

    @property
    def shown_value(self) -> Any:
        """The value as entered: "8 of 10" stays two numbers, others the number."""
        trials = self.as_trials()
        return trials if trials is not None else Decimal(self.value)


class PhaseChange(models.Model):
    """A day instruction changed for a goal, and what changed: a phase line on the chart."""

    measurement = models.ForeignKey(
        GoalMeasurement, on_delete=models.PROTECT, related_name="phase_changes"
    )
    day = models.DateField(_("day"))
    change = models.TextField(_("what changed"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["measurement", "day", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(change=""), name="phase_change_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.change[:60]}"


class AlertRule(models.TextChoices):
    """The decision rule that fired (domain/IDEA_REFERENCE.md §5)."""

    FOUR_POINT = "four_point", _("Last scores against the line to the goal")
    TREND = "trend", _("Trend against the line to the goal")
    MASTERY = "mastery", _("Level that counts as met")


class AlertAdvice(models.TextChoices):
    """What the fired rule suggests the team talk about."""

    CHANGE_INSTRUCTION = "change_instruction", _("Talk about changing how this is taught")
    RAISE_GOAL = "raise_goal", _("Talk about raising the goal")
    MET = "met", _("The goal's level was reached")


class ProgressAlert(models.Model):
    """A decision rule that fired for a goal: open while the data still says so.

    One open alert per goal and rule: new points that keep the rule firing change
    nothing (the team and the family heard once); when the data stops saying it the
    alert is ``cleared_at``, and firing again later is a new alert and a new notice.
    """

    measurement = models.ForeignKey(
        GoalMeasurement, on_delete=models.PROTECT, related_name="alerts"
    )
    rule = models.CharField(max_length=12, choices=AlertRule.choices)
    advice = models.CharField(max_length=20, choices=AlertAdvice.choices)
    # How many of the last scores the four-point rule looked at (for its words).
    run = models.PositiveSmallIntegerField(default=0)
    # Below the line (True) or above it: the four-point rule's words say which.
    below = models.BooleanField(default=False)
    fired_on = models.DateField()
    fired_at = models.DateTimeField(default=timezone.now)
    # Whose entry made it fire (None: a recount).
    fired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-fired_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "rule"],
                condition=Q(cleared_at__isnull=True),
                name="one_open_alert_per_goal_rule",
            ),
        ]
        indexes = [models.Index(fields=["measurement", "cleared_at"], name="alert_open")]

    def __str__(self) -> str:
        return f"{self.rule} for measurement {self.measurement_id}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None


class ProgressSettings(models.Model):
    """A district's thresholds for the decision rules (the common ones until it sets
    its own; see ``trends.RuleSettings``)."""

    district = models.OneToOneField(
        "schools.District", on_delete=models.PROTECT, related_name="progress_settings"
    )
    four_point_needs = models.PositiveSmallIntegerField(
        _("points needed before the four-point rule"), default=6
    )
    four_point_run = models.PositiveSmallIntegerField(
        _("last scores the four-point rule looks at"), default=4
    )
    trend_needs = models.PositiveSmallIntegerField(
        _("points needed before the trend rule"), default=8
    )
    trend_tolerance = models.DecimalField(
        _("how far the trend may differ from the line and still be similar"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.10"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Progress rules for {self.district_id}"
