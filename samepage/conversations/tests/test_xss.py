"""What people type is rendered inert: in the markup helper, the pages, the API's HTML,
the poll fragment and the emails a message causes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from samepage.conversations.tests.helpers import client_for, to_team
from samepage.core.markup import plain_text, render_markup

PAYLOADS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    '[click](https://example.org" onmouseover="alert(1))',
    "[click](https://example.org 'title' onclick=alert(1))",
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "**bold <b onclick=alert(1)>x</b>**",
    "[a](<javascript:alert(1)>)",
    "<form action=https://evil.example><button>go</button></form>",
    "<!--<script>alert(1)</script>-->",
]

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag} {name}")
            if name == "href" and not re.match(r"^(https?:|mailto:|/|#)", value or ""):
                self.problems.append(f"href={value}")
            if name == "rel" and value != "noopener nofollow":
                self.problems.append(f"rel={value}")


def problems(html: str) -> list[str]:
    """What in ``html`` (text people wrote, after rendering) could run or reach out."""
    parser = _Tags()
    parser.feed(html)
    return parser.problems


def _prose(page: str) -> list[str]:
    return re.findall(r'<div class="prose"[^>]*>(.*?)</div>', page, re.DOTALL)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_markup_renders_every_payload_inert(payload):
    html = str(render_markup(payload))
    assert problems(html) == [], html


def test_the_allowed_formatting_survives():
    html = str(
        render_markup(
            "**bold** and *italic*\nnext line\n\n- one\n- two\n\n[site](https://example.org)"
        )
    )
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert "<br>" in html and "<ul>" in html and "<li>one</li>" in html
    assert '<a href="https://example.org" rel="noopener nofollow">site</a>' in html


def test_plain_text_has_no_tags():
    assert plain_text("**Hi** there") == "Hi there"


@pytest.mark.django_db
def test_payloads_are_inert_in_the_thread_page_the_poll_and_the_api(world):
    first = to_team(world.case_manager, world.child, "start")
    for payload in PAYLOADS:
        to_team(world.parent, world.child, payload)
    client = client_for(world.case_manager)
    base = f"/students/{world.child.pk}/conversations/{first.thread_id}/"
    page = client.get(base).content.decode()
    shown = _prose(page)
    assert len(shown) == len(PAYLOADS) + 1
    for html in shown:
        assert problems(html) == [], html
    assert "<script>alert" not in page
    fragment = client.get(
        f"{base}new-messages/?after={first.pk}", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert len(_prose(fragment)) == len(PAYLOADS)
    for html in _prose(fragment):
        assert problems(html) == [], html
    api = client.get(
        f"/api/v1/students/{world.child.pk}/threads/{first.thread_id}/messages?limit=200"
    ).json()
    for item in api["items"]:
        assert problems(item["html"]) == [], item["html"]


@pytest.mark.django_db
def test_payloads_are_inert_in_emails(world, django_capture_on_commit_callbacks, mailoutbox):
    world.case_manager.full_name = "<script>alert('name')</script> Carol"
    world.case_manager.save(update_fields=["full_name"])
    with django_capture_on_commit_callbacks(execute=True):
        for payload in PAYLOADS[:5]:
            to_team(world.case_manager, world.child, payload)
    assert mailoutbox
    for sent in mailoutbox:
        for html, _type in getattr(sent, "alternatives", []):
            assert "<script" not in html, html
        assert "onerror" not in sent.body and "javascript:" not in sent.body
