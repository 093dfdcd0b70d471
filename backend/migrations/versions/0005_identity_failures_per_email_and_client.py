"""Failed identity checks, counted per email and per client too (issue 13, defect 6).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLE = "identity_check_failures"


def upgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(sa.Column("email_digest", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("client_digest", sa.String(length=64), nullable=True))
    op.create_index(
        "ix_identity_check_failures_email_digest_failed_at", TABLE, ["email_digest", "failed_at"]
    )
    op.create_index(
        "ix_identity_check_failures_client_digest_failed_at", TABLE, ["client_digest", "failed_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_identity_check_failures_client_digest_failed_at", table_name=TABLE)
    op.drop_index("ix_identity_check_failures_email_digest_failed_at", table_name=TABLE)
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_column("client_digest")
        batch.drop_column("email_digest")
