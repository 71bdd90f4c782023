"""``sagwa incident status`` gives the money booked as the postmortem words it — the
compensation, who pays it (the platform and each seller by name), the refunds — in its table;
``--format json`` prints the ``money`` mapping as it always did."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cli_desk import seller_types_the_wrong_price
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from test_cli_incident import STATUS_KEYS, flat, sagwa

from sagwa.adapters.embedded_pg import start_embedded
from sagwa.cli.incident_format import format_status
from sagwa.config import get_settings
from sagwa.services.desk_cases import record_choice
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.desk_status import IncidentStatusView
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.deadlines import closing_time_after
from sagwa.testing.embedded import fresh_data_dir, query

pytestmark = pytest.mark.e2e
MONEY_KEYS = ["points_currency", "compensation_points", "compensated_cases", "platform_points",
              "seller_points", "sellers", "refunds", "refunded_units", "refunded_orders"]


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with fresh_data_dir("sgm") as path:
        yield path


def _chooses(data_dir: Path, case_id: int, choice: str = "cancel_with_compensation") -> None:
    engine = create_engine(start_embedded(data_dir / "pg"))
    try:
        record_choice(SqlAlchemyUnitOfWork(sessionmaker(bind=engine)), case_id=case_id,
                      choice=choice, channel="phone", evidence=f"{choice}, please",
                      taken_by="agent-kim", policy=load_desk_policy(get_settings().desk_policy))
    finally:
        engine.dispose()


def _planned(data_dir: Path, listing_id: int) -> int:
    """An incident on ``listing_id`` (the seller typed 19,900 for 199,000), scoped and planned:
    keep, cancel with 5,000 points (seller 70%, platform 30%) or 20% off. Its id."""
    [(opened,)] = query(data_dir, f"SELECT created_at FROM listings WHERE id = {listing_id}")
    seller_types_the_wrong_price(data_dir, listing_id)
    declared = sagwa("incident", "declare", "--listing", str(listing_id), "--wrong-price",
                     "19900", "--correct-price", "199000", "--window-start", opened.isoformat(),
                     "--cause", "a zero dropped", "--responsible", "seller", "--format", "json")
    assert declared.exit_code == 0, declared.output
    incident_id = int(json.loads(declared.stdout)["incident_id"])
    assert sagwa("incident", "scope", str(incident_id)).exit_code == 0
    later = closing_time_after(datetime.now(UTC) + timedelta(days=7))
    planned = sagwa("incident", "plan", str(incident_id), "--option", "keep", "--option",
                    "cancel_with_compensation", "--option", "buy_at_correct_price_discount",
                    "--discount", "20", "--compensation", "5000", "--seller-share", "70",
                    "--platform-share", "30", "--deadline", later.isoformat())
    assert planned.exit_code == 0, planned.output
    return incident_id


@pytest.fixture(scope="module")
def incident(data_dir: Path) -> tuple[int, int, str]:
    """A planned incident (5,000 points, seller 70%, platform 30%, or 20% off the correct
    price) on the listing with the most orders; one customer cancelled, another bought at the
    discount. (incident id, seller id, seller name)."""
    seeded = sagwa("seed", "demo", "--customers", "8", "--orders", "20", "--json")
    assert seeded.exit_code == 0, seeded.output
    [(listing_id, seller_id, seller)] = query(
        data_dir, "SELECT l.id, s.id, s.name FROM listings l JOIN sellers s ON s.id = l.seller_id "
                  "WHERE l.id = (SELECT listing_id FROM orders GROUP BY listing_id "
                  "ORDER BY count(*) DESC, listing_id LIMIT 1)")
    incident_id = _planned(data_dir, listing_id)
    [(case_id, last)] = query(data_dir, "SELECT min(id), max(id) FROM cases "
                                        f"WHERE incident_id = {incident_id}")
    _chooses(data_dir, case_id)
    _chooses(data_dir, last, "buy_at_correct_price_discount")
    return incident_id, seller_id, seller


def test_the_status_table_says_who_pays_the_compensation_by_name(
        incident: tuple[int, int, str]) -> None:
    incident_id, seller_id, seller = incident
    result = sagwa("incident", "status", str(incident_id))
    assert result.exit_code == 0, result.output
    shown = flat(result.stdout)
    assert "compensation points booked 5,000 points (1 case)" in shown
    assert "… paid by the platform 1,500 points" in shown
    assert f"… paid by seller {seller} (#{seller_id}) 3,500 points" in shown
    assert "refunds applied to orders" in shown
    for leak in ("seller id", "sellers:", "points currency", "{", "[", "None"):
        assert leak not in shown, leak


def test_the_status_json_keeps_the_money_mapping(incident: tuple[int, int, str]) -> None:
    incident_id, seller_id, seller = incident
    result = sagwa("incident", "status", str(incident_id), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == STATUS_KEYS and list(data["money"]) == MONEY_KEYS
    money = data["money"]
    assert (money["compensation_points"], money["platform_points"]) == (5_000, 1_500)
    assert money["sellers"] == [{"seller_id": seller_id, "name": seller, "points": 3_500}]


def _view(money: dict[str, object]) -> IncidentStatusView:
    return IncidentStatusView(
        incident_id=7, status="notifying", listings=[1, 2],
        wrong_price={"amount_minor": 19_900, "currency": "KRW"},
        correct_price={"amount_minor": 185_000, "currency": "KRW"}, responsible="both",
        cause="typo", opened_at=datetime(2008, 6, 12, 8, tzinfo=UTC), declared_at=None,
        notice_due_at=None, first_notice_at=None, first_pause_at=None,
        first_message_sent_at=None, money=money)


def test_each_seller_is_a_row_of_its_own_after_the_platform() -> None:
    money = {"points_currency": "PTS", "compensation_points": 20_000, "compensated_cases": 2,
             "platform_points": 8_000, "seller_points": 12_000,
             "sellers": [{"seller_id": 1, "name": "하늘디지털", "points": 2_400},
                         {"seller_id": 2, "name": "바다전자", "points": 9_600}],
             "refunds": {"amount_minor": 119_400, "currency": "KRW"}, "refunded_units": 6,
             "refunded_orders": 3}
    rows = format_status(_view(money))
    assert rows[-5:] == [("compensation points booked", "20,000 points (2 cases)"),
                         ("… paid by the platform", "8,000 points"),
                         ("… paid by seller 하늘디지털 (#1)", "2,400 points"),
                         ("… paid by seller 바다전자 (#2)", "9,600 points"),
                         ("refunds applied to orders", "119,400 KRW (6 units, 3 orders)")]
    assert "money" not in dict(rows)


def test_a_status_without_money_says_so_with_a_dash() -> None:
    assert format_status(_view({}))[-1] == ("money", "—")


def test_the_difference_is_recorded_as_paid_once_and_counted(
        data_dir: Path, incident: tuple[int, int, str]) -> None:
    incident_id = incident[0]
    [(first, last)] = query(data_dir, "SELECT min(id), max(id) FROM cases "
                                      f"WHERE incident_id = {incident_id}")
    status = json.loads(sagwa("incident", "status", str(incident_id), "--format", "json").stdout)
    assert status["differences_unpaid"] == 1
    owed = status["differences_unpaid_total"]
    assert owed["currency"] == "KRW" and owed["amount_minor"] > 0
    won = f"{owed['amount_minor']:,} KRW"
    # not a plain "resolved": the table says who still owes, and what, as the list does
    table = flat(sagwa("incident", "status", str(incident_id)).stdout)
    assert "(1 still owes a difference)" in table
    assert f"differences unpaid 1 case owes {won} in all (items held until it is paid)" in table
    listed = flat(sagwa("incident", "list").stdout)
    assert listed.endswith(f"{won} 1 case")  # the amount, and under it the cases
    [summary] = [s for s in json.loads(sagwa("incident", "list", "--format", "json").stdout)
                 if s["id"] == incident_id]
    assert (summary["differences_unpaid"], summary["differences_unpaid_total"]) == (1, owed)
    blank = sagwa("incident", "difference-paid", str(last), "--note", " ", "--format", "json")
    assert blank.exit_code == 2, blank.output
    assert json.loads(blank.stdout)["details"]["reason"] == "payment_note_required"
    said_nothing = sagwa("incident", "difference-paid", str(last), "--note", "ok", "--format",
                         "json")
    assert said_nothing.exit_code == 2, said_nothing.output
    assert json.loads(said_nothing.stdout)["details"]["reason"] == "payment_note_too_short"
    paid = sagwa("incident", "difference-paid", str(last), "--note", "receipt 0613-42",
                 "--format", "json")
    assert paid.exit_code == 0, paid.output
    data = json.loads(paid.stdout)
    assert list(data) == ["case_id", "difference", "paid_at", "recorded_by", "note", "changed",
                          "receipt", "sellers_told",  # sellers_told appended (2026-12-04)
                          "note_recorded"]  # appended (2026-12-05)
    assert data["note_recorded"] is True
    assert data["receipt"] in {"email", "sms"}  # the customer's receipt was queued
    [(now_total,)] = query(data_dir, "SELECT sum(o.unit_price_minor * o.quantity) FROM orders o "
                                     f"JOIN case_orders c ON c.order_id = o.id WHERE c.case_id = {last}")
    # repriced at 199,000 less 20%: the difference is the new total less what was paid
    assert now_total % 159_200 == 0
    assert 0 < data["difference"]["amount_minor"] < now_total and data["changed"] is True
    assert (data["case_id"], data["note"]) == (last, "receipt 0613-42")
    assert data["recorded_by"].startswith("cli")
    assert datetime.fromisoformat(data["paid_at"]).utcoffset() is not None
    again = sagwa("incident", "difference-paid", str(last), "--note", "other")
    assert again.exit_code == 0 and "already recorded as paid; nothing changed" in flat(again.stdout)
    # another note is not silently dropped: the title says it was not recorded
    assert "the note you gave was NOT recorded" in flat(again.stdout)
    again_json = json.loads(sagwa("incident", "difference-paid", str(last), "--note", "other",
                                  "--format", "json").stdout)
    assert (again_json["note_recorded"], again_json["note"]) == (False, "receipt 0613-42")
    status = json.loads(sagwa("incident", "status", str(incident_id), "--format", "json").stdout)
    assert status["differences_unpaid"] == 0
    assert status["differences_unpaid_total"] == {"amount_minor": 0, "currency": "KRW"}
    assert "still owe" not in flat(sagwa("incident", "status", str(incident_id)).stdout)
    cancelled = sagwa("incident", "difference-paid", str(first), "--note", "receipt")
    assert cancelled.exit_code == 1
    assert "owes no difference" in flat(cancelled.output)
    refused = sagwa("incident", "difference-paid", str(first), "--note", "receipt", "--format",
                    "json")
    assert json.loads(refused.stdout)["details"] == {"reason": "no_difference_owed",
                                                     "case_id": first}


@pytest.fixture(scope="module")
def second_incident(data_dir: Path, incident: tuple[int, int, str]) -> int:
    """The listing with the second most orders in an incident of its own, planned as the first
    one; its first customer took the discount. Its id."""
    [(listing_id,)] = query(
        data_dir, "SELECT listing_id FROM orders GROUP BY listing_id "
                  "ORDER BY count(*) DESC, listing_id OFFSET 1 LIMIT 1")
    incident_id = _planned(data_dir, listing_id)
    [(case_id,)] = query(data_dir, f"SELECT min(id) FROM cases WHERE incident_id = {incident_id}")
    _chooses(data_dir, case_id, "buy_at_correct_price_discount")
    return incident_id


def test_a_customer_may_cancel_instead_of_paying_once(
        data_dir: Path, incident: tuple[int, int, str], second_incident: int) -> None:
    """A customer who took the discount asks (by phone) to cancel instead: the CLI records it
    once, with the refund and the points; a case that chose the cancellation in the first place
    is refused with its reason."""
    [(first,)] = query(data_dir, f"SELECT min(id) FROM cases WHERE incident_id = {incident[0]}")
    [(case_id,)] = query(data_dir, "SELECT min(id) FROM cases "
                                   f"WHERE incident_id = {second_incident}")
    [(repriced,)] = query(data_dir, "SELECT sum(o.unit_price_minor * o.quantity) FROM orders o "
                                    "JOIN case_orders c ON c.order_id = o.id "
                                    f"WHERE c.case_id = {case_id}")
    done = sagwa("incident", "cancel-instead", str(case_id), "--evidence",
                 "차액은 부담돼서 취소할게요", "--format", "json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert list(data) == ["case_id", "changed", "refund", "compensation_points",
                          "confirmation", "sellers_told"]
    assert (data["case_id"], data["changed"], data["compensation_points"]) == (case_id, True,
                                                                               5_000)
    # what was paid at the wrong price, not the repriced total
    assert 0 < data["refund"]["amount_minor"] < repriced
    [(choice, channel, taken_by)] = query(data_dir, "SELECT choice, choice_channel, "
                                                    "choice_taken_by FROM cases "
                                                    f"WHERE id = {case_id}")
    assert (choice, channel) == ("cancel_with_compensation", "phone")
    assert taken_by.startswith("cli")
    again = sagwa("incident", "cancel-instead", str(case_id), "--evidence",
                  "asked again to cancel, by phone")  # words long enough for any consent
    assert again.exit_code == 0
    assert "already cancelled instead; nothing changed" in flat(again.stdout)
    # the points booked for the case (the first time), not 0 (changed 2026-12-05)
    assert "compensation points 5,000" in flat(again.stdout)
    refused = sagwa("incident", "cancel-instead", str(first), "--evidence", "취소",
                    "--format", "json")
    assert refused.exit_code == 1, refused.output
    assert json.loads(refused.stdout)["details"]["reason"] == "not_a_discount_choice"


@pytest.fixture(scope="module")
def incident_without_points(data_dir: Path, incident: tuple[int, int, str]) -> int:
    """The listing with the third most orders in an incident whose plan offers the cancellation
    with no points (0); its first customer cancelled. Its id."""
    [(listing_id,)] = query(
        data_dir, "SELECT listing_id FROM orders GROUP BY listing_id "
                  "ORDER BY count(*) DESC, listing_id OFFSET 2 LIMIT 1")
    [(opened,)] = query(data_dir, f"SELECT created_at FROM listings WHERE id = {listing_id}")
    seller_types_the_wrong_price(data_dir, listing_id)
    declared = sagwa("incident", "declare", "--listing", str(listing_id), "--wrong-price",
                     "19900", "--correct-price", "199000", "--window-start", opened.isoformat(),
                     "--cause", "a zero dropped", "--responsible", "seller", "--format", "json")
    assert declared.exit_code == 0, declared.output
    incident_id = int(json.loads(declared.stdout)["incident_id"])
    assert sagwa("incident", "scope", str(incident_id)).exit_code == 0
    later = closing_time_after(datetime.now(UTC) + timedelta(days=7))
    planned = sagwa("incident", "plan", str(incident_id), "--option", "keep", "--option",
                    "cancel_with_compensation", "--compensation", "0", "--seller-share", "70",
                    "--platform-share", "30", "--deadline", later.isoformat())
    assert planned.exit_code == 0, planned.output
    [(case_id,)] = query(data_dir, f"SELECT min(id) FROM cases WHERE incident_id = {incident_id}")
    _chooses(data_dir, case_id)
    return incident_id


def test_a_cancellation_without_points_is_not_called_compensated(
        incident: tuple[int, int, str], incident_without_points: int, tmp_path: Path) -> None:
    """Status and report name the cancellation for its plan: a full refund only, under a plan
    without points; the JSON keeps the choice's code and the plan's 0."""
    shown = flat(sagwa("incident", "status", str(incident_without_points)).stdout)
    assert "cancel the order (full refund): 1" in shown
    assert "compensation: none (cancelling gives a full refund only)" in shown
    assert "full refund and compensation points" not in shown
    data = json.loads(sagwa("incident", "status", str(incident_without_points), "--format",
                            "json").stdout)
    assert data["choices"] == {"cancel_with_compensation": 1}
    assert data["plan"]["cancel_compensation"] == 0
    report = sagwa("incident", "report", str(incident_without_points), "--out", str(tmp_path))
    assert report.exit_code == 0, report.output
    assert "… cancelled for a full refund 1" in flat(report.stdout)
    assert "cancelled with compensation" not in flat(report.stdout)
    postmortem = (tmp_path / f"incident-{incident_without_points}.md").read_text()
    assert "| … cancelled for a full refund | 1 |" in postmortem
    # a plan with points (the first incident's 5,000) still names them
    with_points = flat(sagwa("incident", "status", str(incident[0])).stdout)
    assert "cancel the order (full refund and compensation points): 1" in with_points
