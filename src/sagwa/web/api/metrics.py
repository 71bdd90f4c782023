"""``GET /api/metrics``: the job queues, workers, outbox, incidents and review queue as metrics
in Prometheus's text format (``services/metrics.py``, ``web/metrics_text.py``). Who may read
them: the scraper's own token (``SAGWA_METRICS_TOKEN``, ``Authorization: Bearer …``), which
reads this and nothing else and is checked without the database — so with the database down a
scrape still answers ``sagwa_database_up 0`` — or an admin's API token. Queue sizes and the
people waiting are not for anyone. Read at each request, never cached."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from sagwa.errors import Forbidden, Unauthenticated
from sagwa.jobs.queues import QUEUES
from sagwa.jobs.worker import in_process_worker_state
from sagwa.services.accounts import Role, account_for_token
from sagwa.services.metrics import collect_metrics
from sagwa.web.deps import bearer_token
from sagwa.web.metrics_text import CONTENT_TYPE, exposition

router = APIRouter(prefix="/api", tags=["meta"])


def _may_read(request: Request) -> None:
    """The metrics token, else an admin's API token; 401 without a token or with an unknown
    one, 403 for another role's."""
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise Unauthenticated("the metrics need a token: 'Authorization: Bearer <token>' (the "
                              "SAGWA_METRICS_TOKEN, or an admin's API token)",
                              reason="token_required")
    expected = request.app.state.settings.metrics_token
    if expected is not None and hmac.compare_digest(token.encode(), expected.encode()):
        return
    # an admin's API token, checked in the database (down: 503; expired: 401 saying so)
    account = account_for_token(request.app.state.uow_factory(), token)
    if account is None:
        raise Unauthenticated("this token is neither SAGWA_METRICS_TOKEN nor a known API token",
                              reason="token_unknown")
    if account.role is not Role.ADMIN:
        raise Forbidden(f"a {account.role.value} account cannot read the metrics (needs: admin, "
                        "or the SAGWA_METRICS_TOKEN)", reason="role_not_allowed")


# response_class Response (no media type of its own): the 200 lists the text format only, and
# the errors stay application/json
@router.get("/metrics", response_class=Response, responses={200: {
    "content": {CONTENT_TYPE: {}},
    "description": "The metrics, in Prometheus's text format 0.0.4."}})
def metrics(request: Request) -> PlainTextResponse:
    """Jobs per queue and status and how long the oldest due job has waited; live workers per
    queue; messages per status and channel, failed for good and overdue; incidents per status
    and their open cases; price changes held for review and the oldest's wait; this host's
    version and in-process worker; whether the database answered (``sagwa_database_up``).
    Needs ``SAGWA_METRICS_TOKEN`` or an admin's API token."""
    _may_read(request)
    families = collect_metrics(request.app.state.uow_factory,
                               worker_state=in_process_worker_state(), queues=tuple(QUEUES))
    return PlainTextResponse(exposition(families), media_type=CONTENT_TYPE,
                             headers={"Cache-Control": "no-store"})
