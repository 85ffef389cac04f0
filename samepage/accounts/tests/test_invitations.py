from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from samepage import factories as f
from samepage.accounts import actions
from samepage.accounts.invitation_links import SALT, check_invitation_token, invitation_token
from samepage.accounts.models import Invitation, User
from samepage.accounts.tasks import send_invitation_email
from samepage.core.models import AuditEvent

# Expiry is tested either side of midnight (conftest.straddle_midnight).
pytestmark = pytest.mark.usefixtures("straddle_midnight")

GOOD_PASSWORD = "a-long-family-passphrase"


@pytest.fixture
def newcomer(world) -> User:  # type: ignore[no-untyped-def]
    """Nadia: a guardian of the child with no password yet."""
    user = actions.do_create_user(actor=None, email="nadia@example.org", full_name="Nadia New")
    f.make_guardian(world.child, user)
    return user


def link_in(body: object) -> Invitation:
    """The invitation an email's link opens (tokens carry a timestamp, so not string-equal)."""
    match = re.search(r"https?://\S+/accounts/invitations/([^/\s]+)/", str(body))
    assert match, body
    check = check_invitation_token(match.group(1))
    assert check.problem is None and check.invitation is not None
    return check.invitation


def accept_url(invitation: Invitation) -> str:
    return reverse("accounts:accept_invitation", kwargs={"token": invitation_token(invitation)})


def accept_data(**extra: str) -> dict[str, str]:
    data = {
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "language": "es",
        "time_zone": "America/Los_Angeles",
    }
    data.update(extra)
    return data


def test_invite_sends_email_after_commit(world, newcomer, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation = actions.do_invite(newcomer, actor=world.case_manager)
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nadia@example.org"]
    assert link_in(message.body) == invitation
    assert "Carol Case" in message.body
    assert invitation.sent_count == 1
    assert invitation.invited_by == world.case_manager
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert AuditEvent.objects.filter(
        action="invitation.created", actor=world.case_manager, target_id=str(invitation.pk)
    ).exists()


def test_invitation_email_is_in_the_invitees_language(
    world, newcomer, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    newcomer.language = "es"
    newcomer.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        invitation = actions.do_invite(newcomer, actor=world.case_manager)
    assert link_in(mail.outbox[0].body) == invitation


def test_cannot_invite_twice_or_someone_with_an_account(world, newcomer):  # type: ignore[no-untyped-def]
    actions.do_invite(newcomer, actor=world.case_manager)
    with pytest.raises(ValidationError, match="open invitation"):
        actions.do_invite(newcomer, actor=world.case_manager)
    with pytest.raises(ValidationError, match="already has an account"):
        actions.do_invite(world.parent, actor=world.case_manager)


def test_task_skips_stale_nonce(world, newcomer):  # type: ignore[no-untyped-def]
    invitation = actions.do_invite(newcomer, actor=world.case_manager)
    mail.outbox.clear()
    send_invitation_email.call(invitation.pk, "an-old-nonce")
    assert mail.outbox == []
    send_invitation_email.call(invitation.pk, invitation.nonce)
    assert len(mail.outbox) == 1


def test_accept_sets_password_language_time_zone(client, world, newcomer):  # type: ignore[no-untyped-def]
    invitation = actions.do_invite(newcomer, actor=world.case_manager)
    url = accept_url(invitation)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="password1"' in html and '<select name="time_zone"' in html
    response = client.post(url, accept_data())
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.check_password(GOOD_PASSWORD)
    assert newcomer.language == "es"
    assert newcomer.time_zone == "America/Los_Angeles"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.session["_auth_user_id"] == str(newcomer.pk)
    assert AuditEvent.objects.filter(action="invitation.accepted", actor=newcomer).exists()


def test_reused_link_gets_clear_page(client, world, newcomer):  # type: ignore[no-untyped-def]
    invitation = actions.do_invite(newcomer, actor=world.case_manager)
    url = accept_url(invitation)
    client.post(url, accept_data())
    client.logout()
    response = client.get(url)
    assert response.status_code == 410
    assert "already used" in response.content.decode()
    response = client.post(url, accept_data(password1="another-passphrase-9", password2="x"))
    assert response.status_code == 410


def test_expired_link(client, world, newcomer):  # type: ignore[no-untyped-def]
    invitation = actions.do_invite(newcomer, actor=world.case_manager)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(accept_url(invitation))
    assert response.status_code == 410
    assert "has expired" in response.content.decode()


def test_revoked_link(client, world, newcomer):  # type: ignore[no-untyped-def]
    invitation = actions.do_invite(newcomer, actor=world.case_manager)
    actions.do_revoke_invitation(invitation, actor=world.case_manager)
    response = client.get(accept_url(invitation))
    assert response.status_code == 410
    assert "withdrew" in response.content.decode()
    assert AuditEvent.objects.filter(action="invitation.revoked").exists()


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "eyJpIjoxLCJuIjoieCJ9:1abcde:forged",
        signing.dumps({"i": 1, "n": "x"}, salt="some.other.salt"),
        signing.dumps({"i": 999999, "n": "x"}, salt=SALT),
        signing.dumps({"nothing": True}, salt=SALT),
        signing.dumps(["a", "list"], salt=SALT),
    ],
    # Signed values hold a timestamp; fixed ids keep collection identical across workers.
    ids=["garbage", "forged", "other-salt", "missing-invitation", "no-fields", "not-a-dict"],
)
def test_tampered_links(client, world, token):  # type: ignore[no-untyped-def]
    response = client.get(reverse("accounts:accept_invitation", kwargs={"token": token}))
    assert response.status_code == 400
    assert "does not work" in response.content.decode()


