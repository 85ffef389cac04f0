"""The role walk's own parts: what it reads from a page, and what it counts as one page."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from samepage.browser_tests.walk import Walker, fingerprint, normalise, parse_page, pattern_of
from samepage.browser_tests.walk_test_urls import START
from samepage.conftest import World
from samepage.factories import PASSWORD

FORM = """
<a href="/students/">Students</a><a href="#main">Skip</a>
<form method="post" action="/students/1/concerns/add/">
  <input type="hidden" name="csrfmiddlewaretoken" value="abc">
  <input type="text" name="title" value="Reading">
  <input type="checkbox" name="urgent" value="yes" checked>
  <input type="checkbox" name="private">
  <input type="text" name="ignored" value="x" disabled>
  <select name="area"><option>Reading</option><option value="math" selected>Math</option></select>
  <select name="term"><option value="">(none)</option><option value="t1">Term 1</option></select>
  <textarea name="details">
Line one</textarea>
  <button type="submit" name="decision" value="agree">Agree</button>
  <button type="submit" formaction="/elsewhere/">Elsewhere</button>
  <button type="button">Not a submit</button>
</form>
<form role="search"><input type="search" name="q" value=""></form>
"""


def test_a_form_is_read_with_the_values_a_browser_would_send() -> None:
    page = parse_page(FORM)
    assert page.links == ["/students/", "#main"]
    post, search = page.forms
    assert (post.method, post.action) == ("post", "/students/1/concerns/add/")
    assert post.fields == [
        ("csrfmiddlewaretoken", "abc"),
        ("title", "Reading"),
        ("urgent", "yes"),
        ("area", "math"),
        ("term", ""),
        ("details", "Line one"),
    ]
    assert post.submitters == [("decision", "agree")]
    assert post.extra_requests == [("POST", "/elsewhere/")]
    assert post.data()[-1] == ("decision", "agree")
    assert (search.method, search.fields) == ("get", [("q", "")])


def test_pages_of_one_kind_share_a_pattern_and_queries_are_sorted() -> None:
    assert pattern_of("/students/1/") == pattern_of("/students/2/")
    assert pattern_of("/students/1/") != pattern_of("/students/")
    assert pattern_of("/students/?page=2") != pattern_of("/students/")
    assert pattern_of("/students/?page=2", with_query=False) == pattern_of("/students/")
    assert normalise("/students/?q=a&page=2#top") == "/students/?page=2&q=a"


def test_signing_out_static_files_and_other_sites_are_not_followed() -> None:
    walker = Walker("someone", "someone@example.org", "password")
    assert walker._skipped(reverse("accounts:logout"))
    assert walker._skipped("/static/samepage/site.css")
    assert walker._skipped("mailto:office@example.org")
    assert walker._skipped("https://example.org/")
    assert walker._skipped("#main")
    assert not walker._skipped(reverse("home:student_list") + "?page=2")


def test_documents_differing_only_in_csrf_tokens_have_one_fingerprint() -> None:
    one = '<input type="hidden" name="csrfmiddlewaretoken" value="abc"><p>Hi</p>'
    two = '<input type="hidden" name="csrfmiddlewaretoken" value="xyz"><p>Hi</p>'
    assert fingerprint(one) == fingerprint(two)
    assert fingerprint(one) != fingerprint(one.replace("Hi", "Hello"))


@override_settings(ROOT_URLCONF="samepage.browser_tests.walk_test_urls")
def test_the_walk_reports_every_broken_link_and_refused_form_and_undoes_forms(
    world: World,
) -> None:
    result = Walker("parent", world.parent.email, PASSWORD).walk(start=START)

    found = {(f.target.split(" {")[0], str(f.status).split(", ")[-1]) for f in result.failures}
    assert found == {
        ("/walk-test/missing/", "404"),
        ("/walk-test/broken/", "500"),
        ("/walk-test/document.pdf", "text/html; charset=utf-8"),
        ("POST /walk-test/forbidden/", "403"),
        ("#nowhere", "no such id on the page"),
        ("/walk-test/fine/#gone", "no such id on the page"),
    }
    assert all(f.persona == "parent" and f.page for f in result.failures)
    # The rename was submitted (and answered by a redirect to a fine page), then undone;
    # the person is still signed in, so the walk went on after every form.
    assert result.forms_submitted >= 3
    world.parent.refresh_from_db()
    assert world.parent.full_name == "Alice Lane"
    assert "/walk-test/fine/" in result.pages
