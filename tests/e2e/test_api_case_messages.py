"""``GET /api/cases/{id}/messages``: every message to the case's customer, for a regulator —
purpose, channel, masked recipient, status, queued and sent times, and the delivery's audit
record beside the outbox's. Before, what was sent and when lived only in the outbox, which
anyone with database access could change unseen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.senders.fake import FakeSender
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, desk, listings, orders
from sagwa.services.delivery import Outcome, deliver_message
from sagwa.services.outbox import enqueue_message
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
KRW = "KRW"


@pytest.fixture
def case_with_messages(session_factory: sessionmaker[Session]) -> tuple[int, int, list[int]]:
    """A case whose customer got an SMS (sent) and an email (still queued)."""
    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory)

    seller = catalog.register_seller(uow(), code="haneul", name="하늘디지털", actor="t")
    product = catalog.register_product(uow(), title="아이팟 나노", category="electronics/mp3",
                                       list_price=Money(199_000, KRW), actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(19_900, KRW), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    start = datetime.now(UTC)
    person = catalog.register_customer(uow(), name="김민지", email="minji@example.com",
                                       phone="010-2690-6373", actor="t")
    orders.place_order(uow(), customer_id=person.id, listing_id=listing.id, quantity=1,
                       actor="t", velocity=None)
    iid = int(desk.declare(uow(), listing_ids=[listing.id], wrong_price=Money(19_900, KRW),
                           correct_price=Money(199_000, KRW), window_start=start,
                           cause="a zero dropped", responsible="seller",
                           actor="admin:test").incident.incident_id)
    desk.scope(uow(), incident_id=iid, actor="admin:test")
    with uow() as u:
        case_id = int(u.cases.case_for_customer(iid, person.id))
    ids = []
    for channel, recipient in (("sms", "010-2690-6373"), ("email", "minji@example.com")):
        with uow() as u:
            ids.append(enqueue_message(
                u, idempotency_key=f"t:{channel}", purpose="confirmation", channel=channel,
                recipient=recipient, locale="ko", subject="[사과] 확인", body="확인했습니다.",
                not_before=u.now() - timedelta(seconds=1), incident_id=iid, case_id=case_id,
                customer_id=person.id))
            u.commit()
    assert deliver_message(session_factory, {"sms": FakeSender()}, ids[0],
                           datetime.now(UTC)) is Outcome.SENT
    return case_id, person.id, ids


def test_every_message_of_a_case_with_its_audit_record(
        client: TestClient, case_with_messages: tuple[int, int, list[int]]) -> None:
    case_id, customer_id, (sms, email) = case_with_messages
    answer = client.get(f"/api/cases/{case_id}/messages")
    assert answer.status_code == 200, answer.text
    sent, queued = answer.json()
    assert (sent["id"], sent["channel"], sent["recipient"]) == (sms, "sms", "010-****-6373")
    assert sent["status"] == "sent" and sent["audited"] == "message.sent"
    assert sent["sent_time_matches"] is True and sent["sent_at"] is not None
    assert sent["provider_id"] == "fake-1"  # the id FakeSender returned for it
    assert (queued["id"], queued["recipient"], queued["status"]) == (
        email, "mi****@example.com", "pending")
    assert queued["audited"] is None and queued["sent_at"] is None
    assert queued["provider_id"] is None
    assert "minji" not in answer.text and "2690" not in answer.text
    by_customer = client.get(f"/api/customers/{customer_id}/messages").json()
    assert [m["id"] for m in by_customer] == [sms, email]


def test_an_unknown_case_is_404_and_a_reviewer_may_not_read_messages(
        client: TestClient, client_for, case_with_messages: tuple[int, int, list[int]]) -> None:
    assert client.get("/api/cases/999999/messages").status_code == 404
    case_id = case_with_messages[0]
    assert client_for("reviewer").get(f"/api/cases/{case_id}/messages").status_code == 403
    assert client_for("agent").get(f"/api/cases/{case_id}/messages").status_code == 200
