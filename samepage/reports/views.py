"""A child's progress reports (list, report, PDF, a goal's entry, issue, correct,
acknowledge, comment) and a school's generation page with its progress bar. Thin:
permissions decide, actions write, selectors and presenters read."""

from __future__ import annotations

from typing import Any

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samepage.core import pdf
from samepage.core.access_log import record_access
from samepage.core.bounds import paginate
from samepage.core.forms import add_validation_errors, report_errors
from samepage.core.htmx import see_other
from samepage.reports import actions, presenters, selectors
from samepage.reports.actions.documents import report_pdf_from_html
from samepage.reports.forms import (
    CommentForm,
    EntryForm,
    PeriodForm,
    RatingLabelsForm,
    ReportingPeriodForm,
)
from samepage.reports.models import GoalReportEntry, ProgressReport, Rating, ReportGenerationJob
from samepage.reports.permissions import (
    LABELS_ONLY,
    ReportsAccess,
    access_entry,
    access_job,
    access_period,
    access_report,
    access_report_settings,
    access_reports,
    access_school_reports,
    visible_reports,
)
from samepage.teams.permissions import Part

PER_PAGE = 20


def _record(request: HttpRequest, access: ReportsAccess) -> None:
    record_access(user=request.user, access=access.record, part=Part.PROGRESS, via="page")


def _detail_url(report: ProgressReport, anchor: str = "") -> str:
    url = reverse("reports:detail", args=[report.student_id, report.pk])
    return f"{url}#{anchor}" if anchor else url


def _periods(access: ReportsAccess) -> list[tuple[str, str]]:
    return [(str(p.pk), p.name) for p in selectors.periods_for(access.student.district)[:20]]


