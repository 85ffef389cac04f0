"""What a home shows from the problem-solving log: the follow-ups due for this person.

A tag, so each home template asks for it where it fits (the homes sit above this app
and read it; this app never imports the home)."""

from __future__ import annotations

from typing import Any

from django import template

from samepage.problems.selectors import follow_ups_due
from samepage.teams.permissions import Part, student_access

register = template.Library()

# A home lists the first few; each links to its situation.
SHOWN = 10


@register.simple_tag
def follow_ups_for(user: Any) -> list[Any]:
    """Tries ``user`` owns whose follow-up day has come, on students whose profile they
    still see. One query when nothing is due (most homes, most days); the rare rows
    found are then each checked with the permission layer."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = list(follow_ups_due(user)[:SHOWN])
    seen: dict[int, bool] = {}
    shown = []
    for agreed in rows:
        student = agreed.situation.student
        if student.pk not in seen:
            access = student_access(user, student)
            seen[student.pk] = access is not None and access.can_view(Part.PROFILE)
        if seen[student.pk]:
            shown.append(agreed)
    return shown
