"""The desk's money on real PostgreSQL: a customer with orders from two sellers has the
sellers' share of the compensation divided between them in the ledger (and the status and
postmortem say so per seller), and a keep above the plan's cap reads the same everywhere —
units kept and refunded, what was paid, the exposure."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from test_desk import LINKS, POLICY, _planned, shop  # noqa: F401
from test_desk_notify_deadline_and_sellers import _two_seller_incident

from sagwa.domain.ledger import AccountKind
from sagwa.services import catalog, desk_cases, orders
from sagwa.services.desk_money import figures_of_cases
from sagwa.services.desk_notify import notify
from sagwa.services.desk_report import build_report, figure_rows, write_postmortem
from sagwa.services.desk_status import incident_status
from sagwa.web.api.incidents import cases_public
from sagwa.web.pages.case_facts import load_case
from sagwa.web.pages.customer_case_words import amounts

SEOUL = ZoneInfo("Asia/Seoul")


def _cancel(uow, case_id: int):
    return desk_cases.record_choice(uow(), case_id=case_id, choice="cancel_with_compensation",
                                    channel="web", evidence="pressed", taken_by="customer",
                                    policy=POLICY)


def _case_of(uow, incident_id: int, customer_id: int) -> int:
    with uow() as u:
        return u.cases.case_for_customer(incident_id, customer_id)


def _sellers(uow, incident_id: int, customer_id: int) -> dict[int, int]:
    """Seller id -> value of the customer's orders from them (minor units, price paid)."""
    with uow() as u:
        row = u.cases.get(_case_of(uow, incident_id, customer_id))
        out: dict[int, int] = {}
        for o in row.case.orders:
            seller = u.market.listing(int(o.listing_id)).seller_id
            out[seller] = out.get(seller, 0) + o.unit_price.amount_minor * o.quantity
    return out


def test_a_case_with_two_sellers_charges_each_seller_in_proportion_to_its_orders(shop) -> None:
    uow, incident_id, _, people = _two_seller_incident(shop)
    value = _sellers(uow, incident_id, people[1])
    assert len(value) == 2  # 2 × 19,900 from the first seller, 3 × 19,900 from the second
    result = _cancel(uow, _case_of(uow, incident_id, people[1]))
    with uow() as u:
        entry = u.ledger.get(result.compensation_entry_id).entry
        assert u.ledger.trial_balance() == 0
    legs = {(p.account.kind, p.account.owner_id): p.amount.amount_minor for p in entry.postings}
    first, second = sorted(value, key=value.get)
    assert legs == {(AccountKind.CUSTOMER_POINTS, people[1]): 10_000,
                    (AccountKind.SELLER_CHARGEBACK, first): -2_400,  # 6,000 × 2/5
                    (AccountKind.SELLER_CHARGEBACK, second): -3_600,  # 6,000 × 3/5
                    (AccountKind.PLATFORM_EXPENSE, None): -4_000}
    assert sum(legs.values()) == 0


def test_the_status_and_the_postmortem_give_each_sellers_share_from_the_ledger(
        shop, tmp_path) -> None:
    uow, incident_id, newcomer, people = _two_seller_incident(shop)
    _cancel(uow, _case_of(uow, incident_id, people[1]))  # both sellers
    _cancel(uow, _case_of(uow, incident_id, newcomer))  # the second seller only
    value = _sellers(uow, incident_id, people[1])
    first, second = sorted(value, key=value.get)
    money = incident_status(uow(), incident_id=incident_id, policy=POLICY).money
    assert (money["compensation_points"], money["compensated_cases"]) == (20_000, 2)
    assert (money["platform_points"], money["seller_points"]) == (8_000, 12_000)
    assert [(s["seller_id"], s["points"]) for s in money["sellers"]] == sorted(
        [(first, 2_400), (second, 3_600 + 6_000)])
    assert [s["name"] for s in money["sellers"]] == ["하늘디지털", "다른가게"]
    # one customer's 2 + 3 units and the newcomer's 1 unit were cancelled and refunded
    assert money["refunds"] == {"amount_minor": 6 * 19_900, "currency": "KRW"}
    assert (money["refunded_units"], money["refunded_orders"]) == (6, 4)
    report = build_report(uow(), incident_id=incident_id, policy=POLICY)
    assert report.figures["money"] == money
    json.dumps(report.figures)  # the CLI's --format json prints them as they are
    rows = dict(figure_rows(report.figures))
    assert rows["compensation points booked"] == "20,000 points (2 cases)"
    assert rows["… paid by the platform"] == "8,000 points"
    assert rows[f"… paid by seller 하늘디지털 (#{first})"] == "2,400 points"
    assert rows[f"… paid by seller 다른가게 (#{second})"] == "9,600 points"
    assert rows["refunds applied to orders"] == "119,400 KRW (6 units, 4 orders)"
    markdown, _ = write_postmortem(report, tmp_path)
    text = markdown.read_text(encoding="utf-8")
    assert "## Money" in text and f"| … paid by seller 다른가게 (#{second}) | 9,600 points |" in text


