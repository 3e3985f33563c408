"""The store's methods for who follows which plan: participants, their consent and their
erasure. Each call is one transaction; Store inherits them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.participant_tables import BlockedRecipient, OutboxMessage, Participant


@dataclass(frozen=True)
class ParticipantInfo:
    plan_id: str
    identity: str
    naam: str | None
    status: str
    keep_until: date
    consented_at: datetime | None


def _info(p: Participant) -> ParticipantInfo:
    return ParticipantInfo(p.plan_id, p.identity, p.naam, p.status, p.keep_until, p.consented_at)


class ParticipationMethods:
    _session: sessionmaker[Session]

    def participant(self, participant_id: int) -> ParticipantInfo | None:
        with self._session() as s:
            row = s.get(Participant, participant_id)
            return _info(row) if row else None

    def plan_participants(self, plan_id: str, status: str = "active") -> list[ParticipantInfo]:
        """The plan's participants with this status, oldest first, blocked ones left out."""
        q = (
            select(Participant)
            .where(
                Participant.plan_id == plan_id,
                Participant.status == status,
                Participant.identity.not_in(select(BlockedRecipient.identity)),
            )
            .order_by(Participant.id)
        )
        with self._session() as s:
            return [_info(p) for p in s.scalars(q)]

    def followed_plans(self, identity: str) -> list[ParticipantInfo]:
        """Every plan `identity` follows or is invited to, most recent first."""
        q = (
            select(Participant)
            .where(Participant.identity == identity)
            .order_by(Participant.id.desc())
        )
        with self._session() as s:
            return [_info(p) for p in s.scalars(q)]

    def accept_participant(
        self, plan_id: str, identity: str, naam: str | None, now: datetime, keep_until: date
    ) -> None:
        """`identity` agreed to follow the plan until `keep_until` (`now` in UTC)."""
        with self._session.begin() as s:
            row = s.scalar(
                select(Participant).where(
                    Participant.plan_id == plan_id, Participant.identity == identity
                )
            )
            if row is None:
                row = Participant(plan_id=plan_id, identity=identity, created_at=now)
                s.add(row)
            row.naam = naam or row.naam
            row.status = "active"
            row.consented_at = now
            row.keep_until = keep_until

    def leave_plans(self, identity: str, plan_id: str | None = None) -> list[str]:
        """End following (one plan, or all): the rows and what still waits to be sent are
        erased. Returns the plan ids left."""
        with self._session.begin() as s:
            q = select(Participant).where(Participant.identity == identity)
            if plan_id:
                q = q.where(Participant.plan_id == plan_id)
            rows = list(s.scalars(q))
            left = [r.plan_id for r in rows]
            for r in rows:
                s.delete(r)
            if left:
                s.execute(
                    delete(OutboxMessage).where(
                        OutboxMessage.identity == identity,
                        OutboxMessage.plan_id.in_(left),
                        OutboxMessage.status.in_(("pending", "blocked", "failed")),
                    )
                )
        return left

    def expire_participants(self, now: datetime, today: date, invitation_valid: timedelta) -> int:
        """Erase invitations older than `invitation_valid` that nobody accepted, and participants
        past their date, with what waits for them (`now` in UTC)."""
        erased = 0
        with self._session.begin() as s:
            rows = list(
                s.scalars(
                    select(Participant).where(
                        (
                            (Participant.status == "invited")
                            & (Participant.invited_at < now - invitation_valid)
                        )
                        | (Participant.keep_until < today)
                    )
                )
            )
            for r in rows:
                s.execute(
                    delete(OutboxMessage).where(
                        OutboxMessage.identity == r.identity,
                        OutboxMessage.plan_id == r.plan_id,
                        OutboxMessage.status != "sending",
                    )
                )
                s.delete(r)
                erased += 1
        return erased

    def erase_participation(self, identity: str) -> int:
        """Erase the person's participations, messages and block (for `privacy erase`)."""
        with self._session.begin() as s:
            n = s.execute(delete(Participant).where(Participant.identity == identity)).rowcount
            n += s.execute(delete(OutboxMessage).where(OutboxMessage.identity == identity)).rowcount
            n += s.execute(
                delete(BlockedRecipient).where(BlockedRecipient.identity == identity)
            ).rowcount
        return n
