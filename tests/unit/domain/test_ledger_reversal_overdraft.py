"""A reversal may not take a customer's points below zero (the points may have been spent)."""

import pytest

from sagwa.domain.ledger import (
    Account,
    AccountKind,
    check_reversal_balances,
    credit_points,
    debit_points,
    reversal_of,
)
from sagwa.errors import InsufficientPoints

K = AccountKind
CUSTOMER = Account(K.CUSTOMER_POINTS, 1)


def _undo_credit(points: int = 3000, share: int = 0):  # type: ignore[no-untyped-def]
    credit = credit_points(customer_id=1, points=points, memo="m", seller_id=2,
                           seller_share_pct=share)
    return reversal_of(41, credit, memo="undo")


def test_undoing_a_credit_whose_points_were_spent_is_refused() -> None:
    with pytest.raises(InsufficientPoints) as info:
        check_reversal_balances(_undo_credit(3000), {CUSTOMER: 0})
    assert info.value.code == "insufficient_points"
    assert info.value.details == {"balance": 0, "requested": 3000, "customer_id": 1,
                                  "entry_id": 41, "reason": "reversal_would_overdraw"}
    assert "already spent" in info.value.message


def test_undoing_a_partly_spent_credit_is_refused_and_a_missing_balance_counts_as_zero() -> None:
    with pytest.raises(InsufficientPoints):
        check_reversal_balances(_undo_credit(3000), {CUSTOMER: 2999})
    with pytest.raises(InsufficientPoints):
        check_reversal_balances(_undo_credit(3000), {})


def test_undoing_a_credit_still_held_in_full_is_allowed() -> None:
    check_reversal_balances(_undo_credit(3000), {CUSTOMER: 3000})


def test_seller_and_platform_accounts_may_go_negative() -> None:
    # Undoing a seller-paid credit moves the charge-back back up; the platform side likewise.
    check_reversal_balances(_undo_credit(3000, share=100),
                            {CUSTOMER: 3000, Account(K.SELLER_CHARGEBACK, 2): -3000})


def test_undoing_a_spend_gives_the_points_back_whatever_the_balance() -> None:
    spend = debit_points(customer_id=1, points=500, balance=500, memo="spent")
    check_reversal_balances(reversal_of(7, spend, memo="refund the spend"), {CUSTOMER: 0})
