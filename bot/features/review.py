"""The advisor's side of a plan: submitting it, the mail to the advisor, the review, vaststelling.

Channel-neutral: the engine calls `submit` for the chat command 'indienen' and `reopen_pending`
when the owner comes back; the web pages (bot/web.py) and the CLI call the rest.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from bot.engine.conversation import Conversation, Question, load_conversation, render_text
from bot.engine.display import answer_shown, with_remark
from bot.engine.registry import Command, Registry
from bot.engine.texts import load_texts, messages
from bot.engine.types import Reply
from bot.mail import Delivery, Outbox, prepare, sender
from bot.rendering import environment
from bot.settings import AMSTERDAM, Settings
from bot.signing import BadToken, secret_key, sign, verify, webchat_link
from bot.storage import PlanRecord, Store
from bot.storage.lifecycle import Lifecycle, NewMail, Version
from handreiking import documents, lifecycle, openbaar, pdf, rules
from handreiking.formatting import soort_en_naam
from handreiking.lifecycle import LABELS, Status
from handreiking.models import Activiteit, Plan, Stand
from handreiking.profiles import Profile, profile_for, profile_or_default

log = logging.getLogger(__name__)

LINK_PURPOSE = "adviseur"
LINK_LIFETIME = timedelta(days=30)
DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
# the gemeente decides which rules apply: changing it is not what a review asks
NOT_REOPENED = {"gemeente"}

__all__ = ["BadToken", "Refused", "submit", "reopen_pending", "record_review", "vaststellen"]


class Refused(Exception):
    """A step the person cannot take now; the message is plain Dutch (or English) for them."""


# ---------------------------------------------------------------- texts


def _pdf_texts(lang: str = "nl") -> dict[str, str]:
    return load_texts("pdf", lang=lang)


def t(key: str, lang: str = "nl", **params: Any) -> str:
    """The text `key` of templates/messages/lifecycle.yaml in `lang`, {params} filled in."""
    entry = messages("lifecycle")[key]
    text = entry.get(lang) or entry["nl"]
    return text.format(**params) if params else text


def render_mail(name: str, **context: Any) -> str:
    """A mail text from templates/mail/ (HTML ones autoescaped)."""
    return environment().get_template(name).render(**context)


def datum(d: date) -> str:
    return documents.datum(d) or ""


# ---------------------------------------------------------------- gemeente, advisors, links


def profile_of(settings: Settings, gemeente: str | None) -> Profile:
    return profile_or_default(gemeente, settings.profiles_dir)


def advisor_addresses(settings: Settings, profile: Profile) -> list[str]:
    """PARTICIPATIEBOT_ADVISOR_EMAIL (comma-separated) wins over the profile's `adviseurs`."""
    if settings.advisor_email:
        return [a.strip() for a in settings.advisor_email.split(",") if a.strip()]
    return list(profile.adviseurs)


def is_advisor(settings: Settings, email: str, gemeente: str) -> bool:
    wanted = email.strip().lower()
    addresses = advisor_addresses(settings, profile_of(settings, gemeente))
    return any(a.lower() == wanted for a in addresses)


def advisor_token(
    settings: Settings,
    email: str,
    gemeente: str,
    plan_id: str,
    lifetime: timedelta = LINK_LIFETIME,
) -> tuple[str, datetime]:
    """A signed token for an advisor of one gemeente that opens one plan, and when it expires."""
    expires = settings.clock() + lifetime
    key = secret_key(settings.data_dir)
    payload = {"e": email, "g": gemeente, "p": plan_id}
    return sign(key, LINK_PURPOSE, payload, expires), expires


def read_advisor_token(settings: Settings, token: str) -> tuple[str, str, str]:
    """(email, gemeente, plan id) of a genuine, unexpired advisor token; BadToken otherwise.

    A token without a plan (made before links were bound to one plan) opens nothing."""
    payload = verify(secret_key(settings.data_dir), LINK_PURPOSE, token, settings.clock())
    email, gemeente, plan_id = payload.get("e"), payload.get("g"), payload.get("p")
    if not (isinstance(email, str) and isinstance(gemeente, str) and isinstance(plan_id, str)):
        raise BadToken("damaged")
    return email, gemeente, plan_id


