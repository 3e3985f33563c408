"""The store's methods for privacy (AVG): who is known by an identity, what is kept about a
person or a plan's participants, and erasing it from every table and the mail outbox.

Each call is one transaction; Store inherits them, so the privacy feature reaches the database
only through the store. SQLite's freed pages are zeroed (secure_delete on every connection);
`vacuum` rebuilds the file after an erase.
"""

from __future__ import annotations

import email
import io
import logging
import zipfile
from collections.abc import Iterable
from email import policy as email_policy
from pathlib import Path
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.lifecycle_tables import (
    AdvisorLoginRow,
    OutboxRow,
    ReviewRow,
    TransitionRow,
    VersionRow,
)
from bot.storage.participant_tables import (
    BlockedRecipient,
    OutboxMessage,
    Participant,
    PlanUpdate,
)
from bot.storage.tables import Base, Person, PlanRow, SessionRow

log = logging.getLogger(__name__)

# what stands in for an erased identity where a row must stay (who moved a plan, who sent)
GEWIST = "gewist"
# the answer in which the owner gives their own address (for reminders by mail)
OWNER_ADDRESS = "eigenaar_email"
# answers that hold a contact address: the owner's, and the gemeente's contact person's
CONTACT_FIELDS = (OWNER_ADDRESS, "accounthouder_email")
# the name the owner typed at 'Wat is je naam?': their own, whatever name the chat knows them by
OWNER_NAME = "eigenaar_naam"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def address_of(identity: str) -> str | None:
    """The e-mail address of an `email:` identity; None for a chat identity."""
    return identity.removeprefix("email:") if identity.startswith("email:") else None


def mentions(text: str | bytes | None, needles: Iterable[str]) -> bool:
    """Whether `text` holds one of `needles` (an identity, an address, a name)."""
    if not text:
        return False
    if isinstance(text, bytes):
        return any(n.encode() in text for n in needles)
    return any(n in text for n in needles)


def _docx_xml(raw: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            return b"\n".join(z.read(name) for name in z.namelist())
    except zipfile.BadZipFile:
        return raw


def mail_text(raw: bytes) -> bytes:
    """A stored mail as a reader sees it: headers, every part decoded (quoted-printable and
    base64 hide a name from a plain search), and the XML of attached Word files."""
    parts = [raw]
    for part in email.message_from_bytes(raw, policy=email_policy.default).walk():
        if part.is_multipart():
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError):  # a part we cannot decode is searched as it is
            continue
        parts.append(_docx_xml(content) if isinstance(content, bytes) else content.encode())
    return b"\n".join(parts)


def _mails_of(s: Session, addresses: set[str]) -> list[OutboxRow]:
    if not addresses:
        return []
    rows = s.scalars(select(OutboxRow).order_by(OutboxRow.id))
    return [r for r in rows if addresses & {a.strip() for a in r.recipients.split(",")}]


def _erase_rows(s: Session, identities: set[str], needles: set[str]) -> int:
    """Delete or neutralise every row about `identities`; rows whose text mentions one of
    `needles` (a forwarded reaction with a name, a mail to an address) go too."""
    addresses = {a for i in identities if (a := address_of(i))}
    n = 0
    n += s.execute(delete(Participant).where(Participant.identity.in_(identities))).rowcount
    n += s.execute(delete(SessionRow).where(SessionRow.identity.in_(identities))).rowcount
    n += s.execute(
        delete(BlockedRecipient).where(BlockedRecipient.identity.in_(identities))
    ).rowcount
    n += s.execute(delete(OutboxMessage).where(OutboxMessage.identity.in_(identities))).rowcount
    for m in s.scalars(select(OutboxMessage)):
        if mentions(m.text, needles) or mentions(m.subject, needles):
            s.delete(m)
            n += 1
    for mail in s.scalars(select(OutboxRow)):
        to = {a.strip() for a in mail.recipients.split(",")}
        if to & addresses or mentions(mail_text(mail.message), needles):
            if mail.eml_path:
                Path(mail.eml_path).unlink(missing_ok=True)
            s.delete(mail)
            n += 1
    if addresses:
        n += s.execute(delete(AdvisorLoginRow).where(AdvisorLoginRow.email.in_(addresses))).rowcount
        n += s.execute(
            update(ReviewRow).where(ReviewRow.reviewer.in_(addresses)).values(reviewer=GEWIST)
        ).rowcount
    who = identities | addresses
    n += s.execute(
        update(TransitionRow).where(TransitionRow.who.in_(who)).values(who=GEWIST)
    ).rowcount
    n += s.execute(update(VersionRow).where(VersionRow.who.in_(who)).values(who=GEWIST)).rowcount
    n += s.execute(
        update(PlanUpdate).where(PlanUpdate.sender.in_(identities)).values(sender=GEWIST)
    ).rowcount
    # every other table keyed by an identity (co-authors, and tables added later)
    for table in reversed(Base.metadata.sorted_tables):
        if "identity" in table.c and table.name != Person.__tablename__:
            n += s.execute(table.delete().where(table.c.identity.in_(identities))).rowcount
    for person in s.scalars(select(Person).where(Person.identity.in_(identities))):
        s.delete(person)
        n += 1
    return n


