"""How long ``/login`` makes a name or an address wait after wrong passwords (no I/O).

A name tried from one address :attr:`ThrottleRules.per_account` times in the last
:attr:`ThrottleRules.window` (an address, whatever the names, :attr:`ThrottleRules.per_address`
times: an office may sign in from one address) is refused there, whatever the password, for a
wait that starts at a minute and doubles with each failure of the last day, up to an hour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


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


def longest_wait(failures: dict[bytes, list[datetime]], allowed: dict[bytes, int],
                 now: datetime, rules: ThrottleRules) -> timedelta | None:
    """The longest wait any of the subjects is under; None when all may try."""
    waits = [wait_after(found, now, allowed[s], rules) for s, found in failures.items() if found]
    return max((w for w in waits if w is not None), default=None)


def minutes(wait: timedelta) -> int:
    """A wait as whole minutes, rounded up (never "0 minutes")."""
    return max(1, math.ceil(wait.total_seconds() / 60))