def review_url(settings: Settings, plan_id: str, token: str) -> str:
    return f"{settings.public_url.rstrip('/')}/adviseur/plannen/{plan_id}?token={token}"


# ---------------------------------------------------------------- the plan by section


@dataclass
class Item:
    key: str
    label: str
    value: str
    changed: bool = False


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(i.changed for i in self.items)


def _scope(plan: Plan, profile: Profile) -> dict[str, Any]:
    scope = plan.model_dump(mode="json")
    scope.update(complex=plan.complex, profile=profile, item={})
    return scope


def _applicable(conversation: Conversation, plan: Plan, profile: Profile) -> list[Question]:
    scope = _scope(plan, profile)
    return [
        q for q in conversation.questions if q.key not in profile.vragen_uit and q.applies(scope)
    ]


# what the chat says to the one answering, not to the one reading the answers
_CHAT_ONLY = (" (mag je overslaan)", " (you may skip)")


def _label(q: Question, scope: dict[str, Any], lang: str) -> str:
    texts = q.label or q.prompt
    source = texts.get(lang) or texts["nl"]
    label = render_text(source, scope) if "{" in source else source
    for said in _CHAT_ONLY:
        label = label.replace(said, "")
    return label


def plan_sections(
    data: dict[str, Any],
    profile: Profile,
    previous: dict[str, Any] | None = None,
    lang: str = "nl",
    conversation: Conversation | None = None,
) -> list[Section]:
    """The answers grouped by the interview's sections, marked where they differ from
    `previous` (the version the advisor saw last)."""
    conversation = conversation or load_conversation()
    plan = Plan.model_validate(data)
    scope = _scope(plan, profile)
    sections: dict[str, Section] = {}
    for q in _applicable(conversation, plan, profile):
        key = q.section or "overig"
        if key not in sections:
            names = conversation.sections.get(key, {})
            sections[key] = Section(key, names.get(lang) or names.get("nl") or key)
        changed = previous is not None and previous.get(q.key) != data.get(q.key)
        value = with_remark(q, answer_shown(q, data, profile, lang), data)
        sections[key].items.append(Item(q.key, _label(q, scope, lang), value, changed))
    return list(sections.values())


def reopen_keys(
    data: dict[str, Any],
    profile: Profile,
    sections: set[str] | list[str],
    conversation: Conversation | None = None,
) -> list[str]:
    """The questions of the given sections that the owner answers again."""
    conversation = conversation or load_conversation()
    plan = Plan.model_validate(data)
    return [
        q.key
        for q in _applicable(conversation, plan, profile)
        if q.section in set(sections) and q.key not in NOT_REOPENED
    ]


def _summary(plan: Plan, profile: Profile) -> list[tuple[str, str]]:
    """The opgave in a few lines, for the advisor's mail."""
    rows: list[tuple[str, str]] = []

    def add(label: str, value: Any) -> None:
        if value not in (None, "", []):
            rows.append((label, str(value)))

    add("Gemeente", profile.naam)
    if plan.initiatiefnemer:
        soort = f" ({plan.initiatiefnemer_type.value})" if plan.initiatiefnemer_type else ""
        add("Initiatiefnemer", f"{plan.initiatiefnemer}{soort}")
    add("Wie beslist", plan.beslisser.value if plan.beslisser else None)
    if plan.beslisser:
        add("Complexe opgave", "ja" if plan.complex else "nee")
    add("De opgave", plan.opgave)
    add("Ruimte voor participatie", plan.ruimte)
    add("Niveau", profile.niveau_label(plan.niveau) if plan.niveau else None)
    add("Doel", ", ".join(d.value for d in plan.doelen))
    add("Besluit", datum(plan.besluitdatum) if plan.besluitdatum else None)
    if plan.activiteiten:
        # 'anders' says nothing to the advisor: what it is, and when
        add("Activiteiten", "; ".join(_activiteit(a) for a in plan.activiteiten))
    return rows


