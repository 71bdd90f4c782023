"""idempotency_keys: a key belongs to the account that sent it

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04

Keys were unique per kind of command across every caller, so a second account choosing a key
another had used was refused ("already used for a different ... request"), which also told it
that someone else had used that key. The key now belongs to its owner — the API account that
sent it, by its audit name ``api:<username>`` — and the primary key is (owner, scope, key).

Existing rows keep working for whoever made them: the owner is read from what was stored (the
audit log's actor for the row's result — who registered the seller, created the listing, placed
the order, credited the points, declared the incident — or the price change's ``proposed_by``),
when that was an API account. Every other row (made by the seed or the CLI, or whose result
names nothing the audit log has) gets the placeholder owner '' that in-process callers use, so
it stays exactly as reachable as before. No row is dropped.

Downgrading keeps, for a (scope, key) several owners used since, the earliest row only: the
other owners' retries would then be answered as a different request.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# (scope, audit entity_type, audit action, how the audit row names the result's id)
_BY_AUDIT = [
    ("seller", "seller", "seller.registered", "a.entity_id"),
    ("product", "product", "product.registered", "a.entity_id"),
    ("customer", "customer", "customer.registered", "a.entity_id"),
    ("listing", "listing", "listing.created", "a.entity_id"),
    ("order", "order", "order.placed", "a.entity_id"),
    ("incident", "incident", "incident.declared", "a.entity_id"),
    ("points_credit", "customer", "points.credited", "a.after->>'entry_id'"),
    ("points_debit", "customer", "points.debited", "a.after->>'entry_id'"),
]
# only API accounts own keys; anything else keeps the placeholder ''
_API_ACCOUNT = "{who} LIKE 'api:%' AND length({who}) <= 200"


def _fill_owners() -> None:
    # One pass over the audit log per scope (a hash join), not a lookup per key: the points
    # scopes name their result inside ``after``, which no index covers.
    for scope, entity_type, action, result_id in _BY_AUDIT:
        op.execute(sa.text(f"""
            UPDATE idempotency_keys k SET owner = made.actor
              FROM (SELECT {result_id} AS result_id, min(a.actor) AS actor FROM audit_log a
                     WHERE a.entity_type = :entity_type AND a.action = :action
                       AND {_API_ACCOUNT.format(who="a.actor")}
                     GROUP BY 1) made
             WHERE k.scope = :scope AND made.result_id = k.result->>'id'
        """).bindparams(scope=scope, entity_type=entity_type, action=action))
    op.execute(sa.text(f"""
        UPDATE idempotency_keys k SET owner = p.proposed_by
          FROM price_changes p
         WHERE k.scope = 'price_change' AND k.result->>'id' IS NOT NULL
           AND p.id::text = k.result->>'id' AND {_API_ACCOUNT.format(who="p.proposed_by")}
    """))


def upgrade() -> None:
    op.add_column("idempotency_keys",
                  sa.Column("owner", sa.String(length=200), nullable=False, server_default=""))
    _fill_owners()
    op.alter_column("idempotency_keys", "owner", server_default=None)
    op.drop_constraint("pk_idempotency_keys", "idempotency_keys", type_="primary")
    op.create_primary_key("pk_idempotency_keys", "idempotency_keys", ["owner", "scope", "key"])


def downgrade() -> None:
    op.execute("""
        DELETE FROM idempotency_keys k USING idempotency_keys earlier
         WHERE earlier.scope = k.scope AND earlier.key = k.key
           AND (earlier.created_at, earlier.owner) < (k.created_at, k.owner)
    """)
    op.drop_constraint("pk_idempotency_keys", "idempotency_keys", type_="primary")
    op.create_primary_key("pk_idempotency_keys", "idempotency_keys", ["scope", "key"])
    op.drop_column("idempotency_keys", "owner")
