"""Participants of a plan: invitation code, joining with consent (AVG), updates, leaving.

A participant joins with `/start <code>` (Telegram deep link), `volg <code>` (Slack, any chat)
or by e-mail (an invitation with a consent link). Nothing about them is kept before they agree;
an e-mail address that is not confirmed within 14 days is erased. `afmelden` ends it at once.
A participant only ever gets the messages of the plans they joined.
"""

from __future__ import annotations

import io
import logging
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot import delivery, signing
from bot.delivery import Message
from bot.engine.registry import CODE_ARGUMENT, Command, Registry
from bot.engine.texts import counted, load_texts, messages
from bot.engine.types import Choice, Reply
from bot.features import privacy
from bot.settings import AMSTERDAM, Settings
from bot.storage import PlanRecord, Store, Visit
from bot.storage.erasure import GEWIST
from bot.storage.participant_tables import PlanFollowup
from bot.storage.participation import ParticipantInfo
from handreiking import parsing
from handreiking.bewaartermijn import keep_until
from handreiking.formatting import onbekend
from handreiking.lifecycle import RUNNING, UNFINISHED
from handreiking.models import Plan
from handreiking.planning import datum_tekst
from handreiking.profiles import Profile, profile_for

if TYPE_CHECKING:
    from bot.engine import Engine

log = logging.getLogger(__name__)

# Plans people can follow and that send reminders: adopted, or participation under way.
ACTIVE = RUNNING
# An e-mail address that did not say yes within this time is erased.
INVITATION_VALID = timedelta(days=14)
# Anyone who has a plan's public code (on letters, posters, QR codes) can ask for invitations
# by e-mail, so invitations are limited; the counts are kept in the database for every process.
# The join page sends at most this many invitations a day per plan: a letter to a few thousand
# households brings tens of sign-ups on its first day, not hundreds.
INVITES_PER_CODE_PER_DAY = 50
# One address gets at most this many invitations a day, from the join page and the owner
# together: a mistyped address can be tried again, a stranger's inbox is not flooded.
INVITES_PER_ADDRESS_PER_DAY = 3
# Invitations that wait for a yes, per plan; they are erased after 14 days without one.
MAX_PENDING_INVITES = 200
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are typed off paper
CODE_LENGTH = 8
YES = {"ja", "yes", "akkoord", "ok"}
NO = {"nee", "no"}

TEXTS = load_texts("participants", "texts")
MAIL = load_texts("participants", "mail")


@dataclass(frozen=True)
class Invitations:
    """What `invite_emails` did: how many invitations went out, and a line for each limit
    that stopped some."""

    sent: int
    refused: list[str] = field(default_factory=list)


def _profile(settings: Settings, record: PlanRecord) -> Profile:
    return profile_for(record.data, settings.profiles_dir)


def _plan(record: PlanRecord) -> Plan:
    return Plan.model_validate(record.data)


def title_of(record: PlanRecord) -> str:
    return record.titel or f"plan {record.id}"


def _today(now: datetime) -> date:
    return now.astimezone(AMSTERDAM).date()


