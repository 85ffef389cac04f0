"""Parent concerns for the demo district. Synthetic content only.

- Jamie Rivera: three concerns from Jordan, before this year's meeting. One is linked
  to the reading goal of the draft, one declined with a reason, one still open (so
  finalizing Jamie's draft asks why).
- Sofía Hernández: one concern in Spanish from Rosa, linked to her speech services.

Called by samepage/schools/demo.py after the plans exist (samepage/plans/demo.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from samepage.concerns import actions
from samepage.concerns.permissions import concern_access_for
from samepage.concerns.selectors import link_targets


def _target(student: Any, kind: str, words: str) -> Any:
    """The item whose words contain ``words``, in the newest plan (this year's draft)."""
    found = [
        t for t in link_targets(student) if t.target.startswith(f"{kind}:") and words in t.label
    ]
    return max(found, key=lambda t: t.plan_id)


def seed_concerns(
    today: date, students: dict[str, Any], staff: dict[str, Any], people: dict[str, Any]
) -> None:
    lee = staff["maria.lee"]
    jordan, rosa = people["jordan.rivera"], people["rosa.hernandez"]
    jamie, sofia = students["Jamie"], students["Sofía"]

    reading = actions.check_add_concern(
        jamie,
        actor=jordan,
        access=concern_access_for(jordan, jamie),
        category="reading",
        importance="high",
        text=(
            "Reading homework ends in tears most nights. He knows the words in the morning "
            "and loses them by evening."
        ),
    )
    goal = _target(jamie, "goal", "read a grade-level passage")
    actions.check_link_concern(
        reading,
        actor=lee,
        access=concern_access_for(lee, reading.student),
        plan_id=goal.plan_id,
        target=goal.target,
        note="The reading goal now starts from his May probes, and homework is capped at "
        "15 minutes of reading.",
    )

    aide = actions.check_add_concern(
        jamie,
        actor=jordan,
        access=concern_access_for(jordan, jamie),
        category="placement",
        importance="medium",
        text="I would like Jamie to have a one-to-one aide for the whole school day.",
    )
    actions.check_decline_concern(
        aide,
        actor=lee,
        access=concern_access_for(lee, aide.student),
        reason=(
            "Jamie works on his own for most of the day and his reading support happens in "
            "a small group. A full-day aide would take him away from classmates he does well "
            "with. We will look at this again if the data change."
        ),
    )

    actions.check_add_concern(
        jamie,
        actor=jordan,
        access=concern_access_for(jordan, jamie),
        category="social",
        importance="high",
        text="He says he eats lunch alone most days. Can someone help him join a group?",
    )

    speech = actions.check_add_concern(
        sofia,
        actor=rosa,
        access=concern_access_for(rosa, sofia),
        category="communication",
        importance="high",
        text=(
            "Sofía entiende mucho más de lo que puede decir. Quiero que la terapia del habla "
            "continúe y que me digan cómo practicar en casa."
        ),
    )
    service = _target(sofia, "service", "Speech")
    actions.check_link_concern(
        speech,
        actor=lee,
        access=concern_access_for(lee, speech.student),
        plan_id=service.plan_id,
        target=service.target,
        note="Speech therapy continues at 60 minutes a week; the therapist will send home "
        "practice ideas every month.",
    )
