"""audit_log: the desk's changes to orders found by their case

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

The incident report, its refunds and the cases' orders as placed read the desk's
``order.*`` audit records by the case id they carry in ``after``. With only
``ix_audit_log_entity`` that was a read of every order record in the log for each page; an
index on the same expression (``tables.audit_case_id``), only over order records, makes it a
read of the case's few records. The expression here must stay the one ``audit_case_id``
builds, or the planner no longer matches them.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

CASE_ID = "(after ->> 'case_id')"


def upgrade() -> None:
    op.create_index("ix_audit_log_order_case", "audit_log", [sa.text(CASE_ID)],
                    postgresql_where=sa.text("entity_type = 'order'"))


def downgrade() -> None:
    op.drop_index("ix_audit_log_order_case", table_name="audit_log")
