"""Who is asking: the signed session cookie, role checks, and CSRF tokens.

The session cookie (Starlette's ``SessionMiddleware``: JSON signed with the secret key) carries
a session id and a per-session CSRF token; the session itself is a row in ``web_sessions``, so
logging out ends it for every copy of the cookie. Every state-changing request to a page
must bring that token back, in the ``csrf_token`` form field or the ``X-CSRF-Token`` header
(htmx sends the header; see ``base.html``).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from sagwa.errors import Forbidden, SagwaError
from sagwa.services.accounts import Account, Role, end_session, session_account, start_session

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
STAFF = (Role.ADMIN, Role.REVIEWER, Role.AGENT)


class LoginRequired(SagwaError):
    """No session on a staff page: the page answers with a redirect to ``/login``."""

    code = "login_required"
    http_status = 401


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


async def csrf_protect(request: Request) -> None:
    """Refuse a POST (or any unsafe method) whose token does not match the session's."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(str(expected), sent):
        raise Forbidden("this form has expired or did not come from our site; "
                        "reload the page and try again", reason="form_expired")


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


#: Where each role's pages start: after logging in, and behind the header's brand.
HOME = {Role.ADMIN: "/ops/incidents", Role.REVIEWER: "/ops/review", Role.AGENT: "/cs/queue",
        Role.SELLER: "/seller"}


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
SellerAccount = Annotated[Account, Depends(requires(Role.SELLER))]
