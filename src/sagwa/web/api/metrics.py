"""``GET /api/metrics``: the job queues, workers, outbox, incidents and review queue as metrics
in Prometheus's text format (``services/metrics.py``, ``web/metrics_text.py``), for an admin's
API token (``Authorization: Bearer …``: a scraper's ``authorization`` setting) — queue sizes
and the people waiting are not for anyone. Read at each request, never cached."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from sagwa.jobs.queues import QUEUES
from sagwa.jobs.worker import in_process_worker_state
from sagwa.services.metrics import collect_metrics
from sagwa.web.deps import ADMIN
from sagwa.web.metrics_text import CONTENT_TYPE, exposition

router = APIRouter(prefix="/api", tags=["meta"])


@router.get("/metrics", dependencies=[ADMIN],
            responses={200: {"content": {CONTENT_TYPE: {}},
                             "description": "The metrics, in Prometheus's text format 0.0.4."}})
def metrics(request: Request) -> PlainTextResponse:
    """Jobs per queue and status and how long the oldest due job has waited; live workers per
    queue; messages per status and channel, failed for good and overdue; incidents per status
    and their open cases; price changes held for review and the oldest's wait; this host's
    version and in-process worker; whether the database answered (``sagwa_database_up``)."""
    families = collect_metrics(request.app.state.uow_factory,
                               worker_state=in_process_worker_state(), queues=tuple(QUEUES))
    return PlainTextResponse(exposition(families), media_type=CONTENT_TYPE,
                             headers={"Cache-Control": "no-store"})
