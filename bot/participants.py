"""Participants of a plan: invitation code, joining with consent (AVG), updates, leaving.

A participant joins with `/start <code>` (Telegram deep link), `volg <code>` (Slack, any chat)
or by e-mail (an invitation with a consent link). Nothing about them is kept before they agree;
an e-mail address that is not confirmed within 14 days is erased. `afmelden` ends it at once.
A participant only ever gets the messages of the plans they joined.
"""

from __future__ import annotations

import html
import io
import logging
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from bot import delivery, signing
from bot.delivery import Message
from bot.engine.texts import load_texts
from bot.engine.types import Choice, Reply
from bot.settings import AMSTERDAM, Settings
from bot.storage import PlanRecord, Store
from bot.storage.participant_tables import OutboxMessage, Participant, PlanFollowup, PlanUpdate
from bot.storage.tables import Person
from handreiking import parsing
from handreiking.lifecycle import Status
from handreiking.models import Plan
from handreiking.planning import datum_tekst
from handreiking.profiles import Profile, profile_or_default

if TYPE_CHECKING:
    from bot.engine import Engine

log = logging.getLogger(__name__)

# Plans people can follow and that send reminders: adopted, or participation under way.
ACTIVE = {Status.vastgesteld.value, Status.in_uitvoering.value}
# An e-mail address that did not say yes within this time is erased.
INVITATION_VALID = timedelta(days=14)
# What a participant agreed to is kept this long after the traject's last date.
KEEP_AFTER = timedelta(days=90)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are typed off paper
CODE_LENGTH = 8
YES = {"ja", "yes", "akkoord", "ok"}
NO = {"nee", "no"}
# the engine's words for the commands this module answers (see COMMANDS in the engine)
COMMANDS = {"follow", "unsubscribe", "mydata", "update", "invite", "send_proposal"}
COMMANDS |= {"erase"}  # issue 7: 'verwijder', answered by _erase

TEXTS = load_texts("participants", "texts")


@dataclass(frozen=True)
class ParticipantInfo:
    plan_id: str
    identity: str
    naam: str | None
    status: str
    keep_until: date
    consented_at: datetime | None


def _sessions(store: Store) -> sessionmaker[Session]:
    return sessionmaker(store.engine, expire_on_commit=False)


def _profile(settings: Settings, record: PlanRecord) -> Profile:
    return profile_or_default(record.gemeente, settings.profiles_dir)


def _plan(record: PlanRecord) -> Plan:
    return Plan.model_validate(record.data)


def _titel(record: PlanRecord) -> str:
    return record.titel or f"plan {record.id}"


def _today(now: datetime) -> date:
    return now.astimezone(AMSTERDAM).date()


# ---------------------------------------------------------------------- codes and links
def followup(store: Store, plan_id: str) -> PlanFollowup:
    """The plan's invitation code and follow-up choices, made on first use."""
    for _ in range(10):
        with _sessions(store).begin() as s:
            row = s.get(PlanFollowup, plan_id)
            if row is not None:
                return row
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with _sessions(store).begin() as s:
                row = PlanFollowup(
                    plan_id=plan_id,
                    code=code,
                    auto_status=False,
                    owner_mail_off=False,
                    created_at=store.clock(),
                )
                s.add(row)
            return row
        except IntegrityError:
            continue  # the same code, or another process made the row first
    raise RuntimeError("kan geen uitnodigingscode maken")


def invitation_code(store: Store, plan_id: str) -> str:
    """The code people join the plan with (8 letters and digits, fits a Telegram deep link)."""
    return followup(store, plan_id).code


def plan_for_code(store: Store, code: str) -> PlanRecord | None:
    with _sessions(store)() as s:
        plan_id = s.scalar(
            select(PlanFollowup.plan_id).where(PlanFollowup.code == code.strip().upper())
        )
    return store.plan(plan_id) if plan_id else None


def join_url(settings: Settings, code: str) -> str:
    """The page on our HTTP server that shows every way to join (the QR code points here)."""
    return f"{settings.public_url.rstrip('/')}/volg/{code}"


def telegram_link(store: Store, code: str) -> str | None:
    """t.me/<bot>?start=<code>, once the bot's name is known (the reminder worker learns it)."""
    username = delivery.bot_value(store, "telegram_username")
    return f"https://t.me/{username}?start={code}" if username else None


