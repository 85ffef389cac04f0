"""Phones: at 360 CSS pixels wide nothing scrolls sideways."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from samepage.browser_tests.conftest import Site
from samepage.browser_tests.journeys import document_scroll_width, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDTH = 360


@pytest.mark.parametrize(
    "email",
    ["jordan.rivera@family.example", "dana.whitfield@riverbend.example"],
    ids=["parent", "district-admin"],
)
def test_no_horizontal_scrolling_at_360px(
    make_shared_site: Callable[..., Site], email: str
) -> None:
    site = make_shared_site(
        viewport={"width": WIDTH, "height": 740}, is_mobile=True, has_touch=True
    )
    sign_in(site, email)
    for path in [reverse("home:home"), reverse("home:student_list")]:
        site.visit(path)
        width = document_scroll_width(site)
        assert width <= WIDTH, f"{path} is {width}px wide at a {WIDTH}px viewport"
