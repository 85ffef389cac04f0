"""What a number or a date typed into a URL may be before any query sees it.

Ids, page numbers and filter dates come from people and programs we do not control. An
integer past 64 bits makes SQLite raise OverflowError and PostgreSQL DataError; a date
like 9999-12-31 overflows the moment a filter adds a day to it. These bounds stop such
values at the edge, with a message that says what to send instead, so no view has to
remember to.

The rule, for pages and API alike:
- a path id that is not a whole number from 1 to ``MAX_RECORD_ID`` names no record that
  could exist, so it answers the same 404 as a missing or not-visible record;
- a page number or a filter date that cannot be used answers 400 with a message.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Page, Paginator
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

# The largest value a 64-bit signed integer column holds (BigAutoField, PostgreSQL bigint).
MAX_RECORD_ID = 2**63 - 1

# Filters ask about a school's records; nothing in them is older or newer than these.
EARLIEST_FILTER_DATE = date(1900, 1, 1)
LATEST_FILTER_DATE = date(2999, 12, 31)

PAGE_NUMBER_INVALID = _("The page number must be a whole number from 1 up.")

# How many rows one page of an HTML list shows: the bound on what a page costs.
PAGE_SIZE = 50


class BadQuery(BadRequest):
    """A query-string value we cannot use; its message is shown to the person (400)."""


def is_record_id(text: str) -> bool:
    """True when ``text`` spells a whole number that a record's id could be."""
    return text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_RECORD_ID


def page_number(raw: str | None) -> int:
    """The page a person asked for: 1 when they did not say, ``BadQuery`` when unusable."""
    if raw is None or raw == "":
        return 1
    if not is_record_id(raw):
        raise BadQuery(PAGE_NUMBER_INVALID)
    return int(raw)


def page_of(paginator: Paginator, raw: str | None) -> Page:
    """One page of ``paginator``; a number past the end shows the last page.

    A well-formed number past the end is what a bookmark becomes when the list shrinks,
    so it shows the nearest real page; anything else is a 400 with a message.
    """
    return paginator.get_page(page_number(raw))


class PeekPaginator(Paginator):
    """The paginator of a page that ``paginate`` read with one row more than it shows.

    Its ``count`` is what that read proved: the exact total when the page is the last
    one (``more`` is False), else the rows up to this page plus the one past it, which
    is enough for "next page" to exist. No query counts the whole list.
    """

    def __init__(self, object_list: Any, per_page: int, *, seen: int, more: bool) -> None:
        super().__init__(object_list, per_page)
        self.seen = seen
        self.more = more

    @cached_property
    def count(self) -> int:
        return self.seen + 1 if self.more else self.seen


def paginate(rows: Any, raw: str | None, per_page: int | None = None) -> Page:
    """One page of ``rows`` (``PAGE_SIZE`` of them unless said), in one query.

    Counting a 100,000-student district on each view is a scan that grows with the
    district, so the page reads one row past its end instead: that row says whether a
    next page exists. ``page.paginator.more`` is True while rows go on (a page then
    shows no total); on the last page ``page.paginator.count`` is the exact total.
    As ``page_of``: a number past the end shows the last page (then, and only then,
    the list is counted), one that is not a page number is a 400.
    """
    number = page_number(raw)
    size = per_page or PAGE_SIZE
    start = (number - 1) * size
    if start + size + 1 > MAX_RECORD_ID:
        # No list is that long, and no database takes such an offset.
        return Paginator(rows, size).get_page(number)
    found = list(rows[start : start + size + 1])
    if not found and number > 1:
        return Paginator(rows, size).get_page(number)
    more = len(found) > size
    paginator = PeekPaginator(rows, size, seen=start + min(len(found), size), more=more)
    return Page(found[:size], number, paginator)


def filter_date_problem(value: date) -> str | None:
    """The message for a filter date outside what any record could have, else None."""
    if EARLIEST_FILTER_DATE <= value <= LATEST_FILTER_DATE:
        return None
    return str(
        _("Choose a date from %(earliest)s to %(latest)s.")
        % {
            "earliest": date_format(EARLIEST_FILTER_DATE, "SHORT_DATE_FORMAT"),
            "latest": date_format(LATEST_FILTER_DATE, "SHORT_DATE_FORMAT"),
        }
    )


class FilterDateField(forms.DateField):
    """A form's filter date: a real date within the bounds, else a message on the field."""

    def validate(self, value: date | None) -> None:
        super().validate(value)
        problem = filter_date_problem(value) if value is not None else None
        if problem:
            raise ValidationError(problem, code="out_of_range")
