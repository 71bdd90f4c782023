"""The seller hears of the tripwire's pause at once, by email, on real PostgreSQL. Before: the
order tripwire paused a listing and opened a draft incident, and the seller got no email — a
pause at 23:35 on a Saturday left them with a disabled resume button and no word until an
operator acted on Monday (only the later "declared" and "notified" emails were ever sent)."""

# ruff: noqa: F811  (the tests take test_tripwire_wrong_price_db's ``shop`` fixture by name)
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from test_tripwire_wrong_price_db import GATE, _order, shop  # noqa: F401

from sagwa.adapters.db.tables import outbox, sellers
from sagwa.domain.listings import ListingStatus
from sagwa.domain.money import Money
from sagwa.errors import ListingNotOrderable
from sagwa.services import listings, price_review
from sagwa.services.seller_listing_notices import LISTING_PURPOSE

KRW = "KRW"
#: Saturday 17 May 2008, 23:35 Korea time.
SATURDAY_NIGHT = datetime(2008, 5, 17, 14, 35, tzinfo=UTC)


def _with_email(uow, listing_id: int, email: str | None) -> int:
    with uow() as u:
        seller_id = u.market.listing(listing_id).seller_id
        u.conn.execute(sellers.update().where(sellers.c.id == seller_id)
                       .values(contact_email=email))
        u.commit()
    return seller_id


def _emails(uow) -> list:
    with uow() as u:
        return u.conn.execute(select(outbox).where(outbox.c.purpose == LISTING_PURPOSE)
                              .order_by(outbox.c.id)).all()


def _cut_to_a_tenth(uow, clock, listing) -> None:
    held = listings.propose_price_change(uow(), listing_id=listing, new_price=Money(19_900, KRW),
                                         proposed_by="seller:0", gate=GATE)
    clock.now += timedelta(minutes=5)
    price_review.approve_price_change(uow(), change_id=held.id, reviewer="reviewer:r",
                                      reason="looked like a real clearance")


def test_a_pause_late_on_saturday_emails_the_seller_at_once_with_what_and_when(shop) -> None:
    uow, clock, listing, customers = shop
    _with_email(uow, listing, "ops@seller0.example")
    clock.now = SATURDAY_NIGHT - timedelta(minutes=10)
    _cut_to_a_tenth(uow, clock, listing)
    before = len(_emails(uow))  # the approval's own email
    clock.now = SATURDAY_NIGHT - timedelta(seconds=3)
    _order(uow, clock, listing, customers[0], 100)
    with uow() as u:
        assert u.market.listing(listing).status is ListingStatus.PAUSED
        draft = u.incidents.open_for_listing(listing)
        pause = u.audit.latest_for_entity("listing", str(listing),
                                          "listing.paused_by_tripwire").event.after
    emails = _emails(uow)[before:]
    assert len(emails) == 1
    [email] = emails
    assert (email.channel, email.recipient, email.status) == ("email", "ops@seller0.example",
                                                              "pending")
    assert email.not_before == SATURDAY_NIGHT  # at once, not on Monday
    assert email.incident_id == draft
    assert email.subject.startswith(f"[사과 고객센터] 상품 {listing}번의 판매를 자동으로 멈췄습니다: 가격을 확인해 주세요")
    ko, en = email.body.split("— English —")
    assert "판매자0 담당자님께" in ko and f"애플 아이팟 나노 3세대 4GB (#{listing})" in ko
    # what tripped it: one order of 100 at a tenth of the price, not a surge of orders
    assert ("기준 가격보다 크게 낮은 가격에 평소보다 훨씬 많은 수량이 한 번에 주문되어 판매 보호 시스템이 "
            "5월 17일(토) 오후 11시 35분(한국 시간)에 아래 상품의 판매를 자동으로 멈췄습니다") in ko
    assert "판매를 멈춘 때의 가격: 19,900원" in ko
    assert f"멈춘 까닭: {pause['reason_ko']}" in ko
    assert "새 주문만 받지 않습니다" in ko and "잘못된 경보로 닫습니다" in ko
    assert "다음 운영 시간인 5월 19일(월) 오전 9시(한국 시간)부터 살펴봅니다" in ko
    assert "가격이 맞는지 확인해 주세요" in ko and "이 메일에 답장해" in ko
    assert f"/seller/listings/{listing}" in ko
    assert ("One order far larger than usual came in at a price far below its references, so "
            "our sales protection system paused sales of the listing below automatically on "
            "Saturday, May 17 at 11:35 pm (Korea time)") in en
    assert "Price when paused: 19,900 KRW" in en and pause["reason_en"] in en
    assert "they will look from Monday, May 19 at 9 am (Korea time)" in en
    assert "If it is a real promotion, reply to this email" in en
    # the next customer is refused, and no second email goes for the same pause
    clock.now += timedelta(seconds=3)
    try:
        _order(uow, clock, listing, customers[1], 100)
    except ListingNotOrderable:
        pass
    assert len(_emails(uow)[before:]) == 1


def test_a_pause_in_contact_hours_says_the_team_looks_shortly(shop) -> None:
    uow, clock, listing, customers = shop
    _with_email(uow, listing, "ops@seller0.example")
    _cut_to_a_tenth(uow, clock, listing)  # Thursday afternoon, Korea time
    before = len(_emails(uow))
    _order(uow, clock, listing, customers[0], 100)
    [email] = _emails(uow)[before:]
    ko, en = email.body.split("— English —")
    assert "지금은 운영 시간(평일 오전 9시~오후 6시, 토요일 오전 10시~오후 2시)이라 곧 살펴봅니다" in ko
    assert "so they will look shortly" in en
    assert f"/seller/listings/{listing}" in en


def test_a_seller_without_an_address_is_paused_without_an_email(shop) -> None:
    uow, clock, listing, customers = shop
    _cut_to_a_tenth(uow, clock, listing)
    _order(uow, clock, listing, customers[0], 100)
    with uow() as u:
        assert u.market.listing(listing).status is ListingStatus.PAUSED
    assert _emails(uow) == []
