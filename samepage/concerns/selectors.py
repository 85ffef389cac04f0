"""Read queries for concerns: a constant number of queries however many there are.

This module is imported by ``plans.content`` (the plan's parent-concerns section), so it
imports plan models and the section registry only, never plan actions or content.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samepage.concerns.models import ConcernOutcome, ConcernStatus, ParentConcern
from samepage.plans.models import Accommodation, Goal, PlanVersion, Service, SharedDraft
from samepage.plans.sections import section, sections_for
from samepage.schools.models import Guardian, Student

# Sections a concern can land in: every narrative section but the concerns themselves.
NOT_A_TARGET = {"parent_concerns"}
ITEM_MODELS: tuple[tuple[str, Any, str], ...] = (
    ("goal", Goal, "statement"),
    ("service", Service, "description"),
    ("accommodation", Accommodation, "description"),
)
ITEM_PREFIXES = {
    "goal": gettext_lazy("Goal"),
    "service": gettext_lazy("Service"),
    "accommodation": gettext_lazy("Accommodation"),
}


def concerns_for(student: Student) -> QuerySet[ParentConcern]:
    """A student's concerns, oldest first, with authors and every outcome (3 queries)."""
    outcomes = ConcernOutcome.objects.select_related("decided_by", "plan").order_by(
        "created_at", "id"
    )
    return (
        ParentConcern.objects.filter(student=student)
        .select_related("author", "on_behalf_of", "heard_from")
        .prefetch_related(Prefetch("outcomes", queryset=outcomes))
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: Any
    count: int


def status_counts(concerns: list[ParentConcern]) -> list[StatusCount]:
    """How many concerns have each status; the counts add up to ``len(concerns)``."""
    counts = dict.fromkeys(ConcernStatus.values, 0)
    for concern in concerns:
        counts[concern.status] += 1
    return [StatusCount(s, ConcernStatus(s).label, counts[s]) for s in ConcernStatus.values]


@dataclass(frozen=True)
class LinkTarget:
    """Something in a current plan version that can answer a concern."""

    plan_id: int
    plan_type: str
    target: str  # "goal:<lineage>", "section:<key>"…
    label: str  # the item's own words; "" for a section (its title is translated)

    @property
    def value(self) -> str:
        return f"{self.plan_id}|{self.target}"

    @property
    def text(self) -> str:
        return target_text(self.target, self.label, self.plan_type)


def target_text(target: str, label: str, plan_type: str) -> str:
    """“Goal: Jamie will read…”, “Plan section: Present levels”, in the reader's language."""
    kind, _sep, rest = target.partition(":")
    if kind == "section":
        found = section(plan_type, rest)
        return _("Plan section: %(title)s") % {"title": found.title if found else rest}
    prefix = ITEM_PREFIXES.get(kind, kind)
    return f"{prefix}: {label}"


# What a family (or anyone who may not see the live draft) reads where a concern landed in
# an item that exists only in the draft nobody has shared with them yet.
NOT_SHARED_YET = gettext_lazy("Answered in the next draft (not shared yet)")
LABEL_LIMIT = 300


@dataclass(frozen=True)
class ItemWording:
    """The words of the plan items concerns landed in, as one reader may read them.

    Someone who may see the live draft reads the words the item had when the concern was
    linked. Anyone else reads the words of the latest shared draft or frozen version that
    holds the item; an item only in the unshared draft reads "answered in the next draft",
    so nothing of that draft reaches them by way of a concern.
    """

    sees_drafts: bool
    # (plan id, "goal:<lineage>") → the item's words in the latest copy the reader may read.
    shared: dict[tuple[int, str], str]

    def label(self, plan_id: int | None, target: str, stored: str) -> str | None:
        """The item's words for this reader; None when the reader may not read them yet."""
        if self.sees_drafts or target.partition(":")[0] not in ITEM_PREFIXES:
            return stored
        return self.shared.get((plan_id or 0, target))

    def text(self, plan_id: int | None, target: str, stored: str, plan_type: str) -> str:
        label = self.label(plan_id, target, stored)
        if label is None:
            return str(NOT_SHARED_YET)
        return target_text(target, label, plan_type)


def _content_labels(content: dict[str, Any]) -> dict[str, str]:
    """ "goal:<lineage>" → the item's words, for every item of one version's content."""
    labels = {}
    for kind, _model, text_field in ITEM_MODELS:
        for item in content.get(f"{kind}s") or []:
            labels[f"{kind}:{item['lineage_id']}"] = str(item.get(text_field, ""))[:LABEL_LIMIT]
    return labels


def item_wording(student: Student, *, sees_drafts: bool) -> ItemWording:
    """What ``ItemWording`` a reader gets (two queries for one who may not see drafts)."""
    if sees_drafts:
        return ItemWording(True, {})
    # Oldest first, so a later copy's words win: each version's shared drafts come before
    # the version's own frozen content, and both before the next version's.
    copies: list[tuple[tuple[int, int, int], int, dict[str, Any] | None]] = []
    frozen = (
        PlanVersion.objects.filter(plan__student=student, content__isnull=False)
        .exclude(status=PlanVersion.Status.DRAFT)
        .values_list("plan_id", "number", "content")
    )
    for plan_id, number, content in frozen:
        copies.append(((number, 1, 0), plan_id, content))
    shared = SharedDraft.objects.filter(version__plan__student=student).values_list(
        "version__plan_id", "version__number", "number", "content"
    )
    for plan_id, number, shared_number, content in shared:
        copies.append(((number, 0, shared_number), plan_id, content))
    words: dict[tuple[int, str], str] = {}
    for _order_key, plan_id, content in sorted(copies, key=lambda c: c[0]):
        for target, label in _content_labels(content or {}).items():
            words[(plan_id, target)] = label
    return ItemWording(False, words)


def link_targets(student: Student) -> list[LinkTarget]:
    """What a concern can be linked to: the student's draft and in-effect plan versions.

    An item in both (same lineage) is listed once, with the draft's words.
    """
    versions = list(
        PlanVersion.objects.filter(
            plan__student=student,
            status__in=[PlanVersion.Status.DRAFT, PlanVersion.Status.IN_EFFECT],
        )
        .select_related("plan")
        .order_by("plan_id", "-number")
    )
    found: dict[tuple[int, str], LinkTarget] = {}
    by_id = {v.pk: v for v in versions}
    for version in versions:
        plan = version.plan
        for sec in sections_for(plan.plan_type):
            if sec.key in NOT_A_TARGET:
                continue
            target = f"section:{sec.key}"
            found.setdefault((plan.pk, target), LinkTarget(plan.pk, plan.plan_type, target, ""))
    if not versions:
        return []
    for kind, model, text_field in ITEM_MODELS:
        rows = model.objects.filter(version__in=versions, removed_at__isnull=True).order_by(
            "-version__number", "position", "id"
        )
        for item in rows:
            version = by_id[item.version_id]
            target = f"{kind}:{item.lineage_id}"
            label = str(getattr(item, text_field))[:LABEL_LIMIT]
            found.setdefault(
                (version.plan_id, target),
                LinkTarget(version.plan_id, version.plan.plan_type, target, label),
            )
    return sorted(found.values(), key=lambda t: (t.plan_id, _order(t.target), t.text))


def _order(target: str) -> int:
    return ["goal", "service", "accommodation", "section"].index(target.partition(":")[0])


def guardians_to_hear_from(student: Student) -> list[Any]:
    """Guardians staff may attribute a phone concern to (never a restricted one)."""
    links = (
        Guardian.objects.filter(student=student, is_restricted=False)
        .select_related("user")
        .order_by("user__full_name", "id")
    )
    return [link.user for link in links]


# The plan's parent-concerns section -------------------------------------------------------


def _name(user: Any) -> str | None:
    return user.display_name if user is not None else None


def concern_data(concern: ParentConcern) -> dict[str, Any]:
    """One concern as plain data, frozen into a version's content."""
    state = concern.state
    latest = state.latest
    return {
        "id": concern.pk,
        "category": concern.category,
        "importance": concern.importance,
        "text": concern.text,
        "author": _name(concern.author),
        "said_by": _name(concern.said_by),
        "on_behalf_of": _name(concern.on_behalf_of),
        "heard_from": _name(concern.heard_from),
        "recorded_by_phone": concern.recorded_by_phone,
        "created_at": concern.created_at.isoformat(),
        "status": state.status,
        "landed": [
            {
                "plan_id": o.plan_id,
                "target": o.target,
                "target_label": o.target_label,
                "note": o.note,
            }
            for o in state.landed
        ],
        "decline_reason": latest.decline_reason if latest is not None else "",
        "deferred_until": (
            latest.deferred_until.isoformat()
            if latest is not None and latest.deferred_until
            else None
        ),
        "note": latest.note if latest is not None else "",
    }


def concerns_for_plan(version: PlanVersion) -> list[dict[str, Any]]:
    """The concerns a version's parent-concerns section shows: those still open and those
    the team answered while working on this plan (not ones settled in another plan)."""
    # Each landing reads as the item reads in this very version: a concern linked while the
    # item had other, never-shared words must not carry those words into the copy.
    own_words = {}
    for kind, model, text_field in ITEM_MODELS:
        for lineage, text in model.objects.filter(
            version=version, removed_at__isnull=True
        ).values_list("lineage_id", text_field):
            own_words[f"{kind}:{lineage}"] = str(text)[:LABEL_LIMIT]
    shown = []
    for concern in concerns_for(version.plan.student):
        latest = concern.state.latest
        if latest is None or latest.plan_id in (None, version.plan_id):
            data = concern_data(concern)
            for landing in data["landed"]:
                if landing["plan_id"] == version.plan_id and landing["target"] in own_words:
                    landing["target_label"] = own_words[landing["target"]]
            shown.append(data)
    return shown
