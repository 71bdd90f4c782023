"""access_records: who saw or changed which customers' personal data, when and from where

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06

개인정보의 안전성 확보조치 기준 제8조 asks a personal-data handler's access to be recorded —
the account, when, from where, whose data and what was done — kept at least a year (two with
50,000 or more data subjects, or sensitive data), kept from tampering and reviewed monthly.
sagwa recorded none of it: an agent's case page, a search by phone number, finance's CSV of
refunds with customers' names left no trace but an access-log line without an account.

One row per request or command that showed or changed customers' data (``services/
access_records.py``): ``account`` and ``role`` (a CLI command's ``--actor``, or ``cli``),
``client`` (the address a request came from, after uvicorn's ``FORWARDED_ALLOW_IPS``; a
command's ``cli:<os login>``), the web request's id, ``action`` (view, search, export, change,
sign_in, sign_out, sign_in_failed, purge), ``what`` (the page, endpoint or command, a search's
words masked: they are a customer's phone number or name), the customers and cases shown,
``results`` (how many a search found) and ``reason`` (an export's).

Append-only by triggers, as the audit log is: ``at`` is always the database's clock (an
insert cannot date a row), UPDATE and TRUNCATE are refused, and DELETE is refused for a row
less than a year old — so ``sagwa access purge`` can drop expired rows and nothing can drop
recent ones. Whoever owns the table can still disable the triggers: the tests do, to write a
row dated a year back (``SET LOCAL session_replication_role = replica``).

The downgrade drops the table with every row, however recent: back it up first (a restore of
the backup, not a downgrade, is the way back: docs/deploy.md).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

#: What a row may say was done (``domain.access_records.AccessAction``).
ACTIONS = ("view", "search", "export", "change", "sign_in", "sign_out", "sign_in_failed",
           "purge")
#: How long a row is kept before a DELETE may touch it (the standard's shortest retention).
KEPT = "1 year"


def upgrade() -> None:
    op.create_table(
        "access_records",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("account", sa.Text(), nullable=False),
        sa.Column("role", sa.String(16)),
        sa.Column("client", sa.Text(), nullable=False),
        sa.Column("request_id", sa.String(64)),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("customer_ids", postgresql.ARRAY(sa.BigInteger()),
                  server_default=sa.text("'{}'::bigint[]"), nullable=False),
        sa.Column("case_ids", postgresql.ARRAY(sa.BigInteger()),
                  server_default=sa.text("'{}'::bigint[]"), nullable=False),
        sa.Column("results", sa.Integer()),
        sa.Column("reason", sa.Text()),
        sa.CheckConstraint(f"action IN {ACTIONS}", name=op.f("ck_access_records_action_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_records")),
    )
    op.create_index("ix_access_records_at", "access_records", ["at"])
    op.create_index("ix_access_records_customer_ids", "access_records", ["customer_ids"],
                    postgresql_using="gin")
    op.execute(f"""
        CREATE FUNCTION sagwa_access_records_kept() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                NEW.at := now();  -- the database's clock, whatever the insert said
                RETURN NEW;
            END IF;
            IF OLD.at > now() - interval '{KEPT}' THEN
                RAISE EXCEPTION 'sagwa: access record % is less than {KEPT} old: it is kept',
                    OLD.id USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN OLD;
        END $$""")
    op.execute("""
        CREATE TRIGGER access_records_kept BEFORE INSERT OR DELETE ON access_records
        FOR EACH ROW EXECUTE FUNCTION sagwa_access_records_kept()""")
    op.execute("""
        CREATE TRIGGER access_records_append_only BEFORE UPDATE ON access_records
        FOR EACH ROW EXECUTE FUNCTION sagwa_refuse_change()""")
    op.execute("""
        CREATE TRIGGER access_records_no_truncate BEFORE TRUNCATE ON access_records
        FOR EACH STATEMENT EXECUTE FUNCTION sagwa_refuse_change()""")


def downgrade() -> None:
    op.drop_table("access_records")  # its triggers and indexes go with it
    op.execute("DROP FUNCTION IF EXISTS sagwa_access_records_kept()")
