"""The record's section nav: the tabs other apps add (teams/tabs.py) are shown only to
readers their own permission rules let in, mark the page one is on, and the
conversations tab says how many messages the reader has not read."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samepage.accounts.models import User
from samepage.conversations.permissions import access_conversations
from samepage.conversations.tests.helpers import staff_thread, to_team
from samepage.deadlines.permissions import access_deadlines
from samepage.notifications.tests.helpers import grant_consent
from samepage.problems.permissions import access_problem_log
from samepage.teams.permissions import student_access
from samepage.teams.tabs import registered_tabs, tabs_for
from samepage.updates.permissions import access_updates

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _nav(html: str) -> str:
    found = re.search(r'<nav aria-label="Record sections".*?</nav>', html, re.S)
    assert found, "the page has the record nav"
    return found.group(0)


def _tab_labels(user, student, url: str | None = None) -> list[str]:
    html = _client(user).get(url or f"/students/{student.pk}/").content.decode()
    return [re.sub(r"<[^>]+>", "", link).strip() for link in re.findall(r"<a .*?</a>", _nav(html))]


def test_the_apps_register_their_tabs_in_order():
    sections = [tab.section for tab in registered_tabs()]
    assert sections == [
        "conversations",
        "progress",
        "timeline",
        "problems",
        "reports",
        "services",
        "deadlines",
    ]


def test_the_family_sees_every_tab_with_the_unread_count(world):
    to_team(world.case_manager, world.child, "Welcome to the team")
    to_team(world.case_manager, world.child, "Our first meeting is on Monday")
    labels = _tab_labels(world.parent, world.child)
    assert labels[:6] == [
        "Overview",
        "Concerns",
        "Conversations 2 new",
        "Progress",
        "Timeline",
        "Problem solving",
    ]
    html = _client(world.parent).get(f"/students/{world.child.pk}/").content.decode()
    # The count is text in the link, not a colour alone.
    assert '<span class="count-badge">2 new</span>' in _nav(html)


def test_staff_only_messages_never_reach_the_familys_badge(world):
    staff_thread(world.case_manager, world.child, body="Staff only")
    assert "Conversations" in _tab_labels(world.parent, world.child)
    assert "new" not in " ".join(_tab_labels(world.parent, world.child))
    assert "Conversations 1 new" in _tab_labels(world.provider, world.child)


def test_each_tab_follows_its_apps_rule(world):
    # Gina sees the plan at a glance and the profile, not the messages nor the plans.
    assert _tab_labels(world.gen_ed_teacher, world.child) == [
        "Overview",
        "Problem solving",
        "Team",
    ]
    # An advocate whose consent covers the plans only: the timeline's plan events.
    grant_consent(world, world.advocate, ["plans"])
    labels = _tab_labels(world.advocate, world.child)
    assert "Timeline" in labels
    assert "Conversations" not in labels and "Problem solving" not in labels


def test_the_tab_of_the_page_one_is_on_is_marked(world):
    pages = {
        "Conversations": reverse("conversations:list", args=[world.child.pk]),
        "Timeline": reverse("updates:timeline", args=[world.child.pk]),
        "Problem solving": reverse("problems:list", args=[world.child.pk]),
    }
    client = _client(world.parent)
    for label, url in pages.items():
        nav = _nav(client.get(url).content.decode())
        current = re.findall(r'<a [^>]*aria-current="page"[^>]*>(.*?)</a>', nav)
        assert current == [label], url


def test_no_access_no_tabs(world):
    assert tabs_for(None) == []
    assert student_access(world.other_parent, world.child) is None


def test_the_tabs_in_spanish(world):
    to_team(world.case_manager, world.child, "Bienvenidos")
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    client = _client(world.parent)
    html = client.get(f"/students/{world.child.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    nav = _nav(html.replace("Secciones del expediente", "Record sections"))
    assert "Conversaciones" in nav and "Cronología" in nav and "Resolver situaciones" in nav
    assert "1 nuevo" in nav


# Each tab and the page it links to: the page's own lookup.
PAGE_LOOKUPS = {
    "conversations": lambda user, pk: access_conversations(user, pk),
    "timeline": lambda user, pk: access_updates(user, pk, action="timeline"),
    "problems": lambda user, pk: access_problem_log(user, pk),
    "deadlines": lambda user, pk: access_deadlines(user, pk),
}


def _opens(lookup, user, student) -> bool:
    try:
        lookup(user, student.pk)
    except (Http404, PermissionDenied):
        return False
    return True


def test_a_tab_is_shown_exactly_when_its_page_opens(world):
    grant_consent(world, world.advocate, ["plans", "messages"])
    people = [value for value in vars(world).values() if isinstance(value, User)]
    answers: dict[str, set[bool]] = {section: set() for section in PAGE_LOOKUPS}
    for user in people:
        for student in (world.child, world.other_child):
            shown = {tab.tab.section for tab in tabs_for(student_access(user, student))}
            for section, lookup in PAGE_LOOKUPS.items():
                opens = _opens(lookup, user, student)
                assert (section in shown) == opens, (user, student, section)
                answers[section].add(opens)
    # The world has people on both sides of every tab's rule.
    assert all(seen == {True, False} for seen in answers.values())


def test_the_overview_counts_unread_messages_once_for_the_nav_and_its_own_link(world):
    to_team(world.case_manager, world.child, "Welcome to the team")
    to_team(world.case_manager, world.child, "Our first meeting is on Monday")
    client = _client(world.parent)
    client.get(f"/students/{world.child.pk}/")  # warm per-process caches
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/students/{world.child.pk}/").content.decode()
    # The badge in the nav and the link further down say the same number...
    assert "Conversations" in _nav(html) and "2 new" in _nav(html)
    assert "2 new messages since your last visit" in html
    # ...from one count of the threads (it was one query each).
    counts = [q for q in queries.captured_queries if 'SUM("unread")' in q["sql"]]
    assert len(counts) == 1
