"""The axe-core check is real: it fails on a page with known WCAG violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from samepage.browser_tests.a11y import AccessibilityViolations, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

BROKEN_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Broken on purpose</title></head>
<body>
  <main>
    <h1>Broken on purpose</h1>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
    <input type="text" name="nickname">
  </main>
</body>
</html>"""

GOOD_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Fine</title></head>
<body>
  <main>
    <h1>Fine</h1>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="A dot">
    <label for="nickname">Nickname</label> <input type="text" id="nickname" name="nickname">
  </main>
</body>
</html>"""


def test_axe_check_fails_on_an_image_without_alt_and_an_unlabelled_input(
    blank_page: Page,
) -> None:
    blank_page.set_content(BROKEN_PAGE)
    with pytest.raises(AccessibilityViolations) as raised:
        assert_accessible(blank_page)
    assert {"image-alt", "label"} <= raised.value.ids
    message = str(raised.value)
    assert "image-alt (critical)" in message
    assert "label (critical)" in message
    assert "img" in message and "input" in message  # the target nodes are listed


def test_axe_check_passes_on_the_same_page_fixed(blank_page: Page) -> None:
    blank_page.set_content(GOOD_PAGE)
    assert_accessible(blank_page)
