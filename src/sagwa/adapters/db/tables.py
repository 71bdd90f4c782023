"""The PostgreSQL schema as SQLAlchemy Core tables. Migrations create it; the app never does."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ColumnElement,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """For schema comparison: procrastinate's tables come from its own SQL, not this metadata."""
    return not (type_ == "table" and name is not None and name.startswith("procrastinate_"))


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


def domestic_phone_digits(phone: ColumnElement[Any]) -> ColumnElement[str]:
    """A stored phone number as its domestic digits: the digits, Korea's +82 (and a 0 kept after
    it, as in "+82 010-...") turned back into the leading 0 — the same reduction as
    ``sagwa.domain.catalog.domestic_digits``. The expression of ``ix_customers_phone_digits``
    and of the agents' phone lookup alike: its patterns are SQL literals, not bound parameters,
    so the lookup's expression is the index's, whatever the plan."""
    digits = func.regexp_replace(phone, text("'[^0-9]'"), text("''"), text("'g'"), type_=Text)
    return func.regexp_replace(digits, text("'^820?'"), text("'0'"), type_=Text)


def phone_last4(phone: ColumnElement[Any]) -> ColumnElement[str]:
    """The last four of a stored phone number's domestic digits (:func:`domestic_phone_digits`):
    what a customer reads out ("my number ends in 6980"). The expression of
    ``ix_customers_phone_last4`` and of the agents' lookup by those digits alike; the 4 is a
    SQL literal, as the patterns are, so the lookup's expression stays the index's."""
    return func.right(domestic_phone_digits(phone), text("4"), type_=Text)


customers = Table(
    "customers", metadata, _id(),
    Column("name", Text, nullable=False),
    Column("email", Text, unique=True),
    Column("phone", Text),
    Column("locale", String(2), nullable=False),
    _created(),
    # when and why the customer's personal data was erased (0028; ``domain.retention``):
    # the name blank, no email or phone, ever again (a check)
    Column("erased_at", DateTime(timezone=True)),
    Column("erased_reason", String(20)),
    CheckConstraint("locale IN ('ko', 'en')", name="locale_known"),
    CheckConstraint("erased_at IS NULL OR (name = '' AND email IS NULL AND phone IS NULL)",
                    name="erased_blank"),
    CheckConstraint("(erased_at IS NULL) = (erased_reason IS NULL) AND (erased_reason IS NULL "
                    "OR erased_reason IN ('request', 'retention'))", name="erased_reason"),
)
Index("ix_customers_phone_digits", domestic_phone_digits(customers.c.phone))
# the lookup by a number's last four digits (0014; ``case_lookup_reads.cases_by_phone_tail``)
Index("ix_customers_phone_last4", phone_last4(customers.c.phone))
# the agents' lookup by the start of an email (0017): a case-folded LIKE prefix
Index("ix_customers_email_prefix", func.lower(customers.c.email).label("email_lower"),
      postgresql_ops={"email_lower": "text_pattern_ops"})

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
    # the reviewers' queue of listings held at publication (few rows among many listings)
    Index("ix_listings_held", "updated_at", "id", postgresql_where=text("status = 'held'")),
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

# --- appended (0028): the words a person typed that an audit record names by a digest only
# (``domain.audit_text``): kept beside the log, outside its chain, so that they can be erased
# (the customer's erasure blanks them) while the record and its digest stay -----------------
audit_words = Table(
    "audit_words", metadata,
    Column("seq", BigInteger, ForeignKey("audit_log.seq"), primary_key=True),
    Column("field", String(20), primary_key=True),
    Column("words", Text, nullable=False),
    Column("erased_at", DateTime(timezone=True)),
    CheckConstraint("erased_at IS NULL OR words = ''", name="erased_blank"),
)


def audit_case_id() -> ColumnElement[str]:
    """The case an audit record names in ``after`` (the desk's changes to orders carry it), as
    text. The expression of ``ix_audit_log_order_case`` and of every read by it alike: the key is
    an SQL literal, not a bound parameter, so the read's expression is the index's whatever the
    plan (a prepared statement's generic plan included)."""
    return audit_log.c.after.op("->>", return_type=Text)(text("'case_id'"))


