"""The FastAPI application: ``create_app(settings)`` builds everything it needs, nothing at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import SQLAlchemyError

from sagwa import __version__
from sagwa.adapters.db.access_records_repo import SqlAccessLog
from sagwa.adapters.db.database import Database, open_database
from sagwa.config import Settings
from sagwa.priceguard import load_rules
from sagwa.services.accounts import Role
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.login_throttle import LoginThrottle
from sagwa.services.unit_of_work import Clock, SqlAlchemyUnitOfWork, utc_now
from sagwa.web.api import (
    case_messages,
    cases,
    catalog,
    follow_ups,
    incidents,
    ledger,
    market,
    messages,
    metrics,
    price_blocks,
    refunds,
    review,
    seller_incidents,
)
from sagwa.web.api.error_docs import ERROR_RESPONSES
from sagwa.web.api_docs import install_api_docs
from sagwa.web.body_limit import DEFAULT_MAX_BODY_BYTES, BodyLimit
from sagwa.web.compiled_templates import COMPILED
from sagwa.web.deps import token_caller
from sagwa.web.errors import install_error_handlers
from sagwa.web.head_requests import HeadAsGet
from sagwa.web.pages import install_pages
from sagwa.web.query_params import strict_query
from sagwa.web.request_ids import RequestIds
from sagwa.web.security_headers import SecurityHeaders
from sagwa.web.stray_body import no_stray_body

TEMPLATES = Path(__file__).parent / "templates"

DESCRIPTION = """\
sagwa (사과) catches pricing errors before customers see them and, when one slips through,
makes it right. An amount of money is `{"amount_minor": int, "currency": "KRW"}` (KRW has no
minor unit), never a float. Beside it, a few figures are bare whole numbers that are not
money objects: a `*_minor` key (the guard's `facts`, e.g. `reference_price_minor`, in
`facts.currency`, the price's currency; `exposure_minor` beside `exposure` in a scope's
summary, kept for older tools) is minor units of the currency named next to it; and points
(`balance`, `points`, `cancel_compensation_points`, a plan's `cancel_compensation`) are whole
points, 1 point = 1 won, never a money object.
Errors are JSON: `{"code": "...", "message": "...", "details": {...}}`.
Catalogue reads (products, sellers, listings) and published notices are public; everything else
needs `Authorization: Bearer <token>` — a token from `sagwa users token --username NAME` — and the
account's role decides what it may do (admin: everything; reviewer: the review queue; agent:
customers, cases and contact attempts; finance: the refunds owed, the ledger, and reading
incidents (`GET /api/incidents`, `GET /api/incidents/{id}`); seller: its own listings and
prices). The audit log
records the token's account. Commands that create something require an `Idempotency-Key`
header: a retry with the same key and body returns the first result instead of creating
anything twice (a case's choice, `POST /api/cases/{id}/choice`, takes none: the same choice
again changes nothing and says `"recorded": false`).
A call takes only the query parameters it declares (listed in its operation), each once unless
it is a list: an unknown one (`?seller=2` for `seller_id`) or one given twice is refused with
422 `invalid_request`, reason `request_invalid`, `details.errors[].field` `query.<name>`
(`?lang=` too, except where a call declares it; the pages read it, and ignore what they do not
read). Every route that takes GET answers HEAD too (same status and headers, no body).
Every answer carries an `X-Request-ID` header: the request's own when it sent one that is 1 to
64 of `A-Za-z0-9._-`, else a new one; a 500 repeats it in `details.request_id` (quote it to
support). `/healthz` tells anyone its status, the outbox's counts, the worker, the schema and how many workers are alive (`?require=workers`: 503 degraded with none); an admin's token also which database it is.
"""


#: What the public home page counts: the catalogue, not customers or orders.
PUBLIC_COUNTS = (("sellers", "판매자 · sellers"), ("products", "상품 · products"),
                 ("listings", "상품 등록 · listings"))


def _admin_token(request: Request) -> bool:
    """Whether the request carries an admin's API token. Anything else — no token, another
    role's, an unknown one, or one that cannot be checked because the database is down — is
    answered as anyone: a health check answers with its status, never a 401."""
    try:
        account = token_caller(request)
    except (SQLAlchemyError, OSError):
        return False
    return account is not None and account.role is Role.ADMIN


def create_app(settings: Settings, *, database: Database | None = None,
               clock: Clock = utc_now) -> FastAPI:
    """Build the app. With no ``database`` given it opens (and migrates) one on startup."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = database is None
        db = database or open_database(settings)
        app.state.database = db
        app.state.uow_factory = lambda: SqlAlchemyUnitOfWork(db.session_factory, clock)
        # who saw which customers' data: one record per page or answer (web/access.py)
        app.state.access_log = SqlAccessLog(db.session_factory)
        try:
            yield
        finally:
            if owned:
                db.close()

    app = FastAPI(title="sagwa", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)  # served from installed files: install_api_docs
    app.state.settings = settings
    app.state.price_rules = load_rules(settings.guard_rules)
    app.state.desk_policy = load_desk_policy(settings.desk_policy)
    # counted in the database every web process shares (the factory exists from startup on)
    app.state.login_throttle = LoginThrottle(settings.secret_key,
                                             lambda: app.state.uow_factory())
    install_error_handlers(app)
    for router in (catalog.router, market.router, review.router, incidents.router,
                   cases.router, follow_ups.router, messages.router, ledger.router,
                   seller_incidents.router, price_blocks.router, case_messages.router,
                   refunds.router, metrics.router):
        # strict_query: a query parameter the route does not take is refused, not ignored;
        # no_stray_body: so is a body sent to a call that takes none
        app.include_router(router, responses=ERROR_RESPONSES,
                           dependencies=[Depends(strict_query), Depends(no_stray_body)])
    install_pages(app, settings)
    install_api_docs(app)
    # read where the body is: a 413 raised there is answered by the error handlers
    app.add_middleware(BodyLimit, max_bytes=getattr(settings, "max_body_bytes",
                                                    DEFAULT_MAX_BODY_BYTES))
    app.add_middleware(SecurityHeaders)  # a 500 adds them itself (errors.py)
    app.add_middleware(HeadAsGet)  # inside it, a HEAD is a GET
    # outermost of ours: its X-Request-ID reaches every answer above (413s, HEAD); a 500 is
    # answered outside it and adds the header itself (errors.py)
    app.add_middleware(RequestIds)
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.bytecode_cache = COMPILED

    @app.get("/healthz", tags=["meta"])
    def healthz(request: Request) -> JSONResponse:
        """200 when the database answers a short query; 503 with ``"database": "unreachable"``
        when it does not, and 503 ``degraded`` when this process's worker stopped for good
        (``"worker": "stopped"``) or the schema is behind this code's (``"schema": "behind"``):
        what a load balancer asks. ``?require=workers`` (a monitor's question) is 503
        ``degraded`` too when no worker runs here (``"worker": "separate"``) and none sent a
        heartbeat in the last 10 s (``"workers_alive": 0``: nothing sends messages or runs
        deadlines) — not by default, or a worker host rebooting would take every web host out
        of the load balancer: services/health.py. ``?require=queues`` is 503 ``degraded`` when
        some queue has no live worker (``"queues_without_worker": ["desk"]``: workers that
        take only other queues are alive). Anyone (a load balancer, a monitor) gets ``status``, ``database``
        (``reachable`` / ``unreachable``), the outbox's failed/overdue counts, ``worker``,
        ``schema`` and ``workers_alive``; an admin's API token (``Authorization: Bearer …``)
        also which database it is."""
        from sagwa.adapters.db.schema_state import schema_state_of
        from sagwa.adapters.db.worker_heartbeats import workers_seen_of
        from sagwa.jobs.queues import QUEUES
        from sagwa.jobs.worker import in_process_worker_state
        from sagwa.services.health import check_health, coarse_health

        db = request.app.state.database
        # ?require=workers&require=queues (or require=workers,queues) asks both
        asked = {word.strip() for value in request.query_params.getlist("require")
                 for word in value.split(",")}
        body, ok = check_health(request.app.state.uow_factory, db.description,
                                worker=in_process_worker_state(),
                                schema_state=lambda: schema_state_of(db.session_factory),
                                workers=lambda within: workers_seen_of(
                                    db.session_factory, within, tuple(QUEUES)),
                                # read, not declared: a health check answers every query
                                # with its status, never a 422
                                require_workers="workers" in asked,
                                require_queues="queues" in asked)
        shown = body if _admin_token(request) else coarse_health(body)
        # never from a cache: the state now, and an admin's body is not anyone's
        return JSONResponse(shown, status_code=200 if ok else 503,
                            headers={"Cache-Control": "no-store"})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        with request.app.state.uow_factory() as uow:
            counts = {**uow.catalog.counts(), **uow.market.counts()}
        public = [(label, counts[name]) for name, label in PUBLIC_COUNTS]  # no customers/orders
        return templates.TemplateResponse(request, "home.html",
                                          {"counts": public, "version": __version__})

    return app
