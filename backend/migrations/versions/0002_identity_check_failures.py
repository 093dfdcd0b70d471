"""Failed identity checks, counted per order number across conversations.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import backend.sqltypes

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_check_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=8), nullable=False),
        sa.Column("failed_at", backend.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_check_failures")),
    )
    op.create_index(
        "ix_identity_check_failures_order_number_failed_at",
        "identity_check_failures",
        ["order_number", "failed_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_identity_check_failures_failed_at"),
        "identity_check_failures",
        ["failed_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_identity_check_failures_failed_at"), table_name="identity_check_failures"
    )
    op.drop_index(
        "ix_identity_check_failures_order_number_failed_at", table_name="identity_check_failures"
    )
    op.drop_table("identity_check_failures")
