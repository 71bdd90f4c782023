"""outbox.provider_id: the provider's id of a sent message, to find it in the provider's console

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06

Every sender returns the provider's id for a message it delivered — an email's Message-ID,
NHN Cloud SMS's ``nhn:<requestId>:<recipientSeq>``, the log senders' own id — and delivery
dropped it: an agent asked whether NHN took a text could not match the outbox row to NHN's
console. ``provider_id`` is written in the UPDATE that marks the message ``sent``
(``OutboxRepository.record_outcome``), an id longer than the column cut short and marked
(``outbox_repo.fitted_provider_id``). The id goes in with the change to ``sent`` itself, and
the sent-row lock (migration 0021's ``sagwa_outbox_sent_locked``) now covers it too: once a
row is ``sent``, which provider message it was cannot be changed either.

Rows sent before this migration have none. Nullable column without a default: no table
rewrite, and no row trigger fires. The downgrade drops it, and with it the ids recorded since
(the older code neither writes nor reads them; the messages' audit records never held them).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


#: Migration 0021's locked columns of a sent row (``SENT_COLUMNS`` there), and now the id.
LOCKED_BEFORE = ("status", "sent_at", "body", "subject", "recipient", "channel", "purpose",
                 "case_id", "customer_id", "incident_id", "locale", "idempotency_key")
LOCKED = (*LOCKED_BEFORE, "provider_id")


def _lock(columns: tuple[str, ...]) -> None:
    """(Re)write 0021's trigger function with ``columns`` locked once a row is sent."""
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)
    op.execute(f"""
        CREATE OR REPLACE FUNCTION sagwa_outbox_sent_locked() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.status = 'sent' THEN
                IF TG_OP = 'DELETE' THEN
                    RAISE EXCEPTION 'outbox message % was sent: it cannot be deleted', OLD.id
                        USING ERRCODE = 'restrict_violation';
                END IF;
                IF {changed} THEN
                    RAISE EXCEPTION 'outbox message % was sent: what, to whom and when cannot be changed', OLD.id
                        USING ERRCODE = 'restrict_violation';
                END IF;
            END IF;
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END $$""")


def upgrade() -> None:
    op.add_column("outbox", sa.Column("provider_id", sa.String(200)))
    _lock(LOCKED)


def downgrade() -> None:
    _lock(LOCKED_BEFORE)
    op.drop_column("outbox", "provider_id")
