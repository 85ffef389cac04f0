"""The demo's reports: Jamie's issued, acknowledged and commented on; Sofía's issued
for a Spanish-speaking mother; seeding them again makes nothing twice."""

from __future__ import annotations

import pytest
from django.utils import translation

from samepage.accounts.models import User
from samepage.core.dates import district_today
from samepage.home import demo
from samepage.notifications.models import Notice
from samepage.reports.demo import seed_reports
from samepage.reports.models import (
    GoalReportEntry,
    ProgressReport,
    ReportAcknowledgement,
    ReportComment,
    ReportingPeriod,
)
from samepage.schools.models import StaffProfile, Student

pytestmark = pytest.mark.django_db


def _counts() -> list[int]:
    return [
        m.objects.count()
        for m in (
            ReportingPeriod,
            ProgressReport,
            GoalReportEntry,
            ReportAcknowledgement,
            ReportComment,
            Notice,
        )
    ]


def test_demo_reports_and_seeding_twice_makes_nothing_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        district = demo.seed()
    jamie = Student.objects.get(legal_first_name="Jamie")
    sofia = Student.objects.get(legal_first_name="Sofía")
    jamies = ProgressReport.objects.get(student=jamie, period__name="Fall term 1")
    assert ProgressReport.objects.get(student=jamie, period__name="Fall term 2").is_draft
    assert jamies.is_issued
    assert ReportAcknowledgement.objects.filter(report=jamies).exists()
    assert ReportComment.objects.filter(report=jamies).exists()
    entries = GoalReportEntry.objects.filter(report=jamies)
    assert all(e.rating for e in entries) and len(entries) >= 2
    rosa = User.objects.get(email="rosa.hernandez@family.example")
    sofias = ProgressReport.objects.get(student=sofia, period__name="Fall term 1")
    assert sofias.is_issued and not sofias.acknowledgements.exists()
    notice = Notice.objects.get(recipient=rosa, kind="report.issued")
    with translation.override(rosa.language):
        assert str(notice.title).startswith("El informe de progreso de Sofía")
    before = _counts()
    staff = {
        p.user.email.split("@")[0]: p.user for p in StaffProfile.objects.select_related("user")
    }
    people = {
        u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@family.example")
    }
    students = {s.legal_first_name: s for s in Student.objects.filter(district=district)}
    with django_capture_on_commit_callbacks(execute=True):
        seed_reports(district_today(district), students, staff, people)
    assert _counts() == before


def test_without_the_progress_demo_the_reports_record_their_own_scores(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(demo, "seed_progress", lambda *args: None, raising=False)
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed()
    jamie = Student.objects.get(legal_first_name="Jamie")
    entries = GoalReportEntry.objects.filter(
        report__student=jamie, report__period__name="Fall term 1"
    )
    assert entries and all(e.points_in_period >= 3 for e in entries)
