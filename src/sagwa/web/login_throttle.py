"""Slowing down password guessing on ``/login``, per account name and per client address.

Each wrong password is remembered, for a day, by this process (see "Several hosts" below). A
name tried from one address :attr:`ThrottleRules.per_account` times in the last
:attr:`ThrottleRules.window` (an address, whatever the names, :attr:`ThrottleRules.per_address`
times: an office may sign in from one address) is refused there, whatever the password, for a
wait that starts at a minute and doubles with each failure of the last day, up to an hour. A
name is counted with the address it is tried from, so a stranger guessing elsewhere cannot lock
its owner out. The name is counted as typed (trimmed, case-folded), whether or not an account
has it, so the refusal says nothing about which names exist; it is stored as an HMAC with the
app's secret, never as typed (a password typed into the name field stays unreadable).

An attempt counts as a failure from the moment it is let through (:meth:`LoginThrottle.attempt`,
one locked step), and signing in takes it back and clears the name's failures there: forty
guesses sent at once are judged one after the other, not all let through before the first
fails.

Several hosts: each web process counts only the attempts it answered, so behind a load balancer
over N processes a guesser gets up to N times the attempts before every one refuses (still a
handful per quarter hour, growing waits). Counting in PostgreSQL instead needs a
``login_failures`` table in ``adapters/db/tables.py`` and its migration; :class:`LoginThrottle`
is the one place that would read and write it.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

#: Subjects kept at most: beyond it the longest-quiet are forgotten (names sprayed by the
#: thousand must not fill the memory).
MAX_SUBJECTS = 100_000


@dataclass(frozen=True)
class ThrottleRules:
    per_account: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)
    first_wait: timedelta = timedelta(minutes=1)
    longest_wait: timedelta = timedelta(hours=1)
    memory: timedelta = timedelta(days=1)


def wait_after(failures: Sequence[datetime], now: datetime, allowed: int,
               rules: ThrottleRules) -> timedelta | None:
    """How long a subject with these failures must still wait; None when it may try now."""
    if sum(1 for f in failures if now - f <= rules.window) < allowed:
        return None
    today = sum(1 for f in failures if now - f <= rules.memory)
    doubled = rules.first_wait * 2 ** min(today - allowed, 12)
    left = max(failures) + min(doubled, rules.longest_wait) - now
    return left if left > timedelta(0) else None


def minutes(wait: timedelta) -> int:
    """A wait as whole minutes, rounded up (never "0 minutes")."""
    return max(1, math.ceil(wait.total_seconds() / 60))


class LoginThrottle:
    """The failures of names and addresses, kept in this process's memory."""

    def __init__(self, secret: str, clock: Callable[[], datetime],
                 rules: ThrottleRules | None = None) -> None:
        self._secret, self._clock = secret.encode(), clock
        self.rules = rules or ThrottleRules()
        self._failures: dict[str, list[datetime]] = {}
        self._lock = threading.Lock()  # page routes run in a thread pool

    def _subject(self, kind: str, value: str) -> str:
        return hmac.new(self._secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()

    def _account(self, username: str, address: str) -> str:
        return self._subject("account", f"{address}\n{username.strip().casefold()}")

    def _subjects(self, username: str, address: str) -> dict[str, int]:
        return {self._account(username, address): self.rules.per_account,
                self._subject("address", address): self.rules.per_address}

    def _wait(self, subjects: dict[str, int], now: datetime) -> timedelta | None:
        waits = [wait_after(self._failures[s], now, allowed, self.rules)
                 for s, allowed in subjects.items() if self._failures.get(s)]
        return max((w for w in waits if w is not None), default=None)

    def wait(self, username: str, address: str) -> timedelta | None:
        """The longest wait the name (from this address) or the address is under; None when
        both may try."""
        with self._lock:
            return self._wait(self._subjects(username, address), self._clock())

    def attempt(self, username: str, address: str) -> tuple[timedelta | None, datetime | None]:
        """In one step: ``(wait, None)`` when the name or the address must wait, else
        ``(None, at)`` with the attempt counted as a failure at ``at`` until
        :meth:`succeeded` takes it back."""
        now = self._clock()
        with self._lock:
            subjects = self._subjects(username, address)
            if (wait := self._wait(subjects, now)) is not None:
                return wait, None
            for subject in subjects:
                kept = [f for f in self._failures.get(subject, ()) if now - f <= self.rules.memory]
                self._failures[subject] = [*kept, now]
            if len(self._failures) > MAX_SUBJECTS:
                self._forget_quietest()
            return None, now

    def succeeded(self, username: str, address: str = "", at: datetime | None = None) -> None:
        """Signed in: the name's failures from this address are cleared, and the attempt
        counted at ``at`` (:meth:`attempt`) is taken back from the address's."""
        with self._lock:
            self._failures.pop(self._account(username, address), None)
            kept = self._failures.get(self._subject("address", address))
            if at is not None and kept and at in kept:
                kept.remove(at)

    def _forget_quietest(self) -> None:
        by_latest = sorted(self._failures, key=lambda s: self._failures[s][-1])
        for subject in by_latest[:len(by_latest) // 2]:
            del self._failures[subject]
