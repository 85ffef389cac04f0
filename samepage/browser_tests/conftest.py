"""Fixtures for the browser tests: Debian's Chromium, the live server, the demo district.

Use the ``site`` fixture to drive pages. It runs axe-core after every navigation it makes
(``visit``, ``navigate``), and at teardown it fails the test if any document that loaded
in the page was never checked with axe, so a page cannot slip through unchecked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.test.utils import override_settings, setup_databases, teardown_databases
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from pytest_django.live_server_helper import LiveServer

from samepage.browser_tests.a11y import assert_accessible
from samepage.plans.actions.lifecycle import AFTER_FINAL
from samepage.plans.tasks import enqueue_final_pdfs

# Playwright's sync API runs an asyncio event loop in this thread; Django would otherwise
# refuse database access from the test (seeding, lookups) as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# A module-wide seeding runs outside the tests' own fast-hashing fixture (conftest.py).
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    # Lets the ``site`` fixture skip its teardown check when the test itself failed.
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
            "Install the Debian package 'chromium' (as root: apt-get install -y chromium, "
            "or run `make browser-deps`).",
            pytrace=False,
        )
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@contextmanager
def _final_pdfs_left_to_their_first_request() -> Iterator[None]:
    """Seed as if no worker had laid out the final plans' PDFs yet.

    The demo finalizes a dozen plans and each would lay out its PDFs in every language at
    once (the test settings run tasks in the request): a third of a seeding's time, for
    documents most browser tests never open. A PDF not stored is laid out on its first
    request (plans/actions/documents.py), which is what the walks and journeys that open
    one then do; storing them on finalize is tested in plans/tests/test_stored_pdfs.py.
    """
    saved = list(AFTER_FINAL)
    AFTER_FINAL[:] = [hook for hook in saved if hook is not enqueue_final_pdfs]
    try:
        yield
    finally:
        AFTER_FINAL[:] = saved


def _seed_demo() -> Any:
    from samepage.home import demo as demo_module

    with _final_pdfs_left_to_their_first_request():
        return demo_module.seed()


@pytest.fixture
def demo(transactional_db: None) -> Any:
    """The demo district "Riverbend Unified", seeded fresh for each test."""
    return _seed_demo()


@dataclass
class _Document:
    url: str
    checked: bool = False


@dataclass
class Site:
    """A browser page on the live server that checks accessibility as it goes."""

    page: Page
    base_url: str
    documents: list[_Document] = field(default_factory=list)

    def _on_load(self, page: Page) -> None:
        self.documents.append(_Document(page.url))

    def url(self, path: str) -> str:
        return self.base_url + path

    def path_pattern(self, path: str) -> re.Pattern[str]:
        """A URL pattern for ``path`` on the live server, any query string allowed."""
        return re.compile("^" + re.escape(self.url(path)) + r"(\?.*)?$")

    def check_accessibility(self) -> None:
        """Run axe-core on the current document (and mark it checked)."""
        self.page.wait_for_load_state("load")
        if self.documents:
            self.documents[-1].checked = True
        assert_accessible(self.page)

    def visit(self, path: str) -> None:
        """Open ``path`` on the live server, then check it with axe-core."""
        response = self.page.goto(self.url(path))
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        self.check_accessibility()

    def navigate(self, action: Callable[[], object]) -> None:
        """Do something that loads a new page (click, submit, key press), then check it."""
        with self.page.expect_navigation():
            action()
        self.check_accessibility()

    def unchecked_documents(self) -> list[str]:
        return [d.url for d in self.documents if not d.checked]


def _new_context(browser: Browser, **options: Any) -> BrowserContext:
    options.setdefault("locale", "en-US")
    return browser.new_context(**options)


def _site_maker(
    request: pytest.FixtureRequest, browser: Browser, base_url: str
) -> Iterator[Callable[..., Site]]:
    contexts: list[BrowserContext] = []
    sites: list[Site] = []

    def make(**options: Any) -> Site:
        context = _new_context(browser, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        site = Site(page=page, base_url=base_url)
        page.on("load", site._on_load)
        sites.append(site)
        return site

    yield make

    for context in contexts:
        context.close()
    call_report = getattr(request.node, "rep_call", None)
    if call_report is not None and call_report.passed:
        unchecked = [url for site in sites for url in site.unchecked_documents()]
        if unchecked:
            pytest.fail(
                "These pages loaded but were never checked with axe-core "
                "(use site.visit / site.navigate / site.check_accessibility):\n  "
                + "\n  ".join(unchecked),
                pytrace=False,
            )


@pytest.fixture
def make_site(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any, demo: Any
) -> Iterator[Callable[..., Site]]:
    """Open a fresh browser context (own cookies) on the live server; options as for
    ``browser.new_context`` (e.g. ``viewport``). The demo district is seeded afresh for
    the test: use this when the test writes and then checks what it wrote."""
    yield from _site_maker(request, browser, live_server.url)


def _on_test_database() -> bool:
    # TEST.NAME is set by the settings (SQLite) or by pytest-django under xdist; otherwise
    # Django names the test database "test_" + NAME.
    name = str(connection.settings_dict["NAME"])
    test_name = connection.settings_dict["TEST"].get("NAME")
    return name == test_name if test_name else name.startswith(TEST_DATABASE_PREFIX)


@pytest.fixture(scope="module")
def shared_demo_server(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The demo district, seeded once for a whole module, and a live server on it.

    For tests whose writes (a session, an access event) no later test of the module
    depends on: signing in as each demo person, looking at pages. The seeding is most of
    a browser test's cost, so a module of ten sign-ins seeds once instead of ten times.
    The world is flushed when the module ends, so it never leaks into later tests."""
    with django_db_blocker.unblock():
        # pytest-django sets up the test database only if some selected test asks for
        # one with its markers or fixtures; these tests hold their own transactions.
        created = None
        if not _on_test_database():
            created = setup_databases(
                verbosity=0,
                interactive=False,
                aliases={DEFAULT_DB_ALIAS},  # type: ignore[arg-type]  # stubs say Mapping
            )
        # Never seed the developer's own database.
        assert _on_test_database(), connection.settings_dict["NAME"]
        with override_settings(PASSWORD_HASHERS=FAST_HASHER):
            _seed_demo()
    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    try:
        yield server.url
    finally:
        server._live_server_modified_settings.disable()
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", verbosity=0, interactive=False)
            if created is not None:
                teardown_databases(created, verbosity=0)


@pytest.fixture
def make_shared_site(
    request: pytest.FixtureRequest,
    browser: Browser,
    shared_demo_server: str,
    django_db_blocker: Any,
) -> Iterator[Callable[..., Site]]:
    """As ``make_site``, on the module's shared demo district (``shared_demo_server``);
    the test may read the database (the demo's people) as it goes."""
    with django_db_blocker.unblock():
        yield from _site_maker(request, browser, shared_demo_server)


@pytest.fixture
def shared_site(make_shared_site: Callable[..., Site]) -> Site:
    """A desktop-sized page on the module's shared demo district."""
    return make_shared_site()


@pytest.fixture
def site(make_site: Callable[..., Site]) -> Site:
    """A desktop-sized page on the live server with the demo district loaded."""
    return make_site()


@pytest.fixture
def blank_page(browser: Browser) -> Iterator[Page]:
    """A page with no server behind it, for testing the test helpers themselves."""
    context = _new_context(browser)
    yield context.new_page()
    context.close()
