"""The outbox of messages to customers in PostgreSQL (filled in next)."""

from __future__ import annotations

from sqlalchemy import Connection


class OutboxRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
