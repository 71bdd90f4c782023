"""Accounts for the pages: staff (admin, reviewer, agent, finance) and sellers, with argon2
passwords.

``create_user`` makes an account (on the audit log, without the password); ``authenticate``
answers a login with the account or ``None`` — the same ``None`` for an unknown name and a wrong
password, so a login form cannot be used to find out which names exist.

API tokens: ``issue_api_token`` gives an account a bearer token for the JSON API (shown once;
only its SHA-256 is stored — a token is 256 random bits, so a fast hash is enough, and a lookup
costs one indexed query); ``account_for_token`` answers a request's token with the account, or
``None`` for an unknown, revoked or malformed token or an inactive account.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sagwa.adapters.db.users_repo import UserRecord
from sagwa.domain.audit import AuditEvent, actor_parts
from sagwa.domain.moments import SEOUL, day_end
from sagwa.errors import Conflict, InvalidInput, Unauthenticated
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

MIN_PASSWORD = 8
_HASHER = PasswordHasher()
# Verifying against a hash when the name is unknown keeps both answers equally slow.
_DUMMY_HASHES: dict[PasswordHasher, str] = {}


def _dummy_hash() -> str:
    """A hash of no one's password, made by the hasher in use on its first log-in (not at
    import: hashing takes some 0.15 s, and every command and worker imports this module)."""
    made = _DUMMY_HASHES.get(_HASHER)
    if made is None:
        made = _DUMMY_HASHES[_HASHER] = _HASHER.hash("sagwa-no-such-user")
    return made


class Role(StrEnum):
    ADMIN = "admin"        # operator: incidents, notices, and everything staff can do
    REVIEWER = "reviewer"  # the price-change review queue
    AGENT = "agent"        # the contact-centre call queue
    FINANCE = "finance"    # the refunds owed (read, mark paid) and the ledger (read)
    SELLER = "seller"      # one seller's own listings


#: Each role in Korean, as the pages name it (web/pages/labels.py's actor roles, the login
#: page): where a role is shown to a person, Korean first, then the role's value (the CLI's
#: ``운영자 · admin``).
ROLE_KO = {Role.ADMIN: "운영자", Role.REVIEWER: "검토자", Role.AGENT: "상담원",
           Role.FINANCE: "재무", Role.SELLER: "판매자"}


def with_admin(roles: tuple[Role, ...]) -> tuple[Role, ...]:
    """Every role that may do what ``roles`` may: ``roles``, then an admin, who may do
    everything (``Account.may``) — a refusal that said "needs: seller" hid that an admin
    would do too."""
    return roles if Role.ADMIN in roles else (*roles, Role.ADMIN)


@dataclass(frozen=True)
class Account:
    """Who is logged in (what the session cookie carries)."""

    id: int
    username: str
    role: Role
    seller_id: int | None = None

    @property
    def actor(self) -> str:
        """How this account is named on the audit log."""
        return f"{self.role.value}:{self.username}"

    def may(self, roles: Collection[Role], *, as_seller: bool = False) -> bool:
        """Whether this account may do what ``roles`` may (none: any account may). An admin
        may do what every other role does, except act *as* one seller (``as_seller``: a seller
        page shows and changes one seller's own listings), which needs that seller's account."""
        if not roles:
            return True
        if self.role is Role.ADMIN and not as_seller:
            return True
        return self.role in roles


#: What an audit-log name carries before the account's username: the channel (``api:`` from
#: the JSON API, web/deps.py ``api_actor``) or the account's role (``admin:`` from the pages,
#: ``Account.actor``).
_ACTOR_PREFIXES = frozenset({"api", *(role.value for role in Role)})


def account_name(actor: str) -> str:
    """The account behind an audit-log name: ``api:boss``, ``admin:boss`` and the CLI's
    ``admin:boss via cli (os user root)`` are all ``boss``. A name without one of those
    prefixes (the CLI's ``cli``, a replay's) is itself."""
    prefix, username = actor_parts(actor)
    if prefix in _ACTOR_PREFIXES:
        return username
    return f"{prefix}:{username}" if prefix else username


def _account(user: UserRecord) -> Account:
    return Account(user.id, user.username, Role(user.role), user.seller_id)


def _check(username: str, role: str, seller_id: int | None, password: str) -> Role:
    if not username or len(username) > 64 or not username.replace("-", "").replace(
            "_", "").replace(".", "").isalnum():
        raise InvalidInput("a username is 1-64 letters, digits, '.', '-' or '_'",
                           field="username", reason="username_malformed")
    try:
        parsed = Role(role)
    except ValueError:
        raise InvalidInput(f"role must be one of {', '.join(r.value for r in Role)}",
                           field="role", reason="role_unknown") from None
    if (parsed is Role.SELLER) != (seller_id is not None):
        raise InvalidInput("a seller account needs --seller-id, and only a seller account",
                           field="seller_id", reason="seller_id_role_mismatch")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters",
                           field="password", reason="password_too_short")
    return parsed


def create_user(uow: SqlAlchemyUnitOfWork, *, username: str, role: Role | str, password: str,
                actor: str, seller_id: int | None = None) -> Account:
    parsed = _check(username, str(role), seller_id, password)
    with uow:
        if uow.users.by_username(username):
            raise Conflict(f"there is already a user named {username!r}", reason="username_taken")
        if seller_id is not None:
            require(uow.catalog.seller(seller_id), "seller", seller_id)
        user = uow.users.add(username=username, role=parsed.value, seller_id=seller_id,
                             password_hash=_HASHER.hash(password), now=uow.now())
        uow.audit.append(AuditEvent(actor, "user.created", "user", str(user.id),
                                    after={"username": username, "role": parsed.value,
                                           "seller_id": seller_id}), uow.now())
        uow.commit()
        return _account(user)


def set_password(uow: SqlAlchemyUnitOfWork, *, username: str, password: str,
                 actor: str) -> int:
    """Give ``username`` a new password (argon2 hash only) and end its live sessions, so a
    browser signed in with the old one signs in again (a password changed because it leaked, or
    was the demo's); how many sessions ended. Audited without the password or its hash."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters",
                           field="password", reason="password_too_short")
    with uow:
        user = require(uow.users.lock(username), "user", username)
        uow.users.set_password_hash(user.id, _HASHER.hash(password))
        ended = uow.users.end_sessions_of(user.id, uow.now())
        uow.audit.append(AuditEvent(actor, "user.password_changed", "user", str(user.id),
                                    after={"username": username, "sessions_ended": ended}),
                         uow.now())
        uow.commit()
        return ended


@dataclass(frozen=True)
class ActiveChanged:
    """What ``set_active`` did: whether the account was changed (False: it already was so) and
    how many live sessions ended (deactivating only)."""

    username: str
    active: bool
    changed: bool
    sessions_ended: int = 0


def set_active(uow: SqlAlchemyUnitOfWork, *, username: str, active: bool,
               actor: str) -> ActiveChanged:
    """Deactivate ``username`` (someone who left, a demo account in production: no sign-in, no
    API token accepted, its live sessions ended; nothing it did is removed) or activate it again.
    The last active admin is not deactivated (``last_active_admin``): nobody could then create
    or repair accounts from the pages. Again to the same state changes nothing."""
    with uow:
        # the admins' rows first, in id order, then the account's: two admins deactivated at
        # once queue up instead of deadlocking (each locking its own row, then the other's)
        admins = uow.users.active_admins() if not active else []
        user = require(uow.users.lock(username), "user", username)
        if user.active == active:
            return ActiveChanged(username, active, changed=False)
        if not active and user.role == Role.ADMIN.value and admins == [user.id]:
            raise Conflict(f"{username!r} is the last active admin account: create or activate "
                           "another admin first", reason="last_active_admin", username=username)
        uow.users.set_active(user.id, active)
        ended = 0 if active else uow.users.end_sessions_of(user.id, uow.now())
        uow.audit.append(AuditEvent(actor, "user.activated" if active else "user.deactivated",
                                    "user", str(user.id), before={"active": not active},
                                    after={"active": active, "sessions_ended": ended}),
                         uow.now())
        uow.commit()
        return ActiveChanged(username, active, changed=True, sessions_ended=ended)


@dataclass(frozen=True)
class ListedAccount:
    username: str
    role: Role
    seller_id: int | None
    active: bool


def list_accounts(uow: SqlAlchemyUnitOfWork) -> list[ListedAccount]:
    """Every account by username, active or not (never a password hash)."""
    with uow:
        return [ListedAccount(u.username, Role(u.role), u.seller_id, u.active)
                for u in uow.users.listed()]


def authenticate(uow: SqlAlchemyUnitOfWork, *, username: str, password: str) -> Account | None:
    with uow:
        user = uow.users.by_username(username)
        try:
            _HASHER.verify(user.password_hash if user else _dummy_hash(), password)
        except (VerificationError, InvalidHashError):
            return None
        if user is None or not user.active:
            return None
        if _HASHER.check_needs_rehash(user.password_hash):
            # only over the hash just checked: a password changed meanwhile stays changed
            uow.users.set_password_hash(user.id, _HASHER.hash(password),
                                        replacing=user.password_hash)
            uow.commit()
        return _account(user)


def find_user(uow: SqlAlchemyUnitOfWork, *, username: str) -> Account | None:
    with uow:
        user = uow.users.by_username(username)
        return _account(user) if user and user.active else None


TOKEN_PREFIX = "sgw_"
_TOKEN_NAME_MAX = 64


def _token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def token_expires_at(expires_on: date | None, now: datetime) -> datetime | None:
    """When a token meant to work through the Korean day ``expires_on`` stops: that day's end
    in Korea time (None: no end). A day already over is refused (``token_expiry_past``)."""
    if expires_on is None:
        return None
    today = now.astimezone(SEOUL).date()
    if expires_on < today:
        raise InvalidInput(f"the token would have expired already: {expires_on.isoformat()} is "
                           f"before today ({today.isoformat()}, Korea time); give today or a "
                           "later day", field="expires_on", reason="token_expiry_past")
    return day_end(expires_on)


def issue_api_token(uow: SqlAlchemyUnitOfWork, *, username: str, name: str,
                    actor: str, expires_on: date | None = None) -> str:
    """A new bearer token for ``username``'s account, called ``name``, working through the
    Korean day ``expires_on`` (None: until revoked); the token is returned only here."""
    name = name.strip()
    if not name or len(name) > _TOKEN_NAME_MAX:
        raise InvalidInput(f"a token name is 1-{_TOKEN_NAME_MAX} characters", field="name",
                           reason="token_name_length")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    # one moment for the day's check and the token's creation: read apart, a token asked at
    # 23:59:59.999 could be created after the midnight it expires at (a review)
    now = uow.now()
    expires_at = None if expires_on is None else token_expires_at(expires_on, now)
    with uow:
        # no such account: not found, as the other account commands say (a tester's "nobody"
        # was exit 2 here, exit 1 there); a deactivated one takes no token
        user = require(uow.users.by_username(username), "user", username)
        if not user.active:
            raise InvalidInput(f"there is no active account named {username!r}",
                               field="username", reason="account_not_active")
        token_id = uow.users.add_token(user_id=user.id, name=name,
                                       token_sha256=_token_digest(token), now=now,
                                       expires_at=expires_at)
        if token_id is None:
            raise Conflict(
                f"{username!r} already has a live token called {name!r}; "
                "revoke it first or pick another name",
                reason="token_name_taken",
            )
        after: dict[str, object] = {"token_id": token_id, "name": name}
        if expires_at is not None:
            after["expires_at"] = expires_at.isoformat()
        uow.audit.append(AuditEvent(actor, "api_token.issued", "user", str(user.id),
                                    after=after), now)
        uow.commit()
    return token


def revoke_api_tokens(uow: SqlAlchemyUnitOfWork, *, username: str, name: str | None,
                      actor: str) -> int:
    """Revoke ``username``'s live token called ``name`` (all of them when None); how many."""
    with uow:
        user = require(uow.users.by_username(username), "user", username)
        revoked = uow.users.revoke_tokens(user_id=user.id, name=name, now=uow.now())
        if revoked:
            uow.audit.append(AuditEvent(actor, "api_token.revoked", "user", str(user.id),
                                        after={"name": name, "revoked": revoked}), uow.now())
        uow.commit()
        return revoked


#: A token's ``last_used_at`` is written when it is this old or older: a busy token costs one
#: write a minute, not one a request.
USE_RECORDED_EVERY = timedelta(minutes=1)


def account_for_token(uow: SqlAlchemyUnitOfWork, token: str) -> Account | None:
    """The account of a live token, or None (unknown, revoked, malformed, inactive account).
    An expired token is refused with :class:`Unauthenticated` ``token_expired``, saying when,
    so its holder knows to ask for a new one rather than suspect a typo."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    with uow:
        held = uow.users.by_token(_token_digest(token))
        if held is None or not held.user.active:
            return None
        now = uow.now()
        if held.expires_at is not None and held.expires_at <= now:
            raise Unauthenticated(
                f"this API token expired at {held.expires_at.astimezone(SEOUL):%Y-%m-%d %H:%M} "
                "(Korea time); ask an admin for a new one (sagwa users token)",
                reason="token_expired")
        if held.last_used_at is None or now - held.last_used_at >= USE_RECORDED_EVERY:
            uow.users.mark_token_used(held.token_id, now)
            uow.commit()
        return _account(held.user)


@dataclass(frozen=True)
class ListedToken:
    username: str
    role: Role
    name: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    state: str
    """``live``, ``expired``, ``revoked`` or ``account_inactive`` (live, but refused while its
    account is deactivated)."""


def list_api_tokens(uow: SqlAlchemyUnitOfWork, *, username: str | None = None,
                    include_ended: bool = False) -> list[ListedToken]:
    """The API tokens (never a token or its hash) by account name, newest first: the live ones,
    or with ``include_ended`` the revoked and expired ones too."""
    with uow:
        user_id = None
        if username is not None:
            user_id = require(uow.users.by_username(username), "user", username).id
        now = uow.now()
        listed = []
        for t in uow.users.tokens(user_id=user_id):
            state = ("revoked" if t.revoked_at is not None
                     else "expired" if t.expires_at is not None and t.expires_at <= now
                     else "live" if t.account_active else "account_inactive")
            if state in ("live", "account_inactive") or include_ended:
                listed.append(ListedToken(t.username, Role(t.role), t.name, t.created_at,
                                          t.expires_at, t.last_used_at, t.revoked_at, state))
        return listed


SESSIONS_KEPT = timedelta(days=30)  # ended sessions are kept this long, then forgotten


def start_session(uow: SqlAlchemyUnitOfWork, account: Account, *, lasts: timedelta) -> str:
    """A new page session for ``account``; returns its id (for the signed cookie only)."""
    sid = secrets.token_urlsafe(32)
    with uow:
        now = uow.now()
        uow.users.prune_sessions(ended_before=now - SESSIONS_KEPT)  # the table stays small
        uow.users.add_session(user_id=account.id, sid_sha256=_token_digest(sid), now=now,
                              expires_at=now + lasts)
        uow.commit()
    return sid


def session_account(uow: SqlAlchemyUnitOfWork, sid: str) -> Account | None:
    """The account of a live session id, or None (ended, expired, unknown, inactive account)."""
    if not sid or len(sid) > 100:
        return None
    with uow:
        user = uow.users.by_session(_token_digest(sid), uow.now())
        return _account(user) if user and user.active else None


def end_session(uow: SqlAlchemyUnitOfWork, sid: str) -> None:
    with uow:
        uow.users.end_session(_token_digest(sid), uow.now())
        uow.commit()
