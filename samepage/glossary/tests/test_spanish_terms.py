"""One Spanish name per idea: the interface, the glossary and the rights guide agree.

The glossary (terms.py) is where a term's Spanish name is decided. These tests hold the
Spanish catalog, the role labels and the Spanish rights guide to it, so a translator
cannot call the case manager "administrador(a) de caso" on one page and "coordinador
del caso" on the next.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.utils import translation

from samepage.glossary.terms import TERMS, Term
from samepage.teams.labels import ROLE_LABELS

CATALOG = Path(settings.BASE_DIR) / "samepage" / "locale" / "es" / "LC_MESSAGES" / "django.po"
RIGHTS_ES = Path(__file__).resolve().parents[1] / "templates" / "glossary" / "rights_es.html"

# Spanish words once used for a glossary idea and replaced by its one name. They must
# not come back in the interface, the rights guide or the glossary's explanations.
RETIRED = {
    "case-manager": ("administrador(a) de caso", "administrador de caso "),
    "slp": ("patólogo(a) del habla y lenguaje",),
}

_PLACEHOLDER = re.compile(r"%\([^)]*\)[sd]|%[sd]|\{[^}]*\}")


@dataclass(frozen=True)
class Entry:
    msgid: str
    msgstr: str


def _fold(text: str) -> str:
    """Compare words, not case, hyphens, spacing or placeholders."""
    text = _PLACEHOLDER.sub(" ", text).replace("-", " ").casefold()
    return " ".join(text.split())


def _name(wording_name: str) -> str:
    """A name without its trailing gloss: "Aviso previo por escrito (PWN)" -> first part.

    Only a bracket after a space is a gloss; "Defensor(a) educativo(a)" stays whole.
    """
    return re.sub(r"\s+\([^)]*\)$", "", wording_name).strip()


def _gloss(wording_name: str) -> str:
    """A name's trailing gloss: "PWN (prior written notice)" -> "prior written notice"."""
    found = re.search(r"\s+\(([^)]*)\)$", wording_name)
    return found.group(1) if found else ""


def _is_acronym(form: str) -> bool:
    return form.upper() == form and any(c.isalpha() for c in form)


def _bare(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.replace("(a)", ""))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _same_word(phrase: str, name: str) -> bool:
    """Whether ``phrase`` is ``name`` in another number or gender ("metas anuales" for
    "Meta anual", "coordinadora del caso" for "Coordinador(a) del caso")."""
    a, b = (_bare(_fold(p).split(" ")[0]) for p in (phrase, name))
    return a == b or a in {b + "s", b + "es", b + "a"} or b in {a + "s", a + "es"}


def _exact_es(term: Term) -> set[str]:
    """The term's Spanish name as the glossary writes it, with or without its gloss."""
    ways = {_fold(_name(term.es.name)), _fold(term.es.name)}
    if _gloss(term.es.name):
        ways.add(_fold(_gloss(term.es.name)))
    return ways


def _names_es(term: Term) -> set[str]:
    """The name, or a form of it that is the same word (plural, feminine)."""
    name = _name(term.es.name)
    return _exact_es(term) | {
        _fold(f) for f in term.es.forms if not _is_acronym(f) and _same_word(f, name)
    }


def _any_es(term: Term) -> set[str]:
    """Any Spanish way the glossary knows. Some forms name a related idea under the same
    entry ("servicios de transición" for the transition plan's "transition services")."""
    return _names_es(term) | {_fold(f) for f in term.es.forms if not _is_acronym(f)}


def _names_en(term: Term) -> set[str]:
    gloss = _gloss(term.en.name)
    return {_name(term.en.name)} | ({gloss} if gloss and not _is_acronym(gloss) else set())


def _mentions(text: str, form: str) -> bool:
    if _is_acronym(form):
        found = re.search(rf"(?<!\w){re.escape(form)}(?!\w)", _PLACEHOLDER.sub(" ", text))
    else:
        found = re.search(rf"(?<!\w){re.escape(_fold(form))}(?!\w)", _fold(text))
    return found is not None


def _says(term: Term, spanish: str, ways: set[str]) -> bool:
    if any(_mentions(spanish, f) for f in term.es.forms if _is_acronym(f)):
        return True
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", _fold(spanish)) for w in ways)


