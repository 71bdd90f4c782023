"""The monthly review of access records (개인정보의 안전성 확보조치 기준 제8조 ②: a handler's
access is checked at least once a month): per account, what it did, how many distinct
customers' data it saw, the exports it made with their reasons — and flags a reviewer looks at
first, each with the numbers that raised it:

* ``many_customers`` — the account saw the data of at least :attr:`ReviewRules.many_at_least`
  distinct customers, and at least :attr:`ReviewRules.many_factor` times the median of the
  other accounts of its role that saw any (an agent among agents; no flag for a role's only
  account);
* ``export_without_reason`` — an export was made without a reason (a ledger export takes one
  but does not need it);
* ``outside_hours`` — customers' data was seen or changed while the contact centre was closed
  (the desk policy's ``[contact_hours]``, holidays and closed days included).

Pure: the rows and the opening hours (``open_at``) are the caller's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median

from sagwa.domain.access_records import DATA_ACTIONS, AccessAction


@dataclass(frozen=True)
class ReviewRules:
    """When an account saw "many more" customers than its peers."""

    many_factor: float = 3.0
    many_at_least: int = 30


@dataclass(frozen=True)
class ReviewedRow:
    """What the review reads of one record."""

    account: str
    role: str | None
    action: str
    at: datetime
    customer_ids: tuple[int, ...] = ()
    what: str = ""
    reason: str | None = None


@dataclass(frozen=True)
class ExportMade:
    at: datetime
    what: str
    reason: str | None
    customers: int


@dataclass(frozen=True)
class Flag:
    """Why a reviewer should look: a stable ``code`` and the numbers, said in Korean and
    English."""

    code: str
    ko: str
    en: str


@dataclass
class AccountMonth:
    """One account's month."""

    account: str
    role: str | None
    actions: Counter[str] = field(default_factory=Counter)
    customers: set[int] = field(default_factory=set)
    exports: list[ExportMade] = field(default_factory=list)
    outside_hours: int = 0
    flags: list[Flag] = field(default_factory=list)

    @property
    def saw_data(self) -> bool:
        """Whether it saw or changed customers' data at all (not only signed in)."""
        return any(self.actions[a.value] for a in DATA_ACTIONS)

    def as_dict(self) -> dict[str, object]:
        """The JSON of ``sagwa access review`` (keys only ever appended)."""
        return {"account": self.account, "role": self.role,
                "actions": {a.value: self.actions.get(a.value, 0) for a in AccessAction},
                "customers": len(self.customers), "outside_hours": self.outside_hours,
                "exports": [{"at": e.at.isoformat(), "what": e.what, "reason": e.reason,
                             "customers": e.customers} for e in self.exports],
                "flags": [{"code": f.code, "ko": f.ko, "en": f.en} for f in self.flags]}


def tally(rows: Iterable[ReviewedRow], *,
          open_at: Callable[[datetime], bool]) -> list[AccountMonth]:
    """Each account's month, by account name."""
    months: dict[str, AccountMonth] = {}
    for row in rows:
        month = months.setdefault(row.account, AccountMonth(row.account, row.role))
        month.role = month.role or row.role
        month.actions[row.action] += 1
        if row.action not in DATA_ACTIONS:
            continue
        month.customers.update(row.customer_ids)
        if row.action == AccessAction.EXPORT:
            month.exports.append(ExportMade(row.at, row.what, row.reason, len(row.customer_ids)))
        if not open_at(row.at):
            month.outside_hours += 1
    return [months[name] for name in sorted(months)]


def flags_for(month: AccountMonth, peers: list[AccountMonth], rules: ReviewRules) -> list[Flag]:
    """``month``'s flags; ``peers``: the other accounts of its role that saw customers' data."""
    flags = []
    seen = len(month.customers)
    others = median([len(p.customers) for p in peers]) if peers else None
    if others is not None and seen >= rules.many_at_least and seen >= rules.many_factor * others:
        flags.append(Flag("many_customers",
                          f"고객 {seen:,}명의 정보를 봤습니다. 같은 역할의 다른 계정 {len(peers)}개의 중앙값"
                          f"({others:g}명)의 {rules.many_factor:g}배 이상입니다.",
                          f"saw {seen:,} distinct customers, at least {rules.many_factor:g}x "
                          f"the median ({others:g}) of the {len(peers)} other "
                          f"{month.role or 'no-role'} account(s)"))
    unexplained = sum(1 for e in month.exports if not e.reason)
    if unexplained:
        flags.append(Flag("export_without_reason", f"사유 없이 내려받은 것이 {unexplained}건 있습니다.",
                          f"{unexplained} export(s) without a reason"))
    if month.outside_hours:
        flags.append(Flag("outside_hours",
                          f"상담 시간이 아닐 때 고객 정보에 접근한 것이 {month.outside_hours}건 있습니다.",
                          f"{month.outside_hours} access(es) to customers' data outside the "
                          "contact centre's hours"))
    return flags


#: The review's rules unless told otherwise.
DEFAULT_RULES = ReviewRules()


def review(rows: Iterable[ReviewedRow], *, open_at: Callable[[datetime], bool],
           rules: ReviewRules = DEFAULT_RULES) -> list[AccountMonth]:
    """Each account's month (:func:`tally`) with its flags (:func:`flags_for`)."""
    months = tally(rows, open_at=open_at)
    for month in months:
        peers = [p for p in months if p.role == month.role and p is not month and p.saw_data]
        month.flags = flags_for(month, peers, rules)
    return months
