"""Tables of a plan's lifecycle: transitions, frozen versions, reviews, advisor logins, outbox."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base


class TransitionRow(Base):
    """One step of a plan's lifecycle: from which status to which, by whom, when, why."""

    __tablename__ = "plan_transitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    who: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)


class VersionRow(Base):
    """The answers as they were when submitted (reason 'ingediend') or adopted ('vastgesteld')."""

    __tablename__ = "plan_versions"

    plan_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    nr: Mapped[int] = mapped_column(Integer, primary_key=True)
    reason: Mapped[str] = mapped_column(String(30))
    data: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    who: Mapped[str] = mapped_column(String(200))
    # the vaststelling: the date college or raad decided and the reference of the besluit
    besluit_datum: Mapped[date | None] = mapped_column(Date)
    besluit: Mapped[str | None] = mapped_column(Text)


class ReviewRow(Base):
    """The advisor's verdict on one section of one submitted version."""

    __tablename__ = "plan_reviews"

    plan_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    version_nr: Mapped[int] = mapped_column(Integer, primary_key=True)
    section: Mapped[str] = mapped_column(String(40), primary_key=True)
    verdict: Mapped[str] = mapped_column(String(20))  # 'akkoord' or 'aanpassen'
    comment: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class AdvisorLoginRow(Base):
    """A one-time login link or a session of an advisor; only a hash of the secret is kept."""

    __tablename__ = "advisor_logins"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # 'link' (used once) or 'session'
    email: Mapped[str] = mapped_column(String(200))
    gemeente: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]


class OutboxRow(Base):
    """An e-mail, stored before it is sent; sent_at is set once the server accepted it."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str | None] = mapped_column(
        String(40), ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    recipients: Mapped[str] = mapped_column(Text)  # comma-separated
    subject: Mapped[str] = mapped_column(Text)
    message: Mapped[bytes] = mapped_column(LargeBinary)  # the whole RFC 5322 message
    created_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt: Mapped[datetime]
    # a sender holds a mail until this moment, so two workers never send it both
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    eml_path: Mapped[str | None] = mapped_column(Text)


Index("ix_mail_outbox_due", OutboxRow.sent_at, OutboxRow.next_attempt)
