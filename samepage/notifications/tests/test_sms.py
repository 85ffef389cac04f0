"""Text messages for families who choose them: their number validated, a short text in
their language with the link, through a Twilio-compatible API (a real server on a
loopback port here) or the console; quiet hours kept; failures retried; once only."""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.test import Client

from samepage import factories as f
from samepage.notifications.actions import do_set_email_preferences
from samepage.notifications.kinds import CATEGORIES
from samepage.notifications.models import RETRY_BACKOFF, Delivery, NotificationPreference
from samepage.notifications.preferences import texted_categories, texts_for
from samepage.notifications.retries import retry_deliveries
from samepage.notifications.sms import send_notice_sms_now
from samepage.notifications.tasks import send_notice_sms
from samepage.notifications.tests.helpers import make_notice
from samepage.plans.actions import lifecycle

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
PHONE = "+15125550100"


class _Provider:
    def __init__(self) -> None:
        self.mode = "ok"
        self.requests: list[dict[str, Any]] = []


def _handler(state: _Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            state.requests.append(
                {
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "content_type": self.headers.get("Content-Type"),
                    **form,
                }
            )
            if state.mode == "slow":
                time.sleep(1.5)
            if state.mode == "rejected":
                status, body = 400, json.dumps({"code": 21211, "message": "Invalid 'To'"})
            elif state.mode == "error":
                status, body = 500, "oops"
            elif state.mode == "garbage":
                status, body = 201, "<html>"
            else:
                status, body = 201, json.dumps({"sid": "SM123", "status": "queued"})
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())
            except OSError:
                pass

    return Handler


@pytest.fixture
def provider(settings) -> Iterator[_Provider]:
    state = _Provider()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    settings.SAMEPAGE_SMS_BACKEND = "twilio"
    settings.SAMEPAGE_SMS_API_URL = f"http://127.0.0.1:{httpd.server_address[1]}"
    settings.SAMEPAGE_SMS_ACCOUNT_SID = "AC0123"
    settings.SAMEPAGE_SMS_AUTH_TOKEN = "secret-token"
    settings.SAMEPAGE_SMS_FROM = "+15125550199"
    settings.SAMEPAGE_SMS_TIMEOUT_SECONDS = 0.5
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def _texts(user, *categories: str, phone: str = PHONE) -> None:
    do_set_email_preferences(
        user,
        actor=user,
        channels={},
        texts=dict.fromkeys(categories, True),
        phone_number=phone,
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_text_goes_through_the_providers_api_in_the_recipients_language(world, provider):
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    _texts(world.parent, "plans")
    notice = make_notice(world.parent, world.child)
    assert send_notice_sms_now(notice.pk) is True
    [sent] = provider.requests
    assert sent["path"] == "/2010-04-01/Accounts/AC0123/Messages.json"
    assert sent["content_type"] == "application/x-www-form-urlencoded"
    assert sent["authorization"] == "Basic " + base64.b64encode(b"AC0123:secret-token").decode()
    assert sent["To"] == PHONE and sent["From"] == "+15125550199"
    assert sent["Body"] == (
        "SamePage: Se compartió con usted un borrador del plan de Casey "
        f"{django_settings.SITE_URL}{notice.link}"
    )
    delivery = Delivery.objects.get(notice=notice, channel="sms")
    assert delivery.sent_at is not None and delivery.attempts == 1


def test_a_text_is_sent_once_however_often_the_task_runs(world, provider):
    _texts(world.parent, "plans")
    notice = make_notice(world.parent, world.child)
    send_notice_sms.enqueue(notice.pk)
    send_notice_sms.enqueue(notice.pk)
    assert send_notice_sms_now(notice.pk) is False
    assert retry_deliveries() == 0
    assert len(provider.requests) == 1


def test_a_shared_draft_is_texted_to_a_family_that_chose_it(
    world, provider, django_capture_on_commit_callbacks
):
    _texts(world.parent, "plans")
    plan = f.make_plan(world.child, actor=world.case_manager)
    version = f.fill_plan(plan)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.do_share_draft(version, actor=world.case_manager)
    assert [r["To"] for r in provider.requests] == [PHONE]


def test_nothing_is_texted_without_the_choice_or_a_number(world, provider):
    notice = make_notice(world.parent, world.child)
    assert send_notice_sms_now(notice.pk) is False  # not chosen
    _texts(world.parent, "concerns")
    assert send_notice_sms_now(notice.pk) is False  # another category
    assert provider.requests == []
    assert not Delivery.objects.filter(channel="sms").exists()


def test_staff_cannot_choose_texts(world):
    _texts(world.case_manager, "plans")
    assert texted_categories(world.case_manager) == set()
    assert not NotificationPreference.objects.filter(user=world.case_manager, by_text=True)
    assert not texts_for(world.case_manager, "plan.draft_shared")
    page = _client(world.case_manager).get("/notifications/settings/").content.decode()
    assert "text_plans" not in page and "phone_number" not in page


def test_a_text_waits_for_the_end_of_quiet_hours(world, provider):
    world.parent.time_zone = "America/Chicago"
    world.parent.save(update_fields=["time_zone"])
    _texts(world.parent, "plans")
    notice = make_notice(world.parent, world.child)
    night = datetime(2026, 6, 10, 22, 0, tzinfo=CHICAGO)
    assert send_notice_sms_now(notice.pk, night) is False
    delivery = Delivery.objects.get(notice=notice, channel="sms")
    morning = datetime(2026, 6, 11, 7, 0, tzinfo=CHICAGO)
    assert delivery.next_attempt_at == morning and delivery.attempts == 0
    assert retry_deliveries(datetime(2026, 6, 11, 6, 59, tzinfo=CHICAGO)) == 0
    assert provider.requests == []
    assert retry_deliveries(morning) == 1
    assert len(provider.requests) == 1


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("rejected", "SmsError: HTTP 400: Invalid 'To'"),
        ("error", "SmsError: HTTP 500: no details"),
        ("garbage", "SmsError: the provider's answer is not JSON"),
        ("slow", "SmsError: provider unreachable"),
    ],
)
def test_a_provider_failure_is_recorded_and_retried(world, provider, mode, error):
    _texts(world.parent, "plans")
    notice = make_notice(world.parent, world.child)
    provider.mode = mode
    now = datetime(2026, 6, 10, 14, 0, tzinfo=CHICAGO)
    assert send_notice_sms_now(notice.pk, now) is False
    delivery = Delivery.objects.get(notice=notice, channel="sms")
    assert delivery.last_error.startswith(error)
    assert "secret-token" not in delivery.last_error
    assert delivery.next_attempt_at == now + RETRY_BACKOFF[0]
    provider.mode = "ok"
    assert retry_deliveries(now + RETRY_BACKOFF[0]) == 1
    delivery.refresh_from_db()
    assert delivery.sent_at is not None and delivery.attempts == 2


