"""Team membership: roles apart from capabilities, defaults, changes with history."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from samepage import factories as f
from samepage.core.models import AuditEvent
from samepage.teams import actions
from samepage.teams.models import DEFAULT_CAPABILITIES, Capability, TeamMembership
from samepage.teams.permissions import Part, student_access, visible_students

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _fresh(user):
    # Roles are cached per user object (per request); tests ask again as a new request.
    return type(user).objects.get(pk=user.pk)


def test_new_members_get_their_roles_default_capabilities(world):
    membership = TeamMembership.objects.get(student=world.child, user=world.provider)
    assert membership.capabilities == DEFAULT_CAPABILITIES["provider"]
    assert Capability.MANAGE_TEAM not in membership.capabilities


def test_general_education_teacher_sees_only_what_the_role_needs(world):
    access = student_access(world.gen_ed_teacher, world.child)
    assert access is not None
    assert access.can_view(Part.PROFILE)
    assert not access.can_view(Part.PROGRESS)
    assert not access.can_view(Part.RECORDS)
    assert not access.can_see_staff_notes


def test_case_manager_can_widen_a_general_education_teacher(world):
    membership = TeamMembership.objects.get(student=world.child, user=world.gen_ed_teacher)
    actions.do_change_capabilities(
        membership,
        actor=world.case_manager,
        capabilities=[*membership.capabilities, Capability.VIEW_RECORD],
    )
    access = student_access(_fresh(world.gen_ed_teacher), world.child)
    assert access is not None
    assert access.can_view(Part.PROGRESS)
    event = AuditEvent.objects.filter(action="team.capabilities_changed").get()
    assert event.changes["capabilities"][1] == ["view_record", "enter_progress"]


def test_unknown_capability_is_refused_and_nothing_changes(world):
    membership = TeamMembership.objects.get(student=world.child, user=world.provider)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        actions.do_change_capabilities(
            membership, actor=world.case_manager, capabilities=["launch_rockets"]
        )
    membership.refresh_from_db()
    assert membership.capabilities == DEFAULT_CAPABILITIES["provider"]
    assert AuditEvent.objects.count() == before


def test_ending_a_membership_removes_access_but_keeps_history(world):
    membership = TeamMembership.objects.get(student=world.child, user=world.provider)
    yesterday = timezone.localdate() - timedelta(days=1)
    membership.start_date = yesterday - timedelta(days=30)
    membership.save(update_fields=["start_date"])
    actions.do_end_team_membership(membership, actor=world.case_manager, end_date=yesterday)
    assert not visible_students(_fresh(world.provider)).filter(pk=world.child.pk).exists()
    assert TeamMembership.objects.filter(pk=membership.pk).exists()
    with pytest.raises(ValidationError, match="already ended"):
        actions.do_end_team_membership(membership, actor=world.case_manager)


def test_only_district_staff_can_hold_staff_team_roles(world):
    with pytest.raises(ValidationError) as error:
        actions.check_add_team_member(
            actor=world.case_manager,
            student=world.child,
            user=world.advocate,
            team_role=TeamMembership.TeamRole.PROVIDER,
        )
    assert "user" in error.value.message_dict


def test_one_open_lead_case_manager(world):
    other = f.make_staff(world.child.district, f.StaffRole.CASE_MANAGER, name="Second Case")
    with pytest.raises(ValidationError, match="lead case manager"):
        actions.check_add_team_member(
            actor=world.district_admin,
            student=world.child,
            user=other,
            team_role=TeamMembership.TeamRole.CASE_MANAGER,
        )


def test_team_page_lists_members_for_everyone_who_may_see_the_team(world):
    for user in (world.parent, world.case_manager, world.gen_ed_teacher):
        body = _client(user).get(f"/students/{world.child.pk}/team/").content.decode()
        assert "Priya Speech" in body


def test_team_page_management_controls_only_for_managers(world):
    manager = _client(world.case_manager).get(f"/students/{world.child.pk}/team/")
    provider = _client(world.provider).get(f"/students/{world.child.pk}/team/")
    assert "Add a team member" in manager.content.decode()
    assert "Add a team member" not in provider.content.decode()
    assert "History of changes" in manager.content.decode()


def test_case_manager_adds_a_member_through_the_page(world):
    response = _client(world.case_manager).post(
        f"/students/{world.child.pk}/team/add/",
        {"user": world.outside_provider.pk, "team_role": "provider", "discipline": "OT"},
    )
    assert response.status_code == 302
    assert TeamMembership.objects.filter(student=world.child, user=world.outside_provider).exists()
    assert visible_students(_fresh(world.outside_provider)).filter(pk=world.child.pk).exists()


def test_adding_a_person_from_another_district_is_a_form_error(world):
    before = TeamMembership.objects.count()
    response = _client(world.case_manager).post(
        f"/students/{world.child.pk}/team/add/",
        {"user": world.outsider_admin.pk, "team_role": "provider"},
    )
    assert response.status_code == 400
    assert "Choose a person from the list" in response.content.decode()
    assert TeamMembership.objects.count() == before


def test_provider_cannot_change_the_team(world):
    membership = TeamMembership.objects.get(student=world.child, user=world.gen_ed_teacher)
    client = _client(world.provider)
    assert client.post(f"/students/{world.child.pk}/team/{membership.pk}/end/").status_code == 403
    response = client.post(
        f"/students/{world.child.pk}/team/{membership.pk}/capabilities/",
        {f"m{membership.pk}-capabilities": ["view_record"]},
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.end_date is None


def test_membership_of_another_student_is_not_found(world):
    other = f.add_to_team(world.other_child, world.outside_provider, f.TeamRole.PROVIDER)
    response = _client(world.case_manager).post(f"/students/{world.child.pk}/team/{other.pk}/end/")
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.end_date is None


def test_case_manager_changes_capabilities_through_the_page(world):
    membership = TeamMembership.objects.get(student=world.child, user=world.gen_ed_teacher)
    response = _client(world.case_manager).post(
        f"/students/{world.child.pk}/team/{membership.pk}/capabilities/",
        {f"m{membership.pk}-capabilities": ["view_record", "message_family"]},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.capabilities == ["view_record", "message_family"]


def test_ending_a_membership_today_removes_access_at_once(world):
    membership = TeamMembership.objects.get(student=world.child, user=world.provider)
    actions.do_end_team_membership(membership, actor=world.case_manager)
    assert student_access(_fresh(world.provider), world.child) is None
    assert _client(world.provider).get(f"/students/{world.child.pk}/").status_code == 404


def test_the_same_person_cannot_hold_the_same_open_role_twice(world):
    with pytest.raises(ValidationError, match="already on the team"):
        actions.check_add_team_member(
            actor=world.case_manager,
            student=world.child,
            user=world.provider,
            team_role=TeamMembership.TeamRole.PROVIDER,
        )
    # Even past the check, the database refuses it and the action says so clearly.
    with pytest.raises(ValidationError, match="team changed"):
        actions.do_add_team_member(
            actor=world.case_manager,
            student=world.child,
            user=world.provider,
            team_role=TeamMembership.TeamRole.PROVIDER,
        )


def test_leaving_the_team_yourself_lands_on_your_home_not_a_page_you_lost(world):
    own = TeamMembership.objects.get(student=world.child, user=world.case_manager)
    client = _client(world.case_manager)
    response = client.post(f"/students/{world.child.pk}/team/{own.pk}/end/", follow=True)
    assert response.redirect_chain[-1] == ("/home/", 302)
    assert response.status_code == 200
    assert "You left Casey Lane&#x27;s team" in response.content.decode()
    # Ending someone else's membership still returns to the team page.
    speech = TeamMembership.objects.get(student=world.child, user=world.provider)
    admin = _client(world.district_admin)
    answer = admin.post(f"/students/{world.child.pk}/team/{speech.pk}/end/")
    assert answer["Location"] == f"/students/{world.child.pk}/team/"
