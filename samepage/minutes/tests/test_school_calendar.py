"""The district administrator's school calendar (days without school, one or a break)
and service-minutes settings: pages that list, add and archive days and set the
threshold, each write checked and audited, bad input a 400 with a message, everyone
else refused, and the minutes arithmetic following what the page marks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samepage.core.models import AuditEvent
from samepage.minutes import actions, selectors
from samepage.minutes.models import MinutesSettings, NonSchoolDay
from samepage.minutes.tests.helpers import client_for, log, service_in_effect
from samepage.plans.models import Service

pytestmark = pytest.mark.django_db

CALENDAR = reverse("minutes:calendar")
SETTINGS = reverse("minutes:settings")
WED = date(2026, 12, 16)


def _monday(world, weeks: int = 1):
    today = world.today
    return today + timedelta(days=7 * weeks - today.weekday())


def test_the_administrator_marks_a_break_and_only_its_weekdays_are_stored(world):
    admin = client_for(world.district_admin)
    page = admin.get(CALENDAR)
    assert page.status_code == 200 and "No days without school are marked" in page.content.decode()
    monday = _monday(world)
    response = admin.post(
        CALENDAR,
        {
            "first": monday.isoformat(),
            "last": (monday + timedelta(days=13)).isoformat(),
            "name": "Winter break",
        },
    )
    assert response.status_code == 303
    assert "10 school days were marked" in admin.get(response["Location"]).content.decode()
    days = list(NonSchoolDay.objects.order_by("day").values_list("day", flat=True))
    assert len(days) == 10 and all(d.weekday() < 5 for d in days)
    assert AuditEvent.objects.filter(action="minutes.closure_added").count() == 10
    shown = admin.get(CALENDAR).content.decode()
    assert shown.count("<td>Winter break</td>") == 10


def test_one_day_is_marked_when_no_last_day_is_given(world):
    monday = _monday(world)
    response = client_for(world.district_admin).post(
        CALENDAR, {"first": monday.isoformat(), "last": "", "name": "In-service day"}
    )
    assert response.status_code == 303
    assert list(NonSchoolDay.objects.values_list("day", "name")) == [(monday, "In-service day")]


@pytest.mark.parametrize(
    ("first", "last", "name", "words"),
    [
        (7, 3, "Break", "on or after the first day"),
        (0, 400, "Break", "at most a year of days at once"),
        (None, None, "Break", "Choose a day."),
        ("2206-01-05", "", "Break", "within 10 years"),
        ("not a day", "", "Break", "Enter a day like"),
        (5, 6, "Break", "no school on Saturdays and Sundays"),
        (0, 4, "", "Say why there is no school"),
        (0, 4, "x" * 121, "under 120 characters"),
    ],
)
def test_days_that_cannot_be_marked_are_refused_with_a_message_and_a_400(
    world, first, last, name, words
):
    monday = _monday(world)

    def day(value):
        if value is None:
            return ""
        return (monday + timedelta(days=value)).isoformat() if isinstance(value, int) else value

    response = client_for(world.district_admin).post(
        CALENDAR, {"first": day(first), "last": day(last), "name": name}
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not NonSchoolDay.objects.exists()


def test_a_day_already_marked_is_refused_naming_it_and_nothing_is_added(world):
    monday = _monday(world)
    admin = client_for(world.district_admin)
    one = {"first": (monday + timedelta(days=2)).isoformat(), "last": "", "name": "Holiday"}
    assert admin.post(CALENDAR, one).status_code == 303
    week = {
        "first": monday.isoformat(),
        "last": (monday + timedelta(days=4)).isoformat(),
        "name": "Break",
    }
    response = admin.post(CALENDAR, week)
    assert response.status_code == 400
    assert "is already marked as a day without school (Holiday)" in response.content.decode()
    assert NonSchoolDay.objects.count() == 1


def test_archiving_a_day_keeps_the_row_and_it_may_be_marked_again(world):
    monday = _monday(world)
    made = actions.check_add_closures(
        world.child.district, actor=world.district_admin, first=monday, name="Snow day"
    )[0]
    admin = client_for(world.district_admin)
    assert admin.post(reverse("minutes:archive_closure", args=[made.pk])).status_code == 303
    made.refresh_from_db()
    assert made.archived_at is not None and made.archived_by_id == world.district_admin.pk
    assert AuditEvent.objects.filter(action="minutes.closure_archived").count() == 1
    assert "Taken off the calendar" in admin.get(CALENDAR).content.decode()
    again = {"first": monday.isoformat(), "last": "", "name": "Snow day"}
    assert admin.post(CALENDAR, again).status_code == 303
    assert NonSchoolDay.objects.count() == 2
    assert NonSchoolDay.objects.standing().count() == 1


def test_past_days_are_listed_apart_from_the_coming_ones(world):
    last_week = _monday(world, weeks=-1)
    actions.check_add_closures(world.child.district, actor=None, first=last_week, name="Before")
    actions.check_add_closures(world.child.district, actor=None, first=_monday(world), name="Soon")
    admin = client_for(world.district_admin)
    coming = admin.get(CALENDAR).content.decode()
    past = admin.get(CALENDAR + "?when=past").content.decode()
    assert "Soon" in coming and "Before" not in coming
    assert "Before" in past and "Soon" not in past


def test_the_minutes_arithmetic_follows_the_days_marked_on_the_page(world):
    service = service_in_effect(world)
    # 60 minutes a week from the first of November (as test_actions' service).
    Service.objects.filter(pk=service.pk).update(
        minutes=60, frequency_unit="week", start_date=date(2026, 11, 2), end_date=None
    )
    service.refresh_from_db()
    log(world.provider, world.child, service, day=date(2026, 12, 2), minutes=10)
    admin = client_for(world.district_admin)
    # 7–11 December marked on the page: through Sunday 13th only four school days
    # passed (under five), so the month is not judged yet.
    response = admin.post(CALENDAR, {"first": "2026-12-07", "last": "2026-12-11", "name": "Break"})
    assert response.status_code == 303
    cal = selectors.calendar_for(world.child.district, date(2026, 12, 1), date(2026, 12, 31))
    assert not cal.is_school_day(date(2026, 12, 8))
    assert actions.check_delivery(world.child, service, today=WED) == []
    # Taken off the calendar again: those are school days, and 10 of 108 is judged low.
    for closure in NonSchoolDay.objects.all():
        admin.post(reverse("minutes:archive_closure", args=[closure.pk]))
    cal = selectors.calendar_for(world.child.district, date(2026, 12, 1), date(2026, 12, 31))
    assert cal.is_school_day(date(2026, 12, 8))
    assert [a.due for a in actions.check_delivery(world.child, service, today=WED)] == [108]


def test_the_administrator_sets_the_delivery_threshold_audited(world):
    admin = client_for(world.district_admin)
    page = admin.get(SETTINGS)
    assert page.status_code == 200 and 'value="80"' in page.content.decode()
    data = {"threshold_percent": "70", "alert_after_school_days": "3", "closures_owed": "on"}
    assert admin.post(SETTINGS, data).status_code == 303
    rules = selectors.rules_for(world.child.district)
    assert (rules.threshold_percent, rules.alert_after_school_days, rules.closures_owed) == (
        70,
        3,
        True,
    )
    event = AuditEvent.objects.get(action="minutes.settings_set")
    assert event.changes["threshold_percent"] == [80, 70]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("threshold_percent", "0"),
        ("threshold_percent", "101"),
        ("threshold_percent", "eighty"),
        ("threshold_percent", "9" * 40),
        ("alert_after_school_days", "0"),
        ("alert_after_school_days", "-2"),
    ],
)
def test_a_threshold_that_is_not_a_percent_is_refused_with_a_400(world, field, value):
    data = {"threshold_percent": "70", "alert_after_school_days": "5", field: value}
    response = client_for(world.district_admin).post(SETTINGS, data)
    assert response.status_code == 400
    assert "Enter a whole number from 1 to" in response.content.decode()
    assert not MinutesSettings.objects.exists()


def test_only_the_district_administrator_opens_or_posts_these_pages(world):
    made = actions.check_add_closures(
        world.child.district, actor=None, first=_monday(world), name="Holiday"
    )[0]
    for user in (world.case_manager, world.provider, world.school_leader, world.parent):
        client = client_for(user)
        for url in (CALENDAR, SETTINGS):
            assert client.get(url).status_code == 403, (user, url)
            assert client.post(url, {"first": "2026-12-21", "name": "X"}).status_code == 403
        assert client.post(reverse("minutes:archive_closure", args=[made.pk])).status_code == 403
    outsider = client_for(world.outsider_admin)
    assert outsider.post(reverse("minutes:archive_closure", args=[made.pk])).status_code == 404
    assert NonSchoolDay.objects.standing().count() == 1 and not MinutesSettings.objects.exists()
    assert "Holiday" not in outsider.get(CALENDAR).content.decode()


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), queries


def test_the_calendar_page_costs_the_same_for_two_days_or_forty(world):
    admin = client_for(world.district_admin)
    monday = _monday(world)
    actions.check_add_closures(
        world.child.district, actor=None, first=monday, last=monday + timedelta(days=1), name="A"
    )
    NonSchoolDay.objects.filter(day=monday).update(
        archived_at=timezone.now(), archived_by=world.district_admin
    )
    admin.get(CALENDAR)  # warm: the session's first read
    few, _q = _count(admin, CALENDAR)
    actions.check_add_closures(
        world.child.district,
        actor=None,
        first=monday + timedelta(days=7),
        last=monday + timedelta(days=62),
        name="B",
    )
    many, queries = _count(admin, CALENDAR)
    assert few == many, "\n".join(q["sql"] for q in queries)
    # The session, the person, their roles (one query); the page of days with who
    # took each off (one query).
    assert many == 4, "\n".join(q["sql"] for q in queries)


def test_the_calendar_and_settings_pages_read_in_spanish(world):
    world.district_admin.language = "es"
    world.district_admin.save(update_fields=["language"])
    admin = client_for(world.district_admin)
    assert "Calendario escolar" in admin.get(CALENDAR).content.decode()
    assert "Ajustes de minutos de servicio" in admin.get(SETTINGS).content.decode()
    response = admin.post(CALENDAR, {"first": "2026-12-10", "last": "2026-12-01", "name": "X"})
    assert response.status_code == 400
    assert "El último día debe ser igual o posterior al primer día." in response.content.decode()


def test_archiving_a_past_day_goes_back_to_the_past_days(world):
    (before,) = actions.check_add_closures(
        world.child.district, actor=None, first=_monday(world, weeks=-1), name="Before"
    )
    response = client_for(world.district_admin).post(
        reverse("minutes:archive_closure", args=[before.pk])
    )
    assert response.status_code == 303
    assert response["Location"] == f"{CALENDAR}?when=past#closure-{before.pk}"
