"""Finance's reading of the ledger on real PostgreSQL: the exports' totals are the sum of the
entries, each summary row's seller and platform shares add up to its compensation, and the
filters (incident, seller, customer, Korea days) narrow what is read."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

import json
from datetime import date

import pytest
from test_desk import POLICY, shop  # noqa: F401
from test_desk_difference import _answered
from test_desk_notify_deadline_and_sellers import _two_seller_incident
from typer.testing import CliRunner

from sagwa.adapters.db.ledger_repo import EntryFilter
from sagwa.cli import ledger as ledger_cli
from sagwa.cli.main import app
from sagwa.errors import InvalidInput, NotFound
from sagwa.services import catalog, desk_cases, ledger_reports, points
from sagwa.services.desk_difference import record_difference_paid


def _booked(shop):
    """The two-seller incident with two compensations (one paid by both sellers, one by the
    second only), a staff credit with a seller share and a spend."""
    uow, incident_id, newcomer, people = _two_seller_incident(shop)
    for customer in (people[1], newcomer):
        with uow() as u:
            case_id = u.cases.case_for_customer(incident_id, customer)
        desk_cases.record_choice(uow(), case_id=case_id, choice="cancel_with_compensation",
                                 channel="web", evidence="pressed", taken_by="customer",
                                 policy=POLICY)
    seller = shop[4]
    points.credit_customer_points(uow(), customer_id=people[3], points=6_666, memo="goodwill",
                                  seller_id=seller, seller_share_pct=33, actor="t",
                                  idempotency_key="k1")
    points.debit_customer_points(uow(), customer_id=people[3], points=1_000, memo="spent",
                                 actor="t", idempotency_key="k2")
    return uow, incident_id, people


def _everything():
    return ledger_reports.entry_filter()


def test_every_summary_adds_up_to_the_entries_and_splits_each_row_exactly(shop) -> None:
    uow, incident_id, _ = _booked(shop)
    entries = ledger_reports.export_entries(uow(), filters=_everything())
    assert len(entries) == 4
    assert all(sum(p["amount_minor"] for p in e["postings"]) == 0 for e in entries)
    credited = sum(p["amount_minor"] for e in entries for p in e["postings"]
                   if p["account"] == "customer_points" and e["kind"] != "points_debit")
    assert credited == 10_000 + 10_000 + 6_666
    for by in ("incident", "seller", "day"):
        rows = ledger_reports.summarize(uow(), by=by, filters=_everything())
        total = ledger_reports.total_of(rows)
        assert total.compensation_points == credited, by
        assert total.seller_share == 6_000 + 6_000 + 2_199  # 33% of 6,666 rounded down
        assert total.platform_share == credited - total.seller_share
        assert total.points_spent == 1_000
        assert total.refunds == 6 * 19_900  # the cancelled units, at the wrong price paid
        for r in rows:
            assert r.seller_share + r.platform_share == r.compensation_points, (by, r)
    by_incident = {r.key: r for r in ledger_reports.summarize(uow(), by="incident",
                                                             filters=_everything())}
    assert (by_incident[str(incident_id)].compensation_points,
            by_incident[str(incident_id)].entries) == (20_000, 2)
    by_seller = {r.key: r for r in ledger_reports.summarize(uow(), by="seller",
                                                           filters=_everything())}
    assert by_seller[str(shop[4])].seller_share == 2_400 + 2_199
    assert by_seller[""].points_spent == 1_000
    [day] = ledger_reports.summarize(uow(), by="day", filters=_everything())
    assert day.entries == 4 and len(day.key) == len("2008-06-12")


def test_the_filters_narrow_to_an_incident_a_seller_a_customer_and_korea_days(shop) -> None:
    uow, incident_id, people = _booked(shop)
    with uow() as u:
        entries = u.ledger.find_entries(EntryFilter(), limit=100)
        booked_day = entries[0].created_at.astimezone(ledger_reports.SEOUL).date()

    def kinds(**kw: object) -> list[str]:
        f = ledger_reports.entry_filter(**kw)  # type: ignore[arg-type]
        return [e["kind"] for e in ledger_reports.export_entries(uow(), filters=f)]

    assert kinds(incident_id=incident_id) == ["incident_compensation"] * 2
    for missing in ({"incident_id": incident_id + 1000}, {"seller_id": shop[4] + 1000},
                    {"customer_id": people[3] + 1000}):
        # a mistyped id: refused, not an empty export that reads as nothing owed
        with pytest.raises(NotFound, match="does not exist"):
            kinds(**missing)
        with pytest.raises(NotFound):
            ledger_reports.summarize(uow(), by="seller",
                                     filters=ledger_reports.entry_filter(**missing))
    assert kinds(customer_id=people[3]) == ["points_credit", "points_debit"]
    assert kinds(seller_id=shop[4]) == ["incident_compensation", "points_credit"]
    assert len(kinds(since=booked_day, until=booked_day)) == 4
    assert kinds(until=date.fromordinal(booked_day.toordinal() - 1)) == []
    assert kinds(since=date.fromordinal(booked_day.toordinal() + 1)) == []
    page = ledger_reports.list_entries(uow(), filters=_everything(), limit=3)
    rest = ledger_reports.list_entries(uow(), filters=_everything(), limit=3,
                                       after=page.next_after or 0)
    assert (page.total, len(page.entries), len(rest.entries), rest.next_after) == (4, 3, 1, None)
    [first] = [e for e in page.entries if e["incident_id"] == incident_id][:1]
    assert first["case_id"] and len(first["seller_ids"]) == 2


@pytest.mark.parametrize("by", ["incident", "seller", "day"])
def test_filtered_to_one_seller_every_row_holds_that_sellers_part_only(shop, by: str) -> None:
    """A finance walk: the second seller's export counted the whole of a compensation both
    sellers pay (and, by seller, added the first seller's row to its total). Filtered to a
    seller, any grouping adds up to that seller's own row of the unfiltered export."""
    uow, incident_id, _ = _booked(shop)
    seller = str(shop[4])
    own = {r.key: r for r in ledger_reports.summarize(uow(), by="seller",
                                                     filters=_everything())}[seller]
    rows = ledger_reports.summarize(uow(), by=by,  # type: ignore[arg-type]
                                    filters=ledger_reports.entry_filter(seller_id=shop[4]))
    total = ledger_reports.total_of(rows)
    for column in ("entries", "compensation_points", "seller_share", "platform_share",
                   "points_spent", "refunds"):
        assert getattr(total, column) == getattr(own, column), (column, total, own)
    assert total.seller_share == 2_400 + 2_199
    for r in rows:
        assert r.seller_share + r.platform_share == r.compensation_points, r
    if by == "seller":
        assert [r.key for r in rows] == [seller]
    if by == "incident":
        shares = {r.key: r.seller_share for r in rows}
        assert shares == {str(incident_id): 2_400, "": 2_199}


def test_reversed_or_malformed_dates_are_refused_clearly() -> None:
    with pytest.raises(InvalidInput) as refused:
        ledger_reports.korea_days(date(2008, 6, 13), date(2008, 6, 12))
    assert refused.value.details["reason"] == "ledger_dates_reversed"
    answer = CliRunner().invoke(app, ["ledger", "export", "--from", "2008-13-01"])
    assert answer.exit_code == 2
    assert "YYYY-MM-DD" in answer.output
    answer = CliRunner().invoke(app, ["ledger", "export", "--from", "2008-06-13",
                                      "--to", "2008-06-12"])
    assert answer.exit_code == 2 and "wrong way round" in answer.output
    answer = CliRunner().invoke(app, ["ledger", "export", "--format", "json", "--excel"])
    assert answer.exit_code == 2 and "--excel is for --format csv" in answer.output
    answer = CliRunner().invoke(app, ["ledger", "export", "--seller", "abc"])
    assert answer.exit_code == 2 and "'abc' is not a whole number" in answer.output


def test_the_csv_export_has_a_header_and_whole_won_and_a_balancing_total(shop) -> None:
    uow, _, _ = _booked(shop)
    by_entry = ledger_cli._export(uow(), ledger_cli.By.ENTRY, ledger_cli.Format.CSV,
                                  _everything(), None)
    lines = by_entry.splitlines()
    assert lines[0] == ",".join(ledger_reports.ENTRY_COLUMNS)
    assert sum(int(line.rsplit(",", 1)[1]) for line in lines[1:]) == 0
    summary = ledger_cli._export(uow(), ledger_cli.By.SELLER, ledger_cli.Format.CSV,
                                 _everything(), None).splitlines()
    assert summary[0] == ",".join(ledger_reports.SUMMARY_COLUMNS)
    assert summary[-1].startswith("total,4,26666,14199,12467,1000,119400,")
    # an entry two sellers share is on both their rows (a tester read 0 entries on the second
    # seller's row beside 1 filtered to them), and once on the total
    rows = {line.split(",")[0]: int(line.split(",")[1]) for line in summary[1:-1]}
    sellers = {k: n for k, n in rows.items() if k}
    assert len(sellers) == 2 and all(n >= 1 for n in sellers.values()), rows
    assert sum(rows.values()) == 5  # 4 entries, the one both sellers pay on both their rows
    as_json = json.loads(ledger_cli._export(uow(), ledger_cli.By.DAY, ledger_cli.Format.JSON,
                                            _everything(), None))
    assert as_json["total"]["compensation_points"] == 26_666


def test_differences_customers_paid_are_in_every_summary(shop) -> None:
    """A finance walk: a customer paid 137,600 KRW on top for the discount, and no export said
    so; money received could not be reconciled. The difference recorded as paid is in
    ``differences_paid`` by incident, seller and day, filtered to its seller too, and not for
    another seller."""
    uow, _clock, iid, cases, people = _answered(shop, 20, {1: "buy_at_correct_price_discount"})
    paid = record_difference_paid(uow(), case_id=cases[people[1]], actor="agent:park",
                                  note="bank transfer 123")
    owed = paid.difference.amount_minor
    assert owed > 0
    seller = shop[4]
    for by in ("incident", "seller", "day"):
        rows = ledger_reports.summarize(uow(), by=by, filters=_everything())
        assert ledger_reports.total_of(rows).differences_paid == owed, by
        assert {r.differences_paid for r in rows} <= {0, owed}
        mine = ledger_reports.summarize(
            uow(), by=by, filters=ledger_reports.entry_filter(seller_id=seller))
        assert ledger_reports.total_of(mine).differences_paid == owed, by
    [row] = [r for r in ledger_reports.summarize(uow(), by="incident", filters=_everything())
             if r.key == str(iid)]
    assert row.differences_paid == owed
    other = catalog.register_seller(uow(), code="other", name="다른 판매자", actor="t").id
    none = ledger_reports.summarize(uow(), by="seller",
                                    filters=ledger_reports.entry_filter(seller_id=other))
    assert ledger_reports.total_of(none).differences_paid == 0
    as_json = json.loads(ledger_cli._export(uow(), ledger_cli.By.INCIDENT, ledger_cli.Format.JSON,
                                            _everything(), None))
    assert (as_json["total"]["differences_paid"], as_json["total"]["differences_other"]) == (
        owed, "")
