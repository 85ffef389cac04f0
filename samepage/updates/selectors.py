"""Read queries for quick updates and home notes, and what a tag may name.

A tag names a goal or an accommodation by lineage. What one can tag comes from the plan
in effect, else the latest draft the team shared with the family: never the live draft,
which the family has not seen. What a tag reads as is the item's current words, from the
same copies the family may read (the plan in effect first), so everyone reads one text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from samepage.plans.models import PlanVersion, SharedDraft
from samepage.schools.models import Student
from samepage.teams.permissions import Part, visible_students
from samepage.updates.models import HomeNote, QuickUpdate, QuickUpdateSeen, UpdateTag

LABEL_LIMIT = 300
# The kinds of plan item an update can be about: (tag kind, content key, text field).
TAGGABLE: tuple[tuple[str, str, str], ...] = (
    ("goal", "goals", "statement"),
    ("accommodation", "accommodations", "description"),
)
TAG_PREFIXES = {
    "goal": gettext_lazy("Goal"),
    "accommodation": gettext_lazy("Accommodation"),
}


@dataclass(frozen=True)
class TagChoice:
    """A goal or accommodation an update can be tagged with."""

    kind: str
    lineage_id: str
    label: str

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.lineage_id}"

    @property
    def text(self) -> str:
        return f"{TAG_PREFIXES[self.kind]}: {self.label}"


def _items(content: dict[str, Any] | None) -> list[TagChoice]:
    found = []
    for kind, key, text_field in TAGGABLE:
        for item in (content or {}).get(key) or []:
            label = str(item.get(text_field, ""))[:LABEL_LIMIT]
            found.append(TagChoice(kind, str(item["lineage_id"]), label))
    return found


def tag_choices(student: Student) -> list[TagChoice]:
    """The goals and accommodations of the plan in effect, else of the latest shared
    draft (one or two queries). Another student's items are never among them."""
    in_effect = (
        PlanVersion.objects.filter(plan__student=student, status=PlanVersion.Status.IN_EFFECT)
        .order_by("-effective_from", "-pk")
        .values_list("content", flat=True)
        .first()
    )
    if in_effect is not None:
        return _items(in_effect)
    shared = (
        SharedDraft.objects.filter(version__plan__student=student)
        .order_by("-shared_at", "-pk")
        .values_list("content", flat=True)
        .first()
    )
    return _items(shared)


def current_wording(student: Student) -> dict[str, str]:
    """ "goal:<lineage>" → the item's current words, for every item the family may read
    (two queries): the plan in effect wins, then the newest final version, then the
    newest shared draft. A tag whose item is in none of them reads its stored words."""
    copies: list[tuple[tuple[int, datetime | None, int], dict[str, Any] | None]] = []
    versions = (
        PlanVersion.objects.filter(plan__student=student, content__isnull=False)
        .exclude(status=PlanVersion.Status.DRAFT)
        .values_list("pk", "status", "finalized_at", "content")
    )
    for pk, status, finalized_at, content in versions:
        rank = 2 if status == PlanVersion.Status.IN_EFFECT else 1
        copies.append(((rank, finalized_at, pk), content))
    shared = SharedDraft.objects.filter(version__plan__student=student).values_list(
        "pk", "shared_at", "content"
    )
    for pk, shared_at, content in shared:
        copies.append(((0, shared_at, pk), content))
    words: dict[str, str] = {}
    for _key, content in sorted(copies, key=_copy_order):
        for choice in _items(content):
            words[choice.value] = choice.label
    return words


def _copy_order(copy: tuple[tuple[int, datetime | None, int], Any]) -> tuple[int, float, int]:
    (rank, moment, pk), _content = copy
    return (rank, moment.timestamp() if moment is not None else 0.0, pk)


def updates_for(student: Student) -> QuerySet[QuickUpdate]:
    """A student's quick updates with their writers and tags (two queries a page)."""
    return (
        QuickUpdate.objects.filter(student=student)
        .select_related("author", "withdrawn_by")
        .prefetch_related(Prefetch("tags", queryset=UpdateTag.objects.order_by("id")))
    )


def receipts_for(
    updates: list[QuickUpdate], *, reader_id: int | None
) -> dict[int, list[QuickUpdateSeen]]:
    """update id → who has seen it (not the reader), first seen first: one query for a
    page of updates, none when there are none. Only for readers whose access has
    ``can_see_receipts``; the caller asks that."""
    ids = [u.pk for u in updates]
    found: dict[int, list[QuickUpdateSeen]] = {pk: [] for pk in ids}
    if not ids:
        return found
    rows = QuickUpdateSeen.objects.filter(update_id__in=ids)
    if reader_id is not None:
        rows = rows.exclude(user_id=reader_id)
    for row in rows.select_related("user").order_by("seen_at", "id"):
        found[row.update_id].append(row)
    return found


def notes_for(student: Student) -> QuerySet[HomeNote]:
    """A student's home notes with their writers and files (one query a page)."""
    return HomeNote.objects.filter(student=student).select_related(
        "author", "withdrawn_by", "attachment"
    )


NEW_NOTE_DAYS = 7
NEW_NOTES_SHOWN = 10


def recent_home_notes(user: Any) -> list[HomeNote]:
    """The newest home notes of the last week about students whose messages ``user`` may
    read (the permission layer's list), for a staff home page: one query, at most ten."""
    since = timezone.now() - timedelta(days=NEW_NOTE_DAYS)
    return list(
        HomeNote.objects.filter(
            student__in=visible_students(user, Part.MESSAGES),
            withdrawn_at__isnull=True,
            created_at__gte=since,
        )
        .select_related("student", "author")
        .order_by("-created_at", "-pk")[:NEW_NOTES_SHOWN]
    )
