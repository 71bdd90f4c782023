"""outbox.claimed_at: when a worker last claimed a message, so a lost lease is not taken for a dead worker

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07

A worker sending a message holds a PostgreSQL advisory lock on it (its lease), and a ``sending``
row whose lease is free was taken as left by a dead worker and sent again. A database restart
(or a lost connection) frees every lease while the workers live on, so a worker on another host
sent the same message again while the first was still sending it. ``claimed_at`` is set when a
row is claimed (``OutboxRepository.claim``); a ``sending`` row is abandoned only once its lease is
free *and* it was claimed longer ago than a send can take (``outbox_repo.SEND_WINDOW``).

Rows claimed before this migration have none: they are judged by their lease alone, as before.
Nullable column without a default: no table rewrite. The downgrade drops it (the older code
judges every ``sending`` row by its lease again).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("claimed_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("outbox", "claimed_at")
