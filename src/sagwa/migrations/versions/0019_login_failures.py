"""login_failures: wrong passwords on /login, counted in the database

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05

The sign-in throttle counted wrong passwords in each web process's memory, so behind a load
balancer over N processes a guesser had N times the attempts, and a restart forgot them all.
Each wrong password is now a row here, kept for a day: ``subject`` is an HMAC (with the app's
secret) of the name and the address it was tried from, or of the address alone, never the name
as typed. Every process reads and writes the same rows under a transaction-scoped advisory lock
per subject (``services/login_throttle.py``).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("subject", sa.LargeBinary(length=32), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_subject_failed_at", "login_failures",
                    ["subject", "failed_at"])
    op.create_index("ix_login_failures_failed_at", "login_failures", ["failed_at"])


def downgrade() -> None:
    op.drop_index("ix_login_failures_failed_at", table_name="login_failures")
    op.drop_index("ix_login_failures_subject_failed_at", table_name="login_failures")
    op.drop_table("login_failures")
