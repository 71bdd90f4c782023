"""``answers_healthz``: whether a sagwa server answers at an address. A server with no worker
alive answers ``/healthz`` 503 "degraded" (services.health): it serves, and the links customers
get to it open, so it counts; a 503 that is not sagwa's body does not."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sagwa.cli.public_links import answers_healthz


def _serving(status: int, body: bytes) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(("status", "body", "answers"), [
    (200, {"status": "ok", "workers_alive": 1}, True),
    (503, {"status": "degraded", "worker": "separate", "workers_alive": 0}, True),
    (503, {"status": "unavailable", "database": "unreachable"}, False),
    (503, "Service Unavailable", False),
    (404, {"detail": "Not Found"}, False),
])
def test_a_server_answering_degraded_still_answers(status: int, body: object,
                                                   answers: bool) -> None:
    raw = json.dumps(body).encode() if isinstance(body, dict) else str(body).encode()
    for base in _serving(status, raw):
        assert answers_healthz(base) is answers
