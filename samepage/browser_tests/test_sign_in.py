"""Every demo login can sign in, see their home page, their student list and sign out."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from samepage.browser_tests.conftest import Site
from samepage.browser_tests.journeys import (
    fill_sign_in_form,
    language_of,
    main_navigation_link,
    translated,
)
from samepage.home.demo import DEMO_LOGINS, DemoLogin

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=[d.email.split("@")[0] for d in DEMO_LOGINS])
def test_sign_in_journey(shared_site: Site, login: DemoLogin) -> None:
    site = shared_site
    page = site.page
    login_path = reverse("accounts:login")
    home_path = reverse("home:home")

    site.visit("/")
    expect(page).to_have_url(site.path_pattern(login_path))

    fill_sign_in_form(site, login.email)
    site.navigate(lambda: page.get_by_role("button", name="Sign in", exact=True).click())
    expect(page).to_have_url(site.url(home_path))

    language = language_of(login.email)
    expect(page.locator("html")).to_have_attribute("lang", language)
    welcome = translated(language, "Welcome, %(name)s") % {"name": login.name}
    expect(page.get_by_role("heading", level=1)).to_have_text(welcome)

    students_link = main_navigation_link(site, language, reverse("home:student_list"))
    if students_link.count():
        site.navigate(students_link.click)
        expect(page).to_have_url(site.url(reverse("home:student_list")))
        expect(page.get_by_role("heading", level=1)).to_be_visible()

    sign_out = page.get_by_role("button", name=translated(language, "Sign out"), exact=True)
    site.navigate(sign_out.click)
    expect(page).to_have_url(site.path_pattern(login_path))
    expect(page.get_by_role("button", name=translated(language, "Sign out"))).to_have_count(0)

    # Signed out for real: the home page sends us back to the login page.
    site.visit(home_path)
    expect(page).to_have_url(site.path_pattern(login_path))