def _activiteit(a: Activiteit) -> str:
    """'bijeenkomst: Inloopavond (14 januari 2027)'."""
    naam = soort_en_naam(a.type.value, a.omschrijving)
    if naam.startswith("anders: "):
        naam = naam.removeprefix("anders: ")
    wanneer = a.periode and f"{datum(a.periode.van)} – {datum(a.periode.tot)}"
    wanneer = wanneer or (a.datum and datum(a.datum))
    return f"{naam} ({wanneer})" if wanneer else naam


def _changes(sections: list[Section]) -> list[str]:
    return [f"{s.title}: {i.label}" for s in sections for i in s.items if i.changed]


# ---------------------------------------------------------------- submitting


@dataclass
class SubmitResult:
    version: Version
    recipients: list[str]
    deliveries: list[Delivery]
    text: str  # what the owner is told
    public: Path | None = None  # the public version, sent to the owner with the text
    pending: list[Future[list[Path]]] = field(default_factory=list)  # its PDF, being made

    @property
    def reply(self) -> Reply:
        """What the owner gets in the chat: the text, the public version, its PDF after."""
        if self.public is None:
            return Reply(self.text, kind="info")
        texts = _pdf_texts()
        text = f"{self.text}\n{texts['submitted']}"
        if pdf.coming(self.pending):
            text += f" {texts['follows']}"
        return Reply(text, kind="info", documents=[self.public], pending=self.pending)


