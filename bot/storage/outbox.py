"""The store's methods for the message outbox's queue: store, claim, give back and mark, and
where a Teams person talks to the bot. Claims and marks are one statement each, without BEGIN
and COMMIT around them; Store inherits these methods, so bot/delivery.py opens no session."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.storage import shared
from bot.storage.participant_tables import BlockedRecipient, OutboxMessage
from bot.storage.tables import TeamsConversation

# what a claim hands back, in this order (delivery's _Claimed takes the first eight)
CLAIMED = (
    OutboxMessage.id,
    OutboxMessage.channel,
    OutboxMessage.identity,
    OutboxMessage.text,
    OutboxMessage.subject,
    OutboxMessage.unsubscribe_url,
    OutboxMessage.plan_id,
    OutboxMessage.attempts,
    OutboxMessage.not_before,
)


class OutboxMethods:
    _session: sessionmaker[Session]
    engine: Engine

    @cached_property
    def _autocommit(self) -> Engine:
        # claims and marks are one statement each: no BEGIN/COMMIT round trips around them
        return self.engine.execution_options(isolation_level="AUTOCOMMIT")

    # --- storing
    def add_messages(self, rows: list[dict[str, Any]]) -> int:
        """Store outbox rows; one whose dedupe key is already stored is left out. Returns how
        many were stored."""
        if not rows:
            return 0
        dialect = self.engine.dialect.name
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        elif dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:  # pragma: no cover - the project runs on SQLite and PostgreSQL
            dialect_insert = None
        added = 0
        with self._session.begin() as s:
            if dialect_insert is not None:
                stmt = (
                    dialect_insert(OutboxMessage)
                    .on_conflict_do_nothing(index_elements=["dedupe"])
                    .returning(OutboxMessage.id)
                )
                for chunk in _chunks(rows, 500):
                    added += len(s.execute(stmt, chunk).all())
            else:
                for row in rows:
                    if row["dedupe"] and s.scalar(
                        select(OutboxMessage.id).where(OutboxMessage.dedupe == row["dedupe"])
                    ):
                        continue
                    s.execute(insert(OutboxMessage), [row])
                    added += 1
        return added

    def waiting_messages(self, at: datetime, night: bool) -> list[OutboxMessage]:
        """Messages waiting to be sent that may go out at `at` (at `night`: not the daytime
        ones)."""
        q = (
            select(OutboxMessage)
            .where(OutboxMessage.status == "pending")
            .where(OutboxMessage.not_before <= at.astimezone(UTC))
            # the claim index's order: only due rows are read
            .order_by(OutboxMessage.not_before, OutboxMessage.id)
        )
        if night:
            q = q.where(OutboxMessage.daytime.is_(False))
        with self._session() as s:
            return list(s.scalars(q))

    # --- claiming
    def due_where(self, channels: Collection[str], now: datetime, night: bool) -> list[Any]:
        """What makes a message claimable: due, on one of `channels`, not for someone who
        cannot be reached (at `night`: not a daytime one). The claim index serves it."""
        where = [
            OutboxMessage.status == "pending",
            OutboxMessage.not_before <= now.astimezone(UTC),
            OutboxMessage.channel.in_(list(channels)),
            OutboxMessage.identity.not_in(select(BlockedRecipient.identity)),
        ]
        if night:
            where.append(OutboxMessage.daytime.is_(False))
        return where

    def has_claimable(self, channels: Collection[str], now: datetime, night: bool) -> bool:
        """Something on one of `channels` may be claimed at `now`."""
        with self._session() as s:
            q = select(OutboxMessage.id).where(*self.due_where(channels, now, night)).limit(1)
            return s.scalar(q) is not None

    def claim_messages(
        self,
        token: str,
        channels: Collection[str],
        now: datetime,
        night: bool,
        limit: int,
        claimed_at: datetime,
    ) -> list[Row[Any]]:
        """Take up to `limit` of the oldest due messages for the run `token`, oldest first
        (the columns of CLAIMED).

        One statement: PostgreSQL skips rows another process has locked, SQLite runs it
        under its write lock. The claim index (status, not_before, id) gives this order, so
        only due rows are read, however many wait for a later day."""
        due = (
            select(OutboxMessage.id)
            .where(*self.due_where(channels, now, night))
            .order_by(OutboxMessage.not_before, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            # materialized: as a plain IN (subquery) PostgreSQL may run it once per row and
            # claim far more than `limit`
            .cte("due")
            .prefix_with("MATERIALIZED")
        )
        stmt = (
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(select(due.c.id)), OutboxMessage.status == "pending")
            .values(
                status="sending",
                claimed_by=token,
                claimed_at=claimed_at,
                attempts=OutboxMessage.attempts + 1,
            )
            .returning(*CLAIMED)
            .execution_options(synchronize_session=False)
        )
        with self._autocommit.connect() as conn:
            rows = conn.execute(stmt).all()
        rows.sort(key=lambda r: (r.not_before, r.id))  # RETURNING keeps no order
        return rows

    def unclaim_messages(self, ids: list[int], token: str) -> None:
        """Give back messages the run `token` claimed and will not send."""
        with self._session.begin() as s:
            s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == token)
                .values(
                    status="pending",
                    claimed_by=None,
                    claimed_at=None,
                    attempts=OutboxMessage.attempts - 1,
                )
                .execution_options(synchronize_session=False)
            )

    def recover_claims(self, dead: Callable[[str | None, datetime | None], bool]) -> int:
        """Give back the claims whose run is `dead(claimed_by, claimed_at)`; returns how many."""
        freed = 0
        with self._session.begin() as s:
            rows = s.execute(
                select(OutboxMessage.id, OutboxMessage.claimed_by, OutboxMessage.claimed_at).where(
                    OutboxMessage.status == "sending"
                )
            ).all()
            for row_id, by, at in rows:
                if not dead(by, at):
                    continue
                freed += s.execute(
                    update(OutboxMessage)
                    .where(
                        OutboxMessage.id == row_id,
                        OutboxMessage.status == "sending",
                        OutboxMessage.claimed_by == by,
                    )
                    .values(status="pending", claimed_by=None, claimed_at=None)
                    .execution_options(synchronize_session=False)
                ).rowcount
        return freed

    def skip_blocked_messages(self) -> None:
        """What waits for someone who cannot be reached is marked 'blocked'."""
        blocked = select(BlockedRecipient.identity)
        with self._session.begin() as s:
            s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.status == "pending", OutboxMessage.identity.in_(blocked))
                .values(status="blocked")
                .execution_options(synchronize_session=False)
            )

    def channels_waiting(self, besides: Collection[str], now: datetime) -> set[str]:
        """The channels other than `besides` that have messages due at `now`."""
        q = select(OutboxMessage.channel).where(
            OutboxMessage.status == "pending",
            OutboxMessage.not_before <= now.astimezone(UTC),
            OutboxMessage.channel.not_in(list(besides)),
        )
        with self._session() as s:
            return set(s.scalars(q.distinct()))

    # --- marking
    def finish_message(self, message_id: int, status: str, error: str | None, at: datetime) -> None:
        """Sent, blocked or failed for good."""
        with self._autocommit.connect() as conn:
            conn.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id)
                .values(status=status, sent_at=at, error=error and error[:1000])
                .execution_options(synchronize_session=False)
            )

    def release_message(
        self, message_id: int, status: str, not_before: datetime, error: str
    ) -> None:
        """A passing failure: back to `status` ('pending', or 'failed' in the end), not before
        `not_before`."""
        with self._session.begin() as s:
            s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id)
                .values(
                    status=status,
                    not_before=not_before.astimezone(UTC),
                    claimed_by=None,
                    claimed_at=None,
                    error=error[:1000],
                )
                .execution_options(synchronize_session=False)
            )

    # --- a rate limit every process on this database shares (Telegram's 30 a second)
    def take_rate_token(self, key: str, rate: float) -> float:
        """0.0: send now; otherwise the seconds to wait before asking again."""
        return shared.take_token(self.engine, key, rate)

    def pause_rate(self, key: str, rate: float, seconds: float) -> None:
        shared.pause_budget(self.engine, key, rate, seconds)

    # --- where a Teams person talks to the bot (a conversation reference, as JSON)
    def save_teams_reference(self, identity: str, reference: dict[str, Any], now: datetime) -> None:
        with self._session.begin() as s:
            row = s.get(TeamsConversation, identity)
            if row is None:
                s.add(TeamsConversation(identity=identity, reference=reference, updated_at=now))
            elif row.reference != reference:
                row.reference = reference
                row.updated_at = now

    def teams_reference(self, identity: str) -> dict[str, Any] | None:
        with self._session() as s:
            row = s.get(TeamsConversation, identity)
            return dict(row.reference) if row else None


def _chunks(rows: list[dict[str, Any]], n: int) -> Iterable[list[dict[str, Any]]]:
    for i in range(0, len(rows), n):
        yield rows[i : i + n]
