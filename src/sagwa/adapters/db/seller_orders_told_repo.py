"""The orders of an incident each seller was emailed to send (``seller_orders_told``, migration
0033; ``services/seller_ready_notices.py``): read to list an order once only, written in the
transaction that queues the email that lists it. Those emails are written one run at a time
per incident (:meth:`SellerOrdersToldRepository.lock`): two runs at once (the worker's and
``sagwa incident tell-sellers``) would read the same orders as untold and number their emails
alike."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects.postgresql import insert

from sagwa.adapters.db.tables import outbox, seller_orders_told

_t = seller_orders_told.c
_LOCK_NAMESPACE = 0x5E11  # first key of pg_advisory_xact_lock(int, int): "seller emails"


class SellerOrdersToldRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def told_times(self, incident_id: int) -> dict[int, datetime]:
        """Order id -> when an email told its seller to send it, for ``incident_id``."""
        return {int(o): at for o, at in self._conn.execute(
            select(_t.order_id, _t.told_at).where(_t.incident_id == incident_id))}

    def lock(self, incident_id: int) -> None:
        """Hold ``incident_id``'s emails of orders to send until the transaction ends."""
        self._conn.execute(select(func.pg_advisory_xact_lock(_LOCK_NAMESPACE, incident_id)))

    def emails_queued(self, key_prefix: str) -> int:
        """How many outbox messages are keyed ``key_prefix<n>`` (whatever became of them): the
        next email takes the next number — counted in the outbox, whose keys outlive this
        table (a downgrade past 0033 and back empties it, not the outbox)."""
        return int(self._conn.execute(select(func.count()).where(
            outbox.c.idempotency_key.startswith(key_prefix, autoescape=True))).scalar_one())

    def record(self, *, incident_id: int, seller_id: int, order_ids: Iterable[int],
               at: datetime, message_key: str) -> None:
        """``order_ids`` told to ``seller_id`` by the email ``message_key``; an order already
        told keeps its first record."""
        rows = [{"incident_id": incident_id, "order_id": int(o), "seller_id": seller_id,
                 "told_at": at, "message_key": message_key} for o in sorted(set(order_ids))]
        if rows:
            self._conn.execute(insert(seller_orders_told).values(rows).on_conflict_do_nothing())
