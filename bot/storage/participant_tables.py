"""Tables for participants, progress updates and the message outbox (migration 0004)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base


class PlanFollowup(Base):
    """Per plan: the invitation code and the owner's choices about updates and reminders."""

    __tablename__ = "plan_followup"

    plan_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(16), unique=True)
    # the owner chose: a proposed status message goes out by itself after 5 silent days
    auto_status: Mapped[bool] = mapped_column(Boolean, default=False)
    # the owner clicked the unsubscribe link in a reminder mail
    owner_mail_off: Mapped[bool] = mapped_column(Boolean, default=False)
    # the last proposed status message, sent when the owner taps /verstuur
    proposal: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class Participant(Base):
    """Someone who follows a plan. 'invited' (e-mail, no consent yet) or 'active'."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("plan_id", "identity", name="uq_participants_plan"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(String(40), ForeignKey("plans.id", ondelete="CASCADE"))
    identity: Mapped[str] = mapped_column(String(200), index=True)
    naam: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    invited_at: Mapped[datetime | None]
    consented_at: Mapped[datetime | None]
    # AVG: what is kept is erased after this day at the latest
    keep_until: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]


class PlanUpdate(Base):
    """A progress update the owner sent (or that went out by itself), for the rapportage."""

    __tablename__ = "plan_updates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    sender: Mapped[str] = mapped_column(String(200))
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]


class BlockedRecipient(Base):
    """Someone who blocked the bot (Telegram 403) or cannot be reached: skipped, not retried."""

    __tablename__ = "blocked_recipients"

    identity: Mapped[str] = mapped_column(String(200), primary_key=True)
    reason: Mapped[str | None] = mapped_column(Text)
    blocked_at: Mapped[datetime]


class OutboxMessage(Base):
    """One message to one person, stored before it is sent and marked after."""

    __tablename__ = "message_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(20))
    identity: Mapped[str] = mapped_column(String(200), index=True)
    plan_id: Mapped[str | None] = mapped_column(
        String(40), ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    ref: Mapped[str | None] = mapped_column(String(120))  # the reminder's key
    # the same reminder or update to the same person is stored once
    dedupe: Mapped[str | None] = mapped_column(String(400), unique=True)
    subject: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    unsubscribe_url: Mapped[str | None] = mapped_column(Text)
    daytime: Mapped[bool] = mapped_column(Boolean, default=True)  # only 09:00-20:00
    not_before: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


Index("ix_message_outbox_claim", OutboxMessage.status, OutboxMessage.not_before, OutboxMessage.id)


class BotValue(Base):
    """Small values the bot keeps for itself: the key that signs e-mail links, the bot's name."""

    __tablename__ = "bot_values"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
