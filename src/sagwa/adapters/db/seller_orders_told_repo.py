"""The orders of an incident each seller was emailed to send (``seller_orders_told``, migration
0033; ``services/seller_ready_notices.py``): read to list an order once only, written in the
transaction that queues the email that lists it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects.postgresql import insert

from sagwa.adapters.db.tables import seller_orders_told

_t = seller_orders_told.c


class SellerOrdersToldRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def told(self, incident_id: int) -> set[int]:
        """The ids of ``incident_id``'s orders some email already told their seller to send."""
        return {int(i) for i in self._conn.execute(
            select(_t.order_id).where(_t.incident_id == incident_id)).scalars()}

    def emails_sent(self, incident_id: int, seller_id: int) -> int:
        """How many emails listed orders of ``incident_id`` to ``seller_id`` (each has a key)."""
        return int(self._conn.execute(
            select(func.count(func.distinct(_t.message_key)))
            .where(_t.incident_id == incident_id, _t.seller_id == seller_id)).scalar_one())

    def record(self, *, incident_id: int, seller_id: int, order_ids: Iterable[int],
               at: datetime, message_key: str) -> None:
        """``order_ids`` told to ``seller_id`` by the email ``message_key``; an order already
        told keeps its first record."""
        rows = [{"incident_id": incident_id, "order_id": int(o), "seller_id": seller_id,
                 "told_at": at, "message_key": message_key} for o in sorted(set(order_ids))]
        if rows:
            self._conn.execute(insert(seller_orders_told).values(rows).on_conflict_do_nothing())
