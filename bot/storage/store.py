"""The store: plans, people and interview state, each change committed at once."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    bindparam,
    create_engine,
    event,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.storage import reminder_index, shared  # their tables join Base.metadata too
from bot.storage.erasure import ErasureMethods
from bot.storage.messages import MessageMethods
from bot.storage.outbox import OutboxMethods
from bot.storage.participant_tables import BlockedRecipient, Participant
from bot.storage.participation import ParticipationMethods
from bot.storage.tables import Delivery, Person, PlanAuthor, PlanRow, SessionRow

MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass
class PlanRecord:
    id: str
    owner: str
    gemeente: str | None
    titel: str | None
    status: str
    data: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    state: dict[str, Any] = field(default_factory=dict)


def _record(row: PlanRow) -> PlanRecord:
    return PlanRecord(
        id=row.id,
        owner=row.owner,
        gemeente=row.gemeente,
        titel=row.titel,
        status=row.status,
        data=dict(row.data or {}),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


@dataclass(frozen=True, slots=True)
class Sender:
    """The person who sent a message, as the turn reads them: a plain record, because making an
    ORM object for every message cost as much as the query that read it."""

    identity: str
    naam: str | None
    lang: str


@dataclass
class Visit:
    """What a message needs to know about its sender, read in one query (Store.visit)."""

    identity: str
    person: Sender | None  # None: never seen before
    blocked: bool  # marked as having blocked the bot
    following: bool  # follows a plan as a participant
    writes_plans: bool  # owns or co-writes a plan
    record: PlanRecord | None = None  # the person's active plan
    may_edit: bool = False  # of the active plan
    state: dict[str, Any] = field(default_factory=dict)  # their interview state on it


def _counted(table: Any, *where: Any) -> Any:
    return select(func.count()).select_from(table).where(*where).scalar_subquery()


# Built once: every message runs it, and building it costs more than the query on SQLite. Core
# columns, not ORM entities: loading entities cost as much as the query.
_PLANS, _SESSIONS, _PEOPLE = PlanRow.__table__, SessionRow.__table__, Person.__table__
_WHO = bindparam("who")
_VISIT = (
    select(
        _PEOPLE,
        *(c.label(f"plan_{c.name}") for c in _PLANS.c),
        _SESSIONS.c.state.label("session_state"),
        _counted(BlockedRecipient, BlockedRecipient.identity == _WHO).label("blocked"),
        _counted(Participant, Participant.identity == _WHO, Participant.status == "active").label(
            "following"
        ),
        _counted(
            PlanRow,
            (PlanRow.owner == _WHO)
            | PlanRow.id.in_(select(PlanAuthor.plan_id).where(PlanAuthor.identity == _WHO)),
        ).label("writes"),
        _counted(
            PlanAuthor, PlanAuthor.identity == _WHO, PlanAuthor.plan_id == _PEOPLE.c.active_plan_id
        ).label("author"),
    )
    .outerjoin(_PLANS, _PLANS.c.id == _PEOPLE.c.active_plan_id)
    .outerjoin(
        _SESSIONS,
        (_SESSIONS.c.identity == _PEOPLE.c.identity)
        & (_SESSIONS.c.plan_id == _PEOPLE.c.active_plan_id),
    )
    .where(_PEOPLE.c.identity == _WHO)
)
_ACTIVE_STATUS = (
    select(_PLANS.c.status)
    .join(_PEOPLE, _PEOPLE.c.active_plan_id == _PLANS.c.id)
    .where(_PEOPLE.c.identity == _WHO)
)
# An answer's two writes, as Core statements built once (the ORM's bulk UPDATE path costs
# about as much as the rest of a turn). The plan: in one UPDATE when it has no reminders.
_SAVE_QUIET = (
    update(_PLANS)
    .where(
        _PLANS.c.id == bindparam("b_id"),
        # the statuses as constants of the statement: a list bound at every execution was
        # expanded into it again each time
        _PLANS.c.status.not_in([literal(s) for s in sorted(reminder_index.REMINDED)]),
    )
    .values(
        data=bindparam("b_data", type_=_PLANS.c.data.type),
        titel=bindparam("b_titel", type_=_PLANS.c.titel.type),
        updated_at=bindparam("b_now", type_=_PLANS.c.updated_at.type),
        gemeente=func.coalesce(
            bindparam("b_gemeente", type_=_PLANS.c.gemeente.type), _PLANS.c.gemeente
        ),
        status=func.coalesce(bindparam("b_status", type_=_PLANS.c.status.type), _PLANS.c.status),
    )
    .returning(_PLANS.c.id)
)
_SAVE_STATE = (
    update(_SESSIONS)
    .where(
        _SESSIONS.c.identity == bindparam("b_identity"), _SESSIONS.c.plan_id == bindparam("b_id")
    )
    .values(
        state=bindparam("b_state", type_=_SESSIONS.c.state.type),
        updated_at=bindparam("b_now", type_=_SESSIONS.c.updated_at.type),
    )
)
# an incoming update, recorded where every message passes: a statement built once, no session
_DELIVERED = insert(Delivery.__table__)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a commit survives a killed process; only a power cut may lose the last
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA secure_delete=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def _script_heads() -> set[str]:
    """The newest revision of each branch of the migration scripts, read from their source."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target = (
                node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
            )
            if not isinstance(target, ast.Name) or node.value is None:
                continue
            if target.id == "revision":
                revisions.add(ast.literal_eval(node.value))
            elif target.id == "down_revision":
                down = ast.literal_eval(node.value)
                parents.update([down] if isinstance(down, str) else down or ())
    return revisions - parents


