"""The plan at a glance, teachers' "I have read this", and who has not read it yet."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from samepage import factories as f
from samepage.core.models import AccessEvent, AuditEvent
from samepage.plans.actions import lifecycle
from samepage.plans.actions.acknowledgements import do_acknowledge
from samepage.plans.content import build_content
from samepage.plans.models import Accommodation, PlanAcknowledgement, PlanVersion
from samepage.teams import actions as team_actions
from samepage.teams.permissions import student_access

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _in_effect(world) -> PlanVersion:
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    Accommodation.objects.create(
        version=version, description="Preferential seating", applies_to="classroom"
    )
    # The frozen content is what the glance reads; add the seat there too.
    version.content = build_content(version)
    version.save(update_fields=["content"])
    return version


def _amend_into_effect(world, version: PlanVersion) -> PlanVersion:
    amendment = f.amend_into_effect(version, actor=world.case_manager, signer=world.parent)
    assert amendment.status == "in_effect"
    return amendment


def _grant_advocate(world) -> None:
    today = timezone.localdate()
    team_actions.check_grant_consent(
        actor=world.parent,
        student=world.child,
        access=student_access(world.parent, world.child),
        grantee_email=world.advocate.email,
        scopes=["plans"],
        purpose="Help at the annual meeting",
        starts_on=today,
        expires_on=today + timedelta(days=90),
        signature_name="Alice Lane",
        consent_confirmed=True,
    )


def test_gen_ed_teacher_sees_accommodations_grouped_by_where_they_apply(world):
    version = _in_effect(world)
    response = _client(world.gen_ed_teacher).get(f"/plans/{version.plan_id}/glance/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Extra time on tests" in html
    assert "Preferential seating" in html
    assert html.index("In class<") < html.index("Preferential seating")
    assert html.index("In class and on tests") < html.index("Extra time on tests")
    assert "Read grade-level text fluently" in html
    assert "Reading instruction" in html
    assert "Curious, kind, loves building things." in html
    assert "I have read this plan at a glance" in html
    assert AccessEvent.objects.filter(user=world.gen_ed_teacher, part="glance").exists()


def test_family_sees_the_glance_without_the_acknowledge_form(world):
    version = _in_effect(world)
    html = _client(world.parent).get(f"/plans/{version.plan_id}/glance/").content.decode()
    assert "Extra time on tests" in html
    assert "I have read this plan at a glance" not in html


def test_glance_of_a_plan_nothing_of_which_was_shared_is_missing_to_a_teacher(world):
    # A teacher who sees no drafts may not know of a plan still being written.
    plan = f.make_plan(world.child, world.case_manager)
    response = _client(world.gen_ed_teacher).get(f"/plans/{plan.pk}/glance/")
    assert response.status_code == 404
    assert "No plan in effect yet" not in response.content.decode()
    assert _client(world.gen_ed_teacher).get(f"/plans/{plan.pk}/glance/pdf/").status_code == 404


def test_glance_of_an_ended_plan_says_it_has_ended_not_still_being_written(world):
    version = _in_effect(world)
    lifecycle.do_end_plan(version.plan, actor=world.case_manager, reason="Moved away")
    teacher = _client(world.gen_ed_teacher).get(f"/plans/{version.plan_id}/glance/")
    assert teacher.status_code == 404
    html = teacher.content.decode()
    assert "This plan has ended" in html
    assert "still being written" not in html
    # The teacher may not open the plan itself, so he is not offered a link to it.
    assert f'href="/plans/{version.plan_id}/"' not in html
    parent = _client(world.parent).get(f"/plans/{version.plan_id}/glance/").content.decode()
    assert f'href="/plans/{version.plan_id}/"' in parent


def test_glance_shows_the_newest_final_when_none_is_in_effect(world):
    plan = f.make_plan(world.child, world.case_manager)
    version = f.fill_plan(plan)
    lifecycle.do_record_meeting(
        version, actor=world.case_manager, meeting_date=timezone.localdate()
    )
    lifecycle.check_finalize(version, actor=world.case_manager)
    response = _client(world.gen_ed_teacher).get(f"/plans/{plan.pk}/glance/")
    assert response.status_code == 200
    assert "Final, waiting for signature" in response.content.decode()


def test_acknowledge_once_per_version(world):
    version = _in_effect(world)
    teacher = _client(world.gen_ed_teacher)
    url = f"/plans/{version.plan_id}/glance/acknowledge/"
    response = teacher.post(url, {"version": "1"})
    assert response.status_code == 303
    assert response["Location"] == f"/plans/{version.plan_id}/glance/"
    assert (
        PlanAcknowledgement.objects.filter(version=version, user=world.gen_ed_teacher).count() == 1
    )
    assert AuditEvent.objects.filter(action="plan.acknowledged").count() == 1
    html = teacher.get(f"/plans/{version.plan_id}/glance/").content.decode()
    assert "You confirmed you read this version" in html
    assert "I have read this plan at a glance" not in html

    again = teacher.post(url, {"version": "1"})
    assert again.status_code == 400
    assert "already acknowledged" in again.content.decode()
    assert PlanAcknowledgement.objects.count() == 1
    with pytest.raises(ValidationError, match="already acknowledged"):
        do_acknowledge(version, actor=world.gen_ed_teacher)
    assert AuditEvent.objects.filter(action="plan.acknowledged").count() == 1


def test_a_new_version_in_effect_asks_again(world):
    version = _in_effect(world)
    do_acknowledge(version, actor=world.gen_ed_teacher)
    amendment = _amend_into_effect(world, version)
    teacher = _client(world.gen_ed_teacher)
    html = teacher.get(f"/plans/{version.plan_id}/glance/").content.decode()
    assert "Tests read aloud" in html
    assert "I have read this plan at a glance" in html
    # A form opened on the old version does not count for the new one.
    stale = teacher.post(f"/plans/{version.plan_id}/glance/acknowledge/", {"version": "1"})
    assert stale.status_code == 303
    assert not PlanAcknowledgement.objects.filter(version=amendment).exists()
    fresh = teacher.post(f"/plans/{version.plan_id}/glance/acknowledge/", {"version": "2"})
    assert fresh.status_code == 303
    assert PlanAcknowledgement.objects.filter(version=amendment).count() == 1


def test_a_draft_cannot_be_acknowledged(world):
    plan = f.make_plan(world.child, world.case_manager)
    draft = plan.versions.get()
    with pytest.raises(ValidationError):
        do_acknowledge(draft, actor=world.gen_ed_teacher)


def test_case_manager_sees_who_has_not_acknowledged(world):
    version = _in_effect(world)
    second = f.make_staff(
        world.child.district,
        f.StaffRole.GENERAL_ED_TEACHER,
        schools=[world.school],
        name="Hal Music",
    )
    f.add_to_team(world.child, second, f.TeamRole.GENERAL_ED_TEACHER)
    do_acknowledge(version, actor=world.gen_ed_teacher)
    response = _client(world.case_manager).get(f"/plans/{version.plan_id}/acknowledgements/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gina General" in html and "Hal Music" in html
    gina = html[html.index("Gina General") :]
    assert gina.index("Yes, on") < gina.index("</tr>")
    hal = html[html.index("Hal Music") :]
    assert hal.index("Not yet") < hal.index("</tr>")
    assert "1 teacher has not confirmed yet." in html


def test_who_may_acknowledge(world):
    version = _in_effect(world)
    url = f"/plans/{version.plan_id}/glance/acknowledge/"
    data = {"version": "1"}
    assert _client(world.other_parent).post(url, data).status_code == 404
    assert _client(world.advocate).post(url, data).status_code == 404  # no consent
    assert _client(world.parent).post(url, data).status_code == 403
    assert _client(world.provider).post(url, data).status_code == 403
    assert _client(world.case_manager).post(url, data).status_code == 403
    _grant_advocate(world)
    assert _client(world.advocate).post(url, data).status_code == 403
    assert not PlanAcknowledgement.objects.exists()
    with pytest.raises(PermissionDenied):
        do_acknowledge(version, actor=world.provider)


def test_who_may_see_the_glance_and_the_acknowledgements(world):
    version = _in_effect(world)
    glance = f"/plans/{version.plan_id}/glance/"
    acks = f"/plans/{version.plan_id}/acknowledgements/"
    assert _client(world.other_parent).get(glance).status_code == 404
    assert _client(world.other_parent).get(acks).status_code == 404
    assert _client(world.provider).get(glance).status_code == 200
    assert _client(world.gen_ed_teacher).get(acks).status_code == 403
    assert _client(world.parent).get(acks).status_code == 403
    assert _client(world.school_leader).get(acks).status_code == 200
    _grant_advocate(world)
    assert _client(world.advocate).get(glance).status_code == 200


def test_glance_page_query_count_is_pinned(world, django_assert_max_num_queries):
    version = _in_effect(world)
    for n in range(5):
        Accommodation.objects.create(version=version, description=f"Extra {n}")
    version.content = build_content(version)
    version.save(update_fields=["content"])
    teacher = _client(world.gen_ed_teacher)
    # session, user, plan, student access (5), whether anything of the plan was shared
    # (the teacher sees no drafts), version, acknowledgement, access event,
    # and the profile's triggers, calming and learning entries (guardians' relationships
    # for the attribution, then the entries with their disputes in one query)
    with django_assert_max_num_queries(14):
        response = teacher.get(f"/plans/{version.plan_id}/glance/")
    assert response.status_code == 200


def test_acknowledgements_page_query_count_is_pinned(world, django_assert_max_num_queries):
    version = _in_effect(world)
    for n in range(5):
        teacher = f.make_staff(
            world.child.district,
            f.StaffRole.GENERAL_ED_TEACHER,
            schools=[world.school],
            name=f"Teacher {n}",
        )
        f.add_to_team(world.child, teacher, f.TeamRole.GENERAL_ED_TEACHER)
        if n % 2:
            do_acknowledge(version, actor=teacher)
    client = _client(world.case_manager)
    # session, user, plan, student access (5), version, acknowledgements, teachers, event
    with django_assert_max_num_queries(12):
        response = client.get(f"/plans/{version.plan_id}/acknowledgements/")
    assert response.status_code == 200
    assert response.content.decode().count("Not yet") == 4
