"""Privacy (AVG): what is kept about a person or a plan's participants, erasing it, retention.

Personal data of participants is kept for one traject only (Leiden's AVG note). Each plan has
a retention date: `bewaartermijn_dagen` (gemeente profile) after the besluit was told to the
participants, and at most two years after the plan started for plans that never close. Then
names, chat identities and e-mail addresses go; the documents and the counts stay.
Erasure covers every table, the mail outbox and its .eml files, the logs, and SQLite's freed
pages (secure_delete is on for every connection; VACUUM and a WAL checkpoint follow an erase).
"""

from __future__ import annotations

import email
import io
import logging
import re
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from email import policy as email_policy
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.features import closing, participants
from bot.settings import AMSTERDAM, Settings
from bot.storage import PlanRecord, Store
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
from handreiking import bewaartermijn, parsing

log = logging.getLogger(__name__)

# what stands in for an erased identity where a row must stay (who moved a plan, who sent)
GEWIST = "gewist"
# the answer in which the owner gives their own address (for reminders by mail)
OWNER_ADDRESS = "eigenaar_email"
# answers that hold a contact address: the owner's, and the gemeente's contact person's
CONTACT_FIELDS = (OWNER_ADDRESS, "accounthouder_email")
MIN_NAME = 3  # shorter names are not searched for in logs and messages: too many false hits


def _sessions(store: Store) -> sessionmaker[Session]:
    return sessionmaker(store.engine, expire_on_commit=False)


def _day(moment: datetime) -> date:
    return moment.astimezone(AMSTERDAM).date()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


# ---------------------------------------------------------------------- retention
def retention_date(settings: Settings, record: PlanRecord) -> date:
    """The day after which the participants' personal data of this plan is erased."""
    gemeld = closing.steps(record).get("besluit_gemeld")
    if not gemeld:
        return bewaartermijn.retention_date(_day(record.created_at), None, 0)
    days = closing.profile_of(settings, record).bewaartermijn_dagen
    told = _day(datetime.fromisoformat(gemeld))
    return bewaartermijn.retention_date(_day(record.created_at), told, days)


def erase_expired(store: Store, settings: Settings, now: datetime) -> list[str]:
    """Erase the participants' personal data of every plan past its retention date; returns
    the plan ids erased now. Run by the reminders worker and `reminders send`."""
    today = _day(now)
    # the reminder round runs every 30 s; reading every plan once a day is enough
    if store.bot_value("privacy_checked") == today.isoformat():
        return []
    done = []
    for record in store.plans():
        if retention_date(settings, record) >= today:
            continue
        if _participant_identities(store, record.id) or not closing.steps(record).get("gewist"):
            erase_plan(store, settings, record.id, now, vacuum_db=False)
            done.append(record.id)
    try:
        store.set_bot_value("privacy_checked", today.isoformat())
    except IntegrityError:
        pass  # another worker checked at the same moment
    if done:
        vacuum(store)
        log.info("personal data of %s plan(s) erased after the retention date", len(done))
    return done


# ---------------------------------------------------------------------- who is meant
# how a person is known to each channel: <channel>:<id> (INTERFACE.md, IDENTITY)
CHANNELS = ("telegram", "slack", "teams", "web", "email", "console")
EXAMPLE = "telegram:{id}, slack:<team>/{id}, console:{id} of email:<adres>"


class UnknownIdentity(ValueError):
    """A person given without a channel who matches no known identity, or several; the
    message says in one line what to write instead."""


def _known_identities(store: Store, ending: str) -> set[str]:
    """Every identity kept anywhere whose id (the part after the channel) is `ending`."""
    # the plans' owners, and every table keyed by an identity (tables added later too)
    columns = [PlanRow.owner]
    columns += [t.c.identity for t in Base.metadata.sorted_tables if "identity" in t.c]
    found: set[str] = set()
    with _sessions(store)() as s:
        for column in columns:
            q = select(column).where(column.endswith(f":{ending}", autoescape=True)).distinct()
            found |= {i for i in s.scalars(q) if i.split(":", 1)[1] == ending}
    return found


def resolve_identity(store: Store, given: str) -> str:
    """IDENTITY as written on the command line: `telegram:4242` as it is, an e-mail address as
    `email:<address>`, a bare id when exactly one known identity has it."""
    text = given.strip()
    channel, sep, rest = text.partition(":")
    if sep and channel.lower() in CHANNELS and rest:
        return f"{channel.lower()}:{rest}"
    try:
        return f"email:{parsing.parse_email(text)}"
    except parsing.ParseError:
        pass
    found = sorted(_known_identities(store, text)) if text else []
    if len(found) == 1:
        return found[0]
    if found:
        raise UnknownIdentity(f"'{text}' past bij {' en '.join(found)}; schrijf welke je bedoelt")
    example = EXAMPLE.format(id=(rest if sep else text) or "4242")
    raise UnknownIdentity(f"niemand bekend als '{text}'; schrijf het kanaal erbij, bijv. {example}")


