"""Background work for accounts: thin, takes ids, safe to run twice."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from samepage.accounts.invitation_links import invitation_url
from samepage.accounts.models import Invitation


@task()
def send_invitation_email(invitation_id: int, nonce: str) -> bool:
    """Email the invitation link. Skips invitations resent, revoked or used since."""
    invitation = (
        Invitation.objects.select_related("user", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.nonce != nonce or invitation.status != "pending":
        return False
    user = invitation.user
    context = {
        "invitation": invitation,
        "person": user,
        "invited_by": invitation.invited_by,
        "url": invitation_url(invitation),
        "days": settings.SAMEPAGE_INVITATION_DAYS,
    }
    # Write in the invited person's language, not whoever happened to click "Invite".
    with translation.override(user.language):
        subject = render_to_string("accounts/emails/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/emails/invitation.txt", context)
    send_mail(subject, body, None, [user.email])
    return True
