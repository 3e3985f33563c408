"""The due index of reminders: one row per reminder of a plan in uitvoering, from its first to
its last day, kept in step with the plan by whoever changes it.

A change of a plan's answers or status recomputes its rows in the same transaction (and drops
what waits in the outbox for a reminder that no longer exists), so the periodic round only
reads the rows whose days have come: its cost follows what is due, not how many plans exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Boolean, Date, ForeignKey, Index, String, delete, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from bot.storage.participant_tables import OutboxMessage
from bot.storage.tables import Base, PlanRow
from handreiking import reminders as pure
from handreiking.lifecycle import Status
from handreiking.models import Plan
from handreiking.profiles import profile_or_default

# reminders go out while participation is prepared and held: after vaststelling, until closing
REMINDED = frozenset({Status.vastgesteld.value, Status.in_uitvoering.value})


class ReminderDue(Base):
    """One reminder of one plan: due from `start` to `end` (Amsterdam days) until `done`."""

    __tablename__ = "reminder_due"

    plan_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    # looked at by a round (stored in the outbox, or nobody to send it to): the round skips
    # it until someone starts following the plan (reopen)
    done: Mapped[bool] = mapped_column(Boolean, default=False)


Index("ix_reminder_due_open", ReminderDue.done, ReminderDue.start)
Index("ix_reminder_due_end", ReminderDue.end)


def plan_reminders(
    gemeente: str | None, data: dict[str, Any], profiles_dir: Path | None
) -> list[pure.Reminder]:
    """The plan's reminders; none when its answers do not fit the model."""
    try:
        plan = Plan.model_validate(data or {})
    except ValidationError:
        return []
    return pure.reminders(plan, profile_or_default(gemeente, profiles_dir, plan.gemeente_naam))


def reindex(s: Session, row: PlanRow, status: str, profiles_dir: Path | None) -> None:
    """Bring the plan's rows in line with its answers and `status`, inside the caller's
    transaction: new reminders added, gone ones removed with what waits for them in the
    outbox; a reminder that stays keeps whether it was done."""
    wanted: dict[str, pure.Reminder] = {}
    if status in REMINDED:
        wanted = {r.key: r for r in plan_reminders(row.gemeente, row.data, profiles_dir)}
    have = set(s.scalars(select(ReminderDue.key).where(ReminderDue.plan_id == row.id)))
    gone = have - wanted.keys()
    if gone:
        s.execute(
            delete(ReminderDue).where(ReminderDue.plan_id == row.id, ReminderDue.key.in_(gone))
        )
    new = [
        {"plan_id": row.id, "key": k, "start": r.start, "end": r.end, "done": False}
        for k, r in wanted.items()
        if k not in have
    ]
    if new:
        s.execute(insert(ReminderDue), new)
    # a date moved or the plan ended: what waits for a reminder that is gone is not sent
    s.execute(
        delete(OutboxMessage).where(
            OutboxMessage.plan_id == row.id,
            OutboxMessage.kind == "reminder",
            OutboxMessage.status == "pending",
            OutboxMessage.ref.not_in(list(wanted)) if wanted else OutboxMessage.ref.is_not(None),
        )
    )


def touches(old_status: str | None, new_status: str) -> bool:
    """Whether a change from old_status to new_status can change the plan's reminders."""
    return old_status in REMINDED or new_status in REMINDED


def open_due(s: Session, today: date) -> list[tuple[str, str]]:
    """(plan id, key) of every reminder whose days have come and that is not done."""
    # on (done, start) only: a condition on `end` too may lead the planner to the index on
    # `end`, which holds every future reminder; rows past their end are pruned each round
    q = select(ReminderDue.plan_id, ReminderDue.key, ReminderDue.end).where(
        ReminderDue.done.is_(False), ReminderDue.start <= today
    )
    return [(plan_id, key) for plan_id, key, end in s.execute(q) if end >= today]


def prune(s: Session, today: date) -> None:
    """Forget the reminders whose last day passed: they keep no round busy."""
    s.execute(delete(ReminderDue).where(ReminderDue.end < today))


def mark_done(s: Session, keys: Iterable[tuple[str, str]]) -> None:
    """These reminders were stored in the outbox (or passed over for good)."""
    by_plan: dict[str, list[str]] = {}
    for plan_id, key in keys:
        by_plan.setdefault(plan_id, []).append(key)
    for plan_id, plan_keys in by_plan.items():
        s.execute(
            update(ReminderDue)
            .where(ReminderDue.plan_id == plan_id, ReminderDue.key.in_(plan_keys))
            .values(done=True)
        )


def reopen(s: Session, plan_id: str, today: date) -> None:
    """Someone started following the plan: its reminders that run today are looked at again,
    so they get them too (the outbox stores each message once per person)."""
    s.execute(
        update(ReminderDue)
        .where(
            ReminderDue.plan_id == plan_id,
            ReminderDue.done.is_(True),
            ReminderDue.start <= today,
            ReminderDue.end >= today,
        )
        .values(done=False)
    )


def rebuild(s: Session, profiles_dir: Path | None) -> int:
    """Recompute the rows of every plan in uitvoering (a database from before the index, or a
    gemeente's changed profile); returns how many plans."""
    rows = list(s.scalars(select(PlanRow).where(PlanRow.status.in_(REMINDED))))
    for row in rows:
        reindex(s, row, row.status, profiles_dir)
    return len(rows)


class ReminderIndexMethods:
    """The store's methods for the reminders worker; each call is one transaction."""

    _session: sessionmaker[Session]

    def reminders_open(self, today: date) -> list[tuple[str, str]]:
        """(plan id, key) of every reminder whose days have come and that is not done."""
        with self._session() as s:
            return open_due(s, today)

    def prune_reminders(self, today: date) -> None:
        """Forget the reminders whose last day passed."""
        with self._session.begin() as s:
            prune(s, today)

    def mark_reminders_done(self, keys: Iterable[tuple[str, str]]) -> None:
        """These reminders were stored in the outbox (or passed over for good)."""
        with self._session.begin() as s:
            mark_done(s, keys)

    def rebuild_reminders(self, profiles_dir: Path | None) -> int:
        """Recompute the due index of every plan in uitvoering; returns how many plans."""
        with self._session.begin() as s:
            return rebuild(s, profiles_dir)