def _submit_mail(
    settings: Settings,
    record: PlanRecord,
    plan: Plan,
    profile: Profile,
    findings: list[rules.Finding],
    nr: int,
    previous: Version | None,
    to: str,
    attachments: list[Path],
    eigenaar: str,
) -> EmailMessage:
    token, expires = advisor_token(settings, to, record.gemeente or profile.key, record.id)
    sections = plan_sections(record.data, profile, previous.data if previous else None)
    context = {
        "eigenaar": eigenaar,
        "contact": plan.eigenaar_email,
        "titel": " ".join((plan.titel or "(nog zonder naam)").split()),
        "plan_id": record.id,
        "gemeente": profile.naam,
        "versie": nr,
        "vorige": previous.nr if previous else None,
        "link": review_url(settings, record.id, token),
        "geldig_tot": datum(expires.astimezone(AMSTERDAM).date()),
        "samenvatting": _summary(plan, profile),
        "wijzigingen": _changes(sections) if previous is not None else [],
        "bevindingen": [f for f in findings if not f.afwijking],
        "afwijkingen": [f for f in findings if f.afwijking],
        "privacy": openbaar.check(plan, profile),
        "documenten": [p.name for p in attachments],
    }
    msg = EmailMessage()
    again = "opnieuw ingediend" if previous else "ingediend"
    msg["Subject"] = f"Participatieplan {again}: {context['titel']} ({record.id}, versie {nr})"
    msg["From"] = sender(settings.mail_from)
    msg["To"] = to
    msg["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    msg.set_content(render_mail("ingediend.txt", **context))
    msg.add_alternative(render_mail("ingediend.html", **context), subtype="html")
    for path in attachments:
        msg.add_attachment(path.read_bytes(), maintype=DOCX[0], subtype=DOCX[1], filename=path.name)
    return msg


def _render_all(
    settings: Settings, record: PlanRecord, plan: Plan, profile: Profile, findings, stand: Stand
) -> list[Path]:
    """The plan's documents and, last, its public version."""
    out_dir = settings.plans_dir / record.id
    dirs = settings.template_dirs(plan.gemeente)
    paths = documents.render_documents(plan, profile, findings, out_dir, dirs, stand=stand)
    paths.append(openbaar.render_openbaar(plan, profile, findings, out_dir, dirs, stand=stand))
    return paths


async def submit(
    settings: Settings, store: Store, plan_id: str, who: str, *, lang: str = "nl"
) -> SubmitResult:
    """The owner submits the plan: documents made, version frozen, advisors mailed.

    Raises Refused (with a message for the owner) when that cannot happen now.
    """
    record = store.plan(plan_id)
    if record is None or record.owner != who:
        raise Refused(t("refused_not_owner", lang))
    state = store.state(who, plan_id)
    finished = state.get("mode") == "complete"
    if record.status == Status.aanpassen_gevraagd and not finished:
        raise Refused(t("refused_reopened", lang))
    if record.status in (Status.concept, Status.compleet) and not finished:
        raise Refused(t("refused_not_finished", lang))
    if not lifecycle.is_submittable(record.status):
        raise Refused(t("refused_status", lang, status=LABELS[Status(record.status)]))
    profile = profile_for(record.data, settings.profiles_dir)
    to = advisor_addresses(settings, profile)
    if not to:
        raise Refused(t("refused_no_advisor", lang, gemeente=profile.naam))

    plan = Plan.model_validate(record.data)
    findings = rules.check(plan, profile, settings.today())
    lc = Lifecycle(store)
    versions = lc.versions(plan_id)
    nr = versions[-1].nr + 1 if versions else 1
    stand = Stand(datum=settings.today(), versie=nr, status=Status.ingediend.value)
    try:
        # the public version's PDF is made in the background and follows the reply
        with pdf.later() as pending:
            paths = _render_all(settings, record, plan, profile, findings, stand)
    except documents.DocumentError as e:
        raise Refused(t("refused_documents", lang, error=str(e))) from None

    previous = next((v for v in reversed(versions) if v.reason == "ingediend"), None)
    # the name the owner gave in the interview; a channel's login ('root') is a last resort
    eigenaar = documents.eigenaar_tekst(plan) or store.person(who).naam or who
    mails = [
        prepare(
            _submit_mail(
                settings, record, plan, profile, findings, nr, previous, a, paths, eigenaar
            ),
            settings.mail_from,
        )
        for a in to
    ]
    try:
        version, ids = lc.submit(plan_id, who, data=record.data, mails=mails)
    except lifecycle.TransitionError as e:
        raise Refused(str(e)) from None

    outbox = Outbox(settings, store)
    deliveries = [d for i in ids if (d := await outbox.deliver(i))]
    emls = [str(d.eml_path) for d in deliveries if d.eml_path]
    if emls:
        text = t("submit_eml", lang, adressen=", ".join(to), paden=", ".join(emls))
    elif deliveries and all(d.sent for d in deliveries):
        text = t("submit_sent", lang, gemeente=profile.naam, adressen=", ".join(to))
    else:
        text = t("submit_queued", lang)
    return SubmitResult(version, to, deliveries, text, paths[-1], pending)


# ---------------------------------------------------------------- after the review


def reopen_pending(
    store: Store,
    conversation: Conversation,
    record: PlanRecord,
    identity: str,
    state: dict[str, Any],
    profile: Profile,
    lang: str = "nl",
) -> bool:
    """When the advisor asked for changes the owner has not seen yet: take the questions of
    those sections out of the answered ones and leave a notice to show first.

    Changes `state` in place; True when it did. Idempotent: the review's version number is
    kept in the state, so a turn that is not saved simply applies it again.
    """
    if record.status != Status.aanpassen_gevraagd or record.owner != identity:
        return False
    review = Lifecycle(store).review(record.id)
    if review is None or state.get("review_applied") == review.version_nr:
        return False
    asked = review.aanpassen
    keys = reopen_keys(record.data, profile, set(asked), conversation)
    for name in ("done", "skipped", "history"):
        state[name] = [k for k in state.get(name, []) if k not in keys]
    for name in ("mode", "editing", "item", "confirm", "return_summary"):
        state.pop(name, None)
    state["review_applied"] = review.version_nr
    state["reopened"] = keys
    titles = {s.key: s.title for s in plan_sections(record.data, profile, None, lang)}
    punten = "\n".join(
        t("review_point", lang, onderdeel=titles.get(k, k), opmerking=v.comment or "-")
        for k, v in asked.items()
    )
    state["review_notice"] = t(
        "review_notice",
        lang,
        gemeente=profile.naam,
        titel=record.data.get("titel") or record.id,
        punten=punten,
    )
    return True


def _owner_mail(
    settings: Settings,
    record: PlanRecord,
    profile: Profile,
    version_nr: int,
    verdicts: dict[str, tuple[str, str | None]],
    target: Status,
) -> list[NewMail]:
    to = record.data.get("eigenaar_email")
    if not to or "@" not in to:  # none given, or erased ('gewist' in the frozen version)
        return []
    titles = {s.key: s.title for s in plan_sections(record.data, profile)}
    plan = Plan.model_validate(record.data)
    context = {
        "gemeente": profile.naam,
        "titel": " ".join(str(record.data.get("titel") or record.id).split()),
        "plan_id": record.id,
        "versie": version_nr,
        "aanpassen": [
            (titles.get(k, k), c or "-") for k, (v, c) in verdicts.items() if v == "aanpassen"
        ],
        "akkoord": [titles.get(k, k) for k, (v, _) in verdicts.items() if v == "akkoord"],
        "volgende_stap": lifecycle.next_step(target, complex=plan.complex),
        # an owner in the web chat goes on through a link: the chat lives in one browser
        "link": webchat_link(
            secret_key(settings.data_dir), settings.public_url, record.owner, settings.clock()
        ),
    }
    msg = EmailMessage()
    msg["Subject"] = t("review_mail_subject", titel=context["titel"], id=record.id)
    msg["From"] = sender(settings.mail_from)
    msg["To"] = to
    msg["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    msg.set_content(render_mail("beoordeeld.txt", **context))
    return [prepare(msg, settings.mail_from)]


def record_review(
    settings: Settings,
    store: Store,
    plan_id: str,
    version_nr: int,
    verdicts: dict[str, tuple[str, str | None]],
    reviewer: str,
) -> tuple[Status, list[int]]:
    """The advisor's 'verstuur': a verdict per section; the owner is mailed when they gave an
    address. Returns the new status and the ids of the mails in the outbox."""
    record = store.plan(plan_id)
    if record is None:
        raise Refused("Dit plan bestaat niet (meer).")
    profile = profile_for(record.data, settings.profiles_dir)
    target = lifecycle.review_outcome({k: v for k, (v, _) in verdicts.items()})
    # the owner hears about the version the advisor saw, not about later edits
    version = Lifecycle(store).latest(plan_id, "ingediend")
    seen = replace(record, data=version.data) if version else record
    mails = _owner_mail(settings, seen, profile, version_nr, verdicts, target)
    try:
        outcome = Lifecycle(store).record_review(plan_id, version_nr, verdicts, reviewer, mails)
    except lifecycle.TransitionError as e:
        raise Refused(str(e)) from None
    _tell_owner_in_chat(settings, store, seen, profile, version_nr, verdicts)
    return outcome


def _tell_owner_in_chat(
    settings: Settings,
    store: Store,
    record: PlanRecord,
    profile: Profile,
    version_nr: int,
    verdicts: dict[str, tuple[str, str | None]],
) -> None:
    """An owner on Telegram, Slack or Teams hears at once, in their own chat, what the advisor
    asked."""
    from bot import delivery

    if delivery.channel_of(record.owner) not in delivery.CHAT_CHANNELS:
        return  # the console has no way to push; the notice shows at the next 'chat'
    titles = {s.key: s.title for s in plan_sections(record.data, profile)}
    asked = [(titles.get(k, k), c) for k, (v, c) in verdicts.items() if v == "aanpassen"]
    titel = record.data.get("titel") or record.id
    if asked:
        lines = [t("advisor_asks", gemeente=profile.naam, titel=titel)]
        lines += [
            t("advisor_asks_point", onderdeel=name, opmerking=comment or "-")
            for name, comment in asked
        ]
        lines.append(t("advisor_asks_end"))
    else:
        lines = [t("advisor_agrees", gemeente=profile.naam, titel=titel)]
    message = delivery.Message(
        identity=record.owner,
        text="\n".join(lines),
        kind="notice",
        plan_id=record.id,
        dedupe=f"review:{record.id}:{version_nr}",
        daytime=False,
    )
    delivery.enqueue(store, [message], settings.clock())


def vaststellen(
    settings: Settings,
    store: Store,
    plan_id: str,
    datum_: date,
    besluit: str | None,
    who: str,
) -> Version:
    """Record that college or raad adopted the plan; freeze the approved version and write its
    public version, `participatieplan-openbaar.docx`, for publication."""
    record = store.plan(plan_id)
    if record is None:
        raise Refused(f"Plan '{plan_id}' bestaat niet.")
    try:
        version = Lifecycle(store).vaststellen(
            plan_id, datum_, (besluit or "").strip() or None, who
        )
    except lifecycle.TransitionError as e:
        raise Refused(str(e)) from None
    profile = profile_for(record.data, settings.profiles_dir)
    plan = Plan.model_validate(version.data)
    findings = rules.check(plan, profile, settings.today())
    stand = Stand(
        datum=settings.today(),
        versie=adopted_nr(store, version),
        status=Status.vastgesteld.value,
        vastgesteld_op=version.besluit_datum or datum_,
        besluit=version.besluit,
    )
    try:
        # the advisor's page answers at once; the PDF for publication follows in the background.
        # The plan and the planomschrijving are what college or raad adopted: their front page
        # says so too, not 'Ingediend bij de gemeente'
        with pdf.later():
            _render_all(settings, record, plan, profile, findings, stand)
    except documents.DocumentError:
        # the vaststelling stands; the public version can be made again once the template works
        log.exception("public version of %s not written", plan_id)
    _tell_owner_adopted(settings, store, record, version.besluit_datum or datum_)
    return version


def adopted_nr(store: Store, adopted: Version) -> int:
    """The number of the adopted version as its readers know it: the one handed in that the
    advisor approved ('versie 1'), not the number of the vaststelling's frozen copy of it,
    which nobody was shown."""
    approved = Lifecycle(store).latest(adopted.plan_id, "ingediend")
    return approved.nr if approved and approved.nr < adopted.nr else adopted.nr


def _tell_owner_adopted(settings: Settings, store: Store, record: PlanRecord, on: date) -> None:
    """The owner hears that the plan was adopted and what to do now, in their chat or by mail
    (an owner in the web chat or the terminal gets the mail, with a link back for the web)."""
    from bot import delivery
    from bot.features import participants

    to = participants.owner_recipient(store, record)
    if to is None:
        return
    titel = " ".join(str(record.data.get("titel") or record.id).split())
    code = participants.invitation_code(store, record.id)
    text = t(
        "adopted_owner",
        titel=titel,
        datum=datum(on),
        verder=participants.way_back(settings, record),
        pagina=participants.public_page(settings, code),
    )
    if to.startswith("email:"):  # a letter, as the advisor's mails are; a chat needs none
        text = t("adopted_mail", text=text)
    message = delivery.Message(
        identity=to,
        text=text,
        kind="notice",
        plan_id=record.id,
        dedupe=f"vastgesteld:{record.id}",
        subject=t("adopted_subject", titel=titel),
        daytime=False,
    )
    delivery.enqueue(store, [message], settings.clock())


def start_uitvoering(settings: Settings, store: Store, plan_id: str, who: str) -> None:
    """Participation starts: after vaststelling, or right after akkoord for a simple plan."""
    try:
        Lifecycle(store).transition(plan_id, Status.in_uitvoering, who)
    except lifecycle.TransitionError as e:
        raise Refused(str(e)) from None


async def _submit_command(engine: Any, turn: Any, arg: str) -> list[Any]:
    """'indienen' in the chat: the reply says where the plan went, or why it cannot go yet."""
    try:
        result = await submit(
            engine.settings, engine.store, turn.record.id, turn.identity, lang=turn.lang
        )
    except Refused as e:
        turn.replies.append(Reply(str(e), kind="error"))
        engine.next_question(turn)
        engine.save(turn)
        return turn.replies
    # the turn's state is unchanged; saving it would only race with the new status
    turn.replies.append(result.reply)
    return turn.replies


def _reopen(engine: Any, turn: Any) -> None:
    reopen_pending(
        engine.store,
        engine.conversation,
        turn.record,
        turn.identity,
        turn.state,
        turn.profile,
        turn.lang,
    )


def register(registry: Registry) -> None:
    registry.command(Command("submit", ("indienen", "submit"), in_turn=_submit_command))
    registry.on_turn(_reopen)
