"""Every write about progress reports: drafting reports from the progress data (one
student, or a school's in the background), the team's rating and words for each goal,
issuing, correcting, and the family's answer. The district's periods and its words for
the ratings are written in ``district.py`` (re-exported here).

Each write takes a keyword-only ``actor`` (and, where a person acts on a child's record,
the ``ReportsAccess`` the permission layer worked out for them, checked again here),
validates with messages in the user's language, runs in one transaction, writes its
audit row and announces its event after commit. An issued report is never written
again: a correction is a new revision, the family's answers rows of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from samepage.core.audit import record_audit
from samepage.core.dates import district_today
from samepage.core.events import Event, publish
from samepage.reports import selectors, tasks
from samepage.reports.actions.district import (
    check_add_period as check_add_period,
)
from samepage.reports.actions.district import (
    check_archive_period as check_archive_period,
)
from samepage.reports.actions.district import (
    check_change_period as check_change_period,
)
from samepage.reports.actions.district import (
    check_set_rating_labels as check_set_rating_labels,
)
from samepage.reports.actions.district import (
    do_set_report_settings as do_set_report_settings,
)
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
from samepage.schools.models import Student
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
