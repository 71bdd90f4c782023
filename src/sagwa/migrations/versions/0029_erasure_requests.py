"""erasure_requests: a customer's erasure request kept until the law lets the data go

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06

개인정보 보호법 제36조 lets a customer ask for their personal data to be deleted; where another
law keeps it (전자상거래법 시행령 제6조: orders and payments 5 years, complaint handling 3
years) or an open matter needs it, ``sagwa customers erase --reason request`` refuses — and
nothing remembered that the customer asked. Since the general daily sweep is off by default,
such a customer might never be erased.

One row per request refused for now (``services/customer_erasure.py``): the customer, when and
by which staff account it was taken, the holds that refused it (``[{"kept", "until"}]``, as
``retention_hold`` names them), ``erase_from`` (when every hold ends; NULL while an open
matter keeps the data) and ``done_at`` once erasure carried it out. A partial unique index
keeps one pending request per customer: asking again finds it.

The downgrade drops the table with its rows: pending requests are forgotten (the older code
does not know them), so note them first (``sagwa retention plan --format json``).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erasure_requests",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column("holds", postgresql.JSONB(), nullable=False),
        sa.Column("erase_from", sa.DateTime(timezone=True)),
        sa.Column("done_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("done_at IS NULL OR done_at >= requested_at",
                           name=op.f("ck_erasure_requests_done_after_asked")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_erasure_requests_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_requests")),
    )
    op.create_index("ix_erasure_requests_pending", "erasure_requests", ["customer_id"],
                    unique=True, postgresql_where=sa.text("done_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_erasure_requests_pending", table_name="erasure_requests")
    op.drop_table("erasure_requests")
