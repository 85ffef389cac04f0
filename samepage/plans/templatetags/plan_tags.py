from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any] | None, key: str) -> Any:
    """``{{ mapping|get_item:key }}`` for dictionaries keyed by strings."""
    if not mapping:
        return None
    return mapping.get(key)
