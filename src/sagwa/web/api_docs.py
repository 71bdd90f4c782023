"""The API's reference page, ``/docs`` (Swagger UI), served from files installed with sagwa (the
``fastapi-offline`` package ships the bundle), never from a CDN: it works on a machine without
internet, and under the pages' ``script-src 'self'`` (no inline script: Swagger UI is started by
``static/api-docs.js``). ``/redoc`` leads there: ReDoc's bundle fetches its logo from the
internet."""

from __future__ import annotations

from html import escape
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).parent / "static"
ASSETS_URL = "/api-docs-assets"


def _page(title: str, head: str, body: str) -> str:
    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n"
            f'<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">\n{head}</head>\n'
            f"<body>\n{body}</body>\n</html>\n")


def install_api_docs(app: FastAPI) -> None:
    """Serve ``/docs`` for ``app`` (made with ``docs_url=None, redoc_url=None``)."""
    app.mount(ASSETS_URL, StaticFiles(directory=str(ASSETS)), name="api-docs-assets")
    openapi = escape(app.openapi_url or "/openapi.json")
    title = f"{app.title} API"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(_page(
            f"{title} · Swagger UI",
            f'<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">\n',
            f'<div id="swagger-ui"></div>\n'
            f'<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>\n'
            f'<script src="/static/api-docs.js" data-openapi="{openapi}"></script>\n'))

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> RedirectResponse:
        return RedirectResponse("/docs", status_code=307)
