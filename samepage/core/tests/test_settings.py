"""Settings come from the environment and fail loudly on values we cannot use."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from samepage import env

PROD_KEY = "k" * 60


def _load_settings(**variables: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}
    }
    environment.update(variables)
    code = (
        "import samepage.settings as s; "
        "print(s.PASSWORD_HASHERS[0]); print(s.SESSION_COOKIE_SECURE); "
        "print(s.SECURE_HSTS_SECONDS); print(s.SAMEPAGE_REQUIRE_STAFF_2FA)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=False
    )


def test_env_bool_rejects_values_that_are_not_yes_or_no(monkeypatch):
    monkeypatch.setenv("SAMEPAGE_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SAMEPAGE_X"):
        env.env_bool("SAMEPAGE_X", default=False)
    monkeypatch.setenv("SAMEPAGE_X", "Yes")
    assert env.env_bool("SAMEPAGE_X", default=False) is True


def test_env_int_rejects_words_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("SAMEPAGE_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env.env_int("SAMEPAGE_N", 1)
    monkeypatch.setenv("SAMEPAGE_N", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env.env_int("SAMEPAGE_N", 5, minimum=1)


def test_env_reads_secrets_from_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SAMEPAGE_S_FILE", str(secret))
    assert env.env_str("SAMEPAGE_S") == "from-a-file"
    monkeypatch.setenv("SAMEPAGE_S_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="SAMEPAGE_S_FILE"):
        env.env_str("SAMEPAGE_S")


def test_env_choice_names_the_allowed_values(monkeypatch):
    monkeypatch.setenv("SAMEPAGE_MODE_X", "staging")
    with pytest.raises(ImproperlyConfigured, match="development, production"):
        env.env_choice("SAMEPAGE_MODE_X", "development", {"development", "production"})


def test_production_refuses_to_start_without_secret_key():
    result = _load_settings(SAMEPAGE_MODE="production", ALLOWED_HOSTS="samepage.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _load_settings(SAMEPAGE_MODE="production", SECRET_KEY=PROD_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_debug():
    result = _load_settings(
        SAMEPAGE_MODE="production", SECRET_KEY=PROD_KEY, ALLOWED_HOSTS="a.example", DEBUG="1"
    )
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_uses_argon2_secure_cookies_hsts_and_staff_2fa():
    result = _load_settings(
        SAMEPAGE_MODE="production",
        SECRET_KEY=PROD_KEY,
        ALLOWED_HOSTS="a.example",
        SAMEPAGE_AUDIT_KEY="a" * 48,
    )
    assert result.returncode == 0, result.stderr
    hasher, secure_cookie, hsts, staff_2fa = result.stdout.split()
    assert hasher == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert secure_cookie == "True"
    assert int(hsts) >= 31536000
    assert staff_2fa == "True"


def test_bad_database_url_is_a_clear_error():
    result = _load_settings(DATABASE_URL="nonsense://what")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_csp_header_forbids_inline_scripts(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
