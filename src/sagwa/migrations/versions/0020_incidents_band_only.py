"""incidents.band_only_at: an operator narrowed a closed incident's price block to its band

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05

After a gross mistake (10,000 KRW for a correct 100,000) every price past the band around the
wrong price is refused on the product, with no end: the product could never be sold below
11,000 again, even in a clearance years later. An operator may now narrow a closed incident's
block to the band itself (``sagwa incident narrow-price-block``), with a reason on the audit
log; the wrong price and prices close to it stay refused for good, as the notice promised.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("incidents", sa.Column("band_only_at", sa.DateTime(timezone=True),
                                         nullable=True))


def downgrade() -> None:
    op.drop_column("incidents", "band_only_at")
