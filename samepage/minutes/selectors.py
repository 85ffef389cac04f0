"""Reads for service minutes: a student's services in the plan in effect, the district's
closures, and the sessions and sums the arithmetic needs (each a fixed number of
queries on one student's rows, whatever the district's size)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samepage.minutes import arithmetic
from samepage.minutes.arithmetic import (
    DEFAULT_RULES,
    Calendar,
    Delivery,
    Judgement,
    Ledger,
    Logged,
    Rules,
    Terms,
)
from samepage.minutes.models import MinutesSettings, NonSchoolDay, ServiceSession
from samepage.plans.models import PlanVersion, Service
from samepage.schools.models import District, Student


def rules_for(district: District | int) -> Rules:
    """The district's settings for service minutes (one query; the defaults until it
    sets its own)."""
    district_id = district if isinstance(district, int) else district.pk
    row = MinutesSettings.objects.filter(district_id=district_id).first()
    if row is None:
        return DEFAULT_RULES
    return Rules(
        threshold_percent=row.threshold_percent,
        closures_owed=row.closures_owed,
        alert_after_school_days=row.alert_after_school_days,
    )


def current_services(student: Student) -> list[Service]:
    """The services of the student's plans in effect, in the plan's order (one query).

    Only a plan in effect prescribes minutes: a draft is not yet a commitment, and a
    replaced version's services live on, by lineage, in the version that replaced it.
    The week and the month shown are counted with the terms in effect today, also on
    days before an amendment changed them (the ledger, by sessions, is not affected).
    """
    return list(
        Service.objects.filter(
            version__plan__student=student,
            version__status=PlanVersion.Status.IN_EFFECT,
            removed_at__isnull=True,
        ).order_by("version__plan_id", "position", "id")
    )


def service_of(student: Student, lineage: uuid.UUID) -> Service | None:
    """The row of ``lineage`` in the student's plan in effect (None: not in effect)."""
    return (
        Service.objects.filter(
            lineage_id=lineage,
            version__plan__student=student,
            version__status=PlanVersion.Status.IN_EFFECT,
            removed_at__isnull=True,
        )
        .order_by("-version__effective_from", "-pk")
        .first()
    )


def is_students_service(student: Student, lineage: uuid.UUID) -> bool:
    """Whether any version of any of the student's plans holds this service."""
    return Service.objects.filter(lineage_id=lineage, version__plan__student=student).exists()


def terms_of(service: Service) -> Terms:
    return Terms(
        minutes=service.minutes or 0,
        unit=service.frequency_unit or "",
        start=service.start_date,
        end=service.end_date,
    )


def calendar_for(district: District, first: date, last: date) -> Calendar:
    """The district's closures from ``first`` to ``last`` (one query)."""
    days = (
        NonSchoolDay.objects.standing()
        .filter(district=district, day__gte=first, day__lte=last)
        .values_list("day", flat=True)
    )
    return Calendar(closed=frozenset(days))


def logged(session: ServiceSession) -> Logged:
    return Logged(
        day=session.day,
        minutes=session.minutes,
        status=session.status,
        reason=session.missed_reason,
        make_up=session.is_make_up,
    )


def standing_by_lineage(
    student: Student, *, since: date | None = None, lineages: list[Any] | None = None
) -> dict[uuid.UUID, list[Logged]]:
    """The student's standing sessions (from ``since``), by service lineage (one query)."""
    rows = ServiceSession.objects.standing().filter(student=student)
    if since is not None:
        rows = rows.filter(day__gte=since)
    if lineages is not None:
        rows = rows.filter(service_lineage__in=lineages)
    found: dict[uuid.UUID, list[Logged]] = defaultdict(list)
    for row in rows.only(
        "service_lineage", "day", "minutes", "status", "missed_reason", "is_make_up"
    ).order_by():
        found[row.service_lineage].append(logged(row))
    return found


def sessions_for(student: Student) -> QuerySet[ServiceSession]:
    """Every session of the student, voided ones included, newest first, with who."""
    return (
        ServiceSession.objects.filter(student=student)
        .select_related("entered_by", "voided_by")
        .order_by("-day", "-id")
    )


