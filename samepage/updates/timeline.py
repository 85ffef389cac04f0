"""One child's timeline: updates, home notes, messages and the plan's events, newest first.

Each kind of entry comes from its own table, through a ``Source`` in ``SOURCES`` (a
registry, not an ``if kind ==`` chain). A source says which readers may see it (the part
of the record it belongs to, by the owning app's own rule) and reads its rows of one
student newest first. A page asks each source the reader may see for at most ``limit + 1``
rows after the cursor and merges them: a constant number of queries however long the
timeline, each one started on the student's rows where the cursor stopped (keyset, no
OFFSET), so an old page costs what the first costs.

Entries are ordered by (time, source rank, id), all descending: a total order across
sources, so the cursor (the last entry's source and id, signed) names one place in it.
The time is read back from that row, so no date of the child's travels in the URL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from samepage.concerns.models import ConcernOutcome
from samepage.conversations.models import Message
from samepage.conversations.permissions import conversation_access, visible_threads
from samepage.conversations.presenters import reader_language
from samepage.core.bounds import MAX_RECORD_ID
from samepage.core.dates import district_today, zone_of
from samepage.core.translation import Shown, language_code, shown_all
from samepage.plans.models import PlanReply, PlanVersion, SharedDraft
from samepage.updates.models import HomeNote, HomeNoteAttachment, QuickUpdate
from samepage.updates.permissions import UpdatesAccess
from samepage.updates.selectors import (
    TAG_PREFIXES,
    current_wording,
    notes_for,
    receipts_for,
    updates_for,
)

DEFAULT_LIMIT = 30
BAD_CURSOR = _(
    "This link to older entries is not one this timeline gave. Start again from the newest."
)

# What a reader can choose to show (a plus: "only home notes").
GROUPS: dict[str, Any] = {
    "updates": _("Quick updates"),
    "notes": _("Home notes"),
    "messages": _("Messages"),
    "plan": _("Plan events"),
}


@dataclass(frozen=True)
class Position:
    """Where a page stopped: the last entry's time, source rank and id."""

    at: datetime
    rank: int
    pk: int


@dataclass
class Entry:
    """One line of the timeline: its kind (the template to show it with) and its row."""

    kind: str
    at: datetime
    rank: int
    pk: int
    row: Any
    # Filled for quick updates: the tags' current words.
    tags: list[str] = field(default_factory=list)
    # For updates and notes: whether the reader wrote it and may still withdraw it.
    can_withdraw: bool = False
    # For home notes: the attached file, if any.
    file: Any = None
    # For messages: how the reader sees it (``conversations.presenters.shown_for``), as
    # the thread page shows it; None for one in the reader's language or withdrawn.
    shown: Shown | None = None
    # For quick updates, to staff who may see read receipts: who else has seen it.
    seen_by: list[Any] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.pk}"

    @property
    def template(self) -> str:
        return f"updates/_partials/entry_{self.kind}.html"


@dataclass(frozen=True)
class Source:
    """One kind of entry: who may see it and how to read one student's rows of it.

    ``rows`` gives the student's rows with what the entry shows already joined;
    ``time_field`` orders them. ``computed_time`` is for a source whose time is not a
    column (a plan's day in effect); its rows are one student's handful.
    """

    kind: str
    group: str
    rank: int
    may_see: Callable[[UpdatesAccess], bool]
    rows: Callable[[UpdatesAccess], QuerySet[Any]]
    time_field: str = "created_at"
    computed_time: Callable[[Any], datetime | None] | None = None

    def _after(self, position: Position | None) -> Q:
        if position is None:
            return Q()
        at = self.time_field
        if self.rank < position.rank:
            return Q(**{f"{at}__lte": position.at})
        if self.rank == position.rank:
            return Q(**{f"{at}__lt": position.at}) | Q(**{at: position.at, "pk__lt": position.pk})
        return Q(**{f"{at}__lt": position.at})

    def fetch(self, access: UpdatesAccess, after: Position | None, limit: int) -> list[Entry]:
        """At most ``limit`` of this source's entries after ``after``, newest first."""
        if self.computed_time is not None:
            entries = [e for e in self._computed(access) if _before(e, after)]
            return sorted(entries, key=_order, reverse=True)[:limit]
        rows = (
            self.rows(access)
            .filter(self._after(after))
            .order_by(f"-{self.time_field}", "-pk")[:limit]
        )
        return [
            Entry(self.kind, getattr(row, self.time_field), self.rank, row.pk, row) for row in rows
        ]

    def _computed(self, access: UpdatesAccess) -> list[Entry]:
        assert self.computed_time is not None
        found = []
        for row in self.rows(access):
            at = self.computed_time(row)
            if at is not None:
                found.append(Entry(self.kind, at, self.rank, row.pk, row))
        return found

    def moment(self, access: UpdatesAccess, pk: int) -> datetime | None:
        """The time of this student's row ``pk`` (None: no such row for this reader)."""
        if self.computed_time is not None:
            return next((e.at for e in self._computed(access) if e.pk == pk), None)
        value: datetime | None = (
            self.rows(access).filter(pk=pk).values_list(self.time_field, flat=True).first()
        )
        return value