# ---------------------------------------------------------------------- codes and links
def followup(store: Store, plan_id: str) -> PlanFollowup:
    """The plan's invitation code and follow-up choices, made on first use."""
    return store.followup(
        plan_id, lambda: "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    )


def invitation_code(store: Store, plan_id: str) -> str:
    """The code people join the plan with (8 letters and digits, fits a Telegram deep link)."""
    return followup(store, plan_id).code


def plan_for_code(store: Store, code: str) -> PlanRecord | None:
    plan_id = store.plan_id_for_code(code.strip().upper())
    return store.plan(plan_id) if plan_id else None


def join_url(settings: Settings, code: str) -> str:
    """The page on our HTTP server that shows every way to join (the QR code points here)."""
    return f"{settings.public_url.rstrip('/')}/volg/{code}"


def public_page(settings: Settings, code: str) -> str:
    """The plan's public page: what it is about, its planning and its published documents."""
    return f"{settings.public_url.rstrip('/')}/plannen/{code}"


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


def _token_key(settings: Settings) -> bytes:
    return signing.secret_key(settings.data_dir)


def way_back(settings: Settings, record: PlanRecord) -> str:
    """For an owner in the web chat, a line with the link that opens their conversation again
    (it lives in one browser); '' for an owner whose chat app shows it anyway."""
    link = signing.webchat_link(
        _token_key(settings), settings.public_url, record.owner, settings.clock()
    )
    return "\n" + MAIL["way_back"].format(link=link) if link else ""


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
    return store.plan_participants(plan_id, status)


def followed(store: Store, identity: str) -> list[ParticipantInfo]:
    """Every plan `identity` follows or is invited to, most recent first."""
    return store.followed_plans(identity)


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
    # the reminders running now reach them too
    store.accept_participant(record.id, identity, naam, now, until, reopen_from=_today(now))
    delivery.unblock(store, identity)


def leave(store: Store, identity: str, plan_id: str | None = None) -> list[str]:
    """End following (one plan, or all): the row and what still waits to be sent are erased.
    Returns the plan ids left."""
    return store.leave_plans(identity, plan_id)


def expire(store: Store, now: datetime) -> int:
    """Erase invitations nobody accepted within 14 days, and participants past their date."""
    now = now.astimezone(UTC)
    erased = store.expire_participants(now, _today(now), INVITATION_VALID)
    if erased:
        log.info("%s participants or invitations erased (AVG)", erased)
    return erased


def erase_identity(store: Store, identity: str) -> int:
    """Erase everything this module keeps about a person (for `privacy erase`)."""
    return store.erase_participation(identity)


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
    """'Namens ...' and the contact person, under every message to participants.

    The owner is named as they gave their name in the plan, never by the name their channel
    knows them by (a terminal's login, a chat account): that is no name for residents."""
    plan = _plan(record)
    # an owner whose data was erased ('gewist') is named no more, though the answers keep it
    owner = _given(plan.eigenaar_naam) if record.owner != GEWIST else None
    namen = (owner, _given(plan.initiatiefnemer))
    namens = ", ".join(dict.fromkeys(x for x in namen if x))
    gemeente = _profile(settings, record).naam
    lines = [MAIL["signature"].format(namens=namens or MAIL["signature_nobody"], gemeente=gemeente)]
    contact = _contact(plan)
    if contact:
        lines.append(MAIL["signature_contact"].format(contact=contact))
    return "\n".join(lines)


def _given(value: str | None) -> str | None:
    """A name as the plan gives it; None for an open answer or one erased ('gewist')."""
    if onbekend(value) or value is None or value.strip() == GEWIST:
        return None
    return " ".join(value.split())


def _contact(plan: Plan) -> str | None:
    naam = plan.contactpersoon
    if naam and plan.accounthouder_email:
        return f"{naam} ({plan.accounthouder_email})"
    return naam or plan.accounthouder_email or plan.eigenaar_email


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
        text += "\n" + MAIL["stop_chat"].format(code=code)
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
    update_id = store.add_plan_update(record.id, text, sender, automatic, now)
    titel = title_of(record)
    gemeente = _profile(settings, record).naam
    body = MAIL["update"].format(titel=titel, gemeente=gemeente, tekst=text.strip())
    subject = MAIL["update_subject"].format(titel=titel)
    notice = Notice(body, kind="update", dedupe=f"u:{update_id}", subject=subject)
    return tell_participants(store, settings, record, notice, now)


@dataclass(frozen=True)
class Notice:
    """What every participant of a plan is told. `body` may be made per participant (a
    personal link); `dedupe` gets ':<identity>' for each; `ref` names the reminder."""

    body: str | Callable[[ParticipantInfo], str]
    kind: str
    dedupe: str
    subject: str
    ref: str | None = None


def tell_participants(
    store: Store, settings: Settings, record: PlanRecord, notice: Notice, now: datetime
) -> int:
    """Tell every active participant of the plan: the messages are stored in the outbox.
    Returns how many."""
    messages = messages_to_participants(store, settings, record, notice)
    delivery.enqueue(store, messages, now)
    return len(messages)


def messages_to_participants(
    store: Store, settings: Settings, record: PlanRecord, notice: Notice
) -> list[Message]:
    """One signed message to each active participant of the plan, with the way to stop on
    their own channel."""
    code = invitation_code(store, record.id)  # made on first use, with or without anyone
    people = participants(store, record.id)
    if not people:
        return []
    sig = signature(store, settings, record)
    body = notice.body
    return [
        participant_message(
            settings,
            record,
            p,
            body(p) if callable(body) else body,
            kind=notice.kind,
            dedupe=f"{notice.dedupe}:{p.identity}",
            subject=notice.subject,
            sig=sig,
            code=code,
            ref=notice.ref,
        )
        for p in people
    ]


def last_update(store: Store, plan_id: str) -> datetime | None:
    return store.last_plan_update(plan_id)


def pending_invitations(store: Store, plan_id: str) -> int:
    """Invitations of the plan that wait for a yes."""
    return store.count_invited(plan_id)


def invite_emails(
    store: Store,
    settings: Settings,
    record: PlanRecord,
    addresses: list[str],
    now: datetime,
    *,
    public: bool = False,
) -> Invitations:
    """Invite addresses by e-mail: each gets a consent link; not confirmed in 14 days: erased.

    Limited per address a day, in invitations waiting per plan and, when asked through the
    plan's public code (`public`), per plan a day."""
    now = now.astimezone(UTC)
    day = _today(now)
    titel = title_of(record)
    gemeente = _profile(settings, record).naam
    pending = pending_invitations(store, record.id)
    messages = []
    refused: list[str] = []
    for address in addresses:
        identity = f"email:{address}"
        status = store.participant_status(record.id, identity)
        if status == "active":
            continue
        if status is None and pending >= MAX_PENDING_INVITES:
            refused.append(TEXTS["limit_pending"].format(n=MAX_PENDING_INVITES))
            break
        if public and not store.count_within(f"volg:{record.id}", day, INVITES_PER_CODE_PER_DAY):
            refused.append(TEXTS["limit_code"])
            break
        if not store.count_within(
            privacy.address_count_key(settings, address), day, INVITES_PER_ADDRESS_PER_DAY
        ):
            refused.append(TEXTS["limit_address"].format(adres=address))
            continue
        pid, new = store.invite_participant(
            record.id, identity, now, _today(now + INVITATION_VALID)
        )
        pending += new
        link = consent_url(settings, pid, now + INVITATION_VALID)
        mail = "confirm_request" if public else "invitation"
        text = MAIL[mail].format(
            titel=titel,
            gemeente=gemeente,
            link=link,
            ondertekening=signature(store, settings, record),
        )
        messages.append(
            Message(
                identity=identity,
                text=text,
                kind="invitation",
                plan_id=record.id,
                dedupe=f"i:{pid}:{int(now.timestamp())}",
                subject=MAIL[f"{mail}_subject"].format(titel=titel),
                unsubscribe_url=unsubscribe_url(settings, record.id, identity, _today(now)),
                daytime=False,
            )
        )
    delivery.enqueue(store, messages, now)
    return Invitations(len(messages), refused)


# ---------------------------------------------------------------------- chat
async def handle(
    engine: Engine, visit: Visit, text: str, naam: str | None = None
) -> list[Reply] | None:
    """The engine's handler: a reply when the message is ours, None to let the interview go on.
    `visit` is what the engine read about the sender (Store.visit)."""
    store, settings, identity = engine.store, engine.settings, visit.identity
    blocked, following = visit.blocked, visit.following
    if blocked:
        delivery.unblock(store, identity)  # who writes to the bot has not blocked it (any more)
    command = engine.parse_command(text) if isinstance(text, str) else None
    if command is None or command[0] not in COMMANDS | {"start"}:
        if following and command is None and isinstance(text, str) and text.strip():
            if _says_stop(text) and not store.plans(owner=identity):
                return _unsubscribe(store, identity, "")
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
    if cmd == "erase":
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


# --- 'verwijder', a participant erases what is kept about them --------------------
ERASE_TEXTS = load_texts("participants", "erase")


def _erase(store: Store, settings: Settings, identity: str, arg: str) -> list[Reply] | None:
    if store.plans(owner=identity):
        # an owner in an interview may answer with this word; 'verwijder 2' edits a list
        if arg.strip() or _has_interview(store, identity):
            return None
        return [Reply(ERASE_TEXTS["owner"])]
    answer = arg.strip().lower()
    kept = store.find_person(identity) is not None
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


# ---


STOP_WORDS = frozenset(
    word for words in messages("participants")["stop_words"].values() for word in words
)


def _says_stop(text: str) -> bool:
    """'Stop!', 'stop maar', 'geen berichten meer': the whole message asks for no more news."""
    said = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
    return said in STOP_WORDS


def _has_interview(store: Store, identity: str) -> bool:
    """A plan still being written, whose interview may take 'verwijder' as an answer."""
    return any(p.status in UNFINISHED for p in store.plans(owner=identity))


def _owner_plan(store: Store, identity: str) -> PlanRecord | None:
    """The owner's plan in uitvoering: the one they work on now, else the latest."""
    plans = [p for p in store.plans(owner=identity) if p.status in ACTIVE]
    if not plans:
        return None
    person = store.find_person(identity)
    active = person.active_plan_id if person else None
    return next((p for p in plans if p.id == active), plans[-1])


def set_followup(store: Store, plan_id: str, **values: Any) -> None:
    followup(store, plan_id)
    store.set_followup(plan_id, **values)


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
    titel = title_of(record)
    if record.status not in ACTIVE:
        return [Reply(TEXTS["not_open"].format(titel=titel))]
    if delivery.channel_of(identity) not in (*delivery.CHAT_CHANNELS, "email"):
        # the web chat and the terminal cannot bring news by themselves: follow by mail
        link = join_url(settings, code)
        return [Reply(TEXTS["follow_by_mail"].format(titel=titel, link=link))]
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
    titels = ", ".join(title_of(r) for r in (store.plan(i) for i in left) if r)
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
                    titel=title_of(record),
                    gemeente=_profile(settings, record).naam,
                    sinds=sinds,
                    tot=datum_tekst(p.keep_until),
                )
            )
        else:
            lines.append(
                TEXTS["mydata_invited"].format(
                    titel=title_of(record), tot=datum_tekst(p.keep_until)
                )
            )
    person = store.find_person(identity)
    if person is not None:
        lines.append(TEXTS["mydata_person"].format(naam=person.naam or "-", taal=person.lang))
    plans = store.plans(owner=identity)
    if plans:
        lines.append(TEXTS["mydata_plans"].format(plannen=", ".join(title_of(p) for p in plans)))
        # what the person typed about themselves into the plan is kept too, with the plan
        own = {
            str(v).strip()
            for p in plans
            for v in (p.data.get("eigenaar_naam"), p.data.get("eigenaar_email"))
            if v and str(v).strip() and str(v).strip() != "gewist"
        }
        if own:
            lines.append(TEXTS["mydata_in_plans"].format(wat=", ".join(sorted(own))))
    if len(lines) == 1:
        return TEXTS["mydata_none"]
    if followed(store, identity):
        lines.append(TEXTS["mydata_footer"])
    return "\n".join(lines)


