"""The jargon annotator: safe for any input, changes nothing but adding explanations,
idempotent, first occurrence per page, and never touches URLs, attributes or links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.template.defaultfilters import linebreaksbr
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from samepage.glossary.annotator import annotate, annotation_scope
from samepage.glossary.terms import TERMS, TERMS_BY_KEY

PAYLOADS = [
    "<script>alert(1)</script>",
    "<script>",
    "</script>",
    '" onmouseover="x',
    "' onmouseover='x",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">IEP</a>',
    "javascript:alert(1)",
    "https://example.org/IEP/LRE?x=FAPE#ESY",
    "www.iep.org/LRE",
    "parent@IEP.org",
    '<span class="jargon" data-term="iep">',
    "</span>",
    "<!-- IEP -->",
    "<![CDATA[IEP]]>",
    "&amp;",
    "&lt;b&gt;",
    "<",
    ">",
    "&",
    "\n",
    " ",
]
FORMS = sorted({form for t in TERMS for form in (*t.en.forms, *t.es.forms)})
OUR_CLASSES = {"jargon", "jargon-tip"}


@dataclass
class Parsed:
    """What a browser would build from the HTML, in the parts these tests look at."""

    elements: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    text: str = ""  # text content, with our tooltips taken out
    tip_ids: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    VOID = {"br", "img", "input", "hr", "wbr", "meta", "link"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parsed = Parsed()
        self.stack: list[bool] = []  # inside one of our tooltips?
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attributes = dict(attrs)
        self.parsed.elements.append((tag, attributes))
        is_tip = "jargon-tip" in (attributes.get("class") or "").split()
        if is_tip:
            self.parsed.tip_ids.append(attributes.get("id") or "")
        if tag not in self.VOID:
            self.stack.append(is_tip or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if not (self.stack and self.stack[-1]):
            self.chunks.append(data)


def parse(html: str) -> Parsed:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader.parsed.text = "".join(reader.chunks)
    return reader.parsed


def once(value: object) -> SafeString:
    with annotation_scope():
        return annotate(value)


def assert_safe(parsed: Parsed, allowed_tags: set[str]) -> None:
    for tag, attributes in parsed.elements:
        assert tag in allowed_tags, tag
        assert tag != "script"
        for name, value in attributes.items():
            assert not name.startswith("on"), name
            if name in {"href", "src"}:
                assert not (value or "").strip().lower().startswith("javascript:")
        # Spans and links can only be ours: exactly the markup the annotator promises.
        if tag == "span":
            assert set((attributes.get("class") or "").split()) <= OUR_CLASSES
        elif tag == "a":
            assert set(attributes) == {"href", "aria-describedby"}
            assert (attributes["href"] or "").startswith("/help/glossary/#term-")
    assert len(parsed.tip_ids) == len(set(parsed.tip_ids)), "duplicate tooltip ids"


texts = st.one_of(
    st.text(),
    st.lists(
        st.one_of(st.sampled_from(PAYLOADS), st.sampled_from(FORMS), st.text(max_size=5)),
        max_size=25,
    ).map("".join),
    st.lists(st.sampled_from([*FORMS, " ", ", ", "\n", ".", "-", "/"]), max_size=30).map("".join),
)


# --- properties -------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(texts)
def test_plain_text_comes_out_safe_unchanged_and_stable(text):
    out = once(text)
    parsed = parse(out)
    assert_safe(parsed, allowed_tags={"span", "a"})
    assert parsed.text == text
    assert once(out) == out


@settings(max_examples=300, deadline=None)
@given(texts)
def test_linebreaksbr_output_comes_out_safe_unchanged_and_stable(text):
    rendered = linebreaksbr(text, autoescape=True)
    out = once(rendered)
    parsed = parse(out)
    assert_safe(parsed, allowed_tags={"span", "a", "br"})
    assert parsed.text == parse(rendered).text
    assert once(out) == out


@settings(max_examples=200, deadline=None)
@given(texts, st.sampled_from(["en", "es"]))
def test_in_either_language_each_term_is_marked_at_most_once(text, language):
    with translation.override(language):
        out = once(text)
    keys = re.findall(r'data-term="([a-z0-9-]+)"', out)
    assert len(keys) == len(set(keys))
    assert set(keys) <= set(TERMS_BY_KEY)


# --- examples ---------------------------------------------------------------------------


def marks(html: str) -> list[str]:
    return re.findall(r'data-term="([a-z0-9-]+)"', html)


def test_first_occurrence_only_within_one_call():
    out = once("The IEP team met. The IEP says the IEP is final.")
    assert marks(out) == ["iep-team", "iep"]
    assert out.count("jargon-tip") == 2


def test_first_occurrence_only_across_calls_on_one_page():
    with annotation_scope():
        first = annotate("We read the IEP.")
        second = annotate("The IEP and the ESY services.")
    assert marks(first) == ["iep"]
    assert marks(second) == ["esy"]


def test_a_template_with_several_filter_calls_is_one_page():
    template = Template(
        "{% load glossary %}<p>{{ a|explain_jargon }}</p><p>{{ b|explain_jargon }}</p>"
    )
    with annotation_scope():
        html = template.render(Context({"a": "IEP <b>", "b": "IEP and LRE"}))
    assert marks(html) == ["iep", "lre"]
    assert "IEP &lt;b&gt;" not in html  # the first IEP is inside the mark
    assert "&lt;b&gt;" in html


def test_the_mark_is_a_link_described_by_its_tooltip():
    out = once("About the IEP.")
    assert (
        '<span class="jargon" data-term="iep"><a href="/help/glossary/#term-iep" '
        'aria-describedby="jargon-iep-1">IEP</a><span role="tooltip" id="jargon-iep-1" '
        'class="jargon-tip">IEP (Individualized Education Program): '
    ) in out
    assert out.endswith("</span></span>.")


def test_spanish_explanation_when_spanish_is_active():
    with translation.override("es"):
        out = once("El PEI y el LRE de Sofía.")
    assert escape(TERMS_BY_KEY["iep"].es.explanation) in out
    assert escape(TERMS_BY_KEY["lre"].es.explanation) in out
    assert TERMS_BY_KEY["iep"].en.explanation not in out
    assert marks(out) == ["iep", "lre"]


def test_english_explanation_for_spanish_words_when_english_is_active():
    out = once("Hablamos del ambiente menos restrictivo.")
    assert escape(TERMS_BY_KEY["lre"].en.explanation) in out


def test_urls_and_addresses_are_left_alone():
    text = "See https://example.org/IEP/LRE, www.iep.org/ESY or write to iep@school.org"
    assert once(text) == escape(text)


def test_a_term_next_to_a_url_is_still_marked():
    out = once("The IEP: https://example.org/IEP")
    assert marks(out) == ["iep"]
    assert "https://example.org/IEP" in out


def test_attributes_links_code_and_scripts_are_left_alone():
    html = mark_safe(
        '<img alt="IEP" src="/IEP.png"><a href="/plans/IEP/">IEP</a> <code>LRE</code> '
        "<script>var IEP = 1;</script><style>.IEP{}</style><abbr>FAPE</abbr>"
    )
    assert once(html) == html


def test_already_marked_text_counts_as_the_first_occurrence():
    out = once("IEP")
    again = once(mark_safe(out + " and the IEP again"))
    assert again == out + " and the IEP again"


def test_whole_words_only_and_acronyms_by_case():
    assert marks(once("iep, Iep, IEPX, XIEP, REDUCE, PTSD")) == []
    assert marks(once("Annual Goals")) == ["annual-goal"]
    assert marks(once("the IEP's goals")) == ["iep"]


def test_phrases_may_break_across_spaces_and_lines():
    assert marks(once("least\n restrictive   environment")) == ["lre"]


def test_text_not_marked_safe_is_escaped_first():
    out = once('<b onclick="x()">IEP</b>')
    assert out.startswith("&lt;b onclick=&quot;x()&quot;&gt;")
    assert "<b" not in out


def test_outside_any_page_each_call_stands_alone_with_unique_ids():
    first, second = annotate("IEP"), annotate("IEP")
    assert marks(first) == marks(second) == ["iep"]
    ids = re.findall(r'id="([^"]+)"', first + second)
    assert len(set(ids)) == 2


def test_values_that_are_not_text():
    assert once(None) == "None"
    assert once(504) == "504"


FORM_OWNERS = [(form, t.key) for t in TERMS for form in sorted({*t.en.forms, *t.es.forms})]


@pytest.mark.parametrize(("form", "key"), FORM_OWNERS, ids=[f for f, _ in FORM_OWNERS])
def test_each_spelling_finds_its_own_term(form, key):
    assert marks(once(f"({form})")) == [key]
