from __future__ import annotations

import math
from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def whole_minutes(value: timedelta | None) -> int:
    """A wait as whole minutes, rounded up so "0 minutes" is never shown."""
    if not value:
        return 0
    return max(1, math.ceil(value.total_seconds() / 60))
