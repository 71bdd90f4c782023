"""A SIGTERM during ``sagwa serve``'s start (the embedded database starting, the routes being
built) stops it before it listens, even when the SystemExit its handler raises is swallowed:
raised inside a finaliser or a weakref callback — the garbage collector's, which the start runs
often — Python prints "Exception ignored" and goes on, and the server went on to serve (seen by
hand: the SIGTERM sent while it started, "Uvicorn running" after it)."""

from __future__ import annotations

import gc
import signal
from typing import Any

import pytest

from sagwa.cli import main


class _Finalised:
    def __del__(self) -> None:
        main._exit_normally(signal.SIGTERM, None)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_sigterm_lost_in_a_finaliser_still_keeps_serve_from_listening(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    listened: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: listened.append(a))
    monkeypatch.setattr(main, "_stop_asked", False)
    main._listen("app", "127.0.0.1", 8000, {})
    assert listened == [("app",)]

    listened.clear()
    _Finalised()  # the handler's SystemExit, raised in __del__: printed and ignored
    gc.collect()
    main._listen("app", "127.0.0.1", 8000, {})
    assert listened == []
