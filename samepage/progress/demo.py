"""Progress data for the demo district: goals whose scores fire each decision rule, a
goal waiting for its next scores, and the family's home observations.

- Jamie's reading goal (words correct per minute): weekly probes that stay below the
  line to the goal and rise slower than it, so the four-point rule and the trend rule
  both say "talk about changing how this is taught"; Priya marked a phase line when
  she added a second practice session.
- Jamie's calm-down goal (trials, 8 of 10): three sessions in a row at the level that
  counts as met.
- Sofía's speech goal (percent correct): three scores below the line, too few for a
  rule yet (the browser journey adds the next three), and two home observations by
  her mother, Rosa.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from samepage.progress import actions
from samepage.progress.models import GoalMeasurement
from samepage.progress.permissions import ProgressAccess, progress_access_for
from samepage.progress.selectors import current_goals, lineage_began


def _access(user: Any, student: Any) -> ProgressAccess:
    access = progress_access_for(user, student)
    assert access is not None, f"{user} cannot see {student}"
    return access


def _goal(student: Any, words: str) -> Any:
    return next(g for g in current_goals(student) if words in g.statement)


def _measure(student: Any, goal: Any, actor: Any, **fields: Any) -> GoalMeasurement:
    return actions.check_set_measurement(
        student, goal.lineage_id, actor=actor, access=_access(actor, student), **fields
    )


def _scores(
    measurement: GoalMeasurement,
    actor: Any,
    rows: list[tuple[date, Any]],
    *,
    series: str = "school",
) -> None:
    student = measurement.student
    access = _access(actor, student)
    for day, value in rows:
        if isinstance(value, tuple):
            extra = {"numerator": value[0], "denominator": value[1]}
        else:
            extra = {"value": value}
        actions.check_record_point(
            measurement,
            actor=actor,
            access=access,
            day=day,
            series=series,
            client_key=uuid.uuid4(),
            **extra,
        )


def seed_progress(
    today: date, students: dict[str, Any], staff: dict[str, Any], people: dict[str, Any]
) -> None:
    lee, priya = staff["maria.lee"], staff["priya.patel"]
    jamie, sofia = students["Jamie"], students["Sofía"]

    reading = _goal(jamie, "90 words per minute")
    began = lineage_began(jamie, reading.lineage_id) or today - timedelta(days=380)
    target_day = reading.version.proposed_end or today + timedelta(days=30)
    measured = _measure(
        jamie,
        reading,
        lee,
        kind="rate",
        unit="wcpm",
        direction="increase",
        baseline_value="45",
        baseline_date=began,
        target_value="90",
        target_date=target_day,
        mastery_value="90",
        mastery_sessions=3,
    )
    weeks = 10
    probes = [
        (today - timedelta(days=7 * (weeks - i)), str(60 + i // 2))  # half a word a week
        for i in range(weeks)
    ]
    _scores(measured, priya, probes)
    actions.check_add_phase_change(
        measured,
        actor=priya,
        access=_access(priya, jamie),
        day=today - timedelta(days=21),
        change="Added a second repeated-reading session each week.",
    )

    calm = _goal(jamie, "calm-down plan")
    calm_measured = _measure(
        jamie,
        calm,
        lee,
        kind="trials",
        direction="increase",
        baseline_value="20",
        baseline_date=began,
        target_value="80",
        target_date=target_day,
        mastery_value="80",
        mastery_sessions=3,
    )
    _scores(
        calm_measured,
        staff["david.brooks"],
        [(today - timedelta(days=d), trials) for d, trials in ((15, (6, 10)), (10, (8, 10)))]
        + [(today - timedelta(days=d), trials) for d, trials in ((6, (8, 10)), (2, (9, 10)))],
    )

    speech = _goal(sofia, "/r/")
    sofia_began = lineage_began(sofia, speech.lineage_id) or today - timedelta(days=300)
    speech_measured = _measure(
        sofia,
        speech,
        lee,
        kind="percent",
        direction="increase",
        baseline_value="40",
        baseline_date=sofia_began,
        target_value="85",
        target_date=speech.version.proposed_end or today + timedelta(days=60),
        mastery_value="85",
        mastery_sessions=2,
    )
    _scores(
        speech_measured,
        priya,
        [(today - timedelta(days=d), value) for d, value in ((24, "55"), (17, "58"), (10, "57"))],
    )
    _scores(
        speech_measured,
        people["rosa.hernandez"],
        [(today - timedelta(days=12), "60"), (today - timedelta(days=4), "65")],
        series="home",
    )
