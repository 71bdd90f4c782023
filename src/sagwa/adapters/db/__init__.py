"""PostgreSQL through SQLAlchemy Core: tables, engine, repositories."""
