"""The general-education teacher's way on a phone: his home lists the plans of the
students he teaches with the accommodations he provides; the glance carries the child's
profile and says which entry is disputed. Every page passes axe and fits 360 px."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from samepage.browser_tests.conftest import Site
from samepage.browser_tests.journeys import document_scroll_width, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDTH = 360
# Set SAMEPAGE_SCREENSHOTS=/some/dir to keep the screenshots for a person to look at.
SCREENSHOTS = os.environ.get("SAMEPAGE_SCREENSHOTS", "")


def _fits(site: Site, name: str) -> None:
    width = document_scroll_width(site)
    assert width <= WIDTH, f"{site.page.url} is {width}px wide at a {WIDTH}px viewport"
    if SCREENSHOTS:
        site.page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def test_teacher_goes_from_his_home_to_the_glance_on_a_phone(
    make_shared_site: Callable[..., Site],
) -> None:
    site = make_shared_site(
        viewport={"width": WIDTH, "height": 740}, is_mobile=True, has_touch=True
    )
    sign_in(site, "david.brooks@riverbend.example")
    site.visit("/home/")
    home = site.page.locator("main")
    assert "Jamie" in home.inner_text()
    assert "Accommodations you provide" in home.inner_text()
    assert "Not confirmed yet" in home.inner_text()
    _fits(site, "teacher-home")
    site.navigate(lambda: site.page.get_by_role("link", name="Plan at a glance — Jamie").click())
    text = site.page.locator("main").inner_text()
    assert "What calms them" in text
    assert "Disputed: a correction was requested on" in text
    _fits(site, "teacher-glance")
