"""The role walk: sign in as one person and use only what the pages offer them.

``Walker`` drives the Django test client: breadth first from the home page it follows
every same-origin link (GET only), submits every form the person is shown with the
form's own values (each submission in a savepoint that is rolled back, so the world
stays as seeded for the next person), and records every refusal or error. It also
remembers one page of every URL pattern it reached, for the browser to check for width
and accessibility.
"""

from __future__ import annotations

import copy
import hashlib
import re
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit

from django.db import transaction
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import Browser, Page, ViewportSize
from playwright.sync_api import Error as PlaywrightError

from samepage.browser_tests.a11y import AXE_OPTIONS, AccessibilityViolations, axe_script

# At most this many pages are walked for each URL pattern (view name, the names of its
# arguments and of its query parameters), so a district with many children stays fast
# while every kind of page is still reached.
PAGES_PER_PATTERN = 10

# Links and forms the walk leaves alone, by URL name: signing out would end the walk.
SKIPPED_URL_NAMES = {"accounts:logout"}
SKIPPED_PREFIXES = ("/static/", "/media/")
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:")

# A form submitted with its own values may be refused as invalid input (400, 409 for an
# edit conflict, 422); it must never be refused as forbidden, missing or broken.
ACCEPTABLE_FORM_REFUSALS = {400, 409, 422}

PDF = "application/pdf"


@dataclass(frozen=True)
class Failure:
    """One thing the person could not use: where they were, what they followed, the answer."""

    persona: str
    page: str
    target: str
    status: int | str
    what: str

    def __str__(self) -> str:
        return f"[{self.persona}] on {self.page}: {self.what} {self.target} -> {self.status}"


@dataclass
class FormControl:
    method: str
    action: str
    fields: list[tuple[str, str]]
    # A named submit button sends its own name and value (e.g. language=es).
    submitters: list[tuple[str, str]]
    # Buttons with formaction or hx-get/hx-post: each is a request of its own.
    extra_requests: list[tuple[str, str]] = field(default_factory=list)

    def data(self, submitter: tuple[str, str] | None = None) -> list[tuple[str, str]]:
        values = list(self.fields)
        chosen = submitter or (self.submitters[0] if self.submitters else None)
        if chosen and chosen[0]:
            values.append(chosen)
        return values


class PageParser(HTMLParser):
    """The links, forms and htmx requests of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        # Every id (and <a name>) a link's #fragment may point at.
        self.anchors: set[str] = set()
        self.forms: list[FormControl] = []
        self.loose_requests: list[tuple[str, str]] = []
        self._form: FormControl | None = None
        self._select: tuple[str, list[str], list[str]] | None = None
        self._in_option = False
        self._option_value: str | None = None
        self._option_text: list[str] = []
        self._option_selected = False
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if a.get("id"):
            self.anchors.add(a["id"])
        if tag == "a" and a.get("name"):
            self.anchors.add(a["name"])
        for verb in ("get", "post", "put", "patch", "delete"):
            if f"hx-{verb}" in a:
                request = (verb.upper(), a[f"hx-{verb}"])
                (self._form.extra_requests if self._form else self.loose_requests).append(request)
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "form":
            self._form = FormControl(
                method=(a.get("method") or "get").lower(),
                action=a.get("action", ""),
                fields=[],
                submitters=[],
            )
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            name = a.get("name", "")
            if "disabled" in a or (not name and kind not in ("submit", "image")):
                return
            if kind in ("submit", "image"):
                self._submitter(a)
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append((name, a.get("value", "on")))
            elif kind not in ("file", "reset", "button"):
                self._form.fields.append((name, a.get("value", "")))
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit" and "disabled" not in a:
                self._submitter(a)
        elif tag == "select" and "disabled" not in a:
            self._select = (a.get("name", ""), [], [])
        elif tag == "option" and self._select is not None:
            self._finish_option()
            self._in_option = True
            self._option_value = a.get("value")
            self._option_text = []
            self._option_selected = "selected" in a
        elif tag == "textarea" and "disabled" not in a:
            self._textarea = (a.get("name", ""), [])

    def _submitter(self, a: dict[str, str]) -> None:
        assert self._form is not None
        if "formaction" in a:
            method = (a.get("formmethod") or self._form.method).upper()
            self._form.extra_requests.append((method, a["formaction"]))
        else:
            self._form.submitters.append((a.get("name", ""), a.get("value", "")))

    def _finish_option(self) -> None:
        if self._select is None or not self._in_option:
            return
        value = (
            self._option_value
            if self._option_value is not None
            else "".join(self._option_text).strip()
        )
        _, options, selected = self._select
        options.append(value)
        if self._option_selected:
            selected.append(value)
        self._in_option = False
        self._option_value = None
        self._option_text = []
        self._option_selected = False

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)
        elif self._in_option:
            self._option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._finish_option()
        elif tag == "select" and self._select is not None:
            self._finish_option()
            name, options, selected = self._select
            if self._form is not None and name:
                chosen = selected or options[:1]
                self._form.fields.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            if self._form is not None and name:
                self._form.fields.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None


def parse_page(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def url_name(path: str) -> str | None:
    """``namespace:name`` of the view answering ``path``, or None if none does."""
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def pattern_of(url: str, *, with_query: bool = True) -> str:
    """What makes two URLs "the same kind of page": view, argument names, query keys."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return f"unresolved:{parts.path}"
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    if not with_query:
        keys = []
    shape = ",".join(sorted(match.kwargs))
    return f"{match.view_name}({shape})" + (f"?{'&'.join(keys)}" if keys else "")


