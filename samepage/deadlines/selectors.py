"""Reads for deadlines: the district's pack and calendar, the events on one student's
record (``facts_of``), and a student's stored deadlines for their page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from samepage.concerns.models import ConcernOutcome
from samepage.core.dates import district_date
from samepage.deadlines import days
from samepage.deadlines.compute import Happening
from samepage.deadlines.models import Deadline, DeadlineSettings
from samepage.deadlines.rules import DEFAULT_PACK, Pack, load_pack
from samepage.minutes.selectors import calendar_for
from samepage.plans.models import PlanSection, PlanSignature, PlanVersion
from samepage.reports.models import ProgressReport
from samepage.reports.selectors import periods_for
from samepage.schools.models import District, Student

# How far past today a reporting period may end and still be listed: this year's.
PERIODS_AHEAD = timedelta(days=366)
# The calendar a count reads: from its earliest start to this far past its latest.
CALENDAR_REACH = timedelta(days=2 * 366)


def pack_of(district: District) -> Pack:
    """The district's rule pack (the federal one until it chooses; one query)."""
    name = DeadlineSettings.objects.filter(district=district).values_list("pack", flat=True).first()
    return load_pack(name or DEFAULT_PACK)


def calendar_of(district: District, pack: Pack, first: date, last: date) -> days.DistrictCalendar:
    """The district's non-school days (read where service minutes read them) and the
    federal and state holidays, from ``first`` to ``last`` (one query)."""
    closed = calendar_for(district, first, last).closed
    return days.DistrictCalendar(
        closed=closed, holidays=days.holidays_between(first, last, pack.holidays)
    )


@dataclass
class _PlanDates:
    # The day services started under the plan in effect.
    services_from: date | None = None
    # The first day a plan in effect held transition planning.
    transition_from: date | None = None
    # The day the student was told of the rights passing to them (the plan says).
    majority_told: date | None = None


def _section_dates(versions: list[PlanVersion], dates: _PlanDates) -> None:
    started = [
        v
        for v in versions
        if v.status in (PlanVersion.Status.IN_EFFECT, PlanVersion.Status.SUPERSEDED)
    ]
    effective = {v.pk: v.effective_from for v in versions}
    sections = PlanSection.objects.filter(
        version__in=versions, key__in=("transition", "age_of_majority")
    ).order_by("version_id")
    for section in sections:
        filled = any(str(value).strip() for value in (section.data or {}).values())
        if section.key == "transition" and filled and section.version_id in started:
            day = effective.get(section.version_id)
            if day is not None and (dates.transition_from is None or day < dates.transition_from):
                dates.transition_from = day
        if section.key == "age_of_majority":
            told = _iso_date((section.data or {}).get("informed_on"))
            if told is not None and (dates.majority_told is None or told < dates.majority_told):
                dates.majority_told = told


