"""Private stays private by every path: the class guard.

A unique marker ("ZZPRIVATE-<kind>") is written into every kind of text that some people
may not read: private profile drafts, the private revisions of entries later shared with
the team, a plan draft's wording that was never shared (or changed after the last share),
a concern linked to an item that exists only in the unshared draft, and the purposes of
consent grants that were revoked, have expired or have not started yet.

Then each person who may not read a marker opens every page and API route reachable for
the child (the permission matrix's GET routes filled with every id of the scene, plus
every same-site link and htmx URL found on the way), PDFs decoded to text, and no body
may contain a marker that person may not read. So that the guard cannot pass by never
reaching the text, each marker is first seen by someone who may read it.

There are no staff-only note fields in plans, concerns or profiles yet
(``Capability.SEE_STAFF_NOTES`` exists with nothing behind it); when one is added, give
it a marker here.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from collections import deque
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from pypdf import PdfReader

from samepage import factories as f
from samepage.concerns.actions import check_add_concern, check_link_concern
from samepage.concerns.permissions import concern_access_for
from samepage.conversations.tests.helpers import matrix_params as conversation_matrix_params
from samepage.conversations.tests.helpers import private, staff_thread
from samepage.core.tests.test_permission_matrix import API, ROWS, _url
from samepage.minutes.tests.helpers import matrix_params as minutes_matrix_params
from samepage.plans.actions import editing, lifecycle
from samepage.plans.models import Accommodation, Goal, PlanSection
from samepage.problems.tests.helpers import matrix_params as problem_matrix_params
from samepage.problems.tests.helpers import raise_situation
from samepage.profiles import actions as profile_actions
from samepage.profiles.models import ProfileEntry, Visibility
from samepage.profiles.tests.helpers import access_of, matrix_params, write
from samepage.progress.tests.helpers import matrix_params as progress_matrix_params
from samepage.reports.tests.helpers import matrix_params as report_matrix_params
from samepage.teams import actions as team_actions
from samepage.teams.models import Scope
from samepage.teams.permissions import student_access
from samepage.updates.tests.helpers import matrix_params as update_matrix_params

MARKER = re.compile(r"ZZPRIVATE-[a-z-]+")


def mark(kind: str) -> str:
    return f"ZZPRIVATE-{kind}"


# Profile: private drafts and a private revision of an entry later shared.
CM_DRAFT = mark("cm-private-entry")
PARENT_DRAFT = mark("parent-private-entry")
OLD_PRIVATE_REVISION = mark("private-revision")
# A trigger linked to a tricky situation while the team saw it, then made a private
# draft again: the situation's pages and API must stop showing it.
LINKED_THEN_PRIVATE = mark("linked-then-private")
PROFILE_PRIVATE = {CM_DRAFT, PARENT_DRAFT, OLD_PRIVATE_REVISION, LINKED_THEN_PRIVATE}
# The plan's draft: a goal added after the share, an accommodation changed after it, a
# section's words changed after it. Concerns are linked to the first two.
DRAFT_GOAL = mark("draft-only-goal")
DRAFT_ACCOMMODATION = mark("changed-after-share")
DRAFT_SECTION = mark("draft-section")
DRAFT_PRIVATE = {DRAFT_GOAL, DRAFT_ACCOMMODATION, DRAFT_SECTION}
# Purposes of grants that no longer (or do not yet) give access.
REVOKED_PURPOSE = mark("revoked-purpose")
EXPIRED_PURPOSE = mark("expired-purpose")
FUTURE_PURPOSE = mark("future-purpose")
GRANT_PRIVATE = {REVOKED_PURPOSE, EXPIRED_PURPOSE, FUTURE_PURPOSE}
# Conversations: a staff-only thread (title and message) and a private thread between
# the case manager and the provider.
STAFF_TITLE = mark("staff-thread-title")
STAFF_MESSAGE = mark("staff-only-message")
PRIVATE_MESSAGE = mark("private-message")
STAFF_ONLY = {STAFF_TITLE, STAFF_MESSAGE}
EVERY_MARKER = PROFILE_PRIVATE | DRAFT_PRIVATE | GRANT_PRIVATE | STAFF_ONLY | {PRIVATE_MESSAGE}

# Who may not read what. The parent wrote their own draft and gave every grant; the
# case manager may read the draft and the grants but not the parent's private draft.
FORBIDDEN = {
    "parent": PROFILE_PRIVATE - {PARENT_DRAFT} | DRAFT_PRIVATE | STAFF_ONLY | {PRIVATE_MESSAGE},
    "student": EVERY_MARKER,
    "advocate": EVERY_MARKER,
    "revoked_advocate": EVERY_MARKER,
    "expired_advocate": EVERY_MARKER,
    "future_advocate": EVERY_MARKER,
    "gen_ed_teacher": PROFILE_PRIVATE | DRAFT_PRIVATE | STAFF_ONLY | {PRIVATE_MESSAGE},
    "provider": PROFILE_PRIVATE,
    "case_manager": {PARENT_DRAFT},
}
# Someone who may read each marker, and where, so the guard knows it is reachable.
SEEN_BY = {
    CM_DRAFT: ("case_manager", "profile"),
    PARENT_DRAFT: ("parent", "profile"),
    OLD_PRIVATE_REVISION: ("case_manager", "history"),
    LINKED_THEN_PRIVATE: ("case_manager", "profile"),
    DRAFT_GOAL: ("case_manager", "draft"),
    DRAFT_ACCOMMODATION: ("case_manager", "draft"),
    DRAFT_SECTION: ("case_manager", "draft"),
    REVOKED_PURPOSE: ("parent", "consent"),
    EXPIRED_PURPOSE: ("parent", "consent"),
    FUTURE_PURPOSE: ("parent", "consent"),
    STAFF_TITLE: ("case_manager", "conversations"),
    STAFF_MESSAGE: ("case_manager", "conversations"),
    PRIVATE_MESSAGE: ("case_manager", "conversations"),
}

# Never followed: they sign out, switch language or serve files without data.
SKIP = ("/accounts/logout/", "/language/", "/static/", "/media/", "/walk-test/")
MAX_PAGES = 600


@dataclass
class Scene:
    users: dict[str, Any]
    params: dict[str, list[str]]


@pytest.fixture
def scene(world) -> Scene:
    today = world.today
    child = world.child
    cm = world.case_manager

    def grant(name: str, purpose: str, *, start: int, days: int, revoke: bool = False) -> Any:
        advocate = f.make_user(name, is_advocate=True)
        starts_on = today + timedelta(days=start)
        made = team_actions.check_grant_consent(
            actor=world.parent,
            student=child,
            access=student_access(world.parent, child),
            grantee_email=advocate.email,
            scopes=list(Scope.values),
            purpose=purpose,
            starts_on=starts_on,
            expires_on=starts_on + timedelta(days=days),
            signature_name="Alice Lane",
            consent_confirmed=True,
            today=min(today, starts_on),
        )
        if revoke:
            team_actions.do_revoke_consent(made, actor=world.parent)
        return advocate, made

    advocate, active_grant = grant("Ann Active", "Meeting help", start=-5, days=60)
    revoked, _g = grant("Rita Revoked", REVOKED_PURPOSE, start=-5, days=60, revoke=True)
    expired, _g = grant("Ed Expired", EXPIRED_PURPOSE, start=-100, days=30)
    future, _g = grant("Fay Future", FUTURE_PURPOSE, start=10, days=60)

    # The profile.
    write(cm, child, "strengths", CM_DRAFT, Visibility.PRIVATE_DRAFT)
    write(world.parent, child, "interests", PARENT_DRAFT, Visibility.PRIVATE_DRAFT)
    published = write(cm, child, "calming", OLD_PRIVATE_REVISION, Visibility.PRIVATE_DRAFT)
    profile_actions.check_edit_entry(
        published,
        actor=cm,
        text="A quiet corner and a drink of water.",
        visibility=Visibility.TEAM,
        expected_revision=published.revision,
    )
    access_of(cm, child)  # the case manager may write: the scene is what the app allows
    profile_ids = matrix_params(world)
    linked = write(cm, child, "triggers", LINKED_THEN_PRIVATE)
    situation = raise_situation(world.parent, child, entry_ids=[linked.pk])
    profile_actions.check_edit_entry(
        linked,
        actor=cm,
        text=LINKED_THEN_PRIVATE,
        visibility=Visibility.PRIVATE_DRAFT,
        expected_revision=linked.revision,
    )
    problem_ids = problem_matrix_params(world)
    conversation_ids = conversation_matrix_params(world)
    update_ids = update_matrix_params(world)
    staff_message = staff_thread(cm, child, title=STAFF_TITLE, body=STAFF_MESSAGE)
    private_message = private(cm, child, world.provider, body=PRIVATE_MESSAGE)

    # A plan in effect, and an amendment shared once, then changed privately.
    in_effect = f.make_plan_in_effect(child, signer=world.parent, actor=cm)
    plan = in_effect.plan
    draft = lifecycle.do_start_amendment(
        plan,
        actor=cm,
        reason="More help with reading",
        parts=["goals", "accommodations", "strengths"],
        effective_date=today,
    )
    shared = lifecycle.do_share_draft(draft, actor=cm, message="Please read")
    question = lifecycle.do_ask_question(shared, actor=world.parent, anchor="plan", text="Why?")
    accommodation = Accommodation.objects.get(version=draft)
    editing.do_update_accommodation(
        accommodation,
        actor=cm,
        expected_revision=accommodation.revision,
        description=DRAFT_ACCOMMODATION,
    )
    goal = editing.do_add_goal(
        draft,
        actor=cm,
        area="academic",
        statement=DRAFT_GOAL,
        baseline="2 of 10",
        target="8 of 10",
        measurement_method="Probes",
        schedule="Weekly",
        mastery_criterion="3 in a row",
    )
    strengths = PlanSection.objects.get(version=draft, key="strengths")
    editing.do_save_section(
        draft,
        "strengths",
        {"strengths": DRAFT_SECTION},
        actor=cm,
        expected_revision=strengths.revision,
    )
    concern_ids = []
    for text, target in (
        ("Reading is hard.", f"goal:{goal.lineage_id}"),
        ("Tests take long.", f"accommodation:{accommodation.lineage_id}"),
    ):
        concern = check_add_concern(
            child,
            actor=world.parent,
            access=concern_access_for(world.parent, child),
            category="reading",
            text=text,
            importance="high",
        )
        check_link_concern(
            concern,
            actor=cm,
            access=concern_access_for(cm, concern.student),
            plan_id=plan.pk,
            target=target,
        )
        concern_ids.append(str(concern.pk))

    entries = ProfileEntry.objects.filter(student=child).values_list("pk", flat=True)
    goals = Goal.objects.filter(version__plan=plan).values_list("pk", flat=True)
    accommodations = Accommodation.objects.filter(version__plan=plan).values_list("pk", flat=True)
    users = {
        "parent": world.parent,
        "student": world.student_user,
        "advocate": advocate,
        "revoked_advocate": revoked,
        "expired_advocate": expired,
        "future_advocate": future,
        "gen_ed_teacher": world.gen_ed_teacher,
        "provider": world.provider,
        "case_manager": cm,
    }
    # Progress data, service sessions and reports, once the scene's plans are settled.
    progress_ids = progress_matrix_params(world)
    minutes_ids = minutes_matrix_params(world)
    report_ids = report_matrix_params(world)
    params = {
        "student_id": [str(child.pk)],
        "plan_id": [str(plan.pk)],
        "number": [str(in_effect.number), str(draft.number)],
        "shared_number": [str(shared.number)],
        "question_id": [str(question.pk)],
        "key": ["strengths", "accommodations"],
        "goal_id": [str(pk) for pk in goals],
        "accommodation_id": [str(pk) for pk in accommodations],
        "service_id": ["0"],
        "entry_id": [str(pk) for pk in entries],
        "goal_entry_id": [report_ids["goal_entry_id"]],
        "request_id": [profile_ids["request_id"]],
        "voice_id": [profile_ids["voice_id"]],
        "concern_id": concern_ids,
        "situation_id": [str(situation.pk), problem_ids["situation_id"]],
        "try_id": [problem_ids["try_id"]],
        "thread_id": [
            conversation_ids["thread_id"],
            str(staff_message.thread_id),
            str(private_message.thread_id),
        ],
        "message_id": [
            conversation_ids["message_id"],
            str(staff_message.pk),
            str(private_message.pk),
        ],
        "update_id": [update_ids["update_id"]],
        "note_id": [update_ids["note_id"]],
        "lineage": [progress_ids["lineage"]],
        "point_id": [progress_ids["point_id"], progress_ids["home_point_id"]],
        "measurement_id": [progress_ids["measurement_id"]],
        "session_id": [minutes_ids["session_id"]],
        "report_id": [report_ids["report_id"]],
        "school_id": [report_ids["school_id"]],
        "job_id": [report_ids["job_id"]],
        "period_id": [report_ids["period_id"]],
        "grant_id": [str(active_grant.pk)],
        "membership_id": ["0"],
        "person_id": ["0"],
        "invitation_id": ["0"],
        "token_id": ["0"],
        "uidb64": ["MQ"],
        "token": ["not-a-real-token"],
    }
    return Scene(users=users, params=params)


def _route_urls(params: dict[str, list[str]]) -> list[str]:
    """Every GET route of the matrix, once for each combination of the scene's ids."""
    urls = []
    for row in ROWS:
        if row.method != "GET":
            continue
        names = [n for n in params if f"{n}>" in row.route]
        for values in itertools.product(*(params[n] for n in names)):
            urls.append(_url(row.route, dict(zip(names, values, strict=True))))
    # The student list's name search, and the plans list, with a query.
    urls += ["/students/?q=Casey", "/plans/?q=Casey"]
    return urls


