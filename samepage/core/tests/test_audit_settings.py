"""The audit key comes from the environment, and production refuses to start without one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

SECRET = "s" * 60
AUDIT_KEY = "audit-" + "q" * 50


def _production(**variables: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SAMEPAGE_AUDIT") and k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}
    }
    environment.update(SAMEPAGE_MODE="production", SECRET_KEY=SECRET, ALLOWED_HOSTS="a.example")
    environment.update(variables)
    code = (
        "import samepage.settings as s; from samepage.core.audit_mac import key_id_of; "
        "print(key_id_of(s.SAMEPAGE_AUDIT_KEY.encode())); print(len(s.SAMEPAGE_AUDIT_OLD_KEYS)); "
        "print(s.SAMEPAGE_AUDIT_SEAL_INTERVAL_MS)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=False
    )


def test_production_refuses_to_start_without_an_audit_key():
    result = _production()
    assert result.returncode != 0
    assert "SAMEPAGE_AUDIT_KEY must be set" in result.stderr


def test_production_refuses_a_short_reused_or_development_audit_key():
    assert "at least 32 characters" in _production(SAMEPAGE_AUDIT_KEY="short").stderr
    assert "its own secret" in _production(SAMEPAGE_AUDIT_KEY=SECRET).stderr
    development = "dev-only-insecure-audit-key-" + "x" * 40
    assert "its own secret" in _production(SAMEPAGE_AUDIT_KEY=development).stderr


def test_the_audit_key_and_old_keys_can_come_from_files(tmp_path: Path):
    key_file = tmp_path / "audit-key"
    key_file.write_text(AUDIT_KEY + "\n")
    old_file = tmp_path / "old-keys"
    old_file.write_text("old-one-" + "1" * 40 + ",old-two-" + "2" * 40)
    from_file = _production(
        SAMEPAGE_AUDIT_KEY_FILE=str(key_file), SAMEPAGE_AUDIT_OLD_KEYS_FILE=str(old_file)
    )
    from_env = _production(SAMEPAGE_AUDIT_KEY=AUDIT_KEY)
    assert from_file.returncode == 0, from_file.stderr
    assert from_file.stdout.split() == [from_env.stdout.split()[0], "2", "1000"]


def test_the_key_id_is_a_fingerprint_not_the_key():
    result = _production(SAMEPAGE_AUDIT_KEY=AUDIT_KEY)
    key_id = result.stdout.split()[0]
    assert len(key_id) == 16
    assert key_id not in AUDIT_KEY


def test_production_seals_at_most_once_a_second_per_process_and_development_at_once():
    assert _production(SAMEPAGE_AUDIT_KEY=AUDIT_KEY).stdout.split()[2] == "1000"
    # The suite runs in development: every commit is sealed straight away.
    assert settings.SAMEPAGE_AUDIT_SEAL_INTERVAL_MS == 0
