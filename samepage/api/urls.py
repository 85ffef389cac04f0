"""The API's URLs, with a JSON 405 for a method a path does not take.

Ninja answers such a request with a plain-text 405; every API error is ``ErrorOut``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase, HttpResponseNotAllowed, JsonResponse
from django.urls import URLPattern, URLResolver, path

from samepage.api.api import api
from samepage.api.errors import METHOD_NOT_ALLOWED

View = Callable[..., HttpResponseBase]


def json_not_allowed(view: View) -> View:
    """``view``, with its 405 answered as ``{"detail": …}`` and the same Allow header."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = response["Allow"]
        detail = METHOD_NOT_ALLOWED % {"method": request.method, "allowed": allowed}
        answer = JsonResponse({"detail": str(detail)}, status=405)
        answer["Allow"] = allowed
        return answer

    return wrapper


def _with_json_405(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    result: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            callback = json_not_allowed(pattern.callback)
            pattern = URLPattern(pattern.pattern, callback, pattern.default_args, pattern.name)
        result.append(pattern)
    return result


_patterns, _app_name, _namespace = api.urls
urlpatterns = [path("", (_with_json_405(_patterns), _app_name, _namespace))]
