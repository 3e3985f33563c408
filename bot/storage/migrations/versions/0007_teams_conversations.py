"""where each person talks to the bot in Microsoft Teams

Revision ID: 0007_teams
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_teams"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teams_conversations",
        sa.Column("identity", sa.String(200), primary_key=True),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("teams_conversations")
