"""The login page works with the keyboard alone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, expect

from samepage.browser_tests.conftest import Site
from samepage.home.demo import demo_password

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def tab_to(site: Site, target: Locator, max_presses: int = 5) -> None:
    """Press Tab until ``target`` has focus; fail if it takes more than ``max_presses``."""
    for _ in range(max_presses):
        site.page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    focused = site.page.evaluate("document.activeElement && document.activeElement.outerHTML")
    pytest.fail(f"{max_presses} Tab presses did not reach {target}; focus is on {focused}")


def test_login_page_with_the_keyboard_alone(shared_site: Site) -> None:
    site = shared_site
    page = site.page
    site.visit(reverse("accounts:login"))

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # visible when focused

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    email = page.get_by_label("Email address", exact=True)
    tab_to(site, email, max_presses=1)  # the first field follows the skip target
    page.keyboard.type("maria.lee@riverbend.example")
    tab_to(site, page.get_by_label("Password", exact=True))
    page.keyboard.type(demo_password())
    tab_to(site, page.get_by_role("button", name="Sign in", exact=True))
    site.navigate(lambda: page.keyboard.press("Enter"))
    expect(page).to_have_url(site.url(reverse("home:home")))
