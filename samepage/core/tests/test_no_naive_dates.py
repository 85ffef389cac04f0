"""No date is taken from the server's clock or from a timestamp's UTC day.

"Today" is the district's (``core.dates.district_today``); a moment's day is the
district's (``district_date``) or the reader's (``local_date``). A ``.date()`` on an
aware datetime gives its UTC day, which is the wrong day for six or more hours of every
evening in the United States, and made tests fail only between 00:00 and 06:00 UTC.

Only code is read: strings and comments (like this docstring) may name the calls.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the samepage package
DATES_MODULE = ROOT / "core" / "dates.py"

# Everywhere, tests included.
EVERYWHERE = {
    "date.today()": re.compile(r"\bdate \. today \("),
    "datetime.today()": re.compile(r"\bdatetime \. today \("),
    "datetime.now() without a time zone": re.compile(r"\bdatetime \. now \( \)"),
    "datetime.utcnow()": re.compile(r"\butcnow \("),
    ".date() on a datetime": re.compile(r"\. date \( \)"),
}
# Application code (not tests): the server's today, with no district behind it.
APPLICATION = {
    "timezone.localdate() without a moment": re.compile(r"\blocaldate \( \)"),
}


def _code_lines(source: str) -> dict[int, str]:
    """Each line's code tokens joined by single spaces; strings and comments left out."""
    lines: dict[int, list[str]] = {}
    skipped = {tokenize.STRING, tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in skipped or not token.string.strip():
            continue
        lines.setdefault(token.start[0], []).append(token.string)
    return {number: " ".join(parts) for number, parts in lines.items()}


def offences(source: str, *, application: bool) -> list[tuple[int, str]]:
    rules = {**EVERYWHERE, **(APPLICATION if application else {})}
    found = []
    for number, code in _code_lines(source).items():
        for name, pattern in rules.items():
            if pattern.search(code):
                found.append((number, name))
    return found


def _python_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.relative_to(ROOT).parts)


def _is_test(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return "tests" in parts or "browser_tests" in parts or path.name == "conftest.py"


def test_no_file_takes_a_naive_date():
    files = _python_files()
    assert len(files) > 100  # the walk found the code, not an empty folder
    problems = [
        f"{path.relative_to(ROOT.parent)}:{number}: {name}"
        for path in files
        if path != DATES_MODULE
        for number, name in offences(path.read_text(), application=not _is_test(path))
    ]
    assert problems == [], "Use samepage/core/dates.py instead:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "line",
    [
        "day = date.today()",
        "day = datetime.date.today()",
        "stamp = datetime.now()",
        "stamp = datetime.utcnow()",
        "stamp = datetime.today()",
        "day = version.created_at.date()",
        "day = timezone.now().date()",
        "day = timezone.localtime(moment).date()",
        "day = (\n    version.created_at\n    .date()\n)",
        "day = timezone.localdate()",
    ],
)
def test_the_check_catches_each_kind(line):
    assert offences(line + "\n", application=True)


@pytest.mark.parametrize(
    "line",
    [
        "day = district_today(student.district)",
        "day = district_date(version.created_at, student.district)",
        "day = local_date(moment)",
        "stamp = datetime.now(UTC)",
        "stamp = timezone.now()",
        "born = date(2015, 3, 14)",
        "day = date.fromisoformat(text)",
        "# never .date() on an aware datetime, nor date.today()",
        "help = 'Never date.today() or .date()'",
        "day = start.date_of_birth",
    ],
)
def test_the_check_leaves_good_code_strings_and_comments_alone(line):
    assert offences(line + "\n", application=True) == []


def test_tests_may_ask_for_the_current_zones_today_but_application_code_may_not():
    line = "today = timezone.localdate()\n"
    assert offences(line, application=False) == []
    assert offences(line, application=True) == [(1, "timezone.localdate() without a moment")]
