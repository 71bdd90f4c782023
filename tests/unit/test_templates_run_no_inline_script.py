"""The pages run scripts from this site's files only (``script-src 'self'``,
``web/security_headers.py``): a template with an inline script, an event-handler attribute or a
``javascript:`` link would be blocked by the browser, silently. This reads every template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sagwa.web.security_headers import CONTENT_SECURITY_POLICY, headers_for

TEMPLATES = Path(__file__).parents[2] / "src" / "sagwa" / "web" / "templates"
SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"""\s(on[a-z]+|hx-on[:\-][\w:\-]*)\s*=""", re.IGNORECASE)
TEMPLATE_FILES = sorted(TEMPLATES.rglob("*.html"))


def test_there_are_templates_to_read() -> None:
    assert len(TEMPLATE_FILES) > 40


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_a_template_has_no_inline_script(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    inline = [m.group(0) for m in SCRIPT.finditer(text) if "src=" not in m.group("attrs")]
    assert not inline, f"{path.name}: inline <script> (put it in static/sagwa.js)"
    assert not HANDLER.findall(text), f"{path.name}: event-handler attribute"
    assert "javascript:" not in text.lower(), f"{path.name}: javascript: link"


def test_the_check_finds_what_it_looks_for() -> None:
    assert SCRIPT.search("<script>alert(1)</script>")
    assert HANDLER.search('<a href="/" onclick="go()">')
    assert HANDLER.search('<form hx-on::after-request="x()">')
    assert not HANDLER.search('<p class="once">')


def test_every_answer_allows_scripts_from_this_site_only() -> None:
    for path in ("/", "/login", "/c/x", "/docs", "/redoc", "/api/products", "/static/sagwa.js"):
        policy = headers_for(path)[b"content-security-policy"].decode()
        assert policy == CONTENT_SECURITY_POLICY
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy
