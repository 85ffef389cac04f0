"""Links between pages of a paginated list that keep the rest of the query string."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context: dict[str, Any], param: str, number: int) -> str:
    """``?q=sofia&page=3``: the current query with ``param`` set to ``number``."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return f"?{param}={int(number)}"
    query[param] = str(int(number))
    return "?" + query.urlencode()
