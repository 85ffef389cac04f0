"""Who may read a child's progress data and who may record it.

Built on ``access_student``: whoever may not see the student answers 404, and a goal's
measurement of another student answers 404 like a missing one. From the one permission
layer (teams/permissions.py), nothing decided here a second time:

- read (chart, points, phase lines): anyone whose access has ``Part.PROGRESS`` (staff
  who may view the record, the family, the student, an advocate whose consent covers
  progress);
- record school data, set a goal's measurement, mark a phase change, void or correct a
  school point: staff with ``Capability.ENTER_PROGRESS`` (a general-education teacher
  has it by default though the progress part is not theirs to read: they record what
  they see in class, as the capability says);
- record a home observation, void or correct one: the family, meaning a guardian (a
  court-restricted guardian never reaches the student); the student's own account is
  not the family at home.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samepage.plans.models import Goal, PlanVersion
from samepage.progress.models import DataPoint, GoalMeasurement, Series
from samepage.schools.models import Student
from samepage.schools.permissions import access_district_settings
from samepage.teams.models import Capability
from samepage.teams.permissions import Part, StudentAccess, access_student, student_access

NOT_SHARED = gettext_lazy("This part of the record is not shared with you.")
SCHOOL_ONLY = gettext_lazy("Only staff on the team who may enter progress data can do this.")
HOME_ONLY = gettext_lazy("Home observations are recorded by the child's family.")


@dataclass
class ProgressAccess:
    """What one person may do with one student's progress data (templates ask these)."""

    record: StudentAccess

    @property
    def student(self) -> Student:
        return self.record.student

    @property
    def can_view(self) -> bool:
        return Part.PROGRESS in self.record.parts

    @property
    def can_enter_school_data(self) -> bool:
        return self.record.is_staff and Capability.ENTER_PROGRESS in self.record.capabilities

    @property
    def can_enter_home_data(self) -> bool:
        return (
            self.record.is_family
            and self.record.role != "student"
            and Part.PROGRESS in self.record.parts
        )

    @property
    def can_set_measurement(self) -> bool:
        # How a goal is measured decides what the rules say: staff who read the chart.
        return self.can_enter_school_data and self.can_view

    @property
    def can_add_phase_change(self) -> bool:
        return self.can_enter_school_data and self.can_view

    def can_enter(self, series: str) -> bool:
        if series == Series.SCHOOL:
            return self.can_enter_school_data
        if series == Series.HOME:
            return self.can_enter_home_data
        return False

    def may_change(self, point: DataPoint) -> bool:
        """Void or correct: whoever may record that series and reads the goal's entries
        (a teacher fixes a colleague's typo; a parent, the other parent's); someone who
        records without reading them (a general-education teacher), their own only."""
        if not self.can_enter(point.series):
            return False
        return self.can_view or point.entered_by_id == self.record.user_id


def check_entry(access: ProgressAccess, series: str) -> None:
    """Refuse (403) recording ``series`` unless ``access`` allows it."""
    if series == Series.HOME:
        if not access.can_enter_home_data:
            raise PermissionDenied(str(HOME_ONLY))
    elif not access.can_enter_school_data:
        raise PermissionDenied(str(SCHOOL_ONLY))


def check_progress_action(access: ProgressAccess, action: str) -> None:
    """Refuse (403) unless ``access`` allows ``action``: "view", "enter_school",
    "enter_home", "enter" (either series), "set_measurement", "phase_change"."""
    if action == "view":
        allowed = access.can_view
        message = str(NOT_SHARED)
    elif action == "enter_school":
        allowed, message = access.can_enter_school_data, str(SCHOOL_ONLY)
    elif action == "enter_home":
        allowed, message = access.can_enter_home_data, str(HOME_ONLY)
    elif action == "enter":
        allowed = access.can_enter_school_data or access.can_enter_home_data
        message = _("Your role does not allow this.")
    elif action in ("set_measurement", "phase_change"):
        allowed, message = access.can_set_measurement, str(SCHOOL_ONLY)
    else:
        raise PermissionDenied
    if not allowed:
        raise PermissionDenied(message)


def progress_access_for(user: Any, student: Student) -> ProgressAccess | None:
    """What ``user`` may do with ``student``'s progress data (None: cannot see them)."""
    record = student_access(user, student)
    return ProgressAccess(record) if record is not None else None


def access_progress(user: Any, student_id: Any, *, action: str = "view") -> ProgressAccess:
    """A student's progress data if ``user`` may do ``action``: 404 when the student is
    not visible, else 403."""
    student = access_student(user, student_id)
    access = ProgressAccess(student.access)  # type: ignore[attr-defined]
    check_progress_action(access, action)
    return access


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def access_measurement(
    user: Any, student_id: Any, measurement_id: Any, *, action: str = "view"
) -> tuple[ProgressAccess, GoalMeasurement]:
    """One goal measurement of this student; another student's answers 404."""
    access = access_progress(user, student_id, action=action)
    measurement = GoalMeasurement.objects.filter(
        pk=_pk(measurement_id), student=access.student
    ).first()
    if measurement is None:
        raise Http404
    measurement.student = access.student
    return access, measurement


def access_point(
    user: Any, student_id: Any, point_id: Any, *, action: str = "view"
) -> tuple[ProgressAccess, DataPoint]:
    """One data point of this student; another student's answers 404. ``action="change"``
    (void or correct): whoever may record the point's series."""
    access = access_progress(user, student_id, action="view" if action == "view" else "enter")
    point = (
        DataPoint.objects.select_related("measurement")
        .filter(pk=_pk(point_id), measurement__student=access.student)
        .first()
    )
    if point is None:
        raise Http404
    if action == "change":
        check_entry(access, point.series)
        if not access.may_change(point):
            raise PermissionDenied(str(NOT_SHARED))
    elif action != "view":
        raise PermissionDenied
    point.measurement.student = access.student
    return access, point


def access_goal(
    user: Any, student_id: Any, lineage: Any, *, action: str = "view"
) -> tuple[ProgressAccess, Goal, GoalMeasurement | None]:
    """One goal of this student's plans (its newest row, in a version past draft) and its
    measurement, if it has one yet: a goal of another student, or only in a draft,
    answers 404 like a missing one."""
    access = access_progress(user, student_id, action=action)
    goal = (
        Goal.objects.filter(lineage_id=lineage, version__plan__student=access.student)
        .exclude(version__status=PlanVersion.Status.DRAFT)
        .select_related("version")
        .order_by("-version__plan__created_at", "-version__number")
        .first()
    )
    if goal is None:
        raise Http404
    measurement = GoalMeasurement.objects.filter(
        student=access.student, goal_lineage=goal.lineage_id
    ).first()
    if measurement is not None:
        measurement.student = access.student
    return access, goal, measurement


RULES_ONLY = gettext_lazy("Only the district's administrators set the progress rules.")
GROUPS_ONLY = gettext_lazy("Only staff on a team who may enter progress data can do this.")


def access_rules(user: Any) -> Any:
    """The district whose decision-rule thresholds ``user`` sets: its administrators
    only (403 for anyone else)."""
    return access_district_settings(user, refusal=RULES_ONLY)


def check_records_groups(memberships: list[Any]) -> None:
    """Refuse (403) a group session to someone with no team place that enters progress."""
    if not memberships:
        raise PermissionDenied(str(GROUPS_ONLY))
