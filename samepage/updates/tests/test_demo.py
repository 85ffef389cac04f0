"""The demo's updates: tagged to goals, one in Spanish for Rosa, home notes from both."""

from __future__ import annotations

import pytest

from samepage.accounts.models import User
from samepage.home import demo
from samepage.schools.models import Student
from samepage.updates.models import HomeNote, QuickUpdate
from samepage.updates.tests.helpers import access_of
from samepage.updates.timeline import timeline_page

pytestmark = pytest.mark.django_db


def test_demo_updates_and_notes():
    demo.seed()
    jamie = Student.objects.get(legal_first_name="Jamie")
    sofia = Student.objects.get(legal_first_name="Sofía")
    tagged = QuickUpdate.objects.filter(tags__kind="goal").distinct()
    assert {u.student_id for u in tagged} == {jamie.pk, sofia.pk}
    assert QuickUpdate.objects.get(student=sofia).language == "es"
    jordan = User.objects.get(email="jordan.rivera@family.example")
    assert HomeNote.objects.filter(student=jamie, author=jordan).exists()
    kinds = {e.kind for e in timeline_page(access_of(jordan, jamie)).entries}
    assert {"update", "home_note", "message", "draft_shared"} <= kinds
