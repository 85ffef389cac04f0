"""/plans and /students/{id}/plans: a plan's life through the API, as each person sees it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samepage import factories as f
from samepage.api import messages
from samepage.api.tests.helpers import (
    API,
    bearer,
    give_consent,
    make_token,
    send_json,
    session_client,
    token_client,
)
from samepage.core.models import AccessEvent, AuditEvent
from samepage.plans.actions import lifecycle
from samepage.plans.models import (
    Goal,
    Plan,
    PlanAcknowledgement,
    PlanQuestion,
    PlanReply,
    PlanSignature,
    PlanVersion,
    SharedDraft,
)
from samepage.plans.permissions import plan_access
from samepage.teams.models import Scope

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": str(messages.NOT_FOUND)}
AMENDMENT_MESSAGE = (
    "This plan is final and cannot be changed. To change a plan in effect, start an amendment."
)
CHOOSE_A_PART = "Choose a part of the plan from the list."
# Cannot see the child at all (the advocate has no consent yet).
OUTSIDERS = ["other_parent", "restricted_parent", "outside_provider", "advocate", "outsider_admin"]
# May read the plan and its shared drafts; may not change it.
FAMILY = ["parent", "student_user"]


def plan_url(plan: Plan | int, *rest: Any) -> str:
    plan_id = plan if isinstance(plan, int) else plan.pk
    return "/".join([f"{API}/plans/{plan_id}", *map(str, rest)])


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def person(user: Any) -> dict[str, Any]:
    return {"id": user.pk, "name": user.display_name}


def plan_rows() -> dict[str, int]:
    """Rows a refused plan write must leave alone; compare before and after."""
    return {
        "plans": Plan.objects.count(),
        "versions": PlanVersion.objects.count(),
        "drafts": PlanVersion.objects.filter(status="draft").count(),
        "finals": PlanVersion.objects.exclude(status="draft").count(),
        "meetings": PlanVersion.objects.filter(meeting_date__isnull=False).count(),
        "shared": SharedDraft.objects.count(),
        "questions": PlanQuestion.objects.count(),
        "resolved": PlanQuestion.objects.filter(status="resolved").count(),
        "replies": PlanReply.objects.count(),
        "signatures": PlanSignature.objects.count(),
        "acknowledgements": PlanAcknowledgement.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def draft_plan(world: Any) -> Plan:
    """A filled draft for world.child, written by the case manager."""
    plan = f.make_plan(world.child, world.case_manager)
    f.fill_plan(plan)
    return plan


def shared_plan(world: Any) -> tuple[Plan, SharedDraft]:
    plan = draft_plan(world)
    shared = lifecycle.do_share_draft(
        plan.versions.get(), actor=world.case_manager, message="Please read before we meet"
    )
    return plan, shared


def ask(world: Any, shared: SharedDraft, who: Any = None) -> PlanQuestion:
    return lifecycle.do_ask_question(
        shared, actor=who or world.parent, anchor="plan", text="When do we meet?"
    )


def in_effect(world: Any) -> PlanVersion:
    return f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)


def signature_body(**changes: Any) -> dict[str, Any]:
    body = {
        "decision": "agree",
        "typed_name": "Alice Lane",
        "exceptions": "",
        "statement": "",
        "consent_to_initial_services": True,
    }
    body.update(changes)
    return body


# GET /plans and /students/{id}/plans ----------------------------------------------------


def test_plan_list_shows_each_persons_plans(world):
    version = in_effect(world)
    other = f.make_plan(world.other_child, world.case_manager)
    # Shared, so the other family knows of it (an unshared draft is the team's alone).
    lifecycle.do_share_draft(other.versions.get(), actor=world.case_manager)
    for who, expected in [
        ("parent", [version.plan_id]),
        ("other_parent", [other.pk]),
        ("district_admin", [other.pk, version.plan_id]),  # newest first
        ("case_manager", [version.plan_id]),
        ("gen_ed_teacher", []),  # plans only at a glance, not through the API
        ("advocate", []),
    ]:
        response = token_client(getattr(world, who)).get(f"{API}/plans")
        assert response.status_code == 200, who
        assert [p["id"] for p in response.json()["items"]] == expected, who


def test_plan_list_item(world):
    version = in_effect(world)
    page = token_client(world.parent).get(f"{API}/plans").json()
    assert page["next"] is None
    body = page["items"]
    assert body == [
        {
            "id": version.plan_id,
            "student": {"id": world.child.pk, "display_name": "Casey Lane"},
            "plan_type": "iep",
            "is_initial": True,
            "previous_plan_id": None,
            "created_at": body[0]["created_at"],
            "ended_at": None,
            "versions": [
                {
                    "number": 1,
                    "kind": "original",
                    "status": "in_effect",
                    "proposed_start": iso(version.proposed_start),
                    "proposed_end": iso(version.proposed_end),
                    "meeting_date": iso(version.meeting_date),
                    "amendment_reason": "",
                    "amendment_parts": [],
                    "amendment_effective_date": None,
                    "finalized_at": body[0]["versions"][0]["finalized_at"],
                    "effective_from": iso(version.effective_from),
                    "annual_review_due": iso(version.annual_review_due),
                    "unanswered_concerns_reason": "",
                }
            ],
        }
    ]


def test_lists_never_show_a_draft_version(world):
    version = in_effect(world)
    lifecycle.do_start_amendment(
        version.plan,
        actor=world.case_manager,
        reason="More speech time",
        parts=["services"],
        effective_date=timezone.localdate(),
    )
    for who in ["parent", "case_manager"]:
        client = token_client(getattr(world, who))
        for url in [f"{API}/plans", f"{API}/students/{world.child.pk}/plans"]:
            statuses = [v["status"] for v in client.get(url).json()["items"][0]["versions"]]
            assert statuses == ["in_effect"], (who, url)


@pytest.mark.parametrize("who", ["parent", "student_user", "case_manager", "provider"])
def test_student_plans_visible_to(world, who):
    plan, _shared = shared_plan(world)
    response = token_client(getattr(world, who)).get(f"{API}/students/{world.child.pk}/plans")
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["items"]] == [plan.pk]


def test_student_plans_not_shared_with_gen_ed_teacher(world):
    draft_plan(world)
    response = token_client(world.gen_ed_teacher).get(f"{API}/students/{world.child.pk}/plans")
    assert response.status_code == 403


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_for_student_plans(world, who):
    draft_plan(world)
    response = token_client(getattr(world, who)).get(f"{API}/students/{world.child.pk}/plans")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_advocate_with_plans_consent_sees_plans_without_drafts(world):
    version = in_effect(world)
    give_consent(world.child, by=world.parent, to=world.advocate, scopes=[Scope.PLANS])
    client = token_client(world.advocate)
    assert [p["id"] for p in client.get(f"{API}/plans").json()["items"]] == [version.plan_id]
    detail = client.get(plan_url(version.plan_id))
    assert detail.status_code == 200
    assert detail.json()["permissions"]["can_see_drafts"] is False
    assert detail.json()["permissions"]["can_sign"] is False


def test_reading_student_plans_records_one_access_event(world):
    draft_plan(world)
    before = AccessEvent.objects.count()
    token_client(world.parent).get(f"{API}/students/{world.child.pk}/plans")
    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.latest("id")
    assert (event.user, event.part, event.via) == (world.parent, "plans", "api")


def test_the_cross_student_list_is_not_a_view_of_one_record(world):
    draft_plan(world)
    before = AccessEvent.objects.count()
    token_client(world.parent).get(f"{API}/plans")
    assert AccessEvent.objects.count() == before


# POST /students/{id}/plans --------------------------------------------------------------


def test_case_manager_starts_a_plan(world):
    counts = plan_rows()
    start = timezone.localdate() + timedelta(days=7)
    response = send_json(
        token_client(world.case_manager),
        "POST",
        f"{API}/students/{world.child.pk}/plans",
        {"proposed_start": start.isoformat()},
    )
    assert response.status_code == 201
    body = response.json()
    plan = Plan.objects.get(pk=body["id"])
    assert (plan.student, plan.created_by) == (world.child, world.case_manager)
    assert plan.plan_type == "iep"
    assert [(v["number"], v["status"], v["proposed_start"]) for v in body["versions"]] == [
        (1, "draft", start.isoformat())
    ]
    assert body["permissions"]["can_edit"] is True
    after = plan_rows()
    assert (after["plans"], after["audit"]) == (counts["plans"] + 1, counts["audit"] + 1)
    assert AuditEvent.objects.latest("seq").action == "plan.created"


def test_a_second_draft_is_a_clear_400(world):
    draft_plan(world)
    counts = plan_rows()
    response = send_json(
        token_client(world.case_manager), "POST", f"{API}/students/{world.child.pk}/plans", {}
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "This student already has a plan in draft. Finish or end it first.",
        "errors": {},
    }
    assert plan_rows() == counts


def test_unknown_plan_type_is_a_clear_400(world):
    counts = plan_rows()
    response = send_json(
        token_client(world.case_manager),
        "POST",
        f"{API}/students/{world.child.pk}/plans",
        {"plan_type": "wish_list"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"plan_type": [str(messages.CHOOSE_PLAN_TYPE)]}
    assert plan_rows() == counts


@pytest.mark.parametrize("who", ["provider", "parent", "student_user", "gen_ed_teacher"])
def test_only_plan_editors_start_plans(world, who):
    counts = plan_rows()
    response = send_json(
        token_client(getattr(world, who)), "POST", f"{API}/students/{world.child.pk}/plans", {}
    )
    assert response.status_code == 403
    assert plan_rows() == counts


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_when_starting_a_plan(world, who):
    counts = plan_rows()
    response = send_json(
        token_client(getattr(world, who)), "POST", f"{API}/students/{world.child.pk}/plans", {}
    )
    assert response.status_code == 404
    assert plan_rows() == counts


# GET /plans/{id} and /plans/{id}/versions/{n} -------------------------------------------


def test_staff_see_the_draft_families_do_not(world):
    version = in_effect(world)
    lifecycle.do_start_amendment(
        version.plan,
        actor=world.case_manager,
        reason="More speech time",
        parts=["services"],
        effective_date=timezone.localdate(),
    )
    family = token_client(world.parent).get(plan_url(version.plan_id)).json()
    staff = token_client(world.provider).get(plan_url(version.plan_id)).json()
    assert [(v["number"], v["status"]) for v in family["versions"]] == [(1, "in_effect")]
    assert [(v["number"], v["status"], v["kind"]) for v in staff["versions"]] == [
        (1, "in_effect", "original"),
        (2, "draft", "amendment"),
    ]
    assert family["permissions"] == {
        "can_edit": False,
        "can_see_drafts": False,
        "can_ask": True,
        "can_answer": False,
        "can_sign": True,
        "can_acknowledge": False,
    }
    assert staff["permissions"]["can_see_drafts"] is True
    assert staff["permissions"]["can_edit"] is False


def test_draft_version_is_404_for_families_exactly_like_a_missing_one(world):
    plan = draft_plan(world)
    for who in FAMILY:
        client = token_client(getattr(world, who))
        draft = client.get(plan_url(plan, "versions", 1))
        missing = client.get(plan_url(plan, "versions", 99))
        assert draft.status_code == missing.status_code == 404
        assert draft.content == missing.content


def test_staff_read_the_live_draft(world):
    plan = draft_plan(world)
    Goal.objects.filter(version__plan=plan).update(statement="Read chapter books")
    response = token_client(world.provider).get(plan_url(plan, "versions", 1))
    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["status"]) == (1, "draft")
    assert body["content"]["goals"][0]["statement"] == "Read chapter books"


def test_family_reads_the_frozen_version_in_effect(world):
    version = in_effect(world)
    # Rows of a final version are never edited; even if they were, the frozen content wins.
    Goal.objects.filter(version=version).update(statement="Changed behind the plan's back")
    response = token_client(world.parent).get(plan_url(version.plan_id, "versions", 1))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "in_effect"
    assert body["content"]["goals"][0]["statement"] == "Read grade-level text fluently"
    assert body["content"]["student"]["name"] == "Casey Lane"


def test_gen_ed_teacher_reads_plans_only_at_a_glance(world):
    version = in_effect(world)
    client = token_client(world.gen_ed_teacher)
    for url in [
        plan_url(version.plan_id),
        plan_url(version.plan_id, "versions", 1),
        plan_url(version.plan_id, "shared"),
        plan_url(version.plan_id, "versions", 1, "signatures"),
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json() == {"detail": "This part of the record is not shared with you."}


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_for_every_plan_read(world, who):
    version = in_effect(world)
    client = token_client(getattr(world, who))
    for url in [
        plan_url(version.plan_id),
        plan_url(version.plan_id, "versions", 1),
        plan_url(version.plan_id, "shared"),
        plan_url(version.plan_id, "versions", 1, "signatures"),
        plan_url(version.plan_id, "acknowledgements"),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == NOT_FOUND


def test_missing_plan_is_404(world):
    response = token_client(world.district_admin).get(plan_url(999999))
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize(
    "path",
    [(), ("versions", 1), ("shared",), ("shared", 1), ("versions", 1, "signatures")],
)
def test_every_plan_read_records_one_access_event(world, path):
    version = in_effect(world)
    SharedDraft.objects.create(
        version=version, number=1, shared_by=world.case_manager, content=version.content or {}
    )
    before = AccessEvent.objects.count()
    response = token_client(world.parent).get(plan_url(version.plan_id, *path))
    assert response.status_code == 200
    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.latest("id")
    assert (event.user, event.student, event.part, event.via, event.role) == (
        world.parent,
        world.child,
        "plans",
        "api",
        "guardian",
    )


def test_refused_plan_reads_record_nothing(world):
    plan = draft_plan(world)
    before = AccessEvent.objects.count()
    token_client(world.parent).get(plan_url(plan, "versions", 1))
    token_client(world.gen_ed_teacher).get(plan_url(plan))
    token_client(world.other_parent).get(plan_url(plan))
    assert AccessEvent.objects.count() == before


# Shared drafts --------------------------------------------------------------------------


def test_case_manager_shares_the_draft(world):
    plan = draft_plan(world)
    counts = plan_rows()
    response = send_json(
        token_client(world.case_manager), "POST", plan_url(plan, "share"), {"message": "Hi!"}
    )
    assert response.status_code == 201
    body = response.json()
    assert {k: v for k, v in body.items() if k != "shared_at"} == {
        "number": 1,
        "version": 1,
        "shared_by": person(world.case_manager),
        "message": "Hi!",
    }
    after = plan_rows()
    assert (after["shared"], after["audit"]) == (counts["shared"] + 1, counts["audit"] + 1)
    assert AuditEvent.objects.latest("seq").action == "plan.draft_shared"


def test_share_without_a_body(world):
    plan = draft_plan(world)
    response = send_json(token_client(world.case_manager), "POST", plan_url(plan, "share"))
    assert response.status_code == 201
    assert response.json()["message"] == ""


@pytest.mark.parametrize("who", ["provider", "parent", "student_user", "gen_ed_teacher"])
def test_only_plan_editors_share(world, who):
    # Shared once, so everyone here may see the plan: the refusal is about the action.
    plan, _shared = shared_plan(world)
    counts = plan_rows()
    response = send_json(token_client(getattr(world, who)), "POST", plan_url(plan, "share"), {})
    assert response.status_code == 403
    assert plan_rows() == counts


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_when_sharing(world, who):
    plan = draft_plan(world)
    counts = plan_rows()
    response = send_json(token_client(getattr(world, who)), "POST", plan_url(plan, "share"), {})
    assert response.status_code == 404
    assert plan_rows() == counts


def test_family_never_sees_an_unshared_edit(world):
    plan = draft_plan(world)
    staff = token_client(world.case_manager)
    assert send_json(staff, "POST", plan_url(plan, "share"), {}).status_code == 201
    # The case manager keeps editing after sharing.
    Goal.objects.filter(version__plan=plan).update(statement="Secret rewrite in progress")

    for who in FAMILY:
        client = token_client(getattr(world, who))
        shared = client.get(plan_url(plan, "shared", 1))
        assert shared.status_code == 200
        assert shared.json()["content"]["goals"][0]["statement"] == (
            "Read grade-level text fluently"
        )
        assert "Secret rewrite" not in shared.content.decode()
        draft = client.get(plan_url(plan, "versions", 1))
        assert draft.status_code == 404
        assert draft.json() == NOT_FOUND
        detail = client.get(plan_url(plan))
        assert detail.json()["versions"] == []
        assert "Secret rewrite" not in client.get(f"{API}/plans").content.decode()

    # Sharing again shows the family the new text, as a new snapshot.
    send_json(staff, "POST", plan_url(plan, "share"), {})
    listed = token_client(world.parent).get(plan_url(plan, "shared")).json()
    assert [s["number"] for s in listed] == [2, 1]
    again = token_client(world.parent).get(plan_url(plan, "shared", 2)).json()
    assert again["content"]["goals"][0]["statement"] == "Secret rewrite in progress"


def test_shared_list_counts_open_questions(world):
    plan, shared = shared_plan(world)
    ask(world, shared)
    done = ask(world, shared)
    lifecycle.do_resolve_question(done, actor=world.parent)
    response = token_client(world.parent).get(plan_url(plan, "shared"))
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 1
    assert (body[0]["number"], body[0]["version"], body[0]["open_questions"]) == (1, 1, 1)
    assert body[0]["message"] == "Please read before we meet"


def test_shared_draft_shows_its_questions_with_replies(world):
    plan, shared = shared_plan(world)
    question = ask(world, shared)
    lifecycle.do_reply(question, actor=world.case_manager, text="On the 12th.", by_staff=True)
    response = token_client(world.parent).get(plan_url(plan, "shared", 1))
    assert response.status_code == 200
    body = response.json()
    assert body["content"]["version"] == 1
    [q] = body["questions"]
    assert (q["id"], q["anchor"], q["author"], q["text"], q["status"]) == (
        question.pk,
        "plan",
        person(world.parent),
        "When do we meet?",
        "answered",
    )
    assert [(r["author"], r["text"]) for r in q["replies"]] == [
        (person(world.case_manager), "On the 12th.")
    ]


def test_unknown_shared_draft_is_404(world):
    plan, _shared = shared_plan(world)
    response = token_client(world.parent).get(plan_url(plan, "shared", 2))
    assert response.status_code == 404


# Questions ------------------------------------------------------------------------------


def test_parent_asks_about_a_goal(world):
    plan, shared = shared_plan(world)
    anchor = f"goal:{shared.content['goals'][0]['lineage_id']}"
    counts = plan_rows()
    response = send_json(
        token_client(world.parent),
        "POST",
        plan_url(plan, "shared", 1, "questions"),
        {"anchor": anchor, "text": "Why 90 words a minute?"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["anchor"], body["status"], body["author"], body["replies"]) == (
        anchor,
        "open",
        person(world.parent),
        [],
    )
    after = plan_rows()
    assert (after["questions"], after["audit"]) == (counts["questions"] + 1, counts["audit"] + 1)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"anchor": "goal:nonsense", "text": "?"}, "anchor", CHOOSE_A_PART),
        ({"anchor": "", "text": "?"}, "anchor", CHOOSE_A_PART),
        ({"anchor": "plan", "text": "   "}, "text", "Write your question."),
    ],
)
def test_bad_question_is_a_clear_400_and_changes_nothing(world, body, field, message):
    plan, _shared = shared_plan(world)
    counts = plan_rows()
    response = send_json(
        token_client(world.parent), "POST", plan_url(plan, "shared", 1, "questions"), body
    )
    assert response.status_code == 400
    assert response.json() == {"detail": str(messages.INVALID_INPUT), "errors": {field: [message]}}
    assert plan_rows() == counts


def test_question_on_another_plans_snapshot_is_404(world):
    plan, _shared = shared_plan(world)
    # Alice is also Sam's parent: she may ask on Sam's snapshot, but not through this URL.
    sibling = f.make_student(world.school, legal_first_name="Sam", legal_last_name="Lane")
    f.make_guardian(sibling, world.parent)
    theirs = f.make_plan(sibling, world.district_admin)
    f.fill_plan(theirs)
    lifecycle.do_share_draft(theirs.versions.get(), actor=world.district_admin)
    lifecycle.do_share_draft(theirs.versions.get(), actor=world.district_admin)
    client = token_client(world.parent)
    counts = plan_rows()
    body = {"anchor": "plan", "text": "Is this Sam's?"}
    forged = send_json(client, "POST", plan_url(plan, "shared", 2, "questions"), body)
    missing = send_json(client, "POST", plan_url(plan, "shared", 99, "questions"), body)
    assert forged.status_code == missing.status_code == 404
    assert forged.content == missing.content
    assert plan_rows() == counts
    own = send_json(client, "POST", plan_url(theirs, "shared", 2, "questions"), body)
    assert own.status_code == 201


@pytest.mark.parametrize("who", ["parent", "student_user", "provider", "case_manager"])
def test_everyone_who_reads_the_plan_may_ask(world, who):
    plan, _shared = shared_plan(world)
    response = send_json(
        token_client(getattr(world, who)),
        "POST",
        plan_url(plan, "shared", 1, "questions"),
        {"anchor": "plan", "text": "A question"},
    )
    assert response.status_code == 201


def test_gen_ed_teacher_may_not_ask(world):
    plan, _shared = shared_plan(world)
    counts = plan_rows()
    response = send_json(
        token_client(world.gen_ed_teacher),
        "POST",
        plan_url(plan, "shared", 1, "questions"),
        {"anchor": "plan", "text": "A question"},
    )
    assert response.status_code == 403
    assert plan_rows() == counts


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_for_shared_drafts_and_questions(world, who):
    plan, shared = shared_plan(world)
    question = ask(world, shared)
    client = token_client(getattr(world, who))
    counts = plan_rows()
    for method, url, body in [
        ("GET", plan_url(plan, "shared", 1), None),
        ("POST", plan_url(plan, "shared", 1, "questions"), {"anchor": "plan", "text": "?"}),
        ("POST", plan_url(plan, "questions", question.pk, "replies"), {"text": "!"}),
        ("POST", plan_url(plan, "questions", question.pk, "resolve"), None),
    ]:
        response = send_json(client, method, url, body)
        assert response.status_code == 404, url
        assert response.json() == NOT_FOUND
    assert plan_rows() == counts


def test_staff_answer_and_family_follow_up(world):
    plan, shared = shared_plan(world)
    question = ask(world, shared)
    url = plan_url(plan, "questions", question.pk, "replies")
    answer = send_json(token_client(world.provider), "POST", url, {"text": "On the 12th."})
    assert answer.status_code == 201
    assert (answer.json()["author"], answer.json()["text"]) == (
        person(world.provider),
        "On the 12th.",
    )
    question.refresh_from_db()
    assert question.status == "answered"
    follow_up = send_json(token_client(world.parent), "POST", url, {"text": "What time?"})
    assert follow_up.status_code == 201
    question.refresh_from_db()
    assert question.status == "open"


def test_empty_reply_is_a_clear_400(world):
    plan, shared = shared_plan(world)
    question = ask(world, shared)
    counts = plan_rows()
    response = send_json(
        token_client(world.case_manager),
        "POST",
        plan_url(plan, "questions", question.pk, "replies"),
        {"text": " "},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"text": ["Write your answer."]}
    assert plan_rows() == counts


def test_resolve_then_replies_are_refused(world):
    plan, shared = shared_plan(world)
    question = ask(world, shared)
    client = token_client(world.parent)
    resolved = send_json(client, "POST", plan_url(plan, "questions", question.pk, "resolve"))
    assert resolved.status_code == 200
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["resolved_by"] == person(world.parent)
    counts = plan_rows()
    again = send_json(client, "POST", plan_url(plan, "questions", question.pk, "resolve"))
    assert again.status_code == 400
    assert again.json() == {"detail": "This question is already resolved.", "errors": {}}
    reply = send_json(
        client, "POST", plan_url(plan, "questions", question.pk, "replies"), {"text": "One more"}
    )
    assert reply.status_code == 400
    assert reply.json()["detail"] == "This question is resolved. Ask a new one instead."
    assert plan_rows() == counts


@pytest.mark.parametrize("action", ["replies", "resolve"])
def test_gen_ed_teacher_may_not_reply_or_resolve(world, action):
    plan, shared = shared_plan(world)
    question = ask(world, shared)
    counts = plan_rows()
    response = send_json(
        token_client(world.gen_ed_teacher),
        "POST",
        plan_url(plan, "questions", question.pk, action),
        {"text": "Noted"},
    )
    assert response.status_code == 403
    assert plan_rows() == counts


@pytest.mark.parametrize("action", ["replies", "resolve"])
def test_another_plans_question_is_404_like_a_missing_one(world, action):
    plan, _shared = shared_plan(world)
    sibling = f.make_student(world.school, legal_first_name="Sam", legal_last_name="Lane")
    f.make_guardian(sibling, world.parent)
    theirs = f.make_plan(sibling, world.district_admin)
    f.fill_plan(theirs)
    their_shared = lifecycle.do_share_draft(theirs.versions.get(), actor=world.district_admin)
    their_question = ask(world, their_shared)
    client = token_client(world.parent)
    counts = plan_rows()
    forged = send_json(
        client, "POST", plan_url(plan, "questions", their_question.pk, action), {"text": "x"}
    )
    missing = send_json(client, "POST", plan_url(plan, "questions", 999999, action), {"text": "x"})
    assert forged.status_code == missing.status_code == 404
    assert forged.content == missing.content
    assert plan_rows() == counts


# Meeting and finalize -------------------------------------------------------------------


def test_meeting_date_is_recorded(world):
    plan = draft_plan(world)
    today = timezone.localdate()
    response = send_json(
        token_client(world.case_manager),
        "POST",
        plan_url(plan, "meeting"),
        {"meeting_date": today.isoformat()},
    )
    assert response.status_code == 200
    assert response.json()["meeting_date"] == today.isoformat()
    assert AuditEvent.objects.latest("seq").action == "plan.meeting_recorded"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"meeting_date": None}, str(messages.ENTER_MEETING_DATE)),
        ({}, str(messages.ENTER_MEETING_DATE)),
        (
            {"meeting_date": (timezone.localdate() + timedelta(days=3)).isoformat()},
            "The meeting date cannot be in the future.",
        ),
    ],
)
def test_bad_meeting_date_is_a_clear_400(world, body, message):
    plan = draft_plan(world)
    counts = plan_rows()
    response = send_json(token_client(world.case_manager), "POST", plan_url(plan, "meeting"), body)
    assert response.status_code == 400
    assert response.json()["errors"] == {"meeting_date": [message]}
    assert plan_rows() == counts


@pytest.mark.parametrize("who", ["provider", "parent", "gen_ed_teacher"])
@pytest.mark.parametrize("action", ["meeting", "finalize", "amendments"])
def test_only_plan_editors_run_the_lifecycle(world, who, action):
    # Shared once, so everyone here may see the plan: the refusal is about the action.
    plan, _shared = shared_plan(world)
    counts = plan_rows()
    body = {
        "meeting": {"meeting_date": timezone.localdate().isoformat()},
        "finalize": {"overrides": {}},
        "amendments": {"reason": "x", "parts": ["services"], "effective_date": "2030-01-01"},
    }[action]
    response = send_json(token_client(getattr(world, who)), "POST", plan_url(plan, action), body)
    assert response.status_code == 403
    assert plan_rows() == counts


@pytest.mark.parametrize("action", ["meeting", "finalize", "amendments", "share"])
@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_for_lifecycle_writes(world, who, action):
    plan = draft_plan(world)
    counts = plan_rows()
    response = send_json(token_client(getattr(world, who)), "POST", plan_url(plan, action), {})
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert plan_rows() == counts


def test_finalize_blocked_is_409_with_findings(world):
    plan = f.make_plan(world.child, world.case_manager)  # empty: much is missing
    counts = plan_rows()
    response = send_json(token_client(world.case_manager), "POST", plan_url(plan, "finalize"))
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == str(messages.FINALIZE_BLOCKED)
    assert body["errors"][0] == {
        "code": "no_meeting",
        "message": "Record the meeting first: a plan is final only after the team has met.",
        "anchor": "plan",
    }
    codes = {e["code"] for e in body["errors"]}
    assert {"missing_section", "no_goals"} <= codes
    assert all(set(e) == {"code", "message", "anchor"} for e in body["errors"])
    assert plan_rows() == counts


@pytest.mark.parametrize("write", ["share", "meeting", "finalize"])
def test_a_final_plan_is_never_edited(world, write):
    version = in_effect(world)
    counts = plan_rows()
    # A missing meeting date too: the plan being final is the answer, not the input.
    body: dict[str, Any] = {}
    response = send_json(
        token_client(world.case_manager), "POST", plan_url(version.plan_id, write), body
    )
    assert response.status_code == 403
    assert response.json() == {"detail": AMENDMENT_MESSAGE}
    assert plan_rows() == counts


# Signatures -----------------------------------------------------------------------------


def _final(world: Any) -> PlanVersion:
    plan = draft_plan(world)
    version = plan.versions.get()
    today = timezone.localdate()
    lifecycle.do_record_meeting(version, actor=world.case_manager, meeting_date=today)
    return lifecycle.check_finalize(version, actor=world.case_manager)


def test_parent_signs_and_the_plan_is_in_effect(world):
    version = _final(world)
    client = token_client(world.parent)
    response = client.post(
        plan_url(version.plan_id, "versions", 1, "signatures"),
        signature_body(),
        content_type="application/json",
        headers={"User-Agent": "family-script/1.0"},
    )
    assert response.status_code == 201
    body = response.json()
    assert {k: v for k, v in body.items() if k not in ("id", "signed_at")} == {
        "version": 1,
        "signer": person(world.parent),
        "decision": "agree",
        "exceptions": "",
        "statement": "",
        "consent_to_initial_services": True,
        "typed_name": "Alice Lane",
    }
    signature = PlanSignature.objects.get(pk=body["id"])
    assert (signature.ip, signature.user_agent) == ("127.0.0.1", "family-script/1.0")
    version.refresh_from_db()
    assert version.status == "in_effect"
    listed = client.get(plan_url(version.plan_id, "versions", 1, "signatures"))
    assert listed.status_code == 200
    assert [s["id"] for s in listed.json()] == [body["id"]]
    assert "ip" not in listed.json()[0]


def test_signing_twice_is_a_clear_400_and_changes_nothing(world):
    version = _final(world)
    client = token_client(world.parent)
    url = plan_url(version.plan_id, "versions", 1, "signatures")
    assert send_json(client, "POST", url, signature_body()).status_code == 201
    counts = plan_rows()
    again = send_json(client, "POST", url, signature_body(decision="disagree", statement="No"))
    assert again.status_code == 400
    assert again.json() == {
        "detail": "You have already signed this plan. A signature cannot be changed.",
        "errors": {},
    }
    assert plan_rows() == counts


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"decision": "maybe"}, "decision", "Choose whether you agree."),
        ({"decision": "agree_except"}, "exceptions", "List the parts you do not agree with."),
        ({"decision": "disagree"}, "statement", "Say what you disagree with, in your own words."),
        ({"typed_name": "  "}, "typed_name", "Type your full name to sign."),
    ],
)
def test_bad_signature_is_a_clear_400(world, changes, field, message):
    version = _final(world)
    counts = plan_rows()
    response = send_json(
        token_client(world.parent),
        "POST",
        plan_url(version.plan_id, "versions", 1, "signatures"),
        signature_body(**changes),
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}
    assert plan_rows() == counts


@pytest.mark.parametrize("who", ["case_manager", "provider", "student_user", "district_admin"])
def test_signing_without_rights_is_403(world, who):
    version = _final(world)
    counts = plan_rows()
    response = send_json(
        token_client(getattr(world, who)),
        "POST",
        plan_url(version.plan_id, "versions", 1, "signatures"),
        signature_body(),
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only a parent holding educational rights, or an adult student, can sign."
    }
    assert plan_rows() == counts


def test_guardian_without_rights_may_not_sign(world):
    version = _final(world)
    grace = f.make_user("Grace Lane")
    f.make_guardian(world.child, grace, holds_educational_rights=False)
    counts = plan_rows()
    response = send_json(
        token_client(grace),
        "POST",
        plan_url(version.plan_id, "versions", 1, "signatures"),
        signature_body(typed_name="Grace Lane"),
    )
    assert response.status_code == 403
    assert plan_rows() == counts


def test_signing_a_draft_is_404_for_the_family(world):
    plan = draft_plan(world)
    counts = plan_rows()
    response = send_json(
        token_client(world.parent), "POST", plan_url(plan, "versions", 1, "signatures"), {}
    )
    assert response.status_code == 404
    assert plan_rows() == counts


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_when_signing(world, who):
    version = _final(world)
    counts = plan_rows()
    response = send_json(
        token_client(getattr(world, who)),
        "POST",
        plan_url(version.plan_id, "versions", 1, "signatures"),
        signature_body(),
    )
    assert response.status_code == 404
    assert plan_rows() == counts


# Amendments -----------------------------------------------------------------------------


def test_amendment_needs_reason_parts_and_date(world):
    version = in_effect(world)
    counts = plan_rows()
    response = send_json(
        token_client(world.case_manager),
        "POST",
        plan_url(version.plan_id, "amendments"),
        {"reason": " ", "parts": ["nonsense"]},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "reason": ["Say why the plan is amended."],
        "parts": ["Choose the parts of the plan that change."],
        "effective_date": ["Enter the date the amendment takes effect."],
    }
    assert plan_rows() == counts


def test_a_draft_cannot_be_amended(world):
    plan = draft_plan(world)
    counts = plan_rows()
    response = send_json(
        token_client(world.case_manager),
        "POST",
        plan_url(plan, "amendments"),
        {"reason": "More time", "parts": ["services"], "effective_date": "2030-01-01"},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "This plan already has a draft. Finish it first."
    assert plan_rows() == counts


# Acknowledgements -----------------------------------------------------------------------


def test_acknowledgement_list_for_staff_who_see_drafts(world):
    version = in_effect(world)
    for who in ["case_manager", "provider", "district_admin"]:
        response = token_client(getattr(world, who)).get(
            plan_url(version.plan_id, "acknowledgements")
        )
        assert response.status_code == 200, who
        assert response.json() == {
            "version": 1,
            "teachers": [{"teacher": person(world.gen_ed_teacher), "acknowledged_at": None}],
        }


@pytest.mark.parametrize("who", ["parent", "student_user", "gen_ed_teacher"])
def test_acknowledgement_list_is_for_staff(world, who):
    version = in_effect(world)
    response = token_client(getattr(world, who)).get(plan_url(version.plan_id, "acknowledgements"))
    assert response.status_code == 403


def test_gen_ed_teacher_acknowledges_the_plan_in_effect(world):
    version = in_effect(world)
    counts = plan_rows()
    response = send_json(
        token_client(world.gen_ed_teacher),
        "POST",
        plan_url(version.plan_id, "versions", 1, "acknowledgements"),
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["version"], body["teacher"]) == (1, person(world.gen_ed_teacher))
    after = plan_rows()
    assert (after["acknowledgements"], after["audit"]) == (
        counts["acknowledgements"] + 1,
        counts["audit"] + 1,
    )
    assert AuditEvent.objects.latest("seq").action == "plan.acknowledged"
    listed = token_client(world.case_manager).get(plan_url(version.plan_id, "acknowledgements"))
    assert listed.json()["teachers"] == [
        {"teacher": person(world.gen_ed_teacher), "acknowledged_at": body["acknowledged_at"]}
    ]


def test_acknowledging_twice_is_a_clear_400(world):
    version = in_effect(world)
    client = token_client(world.gen_ed_teacher)
    url = plan_url(version.plan_id, "versions", 1, "acknowledgements")
    assert send_json(client, "POST", url).status_code == 201
    counts = plan_rows()
    again = send_json(client, "POST", url)
    assert again.status_code == 400
    assert again.json() == {
        "detail": "You already acknowledged this version of the plan.",
        "errors": {},
    }
    assert plan_rows() == counts


def test_teachers_acknowledge_only_the_version_at_a_glance(world):
    version = in_effect(world)
    lifecycle.do_start_amendment(
        version.plan,
        actor=world.case_manager,
        reason="More speech time",
        parts=["services"],
        effective_date=timezone.localdate(),
    )
    client = token_client(world.gen_ed_teacher)
    counts = plan_rows()
    for number in [2, 99]:  # the amendment draft, and no version at all
        response = send_json(
            client, "POST", plan_url(version.plan_id, "versions", number, "acknowledgements")
        )
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    assert plan_rows() == counts


def test_a_draft_plan_has_nothing_to_acknowledge(world):
    plan = draft_plan(world)
    counts = plan_rows()
    response = send_json(
        token_client(world.gen_ed_teacher),
        "POST",
        plan_url(plan, "versions", 1, "acknowledgements"),
    )
    assert response.status_code == 404
    assert plan_rows() == counts
    listed = token_client(world.case_manager).get(plan_url(plan, "acknowledgements"))
    assert listed.json() == {"version": None, "teachers": []}


@pytest.mark.parametrize("who", ["case_manager", "parent", "provider"])
def test_only_gen_ed_teachers_acknowledge(world, who):
    version = in_effect(world)
    counts = plan_rows()
    response = send_json(
        token_client(getattr(world, who)),
        "POST",
        plan_url(version.plan_id, "versions", 1, "acknowledgements"),
    )
    assert response.status_code == 403
    assert response.json() == {"detail": str(messages.ONLY_TEACHERS_ACKNOWLEDGE)}
    assert plan_rows() == counts


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_when_acknowledging(world, who):
    version = in_effect(world)
    counts = plan_rows()
    response = send_json(
        token_client(getattr(world, who)),
        "POST",
        plan_url(version.plan_id, "versions", 1, "acknowledgements"),
    )
    assert response.status_code == 404
    assert plan_rows() == counts


# End to end -----------------------------------------------------------------------------


def test_a_plans_whole_life_through_the_api(world):
    staff = token_client(world.case_manager)
    family = token_client(world.parent)
    today = timezone.localdate()

    created = send_json(
        staff,
        "POST",
        f"{API}/students/{world.child.pk}/plans",
        {"proposed_start": today.isoformat()},
    )
    assert created.status_code == 201
    plan = Plan.objects.get(pk=created.json()["id"])
    # Writing the draft's sections and items is the editing pages' job; fill it directly.
    version = f.fill_plan(plan)
    Goal.objects.filter(version=version).update(schedule="")  # a warning to override

    shared = send_json(staff, "POST", plan_url(plan, "share"), {"message": "Please read"})
    assert shared.status_code == 201
    snapshot = family.get(plan_url(plan, "shared", 1)).json()
    goal_anchor = f"goal:{snapshot['content']['goals'][0]['lineage_id']}"
    asked = send_json(
        family,
        "POST",
        plan_url(plan, "shared", 1, "questions"),
        {"anchor": goal_anchor, "text": "Why 90 words a minute?"},
    )
    assert asked.status_code == 201
    question_id = asked.json()["id"]
    answered = send_json(
        staff,
        "POST",
        plan_url(plan, "questions", question_id, "replies"),
        {"text": "It is the grade norm."},
    )
    assert answered.status_code == 201
    thread = family.get(plan_url(plan, "shared", 1)).json()["questions"][0]
    assert thread["status"] == "answered"
    assert [r["text"] for r in thread["replies"]] == ["It is the grade norm."]
    assert (
        send_json(family, "POST", plan_url(plan, "questions", question_id, "resolve")).status_code
        == 200
    )

    blocked = send_json(staff, "POST", plan_url(plan, "finalize"), {})
    assert blocked.status_code == 409
    assert [e["code"] for e in blocked.json()["errors"]] == ["no_meeting"]
    assert [w["code"] for w in blocked.json()["warnings"]] == ["goal_schedule"]

    met = send_json(staff, "POST", plan_url(plan, "meeting"), {"meeting_date": today.isoformat()})
    assert met.status_code == 200
    warned = send_json(staff, "POST", plan_url(plan, "finalize"), {})
    assert warned.status_code == 409
    assert warned.json()["errors"] == []
    assert warned.json()["warnings"][0]["anchor"] == goal_anchor

    final = send_json(
        staff,
        "POST",
        plan_url(plan, "finalize"),
        {"overrides": {"goal_schedule": "Measured with every reading lesson."}},
    )
    assert final.status_code == 200
    assert (final.json()["number"], final.json()["status"]) == (1, "final")
    assert family.get(plan_url(plan, "versions", 1)).status_code == 200

    signed = send_json(
        family, "POST", plan_url(plan, "versions", 1, "signatures"), signature_body()
    )
    assert signed.status_code == 201
    detail = family.get(plan_url(plan)).json()
    [v1] = detail["versions"]
    assert v1["status"] == "in_effect"
    assert v1["effective_from"] == today.isoformat()
    assert v1["annual_review_due"]

    amended = send_json(
        staff,
        "POST",
        plan_url(plan, "amendments"),
        {"reason": "More speech time", "parts": ["services"], "effective_date": today.isoformat()},
    )
    assert amended.status_code == 201
    assert (amended.json()["number"], amended.json()["kind"], amended.json()["status"]) == (
        2,
        "amendment",
        "draft",
    )
    # The family still sees only the plan in effect; the amendment draft is the team's.
    assert [v["number"] for v in family.get(plan_url(plan)).json()["versions"]] == [1]
    assert family.get(plan_url(plan, "versions", 2)).status_code == 404
    assert token_client(world.provider).get(plan_url(plan, "versions", 2)).status_code == 200

    actions = list(
        AuditEvent.objects.filter(action__startswith="plan.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "plan.created",
        "plan.draft_shared",
        "plan.question_asked",
        "plan.question_replied",
        "plan.question_resolved",
        "plan.meeting_recorded",
        "plan.finalized",
        "plan.signed",
        "plan.in_effect",
        "plan.amendment_started",
    ]


def test_session_write_needs_the_csrf_token(world):
    plan = draft_plan(world)
    client = session_client(world.case_manager, enforce_csrf_checks=True)
    counts = plan_rows()
    refused = send_json(client, "POST", plan_url(plan, "share"), {})
    assert refused.status_code == 403
    assert refused.json() == {"detail": str(messages.CSRF_FAILED)}
    assert plan_rows() == counts


# Query counts ---------------------------------------------------------------------------


def _plans_for_many_children(world: Any, n: int) -> None:
    for _ in range(n):
        child = f.make_student(world.school)
        parent = f.make_guardian(child).user
        f.make_plan_in_effect(child, signer=parent, actor=world.district_admin)


def _count(client: Client, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


# Token lookup, last_used_at write, roles (staff profile, student account, whether a
# guardian), the caller's memberships and consent grants, then the plans and their
# versions (one query each, however many). Raise only with a reason: an N+1 shows up as a jump here.
# +1: the token owner's sign-in lockout, read from django-axes (api/auth.py).
MAX_PLAN_LIST_QUERIES = 10


def test_plan_list_query_count_is_pinned(world, django_assert_max_num_queries):
    _plans_for_many_children(world, 6)
    raw, _token = make_token(world.district_admin)
    with django_assert_max_num_queries(MAX_PLAN_LIST_QUERIES):
        response = Client().get(f"{API}/plans", headers=bearer(raw))
    assert len(response.json()["items"]) == 6


def test_plan_list_query_count_does_not_grow_with_plans(world):
    raw, _token = make_token(world.district_admin)
    client = Client(headers=bearer(raw))
    _plans_for_many_children(world, 1)
    client.get(f"{API}/plans")  # settle last_used_at, so both runs skip the write
    few_queries, few = _count(client, f"{API}/plans")
    _plans_for_many_children(world, 29)
    many_queries, many = _count(client, f"{API}/plans")
    assert (len(few["items"]), len(many["items"])) == (1, 30)
    assert many_queries == few_queries


# Token lookup, last_used_at write, the plan with its student, roles (staff profile,
# student account, whether a guardian), the caller's memberships and guardianships, the
# access event, and the versions (one query, however many).
# +1: the token owner's sign-in lockout, read from django-axes (api/auth.py).
MAX_PLAN_DETAIL_QUERIES = 11


def test_plan_detail_query_count_is_pinned(world, django_assert_max_num_queries):
    version = in_effect(world)
    for n in range(4):
        lifecycle.do_start_amendment(
            version.plan,
            actor=world.case_manager,
            reason=f"Change {n}",
            parts=["services"],
            effective_date=timezone.localdate(),
        )
        draft = PlanVersion.objects.get(plan=version.plan, status="draft")
        lifecycle.check_finalize(draft, actor=world.case_manager)
        lifecycle.do_sign(
            draft,
            actor=world.parent,
            access=plan_access(world.parent, draft.plan),
            decision="agree",
            typed_name="Alice Lane",
        )
    raw, _token = make_token(world.case_manager)
    with django_assert_max_num_queries(MAX_PLAN_DETAIL_QUERIES):
        response = Client().get(plan_url(version.plan_id), headers=bearer(raw))
    assert len(response.json()["versions"]) == 5