def qr_png(url: str) -> bytes | None:
    """A PNG QR code of `url`; None when the optional `qrcode` package is not installed."""
    try:
        import qrcode  # type: ignore[import-not-found]
    except ImportError:
        return None
    buffer = io.BytesIO()
    qrcode.make(url).save(buffer, format="PNG")
    return buffer.getvalue()


def keep_until(plan: Plan, today: date) -> date:
    """The last day a participant's data is kept: some months after the traject's last date."""
    dates = [d for d in (plan.evaluatie_datum, plan.besluitdatum, plan.rapportage_datum) if d]
    dates += [a.eind for a in plan.activiteiten if a.eind]
    end = max(dates) + KEEP_AFTER if dates else today + timedelta(days=365)
    return max(end, today + timedelta(days=30))


def _token_key(settings: Settings) -> bytes:
    return signing.secret_key(settings.data_dir)


def consent_url(settings: Settings, participant_id: int, expires: datetime) -> str:
    token = signing.sign(_token_key(settings), "deelnemen", {"n": participant_id}, expires)
    return f"{settings.public_url.rstrip('/')}/deelnemen/{token}"


def unsubscribe_url(settings: Settings, plan_id: str, identity: str, until: date) -> str:
    """A one-click link that ends the messages of one plan to one person (also the owner)."""
    expires = datetime.combine(until + timedelta(days=365), datetime.min.time(), tzinfo=UTC)
    token = signing.sign(_token_key(settings), "afmelden", {"p": plan_id, "i": identity}, expires)
    return f"{settings.public_url.rstrip('/')}/afmelden/{token}"


# ---------------------------------------------------------------------- who follows what
def participants(store: Store, plan_id: str, status: str = "active") -> list[ParticipantInfo]:
    """The plan's participants (active ones by default), oldest first, blocked ones left out."""
    from bot.storage.participant_tables import BlockedRecipient

    q = (
        select(Participant)
        .where(
            Participant.plan_id == plan_id,
            Participant.status == status,
            Participant.identity.not_in(select(BlockedRecipient.identity)),
        )
        .order_by(Participant.id)
    )
    with _sessions(store)() as s:
        return [_info(p) for p in s.scalars(q)]


def _info(p: Participant) -> ParticipantInfo:
    return ParticipantInfo(p.plan_id, p.identity, p.naam, p.status, p.keep_until, p.consented_at)


def followed(store: Store, identity: str) -> list[ParticipantInfo]:
    """Every plan `identity` follows or is invited to, most recent first."""
    q = select(Participant).where(Participant.identity == identity).order_by(Participant.id.desc())
    with _sessions(store)() as s:
        return [_info(p) for p in s.scalars(q)]


def accept(
    store: Store,
    settings: Settings,
    record: PlanRecord,
    identity: str,
    naam: str | None,
    now: datetime,
) -> None:
    """Keep `identity` as a participant of the plan: only after they agreed."""
    now = now.astimezone(UTC)
    until = keep_until(_plan(record), _today(now))
    with _sessions(store).begin() as s:
        row = s.scalar(
            select(Participant).where(
                Participant.plan_id == record.id, Participant.identity == identity
            )
        )
        if row is None:
            row = Participant(plan_id=record.id, identity=identity, created_at=now)
            s.add(row)
        row.naam = naam or row.naam
        row.status = "active"
        row.consented_at = now
        row.keep_until = until
    delivery.unblock(store, identity)


def leave(store: Store, identity: str, plan_id: str | None = None) -> list[str]:
    """End following (one plan, or all): the row and what still waits to be sent are erased.
    Returns the plan ids left."""
    with _sessions(store).begin() as s:
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


