"""customers: an index for agents' lookup by a phone number's last four digits

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05

A customer on the phone often gives only the end of their number ("it ends in 6980"), and the
agents' lookup (``/cs/cases?q=6980``) then compares the last four of each stored number's
domestic digits (``tables.phone_last4``: ``right`` of ``tables.domestic_phone_digits``) with
the digits typed. ``ix_customers_phone_digits`` (0009) indexes the whole digits, which a
comparison of their end cannot use; without this index every lookup would reduce every
customer's number. The expression here must stay the one ``tables.phone_last4`` builds (the 4
a literal, as in the lookup), or the planner no longer matches them.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

DOMESTIC_DIGITS = "regexp_replace(regexp_replace(phone, '[^0-9]', '', 'g'), '^820?', '0')"


def upgrade() -> None:
    op.create_index("ix_customers_phone_last4", "customers",
                    [sa.text(f"right({DOMESTIC_DIGITS}, 4)")])


def downgrade() -> None:
    op.drop_index("ix_customers_phone_last4", table_name="customers")
