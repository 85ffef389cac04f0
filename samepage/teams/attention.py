""" "What needs my attention": items each app contributes to a person's home.

The homes sit at the top (home), above every app whose records need someone's attention
(deadlines, questions on shared drafts, concerns, progress alerts, missed minutes). So
the registry lives here, beside the permission layer every contributor filters through,
and the apps register a contributor in their ``AppConfig.ready`` with
``register_attention``; teams never imports them.

A contributor takes a ``Seeker`` (the person and the students their home shows) and
answers one ``Kind`` of items: at most ``limit`` of them, most urgent first, and how many
there are in all, in one query whatever the number of students (``Seeker.first``; the
students are a subquery, never a list walked in Python). It must ask the ``Seeker`` for
the students whose part of the record it reads (``students_with(part)``), so nobody sees
an item about a part of the record they may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet, Window

from samepage.core.dates import district_today
from samepage.schools.models import Student
from samepage.schools.roles import roles_for
from samepage.teams.permissions import Reach, reaches, students_reached

# How many items of one kind a home lists; the rest are "and N more".
PER_KIND = 5


@dataclass(frozen=True)
class AttentionItem:
    """One thing that needs someone's attention, with why and where to act on it."""

    kind: str
    # Why it is there, in the reader's language (already translated words).
    why: Any
    student: Student
    # Where to act on it: a page this person may open.
    url: str
    # When it is (or was) due, if it has a date: overdue items come first.
    due: date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class AttentionGroup:
    """One kind of items on one person's home: a few of them, and how many in all."""

    kind: str
    label: Any
    items: list[AttentionItem]
    total: int
    order: int = 100

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


@dataclass
class Seeker:
    """Whose home asks, and which of their students it shows (a queryset, never a list)."""

    user: Any
    students: QuerySet[Student]
    limit: int = PER_KIND
    today: date | None = None
    _reaches: list[Reach] | None = field(default=None, repr=False)

    def students_with(self, part: str) -> QuerySet[Student]:
        """The home's students whose ``part`` this person may see: a subquery. The
        person's memberships and consents are read once for every part asked."""
        if self._reaches is None:
            self._reaches = reaches(self.user)
        return self.students.filter(pk__in=students_reached(self._reaches, part).values("pk"))

    def first(self, rows: QuerySet[Any]) -> tuple[list[Any], int]:
        """The first ``limit`` of ``rows`` (ordered) and how many there are in all, in
        one query however many: the total rides on each row as a window count."""
        found = list(rows.annotate(attention_total=Window(Count("pk")))[: self.limit])
        return found, found[0].attention_total if found else 0

    def day(self) -> date:
        """The district's today, for what is overdue and what is upcoming."""
        if self.today is None:
            staff = roles_for(self.user).staff
            self.today = district_today(staff.district if staff is not None else None)
        return self.today


@dataclass(frozen=True)
class AttentionKind:
    """One kind of items an app contributes."""

    kind: str
    label: Any
    # (seeker) -> (at most seeker.limit items, how many in all)
    collect: Callable[[Seeker], tuple[list[AttentionItem], int]]
    # Lower comes first on the home.
    order: int = 100


_kinds: dict[str, AttentionKind] = {}


def register_attention(kind: AttentionKind) -> None:
    """Add (or, when an app loads again in tests, replace) the kind ``kind.kind``."""
    _kinds[kind.kind] = kind


def registered_kinds() -> list[AttentionKind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.kind))


def attention_for(seeker: Seeker) -> list[AttentionGroup]:
    """Every kind with at least one item for this person, in order; the kinds with
    overdue items first."""
    groups = []
    for kind in registered_kinds():
        items, total = kind.collect(seeker)
        if total:
            groups.append(
                AttentionGroup(
                    kind=kind.kind, label=kind.label, items=items, total=total, order=kind.order
                )
            )
    return sorted(
        groups, key=lambda g: (not any(item.overdue for item in g.items), g.order, g.kind)
    )
