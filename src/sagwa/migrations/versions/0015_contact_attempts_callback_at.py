"""contact_attempts: the time a customer asked to be called back at

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05

A customer who cannot talk now asks to be called back, often at a time of their own ("Monday
at ten"). The agent logs the attempt as ``callback_requested`` with that time; the call list
puts the case first from then on (and after the others until then), and a difference's
follow-up comes back at it. Only a call-back request carries a time (the check constraint);
attempts logged before this migration carry none and behave as before (the call list tries
again after the policy's spacing).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("contact_attempts", sa.Column("callback_at", sa.DateTime(timezone=True)))
    op.create_check_constraint("callback_at_with_request", "contact_attempts",
                               "callback_at IS NULL OR outcome = 'callback_requested'")
    # the call queue reads the few attempts with a time, not every attempt of every case
    op.create_index("ix_contact_attempts_callback_at", "contact_attempts",
                    ["callback_at", "case_id"], postgresql_where=sa.text("callback_at IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_contact_attempts_callback_at", table_name="contact_attempts")
    op.drop_constraint(op.f("ck_contact_attempts_callback_at_with_request"), "contact_attempts",
                       type_="check")
    op.drop_column("contact_attempts", "callback_at")
