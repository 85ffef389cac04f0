"""Logging and voiding sessions, every bad input, and the delivery alert (the clock is
pinned to Wednesday 16 December 2026, see conftest.py)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from samepage import factories as f
from samepage.core.models import AuditEvent
from samepage.minutes import actions, selectors
from samepage.minutes.models import DeliveryAlert, MinutesSettings, NonSchoolDay, ServiceSession
from samepage.minutes.tests.helpers import access_of, log, service_in_effect
from samepage.notifications.models import Notice
from samepage.plans.models import Service

pytestmark = pytest.mark.django_db(transaction=False)

WED = date(2026, 12, 16)


@pytest.fixture
def service(world):
    found = service_in_effect(world)
    # 60 minutes a week from the first of November: December is all in the service.
    Service.objects.filter(pk=found.pk).update(
        minutes=60, frequency_unit="week", start_date=date(2026, 11, 2), end_date=None
    )
    found.refresh_from_db()
    return found


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_a_provider_logs_a_delivered_session_audited(world, service):
    session = log(world.provider, world.child, service, day=WED, minutes="30")
    assert (session.minutes, session.status, session.entered_by) == (
        30,
        "delivered",
        world.provider,
    )
    assert session.service_lineage == service.lineage_id
    audit = AuditEvent.objects.get(action="minutes.session_logged")
    assert audit.changes["minutes"] == 30 and audit.changes["student"] == world.child.pk


def test_a_missed_session_keeps_its_reason_and_note(world, service):
    session = log(
        world.provider,
        world.child,
        service,
        day=WED,
        status="missed",
        missed_reason="other",
        note="Fire drill took the whole slot.",
    )
    assert session.missed_reason == "other" and session.note == "Fire drill took the whole slot."


@pytest.mark.parametrize(
    ("minutes", "field"),
    [
        (0, "minutes"),
        (-5, "minutes"),
        (1441, "minutes"),
        ("abc", "minutes"),
        ("", "minutes"),
        ("2.5", "minutes"),
    ],
)
def test_bad_minutes_are_refused_with_a_message(world, service, minutes, field):
    with pytest.raises(ValidationError) as excinfo:
        log(world.provider, world.child, service, day=WED, minutes=minutes)
    assert field in errors_of(excinfo)
    assert not ServiceSession.objects.exists()


def test_a_day_in_the_future_is_refused(world, service):
    with pytest.raises(ValidationError) as excinfo:
        log(world.provider, world.child, service, day=WED + timedelta(days=1))
    assert errors_of(excinfo)["day"] == [
        "That day has not come yet. Choose today or an earlier day."
    ]


def test_a_day_before_the_service_began_is_refused(world, service):
    with pytest.raises(ValidationError) as excinfo:
        log(world.provider, world.child, service, day=date(2026, 11, 1))
    assert "when the service began" in errors_of(excinfo)["day"][0]


def test_an_ended_service_takes_no_more_minutes(world, service):
    Service.objects.filter(pk=service.pk).update(end_date=date(2026, 12, 4))
    with pytest.raises(ValidationError) as excinfo:
        log(world.provider, world.child, service, day=date(2026, 12, 3))
    assert "ended on" in errors_of(excinfo)["service"][0]


def test_bad_dates_are_refused(world, service):
    for bad in ("", "2026-02-30", "garbage"):
        with pytest.raises(ValidationError) as excinfo:
            log(world.provider, world.child, service, day=bad)
        assert "day" in errors_of(excinfo)


def test_a_missed_session_needs_a_reason_and_other_needs_words(world, service):
    with pytest.raises(ValidationError) as excinfo:
        log(world.provider, world.child, service, day=WED, status="missed")
    assert "missed_reason" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        log(world.provider, world.child, service, day=WED, status="missed", missed_reason="other")
    assert "note" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        log(world.provider, world.child, service, day=WED, status="maybe")
    assert "status" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        log(
            world.provider,
            world.child,
            service,
            day=WED,
            status="missed",
            missed_reason="provider_absent",
            is_make_up=True,
        )
    assert "is_make_up" in errors_of(excinfo)


def test_errors_come_in_the_users_language(world, service):
    with translation.override("es"), pytest.raises(ValidationError) as excinfo:
        log(world.provider, world.child, service, day=WED, minutes=0)
    assert errors_of(excinfo)["minutes"] == ["Escriba al menos 1 minuto."]


def test_another_students_service_answers_404(world, service):
    other_version = f.make_plan_in_effect(
        world.other_child, signer=world.other_parent, actor=world.case_manager
    )
    theirs = Service.objects.get(version=other_version)
    with pytest.raises(Http404):
        log(world.provider, world.child, theirs, day=WED)
    with pytest.raises(Http404):
        actions.check_log_session(
            world.child,
            actor=world.provider,
            access=access_of(world.provider, world.child),
            service_lineage=uuid.uuid4(),
            day=WED,
            minutes=30,
            status="delivered",
        )


def test_a_service_only_in_a_draft_is_refused_with_a_message(world, service):
    with pytest.raises(ValidationError) as excinfo:
        actions.check_log_session(
            world.child,
            actor=world.provider,
            access=access_of(world.provider, world.child),
            service_lineage="not-a-lineage",
            day=WED,
            minutes=30,
            status="delivered",
        )
    assert "service" in errors_of(excinfo)


def test_the_same_form_sent_twice_stores_one_session(world, service):
    key = uuid.uuid4()
    first = log(world.provider, world.child, service, day=WED, client_key=key)
    again = log(world.provider, world.child, service, day=WED, client_key=str(key))
    assert first.pk == again.pk
    assert ServiceSession.objects.count() == 1
    # Someone else's key is never answered with their session.
    with pytest.raises(ValidationError):
        log(world.case_manager, world.child, service, day=WED, client_key=key)


def test_who_may_log(world, service):
    for user in (world.parent, world.gen_ed_teacher):
        with pytest.raises(PermissionDenied):
            log(user, world.child, service, day=WED)
    # An access worked out for someone else is refused.
    with pytest.raises(PermissionDenied):
        actions.check_log_session(
            world.child,
            actor=world.provider,
            access=access_of(world.case_manager, world.child),
            service_lineage=service.lineage_id,
            day=WED,
            minutes=30,
            status="delivered",
        )


def test_void_keeps_the_row_with_who_and_why(world, service):
    session = log(world.provider, world.child, service, day=WED)
    with pytest.raises(ValidationError):
        actions.check_void_session(
            session,
            actor=world.case_manager,
            access=access_of(world.case_manager, world.child),
            reason=" ",
        )
    actions.check_void_session(
        session,
        actor=world.case_manager,
        access=access_of(world.case_manager, world.child),
        reason="Wrong day",
    )
    session.refresh_from_db()
    assert session.is_void and session.voided_by == world.case_manager
    assert session.void_reason == "Wrong day"
    with pytest.raises(ValidationError):
        actions.check_void_session(
            session,
            actor=world.provider,
            access=access_of(world.provider, world.child),
            reason="Again",
        )
    with pytest.raises(PermissionDenied):
        actions.check_void_session(
            session, actor=world.parent, access=access_of(world.parent, world.child), reason="No"
        )


def test_delivery_below_the_threshold_tells_the_team_and_the_family_once_a_month(
    world, service, django_capture_on_commit_callbacks
):
    # Judged through Sunday 13th: 48 (Dec 1–4) + 60 (7th–11th) = 108 minutes due over
    # nine school days; 30 delivered is 27%, below 80%.
    log(world.provider, world.child, service, day=date(2026, 12, 2), minutes=30)
    assert not DeliveryAlert.objects.exists()  # not on the log: by the nightly check
    with django_capture_on_commit_callbacks(execute=True):
        assert len(actions.check_delivery(world.child, service, today=WED)) == 1
    alert = DeliveryAlert.objects.get()
    assert (alert.month, alert.delivered, alert.due) == (date(2026, 12, 1), 30, 108)
    told = set(
        Notice.objects.filter(kind="minutes.below_threshold").values_list("recipient", flat=True)
    )
    assert world.parent.pk in told and world.case_manager.pk in told and world.provider.pk in told
    assert world.restricted_parent.pk not in told
    # More sessions the same month make no second alert.
    log(world.provider, world.child, service, day=date(2026, 12, 3), minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.check_all_deliveries() == 0
    assert DeliveryAlert.objects.count() == 1
    assert (
        Notice.objects.filter(kind="minutes.below_threshold", recipient=world.parent).count() == 1
    )
    notice = Notice.objects.get(kind="minutes.below_threshold", recipient=world.parent)
    assert notice.title == (
        "Casey got fewer minutes of “Reading instruction” this month than the plan promises"
    )


def test_enough_delivery_raises_no_alert(world, service):
    log(world.provider, world.child, service, day=date(2026, 12, 2), minutes=87)
    assert actions.check_delivery(world.child, service, today=WED) == []


def test_a_break_leaves_too_few_school_days_to_judge(world, service):
    # 7–11 December closed: through Sunday 13th only Dec 1–4 were school days (four,
    # under five), so 10 minutes of 48 due is not judged yet.
    for n in range(7, 12):
        NonSchoolDay.objects.create(
            district=world.child.district, day=date(2026, 12, n), name="Break"
        )
    log(world.provider, world.child, service, day=date(2026, 12, 2), minutes=10)
    assert actions.check_delivery(world.child, service, today=WED) == []
    NonSchoolDay.objects.all().delete()
    assert [a.due for a in actions.check_delivery(world.child, service, today=WED)] == [108]


def test_the_nightly_check_catches_a_service_nobody_logs(world, service):
    assert actions.check_all_deliveries() == 1
    assert DeliveryAlert.objects.get().delivered == 0
    assert actions.check_all_deliveries() == 0


def test_the_alert_reads_in_spanish(world, service, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.check_delivery(world.child, service, today=WED)
    notice = Notice.objects.get(kind="minutes.below_threshold", recipient=world.parent)
    with translation.override("es"):
        assert notice.title == (
            "Casey recibió este mes menos minutos de «Reading instruction» de los que "
            "promete el plan"
        )
    assert notice.link == f"/students/{world.child.pk}/services/"


def test_the_nightly_command(world, service):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("check_service_delivery", stdout=out)
    assert out.getvalue().strip() == "1 delivery alert(s) raised."
    call_command("check_service_delivery", stdout=out)
    assert DeliveryAlert.objects.count() == 1


def test_a_districts_own_threshold_and_closures(world, service):
    # 60 of 108 due through Sunday 13th is 55%: below 80%, not below the district's 50%.
    log(world.provider, world.child, service, day=date(2026, 12, 2), minutes=60)
    log(
        world.provider,
        world.child,
        service,
        day=date(2026, 12, 3),
        status="missed",
        missed_reason="school_closed",
    )
    MinutesSettings.objects.create(
        district=world.child.district, threshold_percent=50, closures_owed=True
    )
    assert actions.check_all_deliveries() == 0
    (summary,) = selectors.service_summaries(world.child, WED)
    assert summary.rules.threshold_percent == 50
    assert summary.ledger.owed == 30  # the closure is made up in this district
    MinutesSettings.objects.update(threshold_percent=80, closures_owed=False)
    (summary,) = selectors.service_summaries(world.child, WED)
    assert summary.ledger.owed == 0 and summary.is_below
    assert actions.check_all_deliveries() == 1
