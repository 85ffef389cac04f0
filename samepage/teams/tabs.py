"""Tabs of a child's record that higher apps add, registered when those apps load.

The record's section nav (``teams/_student_nav.html``) sits in teams, below the apps
whose pages it links to (conversations, the timeline, problem solving). So teams asks,
through this registry, which tabs there are and whether this reader may see each, and
never imports those apps. An app adds its tab in its ``AppConfig.ready`` with
``register_tab``, answering ``shown`` with its own permission rule (never a second
one), and optionally ``count`` for a "N new" badge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from samepage.teams.permissions import StudentAccess


@dataclass(frozen=True)
class StudentTab:
    """One tab of a child's record that another app provides."""

    # The ``section`` its pages pass to the nav, so the tab is marked as the current page.
    section: str
    label: Any
    # A URL name taking the student's id.
    url_name: str
    # Whether the reader with this access may open the tab's page (the app's own rule).
    shown: Callable[[StudentAccess], bool]
    # How many new things the reader has not seen there (at most one query), or None.
    count: Callable[[StudentAccess], int] | None = None
    # Lower comes first.
    order: int = 100


@dataclass(frozen=True)
class ShownTab:
    """A tab as one reader's nav shows it."""

    tab: StudentTab
    url: str
    current: bool
    new: int

    @property
    def label(self) -> Any:
        return self.tab.label


_tabs: dict[str, StudentTab] = {}


def register_tab(tab: StudentTab) -> None:
    """Add (or, when an app loads again in tests, replace) the tab for ``tab.section``."""
    _tabs[tab.section] = tab


def registered_tabs() -> list[StudentTab]:
    return sorted(_tabs.values(), key=lambda tab: (tab.order, tab.section))


def _new(tab: StudentTab, access: StudentAccess) -> int:
    """The tab's count for this reader, asked once per access (the access is the
    request's: the nav and the page's own link show the same number for one query)."""
    if tab.count is None:
        return 0
    if tab.section not in access.tab_counts:
        access.tab_counts[tab.section] = tab.count(access)
    return access.tab_counts[tab.section]


def tab_new(access: StudentAccess | None, section: str) -> int:
    """How many new things the tab for ``section`` shows this reader (0 when it is not
    shown to them): the same number, and the same query, as the record nav's badge."""
    tab = _tabs.get(section)
    if access is None or tab is None or not tab.shown(access):
        return 0
    return _new(tab, access)


def tabs_for(access: StudentAccess | None, section: str = "") -> list[ShownTab]:
    """The registered tabs this reader may see, in order, each with its link."""
    if access is None:
        return []
    shown = []
    for tab in registered_tabs():
        if not tab.shown(access):
            continue
        new = _new(tab, access)
        url = reverse(tab.url_name, args=[access.student.pk])
        shown.append(ShownTab(tab=tab, url=url, current=section == tab.section, new=new))
    return shown
