"""The conversation pages end to end: who sees what, writing, withdrawing, attachments,
polling, the student page's link, and the access log."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samepage.conversations.models import Message, Thread
from samepage.conversations.tests.helpers import (
    checked_png,
    client_for,
    png_upload,
    private,
    staff_thread,
    to_team,
)
from samepage.core.models import AccessEvent
from samepage.notifications.tests.helpers import grant_consent
from samepage.teams.models import TeamMembership

pytestmark = pytest.mark.django_db


def _base(world) -> str:
    return f"/students/{world.child.pk}/conversations/"


def test_the_parent_reads_the_team_thread_and_writes_in_it(world):
    message = to_team(world.case_manager, world.child, "Casey had a **great** day.")
    client = client_for(world.parent)
    page = client.get(f"{_base(world)}{message.thread_id}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<strong>great</strong>" in body
    assert 'hx-trigger="every 20s"' in body
    sent = client.post(f"{_base(world)}{message.thread_id}/", {"body": "Thank you!"})
    assert sent.status_code == 303
    assert Message.objects.filter(author=world.parent, body="Thank you!").exists()


def test_the_first_message_to_the_team_thread_makes_it(world):
    client = client_for(world.parent)
    empty = client.get(f"{_base(world)}team/")
    assert empty.status_code == 200
    assert "Nobody has written yet." in empty.content.decode()
    sent = client.post(f"{_base(world)}team/", {"body": "Hello, team"})
    assert sent.status_code == 303
    thread = Thread.objects.get(kind=Thread.Kind.TEAM)
    assert client.get(f"{_base(world)}team/")["Location"] == f"{_base(world)}{thread.pk}/"


def test_an_empty_message_gets_a_clear_error_and_nothing_is_sent(world):
    message = to_team(world.case_manager, world.child)
    page = client_for(world.parent).post(f"{_base(world)}{message.thread_id}/", {"body": "  "})
    assert page.status_code == 400
    assert "Write a message before sending it." in page.content.decode()
    assert Message.objects.count() == 1


def test_a_student_one_is_not_on_the_team_of_is_not_found(world):
    message = to_team(world.case_manager, world.child)
    outsider = client_for(world.other_parent)
    for path in (
        "",
        "team/",
        "new/",
        f"{message.thread_id}/",
        f"{message.thread_id}/new-messages/",
    ):
        assert outsider.get(_base(world) + path).status_code == 404
    assert outsider.post(_base(world) + "team/", {"body": "Hi"}).status_code == 404
    assert outsider.post(f"{_base(world)}{message.thread_id}/", {"body": "Hi"}).status_code == 404
    assert Message.objects.count() == 1


def test_another_students_thread_is_not_found_under_this_student(world):
    other = to_team(world.case_manager, world.child)
    # The other child's guardian opens their own child's address with this thread's id.
    f_url = f"/students/{world.other_child.pk}/conversations/{other.thread_id}/"
    assert client_for(world.district_admin).get(f_url).status_code == 404


def test_staff_only_threads_never_reach_the_family_or_an_advocate_through_pages(world):
    grant_consent(world, world.advocate, ["messages"])
    message = staff_thread(world.case_manager, world.child, title="Worries about home")
    thread_url = f"{_base(world)}{message.thread_id}/"
    for user in (world.parent, world.advocate):
        client = client_for(user)
        listing = client.get(_base(world)).content.decode()
        assert "Worries about home" not in listing
        assert client.get(thread_url).status_code == 404
        assert client.get(thread_url + "new-messages/").status_code == 404
        assert client.post(thread_url, {"body": "peek"}).status_code == 404
        withdraw = f"{thread_url}messages/{message.pk}/withdraw/"
        assert client.post(withdraw).status_code == 404
    staff = client_for(world.provider)
    assert "Worries about home" in staff.get(_base(world)).content.decode()
    assert staff.get(thread_url).status_code == 200


def test_private_threads_are_invisible_to_third_parties(world):
    message = private(world.parent, world.child, world.case_manager, "Just for Carol")
    url = f"{_base(world)}{message.thread_id}/"
    for third in (world.provider, world.district_admin):
        client = client_for(third)
        assert client.get(url).status_code == 404
        assert client.get(f"{url}messages/{message.pk}/attachment/").status_code == 404
        assert "Just for Carol" not in client.get(_base(world)).content.decode()
    assert client_for(world.case_manager).get(url).status_code == 200


def test_the_general_education_teacher_without_messages_is_refused(world):
    assert client_for(world.gen_ed_teacher).get(_base(world)).status_code == 403


def test_starting_a_staff_only_thread_from_the_page(world):
    client = client_for(world.case_manager)
    form = client.get(_base(world) + "new/").content.decode()
    assert "Staff only" in form
    sent = client.post(
        _base(world) + "new/", {"kind": "staff", "title": "Plan for Monday", "body": "Ideas?"}
    )
    assert sent.status_code == 303
    assert Thread.objects.get(kind=Thread.Kind.STAFF).title == "Plan for Monday"
    # The parent's form offers no staff-only thread.
    assert (
        'value="staff"' not in client_for(world.parent).get(_base(world) + "new/").content.decode()
    )
    refused = client_for(world.parent).post(
        _base(world) + "new/", {"kind": "staff", "title": "x", "body": "y"}
    )
    assert refused.status_code == 400
    assert Thread.objects.filter(kind=Thread.Kind.STAFF).count() == 1


def test_a_withdrawn_message_shows_as_withdrawn(world):
    message = to_team(world.parent, world.child, "Please ignore this secret")
    client = client_for(world.parent)
    url = f"{_base(world)}{message.thread_id}/"
    assert client.post(f"{url}messages/{message.pk}/withdraw/").status_code == 303
    for reader in (world.parent, world.case_manager):
        body = client_for(reader).get(url).content.decode()
        assert "This message was withdrawn by its author." in body
        assert "Please ignore this secret" not in body
    assert (
        client_for(world.case_manager).post(f"{url}messages/{message.pk}/withdraw/").status_code
        == 403
    )


def test_an_attachment_is_served_only_through_the_checked_view(world):
    client = client_for(world.parent)
    client.post(_base(world) + "team/", {"body": "Homework", "attachment": png_upload()})
    message = Message.objects.get(body="Homework")
    url = f"{_base(world)}{message.thread_id}/messages/{message.pk}/attachment/"
    answer = client_for(world.case_manager).get(url)
    assert answer.status_code == 200
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in answer["Content-Disposition"]
    assert answer.getvalue().startswith(b"\x89PNG")
    assert client_for(world.other_parent).get(url).status_code == 404


def test_a_disguised_file_is_refused_with_a_message(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    script = SimpleUploadedFile("photo.png", b"#!/bin/sh\nrm -rf /\n", content_type="image/png")
    answer = client_for(world.parent).post(
        _base(world) + "team/", {"body": "See photo", "attachment": script}
    )
    assert answer.status_code == 400
    assert "whatever its name says" in answer.content.decode()
    assert not Message.objects.exists()


def test_new_messages_arrive_by_polling(world):
    first = to_team(world.case_manager, world.child, "First")
    client = client_for(world.parent)
    url = f"{_base(world)}{first.thread_id}/new-messages/?after={first.pk}"
    assert "<li" not in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    second = to_team(world.case_manager, world.child, "Second")
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Second" in fragment and "First" not in fragment
    assert f"after={second.pk}" in fragment
    assert 'hx-swap-oob="true"' in fragment
    # Opened as a page, without htmx, it is the thread page.
    assert client.get(url)["Location"] == f"{_base(world)}{first.thread_id}/"


def test_seen_by_under_the_latest_message(world):
    message = to_team(world.case_manager, world.child, "Did you see this?")
    url = f"{_base(world)}{message.thread_id}/"
    client_for(world.parent).get(url)
    body = client_for(world.case_manager).get(url).content.decode()
    assert "Seen by Alice Lane" in body


def test_the_list_shows_unread_counts_and_what_is_new(world):
    to_team(world.case_manager, world.child, "One")
    to_team(world.case_manager, world.child, "Two")
    body = client_for(world.parent).get(_base(world)).content.decode()
    assert "New since your last visit" in body
    assert '<span class="count-badge">2' in body
    thread = Thread.objects.get()
    page = client_for(world.parent).get(f"{_base(world)}{thread.pk}/").content.decode()
    assert 'id="new-since-last-visit"' in page
    # Once read, nothing is new.
    again = client_for(world.parent).get(_base(world)).content.decode()
    assert "New since your last visit" not in again


def test_the_student_page_links_to_conversations_with_the_unread_count(world):
    to_team(world.case_manager, world.child, "One")
    body = client_for(world.parent).get(f"/students/{world.child.pk}/").content.decode()
    assert f'href="{_base(world)}"' in body
    assert "1 new message since your last visit" in body
    # No link for someone who may not see the messages.
    teacher = client_for(world.gen_ed_teacher).get(f"/students/{world.child.pk}/").content.decode()
    assert _base(world) not in teacher


def test_reading_a_thread_is_logged_and_the_family_log_names_no_staff_thread(world):
    staff_message = staff_thread(world.case_manager, world.child, title="Secret staff title")
    client_for(world.provider).get(f"{_base(world)}{staff_message.thread_id}/")
    event = AccessEvent.objects.filter(user=world.provider).latest("created_at")
    assert event.part == "messages"
    log = client_for(world.parent).get(f"/students/{world.child.pk}/access-log/").content.decode()
    assert "Priya Speech" in log
    assert "Secret staff title" not in log


def test_older_messages_are_on_the_next_page(world):
    for n in range(35):
        to_team(world.case_manager, world.child, f"Message number {n}")
    thread = Thread.objects.get()
    client = client_for(world.parent)
    newest = client.get(f"{_base(world)}{thread.pk}/").content.decode()
    assert "Message number 34" in newest and "Message number 4<" not in newest
    assert "Older messages" in newest
    older = client.get(f"{_base(world)}{thread.pk}/?page=2").content.decode()
    assert "Message number 4<" in older and "Message number 34" not in older


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("count", [1, 30])
def test_thread_page_queries_are_pinned(world, django_assert_num_queries, count):
    for n in range(count):
        to_team(world.case_manager, world.child, f"Message {n}", attachment=None)
    thread = Thread.objects.get()
    client = client_for(world.parent)
    url = f"{_base(world)}{thread.pk}/"
    client.get(url)  # the first visit marks read; measure a steady visit
    to_team(world.case_manager, world.child, "One more")
    with django_assert_num_queries(THREAD_PAGE_QUERIES):
        client.get(url)


@pytest.mark.parametrize("count", [1, 30])
def test_thread_list_queries_are_pinned(world, django_assert_num_queries, count):
    to_team(world.case_manager, world.child, "Team")
    for n in range(count):
        staff_thread(world.case_manager, world.child, title=f"Staff {n}")
        private(world.case_manager, world.child, world.provider, f"Private {n}")
    client = client_for(world.provider)
    with django_assert_num_queries(THREAD_LIST_QUERIES):
        client.get(_base(world))


# Session and user, the student and every reach of the permission layer, the thread,
# its page of messages (authors and attachments joined), the reader's read mark, "seen
# by", the access record and the read mark moved on; the notification badge; the record
# nav's "Conversations (N new)" (teams/tabs.py).
# The person's roles are one query (schools/roles.py).
THREAD_PAGE_QUERIES = 16
# The same reads, then one page of threads with unread and message counts as subqueries,
# and whether the team thread exists yet; the nav's unread badge.
THREAD_LIST_QUERIES = 10


def test_attachments_do_not_add_queries_per_message(world):
    for n in range(3):
        to_team(world.case_manager, world.child, f"With file {n}", attachment=checked_png())
    thread = Thread.objects.get()
    client = client_for(world.parent)
    url = f"{_base(world)}{thread.pk}/"
    client.get(url)
    few = _queries(client, url)
    for n in range(5):
        to_team(world.case_manager, world.child, f"More {n}", attachment=checked_png())
    client.get(url)
    assert _queries(client, url) == few


def test_membership_ended_means_not_found(world):
    message = to_team(world.case_manager, world.child)
    TeamMembership.objects.filter(student=world.child, user=world.provider).update(
        end_date=world.today
    )
    assert client_for(world.provider).get(f"{_base(world)}{message.thread_id}/").status_code == 404


def test_no_record_export_carries_a_staff_only_thread(world):
    """The exports that exist (the one-page profile, as a page and as a PDF) show no
    messages at all, so a staff-only thread cannot leave through them."""
    staff_thread(world.case_manager, world.child, title="Secret staff title", body="Secret body")
    client = client_for(world.parent)
    base = f"/students/{world.child.pk}/profile/one-page/"
    page = client.get(base)
    assert page.status_code == 200
    assert b"Secret staff title" not in page.content and b"Secret body" not in page.content
    pdf = client.get(base + "pdf/")
    assert pdf.status_code == 200
    content = pdf.getvalue()
    assert b"Secret" not in content


def test_the_family_home_says_how_many_messages_are_new(world):
    to_team(world.case_manager, world.child, "One")
    to_team(world.case_manager, world.child, "Two")
    body = client_for(world.parent).get("/home/").content.decode()
    assert "2 new messages since your last visit" in body
    assert f'href="{_base(world)}"' in body
    thread = Thread.objects.get()
    client_for(world.parent).get(f"{_base(world)}{thread.pk}/")
    assert "since your last visit" not in client_for(world.parent).get("/home/").content.decode()