def test_resend_replaces_the_link(client, world, newcomer, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    invitation = actions.do_invite(newcomer, actor=world.case_manager)
    old_url = accept_url(invitation)
    old_expiry = invitation.expires_at
    with django_capture_on_commit_callbacks(execute=True):
        resent = actions.do_resend_invitation(invitation, actor=world.case_manager)
    assert resent.sent_count == 2
    assert resent.expires_at >= old_expiry
    assert link_in(mail.outbox[-1].body) == resent
    response = client.get(old_url)
    assert response.status_code == 410
    assert "newer" in response.content.decode()
    assert client.get(accept_url(resent)).status_code == 200
    assert AuditEvent.objects.filter(action="invitation.resent").count() == 1


def test_resend_of_expired_invitation_works_again(client, world, newcomer):  # type: ignore[no-untyped-def]
    invitation = actions.do_invite(newcomer, actor=world.case_manager)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    resent = actions.do_resend_invitation(invitation, actor=world.case_manager)
    assert resent.status == "pending"
    assert client.get(accept_url(resent)).status_code == 200


def test_cannot_resend_revoked_or_accepted(world, newcomer):  # type: ignore[no-untyped-def]
    invitation = actions.do_invite(newcomer, actor=world.case_manager)
    actions.do_revoke_invitation(invitation, actor=world.case_manager)
    with pytest.raises(ValidationError):
        actions.do_resend_invitation(invitation, actor=world.case_manager)
    again = actions.do_invite(newcomer, actor=world.case_manager)
    actions.do_accept_invitation(
        again, GOOD_PASSWORD, actor=newcomer, language="en", time_zone="UTC"
    )
    with pytest.raises(ValidationError):
        actions.do_resend_invitation(again, actor=world.case_manager)
    with pytest.raises(ValidationError):
        actions.do_revoke_invitation(again, actor=world.case_manager)


def test_accept_twice_in_actions_is_refused(world, newcomer):  # type: ignore[no-untyped-def]
    invitation = actions.do_invite(newcomer, actor=world.case_manager)
    actions.do_accept_invitation(
        invitation, GOOD_PASSWORD, actor=newcomer, language="en", time_zone="UTC"
    )
    with pytest.raises(ValidationError):
        actions.do_accept_invitation(
            invitation, "different-passphrase-1", actor=newcomer, language="en", time_zone="UTC"
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password1": "short", "password2": "short"}, "too short"),
        ({"password1": "1234567890123", "password2": "1234567890123"}, "entirely numeric"),
        ({"password2": "something-else-entirely"}, "do not match"),
        ({"time_zone": "Mars/Olympus_Mons"}, "not a time zone we know"),
        ({"language": "xx"}, "not a language SamePage speaks"),
    ],
)
def test_bad_accept_input_is_explained(client, world, newcomer, data, message):  # type: ignore[no-untyped-def]
    invitation = actions.do_invite(newcomer, actor=world.case_manager)
    response = client.post(accept_url(invitation), accept_data(**data))
    assert response.status_code == 400
    assert message in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
