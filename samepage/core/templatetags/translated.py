"""``{% translated text language %}``: someone's text in the reader's language, labelled.

Prints the text as the reader sees it (``core.translation.shown_in`` for the active
language) with its label: "Translated from English — show original" (a ``<details>``
holding the original, which works without JavaScript) or, when nothing translated it,
"Written in Spanish". ``{% include "core/_partials/shown.html" with shown=... %}`` prints a
``Shown`` worked out in Python.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from samepage.core.translation import shown_in

register = template.Library()


@register.inclusion_tag("core/_partials/shown.html")
def translated(text: Any, language: Any) -> dict[str, Any]:
    return {"shown": shown_in(get_language(), str(text or ""), language)}
