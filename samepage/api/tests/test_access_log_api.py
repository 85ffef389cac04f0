"""/students/{id}/access-log, and the AccessEvent every API read of a record leaves."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from samepage import factories as f
from samepage.api import messages
from samepage.api.tests.helpers import API, bearer, give_consent, make_token, token_client
from samepage.core.models import AccessEvent
from samepage.teams.models import Scope

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": str(messages.NOT_FOUND)}
OUTSIDERS = ["other_parent", "restricted_parent", "outside_provider", "advocate", "outsider_admin"]


def log_url(world, query=""):
    return f"{API}/students/{world.child.pk}/access-log{query}"


def _backdate(event, days):
    AccessEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_family_sees_who_looked(world):
    token_client(world.case_manager).get(f"{API}/students/{world.child.pk}")
    response = token_client(world.parent).get(log_url(world))
    assert response.status_code == 200
    entries = response.json()["items"]
    # Newest first; this very reading is part of the record, as on the page.
    assert [(e["person"]["name"], e["role"], e["part"], e["via"]) for e in entries] == [
        ("Alice Lane", "guardian", "access_log", "api"),
        ("Carol Case", "case_manager", "summary", "api"),
    ]
    assert entries[1]["person"]["id"] == world.case_manager.pk
    assert entries[1]["purpose"] == ""


def test_when_is_iso_in_the_readers_time_zone(world):
    world.parent.time_zone = "Asia/Tokyo"
    world.parent.save(update_fields=["time_zone"])
    token_client(world.case_manager).get(f"{API}/students/{world.child.pk}")
    entry = token_client(world.parent).get(log_url(world)).json()["items"][-1]
    when = datetime.fromisoformat(entry["when"])
    assert when.utcoffset() == timedelta(hours=9)
    event = AccessEvent.objects.get(user=world.case_manager)
    # The JSON encoder keeps milliseconds.
    assert abs(when - event.created_at) < timedelta(milliseconds=1)


def test_advocate_views_carry_their_purpose(world):
    give_consent(world.child, by=world.parent, to=world.advocate, purpose="Annual IEP help")
    token_client(world.advocate).get(f"{API}/students/{world.child.pk}")
    entry = token_client(world.parent).get(log_url(world)).json()["items"][-1]
    assert (entry["person"]["name"], entry["role"], entry["purpose"]) == (
        "Ada Advocate",
        "advocate",
        "Annual IEP help",
    )


def test_filter_by_person(world):
    token_client(world.case_manager).get(f"{API}/students/{world.child.pk}")
    token_client(world.provider).get(f"{API}/students/{world.child.pk}")
    response = token_client(world.parent).get(log_url(world, f"?person={world.provider.pk}"))
    entries = response.json()["items"]
    assert [e["person"]["name"] for e in entries] == ["Priya Speech"]


def test_filter_by_dates(world):
    token_client(world.case_manager).get(f"{API}/students/{world.child.pk}")
    _backdate(AccessEvent.objects.get(user=world.case_manager), days=10)
    token_client(world.provider).get(f"{API}/students/{world.child.pk}")
    today = timezone.localdate()
    client = token_client(world.parent)
    until = (today - timedelta(days=5)).isoformat()
    old = client.get(log_url(world, f"?until={until}")).json()["items"]
    assert [e["person"]["name"] for e in old] == ["Carol Case"]
    since = (today - timedelta(days=5)).isoformat()
    recent = client.get(log_url(world, f"?since={since}")).json()["items"]
    assert "Carol Case" not in {e["person"]["name"] for e in recent}
    assert "Priya Speech" in {e["person"]["name"] for e in recent}


def test_until_before_since_is_a_clear_400(world):
    response = token_client(world.parent).get(log_url(world, "?since=2025-03-02&until=2025-03-01"))
    assert response.status_code == 400
    assert response.json() == {
        "detail": str(messages.INVALID_INPUT),
        "errors": {"until": [str(messages.UNTIL_BEFORE_SINCE)]},
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?since=yesterday", "since"),
        ("?person=Carol", "person"),
        ("?until=9999-12-31", "until"),
        ("?since=0001-01-01", "since"),
        ("?since=2026-02-30", "since"),
        (f"?person={2**70}", "person"),
    ],
)
def test_malformed_filters_are_a_clear_400(world, query, field):
    response = token_client(world.parent).get(log_url(world, query))
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == str(messages.INVALID_INPUT)
    assert list(body["errors"]) == [field]
    assert body["errors"][field][0]


@pytest.mark.parametrize("who", ["parent", "school_leader", "district_admin"])
def test_access_log_visible_to(world, who):
    assert token_client(getattr(world, who)).get(log_url(world)).status_code == 200


@pytest.mark.parametrize("who", ["case_manager", "provider", "gen_ed_teacher", "student_user"])
def test_access_log_is_not_shared_with(world, who):
    before = AccessEvent.objects.count()
    response = token_client(getattr(world, who)).get(log_url(world))
    assert response.status_code == 403
    assert AccessEvent.objects.count() == before


def test_advocate_with_full_consent_may_not_read_the_log(world):
    give_consent(world.child, by=world.parent, to=world.advocate, scopes=list(Scope.values))
    assert token_client(world.advocate).get(log_url(world)).status_code == 403


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_for_the_log(world, who):
    response = token_client(getattr(world, who)).get(log_url(world))
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# Token lookup, last_used_at write, the student, roles (staff profile, student account,
# guardianships), the caller's guardianships, their consents (every reach of the one
# access definition is read, so a parent who is also an advocate elsewhere adds up), the
# access event and the log itself (one query with its people, however long). Raise only
# with a reason.
# +1: the token owner's sign-in lockout, read from django-axes (api/auth.py).
MAX_LOG_QUERIES = 11


def test_access_log_query_count_is_pinned(world, django_assert_max_num_queries):
    for n in range(15):
        reader = f.make_staff(world.school.district, f.StaffRole.PROVIDER, name=f"Reader {n}")
        f.add_to_team(world.child, reader, f.TeamRole.PROVIDER)
        token_client(reader).get(f"{API}/students/{world.child.pk}")
    raw, _token = make_token(world.parent)
    with django_assert_max_num_queries(MAX_LOG_QUERIES):
        response = Client().get(log_url(world), headers=bearer(raw))
    assert len(response.json()["items"]) == 16


# Every GET of a part of a child's record leaves exactly one AccessEvent ----------------


@pytest.mark.parametrize(
    ("path", "part", "who"),
    [
        ("", "summary", "case_manager"),
        ("/team", "team", "provider"),
        ("/consents", "consent", "case_manager"),
        ("/access-log", "access_log", "parent"),
    ],
)
def test_each_record_read_leaves_exactly_one_event(world, path, part, who):
    user = getattr(world, who)
    client = token_client(user)
    before = AccessEvent.objects.count()
    response = client.get(f"{API}/students/{world.child.pk}{path}")
    assert response.status_code == 200
    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.latest("id")
    assert (event.user, event.student, event.part, event.via) == (user, world.child, part, "api")
    client.get(f"{API}/students/{world.child.pk}{path}")
    assert AccessEvent.objects.count() == before + 2


@pytest.mark.parametrize("path", ["/me", "/students", "/me/grants"])
def test_reads_outside_a_childs_record_leave_no_event(world, path):
    before = AccessEvent.objects.count()
    assert token_client(world.parent).get(f"{API}{path}").status_code == 200
    assert AccessEvent.objects.count() == before


def test_refused_reads_leave_no_event(world):
    before = AccessEvent.objects.count()
    token_client(world.other_parent).get(f"{API}/students/{world.child.pk}")
    token_client(world.gen_ed_teacher).get(f"{API}/students/{world.child.pk}/consents")
    token_client(world.parent).get(f"{API}/students/999999/team")
    assert AccessEvent.objects.count() == before
