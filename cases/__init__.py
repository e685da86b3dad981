"""The case store: SQL records that must never be lost (escalations and their event log).

SQLAlchemy 2 models, a small repository API and Alembic migrations. SQLite by default,
PostgreSQL in production and in the test suite.
"""
