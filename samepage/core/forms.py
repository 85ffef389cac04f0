"""Helpers shared by forms in every app."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_validation_errors(form: forms.Form, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: per field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