def _order(entry: Entry) -> tuple[datetime, int, int]:
    return (entry.at, entry.rank, entry.pk)


def _before(entry: Entry, position: Position | None) -> bool:
    return position is None or _order(entry) < (position.at, position.rank, position.pk)


def _in_effect_since(version: PlanVersion) -> datetime | None:
    """The start of the day the version took effect, in its district (None: not yet)."""
    day = version.effective_from
    district = version.plan.student.district
    if day is None or day > district_today(district):
        return None
    return datetime.combine(day, time.min, tzinfo=zone_of(district))


def _plans(access: UpdatesAccess) -> bool:
    # The plans' own rule (``PlanAccess``): shared drafts, answered questions, concern
    # decisions and versions past draft are what anyone with the plans part may read.
    return access.plans.can_view_plans


def _in_effect_for(access: UpdatesAccess) -> QuerySet[PlanVersion]:
    versions = (
        PlanVersion.objects.filter(plan__student=access.student, effective_from__isnull=False)
        .exclude(status__in=[PlanVersion.Status.DRAFT, PlanVersion.Status.FINAL])
        .select_related("plan__student__district")
        .defer("content", "finalize_overrides")
    )
    # Drafts and final versions never took effect; what is left is what
    # ``PlanAccess.can_see_version`` lets anyone with the plans part read.
    return versions


def _read(access: UpdatesAccess) -> bool:
    return access.can_read


def _conversations(access: UpdatesAccess) -> bool:
    return conversation_access(access.record) is not None


def _messages(access: UpdatesAccess) -> QuerySet[Message]:
    """Messages of the threads this reader may read, by the conversations' own rule (a
    staff-only thread never reaches a family member, a private one only its two people)."""
    conversations = conversation_access(access.record)
    if conversations is None:
        return Message.objects.none()
    return Message.objects.filter(thread__in=visible_threads(conversations)).select_related(
        "author", "thread"
    )


SOURCES: list[Source] = [
    Source("update", "updates", 0, _read, lambda a: updates_for(a.student)),
    Source("home_note", "notes", 1, _read, lambda a: notes_for(a.student)),
    Source("message", "messages", 2, _conversations, _messages),
    # Shared drafts only: a draft the team has not shared has no event to show anyone.
    Source(
        "draft_shared",
        "plan",
        3,
        _plans,
        lambda a: (
            SharedDraft.objects.filter(version__plan__student=a.student)
            .select_related("version", "shared_by")
            .defer("content", "version__content")
        ),
        time_field="shared_at",
    ),
    # A staff member's reply answers a question on a shared draft (a family follow-up
    # reopens it and is not an answer).
    Source(
        "question_answered",
        "plan",
        4,
        _plans,
        lambda a: (
            PlanReply.objects.filter(
                question__shared_draft__version__plan__student=a.student,
                author__staff_profile__isnull=False,
            )
            .select_related("author", "question__shared_draft__version")
            .defer("question__shared_draft__content", "question__shared_draft__version__content")
        ),
    ),
    Source(
        "concern_decided",
        "plan",
        5,
        _plans,
        lambda a: ConcernOutcome.objects.filter(concern__student=a.student).select_related(
            "concern", "decided_by"
        ),
    ),
    Source(
        "plan_in_effect",
        "plan",
        6,
        _plans,
        _in_effect_for,
        computed_time=_in_effect_since,
    ),
]


def _signer() -> signing.Signer:
    return signing.Signer(salt="samepage.updates.timeline", sep=".")


def cursor_for(entry: Entry) -> str:
    return _signer().sign(f"{entry.rank}-{entry.pk}")


def _bad_cursor() -> ValidationError:
    return ValidationError({"cursor": [BAD_CURSOR]})


