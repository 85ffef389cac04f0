"""The record of access (IDEA 300.614): every view writes one event; families read it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from samepage.core.models import AccessEvent
from samepage.teams.permissions import student_access

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", ["", "team/", "consent/", "access-log/"])
def test_each_view_of_the_record_writes_exactly_one_access_event(world, path):
    client = _client(world.parent)
    before = AccessEvent.objects.count()
    assert client.get(f"/students/{world.child.pk}/{path}").status_code == 200
    assert AccessEvent.objects.count() == before + 1


def test_refused_views_write_no_access_event(world):
    _client(world.other_parent).get(f"/students/{world.child.pk}/")
    _client(world.provider).get(f"/students/{world.child.pk}/access-log/")
    assert not AccessEvent.objects.exists()


def test_guardian_reads_who_viewed_what_and_when(world):
    _client(world.provider).get(f"/students/{world.child.pk}/team/")
    body = _client(world.parent).get(f"/students/{world.child.pk}/access-log/").content.decode()
    assert "Priya Speech, Related-service provider, viewed the team," in body


def test_access_log_filters_by_person_and_date(world):
    _client(world.provider).get(f"/students/{world.child.pk}/")
    _client(world.case_manager).get(f"/students/{world.child.pk}/")
    old = AccessEvent.objects.filter(user=world.case_manager).get()
    AccessEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    client = _client(world.parent)
    url = f"/students/{world.child.pk}/access-log/"
    by_person = client.get(url, {"person": world.provider.pk}).context["events"]
    assert {e.user_id for e in by_person} == {world.provider.pk}
    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    recent = client.get(url, {"since": since}).context["events"]
    assert world.case_manager.pk not in {e.user_id for e in recent}


def test_bad_filter_dates_get_a_clear_message(world):
    response = _client(world.parent).get(
        f"/students/{world.child.pk}/access-log/", {"since": "2026-05-02", "until": "2026-05-01"}
    )
    assert response.status_code == 400
    assert "cannot be before" in response.content.decode()


def test_outside_party_views_carry_the_grant_purpose(world):
    from samepage.teams import actions

    actions.check_grant_consent(
        actor=world.parent,
        student=world.child,
        access=student_access(world.parent, world.child),
        grantee_email=world.advocate.email,
        scopes=["profile"],
        purpose="Meeting prep",
        starts_on=timezone.localdate(),
        expires_on=timezone.localdate(),
        signature_name="Alice Lane",
        consent_confirmed=True,
    )
    _client(world.advocate).get(f"/students/{world.child.pk}/")
    event = AccessEvent.objects.get(user=world.advocate)
    assert (event.purpose, event.role, event.via) == ("Meeting prep", "advocate", "page")


def test_access_log_page_query_count_is_pinned(world, django_assert_max_num_queries):
    for user in (world.provider, world.case_manager, world.gen_ed_teacher):
        for _ in range(5):
            _client(user).get(f"/students/{world.child.pk}/")
    client = _client(world.parent)
    # Fixed however long the log: the parent's reaches (guardianships, consents), the
    # page's own reads, the events with their people in one query, and the record nav's
    # unread-messages badge (teams/tabs.py).
    with django_assert_max_num_queries(12):
        response = client.get(f"/students/{world.child.pk}/access-log/")
    assert len(response.context["events"]) == 16


def test_team_page_query_count_is_pinned(world, django_assert_max_num_queries):
    from samepage import factories as f

    for n in range(6):
        person = f.make_staff(world.child.district, f.StaffRole.PROVIDER, name=f"Extra {n}")
        f.add_to_team(world.child, person, f.TeamRole.PROVIDER)
    client = _client(world.case_manager)
    # 13, and one for the record nav's unread-messages badge.
    with django_assert_max_num_queries(14):
        response = client.get(f"/students/{world.child.pk}/team/")
    assert response.status_code == 200
