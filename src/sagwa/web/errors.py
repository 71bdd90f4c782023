"""The one place where errors become HTTP responses.

The JSON API (and every path that is not a page) answers JSON ``{"code", "message",
"details"}``; the pages answer an HTML page (or, for htmx, a fragment) with the same message,
and a staff page without a session redirects to ``/login``.

Every JSON refusal carries ``details["reason"]``, the refusals made here at the edge too: a
request the schema refuses is ``invalid_request`` with ``request_invalid`` (``details.errors``
names the fields; a query parameter the route does not take, or a single-valued one given
twice, is refused so too: ``query_params.py``), ``body_missing`` (no body where one is
needed) or ``body_not_json`` (a body sent without ``Content-Type: application/json``); a body that is not JSON at all is 400
``malformed_json`` with ``json_malformed``; a path no route answers is 404 ``not_found`` with
``route_unknown`` (an unknown id on a known route is ``unknown_id``, from the use case); a
method the route does not take is 405 ``method_not_allowed`` with ``method_not_allowed`` (on a
page, a GET of a form's address goes to the page the form is on: ``_page_of_form``); a
body larger than the server takes (``body_limit.py``) is 413 ``too_large`` with ``body_too_large``.

An unexpected error is 500 ``internal_error`` with the request's id (``request_ids.py``) in
its ``X-Request-ID`` header, in ``details.request_id`` and the message (a page: in Korean, then
English), for the customer to quote to support; the traceback is logged under that id.

A database that cannot be reached (refused, dropped, shutting down) is 503
``database_unavailable`` with ``database_unreachable`` and ``Retry-After``: JSON for the API, a
plain page for the pages (the layout itself may need the database), one WARNING line in the log
instead of a traceback per request.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from html import escape
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from sagwa.adapters.db.database import first_line, is_database_gone
from sagwa.errors import DatabaseUnavailable, SagwaError
from sagwa.web.access_log import mask_links
from sagwa.web.api.body_fields import taken_fields, where_taken
from sagwa.web.api.request_fields import oversized_number
from sagwa.web.head_requests import ASKED_METHOD
from sagwa.web.request_ids import HEADER as REQUEST_ID_HEADER
from sagwa.web.request_ids import request_id_of
from sagwa.web.security_headers import headers_for

_log = logging.getLogger(__name__)

_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 401: "unauthorised",
               403: "forbidden", 413: "too_large", 415: "unsupported_media_type"}
#: ``details["reason"]`` of the HTTP errors Starlette raises (routing: no route, wrong method).
_HTTP_REASONS = {404: "route_unknown", 405: "method_not_allowed", 413: "body_too_large"}


def _problem(err: dict[str, Any]) -> str:
    """Pydantic's message without its "Value error, " prefix (our validators' own sentence)."""
    msg = str(err.get("msg", "invalid"))
    return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _describe(err: dict[str, Any]) -> str:
    where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
    return f"{where}: {_problem(err)}"


_NOT_PAGES = ("/api/", "/api", "/docs", "/redoc", "/openapi.json", "/healthz", "/static/")
_HEADINGS = {401: ("로그인이 필요합니다", "Please log in"),
             403: ("열 수 없는 페이지입니다", "You cannot open this page"),
             404: ("찾을 수 없습니다", "Not found"),
             409: ("지금은 할 수 없습니다", "This cannot be done now"),
             405: ("이 주소는 양식을 보낼 때만 씁니다", "This address is only for sending a form"),
             413: ("보낸 내용이 너무 큽니다", "What you sent is too large"),
             422: ("입력을 확인해 주세요", "Please check what you entered"),
             500: ("문제가 생겼습니다", "Something went wrong")}

_TOO_LARGE = ("보낸 내용이 너무 커서 받을 수 없습니다. 내용을 줄여 다시 보내 주세요.",
              "What you sent is too large for this site to take; shorten it and send it again.")
_NOT_TAKEN = ("이 주소는 페이지의 양식이 보낼 때만 씁니다. 페이지로 돌아가 양식의 버튼을 눌러 주세요.",
              ("This address only takes what a page's form sends; go back to the page and use "
               "the form's button."))


def is_page(request: Request) -> bool:
    path = request.url.path
    return path != "/" and not path.startswith(_NOT_PAGES)


def page_error(request: Request, status: int, message: str) -> Response:
    """The error as HTML: a fragment for htmx, else a page in the layout."""
    from sagwa.web.pages.i18n import lang_of
    from sagwa.web.pages.rendering import render

    if request.url.path.startswith("/c/"):  # a customer's page: their language, the desk's contact
        from sagwa.web.pages.customer_errors import customer_error

        return customer_error(request, status)
    if status == 401:  # back to the page after signing in (a post: the page it came from)
        from sagwa.web.pages.session import sign_in_again

        if request.headers.get("hx-request"):
            # a request the page made by itself (a live price check while typing) or a button
            # on it: said where its answer goes, leaving the page and what was typed alone (a
            # walkthrough's seller was pulled to the sign-in page mid-typing)
            return render(request, "errors/_signed_out.html",
                          {"login": sign_in_again(request, say_not_saved=False)})
        return RedirectResponse(sign_in_again(request), status_code=303)
    if status in (405, 413):  # the edge's English detail, said in the page's language
        message = (_NOT_TAKEN if status == 405 else _TOO_LARGE)[lang_of(request) == "en"]
    if request.headers.get("hx-request"):
        return render(request, "errors/_fragment.html", {"message": message}, status_code=status)
    ko, en = _HEADINGS.get(status, _HEADINGS[500] if status >= 500 else _HEADINGS[422])
    heading = en if lang_of(request) == "en" else ko
    return render(request, "errors/error.html", {"status": status, "heading": heading,
                                                 "message": message,
                                                 "home": _home_of(request, status)},
                  status_code=status)


def _home_of(request: Request, status: int) -> str:
    """Where the error page's "Home" goes: a signed-in person's own start page (a seller's
    listings, the review queue, the call queue …; a walkthrough's seller was sent to the
    site's index of links), else the index. The session is looked up for a client error
    only: a server error may be the database failing, and the page must still show."""
    from sagwa.web.pages.session import HOME, current_account

    account = getattr(request.state, "account", None)
    if account is None and status < 500:
        try:
            account = current_account(request)
        except Exception:  # noqa: BLE001 - an error page is shown whatever the session does
            account = None
    return HOME.get(account.role, "/") if account is not None else "/"


def _with_taken_fields(request: Request, err: dict[str, Any]) -> dict[str, Any]:
    """A field the body does not take, said with the fields it takes there (pydantic's
    "Extra inputs are not permitted" named none); any other error as it is."""
    if err.get("type") != "extra_forbidden":
        return err
    loc = tuple(err.get("loc", ()))
    taken = taken_fields(request, loc)
    if not taken:
        return err
    return {**err, "msg": f"unknown field ({where_taken(loc)} takes {', '.join(taken)})"}


def _invalid_request(request: Request, exc: RequestValidationError,
                     errors: Sequence[dict[str, Any]]) -> tuple[str, str]:
    """The reason and the message of a request the schema refused (``errors``, as said): a
    body sent as something other than JSON (FastAPI leaves it as bytes: it reads JSON only
    under a JSON content type, and the "valid dictionary" complaint would not say why), no
    body at all, or else what the fields got wrong."""
    on_body = [e for e in errors if tuple(e.get("loc", ()))[:1] == ("body",)]
    if on_body and isinstance(exc.body, bytes | bytearray) and exc.body:
        sent = request.headers.get("content-type")
        return "body_not_json", (
            "the request body must be JSON sent with 'Content-Type: application/json'; it was "
            f"sent {f'as {sent!r}' if sent else 'without a Content-Type'}")
    if any(tuple(e.get("loc", ())) == ("body",) and e.get("type") == "missing" for e in errors):
        return "body_missing", ("this call takes a JSON body (with 'Content-Type: "
                                "application/json'); none was sent")
    return "request_invalid", "; ".join(_describe(e) for e in errors[:5])


def _http_message(request: Request, exc: StarletteHTTPException, message: str) -> str:
    """Routing's bare "Not Found" / "Method Not Allowed" as a sentence that says what was
    asked; any other detail as it was raised."""
    path = request.url.path
    if exc.status_code == 404 and message == "Not Found":
        listed = " (the API's routes are listed at /docs)" if path.startswith("/api") else ""
        return f"no route answers {path}{listed}"
    allow = (getattr(exc, "headers", None) or {}).get("Allow")
    if exc.status_code == 405 and message == "Method Not Allowed" and allow:
        asked = request.scope.get(ASKED_METHOD, request.method)  # a HEAD travels as a GET
        return f"{path} does not take {asked}; it takes {allow}"
    return message


def _allowed_methods(request: Request, allow: str) -> str:
    """Every method some route takes at the request's path. Routing answers a 405 from the
    first route whose path matches, so ``/api/products`` said it took only POST where another
    route takes GET. (Asked of the router as a request of each method would be; a route that
    takes GET takes HEAD too: ``head_requests.py``.)"""
    methods = {m.strip() for m in allow.split(",") if m.strip()}
    for method in _METHODS - methods:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            methods.add(method)
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _page_of_form(request: Request) -> str | None:
    """For a GET (or HEAD) on a form's address that takes only posts (the address bar, the
    history, a copied link): the page the form is on — the nearest address above it that a GET
    route answers (``/ops/review/114/approve`` -> ``/ops/review``, ``/seller/listings/3/check``
    -> ``/seller/listings/3``), with the query kept (``?lang=en``); None for any other method,
    for none found, and for a customer's pages (their own error pages: ``customer_errors``)."""
    path = request.url.path
    if request.method != "GET" or path.startswith("/c/"):
        return None
    parts = path.strip("/").split("/")
    for end in range(len(parts) - 1, 0, -1):
        above = "/" + "/".join(parts[:end])
        scope = {**request.scope, "path": above, "method": "GET"}
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            return above + (f"?{request.url.query}" if request.url.query else "")
    return None


