"""/students/{id}/consents and /me/grants: a family's signed, scoped, expiring consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from samepage import factories as f
from samepage.accounts.models import User
from samepage.api import messages
from samepage.api.errors import REAL_DATE
from samepage.api.tests.helpers import (
    API,
    bearer,
    give_consent,
    make_token,
    row_counts,
    send_json,
    token_client,
)
from samepage.core.models import AccessEvent, AuditEvent
from samepage.teams.models import ConsentGrant, Scope

# Date rules are tested either side of midnight (conftest.straddle_midnight).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("straddle_midnight")]

NOT_FOUND = {"detail": str(messages.NOT_FOUND)}
OUTSIDERS = ["other_parent", "restricted_parent", "outside_provider", "advocate", "outsider_admin"]


def consents_url(world, *rest):
    return "/".join([f"{API}/students/{world.child.pk}/consents", *map(str, rest)])


@dataclass(frozen=True)
class Days:
    """``n`` days from the district's today, worked out when the test runs (parameters are
    made at collection, before the clock is pinned)."""

    n: int


def consent_body(world, **changes: Any) -> dict[str, Any]:
    today = world.today
    body: dict[str, Any] = {
        "grantee_email": world.advocate.email,
        "scopes": ["plans", "progress"],
        "purpose": "Help at the annual IEP meeting",
        "starts_on": today.isoformat(),
        "expires_on": (today + timedelta(days=180)).isoformat(),
        "signature_name": "Alice Lane",
        "consent_confirmed": True,
    }
    body.update(
        {
            key: (today + timedelta(days=value.n)).isoformat() if isinstance(value, Days) else value
            for key, value in changes.items()
        }
    )
    return body


# GET ------------------------------------------------------------------------------------


def test_family_reads_its_grants_with_status(world):
    grant = give_consent(world.child, by=world.parent, to=world.advocate)
    response = token_client(world.parent).get(consents_url(world))
    assert response.status_code == 200
    assert response.json()["next"] is None
    assert response.json()["items"] == [
        {
            "id": grant.pk,
            "grantee": {
                "id": world.advocate.pk,
                "name": "Ada Advocate",
                "email": world.advocate.email,
            },
            "granted_by": {"id": world.parent.pk, "name": "Alice Lane"},
            "scopes": ["plans", "progress"],
            "purpose": "Help at the annual IEP meeting",
            "starts_on": grant.starts_on.isoformat(),
            "expires_on": grant.expires_on.isoformat(),
            "signature_name": "Alice Lane",
            "signed_at": response.json()["items"][0]["signed_at"],
            "revoked_at": None,
            "status": "active",
        }
    ]


def test_status_follows_dates_and_revocation(world):
    today = world.today
    later = give_consent(world.child, by=world.parent, to=world.advocate)
    later.starts_on = today + timedelta(days=3)
    later.save(update_fields=["starts_on"])
    old = give_consent(world.child, by=world.parent, to=f.make_user("Tess Tutor"))
    old.starts_on, old.expires_on = today - timedelta(days=30), today - timedelta(days=1)
    old.save(update_fields=["starts_on", "expires_on"])
    gone = give_consent(world.child, by=world.parent, to=f.make_user("Rita Gone"))
    send_json(token_client(world.parent), "POST", consents_url(world, gone.pk, "revoke"))
    statuses = {
        g["id"]: g["status"]
        for g in token_client(world.parent).get(consents_url(world)).json()["items"]
    }
    assert statuses == {later.pk: "not_started", old.pk: "expired", gone.pk: "revoked"}


@pytest.mark.parametrize("who", ["parent", "case_manager", "provider", "school_leader"])
def test_consents_visible_to(world, who):
    assert token_client(getattr(world, who)).get(consents_url(world)).status_code == 200


@pytest.mark.parametrize("who", ["gen_ed_teacher", "student_user"])
def test_consents_are_not_shared_with(world, who):
    response = token_client(getattr(world, who)).get(consents_url(world))
    assert response.status_code == 403


def test_advocate_with_consent_may_not_read_the_consent_list(world):
    give_consent(world.child, by=world.parent, to=world.advocate, scopes=list(Scope.values))
    assert token_client(world.advocate).get(consents_url(world)).status_code == 403


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_for_consents(world, who):
    response = token_client(getattr(world, who)).get(consents_url(world))
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_reading_consents_records_one_access_event(world):
    before = AccessEvent.objects.count()
    token_client(world.case_manager).get(consents_url(world))
    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.latest("id")
    assert (event.user, event.part, event.via) == (world.case_manager, "consent", "api")


# POST: grant ----------------------------------------------------------------------------


def test_parent_grants_consent(world):
    counts = row_counts()
    client = token_client(world.parent)
    response = send_json(client, "POST", consents_url(world), consent_body(world))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "active"
    assert body["grantee"]["id"] == world.advocate.pk
    grant = ConsentGrant.objects.get(pk=body["id"])
    assert (grant.student, grant.granted_by, grant.grantee) == (
        world.child,
        world.parent,
        world.advocate,
    )
    assert grant.signature_ip == "127.0.0.1"
    assert grant.scopes == ["plans", "progress"]
    after = row_counts()
    assert (after["grants"], after["audit"]) == (counts["grants"] + 1, counts["audit"] + 1)
    assert AuditEvent.objects.latest("seq").action == "consent.granted"


def test_user_agent_is_kept_with_the_signature(world):
    client = token_client(world.parent)
    response = client.post(
        consents_url(world),
        consent_body(world),
        content_type="application/json",
        headers={"User-Agent": "family-script/1.0"},
    )
    grant = ConsentGrant.objects.get(pk=response.json()["id"])
    assert grant.signature_user_agent == "family-script/1.0"


def test_consent_for_someone_new_invites_them(world):
    counts = row_counts()
    response = send_json(
        token_client(world.parent),
        "POST",
        consents_url(world),
        consent_body(world, grantee_email="Nia.New@Example.org"),
    )
    assert response.status_code == 201
    newcomer = User.objects.get(email="nia.new@example.org")
    assert newcomer.is_advocate
    assert row_counts()["users"] == counts["users"] + 1


def test_adult_student_grants_their_own_consent(world):
    adult = f.make_student(world.school, date_of_birth=world.today - timedelta(days=365 * 20))
    person = f.make_user("Adam Adult")
    from samepage.schools.actions import do_link_student_account

    do_link_student_account(actor=None, student=adult, user=person)
    response = send_json(
        token_client(person),
        "POST",
        f"{API}/students/{adult.pk}/consents",
        consent_body(world, signature_name="Adam Adult"),
    )
    assert response.status_code == 201


def _guardian_without_rights(world):
    grace = f.make_user("Grace Lane")
    f.make_guardian(world.child, grace, holds_educational_rights=False)
    return grace


@pytest.mark.parametrize(
    "who",
    [
        "case_manager",  # staff never consent for a family
        "school_leader",
        "district_admin",
        "provider",
        "gen_ed_teacher",  # cannot even see the consent part
        "student_user",  # rights have not transferred
        "guardian_without_rights",
    ],
)
def test_only_a_rights_holder_may_grant(world, who):
    person = (
        _guardian_without_rights(world) if who == "guardian_without_rights" else getattr(world, who)
    )
    counts = row_counts()
    response = send_json(token_client(person), "POST", consents_url(world), consent_body(world))
    assert response.status_code == 403
    assert response.json()["detail"]
    assert row_counts() == counts


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_when_granting(world, who):
    counts = row_counts()
    response = send_json(
        token_client(getattr(world, who)), "POST", consents_url(world), consent_body(world)
    )
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert row_counts() == counts


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"expires_on": None},
            "expires_on",
            "Every consent needs an end date, at most one year away.",
        ),
        (
            {"expires_on": Days(400)},
            "expires_on",
            "Consent can last at most one year. Choose an earlier end date.",
        ),
        ({"expires_on": Days(-1)}, "expires_on", "The end date cannot be before the start date."),
        ({"starts_on": Days(-1)}, "starts_on", "The consent cannot start in the past."),
        ({"starts_on": None}, "starts_on", "Enter the date the consent starts."),
        (
            {"scopes": ["plans", "bank_account"]},
            "scopes",
            "Choose at least one part of the record to share.",
        ),
        ({"scopes": ["team"]}, "scopes", "Choose at least one part of the record to share."),
        ({"scopes": []}, "scopes", "Choose at least one part of the record to share."),
        (
            {"purpose": "  "},
            "purpose",
            "Say why you are sharing (for example: help at the IEP meeting).",
        ),
        ({"signature_name": ""}, "signature_name", "Type your full name to sign."),
        (
            {"consent_confirmed": False},
            "consent_confirmed",
            "Tick the box to confirm that you give this consent.",
        ),
        (
            {"grantee_email": ""},
            "grantee_email",
            "Enter the email address of the person you are sharing with.",
        ),
    ],
)
def test_bad_consent_is_a_clear_400_and_changes_nothing(world, changes, field, message):
    counts = row_counts()
    response = send_json(
        token_client(world.parent), "POST", consents_url(world), consent_body(world, **changes)
    )
    assert response.status_code == 400
    assert response.json() == {"detail": str(messages.INVALID_INPUT), "errors": {field: [message]}}
    assert row_counts() == counts


def test_consent_to_own_account_is_refused(world):
    counts = row_counts()
    response = send_json(
        token_client(world.parent),
        "POST",
        consents_url(world),
        consent_body(world, grantee_email=world.parent.email.upper()),
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "grantee_email": ["You cannot give consent to your own account."]
    }
    assert row_counts() == counts


def test_consent_to_district_staff_is_refused(world):
    response = send_json(
        token_client(world.parent),
        "POST",
        consents_url(world),
        consent_body(world, grantee_email=world.outside_provider.email),
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["grantee_email"]


def test_malformed_email_is_a_clear_400_and_creates_nobody(world):
    counts = row_counts()
    response = send_json(
        token_client(world.parent),
        "POST",
        consents_url(world),
        consent_body(world, grantee_email="not an email"),
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["grantee_email"]
    assert row_counts() == counts


def test_malformed_date_is_a_field_400(world):
    response = send_json(
        token_client(world.parent),
        "POST",
        consents_url(world),
        consent_body(world, expires_on="soon"),
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": str(messages.INVALID_INPUT),
        "errors": {"expires_on": [str(REAL_DATE)]},
    }


# POST .../revoke ------------------------------------------------------------------------


def test_revocation_takes_effect_on_the_advocates_very_next_request(world):
    response = send_json(
        token_client(world.parent), "POST", consents_url(world), consent_body(world)
    )
    grant_id = response.json()["id"]
    raw, _token = make_token(world.advocate)
    advocate = Client(headers=bearer(raw))
    student = f"{API}/students/{world.child.pk}"
    assert advocate.get(student).status_code == 200

    revoked = send_json(token_client(world.parent), "POST", consents_url(world, grant_id, "revoke"))
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    assert revoked.json()["revoked_at"]
    assert AuditEvent.objects.latest("seq").action == "consent.revoked"

    refused = advocate.get(student)
    assert refused.status_code == 404
    assert refused.json() == NOT_FOUND


def test_revoking_twice_is_a_clear_400(world):
    grant = give_consent(world.child, by=world.parent, to=world.advocate)
    client = token_client(world.parent)
    send_json(client, "POST", consents_url(world, grant.pk, "revoke"))
    counts = row_counts()
    response = send_json(client, "POST", consents_url(world, grant.pk, "revoke"))
    assert response.status_code == 400
    assert response.json() == {"detail": "This consent was already revoked.", "errors": {}}
    assert row_counts() == counts


@pytest.mark.parametrize("who", ["case_manager", "school_leader", "gen_ed_teacher", "student_user"])
def test_only_a_rights_holder_may_revoke(world, who):
    grant = give_consent(world.child, by=world.parent, to=world.advocate)
    counts = row_counts()
    response = send_json(
        token_client(getattr(world, who)), "POST", consents_url(world, grant.pk, "revoke")
    )
    assert response.status_code == 403
    assert row_counts() == counts


def test_the_grantee_may_not_revoke_through_the_api(world):
    grant = give_consent(world.child, by=world.parent, to=world.advocate, scopes=list(Scope.values))
    response = send_json(
        token_client(world.advocate), "POST", consents_url(world, grant.pk, "revoke")
    )
    assert response.status_code == 403


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_when_revoking(world, who):
    grant = give_consent(world.child, by=world.parent, to=f.make_user("Tess Tutor"))
    counts = row_counts()
    response = send_json(
        token_client(getattr(world, who)), "POST", consents_url(world, grant.pk, "revoke")
    )
    assert response.status_code == 404
    assert row_counts() == counts


def test_another_childs_grant_is_404_like_a_missing_one(world):
    # Alice holds rights for a second child: she may revoke there, but not through this URL.
    sibling = f.make_student(world.school, legal_first_name="Sam", legal_last_name="Lane")
    f.make_guardian(sibling, world.parent)
    theirs = give_consent(sibling, by=world.parent, to=world.advocate)
    client = token_client(world.parent)
    counts = row_counts()
    forged = send_json(client, "POST", consents_url(world, theirs.pk, "revoke"))
    missing = send_json(client, "POST", consents_url(world, 999999, "revoke"))
    assert forged.status_code == missing.status_code == 404
    assert forged.content == missing.content
    assert row_counts() == counts


# GET /me/grants -------------------------------------------------------------------------


def test_advocate_lists_the_families_who_shared(world):
    grant = give_consent(world.child, by=world.parent, to=world.advocate)
    other = give_consent(
        world.other_child, by=world.other_parent, to=world.advocate, scopes=[Scope.MEETINGS]
    )
    send_json(
        token_client(world.other_parent),
        "POST",
        f"{API}/students/{world.other_child.pk}/consents/{other.pk}/revoke",
    )
    response = token_client(world.advocate).get(f"{API}/me/grants")
    assert response.status_code == 200
    # Newest first: the revoked grant was signed last.
    assert response.json()["items"] == [
        # Once revoked, one line and none of the family's details.
        {
            "id": other.pk,
            "student_id": world.other_child.pk,
            "student_display_name": "Drew Moss",
            "granted_by": None,
            "scopes": [],
            "purpose": None,
            "starts_on": None,
            "expires_on": None,
            "status": "revoked",
            "note": "Your access to this record has ended.",
        },
        {
            "id": grant.pk,
            "student_id": world.child.pk,
            "student_display_name": "Casey Lane",
            "granted_by": {"id": world.parent.pk, "name": "Alice Lane"},
            "scopes": ["plans", "progress"],
            "purpose": "Help at the annual IEP meeting",
            "starts_on": grant.starts_on.isoformat(),
            "expires_on": grant.expires_on.isoformat(),
            "status": "active",
            "note": "",
        },
    ]


def test_grants_list_only_your_own(world):
    give_consent(world.child, by=world.parent, to=world.advocate)
    for who in ["parent", "case_manager", "other_parent"]:
        assert token_client(getattr(world, who)).get(f"{API}/me/grants").json() == {
            "items": [],
            "next": None,
        }


# Token, last_used_at write, and the grants with their students and grantors.
# +1: the token owner's sign-in lockout, read from django-axes (api/auth.py).
MAX_GRANTS_QUERIES = 4


def test_grants_query_count_is_pinned(world, django_assert_max_num_queries):
    for n in range(8):
        child = f.make_student(world.school)
        parent = f.make_user(f"Parent {n}")
        f.make_guardian(child, parent)
        give_consent(child, by=parent, to=world.advocate)
    raw, _token = make_token(world.advocate)
    with django_assert_max_num_queries(MAX_GRANTS_QUERIES):
        response = Client().get(f"{API}/me/grants", headers=bearer(raw))
    assert len(response.json()["items"]) == 8


def test_reading_your_grants_is_not_a_view_of_a_record(world):
    give_consent(world.child, by=world.parent, to=world.advocate)
    before = AccessEvent.objects.count()
    token_client(world.advocate).get(f"{API}/me/grants")
    assert AccessEvent.objects.count() == before


def test_validation_errors_speak_the_callers_language(world):
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    grant = give_consent(world.child, by=world.parent, to=world.advocate)
    client = token_client(world.parent)
    send_json(client, "POST", consents_url(world, grant.pk, "revoke"))
    response = send_json(client, "POST", consents_url(world, grant.pk, "revoke"))
    assert response.status_code == 400
    assert response["Content-Language"] == "es"
    with translation.override("es"):
        expected = gettext("This consent was already revoked.")
    assert response.json()["detail"] == expected
