"""Migration 0010: idempotency keys get their owner from what was stored, none is lost."""

from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from sagwa.adapters.db.migrate import alembic_config
from sagwa.domain.money import Money
from sagwa.services import catalog, listings
from sagwa.services.idempotency import IdempotencyKey
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def _alembic(engine: Engine, action: str, revision: str) -> None:
    command_config = alembic_config(engine.url.render_as_string(hide_password=False))
    # a scratch database: its keyed audit records may lose their marker (migration 0021)
    command_config.attributes["sagwa_accept_keyed_audit_loss"] = True
    getattr(command, action)(command_config, revision)


def _keys(engine: Engine) -> list[tuple[str, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT owner, scope, key FROM idempotency_keys ORDER BY scope, key, owner"))]


def test_existing_keys_keep_their_account_through_down_and_up(scratch) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(scratch.create())
    try:
        factory = sessionmaker(bind=engine)
        seller = catalog.register_seller(
            SqlAlchemyUnitOfWork(factory), code="api-made", name="가", actor="api:seller_a",
            idempotency_key=IdempotencyKey("k-1", owner="api:seller_a"))
        product = catalog.register_product(SqlAlchemyUnitOfWork(factory), title="책",
                                           category="books", actor="seed")
        # a listing made through the API before request parts (``publish``) were compared:
        # its key was fingerprinted on the payload alone
        made = listings.create_listing(
            SqlAlchemyUnitOfWork(factory), seller_id=seller.id, product_id=product.id,
            price=Money.of(15000, "KRW"), actor="api:seller_a",
            idempotency_key=IdempotencyKey("k-3", owner="api:seller_a"))
        catalog.register_customer(SqlAlchemyUnitOfWork(factory), name="나", email="n@example.com",
                                  actor="seed", idempotency_key="k-2")
        catalog.register_customer(SqlAlchemyUnitOfWork(factory), name="다", email="d@example.com",
                                  actor="api:admin",
                                  idempotency_key=IdempotencyKey("k-2", owner="api:admin"))
        _alembic(engine, "downgrade", "0009")  # one (scope, key): the earliest row stays
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM idempotency_keys")).scalar_one() == 3
        _alembic(engine, "upgrade", "head")
        assert _keys(engine) == [("", "customer", "k-2"), ("api:seller_a", "listing", "k-3"),
                                 ("api:seller_a", "seller", "k-1")]
        again = catalog.register_seller(
            SqlAlchemyUnitOfWork(factory), code="api-made", name="가", actor="api:seller_a",
            idempotency_key=IdempotencyKey("k-1", owner="api:seller_a"))
        assert again.code == "api-made"  # the retry after the upgrade finds its first result
        # the API's retry of that listing now names ``publish``: still the same request
        retried = listings.create_listing(
            SqlAlchemyUnitOfWork(factory), seller_id=seller.id, product_id=product.id,
            price=Money.of(15000, "KRW"), actor="api:seller_a",
            idempotency_key=IdempotencyKey("k-3", owner="api:seller_a").with_request(publish=False))
        assert retried.id == made.id
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM sellers")).scalar_one() == 1
            assert conn.execute(text("SELECT count(*) FROM listings")).scalar_one() == 1
    finally:
        engine.dispose()
