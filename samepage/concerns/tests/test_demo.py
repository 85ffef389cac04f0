"""The demo's concerns: Jamie's three (linked, declined, open) and Sofía's in Spanish."""

from __future__ import annotations

import pytest

from samepage.concerns.selectors import concerns_for
from samepage.home import demo
from samepage.plans.content import build_content
from samepage.plans.models import PlanVersion
from samepage.schools.models import Student

# Date rules are tested either side of midnight (conftest.straddle_midnight).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("straddle_midnight")]


def _seed_with_concerns():
    # The demo district seeds its concerns itself (schools/demo.py → seed_concerns).
    demo.seed()


def test_demo_concerns():
    _seed_with_concerns()
    jamie = Student.objects.get(legal_first_name="Jamie")
    statuses = [c.status for c in concerns_for(jamie)]
    assert statuses == ["addressed", "declined", "open"]
    draft = PlanVersion.objects.get(plan__student=jamie, status="draft")
    linked = concerns_for(jamie)[0]
    assert linked.state.landed[0].plan_id == draft.plan_id
    assert [c["status"] for c in build_content(draft)["concerns"]] == statuses

    sofia = Student.objects.get(legal_first_name="Sofía")
    (concern,) = concerns_for(sofia)
    assert concern.author.email.startswith("rosa.hernandez@")
    assert "terapia del habla" in concern.text
    assert concern.status == "addressed"
    assert concern.state.landed[0].target.startswith("service:")
