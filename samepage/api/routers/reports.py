"""A child's progress reports: list, one report, and the family's acknowledgement and
comment.

Thin, like the pages in samepage/reports/views.py: ``reports.permissions`` decides
(student missing or not visible, another student's report, or a draft the reader may
not see → 404; progress not shared, or the write not allowed → 403), the actions
validate, write and audit, the selectors and presenters read. Every read leaves one
AccessEvent with part "progress".
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from samepage.api.auth import api_user
from samepage.api.pagination import Keyset, PageIn, body, page_of
from samepage.api.schemas import ErrorOut, RecordId, ValidationErrorOut
from samepage.api.schemas_reports import CommentIn, CommentOut, ReportOut, ReportSummaryOut
from samepage.core.access_log import record_access
from samepage.core.models import AccessEvent
from samepage.reports import actions, presenters, selectors
from samepage.reports.models import ProgressReport, ReportComment
from samepage.reports.permissions import (
    ReportsAccess,
    access_report,
    access_reports,
    visible_reports,
)
from samepage.teams.permissions import Part

router = Router(tags=["reports"])

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {400: ValidationErrorOut, **READ}

# Newest first, from the (student, -created_at, -id) index.
REPORTS = Keyset("reports", ("-created_at", "-pk"))
ReportPage = page_of(ReportSummaryOut)


def _note_view(user: Any, access: ReportsAccess) -> None:
    record_access(user=user, access=access.record, part=Part.PROGRESS, via=AccessEvent.Via.API)


def _summary(report: ProgressReport) -> dict[str, Any]:
    period = report.period
    return {
        "id": report.pk,
        "student_id": report.student_id,
        "period": {
            "id": period.pk,
            "name": period.name,
            "starts": period.starts,
            "ends": period.ends,
        },
        "revision": report.revision,
        "status": report.status,
        "issued_at": report.issued_at,
        "replaces_id": report.replaces_id,
    }


def _comment(comment: ReportComment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "author": comment.author,
        "text": comment.text,
        "language": comment.language,
        "created_at": comment.created_at,
    }


def _report(access: ReportsAccess, report: ProgressReport) -> dict[str, Any]:
    settings = selectors.settings_for(access.student.district)
    shown = presenters.shown_entries(report, selectors.entries_of(report), settings)
    issued = report.is_issued
    return {
        **_summary(report),
        "issued_by": report.issued_by,
        "entries": [
            {
                "id": s.entry.pk,
                "goal_lineage": str(s.entry.goal_lineage),
                "goal": s.entry.goal_text,
                "rating": s.entry.rating,
                "rating_label": s.rating_label,
                "narrative": s.entry.narrative,
                "evidence_note": s.entry.evidence_note,
                "evidence_reference": s.entry.evidence_reference,
                "points_in_period": s.entry.points_in_period,
                "insufficient_data": s.too_little_data,
                "insufficient_data_text": s.insufficient_words,
                "summary": s.lines,
                "last_value": float(s.entry.last_value) if s.entry.last_value is not None else None,
                "last_day": s.entry.last_day,
                "trend_per_week": s.entry.trend_per_week,
                "projected_on": s.entry.projected_on,
                "unit": s.entry.unit,
                "scores": [
                    {"day": row.day, "value": row.value, "series": row.series}
                    for row in s.chart["rows"]
                ],
            }
            for s in shown
        ],
        "acknowledgements": [
            {"person": a.user, "at": a.at} for a in selectors.acknowledgements_of(report)
        ]
        if issued
        else [],
        "comments": [_comment(c) for c in selectors.comments_of(report)] if issued else [],
    }


@router.get(
    "/students/{student_id}/reports",
    response={200: ReportPage, **WRITE},
    summary="Progress reports, newest first (drafts for staff only)",
)
def list_reports(request: HttpRequest, student_id: RecordId, page: Query[PageIn]) -> dict[str, Any]:
    user = api_user(request)
    access = access_reports(user, student_id)
    REPORTS.check(page)
    _note_view(user, access)
    found = REPORTS.page(visible_reports(access).select_related("period"), page, few=True)
    return body(found, [_summary(r) for r in found.items])


@router.get(
    "/students/{student_id}/reports/{report_id}",
    response={200: ReportOut, **READ},
    summary="One progress report: each goal's rating, words and data",
)
def get_report(request: HttpRequest, student_id: RecordId, report_id: RecordId) -> dict[str, Any]:
    user = api_user(request)
    access, report = access_report(user, student_id, report_id)
    _note_view(user, access)
    return _report(access, report)


@router.post(
    "/students/{student_id}/reports/{report_id}/acknowledge",
    response={200: ReportOut, **WRITE},
    summary="Say you received an issued report (the family; again changes nothing)",
)
def acknowledge_report(
    request: HttpRequest, student_id: RecordId, report_id: RecordId
) -> dict[str, Any]:
    user = api_user(request)
    access, report = access_report(user, student_id, report_id, action="answer")
    actions.do_acknowledge_report(report, actor=user, access=access)
    return _report(access, report)


@router.post(
    "/students/{student_id}/reports/{report_id}/comments",
    response={201: CommentOut, **WRITE},
    summary="Comment on an issued report (the family; the team is told)",
)
def comment_on_report(
    request: HttpRequest, student_id: RecordId, report_id: RecordId, payload: CommentIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    access, report = access_report(user, student_id, report_id, action="answer")
    comment = actions.check_add_comment(report, actor=user, access=access, text=payload.text)
    comment.author = user
    return Status(201, _comment(comment))
