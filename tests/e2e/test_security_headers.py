"""A customer's case link is its own key: its pages are not cached, not indexed, and send no
referrer; private pages and the API are not cached; no page may be framed by another site
(a walkthrough found /c/ pages, with a customer's name, order and money, without any of these)."""

from __future__ import annotations

import pytest

from sagwa.web.security_headers import headers_for

pytestmark = pytest.mark.e2e


def test_a_customer_link_page_is_not_cached_indexed_framed_or_referred(client_for) -> None:
    response = client_for(None).get("/c/not-a-real-token")  # the refusal page is one too
    assert response.status_code in (400, 403, 404), response.status_code
    h = response.headers
    assert h["cache-control"] == "no-store"
    assert h["referrer-policy"] == "no-referrer"
    assert h["x-robots-tag"] == "noindex, nofollow"
    assert h["x-frame-options"] == "DENY"
    assert h["content-security-policy"] == ("frame-ancestors 'none'; script-src 'self'; "
                                            "object-src 'none'; base-uri 'none'; "
                                            "form-action 'self'")
    assert h["x-content-type-options"] == "nosniff"


def test_the_api_is_not_cached_and_public_pages_may_be(client_for) -> None:
    api = client_for("admin").get("/api/products")
    assert api.status_code == 200 and api.headers["cache-control"] == "no-store"
    public = client_for(None).get("/notices")
    assert public.status_code == 200
    assert "cache-control" not in public.headers
    assert public.headers["referrer-policy"] == "same-origin"
    assert public.headers["x-frame-options"] == "DENY"


def test_static_files_may_be_cached_and_seller_pages_may_not() -> None:
    assert headers_for("/static/htmx.min.js").get(b"cache-control") is None
    assert headers_for("/seller/listings/1")[b"cache-control"] == b"no-store"


def test_an_unexpected_error_keeps_the_headers(api_app) -> None:
    """A 500 is answered outside every middleware (a review found it without the headers)."""
    from fastapi.testclient import TestClient

    @api_app.get("/api/boom-for-test")
    def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(api_app, raise_server_exceptions=False) as client:
        answer = client.get("/api/boom-for-test")
    assert answer.status_code == 500
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
