"""The store's methods for the participants' side: the message outbox, who cannot be reached,
the bot's own small values and the plan's data keys that features keep. Each call is one
transaction; Store inherits them, so features reach the database only through the store."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.participant_tables import BlockedRecipient, BotValue, OutboxMessage
from bot.storage.tables import PlanRow


class NotFound(KeyError):
    """No plan with this id (a KeyError, as the store has always raised for a missing plan)."""


class MessageMethods:
    _session: sessionmaker[Session]

    # --- the bot's own values (the signing key of e-mail links, the bot's name, a last check)
    def bot_value(self, key: str) -> str | None:
        with self._session() as s:
            row = s.get(BotValue, key)
            return row.value if row else None

    def set_bot_value(self, key: str, value: str) -> None:
        """Several processes may set the same key at once: the last one wins."""
        for _ in range(2):
            try:
                with self._session.begin() as s:
                    row = s.get(BotValue, key)
                    if row is None:
                        s.add(BotValue(key=key, value=value))
                    else:
                        row.value = value
                return
            except IntegrityError:  # another process inserted it first: now it is an update
                continue

    # --- a plan's data, one key at a time (the Afronding, the closing steps, evaluations)
    def update_plan_data(self, plan_id: str, key: str, value: Any) -> None:
        """Replace one key of the plan's data; NotFound when there is no such plan."""
        with self._session.begin() as s:
            row = s.get(PlanRow, plan_id)
            if row is None:
                raise NotFound(plan_id)
            # a new dict: SQLAlchemy only notices a JSON column changed when it is replaced
            row.data = {**(row.data or {}), key: value}

    def merge_plan_data(self, plan_id: str, key: str, values: dict[str, Any]) -> None:
        """Add `values` to the dict under one key of the plan's data, in one transaction (two
        closing steps recorded at once both stay); NotFound when there is no such plan."""
        with self._session.begin() as s:
            row = s.get(PlanRow, plan_id, with_for_update=True)
            if row is None:
                raise NotFound(plan_id)
            data = dict(row.data or {})
            data[key] = {**(data.get(key) or {}), **values}
            row.data = data

    # --- who cannot be reached
    def block(self, identity: str, reason: str, now: datetime) -> None:
        """Remember that `identity` cannot be reached; what waits for them is skipped."""
        now = now.astimezone(UTC)
        with self._session.begin() as s:
            if s.get(BlockedRecipient, identity) is None:
                s.add(BlockedRecipient(identity=identity, reason=reason[:500], blocked_at=now))
            s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.identity == identity, OutboxMessage.status == "pending")
                .values(status="blocked", error=reason[:500])
            )

    def unblock(self, identity: str) -> None:
        with self._session() as s:
            if s.get(BlockedRecipient, identity) is None:
                return  # the common case: read only, no write on every message
        with self._session.begin() as s:
            s.execute(delete(BlockedRecipient).where(BlockedRecipient.identity == identity))

    def is_blocked(self, identity: str) -> bool:
        with self._session() as s:
            return s.get(BlockedRecipient, identity) is not None

    # --- the message outbox
    def outbox_identities(self, plan_id: str, ref: str) -> set[str]:
        """Who already has this reminder of this plan in the outbox (sent or waiting)."""
        q = select(OutboxMessage.identity).where(
            OutboxMessage.plan_id == plan_id, OutboxMessage.ref == ref
        )
        with self._session() as s:
            return set(s.scalars(q))

    def prune_outbox(self, before: datetime) -> int:
        """Forget finished messages stored before `before`."""
        with self._session.begin() as s:
            return s.execute(
                delete(OutboxMessage).where(
                    OutboxMessage.status.in_(("sent", "blocked", "failed")),
                    OutboxMessage.created_at < before.astimezone(UTC),
                )
            ).rowcount

    def outbox_counts(self, plan_id: str | None = None) -> dict[str, int]:
        """How many messages are in each state (sent, pending, blocked, failed, sending)."""
        q = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        if plan_id:
            q = q.where(OutboxMessage.plan_id == plan_id)
        with self._session() as s:
            return {status: n for status, n in s.execute(q)}
