"""Storage of a plan's lifecycle and of the mail outbox; each method is one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.storage import reminder_index
from bot.storage.lifecycle_tables import (
    AdvisorLoginRow,
    OutboxRow,
    ReviewRow,
    TransitionRow,
    VersionRow,
)
from bot.storage.store import Store
from bot.storage.tables import PlanRow
from handreiking import lifecycle
from handreiking.lifecycle import Status, TransitionError
from handreiking.models import Plan


def utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class PlanGone(LookupError):
    """The plan does not exist (any more)."""


class StaleReview(TransitionError):
    """The review is of a version that is no longer the one waiting for review."""


@dataclass(frozen=True)
class NewMail:
    """A mail to store in the outbox together with a lifecycle step (one transaction)."""

    recipients: list[str]
    subject: str
    message: bytes


@dataclass(frozen=True)
class Transition:
    plan_id: str
    from_status: str
    to_status: str
    who: str
    at: datetime
    note: str | None


@dataclass(frozen=True)
class Version:
    plan_id: str
    nr: int
    reason: str
    data: dict[str, Any]
    created_at: datetime
    who: str
    besluit_datum: date | None = None
    besluit: str | None = None


@dataclass(frozen=True)
class Verdict:
    section: str
    verdict: str
    comment: str | None
    reviewer: str
    created_at: datetime


@dataclass(frozen=True)
class Review:
    plan_id: str
    version_nr: int
    verdicts: dict[str, Verdict]

    @property
    def aanpassen(self) -> dict[str, Verdict]:
        return {k: v for k, v in self.verdicts.items() if v.verdict == "aanpassen"}


@dataclass(frozen=True)
class Login:
    email: str
    gemeente: str
    expires_at: datetime


def _version(row: VersionRow) -> Version:
    return Version(
        plan_id=row.plan_id,
        nr=row.nr,
        reason=row.reason,
        data=dict(row.data or {}),
        created_at=utc(row.created_at),
        who=row.who,
        besluit_datum=row.besluit_datum,
        besluit=row.besluit,
    )


class Lifecycle:
    """Statuses, versions and reviews of plans, on the database of a Store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.clock = store.clock
        self._session = sessionmaker(store.engine, expire_on_commit=False)

    # ------------------------------------------------------------------ transitions
    def _move(
        self, s: Session, row: PlanRow, target: Status, who: str, note: str | None, now: datetime
    ) -> None:
        """Change the status, checked against the lifecycle and against a concurrent change."""
        current = row.status
        lifecycle.check(current, target, complex=Plan.model_validate(row.data or {}).complex)
        # only if nobody changed the status since we read it (two advisors, a double click)
        done = s.execute(
            update(PlanRow)
            .where(PlanRow.id == row.id, PlanRow.status == current)
            .values(status=target.value, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            raise TransitionError("Het plan is intussen door iemand anders gewijzigd.")
        if reminder_index.touches(current, target.value):
            # reminders start with vaststelling and stop with closing, in this transaction
            reminder_index.reindex(s, row, target.value, self.store.profiles_dir)
        s.add(
            TransitionRow(
                plan_id=row.id,
                from_status=current,
                to_status=target.value,
                who=who,
                at=now,
                note=note,
            )
        )

    def _enqueue(
        self, s: Session, plan_id: str, mails: Sequence[NewMail], now: datetime
    ) -> list[int]:
        rows = [
            OutboxRow(
                plan_id=plan_id,
                recipients=",".join(m.recipients),
                subject=m.subject,
                message=m.message,
                created_at=now,
                attempts=0,
                next_attempt=now,
            )
            for m in mails
        ]
        s.add_all(rows)
        s.flush()
        return [r.id for r in rows]

    def _plan(self, s: Session, plan_id: str) -> PlanRow:
        row = s.get(PlanRow, plan_id)
        if row is None:
            raise PlanGone(plan_id)
        return row

    def transition(
        self, plan_id: str, target: Status | str, who: str, note: str | None = None
    ) -> None:
        """One step (e.g. to in_uitvoering or afgerond), recorded with who and when."""
        with self._session.begin() as s:
            row = self._plan(s, plan_id)
            self._move(s, row, Status(target), who, note, self.clock())

    def transitions(self, plan_id: str) -> list[Transition]:
        q = (
            select(TransitionRow)
            .where(TransitionRow.plan_id == plan_id)
            .order_by(TransitionRow.at, TransitionRow.id)
        )
        with self._session() as s:
            return [
                Transition(r.plan_id, r.from_status, r.to_status, r.who, utc(r.at), r.note)
                for r in s.scalars(q)
            ]

    # ------------------------------------------------------------------ versions
    def _next_nr(self, s: Session, plan_id: str) -> int:
        top = s.scalar(select(func.max(VersionRow.nr)).where(VersionRow.plan_id == plan_id))
        return (top or 0) + 1

    def submit(
        self,
        plan_id: str,
        who: str,
        data: dict[str, Any] | None = None,
        mails: Sequence[NewMail] = (),
        note: str | None = None,
    ) -> tuple[Version, list[int]]:
        """Freeze the answers (`data`, else the stored ones) as a new version, move the plan
        to 'ingediend' and store the mails that announce it, all in one transaction."""
        now = self.clock()
        with self._session.begin() as s:
            row = self._plan(s, plan_id)
            if not lifecycle.is_submittable(row.status):
                lifecycle.check(row.status, Status.ingediend, complex=False)
            self._move(s, row, Status.ingediend, who, note, now)
            version = VersionRow(
                plan_id=plan_id,
                nr=self._next_nr(s, plan_id),
                reason="ingediend",
                data=dict(row.data if data is None else data),
                created_at=now,
                who=who,
            )
            s.add(version)
            s.flush()
            return _version(version), self._enqueue(s, plan_id, mails, now)

    def versions(self, plan_id: str) -> list[Version]:
        q = select(VersionRow).where(VersionRow.plan_id == plan_id).order_by(VersionRow.nr)
        with self._session() as s:
            return [_version(r) for r in s.scalars(q)]

    def latest(self, plan_id: str, reason: str | None = None) -> Version | None:
        q = select(VersionRow).where(VersionRow.plan_id == plan_id)
        if reason:
            q = q.where(VersionRow.reason == reason)
        with self._session() as s:
            row = s.scalars(q.order_by(VersionRow.nr.desc()).limit(1)).first()
            return _version(row) if row else None

    def vaststellen(self, plan_id: str, datum: date, besluit: str | None, who: str) -> Version:
        """Record the vaststelling and freeze the version the advisor approved."""
        now = self.clock()
        with self._session.begin() as s:
            row = self._plan(s, plan_id)
            approved = s.scalars(
                select(VersionRow)
                .where(VersionRow.plan_id == plan_id, VersionRow.reason == "ingediend")
                .order_by(VersionRow.nr.desc())
                .limit(1)
            ).first()
            note = f"besluit {besluit}" if besluit else None
            self._move(s, row, Status.vastgesteld, who, note, now)
            version = VersionRow(
                plan_id=plan_id,
                nr=self._next_nr(s, plan_id),
                reason="vastgesteld",
                data=dict((approved.data if approved else row.data) or {}),
                created_at=now,
                who=who,
                besluit_datum=datum,
                besluit=besluit,
            )
            s.add(version)
            s.flush()
            return _version(version)

    # ------------------------------------------------------------------ reviews
    def record_review(
        self,
        plan_id: str,
        version_nr: int,
        verdicts: dict[str, tuple[str, str | None]],
        reviewer: str,
        mails: Sequence[NewMail] = (),
    ) -> tuple[Status, list[int]]:
        """Store the advisor's verdict per section, move the plan on and store the mails that
        tell the owner; returns the new status and the mail ids."""
        target = lifecycle.review_outcome({k: v for k, (v, _) in verdicts.items()})
        now = self.clock()
        with self._session.begin() as s:
            row = self._plan(s, plan_id)
            latest = self._next_nr(s, plan_id) - 1
            if row.status != Status.ingediend or latest != version_nr:
                raise StaleReview(
                    "Deze versie is al beoordeeld of er is intussen een nieuwere versie."
                )
            for section, (verdict, comment) in verdicts.items():
                s.add(
                    ReviewRow(
                        plan_id=plan_id,
                        version_nr=version_nr,
                        section=section,
                        verdict=verdict,
                        comment=(comment or "").strip() or None,
                        reviewer=reviewer,
                        created_at=now,
                    )
                )
            asked = [k for k, (v, _) in verdicts.items() if v == "aanpassen"]
            note = f"aanpassen: {', '.join(asked)}" if asked else None
            self._move(s, row, target, reviewer, note, now)
            return target, self._enqueue(s, plan_id, mails, now)

    def review(self, plan_id: str, version_nr: int | None = None) -> Review | None:
        """The review of a version (the latest reviewed one when no number is given)."""
        with self._session() as s:
            if version_nr is None:
                version_nr = s.scalar(
                    select(func.max(ReviewRow.version_nr)).where(ReviewRow.plan_id == plan_id)
                )
                if version_nr is None:
                    return None
            rows = s.scalars(
                select(ReviewRow).where(
                    ReviewRow.plan_id == plan_id, ReviewRow.version_nr == version_nr
                )
            ).all()
            if not rows:
                return None
            return Review(
                plan_id,
                version_nr,
                {
                    r.section: Verdict(
                        r.section, r.verdict, r.comment, r.reviewer, utc(r.created_at)
                    )
                    for r in rows
                },
            )

    # ------------------------------------------------------------------ advisor logins
    def add_login(
        self, token_hash: str, kind: str, email: str, gemeente: str, lifetime: timedelta
    ) -> datetime:
        now = self.clock()
        expires = now + lifetime
        with self._session.begin() as s:
            s.add(
                AdvisorLoginRow(
                    token_hash=token_hash,
                    kind=kind,
                    email=email,
                    gemeente=gemeente,
                    created_at=now,
                    expires_at=expires,
                )
            )
        return expires

    def use_link(self, token_hash: str) -> Login | None:
        """A one-time link works once, before it expires."""
        now = self.clock()
        with self._session.begin() as s:
            row = s.get(AdvisorLoginRow, token_hash)
            if row is None or row.kind != "link" or utc(row.expires_at) <= now:
                return None
            done = s.execute(
                update(AdvisorLoginRow)
                .where(AdvisorLoginRow.token_hash == token_hash, AdvisorLoginRow.used_at.is_(None))
                .values(used_at=now)
                .execution_options(synchronize_session=False)
            )
            if done.rowcount != 1:
                return None
            return Login(row.email, row.gemeente, utc(row.expires_at))

    def session(self, token_hash: str) -> Login | None:
        now = self.clock()
        with self._session() as s:
            row = s.get(AdvisorLoginRow, token_hash)
            if row is None or row.kind != "session" or row.used_at is not None:
                return None
            if utc(row.expires_at) <= now:
                return None
            return Login(row.email, row.gemeente, utc(row.expires_at))

    def end_session(self, token_hash: str) -> None:
        with self._session.begin() as s:
            row = s.get(AdvisorLoginRow, token_hash)
            if row is not None:
                row.used_at = self.clock()


@dataclass(frozen=True)
class Mail:
    id: int
    plan_id: str | None
    recipients: list[str]
    subject: str
    message: bytes
    attempts: int
    next_attempt: datetime
    sent_at: datetime | None
    last_error: str | None
    eml_path: str | None


def _mail(row: OutboxRow) -> Mail:
    return Mail(
        id=row.id,
        plan_id=row.plan_id,
        recipients=[r for r in row.recipients.split(",") if r],
        subject=row.subject,
        message=bytes(row.message),
        attempts=row.attempts,
        next_attempt=utc(row.next_attempt),
        sent_at=utc(row.sent_at) if row.sent_at else None,
        last_error=row.last_error,
        eml_path=row.eml_path,
    )


class OutboxStore:
    """Outgoing mail: stored before it is sent, claimed by one sender at a time."""

    def __init__(self, store: Store) -> None:
        self.clock = store.clock
        self._session = sessionmaker(store.engine, expire_on_commit=False)

    def add(
        self, recipients: list[str], subject: str, message: bytes, plan_id: str | None = None
    ) -> int:
        now = self.clock()
        with self._session.begin() as s:
            row = OutboxRow(
                plan_id=plan_id,
                recipients=",".join(recipients),
                subject=subject,
                message=message,
                created_at=now,
                attempts=0,
                next_attempt=now,
            )
            s.add(row)
            s.flush()
            return row.id

    def get(self, mail_id: int) -> Mail | None:
        with self._session() as s:
            row = s.get(OutboxRow, mail_id)
            return _mail(row) if row else None

    def all(self, plan_id: str | None = None) -> list[Mail]:
        q = select(OutboxRow).order_by(OutboxRow.id)
        if plan_id is not None:
            q = q.where(OutboxRow.plan_id == plan_id)
        with self._session() as s:
            return [_mail(r) for r in s.scalars(q)]

    def due(self, now: datetime) -> list[int]:
        q = (
            select(OutboxRow.id)
            .where(OutboxRow.sent_at.is_(None), OutboxRow.next_attempt <= now)
            .order_by(OutboxRow.id)
        )
        with self._session() as s:
            return list(s.scalars(q))

    def claim(self, mail_id: int, now: datetime, hold: timedelta) -> Mail | None:
        """Take the mail for sending; None when it was sent or another sender holds it."""
        with self._session.begin() as s:
            done = s.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id == mail_id,
                    OutboxRow.sent_at.is_(None),
                    (OutboxRow.claimed_until.is_(None)) | (OutboxRow.claimed_until <= now),
                )
                .values(claimed_until=now + hold)
                .execution_options(synchronize_session=False)
            )
            if done.rowcount != 1:
                return None
            row = s.get(OutboxRow, mail_id)
            return _mail(row) if row else None

    def sent(self, mail_id: int, now: datetime, eml_path: str | None = None) -> None:
        with self._session.begin() as s:
            row = s.get(OutboxRow, mail_id)
            if row is not None:
                row.sent_at = now
                row.attempts += 1
                row.claimed_until = None
                row.last_error = None
                row.eml_path = eml_path

    def failed(self, mail_id: int, now: datetime, error: str, retry_at: datetime) -> None:
        with self._session.begin() as s:
            row = s.get(OutboxRow, mail_id)
            if row is not None:
                row.attempts += 1
                row.claimed_until = None
                row.last_error = error[:1000]
                row.next_attempt = retry_at
