"""note_follow_ups: a call note that asks the team to act, until someone resolves it

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05

An agent's call note (``contact_attempts.note``) reached no one else: agents told customers
"we will note it and call back if needed", but nothing asked anyone to. A note may now be marked
"follow-up needed" (optionally with a time to follow up by): one row here per such note, open
until someone records what was done (``resolved_at``, ``resolved_by``, ``outcome``, all three or
none). The contact centre's follow-up list reads the open ones through a partial index.
Downgrading drops the table: the notes stay on ``contact_attempts``, and both steps stay on the
audit log (``case.follow_up_asked``, ``case.follow_up_resolved``).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "note_follow_ups",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("attempt_id", sa.BigInteger(), nullable=False),
        sa.Column("asked_by", sa.Text(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.CheckConstraint("(resolved_at IS NULL) = (resolved_by IS NULL) "
                           "AND (resolved_at IS NULL) = (outcome IS NULL)",
                           name=op.f("ck_note_follow_ups_resolved_together")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name=op.f("fk_note_follow_ups_case_id_cases")),
        sa.ForeignKeyConstraint(["attempt_id"], ["contact_attempts.id"],
                                name=op.f("fk_note_follow_ups_attempt_id_contact_attempts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_follow_ups")),
        sa.UniqueConstraint("attempt_id", name=op.f("uq_note_follow_ups_attempt_id")),
    )
    op.create_index("ix_note_follow_ups_case_id", "note_follow_ups", ["case_id"])
    # the team's list: the few still open
    op.create_index("ix_note_follow_ups_open", "note_follow_ups", ["asked_at", "case_id"],
                    postgresql_where=sa.text("resolved_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_note_follow_ups_open", table_name="note_follow_ups")
    op.drop_index("ix_note_follow_ups_case_id", table_name="note_follow_ups")
    op.drop_table("note_follow_ups")
