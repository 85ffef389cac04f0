"""How PostgreSQL connections are kept: pooled in production, per request in development."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from samepage.database import keep_connections


@pytest.fixture(autouse=True)
def _no_database_variables(monkeypatch):
    for name in (
        "DB_POOL",
        "DB_POOL_MIN_SIZE",
        "DB_POOL_MAX_SIZE",
        "DB_POOL_TIMEOUT",
        "DB_CONN_MAX_AGE",
        "DB_CONN_HEALTH_CHECKS",
    ):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"{name}_FILE", raising=False)


def _entry() -> dict:
    return {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"sslmode": "require"}}


def test_production_pools_connections_beside_the_url_options():
    db = _entry()
    keep_connections(db, production=True)
    assert db["CONN_MAX_AGE"] == 0
    assert db["OPTIONS"] == {
        "sslmode": "require",
        "pool": {"min_size": 1, "max_size": 2, "timeout": 10},
    }


def test_pool_sizes_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DB_POOL_MIN_SIZE", "2")
    monkeypatch.setenv("DB_POOL_MAX_SIZE", "6")
    monkeypatch.setenv("DB_POOL_TIMEOUT", "3")
    db = _entry()
    keep_connections(db, production=True)
    assert db["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 6, "timeout": 3}


def test_without_the_pool_production_keeps_checked_persistent_connections(monkeypatch):
    monkeypatch.setenv("DB_POOL", "off")
    db = _entry()
    keep_connections(db, production=True)
    assert db["CONN_MAX_AGE"] == 600
    assert db["CONN_HEALTH_CHECKS"] is True
    assert "pool" not in db["OPTIONS"]


def test_development_opens_a_connection_per_request_unless_told():
    db = _entry()
    keep_connections(db, production=False)
    assert db["CONN_MAX_AGE"] == 0
    assert "pool" not in db["OPTIONS"]


def test_development_can_turn_the_pool_on(monkeypatch):
    monkeypatch.setenv("DB_POOL", "on")
    db = _entry()
    keep_connections(db, production=False)
    assert db["OPTIONS"]["pool"]["max_size"] == 2


def test_a_max_age_with_the_pool_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DB_CONN_MAX_AGE", "60")
    with pytest.raises(ImproperlyConfigured, match="DB_POOL=off"):
        keep_connections(_entry(), production=True)


def test_a_pool_smaller_than_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("DB_POOL_MIN_SIZE", "5")
    monkeypatch.setenv("DB_POOL_MAX_SIZE", "2")
    with pytest.raises(ImproperlyConfigured, match="DB_POOL_MAX_SIZE=2"):
        keep_connections(_entry(), production=True)