@require_GET
@login_required
def report_list(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_reports(request.user, student_id)
    page = paginate(
        selectors.reports_for(visible_reports(access)), request.GET.get("page"), PER_PAGE
    )
    _record(request, access)
    context: dict[str, Any] = {
        "student": access.student,
        "access": access,
        "record": access.record,
        "page": page,
        "period_form": PeriodForm(periods=_periods(access)) if access.can_write else None,
    }
    return render(request, "reports/list.html", context)


@require_POST
@login_required
def draft_report(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_reports(request.user, student_id, action="write")
    try:
        report = actions.check_draft_report(access, request.POST.get("period"), actor=request.user)
    except ValidationError as e:
        _record(request, access)
        form = PeriodForm(request.POST, periods=_periods(access))
        form.is_valid()
        add_validation_errors(form, e)
        page = paginate(selectors.reports_for(visible_reports(access)), None, PER_PAGE)
        context = {
            "student": access.student,
            "access": access,
            "record": access.record,
            "page": page,
            "period_form": form,
        }
        return render(request, "reports/list.html", context, status=400)
    messages.success(request, _("The report is drafted from the progress data."))
    return see_other(_detail_url(report))


def _report_context(access: ReportsAccess, report: ProgressReport) -> dict[str, Any]:
    settings = selectors.settings_for(access.student.district)
    entries = presenters.shown_entries(report, selectors.entries_of(report), settings)
    acknowledgements = selectors.acknowledgements_of(report) if report.is_issued else []
    user_id = access.record.user_id
    return {
        "student": access.student,
        "access": access,
        "record": access.record,
        "report": report,
        "entries": entries,
        "insufficient": presenters.report_says_insufficient(entries),
        "comments": selectors.comments_of(report) if report.is_issued else [],
        "acknowledgements": acknowledgements,
        "acknowledged": any(a.user_id == user_id for a in acknowledgements),
        "replaced_by": ProgressReport.objects.filter(replaces=report).first()
        if report.is_issued
        else None,
    }


@require_GET
@login_required
def report_detail(request: HttpRequest, student_id: int, report_id: int) -> HttpResponse:
    access, report = access_report(request.user, student_id, report_id)
    _record(request, access)
    context = _report_context(access, report)
    context["comment_form"] = CommentForm() if access.may_answer(report) else None
    return render(request, "reports/detail.html", context)


@require_GET
@login_required
def report_pdf(request: HttpRequest, student_id: int, report_id: int) -> HttpResponse:
    access, report = access_report(request.user, student_id, report_id)
    _record(request, access)
    html = pdf.render_html("reports/pdf/report.html", _report_context(access, report))
    document = report_pdf_from_html(report, html)
    name = pdf.pdf_filename(access.student.display_name, "progress-report", report.revision)
    return pdf.pdf_response(document, name)


def _entry_page(
    request: HttpRequest,
    access: ReportsAccess,
    report: ProgressReport,
    entry: GoalReportEntry,
    form: EntryForm,
    *,
    status: int = 200,
) -> HttpResponse:
    _record(request, access)
    settings = selectors.settings_for(access.student.district)
    shown = presenters.shown_entries(report, [entry], settings)[0]
    context = {
        "student": access.student,
        "access": access,
        "record": access.record,
        "report": report,
        "shown": shown,
        "form": form,
    }
    return render(request, "reports/edit_entry.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def edit_entry(
    request: HttpRequest, student_id: int, report_id: int, goal_entry_id: int
) -> HttpResponse:
    access, report, entry = access_entry(request.user, student_id, report_id, goal_entry_id)
    labels = presenters.rating_choices(selectors.settings_for(access.student.district))
    if request.method == "GET":
        initial = {
            "rating": entry.rating,
            "narrative": entry.narrative,
            "evidence_note": entry.evidence_note,
            "evidence_reference": entry.evidence_reference,
            "revision": entry.revision,
        }
        return _entry_page(
            request, access, report, entry, EntryForm(initial=initial, labels=labels)
        )
    form = EntryForm(request.POST, labels=labels)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.check_save_entry(
                entry,
                actor=request.user,
                access=access,
                rating=data["rating"],
                narrative=data["narrative"],
                evidence_note=data["evidence_note"],
                evidence_reference=data["evidence_reference"],
                revision=data.get("revision"),
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Saved. The report is still a draft."))
            return see_other(_detail_url(report, f"goal-{entry.pk}"))
    return _entry_page(request, access, report, entry, form, status=400)


@require_POST
@login_required
def issue_report(request: HttpRequest, student_id: int, report_id: int) -> HttpResponse:
    access, report = access_report(request.user, student_id, report_id, action="issue")
    try:
        actions.check_issue_report(report, actor=request.user, access=access)
    except ValidationError as e:
        report_errors(request, e)
    else:
        messages.success(request, _("The report was issued. The family will be told."))
    return see_other(_detail_url(report))


@require_POST
@login_required
def correct_report(request: HttpRequest, student_id: int, report_id: int) -> HttpResponse:
    access, report = access_report(request.user, student_id, report_id, action="correct")
    try:
        fresh = actions.check_start_correction(report, actor=request.user, access=access)
    except ValidationError as e:
        report_errors(request, e)
        return see_other(_detail_url(report))
    messages.success(request, _("A correction was started. Issue it when it is ready."))
    return see_other(_detail_url(fresh))


@require_POST
@login_required
def acknowledge_report(request: HttpRequest, student_id: int, report_id: int) -> HttpResponse:
    access, report = access_report(request.user, student_id, report_id, action="answer")
    actions.do_acknowledge_report(report, actor=request.user, access=access)
    messages.success(request, _("Thank you. The team can see that you received the report."))
    return see_other(_detail_url(report, "family"))


@require_POST
@login_required
def comment_report(request: HttpRequest, student_id: int, report_id: int) -> HttpResponse:
    access, report = access_report(request.user, student_id, report_id, action="answer")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = actions.check_add_comment(
                report, actor=request.user, access=access, text=form.cleaned_data["text"]
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Your comment was sent to the team."))
            return see_other(_detail_url(report, f"comment-{comment.pk}"))
    _record(request, access)
    context = _report_context(access, report)
    context["comment_form"] = form
    return render(request, "reports/detail.html", context, status=400)


# --- a school's reports ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def school_reports(request: HttpRequest, school_id: int) -> HttpResponse:
    access = access_school_reports(request.user, school_id)
    school = access.school
    periods = list(selectors.periods_for(school.district)[:20])
    choices = [(str(p.pk), p.name) for p in periods]
    form = PeriodForm(request.POST or None, periods=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            period = next(p for p in periods if str(p.pk) == form.cleaned_data["period"])
            job = actions.do_start_generation(access, period, actor=request.user)
            messages.success(request, _("The reports are being drafted. This page shows how far."))
            return see_other(reverse("reports:job", args=[school.pk, job.pk]))
        status = 400
    jobs = list(ReportGenerationJob.objects.filter(school=school).select_related("period")[:20])
    context = {"school": school, "form": form, "jobs": jobs}
    return render(request, "reports/school.html", context, status=status)


@require_GET
@login_required
def job_progress(request: HttpRequest, school_id: int, job_id: int) -> HttpResponse:
    access, job = access_job(request.user, school_id, job_id)
    context = {"school": access.school, "job": job}
    if getattr(request, "htmx", False):
        return render(request, "reports/_partials/job_progress.html", context)
    return render(request, "reports/job.html", context)


# --- the district's reporting calendar and words (its administrator) ---------------


def _periods_page(
    request: HttpRequest, district: Any, form: ReportingPeriodForm, *, status: int = 200
) -> HttpResponse:
    page = paginate(selectors.district_periods(district), request.GET.get("page"), PER_PAGE)
    context = {"district": district, "page": page, "form": form}
    return render(request, "reports/periods.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def periods(request: HttpRequest) -> HttpResponse:
    """The district's reporting periods, newest first, and a form to add one."""
    district = access_report_settings(request.user)
    if request.method == "GET":
        return _periods_page(request, district, ReportingPeriodForm())
    form = ReportingPeriodForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            period = actions.check_add_period(
                district,
                actor=request.user,
                name=data["name"],
                starts=data["starts"],
                ends=data["ends"],
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("The period “%(name)s” was added.") % {"name": period.name})
            return see_other(reverse("reports:periods"))
    return _periods_page(request, district, form, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def edit_period(request: HttpRequest, period_id: int) -> HttpResponse:
    """Rename a period, or move its days while no report uses it."""
    period = access_period(request.user, period_id)
    fixed = selectors.period_in_use(period)
    initial = {"name": period.name, "starts": period.starts, "ends": period.ends}
    status = 200
    if request.method == "GET":
        form = ReportingPeriodForm(initial=initial, days_fixed=fixed)
    else:
        form = ReportingPeriodForm(request.POST, initial=initial, days_fixed=fixed)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.check_change_period(
                    period,
                    actor=request.user,
                    name=data["name"],
                    starts=data["starts"],
                    ends=data["ends"],
                )
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                messages.success(request, _("The period was saved."))
                return see_other(reverse("reports:periods"))
    context = {"period": period, "form": form, "days_fixed": fixed}
    return render(request, "reports/edit_period.html", context, status=status)


@require_POST
@login_required
def archive_period(request: HttpRequest, period_id: int) -> HttpResponse:
    """Retire a period (its reports keep it; nothing is deleted)."""
    period = access_period(request.user, period_id)
    actions.check_archive_period(period, actor=request.user)
    messages.success(
        request,
        _("The period “%(name)s” was archived. Its reports keep it.") % {"name": period.name},
    )
    return see_other(reverse("reports:periods"))


@require_http_methods(["GET", "POST"])
@login_required
def rating_labels(request: HttpRequest) -> HttpResponse:
    """The district's own words for the canonical ratings, per language."""
    district = access_report_settings(request.user, refusal=LABELS_ONLY)
    languages = list(django_settings.LANGUAGES)
    own = selectors.settings_for(district).labels
    initial = {
        f"{rating}_{code}": (own.get(rating) or {}).get(code, "")
        for rating in Rating.values
        for code, _name in languages
    }
    form = RatingLabelsForm(
        request.POST if request.method == "POST" else None, initial=initial, languages=languages
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.check_set_rating_labels(
                    district, actor=request.user, labels=form.labels(languages)
                )
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                messages.success(
                    request, _("The words for the ratings were saved. New reports use them.")
                )
                return see_other(reverse("reports:rating_labels"))
    return render(request, "reports/rating_labels.html", {"form": form}, status=status)
