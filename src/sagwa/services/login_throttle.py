"""Slowing down password guessing on ``/login``, per account name and per client address.

Each wrong password is a row in ``login_failures`` for a day, so every web process (on any
host) and every restart sees the same count. The waits are :mod:`sagwa.domain.login_waits`'s. A
name is counted with the address it is tried from, so a stranger guessing elsewhere cannot lock
its owner out. The name is counted as typed (trimmed, case-folded), whether or not an account
has it, so the refusal says nothing about which names exist; it is stored as an HMAC with the
app's secret, never as typed (a password typed into the name field stays unreadable).

An attempt counts as a failure from the moment it is let through (:meth:`LoginThrottle.attempt`,
one transaction holding an advisory lock per subject), and signing in takes it back and clears
the name's failures there: forty guesses sent at once, to one process or to several, are judged
one after the other, not all let through before the first fails.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NewType

from sagwa.domain.login_waits import ThrottleRules, longest_wait
from sagwa.errors import SagwaError
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The chance an attempt also clears every subject's failures older than a day.
PURGE_CHANCE = 0.01

#: What :meth:`LoginThrottle.attempt` counted, for :meth:`LoginThrottle.succeeded` to take back.
Counted = NewType("Counted", tuple[int, ...])


class LoginThrottle:
    """The failures of names and addresses, in the database every web process shares."""

    def __init__(self, secret: str, uow_factory: Callable[[], SqlAlchemyUnitOfWork],
                 rules: ThrottleRules | None = None) -> None:
        self._secret, self._uow = secret.encode(), uow_factory
        self.rules = rules or ThrottleRules()

    def _subject(self, kind: str, value: str) -> bytes:
        return hmac.new(self._secret, f"{kind}:{value}".encode(), hashlib.sha256).digest()

    def _account(self, username: str, address: str) -> bytes:
        return self._subject("account", f"{address}\n{username.strip().casefold()}")

    def _subjects(self, username: str, address: str) -> dict[bytes, int]:
        return {self._account(username, address): self.rules.per_account,
                self._subject("address", address): self.rules.per_address}

    def wait(self, username: str, address: str) -> timedelta | None:
        """The longest wait the name (from this address) or the address is under; None when
        both may try."""
        subjects = self._subjects(username, address)
        with self._uow() as uow:
            now = uow.now()
            found = uow.login_failures.since(subjects, now - self.rules.memory)
        return longest_wait(found, subjects, now, self.rules)

    def attempt(self, username: str, address: str) -> tuple[timedelta | None, Counted | None]:
        """In one step: ``(wait, None)`` when the name or the address must wait, else
        ``(None, counted)`` with the attempt counted as a failure until :meth:`succeeded`
        takes it back."""
        subjects = self._subjects(username, address)
        with self._uow() as uow:
            now = uow.now()
            uow.login_failures.lock(subjects)
            found = uow.login_failures.since(subjects, now - self.rules.memory)
            if (wait := longest_wait(found, subjects, now, self.rules)) is not None:
                return wait, None
            ids = uow.login_failures.add(subjects, now)
            # its own subjects' old rows only: a purge of every subject under these locks made
            # concurrent sign-ins wait on each other's deletes
            uow.login_failures.forget_before(now - self.rules.memory, subjects)
            uow.commit()
        if random.random() < PURGE_CHANCE:  # names tried once and never again
            self._forget_everyones_old_failures(now)
        return None, Counted(tuple(ids))

    def _forget_everyones_old_failures(self, now: datetime) -> None:
        """Every subject's failures older than a day, in a transaction of its own; a clash
        with another purge only leaves the rows to the next one."""
        try:
            with self._uow() as uow:
                uow.login_failures.forget_before(now - self.rules.memory)
                uow.commit()
        except SagwaError:
            pass

    def succeeded(self, username: str, address: str = "",
                  counted: Counted | None = None) -> None:
        """Signed in: the name's failures from this address are cleared, and the attempt
        :meth:`attempt` counted is taken back from the address's."""
        account = self._account(username, address)
        with self._uow() as uow:
            uow.login_failures.lock([account])
            uow.login_failures.clear(account)
            if counted:
                uow.login_failures.remove(counted)
            uow.commit()

