"""A path converter for record ids that stops integers no database column can hold."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import URLPattern, URLResolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from samepage.core.bounds import MAX_RECORD_ID


class RecordIdConverter(IntConverter):
    """``<int:...>`` that does not match past ``MAX_RECORD_ID``, so the URL answers 404.

    Django's own ``int`` matches any run of digits; 2**70 then reaches a query and
    crashes it (OverflowError on SQLite, DataError on PostgreSQL).
    """

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_RECORD_ID:
            raise ValueError("beyond any record id")
        return number


def bound_record_ids(patterns: Iterable[URLPattern | URLResolver]) -> None:
    """Give every ``<int:...>`` in ``patterns`` (and what they include) ``RecordIdConverter``.

    Done once over the whole URL tree, so a route added in any app is covered without
    remembering to spell a new converter name (overriding the name ``int`` itself is
    deprecated in Django 5.1+).
    """
    bounded = RecordIdConverter()
    for pattern in patterns:
        route = pattern.pattern
        if isinstance(route, RoutePattern):
            route.converters = {
                name: bounded if type(converter) is IntConverter else converter
                for name, converter in route.converters.items()
            }
        if isinstance(pattern, URLResolver):
            bound_record_ids(pattern.url_patterns)
