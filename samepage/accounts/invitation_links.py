"""Signed invitation links: the invitation id and its current nonce, signed with a salt."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from samepage.accounts.models import Invitation

SALT = "samepage.accounts.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT)


def invitation_url(invitation: Invitation) -> str:
    path = reverse("accounts:accept_invitation", kwargs={"token": invitation_token(invitation)})
    return settings.SITE_URL + path


@dataclass(frozen=True)
class InvitationCheck:
    """What a link points at, and why it cannot be used if it cannot.

    ``problem`` is one of "invalid", "replaced", "accepted", "revoked", "expired", or
    None when the invitation is open.
    """

    invitation: Invitation | None
    problem: str | None


def check_invitation_token(token: str) -> InvitationCheck:
    try:
        payload = signing.loads(token, salt=SALT)
        invitation_id = int(payload["i"])
        nonce = str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return InvitationCheck(None, "invalid")
    invitation = Invitation.objects.select_related("user").filter(pk=invitation_id).first()
    if invitation is None:
        return InvitationCheck(None, "invalid")
    if invitation.accepted_at is not None:
        return InvitationCheck(invitation, "accepted")
    if invitation.revoked_at is not None:
        return InvitationCheck(invitation, "revoked")
    if nonce != invitation.nonce:
        return InvitationCheck(invitation, "replaced")
    if invitation.is_expired:
        return InvitationCheck(invitation, "expired")
    return InvitationCheck(invitation, None)
