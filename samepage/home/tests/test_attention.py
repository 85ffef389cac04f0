""" "Needs your attention" on the staff homes: each app's items (deadlines, the family's
questions and concerns, drafts not shared, decision-rule alerts, missed minutes) for
the people who may see that part of the record and nobody else, each with why and a
link that opens for them; a few per kind and "and N more"; the same queries for 10
students as for 300."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from samepage import factories as f
from samepage.concerns.actions import check_add_concern
from samepage.concerns.permissions import concern_access_for
from samepage.deadlines.models import Deadline
from samepage.home.selectors import caseload_students
from samepage.minutes.models import DeliveryAlert
from samepage.plans.actions import lifecycle
from samepage.plans.models import PlanVersion
from samepage.progress.models import ProgressAlert
from samepage.progress.tests.helpers import measure
from samepage.teams.attention import PER_KIND, Seeker, attention_for

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _kinds(user) -> dict[str, list]:
    groups = attention_for(Seeker(user, caseload_students(user)))
    return {group.kind: group.items for group in groups}


def _shared_question(world):
    version = PlanVersion.objects.get(plan=f.make_plan(world.child, actor=world.case_manager))
    shared = lifecycle.do_share_draft(version, actor=world.case_manager)
    return lifecycle.do_ask_question(
        shared, actor=world.parent, anchor="plan", text="What does this mean?"
    )


def _concern(world):
    return check_add_concern(
        world.child,
        actor=world.parent,
        access=concern_access_for(world.parent, world.child),
        category="reading",
        text="She does not read at home",
        importance="high",
    )


def _alert(world):
    measurement = measure(world)
    return ProgressAlert.objects.create(
        measurement=measurement,
        rule="four_point",
        advice="change_instruction",
        fired_on=world.today,
    )


def _delivery_alert(world):
    return DeliveryAlert.objects.create(
        student=world.child,
        service_lineage="5b0a9e56-8f7b-4a44-9c3c-2f1b8f1d2a11",
        month=world.today.replace(day=1),
        service_name="Speech therapy",
        delivered=60,
        due=120,
    )


def add_deadlines(student, n: int, *, today) -> list[Deadline]:
    """``n`` open deadlines for ``student``, due one day apart from ``today`` on (derived
    data: laid down directly, as the deadlines refresh would)."""
    start = Deadline.objects.filter(student=student).count()
    return [
        Deadline.objects.create(
            student=student,
            rule_key="progress_report",
            occurrence=f"period:attention-{i}",
            start_event="reporting_period_ended",
            start_date=today,
            due_date=today + timedelta(days=i - start),
            status="open",
            citation="34 CFR 300.320(a)(3)(ii)",
            pack="federal",
        )
        for i in range(start, start + n)
    ]


def _opens(client: Client, url: str) -> None:
    assert client.get(url).status_code == 200, url


def test_overdue_and_upcoming_deadlines_show_for_the_case_manager_overdue_first(world):
    add_deadlines(world.child, 2, today=world.today - timedelta(days=1))
    late = add_deadlines(world.child, 1, today=world.today + timedelta(days=40))[0]
    items = _kinds(world.case_manager)["deadlines"]
    # Due yesterday (overdue), today; the one 42 days out is not upcoming yet.
    assert [item.overdue for item in items] == [True, False]
    assert late.due_date not in {item.due for item in items}
    _opens(_client(world.case_manager), items[0].url)


def test_a_teacher_who_may_not_see_the_plans_gets_no_deadlines_questions_or_concerns(world):
    add_deadlines(world.child, 1, today=world.today)
    _shared_question(world)
    _concern(world)
    kinds = _kinds(world.gen_ed_teacher)
    assert not {"deadlines", "plan_questions", "open_concerns", "unshared_drafts"} & set(kinds)


def test_an_unanswered_family_question_shows_until_it_is_answered(world):
    question = _shared_question(world)
    items = _kinds(world.case_manager)["plan_questions"]
    assert len(items) == 1 and world.parent.display_name in str(items[0].why)
    _opens(_client(world.case_manager), items[0].url)
    lifecycle.do_reply(question, actor=world.case_manager, text="It means…", by_staff=True)
    assert "plan_questions" not in _kinds(world.case_manager)


def test_a_draft_not_yet_shared_shows_for_staff_who_see_drafts_only(world):
    f.make_plan(world.child, actor=world.case_manager)
    items = _kinds(world.case_manager)["unshared_drafts"]
    assert len(items) == 1
    _opens(_client(world.case_manager), items[0].url)
    assert "unshared_drafts" not in _kinds(world.gen_ed_teacher)
    assert "unshared_drafts" not in _kinds(world.outside_provider)


def test_an_open_concern_shows_for_the_case_manager(world):
    _concern(world)
    items = _kinds(world.case_manager)["open_concerns"]
    assert len(items) == 1 and "Reading" in str(items[0].why)
    _opens(_client(world.case_manager), items[0].url)
    assert "open_concerns" not in _kinds(world.outside_provider)


def test_the_providers_goals_alerts_and_missed_minutes_show_for_the_provider(world):
    _alert(world)
    _delivery_alert(world)
    for user in (world.case_manager, world.provider):
        kinds = _kinds(user)
        assert len(kinds["progress_alerts"]) == 1 and len(kinds["delivery_alerts"]) == 1
        client = _client(user)
        _opens(client, kinds["progress_alerts"][0].url)
        _opens(client, kinds["delivery_alerts"][0].url)
    for user in (world.gen_ed_teacher, world.outside_provider):
        assert not {"progress_alerts", "delivery_alerts"} & set(_kinds(user))


def test_the_home_lists_a_few_per_kind_and_says_how_many_more(world):
    add_deadlines(world.child, PER_KIND + 3, today=world.today)
    html = _client(world.case_manager).get("/home/").content.decode()
    assert "Needs your attention" in html
    assert html.index("Needs your attention") < html.index("Your caseload")
    assert html.count(f'href="/students/{world.child.pk}/deadlines/"') == PER_KIND
    assert "and 3 more" in html


def test_the_home_says_so_when_nothing_needs_attention(world):
    html = _client(world.case_manager).get("/home/").content.decode()
    assert "Nothing needs your attention right now" in html


def test_the_attention_section_reads_in_spanish(world):
    _concern(world)
    client = _client(world.case_manager)
    world.case_manager.language = "es"
    world.case_manager.save(update_fields=["language"])
    html = client.get("/home/").content.decode()
    assert "Necesita su atención" in html
    assert "Inquietudes de la familia" in html


def _caseload(world, count: int, last: str) -> None:
    """``count`` more students on Carol's caseload, each with something that needs her:
    a deadline, a draft not shared, an open concern, a delivery alert."""
    for n in range(count):
        student = f.make_student(world.school, legal_first_name=f"Kid{n:03d}", legal_last_name=last)
        parent = f.make_user(f"Family {last} {n:03d}")
        f.make_guardian(student, parent)
        f.add_to_team(student, world.case_manager, f.TeamRole.CASE_MANAGER)
        add_deadlines(student, 1, today=world.today)
        f.make_plan(student, actor=world.case_manager)
        DeliveryAlert.objects.create(
            student=student,
            service_lineage="5b0a9e56-8f7b-4a44-9c3c-2f1b8f1d2a11",
            month=world.today.replace(day=1),
            service_name="Speech therapy",
            delivered=10,
            due=60,
        )


def _home_queries(client: Client) -> tuple[int, str]:
    client.get("/home/")  # warm per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/home/").content.decode()
    return len(queries), html


def test_the_home_runs_the_same_queries_for_10_students_and_for_300(world):
    _alert(world)
    _shared_question(world)
    _concern(world)
    client = _client(world.case_manager)
    _caseload(world, 10, "Zed")
    few, html = _home_queries(client)
    assert f"and {10 - PER_KIND} more" in html  # ten deadlines, a few listed
    _caseload(world, 290, "Zz")
    many, html = _home_queries(client)
    assert f"and {300 - PER_KIND} more" in html
    assert many == few == PINNED_ATTENTION_HOME_QUERIES


# The caseload home before the attention section (15), the person's memberships and
# consents read once for every part asked (2), then one query per kind however many
# items it has: its first few with the total as a window count (6 kinds). The same as
# test_home_unread.PINNED_CASELOAD_QUERIES. Raise it only with a reason: a number that
# grows with students is an N+1.
PINNED_ATTENTION_HOME_QUERIES = 15 + 2 + 6


def _attention_links(html: str) -> list[str]:
    start = html.index('id="attention-heading"')
    section = html[start : html.index("</section>", start)]
    return re.findall(r'href="([^"]+)"', section)


def test_every_link_in_the_section_opens_for_the_case_manager_and_the_provider(world):
    add_deadlines(world.child, 1, today=world.today - timedelta(days=3))
    _alert(world)
    _shared_question(world)
    _concern(world)
    _delivery_alert(world)
    for user, kinds in (
        # Deadlines, the question, the concern, the goal's alert, the missed minutes.
        (world.case_manager, 5),
        # The provider reads the child's progress and minutes, not the plans' drafts.
        (world.provider, None),
    ):
        client = _client(user)
        html = client.get("/home/").content.decode()
        links = _attention_links(html)
        assert links
        if kinds is not None:
            assert html.count('<ul class="attention"') == kinds
        for url in links:
            _opens(client, url)


def test_a_student_not_on_the_caseload_brings_nothing(world):
    add_deadlines(world.other_child, 1, today=world.today)
    assert "deadlines" not in _kinds(world.case_manager)
