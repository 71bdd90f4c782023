"""customers: an index for agents' lookup by the start of an email

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05

An agent reads out the start of a customer's email ("minsu.kim@…"), and the lookup
(``/cs/cases?q=minsu.kim@``) compares ``lower(email)`` with it as a prefix (``LIKE 'x%'``). The
unique index on ``email`` is on the address as typed, in the database's collation, which a
case-folded prefix comparison cannot use; without this index every such lookup reads every
customer. ``text_pattern_ops`` lets a B-tree serve ``LIKE`` prefixes whatever the collation.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_customers_email_prefix", "customers",
                    [sa.text("lower(email) text_pattern_ops")])


def downgrade() -> None:
    op.drop_index("ix_customers_email_prefix", table_name="customers")