# ---------------------------------------------------------------------- what is kept
def _participant_identities(store: Store, plan_id: str) -> list[str]:
    with _sessions(store)() as s:
        return list(s.scalars(select(Participant.identity).where(Participant.plan_id == plan_id)))


def _address(identity: str) -> str | None:
    return identity.removeprefix("email:") if identity.startswith("email:") else None


def _identifiers(store: Store, identity: str) -> set[str]:
    """The strings that point at a person: the identity, the e-mail address, their names."""
    found = {identity}
    if address := _address(identity):
        found.add(address)
    with _sessions(store)() as s:
        person = s.get(Person, identity)
        names = set(s.scalars(select(Participant.naam).where(Participant.identity == identity)))
    names.add(person.naam if person else None)
    found |= {n for n in names if n and len(n.strip()) >= MIN_NAME}
    return found


def export_person(store: Store, settings: Settings, identity: str) -> dict[str, Any]:
    """Everything kept about one person (IDENTITY as INTERFACE.md names it), as JSON data."""
    address = _address(identity)
    with _sessions(store)() as s:
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
            list(s.scalars(select(AdvisorLoginRow.email).where(AdvisorLoginRow.email == address)))
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
        "mails": [{"plan": m.plan_id, "onderwerp": m.subject, "aan": m.recipients} for m in mails],
        "adviseur_logins": len(logins),
        "geblokkeerd": blocked is not None,
    }


def export_plan(store: Store, settings: Settings, plan_id: str) -> dict[str, Any]:
    """What is kept about the people of one plan: its participants, their messages, mails."""
    record = store.plan(plan_id)
    if record is None:
        raise closing.NotFound(plan_id)
    with _sessions(store)() as s:
        people = list(
            s.scalars(
                select(Participant).where(Participant.plan_id == plan_id).order_by(Participant.id)
            )
        )
        waiting = s.scalar(
            select(OutboxMessage.id)
            .where(OutboxMessage.plan_id == plan_id)
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        )
        mails = list(s.scalars(select(OutboxRow).where(OutboxRow.plan_id == plan_id)))
    steps = closing.steps(record)
    return {
        "plan": plan_id,
        "titel": record.titel,
        "eigenaar": record.owner,
        "bewaren_tot": retention_date(settings, record).isoformat(),
        "gewist": steps.get("gewist"),
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
        "aantal_deelnemers_bewaard": steps.get("aantal_deelnemers"),
    }


def _mails_of(s: Session, addresses: set[str]) -> list[OutboxRow]:
    if not addresses:
        return []
    rows = s.scalars(select(OutboxRow).order_by(OutboxRow.id))
    return [r for r in rows if addresses & {a.strip() for a in r.recipients.split(",")}]


# ---------------------------------------------------------------------- erasing
def _contains(text: str | bytes | None, needles: Iterable[str]) -> bool:
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


def _mail_text(raw: bytes) -> bytes:
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


def _erase_rows(s: Session, settings: Settings, identities: set[str], needles: set[str]) -> int:
    """Delete or neutralise every row about `identities`; rows whose text mentions one of
    `needles` (a forwarded reaction with a name, a mail to an address) go too."""
    addresses = {a for i in identities if (a := _address(i))}
    n = 0
    n += s.execute(delete(Participant).where(Participant.identity.in_(identities))).rowcount
    n += s.execute(delete(SessionRow).where(SessionRow.identity.in_(identities))).rowcount
    n += s.execute(
        delete(BlockedRecipient).where(BlockedRecipient.identity.in_(identities))
    ).rowcount
    n += s.execute(delete(OutboxMessage).where(OutboxMessage.identity.in_(identities))).rowcount
    for m in s.scalars(select(OutboxMessage)):
        if _contains(m.text, needles) or _contains(m.subject, needles):
            s.delete(m)
            n += 1
    for mail in s.scalars(select(OutboxRow)):
        to = {a.strip() for a in mail.recipients.split(",")}
        if to & addresses or _contains(_mail_text(mail.message), needles):
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


def _scrub_files(settings: Settings, needles: set[str]) -> int:
    """Rewrite log lines that name a person; remove .eml files that mention them."""
    changed = 0
    logs = settings.data_dir / "logs"
    for path in sorted(logs.glob("*")) if logs.is_dir() else []:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if not _contains(text, needles):
            continue
        lines = []
        for line in text.splitlines(keepends=True):
            for needle in sorted(needles, key=len, reverse=True):
                line = line.replace(needle, f"[{GEWIST}]")
            lines.append(line)
        # in place, not a new file: a logging handler keeps appending to the same open file
        path.write_text("".join(lines), encoding="utf-8")
        changed += 1
    outbox = settings.data_dir / "outbox"
    for path in sorted(outbox.glob("*.eml")) if outbox.is_dir() else []:
        if _contains(_mail_text(path.read_bytes()), needles):
            path.unlink(missing_ok=True)
            changed += 1
    return changed


