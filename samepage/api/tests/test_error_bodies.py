"""Every API error answers its documented schema: ``ErrorOut``, and ``ValidationErrorOut``
for every 400, whatever raised it (a body that is not JSON, a parameter that does not
validate, an action's ValidationError, Http404, PermissionDenied, a method not taken)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pydantic import TypeAdapter

from samepage.api import messages
from samepage.api.api import COMMON_ERRORS, api
from samepage.api.errors import BODY_NOT_JSON, NO_NUL, WHOLE_NUMBER
from samepage.api.schemas import ErrorOut, ValidationErrorOut
from samepage.api.tests.helpers import API, send_json, token_client
from samepage.core.bounds import MAX_RECORD_ID

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": str(messages.NOT_FOUND)}


def _is(schema: type, body: Any) -> bool:
    TypeAdapter(schema).validate_python(body, strict=True)
    return True


def team_url(world: Any) -> str:
    return f"{API}/students/{world.child.pk}/team"


@pytest.mark.parametrize("body", ["{not json", "[1, 2", "\x00"])
def test_a_body_that_is_not_json_is_the_same_400_shape(world, body):
    response = token_client(world.case_manager).generic(
        "POST", team_url(world), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": str(BODY_NOT_JSON),
        "errors": {"body": [str(BODY_NOT_JSON)]},
    }
    assert _is(ValidationErrorOut, response.json())


def test_nul_in_body_text_is_a_field_400_not_a_database_error(world):
    # PostgreSQL text cannot hold U+0000; refused before any action sees it.
    body = {"user_id": world.provider.pk, "team_role": "provider\u0000"}
    response = send_json(token_client(world.case_manager), "POST", team_url(world), body)
    assert response.status_code == 400
    assert response.json() == {
        "detail": str(messages.INVALID_INPUT),
        "errors": {"team_role": [str(NO_NUL)]},
    }


def test_nul_in_a_query_value_is_a_field_400_not_a_database_error(world):
    # Every query string passes the same parser as the body: a NUL in a search
    # (or any filter) is named, in the caller's language, before a query runs.
    response = token_client(world.case_manager).get(f"{API}/students", {"q": "a\u0000"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": str(messages.INVALID_INPUT),
        "errors": {"q": [str(NO_NUL)]},
    }


def test_a_field_that_does_not_validate_is_a_400_by_field(world):
    response = send_json(
        token_client(world.case_manager), "POST", team_url(world), {"user_id": str(2**70)}
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["user_id"]
    assert _is(ValidationErrorOut, response.json())


def test_a_non_numeric_body_id_says_whole_number(world):
    response = send_json(
        token_client(world.case_manager), "POST", team_url(world), {"user_id": "Omar"}
    )
    assert response.json()["errors"] == {"user_id": [str(WHOLE_NUMBER)]}


def test_a_method_the_path_does_not_take_is_a_json_405(world):
    response = token_client(world.parent).delete(f"{API}/students")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response["Content-Type"] == "application/json"
    assert _is(ErrorOut, response.json())
    assert "DELETE" in response.json()["detail"]


@pytest.mark.parametrize("bad", ["abc", "-1", "0", "1e5", str(2**63), str(2**70), "9" * 40])
def test_a_path_id_no_record_could_have_is_the_not_found_404(world, bad):
    response = token_client(world.parent).get(f"{API}/plans/{bad}")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_a_mix_of_good_and_hostile_path_ids_is_still_404(world):
    response = token_client(world.case_manager).get(
        f"{API}/students/{world.child.pk}/concerns/{2**70}"
    )
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_the_document_declares_the_error_answers_on_every_operation():
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = {int(code): answer for code, answer in operation["responses"].items()}
            assert set(responses) >= set(COMMON_ERRORS), f"{method.upper()} {path}"
            bad = responses[400]["content"]["application/json"]["schema"]
            assert bad == {"$ref": "#/components/schemas/ValidationErrorOut"}


def test_the_document_bounds_every_path_id():
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "path":
                    continue
                schema = parameter["schema"]
                assert schema["type"] == "integer", f"{method.upper()} {path}"
                assert schema["minimum"] == 1
                assert schema["maximum"] == MAX_RECORD_ID


def test_an_unknown_api_address_is_a_json_404(db):
    response = Client().get(f"{API}/nothing-here")
    assert response.status_code == 404
    assert _is(ErrorOut, response.json())
