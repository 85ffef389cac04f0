"""How a student's name is matched as a person types it: accents and case do not matter.

A name is stored once in its search form (``Student.search_name``) and the typed text is
brought to the same form, so the database compares plain text and no per-row function
(``unaccent``, ``lower``) stands between the query and an index. Data migration
``0005_fill_student_search_name`` carries a copy of ``search_key``: keep the two alike.
"""

from __future__ import annotations

import re
import unicodedata

# Hyphens and apostrophes join parts of one name ("García-López", "O'Brien"): a hyphen
# separates words, so "lopez" finds García-López; an apostrophe vanishes, so "obrien" finds it.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")
_DROPPED = re.compile(r"['’`´.]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def search_key(text: str) -> str:
    """``text`` without accents, case-folded, its words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = _DROPPED.sub("", bare.casefold())
    return " ".join(_SEPARATORS.split(bare)).strip()


def search_words(text: str, *, limit: int = 5) -> list[str]:
    """The words of typed search text, in search form (at most ``limit`` of them).

    Control characters part words like spaces: no name holds one, and PostgreSQL refuses
    U+0000 in a query (a DataError, where "?q=a%00" should find what "?q=a" finds).
    """
    return typed_words(search_key(text), limit=limit)


def typed_words(text: str, *, limit: int = 5) -> list[str]:
    """The words of typed text as typed (at most ``limit``), control characters parting
    them like spaces: every search that reaches the database splits text through here."""
    return _CONTROL.sub(" ", text).split()[:limit]


def student_search_name(
    *, legal_first_name: str, legal_last_name: str, preferred_name: str, district_student_id: str
) -> str:
    """What ``Student.search_name`` holds: each word of the names and the ID, space-led.

    The leading space lets a search match the start of any word with one ``contains``
    lookup on `` <word>`` (a PostgreSQL trigram index serves it; see migration 0006).
    """
    parts = [legal_first_name, preferred_name, legal_last_name, district_student_id]
    return " " + search_key(" ".join(p for p in parts if p))
