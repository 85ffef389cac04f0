"""People see SamePage in the language on their account."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from samepage.browser_tests.conftest import Site
from samepage.browser_tests.journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_spanish_speaking_parent_gets_spanish_home_page(shared_site: Site) -> None:
    site = shared_site
    # Her browser asks for English; her account says Spanish, and the account wins.
    sign_in(site, "rosa.hernandez@family.example")
    expect(site.page).to_have_url(site.url(reverse("home:home")))
    expect(site.page.locator("html")).to_have_attribute("lang", "es")
