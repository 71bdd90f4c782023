"""``POST /api/incidents/{id}/price-block/narrow`` and ``sagwa incident narrow-price-block``:
an operator lets prices past a closed gross mistake's band be set again on the product."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker
from test_api_access import ApiClientFor, krw, refused, shop  # noqa: F401  (shop: fixture)
from typer.testing import CliRunner, Result

from sagwa.adapters.embedded_pg import start_embedded
from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import listings
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.embedded import fresh_data_dir


def _closed_gross_mistake(client: TestClient, shop: dict[str, int],  # noqa: F811
                          session_factory: sessionmaker[Session]) -> int:
    listings.propose_price_change(SqlAlchemyUnitOfWork(session_factory),
                                  listing_id=shop["listing1"], new_price=Money(19900, "KRW"),
                                  proposed_by="seller:s1")
    body = {"listing_ids": [shop["listing1"]], "wrong_price": krw(19900),
            "correct_price": krw(199000), "window_start": datetime.now(UTC).isoformat(),
            "cause": "90% event typed as the price", "responsible": "seller"}
    declared = client.post("/api/incidents", json=body, headers={"Idempotency-Key": "inc-1"})
    assert declared.status_code == 201, declared.text
    incident = int(declared.json()["incident_id"])
    listings.propose_price_change(SqlAlchemyUnitOfWork(session_factory),
                                  listing_id=shop["listing1"], new_price=Money(199000, "KRW"),
                                  proposed_by="seller:s1")
    path = f"/api/incidents/{incident}/price-block/narrow"
    refused(client.post(path, json={"reason": "too early"}), 409, "conflict",
            "incident_not_closed")
    assert client.post(f"/api/incidents/{incident}/scope").status_code == 200
    closed = client.post(f"/api/incidents/{incident}/close", json={"reason": "nobody ordered"})
    assert closed.status_code == 200, closed.text
    return incident


def test_an_operator_narrows_a_closed_incidents_block_once(
        client: TestClient, client_for: ApiClientFor, shop: dict[str, int],  # noqa: F811
        session_factory: sessionmaker[Session]) -> None:
    incident = _closed_gross_mistake(client, shop, session_factory)
    path = f"/api/incidents/{incident}/price-block/narrow"
    check = {"listing_id": shop["listing2"], "new_price": krw(15000)}
    before = client.post("/api/price-changes/check", json=check)
    refused(before, 409, "conflict", "price_is_incident_wrong_price")
    refused(client_for("reviewer").post(path, json={"reason": "x"}), 403, "forbidden")
    refused(client.post(path, json={}), 422, "invalid_request", "request_invalid")
    narrowed = client.post(path, json={"reason": "2년 지난 재고 정리"})
    assert narrowed.status_code == 200, narrowed.text
    answer = narrowed.json()
    assert answer["narrowed"] is True and answer["band_only_at"]
    assert (answer["refused_low"], answer["refused_high"]) == (krw(18091), krw(21890))
    again = client.post(path, json={"reason": "again"}).json()
    assert again["narrowed"] is False and again["band_only_at"] == answer["band_only_at"]
    after = client.post("/api/price-changes/check", json=check)
    assert after.status_code == 200, after.text  # a clearance price, judged by the guard
    refused(client.post("/api/price-changes/check",
                        json={"listing_id": shop["listing2"], "new_price": krw(19900)}),
            409, "conflict", "price_is_incident_wrong_price")  # the band stays


def test_the_cli_narrows_and_says_so_in_json() -> None:
    """On the CLI's own embedded database: the same step, its JSON, and its refusal."""
    with fresh_data_dir("sgn") as data_dir:
        assert sagwa("db", "upgrade").exit_code == 0
        engine = create_engine(start_embedded(data_dir / "pg"))
        try:
            incident = _closed_with_services(sessionmaker(bind=engine))
        finally:
            engine.dispose()
        narrowed = sagwa("incident", "narrow-price-block", str(incident), "--reason",
                         "재고 정리", "--format", "json")
        assert narrowed.exit_code == 0, narrowed.output
        answer = json.loads(narrowed.stdout)
        assert list(answer) == ["incident_id", "narrowed", "refused_low", "refused_high",
                                "band_only_at"]
        assert answer["narrowed"] is True and answer["refused_high"] == krw(21890)
        again = sagwa("incident", "narrow-price-block", str(incident), "--reason", "again")
        assert again.exit_code == 0 and "narrowed already" in again.output
        missing = sagwa("incident", "narrow-price-block", "999", "--reason", "x")
        assert missing.exit_code == 1 and "not_found" in missing.output


def _closed_with_services(factory: sessionmaker[Session]) -> int:
    from sagwa.services import catalog, desk

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(factory)

    seller = catalog.register_seller(uow(), code="seller-one", name="판매자", actor="t").id
    product = catalog.register_product(uow(), title="아이팟 나노 3세대", category="mp3",
                                       list_price=Money(199000, "KRW"), actor="t").id
    listing = listings.create_listing(uow(), seller_id=seller, product_id=product,
                                      price=Money(199000, "KRW"), actor="t").id
    listings.change_listing_status(uow(), listing_id=listing, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    start = datetime.now(UTC)
    listings.propose_price_change(uow(), listing_id=listing, new_price=Money(19900, "KRW"),
                                  proposed_by="s")
    incident = desk.declare(uow(), listing_ids=[listing], wrong_price=Money(19900, "KRW"),
                            correct_price=Money(199000, "KRW"), cause="90% event as the price",
                            responsible="seller", actor="op", window_start=start).incident
    desk.scope(uow(), incident_id=incident.incident_id, actor="op")
    desk.close(uow(), incident_id=incident.incident_id, actor="op", reason="nobody ordered")
    return int(incident.incident_id)


def sagwa(*args: str) -> Result:
    get_settings.cache_clear()  # settings are cached per process; the env is per test
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
