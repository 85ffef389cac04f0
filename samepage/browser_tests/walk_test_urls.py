"""A few pages with broken links and controls, for testing that the role walk sees them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import path

from samepage import urls
from samepage.accounts.models import User

START = "/walk-test/"

PAGE = """<!doctype html><html lang="en"><title>Walk test</title>
<main id="main"><a href="#main">Skip</a><a href="#nowhere">Contents</a>
<a href="/walk-test/fine/">Fine</a><a href="/walk-test/fine/#part">Part</a>
<a href="/walk-test/fine/#gone">Gone</a>
<a href="/walk-test/missing/">Missing</a>
<a href="/walk-test/broken/">Broken</a>
<a href="/walk-test/document.pdf">Document</a>
<a href="/accounts/logout/">Sign out</a>
<form method="post" action="/walk-test/rename/"><input name="name" value="Renamed">
<button>Rename</button></form>
<form method="post" action="/walk-test/forbidden/"><button>Not yours</button></form>
<form method="post" action="/walk-test/invalid/"><button>Needs input</button></form>
"""


def start(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE)


def fine(request: HttpRequest) -> HttpResponse:
    return HttpResponse('<p id="part">Fine</p>')


def missing(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Not here", status=404)


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a page that breaks")


def document(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>not a PDF</p>")


def rename(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    User.objects.filter(pk=request.user.pk).update(full_name=request.POST["name"])
    return redirect("/walk-test/fine/")


def forbidden(request: HttpRequest) -> HttpResponse:
    return HttpResponseForbidden("No")


def invalid(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Please fill in the form", status=400)


urlpatterns = [
    path("walk-test/", start),
    path("walk-test/fine/", fine),
    path("walk-test/missing/", missing),
    path("walk-test/broken/", broken),
    path("walk-test/document.pdf", document, name="walk_test_pdf"),
    path("walk-test/rename/", rename),
    path("walk-test/forbidden/", forbidden),
    path("walk-test/invalid/", invalid),
    *urls.urlpatterns,
]