LINK = re.compile(r"""(?:href|hx-get|action|src)=["']([^"'#][^"']*)["']""")


def _links(body: str) -> list[str]:
    found = []
    for raw in LINK.findall(body):
        url = urldefrag(raw.replace("&amp;", "&"))[0]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url.startswith("/"):
            continue
        if url.startswith(SKIP):
            continue
        found.append(url)
    return found


def _text_of(response: Any) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    text = body.decode("utf-8", errors="replace")
    if kind.startswith("application/json"):
        # Escaped characters would hide a marker from the search.
        return json.dumps(json.loads(text), ensure_ascii=False) if text else ""
    return text


def crawl(user: Any, params: dict[str, list[str]]) -> dict[str, str]:
    """Every page and API body this person reaches, by URL."""
    client = Client()
    client.force_login(user)
    queue = deque(["/home/", "/students/shared-with-me/", *_route_urls(params)])
    seen: set[str] = set()
    bodies: dict[str, str] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            queue.append(response["Location"])
            continue
        text = _text_of(response)
        bodies[url] = text
        if not url.startswith("/" + API) and "text/html" in response.get("Content-Type", ""):
            queue.extend(u for u in _links(text) if u not in seen)
    assert len(seen) < MAX_PAGES, "the crawl hit its limit: raise MAX_PAGES"
    return bodies


