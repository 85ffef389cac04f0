"""A group session: one day, several students, a score for each goal they worked on.

A therapist who sees four children together records them on one page: they choose the
students of the session from their caseload, then fill one row per goal. Each row is its
own entry with its own ``client_key``, through the same action as the goal page: a row
that fails keeps its value and its message; the rows that were fine are saved, and
sending the page again stores none of them twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from samepage.plans.models import Goal
from samepage.progress import selectors
from samepage.progress.models import GoalMeasurement, MeasurementKind
from samepage.progress.permissions import ProgressAccess, access_progress
from samepage.teams.models import Capability, TeamMembership

# Students in one session at most: a group, not a class.
MAX_STUDENTS = 8


def recording_memberships(user: Any) -> list[TeamMembership]:
    """The user's current team places where they may enter progress, by student name:
    one person's caseload (tens of students, whatever the district's size)."""
    memberships = (
        TeamMembership.objects.current()
        .filter(user=user)
        .select_related("student", "student__school")
        .order_by("student__legal_last_name", "student__legal_first_name", "student_id", "pk")
    )
    return [m for m in memberships if Capability.ENTER_PROGRESS in m.capabilities]


@dataclass
class Row:
    """One goal of one student in the session: what was typed and what went wrong."""

    access: ProgressAccess
    goal: Goal
    measurement: GoalMeasurement
    prefix: str
    value: str = ""
    numerator: str = ""
    denominator: str = ""
    client_key: str = field(default_factory=lambda: str(uuid.uuid4()))
    errors: list[str] = field(default_factory=list)
    saved: bool = False

    @property
    def trials(self) -> bool:
        return self.measurement.kind == MeasurementKind.TRIALS

    @property
    def empty(self) -> bool:
        if self.trials:
            return not (self.numerator.strip() or self.denominator.strip())
        return not self.value.strip()


def rows_for(user: Any, student_ids: list[int]) -> list[Row]:
    """A row per measured current goal of each chosen student the user records for: a
    student they may not record for answers like the goal page (404 or 403)."""
    rows = []
    for student_id in student_ids[:MAX_STUDENTS]:
        access = access_progress(user, student_id, action="enter_school")
        goals = selectors.current_goals(access.student)
        measured = selectors.measurements_by_lineage(access.student, [g.lineage_id for g in goals])
        for goal in goals:
            measurement = measured.get(goal.lineage_id)
            if measurement is None or not measurement.kind:
                continue
            rows.append(Row(access, goal, measurement, prefix=f"m{measurement.pk}"))
    return rows