def expire(store: Store, now: datetime) -> int:
    """Erase invitations nobody accepted within 14 days, and participants past their date."""
    now = now.astimezone(UTC)
    today = _today(now)
    erased = 0
    with _sessions(store).begin() as s:
        rows = list(
            s.scalars(
                select(Participant).where(
                    (
                        (Participant.status == "invited")
                        & (Participant.invited_at < now - INVITATION_VALID)
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
    if erased:
        log.info("%s participants or invitations erased (AVG)", erased)
    return erased


def erase_identity(store: Store, identity: str) -> int:
    """Erase everything this module keeps about a person (for `privacy erase`)."""
    from bot.storage.participant_tables import BlockedRecipient

    with _sessions(store).begin() as s:
        n = s.execute(delete(Participant).where(Participant.identity == identity)).rowcount
        n += s.execute(delete(OutboxMessage).where(OutboxMessage.identity == identity)).rowcount
        n += s.execute(
            delete(BlockedRecipient).where(BlockedRecipient.identity == identity)
        ).rowcount
    return n


# ---------------------------------------------------------------------- messages
def owner_recipient(store: Store, record: PlanRecord) -> str | None:
    """Where the owner gets reminders: their chat; a console owner gets e-mail, if they gave
    an address and did not unsubscribe."""
    channel = delivery.channel_of(record.owner)
    if channel in (*delivery.CHAT_CHANNELS, "email"):
        return record.owner
    address = record.data.get("eigenaar_email")
    if address and not followup(store, record.id).owner_mail_off:
        return f"email:{address}"
    return None


def signature(store: Store, settings: Settings, record: PlanRecord) -> str:
    """'Namens ...' and the contact person, under every message to participants."""
    plan = _plan(record)
    with _sessions(store)() as s:
        owner = s.get(Person, record.owner)
        owner_naam = owner.naam if owner else None
    namens = ", ".join(x for x in (owner_naam, plan.initiatiefnemer) if x)
    lines = [f"Namens {namens or 'de maker van het plan'} ({_profile(settings, record).naam})."]
    contact = _contact(plan)
    if contact:
        lines.append(f"Vragen? Neem contact op met {contact}.")
    return "\n".join(lines)


def _contact(plan: Plan) -> str | None:
    if plan.accounthouder and plan.accounthouder_email:
        return f"{plan.accounthouder} ({plan.accounthouder_email})"
    return plan.accounthouder or plan.accounthouder_email or plan.eigenaar_email


def participant_message(
    settings: Settings,
    record: PlanRecord,
    p: ParticipantInfo,
    body: str,
    *,
    kind: str,
    dedupe: str,
    subject: str,
    sig: str,
    code: str,
    ref: str | None = None,
) -> Message:
    """A message to one participant, signed, with the way to stop on their own channel."""
    text = f"{body}\n\n{sig}"
    url = None
    if delivery.channel_of(p.identity) == "email":
        url = unsubscribe_url(settings, record.id, p.identity, p.keep_until)
    else:
        text += f"\nGeen berichten meer? Stuur: afmelden {code}"
    return Message(
        identity=p.identity,
        text=text,
        kind=kind,
        plan_id=record.id,
        ref=ref,
        dedupe=dedupe,
        subject=subject,
        unsubscribe_url=url,
    )


def post_update(
    store: Store,
    settings: Settings,
    record: PlanRecord,
    sender: str,
    text: str,
    *,
    automatic: bool = False,
    now: datetime | None = None,
) -> int:
    """Store the owner's update and one message per participant; returns how many."""
    now = (now or settings.clock()).astimezone(UTC)
    with _sessions(store).begin() as s:
        update = PlanUpdate(
            plan_id=record.id, text=text, sender=sender, automatic=automatic, created_at=now
        )
        s.add(update)
        s.flush()
        update_id = update.id
    titel = _titel(record)
    gemeente = _profile(settings, record).naam
    body = f"Nieuws over {titel} ({gemeente}):\n\n{text.strip()}"
    code = invitation_code(store, record.id)
    sig = signature(store, settings, record)
    messages = [
        participant_message(
            settings,
            record,
            p,
            body,
            kind="update",
            dedupe=f"u:{update_id}:{p.identity}",
            subject=f"Nieuws over {titel}",
            sig=sig,
            code=code,
        )
        for p in participants(store, record.id)
    ]
    delivery.enqueue(store, messages, now)
    return len(messages)


def last_update(store: Store, plan_id: str) -> datetime | None:
    with _sessions(store)() as s:
        at = s.scalar(select(func.max(PlanUpdate.created_at)).where(PlanUpdate.plan_id == plan_id))
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at


def invite_emails(
    store: Store, settings: Settings, record: PlanRecord, addresses: list[str], now: datetime
) -> int:
    """Invite addresses by e-mail: each gets a consent link; not confirmed in 14 days: erased."""
    now = now.astimezone(UTC)
    invited = 0
    titel = _titel(record)
    gemeente = _profile(settings, record).naam
    messages = []
    for address in addresses:
        identity = f"email:{address}"
        with _sessions(store).begin() as s:
            row = s.scalar(
                select(Participant).where(
                    Participant.plan_id == record.id, Participant.identity == identity
                )
            )
            if row is not None and row.status == "active":
                continue
            if row is None:
                row = Participant(
                    plan_id=record.id, identity=identity, status="invited", created_at=now
                )
                s.add(row)
            row.invited_at = now
            row.keep_until = _today(now + INVITATION_VALID)
            s.flush()
            pid = row.id
        link = consent_url(settings, pid, now + INVITATION_VALID)
        text = (
            f"Hallo,\n\nJe bent uitgenodigd om {titel} ({gemeente}) te volgen. Je krijgt dan "
            "nieuws en herinneringen over dit plan, bijvoorbeeld als er een bijeenkomst is.\n\n"
            "Doe je mee? Open deze link. Je leest eerst wat we bewaren, en dan kies je:\n"
            f"{link}\n\n"
            "Zeg je niet binnen 14 dagen ja, dan wissen we je e-mailadres.\n\n"
            f"{signature(store, settings, record)}"
        )
        messages.append(
            Message(
                identity=identity,
                text=text,
                kind="invitation",
                plan_id=record.id,
                dedupe=f"i:{pid}:{int(now.timestamp())}",
                subject=f"Uitnodiging: blijf op de hoogte van {titel}",
                unsubscribe_url=unsubscribe_url(settings, record.id, identity, _today(now)),
                daytime=False,
            )
        )
        invited += 1
    delivery.enqueue(store, messages, now)
    return invited


# ---------------------------------------------------------------------- chat
async def handle(
    engine: Engine, identity: str, text: str, naam: str | None = None
) -> list[Reply] | None:
    """The engine's hook: a reply when the message is ours, None to let the interview go on."""
    from bot.engine.engine import parse_command

    store, settings = engine.store, engine.settings
    delivery.unblock(store, identity)  # who writes to the bot has not blocked it (any more)
    command = parse_command(text) if isinstance(text, str) else None
    if command is None or command[0] not in COMMANDS | {"start"}:
        if command is None and isinstance(text, str) and text.strip():
            return _forward(store, settings, identity, text.strip(), naam)
        return None
    cmd, arg = command
    now = settings.clock()
    if cmd == "start":
        # a bare /start opens the interview; /start <code> is a Telegram deep link
        return _follow(store, settings, identity, arg, naam, now) if arg else None
    if cmd == "follow":
        return _follow(store, settings, identity, arg, naam, now)
    if cmd == "unsubscribe":
        return _unsubscribe(store, identity, arg)
    if cmd == "mydata":
        return [Reply(_my_data(store, settings, identity), kind="info")]
    if cmd == "erase":  # issue 7
        return _erase(store, settings, identity, arg)
    record = _owner_plan(store, identity)
    if record is None:
        # not an owner of a plan in uitvoering: for the interview, these words are an answer
        return None if _has_interview(store, identity) else [Reply(TEXTS["no_plan"])]
    if cmd == "update":
        return _update(store, settings, record, identity, arg, now)
    if cmd == "send_proposal":
        proposal = followup(store, record.id).proposal
        if not proposal:
            return [Reply(TEXTS["no_proposal"])]
        set_followup(store, record.id, proposal=None)
        n = post_update(store, settings, record, identity, proposal, now=now)
        return [Reply(_update_reply(record, n))]
    if cmd == "invite":
        return _invite(store, settings, record, arg, now)
    return None


# --- issue 7: 'verwijder', a participant erases what is kept about them --------------------
ERASE_TEXTS = load_texts("participants", "erase")


def _erase(store: Store, settings: Settings, identity: str, arg: str) -> list[Reply] | None:
    from bot import privacy

    if store.plans(owner=identity):
        # an owner in an interview may answer with this word; 'verwijder 2' edits a list
        if arg.strip() or _has_interview(store, identity):
            return None
        return [Reply(ERASE_TEXTS["owner"])]
    answer = arg.strip().lower()
    with _sessions(store)() as s:
        kept = s.get(Person, identity) is not None
    if not followed(store, identity) and not kept:
        return [Reply(TEXTS["mydata_none"])]
    if answer in YES:
        privacy.erase_person(store, settings, identity)
        return [Reply(ERASE_TEXTS["done"])]
    if answer in NO:
        return [Reply(ERASE_TEXTS["kept"])]
    choices = [
        Choice(ERASE_TEXTS["yes"], "verwijder ja"),
        Choice(ERASE_TEXTS["no"], "verwijder nee"),
    ]
    text = f"{ERASE_TEXTS['ask']}\n{ERASE_TEXTS['hint']}"
    return [Reply(text, kind="question", input="yesno", choices=choices)]


# --- end of issue 7 ---------------------------------------------------------------------------


def _has_interview(store: Store, identity: str) -> bool:
    return any(p.status not in ACTIVE for p in store.plans(owner=identity))


def _owner_plan(store: Store, identity: str) -> PlanRecord | None:
    """The owner's plan in uitvoering: the one they work on now, else the latest."""
    plans = [p for p in store.plans(owner=identity) if p.status in ACTIVE]
    if not plans:
        return None
    with _sessions(store)() as s:
        person = s.get(Person, identity)
        active = person.active_plan_id if person else None
    return next((p for p in plans if p.id == active), plans[-1])


def set_followup(store: Store, plan_id: str, **values: Any) -> None:
    followup(store, plan_id)
    with _sessions(store).begin() as s:
        row = s.get(PlanFollowup, plan_id)
        for k, v in values.items():
            setattr(row, k, v)


def _follow(
    store: Store, settings: Settings, identity: str, arg: str, naam: str | None, now: datetime
) -> list[Reply]:
    parts = arg.split()
    if not parts:
        return [Reply(TEXTS["follow_how"])]
    code = parts[0].upper()
    answer = parts[1].lower() if len(parts) > 1 else None
    record = plan_for_code(store, code)
    if record is None:
        return [Reply(TEXTS["unknown_code"], kind="error")]
    titel = _titel(record)
    if record.status not in ACTIVE:
        return [Reply(TEXTS["not_open"].format(titel=titel))]
    if any(p.plan_id == record.id and p.status == "active" for p in followed(store, identity)):
        return [Reply(TEXTS["already"].format(titel=titel))]
    if answer in YES:
        accept(store, settings, record, identity, naam, now)
        return [Reply(TEXTS["welcome"].format(titel=titel))]
    if answer in NO:
        return [Reply(TEXTS["declined"])]
    until = keep_until(_plan(record), _today(now))
    consent = TEXTS["consent"].format(
        titel=titel,
        gemeente=_profile(settings, record).naam,
        wat=TEXTS["wat_email" if identity.startswith("email:") else "wat_chat"],
        tot=datum_tekst(until),
    )
    text = f"{consent}\n{TEXTS['consent_hint'].format(code=code)}"
    choices = [
        Choice(TEXTS["consent_yes"], f"volg {code} ja"),
        Choice(TEXTS["consent_no"], f"volg {code} nee"),
    ]
    return [Reply(text, kind="question", input="yesno", choices=choices)]


def _unsubscribe(store: Store, identity: str, arg: str) -> list[Reply]:
    plan_id = None
    if arg:
        record = plan_for_code(store, arg.split()[0])
        if record is None:
            return [Reply(TEXTS["left_unknown"].format(code=arg.split()[0].upper()))]
        plan_id = record.id
    left = leave(store, identity, plan_id)
    if not left:
        if arg:
            return [Reply(TEXTS["left_unknown"].format(code=arg.split()[0].upper()))]
        return [Reply(TEXTS["left_none"])]
    titels = ", ".join(_titel(r) for r in (store.plan(i) for i in left) if r)
    return [Reply(TEXTS["left"].format(titels=titels or "je plannen"))]


def _my_data(store: Store, settings: Settings, identity: str) -> str:
    lines = [TEXTS["mydata_title"].format(identity=identity)]
    for p in followed(store, identity):
        record = store.plan(p.plan_id)
        if record is None:
            continue
        if p.status == "active":
            sinds = (
                datum_tekst(p.consented_at.astimezone(AMSTERDAM).date()) if p.consented_at else "-"
            )
            lines.append(
                TEXTS["mydata_follow"].format(
                    titel=_titel(record),
                    gemeente=_profile(settings, record).naam,
                    sinds=sinds,
                    tot=datum_tekst(p.keep_until),
                )
            )
        else:
            lines.append(
                TEXTS["mydata_invited"].format(titel=_titel(record), tot=datum_tekst(p.keep_until))
            )
    with _sessions(store)() as s:
        person = s.get(Person, identity)
    if person is not None:
        lines.append(TEXTS["mydata_person"].format(naam=person.naam or "-", taal=person.lang))
    plans = store.plans(owner=identity)
    if plans:
        lines.append(TEXTS["mydata_plans"].format(plannen=", ".join(_titel(p) for p in plans)))
    if len(lines) == 1:
        return TEXTS["mydata_none"]
    lines.append(TEXTS["mydata_footer"])
    return "\n".join(lines)


def _update_reply(record: PlanRecord, n: int) -> str:
    key = "update_queued" if n else "update_nobody"
    return TEXTS[key].format(titel=_titel(record), n=n)


def _update(
    store: Store, settings: Settings, record: PlanRecord, identity: str, arg: str, now: datetime
) -> list[Reply]:
    word = arg.strip().lower()
    if word == "automatisch":
        set_followup(store, record.id, auto_status=True)
        return [Reply(TEXTS["auto_on"].format(titel=_titel(record)))]
    if word == "handmatig":
        set_followup(store, record.id, auto_status=False)
        return [Reply(TEXTS["auto_off"])]
    if not word:
        n = len(participants(store, record.id))
        return [Reply(TEXTS["update_how"].format(titel=_titel(record), n=n))]
    set_followup(store, record.id, proposal=None)  # the owner wrote their own
    n = post_update(store, settings, record, identity, arg.strip(), now=now)
    return [Reply(_update_reply(record, n))]


def _invite(
    store: Store, settings: Settings, record: PlanRecord, arg: str, now: datetime
) -> list[Reply]:
    code = invitation_code(store, record.id)
    if not arg.strip():
        link = join_url(settings, code)
        tg = telegram_link(store, code)
        text = TEXTS["invite_info"].format(
            titel=_titel(record),
            code=code,
            link=link,
            telegram=TEXTS["invite_telegram"].format(link=tg) if tg else "",
            n=len(participants(store, record.id)),
        )
        png = qr_png(link)
        documents = []
        if png:
            path = settings.plans_dir / record.id / "uitnodiging-qr.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(png)
            documents.append(path)
            text += "\n" + TEXTS["invite_qr"]
        return [Reply(text, kind="info", documents=documents)]
    addresses = []
    for raw in re.split(r"[\s,;]+", arg.strip()):
        if not raw:
            continue
        try:
            addresses.append(parsing.parse_email(raw))
        except parsing.ParseError:
            return [Reply(TEXTS["invite_bad"].format(adres=raw), kind="error")]
    n = invite_emails(store, settings, record, addresses, now)
    return [Reply(TEXTS["invited"].format(n=n))]


def _forward(
    store: Store, settings: Settings, identity: str, text: str, naam: str | None
) -> list[Reply] | None:
    """A participant's own message (not a command) reaches whoever makes the plan."""
    active = [p for p in followed(store, identity) if p.status == "active"]
    if not active or store.plans(owner=identity):
        return None  # an owner talks to the interview
    record = store.plan(active[0].plan_id)
    if record is None:
        return None
    to = owner_recipient(store, record)
    titel = _titel(record)
    if to is None:
        contact = _contact(_plan(record))
        extra = f" Neem contact op met {contact}." if contact else ""
        return [Reply(TEXTS["forward_nobody"].format(titel=titel, contact=extra))]
    who = active[0].naam or naam or "een deelnemer"
    now = settings.clock()
    body = f"Reactie van {who} op {titel}:\n\n{text}"
    delivery.enqueue(
        store,
        [
            Message(
                identity=to,
                text=body,
                kind="reply",
                plan_id=record.id,
                dedupe=f"f:{uuid.uuid4().hex}",
                subject=f"Reactie op {titel}",
                daytime=False,
            )
        ],
        now,
    )
    return [Reply(TEXTS["forwarded"].format(titel=titel))]


# ---------------------------------------------------------------------- HTTP pages
PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:sans-serif;max-width:36em;margin:2em auto;padding:0 1em;
line-height:1.5}}button{{font-size:1em;padding:.5em 1em;margin:.3em}}</style>
</head><body><h1>{title}</h1>{body}</body></html>"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(PAGE.format(title=html.escape(title), body=body), status_code=status)


def _p(text: str) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())


async def _form(request: Request) -> dict[str, str]:
    """A posted form, read without python-multipart (urlencoded is all our pages send)."""
    raw = (await request.body()).decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(raw).items()}


