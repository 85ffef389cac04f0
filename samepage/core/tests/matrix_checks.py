"""What the permission matrix checks besides its rows.

``route_methods()``: every route with the HTTP methods its view accepts, read from the
view itself (``require_http_methods``/``require_POST``/``require_GET`` on function views,
the handlers of a class-based view, the operations of a django-ninja path), so a method
without a row fails the completeness test.

``snapshot()``/``changes()``: every table in the database, read before and after a
request, so a refused write can be shown to have added, removed or changed no row,
audit rows included. The tables come from the database itself, not from a list of
models, so a table added tomorrow (or an audit table being redesigned) is covered too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from ninja.operation import PathView

# HEAD is GET without a body and OPTIONS only lists methods; neither runs a write.
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})

# Views of libraries that answer every method the same way without writing anything.
ANY_METHOD_READ_ONLY = {
    "api/v1/openapi.json": "django-ninja serves the same read-only document for any method",
    "api/v1/docs": "django-ninja serves the same read-only docs page for any method",
}

# Tables whose rows change on a refused request because that is their job, not because
# the request was let through. Keep this short; every entry says why.
# Empty today: with every person signed in before the first snapshot, not even the
# session table changes on a refused request (checked: the matrix passes with it read).
ALWAYS_VOLATILE: dict[str, str] = {}


@dataclass(frozen=True)
class RouteView:
    route: str  # exactly as the URL resolver spells it
    methods: frozenset[str]


def _walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        else:
            yield route, pattern.callback


def _methods_of(view: Callable[..., Any]) -> frozenset[str]:
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        # Django's View answers 405 for any method it has no handler for.
        return frozenset(
            m.upper()
            for m in view_class.http_method_names
            if m.upper() in METHODS and hasattr(view_class, m)
        )
    layer: Any = view
    while layer is not None:
        if isinstance(layer, partial):
            layer = layer.func
            continue
        cells = layer.__closure__ or ()
        closure = dict(
            zip(layer.__code__.co_freevars, (c.cell_contents for c in cells), strict=True)
        )
        path_view = closure.get("self")
        if isinstance(path_view, PathView):
            return frozenset(m for op in path_view.operations for m in op.methods)
        # functools.wraps copies __qualname__ onto the wrapper; the code object keeps its own.
        if layer.__code__.co_qualname.startswith("require_http_methods."):
            return frozenset(closure["request_method_list"]) & METHODS
        layer = getattr(layer, "__wrapped__", None)
    return METHODS  # no restriction: the view runs for every method


def route_methods() -> list[RouteView]:
    """Every route the project serves and the methods its view accepts."""
    found: dict[str, set[str]] = {}
    for route, view in _walk(get_resolver().url_patterns, ""):
        methods = {"GET"} if route in ANY_METHOD_READ_ONLY else _methods_of(view)
        found.setdefault(route, set()).update(methods)
    return [RouteView(route, frozenset(methods)) for route, methods in found.items()]


Snapshot = dict[str, list[str]]

# The schema does not change while the tests run: read it once per database.
_columns: dict[tuple[str, str], list[str]] = {}
_queries: dict[tuple[str, str, tuple[str, ...]], tuple[list[str], str]] = {}


def _columns_of(cursor: Any, table: str) -> list[str]:
    key = (connection.vendor, table)
    if key not in _columns:
        description = connection.introspection.get_table_description(cursor, table)
        _columns[key] = [column.name for column in description]
    return _columns[key]


def _as_text(column: str) -> str:
    # One text per value, NULL told apart from the text "None"; the database does the work.
    quoted = connection.ops.quote_name(column)
    if connection.vendor == "postgresql":
        return f"quote_nullable({quoted})"
    return f"quote({quoted})"


def _snapshot_sql(skipped: dict[str, str]) -> tuple[list[str], str]:
    key = (connection.vendor, connection.settings_dict["NAME"], tuple(sorted(skipped)))
    if key not in _queries:
        parts = []
        with connection.cursor() as cursor:
            tables = sorted(connection.introspection.table_names(cursor, include_views=False))
            tables = [table for table in tables if table not in skipped]
            for table in tables:
                row = " || ' | ' || ".join(
                    f"'{column}=' || "
                    + ("'(volatile)'" if f"{table}.{column}" in skipped else _as_text(column))
                    for column in _columns_of(cursor, table)
                )
                # Names come from the database's own catalogue, not from input.
                quoted = connection.ops.quote_name(table)
                parts.append(f"SELECT '{table}', {row} FROM {quoted}")  # noqa: S608
        _queries[key] = (tables, " UNION ALL ".join(parts))
    return _queries[key]


def snapshot(volatile: dict[str, str] | None = None) -> Snapshot:
    """Every row of every table, as sorted text, leaving out ``volatile`` tables.

    ``volatile`` maps a table (``"axes_accessattempt"``) or a column
    (``"otp_totp_totpdevice.throttling_failure_count"``) to the reason it may change.
    One query reads every table, so a snapshot stays cheap enough to take around every
    request of the matrix.
    """
    tables, sql = _snapshot_sql({**ALWAYS_VOLATILE, **(volatile or {})})
    result: Snapshot = {table: [] for table in tables}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for table, text in cursor.fetchall():
            result[table].append(text)
    for rows in result.values():
        rows.sort()
    return result


def changes(before: Snapshot, after: Snapshot, *, ignore: Iterable[str] = ()) -> dict[str, str]:
    """Per table, what a request added or removed (a changed row is both), for reading."""
    found = {}
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table, []), after.get(table, [])
        if old == new or table in ignore:
            continue
        added = sorted(set(new) - set(old))
        removed = sorted(set(old) - set(new))
        found[table] = f"{len(old)} -> {len(new)} rows; added {added[:2]}; removed {removed[:2]}"
    return found