def _erase_contact_fields(
    s: Session, addresses: set[str], names: set[str] = frozenset()
) -> tuple[int, set[str]]:
    """Answers that give one of `addresses` as a contact address, or one of `names` as the
    owner's name: left out of the plan's answers, and 'gewist' in the frozen versions (which
    stay). Returns how many rows, and the plans they belong to."""
    wanted = {a.lower() for a in addresses}
    named = {n.strip().lower() for n in names}

    def hits(data: dict[str, Any] | None) -> list[str]:
        data = data or {}
        given = {f: data[f].strip().lower() for f in data if isinstance(data[f], str)}
        return [f for f in CONTACT_FIELDS if given.get(f) in wanted] + (
            [OWNER_NAME] if given.get(OWNER_NAME) in named else []
        )

    n, plans = 0, set()
    if not wanted and not named:
        return n, plans
    for row in s.scalars(select(PlanRow)):
        if fields := hits(row.data):
            row.data = {k: v for k, v in row.data.items() if k not in fields}
            n, plans = n + 1, plans | {row.id}
    for version in s.scalars(select(VersionRow)):
        if fields := hits(version.data):
            version.data = {**version.data, **dict.fromkeys(fields, GEWIST)}
            n, plans = n + 1, plans | {version.plan_id}
    return n, plans