def _malformed_json(problem: str | None) -> JSONResponse:
    return JSONResponse({"code": "malformed_json", "message": "the request body is not valid JSON",
                         "details": {"reason": "json_malformed",
                                     **({"problem": problem} if problem else {})}},
                        status_code=400)


def _unreadable_json(exc: StarletteHTTPException) -> str | None:
    """What made FastAPI's JSON parser give up on a body, beyond a syntax error (which it
    reports itself): bytes that are not UTF-8, or nesting too deep to read. FastAPI answers
    those with a bare 400 "There was an error parsing the body"; they are malformed JSON too."""
    cause = exc.__cause__
    if exc.status_code != 400 or exc.detail != "There was an error parsing the body":
        return None
    if isinstance(cause, UnicodeDecodeError):
        return "the body is not UTF-8 text"
    if isinstance(cause, RecursionError):
        return "the body nests arrays or objects too deeply"
    return None


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SagwaError)
    async def sagwa_error(request: Request, exc: SagwaError) -> Response:
        if is_page(request):
            return page_error(request, exc.http_status, exc.message)
        oversized_number(exc, request.path_params.items(), request.query_params.multi_items())
        # a 401 names the scheme that would do (RFC 9110): an API token as a Bearer
        challenge = {"WWW-Authenticate": 'Bearer realm="sagwa"'} if exc.http_status == 401 else None
        return JSONResponse(exc.as_dict(), status_code=exc.http_status, headers=challenge)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        if is_page(request):
            return page_error(request, 422, "; ".join(_describe(e) for e in errors[:5]))
        broken = next((e for e in errors if e.get("type") == "json_invalid"), None)
        if broken is not None:
            parser = (broken.get("ctx") or {}).get("error")
            return _malformed_json(str(parser) if parser else None)
        errors = [_with_taken_fields(request, e) for e in errors]
        details = [{"field": ".".join(str(p) for p in e.get("loc", ())), "problem": _problem(e)}
                   for e in errors]
        reason, message = _invalid_request(request, exc, errors)
        return JSONResponse({"code": "invalid_request", "message": message,
                             "details": {"errors": details, "reason": reason}}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if is_page(request):
            if exc.status_code == 405 and (page := _page_of_form(request)) is not None:
                return RedirectResponse(page, status_code=303)
            return page_error(request, exc.status_code, message)
        if (problem := _unreadable_json(exc)) is not None:
            return _malformed_json(problem)
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405 and headers and headers.get("Allow"):
            headers = {**headers, "Allow": _allowed_methods(request, headers["Allow"])}
            exc.headers = headers
        body: dict[str, Any] = {"code": code, "message": _http_message(request, exc, message),
                                "details": {"reason": _HTTP_REASONS.get(exc.status_code, code)}}
        if exc.status_code == 405 and headers and headers.get("Allow"):
            body["details"]["allowed"] = [m.strip() for m in headers["Allow"].split(",")]
        return JSONResponse(body, status_code=exc.status_code, headers=headers)

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> Response:
        if not is_database_gone(exc):
            raise exc  # a statement's own error: the 500 below, with its traceback
        return database_unreachable(request, exc)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        rid = request_id_of(request)
        _log.exception("unexpected error (request_id=%s)", rid, exc_info=exc,
                       extra={"request_id": rid})
        # answered outside every middleware (Starlette's ServerErrorMiddleware): the security
        # headers and the request's id are added here
        headers = {k.decode(): v.decode() for k, v in headers_for(request.url.path).items()}
        headers[REQUEST_ID_HEADER] = rid
        if is_page(request):  # outside the session middleware: a plain page, no layout
            return HTMLResponse(_unexpected_page(rid), status_code=500, headers=headers)
        return JSONResponse({"code": "internal_error",
                             "message": "something went wrong on our side; it has been logged "
                                        f"(quote request id {rid} when you contact us)",
                             "details": {"request_id": rid}},
                            status_code=500, headers=headers)


def _unexpected_page(rid: str) -> str:
    """The 500 page: what happened, and the request's id to quote (Korean first)."""
    code = f"<code>{escape(rid)}</code>"
    return ("<!doctype html><meta charset=utf-8><title>500</title>"
            "<h1>문제가 생겼습니다 · Something went wrong</h1><p>저희 쪽 문제입니다. 기록해 "
            "두었습니다. It has been logged.</p>"
            f"<p>문의하실 때 알려 주세요. 요청 번호: {code} · "
            f"Quote request id {code} when you contact us.</p>")


#: Seconds a client is asked to wait before trying again with the database unreachable.
RETRY_AFTER = "5"


def unreachable_error() -> DatabaseUnavailable:
    """The refusal for a database that cannot be reached just now."""
    return DatabaseUnavailable("the database cannot be reached just now; try again in a moment",
                               reason="database_unreachable")


def database_unreachable(request: Request, exc: BaseException) -> Response:
    """503 ``database_unavailable``: a plain page for a page (or ``/``), else JSON."""
    from sagwa.web.pages.error_texts import error_text

    # the path as the access log shows it: a customer's link token is a key to their case
    _log.warning("database unreachable: %s %s answered 503 (%s)", request.method,
                 mask_links(request.url.path), first_line(getattr(exc, "orig", None) or exc))
    refusal = unreachable_error()
    headers = {"Retry-After": RETRY_AFTER}
    if is_page(request) or request.url.path == "/":
        return HTMLResponse("<!doctype html><meta charset=utf-8><title>503</title>"
                            "<h1>잠시 이용할 수 없습니다 · Temporarily unavailable</h1>"
                            f"<p>{error_text(refusal, 'ko')}</p><p>{error_text(refusal, 'en')}</p>",
                            status_code=503, headers=headers)
    return JSONResponse(refusal.as_dict(), status_code=503, headers=headers)
