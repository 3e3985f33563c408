"""lifecycle: transitions, frozen versions, reviews, advisor logins, mail outbox

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _plan_fk() -> sa.ForeignKey:
    return sa.ForeignKey("plans.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "plan_transitions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("plan_id", sa.String(40), _plan_fk(), nullable=False),
        sa.Column("from_status", sa.String(30), nullable=False),
        sa.Column("to_status", sa.String(30), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_index("ix_plan_transitions_plan_id", "plan_transitions", ["plan_id"])
    op.create_table(
        "plan_versions",
        sa.Column("plan_id", sa.String(40), _plan_fk(), primary_key=True),
        sa.Column("nr", sa.Integer(), primary_key=True),
        sa.Column("reason", sa.String(30), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("besluit_datum", sa.Date(), nullable=True),
        sa.Column("besluit", sa.Text(), nullable=True),
    )
    op.create_table(
        "plan_reviews",
        sa.Column("plan_id", sa.String(40), _plan_fk(), primary_key=True),
        sa.Column("version_nr", sa.Integer(), primary_key=True),
        sa.Column("section", sa.String(40), primary_key=True),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "advisor_logins",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("gemeente", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_advisor_logins_expires_at", "advisor_logins", ["expires_at"])
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("plan_id", sa.String(40), _plan_fk(), nullable=True),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("eml_path", sa.Text(), nullable=True),
    )
    op.create_index("ix_mail_outbox_plan_id", "mail_outbox", ["plan_id"])
    op.create_index("ix_mail_outbox_due", "mail_outbox", ["sent_at", "next_attempt"])


def downgrade() -> None:
    op.drop_table("mail_outbox")
    op.drop_table("advisor_logins")
    op.drop_table("plan_reviews")
    op.drop_table("plan_versions")
    op.drop_table("plan_transitions")
