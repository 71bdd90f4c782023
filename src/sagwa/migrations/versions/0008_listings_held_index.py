"""listings: an index for the queue of listings held at publication

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

The review page lists the listings the price guard held when they were published (status
``held``), least recently updated first, on every load; a partial index keeps that a few rows'
read however many listings there are.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_listings_held", "listings", ["updated_at", "id"],
                    postgresql_where=sa.text("status = 'held'"))


def downgrade() -> None:
    op.drop_index("ix_listings_held", table_name="listings")
