"""The district administrator's reporting calendar and words for the ratings: pages
that list, add, edit and archive periods and set the ratings' words, each write
checked, audited and refused to everyone else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from samepage.core.models import AuditEvent
from samepage.reports import actions, selectors
from samepage.reports.models import ReportingPeriod, ReportSettings
from samepage.reports.tests.helpers import access_of, client_for, draft, goal_with_points, period

pytestmark = pytest.mark.django_db

PERIODS = reverse("reports:periods")
LABELS = reverse("reports:rating_labels")


def _days(world, first: int, last: int) -> dict[str, str]:
    return {
        "starts": (world.today + timedelta(days=first)).isoformat(),
        "ends": (world.today + timedelta(days=last)).isoformat(),
    }


def test_the_administrator_sees_the_periods_page_and_adds_a_period_audited(world):
    admin = client_for(world.district_admin)
    page = admin.get(PERIODS)
    assert page.status_code == 200
    assert "The district has no reporting periods yet." in page.content.decode()
    response = admin.post(PERIODS, {"name": "Spring quarter", **_days(world, 10, 70)})
    assert response.status_code == 303
    added = ReportingPeriod.objects.get(district=world.child.district)
    assert (added.name, added.starts) == ("Spring quarter", world.today + timedelta(days=10))
    event = AuditEvent.objects.get(action="report.period_added")
    assert (event.actor_id, event.target_id) == (world.district_admin.pk, str(added.pk))
    assert "Spring quarter" in admin.get(PERIODS).content.decode()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"name": "Q", "starts": "+20", "ends": "+10"}, "on or after the first day"),
        ({"name": "Q", "starts": "+0", "ends": "+400"}, "longer than a school year"),
        ({"name": "Q", "starts": "2206-01-01", "ends": "2206-02-01"}, "within 10 years"),
        ({"name": "Q", "starts": "0001-01-01", "ends": "0001-02-01"}, "within 10 years"),
        ({"name": "Q", "starts": "not a day", "ends": "+10"}, "Enter a day like"),
        ({"name": "Q", "starts": "", "ends": "+10"}, "Choose a day."),
        ({"name": "", "starts": "+0", "ends": "+10"}, "Give the period a name"),
        ({"name": "x" * 101, "starts": "+0", "ends": "+10"}, "at most 100 characters"),
    ],
)
def test_a_period_that_cannot_be_is_refused_with_a_message_and_a_400(world, data, words):
    def day(value: str) -> str:
        return (world.today + timedelta(days=int(value))).isoformat() if value[:1] == "+" else value

    sent = {k: day(v) if k != "name" else v for k, v in data.items()}
    response = client_for(world.district_admin).post(PERIODS, sent)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not ReportingPeriod.objects.exists()
    assert not AuditEvent.objects.filter(action="report.period_added").exists()


def test_overlapping_periods_are_refused_naming_the_other(world):
    admin = client_for(world.district_admin)
    assert admin.post(PERIODS, {"name": "Fall", **_days(world, 0, 60)}).status_code == 303
    response = admin.post(PERIODS, {"name": "Winter", **_days(world, 60, 120)})
    assert response.status_code == 400
    assert "These days overlap the period “Fall”." in response.content.decode()
    same_name = admin.post(PERIODS, {"name": "Fall", **_days(world, 61, 120)})
    assert same_name.status_code == 400
    assert "already has a period of this name" in same_name.content.decode()


def test_an_unused_period_can_change_its_days_and_the_change_is_audited(world):
    made = actions.check_add_period(
        world.child.district, actor=world.district_admin, name="Fall", **_iso(world, 0, 60)
    )
    url = reverse("reports:edit_period", args=[made.pk])
    admin = client_for(world.district_admin)
    assert admin.get(url).status_code == 200
    assert admin.post(url, {"name": "Fall term", **_days(world, 1, 61)}).status_code == 303
    made.refresh_from_db()
    assert (made.name, made.starts) == ("Fall term", world.today + timedelta(days=1))
    event = AuditEvent.objects.get(action="report.period_changed")
    assert set(event.changes) == {"name", "starts", "ends"}


def test_a_period_that_reports_use_keeps_its_days_but_may_be_renamed(world):
    report = draft(world)
    used = report.period
    url = reverse("reports:edit_period", args=[used.pk])
    admin = client_for(world.district_admin)
    assert "only its name can change" in admin.get(url).content.decode()
    # The disabled fields are not sent; their values are the period's own.
    assert admin.post(url, {"name": "Quarter one"}).status_code == 303
    used.refresh_from_db()
    assert used.name == "Quarter one"
    with pytest.raises(ValidationError, match="its days cannot change"):
        actions.check_change_period(
            used,
            actor=world.district_admin,
            name="Quarter one",
            starts=used.starts - timedelta(days=1),
            ends=used.ends,
        )


def test_archiving_retires_a_period_keeps_its_reports_and_frees_its_days(world):
    report = draft(world)
    used = report.period
    admin = client_for(world.district_admin)
    response = admin.post(reverse("reports:archive_period", args=[used.pk]))
    assert response.status_code == 303
    used.refresh_from_db()
    assert used.is_archived and used.archived_by_id == world.district_admin.pk
    assert report.period_id == used.pk and ReportingPeriod.objects.filter(pk=used.pk).exists()
    assert AuditEvent.objects.filter(action="report.period_archived").count() == 1
    # No new report is drafted in it, and the same days may hold a new period.
    assert used not in selectors.periods_for(world.child.district)
    again = {"name": used.name, "starts": used.starts.isoformat(), "ends": used.ends.isoformat()}
    assert admin.post(PERIODS, again).status_code == 303
    assert "Archived on" in admin.get(PERIODS).content.decode()
    # Archiving twice changes nothing.
    admin.post(reverse("reports:archive_period", args=[used.pk]))
    assert AuditEvent.objects.filter(action="report.period_archived").count() == 1


def _iso(world, first: int, last: int):
    return {
        "starts": world.today + timedelta(days=first),
        "ends": world.today + timedelta(days=last),
    }


def test_another_districts_administrator_cannot_reach_a_period(world):
    made = period(world)
    outsider = client_for(world.outsider_admin)
    assert outsider.get(reverse("reports:edit_period", args=[made.pk])).status_code == 404
    assert outsider.post(reverse("reports:archive_period", args=[made.pk])).status_code == 404
    made.refresh_from_db()
    assert not made.is_archived
    assert f'id="period-{made.pk}"' not in outsider.get(PERIODS).content.decode()


def test_only_the_district_administrator_opens_or_posts_the_settings_pages(world):
    made = period(world)
    urls = [
        PERIODS,
        LABELS,
        reverse("reports:edit_period", args=[made.pk]),
    ]
    for user in (world.case_manager, world.school_leader, world.parent, world.advocate):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
            assert client.post(url, {"name": "X", **_days(world, 40, 50)}).status_code == 403
        assert client.post(reverse("reports:archive_period", args=[made.pk])).status_code == 403
    assert ReportingPeriod.objects.count() == 1 and not ReportSettings.objects.exists()


def test_the_administrator_gives_the_ratings_the_districts_own_words(world):
    admin = client_for(world.district_admin)
    page = admin.get(LABELS)
    assert page.status_code == 200 and "“Goal met” in Spanish:" in page.content.decode()
    response = admin.post(
        LABELS, {"met_en": "  Mastered ", "met_es": "Dominado", "sufficient_en": ""}
    )
    assert response.status_code == 303
    settings = selectors.settings_for(world.child.district)
    assert settings.labels == {"met": {"en": "Mastered", "es": "Dominado"}}
    assert selectors.rating_label("met", settings, "es") == "Dominado"
    # Blank reads with SamePage's words.
    with translation.override("en"):
        assert selectors.rating_label("sufficient", settings) == "Sufficient progress"
    assert AuditEvent.objects.filter(action="report.settings_changed").count() == 1
    assert 'value="Mastered"' in admin.get(LABELS).content.decode()


def test_words_too_long_for_a_rating_are_refused_with_a_400(world):
    response = client_for(world.district_admin).post(LABELS, {"met_en": "x" * 101})
    assert response.status_code == 400
    assert "at most 100 characters" in response.content.decode()
    assert not ReportSettings.objects.exists()


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), queries


def test_the_periods_page_costs_the_same_for_two_periods_or_twenty(world):
    admin = client_for(world.district_admin)
    for i in range(2):
        actions.check_add_period(
            world.child.district, actor=None, name=f"P{i}", **_iso(world, i * 10, i * 10 + 9)
        )
    admin.get(PERIODS)  # warm: the session's first read
    few, _q = _count(admin, PERIODS)
    for i in range(2, 20):
        actions.check_add_period(
            world.child.district, actor=None, name=f"P{i}", **_iso(world, i * 10, i * 10 + 9)
        )
    many, queries = _count(admin, PERIODS)
    assert few == many, "\n".join(q["sql"] for q in queries)
    # The session, the person, their roles (one query); the page of periods with
    # whether a report or a job uses each and who archived it (one query).
    assert many == PINNED_PERIODS, "\n".join(q["sql"] for q in queries)


PINNED_PERIODS = 4


def test_no_report_is_drafted_in_an_archived_period(world):
    goal_with_points(world)
    retired = actions.check_archive_period(period(world), actor=world.district_admin)
    with pytest.raises(ValidationError, match="Choose a reporting period of the district"):
        actions.check_draft_report(
            access_of(world.case_manager, world.child), retired.pk, actor=world.case_manager
        )


def test_the_settings_pages_read_in_spanish(world):
    world.district_admin.language = "es"
    world.district_admin.save(update_fields=["language"])
    periods_page = client_for(world.district_admin).get(PERIODS)
    body = periods_page.content.decode()
    assert periods_page.status_code == 200
    assert "Períodos de informe" in body and "Agregar un período de informe" in body
    labels = client_for(world.district_admin).get(LABELS).content.decode()
    assert "Palabras para las calificaciones" in labels
    # A language named inside a sentence is written in lower case in Spanish.
    assert "en español:" in labels and "en inglés:" in labels
    assert "en Español" not in labels
