"""The store's methods for who follows which plan: participants, their consent and their
erasure. Each call is one transaction; Store inherits them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.storage import reminder_index
from bot.storage.participant_tables import (
    BlockedRecipient,
    OutboxMessage,
    Participant,
    PlanFollowup,
    PlanUpdate,
)
from bot.storage.tables import Person


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
    clock: Callable[[], datetime]

    def find_person(self, identity: str) -> Person | None:
        """The person, when the bot keeps anything about them; never makes one."""
        with self._session() as s:
            return s.get(Person, identity)

    # --- the plan's invitation code and follow-up choices
    def followup(self, plan_id: str, new_code: Callable[[], str]) -> PlanFollowup:
        """The plan's follow-up row, made on first use with a code from `new_code`."""
        for _ in range(10):
            with self._session.begin() as s:
                row = s.get(PlanFollowup, plan_id)
                if row is not None:
                    return row
            try:
                with self._session.begin() as s:
                    row = PlanFollowup(
                        plan_id=plan_id,
                        code=new_code(),
                        auto_status=False,
                        owner_mail_off=False,
                        created_at=self.clock(),
                    )
                    s.add(row)
                return row
            except IntegrityError:
                continue  # the same code, or another process made the row first
        raise RuntimeError("kan geen uitnodigingscode maken")

    def set_followup(self, plan_id: str, **values: Any) -> None:
        """Change the follow-up choices of a plan whose row exists."""
        with self._session.begin() as s:
            row = s.get(PlanFollowup, plan_id)
            for k, v in values.items():
                setattr(row, k, v)

    def plan_id_for_code(self, code: str) -> str | None:
        with self._session() as s:
            return s.scalar(select(PlanFollowup.plan_id).where(PlanFollowup.code == code))

    # --- the owner's updates
    def add_plan_update(
        self, plan_id: str, text: str, sender: str, automatic: bool, now: datetime
    ) -> int:
        with self._session.begin() as s:
            update = PlanUpdate(
                plan_id=plan_id, text=text, sender=sender, automatic=automatic, created_at=now
            )
            s.add(update)
            s.flush()
            return update.id

    def plan_updates(self, plan_id: str, limit: int = 10) -> list[tuple[datetime, str]]:
        """The plan's latest updates, newest first: when, and the text that went out."""
        with self._session() as s:
            q = (
                select(PlanUpdate.created_at, PlanUpdate.text)
                .where(PlanUpdate.plan_id == plan_id)
                .order_by(PlanUpdate.created_at.desc(), PlanUpdate.id.desc())
                .limit(limit)
            )
            return [(at, text) for at, text in s.execute(q)]

    def last_plan_update(self, plan_id: str) -> datetime | None:
        with self._session() as s:
            q = select(func.max(PlanUpdate.created_at)).where(PlanUpdate.plan_id == plan_id)
            at = s.scalar(q)
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        return at

    # --- invitations by e-mail
    def count_invited(self, plan_id: str) -> int:
        """Invitations of the plan that wait for a yes."""
        with self._session() as s:
            q = select(func.count()).where(
                Participant.plan_id == plan_id, Participant.status == "invited"
            )
            return s.scalar(q) or 0

    def participant_status(self, plan_id: str, identity: str) -> str | None:
        with self._session() as s:
            return s.scalar(
                select(Participant.status).where(
                    Participant.plan_id == plan_id, Participant.identity == identity
                )
            )

    def invite_participant(
        self, plan_id: str, identity: str, now: datetime, keep_until: date
    ) -> tuple[int, bool]:
        """Store (or renew) an invitation; the participant's id, and whether it is new."""
        with self._session.begin() as s:
            row = s.scalar(
                select(Participant).where(
                    Participant.plan_id == plan_id, Participant.identity == identity
                )
            )
            new = row is None
            if row is None:
                row = Participant(
                    plan_id=plan_id, identity=identity, status="invited", created_at=now
                )
                s.add(row)
            row.invited_at = now
            row.keep_until = keep_until
            s.flush()
            return row.id, new

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

    def standing(self, identity: str) -> tuple[bool, bool]:
        """Whether the person is marked as having blocked the bot, and whether they follow a
        plan: one query, since every message to the bot asks it."""
        blocked = (
            select(func.count())
            .select_from(BlockedRecipient)
            .where(BlockedRecipient.identity == identity)
            .scalar_subquery()
        )
        following = (
            select(func.count())
            .select_from(Participant)
            .where(Participant.identity == identity, Participant.status == "active")
            .scalar_subquery()
        )
        with self._session() as s:
            b, f = s.execute(select(blocked, following)).one()
        return bool(b), bool(f)

    def accept_participant(
        self,
        plan_id: str,
        identity: str,
        naam: str | None,
        now: datetime,
        keep_until: date,
        reopen_from: date | None = None,
    ) -> None:
        """`identity` agreed to follow the plan until `keep_until` (`now` in UTC); with
        `reopen_from` (today) the plan's reminders running that day are looked at again."""
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
            if reopen_from is not None:
                reminder_index.reopen(s, plan_id, reopen_from)

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
