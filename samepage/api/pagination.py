"""Keyset (cursor) pagination for the API's lists that grow with the district or with time.

A page answers ``{"items": [...], "next": cursor or null}``. ``?limit=`` is how many
items (default ``DEFAULT_LIMIT``; more than ``MAX_LIMIT`` is a 400 that says the range,
not a silent clamp, so a client never mistakes a short page for the end). ``?cursor=``
is the ``next`` of the page before; a cursor that is not one this list gave (garbage,
edited, or another list's) is a 400 naming ``cursor``, never a 500.

Why keyset and not OFFSET: the next page is "rows after the last one shown" in a stable,
unique ordering, which an index answers by starting where the last page stopped, so
page 2,000 costs what page 1 costs. OFFSET reads and throws away every row before it.

The cursor holds only the last row's id, signed (Django's ``Signer``, salted per list),
not its ordering values: names and dates of a child stay out of URLs and the web
server's logs. The ordering values are read back from that row inside the page's own
query (one primary-key look-up per ordering field, as subqueries), so a page is still
one query. The filter is the classic expansion, led by a plain range on the first
field (``k1 >= v1 AND (k1 > v1 OR (k1 = v1 AND k2 > v2) OR ...)``) so that the index on
the ordering starts at the cursor on PostgreSQL and SQLite alike.

A cursor does not widen what a person sees: it only says where to start in the list
the permission layer already narrowed. Another person's cursor starts a page at a row
of theirs and still shows only the caller's own rows after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Annotated, Any, Generic, TypeVar

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import F, Model, Q, QuerySet, Subquery
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field, create_model

from samepage.core.bounds import MAX_RECORD_ID

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

BAD_CURSOR = _(
    "This cursor is not one this list gave. Send the “next” value of the page before, "
    "unchanged, or leave “cursor” out to start from the first page."
)

M = TypeVar("M", bound=Model)


class PageIn(Schema):
    """Which page: how many items, and where the page before stopped."""

    limit: Annotated[
        int,
        Field(
            DEFAULT_LIMIT,
            ge=1,
            le=MAX_LIMIT,
            description=f"Items per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
        ),
    ]
    cursor: Annotated[
        str | None,
        Field(
            None,
            max_length=200,
            description="The `next` of the page before, unchanged; leave out for the first.",
        ),
    ]


class PageOut(Schema):
    """A page of a list: the items, and the cursor of the page after (null: the last)."""

    items: list[Any]
    next: Annotated[
        str | None,
        Field(description="Send as `cursor` for the page after this one; null on the last."),
    ]


def page_of(item: type[Schema]) -> type[PageOut]:
    """The page schema for a list of ``item`` (``StudentOut`` → ``StudentOutPage``)."""
    model: type[PageOut] = create_model(  # type: ignore[call-overload]
        f"{item.__name__}Page",
        __base__=PageOut,
        __doc__=f"A page of {item.__name__}: `next` is null on the last page.",
        items=(list[item], ...),  # type: ignore[valid-type]
    )
    return model


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    next: str | None


@dataclass(frozen=True)
class Keyset:
    """One list's ordering: model fields (``-`` for descending), the last one unique.

    Every field must be a column of the model or reached through foreign keys
    (``version__number``), or one of ``computed``: expressions of the row's own columns,
    annotated on the page's rows and on the cursor's row alike (a nullable date sorted
    last is ``Coalesce(date, a far date)``: NULL compares with nothing, so a cursor
    could never step past it). The cursor's row is looked up by id.
    """

    name: str
    order: tuple[str, ...]
    computed: Mapping[str, Any] = dataclass_field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.order or self.order[-1].lstrip("-") not in {"pk", "id"}:
            raise ValueError(f"{self.name}: the ordering must end with the id, to be unique")

    @property
    def _signer(self) -> signing.Signer:
        return signing.Signer(salt=f"samepage.api.cursor.{self.name}", sep=".")

    def cursor_for(self, row: Model) -> str:
        return self._signer.sign(str(row.pk))

    def row_id(self, cursor: str) -> int:
        """The id a cursor of this list points after; a 400 for anything else."""
        try:
            value = int(self._signer.unsign(cursor))
        except (signing.BadSignature, ValueError) as exc:
            raise ValidationError({"cursor": [BAD_CURSOR]}) from exc
        if not 1 <= value <= MAX_RECORD_ID:
            raise ValidationError({"cursor": [BAD_CURSOR]})
        return value

    def after(self, model: type[Model], row_id: int) -> Q:
        """Rows that come after row ``row_id`` of ``model`` in this ordering."""
        # The base manager: the cursor's own row is read for its place in the order, not
        # shown; the rows shown come from the caller's (permission-filtered) queryset.
        source = model._base_manager.filter(pk=row_id).annotate(**self.computed).order_by()
        keys = [(f.lstrip("-"), f.startswith("-")) for f in self.order]

        def value(field: str) -> Subquery:
            return Subquery(source.values(field)[:1])

        def beyond(field: str, descending: bool) -> Q:
            return Q(**{f"{field}__{'lt' if descending else 'gt'}": value(field)})

        first, first_descending = keys[0]
        start = Q(**{f"{first}__{'lte' if first_descending else 'gte'}": value(first)})
        either = Q()
        for i, (field, descending) in enumerate(keys):
            same = Q(**{f"{f}__exact": value(f) for f, _d in keys[:i]})
            either |= same & beyond(field, descending)
        return start & either

    def page(self, rows: QuerySet[M], params: PageIn, *, few: bool = False) -> Page[M]:
        """One page of ``rows`` (already filtered for the caller): one query, no OFFSET.

        ``few``: the caller knows the rows are a bounded set (their own students, a
        school's at most), so PostgreSQL should gather and sort them. Otherwise it may
        walk the id index from the end hoping to meet the set soon, and a school whose
        records are old meets it only after the whole district (0.1 s at 100,000).
        The order is the same either way; only how it is reached differs.

        Raises ValidationError (400) for a cursor this list did not give; call it
        before recording a view, so a refused request leaves no AccessEvent.
        """
        rows = rows.annotate(**self.computed).order_by(*(self._sorted() if few else self.order))
        if params.cursor:
            rows = rows.filter(self.after(rows.model, self.row_id(params.cursor)))
        found = list(rows[: params.limit + 1])
        items = found[: params.limit]
        more = len(found) > params.limit
        return Page(items=items, next=self.cursor_for(items[-1]) if more else None)

    def _sorted(self) -> list[OrderBy]:
        # NULLS placed against the index's own order (the columns are NOT NULL, so the
        # rows' order is unchanged): no index can serve it, so the planner sorts.
        return [
            F(f.lstrip("-")).desc(nulls_last=True)
            if f.startswith("-")
            else F(f).asc(nulls_first=True)
            for f in self.order
        ]

    def check(self, params: PageIn) -> None:
        """Refuse a bad cursor (400) before anything else happens (an access record)."""
        if params.cursor:
            self.row_id(params.cursor)


def body(page: Page[Any], items: list[Any] | None = None) -> dict[str, Any]:
    """The response body for ``page``; ``items`` when the rows were turned into dicts."""
    return {"items": page.items if items is None else items, "next": page.next}
