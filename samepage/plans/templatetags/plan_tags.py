from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any] | None, key: str) -> Any:
    """``{{ mapping|get_item:key }}`` for dictionaries keyed by strings."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def anchor_id(anchor: str) -> str:
    """The element id of a plan part: "goal:<lineage>" → "goal-<lineage>".

    The draft editor and the plan pages use the same ids, so a finalize error links
    straight to the part to fix.
    """
    return str(anchor).replace(":", "-")
