"""leases and rate budgets shared by several processes; plans found by status

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("name", sa.String(60), primary_key=True),
        sa.Column("holder", sa.String(120), nullable=False),
        sa.Column("expires_at", sa.Double(), nullable=False),
    )
    op.create_table(
        "rate_buckets",
        sa.Column("key", sa.String(60), primary_key=True),
        sa.Column("tokens", sa.Double(), nullable=False),
        sa.Column("updated_at", sa.Double(), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        # a budget is worth nothing after a crash: no WAL, no fsync for each message sent
        op.execute("ALTER TABLE rate_buckets SET UNLOGGED")
    # the reminder round reads only the plans in uitvoering, not every concept
    op.create_index("ix_plans_status", "plans", ["status"])


def downgrade() -> None:
    op.drop_index("ix_plans_status", "plans")
    op.drop_table("rate_buckets")
    op.drop_table("leases")
