"""What the plans add to a staff home's "Needs your attention" (registered in
``apps.py``): the family's questions on shared drafts nobody has answered yet, and
drafts not yet shared with the family for review."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samepage.plans.models import PlanQuestion, PlanVersion, SharedDraft
from samepage.teams.attention import AttentionItem, AttentionKind, Seeker
from samepage.teams.permissions import Part


def _questions(seeker: Seeker) -> tuple[list[AttentionItem], int]:
    rows = PlanQuestion.objects.filter(
        # A shared draft's page asks for the plans (plans.permissions._check).
        shared_draft__version__plan__student__in=seeker.students_with(Part.PLANS),
        status=PlanQuestion.Status.OPEN,
    )
    first, total = seeker.first(
        rows.select_related("shared_draft__version__plan__student", "author")
        .defer("shared_draft__content", "shared_draft__version__content")
        .order_by("created_at", "pk")
    )
    items = []
    for question in first:
        shared = question.shared_draft
        plan = shared.version.plan
        items.append(
            AttentionItem(
                kind="plan_questions",
                why=_("%(person)s asked about the shared draft and is waiting for an answer")
                % {"person": question.author.display_name},
                student=plan.student,
                url=reverse("plans:shared", args=[plan.pk, shared.number]),
            )
        )
    return items, total


def _unshared_drafts(seeker: Seeker) -> tuple[list[AttentionItem], int]:
    rows = PlanVersion.objects.filter(
        # Drafts nobody shared are for staff who may see drafts only.
        plan__student__in=seeker.students_with(Part.DRAFTS),
        plan__ended_at__isnull=True,
        status=PlanVersion.Status.DRAFT,
    ).filter(~Exists(SharedDraft.objects.filter(version=OuterRef("pk"))))
    first, total = seeker.first(
        rows.select_related("plan__student").defer("content").order_by("created_at", "pk")
    )
    items = [
        AttentionItem(
            kind="unshared_drafts",
            why=_("The draft has not been shared with the family for review yet"),
            student=version.plan.student,
            url=reverse("plans:detail", args=[version.plan_id]),
        )
        for version in first
    ]
    return items, total


QUESTIONS_ATTENTION = AttentionKind(
    kind="plan_questions",
    label=gettext_lazy("Family questions waiting for an answer"),
    collect=_questions,
    order=20,
)
UNSHARED_DRAFTS_ATTENTION = AttentionKind(
    kind="unshared_drafts",
    label=gettext_lazy("Drafts not yet shared with the family"),
    collect=_unshared_drafts,
    order=40,
)
