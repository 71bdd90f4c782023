"""Staff and seller accounts in PostgreSQL (``users``): who may log in to the pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sagwa.adapters.db.tables import users


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    role: str
    seller_id: int | None
    password_hash: str
    active: bool


def _user(row: Any) -> UserRecord:
    return UserRecord(int(row.id), row.username, row.role,
                      int(row.seller_id) if row.seller_id is not None else None,
                      row.password_hash, bool(row.active))


class UserRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, *, username: str, role: str, seller_id: int | None, password_hash: str,
            now: datetime) -> UserRecord:
        row = self.conn.execute(insert(users).values(
            username=username, role=role, seller_id=seller_id, password_hash=password_hash,
            created_at=now).returning(users)).one()
        return _user(row)

    def by_username(self, username: str) -> UserRecord | None:
        row = self.conn.execute(select(users).where(users.c.username == username)).one_or_none()
        return _user(row) if row else None

    def get(self, user_id: int) -> UserRecord | None:
        row = self.conn.execute(select(users).where(users.c.id == user_id)).one_or_none()
        return _user(row) if row else None

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self.conn.execute(update(users).where(users.c.id == user_id)
                          .values(password_hash=password_hash))
