"""Alembic environment: always run through backend.migrate, on the connection it passes.

Each revision in versions/ spells its tables and columns out in full, even where two look
alike: a revision must build the same schema on every database forever, so it shares no
helper or model that later code may change (only backend.sqltypes, whose types are stored).
"""

from __future__ import annotations

from alembic import context

from backend.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `python -m backend migrate` (backend.migrate)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    compare_type=True,
    user_module_prefix="backend.sqltypes.",
)
with context.begin_transaction():
    context.run_migrations()