@dataclass(frozen=True)
class ServiceSummary:
    """One service of the plan in effect with its week, its month and its ledger."""

    service: Service
    terms: Terms
    week: Delivery
    month: Delivery
    # This month as the alert judges it (through the last full week).
    judgement: Judgement
    ledger: Ledger
    is_ended: bool
    rules: Rules

    @property
    def lineage(self) -> str:
        return str(self.service.lineage_id)

    @property
    def is_measurable(self) -> bool:
        return self.terms.is_measurable

    @property
    def prescription_words(self) -> str:
        """The plan's amount in words ("60 minutes per week"), or what it lacks."""
        if not self.is_measurable:
            return _("The plan does not say how many minutes and how often.")
        return ngettext("%(n)s minute %(unit)s", "%(n)s minutes %(unit)s", self.terms.minutes) % {
            "n": self.terms.minutes,
            "unit": self.service.get_frequency_unit_display(),
        }

    @property
    def is_below(self) -> bool:
        return self.judgement.is_below(self.rules)

    @property
    def week_words(self) -> str:
        return arithmetic.delivered_words(self.week, period=arithmetic.WEEK)

    @property
    def month_words(self) -> str:
        return arithmetic.delivered_words(self.month, period=arithmetic.MONTH)

    @property
    def owed_words(self) -> str:
        return arithmetic.owed_words(self.ledger)

    @property
    def summary_words(self) -> str:
        return arithmetic.summary_words(self.month, self.ledger)


def summarize(
    service: Service,
    cal: Calendar,
    sessions: list[Logged],
    today: date,
    rules: Rules = DEFAULT_RULES,
) -> ServiceSummary:
    terms = terms_of(service)
    return ServiceSummary(
        service=service,
        terms=terms,
        week=arithmetic.week_delivery(terms, cal, sessions, today),
        month=arithmetic.month_delivery(terms, cal, sessions, today),
        judgement=arithmetic.judge_month(terms, cal, sessions, today, today=today),
        ledger=arithmetic.ledger(sessions, rules),
        is_ended=service.end_date is not None and service.end_date < today,
        rules=rules,
    )


def service_summaries(
    student: Student, today: date, rules: Rules | None = None
) -> list[ServiceSummary]:
    """Each service of the plan in effect, summed up as of ``today`` (four queries: the
    services, the district's settings, the closures of this week and month, the
    student's standing sessions). ``rules``: the district's, unless given."""
    services = current_services(student)
    if not services:
        return []
    if rules is None:
        rules = rules_for(student.district_id)
    week_first, week_last = arithmetic.week_of(today)
    month_first, month_last = arithmetic.month_of(today)
    # The week's and the month's units: a per-week service's week may begin last month.
    first = min(week_first, arithmetic.week_of(month_first)[0])
    last = max(week_last, arithmetic.week_of(month_last)[1])
    cal = calendar_for(student.district, first, last)
    sessions = standing_by_lineage(student, lineages=[s.lineage_id for s in services])
    return [summarize(s, cal, sessions.get(s.lineage_id, []), today, rules) for s in services]


def service_names(
    student: Student, summaries: list[ServiceSummary], sessions: list[ServiceSession]
) -> dict[uuid.UUID, str]:
    """What each session's service is called: the plan in effect's words, else (a
    service no longer in it) its latest words in the student's plans (one query, only
    when a page shows such a session)."""
    names = {s.service.lineage_id: s.service.description for s in summaries}
    missing = {s.service_lineage for s in sessions} - set(names)
    if missing:
        for lineage, words in (
            Service.objects.filter(lineage_id__in=missing, version__plan__student=student)
            .order_by("version__number", "pk")
            .values_list("lineage_id", "description")
        ):
            names[lineage] = words
    return names


def school_calendar(district: District, today: date, *, past: bool) -> QuerySet[NonSchoolDay]:
    """The district's days without school for its administrator's page: from today on,
    soonest first, or (``past``) the days before today, latest first. Archived days stay
    on the list, marked, with who took them off (one join)."""
    days = NonSchoolDay.objects.filter(district=district).select_related("archived_by")
    if past:
        return days.filter(day__lt=today).order_by("-day", "-id")
    return days.filter(day__gte=today).order_by("day", "id")


def closures_from(district: District, first: date, last: date) -> dict[date, NonSchoolDay]:
    """The standing closures from ``first`` to ``last``, by day (one query)."""
    rows = NonSchoolDay.objects.standing().filter(district=district, day__range=(first, last))
    return {row.day: row for row in rows}
