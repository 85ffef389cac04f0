"""The pages end to end, per role: the list and the report, a goal's entry, issuing,
the family's answer, the PDF's text, the school's generation page, and the query
count of the report page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from samepage.core import pdf as paper
from samepage.core.models import AccessEvent
from samepage.reports import actions
from samepage.reports.models import (
    GoalReportEntry,
    ProgressReport,
    ReportComment,
    StoredReportPdf,
)
from samepage.reports.tests.helpers import (
    access_of,
    client_for,
    draft,
    entry_of,
    issue,
    period,
)

pytestmark = pytest.mark.django_db


def _url(name: str, report: ProgressReport, *extra: int) -> str:
    return reverse(f"reports:{name}", args=[report.student_id, report.pk, *extra])


def test_the_case_manager_rates_and_issues_and_the_family_reads_it(world):
    report = draft(world)
    entry = entry_of(report)
    staff = client_for(world.case_manager)
    html = staff.get(_url("detail", report)).content.decode()
    assert "Read grade-level text fluently" in html and "Draft: not yet shared" in html
    assert "<svg" in html and "The scores on the chart" in html
    # A draft is not the family's to see: it does not exist for them yet.
    assert client_for(world.parent).get(_url("detail", report)).status_code == 404
    edit = _url("edit_entry", report, entry.pk)
    assert staff.get(edit).status_code == 200
    saved = staff.post(
        edit, {"rating": "sufficient", "narrative": "Reads more each week.", "revision": "1"}
    )
    assert saved.status_code == 303
    assert staff.post(_url("issue", report)).status_code == 303
    family = client_for(world.parent)
    page = family.get(_url("detail", report)).content.decode()
    assert "Sufficient progress" in page and "Reads more each week." in page
    assert "I received this report" in page
    listed = family.get(reverse("reports:list", args=[world.child.pk])).content.decode()
    assert _url("detail", report) in listed


def test_a_rating_without_data_comes_back_with_the_reason(world):
    report = draft(world, values=[])
    response = client_for(world.case_manager).post(
        _url("edit_entry", report, entry_of(report).pk), {"rating": "met", "revision": "1"}
    )
    assert response.status_code == 400
    assert "needs data" in response.content.decode()
    assert entry_of(report).rating == ""
    page = client_for(world.case_manager).get(_url("detail", report)).content.decode()
    assert "Insufficient data: no scores were recorded for this goal in this period" in page
    assert "The data suggests: Insufficient data" in page


def test_an_issued_report_refuses_edits_with_403(world):
    report = draft(world)
    issue(world, report)
    staff = client_for(world.case_manager)
    edit = _url("edit_entry", report, entry_of(report).pk)
    assert staff.get(edit).status_code == 403
    assert staff.post(edit, {"rating": "insufficient"}).status_code == 403
    assert staff.post(_url("issue", report)).status_code == 403


def test_who_may_do_what(world):
    report = draft(world)
    issue(world, report)
    detail = _url("detail", report)
    assert client_for(world.other_parent).get(detail).status_code == 404
    assert client_for(world.restricted_parent).get(detail).status_code == 404
    assert client_for(world.gen_ed_teacher).get(detail).status_code == 403
    assert client_for(world.advocate).get(detail).status_code == 404
    assert client_for(world.student_user).get(detail).status_code == 200
    # Another student's report under this student's id: 404.
    other = reverse("reports:detail", args=[world.other_child.pk, report.pk])
    assert client_for(world.district_admin).get(other).status_code == 404
    assert client_for(world.case_manager).post(_url("acknowledge", report)).status_code == 403
    assert (
        client_for(world.student_user).post(_url("comment", report), {"text": "x"}).status_code
        == 403
    )


def test_the_family_acknowledges_and_comments_on_the_page(world):
    report = draft(world)
    issue(world, report)
    family = client_for(world.parent)
    assert family.post(_url("acknowledge", report)).status_code == 303
    assert family.post(_url("acknowledge", report)).status_code == 303  # again: nothing new
    page = family.get(_url("detail", report)).content.decode()
    assert "Alice Lane received it on" in page and "I received this report" not in page
    response = family.post(_url("comment", report), {"text": "Can we talk about reading?"})
    assert response.status_code == 303
    comment = ReportComment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert family.post(_url("comment", report), {"text": ""}).status_code == 400


def test_the_pdf_says_what_the_page_says_in_the_readers_language(world):
    actions.do_set_report_settings(
        world.child.district,
        actor=world.district_admin,
        labels={"sufficient": {"en": "Progressing well", "es": "Progresa bien"}},
    )
    report = draft(world, values=["45", "50"])
    issue(world, report)
    response = client_for(world.parent).get(_url("pdf", report))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Progress report for Casey Lane: First quarter" in text
    assert "Progressing well" in text
    assert "Casey reads more words each week." in text
    assert "Insufficient data: only 2 scores were recorded" in text
    assert "For some goals there is insufficient data" in text
    assert "2 scores recorded in this period." in text
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    response = client_for(world.parent).get(_url("pdf", report))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Informe de progreso de Casey Lane" in text
    assert "Progresa bien" in text
    assert "Datos insuficientes: solo se registraron 2 resultados" in text


def test_the_report_page_reads_a_fixed_number_of_queries(world, django_assert_num_queries):
    report = draft(world)
    staff = client_for(world.case_manager)
    staff.get(_url("detail", report))
    # Session and user, the person's roles, the student, their access (memberships,
    # guardianship, consents), the report, entries, district settings, the access log,
    # the record nav: the same however many goals and points.
    with django_assert_num_queries(11):
        assert staff.get(_url("detail", report)).status_code == 200


def test_the_school_page_drafts_a_periods_reports_with_a_progress_bar(
    world, django_capture_on_commit_callbacks
):
    from samepage.progress.tests import helpers as progress

    progress.measure(world)
    quarter = period(world)
    url = reverse("reports:school", args=[world.school.pk])
    leader = client_for(world.school_leader)
    assert leader.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = leader.post(url, {"period": str(quarter.pk)})
    assert response.status_code == 303
    page = leader.get(response["Location"])
    html = page.content.decode()
    assert "<progress" in html and "1 of 1 students" in html
    partial = leader.get(response["Location"], headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="job-progress"')
    assert ProgressReport.objects.filter(student=world.child, period=quarter).count() == 1
    assert GoalReportEntry.objects.count() == 1
    # Twice: nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        leader.post(url, {"period": str(quarter.pk)})
    assert ProgressReport.objects.count() == 1 and GoalReportEntry.objects.count() == 1
    assert client_for(world.other_school_leader).get(url).status_code == 404
    assert client_for(world.provider).get(url).status_code == 403
    assert client_for(world.parent).get(url).status_code == 404
    assert client_for(world.case_manager).get(url).status_code == 200
    assert leader.post(url, {"period": "0"}).status_code == 400


def test_staff_draft_one_students_report_from_the_list(world):
    from samepage.reports.tests.helpers import goal_with_points

    goal_with_points(world)
    quarter = period(world)
    url = reverse("reports:draft", args=[world.child.pk])
    staff = client_for(world.case_manager)
    response = staff.post(url, {"period": str(quarter.pk)})
    assert response.status_code == 303
    again = staff.post(url, {"period": str(quarter.pk)})
    assert again["Location"] == response["Location"]
    assert ProgressReport.objects.count() == 1
    assert staff.post(url, {"period": "x"}).status_code == 400
    assert client_for(world.parent).post(url, {"period": str(quarter.pk)}).status_code == 403
    access_of(world.case_manager, world.child)


def test_the_tab_and_the_home_link_lead_to_the_reports(world):
    report = draft(world)
    issue(world, report)
    detail = reverse("home:student_detail", args=[world.child.pk])
    tab = reverse("reports:list", args=[world.child.pk])
    assert tab in client_for(world.parent).get(detail).content.decode()
    assert tab not in client_for(world.gen_ed_teacher).get(detail).content.decode()
    school = reverse("reports:school", args=[world.school.pk])
    for who in (world.case_manager, world.school_leader):
        assert school in client_for(who).get("/home/").content.decode()
    assert school not in client_for(world.provider).get("/home/").content.decode()


def test_an_issued_reports_pdf_is_laid_out_once_per_document_and_read_back(world):
    report = draft(world)
    parent = client_for(world.parent)
    # A draft changes while the team writes it: laid out on each request, never stored.
    manager = client_for(world.case_manager)
    renders = paper.renders
    assert manager.get(_url("pdf", report)).status_code == 200
    assert manager.get(_url("pdf", report)).status_code == 200
    assert paper.renders == renders + 2 and not StoredReportPdf.objects.exists()
    issue(world, report)
    renders = paper.renders
    first = parent.get(_url("pdf", report))
    second = parent.get(_url("pdf", report))
    assert paper.renders == renders + 1
    assert second.content == first.content
    assert StoredReportPdf.objects.filter(report=report, language="en").count() == 1
    # Another reader's document is different HTML (staff see who rated it), so its own file.
    manager.get(_url("pdf", report))
    # The family's comment is in the family's copy from then on: a new document.
    assert parent.post(_url("comment", report), {"text": "Thank you."}).status_code == 303
    third = parent.get(_url("pdf", report))
    assert third.status_code == 200 and third["Content-Type"] == "application/pdf"
    # A stored file that no longer matches its checksum is never served: laid out again.
    stored = StoredReportPdf.objects.filter(report=report).first()
    assert stored is not None
    StoredReportPdf.objects.filter(pk=stored.pk).update(sha256="0" * 64)
    renders = paper.renders
    seen = AccessEvent.objects.filter(user=world.parent).count()
    again = parent.get(_url("pdf", report))
    assert again.status_code == 200 and paper.renders == renders + 1
    # The row now points at the new, intact file: read back from then on.
    assert parent.get(_url("pdf", report)).content == again.content
    assert paper.renders == renders + 1
    # The access is recorded on every request, stored or not.
    assert AccessEvent.objects.filter(user=world.parent).count() == seen + 2
