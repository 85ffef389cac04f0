"""Each person chooses, per category, an email for each notice, a daily digest or none
(notices always appear in SamePage), and their quiet hours, on a page the centre links to."""

from __future__ import annotations

import re
from datetime import time

import pytest
from django.test import Client

from samepage.core.models import AuditEvent
from samepage.notifications.emails import send_notice_email_now
from samepage.notifications.kinds import CATEGORIES, KINDS
from samepage.notifications.models import EmailSchedule, Notice
from samepage.notifications.preferences import channels_of, default_channel, schedule_of
from samepage.notifications.tests.helpers import make_notice

pytestmark = pytest.mark.django_db

SAVE = {
    # Every category (apps add their own), then the four these tests look at.
    **dict.fromkeys(CATEGORIES, "each"),
    "plans": "each",
    "questions": "digest",
    "concerns": "none",
    "team": "each",
    "quiet_from": "22:30",
    "quiet_until": "06:15",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_kind_of_notice_belongs_to_a_category():
    assert {kind.category for kind in KINDS.values()} == set(CATEGORIES)


def test_families_get_each_email_and_staff_a_daily_digest_by_default(world):
    for family in (world.parent, world.student_user, world.advocate):
        assert default_channel(family) == "each"
    for staff in (world.case_manager, world.provider, world.district_admin):
        assert default_channel(staff) == "digest"
    assert set(channels_of(world.case_manager).values()) == {"digest"}
    assert (schedule_of(world.parent).quiet_from, schedule_of(world.parent).quiet_until) == (
        time(21),
        time(7),
    )


def test_the_centre_links_to_the_settings_page_showing_the_current_choices(world):
    client = _client(world.case_manager)
    assert 'href="/notifications/settings/"' in client.get("/notifications/").content.decode()
    page = client.get("/notifications/settings/").content.decode()
    for label in ("Plans and drafts", "Questions and answers", "Concerns", "Team and consent"):
        assert label in page
    # Staff: the digest chosen for each category.
    assert page.count('value="digest"') == len(CATEGORIES)
    assert page.count("checked") == len(CATEGORIES)
    assert re.findall(r'value="(\w+)"[^>]*checked', page) == ["digest"] * len(CATEGORIES)
    assert 'value="21:00"' in page
    assert 'value="07:00"' in page


def test_saving_the_settings_stores_each_choice_and_the_quiet_hours(world):
    response = _client(world.parent).post("/notifications/settings/", SAVE)
    assert response.status_code == 302
    assert response["Location"] == "/notifications/settings/"
    assert channels_of(world.parent) == {
        **dict.fromkeys(CATEGORIES, "each"),
        "plans": "each",
        "questions": "digest",
        "concerns": "none",
        "team": "each",
    }
    schedule = EmailSchedule.objects.get(user=world.parent)
    assert (schedule.quiet_from, schedule.quiet_until) == (time(22, 30), time(6, 15))
    audit = AuditEvent.objects.filter(action="notifications.preferences_changed").get()
    assert audit.changes["concerns"] == ["each", "none"]
    # Someone else's choices are untouched.
    assert channels_of(world.other_parent)["concerns"] == "each"


@pytest.mark.parametrize(
    "bad",
    [{"plans": "sometimes"}, {"quiet_from": "25:00"}, {"quiet_until": ""}, {"team": ""}],
)
def test_bad_settings_answer_400_with_a_message_and_save_nothing(world, bad):
    response = _client(world.parent).post("/notifications/settings/", {**SAVE, **bad})
    assert response.status_code == 400
    assert "Please correct the problems marked below." in response.content.decode()
    assert not EmailSchedule.objects.filter(user=world.parent).exists()
    assert channels_of(world.parent)["concerns"] == "each"


def test_the_settings_page_is_in_spanish_for_a_spanish_speaker(world):
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    page = _client(world.parent).get("/notifications/settings/").content.decode()
    assert "Configuración de correo" in page
    assert "Planes y borradores" in page
    assert "Un correo por cada aviso" in page


def test_none_sends_no_email_but_the_notice_is_in_the_centre(world, mailoutbox):
    _client(world.parent).post("/notifications/settings/", {**SAVE, "plans": "none"})
    notice = make_notice(world.parent, world.child)
    assert send_notice_email_now(notice.pk) is False
    assert mailoutbox == []
    assert Notice.objects.filter(pk=notice.pk, emailed_at__isnull=True).exists()
    assert "/open/" in _client(world.parent).get("/notifications/").content.decode()


def test_the_settings_page_needs_sign_in(world):
    response = Client().get("/notifications/settings/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# Session, person, their schedule, their choices, whether they are staff (the default);
# then the page's header, as on every page (the person's roles, one query).
QUERIES_SETTINGS = 6


def test_the_settings_page_takes_a_fixed_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(world.case_manager)
    client.get("/notifications/settings/")  # the session's first read
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/notifications/settings/").status_code == 200
    assert len(queries) == QUERIES_SETTINGS
