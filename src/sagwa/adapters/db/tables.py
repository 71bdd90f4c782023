"""The PostgreSQL schema as SQLAlchemy Core tables. Migrations create it; the app never does."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger, CheckConstraint, Column, DateTime, Float, ForeignKey, Identity, Index, Integer,
    MetaData, Numeric, String, Table, Text, UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


def _id() -> Column:
    return Column("id", BigInteger, Identity(), primary_key=True)


def _created() -> Column:
    return Column("created_at", DateTime(timezone=True), nullable=False)


sellers = Table(
    "sellers", metadata, _id(),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("contact_email", Text),
    Column("phone", Text),
    _created(),
)

products = Table(
    "products", metadata, _id(),
    Column("sku", String(40), unique=True),
    Column("title", Text, nullable=False),
    Column("title_en", Text),
    Column("brand", Text),
    Column("category", Text, nullable=False),
    Column("list_price_minor", BigInteger),
    Column("list_price_currency", String(3)),
    Column("gtin", String(14), unique=True),
    Column("isbn", String(13)),
    _created(),
    CheckConstraint("list_price_minor IS NULL OR list_price_minor > 0", name="list_price_positive"),
)

customers = Table(
    "customers", metadata, _id(),
    Column("name", Text, nullable=False),
    Column("email", Text, unique=True),
    Column("phone", Text),
    Column("locale", String(2), nullable=False),
    _created(),
    CheckConstraint("locale IN ('ko', 'en')", name="locale_known"),
)

LISTING_STATUSES = "('draft', 'live', 'held', 'paused', 'ended')"
listings = Table(
    "listings", metadata, _id(),
    Column("seller_id", BigInteger, ForeignKey("sellers.id"), nullable=False),
    Column("product_id", BigInteger, ForeignKey("products.id"), nullable=False, index=True),
    Column("price_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(10), nullable=False),
    _created(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("seller_id", "product_id", name="uq_listings_seller_product"),
    CheckConstraint("price_minor > 0", name="price_positive"),
    CheckConstraint(f"status IN {LISTING_STATUSES}", name="status_known"),
)

price_changes = Table(
    "price_changes", metadata, _id(),
    Column("listing_id", BigInteger, ForeignKey("listings.id"), nullable=False, index=True),
    Column("old_price_minor", BigInteger, nullable=False),
    Column("new_price_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("proposed_by", Text, nullable=False),
    Column("proposed_at", DateTime(timezone=True), nullable=False),
    Column("promotion_pct", Numeric(5, 2)),
    Column("promotion_starts_at", DateTime(timezone=True)),
    Column("promotion_ends_at", DateTime(timezone=True)),
    Column("status", String(10), nullable=False),
    Column("decided_by", Text),
    Column("decided_at", DateTime(timezone=True)),
    Column("decision_reason", Text),
    Column("guard_verdict", String(5)),
    Column("guard_score", Float),
    Column("guard_error_type", String(40)),
    Column("guard_reason_code", String(60)),
    Column("guard_reason_en", Text),
    Column("guard_reason_ko", Text),
    Column("guard_facts", JSONB),
    CheckConstraint("new_price_minor > 0", name="new_price_positive"),
    CheckConstraint("guard_verdict IS NULL OR guard_verdict IN ('allow', 'hold')",
                    name="guard_verdict_known"),
    Index("ix_price_changes_status", "status", "proposed_at"),
)

orders = Table(
    "orders", metadata, _id(),
    Column("customer_id", BigInteger, ForeignKey("customers.id"), nullable=False, index=True),
    Column("listing_id", BigInteger, ForeignKey("listings.id"), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(10), nullable=False),
    Column("placed_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint("status IN ('placed', 'fulfilled', 'cancelled')", name="status_known"),
    Index("ix_orders_listing_placed", "listing_id", "placed_at"),
)

ledger_entries = Table(
    "ledger_entries", metadata, _id(),
    Column("kind", String(40), nullable=False),
    Column("memo", Text, nullable=False),
    Column("reverses_id", BigInteger, ForeignKey("ledger_entries.id"), unique=True),
    _created(),
)

ledger_postings = Table(
    "ledger_postings", metadata, _id(),
    Column("entry_id", BigInteger, ForeignKey("ledger_entries.id"), nullable=False, index=True),
    Column("account_kind", String(30), nullable=False),
    Column("owner_id", BigInteger),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    CheckConstraint("amount_minor <> 0", name="amount_nonzero"),
    Index("ix_ledger_postings_account", "account_kind", "owner_id"),
)

audit_log = Table(
    "audit_log", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("entity_type", Text, nullable=False),
    Column("entity_id", Text, nullable=False),
    Column("before", JSONB),
    Column("after", JSONB),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
    Index("ix_audit_log_entity", "entity_type", "entity_id"),
)

idempotency_keys = Table(
    "idempotency_keys", metadata,
    Column("scope", String(60), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("result", JSONB),
    _created(),
)
