"""seller_orders_told: which of a seller's orders in an incident they were told to send

A seller learnt that a customer had kept an order (or that the deadline's keep default had
kept it) only from their page, or days later from the incident's closing email: nobody told
them, and the customer who kept it waited (a seller walk). Each order that became one to send
is now listed once in an email to its seller (``services.seller_ready_notices``, every 30
minutes while the incident is notifying; the difference-paid email lists its orders itself).

One row per incident and order told: the seller, when, and the outbox key of the email that
listed it (so an order is never listed twice, and what an email said can be found). Orders and
sellers are kept by law for years; the rows hold no personal data.

The downgrade drops the table; the older code never reads it (its sellers are told at close).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seller_orders_told",
        sa.Column("incident_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("told_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message_key", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"],
                                name=op.f("fk_seller_orders_told_incident_id_incidents")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_seller_orders_told_order_id_orders")),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"],
                                name=op.f("fk_seller_orders_told_seller_id_sellers")),
        sa.PrimaryKeyConstraint("incident_id", "order_id", name=op.f("pk_seller_orders_told")),
    )


def downgrade() -> None:
    op.drop_table("seller_orders_told")
