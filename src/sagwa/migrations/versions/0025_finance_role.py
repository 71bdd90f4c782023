"""users.role may be finance: accounts that read the ledger and the refunds and mark refunds paid

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-08

A finance clerk needed an admin's account (declaring incidents, deciding price reviews, every
other power) to mark a refund paid; the ``finance`` role reads the ledger and the refunds owed
and marks refunds paid, nothing more. Only the check on ``users.role`` changes: the constraint
is swapped, no row is rewritten.

The downgrade refuses while any account (active or not) has the finance role: the older code
has no such role, and no other role fits — an admin's would hand the account every power, a
reviewer's or an agent's powers it must not have, and either would be kept on the way back up.
It says which accounts they are; give each another role (or keep this revision) first.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

WITH_FINANCE = "role IN ('admin', 'reviewer', 'agent', 'finance', 'seller')"
WITHOUT_FINANCE = "role IN ('admin', 'reviewer', 'agent', 'seller')"
#: How many finance accounts the downgrade's refusal names (it counts them all).
NAMED = 10


def upgrade() -> None:
    op.drop_constraint(op.f("ck_users_role_known"), "users", type_="check")
    op.create_check_constraint(op.f("ck_users_role_known"), "users", WITH_FINANCE)


def downgrade() -> None:
    names = op.get_bind().execute(sa.text(
        "SELECT username FROM users WHERE role = 'finance' ORDER BY username")).scalars().all()
    if names:
        shown = ", ".join(repr(n) for n in names[:NAMED]) + (", …" if len(names) > NAMED else "")
        accounts = "account" if len(names) == 1 else "accounts"
        raise RuntimeError(
            f"cannot downgrade below 0025: {len(names)} finance {accounts} ({shown}) would "
            "have a role the older code does not know, and no older role fits (an admin's "
            "would give every power, a reviewer's or an agent's powers finance must not "
            "have); give each another role (UPDATE users SET role = ... WHERE role = "
            "'finance') or keep this revision")
    op.drop_constraint(op.f("ck_users_role_known"), "users", type_="check")
    op.create_check_constraint(op.f("ck_users_role_known"), "users", WITHOUT_FINANCE)
