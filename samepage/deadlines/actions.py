"""Writes for deadlines: recomputing one student's rows, and the district's choice of
rule pack.

``refresh_deadlines`` is called after the writes that change a deadline's inputs: the
plan, concern and report actions publish events (``core.events``), and
``refresh_on_event`` (subscribed in ``DeadlinesConfig.ready``) refreshes that one
student after the commit. A district-wide change (its pack) refreshes its students in a
background task, never on a page view.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samepage.core.audit import record_audit
from samepage.core.dates import district_today
from samepage.core.events import Event
from samepage.deadlines import compute, tasks
from samepage.deadlines.models import Deadline, DeadlineSettings, PackChoice
from samepage.deadlines.rules import load_pack
from samepage.deadlines.selectors import CALENDAR_REACH, calendar_of, facts_of, pack_of
from samepage.schools.models import District, Student

# The events after which a student's deadlines may have moved.
REFRESH_ON = frozenset({"plan.finalized", "plan.in_effect", "concern.decided", "report.issued"})
# District-wide changes (core.events.publish_district_change) that move deadlines.
DISTRICT_REFRESH_ON = frozenset({"calendar", "reporting_periods"})
# The fields a refresh writes (and compares, to leave an unchanged row alone).
FIELDS = ("start_event", "start_date", "due_date", "met_on", "status", "about", "citation", "pack")


@dataclass(frozen=True)
class Refreshed:
    created: int = 0
    updated: int = 0
    removed: int = 0


def refresh_deadlines(student: Student) -> Refreshed:
    """Recompute one student's deadlines from what is on their record today.

    IEP rules only: a student on a 504 plan keeps none. Rows the rules no longer give
    (the pack changed, a period was archived) are removed: they are derived, and the
    records they came from keep their own history. Safe to run twice or at once: the
    student's row is locked while the rows are written.
    """
    today = district_today(student.district)
    wanted: list[compute.Computed] = []
    pack = pack_of(student.district)
    if student.plan_type == Student.PlanType.IEP:
        facts = facts_of(student, today)
        starts = [h.day for found in facts.values() for h in found if h.day is not None]
        first = min([*starts, today])
        last = max([*starts, today]) + CALENDAR_REACH
        cal = calendar_of(student.district, pack, first, last)
        wanted = compute.deadlines_of(pack, facts, cal)
    created = updated = 0
    now = timezone.now()
    with transaction.atomic():
        Student.objects.select_for_update().filter(pk=student.pk).first()
        existing = {
            (row.rule_key, row.occurrence): row for row in Deadline.objects.filter(student=student)
        }
        for found in wanted:
            values = {
                "start_event": found.rule.start,
                "start_date": found.start_date,
                "due_date": found.due_date,
                "met_on": found.met_on,
                "status": found.status,
                "about": found.about[:200],
                "citation": found.rule.citation[:100],
                "pack": pack.name,
            }
            row = existing.pop((found.rule.key, found.occurrence), None)
            if row is None:
                Deadline.objects.create(
                    student=student,
                    rule_key=found.rule.key,
                    occurrence=found.occurrence,
                    computed_at=now,
                    **values,
                )
                created += 1
            elif any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                row.computed_at = now
                row.save(update_fields=[*FIELDS, "computed_at"])
                updated += 1
        removed = len(existing)
        if existing:
            Deadline.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    return Refreshed(created=created, updated=updated, removed=removed)


def refresh_on_event(event: Event) -> None:
    """The events handler: refresh the student an input of whose deadlines changed."""
    if event.kind in REFRESH_ON and event.student is not None:
        refresh_deadlines(event.student)


def refresh_on_district_change(district_id: int, what: str) -> None:
    """The district handler: its calendar or reporting periods changed, which moves its
    students' school-day and report deadlines; recompute them in the background (a
    district of 100,000 students is not recomputed in the request that saved a holiday)."""
    if what in DISTRICT_REFRESH_ON:
        tasks.refresh_district_deadlines.enqueue(district_id)


def refresh_district(district_id: int) -> int:
    """Refresh every student of the district (the background task's work); how many."""
    students = Student.objects.filter(district_id=district_id).select_related("district")
    count = 0
    for student in students.iterator():
        refresh_deadlines(student)
        count += 1
    return count


def do_choose_pack(district: District, *, actor: Any, pack: str) -> DeadlineSettings:
    """Choose which rule pack the district's deadlines follow, and recompute them in the
    background. The caller has decided ``actor`` administers the district."""
    if pack not in PackChoice.values:
        raise ValidationError(
            {"pack": [_("Choose a rule pack from the list.")]}, code="unknown_pack"
        )
    load_pack(pack)  # a pack that does not load is refused here, with its message
    with transaction.atomic():
        row, _created = DeadlineSettings.objects.select_for_update().get_or_create(
            district=district
        )
        before = row.pack
        row.pack = pack
        row.save()
        record_audit(
            actor=actor,
            action="deadlines.pack_chosen",
            target=row,
            changes={"district": district.pk, "pack": [before, pack]},
        )
        transaction.on_commit(partial(tasks.refresh_district_deadlines.enqueue, district.pk))
    return row
