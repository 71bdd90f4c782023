"""web sessions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

A login to the pages is a row here, not only a signed cookie: logging out ends it at once (an
old copy of the cookie opens nothing), and an account that is deactivated or changes role is
seen from its next request. The cookie carries a random session id; only its SHA-256 is stored.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("sid_sha256", sa.LargeBinary(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_web_sessions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("sid_sha256", name=op.f("uq_web_sessions_sid_sha256")),
    )


def downgrade() -> None:
    op.drop_table("web_sessions")