def normalise(url: str) -> str:
    """Path and query string, query parameters sorted, fragment dropped."""
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return parts.path + (f"?{query}" if query else "")


def is_pdf(response: HttpResponseBase) -> bool:
    return bool(response.get("Content-Type", "").startswith(PDF))


def is_html(response: HttpResponseBase) -> bool:
    return bool(response.get("Content-Type", "").startswith("text/html"))


_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def fingerprint(html: str) -> str:
    """The same for two documents that differ only in their CSRF tokens: the browser
    need not check a document another person already saw byte for byte."""
    return hashlib.sha256(_CSRF_VALUE.sub(r'\1"', html).encode()).hexdigest()


class _Rollback(Exception):
    """Raised inside a savepoint to undo a form submission."""


@dataclass
class WalkResult:
    persona: str
    pages: list[str] = field(default_factory=list)
    # One walked HTML page for each URL pattern reached, for the browser checks.
    page_per_pattern: dict[str, str] = field(default_factory=dict)
    # What each of those pages looked like (see ``fingerprint``).
    fingerprints: dict[str, str] = field(default_factory=dict)
    url_names: set[str] = field(default_factory=set)
    forms_submitted: int = 0
    # Pages opened again after following the language switch (one per URL pattern).
    other_language: str = ""
    other_language_pages: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0