def routes(settings: Settings, store: Store) -> list[BaseRoute]:
    """The pages behind the links in mail and on the QR code: consent, unsubscribe, join."""

    def key() -> bytes:
        return _token_key(settings)

    async def consent(request: Request) -> Response:
        now = settings.clock()
        try:
            payload = signing.verify(key(), "deelnemen", request.path_params["token"], now)
        except signing.BadToken:
            return _page("Link verlopen", _p("Deze link werkt niet (meer)."), 404)
        with _sessions(store)() as s:
            row = s.get(Participant, payload.get("n"))
            info = _info(row) if row else None
        record = store.plan(info.plan_id) if info else None
        if info is None or record is None:
            return _page("Link verlopen", _p("Deze uitnodiging is verlopen of gewist."), 404)
        titel = _titel(record)
        if request.method == "POST":
            choice = (await _form(request)).get("keuze")
            if choice == "ja":
                accept(store, settings, record, info.identity, None, now)
                return _page("Gelukt", _p(TEXTS["welcome"].format(titel=titel)))
            leave(store, info.identity, record.id)
            return _page("Gewist", _p("Prima. We hebben je e-mailadres gewist."))
        if info.status == "active":
            return _page(titel, _p(TEXTS["already"].format(titel=titel)))
        until = keep_until(_plan(record), _today(now))
        text = (
            TEXTS["consent"]
            .format(
                titel=titel,
                gemeente=_profile(settings, record).naam,
                wat=TEXTS["wat_email"],
                tot=datum_tekst(until),
            )
            .replace("stuur 'afmelden'", "gebruik de afmeldlink onder elke mail")
        )
        form = (
            '<form method="post">'
            f'<button name="keuze" value="ja">{html.escape(TEXTS["consent_yes"])}</button>'
            f'<button name="keuze" value="nee">{html.escape(TEXTS["consent_no"])}</button>'
            "</form>"
        )
        return _page(titel, _p(text) + form)

    async def unsubscribe(request: Request) -> Response:
        now = settings.clock()
        try:
            payload = signing.verify(key(), "afmelden", request.path_params["token"], now)
        except signing.BadToken:
            return _page("Link verlopen", _p("Deze link werkt niet (meer)."), 404)
        plan_id, identity = str(payload.get("p")), str(payload.get("i"))
        record = store.plan(plan_id)
        titel = _titel(record) if record else "dit plan"
        leave(store, identity, plan_id)
        if record is not None and owner_recipient(store, record) == identity:
            set_followup(store, plan_id, owner_mail_off=True)
        return _page("Afgemeld", _p(f"Je bent afgemeld. Je krijgt geen mail meer over {titel}."))

    async def join(request: Request) -> Response:
        now = settings.clock()
        code = request.path_params["code"].upper()
        record = plan_for_code(store, code)
        if record is None or record.status not in ACTIVE:
            return _page("Niet gevonden", _p("Dit plan kun je (nog) niet volgen."), 404)
        titel = _titel(record)
        if request.method == "POST":
            try:
                address = parsing.parse_email((await _form(request)).get("email", ""))
            except parsing.ParseError:
                return _page(titel, _p("Dat is geen e-mailadres. Probeer het nog eens."), 400)
            invite_emails(store, settings, record, [address], now)
            # the same answer whether or not the address follows already: nothing leaks
            return _page(titel, _p("Kijk in je mail: daar staat een link om ja te zeggen."))
        tg = telegram_link(store, code)
        body = _p(f"Blijf op de hoogte van {titel} ({_profile(settings, record).naam}).")
        if tg:
            body += f'<p>In Telegram: <a href="{html.escape(tg)}">open de chat</a>.</p>'
        body += _p(f"In Slack of een andere chat met participatiebot: stuur volg {code}")
        body += (
            '<form method="post"><p>Of per e-mail: '
            '<input type="email" name="email" required placeholder="naam@example.org"> '
            "<button>Stuur mij een uitnodiging</button></p></form>"
        )
        return _page(titel, body)

    from bot import evaluation  # issue 7: the participants' evaluation form

    return [
        Route("/deelnemen/{token}", consent, methods=["GET", "POST"]),
        Route("/afmelden/{token}", unsubscribe, methods=["GET", "POST"]),
        Route("/volg/{code}", join, methods=["GET", "POST"]),
        *evaluation.routes(settings, store),
    ]
