"""Typing help for views that answer htmx requests with partials (STYLE rule 6)."""

from django.http import HttpRequest, HttpResponseRedirect
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def see_other(url: str) -> HttpResponseRedirect:
    """Redirect after a successful POST with 303, so the browser (or htmx) follows with a
    GET and a reload never posts again (STYLE rule 6)."""
    return HttpResponseRedirect(url, status=303)
