"""outbox: withdrawn messages

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

A message still waiting (``pending``) when its case is answered — the customer chose, or the
deadline applied the default — is ``withdrawn``: nobody is asked to choose again after choosing.
"""
from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint(op.f("ck_outbox_status_known"), "outbox", type_="check")
    op.create_check_constraint(
        op.f("ck_outbox_status_known"), "outbox",
        "status IN ('pending', 'sending', 'sent', 'failed', 'withdrawn')")


def downgrade() -> None:
    op.execute("UPDATE outbox SET status = 'failed', last_error = 'withdrawn' "
               "WHERE status = 'withdrawn'")
    op.drop_constraint(op.f("ck_outbox_status_known"), "outbox", type_="check")
    op.create_check_constraint(op.f("ck_outbox_status_known"), "outbox",
                               "status IN ('pending', 'sending', 'sent', 'failed')")
