"""A concern linked to an item only in the unshared draft tells the family no more than
"answered in the next draft"; once the draft is shared, the shared wording (never words
changed since)."""

from __future__ import annotations

from django.test import Client

from samepage.concerns.tests.helpers import add, draft_with_goal, link
from samepage.plans.actions import editing, lifecycle
from samepage.plans.models import Goal

API = "/api/v1"
NEXT_DRAFT = "Answered in the next draft (not shared yet)"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _bodies(world, user) -> str:
    client = _client(user)
    student = world.child.pk
    concern_pages = [f"/students/{student}/concerns/", f"/students/{student}/concerns/trace/"]
    api = [f"{API}/students/{student}/concerns", f"{API}/students/{student}/concerns/trace"]
    texts = []
    for url in concern_pages + api:
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(response.content.decode())
    return "\n".join(texts)


def _reword(goal: Goal, actor, statement: str) -> None:
    goal.refresh_from_db()
    editing.do_update_goal(goal, actor=actor, expected_revision=goal.revision, statement=statement)


def test_the_family_reads_next_draft_until_the_draft_is_shared(world):
    version = draft_with_goal(world)
    goal = Goal.objects.get(version=version)
    _reword(goal, world.case_manager, "Secret wording Q1")
    concern = add(world)
    link(world, concern, version)
    parent_sees = _bodies(world, world.parent)
    assert "Secret wording Q1" not in parent_sees
    assert NEXT_DRAFT in parent_sees
    # The case manager, who may see the draft, reads its words.
    assert "Secret wording Q1" in _bodies(world, world.case_manager)
    detail = _client(world.parent).get(f"/students/{world.child.pk}/concerns/{concern.pk}/")
    assert "Secret wording Q1" not in detail.content.decode()
    assert NEXT_DRAFT in detail.content.decode()

    lifecycle.do_share_draft(version, actor=world.case_manager)
    _reword(goal, world.case_manager, "Later wording Q2")
    parent_sees = _bodies(world, world.parent)
    assert "Goal: Secret wording Q1" in parent_sees
    assert "Later wording Q2" not in parent_sees
    assert NEXT_DRAFT not in parent_sees


def test_a_shared_copy_carries_the_items_own_words_not_those_at_linking(world):
    version = draft_with_goal(world)
    goal = Goal.objects.get(version=version)
    _reword(goal, world.case_manager, "Never shared Q3")
    concern = add(world)
    link(world, concern, version)
    _reword(goal, world.case_manager, "Shared wording Q4")
    shared = lifecycle.do_share_draft(version, actor=world.case_manager)
    landed = shared.content["concerns"][0]["landed"][0]
    assert landed["target_label"] == "Shared wording Q4"
    page = _client(world.parent).get(f"/plans/{version.plan_id}/shared/{shared.number}/")
    assert page.status_code == 200
    assert "Never shared Q3" not in page.content.decode()
