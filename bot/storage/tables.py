"""The database tables (SQLAlchemy 2 declarative); Alembic migrations create the same schema."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


class Person(Base):
    __tablename__ = "people"

    identity: Mapped[str] = mapped_column(String(200), primary_key=True)
    naam: Mapped[str | None] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(5), default="nl")
    active_plan_id: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime]


class PlanRow(Base):
    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    gemeente: Mapped[str | None] = mapped_column(String(80), index=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    titel: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(30), default="concept")
    data: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SessionRow(Base):
    """Interview state per (person, plan): where the person is and what is pending."""

    __tablename__ = "sessions"

    identity: Mapped[str] = mapped_column(
        String(200), ForeignKey("people.identity", ondelete="CASCADE"), primary_key=True
    )
    plan_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


Index("ix_sessions_plan", SessionRow.plan_id)
# the reminder round reads only the plans in uitvoering (migration 0005)
Index("ix_plans_status", PlanRow.status)


class Delivery(Base):
    """An incoming platform update already handled (Telegram update_id, Slack event_id)."""

    __tablename__ = "processed_updates"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(index=True)


class PlanAuthor(Base):
    """A co-author the owner invited: sees and changes the plan as the owner does."""

    __tablename__ = "plan_authors"

    plan_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    identity: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)
    added_at: Mapped[datetime]


class TeamsConversation(Base):
    """Where a person talks to the bot in Teams (the Bot Framework conversation reference):
    replies and reminders are sent there."""

    __tablename__ = "teams_conversations"

    identity: Mapped[str] = mapped_column(String(200), primary_key=True)
    reference: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
