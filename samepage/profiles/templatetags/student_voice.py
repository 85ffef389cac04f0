"""``{% student_voice_in_plan student section_key %}``: the student's own words in a plan.

Shown in the plan's strengths and transition sections for students aged
STUDENT_VOICE_AGE and older, to readers who may see the profile (the part student voice
belongs to). The answer is worked out once per request.
"""

from __future__ import annotations

from typing import Any

from django import template

from samepage.profiles.selectors import VOICE_IN_PLAN, voice_for_plan
from samepage.teams.permissions import Part

register = template.Library()


def _may_see_profile(context: Any) -> bool:
    # The plan pages pass a PlanAccess as "access"; its StudentAccess knows the parts.
    student_access = getattr(context.get("access"), "student", None)
    return Part.PROFILE in getattr(student_access, "parts", ())


@register.inclusion_tag("profiles/_partials/voice_in_plan.html", takes_context=True)
def student_voice_in_plan(context: Any, student: Any, section_key: str) -> dict[str, Any]:
    if section_key not in VOICE_IN_PLAN or student is None or not _may_see_profile(context):
        return {"voice_entries": []}
    request = context.get("request")
    cache: dict[int, Any] = getattr(request, "_student_voice_in_plan", None) or {}
    if student.pk not in cache:
        cache[student.pk] = voice_for_plan(student)
        if request is not None:
            request._student_voice_in_plan = cache
    return {"voice_entries": cache[student.pk].get(section_key, [])}
