"""The demo's service minutes: Sofía's speech sessions with a missed week the family
sees, partly made up, and last month's alert to the team and to Rosa, in Spanish."""

from __future__ import annotations

from datetime import date

import pytest

from samepage.accounts.models import User
from samepage.home import demo
from samepage.minutes.demo import seed_minutes
from samepage.minutes.models import DeliveryAlert, ServiceSession
from samepage.minutes.selectors import service_summaries
from samepage.minutes.tests.helpers import client_for
from samepage.notifications.models import Notice
from samepage.schools.models import Student

pytestmark = pytest.mark.django_db


def test_demo_minutes(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed()
    sofia = Student.objects.get(legal_first_name="Sofía")
    rosa = User.objects.get(email="rosa.hernandez@family.example")
    patel = User.objects.get(email="priya.patel@riverbend.example")
    sessions = ServiceSession.objects.filter(student=sofia)
    assert sessions.filter(missed_reason="provider_absent").count() == 2
    assert sessions.filter(missed_reason="student_absent").count() == 1
    assert set(sessions.values_list("entered_by", flat=True)) == {patel.pk}
    speech = next(
        s for s in service_summaries(sofia, date(2026, 12, 16)) if "Speech" in s.service.description
    )
    assert (speech.ledger.owed, speech.ledger.made_up, speech.ledger.balance) == (60, 30, 30)
    alert = DeliveryAlert.objects.get(student=sofia)
    assert alert.month == date(2026, 11, 1)
    assert Notice.objects.filter(recipient=rosa, kind="minutes.below_threshold").count() == 1
    page = client_for(rosa).get(f"/students/{sofia.pk}/services/", HTTP_ACCEPT_LANGUAGE="es")
    text = page.content.decode()
    assert page.status_code == 200
    assert "30 minutos por recuperar." in text
    assert "El proveedor estuvo ausente" in text
    assert "No SLP substitute" not in text  # the staff-only note

    # Seeding again stores nothing twice.
    before = (ServiceSession.objects.count(), DeliveryAlert.objects.count(), Notice.objects.count())
    students = {s.legal_first_name: s for s in Student.objects.all()}
    staff = {"priya.patel": patel}
    with django_capture_on_commit_callbacks(execute=True):
        seed_minutes(date(2026, 12, 16), students, staff, {})
    after = (ServiceSession.objects.count(), DeliveryAlert.objects.count(), Notice.objects.count())
    assert after == before
