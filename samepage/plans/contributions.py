"""Parts of a plan that higher apps contribute, registered when those apps load.

The family's concerns are part of every plan version (frozen with it), but the concerns
app sits above plans: it links concerns to plan items. So plans asks, through this
registry, for what each contributing app adds, and never imports them. An app adds its
part in its ``AppConfig.ready`` with ``contribute``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Contribution:
    """One part of a version's content that another app builds and shows."""

    # The key of the part in a version's content (and the readable plan).
    key: str
    # The part as plain data for one version: frozen with it at finalize.
    build: Callable[[Any], Any]
    # The frozen data, readable: (data, plan_type) -> what the page and PDF show.
    show: Callable[[Any, str], Any]


_contributions: dict[str, Contribution] = {}


def contribute(key: str, *, build: Callable[[Any], Any], show: Callable[[Any, str], Any]) -> None:
    _contributions[key] = Contribution(key=key, build=build, show=show)


def contributions() -> list[Contribution]:
    return list(_contributions.values())


def shown_part(key: str, content: dict[str, Any], plan_type: str) -> Any:
    """The readable form of a contributed part, or an empty list when nobody adds it."""
    contribution = _contributions.get(key)
    if contribution is None:
        return []
    return contribution.show(content.get(key, []), plan_type)


# Which goals of the plan at a glance its reader records scores for, from there: the
# progress app (above plans) answers, given the reader's access to the student and the
# goals' lineage ids; nobody registered, no goal.
Recordable = Callable[[Any, list[str]], set[str]]
_recordable: list[Recordable] = []


def register_recordable(answer: Recordable) -> None:
    if answer not in _recordable:
        _recordable.append(answer)


def recordable(access: Any, lineages: list[str]) -> set[str]:
    found: set[str] = set()
    for answer in _recordable:
        found |= answer(access, lineages)
    return found
