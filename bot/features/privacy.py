"""Privacy (AVG): what is kept about a person or a plan's participants, erasing it, retention.

Personal data of participants is kept for one traject only (Leiden's AVG note). Each plan has
a retention date: `bewaartermijn_dagen` (gemeente profile) after the besluit was told to the
participants, and at most two years after the plan started for plans that never close. Then
names, chat identities and e-mail addresses go; the documents and the counts stay.
Erasure covers every table, the mail outbox and its .eml files, the logs, and SQLite's freed
pages (secure_delete is on for every connection; VACUUM and a WAL checkpoint follow an erase).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from bot import signing
from bot.settings import AMSTERDAM, Settings
from bot.storage import NotFound, PlanRecord, Store
from bot.storage.erasure import GEWIST, address_of, mail_text, mentions
from handreiking import bewaartermijn, parsing, pdf
from handreiking.afronding import AFSLUITING, afsluiting, zonder_persoonsgegevens
from handreiking.profiles import profile_for

log = logging.getLogger(__name__)

MIN_NAME = 3  # shorter names are not searched for in logs and messages: too many false hits


def _day(moment: datetime) -> date:
    return moment.astimezone(AMSTERDAM).date()


# ---------------------------------------------------------------------- retention
def retention_date(settings: Settings, record: PlanRecord) -> date:
    """The day after which the participants' personal data of this plan is erased."""
    gemeld = afsluiting(record.data).get("besluit_gemeld")
    if not gemeld:
        return bewaartermijn.retention_date(_day(record.created_at), None, 0)
    days = profile_for(record.data, settings.profiles_dir).bewaartermijn_dagen
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
        if store.participant_identities(record.id) or not afsluiting(record.data).get("gewist"):
            erase_plan(store, settings, record.id, now, vacuum_db=False)
            done.append(record.id)
    # several workers may check at once: the store keeps the last one's day
    store.set_bot_value("privacy_checked", today.isoformat())
    if done:
        store.vacuum()
        log.info("personal data of %s plan(s) erased after the retention date", len(done))
    return done


# ---------------------------------------------------------------------- who is meant
# how a person is known to each channel: <channel>:<id> (INTERFACE.md, IDENTITY)
CHANNELS = ("telegram", "slack", "teams", "web", "email", "console")
EXAMPLE = "telegram:{id}, slack:<team>/{id}, console:{id} of email:<adres>"


class UnknownIdentity(ValueError):
    """A person given without a channel who matches no known identity, or several; the
    message says in one line what to write instead."""


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
    found = sorted(store.identities_ending(text)) if text else []
    if len(found) == 1:
        return found[0]
    if found:
        raise UnknownIdentity(f"'{text}' past bij {' en '.join(found)}; schrijf welke je bedoelt")
    example = EXAMPLE.format(id=(rest if sep else text) or "4242")
    raise UnknownIdentity(f"niemand bekend als '{text}'; schrijf het kanaal erbij, bijv. {example}")


# ---------------------------------------------------------------------- what is kept
def _identifiers(store: Store, identity: str) -> set[str]:
    """The strings that point at a person: the identity, the e-mail address, their names."""
    found = {identity}
    if address := address_of(identity):
        found.add(address)
    found |= {n for n in store.names_of(identity) if len(n.strip()) >= MIN_NAME}
    return found


def export_person(store: Store, settings: Settings, identity: str) -> dict[str, Any]:
    """Everything kept about one person (IDENTITY as INTERFACE.md names it), as JSON data."""
    return store.person_export(identity)


def export_plan(store: Store, settings: Settings, plan_id: str) -> dict[str, Any]:
    """What is kept about the people of one plan: its participants, their messages, mails."""
    record = store.plan(plan_id)
    if record is None:
        raise NotFound(plan_id)
    people = store.plan_people_export(plan_id)
    steps = afsluiting(record.data)
    return {
        "plan": plan_id,
        "titel": record.titel,
        "eigenaar": record.owner,
        "bewaren_tot": retention_date(settings, record).isoformat(),
        "gewist": steps.get("gewist"),
        **people,
        "aantal_deelnemers_bewaard": steps.get("aantal_deelnemers"),
    }


# ---------------------------------------------------------------------- erasing
def _scrub_files(settings: Settings, needles: set[str]) -> int:
    """Rewrite log lines that name a person; remove .eml files that mention them."""
    changed = 0
    logs = settings.data_dir / "logs"
    for path in sorted(logs.glob("*")) if logs.is_dir() else []:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if not mentions(text, needles):
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
        if mentions(mail_text(path.read_bytes()), needles):
            path.unlink(missing_ok=True)
            changed += 1
    return changed


def vacuum(store: Store) -> None:
    """SQLite: rebuild the file so no freed page keeps old rows, and empty the WAL file."""
    store.vacuum()


def address_count_key(settings: Settings, address: str) -> str:
    """The key under which today's invitations to `address` are counted: a pseudonym, so the
    table of counts holds no e-mail address."""
    key = signing.secret_key(settings.data_dir)
    return f"adres:{signing.pseudonym(key, 'uitnodiging', address)}"


def _scrub_documents(settings: Settings, plan_ids: set[str], needles: set[str]) -> int:
    """The Word files of these plans: every whole mention of the person becomes 'gewist'."""
    if not plan_ids or not needles:
        return 0
    pdf.settle()  # a PDF still being made in this process would bring the name back
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
    the owner's own name and address taken out of the answers; frozen versions keep 'gewist'
    there.
    The person's addresses count as theirs too: mails to them and their e-mail identity go."""
    addresses, owned = store.own_addresses(identity)
    names = store.own_names(identity)  # 'Wat is je naam?' in their plans
    identities = {identity} | {f"email:{a}" for a in addresses}
    needles = set().union(*(_identifiers(store, i) for i in identities))
    needles |= {n for n in names if len(n) >= MIN_NAME}
    n, touched = store.erase_person_rows(identity, identities, addresses, needles, names)
    n += _scrub_documents(settings, owned | touched, needles)
    n += _scrub_files(settings, needles)
    n += store.forget_counts([address_count_key(settings, a) for a in sorted(addresses)])
    if vacuum_db:
        store.vacuum()
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
        raise NotFound(plan_id)
    identities = set(store.participant_identities(plan_id))
    n, gone = store.erase_plan_people(plan_id, {i: _identifiers(store, i) for i in identities})
    n += _scrub_files(settings, gone)
    # the people who reacted without following the plan: the CSV export's name and e-mail
    # columns, and contact details typed in reactions and evaluation forms
    for key, value in zonder_persoonsgegevens((store.plan(plan_id) or record).data).items():
        store.update_plan_data(plan_id, key, value)
        n += 1
    now = now or settings.clock()
    count = afsluiting(record.data).get("aantal_deelnemers") or len(identities)
    store.merge_plan_data(
        plan_id, AFSLUITING, {"gewist": now.isoformat(), "aantal_deelnemers": count}
    )
    if vacuum_db:
        store.vacuum()
    log.info("personal data of the participants of plan %s erased", plan_id)
    return n
