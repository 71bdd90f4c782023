"""staff and seller accounts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

Logins for the server-rendered pages: staff (admin, reviewer, agent) and sellers (each linked to
its seller row). Passwords are stored as argon2 hashes only.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("seller_id", sa.BigInteger(), nullable=True),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'reviewer', 'agent', 'seller')",
                           name=op.f("ck_users_role_known")),
        sa.CheckConstraint("(role = 'seller') = (seller_id IS NOT NULL)",
                           name=op.f("ck_users_seller_role_has_seller")),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"],
                                name=op.f("fk_users_seller_id_sellers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )


def downgrade() -> None:
    op.drop_table("users")
