"""Staff and seller accounts in PostgreSQL (``users``, ``api_tokens``, ``web_sessions``): who
may log in to the pages, who is logged in, and who may call the JSON API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from sagwa.adapters.db.tables import api_tokens, users, web_sessions


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    role: str
    seller_id: int | None
    password_hash: str
    active: bool


@dataclass(frozen=True)
class TokenHolder:
    """A live (unrevoked) token's account, with what decides whether the token still works."""
    user: UserRecord
    token_id: int
    expires_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True)
class TokenRecord:
    """One API token as ``sagwa users tokens`` lists it (never the token or its hash)."""
    username: str
    role: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    #: The account may sign in and its tokens are accepted (``users deactivate``: not).
    account_active: bool = True


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

    def set_password_hash(self, user_id: int, password_hash: str, *,
                          replacing: str | None = None) -> None:
        """The account's new hash; with ``replacing``, only while that is still its hash."""
        q = update(users).where(users.c.id == user_id)
        if replacing is not None:
            q = q.where(users.c.password_hash == replacing)
        self.conn.execute(q.values(password_hash=password_hash))

    def lock(self, username: str) -> UserRecord | None:
        """The account, its row locked to the end of the transaction."""
        row = self.conn.execute(select(users).where(users.c.username == username)
                                .with_for_update()).one_or_none()
        return _user(row) if row else None

    def set_active(self, user_id: int, active: bool) -> None:
        self.conn.execute(update(users).where(users.c.id == user_id).values(active=active))

    def active_admins(self) -> list[int]:
        """The ids of the active admin accounts, locked (the last one is not deactivated)."""
        return [int(i) for i in self.conn.execute(
            select(users.c.id).where(users.c.role == "admin", users.c.active.is_(True))
            .order_by(users.c.id).with_for_update()).scalars()]

    def end_sessions_of(self, user_id: int, now: datetime) -> int:
        """End every live session of the account; how many."""
        return int(self.conn.execute(
            update(web_sessions).where(web_sessions.c.user_id == user_id,
                                       web_sessions.c.ended_at.is_(None),
                                       web_sessions.c.expires_at > now)
            .values(ended_at=now)).rowcount)

    def listed(self) -> list[UserRecord]:
        """Every account, by username."""
        return [_user(r) for r in self.conn.execute(select(users).order_by(users.c.username))]

    def add_token(self, *, user_id: int, name: str, token_sha256: bytes, now: datetime,
                  expires_at: datetime | None = None) -> int | None:
        """A new live token; None when the account already has a live token of that name.
        An expired one of that name is revoked first: it holds the name no more (a review:
        the name stayed "taken" by a token the list of live ones did not show)."""
        self.conn.execute(update(api_tokens).where(
            api_tokens.c.user_id == user_id, api_tokens.c.name == name,
            api_tokens.c.revoked_at.is_(None), api_tokens.c.expires_at <= now)
            .values(revoked_at=now))
        try:
            with self.conn.begin_nested():
                return int(self.conn.execute(insert(api_tokens).values(
                    user_id=user_id, name=name, token_sha256=token_sha256, created_at=now,
                    expires_at=expires_at).returning(api_tokens.c.id)).scalar_one())
        except IntegrityError:
            return None

    def by_token(self, token_sha256: bytes) -> TokenHolder | None:
        """The account a live (unrevoked) token belongs to, whether or not the account is
        active or the token expired: the caller tells those apart."""
        row = self.conn.execute(
            select(users, api_tokens.c.id.label("token_id"), api_tokens.c.expires_at,
                   api_tokens.c.last_used_at)
            .join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(api_tokens.c.token_sha256 == token_sha256,
                   api_tokens.c.revoked_at.is_(None))).one_or_none()
        if row is None:
            return None
        return TokenHolder(_user(row), int(row.token_id), row.expires_at, row.last_used_at)

    def mark_token_used(self, token_id: int, now: datetime) -> None:
        self.conn.execute(update(api_tokens).where(api_tokens.c.id == token_id)
                          .values(last_used_at=now))

    def tokens(self, *, user_id: int | None = None) -> list[TokenRecord]:
        """Every token (revoked ones too), by account name, then newest first."""
        q = (select(users.c.username, users.c.role, api_tokens.c.name, api_tokens.c.created_at,
                    api_tokens.c.expires_at, api_tokens.c.last_used_at, api_tokens.c.revoked_at,
                    users.c.active)
             .join(users, users.c.id == api_tokens.c.user_id)
             .order_by(users.c.username, api_tokens.c.created_at.desc(), api_tokens.c.id.desc()))
        if user_id is not None:
            q = q.where(api_tokens.c.user_id == user_id)
        return [TokenRecord(r.username, r.role, r.name, r.created_at, r.expires_at,
                            r.last_used_at, r.revoked_at, bool(r.active))
                for r in self.conn.execute(q)]

    def revoke_tokens(self, *, user_id: int, name: str | None, now: datetime) -> int:
        """Revoke the account's live token called ``name`` (every live one when None)."""
        q = update(api_tokens).where(api_tokens.c.user_id == user_id,
                                     api_tokens.c.revoked_at.is_(None))
        if name is not None:
            q = q.where(api_tokens.c.name == name)
        return int(self.conn.execute(q.values(revoked_at=now)).rowcount)

    def add_session(self, *, user_id: int, sid_sha256: bytes, now: datetime,
                    expires_at: datetime) -> None:
        self.conn.execute(insert(web_sessions).values(
            user_id=user_id, sid_sha256=sid_sha256, created_at=now, expires_at=expires_at))

    def by_session(self, sid_sha256: bytes, now: datetime) -> UserRecord | None:
        """The account of a live session (not ended, not expired)."""
        row = self.conn.execute(
            select(users).join(web_sessions, web_sessions.c.user_id == users.c.id)
            .where(web_sessions.c.sid_sha256 == sid_sha256, web_sessions.c.ended_at.is_(None),
                   web_sessions.c.expires_at > now)).one_or_none()
        return _user(row) if row else None

    def end_session(self, sid_sha256: bytes, now: datetime) -> None:
        self.conn.execute(update(web_sessions)
                          .where(web_sessions.c.sid_sha256 == sid_sha256,
                                 web_sessions.c.ended_at.is_(None))
                          .values(ended_at=now))

    def prune_sessions(self, *, ended_before: datetime) -> int:
        """Forget sessions that expired or ended before ``ended_before``."""
        return int(self.conn.execute(delete(web_sessions).where(
            (web_sessions.c.expires_at < ended_before)
            | (web_sessions.c.ended_at < ended_before))).rowcount)
