"""Rule packs: the shipped ones load, and a malformed rule is refused with a message
that names it, in the reader's language, never a crash."""

from __future__ import annotations

import pytest
from django.utils import translation

from samepage.deadlines.rules import PackError, load_pack, pack_names, parse_pack

GOOD_RULE = """
[rules.annual_review]
start = "last_iep_meeting"
length = 1
unit = "years"
citation = "34 CFR 300.324(b)(1)(i)"
"""


def _message(error: PackError) -> str:
    return " ".join(str(m) for m in error.messages)


def test_every_shipped_pack_loads_with_a_title_and_citation_for_each_rule() -> None:
    assert pack_names() == ["california", "federal"]
    for name in pack_names():
        pack = load_pack(name)
        assert pack.rules
        for rule in pack.rules:
            assert str(rule.title) and rule.citation
            assert str(rule.event.label)


def test_the_california_pack_extends_the_federal_one_with_its_own_lengths() -> None:
    federal, california = load_pack("federal"), load_pack("california")
    federal_eval = federal.rule("initial_evaluation")
    ca_eval = california.rule("initial_evaluation")
    assert federal_eval is not None and ca_eval is not None
    assert (federal_eval.length, federal_eval.breaks_over) == (60, None)
    assert (ca_eval.length, ca_eval.breaks_over) == (60, 5)
    assert ca_eval.citation == "Cal. Ed. Code 56344(a)"
    records = california.rule("records_access")
    assert records is not None and (records.length, records.unit) == (5, "business_days")
    assert california.rule("assessment_plan") is not None
    assert federal.rule("assessment_plan") is None
    assert california.rule("annual_review") == federal.rule("annual_review")
    assert california.holidays == ((3, 31),)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (GOOD_RULE.replace('"years"', '"fortnights"'), ["annual_review", "fortnights"]),
        (GOOD_RULE.replace("length = 1", "length = -3"), ["annual_review", "-3"]),
        (GOOD_RULE.replace("length = 1", 'length = "one"'), ["annual_review", "one"]),
        (GOOD_RULE.replace('"last_iep_meeting"', '"full_moon"'), ["annual_review", "full_moon"]),
        (
            GOOD_RULE.replace('citation = "34 CFR 300.324(b)(1)(i)"', ""),
            ["annual_review", "citation"],
        ),
        (GOOD_RULE.replace("annual_review", "nap_time"), ["nap_time"]),
        (GOOD_RULE + 'colour = "red"\n', ["annual_review", "colour"]),
        (GOOD_RULE + 'counts = "sideways"\n', ["annual_review", "sideways"]),
        ("[rules\nbroken", ["state"]),
        ('holidays = ["31-03"]\n' + GOOD_RULE, ["state", "31-03"]),
    ],
)
def test_a_malformed_rule_is_refused_with_a_message_naming_it(body: str, words: list[str]) -> None:
    with pytest.raises(PackError) as refused:
        parse_pack("state", body)
    message = _message(refused.value)
    for word in words:
        assert word in message


def test_the_refusal_is_in_the_readers_language() -> None:
    body = GOOD_RULE.replace("length = 1", "length = -3")
    with translation.override("es"):
        with pytest.raises(PackError) as refused:
            parse_pack("state", body)
        message = _message(refused.value)
    assert "annual_review" in message
    assert "La regla" in message


def test_an_unknown_pack_name_is_refused() -> None:
    with pytest.raises(PackError) as refused:
        load_pack("atlantis")
    assert "atlantis" in _message(refused.value)
