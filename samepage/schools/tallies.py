"""Students per school, from the stored tallies the database keeps (SchoolTally).

Reading a tally is one row per school, whatever the school's size; the counts it holds
are written by triggers on the students table (schools/migrations/0007). ``counted``
is the same numbers counted afresh from the students, for the check that compares them
(``manage.py recount_tallies --check``) and for the repair.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from samepage.schools.models import School, SchoolTally, Student

ACTIVE = Q(status=Student.Status.ACTIVE)


def schools_with_tallies(district_id: int) -> QuerySet[School]:
    """The district's schools by name, with their active counts as attributes (0 if none).

    (``students``, the count of every row, is left out: ``School.students`` is the
    relation to the rows themselves.)
    """
    shown = [name for name in SchoolTally.COUNTS if name != "students"]
    return (
        School.objects.filter(district_id=district_id)
        .annotate(**{name: Coalesce(f"tally__{name}", Value(0)) for name in shown})
        .order_by("name", "pk")
    )


def district_totals(district_id: int) -> dict[str, int]:
    """The district's counts: the sum of its schools' tallies (one row per school)."""
    sums = SchoolTally.objects.filter(school__district_id=district_id).aggregate(
        **{name: Coalesce(Sum(name), Value(0)) for name in SchoolTally.COUNTS}
    )
    return {name: int(sums[name]) for name in SchoolTally.COUNTS}


def counted(school_ids: Iterable[int] | None = None) -> dict[int, dict[str, int]]:
    """Each school's counts counted from the students themselves (a scan: checks only)."""
    students = Student.objects.all()
    if school_ids is not None:
        students = students.filter(school_id__in=list(school_ids))
    rows = students.values("school_id").annotate(
        students=Count("pk"),
        active_students=Count("pk", filter=ACTIVE),
        active_iep_students=Count("pk", filter=ACTIVE & Q(plan_type=Student.PlanType.IEP)),
        active_504_students=Count("pk", filter=ACTIVE & Q(plan_type=Student.PlanType.SECTION_504)),
    )
    return {row["school_id"]: {name: row[name] for name in SchoolTally.COUNTS} for row in rows}


@dataclass(frozen=True)
class Drift:
    school_id: int
    stored: dict[str, int]
    counted: dict[str, int]


def drifts() -> list[Drift]:
    """Schools whose stored tally differs from a fresh count (none, while triggers run)."""
    zero = dict.fromkeys(SchoolTally.COUNTS, 0)
    fresh = counted()
    stored = {
        t.school_id: {name: getattr(t, name) for name in SchoolTally.COUNTS}
        for t in SchoolTally.objects.all()
    }
    found = []
    for school_id in sorted(set(fresh) | set(stored)):
        have, want = stored.get(school_id, zero), fresh.get(school_id, zero)
        if have != want:
            found.append(Drift(school_id=school_id, stored=have, counted=want))
    return found


def repair() -> int:
    """Rewrite every drifted tally from a fresh count; returns how many were wrong."""
    with transaction.atomic():
        wrong = drifts()
        for drift in wrong:
            SchoolTally.objects.update_or_create(school_id=drift.school_id, defaults=drift.counted)
    return len(wrong)
