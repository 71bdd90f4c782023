"""Journal entries balance; credits, debits and reversals are built correctly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sagwa.domain.ledger import (
    Account,
    AccountKind,
    JournalEntry,
    Posting,
    credit_points,
    debit_points,
    reversal_of,
)
from sagwa.domain.money import Money
from sagwa.errors import InsufficientPoints, InvalidInput

K = AccountKind


def _amount(entry: JournalEntry, kind: AccountKind) -> int:
    return sum(p.amount.amount_minor for p in entry.postings if p.account.kind is kind)


@given(points=st.integers(1, 100_000_000), share=st.integers(0, 100),
       customer_id=st.integers(1, 2**62), seller_id=st.integers(1, 2**62))
def test_credit_always_balances_and_customer_gets_exactly_the_points(
        points: int, share: int, customer_id: int, seller_id: int) -> None:
    entry = credit_points(customer_id=customer_id, points=points, memo="sorry",
                          seller_id=seller_id, seller_share_pct=share)
    assert sum(p.amount.amount_minor for p in entry.postings) == 0
    customer = [p for p in entry.postings if p.account.kind is K.CUSTOMER_POINTS]
    assert customer == [Posting(Account(K.CUSTOMER_POINTS, customer_id), Money(points, "KRW"))]
    seller_part = -_amount(entry, K.SELLER_CHARGEBACK)
    platform_part = -_amount(entry, K.PLATFORM_EXPENSE)
    assert seller_part == points * share // 100
    assert seller_part + platform_part == points
    assert all(p.amount.amount_minor != 0 for p in entry.postings)
    assert {p.account.owner_id for p in entry.postings
            if p.account.kind is K.SELLER_CHARGEBACK} <= {seller_id}


def test_credit_split_example() -> None:
    entry = credit_points(customer_id=7, points=3000, memo="m", seller_id=3, seller_share_pct=50)
    assert {(p.account, p.amount.amount_minor) for p in entry.postings} == {
        (Account(K.CUSTOMER_POINTS, 7), 3000),
        (Account(K.SELLER_CHARGEBACK, 3), -1500),
        (Account(K.PLATFORM_EXPENSE), -1500),
    }


def test_credit_without_seller_share_is_all_platform() -> None:
    entry = credit_points(customer_id=7, points=1000, memo="m")
    assert len(entry.postings) == 2
    assert _amount(entry, K.PLATFORM_EXPENSE) == -1000


def test_seller_share_needs_a_seller() -> None:
    with pytest.raises(InvalidInput, match="seller_id"):
        credit_points(customer_id=1, points=100, memo="m", seller_share_pct=10)


@pytest.mark.parametrize("share", [-1, 101])
def test_seller_share_outside_0_100_is_refused(share: int) -> None:
    with pytest.raises(InvalidInput, match="seller_share_pct"):
        credit_points(customer_id=1, points=100, memo="m", seller_id=1, seller_share_pct=share)


@pytest.mark.parametrize("points", [0, -5, True, 1.5, 100_000_001])
def test_points_must_be_a_sane_positive_whole_number(points: object) -> None:
    with pytest.raises(InvalidInput, match="points"):
        credit_points(customer_id=1, points=points, memo="m")  # type: ignore[arg-type]


def test_debit_refused_when_balance_is_short() -> None:
    with pytest.raises(InsufficientPoints) as info:
        debit_points(customer_id=1, points=3001, balance=3000, memo="spend")
    assert info.value.details == {"balance": 3000, "requested": 3001, "reason": "balance_too_low"}
    assert info.value.code == "insufficient_points"


def test_debit_of_the_whole_balance_is_allowed() -> None:
    entry = debit_points(customer_id=1, points=3000, balance=3000, memo="spend")
    assert _amount(entry, K.CUSTOMER_POINTS) == -3000
    assert _amount(entry, K.POINTS_REDEEMED) == 3000


@given(points=st.integers(1, 100_000_000), share=st.integers(0, 100))
def test_reversal_negates_every_posting(points: int, share: int) -> None:
    entry = credit_points(customer_id=1, points=points, memo="m", seller_id=2,
                          seller_share_pct=share)
    undo = reversal_of(41, entry, memo="undo")
    assert undo.reverses_id == 41
    assert undo.kind == "reversal"
    assert [(p.account, -p.amount.amount_minor) for p in undo.postings] == \
        [(p.account, p.amount.amount_minor) for p in entry.postings]
    assert sum(p.amount.amount_minor for p in entry.postings + undo.postings) == 0


def _posting(kind: AccountKind, amount: int, currency: str = "KRW",
             owner: int | None = None) -> Posting:
    return Posting(Account(kind, owner), Money(amount, currency))


def test_unbalanced_entry_is_refused() -> None:
    with pytest.raises(InvalidInput, match="off by 1"):
        JournalEntry("x", "m", (_posting(K.CUSTOMER_POINTS, 101, owner=1),
                                _posting(K.PLATFORM_EXPENSE, -100)))


def test_entry_needs_two_postings_one_currency_and_no_zero() -> None:
    with pytest.raises(InvalidInput, match="two postings"):
        JournalEntry("x", "m", (_posting(K.PLATFORM_EXPENSE, 0),))
    with pytest.raises(InvalidInput, match="one currency"):
        JournalEntry("x", "m", (_posting(K.PLATFORM_EXPENSE, 100),
                                _posting(K.POINTS_REDEEMED, -100, "USD")))
    with pytest.raises(InvalidInput, match="zero"):
        JournalEntry("x", "m", (_posting(K.PLATFORM_EXPENSE, 0), _posting(K.POINTS_REDEEMED, 0)))


def test_owned_accounts_need_an_owner_and_others_refuse_one() -> None:
    with pytest.raises(InvalidInput, match="owner"):
        Account(K.CUSTOMER_POINTS)
    with pytest.raises(InvalidInput, match="owner"):
        Account(K.PLATFORM_EXPENSE, 5)