def _leaks(bodies: dict[str, str], forbidden: set[str]) -> dict[str, list[str]]:
    leaks: dict[str, list[str]] = {}
    for url, text in bodies.items():
        found = sorted(set(MARKER.findall(text)) & forbidden)
        if found:
            leaks[url] = found
    return leaks


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(FORBIDDEN))
def test_no_private_marker_reaches_anyone_who_may_not_read_it(scene: Scene, who: str) -> None:
    bodies = crawl(scene.users[who], scene.params)
    assert _leaks(bodies, FORBIDDEN[who]) == {}
    # The crawl reached the child's record (so an empty result means something).
    student = scene.params["student_id"][0]
    assert any(url.startswith(f"/students/{student}/") for url in bodies), sorted(bodies)[:20]


@pytest.mark.django_db
def test_each_marker_is_reachable_by_someone_who_may_read_it(scene: Scene) -> None:
    """The markers are really on the pages: the guard above is not passing by accident."""
    bodies = {who: crawl(scene.users[who], scene.params) for who in ("parent", "case_manager")}
    where = {
        "profile": "/profile/",
        "history": "/history",
        "draft": "/draft/",
        "consent": "/consent",
        "conversations": "/conversations/",
    }
    missing = []
    for marker, (who, place) in sorted(SEEN_BY.items()):
        hits = [url for url, text in bodies[who].items() if marker in text]
        if not any(where[place] in url for url in hits):
            missing.append((marker, who, place, hits[:3]))
    assert missing == []
