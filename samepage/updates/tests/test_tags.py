"""Tags name plan items by lineage: they survive a new version and read its words."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from samepage import factories as f
from samepage.plans.actions import lifecycle
from samepage.plans.models import Goal
from samepage.plans.permissions import plan_access
from samepage.updates.models import UpdateTag
from samepage.updates.selectors import tag_choices
from samepage.updates.tests.helpers import access_of, post
from samepage.updates.timeline import timeline_page

pytestmark = pytest.mark.django_db


def _goal_tag(student) -> str:
    return next(c.value for c in tag_choices(student) if c.kind == "goal")


def _tags_seen(user, student) -> list[str]:
    page = timeline_page(access_of(user, student), groups=["updates"])
    return [tag for entry in page.entries for tag in entry.tags]


def test_choices_come_from_the_plan_in_effect(world):
    assert tag_choices(world.child) == []
    f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    texts = sorted(c.text for c in tag_choices(world.child))
    assert texts == ["Accommodation: Extra time on tests", "Goal: Read grade-level text fluently"]


def test_without_a_plan_in_effect_choices_come_from_the_latest_shared_draft(world):
    plan = f.make_plan(world.child, world.case_manager)
    version = f.fill_plan(plan)
    assert tag_choices(world.child) == []  # the live draft is nobody's to tag yet
    lifecycle.do_share_draft(version, actor=world.case_manager)
    Goal.objects.filter(version=version).update(statement="Unshared new words")
    assert "Goal: Read grade-level text fluently" in {c.text for c in tag_choices(world.child)}


def test_a_tag_keeps_its_goal_across_versions_and_reads_its_current_words(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    update = post(world.case_manager, world.child, tags=[_goal_tag(world.child)])
    tag = UpdateTag.objects.get(update=update)
    assert _tags_seen(world.parent, world.child) == ["Goal: Read grade-level text fluently"]
    amendment = lifecycle.do_start_amendment(
        version.plan,
        actor=world.case_manager,
        reason="Raise the goal",
        parts=["goals"],
        effective_date=world.today,
    )
    Goal.objects.filter(version=amendment).update(statement="Read 100 words a minute")
    # While the amendment is a draft, everyone reads the words in effect.
    assert _tags_seen(world.case_manager, world.child) == ["Goal: Read grade-level text fluently"]
    lifecycle.check_finalize(amendment, actor=world.case_manager)
    lifecycle.do_sign(
        amendment,
        actor=world.parent,
        access=plan_access(world.parent, amendment.plan),
        decision="agree",
        typed_name="Alice Lane",
    )
    new_goal = Goal.objects.get(version=amendment)
    assert new_goal.lineage_id == tag.lineage_id
    for reader in (world.parent, world.case_manager):
        assert _tags_seen(reader, world.child) == ["Goal: Read 100 words a minute"]
    # The new version's goal can be tagged with the same value as before.
    assert _goal_tag(world.child) == tag.key


def test_a_tag_to_another_students_plan_is_refused(world):
    f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    f.make_plan_in_effect(world.other_child, signer=world.other_parent, actor=world.district_admin)
    others = _goal_tag(world.other_child)
    with pytest.raises(ValidationError) as caught:
        post(world.case_manager, world.child, tags=[others])
    assert "tags" in caught.value.message_dict
    with pytest.raises(ValidationError):
        post(world.case_manager, world.child, tags=["goal:not-a-lineage"])
    assert not UpdateTag.objects.exists()
