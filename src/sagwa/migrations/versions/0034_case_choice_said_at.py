"""cases.choice_said_at: when the reply carrying a customer's choice reached us

A reply by email or text that reached us by the answer deadline counts though staff record it
after it (``said_at``, ``domain.consent.answered_at``). The case kept only when the choice was
recorded (``choice_at``), so a reply asking for a call, recorded the morning after the deadline,
read later as a request made too late: the answer the customer then gave on the call they had
asked for in time was refused (a review).

``choice_said_at`` is that reply's time, NULL for every other choice (a click, a call, a reply
recorded without its time) and for the choices recorded before: they read as they did.

The downgrade drops the column; the older code reads the recorded time only.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("choice_said_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("cases", "choice_said_at")
