"""A grantee reads a grant's details only while it gives access: once revoked or expired,
and before it starts, one line says so (page, home and API)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from samepage.teams import actions
from samepage.teams.permissions import student_access

PURPOSE = "Family's own words G1"


def _grant(world, *, start: int, days: int, revoke: bool = False):
    starts_on = world.today + timedelta(days=start)
    grant = actions.check_grant_consent(
        actor=world.parent,
        student=world.child,
        access=student_access(world.parent, world.child),
        grantee_email=world.advocate.email,
        scopes=["plans", "profile"],
        purpose=PURPOSE,
        starts_on=starts_on,
        expires_on=starts_on + timedelta(days=days),
        signature_name="Alice Lane",
        consent_confirmed=True,
        today=min(starts_on, world.today),
    )
    if revoke:
        actions.do_revoke_consent(grant, actor=world.parent)
    return grant


def _read(world) -> dict[str, str]:
    client = Client()
    client.force_login(world.advocate)
    found = {}
    for url in ("/students/shared-with-me/", "/home/", "/api/v1/me/grants"):
        response = client.get(url)
        assert response.status_code == 200
        found[url] = response.content.decode()
    return found


@pytest.mark.parametrize(
    ("start", "days", "revoke", "line"),
    [
        (-5, 60, True, "Your access to this record has ended."),
        (-100, 30, False, "Your access to this record has ended."),
        (10, 30, False, "Access to this record has not started yet."),
    ],
    ids=["revoked", "expired", "not started"],
)
def test_a_former_or_future_grantee_reads_one_line(world, start, days, revoke, line):
    _grant(world, start=start, days=days, revoke=revoke)
    for url, body in _read(world).items():
        assert PURPOSE not in body, url
        assert "Alice Lane" not in body, url
        assert line in body, url


def test_an_active_grantee_reads_the_details(world):
    _grant(world, start=0, days=30)
    bodies = _read(world)
    assert PURPOSE in bodies["/api/v1/me/grants"]
    for url, body in bodies.items():
        assert "Alice Lane" in body, url
