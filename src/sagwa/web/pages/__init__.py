"""Server-rendered pages (Jinja2 + htmx) for operators, agents, finance, sellers and customers.

One module per audience: ``auth`` (login), ``seller``, ``review``, ``incidents``, ``refunds``
(finance), ``contact_centre``, ``customer`` (the signed case link) and ``notices`` (public).
Each route calls a function that returns the template context and renders it with
``rendering.render``.

Pages speak one language at a time (``i18n``): ``labels`` names every stored code in Korean and
English, ``error_texts`` says a refusal in the page's language, and a refused form comes back
with what was typed and the reason next to it.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from sagwa.config import Settings
from sagwa.web.pages import (
    auth,
    contact_centre,
    contact_details,
    contact_instead,
    contact_replies,
    customer,
    customer_call_time,
    customer_choose,
    customer_instead,
    customer_phone,
    incident_notice,
    incident_plan_form,
    incidents,
    notices,
    refunds,
    review,
    seller,
    seller_incidents,
)
from sagwa.web.pages.rendering import make_templates
from sagwa.web.pages.session import SESSION_LIFETIME, RotatingSessionMiddleware

STATIC = Path(__file__).resolve().parent.parent / "static"


def install_pages(app: FastAPI, settings: Settings) -> None:
    """Mount the page routers and static files on ``app``."""
    app.state.page_templates = make_templates()
    app.add_middleware(RotatingSessionMiddleware, secret_keys=settings.accepted_secrets,
                       session_cookie="sagwa_session", max_age=int(SESSION_LIFETIME.total_seconds()),
                       same_site="lax", https_only=settings.environment == "production")
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for module in (auth, seller, seller_incidents, review, incidents, incident_notice,
                   incident_plan_form, refunds, contact_centre,
                   contact_instead, contact_replies, contact_details, customer_call_time,
                   customer_phone,
                   customer_instead, customer_choose, customer, notices):
        app.include_router(module.router)