class Walker:
    """Walks the site as one signed-in person with the Django test client."""

    def __init__(self, persona: str, email: str, password: str) -> None:
        self.persona = persona
        self.client = Client(raise_request_exception=False)
        self.email = email
        self.password = password
        self.result = WalkResult(persona)
        self._seen: set[str] = set()
        self._per_pattern: dict[str, int] = {}
        self._forms_seen: set[tuple[str, str, tuple[str, ...]]] = set()
        self._queue: deque[tuple[str, str]] = deque()
        # Anchors of each page walked, and the links into them (page, link, url, fragment).
        self._anchors: dict[str, set[str]] = {}
        self._fragment_links: list[tuple[str, str, str, str]] = []
        self._language_switch: tuple[str, list[tuple[str, str]]] | None = None

    # -- signing in ----------------------------------------------------------------------

    def sign_in(self) -> None:
        response = self.client.post(
            reverse("accounts:login"),
            {"username": self.email, "password": self.password},
        )
        if response.status_code != 302 or "_auth_user_id" not in self.client.session:
            raise AssertionError(
                f"{self.persona} ({self.email}) could not sign in: HTTP {response.status_code}"
            )

    # -- the walk ------------------------------------------------------------------------

    def walk(self, start: str = "/") -> WalkResult:
        began = time.monotonic()
        self.sign_in()
        self._enqueue("(sign-in)", start)
        while self._queue:
            source, url = self._queue.popleft()
            self._visit(source, url)
        self._check_fragments()
        self._walk_in_other_language()
        self.result.seconds = time.monotonic() - began
        return self.result

    def _skipped(self, href: str) -> bool:
        href = href.strip()
        if not href or href.startswith("#") or href.lower().startswith(SKIPPED_SCHEMES):
            return True
        parts = urlsplit(href)
        if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
            return True
        return parts.path.startswith(SKIPPED_PREFIXES) or url_name(parts.path) in (
            SKIPPED_URL_NAMES
        )

    def _enqueue(self, source: str, href: str) -> None:
        if self._skipped(href):
            return
        url = normalise(urljoin(source if source.startswith("/") else "/", href))
        if url in self._seen:
            return
        pattern = pattern_of(url)
        if self._per_pattern.get(pattern, 0) >= PAGES_PER_PATTERN:
            return
        self._per_pattern[pattern] = self._per_pattern.get(pattern, 0) + 1
        self._seen.add(url)
        self._queue.append((source, url))

    def _walk_in_other_language(self) -> None:
        """Follow the language switch for real, then open one page of every URL pattern
        again: a translation that breaks a page (a placeholder the catalogue lost) shows
        only in the other language."""
        if self._language_switch is None:
            return
        action, values = self._language_switch
        language = dict(values).get("language", "")
        self.result.other_language = language
        response = self.client.post(action, dict(values), follow=True)
        if response.status_code >= 400:
            self._fail("(language switch)", action, response.status_code, "language switch")
            return
        if f'<html lang="{language}"' not in response.content.decode():
            self._fail("(language switch)", action, f"page not in {language!r}", "language switch")
            return
        for url in sorted(set(self.result.page_per_pattern.values())):
            response = self.client.get(url, follow=True)
            self.result.other_language_pages += 1
            if response.status_code >= 400:
                self._fail(url, url, response.status_code, f"the same page in {language!r}")

    def _note_fragment(self, page: str, href: str) -> None:
        parts = urlsplit(href.strip())
        if not parts.fragment or parts.fragment == "top":
            return
        if not (parts.path or parts.query):
            self._fragment_links.append((page, href, page, parts.fragment))
        elif not self._skipped(href):
            target = normalise(urljoin(page, href))
            self._fragment_links.append((page, href, target, parts.fragment))

    def _check_fragments(self) -> None:
        """A link to a part of a page must find that part (a contents list, a skip link);
        links into pages the walk did not open are left unchecked."""
        for page, href, target, fragment in self._fragment_links:
            anchors = self._anchors.get(target)
            if anchors is not None and unquote(fragment) not in anchors:
                self._fail(page, href, "no such id on the page", "link to a part of a page")

    def _fail(self, page: str, target: str, status: int | str, what: str) -> None:
        self.result.failures.append(Failure(self.persona, page, target, status, what))

    def _visit(self, source: str, url: str) -> None:
        response = self.client.get(url, follow=True)
        status = response.status_code
        final = url
        if response.redirect_chain:
            query = response.request.get("QUERY_STRING", "")
            final = normalise(response.request["PATH_INFO"] + (f"?{query}" if query else ""))
        if status >= 400:
            self._fail(source, url, status, "link")
            return
        if final != url and url_name(urlsplit(final).path) == "accounts:login":
            self._fail(source, url, "sent to sign in", "link")
            return
        self.result.pages.append(url)
        name = url_name(urlsplit(final).path)
        if name:
            self.result.url_names.add(name)
        if (name or "").endswith("_pdf") or final.endswith(".pdf"):
            if not is_pdf(response):
                self._fail(source, url, response.get("Content-Type", "none"), "PDF link")
            return
        if not is_html(response):
            return
        html = response.content.decode(response.charset or "utf-8")
        pattern = pattern_of(final, with_query=False)
        if pattern not in self.result.page_per_pattern:
            self.result.page_per_pattern[pattern] = final
            self.result.fingerprints[final] = fingerprint(html)
        page = parse_page(html)
        self._anchors[final] = page.anchors
        for href in page.links:
            self._note_fragment(final, href)
            self._enqueue(final, href)
        for form in page.forms:
            self._use_form(final, form)
        for method, target in page.loose_requests:
            self._request(final, method, target, [], "htmx request")

    # -- forms and buttons ---------------------------------------------------------------

    def _use_form(self, page: str, form: FormControl) -> None:
        action = normalise(urljoin(page, form.action)) if form.action else page
        if self._skipped(action):
            return
        if url_name(urlsplit(action).path) == "home:set_language" and form.submitters:
            self._language_switch = (action, form.data())
        if form.method == "get":
            query = urlencode([(k, v) for k, v in form.data() if k])
            self._enqueue(page, urlsplit(action).path + (f"?{query}" if query else ""))
        else:
            key = (pattern_of(action), form.method, tuple(sorted({k for k, _ in form.fields})))
            if key not in self._forms_seen:
                self._forms_seen.add(key)
                for submitter in form.submitters or [("", "")]:
                    self._request(page, "POST", action, form.data(submitter), "form")
        for method, target in form.extra_requests:
            self._request(page, method, target, form.data(), "button")

    def _request(
        self, page: str, method: str, target: str, data: Iterable[tuple[str, str]], what: str
    ) -> None:
        url = normalise(urljoin(page, target)) if target else page
        if self._skipped(url):
            return
        values = [(k, v) for k, v in data if k]
        if method == "GET":
            query = urlencode(values)
            self._enqueue(page, urlsplit(url).path + (f"?{query}" if query else ""))
            return
        key = (pattern_of(url), method, tuple(sorted({k for k, _ in values})))
        if what != "form":
            if key in self._forms_seen:
                return
            self._forms_seen.add(key)
        status, answer = self._submit(url, values)
        self.result.forms_submitted += 1
        if status >= 500 or (status >= 400 and status not in ACCEPTABLE_FORM_REFUSALS):
            sent = {k: v for k, v in values if k != "csrfmiddlewaretoken"}
            self._fail(page, f"{method} {url} {sent}", answer, what)

    def _submit(self, url: str, values: list[tuple[str, str]]) -> tuple[int, str]:
        """POST ``values`` to ``url`` and undo everything it changed: the final status, and
        the answer in words (with any redirects followed)."""
        cookies = self.client.cookies
        self.client.cookies = copy.deepcopy(cookies)
        data: dict[str, list[str]] = {}
        for k, v in values:
            data.setdefault(k, []).append(v)
        status, answer = 0, ""
        try:
            with transaction.atomic():
                response = self.client.post(url, data, follow=True)
                status = response.status_code
                hops = [f"{code} to {where}" for where, code in response.redirect_chain]
                answer = ", ".join([*hops, str(status)])
                raise _Rollback
        except _Rollback:
            pass
        finally:
            self.client.cookies = cookies
        return status, answer


