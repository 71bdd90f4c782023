"""cases: the time the customer picked on their page for the call they are owed

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05

A customer on the call list may pick, on their own case page, when the call suits them
(``domain.call_times``); the call queue keeps the case below the others until then and first
from then on. The call that time asks for clears it (``call_times.call_replaces_time``).
``call_time_set_at`` says when the customer last picked or cleared a time there: a call-back
time named on an earlier call no longer holds the call back. Cases from before this migration
carry neither: they are called as before. Nullable columns without a default: no table
rewrite.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("call_at", sa.DateTime(timezone=True)))
    # when the customer last picked or cleared it: a call-back time named on a call before then
    # no longer holds the call back ("as soon as you can" on the page outranks it)
    op.add_column("cases", sa.Column("call_time_set_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("cases", "call_time_set_at")
    op.drop_column("cases", "call_at")
