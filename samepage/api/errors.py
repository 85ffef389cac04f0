"""Turning what went wrong into the API's error bodies (``ErrorOut``, ``ValidationErrorOut``).

Actions speak in their own field names (``user``, ``email``); the API's bodies use
``user_id`` and ``grantee_email``. ``api_fields`` renames at the boundary so a client can
point at the field it sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError
from ninja.parser import Parser

from samepage.api import messages
from samepage.core.bounds import MAX_RECORD_ID


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


# What pydantic's error types mean, in words a person can act on (its own texts are
# English only). Anything not listed gets INVALID_VALUE.
INVALID_VALUE = _("This value cannot be used here.")
REQUIRED = _("This field is required.")
WHOLE_NUMBER = _("Enter a whole number.")
NUMBER_RANGE = _("Enter a whole number from %(ge)s to %(le)s.")
REAL_DATE = _("Enter a real date as YYYY-MM-DD.")
TEXT = _("Enter text.")
TRUE_OR_FALSE = _("Enter true or false.")
LIST = _("Send a list.")
OBJECT = _("Send an object with named fields.")
CHOICE = _("Choose one of: %(expected)s.")
TOO_LONG = _("Use at most %(max_length)s characters.")
TOO_SHORT = _("Use at least %(min_length)s characters.")
BODY_NOT_JSON = _("The request body must be a JSON object.")
NO_NUL = _("Text cannot contain the NUL character (\\u0000).")
METHOD_NOT_ALLOWED = _("This address does not take %(method)s. It takes: %(allowed)s.")

_BY_TYPE = {
    "missing": REQUIRED,
    "int_parsing": WHOLE_NUMBER,
    "int_type": WHOLE_NUMBER,
    "int_from_float": WHOLE_NUMBER,
    "date_parsing": REAL_DATE,
    "date_from_datetime_parsing": REAL_DATE,
    "date_from_datetime_inexact": REAL_DATE,
    "date_type": REAL_DATE,
    "string_type": TEXT,
    "bool_parsing": TRUE_OR_FALSE,
    "bool_type": TRUE_OR_FALSE,
    "list_type": LIST,
    "model_type": OBJECT,
    "dict_type": OBJECT,
    "model_attributes_type": OBJECT,
    "enum": CHOICE,
    "literal_error": CHOICE,
    "string_too_long": TOO_LONG,
    "too_long": TOO_LONG,
    "string_too_short": TOO_SHORT,
    "too_short": TOO_SHORT,
}


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error" and ctx.get("error"):
        # Our own validators raise ValueError with a translated message.
        return str(ctx["error"])
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        return str(NUMBER_RANGE % {"ge": ctx.get("ge", 1), "le": ctx.get("le", MAX_RECORD_ID)})
    message = _BY_TYPE.get(kind, INVALID_VALUE)
    try:
        return str(message) % ctx if "%(" in str(message) else str(message)
    except (KeyError, TypeError, ValueError):
        return str(INVALID_VALUE)


def _field(loc: tuple[Any, ...]) -> str:
    # ("query", "since") -> "since"; ("body", "payload", "user_id") -> "user_id".
    parts = [str(p) for p in loc[1:]]
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or str(loc[0] if loc else "body")


def is_path_error(errors: list[dict[str, Any]]) -> bool:
    """True when some path parameter failed: the URL names no record that could exist."""
    return any(tuple(e.get("loc", ()))[:1] == ("path",) for e in errors)


def ninja_validation_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The 400 body for parameters or a body that did not validate, field by field."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field(tuple(error.get("loc", ()))), []).append(_message(error))
    return {"detail": str(messages.INVALID_INPUT), "errors": fields}


def unparseable_body() -> dict[str, Any]:
    """The 400 for a body that is not JSON: the same shape as every other 400."""
    return {"detail": str(BODY_NOT_JSON), "errors": {"body": [str(BODY_NOT_JSON)]}}


class NulInText(ValueError):
    """A string in a request body holds U+0000, which no text column can store."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _find_nul(value: Any, field: str) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise NulInText(field or "body")
    elif isinstance(value, dict):
        for key, inner in value.items():
            _find_nul(str(key), field or "body")
            _find_nul(inner, f"{field}.{key}" if field else str(key))
    elif isinstance(value, list):
        for inner in value:
            _find_nul(inner, field)


class JsonBodyParser(Parser):
    """Ninja's JSON parser, refusing NUL characters anywhere in the request's text.

    PostgreSQL text cannot hold U+0000 (DataError, a 500); SQLite would store it. Refused
    here once, for every operation, rather than in each schema: in the JSON body, and in
    query strings and form fields (a search for "a%00" reaches a LIKE on PostgreSQL).
    """

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        _find_nul(data, "")
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        parsed = super().parse_querydict(data, list_fields, request)
        try:
            _find_nul(parsed, "")
        except NulInText as cause:
            raise HttpError(400, str(NO_NUL)) from cause
        return parsed


def body_error(exc: Exception) -> dict[str, Any]:
    """The 400 for a body ninja could not take: NUL in a field, or not JSON at all."""
    cause = exc.__cause__
    if isinstance(cause, NulInText):
        return {"detail": str(messages.INVALID_INPUT), "errors": {cause.field: [str(NO_NUL)]}}
    return unparseable_body()
