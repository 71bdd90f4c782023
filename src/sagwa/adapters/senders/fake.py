"""An in-memory sender for tests: records every call and fails on demand."""

from __future__ import annotations

import threading
from collections import Counter

from sagwa.adapters.senders.base import Envelope
from sagwa.errors import DeliveryFailed


class FakeSender:
    """Records ``(envelope, key)`` per call; ``failures`` are raised, in order, before sending."""

    def __init__(self, failures: list[DeliveryFailed] | None = None) -> None:
        self.failures = list(failures or [])
        self.calls: list[tuple[Envelope, str]] = []
        self._lock = threading.Lock()

    def send(self, message: Envelope, *, idempotency_key: str) -> str:
        with self._lock:
            if self.failures:
                raise self.failures.pop(0)
            self.calls.append((message, idempotency_key))
            return f"fake-{len(self.calls)}"

    @property
    def keys(self) -> Counter[str]:
        return Counter(key for _, key in self.calls)
