"""Notices by text message, for families who chose them: a short text in the recipient's
language with the link, sent at most once, never in their quiet hours, retried after a
failure like an email (``deliveries``).

Backends (``SAMEPAGE_SMS_BACKEND``): ``console`` writes each text to the log;
``twilio`` posts it to a Twilio-compatible API
(``POST /2010-04-01/Accounts/{sid}/Messages.json``, form-encoded, HTTP basic auth).
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samepage.notifications import deliveries, preferences
from samepage.notifications.models import DeliveryChannel, Notice
from samepage.notifications.permissions import may_still_hear_of

logger = logging.getLogger(__name__)

# A text's title is cut to this many characters (the link is never cut).
TITLE_CHARS = 200


class SmsError(Exception):
    """The provider did not take the message; the text says why (no secrets in it)."""


class SmsBackend(Protocol):
    def send(self, to: str, body: str) -> str:
        """Send ``body`` to ``to`` (E.164); the provider's id for it. Raises on failure."""


class ConsoleSmsBackend:
    """Development: the text goes to the log, nowhere else."""

    def send(self, to: str, body: str) -> str:
        logger.warning("Text message to %s: %s", to, body)
        return "console"


class TwilioSmsBackend:
    """A Twilio-compatible HTTP API."""

    def __init__(
        self, api_url: str, account_sid: str, auth_token: str, sender: str, timeout: float
    ) -> None:
        self.url = (
            f"{api_url.rstrip('/')}/2010-04-01/Accounts/"
            f"{urllib.parse.quote(account_sid, safe='')}/Messages.json"
        )
        credentials = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self.authorization = f"Basic {credentials}"
        self.sender = sender
        self.timeout = timeout

    def send(self, to: str, body: str) -> str:
        if not self.url.startswith(("http://", "https://")):
            raise SmsError("SAMEPAGE_SMS_API_URL is not an http(s) address")
        data = urllib.parse.urlencode({"To": to, "From": self.sender, "Body": body}).encode()
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
            self.url,
            data=data,
            headers={
                "Authorization": self.authorization,
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = response.read(100_000)
        except urllib.error.HTTPError as e:
            raise SmsError(f"HTTP {e.code}: {_provider_message(e.read(10_000))}") from None
        except (urllib.error.URLError, OSError, ValueError) as e:
            raise SmsError(f"provider unreachable: {e}") from None
        try:
            found = json.loads(answer)
        except ValueError:
            raise SmsError("the provider's answer is not JSON") from None
        sid = found.get("sid") if isinstance(found, dict) else None
        if not isinstance(sid, str) or not sid:
            raise SmsError("the provider's answer has no message id")
        return sid


def _provider_message(body: bytes) -> str:
    """The provider's own reason ("The 'To' number is not a valid phone number")."""
    try:
        found = json.loads(body)
    except ValueError:
        return "no details"
    message = found.get("message") if isinstance(found, dict) else None
    return str(message)[:300] if message else "no details"


def sms_backend() -> SmsBackend:
    """The configured backend, read from settings each time (tests change them)."""
    if settings.SAMEPAGE_SMS_BACKEND == "twilio":
        return TwilioSmsBackend(
            settings.SAMEPAGE_SMS_API_URL,
            settings.SAMEPAGE_SMS_ACCOUNT_SID,
            settings.SAMEPAGE_SMS_AUTH_TOKEN,
            settings.SAMEPAGE_SMS_FROM,
            settings.SAMEPAGE_SMS_TIMEOUT_SECONDS,
        )
    return ConsoleSmsBackend()


def text_of(notice: Notice) -> str:
    """The text, in the active language: what happened, and the link to it."""
    title = " ".join(str(notice.title).split())
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1].rstrip() + "…"
    return _("SamePage: %(title)s %(url)s") % {
        "title": title,
        "url": settings.SITE_URL + notice.link,
    }


def send_notice_sms_now(notice_id: int, now: datetime | None = None) -> bool:
    """Text the notice to its recipient unless it went already; True when this call sent
    it. The delivery row is locked while sending and marked sent in the same
    transaction: two runs at once send one text. A failure waits for its next attempt;
    quiet hours hold it until they end."""
    now = now or timezone.now()
    notice = Notice.objects.select_related("recipient").filter(pk=notice_id).first()
    if notice is None:
        return False
    person = notice.recipient
    if not person.is_active or not preferences.texts_for(person, notice.kind):
        deliveries.record_not_needed(notice, DeliveryChannel.SMS)
        return False
    with transaction.atomic():
        delivery = deliveries.delivery_for(notice, DeliveryChannel.SMS, lock=True)
        if delivery.sent_at is not None:
            return False
        if not may_still_hear_of(person, notice):
            deliveries.record_not_needed(notice, DeliveryChannel.SMS)
            return False
        quiet_ends = preferences.quiet_hours_end(person, now)
        if quiet_ends is not None:
            deliveries.record_held(notice, DeliveryChannel.SMS, quiet_ends)
            return False
        # Written in the recipient's language, whoever's action caused it.
        with translation.override(person.language):
            body = text_of(notice)
        try:
            sms_backend().send(person.phone_number, body)
        except Exception as error:
            logger.warning("Text message for notice %s failed: %s", notice.pk, error)
            deliveries.record_failure(notice, DeliveryChannel.SMS, error, now)
            return False
        deliveries.record_sent(notice, DeliveryChannel.SMS, now)
    return True
