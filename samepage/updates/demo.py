"""Quick updates and home notes for the demo district. Synthetic content only.

- Jamie Rivera: Maria Lee's update tagged to the reading goal of the plan in effect,
  Priya Patel's about speech, and Jordan's home note about a rough night.
- Sofía Hernández: Priya Patel's update tagged to a goal, written in Spanish for Rosa,
  and Rosa's home note in Spanish.

Called by samepage/home/demo.py after the plans exist (samepage/plans/demo.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from samepage.updates import actions
from samepage.updates.permissions import updates_access_for
from samepage.updates.selectors import tag_choices


def _goal(student: Any, words: str = "") -> list[str]:
    """The first goal of the plan in effect whose words contain ``words``."""
    goals = [c for c in tag_choices(student) if c.kind == "goal" and words in c.label]
    return [goals[0].value] if goals else []


def _post(user: Any, student: Any, text: str, day: str, **extra: Any) -> Any:
    return actions.check_post_update(
        student,
        actor=user,
        access=updates_access_for(user, student),
        text=text,
        day=day,
        **extra,
    )


def _note(user: Any, student: Any, text: str, kind: str, **extra: Any) -> Any:
    return actions.check_write_note(
        student,
        actor=user,
        access=updates_access_for(user, student),
        text=text,
        kind=kind,
        **extra,
    )


def seed_updates(
    today: date, students: dict[str, Any], staff: dict[str, Any], people: dict[str, Any]
) -> None:
    lee, patel = staff["maria.lee"], staff["priya.patel"]
    jordan, rosa = people["jordan.rivera"], people["rosa.hernandez"]
    jamie, sofia = students["Jamie"], students["Sofía"]

    _note(
        jordan,
        jamie,
        "Jamie had a **rough night**: awake from 2 until 4. He may be tired this morning.",
        "sleep",
    )
    _post(
        lee,
        jamie,
        "Jamie read two pages of his library book aloud to me today, with only a little help "
        "on the long words. He was proud of himself!",
        "great",
        tags=_goal(jamie),
    )
    _post(
        patel,
        jamie,
        "Speech group went well. Jamie waited for his turn three times without a reminder.",
        "good",
    )
    _post(
        patel,
        sofia,
        "Hoy Sofía practicó el sonido **r** en palabras cortas. Le costó al final, pero "
        "siguió intentándolo. Un día con altibajos, pero buen esfuerzo.",
        "mixed",
        tags=_goal(sofia),
        language="es",
    )
    _note(
        rosa,
        sofia,
        "Sofía empezó un medicamento nuevo para la alergia. Puede tener un poco de sueño.",
        "health",
    )
