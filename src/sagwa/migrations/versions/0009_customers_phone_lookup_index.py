"""customers: an index for agents' phone lookup, and cases by customer

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

An agent's lookup by phone (``/cs/cases``) compares each stored number reduced to its domestic
digits (``tables.domestic_phone_digits``: ``+82 10-1234-5678`` and ``010 1234 5678`` are both
``01012345678``) with the digits typed. An index on that same expression makes it a read of
the customer's few entries instead of reducing every customer's number on every lookup; the
expression here must stay the one ``tables.domestic_phone_digits`` builds, or the planner no
longer matches them. The cases of the customers found are then read by ``customer_id``
(``uq_cases_incident_customer`` leads with the incident, so it cannot serve that).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

DOMESTIC_DIGITS = "regexp_replace(regexp_replace(phone, '[^0-9]', '', 'g'), '^820?', '0')"


def upgrade() -> None:
    op.create_index("ix_customers_phone_digits", "customers", [sa.text(DOMESTIC_DIGITS)])
    op.create_index("ix_cases_customer_id", "cases", ["customer_id"])


def downgrade() -> None:
    op.drop_index("ix_cases_customer_id", table_name="cases")
    op.drop_index("ix_customers_phone_digits", table_name="customers")
