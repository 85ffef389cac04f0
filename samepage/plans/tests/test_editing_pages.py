"""The draft editor pages end to end: who may open them, conflicts as 409 with both
versions, bad input as 400 with nothing saved, forged ids as 404, pinned queries."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samepage import factories as f
from samepage.core.models import AccessEvent, AuditEvent
from samepage.plans.actions import editing
from samepage.plans.models import (
    Accommodation,
    Goal,
    LineageDecision,
    PlanSection,
    PlanVersion,
    Service,
)

pytestmark = pytest.mark.django_db

START = date(2026, 9, 1)
END = date(2027, 8, 31)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _draft(world, student=None) -> PlanVersion:
    plan = f.make_plan(
        student or world.child, actor=world.case_manager, proposed_start=START, proposed_end=END
    )
    return plan.versions.get(status="draft")


def _with_items(world, version: PlanVersion, count: int = 1) -> dict[str, object]:
    cm = world.case_manager
    goals = [
        editing.do_add_goal(
            version,
            actor=cm,
            area="academic",
            statement=f"Goal {n}",
            objectives=[f"Step {n}a", f"Step {n}b"],
        )
        for n in range(count)
    ]
    services = [
        editing.do_add_service(
            version,
            actor=cm,
            category="related",
            description=f"Service {n}",
            minutes=30,
            frequency_unit="week",
        )
        for n in range(count)
    ]
    accommodations = [
        editing.do_add_accommodation(version, actor=cm, description=f"Accommodation {n}")
        for n in range(count)
    ]
    return {"goal": goals[0], "service": services[0], "accommodation": accommodations[0]}


def _routes(version: PlanVersion, items: dict[str, object]) -> list[tuple[str, str]]:
    """Every editing route of this draft as (method, url)."""
    plan_id = version.plan_id
    urls = [
        reverse("plans:draft", args=[plan_id]),
        reverse("plans:edit_dates", args=[plan_id]),
        reverse("plans:edit_section", args=[plan_id, "strengths"]),
    ]
    for name, item in items.items():
        urls += [
            reverse(f"plans:{name}_new", args=[plan_id]),
            reverse(f"plans:{name}_edit", args=[plan_id, item.pk]),  # type: ignore[attr-defined]
            reverse(f"plans:{name}_remove", args=[plan_id, item.pk]),  # type: ignore[attr-defined]
        ]
    routes = [("GET", url) for url in urls]
    routes += [("POST", url) for url in urls[1:]]  # the editor itself is read-only
    return routes


def _send(client: Client, method: str, url: str, data: dict | None = None):
    if method == "GET":
        return client.get(url)
    return client.post(url, data or {"revision": "1", "reason": "", "strengths": "x"})


def _nothing_changed(version: PlanVersion, audit_count: int) -> None:
    assert AuditEvent.objects.count() == audit_count
    assert not Goal.objects.filter(version=version, removed_at__isnull=False).exists()
    assert PlanSection.objects.get(version=version, key="strengths").data == {}


# --- who may edit ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "code"),
    [
        ("other_parent", 404),
        ("outsider_admin", 404),
        ("outside_provider", 404),
        ("provider", 403),
        # A draft nothing of which was shared: the family may not know of the plan yet.
        ("parent", 404),
        ("restricted_parent", 404),
        ("advocate", 404),
    ],
)
def test_only_staff_who_may_edit_reach_the_editing_pages(world, person, code):
    version = _draft(world)
    items = _with_items(world, version)
    audits = AuditEvent.objects.count()
    client = _client(getattr(world, person))
    for method, url in _routes(version, items):
        response = _send(client, method, url)
        assert response.status_code == code, (method, url)
    _nothing_changed(version, audits)


def test_signed_out_people_are_sent_to_sign_in(world):
    version = _draft(world)
    response = Client().get(reverse("plans:draft", args=[version.plan_id]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("status", ["final", "in_effect"])
def test_a_final_plan_answers_403_with_the_amendment_path(world, status):
    version = _draft(world)
    items = _with_items(world, version)
    PlanVersion.objects.filter(pk=version.pk).update(status=status)
    audits = AuditEvent.objects.count()
    client = _client(world.case_manager)
    for method, url in _routes(version, items):
        response = _send(client, method, url)
        assert response.status_code == 403, (method, url)
        assert "start an amendment" in response.content.decode(), (method, url)
    _nothing_changed(version, audits)


def test_the_case_manager_opens_every_editing_page(world):
    version = _draft(world)
    items = _with_items(world, version)
    client = _client(world.case_manager)
    for method, url in _routes(version, items):
        if method == "GET":
            assert client.get(url).status_code == 200, url


# --- the editor -----------------------------------------------------------------------


def test_the_editor_shows_every_section_with_its_help_and_the_items(world):
    version = _draft(world)
    editing.do_save_section(
        version,
        "assessment",
        {"participation": "alternate", "alternate_justification": "Needs it."},
        actor=world.case_manager,
        expected_revision=1,
    )
    _with_items(world, version)
    accesses = AccessEvent.objects.count()
    response = _client(world.case_manager).get(reverse("plans:draft", args=[version.plan_id]))
    assert response.status_code == 200
    page = response.content.decode()
    for title in ("Present levels", "Time with classmates", "Transition to adult life"):
        assert title in page
    assert "Goals start from here." in page  # present levels' "What this means"
    assert "An alternate test" in page  # a choice is shown by its label
    assert "Goal 0" in page and "Step 0b" in page
    assert "Service 0" in page and "Accommodation 0" in page
    assert reverse("plans:edit_section", args=[version.plan_id, "lre"]) in page
    assert AccessEvent.objects.count() == accesses + 1


def test_a_504_editor_has_no_goals(world):
    plan = f.make_plan(world.child, actor=world.case_manager, plan_type="504")
    client = _client(world.case_manager)
    page = client.get(reverse("plans:draft", args=[plan.pk])).content.decode()
    assert "Annual goals" not in page
    assert client.get(reverse("plans:goal_new", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:edit_section", args=[plan.pk, "lre"])).status_code == 404


def test_editor_query_count_is_pinned(world, django_assert_max_num_queries):
    version = _draft(world)
    _with_items(world, version, count=6)
    client = _client(world.case_manager)
    url = reverse("plans:draft", args=[version.plan_id])
    client.get(url)  # warm per-process caches (content types, sessions)
    # 16 before, plus the plan's label (breadcrumb) and the draft's last shared copy.
    with django_assert_max_num_queries(18):
        response = client.get(url)
    assert response.content.decode().count("Step 5b") == 1


def test_editor_queries_do_not_grow_with_items(world):
    version = _draft(world)
    _with_items(world, version, count=1)
    client = _client(world.case_manager)
    url = reverse("plans:draft", args=[version.plan_id])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _with_items(world, version, count=5)
    with CaptureQueriesContext(connection) as six:
        client.get(url)
    assert len(six) == len(one)


# --- sections -------------------------------------------------------------------------


def _revision_in(page: str) -> str:
    match = re.search(r'name="revision" value="(\d+)"', page)
    assert match, "no revision field"
    return match.group(1)


def test_saving_a_section_redirects_to_the_editor(world):
    version = _draft(world)
    client = _client(world.case_manager)
    url = reverse("plans:edit_section", args=[version.plan_id, "lre"])
    page = client.get(url).content.decode()
    assert "What this means" in page
    response = client.post(
        url,
        {
            "percent_general_education": "80",
            "explanation": "Reading.",
            "revision": _revision_in(page),
        },
    )
    assert response.status_code == 303
    assert response["Location"].endswith("#section-lre")
    assert PlanSection.objects.get(version=version, key="lre").data == {
        "percent_general_education": 80,
        "explanation": "Reading.",
    }


def test_concurrent_section_saves_answer_409_with_both_texts_and_nothing_lost(world):
    version = _draft(world)
    url = reverse("plans:edit_section", args=[version.plan_id, "strengths"])
    carol = _client(world.case_manager)
    admin = _client(world.district_admin)  # district admins may edit plans too
    first_form = carol.get(url).content.decode()
    second_form = admin.get(url).content.decode()
    assert _revision_in(first_form) == _revision_in(second_form) == "1"

    first = carol.post(url, {"strengths": "Curious about maps.", "revision": "1"})
    assert first.status_code == 303
    second = admin.post(url, {"strengths": "Kind to classmates.", "revision": "1"})
    assert second.status_code == 409
    page = second.content.decode()
    assert "Curious about maps." in page  # theirs
    assert "Kind to classmates." in page  # yours, shown and in the form
    assert re.search(r"<textarea[^>]*>\s*Kind to classmates.</textarea>", page)
    assert _revision_in(page) == "2"
    # Nothing was lost and nothing was overwritten.
    assert PlanSection.objects.get(version=version, key="strengths").data == {
        "strengths": "Curious about maps."
    }
    # Saving again from the conflict page is a deliberate choice, and it works.
    again = admin.post(url, {"strengths": "Kind to classmates.", "revision": "2"})
    assert again.status_code == 303
    assert PlanSection.objects.get(version=version, key="strengths").data == {
        "strengths": "Kind to classmates."
    }


@pytest.mark.parametrize(
    ("key", "data", "message"),
    [
        ("lre", {"percent_general_education": "150"}, "from 0 to 100"),
        ("lre", {"percent_general_education": "-5"}, "from 0 to 100"),
        ("assessment", {"participation": "skip"}, "valid choice"),
        ("age_of_majority", {"informed_on": "yesterday"}, "Enter a date"),
        ("strengths", {"strengths": "ok"}, "missing its version"),
    ],
)
def test_invalid_section_input_answers_400_and_saves_nothing(world, key, data, message):
    version = _draft(world)
    audits = AuditEvent.objects.count()
    url = reverse("plans:edit_section", args=[version.plan_id, key])
    if key != "strengths":
        data = {**data, "revision": "1"}
    response = _client(world.case_manager).post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert PlanSection.objects.get(version=version, key=key).revision == 1
    assert AuditEvent.objects.count() == audits


def test_unknown_section_key_is_404(world):
    version = _draft(world)
    client = _client(world.case_manager)
    url = reverse("plans:edit_section", args=[version.plan_id, "horoscope"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"sign": "leo", "revision": "1"}).status_code == 404
    assert not PlanSection.objects.filter(key="horoscope").exists()


# --- plan dates -----------------------------------------------------------------------


def test_plan_dates_page(world):
    version = _draft(world)
    client = _client(world.case_manager)
    url = reverse("plans:edit_dates", args=[version.plan_id])
    assert 'value="2026-09-01"' in client.get(url).content.decode()
    bad = client.post(
        url, {"proposed_start": "2026-09-01", "proposed_end": "2026-06-01", "revision": "1"}
    )
    assert bad.status_code == 400
    assert "must end after it starts" in bad.content.decode()
    too_long = client.post(
        url, {"proposed_start": "2026-09-01", "proposed_end": "2028-09-01", "revision": "1"}
    )
    assert too_long.status_code == 400
    assert "at most one year" in too_long.content.decode()
    version.refresh_from_db()
    assert (version.proposed_start, version.proposed_end) == (START, END)
    ok = client.post(
        url, {"proposed_start": "2026-09-08", "proposed_end": "2027-09-07", "revision": "1"}
    )
    assert ok.status_code == 303
    stale = client.post(
        url, {"proposed_start": "2026-10-01", "proposed_end": "2027-09-30", "revision": "1"}
    )
    assert stale.status_code == 409
    assert 'value="2026-10-01"' in stale.content.decode()
    version.refresh_from_db()
    assert version.proposed_start == date(2026, 9, 8)


# --- items ----------------------------------------------------------------------------


def test_adding_editing_and_taking_out_a_goal(world):
    version = _draft(world)
    client = _client(world.case_manager)
    plan_id = version.plan_id
    response = client.post(
        reverse("plans:goal_new", args=[plan_id]),
        {
            "area": "academic",
            "statement": "Read 90 wpm",
            "objectives": "60 wpm by December\n75 wpm by March",
        },
    )
    assert response.status_code == 303
    goal = Goal.objects.get(version=version)
    assert response["Location"].endswith(f"#goal-{goal.lineage_id}")
    edit_url = reverse("plans:goal_edit", args=[plan_id, goal.pk])
    form = client.get(edit_url).content.decode()
    assert "75 wpm by March" in form
    response = client.post(
        edit_url,
        {
            "area": "academic",
            "statement": "Read 100 wpm",
            "objectives": "60 wpm by December\n75 wpm by March",
            "revision": _revision_in(form),
        },
    )
    assert response.status_code == 303
    goal.refresh_from_db()
    assert goal.statement == "Read 100 wpm"
    stale = client.post(
        edit_url, {"area": "academic", "statement": "Read 120 wpm", "revision": "1"}
    )
    assert stale.status_code == 409
    assert "Read 100 wpm" in stale.content.decode()
    assert "Read 120 wpm" in stale.content.decode()

    remove_url = reverse("plans:goal_remove", args=[plan_id, goal.pk])
    assert client.get(remove_url).status_code == 200
    stale = client.post(remove_url, {"reason": "", "revision": "1"})
    assert stale.status_code == 409
    goal.refresh_from_db()
    assert goal.removed_at is None
    response = client.post(remove_url, {"reason": "Met", "revision": str(goal.revision)})
    assert response.status_code == 303
    goal.refresh_from_db()
    assert goal.removed_at is not None
    # Taken out: it is no longer editable through the draft.
    assert client.get(edit_url).status_code == 404
    assert "Read 100 wpm" not in client.get(reverse("plans:draft", args=[plan_id])).content.decode()


@pytest.mark.parametrize(
    ("minutes", "unit", "message"),
    [
        ("-30", "week", "above zero"),
        ("0", "day", "above zero"),
        ("100000", "week", "2,400"),
        ("600", "day", "480"),
        ("lots", "week", "whole number"),
    ],
)
def test_bad_service_minutes_answer_400_and_save_nothing(world, minutes, unit, message):
    version = _draft(world)
    response = _client(world.case_manager).post(
        reverse("plans:service_new", args=[version.plan_id]),
        {
            "category": "related",
            "description": "Speech",
            "minutes": minutes,
            "frequency_unit": unit,
            "delivery": "direct",
            "grouping": "individual",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Service.objects.filter(version=version).exists()


def test_service_dates_out_of_order_answer_400(world):
    version = _draft(world)
    items = _with_items(world, version)
    service = items["service"]
    url = reverse("plans:service_edit", args=[version.plan_id, service.pk])  # type: ignore[attr-defined]
    response = _client(world.case_manager).post(
        url,
        {
            "category": "related",
            "description": "Speech",
            "minutes": "30",
            "frequency_unit": "week",
            "start_date": "2027-01-10",
            "end_date": "2026-12-01",
            "delivery": "direct",
            "grouping": "individual",
            "revision": "1",
        },
    )
    assert response.status_code == 400
    assert "cannot end before it starts" in response.content.decode()
    service.refresh_from_db()  # type: ignore[attr-defined]
    assert service.start_date is None  # type: ignore[attr-defined]


def test_item_ids_are_looked_up_only_in_this_plans_draft(world):
    version = _draft(world)
    _with_items(world, version)
    # Another child's plan that the same case manager may edit.
    f.add_to_team(world.other_child, world.case_manager, f.TeamRole.CASE_MANAGER)
    other_version = _draft(world, student=world.other_child)
    other_items = _with_items(world, other_version)
    audits = AuditEvent.objects.count()
    client = _client(world.case_manager)
    for name, item in other_items.items():
        for route in ("edit", "remove"):
            url = reverse(f"plans:{name}_{route}", args=[version.plan_id, item.pk])  # type: ignore[attr-defined]
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"revision": "1", "description": "Forged"}).status_code == 404
    # An id that is nowhere in this draft.
    missing = 1 + max(Goal.objects.order_by("-pk").values_list("pk", flat=True)[:1])
    assert (
        client.get(reverse("plans:goal_edit", args=[version.plan_id, missing])).status_code == 404
    )
    assert AuditEvent.objects.count() == audits
    assert not Goal.objects.filter(removed_at__isnull=False).exists()
    assert Accommodation.objects.filter(description="Forged").count() == 0


def test_items_of_an_earlier_version_are_not_editable(world):
    last_year = _draft(world)
    old = _with_items(world, last_year)
    PlanVersion.objects.filter(pk=last_year.pk).update(status="in_effect")
    plan = f.make_plan(world.child, actor=world.case_manager)
    client = _client(world.case_manager)
    url = reverse("plans:goal_edit", args=[plan.pk, old["goal"].pk])  # type: ignore[attr-defined]
    assert client.get(url).status_code == 404


def test_editing_a_carried_forward_service_on_the_page_records_revised(world):
    last_year = _draft(world)
    _with_items(world, last_year)
    PlanVersion.objects.filter(pk=last_year.pk).update(status="in_effect")
    plan = f.make_plan(world.child, actor=world.case_manager, proposed_start=START)
    version = plan.versions.get(status="draft")
    service = Service.objects.get(version=version)
    response = _client(world.case_manager).post(
        reverse("plans:service_edit", args=[plan.pk, service.pk]),
        {
            "category": "related",
            "description": "Service 0",
            "minutes": "45",
            "frequency_unit": "week",
            "delivery": "direct",
            "grouping": "group",
            "revision": "1",
        },
    )
    assert response.status_code == 303
    decision = LineageDecision.objects.get(version=version, lineage_id=service.lineage_id)
    assert decision.decision == "revised"
    page = _client(world.case_manager).get(reverse("plans:draft", args=[plan.pk]))
    assert "Revised" in page.content.decode()
