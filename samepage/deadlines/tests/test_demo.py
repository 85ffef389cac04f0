"""The demo's deadlines: open, met and "unknown" side by side; seeding again changes
nothing."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from samepage.deadlines.models import Deadline
from samepage.home import demo
from samepage.schools.models import Student

pytestmark = pytest.mark.django_db


def _rows() -> list[tuple[Any, ...]]:
    return list(
        Deadline.objects.order_by("pk").values_list(
            "pk", "rule_key", "occurrence", "status", "due_date", "computed_at"
        )
    )


def test_the_demo_shows_open_met_and_unknown_deadlines(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        district = demo.seed()
    jamie = Student.objects.get(legal_first_name="Jamie")
    mine = {(d.rule_key, d.occurrence): d for d in Deadline.objects.filter(student=jamie)}
    assert mine[("annual_review", "")].status == "open"
    assert mine[("initial_evaluation", "")].status == "met"
    assert mine[("reevaluation", "")].status == "unknown"
    reports = [d for (key, _o), d in mine.items() if key == "progress_report"]
    assert {d.about for d in reports} >= {"Fall term 1"}
    assert any(d.status == "met" for d in reports)
    before = _rows()
    out = StringIO()
    call_command("refresh_deadlines", district=district.pk, stdout=out)
    assert _rows() == before
    assert "Deadlines refreshed for" in out.getvalue()
