"""Logging in and out of the staff and seller pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sagwa.services.accounts import Account, authenticate
from sagwa.web.deps import Uow
from sagwa.web.pages.error_texts import PageRoute
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
    account = authenticate(uow(), username=username.strip(), password=password)
    if account is None:
        return render(request, "auth/login.html", {"next": _safe_next(next) or "",
                                                   "error": True, "username": username},
                      status_code=401)
    log_in(request, account)
    return RedirectResponse(landing(account, next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    log_out(request)
    return RedirectResponse("/login", status_code=303)
