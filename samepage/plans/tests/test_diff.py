"""Comparing versions: sections field by field, items by lineage, text word by word;
the compare page and "what changed since last year"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from samepage import factories as f
from samepage.core.models import AccessEvent
from samepage.plans.actions import lifecycle
from samepage.plans.content import build_content, content_of
from samepage.plans.diff import DELETE, EQUAL, INSERT, diff_contents, word_diff
from samepage.plans.models import Accommodation, Goal, PlanSection, PlanVersion

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _amendment(world) -> tuple[PlanVersion, PlanVersion]:
    """Version 1 in effect and a version 2 draft with one goal edited, one added, an
    accommodation taken out and the strengths reworded (direct rows: test setup)."""
    v1 = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    v2 = lifecycle.do_start_amendment(
        v1.plan,
        actor=world.case_manager,
        reason="Reading goal is too easy",
        parts=["goals", "accommodations", "strengths"],
        effective_date=timezone.localdate() + timedelta(days=7),
    )
    Goal.objects.filter(version=v2).update(statement="Read grade-level text fluently and aloud")
    Goal.objects.create(version=v2, area="behavior", statement="Ask for a break when upset")
    Accommodation.objects.filter(version=v2).update(removed_at=timezone.now())
    PlanSection.objects.filter(version=v2, key="strengths").update(
        data={"strengths": "Curious, generous, loves building things."}
    )
    return v1, v2


def test_word_diff_marks_inserted_and_deleted_words():
    assert word_diff("read text fluently", "read grade text fluently") == [
        (EQUAL, "read"),
        (INSERT, "grade"),
        (EQUAL, "text fluently"),
    ]
    assert word_diff("kind and calm", "kind and curious") == [
        (EQUAL, "kind and"),
        (DELETE, "calm"),
        (INSERT, "curious"),
    ]
    assert word_diff("", "new words") == [(INSERT, "new words")]
    assert word_diff("old words", None) == [(DELETE, "old words")]
    assert word_diff("same   spacing\nignored", "same spacing ignored") == [
        (EQUAL, "same spacing ignored")
    ]


def test_items_are_matched_by_lineage_not_by_position(world):
    v1, v2 = _amendment(world)
    result = diff_contents(content_of(v1), build_content(v2))

    goals = result.of("goals")
    assert goals is not None
    assert [g["statement"] for g in goals.added] == ["Ask for a break when upset"]
    assert goals.removed == []
    assert len(goals.changed) == 1
    change = goals.changed[0]
    assert change.lineage_id == str(Goal.objects.get(version=v1).lineage_id)
    assert [fd.name for fd in change.fields] == ["statement"]
    assert change.fields[0].words == [
        (EQUAL, "Read grade-level text fluently"),
        (INSERT, "and aloud"),
    ]

    accommodations = result.of("accommodations")
    assert accommodations is not None
    assert [a["description"] for a in accommodations.removed] == ["Extra time on tests"]
    assert accommodations.added == accommodations.changed == []

    services = result.of("services")
    assert services is not None
    assert not services.has_changes
    assert services.unchanged == 1


def test_sections_are_compared_field_by_field_in_registry_order(world):
    v1, v2 = _amendment(world)
    result = diff_contents(content_of(v1), build_content(v2))
    assert [s.key for s in result.sections][:3] == ["participants", "strengths", "parent_concerns"]
    assert [s.key for s in result.changed_sections] == ["strengths"]
    strengths = result.sections[1].fields[0]
    assert strengths.status == "changed"
    assert strengths.words == [
        (EQUAL, "Curious,"),
        (DELETE, "kind,"),
        (INSERT, "generous,"),
        (EQUAL, "loves building things."),
    ]
    assert result.sections[0].fields[0].status == "unchanged"


def test_value_fields_show_readable_old_and_new(world):
    v1, v2 = _amendment(world)
    from samepage.plans.models import Service

    Service.objects.filter(version=v2).update(minutes=200, frequency_unit="month")
    result = diff_contents(content_of(v1), build_content(v2))
    services = result.of("services")
    assert services is not None
    fields = {fd.name: fd for fd in services.changed[0].fields}
    assert set(fields) == {"minutes", "frequency_unit"}
    assert (fields["frequency_unit"].old, fields["frequency_unit"].new) == ("per week", "per month")
    assert fields["minutes"].words is None
    html = (
        _client(world.case_manager)
        .get(f"/plans/{v1.plan_id}/compare/?from=1&to=2")
        .content.decode()
    )
    assert "Services that changed" in html
    assert "per week" in html and "per month" in html


def test_staff_compare_a_draft_with_the_version_in_effect(world):
    v1, _v2 = _amendment(world)
    response = _client(world.case_manager).get(f"/plans/{v1.plan_id}/compare/?from=1&to=2")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<ins>" in html and "<del>" in html
    assert "added:" in html and "removed:" in html
    assert "New goals" in html
    assert "Ask for a break when upset" in html
    assert "Accommodations no longer in the plan" in html
    assert AccessEvent.objects.filter(user=world.case_manager, part="plans").exists()


def test_compare_defaults_to_the_two_newest_versions(world):
    v1, _v2 = _amendment(world)
    response = _client(world.case_manager).get(f"/plans/{v1.plan_id}/compare/")
    assert response.status_code == 200
    assert "Goals that changed" in response.content.decode()


def test_family_cannot_compare_against_an_unshared_draft_but_can_against_a_shared_one(world):
    v1, v2 = _amendment(world)
    parent = _client(world.parent)
    assert parent.get(f"/plans/{v1.plan_id}/compare/?from=1&to=2").status_code == 404
    lifecycle.do_share_draft(v2, actor=world.case_manager)
    response = parent.get(f"/plans/{v1.plan_id}/compare/?from=1&to=s1")
    assert response.status_code == 200
    assert "Ask for a break when upset" in response.content.decode()
    # With only one version a family may see, the page says so.
    alone = parent.get(f"/plans/{v1.plan_id}/compare/")
    assert "nothing to compare yet" in alone.content.decode()


def test_compare_refuses_outsiders_and_teachers_without_the_plans_part(world):
    v1, _v2 = _amendment(world)
    url = f"/plans/{v1.plan_id}/compare/?from=1&to=2"
    assert _client(world.other_parent).get(url).status_code == 404
    assert _client(world.advocate).get(url).status_code == 404
    assert _client(world.gen_ed_teacher).get(url).status_code == 403
    assert (
        _client(world.case_manager).get(f"/plans/{v1.plan_id}/compare/?from=1&to=9").status_code
        == 404
    )
    assert (
        _client(world.case_manager).get(f"/plans/{v1.plan_id}/compare/?from=x&to=2").status_code
        == 404
    )


def _next_year(world):
    last = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    plan = f.make_plan(world.child, world.case_manager)
    draft = plan.versions.get()
    Goal.objects.filter(version=draft).update(target="110 wcpm")
    Goal.objects.create(version=draft, area="motor", statement="Write a paragraph by hand")
    Accommodation.objects.filter(version=draft).update(removed_at=timezone.now())
    PlanSection.objects.filter(version=draft, key="strengths").update(
        data={"strengths": "Curious, kind, a good friend."}
    )
    return last, plan, draft


def test_since_last_year_speaks_plainly_to_families(world):
    _last, plan, draft = _next_year(world)
    url = f"/plans/{plan.pk}/since-last-year/"
    parent = _client(world.parent)
    # The school is still drafting and has shared nothing: for the family the next
    # plan does not exist yet.
    assert parent.get(url).status_code == 404
    lifecycle.do_share_draft(draft, actor=world.case_manager)
    html = parent.get(url).content.decode()
    assert "New goals" in html
    assert "Write a paragraph by hand" in html
    assert "Goals that changed" in html
    assert "110" in html
    assert "Accommodations no longer in the plan" in html
    assert "Extra time on tests" in html
    assert "Parts of the plan that changed" in html
    assert "Strengths" in html
    assert "Services that changed" not in html


def test_since_last_year_for_staff_uses_the_live_draft(world):
    _last, plan, _draft = _next_year(world)
    html = _client(world.case_manager).get(f"/plans/{plan.pk}/since-last-year/").content.decode()
    assert "Write a paragraph by hand" in html


def test_first_plan_says_there_is_nothing_to_compare(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    response = _client(world.parent).get(f"/plans/{version.plan_id}/since-last-year/")
    assert response.status_code == 200
    assert "first plan" in response.content.decode()


def test_since_last_year_refuses_outsiders(world):
    _last, plan, _draft = _next_year(world)
    url = f"/plans/{plan.pk}/since-last-year/"
    assert _client(world.other_parent).get(url).status_code == 404
    # Nothing of the next plan is shared yet: to a teacher who sees no drafts it is
    # missing, like any record they may not know of.
    assert _client(world.gen_ed_teacher).get(url).status_code == 404
