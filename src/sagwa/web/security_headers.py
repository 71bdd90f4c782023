"""Response headers that keep private pages private, added once at the edge.

Every response: ``X-Content-Type-Options: nosniff``, and no framing by other sites
(``X-Frame-Options: DENY``, ``Content-Security-Policy: frame-ancestors 'none'``), so a page's
buttons cannot be clicked through another site's frame. Scripts run only from this site's files
(``script-src 'self'``: no inline script, no ``javascript:`` link, so text that slipped past
escaping still cannot run), no plugins, no ``<base>`` and forms post to this site only. Pages and answers about people (the
customer's case link ``/c/…``, the signed-in pages, the JSON API) are not stored by browsers or
proxies (``Cache-Control: no-store``). A customer's link is its own key: its pages send no
referrer (``Referrer-Policy: no-referrer``, so the link is not handed to another site) and ask
search engines not to index them (``X-Robots-Tag``). Other pages send the referrer to this site
only (``same-origin``). A header the route set itself is kept.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Paths whose answers are about a person or need a sign-in.
PRIVATE_PREFIXES = ("/c/", "/ops", "/cs", "/seller", "/api/", "/login", "/logout")
CUSTOMER_LINK = "/c/"


#: The Content-Security-Policy of every answer.
CONTENT_SECURITY_POLICY = ("frame-ancestors 'none'; script-src 'self'; object-src 'none'; "
                           "base-uri 'none'; form-action 'self'")


def headers_for(path: str) -> dict[bytes, bytes]:
    """The headers a response to ``path`` gets (lower-case names, as ASGI carries them)."""
    out = {b"x-content-type-options": b"nosniff", b"x-frame-options": b"DENY",
           b"content-security-policy": CONTENT_SECURITY_POLICY.encode(),
           b"referrer-policy": b"same-origin"}
    if path.startswith(PRIVATE_PREFIXES):
        out[b"cache-control"] = b"no-store"
    if path.startswith(CUSTOMER_LINK):
        out[b"referrer-policy"] = b"no-referrer"
        out[b"x-robots-tag"] = b"noindex, nofollow"
    return out


class SecurityHeaders:
    """ASGI middleware adding :func:`headers_for` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope.get("path", ""))

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message = {**message, "headers": [
                    *message.get("headers", []),
                    *((k, v) for k, v in extra.items() if k not in present)]}
            await send(message)

        await self.app(scope, receive, sending)
