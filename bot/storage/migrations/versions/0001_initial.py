"""people, plans and interview sessions

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("identity", sa.String(200), primary_key=True),
        sa.Column("naam", sa.String(200), nullable=True),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("active_plan_id", sa.String(40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("gemeente", sa.String(80), nullable=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("titel", sa.Text(), nullable=True),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_plans_gemeente", "plans", ["gemeente"])
    op.create_index("ix_plans_owner", "plans", ["owner"])
    op.create_table(
        "sessions",
        sa.Column(
            "identity",
            sa.String(200),
            sa.ForeignKey("people.identity", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "plan_id",
            sa.String(40),
            sa.ForeignKey("plans.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sessions_plan", "sessions", ["plan_id"])


def downgrade() -> None:
    op.drop_table("sessions")
    op.drop_table("plans")
    op.drop_table("people")
