"""The app's routes unchanged, plus ``/bench/bare/``: the least a request can cost.

The bare view runs through the same middleware (sessions, authentication, two-factor,
CSP, axes...) and answers a tiny response without touching the database itself, so a
page's time divided by the bare view's time is what the page adds to the framework.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from samepage.urls import handler400, handler403, handler404, handler500
from samepage.urls import urlpatterns as app_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def bare(request: HttpRequest) -> HttpResponse:
    """A tiny plain-text answer: the floor every page is measured against."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *app_urlpatterns]