# the desk's changes to an incident's orders, found by case (report, refunds, orders as placed)
Index("ix_audit_log_order_case", audit_case_id(),
      postgresql_where=text("entity_type = 'order'"))

# A key is its owner's (the account that sent it, '' for in-process callers): migration 0010.
idempotency_keys = Table(
    "idempotency_keys", metadata,
    Column("owner", String(200), primary_key=True),
    Column("scope", String(60), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("result", JSONB),
    _created(),
)

# --- incident desk ---------------------------------------------------------------------------

incidents = Table(
    "incidents", metadata, _id(),
    Column("status", String(12), nullable=False),
    Column("wrong_price_minor", BigInteger, nullable=False),
    Column("correct_price_minor", BigInteger),
    Column("currency", String(3), nullable=False),
    Column("window_start", DateTime(timezone=True), nullable=False),
    Column("window_end", DateTime(timezone=True)),
    Column("cause", Text, nullable=False),
    Column("responsible", String(10)),
    Column("opened_by", Text, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("declared_by", Text),
    Column("declared_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    Column("evidence", JSONB),
    # an operator narrowed the closed incident's price block to its band (incident_prices)
    Column("band_only_at", DateTime(timezone=True)),
    CheckConstraint(
        "status IN ('draft', 'declared', 'scoped', 'planned', 'notifying', 'closed')",
        name="status_known"),
)

incident_listings = Table(
    "incident_listings", metadata,
    Column("incident_id", BigInteger, ForeignKey("incidents.id"), primary_key=True),
    Column("listing_id", BigInteger, ForeignKey("listings.id"), primary_key=True),
)

incident_plans = Table(
    "incident_plans", metadata,
    Column("incident_id", BigInteger, ForeignKey("incidents.id"), primary_key=True),
    Column("options", JSONB, nullable=False),
    Column("deadline", DateTime(timezone=True), nullable=False),
    Column("default_action", String(20), nullable=False),
    Column("seller_share_pct", Integer, nullable=False),
    Column("platform_share_pct", Integer, nullable=False),
    Column("cancel_compensation_minor", BigInteger),
    Column("discount_pct", Integer),
    Column("keep_max_units", Integer),
    Column("accept_late_choices", Boolean, nullable=False),
    Column("decided_by", Text, nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    # until when a reply that reached us by the deadline may be recorded, fixed when the
    # deadline's default was applied (0035; NULL before: computed from the desk's hours)
    Column("replies_until", DateTime(timezone=True)),
)

cases = Table(
    "cases", metadata, _id(),
    Column("incident_id", BigInteger, ForeignKey("incidents.id"), nullable=False),
    Column("customer_id", BigInteger, ForeignKey("customers.id"), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("exposure_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("choice", String(40)),
    Column("choice_channel", String(10)),
    Column("choice_at", DateTime(timezone=True)),
    Column("choice_evidence", Text),
    Column("choice_taken_by", Text),
    # when the reply carrying the choice reached us, for one recorded with it (0034)
    Column("choice_said_at", DateTime(timezone=True)),
    Column("compensation_entry_id", BigInteger, ForeignKey("ledger_entries.id"), unique=True),
    Column("first_notified_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # the discount choice's difference, paid outside sagwa and recorded by staff (0012)
    Column("difference_paid_at", DateTime(timezone=True)),
    Column("difference_paid_by", Text),
    Column("difference_paid_note", Text),
    # the time the customer picked on their page for the call they are owed (0016;
    # ``domain.call_times``): NULL, as soon as the queue reaches them
    Column("call_at", DateTime(timezone=True)),
    # when the customer last picked or cleared it (0016): a call-back time named on a call
    # before then no longer counts (``call_list_sql.call_time``)
    Column("call_time_set_at", DateTime(timezone=True)),
    UniqueConstraint("incident_id", "customer_id", name="uq_cases_incident_customer"),
    Index("ix_cases_incident_status", "incident_id", "status"),
    # the cases still owing the discount's difference (0013; ``case_repo.owes_a_difference``)
    Index("ix_cases_owing_difference", "choice_at", "id",
          postgresql_where=text("status = 'resolved' AND choice = "
                                "'buy_at_correct_price_discount' AND difference_paid_at IS NULL")),
)

case_orders = Table(
    "case_orders", metadata,
    Column("case_id", BigInteger, ForeignKey("cases.id"), primary_key=True),
    Column("order_id", BigInteger, ForeignKey("orders.id"), primary_key=True),
    Column("incident_id", BigInteger, ForeignKey("incidents.id"), nullable=False),
    UniqueConstraint("incident_id", "order_id", name="uq_case_orders_incident_order"),
)

contact_attempts = Table(
    "contact_attempts", metadata, _id(),
    Column("case_id", BigInteger, ForeignKey("cases.id"), nullable=False, index=True),
    Column("channel", String(10), nullable=False),
    Column("attempted_at", DateTime(timezone=True), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("agent", Text),
    Column("note", Text),
    Column("within_contact_hours", Boolean, nullable=False),
    # the time the customer asked to be called back at (``call_attempts.check_callback_at``)
    Column("callback_at", DateTime(timezone=True)),
    CheckConstraint("callback_at IS NULL OR outcome = 'callback_requested'",
                    name="callback_at_with_request"),
    # appended (0032): someone was there to call (``contact_hours.is_open``); NULL for the
    # calls logged before, which count as they did (``call_attempts.uncountable``)
    Column("centre_open", Boolean),
)
# the few call-backs with a time, for the call queue (``call_list_sql.callback_pending``)
Index("ix_contact_attempts_callback_at", contact_attempts.c.callback_at, contact_attempts.c.case_id,
      postgresql_where=text("callback_at IS NOT NULL"))
# and those without one ("call me back later"; 0018)
Index("ix_contact_attempts_untimed_callback", contact_attempts.c.attempted_at,
      contact_attempts.c.case_id,
      postgresql_where=text("outcome = 'callback_requested' AND callback_at IS NULL"))

notices = Table(
    "notices", metadata, _id(),
    Column("incident_id", BigInteger, ForeignKey("incidents.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("lang", String(2), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("published_by", Text, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("incident_id", "lang", "version", name="uq_notices_incident_lang_version"),
)

# --- outbox: messages written with the state change that caused them; workers deliver them ----

#: The longest provider's id ``outbox.provider_id`` holds (a longer one is cut short:
#: ``outbox_repo.fitted_provider_id``).
PROVIDER_ID_LENGTH = 200
outbox = Table(
    "outbox", metadata, _id(),
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("incident_id", BigInteger, ForeignKey("incidents.id")),
    Column("case_id", BigInteger, ForeignKey("cases.id"), index=True),
    Column("customer_id", BigInteger, ForeignKey("customers.id")),
    Column("purpose", String(30), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("recipient", Text, nullable=False),
    Column("locale", String(2), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("not_before", DateTime(timezone=True), nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Column("last_error", Text),
    # when a worker last claimed it (pending -> sending): a ``sending`` row whose lease is free
    # is abandoned only once this is ``outbox_repo.SEND_WINDOW`` old (NULL: claimed before
    # migration 0024, abandoned as soon as its lease is free)
    Column("claimed_at", DateTime(timezone=True)),
    # the provider's id of the message (Message-ID, NHN's request id), set when it is marked
    # sent (migration 0026; NULL: not sent, or sent before it)
    Column("provider_id", String(PROVIDER_ID_LENGTH)),
    # erased with its customer (0028): recipient, subject and body blank, for good
    Column("erased_at", DateTime(timezone=True)),
    CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed', 'withdrawn')",
                    name="status_known"),
    CheckConstraint("channel IN ('email', 'sms')", name="channel_known"),
    CheckConstraint("erased_at IS NULL OR (recipient = '' AND subject = '' AND body = '' "
                    "AND last_error IS NULL)", name="erased_blank"),
    Index("ix_outbox_status_not_before", "status", "not_before"),
)

# --- accounts: staff (admin, reviewer, agent, finance) and sellers' logins for the pages -------

users = Table(
    "users", metadata, _id(),
    Column("username", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("seller_id", BigInteger, ForeignKey("sellers.id")),
    Column("password_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("role IN ('admin', 'reviewer', 'agent', 'finance', 'seller')",
                    name="role_known"),
    CheckConstraint("(role = 'seller') = (seller_id IS NOT NULL)", name="seller_role_has_seller"),
)

api_tokens = Table(
    "api_tokens", metadata, _id(),
    Column("user_id", BigInteger, ForeignKey("users.id"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("token_sha256", LargeBinary(32), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    # appended (0030): refused from ``expires_at`` on (NULL: until revoked); ``last_used_at``
    # written at most once a minute (``services/accounts.account_for_token``)
    Column("expires_at", DateTime(timezone=True)),
    Column("last_used_at", DateTime(timezone=True)),
    CheckConstraint("expires_at IS NULL OR expires_at > created_at",
                    name="expires_after_created"),
    Index("uq_api_tokens_live_name", "user_id", "name", unique=True,
          postgresql_where=text("revoked_at IS NULL")),
)

web_sessions = Table(
    "web_sessions", metadata, _id(),
    Column("user_id", BigInteger, ForeignKey("users.id"), nullable=False),
    Column("sid_sha256", LargeBinary(32), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
)

# Wrong passwords on /login, counted where every web process sees them (services/login_throttle.py).
# ``subject`` is an HMAC of "name from address" or "address" with the app's secret, never as typed.
login_failures = Table(
    "login_failures", metadata, _id(),
    Column("subject", LargeBinary(32), nullable=False),
    Column("failed_at", DateTime(timezone=True), nullable=False),
    Index("ix_login_failures_subject_failed_at", "subject", "failed_at"),
    Index("ix_login_failures_failed_at", "failed_at"),
)

# --- appended (0021): the audit chain's scheme per record; NULL = plain SHA-256 (before keyed
# hashing), ``hmac1:<key fingerprint>`` = HMAC with the app's key (sagwa.domain.audit) ---------

audit_log.append_column(Column("chain", String(40)))

# --- appended (0022): a call note marked "follow-up needed", open until someone records what was
# done (sagwa.domain.note_follow_ups; services/desk_follow_ups.py) --------------------------------

note_follow_ups = Table(
    "note_follow_ups", metadata, _id(),
    Column("case_id", BigInteger, ForeignKey("cases.id"), nullable=False, index=True),
    Column("attempt_id", BigInteger, ForeignKey("contact_attempts.id"), nullable=False,
           unique=True),
    Column("asked_by", Text, nullable=False),
    Column("asked_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True)),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolved_by", Text),
    Column("outcome", Text),
    CheckConstraint("(resolved_at IS NULL) = (resolved_by IS NULL) "
                    "AND (resolved_at IS NULL) = (outcome IS NULL)", name="resolved_together"),
    Index("ix_note_follow_ups_open", "asked_at", "case_id",
          postgresql_where=text("resolved_at IS NULL")),
)

# --- appended (0023): a refund the desk recorded on an order (its audit record, ``audit_seq``),
# owed until someone marks it paid (sagwa.domain.refunds; services/refunds.py) -------------------

refunds = Table(
    "refunds", metadata, _id(),
    Column("audit_seq", BigInteger, ForeignKey("audit_log.seq"), nullable=False, unique=True),
    Column("case_id", BigInteger, ForeignKey("cases.id"), nullable=False, index=True),
    Column("order_id", BigInteger, ForeignKey("orders.id"), nullable=False),
    Column("customer_id", BigInteger, ForeignKey("customers.id"), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("cancelled_at", DateTime(timezone=True), nullable=False),
    Column("due_by", Date, nullable=False),
    Column("paid_at", DateTime(timezone=True)),
    Column("paid_reference", Text),
    Column("paid_by", Text),
    # written by migration 0023 from the audit log, not by the desk (mark-paid --recorded-before)
    Column("backfilled", Boolean, nullable=False, server_default="false"),
    CheckConstraint("amount_minor > 0", name="amount_positive"),
    CheckConstraint("(paid_at IS NULL) = (paid_by IS NULL) "
                    "AND (paid_at IS NULL) = (paid_reference IS NULL)", name="paid_together"),
    Index("ix_refunds_owed", "due_by", "id", postgresql_where=text("paid_at IS NULL")),
)

# --- appended (0027): who saw or changed which customers' personal data, when and from where
# (개인정보의 안전성 확보조치 기준 제8조; services/access_records.py). Append-only by triggers: ``at``
# is the database's clock, UPDATE and TRUNCATE are refused, DELETE only of rows a year old -----

ACCESS_ACTIONS = ("view", "search", "export", "change", "sign_in", "sign_out", "sign_in_failed",
                  "purge")
access_records = Table(
    "access_records", metadata, _id(),
    Column("at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    Column("account", Text, nullable=False),
    Column("role", String(16)),
    # the request's address (after uvicorn's FORWARDED_ALLOW_IPS), or ``cli:<os login>``
    Column("client", Text, nullable=False),
    Column("request_id", String(64)),
    Column("action", String(20), nullable=False),
    # the page, endpoint or command, a search's words masked (``web.access_log.mask_links``)
    Column("what", Text, nullable=False),
    Column("customer_ids", ARRAY(BigInteger), nullable=False,
           server_default=text("'{}'::bigint[]")),
    Column("case_ids", ARRAY(BigInteger), nullable=False, server_default=text("'{}'::bigint[]")),
    # how many a search found
    Column("results", Integer),
    # why an export was made (its command's --reason, the API's X-Access-Reason)
    Column("reason", Text),
    CheckConstraint(f"action IN {ACCESS_ACTIONS}", name="action_known"),
    Index("ix_access_records_at", "at"),
    Index("ix_access_records_customer_ids", "customer_ids", postgresql_using="gin"),
)

# --- appended (0029): a customer's erasure request refused while a law or an open matter
# keeps the data (``domain.erasure_requests``): who took it, when, the holds (``[{"kept",
# "until"}]``) and from when it may be carried out (None: an open matter), until erasure closes
# it (``done_at``); one pending request per customer ----------------------------------------
erasure_requests = Table(
    "erasure_requests", metadata, _id(),
    Column("customer_id", BigInteger, ForeignKey("customers.id"), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("requested_by", Text, nullable=False),
    Column("holds", JSONB, nullable=False),
    Column("erase_from", DateTime(timezone=True)),
    Column("done_at", DateTime(timezone=True)),
    CheckConstraint("done_at IS NULL OR done_at >= requested_at", name="done_after_asked"),
    Index("ix_erasure_requests_pending", "customer_id", unique=True,
          postgresql_where=text("done_at IS NULL")),
)

# --- appended (0031): the queues each job worker takes (NULL: every queue), by procrastinate's
# worker id, written when it starts; read beside a live heartbeat only
# (``adapters/db/worker_heartbeats.workers_seen``) ------------------------------------
worker_queues = Table(
    "worker_queues", metadata,
    Column("worker_id", BigInteger, primary_key=True, autoincrement=False),
    Column("queues", ARRAY(Text)),
    Column("host", Text, nullable=False),
    Column("pid", Integer, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# --- appended (0033): each order in an incident its seller was emailed to send, once
# (``services.seller_ready_notices``; the difference-paid email's orders too), with the
# outbox key of the email that listed it ---------------------------------------------------
seller_orders_told = Table(
    "seller_orders_told", metadata,
    Column("incident_id", BigInteger, ForeignKey("incidents.id"), primary_key=True),
    Column("order_id", BigInteger, ForeignKey("orders.id"), primary_key=True),
    Column("seller_id", BigInteger, ForeignKey("sellers.id"), nullable=False),
    Column("told_at", DateTime(timezone=True), nullable=False),
    Column("message_key", String(200), nullable=False),
)
