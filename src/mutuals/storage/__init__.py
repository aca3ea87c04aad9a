"""Storage: SQLAlchemy tables, Alembic migrations and the query functions that take a connection."""
