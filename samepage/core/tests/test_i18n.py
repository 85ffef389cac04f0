"""Every user-facing string has a Spanish translation, and none is fuzzy."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest

ROOT = Path(__file__).resolve().parents[3]
CATALOG = ROOT / "samepage" / "locale" / "es" / "LC_MESSAGES" / "django.po"


def _problems(catalog: polib.POFile) -> list[str]:
    problems = []
    for entry in catalog:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                problems.append(f"missing plural: {entry.msgid!r}")
        elif not entry.msgstr:
            problems.append(f"missing: {entry.msgid!r}")
    return problems


def test_committed_spanish_catalog_is_complete():
    assert _problems(polib.pofile(str(CATALOG))) == []


def test_every_marked_string_in_the_code_is_in_the_spanish_catalog(tmp_path):
    # Extract afresh from a copy of the source, merging into a copy of the catalog:
    # a string added to the code without Spanish shows up as missing here.
    copy = tmp_path / "samepage"
    shutil.copytree(
        ROOT / "samepage",
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests", "browser_tests"),
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "es",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=copy,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(copy / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    assert len(fresh) > 100
    assert _problems(fresh) == []


@pytest.mark.django_db
def test_spanish_is_served_from_the_compiled_catalog(client):
    client.cookies["django_language"] = "es"
    body = client.get("/accounts/login/").content.decode()
    assert 'lang="es"' in body
    assert "Iniciar sesión" in body
