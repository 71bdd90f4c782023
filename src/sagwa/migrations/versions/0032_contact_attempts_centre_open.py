"""contact_attempts.centre_open: whether the contact centre was open when a call was logged

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07

Calls made while the contact centre is closed no longer count towards "could not be reached"
(``domain.call_attempts.uncountable``; a CS walk logged three evening calls and the customer was
told "we called you 3 times"). That needs whether someone was there to call, which
``within_contact_hours`` does not say: it holds whether a message might still go out then
(``contact_hours.may_contact``, false in the last hours before closing), and keeps that meaning.

``centre_open`` (``contact_hours.is_open`` when the call was logged) is NULL for the calls
logged before: they count as they did, so a deploy changes no case's count (a review found that
reading the old column anew would have taken back calls made late in the afternoon).

The downgrade drops the column; the older code counts every spaced call.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("contact_attempts", sa.Column("centre_open", sa.Boolean()))


def downgrade() -> None:
    op.drop_column("contact_attempts", "centre_open")
