"""What the 2008 platform did, written straight into the tables.

sagwa's own services refuse every one of these steps (a cancellation without a recorded choice,
a message that fails the check, a notice without an apology), so the "as it happened" run has to
bypass them — this module is the only place that does, and only inside a replay database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from sagwa.adapters.db.tables import (
    customers,
    incident_listings,
    incidents,
    notices,
    orders,
    outbox,
)

ONE_LINE_TEXT = "주문이 취소되었습니다."
SELLER_CALL = "판매자입니다. 가격이 잘못 올라갔으니 주문을 취소해 주세요."
SELLER_CALL_THREAT = ("판매자입니다. 가격이 잘못 올라갔으니 주문을 취소해 주세요. "
                      "취소하지 않으시면 불이익을 받으실 수 있습니다.")
LATE_NOTICE = ("가격 오류 관련 안내",
               ("판매자의 가격 입력 오류로 인해 해당 상품의 주문은 모두 취소 처리되었습니다. "
                "이는 판매자의 실수로 당사와는 무관합니다."))


def cancel_everything(conn: Connection, *, listing_id: int, wrong_price_minor: int,
                      at: datetime) -> int:
    """Every order at the wrong price cancelled, and a one-line text to each buyer."""
    rows = conn.execute(update(orders).where(
        orders.c.listing_id == listing_id, orders.c.unit_price_minor == wrong_price_minor,
        orders.c.status == "placed").values(status="cancelled", updated_at=at)
        .returning(orders.c.id, orders.c.customer_id)).all()
    buyers = sorted({r.customer_id for r in rows})
    phones = dict(conn.execute(select(customers.c.id, customers.c.phone)
                               .where(customers.c.id.in_(buyers))).all()) if buyers else {}
    if buyers:
        conn.execute(insert(outbox), [
            {"idempotency_key": f"legacy-2008:{cid}:cancelled", "customer_id": cid,
             "purpose": "legacy_cancellation", "channel": "sms", "recipient": phones[cid],
             "locale": "ko", "subject": "", "body": ONE_LINE_TEXT, "not_before": at,
             "status": "sent", "attempts": 1, "created_at": at, "sent_at": at}
            for cid in buyers])
    return len(rows)


def seller_calls(conn: Connection, *, customer_ids: list[int], at: datetime) -> None:
    """The seller phoning buyers to make them cancel (no apology); one was told of
    'disadvantages'. Recorded as notes of what each buyer heard."""
    phones = dict(conn.execute(select(customers.c.id, customers.c.phone)
                               .where(customers.c.id.in_(customer_ids))).all())
    conn.execute(insert(outbox), [
        {"idempotency_key": f"legacy-2008:{cid}:call", "customer_id": cid,
         "purpose": "legacy_call_note", "channel": "sms", "recipient": phones[cid],
         "locale": "ko", "subject": "", "body": SELLER_CALL_THREAT if n == 0 else SELLER_CALL,
         "not_before": at, "status": "sent", "attempts": 1, "created_at": at, "sent_at": at}
        for n, cid in enumerate(customer_ids)])


def late_notice(conn: Connection, *, listing_id: int, wrong_price_minor: int,
                window_start: datetime, at: datetime) -> None:
    """The notice two days later; the platform's only record of the event (never declared)."""
    incident_id = conn.execute(insert(incidents).values(
        status="closed", wrong_price_minor=wrong_price_minor, currency="KRW",
        window_start=window_start, cause="price entered wrongly", opened_by="legacy-platform",
        opened_at=at, closed_at=at).returning(incidents.c.id)).scalar_one()
    conn.execute(insert(incident_listings).values(incident_id=incident_id, listing_id=listing_id))
    title, body = LATE_NOTICE
    conn.execute(insert(notices).values(incident_id=incident_id, version=1, lang="ko",
                                        title=title, body=body, published_by="legacy-platform",
                                        published_at=at))
