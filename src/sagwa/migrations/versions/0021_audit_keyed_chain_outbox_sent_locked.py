"""audit_log.chain (keyed hashes from now on); a sent outbox message can no longer be changed

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05

Someone with database access (a superuser, ``session_replication_role=replica``) could edit an
audit record and recompute every later hash with the public SHA-256 function, and ``audit
verify`` said intact. New records are keyed (HMAC with a key derived from SAGWA_SECRET_KEY);
``chain`` says which scheme each record has (NULL: the plain SHA-256 of the records before, left
as they were). What a message said, to whom and when it was sent lived only in the outbox,
which anyone could change (``sent_at`` moved back 14 hours went unnoticed): a sent row's
content, status and sent time now refuse changes, and a sent row cannot be deleted.

The outbox trigger guards against application mistakes and ordinary roles only: triggers do not
fire under ``session_replication_role=replica``, and a superuser can drop them. Tampering by a
superuser is caught by comparing the outbox with the audit records (``message.sent``) and by
the audit log's anchors, not by this trigger.

The downgrade refuses while any audit record is keyed (``chain`` IS NOT NULL): dropping the
column would leave those records unverifiable for good.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

#: Set in the Alembic config's ``attributes`` to downgrade anyway (the keyed records then
#: never verify again): for tests of older migrations on scratch databases only.
ACCEPT_KEYED_AUDIT_LOSS = "sagwa_accept_keyed_audit_loss"

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

#: The columns of a sent message that say what went, to whom and when.
SENT_COLUMNS = ("status", "sent_at", "body", "subject", "recipient", "channel", "purpose",
                "case_id", "customer_id", "incident_id", "locale", "idempotency_key")


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("chain", sa.String(40), nullable=True))
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in SENT_COLUMNS)
    op.execute(f"""
        CREATE FUNCTION sagwa_outbox_sent_locked() RETURNS trigger LANGUAGE plpgsql AS $$
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
    op.execute("""
        CREATE TRIGGER outbox_sent_locked BEFORE UPDATE OR DELETE ON outbox
        FOR EACH ROW EXECUTE FUNCTION sagwa_outbox_sent_locked()""")
    op.execute("""
        CREATE TRIGGER outbox_no_truncate BEFORE TRUNCATE ON outbox
        FOR EACH STATEMENT EXECUTE FUNCTION sagwa_refuse_change()""")


def downgrade() -> None:
    keyed = op.get_bind().execute(sa.text(
        "SELECT count(*) FROM audit_log WHERE chain IS NOT NULL")).scalar_one()
    # a test of an older migration's data, on a scratch database, may say it accepts the loss
    accepted = bool(context.config.attributes.get(ACCEPT_KEYED_AUDIT_LOSS))
    if keyed and not accepted:
        raise RuntimeError(
            f"cannot downgrade below 0021: {keyed} keyed audit records (HMAC with a key from "
            "SAGWA_SECRET_KEY) would lose audit_log.chain, which says they are keyed, and could "
            "never be verified again; keep this revision")
    op.execute("DROP TRIGGER IF EXISTS outbox_no_truncate ON outbox")
    op.execute("DROP TRIGGER IF EXISTS outbox_sent_locked ON outbox")
    op.execute("DROP FUNCTION IF EXISTS sagwa_outbox_sent_locked()")
    op.drop_column("audit_log", "chain")
