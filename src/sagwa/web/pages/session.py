"""Who is asking: the signed session cookie, role checks, and CSRF tokens.

The session cookie (Starlette's ``SessionMiddleware``: JSON signed with the secret key; with
:class:`RotatingSessionMiddleware` one signed with a retired secret is accepted too) carries
a session id and a per-session CSRF token; the session itself is a row in ``web_sessions``, so
logging out ends it for every copy of the cookie. Every state-changing request to a page
must bring that token back, in the ``csrf_token`` form field or the ``X-CSRF-Token`` header
(htmx sends the header; see ``base.html``). A customer's pages (``/c/<token>``) use a token
derived from their link instead (:func:`link_csrf_token`), so they work without cookies. A
form posted to a page behind a sign-in without a live session (signed out in another tab, the
session ended) is told to sign in again, and the sign-in comes back to the page
(:func:`sign_in_again`): it could change nothing anyway, so this says nothing a forgery could
use.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

import itsdangerous
from fastapi import Depends, Request
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp

from sagwa.errors import Forbidden, SagwaError
from sagwa.services.accounts import Account, Role, end_session, session_account, start_session
from sagwa.web.pages.i18n import lang_of

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
STAFF = (Role.ADMIN, Role.REVIEWER, Role.AGENT, Role.FINANCE)
#: The pages behind a sign-in (staff and sellers); a customer's pages open by their signed link.
SIGNED_IN_PAGES = ("/seller", "/ops/", "/cs/")


class LoginRequired(SagwaError):
    """No session on a staff page: the page answers with a redirect to ``/login``."""

    code = "login_required"
    http_status = 401


class RotatingSessionMiddleware(SessionMiddleware):
    """Starlette's signed session cookie, accepted when signed with any of ``secret_keys``
    (``Settings.accepted_secrets``: the retired secrets, then the current one) and signed with
    the current one only: rotating ``SAGWA_SECRET_KEY`` with the old secret kept in
    ``SAGWA_PREVIOUS_SECRET_KEYS`` signs nobody out."""

    def __init__(self, app: ASGIApp, *, secret_keys: Sequence[str], **options: Any) -> None:
        super().__init__(app, secret_key=secret_keys[-1], **options)
        # itsdangerous checks every key (newest first) and signs with the last
        self.signer = itsdangerous.TimestampSigner(list(secret_keys))


#: A customer's pages, opened by their signed link ``/c/<token>``: see :func:`link_csrf_token`.
CUSTOMER_LINK = "/c/"


def link_csrf_token(request: Request) -> str | None:
    """On a customer's page, the CSRF token of its link: an HMAC of the link's token with the
    app's secret. Only whoever has the link can know it (as only they can use the link), and it
    needs no cookie: some in-app browsers keep none, and a token tied to the session then failed
    every customer's post. None on any other page (staff pages keep the session's token)."""
    link = _link_of(request)
    return None if not link else _link_csrf(request.app.state.settings.secret_key, link)


def accepted_link_csrf_tokens(request: Request) -> list[str]:
    """The link's CSRF token under each accepted secret (the current one's is
    :func:`link_csrf_token`): a customer's form loaded before the secret was rotated still
    posts after it. Empty on any other page."""
    link = _link_of(request)
    return [] if not link else [_link_csrf(secret, link) for secret
                                in request.app.state.settings.accepted_secrets]


def _link_of(request: Request) -> str | None:
    return request.path_params.get("token") if request.url.path.startswith(CUSTOMER_LINK) else None


def _link_csrf(secret: str, link: str) -> str:
    digest = hmac.new(secret.encode(), f"csrf:{link}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def csrf_token(request: Request) -> str:
    """The token a page's forms carry: its link's on a customer's page, else the session's."""
    if (linked := link_csrf_token(request)) is not None:
        return linked
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


async def csrf_protect(request: Request) -> None:
    """Refuse a POST (or any unsafe method) whose token does not match the session's."""
    if request.method in SAFE_METHODS:
        return
    expected = [str(t) for t in (request.session.get("csrf"), *accepted_link_csrf_tokens(request))
                if t]
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not sent or not any(hmac.compare_digest(t, sent) for t in expected):
        if _signed_out(request):
            raise LoginRequired("you are signed out; sign in again")
        raise Forbidden("this form has expired or did not come from our site; "
                        "reload the page and try again", reason="form_expired")