def _iso_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _plan_facts(student: Student, facts: dict[str, list[Happening]]) -> _PlanDates:
    """The plans' events, and the dates other rules read from the plans."""
    versions = list(
        PlanVersion.objects.filter(plan__student=student, plan__ended_at__isnull=True)
        .exclude(status=PlanVersion.Status.DRAFT)
        .select_related("plan")
        .order_by("plan_id", "number")
    )
    signatures: dict[int, list[PlanSignature]] = defaultdict(list)
    for signature in PlanSignature.objects.filter(version__in=versions).order_by("signed_at"):
        signatures[signature.version_id].append(signature)
    district = student.district
    has_plan = bool(versions) or (
        PlanVersion.objects.filter(plan__student=student, finalized_at__isnull=False).exists()
    )
    if has_plan:
        # A plan was made, so the referral, the evaluation and eligibility came before
        # it: those deadlines were met, on days SamePage did not record.
        for event in ("referral", "evaluation_consent", "eligibility"):
            facts[event].append(Happening(done=True))
    in_effect = [v for v in versions if v.status == PlanVersion.Status.IN_EFFECT]
    dates = _PlanDates()
    _section_dates(versions, dates)
    if in_effect:
        current = in_effect[-1]
        original = next(
            (
                v
                for v in reversed(versions)
                if v.plan_id == current.plan_id and v.kind == PlanVersion.Kind.ORIGINAL
            ),
            current,
        )
        meeting = original.meeting_date or original.effective_from
        if meeting is not None:
            facts["last_iep_meeting"].append(Happening(day=meeting))
        dates.services_from = original.effective_from or meeting
    for version in versions:
        if version.finalized_at is None:
            continue
        signed = signatures.get(version.pk, [])
        finalized = district_date(version.finalized_at, district)
        first_signed = district_date(signed[0].signed_at, district) if signed else None
        occurrence = f"version:{version.pk}"
        facts["plan_finalized"].append(
            Happening(
                day=finalized,
                occurrence=occurrence,
                met_on=first_signed,
                done=version.status != PlanVersion.Status.FINAL,
            )
        )
        if version.plan.is_initial and version.kind == PlanVersion.Kind.ORIGINAL:
            consent = next((s for s in signed if s.consent_to_initial_services), None)
            facts["initial_plan_finalized"].append(
                Happening(
                    day=finalized,
                    occurrence=occurrence,
                    met_on=district_date(consent.signed_at, district) if consent else None,
                )
            )
    return dates


def _period_facts(
    student: Student, since: date, today: date, facts: dict[str, list[Happening]]
) -> None:
    periods = [
        p
        for p in periods_for(student.district).filter(
            ends__gte=since, ends__lte=today + PERIODS_AHEAD
        )
    ]
    issued = {
        report.period_id: report.issued_at
        for report in ProgressReport.objects.filter(
            student=student, period__in=periods, status=ProgressReport.Status.ISSUED
        ).order_by("issued_at")
        if report.issued_at is not None
    }
    for period in sorted(periods, key=lambda p: p.ends):
        when = issued.get(period.pk)
        facts["reporting_period_ended"].append(
            Happening(
                day=period.ends,
                occurrence=f"period:{period.pk}",
                met_on=district_date(when, student.district) if when else None,
                about=period.name,
            )
        )


def _concern_facts(student: Student, facts: dict[str, list[Happening]]) -> None:
    outcomes = ConcernOutcome.objects.filter(concern__student=student).order_by(
        "concern_id", "created_at", "id"
    )
    by_concern: dict[int, list[ConcernOutcome]] = defaultdict(list)
    for outcome in outcomes:
        by_concern[outcome.concern_id].append(outcome)
    for concern_id, rows in by_concern.items():
        deferred = [i for i, row in enumerate(rows) if row.kind == ConcernOutcome.Kind.DEFERRED]
        if not deferred:
            continue
        last = deferred[-1]
        later = rows[last + 1 :]
        until = rows[last].deferred_until
        facts["concern_deferred_until"].append(
            Happening(
                day=until,
                occurrence=f"concern:{concern_id}",
                met_on=district_date(later[0].created_at, student.district) if later else None,
            )
        )


def facts_of(student: Student, today: date) -> dict[str, list[Happening]]:
    """Everything on the student's record that starts a deadline, by event name."""
    facts: dict[str, list[Happening]] = defaultdict(list)
    district = student.district
    dates = _plan_facts(student, facts)
    born = student.date_of_birth
    facts["turns_transition_age"].append(
        Happening(day=days.shift_years(born, district.transition_age), met_on=dates.transition_from)
    )
    facts["turns_age_of_majority"].append(
        Happening(day=days.shift_years(born, district.age_of_majority), met_on=dates.majority_told)
    )
    if dates.services_from is not None:
        _period_facts(student, dates.services_from, today, facts)
    _concern_facts(student, facts)
    return facts


def deadlines_for(student: Student) -> QuerySet[Deadline]:
    """A student's stored deadlines for their page: open ones by due date, then unknown,
    then met."""
    return Deadline.objects.filter(student=student).order_by("due_date", "rule_key", "occurrence")
