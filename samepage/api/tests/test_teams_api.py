"""/students/{id}/team: read the team; add, end and reshape memberships."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.middleware.csrf import get_token
from django.test import Client
from django.utils import timezone

from samepage import factories as f
from samepage.api import messages
from samepage.api.errors import REQUIRED, WHOLE_NUMBER
from samepage.api.tests.helpers import (
    API,
    bearer,
    give_consent,
    make_token,
    row_counts,
    send_json,
    session_client,
    token_client,
)
from samepage.core.models import AccessEvent, AuditEvent
from samepage.teams.models import Capability, Scope, TeamMembership

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": str(messages.NOT_FOUND)}
OUTSIDERS = ["other_parent", "restricted_parent", "outside_provider", "advocate", "outsider_admin"]
# Can see the team but not change it.
READ_ONLY = ["provider", "gen_ed_teacher", "parent", "student_user"]


def team_url(world, *rest):
    return "/".join([f"{API}/students/{world.child.pk}/team", *map(str, rest)])


def membership(world, user):
    return TeamMembership.objects.get(student=world.child, user=user)


# GET ------------------------------------------------------------------------------------


def test_case_manager_reads_the_team(world):
    response = token_client(world.case_manager).get(team_url(world))
    assert response.status_code == 200
    body = response.json()
    assert body["past"] == []
    speech = membership(world, world.provider)
    assert {
        "id": speech.pk,
        "user_id": world.provider.pk,
        "name": "Priya Speech",
        "team_role": "provider",
        "discipline": "Speech",
        "start_date": speech.start_date.isoformat(),
        "end_date": None,
        "capabilities": [
            "view_record",
            "enter_progress",
            "log_services",
            "message_family",
            "see_staff_notes",
        ],
    } in body["current"]
    assert {m["name"] for m in body["current"]} == {"Carol Case", "Priya Speech", "Gina General"}


def test_past_members_are_listed_apart(world):
    long_ago = timezone.localdate() - timedelta(days=60)
    old = f.add_to_team(
        world.child, world.outside_provider, f.TeamRole.PROVIDER, start_date=long_ago
    )
    old.end_date = long_ago + timedelta(days=10)
    old.save(update_fields=["end_date"])
    body = token_client(world.parent).get(team_url(world)).json()
    assert [(m["id"], m["end_date"]) for m in body["past"]] == [(old.pk, old.end_date.isoformat())]
    assert old.pk not in {m["id"] for m in body["current"]}


@pytest.mark.parametrize(
    "who", ["parent", "case_manager", "provider", "gen_ed_teacher", "school_leader", "student_user"]
)
def test_team_is_visible_to(world, who):
    assert token_client(getattr(world, who)).get(team_url(world)).status_code == 200


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_for_the_team(world, who):
    response = token_client(getattr(world, who)).get(team_url(world))
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_missing_student_team_is_404(world):
    response = token_client(world.parent).get(f"{API}/students/999999/team")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_advocate_with_consent_may_not_see_the_team(world):
    # The team is not a consent scope: visible student, part not shared.
    give_consent(world.child, by=world.parent, to=world.advocate, scopes=[Scope.PLANS])
    response = token_client(world.advocate).get(team_url(world))
    assert response.status_code == 403


def test_reading_the_team_records_one_access_event(world):
    before = AccessEvent.objects.count()
    token_client(world.parent).get(team_url(world))
    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.latest("id")
    assert (event.user, event.student, event.part, event.via, event.role) == (
        world.parent,
        world.child,
        "team",
        "api",
        "guardian",
    )


def test_refused_read_records_nothing(world):
    before = AccessEvent.objects.count()
    token_client(world.other_parent).get(team_url(world))
    assert AccessEvent.objects.count() == before


# Token lookup, last_used_at write, the student, roles (staff profile, student account,
# guardianships), the caller's memberships, their guardianships, the access event and
# the team itself (one query, whatever its size).
# Raise only with a reason: an N+1 over members shows up as a jump here.
# +1: the token owner's sign-in lockout, read from django-axes (api/auth.py).
MAX_TEAM_QUERIES = 11


def test_team_query_count_is_pinned(world, django_assert_max_num_queries):
    for _ in range(10):
        f.add_to_team(
            world.child,
            f.make_staff(world.school.district, f.StaffRole.PROVIDER),
            f.TeamRole.PROVIDER,
        )
    raw, _token = make_token(world.case_manager)
    with django_assert_max_num_queries(MAX_TEAM_QUERIES):
        response = Client().get(team_url(world), headers=bearer(raw))
    assert len(response.json()["current"]) == 13


# POST: add a member ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["case_manager", "school_leader", "district_admin"])
def test_team_manager_adds_a_member(world, who):
    counts = row_counts()
    response = send_json(
        token_client(getattr(world, who)),
        "POST",
        team_url(world),
        {"user_id": world.outside_provider.pk, "team_role": "provider", "discipline": "OT"},
    )
    assert response.status_code == 201
    added = membership(world, world.outside_provider)
    assert response.json() == {
        "id": added.pk,
        "user_id": world.outside_provider.pk,
        "name": "Omar Other",
        "team_role": "provider",
        "discipline": "OT",
        "start_date": timezone.localdate().isoformat(),
        "end_date": None,
        "capabilities": added.capabilities,
    }
    assert Capability.VIEW_RECORD in added.capabilities
    assert row_counts()["memberships"] == counts["memberships"] + 1
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.actor) == ("team.member_added", getattr(world, who))
    # The new member sees the child from their very next request.
    assert (
        token_client(world.outside_provider).get(f"{API}/students/{world.child.pk}").status_code
        == 200
    )


def test_start_date_is_used(world):
    start = timezone.localdate() + timedelta(days=7)
    response = send_json(
        token_client(world.case_manager),
        "POST",
        team_url(world),
        {
            "user_id": world.outside_provider.pk,
            "team_role": "provider",
            "start_date": start.isoformat(),
        },
    )
    assert response.json()["start_date"] == start.isoformat()


@pytest.mark.parametrize("who", READ_ONLY)
def test_read_only_members_may_not_add(world, who):
    counts = row_counts()
    response = send_json(
        token_client(getattr(world, who)),
        "POST",
        team_url(world),
        {"user_id": world.outside_provider.pk, "team_role": "provider"},
    )
    assert response.status_code == 403
    assert row_counts() == counts


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_when_adding(world, who):
    counts = row_counts()
    response = send_json(
        token_client(getattr(world, who)),
        "POST",
        team_url(world),
        {"user_id": world.outside_provider.pk, "team_role": "provider"},
    )
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert row_counts() == counts


@pytest.mark.parametrize(
    "forged", ["parent", "advocate", "outsider_admin", "missing", "inactive", "none"]
)
def test_only_district_staff_can_be_added_and_the_answer_reveals_nothing(world, forged):
    inactive = f.make_staff(world.school.district, f.StaffRole.PROVIDER, name="Ivy Gone")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    ids = {
        "parent": world.parent.pk,
        "advocate": world.advocate.pk,
        "outsider_admin": world.outsider_admin.pk,  # staff, but of another district
        "missing": 999999,
        "inactive": inactive.pk,
        "none": None,
    }
    counts = row_counts()
    response = send_json(
        token_client(world.case_manager),
        "POST",
        team_url(world),
        {"user_id": ids[forged], "team_role": "provider"},
    )
    assert response.status_code == 400
    # The same words for a real person elsewhere and for an id nobody has.
    assert response.json() == {
        "detail": str(messages.INVALID_INPUT),
        "errors": {"user_id": [str(messages.CHOOSE_DISTRICT_STAFF)]},
    }
    assert row_counts() == counts


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"team_role": "wizard"}, "team_role"),
        ({"team_role": ""}, "team_role"),
        ({"team_role": "guardian"}, "team_role"),
        ({"team_role": "case_manager"}, "team_role"),  # the child already has a lead
        ({"team_role": "provider", "discipline": "x" * 61}, "discipline"),
    ],
)
def test_bad_member_is_a_clear_400_and_changes_nothing(world, body, field):
    counts = row_counts()
    response = send_json(
        token_client(world.case_manager),
        "POST",
        team_url(world),
        {"user_id": world.outside_provider.pk, **body},
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert all(response.json()["errors"][field])
    assert row_counts() == counts


def test_same_person_twice_in_one_role_is_refused_under_user_id(world):
    response = send_json(
        token_client(world.case_manager),
        "POST",
        team_url(world),
        {"user_id": world.provider.pk, "team_role": "provider"},
    )
    assert response.status_code == 400
    # The action says "user"; the API names the field the caller sent.
    assert response.json()["errors"] == {
        "user_id": ["Priya Speech is already on the team in this role."]
    }


def test_non_numeric_user_id_is_a_field_400(world):
    response = send_json(
        token_client(world.case_manager), "POST", team_url(world), {"user_id": "Omar"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": str(messages.INVALID_INPUT),
        "errors": {"user_id": [str(WHOLE_NUMBER)]},
    }


def test_session_write_needs_the_csrf_token(world):
    client = session_client(world.case_manager, enforce_csrf_checks=True)
    body = {"user_id": world.outside_provider.pk, "team_role": "provider"}
    refused = send_json(client, "POST", team_url(world), body)
    assert refused.status_code == 403
    assert refused.json() == {"detail": str(messages.CSRF_FAILED)}
    assert not TeamMembership.objects.filter(user=world.outside_provider).exists()

    # A page would have set the cookie; take it the same way and send it back.
    page = client.get(f"{API}/me")
    token = get_token(page.wsgi_request)
    client.cookies["csrftoken"] = token
    response = client.post(
        team_url(world), body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201


# POST .../end ---------------------------------------------------------------------------


def test_case_manager_ends_a_membership(world):
    speech = membership(world, world.provider)
    audit = AuditEvent.objects.count()
    response = send_json(
        token_client(world.case_manager), "POST", team_url(world, speech.pk, "end")
    )
    assert response.status_code == 200
    assert response.json()["end_date"] == timezone.localdate().isoformat()
    speech.refresh_from_db()
    assert speech.end_date == timezone.localdate()
    assert AuditEvent.objects.count() == audit + 1
    assert AuditEvent.objects.latest("seq").action == "team.member_ended"


def test_end_date_in_the_body(world):
    start = timezone.localdate() - timedelta(days=30)
    old = f.add_to_team(world.child, world.outside_provider, f.TeamRole.PROVIDER, start_date=start)
    end = start + timedelta(days=5)
    response = send_json(
        token_client(world.case_manager),
        "POST",
        team_url(world, old.pk, "end"),
        {"end_date": end.isoformat()},
    )
    assert response.status_code == 200
    old.refresh_from_db()
    assert old.end_date == end
    # Ended before today: gone from the team and from the child's record.
    assert (
        token_client(world.outside_provider).get(f"{API}/students/{world.child.pk}").status_code
        == 404
    )


def test_ending_twice_is_a_clear_400(world):
    speech = membership(world, world.provider)
    client = token_client(world.case_manager)
    send_json(client, "POST", team_url(world, speech.pk, "end"))
    counts = row_counts()
    response = send_json(client, "POST", team_url(world, speech.pk, "end"))
    assert response.status_code == 400
    assert response.json() == {"detail": "This membership has already ended.", "errors": {}}
    assert row_counts() == counts


def test_end_before_start_is_a_clear_400(world):
    speech = membership(world, world.provider)
    counts = row_counts()
    response = send_json(
        token_client(world.case_manager),
        "POST",
        team_url(world, speech.pk, "end"),
        {"end_date": (speech.start_date - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["end_date"]
    assert row_counts() == counts


@pytest.mark.parametrize("who", READ_ONLY)
def test_read_only_members_may_not_end(world, who):
    speech = membership(world, world.provider)
    counts = row_counts()
    response = send_json(
        token_client(getattr(world, who)), "POST", team_url(world, speech.pk, "end")
    )
    assert response.status_code == 403
    assert row_counts() == counts


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_when_ending(world, who):
    speech = membership(world, world.provider)
    response = send_json(
        token_client(getattr(world, who)), "POST", team_url(world, speech.pk, "end")
    )
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_another_childs_membership_is_404_like_a_missing_one(world):
    # The school leader manages both children's teams at their school.
    elsewhere = f.make_student(world.school)
    theirs = f.add_to_team(elsewhere, world.outside_provider, f.TeamRole.PROVIDER)
    client = token_client(world.school_leader)
    counts = row_counts()
    forged = send_json(client, "POST", team_url(world, theirs.pk, "end"))
    missing = send_json(client, "POST", team_url(world, 999999, "end"))
    assert forged.status_code == missing.status_code == 404
    assert forged.content == missing.content
    assert row_counts() == counts
    theirs.refresh_from_db()
    assert theirs.end_date is None


# PUT .../capabilities -------------------------------------------------------------------


def test_case_manager_widens_a_teachers_capabilities(world):
    gina = membership(world, world.gen_ed_teacher)
    teacher = token_client(world.gen_ed_teacher)
    consents = f"{API}/students/{world.child.pk}/consents"
    assert teacher.get(consents).status_code == 403
    response = send_json(
        token_client(world.case_manager),
        "PUT",
        team_url(world, gina.pk, "capabilities"),
        {"capabilities": ["view_record", "enter_progress"]},
    )
    assert response.status_code == 200
    assert response.json()["capabilities"] == ["view_record", "enter_progress"]
    gina.refresh_from_db()
    assert gina.capabilities == ["view_record", "enter_progress"]
    event = AuditEvent.objects.latest("seq")
    assert event.action == "team.capabilities_changed"
    # The wider record opens on the teacher's next request.
    assert teacher.get(consents).status_code == 200


@pytest.mark.parametrize(
    "capabilities", [["fly"], ["view_record", "delete_everything"], ["VIEW_RECORD"]]
)
def test_unknown_capability_is_a_clear_400(world, capabilities):
    gina = membership(world, world.gen_ed_teacher)
    counts = row_counts()
    response = send_json(
        token_client(world.case_manager),
        "PUT",
        team_url(world, gina.pk, "capabilities"),
        {"capabilities": capabilities},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"capabilities": ["Choose capabilities from the list."]}
    assert row_counts() == counts
    gina.refresh_from_db()
    assert gina.capabilities == ["enter_progress"]


def test_capabilities_of_an_ended_membership_cannot_change(world):
    speech = membership(world, world.provider)
    client = token_client(world.case_manager)
    send_json(client, "POST", team_url(world, speech.pk, "end"))
    counts = row_counts()
    response = send_json(
        client, "PUT", team_url(world, speech.pk, "capabilities"), {"capabilities": []}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "This membership has ended and cannot be changed."
    assert row_counts() == counts


def test_missing_capabilities_is_422(world):
    gina = membership(world, world.gen_ed_teacher)
    response = send_json(
        token_client(world.case_manager), "PUT", team_url(world, gina.pk, "capabilities"), {}
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors
    assert all(texts == [str(REQUIRED)] for texts in errors.values())


@pytest.mark.parametrize("who", READ_ONLY)
def test_read_only_members_may_not_change_capabilities(world, who):
    gina = membership(world, world.gen_ed_teacher)
    counts = row_counts()
    response = send_json(
        token_client(getattr(world, who)),
        "PUT",
        team_url(world, gina.pk, "capabilities"),
        {"capabilities": list(Capability.values)},
    )
    assert response.status_code == 403
    assert row_counts() == counts


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_when_changing_capabilities(world, who):
    gina = membership(world, world.gen_ed_teacher)
    response = send_json(
        token_client(getattr(world, who)),
        "PUT",
        team_url(world, gina.pk, "capabilities"),
        {"capabilities": ["view_record"]},
    )
    assert response.status_code == 404


def test_another_childs_membership_capabilities_are_404(world):
    theirs = f.add_to_team(world.other_child, world.outside_provider, f.TeamRole.PROVIDER)
    counts = row_counts()
    response = send_json(
        token_client(world.district_admin),  # manages both children's teams
        "PUT",
        team_url(world, theirs.pk, "capabilities"),
        {"capabilities": ["manage_team"]},
    )
    assert response.status_code == 404
    assert row_counts() == counts