def _signed_out(request: Request) -> bool:
    """Whether this post to a page behind a sign-in comes without a live session: signing out
    (in any tab) clears the cookie, so its form's token can no longer match — the sign-in, not
    the form, is what is missing. With a live session a token that does not match is refused
    as before (a forgery, or a form from an earlier session)."""
    return request.url.path.startswith(SIGNED_IN_PAGES) and current_account(request) is None


def sign_in_again(request: Request, *, say_not_saved: bool = True) -> str:
    """Where a page request without a live session is sent: ``/login``, which comes back to the
    page itself (a GET), or to the page a form or htmx call was sent from (its ``Referer`` or
    ``HX-Current-URL``, on this site only: a post's own address answers only posts). What a form
    sent then was not saved, and the login page says so (``say_not_saved``; not for an htmx
    answer, which says it where it lands)."""
    htmx = bool(request.headers.get("hx-request"))
    if request.method in SAFE_METHODS and not htmx:
        back: str | None = request.url.path
    else:
        back = _page_on_this_site(request, request.headers.get(
            "hx-current-url" if htmx else "referer"))
    if request.method not in SAFE_METHODS and say_not_saved:
        said = (("로그아웃된 상태라 보낸 내용은 저장되지 않았습니다. 다시 로그인하면 보던 페이지로 돌아갑니다. "
                 "입력한 내용은 다시 넣어 주세요.") if lang_of(request) == "ko" else
                ("You are signed out, so what you sent was not saved. Sign in again to go back "
                 "to the page you were on, and enter it again."))
        flash(request, said, "warn")
    return "/login" + (f"?next={quote(back, safe='/')}" if back else "")


def _page_on_this_site(request: Request, url: str | None) -> str | None:
    """The path (and query) of ``url`` when it is a page of this site, else None."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc != request.url.netloc or not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


SESSION_LIFETIME = timedelta(hours=12)
_UNSET = object()


def log_in(request: Request, account: Account) -> None:
    """Start a session (a row in ``web_sessions``) and put its id in the signed cookie."""
    sid = start_session(request.app.state.uow_factory(), account, lasts=SESSION_LIFETIME)
    request.session.clear()
    request.session.update({"sid": sid, "csrf": secrets.token_urlsafe(32)})
    request.state.account = account


def log_out(request: Request) -> None:
    """End the session for good: a saved copy of the cookie opens nothing afterwards."""
    sid = request.session.get("sid")
    if sid:
        end_session(request.app.state.uow_factory(), str(sid))
    request.session.clear()
    request.state.account = None


#: Where each role's pages start: after logging in, and behind the header's brand. Finance's
#: page lists the refunds owed; payments are marked through the CLI or the API.
HOME = {Role.ADMIN: "/ops/incidents", Role.REVIEWER: "/ops/review", Role.AGENT: "/cs/queue",
        Role.FINANCE: "/ops/refunds", Role.SELLER: "/seller"}


def current_account(request: Request) -> Account | None:
    """The account of this request's live session (looked up once per request)."""
    cached = getattr(request.state, "account", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[return-value]
    account = None
    sid = request.session.get("sid") if "session" in request.scope else None
    if sid:
        account = session_account(request.app.state.uow_factory(), str(sid))
        if account is None:  # ended, expired or unknown: forget it
            request.session.pop("sid", None)
    request.state.account = account
    return account


def flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session["flash"] = {"message": message, "kind": kind}


def take_flash(request: Request) -> dict[str, str] | None:
    found: dict[str, str] | None = request.session.pop("flash", None)
    return found


def requires(*roles: Role) -> Callable[[Request], Account]:
    """A dependency: the logged-in account if its role is one of ``roles`` (admin always is,
    except on seller pages, which act for one seller)."""

    def dependency(request: Request) -> Account:
        account = current_account(request)
        if account is None:
            raise LoginRequired("please log in")
        if not account.may(roles, as_seller=Role.SELLER in roles):
            raise Forbidden("your account cannot open this page", reason="role_not_allowed")
        return account

    return dependency


Operator = Annotated[Account, Depends(requires(Role.ADMIN))]
Reviewer = Annotated[Account, Depends(requires(Role.REVIEWER))]
Agent = Annotated[Account, Depends(requires(Role.AGENT))]
Finance = Annotated[Account, Depends(requires(Role.FINANCE))]
SellerAccount = Annotated[Account, Depends(requires(Role.SELLER))]