def position_of(access: UpdatesAccess, cursor: str | None) -> Position | None:
    """Where ``cursor`` points for this reader; a 400 for one this timeline did not give
    (or for an entry this reader may not see: a cursor never widens what they see)."""
    if not cursor:
        return None
    try:
        rank_text, _sep, pk_text = _signer().unsign(cursor).partition("-")
        rank, pk = int(rank_text), int(pk_text)
    except (signing.BadSignature, ValueError) as exc:
        raise _bad_cursor() from exc
    source = next((s for s in SOURCES if s.rank == rank), None)
    if source is None or not source.may_see(access) or not 1 <= pk <= MAX_RECORD_ID:
        raise _bad_cursor()
    at = source.moment(access, pk)
    if at is None:
        raise _bad_cursor()
    return Position(at, rank, pk)


@dataclass
class TimelinePage:
    entries: list[Entry]
    next: str | None
    groups: list[str]


def sources_for(access: UpdatesAccess, groups: Iterable[str] | None = None) -> list[Source]:
    wanted = set(groups or []) or set(GROUPS)
    return [s for s in SOURCES if s.group in wanted and s.may_see(access)]


def visible_groups(access: UpdatesAccess) -> list[str]:
    """The groups this reader has something of (for the filter)."""
    seen = {s.group for s in SOURCES if s.may_see(access)}
    return [g for g in GROUPS if g in seen]


def timeline_page(
    access: UpdatesAccess,
    *,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
    groups: Iterable[str] | None = None,
) -> TimelinePage:
    """One page of the timeline as this reader may see it, newest first."""
    chosen = [g for g in (groups or []) if g in GROUPS]
    after = position_of(access, cursor)
    found: list[Entry] = []
    for source in sources_for(access, chosen):
        found.extend(source.fetch(access, after, limit + 1))
    found.sort(key=_order, reverse=True)
    entries = found[:limit]
    _label_tags(access, entries)
    _show_in_reader_language(entries)
    _add_receipts(access, entries)
    for entry in entries:
        if isinstance(entry.row, QuickUpdate | HomeNote):
            entry.can_withdraw = access.may_withdraw(entry.row)
        if isinstance(entry.row, HomeNote):
            entry.file = attachment_of(entry.row)
    more = len(found) > limit
    return TimelinePage(
        entries=entries, next=cursor_for(entries[-1]) if more and entries else None, groups=chosen
    )


def _label_tags(access: UpdatesAccess, entries: list[Entry]) -> None:
    """Each update's tags in the item's current words (one query pair, only if tagged)."""
    updates = [e for e in entries if isinstance(e.row, QuickUpdate)]
    tagged = [e for e in updates if list(e.row.tags.all())]
    if not tagged:
        return
    words = current_wording(access.student)
    for entry in tagged:
        entry.tags = [tag_text(tag, words) for tag in entry.row.tags.all()]


def shown_updates(page: TimelinePage) -> list[QuickUpdate]:
    """The quick updates on the page, for the reader's receipts."""
    return [e.row for e in page.entries if isinstance(e.row, QuickUpdate)]


def _add_receipts(access: UpdatesAccess, entries: list[Entry]) -> None:
    """Who has seen each update, for staff who may see it (one query for the page)."""
    if not access.can_see_receipts:
        return
    updates = [e for e in entries if isinstance(e.row, QuickUpdate) and not e.row.is_withdrawn]
    if not updates:
        return
    seen = receipts_for([e.row for e in updates], reader_id=access.record.user_id)
    for entry in updates:
        entry.seen_by = seen[entry.pk]


def _show_in_reader_language(entries: list[Entry]) -> None:
    """Each message, quick update and home note written in another language than the
    reader's, in theirs, as on the thread page: one translation cache query for the
    page, none without a backend or when all are in theirs. Withdrawn ones are left out."""
    reader = reader_language()
    foreign = [
        entry
        for entry in entries
        if isinstance(entry.row, Message | QuickUpdate | HomeNote)
        and not entry.row.is_withdrawn
        and language_code(entry.row.language) not in (None, reader)
    ]
    if not foreign:
        return
    shown = shown_all(reader, [(_text_of(entry.row), entry.row.language) for entry in foreign])
    for entry, this in zip(foreign, shown, strict=True):
        entry.shown = this


def _text_of(row: Message | QuickUpdate | HomeNote) -> str:
    return row.body if isinstance(row, Message) else row.text


def attachment_of(note: HomeNote) -> HomeNoteAttachment | None:
    """The note's file (joined by ``notes_for``), or None."""
    try:
        return note.attachment
    except HomeNoteAttachment.DoesNotExist:
        return None


def tag_text(tag: Any, words: dict[str, str]) -> str:
    """ "Goal: Jamie will read…", in the item's current words (else those it was tagged with)."""
    return f"{TAG_PREFIXES.get(tag.kind, tag.kind)}: {words.get(tag.key, tag.label)}"
