"""The district's "today", and time zones.

Every rule that compares dates (expiry, deadlines, effective dates, "overdue") asks the
district whose record it is for its date, in the district's own time zone. A person sees
times in their own zone (activated per request by the accounts middleware). Never use
``date.today()`` (the server's zone) or ``.date()`` on an aware datetime (its UTC date):
``core/tests/test_no_naive_dates.py`` fails on both.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HasTimeZone(Protocol):
    time_zone: str


@cache
def valid_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@cache
def _every_zone() -> tuple[tuple[str, zoneinfo.ZoneInfo], ...]:
    # Held here: ZoneInfo keeps only a few zones strongly and would read the rest from disk.
    return tuple((name, zoneinfo.ZoneInfo(name)) for name in sorted(valid_time_zones()))


def validate_time_zone(value: str) -> None:
    if value not in valid_time_zones():
        raise ValidationError(
            _("“%(value)s” is not a time zone we know. Choose one from the list."),
            code="invalid_time_zone",
            params={"value": value},
        )


def zone_of(district: HasTimeZone | None) -> zoneinfo.ZoneInfo:
    """The district's time zone (the default zone when it has none or a bad one)."""
    name = getattr(district, "time_zone", "") or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def district_today(district: HasTimeZone | None) -> date:
    """Today's date where the district is: the one "today" every date rule uses."""
    return timezone.localdate(timezone.now(), zone_of(district))


def district_date(moment: datetime, district: HasTimeZone | None) -> date:
    """The district's calendar date of an aware moment (e.g. when a row was created)."""
    return timezone.localdate(moment, zone_of(district))


def local_date(moment: datetime) -> date:
    """The reader's calendar date of an aware moment (their zone is active per request)."""
    return timezone.localdate(moment)


def on_each_district_today(zone_field: str, rule: Callable[[date], Q]) -> Q:
    """``rule(today)`` where each row's today is its own district's (for lists across districts).

    ``zone_field`` is the lookup path to the district's ``time_zone`` (for example
    ``"student__district__time_zone"``). At any moment the world's zones fall on at most
    three dates, so the filter is at most three ``rule``s, each for the zones on its date:
    no extra query, and a row agrees with ``district_today`` of its district. Zones on
    the default zone's date (and a name we do not know, which ``zone_of`` also reads as
    the default zone) take the first branch.
    """
    default_day, others = _dates_of_zones(_this_minute(), settings.TIME_ZONE)
    if not others:
        return rule(default_day)
    elsewhere = [name for _day, names in others for name in names]
    condition = rule(default_day) & ~Q(**{f"{zone_field}__in": elsewhere})
    for day, names in others:
        condition |= rule(day) & Q(**{f"{zone_field}__in": names})
    return condition


def _this_minute() -> datetime:
    return timezone.now().replace(second=0, microsecond=0)


@lru_cache(maxsize=4)
def _dates_of_zones(
    minute: datetime, default_zone: str
) -> tuple[date, tuple[tuple[date, tuple[str, ...]], ...]]:
    """The default zone's date at ``minute``, and the other dates the world's zones are
    on, each with its zones. Every zone's offset is a whole number of minutes, so no
    zone's date changes within a UTC minute: one reading per minute is exact (reading
    all 600 zones cost every request 2 ms per date rule)."""
    default_day = timezone.localdate(minute, zone_of(None))
    others: dict[date, list[str]] = defaultdict(list)
    for name, zone in _every_zone():
        day = timezone.localdate(minute, zone)
        if day != default_day:
            others[day].append(name)
    return default_day, tuple((day, tuple(names)) for day, names in sorted(others.items()))
