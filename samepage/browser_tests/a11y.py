"""Accessibility checks with axe-core (WCAG 2.0 and 2.1, levels A and AA)."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}

_axe = Axe()


class AccessibilityViolations(AssertionError):
    """axe-core found WCAG A/AA violations on a page."""

    def __init__(self, url: str, violations: list[dict[str, Any]]) -> None:
        self.url = url
        self.violations = violations
        super().__init__(format_violations(url, violations))

    @property
    def ids(self) -> set[str]:
        return {v["id"] for v in self.violations}


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact') or 'unknown impact'}): {v['help']}")
        lines.append(f"  {v.get('helpUrl', '')}")
        for node in v.get("nodes", []):
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def axe_script() -> str:
    """The axe-core source, for pages that load it themselves (``add_init_script``)."""
    return str(_axe.axe_script)


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now; raise listing every violation."""
    page.wait_for_load_state("load")
    results = _axe.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    if violations:
        raise AccessibilityViolations(page.url, violations)
