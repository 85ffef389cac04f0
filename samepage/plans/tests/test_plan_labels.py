"""Telling plans apart, one truthful message per state, overdue reviews, and long
pages people can find their way around."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

from samepage import factories as f
from samepage.core.dates import district_today
from samepage.plans import selectors
from samepage.plans.actions import lifecycle
from samepage.plans.models import Plan, PlanQuestion, PlanVersion
from samepage.plans.permissions import plan_access
from samepage.plans.presenters import plan_label, school_year

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _fresh(plan: Plan) -> Plan:
    """The plan as a page would load it (no annotations left from an earlier label)."""
    return Plan.objects.select_related("student__district").get(pk=plan.pk)


def _in_effect(world, **extra) -> PlanVersion:
    return f.make_plan_in_effect(
        world.child, signer=world.parent, actor=world.case_manager, **extra
    )


def _overdue(version: PlanVersion, days: int = 10) -> date:
    """Move the annual review date into the past (test setup, straight to the row)."""
    due = district_today(version.plan.student.district) - timedelta(days=days)
    PlanVersion.objects.filter(pk=version.pk).update(annual_review_due=due)
    return due


class _Page(HTMLParser):
    """Ids on a page, and the links of its contents list."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, dict[str, str | None]] = {}
        self.contents_links: list[str] = []
        self._in_contents = 0

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids[attributes["id"]] = attributes
        if tag == "nav" and attributes.get("class") == "contents":
            assert attributes.get("aria-label")
            self._in_contents += 1
        elif tag == "a" and self._in_contents:
            self.contents_links.append(attributes["href"])

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "nav" and self._in_contents:
            self._in_contents -= 1


def _page(response) -> _Page:
    assert response.status_code == 200
    page = _Page()
    page.feed(response.content.decode())
    return page


def _assert_contents_lead_somewhere(response, *, at_least: int) -> list[str]:
    page = _page(response)
    assert len(page.contents_links) >= at_least
    for href in page.contents_links:
        assert href.startswith("#"), href
        assert href[1:] in page.ids, f"{href} has no element on the page"
    return page.contents_links


# --- telling plans apart ------------------------------------------------------------


def test_a_school_year_runs_from_july_to_june():
    assert school_year(date(2025, 8, 20)) == "2025–26"
    assert school_year(date(2026, 3, 1)) == "2025–26"
    assert school_year(date(2026, 7, 1)) == "2026–27"
    assert school_year(date(2099, 9, 1)) == "2099–00"


def test_every_state_has_its_own_label(world):
    plan = f.make_plan(world.child, world.case_manager, proposed_start=date(2026, 8, 15))
    assert plan_label(_fresh(plan)) == "IEP 2026–27, draft, not shared yet"
    draft = f.fill_plan(plan)
    lifecycle.do_share_draft(draft, actor=world.case_manager)
    assert plan_label(_fresh(plan)) == "IEP 2026–27, draft shared"
    lifecycle.do_record_meeting(draft, actor=world.case_manager, meeting_date=date(2026, 8, 1))
    lifecycle.check_finalize(draft, actor=world.case_manager)
    assert plan_label(_fresh(plan)) == "IEP 2026–27, waiting for signature"
    lifecycle.do_sign(
        draft,
        actor=world.parent,
        access=plan_access(world.parent, draft.plan),
        decision="agree",
        typed_name="Alice Lane",
        consent_to_initial_services=True,
    )
    assert plan_label(_fresh(plan)) == "IEP 2026–27, in effect"
    lifecycle.do_end_plan(plan, actor=world.case_manager, reason="Moved away.")
    assert plan_label(_fresh(plan)) == "IEP 2026–27, ended"


def test_a_replaced_plan_and_a_504_plan_say_so(world):
    old = _in_effect(world, proposed_start=date(2025, 9, 1))
    new = _in_effect(world, proposed_start=date(2026, 9, 1))
    assert plan_label(_fresh(old.plan)) == "IEP 2025–26, replaced by a newer plan"
    assert plan_label(_fresh(new.plan)) == "IEP 2026–27, in effect"
    leo = f.make_plan(world.other_child, plan_type="504", proposed_start=date(2024, 10, 1))
    assert plan_label(_fresh(leo)) == "504 plan 2024–25, draft, not shared yet"


def test_the_label_is_spanish_for_a_spanish_reader(world):
    from django.utils import translation

    version = _in_effect(world, proposed_start=date(2025, 9, 1))
    with translation.override("es"):
        assert plan_label(_fresh(version.plan)) == "IEP 2025–26, vigente"


