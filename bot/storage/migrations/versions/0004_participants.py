"""participants, progress updates and the message outbox

Revision ID: 0004
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _plan(**kw: object) -> sa.Column:
    return sa.Column("plan_id", sa.String(40), sa.ForeignKey("plans.id", ondelete="CASCADE"), **kw)


def upgrade() -> None:
    op.create_table(
        "plan_followup",
        _plan(primary_key=True),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("auto_status", sa.Boolean(), nullable=False),
        sa.Column("owner_mail_off", sa.Boolean(), nullable=False),
        sa.Column("proposal", sa.Text(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _plan(nullable=False),
        sa.Column("identity", sa.String(200), nullable=False),
        sa.Column("naam", sa.String(200), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("invited_at", TZ, nullable=True),
        sa.Column("consented_at", TZ, nullable=True),
        sa.Column("keep_until", sa.Date(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("plan_id", "identity", name="uq_participants_plan"),
    )
    op.create_index("ix_participants_identity", "participants", ["identity"])
    op.create_table(
        "plan_updates",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _plan(nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sender", sa.String(200), nullable=False),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_plan_updates_plan_id", "plan_updates", ["plan_id"])
    op.create_table(
        "blocked_recipients",
        sa.Column("identity", sa.String(200), primary_key=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("blocked_at", TZ, nullable=False),
    )
    op.create_table(
        "message_outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("identity", sa.String(200), nullable=False),
        _plan(nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ref", sa.String(120), nullable=True),
        sa.Column("dedupe", sa.String(400), nullable=True, unique=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("unsubscribe_url", sa.Text(), nullable=True),
        sa.Column("daytime", sa.Boolean(), nullable=False),
        sa.Column("not_before", TZ, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(120), nullable=True),
        sa.Column("claimed_at", TZ, nullable=True),
        sa.Column("sent_at", TZ, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_message_outbox_identity", "message_outbox", ["identity"])
    op.create_index("ix_message_outbox_plan_id", "message_outbox", ["plan_id"])
    op.create_index("ix_message_outbox_claim", "message_outbox", ["status", "not_before", "id"])
    op.create_table(
        "bot_values",
        sa.Column("key", sa.String(60), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "bot_values",
        "message_outbox",
        "blocked_recipients",
        "plan_updates",
        "participants",
        "plan_followup",
    ):
        op.drop_table(table)
