"""On real PostgreSQL: the apology, its reminder wording, the public notice draft and the agent's
call script say who entered the wrong price as the record shows it — a platform account's entry
(``api:boss``, an admin) is "저희 담당자가" / "our staff", never the seller; a seller account's
(``api:<seller user>``, ``seller:…``) names the seller; listings entered by different sides name
no one ("가격이 … 잘못 입력되어"), while each customer of one listing hears about that listing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from sagwa.adapters.db.tables import outbox
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import accounts, catalog, desk, listings, notices, orders
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.web.pages.case_facts import load_case

SEOUL = ZoneInfo("Asia/Seoul")
POLICY = load_desk_policy()
LINKS = LinkMaker("test-secret-key-0123456789", "http://127.0.0.1:8000")
WRONG, RIGHT = Money(19_900, "KRW"), Money(199_000, "KRW")
SELLER_BLAMED = {"ko": "판매자 하늘디지털이", "en": "The seller 하늘디지털 entered"}
SHARED = {"ko": "잘못 입력되었고, 판매자와 저희 플랫폼 모두 이 오류를 바로잡지 못했습니다.",
          "en": "and neither the seller nor our platform corrected it."}
STAFF = {"ko": "저희 담당자가 '애플 아이팟 나노 3세대 4GB'의 가격을 199,000원이 아닌 19,900원으로 잘못 입력했습니다.",
         "en": "Our staff entered the price of 'Apple iPod nano 3rd gen 4GB' as 19,900 KRW"}
NEUTRAL = {"ko": "의 가격이 199,000원이 아닌 19,900원으로 잘못 입력되어",
           "en": "was entered wrongly as 19,900 KRW instead of 199,000 KRW"}


class Shop:
    """Two sellers' iPods, a platform admin (``boss``) and a seller account (``haneul-kim``)."""

    def __init__(self, session_factory) -> None:
        self.clock = ManualClock(datetime(2008, 6, 12, 13, 0, tzinfo=SEOUL))
        self.session_factory = session_factory
        self.sellers = [catalog.register_seller(self.uow(), code=code, name=name, actor="t").id
                        for code, name in (("haneul", "하늘디지털"), ("dareun", "다른가게"))]
        for username, role, seller_id in (("boss", "admin", None),
                                          ("haneul-kim", "seller", self.sellers[0])):
            accounts.create_user(self.uow(), username=username, role=role, seller_id=seller_id,
                                 password="correct horse", actor="t")

    def uow(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self.session_factory, self.clock)

    def listing(self, seller: int, title: str, title_en: str, *, first_price: Money = RIGHT,
                created_by: str = "seller:haneul-kim") -> int:
        product = catalog.register_product(self.uow(), title=title, title_en=title_en,
                                           category="electronics/mp3", list_price=RIGHT,
                                           actor="t")
        listing = listings.create_listing(self.uow(), seller_id=self.sellers[seller],
                                          product_id=product.id, price=first_price,
                                          actor=created_by)
        listings.change_listing_status(self.uow(), listing_id=listing.id,
                                       trigger=ListingTrigger.PUBLISH, actor="t")
        return listing.id

    def wrong_price(self, listing_id: int, proposed_by: str) -> None:
        self.clock.now = datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)
        listings.propose_price_change(self.uow(), listing_id=listing_id, new_price=WRONG,
                                      proposed_by=proposed_by, gate=listings.apply_every_change)

    def customer(self, n: int, locale: str, *listing_ids: int) -> int:
        person = catalog.register_customer(self.uow(), name=f"고객{n}", email=f"c{n}@example.com",
                                           phone=f"010-1234-000{n}", locale=locale, actor="t")
        self.clock.now = max(self.clock.now, datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL))
        for listing_id in listing_ids:
            self.clock.now += timedelta(minutes=7)
            orders.place_order(self.uow(), customer_id=person.id, listing_id=listing_id,
                               quantity=1, actor="t", velocity=None)
        return person.id

    def notified(self, listing_ids: list[int], responsible: str = "both") -> int:
        self.clock.now = datetime(2008, 6, 12, 17, 30, tzinfo=SEOUL)
        row = desk.declare(self.uow(), listing_ids=listing_ids, wrong_price=WRONG,
                           correct_price=RIGHT,
                           window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL),
                           cause="typo", responsible=responsible, actor="admin:boss")
        incident_id = int(row.incident.incident_id)
        desk.scope(self.uow(), incident_id=incident_id, actor="admin:boss")
        desk.plan(self.uow(), incident_id=incident_id,
                  options=["keep", "cancel_with_compensation"],
                  deadline=datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL), default="keep",
                  seller_share_pct=0, platform_share_pct=100, actor="admin:boss", policy=POLICY,
                  cancel_compensation=Money(10_000, "KRW"))
        notify(self.uow(), incident_id=incident_id, actor="admin:boss", policy=POLICY,
               links=LINKS)
        return incident_id

    def apology(self, customer_id: int) -> str:
        with self.uow() as u:
            return u.conn.execute(select(outbox.c.body).where(
                outbox.c.customer_id == customer_id, outbox.c.channel == "email",
                outbox.c.purpose == "resolution")).scalar_one()

    def script(self, incident_id: int, customer_id: int, lang: str) -> str:
        """The cause the agent reads out (cs/_call_card.html: ``c.cause(lang)``)."""
        with self.uow() as u:
            case_id = u.cases.case_for_customer(incident_id, customer_id)
            return load_case(u, case_id, known={}).cause(lang)

    def notice(self, incident_id: int, lang: str) -> str:
        return notices.draft_notice(self.uow(), incident_id=incident_id, lang=lang,
                                    policy=POLICY)[1]


