"""The conversations API end to end: the same answers as the pages, keyset pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samepage.api.tests.helpers import API, send_json, token_client
from samepage.conversations.models import Message, Thread, ThreadRead
from samepage.conversations.tests.helpers import private, staff_thread, to_team
from samepage.core.models import AccessEvent
from samepage.core.tests.test_translation import server  # noqa: F401
from samepage.notifications.tests.helpers import grant_consent

pytestmark = pytest.mark.django_db

# ``server``: core's fake LibreTranslate-compatible server (answers "[en] <text>").


def _threads(world, student=None):
    return f"{API}/students/{(student or world.child).pk}/threads"


def test_list_threads_shows_only_what_the_caller_may_read(world):
    grant_consent(world, world.advocate, ["messages"])
    team = to_team(world.case_manager, world.child, "Team")
    staff = staff_thread(world.case_manager, world.child, title="Staff worries")
    mine = private(world.case_manager, world.child, world.provider, "Between us")
    kinds = {
        user.full_name: {t["id"] for t in token_client(user).get(_threads(world)).json()["items"]}
        for user in (world.parent, world.advocate, world.provider, world.district_admin)
    }
    assert kinds["Alice Lane"] == {team.thread_id}
    assert kinds["Ada Advocate"] == {team.thread_id}
    assert kinds["Priya Speech"] == {team.thread_id, staff.thread_id, mine.thread_id}
    assert kinds["Dee Admin"] == {team.thread_id, staff.thread_id}
    body = token_client(world.parent).get(_threads(world)).content.decode()
    assert "Staff worries" not in body and "Between us" not in body


def test_staff_only_and_private_threads_answer_404_like_missing_ones(world):
    staff = staff_thread(world.case_manager, world.child)
    mine = private(world.case_manager, world.child, world.provider)
    client = token_client(world.parent)
    for thread_id in (staff.thread_id, mine.thread_id, 10**9):
        url = f"{_threads(world)}/{thread_id}"
        assert client.get(f"{url}/messages").status_code == 404
        assert send_json(client, "post", f"{url}/messages", {"body": "x"}).status_code == 404
        assert send_json(client, "post", f"{url}/read", {}).status_code == 404
    assert client.get(_threads(world, world.other_child)).status_code == 404
    assert token_client(world.gen_ed_teacher).get(_threads(world)).status_code == 403


def test_post_read_and_withdraw(world):
    team = to_team(world.case_manager, world.child, "Hello *Alice*")
    client = token_client(world.parent)
    url = f"{_threads(world)}/{team.thread_id}"
    sent = send_json(client, "post", f"{url}/messages", {"body": "Hi **Carol**", "language": "es"})
    assert sent.status_code == 201, sent.content
    data = sent.json()
    assert data["html"] == "<p>Hi <strong>Carol</strong></p>"
    assert data["language"] == "es"
    read = send_json(token_client(world.case_manager), "post", f"{url}/read", {})
    assert read.json()["last_read_message_id"] == data["id"]
    gone = send_json(client, "post", f"{url}/messages/{data['id']}/withdraw", {})
    assert gone.status_code == 200
    assert gone.json()["withdrawn"] is True and gone.json()["body"] == ""
    again = send_json(
        token_client(world.case_manager), "post", f"{url}/messages/{team.pk}/withdraw", {}
    )
    assert again.status_code == 200
    refused = send_json(client, "post", f"{url}/messages/{team.pk}/withdraw", {})
    assert refused.status_code == 403


def test_an_empty_message_is_a_clear_400_and_nothing_is_written(world):
    client = token_client(world.parent)
    answer = send_json(client, "post", _threads(world), {"kind": "team", "body": " "})
    assert answer.status_code == 400
    assert answer.json()["errors"]["body"] == ["Write a message before sending it."]
    assert not Thread.objects.exists()


def test_the_family_cannot_start_a_staff_only_thread(world):
    answer = send_json(
        token_client(world.parent),
        "post",
        _threads(world),
        {"kind": "staff", "title": "t", "body": "b"},
    )
    assert answer.status_code == 403
    started = send_json(
        token_client(world.case_manager),
        "post",
        _threads(world),
        {"kind": "staff", "title": "Monday", "body": "Ideas?"},
    )
    assert started.status_code == 201
    assert Thread.objects.get(kind="staff").title == "Monday"


def test_messages_come_newest_first_in_keyset_pages(world):
    for n in range(7):
        to_team(world.case_manager, world.child, f"Message {n}")
    thread = Thread.objects.get()
    client = token_client(world.parent)
    url = f"{_threads(world)}/{thread.pk}/messages?limit=3"
    seen: list[str] = []
    page = client.get(url).json()
    seen += [m["body"] for m in page["items"]]
    while page["next"]:
        page = client.get(f"{url}&cursor={page['next']}").json()
        seen += [m["body"] for m in page["items"]]
    assert seen == [f"Message {n}" for n in reversed(range(7))]
    assert client.get(f"{url}&cursor=garbage").status_code == 400


def test_threads_are_paged_by_latest_activity(world):
    to_team(world.case_manager, world.child, "Team")
    for n in range(4):
        staff_thread(world.case_manager, world.child, title=f"Staff {n}")
    client = token_client(world.provider)
    first = client.get(f"{_threads(world)}?limit=2").json()
    assert [t["name"] for t in first["items"]] == ["Staff 3", "Staff 2"]
    rest = client.get(f"{_threads(world)}?limit=10&cursor={first['next']}").json()
    assert [t["name"] for t in rest["items"]] == ["Staff 1", "Staff 0", "Whole team"]
    assert rest["next"] is None


@pytest.mark.parametrize("count", [1, 30])
def test_api_list_queries_do_not_grow(world, count):
    for n in range(count):
        to_team(world.case_manager, world.child, f"Message {n}")
        staff_thread(world.case_manager, world.child, title=f"Staff {n}")
    thread = Thread.objects.get(kind="team")
    client = token_client(world.provider)
    with CaptureQueriesContext(connection) as threads:
        assert client.get(_threads(world)).status_code == 200
    with CaptureQueriesContext(connection) as messages:
        assert client.get(f"{_threads(world)}/{thread.pk}/messages").status_code == 200
    assert (len(threads), len(messages)) == API_QUERIES


# The token and its user, the permission layer's reads, the thread, one page, the access
# record: the same for 1 and for 30 rows (the person's roles in one query).
API_QUERIES = (9, 9)


def test_every_read_records_an_access_event_for_messages(world):
    team = to_team(world.case_manager, world.child)
    client = token_client(world.parent)
    client.get(_threads(world))
    client.get(f"{_threads(world)}/{team.thread_id}/messages")
    events = AccessEvent.objects.filter(user=world.parent)
    assert [e.part for e in events] == ["messages", "messages"]
    assert {e.via for e in events} == {"api"}


def test_mark_read_names_a_message_of_this_thread_only(world):
    team = to_team(world.case_manager, world.child)
    other = staff_thread(world.case_manager, world.child)
    answer = send_json(
        token_client(world.provider),
        "post",
        f"{_threads(world)}/{team.thread_id}/read",
        {"message_id": other.pk},
    )
    assert answer.status_code == 400
    assert not ThreadRead.objects.filter(user=world.provider).exists()
    assert Message.objects.count() == 2


@pytest.mark.parametrize("count", [1, 30])
def test_translated_messages_cost_one_cache_query_for_the_page(world, server, count):  # noqa: F811
    for n in range(count):
        to_team(world.parent, world.child, f"Mensaje {n}", language="es")
    thread = Thread.objects.get(kind="team")
    client = token_client(world.provider)
    url = f"{_threads(world)}/{thread.pk}/messages"
    client.get(url)  # the first read asks the server and fills the cache
    asked = len(server.requests)
    with CaptureQueriesContext(connection) as messages:
        answer = client.get(url)
    assert [m["translation"]["text"] for m in answer.json()["items"]][-1] == "[en] Mensaje 0"
    assert len(server.requests) == asked
    assert len(messages) == API_QUERIES[1] + 1  # the page's one translation cache read


def test_the_openapi_document_describes_a_messages_translation(world):
    document = token_client(world.parent).get(f"{API}/openapi.json").json()
    schemas = document["components"]["schemas"]
    message = schemas["MessageOut"]
    assert {"body", "language", "translation"} <= set(message["required"])
    assert set(schemas["TranslationOut"]["properties"]) == {
        "text",
        "html",
        "language",
        "from_language",
        "backend",
        "label",
    }
