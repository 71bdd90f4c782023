"""Run a coroutine (or any call) in a thread of its own, for tests.

A test process that ran browser tests first keeps Playwright's sync API open for the session,
and with it an event loop running in the main thread: ``asyncio.run`` there raises "cannot be
called from a running event loop" (and a command that calls it, such as ``sagwa worker``,
fails the same way when invoked in-process). Which tests share a process depends on how
pytest-xdist hands out the files, so a test that runs a loop does it in its own thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def in_own_thread(call: Callable[[], T]) -> T:
    """``call()`` in a new thread; its result, or its exception raised here."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller as is
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="test-own-loop")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coro)`` in a thread of its own."""
    return in_own_thread(lambda: asyncio.run(coro))
