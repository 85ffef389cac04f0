"""Every write about progress reports: the district's periods and labels, drafting
reports from the progress data (one student, or a school's in the background), the
team's rating and words for each goal, issuing, correcting, and the family's answer.

Each write takes a keyword-only ``actor`` (and, where a person acts on a child's record,
the ``ReportsAccess`` the permission layer worked out for them, checked again here),
validates with messages in the user's language, runs in one transaction, writes its
audit row and announces its event after commit. An issued report is never written
again: a correction is a new revision, the family's answers rows of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from samepage.core.audit import diff, record_audit, snapshot
from samepage.core.dates import district_today
from samepage.core.events import Event, publish
from samepage.reports import selectors, tasks
from samepage.reports.models import (
    MAX_COMMENT,
    MAX_EVIDENCE,
    MAX_NARRATIVE,
    NEEDS_DATA,
    GoalReportEntry,
    ProgressReport,
    Rating,
    ReportAcknowledgement,
    ReportComment,
    ReportGenerationJob,
    ReportingPeriod,
    ReportSettings,
)
from samepage.reports.permissions import (
    FAMILY_ONLY,
    ISSUED,
    ISSUERS_ONLY,
    WRITERS_ONLY,
    ReportsAccess,
    SchoolReportsAccess,
)
from samepage.reports.summary import summarise
from samepage.schools.models import District, Student
from samepage.schools.permissions import check_district_settings
from samepage.teams.permissions import Part, check_access_for

Errors = dict[str, list[Any]]
# Students drafted per transaction by the background job: its progress moves in steps
# of this, and each step reads a constant number of queries whatever the district's size.
BATCH = 100
# A job that says it is running but has not moved for this long is taken to have died.
STALE_JOB = timedelta(minutes=10)

ENTRY_FIELDS = [
    "goal_lineage",
    "position",
    "goal_area",
    "goal_text",
    "rating",
    "suggested",
    "narrative",
    "evidence_note",
    "evidence_reference",
    "points_in_period",
    "last_value",
    "last_day",
    "trend_per_week",
    "projection",
    "projected_on",
    "unit",
    "chart",
]


def _check(access: ReportsAccess | None, *, actor: Any, student: Student) -> ReportsAccess:
    check_access_for(access.record if access is not None else None, actor=actor, student=student)
    assert access is not None
    return access


def _require(allowed: bool, message: Any) -> None:
    if not allowed:
        raise PermissionDenied(str(message))


def _limit(text: str, limit: int, field: str, errors: Errors) -> str:
    cleaned = (text or "").strip()
    if len(cleaned) > limit:
        errors[field] = [
            _("Please keep this under %(n)s characters.")
            % {"n": number_format(limit, force_grouping=True)}
        ]
    return cleaned


# --- the district's calendar and words ------------------------------------------------


def _district_admin(actor: Any, district: District) -> None:
    """The district's administrator, or the system itself (``actor`` None: the demo,
    an import)."""
    check_district_settings(actor, district)


# A period is a quarter, a trimester, a semester: never more than a school year, and
# never further than this from the district's today (a typing slip, like 2206).
MAX_PERIOD_DAYS = 366
PERIOD_REACH_YEARS = 10
MAX_PERIOD_NAME = 100


def _period_day(value: Any, field: str, errors: Errors) -> date | None:
    if isinstance(value, datetime):
        # A moment is not a day: which day depends on the zone (STYLE: dates).
        errors[field] = [_("Enter a day like 2026-09-01.")]
        return None
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        errors[field] = [_("Choose a day.")]
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = [_("Enter a day like 2026-09-01.")]
        return None


def _check_period(district: District, name: Any, starts: Any, ends: Any) -> tuple[str, date, date]:
    """The period's cleaned name and days, or a ValidationError naming each problem."""
    errors: Errors = {}
    name = " ".join(str(name or "").split())
    if not name:
        errors["name"] = [_("Give the period a name, such as “First quarter”.")]
    elif len(name) > MAX_PERIOD_NAME:
        errors["name"] = [
            _("Please keep this under %(n)s characters.") % {"n": number_format(MAX_PERIOD_NAME)}
        ]
    first = _period_day(starts, "starts", errors)
    last = _period_day(ends, "ends", errors)
    if first is not None and last is not None:
        today = district_today(district)
        reach = timedelta(days=365 * PERIOD_REACH_YEARS + PERIOD_REACH_YEARS // 4)
        if last < first:
            errors["ends"] = [_("The last day must be on or after the first day.")]
        elif (last - first).days + 1 > MAX_PERIOD_DAYS:
            errors["ends"] = [_("A reporting period cannot be longer than a school year.")]
        for field, day in (("starts", first), ("ends", last)):
            if field not in errors and not today - reach <= day <= today + reach:
                errors[field] = [
                    _("Choose a day within %(n)s years of today.") % {"n": PERIOD_REACH_YEARS}
                ]
    if errors:
        raise ValidationError(errors)
    assert first is not None and last is not None
    return name, first, last


def _refuse_clashes(
    district: District, name: str, starts: date, ends: date, *, other_than: int | None = None
) -> None:
    """Periods standing in the district never overlap nor share a name. Call it holding
    the district's row, so two periods added at once cannot both pass."""
    standing = ReportingPeriod.objects.filter(district=district, archived_at__isnull=True)
    if other_than is not None:
        standing = standing.exclude(pk=other_than)
    overlapping = standing.filter(starts__lte=ends, ends__gte=starts).order_by("starts").first()
    if overlapping is not None:
        raise ValidationError(
            {
                "starts": [
                    _("These days overlap the period “%(name)s”.") % {"name": overlapping.name}
                ]
            }
        )
    if standing.filter(name=name).exists():
        raise ValidationError({"name": [_("The district already has a period of this name.")]})


def check_add_period(
    district: District, *, actor: Any, name: Any, starts: Any, ends: Any
) -> ReportingPeriod:
    """Add a reporting period to the district's calendar; periods never overlap."""
    _district_admin(actor, district)
    name, first, last = _check_period(district, name, starts, ends)
    with transaction.atomic():
        # The district's row is the lock: two periods added at once cannot both pass.
        District.objects.select_for_update().filter(pk=district.pk).first()
        _refuse_clashes(district, name, first, last)
        period = ReportingPeriod.objects.create(
            district=district, name=name, starts=first, ends=last
        )
        record_audit(
            actor=actor,
            action="report.period_added",
            target=period,
            changes={"name": name, "starts": first, "ends": last},
        )
    return period


PERIOD_FIELDS = ["name", "starts", "ends"]


def check_change_period(
    period: ReportingPeriod, *, actor: Any, name: Any, starts: Any, ends: Any
) -> ReportingPeriod:
    """Rename a period or move its days. Once a report uses it, its days are what those
    reports were written about: only its name may change (archive it and add another)."""
    district = period.district
    _district_admin(actor, district)
    if period.is_archived:
        raise ValidationError(_("This period is archived: it can no longer change."))
    name, first, last = _check_period(district, name, starts, ends)
    with transaction.atomic():
        District.objects.select_for_update().filter(pk=district.pk).first()
        row = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        moved = (first, last) != (row.starts, row.ends)
        if moved and selectors.period_in_use(row):
            raise ValidationError(
                {
                    "starts": [
                        _(
                            "Reports are written for this period, so its days cannot change. "
                            "Archive it and add a new period instead."
                        )
                    ]
                }
            )
        _refuse_clashes(district, name, first, last, other_than=row.pk)
        before = snapshot(row, PERIOD_FIELDS)
        row.name, row.starts, row.ends = name, first, last
        changed = diff(before, snapshot(row, PERIOD_FIELDS))
        if changed:
            row.save(update_fields=PERIOD_FIELDS)
            record_audit(actor=actor, action="report.period_changed", target=row, changes=changed)
    return row


def check_archive_period(period: ReportingPeriod, *, actor: Any) -> ReportingPeriod:
    """Retire a period: its reports keep it, no new report is drafted in it, its days
    and name are free again. Nothing is deleted; archiving twice changes nothing."""
    _district_admin(actor, period.district)
    with transaction.atomic():
        row = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if row.is_archived:
            return row
        row.archived_at, row.archived_by = timezone.now(), actor
        row.save(update_fields=["archived_at", "archived_by"])
        record_audit(
            actor=actor,
            action="report.period_archived",
            target=row,
            changes={"name": row.name, "starts": row.starts, "ends": row.ends},
        )
    return row


def do_set_report_settings(
    district: District,
    *,
    actor: Any,
    labels: dict[str, dict[str, str]] | None = None,
    minimum_points: int | None = None,
) -> ReportSettings:
    """The district's own words for the ratings ({rating: {language: words}}) and how
    many points a period needs before progress is judged from them."""
    _district_admin(actor, district)
    errors: Errors = {}
    cleaned: dict[str, dict[str, str]] = {}
    for rating, words in (labels or {}).items():
        if rating not in Rating.values or not isinstance(words, dict):
            errors["labels"] = [_("Name each rating from the list with words per language.")]
            break
        cleaned[rating] = {str(k): str(v).strip()[:100] for k, v in words.items() if v}
    if minimum_points is not None and not 1 <= int(minimum_points) <= 50:
        errors["minimum_points"] = [_("Choose a number from 1 to 50.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        settings, _created = ReportSettings.objects.get_or_create(district=district)
        if labels is not None:
            settings.labels = cleaned
        if minimum_points is not None:
            settings.minimum_points = int(minimum_points)
        settings.save(update_fields=["labels", "minimum_points"])
        record_audit(
            actor=actor,
            action="report.settings_changed",
            target=settings,
            changes={"labels": settings.labels, "minimum_points": settings.minimum_points},
        )
    return settings


MAX_RATING_LABEL = 100


def check_set_rating_labels(
    district: District, *, actor: Any, labels: dict[str, dict[str, Any]]
) -> ReportSettings:
    """The district's own words for each canonical rating, per language; a blank one
    reads with SamePage's own words. ``labels``: {rating: {language: words}}."""
    _district_admin(actor, district)
    errors: Errors = {}
    cleaned: dict[str, dict[str, str]] = {}
    for rating, words in labels.items():
        if rating not in Rating.values or not isinstance(words, dict):
            raise ValidationError(_("Name each rating from the list with words per language."))
        for language, text in words.items():
            text = " ".join(str(text or "").split())
            if len(text) > MAX_RATING_LABEL:
                errors[f"{rating}_{language}"] = [
                    _("Please keep this under %(n)s characters.")
                    % {"n": number_format(MAX_RATING_LABEL)}
                ]
            elif text:
                cleaned.setdefault(rating, {})[str(language)] = text
    if errors:
        raise ValidationError(errors)
    return do_set_report_settings(district, actor=actor, labels=cleaned)


# --- drafting reports from the data -------------------------------------------------


def _entries_for(
    report: ProgressReport,
    goals: Sequence[Any],
    data: Any,
    *,
    period: ReportingPeriod,
    today: date,
    minimum: int,
) -> list[GoalReportEntry]:
    measurements, points, phases = data
    entries = []
    for position, goal in enumerate(goals):
        measurement = measurements.get((report.student_id, str(goal.lineage_id)))
        key = measurement.pk if measurement is not None else None
        summary = summarise(
            measurement,
            points.get(key, []) if key else [],
            phases.get(key, []) if key else [],
            period=period,
            today=today,
            minimum=minimum,
        )
        entries.append(
            GoalReportEntry(
                report=report,
                goal_lineage=goal.lineage_id,
                position=position,
                goal_area=goal.area,
                goal_text=goal.statement,
                suggested=summary.suggested,
                points_in_period=summary.points_in_period,
                last_value=summary.last_value,
                last_day=summary.last_day,
                trend_per_week=summary.trend_per_week,
                projection=summary.projection,
                projected_on=summary.projected_on,
                unit=summary.unit,
                chart=summary.chart,
            )
        )
    return entries


def generate_reports(
    students: Iterable[Student], period: ReportingPeriod, *, actor: Any = None
) -> list[ProgressReport]:
    """Draft the period's report of each student with goals in a plan in effect by the
    period's end; the ones drafted this time.

    Safe to run twice or at the same time: a student's first report for a period is
    unique, so a second run finds it (and only adds entries for goals it lacks, while it
    is a draft); nothing is made twice. A constant number of queries for the batch,
    plus one audit row per report drafted.
    """
    district = period.district
    given = [s for s in students if s.district_id == period.district_id]
    ids = [s.pk for s in given]
    if not ids:
        return []
    goals = {sid: found for sid, found in selectors.goals_for(ids, period).items() if found}
    existing = {
        r.student_id: r
        for r in ProgressReport.objects.filter(
            student_id__in=list(goals), period=period, revision=1
        )
    }
    # Finished reports stay as they are; a draft gets the goals it lacks.
    wanted = [sid for sid in goals if sid not in existing or existing[sid].is_draft]
    if not wanted:
        return []
    settings = selectors.settings_for(district)
    today = district_today(district)
    data = selectors.progress_data_for(wanted, period)
    with transaction.atomic():
        fresh = [
            ProgressReport(
                student_id=sid,
                period=period,
                revision=1,
                created_by=actor,
                minimum_points=settings.minimum_points,
            )
            for sid in wanted
            if sid not in existing
        ]
        ProgressReport.objects.bulk_create(fresh, ignore_conflicts=True)
        reports = {
            r.student_id: r
            for r in ProgressReport.objects.filter(student_id__in=wanted, period=period, revision=1)
        }
        made = [r for sid, r in reports.items() if sid not in existing]
        entries: list[GoalReportEntry] = []
        for sid, report in reports.items():
            if report.is_draft:
                entries += _entries_for(
                    report,
                    goals[sid],
                    data,
                    period=period,
                    today=today,
                    minimum=report.minimum_points,
                )
        GoalReportEntry.objects.bulk_create(entries, ignore_conflicts=True)
        for report in made:
            record_audit(
                actor=actor,
                action="report.drafted",
                target=report,
                changes={
                    "student": report.student_id,
                    "period": period.pk,
                    "goals": len(goals[report.student_id]),
                },
            )
    return made


def generate_report(
    student: Student, period: ReportingPeriod, *, actor: Any = None
) -> ProgressReport | None:
    """Draft (or find) ``student``'s first report for ``period``; None when the student
    has no goals in a plan in effect by the period's end."""
    generate_reports([student], period, actor=actor)
    return ProgressReport.objects.filter(student=student, period=period, revision=1).first()


def check_draft_report(
    access: ReportsAccess | None, period_id: Any, *, actor: Any
) -> ProgressReport:
    """Staff who may write reports draft one student's report for a period of the
    student's district."""
    if access is None:
        raise PermissionDenied(_("Your role does not allow this."))
    access = _check(access, actor=actor, student=access.student)
    _require(access.can_write, WRITERS_ONLY)
    student = access.student
    try:
        pk = int(period_id)
    except (TypeError, ValueError):
        pk = 0
    period = (
        ReportingPeriod.objects.select_related("district")
        .filter(pk=pk, district_id=student.district_id, archived_at__isnull=True)
        .first()
    )
    if period is None:
        raise ValidationError({"period": [_("Choose a reporting period of the district.")]})
    report = generate_report(student, period, actor=actor)
    if report is None:
        raise ValidationError(
            {"period": [_("This student has no goals in a plan in effect by the period's end.")]}
        )
    return report


# --- the background job for a school --------------------------------------------------


def do_start_generation(
    access: SchoolReportsAccess | None, period: ReportingPeriod, *, actor: Any
) -> ReportGenerationJob:
    """Ask for a school's reports for ``period`` to be drafted in the background.

    One job row per school and period: asking again while it runs shows the same job;
    asking again after it finished runs it again, which drafts only what is missing.
    """
    if access is None or access.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Your role does not allow this."))
    school = access.school
    if period.district_id != school.district_id:
        raise ValidationError({"period": [_("Choose a reporting period of the district.")]})
    now = timezone.now()
    with transaction.atomic():
        job, created = ReportGenerationJob.objects.select_for_update().get_or_create(
            school=school, period=period, defaults={"requested_by": actor, "requested_at": now}
        )
        if not created and job.is_running and job.requested_at > now - STALE_JOB:
            return job
        if not created:
            job.status = ReportGenerationJob.Status.QUEUED
            job.done = 0
            job.requested_by = actor
            job.requested_at = now
            job.finished_at = None
            job.save(
                update_fields=["status", "done", "requested_by", "requested_at", "finished_at"]
            )
        record_audit(
            actor=actor,
            action="report.generation_started",
            target=job,
            changes={"school": school.pk, "period": period.pk},
        )
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(job_id))
    return job


def _enqueue(job_id: int) -> None:
    tasks.generate_school_reports.enqueue(job_id)


def do_run_generation(job_id: int) -> ReportGenerationJob | None:
    """Draft a school's reports for the job's period, a batch at a time, counting
    progress on the job row as it goes (the page polls it). None when the job is gone."""
    job = (
        ReportGenerationJob.objects.select_related("school", "period__district", "requested_by")
        .filter(pk=job_id)
        .first()
    )
    if job is None:
        return None
    students = Student.objects.filter(
        school_id=job.school_id, status=Student.Status.ACTIVE
    ).select_related("district")
    total = students.count()
    ReportGenerationJob.objects.filter(pk=job.pk).update(
        status=ReportGenerationJob.Status.RUNNING, total=total, done=0, created=0
    )
    last = 0
    try:
        while True:
            batch = list(students.filter(pk__gt=last).order_by("pk")[:BATCH])
            if not batch:
                break
            made = generate_reports(batch, job.period, actor=job.requested_by)
            last = batch[-1].pk
            ReportGenerationJob.objects.filter(pk=job.pk).update(
                done=F("done") + len(batch), created=F("created") + len(made)
            )
    except Exception:
        ReportGenerationJob.objects.filter(pk=job.pk).update(
            status=ReportGenerationJob.Status.FAILED, finished_at=timezone.now()
        )
        raise
    ReportGenerationJob.objects.filter(pk=job.pk).update(
        status=ReportGenerationJob.Status.DONE, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


# --- the team writes and issues -------------------------------------------------------


def _needs_data_words(rating: str, settings: ReportSettings | None) -> str:
    return _(
        "“%(rating)s” needs data: record scores for this goal in this period, or add "
        "other evidence (a note, or where the work sample is kept)."
    ) % {"rating": selectors.rating_label(rating, settings)}


def check_save_entry(
    entry: GoalReportEntry,
    *,
    actor: Any,
    access: ReportsAccess | None,
    rating: str,
    narrative: str = "",
    evidence_note: str = "",
    evidence_reference: str = "",
    revision: int | None = None,
) -> GoalReportEntry:
    """The team's rating and words for one goal of a draft report. "Sufficient" and
    "met" need counted points in the period or other evidence."""
    report = entry.report
    access = _check(access, actor=actor, student=report.student)
    _require(access.can_write, WRITERS_ONLY)
    errors: Errors = {}
    rating = (rating or "").strip()
    if rating and rating not in Rating.values:
        errors["rating"] = [_("Choose a rating from the list.")]
    narrative = _limit(narrative, MAX_NARRATIVE, "narrative", errors)
    evidence_note = _limit(evidence_note, MAX_EVIDENCE, "evidence_note", errors)
    evidence_reference = _limit(evidence_reference, 300, "evidence_reference", errors)
    settings = selectors.settings_for(report.student.district)
    has_evidence = bool(evidence_note or evidence_reference)
    if rating in NEEDS_DATA and not entry.has_data and not has_evidence:
        errors["rating"] = [_needs_data_words(rating, settings)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = (
            GoalReportEntry.objects.select_for_update().select_related("report").get(pk=entry.pk)
        )
        _require(locked.report.is_draft, ISSUED)
        if revision is not None and revision != locked.revision:
            raise ValidationError(
                _(
                    "Someone else saved this goal's entry after you opened it. Your words "
                    "are below; check theirs on the report before saving again."
                )
            )
        before = {
            "rating": locked.rating,
            "narrative": locked.narrative,
            "evidence_note": locked.evidence_note,
            "evidence_reference": locked.evidence_reference,
        }
        locked.rating = rating
        locked.narrative = narrative
        locked.evidence_note = evidence_note
        locked.evidence_reference = evidence_reference
        locked.revision += 1
        locked.updated_at = timezone.now()
        locked.updated_by = actor
        locked.save(
            update_fields=[
                "rating",
                "narrative",
                "evidence_note",
                "evidence_reference",
                "revision",
                "updated_at",
                "updated_by",
            ]
        )
        after = {k: getattr(locked, k) for k in before}
        record_audit(
            actor=actor,
            action="report.entry_saved",
            target=locked,
            changes={
                "student": report.student_id,
                "report": report.pk,
                **{k: [before[k], after[k]] for k in before if before[k] != after[k]},
            },
        )
    return locked


def check_issue_report(
    report: ProgressReport, *, actor: Any, access: ReportsAccess | None
) -> ProgressReport:
    """Issue a draft to the family: every goal rated, every claim of progress backed by
    data or evidence. From now on it never changes; the family is told."""
    access = _check(access, actor=actor, student=report.student)
    _require(access.can_issue, ISSUERS_ONLY)
    settings = selectors.settings_for(report.student.district)
    with transaction.atomic():
        locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
        _require(locked.is_draft, ISSUED)
        entries = list(GoalReportEntry.objects.filter(report=locked))
        if not entries:
            raise ValidationError(_("This report has no goals to report on."))
        unrated = [e for e in entries if not e.rating]
        if unrated:
            raise ValidationError(_("Choose a rating for every goal before issuing the report."))
        for entry in entries:
            if entry.rating in NEEDS_DATA and not entry.has_data and not entry.has_evidence:
                raise ValidationError(_needs_data_words(entry.rating, settings))
        locked.status = ProgressReport.Status.ISSUED
        locked.issued_at = timezone.now()
        locked.issued_by = actor
        locked.save(update_fields=["status", "issued_at", "issued_by"])
        record_audit(
            actor=actor,
            action="report.issued",
            target=locked,
            changes={
                "student": report.student_id,
                "period": locked.period_id,
                "revision": locked.revision,
                "ratings": {str(e.goal_lineage): e.rating for e in entries},
            },
        )
        locked.student = report.student
        publish(Event("report.issued", actor, report.student, Part.PROGRESS, locked))
    report.status, report.issued_at, report.issued_by = (
        locked.status,
        locked.issued_at,
        actor,
    )
    return locked


def check_start_correction(
    report: ProgressReport, *, actor: Any, access: ReportsAccess | None
) -> ProgressReport:
    """A correction of an issued report: a new draft revision with the same entries,
    which the team edits and issues in its turn. The issued one stays as it was."""
    access = _check(access, actor=actor, student=report.student)
    _require(access.can_write, WRITERS_ONLY)
    if not report.is_issued:
        raise ValidationError(_("Only an issued report can be corrected."))
    with transaction.atomic():
        if ProgressReport.objects.filter(replaces=report).exists():
            raise ValidationError(_("This report was already corrected: correct the newest one."))
        if ProgressReport.objects.filter(
            student=report.student, period=report.period, status=ProgressReport.Status.DRAFT
        ).exists():
            raise ValidationError(_("A correction of this report is already being drafted."))
        highest = ProgressReport.objects.filter(
            student=report.student, period=report.period
        ).aggregate(top=Max("revision"))["top"]
        try:
            with transaction.atomic():
                fresh = ProgressReport.objects.create(
                    student=report.student,
                    period=report.period,
                    revision=(highest or 1) + 1,
                    replaces=report,
                    created_by=actor,
                    minimum_points=report.minimum_points,
                )
        except IntegrityError:
            raise ValidationError(
                _("A correction of this report is already being drafted.")
            ) from None
        GoalReportEntry.objects.bulk_create(
            GoalReportEntry(report=fresh, **{f: getattr(e, f) for f in ENTRY_FIELDS})
            for e in GoalReportEntry.objects.filter(report=report)
        )
        record_audit(
            actor=actor,
            action="report.correction_started",
            target=fresh,
            changes={"student": report.student_id, "replaces": report.pk},
        )
    fresh.student = report.student
    return fresh


# --- the family answers ----------------------------------------------------------------


def do_acknowledge_report(
    report: ProgressReport, *, actor: Any, access: ReportsAccess | None
) -> tuple[ReportAcknowledgement, bool]:
    """A family member says they received the report; once per person (again changes
    nothing and answers the first)."""
    access = _check(access, actor=actor, student=report.student)
    _require(access.can_answer, FAMILY_ONLY)
    if not report.is_issued:
        raise ValidationError(_("This report has not been issued yet."))
    with transaction.atomic():
        ack, created = ReportAcknowledgement.objects.get_or_create(report=report, user=actor)
        if created:
            record_audit(
                actor=actor,
                action="report.acknowledged",
                target=report,
                changes={"student": report.student_id, "at": ack.at},
            )
    return ack, created


def check_add_comment(
    report: ProgressReport, *, actor: Any, access: ReportsAccess | None, text: str
) -> ReportComment:
    """The family writes back about an issued report; the team is told."""
    access = _check(access, actor=actor, student=report.student)
    _require(access.can_answer, FAMILY_ONLY)
    if not report.is_issued:
        raise ValidationError(_("This report has not been issued yet."))
    errors: Errors = {}
    cleaned = _limit(text, MAX_COMMENT, "text", errors)
    if not cleaned and not errors:
        errors["text"] = [_("Write what you would like the team to know.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        comment = ReportComment.objects.create(
            report=report,
            author=actor,
            text=cleaned,
            language=str(getattr(actor, "language", "") or "en"),
        )
        record_audit(
            actor=actor,
            action="report.commented",
            target=comment,
            changes={"student": report.student_id, "report": report.pk},
        )
        comment.report = report
        publish(Event("report.commented", actor, report.student, Part.PROGRESS, comment))
    return comment