def _update_reply(record: PlanRecord, n: int) -> str:
    key = "update_queued" if n else "update_nobody"
    return counted(TEXTS, key, n).format(titel=title_of(record), n=n)


def _update(
    store: Store, settings: Settings, record: PlanRecord, identity: str, arg: str, now: datetime
) -> list[Reply]:
    word = arg.strip().lower()
    if word == "automatisch":
        set_followup(store, record.id, auto_status=True)
        return [Reply(TEXTS["auto_on"].format(titel=title_of(record)))]
    if word == "handmatig":
        set_followup(store, record.id, auto_status=False)
        return [Reply(TEXTS["auto_off"])]
    if not word:
        n = len(participants(store, record.id))
        return [Reply(TEXTS["update_how"].format(titel=title_of(record), n=n))]
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
        n = len(participants(store, record.id))
        text = counted(TEXTS, "invite_info", n).format(
            titel=title_of(record),
            code=code,
            link=link,
            telegram=TEXTS["invite_telegram"].format(link=tg) if tg else "",
            n=n,
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
    done = invite_emails(store, settings, record, addresses, now)
    invited = counted(TEXTS, "invited", done.sent).format(n=done.sent)
    lines = [invited] if done.sent or not done.refused else []
    return [Reply("\n".join(lines + done.refused))]


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
    titel = title_of(record)
    if to is None:
        contact = _contact(_plan(record))
        extra = MAIL["reply_contact"].format(contact=contact) if contact else ""
        return [Reply(TEXTS["forward_nobody"].format(titel=titel, contact=extra))]
    who = active[0].naam or naam or MAIL["reply_someone"]
    now = settings.clock()
    body = MAIL["reply"].format(wie=who, titel=titel, tekst=text)
    delivery.enqueue(
        store,
        [
            Message(
                identity=to,
                text=body,
                kind="reply",
                plan_id=record.id,
                dedupe=f"f:{uuid.uuid4().hex}",
                subject=MAIL["reply_subject"].format(titel=titel),
                daytime=False,
            )
        ],
        now,
    )
    return [Reply(TEXTS["forwarded"].format(titel=titel))]


# ---------------------------------------------------------------------- the links in mail
def read_consent_link(
    store: Store, settings: Settings, token: str, now: datetime
) -> tuple[ParticipantInfo, PlanRecord] | None:
    """The invitation and plan a consent link is for; None when forged, expired or erased."""
    try:
        payload = signing.verify(_token_key(settings), "deelnemen", token, now)
    except signing.BadToken:
        return None
    n = payload.get("n")
    info = store.participant(n) if isinstance(n, int) else None
    record = store.plan(info.plan_id) if info else None
    return (info, record) if info and record else None


def consent_text(settings: Settings, record: PlanRecord, now: datetime) -> str:
    """What is kept, why and until when, as the consent page says it."""
    until = keep_until(_plan(record), _today(now))
    text = TEXTS["consent"].format(
        titel=title_of(record),
        gemeente=_profile(settings, record).naam,
        wat=TEXTS["wat_email"],
        tot=datum_tekst(until),
    )
    return text.replace(MAIL["consent_chat_stop"], MAIL["consent_mail_stop"])


def read_unsubscribe_link(settings: Settings, token: str, now: datetime) -> tuple[str, str] | None:
    """(plan id, identity) of an unsubscribe link; None when forged or expired."""
    try:
        payload = signing.verify(_token_key(settings), "afmelden", token, now)
    except signing.BadToken:
        return None
    return str(payload.get("p")), str(payload.get("i"))


def unsubscribe(store: Store, plan_id: str, identity: str) -> None:
    """The unsubscribe link was used: no more messages of this plan to this person (an owner
    who gets reminders by mail stops getting them)."""
    leave(store, identity, plan_id)
    record = store.plan(plan_id)
    if record is not None and owner_recipient(store, record) == identity:
        set_followup(store, plan_id, owner_mail_off=True)


# The words this module answers; an owner typing one of them mid-interview gives an answer.
WORDS = (
    Command("update", ("update",), takes_argument=True),
    # 'volg K7P3QX9M ja'; 'volg de route langs de school' is an answer
    Command("follow", ("volg", "follow"), takes_argument=True, argument=CODE_ARGUMENT),
    Command("unsubscribe", ("afmelden", "unsubscribe"), takes_argument=True),
    Command("mydata", ("mijngegevens", "mydata")),
    Command("invite", ("uitnodigen", "invite"), takes_argument=True),
    Command("send_proposal", ("verstuur",)),
    Command("erase", ("verwijder", "erase"), takes_argument=True),  # 'verwijder ja' confirms
)


COMMANDS = {c.name for c in WORDS}


def register(registry: Registry) -> None:
    registry.command(*WORDS)
    registry.handler(handle)
