"""api_tokens: an expiry day and when a token was last used

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07

An API token lived until revoked, and nobody could tell which tokens were still in use: an ops
walk asked for tokens that end by themselves (a contractor's, a script's for one month) and for a
list of the live ones with when each was last used, to revoke the forgotten ones.

``expires_at`` (NULL: no end, as before) is refused from that instant on; ``last_used_at`` is
written at most once a minute per token (``services/accounts.account_for_token``), so a busy
token costs no write per request. Both are NULL for the tokens already issued.

The downgrade drops both columns: tokens given an expiry then live until revoked (the older code
knows no expiry), so revoke such tokens first (``sagwa users tokens`` lists them).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("api_tokens", sa.Column("expires_at", sa.DateTime(timezone=True)))
    op.add_column("api_tokens", sa.Column("last_used_at", sa.DateTime(timezone=True)))
    op.create_check_constraint(op.f("ck_api_tokens_expires_after_created"), "api_tokens",
                               "expires_at IS NULL OR expires_at > created_at")


def downgrade() -> None:
    op.drop_constraint(op.f("ck_api_tokens_expires_after_created"), "api_tokens",
                       type_="check")
    op.drop_column("api_tokens", "last_used_at")
    op.drop_column("api_tokens", "expires_at")
