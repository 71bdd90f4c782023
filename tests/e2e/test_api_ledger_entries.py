"""``GET /api/ledger/entries``: finance lists the ledger, admin only, each entry with its
postings, filtered and paged in a stable order; a bad date is a clear 422."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.e2e

ApiClientFor = Callable[..., TestClient]  # the client_for fixture (tests/e2e/conftest.py)


@pytest.fixture
def booked(client: TestClient) -> dict[str, int]:
    seller = client.post("/api/sellers", json={"code": "s1", "name": "판매자1"}).json()["id"]
    ids = {"seller": seller}
    for n in (1, 2):
        ids[f"customer{n}"] = client.post("/api/customers", json={
            "name": f"고객{n}", "email": f"c{n}@example.com",
            "phone": f"010-1234-567{n}"}).json()["id"]
    for n, share in ((1, 33), (2, 0)):
        answer = client.post(f"/api/customers/{ids[f'customer{n}']}/points/credit", json={
            "points": 6_666, "memo": f"goodwill {n}", "seller_id": seller,
            "seller_share_pct": share})
        assert answer.status_code == 201, answer.text
    client.post(f"/api/customers/{ids['customer1']}/points/debit",
                json={"points": 500, "memo": "spent"})
    return ids


def test_finance_lists_the_entries_with_their_postings_filtered_and_paged(
        client: TestClient, booked: dict[str, int]) -> None:
    answer = client.get("/api/ledger/entries")
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert page["total"] == 3 and page["next_after"] is None
    first = page["entries"][0]
    assert first["kind"] == "points_credit" and first["seller_ids"] == [booked["seller"]]
    assert {(p["account"], p["amount_minor"]) for p in first["postings"]} == {
        ("customer_points", 6_666), ("seller_chargeback", -2_199), ("platform_expense", -4_467)}
    assert all(sum(p["amount_minor"] for p in e["postings"]) == 0 for e in page["entries"])
    ids = [e["id"] for e in page["entries"]]
    assert ids == sorted(ids)
    one = client.get("/api/ledger/entries", params={"limit": 2}).json()
    two = client.get("/api/ledger/entries", params={"limit": 2, "after": one["next_after"]}).json()
    assert [e["id"] for e in one["entries"] + two["entries"]] == ids
    mine = client.get("/api/ledger/entries", params={"customer_id": booked["customer1"]}).json()
    assert [e["kind"] for e in mine["entries"]] == ["points_credit", "points_debit"]
    charged = client.get("/api/ledger/entries", params={"seller_id": booked["seller"]}).json()
    assert charged["total"] == 1
    # the days they were booked on, in Seoul (from the entries: a day read from the clock here
    # would be the next one if the booking ran over midnight)
    days = sorted({datetime.fromisoformat(e["created_at"]).astimezone(ZoneInfo("Asia/Seoul"))
                   .date() for e in page["entries"]})
    assert client.get("/api/ledger/entries", params={
        "from": str(days[0]), "to": str(days[-1])}).json()["total"] == 3
    assert client.get("/api/ledger/entries", params={
        "from": str(days[-1] + timedelta(days=1))}).json()["total"] == 0
    assert client.get("/api/ledger/entries", params={
        "to": str(days[0] - timedelta(days=1))}).json()["total"] == 0


def test_bad_dates_and_callers_other_than_an_admin_are_refused(
        client: TestClient, client_for: ApiClientFor, booked: dict[str, int]) -> None:
    bad = client.get("/api/ledger/entries", params={"from": "2008-13-01"})
    assert bad.status_code == 422 and "from" in bad.text
    # a finance walk: a UTC midnight was taken as that day in Korea, nine hours off
    for a_time in ("2026-12-08T00:00:00Z", "2026-12-08T00:00:00+09:00"):
        timed = client.get("/api/ledger/entries", params={"from": a_time})
        assert timed.status_code == 422, timed.text
        assert "not a time" in timed.text
    reversed_ = client.get("/api/ledger/entries", params={"from": "2008-06-13", "to": "2008-06-12"})
    assert reversed_.status_code == 422
    assert reversed_.json()["details"]["reason"] == "ledger_dates_reversed"
    assert client_for("agent").get("/api/ledger/entries").status_code == 403
