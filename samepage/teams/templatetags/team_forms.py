"""``{% checkbox_list field %}``: a checkbox list exactly as Django's
``CheckboxSelectMultiple`` renders it, without a template per box.

The team page shows one "what they may do" form per member, seven boxes each; through
the form renderer each box is four templates (about a millisecond and a half a form),
so the page spent more on the boxes than on everything else it shows. The markup is
Django's own, character for character (``tests/test_team_forms.py`` compares them).
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _attrs(attrs: dict[str, Any]) -> str:
    # django/forms/widgets/attrs.html
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}")
        if value is not True:
            out.append(f'="{conditional_escape(str(value))}"')
    return "".join(out)


def _option(option: dict[str, Any]) -> str:
    # django/forms/widgets/checkbox_option.html → input_option.html → input.html
    value = ""
    if option["value"] is not None:
        value = f' value="{conditional_escape(str(option["value"]))}"'
    box = format_html(
        '<input type="{}" name="{}"{}{}>\n',
        option["type"],
        option["name"],
        mark_safe(value),
        mark_safe(_attrs(option["attrs"])),
    )
    if not option["wrap_label"]:
        return f"{box}\n\n"
    label_id = option["attrs"].get("id")
    label_for = format_html(' for="{}"', label_id) if label_id else ""
    return format_html("<label{}>{} {}</label>\n\n", label_for, box, option["label"])


@register.simple_tag
def checkbox_list(bound: BoundField) -> SafeString:
    """``{{ bound }}`` for a ``CheckboxSelectMultiple`` field (any other widget renders
    through Django as usual)."""
    widget = bound.field.widget
    if type(widget) is not forms.CheckboxSelectMultiple:
        return SafeString(str(bound))
    # BoundField.as_widget's attributes and value.
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    # django/forms/widgets/multiple_input.html (the renderer strips the result).
    parts = ["<div"]
    if context["attrs"].get("id"):
        parts.append(format_html(' id="{}"', context["attrs"]["id"]))
    if context["attrs"].get("class"):
        parts.append(format_html(' class="{}"', context["attrs"]["class"]))
    parts.append(">")
    for group, options, _index in context["optgroups"]:
        if group:
            parts.append(format_html("\n  <div><label>{}</label>", group))
        for option in options:
            parts.append(f"<div>\n    {_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return mark_safe("".join(parts).strip())


@register.filter
def form_of(forms_by_member: dict[int, Any], member_id: int) -> Any:
    """``capability_forms|form_of:m.pk``: one member's form (a lookup, not a loop over
    every member's form for each member)."""
    return forms_by_member.get(member_id)
