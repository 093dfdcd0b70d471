"""A handoff belongs to one conversation, not to an order (issue 18, defect 1).

Before, an open handoff on a verified order was unique per order: a second customer's
conversation about the same order got the first conversation's handoff, and the agent's reply
went to the first chat. Now:

- `uq_service_requests_open_kind_order` (one open request of a kind per order) leaves
  handoffs out;
- `uq_service_requests_open_handoff_conversation` covers every open handoff, with or without
  an order: one per conversation (Rasa's sender id, whose prefix names the channel).

Existing rows stay. A conversation that had two open handoffs (one before and one after its
identification) keeps one open — the one an agent has taken, else the oldest — and the others
are marked rejected, or the index could not be built. Plain SQL, run the same on SQLite and
PostgreSQL.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLE = "service_requests"
PER_ORDER = "uq_service_requests_open_kind_order"
PER_CONVERSATION = "uq_service_requests_open_handoff_conversation"

OPEN_REQUEST_OF_AN_ORDER = "status = 'open' AND kind <> 'handoff'"
OPEN_HANDOFF = "kind = 'handoff' AND status = 'open'"
# Before this revision (0003 and the model of 0001).
OPEN_REQUEST = "status = 'open'"
OPEN_HANDOFF_WITHOUT_ORDER = "kind = 'handoff' AND status = 'open' AND order_number IS NULL"


def upgrade() -> None:
    _reject_all_but_one(
        f"""SELECT r.id, r.conversation_id FROM {TABLE} r
            LEFT JOIN handoff_assignments a ON a.request_id = r.id AND a.state = 'taken'
            WHERE r.kind = 'handoff' AND r.status = 'open' AND r.conversation_id IS NOT NULL
            ORDER BY r.conversation_id, CASE WHEN a.id IS NULL THEN 1 ELSE 0 END, r.id""",
    )
    op.drop_index(PER_ORDER, table_name=TABLE)
    op.drop_index(PER_CONVERSATION, table_name=TABLE)
    _create(PER_ORDER, ["kind", "order_number"], OPEN_REQUEST_OF_AN_ORDER)
    _create(PER_CONVERSATION, ["conversation_id"], OPEN_HANDOFF)


def downgrade() -> None:
    _reject_all_but_one(
        f"""SELECT id, order_number FROM {TABLE}
            WHERE kind = 'handoff' AND status = 'open' AND order_number IS NOT NULL
            ORDER BY order_number, id""",
    )
    op.drop_index(PER_CONVERSATION, table_name=TABLE)
    op.drop_index(PER_ORDER, table_name=TABLE)
    _create(PER_ORDER, ["kind", "order_number"], OPEN_REQUEST)
    _create(PER_CONVERSATION, ["conversation_id"], OPEN_HANDOFF_WITHOUT_ORDER)


def _reject_all_but_one(ordered_query: str) -> None:
    """Of the rows `ordered_query` returns (id, key), sorted so that the one to keep comes
    first in each group, mark every other one rejected."""
    connection = op.get_bind()
    seen: set[str] = set()
    duplicates = []
    for request_id, value in connection.execute(sa.text(ordered_query)):
        if value in seen:
            duplicates.append(request_id)
        seen.add(value)
    for request_id in duplicates:
        connection.execute(
            sa.text(f"UPDATE {TABLE} SET status = 'rejected' WHERE id = :id"), {"id": request_id}
        )


def _create(name: str, columns: list[str], where: str) -> None:
    op.create_index(
        name,
        TABLE,
        columns,
        unique=True,
        sqlite_where=sa.text(where),
        postgresql_where=sa.text(where),
    )
