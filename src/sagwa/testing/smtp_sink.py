"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, for tests and benchmarks.

It accepts every email, counts each ``X-Sagwa-Idempotency-Key`` it sees (cheap: one header
scan, no parsing, so a benchmark's sink costs little CPU) and keeps the raw bytes, parsed only
when a test asks for ``messages()``. ``refuse[key]`` lists SMTP codes to answer, one per
attempt, before accepting that key: 4xx is a temporary failure, 5xx a permanent one.
"""

from __future__ import annotations

import email
import email.policy
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any, cast

from sagwa.adapters.senders.smtp import IDEMPOTENCY_HEADER
from sagwa.testing.ports import free_port

_KEY_PREFIX = IDEMPOTENCY_HEADER.lower().encode() + b":"


class SmtpSink:
    def __init__(self) -> None:
        self.refuse: dict[str, list[int]] = {}
        self._raw: list[bytes] = []
        self._keys: Counter[str] = Counter()
        self._order: list[str] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = bytes(envelope.original_content or envelope.content)
        key = _idempotency_key(raw)
        with self._lock:
            codes = self.refuse.get(key, [])
            if codes:
                code = codes.pop(0)
                return f"{code} {'try again later' if code < 500 else 'no such mailbox'}"
            self._raw.append(raw)
            self._keys[key] += 1
            self._order.append(key)
        return "250 OK"

    @property
    def count(self) -> int:
        """Emails accepted so far (repeats included)."""
        with self._lock:
            return len(self._raw)

    def key_counts(self) -> Counter[str]:
        """How often each idempotency key arrived."""
        with self._lock:
            return Counter(self._keys)

    def keys(self) -> list[str]:
        """The idempotency keys in arrival order, repeats included."""
        with self._lock:
            return list(self._order)

    def messages(self) -> list[EmailMessage]:
        with self._lock:
            raw = list(self._raw)
        return [cast(EmailMessage, email.message_from_bytes(r, policy=email.policy.default))
                for r in raw]


@contextmanager
def running_smtp_sink() -> Iterator[tuple[SmtpSink, int]]:
    """Start a sink on a free port; yields ``(sink, port)`` and stops the server after."""
    from aiosmtpd.controller import Controller  # a test extra, imported only when used

    sink, port = SmtpSink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


def _idempotency_key(raw: bytes) -> str:
    head = raw.split(b"\r\n\r\n", 1)[0].replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    for line in head.split(b"\n"):
        if line.lower().startswith(_KEY_PREFIX):
            return line.split(b":", 1)[1].strip().decode("ascii", "replace")
    return ""