def _three_units(uow, clock, listing_id: int) -> int:
    """A customer who ordered 3 units in one order (the plan will let them keep 2)."""
    person = catalog.register_customer(uow(), name="세개", email="three@example.com",
                                       phone="010-3333-0003", locale="ko", actor="t")
    clock.now = datetime(2008, 6, 12, 16, 0, tzinfo=SEOUL)
    orders.place_order(uow(), customer_id=person.id, listing_id=listing_id, quantity=3,
                       actor="t", velocity=None)
    return person.id


def test_a_capped_keep_says_which_units_are_kept_and_which_refunded_everywhere(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    customer = _three_units(uow, clock, listing_id)
    incident_id = _planned(uow, clock, listing_id, keep_max_units=2)
    notify(uow(), incident_id=incident_id, actor="operator:lee", policy=POLICY, links=LINKS)
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    case_id = _case_of(uow, incident_id, customer)
    desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    diff = 199_000 - 19_900
    with uow() as u:
        [public] = cases_public(u, [u.cases.get(case_id)])
        facts = load_case(u, case_id)
    assert (public.units, public.units_kept, public.units_refunded) == (3, 2, 1)
    assert public.exposure.amount_minor == 3 * diff  # as ordered: matches units
    assert public.exposure_kept.amount_minor == 2 * diff  # still honoured: matches units_kept
    # the incident's total, counted by unit price in the database, is its cases' added up
    view = incident_status(uow(), incident_id=incident_id, policy=POLICY)
    with uow() as u:
        each = figures_of_cases(u, u.cases.for_incident(incident_id))
    assert view.exposure_kept == {"amount_minor": sum(
        f.exposure_kept.amount_minor for f in each.values()), "currency": "KRW"}
    assert (public.paid.amount_minor, public.refunded.amount_minor) == (3 * 19_900, 19_900)
    [order] = public.orders
    assert (order.units_ordered, order.units_kept, order.units_refunded) == (3, 2, 1)
    assert (facts.paid.amount_minor, facts.units) == (3 * 19_900, 3)
    assert amounts(facts, "ko") == [("결제하신 금액", "59,700원 (3개)"),
                                    ("보내 드리는 상품", "2개 (39,800원)"),
                                    ("환불 금액", ("19,900원 (1개) · 환불 요청 접수 · 6월 13일(금) · "
                                                 "6월 18일(수)까지 지급"))]
    assert amounts(facts, "en") == [("You paid", "59,700 KRW (3 units)"),
                                    ("Items we send", "2 units (39,800 KRW)"),
                                    ("Refund", ("19,900 KRW (1 unit) · refund requested · "
                                                 "Friday, June 13 · due by Wednesday, June 18"))]
    money = incident_status(uow(), incident_id=incident_id, policy=POLICY).money
    assert (money["refunds"]["amount_minor"], money["refunded_units"]) == (19_900, 1)
    assert money["compensation_points"] == 0 and money["sellers"] == []


def test_a_case_nobody_changed_reads_as_ordered(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    incident_id = _planned(uow, clock, listing_id)
    clock.now += timedelta(hours=1)
    with uow() as u:
        publics = cases_public(u, u.cases.for_incident(incident_id))
    assert all(p.units == p.units_kept and p.units_refunded == 0 for p in publics)
    assert all(p.exposure == p.exposure_kept and p.refunded.amount_minor == 0 for p in publics)
    assert sum(p.units for p in publics) == 9
