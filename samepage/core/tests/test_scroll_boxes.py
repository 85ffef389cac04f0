"""Every box that scrolls sideways can be reached and scrolled by keyboard (axe
scrollable-region-focusable) and says what it holds."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRAP = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\btable-wrap\b[^\"]*\"[^>]*>")


def test_every_table_wrap_is_a_focusable_labelled_region():
    found, bad = 0, []
    for path in sorted(ROOT.rglob("*.html")):
        for tag in WRAP.findall(path.read_text(encoding="utf-8")):
            found += 1
            if not all(part in tag for part in ('role="region"', 'tabindex="0"', "aria-label=")):
                bad.append(f"{path.relative_to(ROOT.parent)}: {tag}")
    assert found > 5
    assert bad == [], "Scroll boxes a keyboard cannot reach:\n  " + "\n  ".join(bad)
