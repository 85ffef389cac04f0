"""The reports API end to end: the same rules as the pages, keyset pages, clear 400s."""

from __future__ import annotations

import pytest

from samepage.api.tests.helpers import token_client
from samepage.core.models import AccessEvent
from samepage.reports import actions
from samepage.reports.models import ReportComment
from samepage.reports.tests.helpers import access_of, draft, issue

pytestmark = pytest.mark.django_db


def _url(world, rest: str = "") -> str:
    return f"/api/v1/students/{world.child.pk}/reports{rest}"


def test_the_family_lists_issued_reports_and_reads_one(world):
    report = draft(world, values=["45", "50"])
    family = token_client(world.parent)
    assert family.get(_url(world)).json()["items"] == []  # a draft is staff's alone
    assert family.get(_url(world, f"/{report.pk}")).status_code == 404
    issue(world, report)
    listed = family.get(_url(world)).json()
    assert [r["id"] for r in listed["items"]] == [report.pk] and listed["next"] is None
    body = family.get(_url(world, f"/{report.pk}")).json()
    entry = body["entries"][0]
    assert entry["rating"] == "sufficient" and entry["rating_label"] == "Sufficient progress"
    assert entry["insufficient_data"] is True
    assert entry["insufficient_data_text"].startswith("Insufficient data: only 2 scores")
    assert [s["value"] for s in entry["scores"]] == [45.0, 50.0]
    assert AccessEvent.objects.filter(user=world.parent, part="progress", via="api").count() == 3


def test_staff_list_drafts_a_page_at_a_time(world):
    report = draft(world)
    issue(world, report)
    actions.check_start_correction(
        report, actor=world.case_manager, access=access_of(world.case_manager, world.child)
    )
    staff = token_client(world.case_manager)
    first = staff.get(_url(world) + "?limit=1").json()
    assert len(first["items"]) == 1 and first["next"]
    second = staff.get(_url(world) + f"?limit=1&cursor={first['next']}").json()
    assert {first["items"][0]["status"], second["items"][0]["status"]} == {"draft", "issued"}
    assert staff.get(_url(world) + "?cursor=nonsense").status_code == 400


def test_acknowledge_and_comment_through_the_api(world):
    report = draft(world)
    issue(world, report)
    family = token_client(world.parent)
    acked = family.post(_url(world, f"/{report.pk}/acknowledge"), content_type="application/json")
    assert acked.status_code == 200
    assert [a["person"]["name"] for a in acked.json()["acknowledgements"]] == ["Alice Lane"]
    again = family.post(_url(world, f"/{report.pk}/acknowledge"), content_type="application/json")
    assert len(again.json()["acknowledgements"]) == 1
    comment = family.post(
        _url(world, f"/{report.pk}/comments"), {"text": "Thanks"}, content_type="application/json"
    )
    assert comment.status_code == 201 and comment.json()["text"] == "Thanks"
    empty = family.post(
        _url(world, f"/{report.pk}/comments"), {"text": " "}, content_type="application/json"
    )
    assert empty.status_code == 400 and "text" in empty.json()["errors"]
    assert ReportComment.objects.count() == 1
    staff = token_client(world.case_manager)
    refused = staff.post(
        _url(world, f"/{report.pk}/comments"), {"text": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert token_client(world.other_parent).get(_url(world, f"/{report.pk}")).status_code == 404
    assert token_client(world.gen_ed_teacher).get(_url(world)).status_code == 403


def test_the_list_and_a_report_read_a_fixed_number_of_queries(world, django_assert_num_queries):
    report = draft(world)
    issue(world, report)
    family = token_client(world.parent)
    family.get(_url(world))
    # The token and its person, their roles, the student and their access (guardianship,
    # consents), the page of reports with their periods, the access log.
    with django_assert_num_queries(8):
        assert family.get(_url(world)).status_code == 200
    # One report: the same, then its entries, the district's labels, the
    # acknowledgements and comments (one query each, whatever their number).
    with django_assert_num_queries(12):
        assert family.get(_url(world, f"/{report.pk}")).status_code == 200
