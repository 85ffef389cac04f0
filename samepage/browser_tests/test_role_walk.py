"""Every role's way through the demo district, using only the links and buttons shown.

For each demo person: sign in, walk breadth first from the home page through every
same-origin link (Django test client), submit every form shown (rolled back each time),
check every link to a part of a page finds it, switch language and open one page of every
URL pattern again, then open one page of every URL pattern reached in real Chromium at
360 px for width and axe-core. All of a person's failures are reported together. The
demo district is seeded once for the whole module; each person's walk runs in a
transaction that is rolled back, so no person changes the world the next one sees.

Run with ``-s`` to see pages walked and seconds per person.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from playwright.sync_api import Browser

from samepage.browser_tests.walk import Walker, check_in_browser
from samepage.home import demo

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@dataclass(frozen=True)
class Persona:
    id: str
    email: str
    # Pages (URL names) this person must reach from home by links alone: a page that
    # is unlinked from their way in is caught here.
    must_reach: frozenset[str]


_PARENT_PAGES = {
    "home:student_detail",
    "plans:detail",
    "plans:shared",
    "concerns:list",
    "profiles:profile",
    "teams:consent",
    "teams:access_log",
    "plans:glance",
    "conversations:list",
    "conversations:thread",
    "conversations:start",
    "problems:list",
    "problems:raise",
    "updates:timeline",
    "updates:write_note",
    "reports:list",
    "reports:detail",
    "reports:pdf",
    "minutes:services",
    "progress:overview",
    "progress:goal",
    "deadlines:student",
}
# Leaders and administrators work from lists of students and plans.
_LIST_PAGES = {
    "home:home",
    "home:student_list",
    "home:student_detail",
    "plans:list",
    "plans:detail",
}

# Every signed-in person reaches their notifications from the header, and their email
# settings from there.
EVERYONE_REACHES = frozenset({"notifications:centre", "notifications:settings"})

PERSONAS = [
    Persona(
        "district-admin",
        "dana.whitfield@riverbend.example",
        # The failed emails and texts of the district, from the email settings.
        frozenset(
            _LIST_PAGES
            | {"home:people", "teams:team", "notifications:failed_deliveries", "progress:rules"}
            # The district's settings, from the home's "District settings".
            | {"reports:periods", "reports:edit_period", "reports:rating_labels"}
            | {"minutes:calendar", "minutes:settings"}
        ),
    ),
    Persona("school-leader", "marcus.hayes@riverbend.example", frozenset(_LIST_PAGES)),
    Persona(
        "case-manager",
        "maria.lee@riverbend.example",
        frozenset(
            _LIST_PAGES
            | {"plans:draft", "plans:shared", "concerns:list", "teams:team", "profiles:profile"}
            | {"conversations:list", "conversations:thread", "conversations:start"}
            | {"problems:list", "problems:detail", "problems:edit"}
            | {"updates:timeline", "updates:post_update"}
            | {"reports:list", "reports:detail", "reports:pdf", "reports:edit_entry"}
            | {"reports:school", "reports:job"}
            | {"minutes:services", "minutes:log_session"}
            | {"progress:overview", "progress:goal", "progress:measure", "progress:phase"}
            | {"progress:void", "progress:correct", "progress:group"}
            | {"deadlines:student"}
        ),
    ),
    Persona(
        "gen-ed-teacher",
        "david.brooks@riverbend.example",
        # Records scores from the plan at a glance, without the chart.
        frozenset({"home:home", "plans:glance", "progress:record"}),
    ),
    Persona(
        "speech-therapist",
        "priya.patel@riverbend.example",
        frozenset(
            {
                "home:home",
                "home:student_detail",
                "plans:detail",
                "plans:glance",
                "updates:timeline",
                "updates:post_update",
                "minutes:services",
                "minutes:log_session",
                "progress:overview",
                "progress:goal",
                "progress:phase",
                "progress:void",
                "progress:correct",
                "progress:group",
            }
        ),
    ),
    # Jordan raised Jamie's recess situation in the demo: its page and its edit form.
    Persona(
        "parent",
        "jordan.rivera@family.example",
        frozenset({"home:home", *_PARENT_PAGES, "problems:detail", "problems:edit"}),
    ),
    # Sofía's next draft is not shared yet in the demo: no shared draft to reach.
    Persona(
        "spanish-speaking-parent",
        "rosa.hernandez@family.example",
        frozenset({"home:home", *(_PARENT_PAGES - {"plans:shared"})}),
    ),
    Persona(
        "advocate",
        "sam.okafor@advocates.example",
        frozenset(
            {
                "home:home",
                "teams:shared_with_me",
                "home:student_detail",
                "plans:detail",
                "plans:shared",
                "progress:overview",
                "progress:goal",
            }
        ),
    ),
    Persona(
        "student-16-plus",
        "maya.chen@students.riverbend.example",
        frozenset({"home:home", "plans:detail", "profiles:profile", "profiles:voice"}),
    ),
    Persona(
        "guardian-without-rights",
        "alex.rivera@family.example",
        frozenset({"home:home", "home:student_detail"}),
    ),
    Persona("restricted-guardian", "chris.johnson@family.example", frozenset({"home:home"})),
]


def test_personas_are_the_demo_logins_plus_two_guardians() -> None:
    emails = {p.email for p in PERSONAS}
    assert {login.email for login in demo.DEMO_LOGINS} <= emails
    assert len(emails) == len(demo.DEMO_LOGINS) + 2


@pytest.fixture(scope="module")
def checked_in_browser() -> set[str]:
    """Fingerprints of the documents Chromium has already checked during this walk."""
    return set()


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.id for p in PERSONAS])
def test_role_walk(
    persona: Persona,
    shared_demo_server: str,
    django_db_blocker: Any,
    browser: Browser,
    checked_in_browser: set[str],
) -> None:
    password = demo.demo_password()
    with django_db_blocker.unblock():
        began = time.monotonic()
        with transaction.atomic():
            result = Walker(persona.id, persona.email, password).walk()
            # GET pages write access events; undo them with everything else.
            transaction.set_rollback(True)
        walked = time.monotonic() - began
        # A document another person already saw identically (glossary, rights guide) was
        # checked then; every other pattern this person reached is opened in Chromium.
        pages = sorted(
            page
            for page in result.page_per_pattern.values()
            if result.fingerprints[page] not in checked_in_browser
        )
        checked_in_browser.update(result.fingerprints.values())
        browser_failures = check_in_browser(
            browser, shared_demo_server, persona.id, persona.email, password, pages
        )
        total = time.monotonic() - began
    print(
        f"\n[walk] {persona.id}: {len(result.pages)} pages, {result.forms_submitted} forms, "
        f"{result.other_language_pages} pages again in {result.other_language!r}, "
        f"{len(result.page_per_pattern)} URL patterns ({len(pages)} opened in Chromium, the "
        f"others seen identically before); {walked:.1f}s client + "
        f"{total - walked:.1f}s browser = {total:.1f}s"
    )
    failures = [str(f) for f in result.failures + browser_failures]
    missing = sorted((persona.must_reach | EVERYONE_REACHES) - result.url_names)
    if missing:
        failures.append(f"[{persona.id}] never reached (by links from home): {', '.join(missing)}")
    assert not failures, f"{len(failures)} failure(s) walking as {persona.id}:\n" + "\n".join(
        failures
    )
