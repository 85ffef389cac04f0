"""The glossary and the "Your rights" guide: public pages, no sign-in and no database."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from samepage.core.htmx import HtmxHttpRequest
from samepage.glossary.terms import glossary_entries

MAX_QUERY = 100


def _language() -> str:
    return "es" if (get_language() or "en").startswith("es") else "en"


@require_GET
def index(request: HtmxHttpRequest) -> HttpResponse:
    """Every term in the reader's language, or the ones matching ``?q=``."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    context = {"query": query, "entries": glossary_entries(_language(), query)}
    if request.htmx:
        # The search box swaps only the results (STYLE rule 6).
        return render(request, "glossary/_partials/results.html", context)
    return render(request, "glossary/index.html", context)


@require_GET
def rights(request: HtmxHttpRequest) -> HttpResponse:
    """The plain-language guide to a family's rights, written out in each language."""
    return render(request, "glossary/rights.html", {"guide": f"glossary/rights_{_language()}.html"})
