"""Linking a concern: the plan items to choose from sit under the plan they belong to."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from samepage import factories as f
from samepage.concerns.forms import _numbered
from samepage.concerns.tests.helpers import add, goal_target
from samepage.plans.models import Plan
from samepage.plans.presenters import plan_label
from samepage.plans.selectors import with_summary

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _url(name, world, concern):
    return reverse(f"concerns:{name}", args=[world.child.pk, concern.pk])


class Choices(HTMLParser):
    """The link form's options as (optgroup label, value, text)."""

    def __init__(self):
        super().__init__()
        self.group = None
        self.found = []
        self._value = None

    def handle_starttag(self, tag, attrs):
        if tag == "optgroup":
            self.group = dict(attrs)["label"]
        elif tag == "option":
            self._value = dict(attrs)["value"]

    def handle_endtag(self, tag):
        if tag == "optgroup":
            self.group = None

    def handle_data(self, data):
        if self._value is not None:
            self.found.append((self.group, self._value, data.strip()))
            self._value = None


def test_link_choices_sit_under_the_plan_they_belong_to(world):
    # This year's plan in effect and next year's draft both have "Read grade-level text
    # fluently": the two choices must not read the same.
    in_effect = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    # The next plan's draft starts from the plan in effect: the same goal, same words.
    draft = f.make_plan(world.child, world.case_manager).versions.get(status="draft")
    concern = add(world)
    page = _client(world.case_manager).get(_url("detail", world, concern)).content.decode()

    parser = Choices()
    parser.feed(page[page.index('name="link-target"') :])
    goal = [c for c in parser.found if c[2] == "Goal: Read grade-level text fluently"]
    assert len(goal) == 2
    labels = {
        p.pk: plan_label(p)
        for p in with_summary(Plan.objects.filter(pk__in=[in_effect.plan_id, draft.plan_id]))
    }
    assert {(g[0], g[1].split("|")[0]) for g in goal} == {
        (labels[in_effect.plan_id], str(in_effect.plan_id)),
        (labels[draft.plan_id], str(draft.plan_id)),
    }
    assert labels[in_effect.plan_id].endswith("in effect")
    assert labels[in_effect.plan_id] != labels[draft.plan_id]
    # Every choice but the empty one sits under a plan, and no two read the same.
    assert all(group for group, value, _text in parser.found if value)
    shown = [(group, text) for group, value, text in parser.found if value]
    assert len(shown) == len(set(shown))


def test_two_items_of_one_plan_worded_alike_are_numbered():
    assert _numbered([("a", "Goal: Read"), ("b", "Goal: Write"), ("c", "Goal: Read")]) == [
        ("a", "Goal: Read (1)"),
        ("b", "Goal: Write"),
        ("c", "Goal: Read (2)"),
    ]


def test_linking_to_the_draft_goal_lands_on_the_draft(world):
    in_effect = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    draft = f.make_plan(world.child, world.case_manager).versions.get(status="draft")
    concern = add(world)
    value = f"{draft.plan_id}|{goal_target(draft)}"
    response = _client(world.case_manager).post(
        _url("link", world, concern), {"link-target": value}
    )
    assert response.status_code == 302
    outcome = concern.outcomes.get()
    assert outcome.plan_id == draft.plan_id != in_effect.plan_id
