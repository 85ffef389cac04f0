"""Hostile values in path ids, pagination and filters: never a 5xx, on pages and API.

Every URL pattern the resolver knows is walked (the same inventory as the permission
matrix), signed in as a staff member (the case manager) and as a parent, so a new route
is covered the day it is added. The rule (core/bounds.py says it once for the code):

- A path id that is not a whole number from 1 to 2**63-1 (2**63, 2**70, -1, 0, "abc",
  "1e5", 40 digits, "%00") names no record that could exist, so it answers **404**, the
  same answer as a missing or not-visible record ("missing and not-visible answer the
  same 404"). Two answers come first and are as acceptable: 405 when the route does not
  take the method, and 403 when the id sits under a record the person may see but not
  change (``/students/1/team/0/end/`` for the parent): that check on the visible parent
  runs before the id is looked up and tells nothing about it. Never 2xx, never 5xx.
- A page number or a filter value that cannot be used (page 0, -1, 2**70, "x"; dates
  9999-12-31, 0001-01-01, 2026-02-30, "garbage") answers **400** with a message, on the
  routes that read it; routes that do not read it ignore it. Never 5xx anywhere.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from samepage import factories as f
from samepage.accounts import actions as account_actions
from samepage.api.tests.helpers import make_token
from samepage.api.tests.test_route_inventory import DjangoRoute, django_routes
from samepage.concerns.actions import check_add_concern
from samepage.concerns.permissions import concern_access_for
from samepage.conversations.tests.helpers import matrix_params as conversation_params
from samepage.core import pdf
from samepage.core.bounds import PAGE_NUMBER_INVALID
from samepage.minutes.tests.helpers import matrix_params as minutes_params
from samepage.notifications.tests.helpers import make_notice
from samepage.plans.actions import lifecycle
from samepage.plans.models import Accommodation, Goal, Service
from samepage.problems.tests.helpers import matrix_params as problem_params
from samepage.profiles.tests.helpers import matrix_params as profile_params
from samepage.progress.tests.helpers import matrix_params as progress_params
from samepage.reports.tests.helpers import matrix_params as report_params
from samepage.teams.models import TeamMembership
from samepage.updates.tests.helpers import matrix_params as update_params

pytestmark = pytest.mark.django_db

HOSTILE_IDS = [str(2**63), str(2**70), "-1", "0", "abc", "1e5", "9" * 40, "%00"]
HOSTILE_PAGES = ["0", "-1", str(2**70), "x"]
HOSTILE_DATES = ["9999-12-31", "0001-01-01", "2026-02-30", "garbage"]
PARAM = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
API = "api/v1/"
# Path parameters that are not record ids (a reset link's parts, an invitation token, a
# profile section's key): hostile values must not crash them, whatever they answer.
NOT_IDS = {"uidb64", "token", "key"}

# Where each query parameter is read, and so must answer 400 when it cannot be used.
PAGED = ["students/", "plans/"]  # ?page=
PAGED_HOME = {"case_manager": None, "gen_ed_teacher": "page", "school_leader": "overdue_page"}
DATE_FILTERED = ["students/<int:student_id>/access-log/", API + "students/<student_id>/access-log"]


@pytest.fixture(autouse=True)
def _no_pdf_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    # The walk asks about parsing, not layout: PDF views still parse, look up and render
    # their templates, but skip WeasyPrint (seconds per page; its output is tested in
    # plans/ and profiles/).
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, strict=None: b"%PDF-1.7 walk")


def _routes() -> list[DjangoRoute]:
    return [r for r in django_routes() if r.route != API]  # ninja's root placeholder


def _fill(route: str, params: dict[str, str], hostile: tuple[str, str] | None = None) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group("name")
        if hostile is not None and name == hostile[0]:
            return hostile[1]
        return params[name]

    return "/" + PARAM.sub(value, route)


@pytest.fixture
def params(world: Any) -> dict[str, str]:
    """A real record for every path parameter, so a hostile one is the only thing wrong."""
    child = world.child
    in_effect = f.make_plan_in_effect(child, signer=world.parent, actor=world.case_manager)
    plan = in_effect.plan
    amendment = lifecycle.do_start_amendment(
        plan,
        actor=world.case_manager,
        reason="More time",
        parts=["services"],
        effective_date=world.today,
    )
    shared = lifecycle.do_share_draft(amendment, actor=world.case_manager)
    question = lifecycle.do_ask_question(shared, actor=world.parent, anchor="plan", text="Why?")
    concern = check_add_concern(
        child,
        actor=world.parent,
        access=concern_access_for(world.parent, child),
        category="reading",
        text="Hard.",
        importance="high",
    )
    invited = f.make_user("Ian Lane", password=None)
    f.make_guardian(child, invited)
    invitation = account_actions.do_invite(invited, actor=None)
    token, _raw = account_actions.do_create_api_token(world.parent, actor=world.parent, name="t")
    values = {
        "student_id": str(child.pk),
        "plan_id": str(plan.pk),
        "number": str(in_effect.number),
        "shared_number": str(shared.number),
        "question_id": str(question.pk),
        "concern_id": str(concern.pk),
        "membership_id": str(TeamMembership.objects.get(student=child, user=world.provider).pk),
        "grant_id": "1",
        "person_id": str(invited.pk),
        "invitation_id": str(invitation.pk),
        "token_id": str(token.pk),
        "goal_id": str(Goal.objects.get(version=amendment).pk),
        "service_id": str(Service.objects.get(version=amendment).pk),
        "accommodation_id": str(Accommodation.objects.get(version=amendment).pk),
        "uidb64": "MQ",
        "token": "not-a-real-token",
        "key": "strengths",
        "notice_id": str(make_notice(world.parent, child).pk),
    }
    values.update(profile_params(world))
    values.update(problem_params(world))
    values.update(conversation_params(world))
    values.update(update_params(world))
    values.update(progress_params(world))
    values.update(report_params(world))
    values.update(minutes_params(world))
    values["delivery_id"] = "0"
    return values


def _clients(world: Any) -> dict[str, tuple[Client, Client]]:
    """(page client with a session, API client with a token) for a staff member and a parent."""
    clients = {}
    for who in ("case_manager", "parent"):
        user = getattr(world, who)
        page = Client()
        page.force_login(user)
        raw, _token = make_token(user)
        clients[who] = (page, Client(headers={"Authorization": f"Bearer {raw}"}))
    return clients


def _send(clients: tuple[Client, Client], method: str, url: str, query: str = "") -> Any:
    page, api = clients
    if url.startswith("/" + API):
        return api.generic(method, url + query, "{}", content_type="application/json")
    return page.generic(method, url + query)


def _hostile_urls(route: str, params: dict[str, str]) -> list[tuple[str, bool]]:
    """(url, whether only record ids are hostile in it) for every way ``route`` is attacked.

    Every value fills every parameter at once; on routes with more than one parameter,
    the numbers a converter lets through (2**63, 0) also go one parameter at a time with
    the others real, so the lookup of a child record under a real parent runs too.
    """
    names = [m.group("name") for m in PARAM.finditer(route)]
    if not names:
        return []
    ids_only = not NOT_IDS.intersection(names)
    urls = [("/" + PARAM.sub(bad, route), ids_only) for bad in HOSTILE_IDS]
    if len(names) > 1:
        for name in names:
            for bad in (str(2**63), "0"):
                urls.append((_fill(route, params, (name, bad)), name not in NOT_IDS))
    return urls


def test_hostile_path_ids_answer_404_never_a_crash(world, params):
    clients = _clients(world)
    asked = [("case_manager", "GET"), ("case_manager", "POST"), ("parent", "GET")]
    wrong: list[str] = []
    checked = 0
    for route in _routes():
        for url, ids_only in _hostile_urls(route.route, params):
            for who, method in asked:
                status = _send(clients[who], method, url).status_code
                checked += 1
                allowed = {403, 404, 405} if ids_only else range(200, 500)
                if status not in allowed:
                    wrong.append(f"{who} {method} {url} -> {status}")
    assert checked > 1000  # the walk really covered the routes
    assert wrong == []


def test_hostile_query_values_never_crash_any_route(world, params):
    # Each query names every parameter some route reads (pages, filters, search), so one
    # GET per route and value covers them all; the routes that read one are pinned below.
    clients = _clients(world)
    wrong = []
    for n, (page, day) in enumerate(zip(HOSTILE_PAGES, HOSTILE_DATES, strict=True)):
        query = (
            f"?page={page}&overdue_page={page}&q={page}%00&since={day}&until={day}"
            f"&from={day}&to={day}&person={2**70}&section=%00&prompt={'9' * 40}"
        )
        # The parent gets the two dates that overflow (9999-12-31, 0001-01-01).
        people = ["case_manager", "parent"] if n < 2 else ["case_manager"]
        for route in _routes():
            url = _fill(route.route, params)
            for who in people:
                status = _send(clients[who], "GET", url, query).status_code
                if status >= 500:
                    wrong.append(f"{who} GET {url}{query} -> {status}")
    assert wrong == []


@pytest.mark.parametrize("bad", HOSTILE_PAGES)
def test_paged_lists_answer_a_bad_page_number_with_400_and_a_message(world, bad):
    for route in PAGED:
        client = Client()
        client.force_login(world.case_manager)
        response = client.get(f"/{route}?page={bad}")
        assert response.status_code == 400, route
        assert str(PAGE_NUMBER_INVALID) in response.content.decode()
    for who, param in PAGED_HOME.items():
        if param is None:
            continue
        client = Client()
        client.force_login(getattr(world, who))
        response = client.get(f"/home/?{param}={bad}")
        assert response.status_code == 400, who
        assert str(PAGE_NUMBER_INVALID) in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(world):
    client = Client()
    client.force_login(world.case_manager)
    assert client.get("/students/?page=99").status_code == 200


@pytest.mark.parametrize("bad", HOSTILE_DATES)
@pytest.mark.parametrize("field", ["since", "until"])
def test_date_filters_answer_a_bad_date_with_400(world, params, bad, field):
    page = Client()
    page.force_login(world.parent)
    raw, _token = make_token(world.parent)
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    for route in DATE_FILTERED:
        url = _fill(route, params) + f"?{field}={bad}"
        response = (api if route.startswith(API) else page).get(url)
        assert response.status_code == 400, url
        if route.startswith(API):
            assert list(response.json()["errors"]) == [field]
        else:
            assert 'aria-invalid="true"' in response.content.decode() or "errorlist" in (
                response.content.decode()
            )


def test_the_400_page_is_in_the_sites_layout_and_spanish(world):
    account_actions.do_change_preferences(
        world.case_manager, actor=world.case_manager, language="es", time_zone=None
    )
    client = Client()
    client.force_login(world.case_manager)
    response = client.get("/students/?page=x")
    body = response.content.decode()
    assert response.status_code == 400
    assert "<main" in body
    assert "El número de página debe ser un número entero a partir de 1." in body
