"""IEP and 504 plans: versions, structured sections, goals, services, accommodations,
shared drafts with questions, signatures and teachers' acknowledgements.

A Plan is one plan cycle (this year's IEP). Its PlanVersions are the original and each
amendment. Only a draft version changes; finalizing freezes its content (``content``)
and from then on nothing about it is edited. Goals, services and accommodations keep a
``lineage_id`` across versions and from one year's plan to the next.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samepage.core.models import TimeStampedModel
from samepage.schools.models import Student

# The finalize warning for family concerns nobody has answered (plans/validation.py).
UNANSWERED_CONCERNS = "unanswered_concerns"


class Plan(TimeStampedModel):
    """One plan cycle for a student, from the first draft until it is replaced or ends."""

    class PlanType(models.TextChoices):
        IEP = "iep", _("IEP")
        SECTION_504 = "504", _("504 plan")

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="plans")
    plan_type = models.CharField(_("plan type"), max_length=3, choices=PlanType.choices)
    is_initial = models.BooleanField(
        _("first plan"),
        default=False,
        help_text=_("The student's first plan: it needs consent to initial services."),
    )
    previous_plan = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_plans",
        verbose_name=_("previous plan"),
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # The annual review date of the version in effect (None: none in effect). Kept by
    # database triggers on the versions table (migration 0003), whoever changes a
    # version, so "overdue reviews" is one indexed range, not a subquery per plan of
    # the district. Never written by the application.
    review_due = models.DateField(_("annual review due"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["student", "-created_at"]
        indexes = [
            models.Index(
                fields=["review_due"],
                condition=models.Q(ended_at__isnull=True, review_due__isnull=False),
                name="plan_open_review_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_plan_type_display()} for {self.student}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The triggers own ``review_due``: a save of a plan loaded before its versions
        # changed must not write back the date it read.
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "review_due"
            ]
        super().save(*args, **kwargs)


class PlanVersion(TimeStampedModel):
    """The original plan or one amendment. Drafts change; everything else is frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final, waiting for signature")
        IN_EFFECT = "in_effect", _("In effect")
        SUPERSEDED = "superseded", _("Replaced")
        ENDED = "ended", _("Ended")

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Plan")
        AMENDMENT = "amendment", _("Amendment")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ORIGINAL)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    proposed_start = models.DateField(_("plan starts"), null=True, blank=True)
    proposed_end = models.DateField(_("plan ends"), null=True, blank=True)
    meeting_date = models.DateField(_("meeting held on"), null=True, blank=True)
    amendment_reason = models.TextField(_("reason for the amendment"), blank=True)
    amendment_parts: models.JSONField[list[str], list[str]] = models.JSONField(
        _("parts changed"), default=list, blank=True
    )
    amendment_effective_date = models.DateField(_("amendment takes effect"), null=True, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Warnings overridden at finalize: [{"code", "message", "reason"}].
    finalize_overrides: models.JSONField[list[dict[str, Any]], list[dict[str, Any]]] = (
        models.JSONField(default=list, blank=True)
    )
    effective_from = models.DateField(_("in effect from"), null=True, blank=True)
    annual_review_due = models.DateField(_("annual review due"), null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    # The whole content, frozen when the version is finalized (see plans/content.py).
    content: models.JSONField[dict[str, Any] | None, dict[str, Any] | None] = models.JSONField(
        null=True, blank=True
    )
    # Bumped by every edit of the draft, so a stale form is noticed (optimistic locking
    # of the version's own fields; sections and items carry their own revision).
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_version_number"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status="draft"),
                name="one_draft_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def unanswered_concerns_reason(self) -> str:
        """Why the team finalized with family concerns still open (the family sees it)."""
        for override in self.finalize_overrides or []:
            if override.get("code") == UNANSWERED_CONCERNS:
                return str(override.get("reason", ""))
        return ""


class PlanSection(models.Model):
    """One narrative section of a version (strengths, present levels, LRE…) as fields."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="sections")
    key = models.CharField(max_length=40)
    data: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        default=dict, blank=True
    )
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["version", "key"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="one_section_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} of {self.version}"


class PlanItem(models.Model):
    """What goals, services and accommodations share: lineage, order, revision."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+")
    lineage_id = models.UUIDField(default=uuid.uuid4, db_index=True)
    position = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    # Taking an item out of a draft keeps the row (nothing people wrote is deleted).
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Goal(PlanItem):
    """A measurable annual goal."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="goals")
    area = models.CharField(_("area"), max_length=40)
    statement = models.TextField(_("goal"))
    baseline = models.TextField(_("where the student is now (baseline)"), blank=True)
    target = models.TextField(_("target"), blank=True)
    measurement_method = models.CharField(_("how it is measured"), max_length=300, blank=True)
    schedule = models.CharField(_("how often it is measured"), max_length=200, blank=True)
    mastery_criterion = models.CharField(_("when it counts as met"), max_length=300, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "lineage_id"], name="goal_lineage_once")
        ]

    def __str__(self) -> str:
        return self.statement[:60]


class Objective(models.Model):
    """A short-term objective or benchmark toward a goal."""

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="objectives")
    lineage_id = models.UUIDField(default=uuid.uuid4)
    position = models.PositiveIntegerField(default=0)
    statement = models.TextField(_("objective"))
    criterion = models.CharField(_("criterion"), max_length=300, blank=True)

    class Meta:
        ordering = ["goal", "position", "id"]

    def __str__(self) -> str:
        return self.statement[:60]


class Service(PlanItem):
    """A service the district commits to: what, who, how much, when and where."""

    class Category(models.TextChoices):
        SPECIAL_EDUCATION = "special_education", _("Special education")
        RELATED = "related", _("Related service")
        SUPPLEMENTARY = "supplementary", _("Supplementary aids and services")
        PROGRAM_SUPPORT = "program_support", _("Program modifications and supports for staff")

    class Unit(models.TextChoices):
        DAY = "day", _("per day")
        WEEK = "week", _("per week")
        MONTH = "month", _("per month")

    class Delivery(models.TextChoices):
        DIRECT = "direct", _("Direct")
        CONSULT = "consult", _("Consultation")

    class Grouping(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        GROUP = "group", _("Group")

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="services")
    category = models.CharField(_("kind of service"), max_length=20, choices=Category.choices)
    description = models.CharField(_("service"), max_length=300)
    provider_role = models.CharField(_("provided by"), max_length=120, blank=True)
    minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    frequency_unit = models.CharField(
        _("how often"), max_length=5, choices=Unit.choices, blank=True
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    setting = models.CharField(_("where"), max_length=200, blank=True)
    delivery = models.CharField(
        _("direct or consult"), max_length=8, choices=Delivery.choices, default=Delivery.DIRECT
    )
    grouping = models.CharField(
        _("individual or group"),
        max_length=10,
        choices=Grouping.choices,
        default=Grouping.INDIVIDUAL,
    )

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "lineage_id"], name="service_lineage_once")
        ]

    def __str__(self) -> str:
        return self.description


class Accommodation(PlanItem):
    """An accommodation (how the student learns or is tested) or a modification (what
    is expected)."""

    class Kind(models.TextChoices):
        ACCOMMODATION = "accommodation", _("Accommodation")
        MODIFICATION = "modification", _("Modification")

    class AppliesTo(models.TextChoices):
        CLASSROOM = "classroom", _("In class")
        TESTING = "testing", _("On tests")
        BOTH = "both", _("In class and on tests")

    version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, related_name="accommodations"
    )
    description = models.TextField(_("accommodation"))
    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.ACCOMMODATION)
    applies_to = models.CharField(
        _("where it applies"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.BOTH
    )

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "lineage_id"], name="accommodation_lineage_once"
            )
        ]

    def __str__(self) -> str:
        return self.description[:60]


class LineageDecision(models.Model):
    """What the team decided about a goal, service or accommodation from the version
    before: carried forward, revised, retired or new."""

    class Decision(models.TextChoices):
        CARRIED_FORWARD = "carried_forward", _("Carried forward")
        REVISED = "revised", _("Revised")
        RETIRED = "retired", _("Retired")
        NEW = "new", _("New")

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="decisions")
    item_kind = models.CharField(max_length=14)
    lineage_id = models.UUIDField()
    decision = models.CharField(max_length=16, choices=Decision.choices)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["version", "item_kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "item_kind", "lineage_id"], name="one_decision_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_kind} {self.lineage_id}: {self.decision}"


class SharedDraft(models.Model):
    """A frozen copy of a draft, published to the family for review before the meeting.

    Later edits of the draft stay private until it is shared again.
    """

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="shared")
    number = models.PositiveIntegerField()
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)
    message = models.TextField(_("message to the family"), blank=True)
    content: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField()

    class Meta:
        ordering = ["version", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="one_shared_number")
        ]

    def __str__(self) -> str:
        return f"Shared draft {self.number} of {self.version}"


class PlanQuestion(TimeStampedModel):
    """A question or comment on one part of a shared draft, with its answers."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        RESOLVED = "resolved", _("Resolved")

    shared_draft = models.ForeignKey(
        SharedDraft, on_delete=models.PROTECT, related_name="questions"
    )
    # What it is about: "section:<key>", "goal:<lineage>", "service:<lineage>",
    # "accommodation:<lineage>" or "plan".
    anchor = models.CharField(max_length=80)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("question"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class PlanReply(models.Model):
    """An answer or follow-up in a question's thread."""

    question = models.ForeignKey(PlanQuestion, on_delete=models.PROTECT, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("answer"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class PlanSignature(models.Model):
    """A guardian's (or adult student's) signed response to a final version. Immutable."""

    class Decision(models.TextChoices):
        AGREE = "agree", _("I agree with this plan")
        AGREE_EXCEPT = "agree_except", _("I agree except for the parts I list")
        DISAGREE = "disagree", _("I disagree with this plan")

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=12, choices=Decision.choices)
    exceptions = models.TextField(_("parts I do not agree with"), blank=True)
    statement = models.TextField(_("my statement"), blank=True)
    consent_to_initial_services = models.BooleanField(default=False)
    typed_name = models.CharField(_("typed signature"), max_length=200)
    signed_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)

    class Meta:
        ordering = ["version", "signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "signer"], name="sign_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.signer} {self.decision} {self.version}"


class PlanAcknowledgement(models.Model):
    """A general-education teacher confirming they read the plan at a glance."""

    version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "acknowledged_at"]
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="acknowledge_once")]

    def __str__(self) -> str:
        return f"{self.user} read {self.version}"


class StoredDocument(models.Model):
    """A final version's PDF, rendered once and kept in file storage.

    Keyed by what the file was made from: the version, the document (the whole plan or
    the plan at a glance), the language, and the fingerprint of the HTML it was laid out
    from (``core.pdf.fingerprint``). Everything else a reader's copy depends on (whether
    they may see the child's profile, their time zone in its dates, the glance's "in
    effect" line) is in that HTML, so a reader is handed a stored file only when it is
    the very document their own rendering would be. Final versions never change, so a
    file never goes stale; drafts are never stored. The file is in Django's default
    storage, outside the web root, and reaches people only through the
    permission-checked PDF views.
    """

    class Kind(models.TextChoices):
        PLAN = "plan"
        GLANCE = "glance"

    version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, related_name="stored_documents"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    language = models.CharField(max_length=8)
    # SHA-256 of the HTML the PDF was rendered from: the document's name.
    source_sha256 = models.CharField(max_length=64)
    file = models.FileField(max_length=255)
    # SHA-256 and length of the PDF itself, checked each time it is read back.
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind", "language", "source_sha256"],
                name="store_each_document_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.kind} ({self.language})"
