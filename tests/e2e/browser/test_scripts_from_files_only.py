"""In real Chromium, under the pages' ``script-src 'self'``: the API reference pages render from
files installed with sagwa (they loaded Swagger UI and ReDoc from a CDN, blank on a machine
without internet), nothing a page asks for leaves this site, no page's script is refused, and
the behaviours that were inline scripts still work: a refused form's answer stands at the page's
own address, and "Go back" goes back."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from browsing import login
from world import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(180)]


def _watch(page):  # type: ignore[no-untyped-def]
    """Requests to other hosts and Content-Security-Policy refusals, as they happen."""
    seen: dict[str, list[str]] = {"elsewhere": [], "refused": []}
    page.on("request", lambda r: seen["elsewhere"].append(r.url)
            if urlsplit(r.url).hostname not in ("127.0.0.1", None) and
            not r.url.startswith(("data:", "blob:")) else None)
    page.on("console", lambda m: seen["refused"].append(m.text)
            if "Content Security Policy" in m.text else None)
    return seen


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_api_reference_renders_without_the_internet(page, site, path: str) -> None:  # type: ignore[no-untyped-def]
    seen = _watch(page)
    answer = page.goto(path)  # /redoc leads to /docs (ReDoc's bundle fetches its logo online)
    assert answer is not None and answer.ok and page.url.endswith("/docs")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    page.get_by_text("/api/price-changes/check").first.wait_for(timeout=30_000)
    assert seen == {"elsewhere": [], "refused": []}


def test_a_refused_form_stands_at_its_page_and_no_script_is_refused(page, site) -> None:  # type: ignore[no-untyped-def]
    seen = _watch(page)
    page.goto("/login")
    page.fill("#username", "admin")
    page.fill("#password", "not-the-password")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert page.locator("#password").count() == 1  # refused, the form again
    assert page.url.endswith("/login")
    login(page, "admin", PASSWORD)
    page.wait_for_url("**/ops/incidents")
    for path in ("/ops/review", "/cs/queue", "/notices", "/ops/incidents"):
        page.goto(path)
        page.wait_for_load_state("load")
    # htmx is running (it sets its own class on what it requests) and the page's file loaded
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("!!document.querySelector('script[src=\"/static/sagwa.js\"]')")
    assert seen == {"elsewhere": [], "refused": []}


def test_go_back_on_an_error_page_goes_back(page, site) -> None:  # type: ignore[no-untyped-def]
    page.goto("/notices")
    page.goto("/notices/999999999")
    back = page.locator("a[data-back]")
    assert back.count() == 1
    back.click()
    page.wait_for_url("**/notices")
