"""``{{ text|explain_jargon }}``: explain glossary terms where families read them."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from samepage.glossary.annotator import annotate

register = template.Library()


@register.filter
def explain_jargon(value: object) -> SafeString:
    """Mark the page's first occurrence of each glossary term with its explanation.

    Use it last, on text that is shown as a block of prose (``|linebreaksbr|explain_
    jargon``), never inside a link, a button or a heading: it adds a link and a tooltip.
    """
    return annotate(value)
