"""Service minutes for the demo district. Synthetic content only.

Priya Patel (speech) logs Sofía Hernández's speech therapy (60 minutes a week) on
Tuesdays and Thursdays, 30 minutes each, from the first of last month to today:

- in last month's second full week she was out sick with no substitute: both sessions
  missed, "provider absent", 60 minutes owed; Sofía was absent one Thursday (not owed);
  the district closed for two days at the end of last month (no session, nothing due);
- a 30-minute make-up session on the latest Wednesday: 30 of the 60 minutes made up,
  30 still to make up, which Rosa reads in Spanish on the Services tab;
- last month fell below the district's 80%: the nightly check told the team and Rosa.

Called by samepage/home/demo.py after the plans exist (samepage/plans/demo.py). Run
twice on the same day it stores nothing twice (each session has a fixed client key).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from samepage.minutes import actions, arithmetic
from samepage.minutes.models import NonSchoolDay
from samepage.minutes.permissions import minutes_access_for
from samepage.minutes.selectors import current_services

TUESDAY, WEDNESDAY, THURSDAY = 1, 2, 3
# The namespace of the demo sessions' client keys: the same day's session, the same key.
DEMO_KEYS = uuid.UUID("3c1f0a52-5b7e-4d0e-9a51-0d3a9f1e7c11")


def _closures(district: Any, last_month: date) -> set[date]:
    """A two-day closure in the last full week of last month (a Thursday and Friday)."""
    _first, last = arithmetic.month_of(last_month)
    thursday = last - timedelta(days=(last.weekday() - THURSDAY) % 7)
    if thursday + timedelta(days=1) > last:
        thursday -= timedelta(days=7)
    days = {thursday, thursday + timedelta(days=1)}
    for day in days:
        NonSchoolDay.objects.get_or_create(
            district=district, day=day, defaults={"name": "Conferencias de otoño (demo)"}
        )
    return days


def seed_minutes(
    today: date, students: dict[str, Any], staff: dict[str, Any], people: dict[str, Any]
) -> None:
    patel = staff["priya.patel"]
    sofia = students["Sofía"]
    speech = next(s for s in current_services(sofia) if "Speech" in s.description)
    access = minutes_access_for(patel, sofia)
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    closed = _closures(sofia.district, last_month)
    # Last month's second full week (Monday on or after the 8th): the provider was out.
    sick_monday = last_month + timedelta(days=7 + (-last_month.weekday()) % 7)
    sick_week = {sick_monday + timedelta(days=n) for n in range(5)}
    absent = sick_monday + timedelta(days=7 + THURSDAY)

    def log(day: date, **extra: Any) -> None:
        if speech.start_date is not None and day < speech.start_date:
            return
        key = uuid.uuid5(DEMO_KEYS, f"{sofia.pk}:{day.isoformat()}:{extra.get('is_make_up')}")
        actions.check_log_session(
            sofia,
            actor=patel,
            access=access,
            service_lineage=speech.lineage_id,
            day=day,
            client_key=key,
            **{"minutes": 30, "status": "delivered", **extra},
        )

    for day in arithmetic.days_between(last_month, today):
        if day.weekday() not in (TUESDAY, THURSDAY) or day in closed:
            continue
        if day in sick_week:
            log(
                day,
                status="missed",
                missed_reason="provider_absent",
                note="La terapeuta estuvo enferma y no hubo sustituta. Se recuperará.",
                staff_note="No SLP substitute available that week.",
            )
        elif day == absent:
            log(day, status="missed", missed_reason="student_absent")
        else:
            log(day)
    make_up = today - timedelta(days=(today.weekday() - WEDNESDAY) % 7)
    log(make_up, is_make_up=True, note="Sesión para recuperar minutos perdidos.")
    # The nightly check as it ran the Monday after last month's last week ended, when
    # it judged last month whole (or today, if that Monday has not come).
    judged_on = arithmetic.week_of(this_month - timedelta(days=1))[1] + timedelta(days=1)
    actions.check_delivery(sofia, speech, today=min(today, judged_on))
