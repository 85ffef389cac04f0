"""Steps shared by the browser tests."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Locator

from samepage.accounts.models import User
from samepage.browser_tests.conftest import Site
from samepage.home.demo import demo_password


def translated(language: str, message: str) -> str:
    """``message`` as the app shows it in ``language`` (whatever catalogues are compiled)."""
    with translation.override(language):
        return translation.gettext(message)


def language_of(email: str) -> str:
    return User.objects.get(email=email).language or "en"


def fill_sign_in_form(site: Site, email: str) -> None:
    page = site.page
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(demo_password())


def sign_in(site: Site, email: str) -> None:
    """Sign in from the login page and land on the home page (axe-checked on the way)."""
    site.visit(reverse("accounts:login"))
    fill_sign_in_form(site, email)
    site.navigate(lambda: site.page.get_by_role("button", name="Sign in", exact=True).click())
    assert site.page.url == site.url(reverse("home:home")), site.page.url


def main_navigation_link(site: Site, language: str, path: str) -> Locator:
    nav = site.page.get_by_role("navigation", name=translated(language, "Main"), exact=True)
    return nav.locator(f'a[href="{path}"]')


def document_scroll_width(site: Site) -> int:
    return int(site.page.evaluate("document.documentElement.scrollWidth"))