class ErasureMethods:
    _session: sessionmaker[Session]
    engine: Engine

    # --- who is meant
    def identities_ending(self, ending: str) -> set[str]:
        """Every identity kept anywhere whose id (the part after the channel) is `ending`."""
        # the plans' owners, and every table keyed by an identity (tables added later too)
        columns = [PlanRow.owner]
        columns += [t.c.identity for t in Base.metadata.sorted_tables if "identity" in t.c]
        found: set[str] = set()
        with self._session() as s:
            for column in columns:
                q = select(column).where(column.endswith(f":{ending}", autoescape=True)).distinct()
                found |= {i for i in s.scalars(q) if i.split(":", 1)[1] == ending}
        return found

    def participant_identities(self, plan_id: str) -> list[str]:
        """Everyone the plan keeps as a participant or an invitation, blocked ones too."""
        with self._session() as s:
            q = select(Participant.identity).where(Participant.plan_id == plan_id)
            return list(s.scalars(q))

    def names_of(self, identity: str) -> set[str]:
        """The names a person gave: to the bot, and when they joined each plan."""
        with self._session() as s:
            person = s.get(Person, identity)
            q = select(Participant.naam).where(Participant.identity == identity)
            names = set(s.scalars(q))
        names.add(person.naam if person else None)
        return {n for n in names if n}

    def own_addresses(self, identity: str) -> tuple[set[str], set[str]]:
        """The e-mail addresses a person gave as their own (the one they are known by, and
        the owner's address in the answers of the plans they own, now and in every frozen
        version), and the ids of the plans they own."""
        found = {a} if (a := address_of(identity)) else set()
        with self._session() as s:
            owned = list(s.scalars(select(PlanRow).where(PlanRow.owner == identity)))
            answers = [p.data or {} for p in owned]
            answers += s.scalars(
                select(VersionRow.data).where(VersionRow.plan_id.in_([p.id for p in owned]))
            )
        given = {d.get(OWNER_ADDRESS) for d in answers}
        found |= {a.strip() for a in given if isinstance(a, str) and "@" in a}
        return found, {p.id for p in owned}

    def own_names(self, identity: str) -> set[str]:
        """The names a person typed as the owner's in the plans they own, now and in every
        frozen version."""
        with self._session() as s:
            owned = list(s.scalars(select(PlanRow.id).where(PlanRow.owner == identity)))
            answers = [
                d or {} for d in s.scalars(select(PlanRow.data).where(PlanRow.id.in_(owned)))
            ]
            answers += s.scalars(select(VersionRow.data).where(VersionRow.plan_id.in_(owned)))
        given = {d.get(OWNER_NAME) for d in answers}
        return {n.strip() for n in given if isinstance(n, str) and n.strip()}

    # --- what is kept
    def person_export(self, identity: str) -> dict[str, Any]:
        """Everything the database keeps about one person, as JSON data."""
        address = address_of(identity)
        with self._session() as s:
            person = s.get(Person, identity)
            follows = list(s.scalars(select(Participant).where(Participant.identity == identity)))
            messages = list(
                s.scalars(
                    select(OutboxMessage)
                    .where(OutboxMessage.identity == identity)
                    .order_by(OutboxMessage.id)
                )
            )
            owned = list(s.scalars(select(PlanRow.id).where(PlanRow.owner == identity)))
            sessions = list(
                s.scalars(select(SessionRow.plan_id).where(SessionRow.identity == identity))
            )
            blocked = s.get(BlockedRecipient, identity)
            mails = _mails_of(s, {address} if address else set())
            logins = (
                list(
                    s.scalars(select(AdvisorLoginRow.email).where(AdvisorLoginRow.email == address))
                )
                if address
                else []
            )
        return {
            "identiteit": identity,
            "persoon": {
                "naam": person.naam,
                "taal": person.lang,
                "sinds": _iso(person.created_at),
            }
            if person
            else None,
            "deelnames": [
                {
                    "plan": p.plan_id,
                    "naam": p.naam,
                    "status": p.status,
                    "ja_gezegd": _iso(p.consented_at),
                    "uitgenodigd": _iso(p.invited_at),
                    "bewaard_tot": _iso(p.keep_until),
                }
                for p in follows
            ],
            "eigen_plannen": owned,
            "gesprekken": sessions,
            "berichten": [
                {
                    "plan": m.plan_id,
                    "soort": m.kind,
                    "status": m.status,
                    "onderwerp": m.subject,
                    "tekst": m.text,
                    "aangemaakt": _iso(m.created_at),
                }
                for m in messages
            ],
            "mails": [
                {"plan": m.plan_id, "onderwerp": m.subject, "aan": m.recipients} for m in mails
            ],
            "adviseur_logins": len(logins),
            "geblokkeerd": blocked is not None,
        }

    def plan_people_export(self, plan_id: str) -> dict[str, Any]:
        """What the database keeps about the people of one plan: its participants, whether
        messages wait, and its mails, as JSON data."""
        with self._session() as s:
            people = list(
                s.scalars(
                    select(Participant)
                    .where(Participant.plan_id == plan_id)
                    .order_by(Participant.id)
                )
            )
            waiting = s.scalar(
                select(OutboxMessage.id)
                .where(OutboxMessage.plan_id == plan_id)
                .order_by(OutboxMessage.id.desc())
                .limit(1)
            )
            mails = list(s.scalars(select(OutboxRow).where(OutboxRow.plan_id == plan_id)))
        return {
            "deelnemers": [
                {
                    "identiteit": p.identity,
                    "naam": p.naam,
                    "status": p.status,
                    "ja_gezegd": _iso(p.consented_at),
                    "bewaard_tot": _iso(p.keep_until),
                }
                for p in people
            ],
            "berichten_in_outbox": waiting is not None,
            "mails": [{"onderwerp": m.subject, "aan": m.recipients} for m in mails],
        }

    # --- erasing
    def erase_person_rows(
        self,
        identity: str,
        identities: set[str],
        addresses: set[str],
        needles: set[str],
        names: set[str] = frozenset(),
    ) -> tuple[int, set[str]]:
        """One transaction: the plans `identity` owns get 'gewist' as owner, answers that give
        one of `addresses` (or one of `names` as the owner's name) lose it, and every row about
        `identities` (or whose text mentions one of `needles`) goes. Returns how many rows, and
        the plans whose answers changed."""
        with self._session.begin() as s:
            n = s.execute(
                update(PlanRow).where(PlanRow.owner == identity).values(owner=GEWIST)
            ).rowcount
            fields, touched = _erase_contact_fields(s, addresses, names)
            n += fields + _erase_rows(s, identities, needles)
        return n, touched

    def erase_plan_people(self, plan_id: str, needles: dict[str, set[str]]) -> tuple[int, set[str]]:
        """One transaction: the plan's participants and their messages of this plan go, and
        everything about those who follow no other plan and own none. `needles` holds, per
        participant, the strings that point at them. Returns how many rows, and the needles
        of the people erased whole (for the logs)."""
        identities = set(needles)
        with self._session.begin() as s:
            # people who follow another plan too keep that; only this plan's part goes
            elsewhere = set(
                s.scalars(
                    select(Participant.identity).where(
                        Participant.identity.in_(identities), Participant.plan_id != plan_id
                    )
                )
            )
            owners = set(s.scalars(select(PlanRow.owner).where(PlanRow.owner.in_(identities))))
            whole = identities - elsewhere - owners
            gone = {x for i in whole for x in needles[i]}
            n = s.execute(
                delete(Participant).where(
                    Participant.plan_id == plan_id, Participant.identity.in_(identities)
                )
            ).rowcount
            n += s.execute(
                delete(OutboxMessage).where(
                    OutboxMessage.plan_id == plan_id,
                    or_(OutboxMessage.identity.in_(identities), OutboxMessage.kind == "reply"),
                )
            ).rowcount
            n += _erase_rows(s, whole, gone)
        return n, gone

    def vacuum(self) -> None:
        """SQLite: rebuild the file so no freed page keeps old rows, and empty the WAL file."""
        if self.engine.dialect.name != "sqlite":
            return
        try:
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM")
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except OperationalError:
            # another process is reading: secure_delete already zeroed the freed pages, and
            # the next erase vacuums again
            log.warning("VACUUM after an erase had to wait for another time", exc_info=True)