def name_mismatches(entries: Iterable[Entry], terms: Iterable[Term] = TERMS) -> list[str]:
    """Interface strings that ARE a glossary term but are translated by another name."""
    problems = []
    entries = list(entries)
    for term in terms:
        names = {_fold(n) for n in _names_en(term)}
        forms = {_fold(f) for f in term.en.forms if not _is_acronym(f)} - names
        for entry in entries:
            msgid, msgstr = _fold(entry.msgid), _fold(entry.msgstr)
            if (msgid in names and msgstr not in _exact_es(term)) or (
                msgid in forms and msgstr not in _any_es(term)
            ):
                problems.append(
                    f"{entry.msgid!r} is {entry.msgstr!r}; the glossary says {term.es.name!r}"
                )
    return problems


def sentence_mismatches(entries: Iterable[Entry], terms: Iterable[Term] = TERMS) -> list[str]:
    """Interface strings that MENTION a glossary term but not by its Spanish name."""
    problems = []
    entries = list(entries)
    for term in terms:
        names = _names_en(term) | {f for f in term.en.forms if _is_acronym(f)}
        for entry in entries:
            if any(_mentions(entry.msgid, n) for n in names):
                ways = _names_es(term)
            elif any(_mentions(entry.msgid, f) for f in term.en.forms):
                ways = _any_es(term)
            else:
                continue
            if not _says(term, entry.msgstr, ways):
                problems.append(
                    f"{entry.msgid!r} -> {entry.msgstr!r} does not say {term.es.name!r}"
                )
    return problems


def _catalog() -> list[Entry]:
    return [
        Entry(e.msgid, e.msgstr)
        for e in polib.pofile(str(CATALOG))
        if not e.obsolete and e.msgstr and "fuzzy" not in e.flags
    ]


def test_interface_strings_that_are_a_term_use_its_glossary_name() -> None:
    assert name_mismatches(_catalog()) == []


def test_interface_sentences_name_terms_as_the_glossary_does() -> None:
    assert sentence_mismatches(_catalog()) == []


def test_the_checks_catch_another_name() -> None:
    wrong = [
        Entry("Case manager", "Administrador(a) de caso"),
        Entry("Prior written notice", "Notificación previa por escrito"),
        Entry("Ask the case manager", "Pregunte al encargado del caso"),
    ]
    right = [
        Entry("Case manager", "Coordinador(a) del caso"),
        Entry("Prior written notice", "Aviso previo por escrito"),
        Entry("Ask the case manager", "Pregunte a la coordinadora del caso"),
        Entry("Accommodations you provide", "Adaptaciones que usted da"),
    ]
    assert len(name_mismatches(wrong)) == 2
    assert len(sentence_mismatches(wrong)) == 3
    assert name_mismatches(right) == []
    assert sentence_mismatches(right) == []


def test_role_labels_translate_to_the_glossary_name() -> None:
    entries = []
    for label in ROLE_LABELS.values():
        with translation.override("en"):
            english = str(label)
        with translation.override("es"):
            spanish = str(label)
        entries.append(Entry(english, spanish))
    assert name_mismatches(entries) == []
    assert sentence_mismatches(entries) == []
    # The roles this check is about are there, so it cannot pass by finding nothing.
    assert {e.msgid for e in entries} >= {"Case manager", "Advocate", "Related-service provider"}


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.key)
def test_rights_guide_links_name_each_term_as_the_glossary_does(term: Term) -> None:
    html = RIGHTS_ES.read_text(encoding="utf-8")
    for shown in re.findall(rf'#term-{re.escape(term.key)}">([^<]+)</a>', html):
        assert _fold(shown) in _names_es(term), f"{shown!r} for {term.es.name!r}"


def test_retired_spanish_words_are_used_nowhere() -> None:
    places = {
        "catalog": " ".join(e.msgstr for e in _catalog()).casefold(),
        "rights guide": RIGHTS_ES.read_text(encoding="utf-8").casefold(),
        "glossary": " ".join(t.es.name + " " + t.es.explanation for t in TERMS).casefold(),
    }
    for key, words in RETIRED.items():
        for word in words:
            for place, text in places.items():
                assert word not in text, f"{word!r} ({key}) is still in the {place}"
