"""Deadline reminders (``manage.py send_deadline_reminders``, daily): once when a
deadline comes within N days and once when it is overdue, to its case managers and, for
the family's own signature or consent, the family; never for a met or unknown deadline,
never twice, in each reader's language, by the district's today."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from samepage.conftest import STRADDLE_DAY
from samepage.core.dates import zone_of
from samepage.deadlines.models import Deadline, DeadlineStatus
from samepage.deadlines.reminders import WHO_HEARS
from samepage.deadlines.rules import TITLES
from samepage.notifications.emails import send_notice_email_now
from samepage.notifications.models import Notice
from samepage.notifications.reminders import send_deadline_reminders
from samepage.notifications.tests.helpers import recipients_of

pytestmark = pytest.mark.django_db

N = 10


@pytest.fixture(autouse=True)
def _window(settings: Any) -> None:
    settings.SAMEPAGE_DEADLINE_REMINDER_DAYS = N


def _deadline(
    world: Any, due: date | None, *, rule: str = "annual_review", status: str = "open"
) -> Deadline:
    return Deadline.objects.create(
        student=world.child,
        rule_key=rule,
        occurrence="",
        start_event="last_iep_meeting",
        start_date=None if due is None else due - timedelta(days=365),
        due_date=due,
        status=status,
        citation="34 CFR 300.324(b)(1)(i)",
        pack="federal",
    )


def test_every_rule_says_who_hears_of_its_deadline() -> None:
    assert set(WHO_HEARS) == set(TITLES)


def test_a_deadline_n_days_away_is_told_once_to_the_case_manager_only(world):
    row = _deadline(world, world.today + timedelta(days=N))
    assert send_deadline_reminders() == 1
    assert recipients_of("deadline.coming_up") == {"Carol Case"}
    notice = Notice.objects.get(kind="deadline.coming_up")
    due = row.due_date
    assert due is not None
    assert str(notice.title) == (f"Casey: “Annual review” is due on {due:%B} {due.day}, {due.year}")
    assert notice.link == f"/students/{world.child.pk}/deadlines/"
    assert notice.part == "plans"


def test_a_deadline_further_than_n_days_is_not_told_yet(world):
    _deadline(world, world.today + timedelta(days=N + 1))
    assert send_deadline_reminders() == 0
    assert not Notice.objects.exists()


def test_an_overdue_deadline_is_told_once_more_as_overdue(world):
    row = _deadline(world, world.today + timedelta(days=2))
    send_deadline_reminders()
    Deadline.objects.filter(pk=row.pk).update(due_date=world.today - timedelta(days=1))
    # The due date moved: this one is news (overdue), the old "coming up" stays as it was.
    send_deadline_reminders()
    send_deadline_reminders()
    assert Notice.objects.filter(kind="deadline.coming_up").count() == 1
    assert Notice.objects.filter(kind="deadline.overdue").count() == 1
    overdue = Notice.objects.get(kind="deadline.overdue")
    assert "is overdue" in str(overdue.title)


def test_a_deadline_long_overdue_is_left_to_the_homes_lists(world):
    _deadline(world, world.today - timedelta(days=N + 1))
    assert send_deadline_reminders() == 0


def test_met_and_unknown_deadlines_are_not_told(world):
    _deadline(world, world.today + timedelta(days=1), status=DeadlineStatus.MET)
    _deadline(world, None, rule="reevaluation", status=DeadlineStatus.UNKNOWN)
    closed = _deadline(world, world.today - timedelta(days=1), rule="records_access")
    Deadline.objects.filter(pk=closed.pk).update(status=DeadlineStatus.CLOSED)
    assert send_deadline_reminders() == 0
    assert not Notice.objects.exists()


def test_running_twice_tells_nobody_twice(world, mailoutbox, django_capture_on_commit_callbacks):
    _deadline(world, world.today + timedelta(days=3), rule="plan_signature")
    _deadline(world, world.today - timedelta(days=3), rule="progress_report")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_deadline_reminders")
    notices, emails = Notice.objects.count(), len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_deadline_reminders")
    assert emails == 1  # Alice's, at once; Carol's waits for her daily digest
    assert notices == 3  # the signature to Carol and Alice; the report to Carol
    assert Notice.objects.count() == notices
    assert len(mailoutbox) == emails


def test_the_family_hears_of_their_own_signature_in_spanish(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    _deadline(world, world.today + timedelta(days=5), rule="plan_signature")
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders()
    # The one who may sign (not the restricted guardian, not the minor student, not the
    # provider or the teacher).
    assert recipients_of("deadline.coming_up") == {"Alice Lane", "Carol Case"}
    [email] = [m for m in mailoutbox if world.parent.email in m.to]
    with translation.override("es"):
        rule = str(TITLES["plan_signature"])
    assert rule != "The family's signature on the final plan"
    assert email.subject.startswith(f"Casey: la fecha límite de “{rule}” es el ")
    assert " de " in email.subject


def test_a_signature_given_before_the_email_goes_is_not_emailed(world):
    row = _deadline(world, world.today + timedelta(days=5), rule="plan_signature")
    send_deadline_reminders()
    notice = Notice.objects.get(kind="deadline.coming_up", recipient=world.parent)
    Notice.objects.filter(pk=notice.pk).update(emailed_at=None)
    Deadline.objects.filter(pk=row.pk).update(status=DeadlineStatus.MET, met_on=world.today)
    assert send_notice_email_now(notice.pk) is False


@pytest.mark.usefixtures("straddle_midnight")
def test_the_window_is_counted_from_the_districts_today(world, straddle_midnight):
    today = world.today
    # 00:30 UTC is still the evening before in the district; 23:30 there is still its day.
    assert today == (
        STRADDLE_DAY - timedelta(days=1) if straddle_midnight.hour == 0 else STRADDLE_DAY
    )
    last_day = _deadline(world, today + timedelta(days=N))
    _deadline(world, today + timedelta(days=N + 1), rule="reevaluation")
    due_today = _deadline(world, today, rule="progress_report")
    yesterday = _deadline(world, today - timedelta(days=1), rule="records_access")
    send_deadline_reminders()
    told = {(n.kind, n.target_id) for n in Notice.objects.filter(recipient=world.case_manager)}
    assert told == {
        ("deadline.coming_up", last_day.pk),
        ("deadline.coming_up", due_today.pk),
        ("deadline.overdue", yesterday.pk),
    }


def test_the_familys_reminder_waits_out_their_quiet_hours(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    night = datetime.combine(world.today, time(22, 30), tzinfo=zone_of(None))
    with time_machine.travel(night, tick=False):
        _deadline(world, world.today + timedelta(days=5), rule="plan_signature")
        with django_capture_on_commit_callbacks(execute=True):
            send_deadline_reminders()
    notice = Notice.objects.get(kind="deadline.coming_up", recipient=world.parent)
    assert [m for m in mailoutbox if world.parent.email in m.to] == []
    assert notice.emailed_at is None
    assert notice.held_until is not None
    assert notice.held_until > night
