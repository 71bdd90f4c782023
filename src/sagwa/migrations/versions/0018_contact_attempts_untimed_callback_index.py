"""contact_attempts: an index of the call-back requests without a time

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05

A customer who asks to be called back without naming a time ("call me back later") stays on
the call queue until someone does (``call_list_sql.callback_pending``), as one who named a time
does from that time on. The queue finds the few such requests through this partial index, as it
finds those with a time through ``ix_contact_attempts_callback_at``, instead of reading every
contact attempt ever logged.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_contact_attempts_untimed_callback", "contact_attempts",
                    ["attempted_at", "case_id"],
                    postgresql_where=sa.text("outcome = 'callback_requested' "
                                             "AND callback_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_contact_attempts_untimed_callback", table_name="contact_attempts")
