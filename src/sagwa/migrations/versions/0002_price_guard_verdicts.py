"""price guard: verdicts on price changes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Each proposed price change keeps the guard's verdict, score, likely error type and reasons, so
the review queue can show them and the audit trail can explain every hold.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("price_changes", sa.Column("guard_verdict", sa.String(length=5), nullable=True))
    op.add_column("price_changes", sa.Column("guard_score", sa.Float(), nullable=True))
    op.add_column("price_changes", sa.Column("guard_error_type", sa.String(length=40), nullable=True))
    op.add_column("price_changes", sa.Column("guard_reason_code", sa.String(length=60), nullable=True))
    op.add_column("price_changes", sa.Column("guard_reason_en", sa.Text(), nullable=True))
    op.add_column("price_changes", sa.Column("guard_reason_ko", sa.Text(), nullable=True))
    op.add_column("price_changes", sa.Column(
        "guard_facts", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.create_index("ix_price_changes_status", "price_changes", ["status", "proposed_at"])
    op.create_check_constraint("guard_verdict_known", "price_changes",
                               "guard_verdict IS NULL OR guard_verdict IN ('allow', 'hold')")


def downgrade() -> None:
    op.drop_constraint(op.f("ck_price_changes_guard_verdict_known"), "price_changes", type_="check")
    op.drop_index("ix_price_changes_status", table_name="price_changes")
    for column in ("guard_facts", "guard_reason_ko", "guard_reason_en", "guard_reason_code",
                   "guard_error_type", "guard_score", "guard_verdict"):
        op.drop_column("price_changes", column)