def _at_head(url: str) -> bool:
    """Whether the database at `url` already has every migration: then Alembic has nothing to
    do, and a process that starts on an existing database need not import it."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            done = {
                row[0]
                for row in connection.execute(text("SELECT version_num FROM alembic_version"))
            }
    except SQLAlchemyError:  # no database or no version table yet: Alembic makes them
        return False
    finally:
        engine.dispose()
    return bool(done) and done == _script_heads()


def upgrade(url: str) -> None:
    """Apply every Alembic migration to the database at `url`."""
    if _at_head(url):
        return
    # in a process of its own (bot/storage/migrate.py): Alembic, Mako and Pygments never stay
    # in a long-running server that migrated a fresh database at its start
    done = subprocess.run(
        [sys.executable, "-m", "bot.storage.migrate"],
        env={**os.environ, "PARTICIPATIEBOT_MIGRATE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["de migratie stopte zonder melding"]
        raise RuntimeError(lines[-1])


class Store(
    MessageMethods,
    OutboxMethods,
    ParticipationMethods,
    ErasureMethods,
    reminder_index.ReminderIndexMethods,
):
    """Synchronous and short: every call is one transaction."""

    def __init__(
        self,
        url: str,
        clock: Callable[[], datetime] | None = None,
        migrate: bool = True,
        profiles_dir: Path | None = None,
    ):
        """`profiles_dir`: the gemeenten's own profiles, which the reminders of a plan follow
        (Settings.profiles_dir; without it the shipped profiles)."""
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        if migrate:
            upgrade(url)
        self.engine = make_engine(url)
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.profiles_dir = profiles_dir

    def close(self) -> None:
        self.engine.dispose()

    def ping(self) -> None:
        """Raises when the database does not answer (the health check)."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    # --- people ---
    def person(self, identity: str, naam: str | None = None) -> Person:
        with self._session.begin() as s:
            p = s.get(Person, identity)
            if p is None:
                p = Person(identity=identity, naam=naam, lang="nl", created_at=self.clock())
                s.add(p)
            elif naam and not p.naam:
                p.naam = naam
            s.flush()
            s.expunge(p)
            return p

    def visit(self, identity: str) -> Visit:
        """The person, whether they are blocked or follow a plan, whether they write plans,
        their active plan, whether they may edit it and their interview state on it: every
        message asks all of it, so it is one query."""
        with self.engine.connect() as connection:
            row = connection.execute(_VISIT, {"who": identity}).first()
        if row is None:
            blocked, following = self.standing(identity)
            return Visit(identity, None, blocked, following, False)
        found = row._mapping
        person = Sender(identity, found[_PEOPLE.c.naam], found[_PEOPLE.c.lang])
        record = None
        if row.plan_id is not None:
            plan = SimpleNamespace(**{c.name: row._mapping[f"plan_{c.name}"] for c in _PLANS.c})
            record = _record(plan)  # type: ignore[arg-type]
        return Visit(
            identity,
            person,
            bool(row.blocked),
            bool(row.following),
            bool(row.writes),
            record,
            record is not None and (record.owner == identity or bool(row.author)),
            dict(row.session_state or {}),
        )

    def active_status(self, identity: str) -> str | None:
        """The status of the person's active plan, in one query; None without one."""
        with self.engine.connect() as connection:
            return connection.execute(_ACTIVE_STATUS, {"who": identity}).scalar()

    def update_person(self, identity: str, **values: Any) -> None:
        with self._session.begin() as s:
            p = s.get(Person, identity)
            if p is None:
                p = Person(identity=identity, lang="nl", created_at=self.clock())
                s.add(p)
            for k, v in values.items():
                setattr(p, k, v)

    # --- plans ---
    def create_plan(
        self,
        owner: str,
        gemeente: str | None,
        data: dict[str, Any],
        *,
        state: dict[str, Any] | None = None,
        activate: bool = False,
    ) -> PlanRecord:
        """A new plan with a short readable id, numbered per year: 2026-0001, 2026-0002, ...

        `state`: the owner's interview state on it, stored with it; `activate`: the owner's
        active plan from now on (one transaction for all of it, where it took three)."""
        now = self.clock()
        for _attempt in range(20):
            try:
                with self._session.begin() as s:
                    row = PlanRow(
                        id=self._next_id(s, now.year),
                        owner=owner,
                        gemeente=gemeente,
                        titel=data.get("titel"),
                        status="concept",
                        data=data,
                        created_at=now,
                        updated_at=now,
                    )
                    s.add(row)
                    if state is not None or activate:
                        person = s.get(Person, owner)
                        if person is None:
                            person = Person(identity=owner, lang="nl", created_at=now)
                            s.add(person)
                        s.flush()  # the plan before what refers to it
                        if state is not None:
                            s.add(
                                SessionRow(
                                    identity=owner, plan_id=row.id, state=state, updated_at=now
                                )
                            )
                        if activate:
                            person.active_plan_id = row.id
                return _record(row)
            except IntegrityError:
                continue  # another process took the same number: take the next
        raise RuntimeError("kan geen nieuw plannummer krijgen")

    def _next_id(self, s: Session, year: int) -> str:
        # the highest number of the year, found by the database: reading every id of the year
        # cost a new plan more the more plans there were ('2026-10000' sorts by its length first)
        last = s.scalar(
            select(PlanRow.id)
            .where(PlanRow.id.like(f"{year}-%"))
            .order_by(func.length(PlanRow.id).desc(), PlanRow.id.desc())
            .limit(1)
        )
        number = last.split("-", 1)[1] if last else "0"
        if not number.isdigit():  # an id of another shape (an import): every id of the year
            ids = s.scalars(select(PlanRow.id).where(PlanRow.id.like(f"{year}-%")))
            digits = [i.split("-", 1)[1] for i in ids]
            number = str(max((int(d) for d in digits if d.isdigit()), default=0))
        return f"{year}-{int(number) + 1:04d}"

    def plan(self, plan_id: str) -> PlanRecord | None:
        with self._session() as s:
            row = s.get(PlanRow, plan_id)
            return _record(row) if row else None

    def plans(
        self,
        owner: str | None = None,
        gemeente: str | None = None,
        status: Collection[str] | None = None,
        ids: Collection[str] | None = None,
    ) -> list[PlanRecord]:
        q = select(PlanRow).order_by(PlanRow.created_at, PlanRow.id)
        if ids is not None:
            q = q.where(PlanRow.id.in_(list(ids)))
        if status is not None:
            q = q.where(PlanRow.status.in_(list(status)))  # ix_plans_status
        if owner is not None:  # the plans this person owns or co-writes
            co = select(PlanAuthor.plan_id).where(PlanAuthor.identity == owner)
            q = q.where((PlanRow.owner == owner) | PlanRow.id.in_(co))
        if gemeente is not None:
            q = q.where(PlanRow.gemeente == gemeente)
        with self._session() as s:
            return [_record(r) for r in s.scalars(q)]

    def delete_plan(self, plan_id: str) -> bool:
        with self._session.begin() as s:
            row = s.get(PlanRow, plan_id)
            if row is None:
                return False
            for sess in s.scalars(select(SessionRow).where(SessionRow.plan_id == plan_id)):
                s.delete(sess)
            for p in s.scalars(select(Person).where(Person.active_plan_id == plan_id)):
                p.active_plan_id = None
            s.delete(row)
            return True

    def add_author(self, plan_id: str, identity: str) -> None:
        with self._session.begin() as s:
            if s.get(PlanAuthor, (plan_id, identity)) is None:
                s.add(PlanAuthor(plan_id=plan_id, identity=identity, added_at=self.clock()))

    def may_edit(self, record: PlanRecord, identity: str) -> bool:
        """The owner and the co-authors the owner invited."""
        if record.owner == identity:
            return True
        with self._session() as s:
            return s.get(PlanAuthor, (record.id, identity)) is not None

    # --- interview state ---
    def state(self, identity: str, plan_id: str) -> dict[str, Any]:
        with self._session() as s:
            row = s.get(SessionRow, (identity, plan_id))
            return dict(row.state) if row else {}

    def save(
        self,
        identity: str,
        plan_id: str,
        data: dict[str, Any],
        state: dict[str, Any],
        status: str | None = None,
    ) -> None:
        """Store an answer and the interview state together, in one transaction."""
        now = self.clock()
        # a connection, not a session, for the usual two statements (a session's own work cost
        # as much as they do); the rare rest joins this transaction through a session
        with self.engine.begin() as connection:
            # most plans have no reminders: one UPDATE; one that has is read first
            quiet = status not in reminder_index.REMINDED
            if not (quiet and self._save_quiet(connection, plan_id, data, status, now)):
                with Session(bind=connection) as s:
                    self._save_reminded(s, plan_id, data, status, now)
                    s.flush()
            # the state is written without reading it first: one statement a turn, not two
            found = connection.execute(
                _SAVE_STATE,
                {"b_identity": identity, "b_id": plan_id, "b_state": state, "b_now": now},
            )
            if found.rowcount == 0:
                with Session(bind=connection) as s:
                    if s.get(Person, identity) is None:
                        s.add(Person(identity=identity, lang="nl", created_at=now))
                        s.flush()
                    s.add(
                        SessionRow(identity=identity, plan_id=plan_id, state=state, updated_at=now)
                    )
                    s.flush()

    def _save_quiet(
        self,
        s: Connection,
        plan_id: str,
        data: dict[str, Any],
        status: str | None,
        now: datetime,
    ) -> bool:
        """The answers of a plan without reminders, in one UPDATE (no read first); False when
        the plan has reminders (or is gone): then _save_reminded does it."""
        values = {
            "b_id": plan_id,
            "b_data": data,
            "b_titel": data.get("titel"),
            "b_now": now,
            "b_gemeente": data.get("gemeente") or None,
            "b_status": status or None,
        }
        done = s.execute(_SAVE_QUIET, values).first()
        return done is not None

    def _save_reminded(
        self,
        s: Session,
        plan_id: str,
        data: dict[str, Any],
        status: str | None,
        now: datetime,
    ) -> None:
        row = s.get(PlanRow, plan_id)
        if row is None:
            raise KeyError(plan_id)
        before = row.status
        row.data = data
        row.titel = data.get("titel")
        row.gemeente = data.get("gemeente") or row.gemeente
        if status:
            row.status = status
        row.updated_at = now
        if reminder_index.touches(before, row.status):
            # the plan's reminders follow its dates in this same transaction
            reminder_index.reindex(s, row, row.status, self.profiles_dir)

    # --- limits shared by every process ---
    def count_within(self, key: str, day: date, limit: int) -> bool:
        """Count one more `key` on `day` unless `limit` was reached (then False)."""
        return shared.count_within(self.engine, key, day, limit)

    def forget_counts(self, keys: list[str]) -> int:
        return shared.forget_counts(self.engine, keys)

    # --- exactly once ---
    def first_delivery(self, channel: str, key: str) -> bool:
        """Record an incoming update; False when it was handled before (a platform retry)."""
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    _DELIVERED, {"channel": channel, "key": key, "created_at": self.clock()}
                )
        except IntegrityError:
            return False
        return True
