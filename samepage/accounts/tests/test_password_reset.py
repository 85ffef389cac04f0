from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from samepage import factories as f
from samepage.core.models import AuditEvent

NEW_PASSWORD = "a-brand-new-passphrase"


def test_urls():  # type: ignore[no-untyped-def]
    assert reverse("accounts:password_reset") == "/accounts/password-reset/"
    assert reverse("accounts:password_reset_done").startswith("/accounts/password-reset/")
    assert reverse("accounts:password_reset_complete").startswith("/accounts/password-reset/")


def test_reset_flow(client, world, settings, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 2
    page = client.get(reverse("accounts:password_reset"))
    assert page.status_code == 200
    assert '<label for="id_email">' in page.content.decode()
    # Lock the account out first: resetting the password lifts the lockout.
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": world.parent.email, "password": "no"})

    response = client.post(reverse("accounts:password_reset"), {"email": world.parent.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    body = str(mail.outbox[0].body)
    assert "Alice Lane" in body
    link = re.search(r"https?://testserver(/accounts/password-reset/\S+/)", body)
    assert link
    response = client.get(link.group(1))
    assert response.status_code == 302  # Django swaps the token into the session
    form_url = response["Location"]
    page = client.get(form_url)
    assert page.status_code == 200
    assert 'name="new_password1"' in page.content.decode()

    response = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    world.parent.refresh_from_db()
    assert world.parent.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="user.password_reset", actor=world.parent).exists()
    assert client.get(response["Location"]).status_code == 200

    response = client.post(
        reverse("accounts:login"), {"username": world.parent.email, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302

    # The link works once.
    client.logout()
    response = client.get(link.group(1))
    assert "does not work" in response.content.decode()


def test_unknown_email_sends_nothing_but_looks_the_same(client, db):  # type: ignore[no-untyped-def]
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_invited_without_password_gets_no_reset_mail(client, db):  # type: ignore[no-untyped-def]
    f.make_user("No Password", email="nopass@example.org", password=None)
    client.post(reverse("accounts:password_reset"), {"email": "nopass@example.org"})
    assert mail.outbox == []


def test_bad_email_is_explained(client, db):  # type: ignore[no-untyped-def]
    response = client.post(reverse("accounts:password_reset"), {"email": "not an email"})
    assert response.status_code == 200
    assert "valid email address" in response.content.decode()


def test_tampered_reset_link(client, world):  # type: ignore[no-untyped-def]
    response = client.get("/accounts/password-reset/MQ/bad-token/")
    assert response.status_code == 200
    assert "does not work" in response.content.decode()