# -- in the browser --------------------------------------------------------------------

PHONE: ViewportSize = {"width": 360, "height": 740}


def check_in_browser(
    browser: Browser, base_url: str, persona: str, email: str, password: str, pages: list[str]
) -> list[Failure]:
    """Open each page on a 360 px phone; every page must fit and pass axe-core."""
    failures: list[Failure] = []
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US")
    context.set_default_timeout(15_000)
    # axe-core loads with every document instead of being sent over for each page.
    context.add_init_script(script=axe_script())
    try:
        page = context.new_page()
        page.goto(base_url + reverse("accounts:login"))
        page.locator("input[name=username]").fill(email)
        page.locator("input[name=password]").fill(password)
        with page.expect_navigation():
            page.locator("form:has(input[name=password]) [type=submit]").first.click()
        if urlsplit(page.url).path == reverse("accounts:login"):
            return [Failure(persona, "(browser)", "sign in", "still signed out", "sign in")]
        for path in pages:
            try:
                failures.extend(_check_page(page, base_url, persona, path))
            except PlaywrightError as e:
                # A page that hangs or breaks the browser is one failure, not the end.
                first_line = str(e).strip().splitlines()[0] if str(e).strip() else repr(e)
                failures.append(Failure(persona, "(browser)", path, first_line, "page"))
    finally:
        context.close()
    return failures


def _check_page(page: Page, base_url: str, persona: str, path: str) -> list[Failure]:
    response = page.goto(base_url + path)
    if response is None or not response.ok:
        status = response.status if response is not None else "no answer"
        return [Failure(persona, "(browser)", path, status, "page")]
    failures = []
    width = int(page.evaluate("document.documentElement.scrollWidth"))
    if width > PHONE["width"]:
        failures.append(Failure(persona, path, widest_elements(page), f"{width}px", "too wide"))
    violations = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    if violations["violations"]:
        error = AccessibilityViolations(page.url, violations["violations"])
        failures.append(Failure(persona, path, short_violations(error), "axe", "WCAG"))
    return failures


def widest_elements(page: Page) -> str:
    """The elements that reach past the right edge of a phone (innermost first), leaving
    out those a scrolling box clips; absolutely placed ones can escape such a box."""
    found = page.evaluate(
        """(limit) => {
            const past = (el) => el.getBoundingClientRect().right > limit + 0.5;
            const clipped = (el) => {
                const fixed = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
                for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                    const style = getComputedStyle(a);
                    if (style.overflowX !== 'visible' && !past(a)
                        && (!fixed || style.position !== 'static')) return true;
                }
                return false;
            };
            const out = [];
            for (const el of document.querySelectorAll('body *')) {
                if (!past(el) || clipped(el) || [...el.children].some(past)) continue;
                const cls = typeof el.className === 'string' && el.className.trim()
                    ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
                const r = el.getBoundingClientRect();
                out.push(el.tagName.toLowerCase() + cls + ' (' + Math.round(r.right) + 'px)');
            }
            return out.slice(0, 4);
        }""",
        PHONE["width"],
    )
    return ", ".join(found) or "(no element found)"


def short_violations(error: AccessibilityViolations) -> str:
    parts = []
    for v in error.violations:
        targets = [" ".join(str(t) for t in n.get("target", [])) for n in v.get("nodes", [])]
        parts.append(f"{v['id']} at {', '.join(targets[:3])}")
    return "; ".join(parts)
