"""Every Django URL pattern and every OpenAPI operation, for the permission matrix.

Issue 3 builds a matrix of (route x named user -> expected status) on these lists. For
now one test checks they find the API.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from samepage.api.api import api


@dataclass(frozen=True)
class DjangoRoute:
    route: str  # e.g. "api/v1/students/<student_id>", without a leading slash
    name: str | None  # "namespace:name", or None for unnamed patterns
    callback: str  # dotted path of the view, for reading failures


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str, namespace: str | None
) -> Iterator[DjangoRoute]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, route, inner)
            continue
        name = pattern.name
        if name and namespace:
            name = f"{namespace}:{name}"
        callback = pattern.callback
        dotted = f"{getattr(callback, '__module__', '?')}.{getattr(callback, '__name__', '?')}"
        yield DjangoRoute(route=route, name=name, callback=dotted)


def django_routes() -> list[DjangoRoute]:
    """Every URL pattern the project serves, in resolver order."""
    resolver = get_resolver()
    return list(_walk(resolver.url_patterns, "", None))


def openapi_operations(prefix: str = "/api/v1/") -> list[tuple[str, str]]:
    """Every (path, METHOD) in the OpenAPI document, e.g. ("/api/v1/students", "GET")."""
    schema = api.get_openapi_schema(path_prefix=prefix)
    return sorted(
        (path, method.upper())
        for path, operations in schema["paths"].items()
        for method in operations
    )


def test_inventories_find_the_api() -> None:
    routes = [r.route for r in django_routes()]
    operations = openapi_operations()
    assert routes
    assert operations
    assert "api/v1/students" in routes
    assert ("/api/v1/students", "GET") in operations
