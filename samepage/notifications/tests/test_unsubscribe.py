"""Every notice and digest email carries a signed one-click unsubscribe for its category,
which works without signing in; a tampered link is refused with a clear message."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client

from samepage.notifications.emails import send_digests, send_notice_email_now
from samepage.notifications.kinds import CATEGORIES
from samepage.notifications.preferences import channels_of
from samepage.notifications.tests.helpers import make_notice
from samepage.notifications.unsubscribe import SALT, make_token

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")


def _link(header: str) -> str:
    assert header.startswith("<") and header.endswith(">")
    return header[1:-1].removeprefix(settings.SITE_URL)


def _notice_email(world, mailoutbox, kind: str = "plan.draft_shared"):
    notice = make_notice(world.parent, world.child, kind=kind)
    assert send_notice_email_now(notice.pk) is True
    return mailoutbox[-1]


def test_a_notice_email_carries_list_unsubscribe_headers_and_the_link(world, mailoutbox):
    email = _notice_email(world, mailoutbox)
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = _link(email.extra_headers["List-Unsubscribe"])
    assert url.startswith("/notifications/unsubscribe/")
    assert settings.SITE_URL + url in email.body
    assert "Plans and drafts" in email.body


def test_the_link_shows_a_confirmation_and_changes_nothing_until_the_button(world, mailoutbox):
    url = _link(_notice_email(world, mailoutbox).extra_headers["List-Unsubscribe"])
    client = Client()  # not signed in
    page = client.get(url)
    assert page.status_code == 200
    assert "Plans and drafts" in page.content.decode()
    assert '<form method="post">' in page.content.decode()
    assert channels_of(world.parent)["plans"] == "each"
    done = client.post(url)
    assert done.status_code == 200
    assert "will no longer get emails" in done.content.decode()
    # Only that category: every other stays as it was.
    assert channels_of(world.parent) == {**dict.fromkeys(CATEGORIES, "each"), "plans": "none"}
    # Turned off: the next notice of that category sends no email, but is in the centre.
    later = make_notice(world.parent, world.child)
    assert send_notice_email_now(later.pk) is False


def test_a_mail_programs_one_click_post_unsubscribes(world, mailoutbox):
    url = _link(_notice_email(world, mailoutbox, "concern.added").extra_headers["List-Unsubscribe"])
    # RFC 8058: a POST with this body, no cookies, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert channels_of(world.parent)["concerns"] == "none"
    assert channels_of(world.parent)["plans"] == "each"


def test_a_digests_header_turns_off_every_category_it_covers(world, mailoutbox):
    world.case_manager.time_zone = "America/Chicago"
    world.case_manager.save(update_fields=["time_zone"])
    make_notice(
        world.case_manager, world.child, created_at=datetime(2026, 6, 9, 15, 0, tzinfo=CHICAGO)
    )
    send_digests(datetime(2026, 6, 10, 8, 0, tzinfo=CHICAGO))
    [digest] = [m for m in mailoutbox if world.case_manager.email in m.to]
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = _link(digest.extra_headers["List-Unsubscribe"])
    # The body has one link per category the digest covers (staff: all of them).
    links = digest.body.count(settings.SITE_URL + "/notifications/unsubscribe/")
    assert links == len(CATEGORIES)
    assert Client().post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert set(channels_of(world.case_manager).values()) == {"none"}


# Made when a test runs (a signed value carries its time): ids stay the same for xdist.
BAD_TOKENS = {
    "garbage": lambda: "tampered",
    "bad-signature": lambda: "eyJ1IjoxfQ:1wXO9g:not-the-signature",
    "another-salt": lambda: signing.dumps({"u": 1, "c": ["plans"]}, salt="another.salt"),
    "no-salt": lambda: signing.dumps({"u": 1, "c": ["plans"]}),
    "no-such-category": lambda: signing.dumps({"u": 1, "c": ["everything"]}, salt=SALT),
    "wrong-shape": lambda: signing.dumps([1, "plans"], salt=SALT),
    "nobody": lambda: signing.dumps({"u": 999999, "c": ["plans"]}, salt=SALT),
}


@pytest.mark.parametrize("bad", sorted(BAD_TOKENS))
def test_a_tampered_or_foreign_token_is_refused_with_a_clear_message(world, bad):
    token = BAD_TOKENS[bad]()
    client = Client()
    for response in (
        client.get(f"/notifications/unsubscribe/{token}/"),
        client.post(f"/notifications/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"}),
    ):
        assert response.status_code == 400
        assert "This unsubscribe link is not complete or was changed" in response.content.decode()
    assert channels_of(world.parent)["plans"] == "each"


def test_a_token_for_one_person_never_changes_anothers_settings(world):
    url = f"/notifications/unsubscribe/{make_token(world.parent, 'plans')}/"
    assert Client().post(url).status_code == 200
    assert channels_of(world.other_parent)["plans"] == "each"
