"""daily counts shared by several processes (invitations per plan code and per address)

Revision ID: 0007_daily_counts
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_daily_counts"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_counts",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("daily_counts")
