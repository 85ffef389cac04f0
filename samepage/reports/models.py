"""Progress reports: per reporting period of the district's calendar, one report per
student, with an entry per goal saying how it is going, backed by data.

- ``ReportingPeriod``: the district's calendar (a quarter, a trimester); periods of one
  district never overlap (checked by the action that adds them).
- ``ReportSettings``: the district's own words for the canonical ratings and how many
  points a period needs before anyone judges progress from them.
- ``ProgressReport``: one student's report for one period. A draft while the team writes
  it; once issued it never changes. A correction is a new revision (``replaces`` the one
  before), issued in its turn; the first revision is the generation's idempotence key
  (one per student and period), so generating twice makes nothing twice.
- ``GoalReportEntry``: one goal lineage in a report: rating, narrative, evidence, and the
  data summary and chart inputs frozen when the report was drafted (numbers and days,
  never words: each reader reads them in their own language).
- ``ReportAcknowledgement`` / ``ReportComment``: what the family says back. Separate
  rows, so the issued report itself is never written again.
- ``ReportGenerationJob``: a school's reports for a period being drafted in the
  background, with how far it got (the page's progress bar).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samepage.progress.models import VALUE_DIGITS, VALUE_PLACES
from samepage.schools.models import District, School, Student

MAX_NARRATIVE = 4000
MAX_EVIDENCE = 1000
MAX_COMMENT = 2000
# Fewer counted points in a period than this and the report says "insufficient data".
DEFAULT_MINIMUM_POINTS = 3


class Rating(models.TextChoices):
    """The canonical ratings every district's own labels map to (IDEA_REFERENCE §5)."""

    NOT_STARTED = "not_started", _("Not started")
    INSUFFICIENT = "insufficient", _("Insufficient progress")
    SUFFICIENT = "sufficient", _("Sufficient progress")
    MET = "met", _("Goal met")
    DISCONTINUED = "discontinued", _("Discontinued")


# Ratings that claim progress: never without data in the period or evidence.
NEEDS_DATA = frozenset({Rating.SUFFICIENT, Rating.MET})


class Suggestion(models.TextChoices):
    """What the data suggested when the entry was drafted (the team decides)."""

    NONE = "", _("No suggestion")
    INSUFFICIENT_DATA = "insufficient_data", _("Insufficient data")
    INSUFFICIENT = Rating.INSUFFICIENT.value, Rating.INSUFFICIENT.label
    SUFFICIENT = Rating.SUFFICIENT.value, Rating.SUFFICIENT.label
    MET = Rating.MET.value, Rating.MET.label


