"""refunds: each refund the desk recorded, owed until someone marks it paid

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06

The desk cancels an order (or lowers its quantity) with the customer's consent and tells them
the refund is made within 3 business days (전자상거래법 제18조), but it only *recorded* the
refund, on the audit log (``order.cancel_and_refund``, ``order.reduce_and_refund``, with the
amount in ``after``): nothing said which refund was still owed, when it was due or whether it
was paid. One row here per such audit record (``audit_seq``), written with it from now on
(``services/refunds.py``), owed until someone marks it paid (``paid_at``, ``paid_reference``,
``paid_by``, all three or none). Finance's list of owed refunds reads the unpaid ones through
a partial index.

The upgrade backfills a row for every refund already on the audit log (``backfilled``: finance
may have paid it outside sagwa, and ``sagwa refunds mark-paid --recorded-before`` marks only
these), each due 3 Korean business days after its cancellation (``sagwa.domain.refunds.
refund_due_by``: the one rule, with the holiday calendar the app uses) and owed — unless the
audit log says it was marked paid: downgrading drops the table, but every refund marked paid
stays on the audit log (``case.refund_paid``, naming the refund's ``audit_seq``), so upgrading
again restores when, with which reference and by whom from the latest such record. (The
refund ids are handed out again: ``audit_seq`` is what ties a record to its refund.) A record
written since the audit log keeps a digest of the reference, not the words (``domain.
audit_text``, 2026-12-06), restores it as "(kept as a digest in audit record N)".
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

#: The refunds on the audit log, oldest first, with their case, order and customer (the
#: desk's refund audit records carry the case in ``after``, as ``tables.audit_case_id``), and
#: the latest ``case.refund_paid`` record naming each (``after.audit_seq``), if any: a refund
#: marked paid before a downgrade is paid again after the upgrade.
RECORDED = """
WITH paid AS (
  SELECT DISTINCT ON ((p.after ->> 'audit_seq')::bigint)
         (p.after ->> 'audit_seq')::bigint AS audit_seq,
         (p.after ->> 'paid_at')::timestamptz AS paid_at,
         COALESCE(p.after ->> 'reference',
                  '(kept as a digest in audit record ' || p.seq || ')') AS paid_reference,
         p.actor AS paid_by
  FROM audit_log p
  WHERE p.entity_type = 'case' AND p.action = 'case.refund_paid'
    AND p.after ->> 'audit_seq' IS NOT NULL
  ORDER BY (p.after ->> 'audit_seq')::bigint, p.seq DESC
)
SELECT a.seq, a.occurred_at, c.id AS case_id, o.id AS order_id, c.customer_id,
       (a.after -> 'amount' ->> 'amount_minor')::bigint AS amount_minor,
       a.after -> 'amount' ->> 'currency' AS currency,
       paid.paid_at, paid.paid_reference, paid.paid_by
FROM audit_log a
JOIN cases c ON c.id::text = (a.after ->> 'case_id')
JOIN orders o ON o.id::text = a.entity_id
LEFT JOIN paid ON paid.audit_seq = a.seq
WHERE a.entity_type = 'order'
  AND a.action IN ('order.cancel_and_refund', 'order.reduce_and_refund')
  AND jsonb_typeof(a.after -> 'amount') = 'object'
  AND (a.after -> 'amount' ->> 'amount_minor')::bigint > 0
ORDER BY a.seq
"""


def upgrade() -> None:
    refunds = op.create_table(
        "refunds",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("audit_seq", sa.BigInteger(), nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_by", sa.Date(), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_reference", sa.Text(), nullable=True),
        sa.Column("paid_by", sa.Text(), nullable=True),
        sa.Column("backfilled", sa.Boolean(), server_default="false", nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_refunds_amount_positive")),
        sa.CheckConstraint("(paid_at IS NULL) = (paid_by IS NULL) "
                           "AND (paid_at IS NULL) = (paid_reference IS NULL)",
                           name=op.f("ck_refunds_paid_together")),
        sa.ForeignKeyConstraint(["audit_seq"], ["audit_log.seq"],
                                name=op.f("fk_refunds_audit_seq_audit_log")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_refunds_case_id_cases")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_refunds_order_id_orders")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_refunds_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refunds")),
        sa.UniqueConstraint("audit_seq", name=op.f("uq_refunds_audit_seq")),
    )
    op.create_index("ix_refunds_case_id", "refunds", ["case_id"])
    # finance's list: the few still owed, the soonest due first
    op.create_index("ix_refunds_owed", "refunds", ["due_by", "id"],
                    postgresql_where=sa.text("paid_at IS NULL"))
    _backfill(refunds)


def _backfill(refunds: sa.Table) -> None:
    # imported here, not at the top: only the upgrade needs the app's due-date rule (the
    # domain's pure function: weekends and Korean holidays); the number of days is the law's at
    # the time of this migration (전자상거래법 제18조), written here so that a later change of the
    # policy module cannot change what this migration did
    from sagwa.domain.refunds import refund_due_by

    refund_days_by_law = 3

    rows = [{"audit_seq": r.seq, "case_id": r.case_id, "order_id": r.order_id,
             "customer_id": r.customer_id, "amount_minor": r.amount_minor,
             "currency": r.currency, "cancelled_at": r.occurred_at,
             "due_by": refund_due_by(r.occurred_at, refund_days_by_law),
             "paid_at": r.paid_at, "paid_reference": r.paid_reference, "paid_by": r.paid_by,
             "backfilled": True}
            for r in op.get_bind().execute(sa.text(RECORDED))]
    if rows:
        op.bulk_insert(refunds, rows)


def downgrade() -> None:
    op.drop_index("ix_refunds_owed", table_name="refunds")
    op.drop_index("ix_refunds_case_id", table_name="refunds")
    op.drop_table("refunds")
