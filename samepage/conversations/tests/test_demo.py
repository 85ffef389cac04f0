"""The demo's conversations: a bilingual team thread, a staff-only one, unread messages
for the demo parents."""

from __future__ import annotations

import pytest

from samepage.accounts.models import User
from samepage.conversations.models import Thread
from samepage.conversations.selectors import threads_for, unread_total
from samepage.conversations.tests.helpers import access_of
from samepage.home import demo
from samepage.schools.models import Student

pytestmark = pytest.mark.django_db


def test_demo_conversations():
    demo.seed()
    sofia = Student.objects.get(legal_first_name="Sofía")
    jamie = Student.objects.get(legal_first_name="Jamie")
    thread = Thread.objects.get(student=sofia, kind=Thread.Kind.TEAM)
    assert set(thread.messages.values_list("language", flat=True)) == {"en", "es"}
    rosa = User.objects.get(email="rosa.hernandez@family.example")
    jordan = User.objects.get(email="jordan.rivera@family.example")
    assert unread_total(access_of(rosa, sofia)) == 2
    assert unread_total(access_of(jordan, jamie)) >= 1
    staff_only = Thread.objects.get(student=jamie, kind=Thread.Kind.STAFF)
    assert staff_only not in threads_for(access_of(jordan, jamie))
    lee = User.objects.get(email="maria.lee@riverbend.example")
    assert staff_only in threads_for(access_of(lee, jamie))
