"""Plan pages end to end: sharing, questions, finalize, signing, amending."""

import pytest
from django.test import Client

from samepage import factories as f
from samepage.core.models import AccessEvent
from samepage.plans.actions import lifecycle
from samepage.plans.models import Goal, PlanQuestion, PlanSignature, PlanVersion

# Date rules are tested either side of midnight (conftest.straddle_midnight).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("straddle_midnight")]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _shared(world):
    plan = f.make_plan(world.child, world.case_manager)
    version = f.fill_plan(plan)
    shared = lifecycle.do_share_draft(version, actor=world.case_manager, message="Please look")
    return plan, version, shared


def test_family_never_sees_an_unshared_edit(world):
    plan, version, shared = _shared(world)
    Goal.objects.filter(version=version).update(statement="Secret new wording")
    parent = _client(world.parent)
    body = parent.get(f"/plans/{plan.pk}/shared/{shared.number}/").content.decode()
    assert "Read grade-level text fluently" in body
    assert "Secret new wording" not in body
    assert parent.get(f"/plans/{plan.pk}/versions/{version.number}/").status_code == 404
    detail = parent.get(f"/plans/{plan.pk}/").content.decode()
    assert "Secret new wording" not in detail
    staff = _client(world.case_manager)
    assert "Secret new wording" in staff.get(f"/plans/{plan.pk}/versions/1/").content.decode()


def test_outsiders_get_404_on_every_plan_page(world):
    plan, _version, shared = _shared(world)
    client = _client(world.other_parent)
    for url in (
        f"/plans/{plan.pk}/",
        f"/plans/{plan.pk}/versions/1/",
        f"/plans/{plan.pk}/shared/{shared.number}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/plans/{plan.pk}/share/").status_code == 404


def test_parent_asks_in_spanish_and_the_case_manager_answers(world):
    plan, _version, shared = _shared(world)
    parent = _client(world.parent)
    goal_anchor = f"goal:{shared.content['goals'][0]['lineage_id']}"
    response = parent.post(
        f"/plans/{plan.pk}/shared/{shared.number}/ask/",
        {"anchor": goal_anchor, "text": "¿Cómo van a medir la lectura?"},
    )
    assert response.status_code == 303
    question = PlanQuestion.objects.get()
    assert question.anchor == goal_anchor
    staff = _client(world.case_manager)
    staff.post(f"/plans/{plan.pk}/questions/{question.pk}/reply/", {"text": "Con lecturas cortas."})
    question.refresh_from_db()
    assert question.status == "answered"
    body = parent.get(f"/plans/{plan.pk}/shared/{shared.number}/").content.decode()
    assert "Con lecturas cortas." in body


def test_question_without_text_is_a_clear_error(world):
    plan, _version, shared = _shared(world)
    response = _client(world.parent).post(
        f"/plans/{plan.pk}/shared/{shared.number}/ask/", {"anchor": "plan", "text": ""}
    )
    assert response.status_code == 400
    assert "Write your question" in response.content.decode()
    assert not PlanQuestion.objects.exists()


def test_question_on_another_plans_snapshot_is_not_found(world):
    plan, _version, _shared_draft = _shared(world)
    other_plan = f.make_plan(world.other_child)
    other_shared = lifecycle.do_share_draft(other_plan.versions.get(), actor=world.district_admin)
    response = _client(world.parent).post(
        f"/plans/{plan.pk}/shared/{other_shared.number + 5}/ask/", {"anchor": "plan", "text": "x"}
    )
    assert response.status_code == 404
    response = _client(world.parent).post(
        f"/plans/{other_plan.pk}/shared/{other_shared.number}/ask/",
        {"anchor": "plan", "text": "x"},
    )
    assert response.status_code == 404
    assert not PlanQuestion.objects.exists()


def test_provider_may_read_drafts_but_not_share_or_finalize(world):
    plan, _version, _shared_draft = _shared(world)
    provider = _client(world.provider)
    assert provider.get(f"/plans/{plan.pk}/versions/1/").status_code == 200
    assert provider.post(f"/plans/{plan.pk}/share/").status_code == 403
    assert provider.get(f"/plans/{plan.pk}/finalize/").status_code == 403


