"""Server-rendered pages (Jinja2 + htmx) for operators, agents, sellers and customers."""

from __future__ import annotations

from fastapi import FastAPI

from sagwa.config import Settings


def install_pages(app: FastAPI, settings: Settings) -> None:
    """Mount the page routers and static files on ``app``."""
