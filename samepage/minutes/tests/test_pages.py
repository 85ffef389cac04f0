"""The Services tab, the log form and voiding, end to end, for each kind of person."""

from __future__ import annotations

from datetime import date

import pytest

from samepage.minutes.models import ServiceSession
from samepage.minutes.tests.helpers import client_for, log, service_in_effect
from samepage.plans.models import Service

pytestmark = pytest.mark.django_db

WED = date(2026, 12, 16)


@pytest.fixture
def service(world):
    found = service_in_effect(world)
    Service.objects.filter(pk=found.pk).update(
        minutes=60, frequency_unit="week", start_date=date(2026, 11, 2), end_date=None
    )
    found.refresh_from_db()
    return found


def url(world, name="services"):
    return f"/students/{world.child.pk}/services/" + ("log/" if name == "log" else "")


def test_the_family_reads_plain_words_and_never_the_staff_note(world, service):
    log(world.provider, world.child, service, day=date(2026, 12, 2), minutes=30)
    log(
        world.provider,
        world.child,
        service,
        day=date(2026, 12, 8),
        status="missed",
        missed_reason="provider_absent",
        staff_note="Out sick, sub not trained",
    )
    page = client_for(world.parent).get(url(world))
    assert page.status_code == 200
    text = page.content.decode()
    assert "This month: 30 of 276 minutes, in 1 session. 30 minutes to make up." in text
    assert "The provider was absent" in text
    assert "Out sick" not in text
    assert "Log a session" not in text
    assert "Void this session" not in text
    staff = client_for(world.case_manager).get(url(world)).content.decode()
    assert "Out sick" in staff and "Log a session" in staff and "Void this session" in staff


def test_who_reaches_the_page(world, service):
    assert client_for(world.other_parent).get(url(world)).status_code == 404
    assert client_for(world.restricted_parent).get(url(world)).status_code == 404
    assert client_for(world.gen_ed_teacher).get(url(world)).status_code == 403
    assert client_for(world.provider).get(url(world)).status_code == 200
    assert client_for(world.parent).get(url(world, "log")).status_code == 403
    assert client_for(world.other_parent).get(url(world, "log")).status_code == 404


def test_the_log_form_defaults_to_today_and_the_services_minutes(world, service):
    page = client_for(world.provider).get(url(world, "log") + f"?service={service.lineage_id}")
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["day"] == "2026-12-16"
    assert form.initial["minutes"] == 60
    assert form.initial["status"] == "delivered"
    assert form.initial["service"] == str(service.lineage_id)
    assert 'type="date"' in page.content.decode()


def _post(world, user, service_row, **data):
    form = {
        "client_key": "6f1b1e1e-0000-4000-8000-000000000001",
        "service": str(service_row.lineage_id),
        "day": "2026-12-16",
        "minutes": "30",
        "status": "delivered",
        "missed_reason": "",
        "note": "",
        "staff_note": "",
    }
    form.update(data)
    return client_for(user).post(url(world, "log"), form)


def test_logging_redirects_to_the_session_and_a_resend_stores_nothing_more(world, service):
    answer = _post(world, world.provider, service)
    assert answer.status_code == 303
    session = ServiceSession.objects.get()
    assert answer["Location"].endswith(f"/services/#session-{session.pk}")
    assert _post(world, world.provider, service).status_code == 303
    assert ServiceSession.objects.count() == 1


def test_bad_input_shows_the_form_again_with_the_message(world, service):
    answer = _post(world, world.provider, service, minutes="-3")
    assert answer.status_code == 400
    assert "Enter at least 1 minute." in answer.content.decode()
    answer = _post(world, world.provider, service, day="2026-12-17")
    assert "That day has not come yet" in answer.content.decode()
    answer = _post(world, world.provider, service, status="missed")
    assert "Choose why the session was missed." in answer.content.decode()
    assert not ServiceSession.objects.exists()


def test_another_students_service_in_the_form_answers_404(world, service):
    answer = _post(world, world.provider, service, service="3f2b1e1e-0000-4000-8000-000000000009")
    assert answer.status_code == 404


def test_voiding_from_the_page(world, service):
    session = log(world.provider, world.child, service, day=WED)
    void = f"/students/{world.child.pk}/services/sessions/{session.pk}/void/"
    assert client_for(world.parent).post(void, {"reason": "No"}).status_code == 403
    assert client_for(world.other_parent).post(void, {"reason": "No"}).status_code == 404
    answer = client_for(world.case_manager).post(void, {"reason": "Logged twice"})
    assert answer.status_code == 303
    session.refresh_from_db()
    assert session.void_reason == "Logged twice"
    text = client_for(world.parent).get(url(world)).content.decode()
    assert "Voided by Carol Case: Logged twice" in text


def test_the_tab_is_in_the_record_nav(world, service):
    text = client_for(world.parent).get(f"/students/{world.child.pk}/timeline/").content.decode()
    assert f'href="/students/{world.child.pk}/services/"' in text


def test_the_services_page_takes_a_fixed_number_of_queries(
    world, service, django_assert_num_queries
):
    for n in range(1, 5):
        log(world.provider, world.child, service, day=date(2026, 12, n), minutes=15)
    client = client_for(world.case_manager)
    client.get(url(world))  # warm the session and caches
    with django_assert_num_queries(QUERIES) as captured:
        client.get(url(world))
    for n in range(7, 10):
        log(world.provider, world.child, service, day=date(2026, 12, n), minutes=15)
    with django_assert_num_queries(len(captured)):
        client.get(url(world))


# The session and the person (2); the student, the person's roles, their team
# membership and consents (4); the page of sessions with who logged them (1); the
# services of the plan in effect (1); the district's settings (1); the week's and
# month's closures (1); the
# standing sessions for the arithmetic (1); the access record (1); the nav's count of
# unread messages (1). However many sessions there are.
QUERIES = 13


@pytest.mark.parametrize(
    "who", ["parent", "student_user", "case_manager", "provider", "district_admin", "advocate"]
)
def test_the_page_renders_for_each_reader(world, service, who):
    from samepage.updates.tests.helpers import advocate_with

    log(world.provider, world.child, service, day=WED, staff_note="Staff eyes only")
    user = (
        advocate_with(world, "Ada Progress", ["progress"])
        if who == "advocate"
        else getattr(world, who)
    )
    page = client_for(user).get(url(world))
    assert page.status_code == 200
    text = page.content.decode()
    assert "This month: 30 of 276 minutes" in text
    staff = who in ("case_manager", "provider", "district_admin")
    assert ("Staff eyes only" in text) is staff
    assert ("Log a session" in text) is staff


def test_the_page_in_spanish_for_rosa_and_friends(world, service):
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    log(
        world.provider,
        world.child,
        service,
        day=WED,
        status="missed",
        missed_reason="school_closed",
    )
    text = client_for(world.parent).get(url(world)).content.decode()
    assert "Servicios de Casey" in text
    assert "Este mes: 0 de 276 minutos, en 0 sesiones. Nada por recuperar." in text
    assert "La escuela estuvo cerrada" in text
