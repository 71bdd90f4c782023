"""cases: the cases still owing the discount's difference, indexed

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04

The agents' list of differences to follow up (``difference_reads.differences_to_follow_up``)
reads, across every incident, the cases that took the discount and whose difference is not
recorded as paid (``case_repo.owes_a_difference``). Without an index that is a read of every
case of every incident on each load of the call queue page; a partial index over just those
cases, by when they chose, keeps it to the few that owe.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OWING = ("status = 'resolved' AND choice = 'buy_at_correct_price_discount' "
         "AND difference_paid_at IS NULL")


def upgrade() -> None:
    op.create_index("ix_cases_owing_difference", "cases", ["choice_at", "id"],
                    postgresql_where=sa.text(OWING))


def downgrade() -> None:
    op.drop_index("ix_cases_owing_difference", table_name="cases")
