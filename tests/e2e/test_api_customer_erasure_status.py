"""``GET /api/customers/{id}`` says what the staff pages mark: a customer whose personal data was
erased (``erased_at``: name, email and phone blank since) and one whose request to be erased
waits while a law keeps the data (``erasure_requested_at``, ``erasure_from``: the day it will be
done) — an integration can keep that data apart, as the pages do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from fastapi.testclient import TestClient
from test_api_access import shop  # noqa: F401

from sagwa.errors import Conflict
from sagwa.services.customer_erasure import erase_customer
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e

UowFactory = Callable[[], SqlAlchemyUnitOfWork]


def test_a_customer_with_nothing_to_say_says_so(client: TestClient,
                                                shop: dict[str, int]) -> None:  # noqa: F811
    shown = client.get(f"/api/customers/{shop['customer']}").json()
    assert shown["name"] == "김민준"
    assert (shown["erased_at"], shown["erasure_requested_at"], shown["erasure_from"]) == (
        None, None, None)


def test_a_request_the_law_keeps_waiting_is_shown_with_the_day_it_will_be_done(
        client: TestClient, uow: UowFactory, shop: dict[str, int]) -> None:  # noqa: F811
    ordered = client.post("/api/orders", json={"customer_id": shop["customer"],
                                               "listing_id": shop["listing1"], "quantity": 1})
    assert ordered.status_code == 201, ordered.text
    with pytest.raises(Conflict):  # the order is kept 5 years
        erase_customer(uow(), customer_id=shop["customer"], reason="request", actor="admin")
    shown = client.get(f"/api/customers/{shop['customer']}").json()
    asked = datetime.fromisoformat(shown["erasure_requested_at"])
    assert asked.utcoffset() is not None and asked.utcoffset().total_seconds() == 9 * 3600
    assert date.fromisoformat(shown["erasure_from"]).year == asked.year + 5
    assert shown["erased_at"] is None and shown["name"] == "김민준"
    # a correction's answer says so too (it was null there)
    corrected = client.patch(f"/api/customers/{shop['customer']}", json={"phone": "010-2222-3333"})
    assert corrected.status_code == 200, corrected.text
    said = corrected.json()["customer"]
    assert (said["erasure_requested_at"], said["erasure_from"]) == (
        shown["erasure_requested_at"], shown["erasure_from"])


def test_an_erased_customer_says_when(client: TestClient, uow: UowFactory,
                                      shop: dict[str, int]) -> None:  # noqa: F811
    done = erase_customer(uow(), customer_id=shop["customer"], reason="request", actor="admin")
    shown = client.get(f"/api/customers/{shop['customer']}").json()
    assert (shown["name"], shown["email"], shown["phone"]) == ("", None, None)
    assert datetime.fromisoformat(shown["erased_at"]) == done.erased_at
    assert shown["erasure_requested_at"] is None  # carried out: none waits
