"""Fixtures for the browser tests: Debian's Chromium, the live server, the demo district.

Use the ``site`` fixture to drive pages. It runs axe-core after every navigation it makes
(``visit``, ``navigate``), and at teardown it fails the test if any document that loaded
in the page was never checked with axe, so a page cannot slip through unchecked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from samepage.browser_tests.a11y import assert_accessible

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


@pytest.fixture
def demo(transactional_db: None) -> Any:
    """The demo district "Riverbend Unified", seeded fresh for each test."""
    from samepage.home import demo as demo_module

    return demo_module.seed()


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


@pytest.fixture
def make_site(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any, demo: Any
) -> Iterator[Callable[..., Site]]:
    """Open a fresh browser context (own cookies) on the live server; options as for
    ``browser.new_context`` (e.g. ``viewport``)."""
    contexts: list[BrowserContext] = []
    sites: list[Site] = []

    def make(**options: Any) -> Site:
        context = _new_context(browser, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        site = Site(page=page, base_url=live_server.url)
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
def site(make_site: Callable[..., Site]) -> Site:
    """A desktop-sized page on the live server with the demo district loaded."""
    return make_site()


@pytest.fixture
def blank_page(browser: Browser) -> Iterator[Page]:
    """A page with no server behind it, for testing the test helpers themselves."""
    context = _new_context(browser)
    yield context.new_page()
    context.close()
