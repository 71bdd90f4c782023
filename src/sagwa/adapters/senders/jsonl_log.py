"""A provider that appends one JSON line per message to a file, at most once per idempotency key.

The file is created readable by its owner only (0600), like ``secret_key``: it holds customers'
phone numbers, addresses and case links. Several worker processes may share the file: appends happen under an exclusive ``flock``, and
each sender re-reads only the lines others appended since its last look, so the check stays
cheap however long the file grows.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from sagwa.adapters.senders.base import Envelope
from sagwa.errors import DeliveryFailed


class JsonLinesSender:
    """Base of :class:`~.sms_log.SmsLogSender` and :class:`~.mail_log.MailLogSender`."""

    channel = "email"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._seen: dict[str, str] = {}
        self._offset = 0
        self._lock = threading.Lock()

    def send(self, message: Envelope, *, idempotency_key: str) -> str:
        if message.channel != self.channel:
            raise DeliveryFailed(f"{type(self).__name__} sends {self.channel}, not "
                                 f"{message.channel}", temporary=False)
        try:
            return self._append_once(message, idempotency_key)
        except OSError as exc:
            raise DeliveryFailed(f"cannot write {self.path}: {exc}", temporary=True) from exc

    def _append_once(self, message: Envelope, key: str) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, _open_private(self.path) as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                self._catch_up(fh)
                if key in self._seen:
                    return self._seen[key]
                provider_id = provider_id_for(key)
                line = {"id": provider_id, "idempotency_key": key,
                        "at": datetime.now(UTC).isoformat(), **asdict(message)}
                data = (json.dumps(line, ensure_ascii=False) + "\n").encode()
                fh.seek(0, 2)
                fh.write(data)
                fh.flush()
                self._offset = fh.tell()
                self._seen[key] = provider_id
                return provider_id
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _catch_up(self, fh: IO[bytes]) -> None:
        """Learn the keys of lines appended (by anyone) since this sender last looked."""
        fh.seek(self._offset)
        for raw in fh:
            if not raw.endswith(b"\n"):
                break  # a torn last line (writer killed mid-write): ignore it
            self._offset += len(raw)
            try:
                entry = json.loads(raw)
                self._seen[entry["idempotency_key"]] = entry["id"]
            except (ValueError, KeyError, TypeError):
                continue


def _open_private(path: Path) -> IO[bytes]:
    """``path`` for appending and reading, readable by its owner only (0600): the log holds
    customers' phone numbers, addresses and case links. A file left readable by an older
    version is made private too."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        if os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, 0o600)
        return os.fdopen(fd, "a+b")
    except BaseException:
        os.close(fd)
        raise


def provider_id_for(idempotency_key: str) -> str:
    """A stable id derived from the key, so a retry reports the id of the first delivery."""
    return hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
