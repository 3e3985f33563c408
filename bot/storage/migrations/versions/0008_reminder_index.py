"""the due index of reminders: one row per reminder of a plan in uitvoering

Revision ID: 0008_reminder_index
Revises: 0005

Filled for the plans that exist by the first reminder round (bot.features.reminders_worker), which
knows the gemeenten's profiles; from then on every change of a plan keeps its rows up to date.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_reminder_index"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder_due",
        sa.Column(
            "plan_id",
            sa.String(40),
            sa.ForeignKey("plans.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_reminder_due_open", "reminder_due", ["done", "start"])
    op.create_index("ix_reminder_due_end", "reminder_due", ["end"])


def downgrade() -> None:
    op.drop_table("reminder_due")