def test_plan_links_name_type_year_and_state(world):
    old = _in_effect(world, proposed_start=date(2025, 9, 1))
    upcoming = f.make_plan(world.child, world.case_manager, proposed_start=date(2026, 9, 1))
    client = _client(world.case_manager)
    for url in ("/plans/", reverse("home:student_detail", args=[world.child.pk])):
        body = client.get(url).content.decode()
        assert f'href="/plans/{old.plan_id}/">IEP 2025–26, in effect</a>' in body, url
        assert f'href="/plans/{upcoming.pk}/">IEP 2026–27, draft, not shared yet</a>' in body, url
    # The breadcrumb on the plan's own pages names it the same way.
    version_page = client.get(f"/plans/{old.plan_id}/versions/1/").content.decode()
    assert f'<a href="/plans/{old.plan_id}/">IEP 2025–26, in effect</a>' in version_page


def test_plans_list_shows_when_a_plan_took_effect_and_says_what_empty_cells_mean(world):
    version = _in_effect(world, proposed_start=date(2025, 9, 1))
    f.make_plan(world.child, world.case_manager)
    body = _client(world.case_manager).get("/plans/").content.decode()
    assert "In effect since" in body
    assert "Started" not in body
    assert version.effective_from is not None
    assert date_format(version.effective_from, "DATE_FORMAT") in body
    assert "Not in effect yet" in body
    assert "No review date set" in body
    cells = re.findall(r"<td>(.*?)</td>", body, flags=re.S)
    assert all(cell.strip() not in ("", "—") for cell in cells)


def test_plans_list_is_paginated_at_constant_queries(world, django_assert_max_num_queries):
    for _ in range(3):
        student = f.make_student(world.school)
        f.add_to_team(student, world.case_manager, f.TeamRole.CASE_MANAGER)
        f.make_guardian(student, world.parent)  # who signs holds the child's rights
        f.make_plan_in_effect(student, signer=world.parent, actor=world.case_manager)
    client = _client(world.case_manager)
    client.get("/plans/")
    with django_assert_max_num_queries(10):
        response = client.get("/plans/?page=99")
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 4


# --- one truthful message per state -------------------------------------------------


def test_after_sharing_staff_are_not_told_only_staff_see_the_draft(world):
    plan = f.make_plan(world.child, world.case_manager)
    draft = f.fill_plan(plan)
    client = _client(world.case_manager)
    before = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Only staff see it until it is shared" in before
    assert "No draft has been shared yet." in before
    editor = client.get(reverse("plans:draft", args=[plan.pk])).content.decode()
    assert "the family sees it once you share it" in editor
    lifecycle.do_share_draft(draft, actor=world.case_manager)
    after = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Only staff see it until it is shared" not in after
    assert "No draft has been shared yet." not in after
    assert "The family sees the copy shared on" in after
    editor = client.get(reverse("plans:draft", args=[plan.pk])).content.decode()
    assert "the family sees it once you share it" not in editor
    assert "The family sees the copy shared on" in editor


def test_the_plan_in_effect_points_to_the_shared_draft_of_the_next_plan(world):
    current = _in_effect(world, proposed_start=date(2025, 9, 1))
    upcoming = f.make_plan(world.child, world.case_manager, proposed_start=date(2026, 9, 1))
    shared = lifecycle.do_share_draft(f.fill_plan(upcoming), actor=world.case_manager)
    for user in (world.parent, world.case_manager):
        body = _client(user).get(f"/plans/{current.plan_id}/").content.decode()
        link = reverse("plans:shared", args=[upcoming.pk, shared.number])
        assert f'href="{link}">IEP 2026–27, draft shared: shared draft 1' in body
        assert "No draft has been shared yet." not in body


def test_an_ended_plan_does_not_offer_a_plan_at_a_glance(world):
    version = _in_effect(world)
    client = _client(world.case_manager)
    glance = reverse("plans:glance", args=[version.plan_id])
    assert f'href="{glance}"' in client.get(f"/plans/{version.plan_id}/").content.decode()
    lifecycle.do_end_plan(version.plan, actor=world.case_manager, reason="Moved away.")
    body = client.get(f"/plans/{version.plan_id}/").content.decode()
    assert f'href="{glance}"' not in body
    assert "This plan has ended, so it has no plan at a glance." in body


def test_an_older_shared_draft_points_to_the_newer_one(world):
    plan = f.make_plan(world.child, world.case_manager)
    draft = f.fill_plan(plan)
    first = lifecycle.do_share_draft(draft, actor=world.case_manager)
    second = lifecycle.do_share_draft(draft, actor=world.case_manager)
    client = _client(world.parent)
    old = client.get(f"/plans/{plan.pk}/shared/{first.number}/").content.decode()
    assert f'href="/plans/{plan.pk}/shared/{second.number}/">shared draft 2</a>' in old
    new = client.get(f"/plans/{plan.pk}/shared/{second.number}/").content.decode()
    assert "The team shared a newer draft" not in new