def test_finalize_and_sign_through_the_pages(world):
    plan, version, _shared_draft = _shared(world)
    staff = _client(world.case_manager)
    staff.post(f"/plans/{plan.pk}/meeting/", {"meeting_date": world.today.isoformat()})
    response = staff.post(f"/plans/{plan.pk}/finalize/")
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "final"
    parent = _client(world.parent)
    assert "Review and sign" in parent.get(f"/plans/{plan.pk}/").content.decode()
    response = parent.post(
        f"/plans/{plan.pk}/versions/1/sign/",
        {"decision": "agree", "typed_name": "Alice Lane", "consent_to_initial_services": "on"},
        HTTP_USER_AGENT="test-browser",
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "in_effect"
    signature = PlanSignature.objects.get()
    assert signature.user_agent == "test-browser"
    again = parent.post(
        f"/plans/{plan.pk}/versions/1/sign/", {"decision": "agree", "typed_name": "Alice Lane"}
    )
    assert again.status_code == 400
    assert "already signed" in again.content.decode()


def test_editing_a_final_plan_answers_403_with_the_amendment_path(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    staff = _client(world.case_manager)
    response = staff.post(
        f"/plans/{version.plan_id}/meeting/", {"meeting_date": world.today.isoformat()}
    )
    assert response.status_code == 403
    assert "amendment" in response.content.decode()


def test_signing_without_rights_is_403(world):
    plan, version, _shared_draft = _shared(world)
    lifecycle.do_record_meeting(version, actor=world.case_manager, meeting_date=world.today)
    lifecycle.check_finalize(version, actor=world.case_manager)
    no_rights = f.make_user("Nora Lane")
    f.make_guardian(world.child, no_rights, holds_educational_rights=False)
    for user in (no_rights, world.case_manager):
        response = _client(user).post(
            f"/plans/{plan.pk}/versions/1/sign/", {"decision": "agree", "typed_name": "N"}
        )
        assert response.status_code == 403
    assert not PlanSignature.objects.exists()


def test_amend_page_starts_a_new_draft_version(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    staff = _client(world.case_manager)
    bad = staff.post(f"/plans/{version.plan_id}/amend/", {"reason": ""})
    assert bad.status_code == 400
    response = staff.post(
        f"/plans/{version.plan_id}/amend/",
        {
            "reason": "More speech",
            "parts": ["services"],
            "effective_date": world.today.isoformat(),
        },
    )
    assert response.status_code == 302
    assert PlanVersion.objects.filter(plan=version.plan, status="draft", number=2).exists()


def test_viewing_plan_pages_is_recorded(world):
    plan, _version, shared = _shared(world)
    before = AccessEvent.objects.count()
    _client(world.parent).get(f"/plans/{plan.pk}/shared/{shared.number}/")
    assert AccessEvent.objects.filter(part="plans").count() == before + 1


def test_plan_list_and_detail_query_counts_are_pinned(world, django_assert_max_num_queries):
    for _ in range(5):
        student = f.make_student(world.school)
        f.add_to_team(student, world.case_manager, f.TeamRole.SPECIAL_ED_TEACHER)
        f.make_plan(student, world.case_manager)
    plan, _version, _shared_draft = _shared(world)
    staff = _client(world.case_manager)
    # One more than before pagination: the page's count.
    with django_assert_max_num_queries(10):
        response = staff.get("/plans/")
    assert response.content.decode().count("<tr>") == 7
    # The next plan's drafts cost one; the versions are read once (without their frozen
    # content) for the list, the draft, the current version and the plan's summary, which
    # took three queries of their own before (15).
    with django_assert_max_num_queries(12):
        assert staff.get(f"/plans/{plan.pk}/").status_code == 200


def test_only_the_asker_or_the_team_may_resolve_a_question(world):
    plan, _version, shared = _shared(world)
    question = lifecycle.do_ask_question(shared, actor=world.parent, anchor="plan", text="Why?")
    student = _client(world.student_user)
    assert student.post(f"/plans/{plan.pk}/questions/{question.pk}/resolve/").status_code == 403
    question.refresh_from_db()
    assert question.status == "open"
    assert (
        _client(world.parent).post(f"/plans/{plan.pk}/questions/{question.pk}/resolve/").status_code
        == 303
    )


def test_finalize_errors_link_to_the_part_to_fix_in_the_editor(world):
    plan = f.make_plan(world.child, world.case_manager)
    version = plan.versions.get()
    goal = Goal.objects.create(version=version, area="academic", statement="Read more")
    body = _client(world.case_manager).get(f"/plans/{plan.pk}/finalize/").content.decode()
    assert f"/plans/{plan.pk}/draft/#goal-{goal.lineage_id}" in body
    assert f"/plans/{plan.pk}/draft/#section-strengths" in body
    editor = _client(world.case_manager).get(f"/plans/{plan.pk}/draft/").content.decode()
    assert f'id="goal-{goal.lineage_id}"' in editor
    assert 'id="section-strengths"' in editor