@pytest.fixture
def shop(session_factory) -> Shop:
    return Shop(session_factory)


NANO = ("애플 아이팟 나노 3세대 4GB", "Apple iPod nano 3rd gen 4GB")
PINK = ("애플 아이팟 나노 3세대 4GB 핑크", "Apple iPod nano 3rd gen 4GB pink")


def everything_said(shop: Shop, incident_id: int, ko: int, en: int) -> dict[str, list[str]]:
    return {"ko": [shop.apology(ko), shop.notice(incident_id, "ko"),
                   shop.script(incident_id, ko, "ko")],
            "en": [shop.apology(en), shop.notice(incident_id, "en"),
                   shop.script(incident_id, en, "en")]}


@pytest.mark.parametrize("admin", ["api:boss", "admin:boss"])
def test_a_price_a_platform_account_entered_is_ours_everywhere(shop: Shop, admin: str) -> None:
    nano = shop.listing(0, *NANO)
    shop.wrong_price(nano, admin)
    ko, en = shop.customer(1, "ko", nano), shop.customer(2, "en", nano)
    said = everything_said(shop, shop.notified([nano]), ko, en)
    for lang, texts in said.items():
        for text in texts:
            assert STAFF[lang] in text
            assert SELLER_BLAMED[lang] not in text and "하늘디지털" not in text


@pytest.mark.parametrize("seller", ["api:haneul-kim", "seller:haneul-kim"])
def test_a_price_the_sellers_account_entered_names_the_seller(shop: Shop, seller: str) -> None:
    nano = shop.listing(0, *NANO)
    shop.wrong_price(nano, seller)
    ko, en = shop.customer(1, "ko", nano), shop.customer(2, "en", nano)
    incident_id = shop.notified([nano])
    said = everything_said(shop, incident_id, ko, en)
    for lang, (apology, notice, script) in said.items():
        for text in (apology, script):  # the customer's own seller, on their order
            assert SELLER_BLAMED[lang] in text and STAFF[lang] not in text
        # the public notice (a legal review): the seller unnamed, and on an incident declared
        # both sides' the error is put on both, not on the seller alone
        assert "하늘디지털" not in notice and STAFF[lang] not in notice
        assert SHARED[lang] in notice


def test_a_public_notice_names_the_seller_only_where_the_policy_opts_in(shop: Shop) -> None:
    nano = shop.listing(0, *NANO)
    shop.wrong_price(nano, "seller:haneul-kim")
    shop.customer(1, "ko", nano)
    incident_id = shop.notified([nano], responsible="seller")
    unnamed = shop.notice(incident_id, "ko")
    assert "판매자가 '애플 아이팟 나노 3세대 4GB'의 가격을" in unnamed and "하늘디지털" not in unnamed
    opted = replace(POLICY, notice_names_seller=True)
    named = notices.draft_notice(shop.uow(), incident_id=incident_id, lang="ko", policy=opted)[1]
    assert "판매자 하늘디지털이 '애플 아이팟 나노 3세대 4GB'의 가격을" in named


def test_a_first_price_a_platform_account_entered_is_ours(shop: Shop) -> None:
    nano = shop.listing(0, *NANO, first_price=WRONG, created_by="api:boss")
    ko, en = shop.customer(1, "ko", nano), shop.customer(2, "en", nano)
    said = everything_said(shop, shop.notified([nano]), ko, en)
    assert all(STAFF[lang] in text for lang, texts in said.items() for text in texts)


def test_listings_entered_by_different_sides_name_no_one_to_their_common_customers(
        shop: Shop) -> None:
    nano, pink = shop.listing(0, *NANO), shop.listing(1, *PINK)
    shop.wrong_price(nano, "api:haneul-kim")
    shop.wrong_price(pink, "api:boss")
    both, nano_only = shop.customer(1, "ko", nano, pink), shop.customer(2, "ko", nano)
    pink_only, both_en = shop.customer(3, "ko", pink), shop.customer(4, "en", nano, pink)
    incident_id = shop.notified([nano, pink])
    for text in (shop.apology(both), shop.notice(incident_id, "ko"),
                 shop.script(incident_id, both, "ko")):
        assert NEUTRAL["ko"] in text
        assert "판매자" not in text and "담당자가 '" not in text
    for text in (shop.apology(both_en), shop.notice(incident_id, "en"),
                 shop.script(incident_id, both_en, "en")):
        assert NEUTRAL["en"] in text and "The seller" not in text and "Our staff" not in text
    assert SELLER_BLAMED["ko"] in shop.apology(nano_only)
    assert "저희 담당자가 '애플 아이팟 나노 3세대 4GB 핑크'의 가격을" in shop.apology(pink_only)
    assert "다른가게" not in shop.apology(pink_only)


def test_a_staff_entry_on_an_incident_declared_the_sellers_blames_no_one(shop: Shop) -> None:
    nano = shop.listing(0, *NANO)
    shop.wrong_price(nano, "api:boss")
    ko = shop.customer(1, "ko", nano)
    incident_id = shop.notified([nano], responsible="seller")
    for text in (shop.apology(ko), shop.notice(incident_id, "ko"),
                 shop.script(incident_id, ko, "ko")):
        assert NEUTRAL["ko"] in text and "판매자" not in text and "저희 담당자가" not in text
