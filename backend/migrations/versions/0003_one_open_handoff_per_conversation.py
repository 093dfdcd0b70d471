"""At most one open handoff without an order per conversation (partial unique index).

Simultaneous handoffs of one conversation have no order row to lock; this index makes the
second insert fail, and the service's retry then finds the first one. Duplicates left by
the race this closes are rejected first (the oldest stays open), or the index could not
be built.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OPEN_HANDOFF_WITHOUT_ORDER = "kind = 'handoff' AND status = 'open' AND order_number IS NULL"


def upgrade() -> None:
    op.execute(
        f"""
        UPDATE service_requests SET status = 'rejected'
        WHERE {OPEN_HANDOFF_WITHOUT_ORDER} AND conversation_id IS NOT NULL
          AND id NOT IN (
            SELECT MIN(id) FROM service_requests
            WHERE {OPEN_HANDOFF_WITHOUT_ORDER} AND conversation_id IS NOT NULL
            GROUP BY conversation_id
          )
        """
    )
    op.create_index(
        "uq_service_requests_open_handoff_conversation",
        "service_requests",
        ["conversation_id"],
        unique=True,
        sqlite_where=sa.text(OPEN_HANDOFF_WITHOUT_ORDER),
        postgresql_where=sa.text(OPEN_HANDOFF_WITHOUT_ORDER),
    )


def downgrade() -> None:
    op.drop_index("uq_service_requests_open_handoff_conversation", table_name="service_requests")
