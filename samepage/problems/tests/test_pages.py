"""The problem-solving pages end to end: the log, raising, a situation with its ideas,
tries and outcomes, feeding the profile, editing with conflicts, closing and reopening."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samepage.notifications.models import Notice
from samepage.problems.models import AgreedTry, SituationIdea, TrickySituation, TryOutcome
from samepage.problems.tests.helpers import (
    agree,
    client_for,
    idea,
    outcome,
    raise_situation,
)
from samepage.profiles.models import ProfileEntry
from samepage.profiles.tests.helpers import write

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("straddle_midnight")]

# Queries a page costs whatever the log holds (sessions, the person, the permission
# layer's reaches, the access log, the page's own reads, the record nav's unread-messages
# badge; the person's roles are one query). Pinned: an N+1 shows here.
LOG_QUERIES = 9
SITUATION_QUERIES = 14


def _url(name, world, *args):
    return reverse(f"problems:{name}", args=[world.child.pk, *args])


def _raise_data(**extra):
    return {
        "summary": "Cries at drop-off",
        "what_happens": "Holds on to the car door and cries.",
        "when_it_happens": "Mornings, mostly Mondays",
        "where_it_happens": "The drop-off lane",
        **extra,
    }


def test_a_parent_raises_a_situation_and_the_team_is_told(
    world, django_capture_on_commit_callbacks
):
    client = client_for(world.parent)
    assert client.get(_url("raise", world)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("raise", world), _raise_data())
    situation = TrickySituation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("detail", world, situation.pk)
    page = client.get(_url("list", world)).content.decode()
    assert "Cries at drop-off" in page
    notified = set(Notice.objects.filter(kind="problem.raised").values_list("recipient", flat=True))
    assert world.case_manager.pk in notified
    assert world.gen_ed_teacher.pk in notified
    assert world.parent.pk not in notified
    assert world.restricted_parent.pk not in notified


def test_an_empty_situation_is_a_400_with_messages_and_nothing_saved(world):
    client = client_for(world.parent)
    response = client.post(_url("raise", world), {"summary": "", "what_happens": ""})
    assert response.status_code == 400
    assert "Write something here before saving." in response.content.decode()
    assert not TrickySituation.objects.exists()


def test_a_forged_link_to_another_childs_entry_is_a_400(world):
    theirs = write(world.other_parent, world.other_child, "triggers", "Fire drills.")
    mine = write(world.parent, world.child, "calming", "Headphones.")
    client = client_for(world.parent)
    response = client.post(_url("raise", world), _raise_data(entries=[str(theirs.pk)]))
    assert response.status_code == 400
    assert not TrickySituation.objects.exists()
    response = client.post(_url("raise", world), _raise_data(entries=[str(mine.pk)]))
    assert response.status_code == 302
    page = client.get(_url("detail", world, TrickySituation.objects.get().pk)).content.decode()
    assert "Headphones." in page


def test_the_whole_cycle_through_the_pages(world, django_capture_on_commit_callbacks):
    situation = raise_situation(world.parent, world.child)
    parent = client_for(world.parent)
    teacher = client_for(world.gen_ed_teacher)
    cm = client_for(world.case_manager)
    assert (
        parent.post(_url("add_idea", world, situation.pk), {"idea-text": "Timer"}).status_code
        == 302
    )
    assert (
        teacher.post(_url("add_idea", world, situation.pk), {"idea-text": "Buddy"}).status_code
        == 302
    )
    today = world.today
    with django_capture_on_commit_callbacks(execute=True):
        response = cm.post(
            _url("agree_try", world, situation.pk),
            {
                "try-what": "A visual timer at the door",
                "try-owner": str(world.parent.pk),
                "try-due_on": today.isoformat(),
                "try-follow_up_on": (today + timedelta(days=7)).isoformat(),
            },
        )
    assert response.status_code == 302
    agreed = AgreedTry.objects.get()
    assert Notice.objects.filter(kind="problem.try_agreed", recipient=world.parent).exists()
    page = parent.get(_url("detail", world, situation.pk)).content.decode()
    assert "A visual timer at the door" in page
    assert "Save how it went" in page  # the parent owns it
    response = parent.post(
        _url("record_outcome", world, situation.pk, agreed.pk),
        {f"outcome-{agreed.pk}-result": "helped", f"outcome-{agreed.pk}-note": "Calmer."},
    )
    assert response.status_code == 302
    assert response["Location"] == _url("to_profile", world, situation.pk, agreed.pk)
    confirm = parent.get(response["Location"])
    assert confirm.status_code == 200
    assert "Yes, add it to the profile" in confirm.content.decode()
    for _click in range(2):
        response = parent.post(
            _url("to_profile", world, situation.pk, agreed.pk), {"section": "calming"}
        )
        assert response.status_code == 302
    entry = ProfileEntry.objects.get(student=world.child, section="calming")
    assert entry.author == world.parent
    page = parent.get(_url("detail", world, situation.pk)).content.decode()
    assert "added from what helped" in page
    assert "Add what worked to the profile" not in page
    again = parent.get(_url("to_profile", world, situation.pk, agreed.pk)).content.decode()
    assert "already added" in again


def test_the_parent_sees_no_try_form_and_a_forged_try_is_403(world):
    situation = raise_situation(world.parent, world.child)
    parent = client_for(world.parent)
    page = parent.get(_url("detail", world, situation.pk)).content.decode()
    assert "Record what the team agreed" not in page
    response = parent.post(_url("agree_try", world, situation.pk), {"try-what": "x"})
    assert response.status_code == 403
    assert not AgreedTry.objects.exists()


def test_a_follow_up_before_the_start_shows_the_message_on_the_form(world):
    situation = raise_situation(world.parent, world.child)
    today = world.today
    response = client_for(world.case_manager).post(
        _url("agree_try", world, situation.pk),
        {
            "try-what": "Timer",
            "try-owner": str(world.provider.pk),
            "try-due_on": (today + timedelta(days=5)).isoformat(),
            "try-follow_up_on": (today + timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "cannot be before the try starts" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"try-what": "x", "try-owner": "abc", "try-due_on": "2026-13-45"},
        {"try-what": "x" * 6000, "try-owner": "999999999999999999999"},
        {"try-what": "\x00", "try-follow_up_on": "99999-01-01"},
    ],
)
def test_bad_try_input_is_a_400_never_a_500(world, data):
    situation = raise_situation(world.parent, world.child)
    response = client_for(world.case_manager).post(_url("agree_try", world, situation.pk), data)
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["other_parent", "restricted_parent", "outside_provider"])
def test_strangers_get_404_on_every_page(world, who):
    situation = raise_situation(world.parent, world.child)
    client = client_for(getattr(world, who))
    assert client.get(_url("list", world)).status_code == 404
    assert client.get(_url("detail", world, situation.pk)).status_code == 404
    assert client.post(_url("add_idea", world, situation.pk), {"idea-text": "x"}).status_code == 404
    assert not SituationIdea.objects.exists()


def test_another_students_situation_under_this_student_is_404(world):
    theirs = raise_situation(world.other_parent, world.other_child)
    client = client_for(world.case_manager)
    assert client.get(_url("detail", world, theirs.pk)).status_code == 404


def test_a_stale_edit_answers_409_with_both_versions(world):
    situation = raise_situation(world.parent, world.child)
    parent = client_for(world.parent)
    cm = client_for(world.case_manager)
    form = {
        "summary": "Cries at drop-off",
        "what_happens": "First words",
        "when_it_happens": "",
        "where_it_happens": "",
        "revision": "1",
    }
    assert parent.post(_url("edit", world, situation.pk), form).status_code == 302
    response = cm.post(_url("edit", world, situation.pk), {**form, "what_happens": "Mine"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "First words" in page and "Mine" in page
    situation.refresh_from_db()
    assert situation.what_happens == "First words"
    assert situation.revision == 2


def test_close_and_reopen_through_the_pages(world):
    situation = raise_situation(world.parent, world.child)
    client = client_for(world.parent)
    assert (
        client.post(_url("close", world, situation.pk), {"close-status": "resolved"}).status_code
        == 302
    )
    situation.refresh_from_db()
    assert situation.status == "resolved"
    page = client.get(_url("detail", world, situation.pk)).content.decode()
    assert "Reopen" in page and "Add my idea" not in page
    assert client.post(_url("reopen", world, situation.pk)).status_code == 302
    situation.refresh_from_db()
    assert situation.is_open


def test_the_log_lists_open_situations_first_and_pages(world):
    old = raise_situation(world.parent, world.child, summary="Old and closed")
    old.status, old.is_open = "stopped", False
    old.closed_at = old.created_at
    old.save(update_fields=["status", "is_open", "closed_at"])
    for n in range(21):
        raise_situation(world.parent, world.child, summary=f"Open number {n}")
    client = client_for(world.parent)
    first = client.get(_url("list", world)).content.decode()
    assert "Open number 20" in first and "Old and closed" not in first
    second = client.get(_url("list", world), {"page": "2"}).content.decode()
    assert "Old and closed" in second
    assert client.get(_url("list", world), {"page": "x"}).status_code == 400


def _fill(world, n):
    for i in range(n):
        situation = raise_situation(world.parent, world.child, summary=f"S{i}")
        idea(world.gen_ed_teacher, situation)
        agreed = agree(world.case_manager, situation, world.parent)
        outcome(world.parent, agreed)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_log_costs_the_same_queries_however_long(world):
    client = client_for(world.parent)
    _fill(world, 1)
    few = _count(client, _url("list", world))
    _fill(world, 6)
    assert _count(client, _url("list", world)) == few == LOG_QUERIES


def test_the_situation_page_costs_the_same_queries_however_full(world):
    situation = raise_situation(world.parent, world.child)
    client = client_for(world.case_manager)
    agreed = agree(world.case_manager, situation, world.parent)
    outcome(world.parent, agreed)
    few = _count(client, _url("detail", world, situation.pk))
    for _ in range(5):
        idea(world.parent, situation)
        more = agree(world.case_manager, situation, world.provider)
        outcome(world.provider, more, "did_not_help")
        agree(world.case_manager, situation, world.parent)
    assert _count(client, _url("detail", world, situation.pk)) == few == SITUATION_QUERIES
    assert TryOutcome.objects.count() == 6


def test_the_student_page_and_the_profile_link_to_the_log(world):
    client = client_for(world.parent)
    log = _url("list", world)
    assert log in client.get(reverse("home:student_detail", args=[world.child.pk])).content.decode()
    assert log in client.get(reverse("profiles:profile", args=[world.child.pk])).content.decode()


def test_a_follow_up_due_shows_on_the_owners_home_only(world):
    situation = raise_situation(world.parent, world.child)
    agree(world.case_manager, situation, world.parent, what="Sunday schedule", follow_up_in=0)
    agree(world.case_manager, situation, world.provider, what="Later one", follow_up_in=3)
    home = reverse("home:home")
    page = client_for(world.parent).get(home).content.decode()
    assert "Follow-ups due" in page and "Sunday schedule" in page
    assert "Follow-ups due" not in client_for(world.provider).get(home).content.decode()
    assert "Follow-ups due" not in client_for(world.case_manager).get(home).content.decode()


def test_the_log_reads_in_spanish(world):
    raise_situation(world.parent, world.child)
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    page = client_for(world.parent).get(_url("list", world), HTTP_ACCEPT_LANGUAGE="es")
    html = page.content.decode()
    assert "Plantear una situación difícil" in html
    assert "Resolver situaciones de" in html
