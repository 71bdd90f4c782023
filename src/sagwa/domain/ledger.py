"""The points ledger: balanced double entries that are never edited, only reversed.

Every journal entry has postings that sum to zero in one currency. A positive amount raises the
balance of that account as its owner sees it: crediting a customer 3,000 points posts +3,000 to
the customer's points and -3,000 spread over who pays for them (platform expense and/or the
seller's charge-back). Points are counted 1 point = 1 KRW.

A customer can never hold fewer than zero points: a spend is refused when the balance is short
(:func:`debit_points`), and so is a reversal that would take back points already spent
(:func:`check_reversal_balances`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from sagwa.domain.money import Money, allocate_by_weight
from sagwa.errors import InsufficientPoints, InvalidInput

POINTS_CURRENCY = "KRW"


class AccountKind(StrEnum):
    CUSTOMER_POINTS = "customer_points"
    PLATFORM_EXPENSE = "platform_expense"
    SELLER_CHARGEBACK = "seller_chargeback"
    POINTS_REDEEMED = "points_redeemed"


_OWNED = {AccountKind.CUSTOMER_POINTS, AccountKind.SELLER_CHARGEBACK}


@dataclass(frozen=True)
class Account:
    kind: AccountKind
    owner_id: int | None = None

    def __post_init__(self) -> None:
        if (self.kind in _OWNED) != (self.owner_id is not None):
            raise InvalidInput(f"account {self.kind.value} owner mismatch", field="account",
                               reason="account_owner_mismatch")


@dataclass(frozen=True)
class Posting:
    account: Account
    amount: Money


@dataclass(frozen=True)
class JournalEntry:
    kind: str
    memo: str
    postings: tuple[Posting, ...]
    reverses_id: int | None = None

    def __post_init__(self) -> None:
        if len(self.postings) < 2:
            raise InvalidInput("a journal entry needs at least two postings",
                               reason="entry_too_few_postings")
        currencies = {p.amount.currency for p in self.postings}
        if len(currencies) != 1:
            raise InvalidInput(f"a journal entry must use one currency, got {sorted(currencies)}",
                               reason="entry_mixed_currencies")
        if any(p.amount.amount_minor == 0 for p in self.postings):
            raise InvalidInput("a posting of zero is not a posting", reason="posting_zero")
        total = sum(p.amount.amount_minor for p in self.postings)
        if total != 0:
            raise InvalidInput(f"journal entry does not balance (off by {total})",
                               reason="entry_unbalanced")


#: The most points one journal entry may move (a compensation is booked as one entry).
MAX_POINTS_PER_ENTRY = 100_000_000


def _points(amount: int) -> Money:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidInput(f"points must be a positive whole number, got {amount!r}", field="points",
                           reason="points_not_positive")
    if amount > MAX_POINTS_PER_ENTRY:
        raise InvalidInput(f"{amount} points is more than one entry may move", field="points",
                           reason="points_above_entry_limit")
    return Money(amount, POINTS_CURRENCY)


def credit_points(
    *, customer_id: int, points: int, memo: str, seller_id: int | None = None,
    seller_share_pct: int = 0, kind: str = "points_credit",
) -> JournalEntry:
    """Give a customer points, paid by the platform and (``seller_share_pct``%) the seller."""
    amount = _points(points)
    if not 0 <= seller_share_pct <= 100:
        raise InvalidInput("seller_share_pct must be 0..100", field="seller_share_pct",
                           reason="share_out_of_range")
    if seller_share_pct and seller_id is None:
        raise InvalidInput("a seller share needs a seller_id", field="seller_id",
                           reason="seller_missing")
    seller_part = amount.amount_minor * seller_share_pct // 100
    platform_part = amount.amount_minor - seller_part
    postings = [Posting(Account(AccountKind.CUSTOMER_POINTS, customer_id), amount)]
    if seller_part:
        postings.append(Posting(Account(AccountKind.SELLER_CHARGEBACK, seller_id), Money(-seller_part, amount.currency)))
    if platform_part:
        postings.append(Posting(Account(AccountKind.PLATFORM_EXPENSE), Money(-platform_part, amount.currency)))
    return JournalEntry(kind, memo, tuple(postings))


def credit_compensation(
    *, customer_id: int, points: int, memo: str, seller_weights: Mapping[int, int],
    seller_share_pct: int, kind: str = "incident_compensation",
) -> JournalEntry:
    """Give a customer compensation points paid by the platform and the sellers of their orders:
    one entry with a charge-back leg per seller.

    The sellers' share is ``seller_share_pct``% of ``points`` rounded down (as
    :func:`credit_points` rounds it), divided among ``seller_weights``' sellers in proportion
    to their weights — each seller's order value in the case — by
    ``money.allocate_by_weight`` (whole points that add up exactly to the share); the
    platform takes the rest. A seller whose part rounds to zero gets no leg."""
    amount = _points(points)
    if not 0 <= seller_share_pct <= 100:
        raise InvalidInput("seller_share_pct must be 0..100", field="seller_share_pct",
                           reason="share_out_of_range")
    if seller_share_pct and not seller_weights:
        raise InvalidInput("a seller share needs the sellers who pay it", field="seller_id",
                           reason="seller_missing")
    seller_total = amount.amount_minor * seller_share_pct // 100
    parts = allocate_by_weight(seller_total, seller_weights) if seller_total else {}
    postings = [Posting(Account(AccountKind.CUSTOMER_POINTS, customer_id), amount)]
    postings += [Posting(Account(AccountKind.SELLER_CHARGEBACK, seller), Money(-part, amount.currency))
                 for seller, part in sorted(parts.items()) if part]
    if amount.amount_minor - seller_total:
        postings.append(Posting(Account(AccountKind.PLATFORM_EXPENSE),
                                Money(seller_total - amount.amount_minor, amount.currency)))
    return JournalEntry(kind, memo, tuple(postings))


def debit_points(*, customer_id: int, points: int, balance: int, memo: str) -> JournalEntry:
    """A customer spends points; refused when the balance is short."""
    amount = _points(points)
    if balance < amount.amount_minor:
        raise InsufficientPoints(
            f"customer {customer_id} has {balance} points, cannot spend {points}",
            balance=balance, requested=points, reason="balance_too_low",
        )
    return JournalEntry("points_debit", memo, (
        Posting(Account(AccountKind.CUSTOMER_POINTS, customer_id), -amount),
        Posting(Account(AccountKind.POINTS_REDEEMED), amount),
    ))


def reversal_of(entry_id: int, entry: JournalEntry, *, memo: str) -> JournalEntry:
    """The entry that undoes ``entry``: same postings, opposite signs."""
    return JournalEntry(
        "reversal", memo,
        tuple(Posting(p.account, -p.amount) for p in entry.postings),
        reverses_id=entry_id,
    )


def check_reversal_balances(reversal: JournalEntry, balances: Mapping[Account, int]) -> None:
    """Refuse a reversal that would take a customer's points below zero (a customer cannot owe
    points; the other accounts run negative by design — the platform's expense, a seller's
    charge-back — or only ever grow, as points redeemed do).

    ``balances`` holds the current balance of the accounts the reversal touches (a missing one
    counts as zero). Undoing a credit whose points were since spent is refused with
    :class:`InsufficientPoints` and ``reason="reversal_would_overdraw"``.
    """
    changes: dict[Account, int] = {}
    for posting in reversal.postings:
        if posting.account.kind is AccountKind.CUSTOMER_POINTS:
            changes[posting.account] = changes.get(posting.account, 0) + posting.amount.amount_minor
    for account, change in changes.items():
        balance = balances.get(account, 0)
        if balance + change < 0:
            raise InsufficientPoints(
                f"reversing entry {reversal.reverses_id} would take {-change} points from customer "
                f"{account.owner_id}, who has {balance}: the points were already spent",
                balance=balance, requested=-change, customer_id=account.owner_id,
                entry_id=reversal.reverses_id, reason="reversal_would_overdraw",
            )
