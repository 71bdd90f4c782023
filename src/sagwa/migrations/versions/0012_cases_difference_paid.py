"""cases: the discount choice's difference recorded as paid

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

A customer who chooses to buy at the discounted correct price has their orders repriced and
owes the difference; sagwa takes no payment, so staff record when it was paid (outside sagwa),
who recorded it and the payment's reference. Until then the case owes a difference, which the
incident's status and report count.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("difference_paid_at", sa.DateTime(timezone=True)))
    op.add_column("cases", sa.Column("difference_paid_by", sa.Text()))
    op.add_column("cases", sa.Column("difference_paid_note", sa.Text()))


def downgrade() -> None:
    for column in ("difference_paid_note", "difference_paid_by", "difference_paid_at"):
        op.drop_column("cases", column)