class ReportingPeriod(models.Model):
    """One period of a district's reporting calendar (the first day to the last)."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="reporting_periods"
    )
    name = models.CharField(_("name"), max_length=100)
    starts = models.DateField(_("first day"))
    ends = models.DateField(_("last day"))
    # Retired by the district's administrator: reports written in it keep it, no new
    # report is drafted in it, and its days may be reused. Never deleted.
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["district", "starts", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gte=F("starts")), name="period_ends_after"),
            models.UniqueConstraint(
                fields=["district", "name"],
                condition=Q(archived_at__isnull=True),
                name="period_name_once",
            ),
            models.UniqueConstraint(
                fields=["district", "starts"],
                condition=Q(archived_at__isnull=True),
                name="period_start_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class ReportSettings(models.Model):
    """A district's own labels for the canonical ratings, and its minimum of points.

    ``labels``: {"sufficient": {"en": "Progressing satisfactorily", "es": "..."}, ...};
    a rating or language not named reads with SamePage's own words.
    """

    district = models.OneToOneField(
        District, on_delete=models.PROTECT, related_name="report_settings"
    )
    labels: models.JSONField[dict[str, dict[str, str]], dict[str, dict[str, str]]] = (
        models.JSONField(default=dict, blank=True)
    )
    minimum_points = models.PositiveSmallIntegerField(
        _("points a period needs to judge progress"), default=DEFAULT_MINIMUM_POINTS
    )

    def __str__(self) -> str:
        return f"Report settings for {self.district_id}"


class ProgressReport(models.Model):
    """One student's progress report for one period (one revision of it)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="progress_reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    revision = models.PositiveSmallIntegerField(default=1)
    # The issued revision this one corrects (None: the first, generated one).
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The minimum of points when it was drafted, so the report reads the same later.
    minimum_points = models.PositiveSmallIntegerField(default=DEFAULT_MINIMUM_POINTS)

    class Meta:
        ordering = ["student", "-period__starts", "-revision"]
        indexes = [
            models.Index(fields=["student", "-created_at", "-id"], name="report_student_time")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "period"],
                condition=Q(revision=1),
                name="one_generated_report_per_period",
            ),
            models.UniqueConstraint(
                fields=["student", "period", "revision"], name="report_revision_once"
            ),
            # A correction in progress at a time, never two drafts for one period.
            models.UniqueConstraint(
                fields=["student", "period"],
                condition=Q(status="draft"),
                name="one_draft_report_per_period",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", issued_at__isnull=True)
                | Q(status="issued", issued_at__isnull=False),
                name="report_issued_has_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.period_id} r{self.revision} for {self.student_id}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class GoalReportEntry(models.Model):
    """One goal lineage in a report: the team's rating and words, the frozen data."""

    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="entries")
    goal_lineage = models.UUIDField()
    position = models.PositiveIntegerField(default=0)
    # The goal's words and area when drafted (the plan may be amended later).
    goal_area = models.CharField(max_length=40, blank=True)
    goal_text = models.TextField()
    rating = models.CharField(_("rating"), max_length=14, choices=Rating.choices, blank=True)
    suggested = models.CharField(max_length=18, choices=Suggestion.choices, blank=True)
    narrative = models.TextField(_("what the team says"), blank=True)
    evidence_note = models.TextField(_("other evidence"), blank=True)
    evidence_reference = models.CharField(_("where the evidence is"), max_length=300, blank=True)
    # The data summary, frozen: school points counted in the period, the last one, the
    # trend (per week) and the projection (a day, "never" at this rate, or unknown).
    points_in_period = models.PositiveIntegerField(default=0)
    last_value = models.DecimalField(
        null=True, blank=True, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    last_day = models.DateField(null=True, blank=True)
    trend_per_week = models.FloatField(null=True, blank=True)
    projection = models.CharField(max_length=8, blank=True)  # "", "date" or "never"
    projected_on = models.DateField(null=True, blank=True)
    unit = models.CharField(max_length=60, blank=True)
    # What the chart draws, frozen: {"school": [[day, value]], "home": [...],
    # "baseline": [day, value] | null, "target": ..., "phases": [[day, text]]}.
    chart: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        default=dict, blank=True
    )
    # Bumped by every save, so a form opened before someone else's save is noticed.
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["report", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "goal_lineage"], name="report_goal_once"),
        ]

    def __str__(self) -> str:
        return self.goal_text[:60]

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_note.strip() or self.evidence_reference.strip())

    @property
    def has_data(self) -> bool:
        return self.points_in_period > 0


class ReportAcknowledgement(models.Model):
    """A family member said they received and read an issued report."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="acknowledge_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} acknowledged {self.report_id}"


class ReportComment(models.Model):
    """What the family wrote back about an issued report."""

    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    language = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="report_comment_text")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def student_id(self) -> int:
        return self.report.student_id


class ReportGenerationJob(models.Model):
    """A school's reports for one period, drafted in the background: one row per school
    and period, so starting again continues the same job (and shows its progress)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Drafting reports")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped with an error")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="jobs")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)  # reports this job drafted
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "period"], name="one_job_per_school_period")
        ]

    def __str__(self) -> str:
        return f"Reports for {self.school_id} in {self.period_id}: {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, self.done * 100 // self.total)

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class StoredReportPdf(models.Model):
    """An issued report's PDF, laid out once and kept in file storage.

    Keyed like a final plan's (``plans.StoredDocument``): the report, the language and
    the fingerprint of the HTML it was made from, so a reader is handed a stored file only
    when it is the very document their own rendering would be (what the family sees and
    what staff see are different HTML, and so different files). Drafts are never stored.
    """

    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="pdfs")
    language = models.CharField(max_length=8)
    source_sha256 = models.CharField(max_length=64)
    file = models.FileField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "language", "source_sha256"], name="store_each_report_pdf_once"
            )
        ]

    def __str__(self) -> str:
        return f"PDF of report {self.report_id} ({self.language})"
