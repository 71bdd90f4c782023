"""The seller hears, by email, that a reviewer decided their held price change, on real
PostgreSQL. Before: approving or rejecting a held change (API or page) sent nothing; the seller
learnt it only by reopening /seller."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from test_price_review import ipod_market

from sagwa.adapters.db.tables import outbox, sellers
from sagwa.domain.money import Money
from sagwa.errors import IllegalTransition
from sagwa.services import listings, price_review
from sagwa.services.desk_notify import LinkMaker
from sagwa.services.seller_listing_notices import LISTING_PURPOSE

KRW = "KRW"
LINKS = LinkMaker("k" * 32, "https://market.example")


@pytest.fixture
def held(session_factory):
    """Listing 0 (199,000 KRW) of the iPod market, its seller with an address, and a held
    change of it to 19,900 KRW."""
    uow, clock, ids, _ = ipod_market(session_factory)
    with uow() as u:
        seller_id = u.market.listing(ids[0]).seller_id
        u.conn.execute(sellers.update().where(sellers.c.id == seller_id)
                       .values(contact_email="ops@seller0.example"))
        u.commit()
    change = listings.propose_price_change(uow(), listing_id=ids[0],
                                           new_price=Money(19_900, KRW), proposed_by="seller:0",
                                           gate=price_review.guard_gate(price_review.DEFAULT_RULES))
    assert change.status.value == "held"
    clock.now += timedelta(days=2, hours=1)
    return uow, ids[0], change


def _emails(uow) -> list:
    with uow() as u:
        return u.conn.execute(select(outbox).where(outbox.c.purpose == LISTING_PURPOSE)
                              .order_by(outbox.c.id)).all()


def test_an_approval_emails_the_seller_the_price_now_live(held) -> None:
    uow, listing, change = held
    price_review.approve_price_change(uow(), change_id=change.id, reviewer="reviewer:r",
                                      reason="연말 재고 정리 행사를 확인했습니다", links=LINKS)
    [email] = _emails(uow)
    assert (email.channel, email.recipient) == ("email", "ops@seller0.example")
    assert email.subject.startswith(f"[사과 고객센터] 상품 {listing}번의 가격 변경이 승인되어 반영되었습니다")
    ko, en = email.body.split("— English —")
    assert "판매자0 담당자님께" in ko and "199,000원 → 19,900원(지금 가격)" in ko
    assert "검토 의견: 연말 재고 정리 행사를 확인했습니다" in ko
    assert f"https://market.example/seller/listings/{listing}" in ko
    assert "199,000 KRW → 19,900 KRW (live now)" in en
    # a copy edit: "A reviewer approved, at Sunday, December 6 at 2:27 am Korea time, the …"
    assert re.search(r"On \w+day, \w+ \d+ at [^()]+ \(Korea time\) a reviewer approved the price "
                     r"change you requested on \w+day, \w+ \d+ at [^()]+ \(Korea time\)\.", en), en
    assert re.search(r"\d+월 \d+일\(.\) [^()]+\(한국 시간\)에 요청하신 가격 변경을 검토자가", ko), ko
    # once per change: a retried approval is refused and sends nothing more
    with pytest.raises(IllegalTransition):
        price_review.approve_price_change(uow(), change_id=change.id, reviewer="reviewer:r",
                                          reason="again")
    assert len(_emails(uow)) == 1


def test_a_rejection_emails_the_seller_the_reviewers_reason(held) -> None:
    uow, listing, change = held
    price_review.reject_price_change(uow(), change_id=change.id, reviewer="reviewer:r",
                                     reason="정가의 10%는 입력 실수로 보입니다. 가격을 확인해 주세요.")
    [email] = _emails(uow)
    assert email.subject.startswith(f"[사과 고객센터] 상품 {listing}번의 가격 변경이 반려되었습니다")
    ko, en = email.body.split("— English —")
    assert "검토 의견: 정가의 10%는 입력 실수로 보입니다. 가격을 확인해 주세요." in ko
    assert "이 상품의 지금 가격은 199,000원입니다" in ko and "요청하신 가격: 19,900원" in ko
    assert f"/seller/listings/{listing}" in ko
    assert "Reviewer's reason: 정가의 10%는" in en and "still 199,000 KRW" in en


def test_a_reviewer_reason_with_words_the_check_would_refuse_still_rejects_and_emails(
        held) -> None:
    """The reviewer's words are quoted, as the seller's page shows them, not checked as the
    platform's: a rejection never fails for its email."""
    uow, _, change = held
    price_review.reject_price_change(uow(), change_id=change.id, reviewer="reviewer:r",
                                     reason="이대로 두면 소송이 걸릴 수 있는 가격입니다")
    [email] = _emails(uow)
    assert "소송이 걸릴 수 있는 가격입니다" in email.body
