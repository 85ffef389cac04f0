"""One notice by email, in the recipient's language, sent at most once."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from samepage.notifications.models import Notice


def send_notice_email_now(notice_id: int) -> bool:
    """Send the notice's email unless it went already; True when this call sent it.

    The notice row is locked while sending and ``emailed_at`` set in the same
    transaction, so two runs at once send one email. If sending fails, nothing is
    recorded and a later run tries again.
    """
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notice_id, emailed_at__isnull=True)
            .first()
        )
        if notice is None:
            return False
        person = notice.recipient
        if not person.is_active or not person.email:
            return False
        context = {"notice": notice, "person": person, "url": settings.SITE_URL + notice.link}
        # Written in the recipient's language, whoever's action caused it.
        with translation.override(person.language):
            subject = render_to_string("notifications/emails/notice_subject.txt", context)
            body = render_to_string("notifications/emails/notice.txt", context)
        send_mail(" ".join(subject.split()), body, None, [person.email])
        notice.emailed_at = timezone.now()
        notice.save(update_fields=["emailed_at"])
    return True