def vacuum(store: Store) -> None:
    """SQLite: rebuild the file so no freed page keeps old rows, and empty the WAL file."""
    if store.engine.dialect.name != "sqlite":
        return
    try:
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except OperationalError:
        # another process is reading: secure_delete already zeroed the freed pages, and the
        # next erase vacuums again
        log.warning("VACUUM after an erase had to wait for another time", exc_info=True)


def _own_addresses(s: Session, identity: str) -> set[str]:
    """The e-mail addresses a person gave as their own: the one they are known by, and the
    owner's address in the answers of the plans they own, now and in every frozen version."""
    found = {a} if (a := _address(identity)) else set()
    owned = list(s.scalars(select(PlanRow).where(PlanRow.owner == identity)))
    answers = [p.data or {} for p in owned]
    answers += s.scalars(
        select(VersionRow.data).where(VersionRow.plan_id.in_([p.id for p in owned]))
    )
    given = {d.get(OWNER_ADDRESS) for d in answers}
    return found | {a.strip() for a in given if isinstance(a, str) and "@" in a}


def _erase_contact_fields(s: Session, addresses: set[str]) -> tuple[int, set[str]]:
    """Answers that give one of `addresses` as a contact address: left out of the plan's
    answers, and 'gewist' in the frozen versions (which stay). Returns how many rows, and
    the plans they belong to."""
    wanted = {a.lower() for a in addresses}

    def hits(data: dict[str, Any] | None) -> list[str]:
        data = data or {}
        return [
            f
            for f in CONTACT_FIELDS
            if isinstance(data.get(f), str) and data[f].strip().lower() in wanted
        ]

    n, plans = 0, set()
    if not wanted:
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


def _scrub_documents(settings: Settings, plan_ids: set[str], needles: set[str]) -> int:
    """The Word files of these plans: every whole mention of the person becomes 'gewist'."""
    if not plan_ids or not needles:
        return 0
    words = sorted({escape(w) for w in needles}, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words))
    changed = 0
    for plan_id in sorted(plan_ids):
        for path in sorted((settings.plans_dir / plan_id).glob("*.docx")):
            if _rewrite_docx(path, pattern):
                changed += 1
    return changed


def _rewrite_docx(path: Path, pattern: re.Pattern[str]) -> bool:
    with zipfile.ZipFile(path) as z:
        members = [(info, z.read(info)) for info in z.infolist()]
    out, changed = io.BytesIO(), False
    with zipfile.ZipFile(out, "w") as z:
        for info, data in members:
            if info.filename.endswith((".xml", ".rels")):
                text = data.decode("utf-8")
                new = pattern.sub(GEWIST, text)
                changed |= new != text
                data = new.encode("utf-8")
            z.writestr(info, data)
    if changed:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(out.getvalue())
        tmp.replace(path)  # a reader never sees half a document
    return changed


def erase_person(store: Store, settings: Settings, identity: str, *, vacuum_db: bool = True) -> int:
    """Erase what is kept about one person everywhere; returns how many rows and files.

    Plans they own stay (they are the gemeente's), with the owner replaced by 'gewist' and
    the owner's own address taken out of the answers; frozen versions keep 'gewist' there.
    The person's addresses count as theirs too: mails to them and their e-mail identity go."""
    with _sessions(store)() as s:
        addresses = _own_addresses(s, identity)
        owned = set(s.scalars(select(PlanRow.id).where(PlanRow.owner == identity)))
    identities = {identity} | {f"email:{a}" for a in addresses}
    needles = set().union(*(_identifiers(store, i) for i in identities))
    with _sessions(store).begin() as s:
        n = s.execute(
            update(PlanRow).where(PlanRow.owner == identity).values(owner=GEWIST)
        ).rowcount
        fields, touched = _erase_contact_fields(s, addresses)
        n += fields + _erase_rows(s, settings, identities, needles)
    n += _scrub_documents(settings, owned | touched, needles)
    n += _scrub_files(settings, needles)
    for address in addresses:
        n += participants.forget_invitation_counts(store, settings, address)
    if vacuum_db:
        vacuum(store)
    log.info("personal data of one person erased on request")
    return n


def erase_plan(
    store: Store,
    settings: Settings,
    plan_id: str,
    now: datetime | None = None,
    *,
    vacuum_db: bool = True,
) -> int:
    """Erase the personal data of a plan's participants (names, chat identities, e-mail
    addresses); the plan, its documents and the counts stay. Returns rows and files erased."""
    record = store.plan(plan_id)
    if record is None:
        raise closing.NotFound(plan_id)
    identities = set(_participant_identities(store, plan_id))
    needles = {i: _identifiers(store, i) for i in identities}
    with _sessions(store)() as s:
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
    with _sessions(store).begin() as s:
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
        n += _erase_rows(s, settings, whole, gone)
    n += _scrub_files(settings, gone)
    now = now or settings.clock()
    steps = closing.steps(record)
    count = steps.get("aantal_deelnemers") or len(identities)
    closing.record_step(store, plan_id, gewist=now.isoformat(), aantal_deelnemers=count)
    if vacuum_db:
        vacuum(store)
    log.info("personal data of the participants of plan %s erased", plan_id)
    return n
