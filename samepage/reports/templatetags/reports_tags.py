"""What a home page asks about progress reports: the schools whose reports the signed-in
person may draft (one query, for the leaders, case managers and administrators only)."""

from __future__ import annotations

from typing import Any

from django import template

from samepage.reports.permissions import schools_to_report

register = template.Library()


@register.simple_tag
def report_schools(user: Any) -> list[Any]:
    return schools_to_report(user)