def test_the_console_backend_logs_the_text(world, settings, caplog):
    settings.SAMEPAGE_SMS_BACKEND = "console"
    _texts(world.parent, "plans")
    notice = make_notice(world.parent, world.child)
    assert send_notice_sms_now(notice.pk) is True
    assert f"Text message to {PHONE}: SamePage: A draft of Casey's plan" in caplog.text


def test_a_family_chooses_texts_and_a_number_on_the_settings_page(world):
    client = _client(world.parent)
    page = client.get("/notifications/settings/").content.decode()
    assert 'name="text_plans"' in page and 'type="tel"' in page
    data = {**dict.fromkeys(CATEGORIES, "each"), "quiet_from": "21:00", "quiet_until": "07:00"}
    response = client.post(
        "/notifications/settings/",
        {**data, "text_plans": "on", "phone_number": "+1 (512) 555-0100"},
    )
    assert response.status_code == 302
    world.parent.refresh_from_db()
    assert world.parent.phone_number == PHONE
    assert texted_categories(world.parent) == {"plans"}
    page = client.get("/notifications/settings/").content.decode()
    assert re.search(r'name="text_plans"[^>]*checked', page)


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("512 555 0100", "starting with +"),
        ("+1 512 call me", "starting with +"),
        ("+0123456789", "starting with +"),
        ("", "Add your mobile number to get text messages."),
    ],
)
def test_a_bad_number_gets_a_clear_message_and_saves_nothing(world, phone, message):
    data = {**dict.fromkeys(CATEGORIES, "each"), "quiet_from": "21:00", "quiet_until": "07:00"}
    response = _client(world.parent).post(
        "/notifications/settings/", {**data, "text_plans": "on", "phone_number": phone}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    world.parent.refresh_from_db()
    assert world.parent.phone_number == ""
    assert texted_categories(world.parent) == set()


def test_a_bad_number_message_is_in_spanish(world):
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    data = {**dict.fromkeys(CATEGORIES, "each"), "quiet_from": "21:00", "quiet_until": "07:00"}
    response = _client(world.parent).post(
        "/notifications/settings/", {**data, "text_plans": "on", "phone_number": "12"}
    )
    assert "con el código del país" in response.content.decode()
