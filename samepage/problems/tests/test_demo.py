"""The demo's problem-solving log: a situation that helped and fed Jamie's profile."""

from __future__ import annotations

import pytest

from samepage.home import demo
from samepage.problems.models import SituationProfileLink, TrickySituation
from samepage.schools.models import Student

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("straddle_midnight")]


def test_demo_situation_with_ideas_a_try_and_an_outcome_that_fed_the_profile():
    demo.seed()
    jamie = Student.objects.get(legal_first_name="Jamie")
    recess = TrickySituation.objects.get(student=jamie, summary__startswith="Hard time")
    authors = {idea.author.email.split("@")[0] for idea in recess.ideas.all()}
    assert authors == {"jordan.rivera", "david.brooks"}
    (agreed,) = recess.tries.all()
    assert agreed.outcome.result == "helped"
    fed = SituationProfileLink.objects.get(from_outcome=agreed.outcome)
    assert fed.entry.section == "calming"
    assert fed.entry.author.email.startswith("david.brooks@")
    assert recess.profile_links.filter(entry__section="triggers").exists()
    assert TrickySituation.objects.filter(student=jamie, is_open=True).count() == 2
