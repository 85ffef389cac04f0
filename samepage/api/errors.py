"""Turning an action's ValidationError into the API's 400 body.

Actions speak in their own field names (``user``, ``email``); the API's bodies use
``user_id`` and ``grantee_email``. ``api_fields`` renames at the boundary so a client can
point at the field it sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from samepage.api import messages


def validation_error_body(exc: ValidationError) -> dict[str, Any]:
    """``{"detail": message, "errors": {field: [messages]}}`` for any ValidationError."""
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if hasattr(exc, "error_dict"):
        for field, field_messages in exc.message_dict.items():
            texts = [str(m) for m in field_messages]
            if field == NON_FIELD_ERRORS:
                general.extend(texts)
            else:
                errors[field] = texts
    else:
        general = [str(m) for m in exc.messages]
    detail = " ".join(general) if general else str(messages.INVALID_INPUT)
    return {"detail": detail, "errors": errors}


@contextmanager
def api_fields(renames: dict[str, str]) -> Iterator[None]:
    """Re-raise a field-keyed ValidationError under the API's names for those fields."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {renames.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from exc
