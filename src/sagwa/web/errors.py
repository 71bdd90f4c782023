"""The one place where errors become HTTP responses: JSON ``{"code", "message", "details"}``."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sagwa.errors import SagwaError

_log = logging.getLogger(__name__)

_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 401: "unauthorised",
               403: "forbidden", 413: "too_large", 415: "unsupported_media_type"}


def _describe(err: dict) -> str:
    where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
    return f"{where}: {err.get('msg', 'invalid')}"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SagwaError)
    async def sagwa_error(_: Request, exc: SagwaError) -> JSONResponse:
        return JSONResponse(exc.as_dict(), status_code=exc.http_status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSONResponse({"code": "malformed_json",
                                 "message": "the request body is not valid JSON"}, status_code=400)
        details = [{"field": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg")}
                   for e in errors]
        message = "; ".join(_describe(e) for e in errors[:5])
        return JSONResponse({"code": "invalid_request", "message": message,
                             "details": {"errors": details}}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return JSONResponse({"code": code, "message": message}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        _log.exception("unexpected error", exc_info=exc)
        return JSONResponse({"code": "internal_error",
                             "message": "something went wrong on our side; it has been logged"},
                            status_code=500)
