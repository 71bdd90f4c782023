"""incident_plans.replies_until: until when a reply that reached us by the deadline may be
recorded, fixed when the deadline's default is applied

A reply by email or text that reached us by the answer deadline counts if staff record it by the
close of the contact centre's next open day (``contact_hours.replies_recorded_by``); the keep
default's orders are held from their seller until then. The window was computed from the desk's
hours each time it was read, so a change to ``desk.toml`` after it had closed could open it
again: an order a seller without an email address had been shown as "send" went back to "hold",
and a reply recorded then counted as in time (a review).

The deadline job now writes the window it applied the default under; readers use it when it is
there and compute it as before when it is not (the default not applied yet, plans before this
revision). A plan saved with another deadline clears it.

The downgrade drops the column; the older code computes the window from the hours.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("incident_plans", sa.Column("replies_until", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("incident_plans", "replies_until")