# --- overdue is visible -------------------------------------------------------------


def _overdue_words(due: date) -> str:
    return f"Annual review overdue since {date_format(due, 'DATE_FORMAT')}"


def test_an_overdue_review_says_so_on_the_plan_student_page_and_both_homes(world):
    version = _in_effect(world)
    due = _overdue(version)
    words = _overdue_words(due)
    plan_page = _client(world.case_manager).get(f"/plans/{version.plan_id}/").content.decode()
    assert words in plan_page
    student_page = _client(world.case_manager).get(
        reverse("home:student_detail", args=[world.child.pk])
    )
    assert words in student_page.content.decode()
    assert words in _client(world.case_manager).get("/home/").content.decode()
    leader = _client(world.school_leader).get("/home/").content.decode()
    assert words in leader
    assert f'href="/plans/{version.plan_id}/">Casey Lane: IEP' in leader
    assert words in _client(world.case_manager).get("/plans/").content.decode()


def test_a_review_due_today_or_later_is_not_overdue(world):
    version = _in_effect(world)
    _overdue(version, days=0)
    assert selectors.review_overdue_since(_fresh(version.plan)) is None
    body = _client(world.case_manager).get("/home/").content.decode()
    assert "Annual review overdue" not in body
    assert "Not overdue" in body
    leader = _client(world.school_leader).get("/home/").content.decode()
    assert "No plan is past its annual review date." in leader


def test_an_ended_plan_is_never_overdue(world):
    version = _in_effect(world)
    _overdue(version)
    lifecycle.do_end_plan(version.plan, actor=world.case_manager, reason="Moved away.")
    assert selectors.overdue_reviews(world.school_leader) == []
    assert selectors.review_overdue_since(_fresh(version.plan)) is None


def test_overdue_is_by_the_districts_calendar(world, settings):
    """Just after midnight in UTC it is still yesterday in Los Angeles: a review due
    "today" in UTC terms is not overdue yet for a district there."""
    import time_machine

    district = world.child.district
    district.time_zone = "America/Los_Angeles"
    district.save(update_fields=["time_zone"])
    version = _in_effect(world)
    PlanVersion.objects.filter(pk=version.pk).update(annual_review_due=date(2026, 10, 3))
    with time_machine.travel("2026-10-04 00:30:00+00:00", tick=False):
        assert selectors.overdue_reviews(world.school_leader) == []
    with time_machine.travel("2026-10-04 07:30:00+00:00", tick=False):
        rows = selectors.overdue_reviews(world.school_leader)
        assert [r["since"] for r in rows] == [date(2026, 10, 3)]


def test_homes_with_overdue_reviews_stay_at_constant_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts() -> tuple[int, int]:
        staff, leader = _client(world.case_manager), _client(world.school_leader)
        staff.get("/home/")
        leader.get("/home/")
        with CaptureQueriesContext(connection) as staff_queries:
            assert staff.get("/home/").status_code == 200
        with CaptureQueriesContext(connection) as leader_queries:
            assert leader.get("/home/").status_code == 200
        return len(staff_queries), len(leader_queries)

    _overdue(_in_effect(world))
    one = counts()
    for _ in range(3):
        student = f.make_student(world.school)
        f.add_to_team(student, world.case_manager, f.TeamRole.CASE_MANAGER)
        f.make_guardian(student, world.parent)  # who signs holds the child's rights
        _overdue(f.make_plan_in_effect(student, signer=world.parent, actor=world.case_manager))
    assert len(selectors.overdue_reviews(world.school_leader)) == 4
    assert counts() == one


def test_the_demo_district_has_an_overdue_plan():
    from samepage.accounts.models import User
    from samepage.home import demo

    district = demo.seed()
    leader = User.objects.get(email="marcus.hayes@riverbend.example")
    rows = selectors.overdue_reviews(leader)
    assert rows, "the demo needs a plan whose annual review is overdue"
    assert all(r["since"] < district_today(district) for r in rows)
    assert "Jamie" in {r["student"].legal_first_name for r in rows}


# --- long pages can be navigated ----------------------------------------------------


