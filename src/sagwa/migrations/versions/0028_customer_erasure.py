"""customers.erased_at/erased_reason, outbox.erased_at, audit_words: a customer's personal data
erased

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06

개인정보 보호법 제21조 wants a customer's personal data destroyed once no law keeps it, and
제36조 lets the customer ask (``sagwa.domain.retention``; ``sagwa customers erase``,
``sagwa retention``). Erasure blanks the customer's name, email and phone, the words staff
typed about them and every message written to them, and records when and why here. A check
keeps an erased customer blank (no contact detail can be added back) and an erased message
blank. Migration 0021's lock on a sent message now lets one change through: erasing it
(recipient, subject and body to blanks, ``erased_at`` set, nothing else changed); an erased
message can change no more, sent or not.

``audit_words`` keeps the words a person typed that an audit record names only by a digest
(``domain.audit_text``: a call note, the customer's words taken down, a payment reference),
beside the log and outside its chain: the words can be read, and erased with their customer,
while the record and its digest stay and the chain still verifies.

A journal entry's memo that a person typed (points credited or debited by hand, a reversal)
may be set to "(개인정보 파기됨)" when its customer is erased — that change alone: the journal
stays append-only otherwise (migration 0001's guard, for that table, replaced by one that
lets it through).

The new columns are nullable without defaults (no table rewrite); the checks are added NOT
VALID and then validated, which scans the tables without blocking writes. The downgrade drops
the columns and ``audit_words`` (erased rows stay blank; the words kept since this migration
are lost, their records keep the digests) and restores 0026's lock. After it, nothing marks an
erased customer: the older code would take an order or a contact detail for one again.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

#: 0026's locked columns of a sent row.
LOCKED = ("status", "sent_at", "body", "subject", "recipient", "channel", "purpose",
          "case_id", "customer_id", "incident_id", "locale", "idempotency_key", "provider_id")
#: What erasing a sent message may blank.
ERASED = ("body", "subject", "recipient")


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)


#: The journal entries whose memo a person typed (points credited or debited by hand, a
#: reversal): erasing their customer may set that memo, and nothing else, to this marker
#: (``sagwa.domain.retention.ERASED_TEXT``). Every other change to the journal stays refused.
TYPED_MEMO_KINDS = ("points_credit", "points_debit", "reversal")
ERASED_TEXT = "(개인정보 파기됨)"


def _ledger_entries_guard(function: str) -> None:
    op.execute(f"""
        DROP TRIGGER ledger_entries_append_only ON ledger_entries;
        CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
        FOR EACH ROW EXECUTE FUNCTION {function}();""")


def upgrade() -> None:
    kinds = ", ".join(f"'{k}'" for k in TYPED_MEMO_KINDS)
    op.execute(f"""
        CREATE FUNCTION sagwa_ledger_memo_erasable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND OLD.kind IN ({kinds}) AND NEW.memo = '{ERASED_TEXT}'
                    AND NEW.id = OLD.id AND NEW.kind = OLD.kind
                    AND NEW.reverses_id IS NOT DISTINCT FROM OLD.reverses_id
                    AND NEW.created_at = OLD.created_at THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'sagwa: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'restrict_violation';
        END $$""")
    _ledger_entries_guard("sagwa_ledger_memo_erasable")
    op.create_table(
        "audit_words",
        sa.Column("seq", sa.BigInteger(), sa.ForeignKey("audit_log.seq",
                                                         name="fk_audit_words_seq_audit_log"),
                  nullable=False),
        sa.Column("field", sa.String(20), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("seq", "field", name="pk_audit_words"),
        sa.CheckConstraint("erased_at IS NULL OR words = ''", name="ck_audit_words_erased_blank"),
    )
    op.add_column("customers", sa.Column("erased_at", sa.DateTime(timezone=True)))
    op.add_column("customers", sa.Column("erased_reason", sa.String(20)))
    op.add_column("outbox", sa.Column("erased_at", sa.DateTime(timezone=True)))
    for table, name, check in (
            ("customers", "ck_customers_erased_blank",
             "erased_at IS NULL OR (name = '' AND email IS NULL AND phone IS NULL)"),
            ("customers", "ck_customers_erased_reason",
             ("(erased_at IS NULL) = (erased_reason IS NULL) "
             "AND (erased_reason IS NULL OR erased_reason IN ('request', 'retention'))")),
            ("outbox", "ck_outbox_erased_blank",
             ("erased_at IS NULL OR (recipient = '' AND subject = '' AND body = '' "
             "AND last_error IS NULL)"))):
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({check}) NOT VALID")
        op.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}")
    kept = tuple(c for c in LOCKED if c not in ERASED)
    op.execute(f"""
        CREATE OR REPLACE FUNCTION sagwa_outbox_sent_locked() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND OLD.erased_at IS NOT NULL
                    AND ({_changed((*LOCKED, "erased_at"))}) THEN
                RAISE EXCEPTION 'outbox message % was erased: it cannot be changed', OLD.id
                    USING ERRCODE = 'restrict_violation';
            END IF;
            IF OLD.status = 'sent' THEN
                IF TG_OP = 'DELETE' THEN
                    RAISE EXCEPTION 'outbox message % was sent: it cannot be deleted', OLD.id
                        USING ERRCODE = 'restrict_violation';
                END IF;
                IF OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL THEN
                    IF {_changed(kept)} THEN
                        RAISE EXCEPTION 'outbox message % was sent: erasing it blanks only to whom and what it said', OLD.id
                            USING ERRCODE = 'restrict_violation';
                    END IF;
                ELSIF {_changed(LOCKED)} THEN
                    RAISE EXCEPTION 'outbox message % was sent: what, to whom and when cannot be changed', OLD.id
                        USING ERRCODE = 'restrict_violation';
                END IF;
            END IF;
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END $$""")


def downgrade() -> None:
    _ledger_entries_guard("sagwa_refuse_change")
    op.execute("DROP FUNCTION sagwa_ledger_memo_erasable()")
    changed = _changed(LOCKED)
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
    op.drop_table("audit_words")
    op.drop_column("outbox", "erased_at")
    op.drop_column("customers", "erased_reason")
    op.drop_column("customers", "erased_at")
