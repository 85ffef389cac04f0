"""The public OpenAPI document at /api/v1/openapi.json and its docs page at /api/v1/docs."""

from __future__ import annotations

import pytest
from django.test import Client

from samepage.api.tests.helpers import API, session_client, token_client
from samepage.api.tests.test_route_inventory import django_routes

pytestmark = pytest.mark.django_db

OPENAPI = f"{API}/openapi.json"


def _api_routes_from_django() -> set[str]:
    """API operations as Django serves them, in OpenAPI's spelling."""
    routes = set()
    for route in django_routes():
        if not route.route.startswith("api/v1/") or route.name == "api-v1:openapi-json":
            continue
        if route.name == "api-v1:api-root":  # ninja's placeholder, always 404
            continue
        if route.name == "api-v1:openapi-view":  # the docs page, not an operation
            continue
        path = "/" + route.route.replace("<", "{").replace(">", "}")
        routes.add(path)
    return routes


def test_signed_in_user_gets_the_document(world):
    response = session_client(world.parent).get(OPENAPI)
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "SamePage API"
    assert document["info"]["version"] == "1"


def test_token_holder_gets_the_document(world):
    assert token_client(world.parent).get(OPENAPI).status_code == 200


def test_anonymous_gets_the_document(db):
    # It describes the API and holds no data: client generators and fuzzers read it as is.
    response = Client().get(OPENAPI)
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "SamePage API"


def test_a_bad_token_does_not_hide_the_document(db):
    response = Client().get(OPENAPI, headers={"Authorization": "Bearer sp_nonsense"})
    assert response.status_code == 200


def test_document_lists_every_route(world):
    document = session_client(world.parent).get(OPENAPI).json()
    assert set(document["paths"]) == _api_routes_from_django()
    # Every operation's expected answers live in the permission matrix
    # (core/tests/test_permission_matrix.py); here, a sample that must always be there.
    assert {
        (path, method) for path, operations in document["paths"].items() for method in operations
    } >= {
        ("/api/v1/me", "get"),
        ("/api/v1/students", "get"),
        ("/api/v1/students/{student_id}", "get"),
        ("/api/v1/students/{student_id}/team", "get"),
        ("/api/v1/students/{student_id}/team", "post"),
        ("/api/v1/students/{student_id}/team/{membership_id}/end", "post"),
        ("/api/v1/students/{student_id}/team/{membership_id}/capabilities", "put"),
        ("/api/v1/students/{student_id}/consents", "get"),
        ("/api/v1/students/{student_id}/consents", "post"),
        ("/api/v1/students/{student_id}/consents/{grant_id}/revoke", "post"),
        ("/api/v1/students/{student_id}/access-log", "get"),
        ("/api/v1/me/grants", "get"),
        ("/api/v1/plans/{plan_id}", "get"),
        ("/api/v1/plans/{plan_id}/finalize", "post"),
    }


def test_document_declares_both_ways_to_authenticate(world):
    document = session_client(world.parent).get(OPENAPI).json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["ApiTokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SignedInSession"]["in"] == "cookie"


def test_docs_page_is_public_and_served_from_our_own_static_files(db):
    response = Client().get(f"{API}/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "/static/ninja/swagger-ui-init.js" in page
    # Nothing from a CDN, and no inline script for the CSP (script-src 'self') to block.
    assert "https://" not in page
    assert "<script>" not in page
