"""incident desk and outbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Incidents, their listings, plans, cases (one per customer) and case orders, contact attempts,
versioned public notices (append-only), the message outbox, and procrastinate's job tables.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _procrastinate_schema() -> str:
    """procrastinate's own SQL (jobs, locks, notify triggers) for the pinned version."""
    from procrastinate.schema import SchemaManager

    return SchemaManager.get_schema()


def _create_guards() -> None:
    op.execute("""
        CREATE TRIGGER notices_append_only BEFORE UPDATE OR DELETE ON notices
        FOR EACH ROW EXECUTE FUNCTION sagwa_refuse_change();
        CREATE TRIGGER notices_no_truncate BEFORE TRUNCATE ON notices
        FOR EACH STATEMENT EXECUTE FUNCTION sagwa_refuse_change();
    """)
    # Straight to psycopg with no parameters, so the '%' in procrastinate's SQL stays literal.
    op.get_bind().connection.driver_connection.execute(_procrastinate_schema())


def _drop_procrastinate() -> None:
    op.execute("""
        DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers,
            procrastinate_jobs, procrastinate_workers CASCADE;
        DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type,
            procrastinate_job_status CASCADE;
    """)
    bind = op.get_bind()
    functions = bind.exec_driver_sql(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
        "ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.proname LIKE 'procrastinate%%'"
    ).scalars().all()
    for signature in functions:
        bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {signature} CASCADE")


def _drop_guards() -> None:
    op.execute("DROP TRIGGER IF EXISTS notices_append_only ON notices")
    op.execute("DROP TRIGGER IF EXISTS notices_no_truncate ON notices")


def upgrade() -> None:
    op.create_table('incidents',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('wrong_price_minor', sa.BigInteger(), nullable=False),
    sa.Column('correct_price_minor', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('window_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cause', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=10), nullable=True),
    sa.Column('opened_by', sa.Text(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('declared_by', sa.Text(), nullable=True),
    sa.Column('declared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('evidence', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'declared', 'scoped', 'planned', 'notifying', 'closed')", name=op.f('ck_incidents_status_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents'))
    )
    op.create_table('cases',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('incident_id', sa.BigInteger(), nullable=False),
    sa.Column('customer_id', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('exposure_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('choice', sa.String(length=40), nullable=True),
    sa.Column('choice_channel', sa.String(length=10), nullable=True),
    sa.Column('choice_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('choice_evidence', sa.Text(), nullable=True),
    sa.Column('choice_taken_by', sa.Text(), nullable=True),
    sa.Column('compensation_entry_id', sa.BigInteger(), nullable=True),
    sa.Column('first_notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['compensation_entry_id'], ['ledger_entries.id'], name=op.f('fk_cases_compensation_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_cases_customer_id_customers')),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_cases_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('compensation_entry_id', name=op.f('uq_cases_compensation_entry_id')),
    sa.UniqueConstraint('incident_id', 'customer_id', name='uq_cases_incident_customer')
    )
    op.create_index('ix_cases_incident_status', 'cases', ['incident_id', 'status'], unique=False)
    op.create_table('incident_plans',
    sa.Column('incident_id', sa.BigInteger(), nullable=False),
    sa.Column('options', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('default_action', sa.String(length=20), nullable=False),
    sa.Column('seller_share_pct', sa.Integer(), nullable=False),
    sa.Column('platform_share_pct', sa.Integer(), nullable=False),
    sa.Column('cancel_compensation_minor', sa.BigInteger(), nullable=True),
    sa.Column('discount_pct', sa.Integer(), nullable=True),
    sa.Column('keep_max_units', sa.Integer(), nullable=True),
    sa.Column('accept_late_choices', sa.Boolean(), nullable=False),
    sa.Column('decided_by', sa.Text(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_plans_incident_id_incidents')),
    sa.PrimaryKeyConstraint('incident_id', name=op.f('pk_incident_plans'))
    )
    op.create_table('notices',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('incident_id', sa.BigInteger(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('published_by', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_notices_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
    sa.UniqueConstraint('incident_id', 'lang', 'version', name='uq_notices_incident_lang_version')
    )
    op.create_table('contact_attempts',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('agent', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('within_contact_hours', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_contact_attempts_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_attempts'))
    )
    op.create_index(op.f('ix_contact_attempts_case_id'), 'contact_attempts', ['case_id'], unique=False)
    op.create_table('incident_listings',
    sa.Column('incident_id', sa.BigInteger(), nullable=False),
    sa.Column('listing_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_listings_incident_id_incidents')),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_incident_listings_listing_id_listings')),
    sa.PrimaryKeyConstraint('incident_id', 'listing_id', name=op.f('pk_incident_listings'))
    )
    op.create_table('outbox',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('incident_id', sa.BigInteger(), nullable=True),
    sa.Column('case_id', sa.BigInteger(), nullable=True),
    sa.Column('customer_id', sa.BigInteger(), nullable=True),
    sa.Column('purpose', sa.String(length=30), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('recipient', sa.Text(), nullable=False),
    sa.Column('locale', sa.String(length=2), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.CheckConstraint("channel IN ('email', 'sms')", name=op.f('ck_outbox_channel_known')),
    sa.CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name=op.f('ck_outbox_status_known')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_outbox_case_id_cases')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_outbox_customer_id_customers')),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_outbox_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_outbox_idempotency_key'))
    )
    op.create_index(op.f('ix_outbox_case_id'), 'outbox', ['case_id'], unique=False)
    op.create_index('ix_outbox_status_not_before', 'outbox', ['status', 'not_before'], unique=False)
    op.create_table('case_orders',
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('order_id', sa.BigInteger(), nullable=False),
    sa.Column('incident_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_orders_case_id_cases')),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_case_orders_incident_id_incidents')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_case_orders_order_id_orders')),
    sa.PrimaryKeyConstraint('case_id', 'order_id', name=op.f('pk_case_orders')),
    sa.UniqueConstraint('incident_id', 'order_id', name='uq_case_orders_incident_order')
    )
    _create_guards()


def downgrade() -> None:
    _drop_procrastinate()
    _drop_guards()
    op.drop_table('case_orders')
    op.drop_index('ix_outbox_status_not_before', table_name='outbox')
    op.drop_index(op.f('ix_outbox_case_id'), table_name='outbox')
    op.drop_table('outbox')
    op.drop_table('incident_listings')
    op.drop_index(op.f('ix_contact_attempts_case_id'), table_name='contact_attempts')
    op.drop_table('contact_attempts')
    op.drop_table('notices')
    op.drop_table('incident_plans')
    op.drop_index('ix_cases_incident_status', table_name='cases')
    op.drop_table('cases')
    op.drop_table('incidents')
