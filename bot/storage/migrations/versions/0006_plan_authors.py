"""co-authors of a plan

Revision ID: 0006
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_authors",
        sa.Column(
            "plan_id",
            sa.String(40),
            sa.ForeignKey("plans.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("identity", sa.String(200), primary_key=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_plan_authors_identity", "plan_authors", ["identity"])


def downgrade() -> None:
    op.drop_table("plan_authors")
