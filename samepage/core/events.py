"""Something happened to a child's record: tell whoever listens, once it is committed.

Actions in the domain apps publish an ``Event`` inside their transaction; apps above
them (notifications) subscribe in ``AppConfig.ready``. A lower app never imports a
higher one, so this is how a plan or a concern says "a draft was shared" without
knowing who turns that into notices. Handlers run only after the commit, so nothing is
announced for a write that rolled back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction


@dataclass(frozen=True)
class Event:
    """One thing that happened: what, by whom, to which student, in which part.

    ``part`` is a ``teams.permissions.Part`` value: only people who may see that part of
    the student's record hear of it. ``target`` is the record it happened to (a shared
    draft, a question, a concern…). ``key`` tells two events apart: the same key twice
    is the same event (a handler run twice creates nothing twice).
    """

    kind: str
    actor: Any
    student: Any
    part: str
    target: Any
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        label = self.target._meta.label_lower if self.target is not None else "none"
        pk = self.target.pk if self.target is not None else ""
        return f"{self.kind}:{label}:{pk}"


Handler = Callable[[Event], object]
_handlers: list[Handler] = []


def subscribe(handler: Handler) -> None:
    """Call ``handler`` for every event published from now on (once, however often it
    subscribes: ``ready`` can run more than once in tests)."""
    if handler not in _handlers:
        _handlers.append(handler)


def publish(event: Event) -> None:
    """Hand ``event`` to every handler after the current transaction commits.

    ``robust``: a handler that fails is logged and does not turn a write that already
    committed into an error page.
    """
    for handler in list(_handlers):
        transaction.on_commit(partial(handler, event), robust=True)


# A change to a district's own calendar (its days without school, its reporting periods)
# moves dates for every student of the district at once, with no student's event to
# say so: it has a channel of its own, (district id, what changed), after the commit.
DistrictHandler = Callable[[int, str], object]
_district_handlers: list[DistrictHandler] = []


def subscribe_district(handler: DistrictHandler) -> None:
    """Call ``handler`` for every district-wide change published from now on (once)."""
    if handler not in _district_handlers:
        _district_handlers.append(handler)


def publish_district_change(district_id: int, what: str) -> None:
    """Hand (``district_id``, ``what``) to every district handler after the commit."""
    for handler in list(_district_handlers):
        transaction.on_commit(partial(handler, district_id, what), robust=True)
