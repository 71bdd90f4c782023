"""The operator's incident page reads the money as it was booked: the cost box gives one row per
seller charged (a customer who ordered from two sellers has the sellers' share divided between
them) and the platform's part, adding up to the total; the case table gives the units as
ordered, kept and refunded and the exposure as scoped and on the units kept — the figures the
API gives (``desk_money.figures_of_cases``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import KRW, POLICY, World

from sagwa.config import Settings
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, desk, desk_cases, listings, orders
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.testing.deadlines import closing_time_after

pytestmark = pytest.mark.e2e


def _cancel(uow: SqlAlchemyUnitOfWork, case_id: int) -> None:
    desk_cases.record_choice(uow, case_id=case_id, choice="cancel_with_compensation",
                             channel="web", evidence="pressed cancel", taken_by="customer",
                             policy=POLICY)


def _two_seller_incident(session_factory: sessionmaker[Session], secret: str,
                         world: World) -> tuple[int, dict[str, int]]:
    """Earphones shown at 19,900 (correct 185,000) by both sellers: 김민준 orders 2 from
    하늘디지털 (seller A) and 3 from 바다전자 (seller B), Alex Kim 1 from 바다전자; the incident
    (10,000 points with a cancellation, sellers 60%, platform 40%) is notified and both cancel.
    (incident id, customer name -> case id)."""
    clock = ManualClock(datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(uow(), title="무선 이어폰", title_en="Wireless earphones",
                                       category="electronics/audio",
                                       list_price=Money(185_000, KRW), actor="t").id
    started = clock.now
    shown = []
    for seller in (world.seller_a, world.seller_b):
        listing = listings.create_listing(uow(), seller_id=seller, product_id=product,
                                          price=Money(19_900, KRW), actor="test").id
        listings.change_listing_status(uow(), listing_id=listing,
                                       trigger=ListingTrigger.PUBLISH, actor="test")
        shown.append(listing)
    clock.advance(timedelta(minutes=10))
    for name, listing, units in (("김민준", shown[0], 2), ("김민준", shown[1], 3),
                                 ("Alex Kim", shown[1], 1)):
        orders.place_order(uow(), customer_id=world.customers[name], listing_id=listing,
                           quantity=units, actor="t", velocity=None)
    clock.advance(timedelta(minutes=20))
    incident = int(desk.declare(
        uow(), listing_ids=shown, wrong_price=Money(19_900, KRW),
        correct_price=Money(185_000, KRW), window_start=started, cause="가격 입력 실수",
        responsible="both", actor="admin:test").incident.incident_id)
    desk.scope(uow(), incident_id=incident, actor="admin:test")
    desk.plan(uow(), incident_id=incident, options=["keep", "cancel_with_compensation"],
              deadline=closing_time_after(clock.now + timedelta(days=7)), default="keep",
              seller_share_pct=60,
              platform_share_pct=40, actor="admin:test", policy=POLICY,
              cancel_compensation=Money(10_000, KRW))
    notify(uow(), incident_id=incident, actor="admin:test", policy=POLICY,
           links=LinkMaker(secret, "http://127.0.0.1"))
    with uow() as u:
        cases = {name: u.cases.case_for_customer(incident, world.customers[name])
                 for name in ("김민준", "Alex Kim")}
    for case_id in cases.values():
        _cancel(uow(), case_id)
    return incident, cases


def _costs(html: str) -> str:
    found = re.search(r'<section class="card" id="costs">(.*?)</section>', html, re.DOTALL)
    assert found, "no cost box"
    return unescape(found.group(1))


def _payers(costs: str) -> list[tuple[str, str, int]]:
    """(payer, the row's text, points) per row of the booked table."""
    rows = re.findall(r'<tr data-payer="(\w+)"[^>]*data-points="(\d+)"[^>]*>(.*?)</tr>', costs,
                      re.DOTALL)
    return [(payer, " ".join(re.sub(r"<[^>]+>", " ", text).split()), int(points))
            for payer, points, text in rows]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_cost_box_gives_each_sellers_points_and_the_platforms_adding_up(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, lang: str) -> None:
    incident, _ = _two_seller_incident(session_factory, page_settings.secret_key, world)
    log_in(client, "admin")
    costs = _costs(client.get(f"/ops/incidents/{incident}?lang={lang}").text)
    payers = _payers(costs)
    seller, platform = ("판매자", "플랫폼") if lang == "ko" else ("Seller", "Platform")
    # 김민준: 6,000 of the sellers' share divided 2:3 by order value; Alex Kim: 바다전자 alone
    assert payers == [("seller", f"{seller} 하늘디지털 #{world.seller_a} 2,400", 2_400),
                      ("seller", f"{seller} 바다전자 #{world.seller_b} 9,600", 9_600),
                      ("platform", f"{platform} 8,000", 8_000),
                      ("total", ("합계" if lang == "ko" else "Total") + " 20,000", 20_000)]
    assert sum(p for who, _, p in payers if who != "total") == 20_000
    # both customers settled (compensated): nothing more can be booked (a tester found "if
    # every customer cancels, at most …" still said once customers had settled)
    most = " ".join(re.sub(r"<[^>]+>", " ", costs.split('id="costs-most"')[1]).split())
    assert 'data-may-still-cancel="0"' in costs
    assert ("더 취소할 수 있는 고객이 없어 기록된 20,000포인트가 전부입니다 — 판매자 12,000, 플랫폼 8,000"
                           if lang == "ko" else "Nobody can still cancel: the 20,000 points "
                           "booked are all there will be — sellers 12,000, platform 8,000") in most, most
    if lang == "ko":
        assert "보상한 고객 2명" in costs and "판매자 60%, 플랫폼 40%" in costs
        assert "주문 금액에 비례해 나누어" in costs
        assert "119,400원" in costs and "6개, 주문 3건" in costs  # 2 + 3 + 1 units refunded
    else:
        assert "2 cases compensated" in costs and "sellers 60%, platform 40%" in costs
        assert "6 units, 3 orders" in costs


def test_before_anyone_cancels_the_cost_box_books_nothing_and_says_the_most(
        client: TestClient, world: World) -> None:
    log_in(client, "admin")
    costs = _costs(client.get(f"/ops/incidents/{world.incident}").text)
    assert _payers(costs) == [("seller", "판매자 0", 0), ("platform", "플랫폼 0", 0),
                              ("total", "합계 0", 0)]
    # three customers at 10,000 points: 6,000 each from the seller, 4,000 from the platform
    most = " ".join(re.sub(r"<[^>]+>", " ", costs.split('id="costs-most"')[1]).split())
    assert "최대 30,000 포인트: 판매자 18,000, 플랫폼 12,000" in most


def _case_row(html: str, case_id: int) -> str:
    found = re.search(rf"<tr><td data-label=\"[^\"]+\">#{case_id}</td>(.*?)</tr>", html, re.DOTALL)
    assert found, f"no row for case {case_id}"
    return unescape(found.group(1))


def _cells(row: str) -> tuple[dict[str, str], str, str]:
    """The units cell's data attributes, and the two cells' text (units, exposure)."""
    units = re.search(r'data-units-ordered="(\d+)" data-units-kept="(\d+)" '
                      r'data-units-refunded="(\d+)">(.*?)</td>', row, re.DOTALL)
    exposure = re.search(r'data-exposure="(\d+)" data-exposure-kept="(\d+)">(.*?)</td>', row,
                         re.DOTALL)
    assert units and exposure
    text = [" ".join(re.sub(r"<[^>]+>", " ", m).split()) for m in (units[4], exposure[3])]
    return ({"ordered": units[1], "kept": units[2], "refunded": units[3],
             "exposure": exposure[1], "exposure_kept": exposure[2]}, text[0], text[1])


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_case_table_gives_units_ordered_kept_and_refunded_with_the_exposure(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, lang: str) -> None:
    """김민준 ordered 2 and keeps 1 (the plan's cap): the other is refunded; the exposure as
    scoped covers both units, the part still honoured the one kept."""
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(hours=2),
                                  options=["keep", "talk_to_person"], keep_max_units=1)
    desk_cases.record_choice(SqlAlchemyUnitOfWork(session_factory), case_id=case.case_id,
                             choice="keep", channel="web", evidence="pressed keep",
                             taken_by="customer", policy=POLICY)
    log_in(client, "admin")
    html = client.get(f"/ops/incidents/{case.incident_id}?lang={lang}").text
    figures, units, exposure = _cells(_case_row(html, case.case_id))
    per_unit = 185_000 - 19_900
    assert figures == {"ordered": "2", "kept": "1", "refunded": "1",
                       "exposure": str(2 * per_unit), "exposure_kept": str(per_unit)}
    api = client.get(f"/api/cases/{case.case_id}").json()
    assert (api["units"], api["units_kept"], api["units_refunded"]) == (2, 1, 1)
    assert api["exposure"]["amount_minor"] == 2 * per_unit
    assert api["exposure_kept"]["amount_minor"] == per_unit
    if lang == "ko":
        assert units == "주문 2개 유지 1 · 환불 1"
        assert exposure == "330,200원 유지분 165,100원"
    else:
        assert units == "2 ordered 1 kept · 1 refunded"
        assert exposure == "330,200 KRW on units kept 165,100 KRW"


def test_a_case_nothing_was_refunded_on_shows_its_units_and_exposure_once(
        client: TestClient, world: World) -> None:
    log_in(client, "admin")
    html = client.get(f"/ops/incidents/{world.incident}").text
    figures, units, exposure = _cells(_case_row(html, world.cases["김민준"]))
    assert figures == {"ordered": "1", "kept": "1", "refunded": "0",
                       "exposure": "1431000", "exposure_kept": "1431000"}
    assert (units, exposure) == ("주문 1개", "1,431,000원")


def test_cancelled_cases_read_as_refunded_with_nothing_left_honoured(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    incident, cases = _two_seller_incident(session_factory, page_settings.secret_key, world)
    log_in(client, "admin")
    html = client.get(f"/ops/incidents/{incident}").text
    figures, units, exposure = _cells(_case_row(html, cases["김민준"]))
    assert (figures["ordered"], figures["kept"], figures["refunded"]) == ("5", "0", "5")
    assert figures["exposure_kept"] == "0"
    assert units == "주문 5개 유지 0 · 환불 5" and exposure.endswith("유지분 0원")
