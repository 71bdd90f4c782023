"""The review queue's four-eyes rule and stale check, as pure functions: who an audit name
belongs to, and when a held change may no longer be approved."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.listings import Listing, ListingStatus
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.errors import Forbidden
from sagwa.services.accounts import account_name
from sagwa.services.price_review import check_not_own_change, stale_code, stale_reason

HELD = PriceChangeRecord(
    id=1, listing_id=3, old_price=Money(199_000, "KRW"), new_price=Money(19_900, "KRW"),
    proposed_by="admin:boss", proposed_at=datetime(2008, 6, 13, tzinfo=UTC), promotion_pct=None,
    status=PriceChangeStatus.HELD, decided_by=None, decision_reason=None,
)  # fmt: skip
LIVE_AT_199 = Listing(id=3, seller_id=1, product_id=1, price=Money(199_000, "KRW"),
                      status=ListingStatus.LIVE)


@pytest.mark.parametrize(("actor", "account"), [
    ("api:boss", "boss"), ("admin:boss", "boss"), ("reviewer:park", "park"),
    ("seller:seller-1", "seller-1"), (" api:boss ", "boss"),
    ("cli", "cli"), ("operator:kim", "operator:kim"), ("boss", "boss"), ("api:", "api:"),
    ("admin:boss via cli (os user root)", "boss"), ("boss via cli (os user root)", "boss"),
    ("cli (os user root)", "cli (os user root)"),
])  # fmt: skip
def test_an_audit_name_is_its_account_whatever_the_channel(actor: str, account: str) -> None:
    assert account_name(actor) == account


@pytest.mark.parametrize("reviewer", ["admin:boss", "api:boss", "boss"])
def test_the_proposer_cannot_approve_from_any_channel(reviewer: str) -> None:
    with pytest.raises(Forbidden) as refused:
        check_not_own_change(HELD, reviewer)
    assert refused.value.details == {"reason": "own_change"}
    assert refused.value.as_dict()["code"] == "forbidden"


@pytest.mark.parametrize("reviewer", ["api:park", "reviewer:park", "admin:boss2", "api:bos"])
def test_another_account_may_approve(reviewer: str) -> None:
    check_not_own_change(HELD, reviewer)  # no refusal


def test_a_price_that_moved_and_came_back_is_stale() -> None:
    assert stale_code(HELD, LIVE_AT_199) is None
    assert stale_code(HELD, LIVE_AT_199, price_moved_since=True) == "live_price_moved"
    ko, en = stale_reason(HELD, LIVE_AT_199, price_moved_since=True) or ("", "")
    assert "다시 199,000원이 되었습니다" in ko
    assert "back at 199,000" in en and "moved from 199,000 KRW to 199,000 KRW" not in en


def test_an_ended_listing_is_named_first_even_if_the_price_also_moved() -> None:
    ended = replace(LIVE_AT_199, status=ListingStatus.ENDED)
    assert stale_code(HELD, ended, price_moved_since=True) == "listing_ended_since_proposal"
