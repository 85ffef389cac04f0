"""Helpers shared by forms in every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def add_validation_errors(form: forms.Form, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: per field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class DateInput(forms.DateInput):
    """A native date picker (keyboard-usable, localized by the browser).

    Its value must be ISO (YYYY-MM-DD) whatever the page language, or the browser shows
    an empty field.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def report_errors(request: HttpRequest, error: ValidationError) -> None:
    """Show an action's ValidationError as messages on the next page."""
    for message in error.messages:
        messages.error(request, message)
