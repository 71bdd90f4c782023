"""Logging in and out of the staff and seller pages. Repeated wrong passwords for a name or
from an address make ``/login`` refuse for a while (429; ``services/login_throttle.py``, counted in the database).
Each sign-in, failed sign-in (refused for a while, too) and sign-out is an access record with
the client's address (``web.access``); a failed one names the account only when the name typed
is an account's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sagwa.domain.access_records import AccessAction
from sagwa.domain.login_waits import minutes
from sagwa.services.access_records import account_tried
from sagwa.services.accounts import Account, authenticate
from sagwa.services.login_throttle import LoginThrottle
from sagwa.web.access import record_sign_in
from sagwa.web.deps import Uow
from sagwa.web.pages.error_texts import PageRoute
from sagwa.web.pages.i18n import lang_of
from sagwa.web.pages.rendering import render
from sagwa.web.pages.session import HOME, csrf_protect, current_account, log_in, log_out

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False,
                   route_class=PageRoute)



def _safe_next(target: str | None) -> str | None:
    """Only paths on this site (``/x``), never ``//host`` or a full URL."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


def landing(account: Account, target: str | None) -> str:
    return _safe_next(target) or HOME[account.role]


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    account = current_account(request)
    if account is not None and next is None:
        return RedirectResponse(HOME[account.role], status_code=303)
    return render(request, "auth/login.html", {"next": _safe_next(next) or "", "error": False})


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, uow: Uow, username: Annotated[str, Form(max_length=64)],
          password: Annotated[str, Form(max_length=200)],
          next: Annotated[str, Form(max_length=500)] = "") -> Response:
    throttle: LoginThrottle = request.app.state.login_throttle
    address = request.client.host if request.client else ""
    wait, counted = throttle.attempt(username, address)  # counted as failed until it succeeds
    if wait is not None:
        record_sign_in(request, AccessAction.SIGN_IN_FAILED, account_tried(uow(), username), None)
        return _too_many(request, username, next, minutes(wait))
    account = authenticate(uow(), username=username.strip(), password=password)
    if account is None:
        record_sign_in(request, AccessAction.SIGN_IN_FAILED, account_tried(uow(), username), None)
        return render(request, "auth/login.html", {"next": _safe_next(next) or "",
                                                   "error": True, "username": username},
                      status_code=401)
    record_sign_in(request, AccessAction.SIGN_IN, account.username, account.role.value)
    throttle.succeeded(username, address, counted)
    log_in(request, account)
    return RedirectResponse(landing(account, next), status_code=303)


def _too_many(request: Request, username: str, next: str, wait: int) -> Response:
    """Refused before the password is looked at: the same for a name no account has."""
    said = (f"로그인 시도가 너무 많습니다. {wait}분 뒤에 다시 시도해 주세요." if lang_of(request) == "ko"
            else f"Too many sign-in attempts. Try again in {wait} minute{'s' * (wait != 1)}.")
    response = render(request, "auth/login.html", {"next": _safe_next(next) or "",
                                                   "too_many": said, "username": username},
                      status_code=429)
    response.headers["Retry-After"] = str(wait * 60)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    account = current_account(request)
    if account is not None:
        record_sign_in(request, AccessAction.SIGN_OUT, account.username, account.role.value)
    log_out(request)
    return RedirectResponse("/login", status_code=303)
