"""The body cap (``web/body_limit.py``) refuses before reading a body declared too large, and
stops reading a chunked one as soon as it passes the cap."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from starlette.exceptions import HTTPException

from sagwa.web.body_limit import BodyLimit

CHUNK = b"x" * 65_536


class Sender:
    """A client sending ``chunks`` pieces of 64 KiB; counts how many the app pulled."""

    def __init__(self, chunks: int) -> None:
        self.chunks, self.pulled = chunks, 0

    async def receive(self) -> dict[str, Any]:
        self.pulled += 1
        return {"type": "http.request", "body": CHUNK, "more_body": self.pulled < self.chunks}


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run ``coroutine`` to its end in a thread of its own: earlier tests in the same process
    (Playwright's sync API) may leave an event loop running in this one (CI, 2026-12-05)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


async def read_all(scope: Any, receive: Any, send: Any) -> None:
    while (await receive()).get("more_body"):
        pass


async def no_send(message: Any) -> None:
    raise AssertionError("the app answers nothing itself here")


def scope(headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {"type": "http", "method": "POST", "path": "/api/orders", "headers": headers}


def test_a_body_declared_too_large_is_refused_before_any_of_it_is_read() -> None:
    sender = Sender(1600)  # 100 MiB
    with pytest.raises(HTTPException) as refused:
        _run(BodyLimit(read_all, max_bytes=1_048_576)(
            scope([(b"content-length", b"104857600")]), sender.receive, no_send))
    assert refused.value.status_code == 413 and sender.pulled == 0


def test_a_chunked_body_is_refused_once_it_passes_the_cap() -> None:
    sender = Sender(1600)
    with pytest.raises(HTTPException) as refused:
        _run(BodyLimit(read_all, max_bytes=1_048_576)(scope([]), sender.receive, no_send))
    assert refused.value.status_code == 413 and sender.pulled == 17  # 16 chunks are 1 MiB


def test_a_body_within_the_cap_is_read_whole() -> None:
    sender = Sender(16)
    _run(BodyLimit(read_all, max_bytes=1_048_576)(
        scope([(b"content-length", b"1048576")]), sender.receive, no_send))
    assert sender.pulled == 16
