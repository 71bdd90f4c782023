"""Read-only views that join what the other repositories keep apart (filled in next)."""

from __future__ import annotations

from sqlalchemy import Connection


class ReadRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
