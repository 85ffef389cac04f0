"""The registry of attention items (teams/attention.py): kinds come in their order,
those with something overdue first, a kind with nothing is left out, an app loading
again replaces its kind, and a kind's first few and total are one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samepage import factories as f
from samepage.schools.models import Student
from samepage.teams import attention
from samepage.teams.attention import AttentionItem, AttentionKind, Seeker, attention_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_these_kinds(monkeypatch):
    monkeypatch.setattr(attention, "_kinds", {})


def _kind(name: str, order: int, *, overdue: bool = False, total: int = 1) -> AttentionKind:
    def collect(seeker: Seeker) -> tuple[list[AttentionItem], int]:
        student = Student(pk=1, legal_first_name="Casey", legal_last_name="Lane")
        item = AttentionItem(kind=name, why="because", student=student, url="/", overdue=overdue)
        return ([item] if total else []), total

    return AttentionKind(kind=name, label=name, collect=collect, order=order)


def test_kinds_come_in_order_with_the_overdue_first_and_empty_ones_left_out(
    world, only_these_kinds
):
    attention.register_attention(_kind("first", 1))
    attention.register_attention(_kind("late", 9, overdue=True))
    attention.register_attention(_kind("empty", 5, total=0))
    groups = attention_for(Seeker(world.case_manager, Student.objects.none()))
    assert [group.kind for group in groups] == ["late", "first"]


def test_registering_a_kind_again_replaces_it(world, only_these_kinds):
    attention.register_attention(_kind("again", 1, total=1))
    attention.register_attention(_kind("again", 1, total=3))
    [group] = attention_for(Seeker(world.case_manager, Student.objects.none()))
    assert group.total == 3 and group.more == 2


def test_a_kinds_first_few_and_total_are_one_query(world):
    for n in range(7):
        student = f.make_student(world.school, legal_first_name=f"Kid{n}")
        f.add_to_team(student, world.case_manager, f.TeamRole.CASE_MANAGER)
    kids = Student.objects.filter(legal_first_name__startswith="Kid")
    seeker = Seeker(world.case_manager, kids, limit=3)
    with CaptureQueriesContext(connection) as queries:
        first, total = seeker.first(seeker.students.order_by("pk"))
    assert len(queries) == 1
    assert len(first) == 3 and total == 7
