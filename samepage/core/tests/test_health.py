"""The health check: "ok" while the database answers, 503 when it does not, nothing else."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_health_check_says_ok_in_one_query_without_a_session(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain"
    assert "no-cache" in response["Cache-Control"]
    # No session, CSRF or language cookie: a probe every second leaves nothing behind.
    assert not response.cookies


def test_health_check_answers_a_signed_in_person_the_same(world):
    client = Client()
    client.force_login(world.parent)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_health_check_is_503_without_saying_why_when_the_database_fails(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 10.0.0.5 failed: secret detail")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable"


def test_health_check_takes_no_writes(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200


def test_production_sends_pages_to_https_but_answers_the_health_check_over_http(client):
    # The production settings' own exemption, read from a process that loads them.
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(
        SAMEPAGE_MODE="production",
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="testserver",
        SAMEPAGE_AUDIT_KEY="a" * 48,
    )
    code = "import json, samepage.settings as s; print(json.dumps(s.SECURE_REDIRECT_EXEMPT))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    exempt = json.loads(loaded.stdout)
    with override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=exempt):
        probe = Client()
        assert probe.get("/accounts/login/").status_code == 301
        response = probe.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
