from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from samepage import factories as f
from samepage.accounts import actions
from samepage.accounts.models import Invitation, User
from samepage.core.models import AuditEvent
from samepage.home.permissions import invitable_people

PEOPLE = "/accounts/people/"


@pytest.fixture
def newcomer(world) -> User:  # type: ignore[no-untyped-def]
    """Nadia: a guardian of the child (on Carol's caseload) with no password yet."""
    user = actions.do_create_user(actor=None, email="nadia@example.org", full_name="Nadia New")
    f.make_guardian(world.child, user)
    return user


@pytest.fixture
def far_parent(world) -> User:  # type: ignore[no-untyped-def]
    """Fay: guardian of the other child only, whom Carol cannot see."""
    user = actions.do_create_user(actor=None, email="fay@example.org", full_name="Fay Far")
    f.make_guardian(world.other_child, user)
    return user


def ids(people) -> set[int]:  # type: ignore[no-untyped-def]
    return {p.pk for p in people}


def test_who_may_invite_whom(world, newcomer, far_parent):  # type: ignore[no-untyped-def]
    carol = ids(invitable_people(world.case_manager))
    assert {world.parent.pk, newcomer.pk} <= carol
    assert far_parent.pk not in carol
    assert world.restricted_parent.pk not in carol  # court-restricted link
    assert world.provider.pk not in carol  # case managers do not invite staff

    admin = ids(invitable_people(world.district_admin))
    assert {newcomer.pk, far_parent.pk, world.case_manager.pk, world.provider.pk} <= admin
    assert world.outsider_admin.pk not in admin
    assert world.district_admin.pk not in admin

    leader = ids(invitable_people(world.school_leader))
    assert newcomer.pk in leader and world.case_manager.pk in leader
    assert far_parent.pk not in leader  # other child goes to the other school

    assert ids(invitable_people(world.outsider_admin)).isdisjoint(admin - {world.outsider_admin.pk})
    assert not invitable_people(world.parent).exists()
    assert not invitable_people(world.advocate).exists()


def test_anonymous_is_sent_to_login(client, db):  # type: ignore[no-untyped-def]
    response = client.get(PEOPLE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["parent", "advocate", "student_user"])
def test_non_staff_get_404(client, world, who):  # type: ignore[no-untyped-def]
    client.force_login(getattr(world, who))
    assert client.get(PEOPLE).status_code == 404


def test_case_manager_sees_families_with_status(client, world, newcomer, far_parent):  # type: ignore[no-untyped-def]
    client.force_login(world.case_manager)
    response = client.get(PEOPLE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nadia New" in html and "Not invited" in html
    assert "Alice Lane" in html and "Has an account" in html
    assert "Family of Casey Lane" in html
    assert "Fay Far" not in html
    assert "Priya Speech" not in html
    assert reverse("home:invite", args=[newcomer.pk]) in html


def test_admin_sees_district_staff(client, world, far_parent):  # type: ignore[no-untyped-def]
    client.force_login(world.district_admin)
    html = client.get(PEOPLE).content.decode()
    assert "Priya Speech" in html and "Fay Far" in html
    assert "Eve Elsewhere" not in html


def test_invite_button(client, world, newcomer, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    client.force_login(world.case_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("home:invite", args=[newcomer.pk]), follow=True)
    assert response.status_code == 200
    assert "Invitation sent to nadia@example.org" in response.content.decode()
    invitation = Invitation.objects.get(user=newcomer)
    assert invitation.invited_by == world.case_manager
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="invitation.created", actor=world.case_manager).exists()
    html = response.content.decode()
    assert reverse("home:resend_invitation", args=[invitation.pk]) in html
    assert reverse("home:revoke_invitation", args=[invitation.pk]) in html


def test_invite_someone_with_account_is_explained(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.case_manager)
    response = client.post(reverse("home:invite", args=[world.parent.pk]), follow=True)
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_get_not_allowed(client, world, newcomer):  # type: ignore[no-untyped-def]
    client.force_login(world.case_manager)
    assert client.get(reverse("home:invite", args=[newcomer.pk])).status_code == 405


def test_outsiders_cannot_invite(client, world, far_parent):  # type: ignore[no-untyped-def]
    client.force_login(world.case_manager)
    assert client.post(reverse("home:invite", args=[far_parent.pk])).status_code == 404
    assert client.post(reverse("home:invite", args=[world.provider.pk])).status_code == 404
    assert client.post(reverse("home:invite", args=[999999])).status_code == 404
    client.force_login(world.outsider_admin)
    assert client.post(reverse("home:invite", args=[far_parent.pk])).status_code == 404
    client.force_login(world.parent)
    assert client.post(reverse("home:invite", args=[far_parent.pk])).status_code == 404
    assert not Invitation.objects.exists()


def test_resend_and_revoke_buttons(client, world, newcomer):  # type: ignore[no-untyped-def]
    invitation = actions.do_invite(newcomer, actor=world.case_manager)
    client.force_login(world.case_manager)
    response = client.post(reverse("home:resend_invitation", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.sent_count == 2
    response = client.post(reverse("home:revoke_invitation", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_by == world.case_manager
    # A withdrawn invitation cannot be resent; the page says so instead of failing.
    response = client.post(reverse("home:resend_invitation", args=[invitation.pk]), follow=True)
    assert "was revoked" in response.content.decode()


def test_outsiders_cannot_resend_or_revoke(client, world, far_parent):  # type: ignore[no-untyped-def]
    invitation = actions.do_invite(far_parent, actor=world.district_admin)
    for who in (world.case_manager, world.outsider_admin, world.parent):
        client.force_login(who)
        assert (
            client.post(reverse("home:resend_invitation", args=[invitation.pk])).status_code == 404
        )
        assert (
            client.post(reverse("home:revoke_invitation", args=[invitation.pk])).status_code == 404
        )
    invitation.refresh_from_db()
    assert invitation.sent_count == 1 and invitation.revoked_at is None


def test_people_page_query_count_is_pinned(client, world, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    client.force_login(world.district_admin)
    for n in range(8):
        person = actions.do_create_user(actor=None, email=f"g{n}@example.org", full_name=f"G {n}")
        f.make_guardian(world.child if n % 2 else world.other_child, person)
        if n % 3:
            actions.do_invite(person, actor=world.district_admin)
    # One more than before pagination: the bounded count of the list (core.bounds).
    with django_assert_max_num_queries(9):
        response = client.get(PEOPLE)
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") >= 9