def test_plan_version_and_shared_pages_have_contents_that_lead_to_every_section(world):
    version = _in_effect(world)
    plan = version.plan
    client = _client(world.case_manager)
    links = _assert_contents_lead_somewhere(client.get(f"/plans/{plan.pk}/"), at_least=3)
    assert "#versions" in links and "#team-actions" in links
    links = _assert_contents_lead_somewhere(
        client.get(f"/plans/{plan.pk}/versions/1/"), at_least=10
    )
    assert "#section-strengths" in links and "#items-goals" in links and "#signatures" in links
    upcoming = f.make_plan(world.child, world.case_manager)
    shared = lifecycle.do_share_draft(f.fill_plan(upcoming), actor=world.case_manager)
    lifecycle.do_ask_question(shared, actor=world.parent, anchor="plan", text="Why?")
    response = _client(world.parent).get(f"/plans/{upcoming.pk}/shared/{shared.number}/")
    links = _assert_contents_lead_somewhere(response, at_least=10)
    assert "#ask-title" in links and "#general-questions" in links
    assert "#section-lre" in links


def test_asking_and_answering_land_on_the_question(world):
    plan = f.make_plan(world.child, world.case_manager)
    shared = lifecycle.do_share_draft(f.fill_plan(plan), actor=world.case_manager)
    parent = _client(world.parent)
    response = parent.post(
        f"/plans/{plan.pk}/shared/{shared.number}/ask/",
        {"anchor": "section:lre", "text": "Can the group meet in the morning?"},
    )
    question = PlanQuestion.objects.get()
    assert response.status_code == 303
    assert (
        response["Location"] == f"/plans/{plan.pk}/shared/{shared.number}/#question-{question.pk}"
    )
    target = _page(parent.get(response["Location"])).ids[f"question-{question.pk}"]
    assert target["tabindex"] == "-1"
    answer = _client(world.case_manager).post(
        f"/plans/{plan.pk}/questions/{question.pk}/reply/", {"text": "Yes, at 9."}
    )
    assert answer.status_code == 303
    assert answer["Location"].endswith(f"#question-{question.pk}")
    resolved = parent.post(f"/plans/{plan.pk}/questions/{question.pk}/resolve/")
    assert resolved.status_code == 303
    assert resolved["Location"].endswith(f"#question-{question.pk}")


def test_the_next_plans_drafts_cost_the_same_queries_however_many(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    current = _in_effect(world, proposed_start=date(2025, 9, 1))
    upcoming = f.make_plan(world.child, world.case_manager, proposed_start=date(2026, 9, 1))
    draft = f.fill_plan(upcoming)
    lifecycle.do_share_draft(draft, actor=world.case_manager)
    client = _client(world.parent)
    url = f"/plans/{current.plan_id}/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        lifecycle.do_share_draft(draft, actor=world.case_manager)
    with CaptureQueriesContext(connection) as four:
        body = client.get(url).content.decode()
    assert body.count("IEP 2026–27, draft shared: shared draft") == 4
    assert len(four) == len(one)


def test_the_leaders_overdue_list_is_paginated_and_keeps_the_rest_of_the_query(world):
    from samepage.home import views as home_views

    for _ in range(home_views.OVERDUE_PER_PAGE + 1):
        student = f.make_student(world.school)
        f.make_guardian(student, world.parent)  # who signs holds the child's rights
        _overdue(f.make_plan_in_effect(student, signer=world.parent, actor=world.case_manager))
    leader = _client(world.school_leader)
    first = leader.get("/home/", {"page": "2"}).content.decode()
    assert first.count("Annual review overdue since") == home_views.OVERDUE_PER_PAGE
    assert 'href="?page=2&amp;overdue_page=2"' in first
    second = leader.get("/home/", {"overdue_page": "2"}).content.decode()
    assert second.count("Annual review overdue since") == 1
    # Not a page number: a 400 that says so (core.bounds.page_of), never a 500.
    assert leader.get("/home/", {"overdue_page": "nope"}).status_code == 400


def test_mark_as_resolved_is_offered_only_to_the_asker_and_the_team(world):
    plan = f.make_plan(world.child, world.case_manager)
    shared = lifecycle.do_share_draft(f.fill_plan(plan), actor=world.case_manager)
    question = lifecycle.do_ask_question(shared, actor=world.parent, anchor="plan", text="Why?")
    other_guardian = f.make_user("Gwen Lane")
    f.make_guardian(world.child, other_guardian, holds_educational_rights=False)
    resolve = f'action="/plans/{plan.pk}/questions/{question.pk}/resolve/"'
    page = f"/plans/{plan.pk}/shared/{shared.number}/"
    for user, offered in [
        (world.parent, True),
        (world.case_manager, True),
        (other_guardian, False),
    ]:
        client = _client(user)
        response = client.get(page)
        assert response.status_code == 200, user
        assert (resolve in response.content.decode()) is offered, user
        # What is shown can be used, and what is not shown would be refused.
        answer = client.post(f"/plans/{plan.pk}/questions/{question.pk}/resolve/")
        assert (answer.status_code != 403) is offered, (user, answer.status_code)
        if offered:
            PlanQuestion.objects.filter(pk=question.pk).update(status="open")
