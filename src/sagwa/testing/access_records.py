"""For tests of "no access unrecorded": access records made impossible to write, inside the
test's own transaction (a trigger of the session's temporary schema, gone with its rollback),
so that a page, an answer or a command that shows customers' data can be seen to fail."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

#: What the refused INSERT says: a test matches the failure on it.
DOWN = "access records are down"


def access_records_down(session_factory: sessionmaker[Session]) -> None:
    """From now on in this transaction, every INSERT into ``access_records`` fails."""
    with session_factory() as session:
        session.execute(text(f"""
            CREATE FUNCTION pg_temp.no_access_record() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{DOWN}'; END $$;
            CREATE TRIGGER no_access_record BEFORE INSERT ON access_records
            FOR EACH ROW EXECUTE FUNCTION pg_temp.no_access_record()"""))
        session.commit()
