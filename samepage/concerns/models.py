"""Parent concerns and how the team answered each one.

A concern is what a family told the team worries them or matters most, kept verbatim.
Every answer is a ``ConcernOutcome`` row: linked to what answers it in the plan (a goal,
service, accommodation or section), declined with a reason (quoted later in prior
written notice), or deferred to a date. Outcomes are never edited or deleted; a
concern's status is read from its latest outcome, so the history stays whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from samepage.plans.models import Plan
from samepage.schools.models import Student

MAX_CONCERN_TEXT = 5000


class ConcernStatus(models.TextChoices):
    """Where a concern stands, as its latest outcome says."""

    OPEN = "open", _("Not answered yet")
    ADDRESSED = "addressed", _("Answered in the plan")
    DECLINED = "declined", _("Declined, with a reason")
    DEFERRED = "deferred", _("Deferred")


class ParentConcern(models.Model):
    """One concern or priority of the family, in their own words."""

    class Category(models.TextChoices):
        READING = "reading", _("Reading")
        WRITING = "writing", _("Writing")
        MATH = "math", _("Math")
        BEHAVIOR = "behavior", _("Behavior")
        COMMUNICATION = "communication", _("Communication")
        SOCIAL = "social", _("Friends and social life")
        HEALTH = "health", _("Health")
        SERVICES = "services", _("Services and therapies")
        PLACEMENT = "placement", _("Class and placement")
        TRANSITION = "transition", _("Life after school")
        OTHER = "other", _("Something else")

    class Importance(models.TextChoices):
        HIGH = "high", _("Very important")
        MEDIUM = "medium", _("Important")
        LOW = "low", _("Good to know")

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="concerns")
    category = models.CharField(_("topic"), max_length=20, choices=Category.choices)
    text = models.TextField(_("concern"))
    importance = models.CharField(
        _("how important"), max_length=10, choices=Importance.choices, default=Importance.MEDIUM
    )
    # Who typed it: a guardian, the adult student, an advocate, or staff taking a call.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # An advocate writes on behalf of the guardian who gave them consent.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    # Staff recording what a guardian said on the phone: the guardian it came from.
    recorded_by_phone = models.BooleanField(_("heard by phone"), default=False)
    heard_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("heard from"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["student", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(recorded_by_phone=True, heard_from__isnull=False)
                    | Q(recorded_by_phone=False, heard_from__isnull=True)
                ),
                name="concern_phone_has_source",
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="concern_has_text",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @cached_property
    def state(self) -> ConcernState:
        """Status and where it landed. Reads ``outcomes``: prefetch them (selectors do)."""
        return state_of(list(self.outcomes.all()))

    @property
    def status(self) -> str:
        return self.state.status

    @property
    def status_label(self) -> Any:
        return ConcernStatus(self.state.status).label

    @property
    def said_by(self) -> Any:
        """Whose words these are: the guardian, even when someone else typed them."""
        return self.heard_from or self.on_behalf_of or self.author


class ConcernOutcome(models.Model):
    """One answer to a concern. Rows are only ever added."""

    class Kind(models.TextChoices):
        ADDRESSED = "addressed", _("Answered in the plan")
        DECLINED = "declined", _("Declined")
        DEFERRED = "deferred", _("Deferred")

    concern = models.ForeignKey(ParentConcern, on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The plan cycle the team was working on; for a link, the plan that answers it.
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="concern_outcomes"
    )
    # "goal:<lineage>", "service:<lineage>", "accommodation:<lineage>" or "section:<key>".
    target = models.CharField(max_length=80, blank=True)
    # The goal's, service's or accommodation's words when it was linked, so the family
    # reads what answered them even after the item is revised.
    target_label = models.CharField(max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Kept apart from the note: prior written notice quotes it as the reason for refusing.
    decline_reason = models.TextField(_("why the team declined"), blank=True)
    deferred_until = models.DateField(_("deferred until"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["concern", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="addressed") | (Q(plan__isnull=False) & ~Q(target="")),
                name="addressed_names_plan_and_target",
            ),
            models.CheckConstraint(
                condition=~Q(kind="declined") | ~Q(decline_reason=""),
                name="declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind="deferred") | Q(deferred_until__isnull=False),
                name="deferred_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target}".strip()

    @property
    def target_kind(self) -> str:
        return self.target.partition(":")[0]


@dataclass(frozen=True)
class ConcernState:
    """A concern's status and the outcomes that make it so."""

    status: str
    latest: ConcernOutcome | None = None
    # For "addressed": every link since the last decline or deferral.
    landed: list[ConcernOutcome] = field(default_factory=list)


def state_of(outcomes: list[ConcernOutcome]) -> ConcernState:
    """Status from the latest outcome; links made in a row all count as where it landed."""
    if not outcomes:
        return ConcernState(ConcernStatus.OPEN)
    ordered = sorted(outcomes, key=lambda o: (o.created_at, o.pk or 0))
    latest = ordered[-1]
    landed: list[ConcernOutcome] = []
    if latest.kind == ConcernOutcome.Kind.ADDRESSED:
        for outcome in reversed(ordered):
            if outcome.kind != ConcernOutcome.Kind.ADDRESSED:
                break
            landed.insert(0, outcome)
    return ConcernState(str(latest.kind), latest, landed)
