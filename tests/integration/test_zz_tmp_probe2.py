from sqlalchemy import create_engine, text
def test_probe_fail(scratch):
    engine = create_engine(scratch.create())
    conn = engine.connect()
    try:
        conn.execute(text("ALTER TABLE price_changes DROP CONSTRAINT nope"))
    finally:
        pass
