"""The problem-solving log for the demo district, written through the real actions (so
attribution, notices, history and audit are what a real team would see). Synthetic.

- Jamie Rivera: "hard time after recess", linked to the triggers Jordan wrote in the
  profile, with ideas from Jordan and from David Brooks (his teacher). Maria Lee
  recorded a try David owns (a two-minute warning and a quiet job); David says it
  helped and adds it to Jamie's calming strategies, linked back to the situation.
- Jamie again: mornings at drop-off, still open, with a try Jordan owns and follows up
  next week.

Called from samepage/home/demo.py after the profiles exist.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from samepage.problems import actions
from samepage.problems.permissions import ProblemAccess
from samepage.profiles.models import ProfileEntry
from samepage.teams.permissions import student_access


def _access(user: Any, student: Any) -> ProblemAccess:
    record = student_access(user, student)
    assert record is not None, f"{user} cannot see {student}"
    return ProblemAccess(record)


def seed_problems(
    today: date, students: dict[str, Any], staff: dict[str, Any], people: dict[str, Any]
) -> None:
    jamie = students["Jamie"]
    jordan = people["jordan.rivera"]
    maria, david = staff["maria.lee"], staff["david.brooks"]
    triggers = ProfileEntry.objects.filter(
        student=jamie, section="triggers", author=jordan, archived_at__isnull=True
    ).values_list("pk", flat=True)

    recess = actions.check_raise_situation(
        jamie,
        actor=jordan,
        access=_access(jordan, jamie),
        summary="Hard time coming in from recess",
        what_happens=(
            "Jamie won't line up when the bell goes. He hides by the fence and comes in "
            "upset, and the next lesson is lost."
        ),
        when_it_happens="After lunch recess, most days",
        where_it_happens="The playground and the hallway back to class",
        entry_ids=list(triggers[:1]),
    )
    actions.check_add_idea(
        recess,
        actor=jordan,
        access=_access(jordan, jamie),
        text="At home a warning before we stop something helps a lot. Could someone tell "
        "him a few minutes before the bell?",
    )
    actions.check_add_idea(
        recess,
        actor=david,
        access=_access(david, jamie),
        text="He likes having a job. He could carry the ball bin in, so he comes in last "
        "and the hallway is quiet.",
    )
    agreed = actions.check_agree_try(
        recess,
        actor=maria,
        access=_access(maria, jamie),
        what="A two-minute warning before the bell, then Jamie carries the ball bin in "
        "after the line.",
        owner_id=david.pk,
        due_on=today - timedelta(days=14),
        follow_up_on=today,
    )
    agreed.situation = recess
    actions.check_record_outcome(
        agreed,
        actor=david,
        access=_access(david, jamie),
        result="helped",
        note="Eight days out of ten he came in calm. The job matters more than the warning.",
    )
    actions.check_add_to_profile(
        agreed,
        actor=david,
        access=_access(david, jamie),
        section="calming",
        text="A two-minute warning before a change, and a job to do (carrying the ball bin "
        "in after recess).",
    )

    mornings = actions.check_raise_situation(
        jamie,
        actor=maria,
        access=_access(maria, jamie),
        summary="Upset at morning drop-off",
        what_happens="On Mondays Jamie cries in the car and will not come in for 10 minutes.",
        when_it_happens="Monday mornings",
        where_it_happens="The drop-off lane",
    )
    actions.check_agree_try(
        mornings,
        actor=maria,
        access=_access(maria, jamie),
        what="Jordan shows Jamie a picture of Monday's schedule on Sunday evening.",
        owner_id=jordan.pk,
        due_on=today,
        follow_up_on=today + timedelta(days=7),
    )
