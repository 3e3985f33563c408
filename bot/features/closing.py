"""Closing a plan: where the Afronding and the closing steps of a plan are kept, and the besluit.

The Afronding (handreiking.afronding) lives in the plan's own data under the key 'afronding',
next to the interview's answers (the Plan model ignores it), so it goes when the plan goes.
The closing steps (when the rapportage went out, when the besluit was told, when personal data
was erased, and the counts that stay) are kept under 'afsluiting'.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from babel.lists import format_list

from bot.engine.registry import Command, Registry
from bot.engine.texts import counted, load_texts
from bot.features import participants
from bot.settings import Settings
from bot.storage import NotFound, PlanRecord, Store
from bot.storage.lifecycle import Lifecycle
from handreiking import lifecycle, pdf, projectgroep
from handreiking.afronding import (
    AFRONDING,
    AFSLUITING,
    NOG_NIET,
    Afronding,
    Besluit,
    InbrengItem,
    Stukken,
    afsluiting,
    lees_afronding,
    per_thema,
    stukken_van,
)
from handreiking.documents import datum
from handreiking.evaluatie import antwoorden
from handreiking.formatting import LOCALE
from handreiking.models import Plan
from handreiking.planning import MET_LIDWOORD
from handreiking.profiles import Profile, profile_for
from handreiking.understanding import PARTLY

TEXTS = load_texts("closing")
RAPPORTAGE_DOCX = "participatierapportage.docx"
PARAGRAAF_DOCX = "participatieparagraaf.docx"


def profile_of(settings: Settings, record: PlanRecord) -> Profile:
    return profile_for(record.data, settings.profiles_dir)


def load_afronding(record: PlanRecord) -> Afronding:
    """What is known about the closing of the plan; empty before `afronden`."""
    return lees_afronding(record.data)


def steps(record: PlanRecord) -> dict[str, Any]:
    """The closing steps taken so far (ISO date-times) and the counts that stay."""
    return afsluiting(record.data)


def update_data(store: Store, plan_id: str, key: str, value: Any) -> None:
    """Replace one key of the plan's data (the Afronding, the closing steps, evaluations)."""
    store.update_plan_data(plan_id, key, value)


def save_afronding(store: Store, plan_id: str, afronding: Afronding) -> None:
    update_data(store, plan_id, AFRONDING, afronding.model_dump(mode="json", exclude_none=True))


def record_step(store: Store, plan_id: str, **values: Any) -> None:
    """Add closing steps, e.g. besluit_gemeld=<ISO date-time>."""
    store.merge_plan_data(plan_id, AFSLUITING, values)


def stukken(store: Store, settings: Settings, plan_id: str) -> Stukken:
    """What the closing documents are made from: the frozen adopted version, else the plan."""
    record = store.plan(plan_id)
    if record is None:
        raise NotFound(plan_id)
    version = Lifecycle(store).latest(plan_id, "vastgesteld")
    return stukken_van(
        record.data,
        version.data if version else None,
        version.besluit_datum if version else None,
        profile_of(settings, record),
    )


def write_paragraaf(store: Store, settings: Settings, plan_id: str, out_dir: Path) -> Path:
    """participatieparagraaf.docx in out_dir, from the adopted plan and what is known now."""
    from handreiking.closing_documents import render_paragraaf

    record = store.plan(plan_id)
    if record is None:
        raise NotFound(plan_id)
    s = stukken(store, settings, plan_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    return render_paragraaf(
        s.vastgesteld,
        s.afronding,
        s.profile,
        out_dir / PARAGRAAF_DOCX,
        settings.template_dirs(record.gemeente),
        vandaag=settings.today(),
    )


def write_evaluatie(store: Store, settings: Settings, plan_id: str) -> Path:
    """evaluatie.docx in the plan's folder, from the participants' answers so far beside the
    project group's evaluation (written at `afronden`, and again after each filled-in form)."""
    from handreiking.closing_documents import render_evaluatie

    record = store.plan(plan_id)
    if record is None:
        raise NotFound(plan_id)
    s = stukken(store, settings, plan_id)
    out = settings.plans_dir / plan_id / "evaluatie.docx"
    out.parent.mkdir(parents=True, exist_ok=True)
    return render_evaluatie(
        s.vastgesteld,
        antwoorden(record.data),
        s.profile,
        out,
        settings.template_dirs(record.gemeente),
        evaluatie=s.afronding.projectgroep,
        vandaag=settings.today(),
    )


def write_rapportage(
    store: Store, settings: Settings, plan_id: str, tijdlijn: Path | None = None
) -> Path:
    """participatierapportage.docx (and its PDF for publication, see handreiking.documents)
    in the plan's folder, from the adopted plan and the Afronding as it stands."""
    from handreiking.closing_documents import render_rapportage

    record = store.plan(plan_id)
    if record is None:
        raise NotFound(plan_id)
    s = stukken(store, settings, plan_id)
    out_dir = settings.plans_dir / plan_id
    return render_rapportage(
        s.vastgesteld,
        s.actueel,
        s.afronding,
        s.profile,
        out_dir / RAPPORTAGE_DOCX,
        settings.template_dirs(record.gemeente),
        tijdlijn=tijdlijn,
        vastgesteld_op=s.vastgesteld_op,
        vandaag=settings.today(),
    )


def _rewrite_with_besluit(store: Store, settings: Settings, plan_id: str) -> list[Path]:
    """The documents already written that tell the besluit, written again with it: the
    rapportage (published beside the plan) and the paragraaf. Before 'afronden' there are none;
    the rapportage made then holds the besluit."""
    out_dir = settings.plans_dir / plan_id
    written = []
    if (out_dir / RAPPORTAGE_DOCX).is_file():
        png = out_dir / "tijdlijn.png"
        written.append(
            write_rapportage(store, settings, plan_id, tijdlijn=png if png.is_file() else None)
        )
    if (out_dir / PARAGRAAF_DOCX).is_file():
        written.append(write_paragraaf(store, settings, plan_id, out_dir))
    return written


def _verwerking_tekst(afronding: Afronding) -> str:
    """Per theme what was done with the input, for the message to participants."""
    lines = []
    for thema, items in per_thema(afronding):
        wat = thema.verwerking.value if thema.verwerking else NOG_NIET
        reden = TEXTS["verwerking_reden"].format(reden=thema.reden) if thema.reden else ""
        n = len(items)
        lines.append(
            TEXTS["verwerking_thema"].format(
                thema=thema.naam,
                n=n,
                reacties=TEXTS["verwerking_reactie" if n == 1 else "verwerking_reacties"],
                wat=wat,
                reden=reden,
            )
        )
    return "\n".join(lines)


def _clickable(link: str) -> str:
    """'heemstede.nl/raad' as typed is no link a mail program opens: with https:// it is."""
    link = link.strip()
    if "://" in link or " " in link or "." not in link.split("/")[0]:
        return link
    return f"https://{link}"


class BesluitVastgelegd(NamedTuple):
    """What recording the besluit did: messages stored for participants, documents rewritten."""

    deelnemers: int
    documenten: list[Path]


def record_besluit(
    store: Store, settings: Settings, plan_id: str, besluit: Besluit, now: datetime
) -> BesluitVastgelegd:
    """Store the besluit, write the documents that tell it again (the rapportage and the
    paragraaf, once there are), send the advisor the new rapportage, and tell every participant
    what was decided and how their input counted. The moment is kept: the retention period of
    the participants' personal data counts from it."""
    from bot.features.review import advisor_addresses
    from bot.mail import Outbox

    record = store.plan(plan_id)
    if record is None:
        raise NotFound(plan_id)
    afronding = load_afronding(record)
    afronding.besluit = besluit
    save_afronding(store, plan_id, afronding)
    documenten = _rewrite_with_besluit(store, settings, plan_id)
    titel = record.titel or f"plan {plan_id}"
    profile = profile_of(settings, record)
    body = TEXTS["besluit"].format(titel=titel, gemeente=profile.naam, **_besluit_woorden(besluit))
    verwerking = _verwerking_tekst(afronding)
    if verwerking:
        body += TEXTS["besluit_verwerking"].format(verwerking=verwerking)
    if afronding.afweging:
        body += TEXTS["besluit_afweging"].format(afweging=afronding.afweging)
    if besluit.link:
        body += TEXTS["besluit_link"].format(link=_clickable(besluit.link))
    key = uuid.uuid4().hex[:12]
    notice = participants.Notice(
        body,
        kind="notice",
        dedupe=f"besluit:{key}",
        subject=TEXTS["besluit_subject"].format(titel=titel),
    )
    n = participants.tell_participants(store, settings, record, notice, now)
    # the advisor got the rapportage at the close; the one that tells the besluit replaces it
    rapportage = [p for p in documenten if p.name == RAPPORTAGE_DOCX]
    adviseurs = advisor_addresses(settings, profile)
    if rapportage and adviseurs:
        mail = _advisor_mail(settings, record, adviseurs, rapportage, besluit)
        Outbox(settings, store).put(mail, plan_id)
    record_step(store, plan_id, besluit_gemeld=now.isoformat(), deelnemers_gemeld=n)
    return BesluitVastgelegd(n, documenten)


# ---------------------------------------------------------------------- the closing interview
CLOSABLE = lifecycle.RUNNING


def start(engine: Any, identity: str, naam: str | None) -> list[Any]:
    """'afronden': the owner's plan that is vastgesteld or in uitvoering gets its closing
    interview (conversations/afronden.yaml); one already under way goes on."""
    from bot.engine.types import Reply

    store = engine.store
    plans = [p for p in store.plans(owner=identity) if p.status in CLOSABLE]
    if not plans:
        return [Reply(TEXTS["none"])]
    person = store.person(identity, naam)
    record = next((p for p in plans if p.id == person.active_plan_id), plans[-1])
    return engine.walk(identity, record, "afronden")


def start_besluit(engine: Any, identity: str, naam: str | None) -> list[Any]:
    """'besluit': the owner records the decision in a short walk (conversations/besluit.yaml)."""
    from bot.engine.types import Reply

    store = engine.store
    plans = [p for p in store.plans(owner=identity) if p.status in lifecycle.ADOPTED]
    if not plans:
        return [Reply(TEXTS["none_besluit"])]
    person = store.person(identity, naam)
    record = next((p for p in plans if p.id == person.active_plan_id), plans[-1])
    return engine.walk(identity, record, "besluit")


def _besluit_woorden(besluit: Any) -> dict[str, str]:
    """The besluit as the texts say it: '12 januari 2026', 'de raad', what was decided."""
    return {
        "datum": datum(besluit.datum),
        "orgaan": MET_LIDWOORD[besluit.orgaan],
        "uitkomst": besluit.uitkomst,
    }


def finish_besluit(engine: Any, turn: Any) -> list[Any]:
    """The besluit walk is confirmed: store it and tell the participants (record_besluit)."""
    from bot.engine.types import Reply

    answers = turn.data
    besluit = Besluit(
        datum=answers["datum"],
        orgaan=answers["orgaan"],
        uitkomst=answers["uitkomst"],
        link=answers.get("link") or None,
    )
    # the rewritten rapportage comes with the reply; its PDF for publication follows
    with pdf.later() as pending:
        done = record_besluit(
            engine.store, engine.settings, turn.record.id, besluit, engine.settings.clock()
        )
    n = done.deelnemers
    text = counted(TEXTS, "besluit_told", n).format(n=n)
    if done.documenten:
        namen = format_list([p.name for p in done.documenten], locale=LOCALE)
        text += "\n" + TEXTS["besluit_documents"].format(namen=namen)
    if pdf.coming(pending):
        text += f"\n{load_texts('pdf')['follows']}"
    return [Reply(text, kind="done", documents=done.documenten, pending=pending)]


def _csv_items(answer: str | None) -> list[InbrengItem]:
    """The CSV answer: the text of the file the person sent, or the contents they pasted.

    Never a file of this server: a line that looks like a file name gets the same answer
    whether or not such a file exists."""
    from handreiking.afronding import import_csv

    if not answer or not answer.strip():
        return []
    text = answer.strip()
    if "\n" not in text and text.lower().endswith(".csv"):
        raise ValueError(TEXTS["csv_name"])
    return import_csv(text)


def csv_gelezen(engine: Any, turn: Any) -> str | None:
    """After the CSV: how many reactions were read and on which themes. A pasted export was
    followed by the next question only, and nothing said whether it had been read."""
    try:
        items = _csv_items(turn.data.get("inbreng_csv"))
    except ValueError:
        return None
    if not items:
        return None
    themas = list(dict.fromkeys(i.thema for i in items if i.thema))
    text = counted(TEXTS, "csv_gelezen", len(items)).format(n=len(items))
    if themas:
        text += " " + counted(TEXTS, "csv_themas", len(themas)).format(
            themas=format_list(themas, locale=LOCALE)
        )
    return text


# A reason that says nothing to a reader of the rapportage or the mail to participants:
# 'zelfde als in het plan', 'zie plan', 'weet ik niet meer precies', as the whole answer
_NO_REASON = re.compile(
    r"(?:(?:net )?(?:het)?zelfde als (?:in )?(?:het |ons )?plan|zie (?:het |ons )?plan"
    r"|zoals (?:in het plan|gepland)|staat in (?:het|ons) plan"
    r"|weet ik niet(?: meer)?(?: precies| zo goed)?|geen idee|geen flauw idee)",
    re.I,
)


def check_reden(answer: str | None) -> None:
    """The engine's check of 'Waarom?' per theme: a reason a reader can follow."""
    if answer and _NO_REASON.fullmatch(answer.strip(" \t\r\n.,!?;:-")):
        raise ValueError(TEXTS["reden_leeg"])


# an address people can open: 'https://…', 'www.…', or a domain with a path ('heemstede.nl/…')
_ADRES = re.compile(r"(?:https?://|www\.)\S+|(?<![@\w.-])[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*", re.I)


def check_link(answer: str | None) -> None:
    """The engine's check of 'Waar kunnen mensen het besluit lezen?': it goes into the
    rapportage, the paragraaf and the participants' message as 'Meer informatie: …', so it
    holds an address ('staat nog niet online' was printed there)."""
    if answer and not _ADRES.search(answer):
        raise ValueError(TEXTS["link_geen_adres"])


def check_csv(answer: str | None) -> None:
    """The engine's check of the CSV answer: raises ValueError (Dutch) when it cannot be read."""
    _csv_items(answer)


def _typed_items(answers: dict[str, Any]) -> list[InbrengItem]:
    items = []
    for entry in answers.get("inbreng") or []:
        text = str(entry.get("tekst") or "").strip()
        thema, sep, rest = text.partition(":")
        if sep and rest.strip() and 0 < len(thema.strip()) <= 40:
            items.append(InbrengItem(tekst=rest.strip(), thema=thema.strip()))
        elif text:
            items.append(InbrengItem(tekst=text))
    return items


def _items(answers: dict[str, Any], strict: bool) -> list[InbrengItem]:
    from handreiking.afronding import CsvFout

    try:
        csv_items = _csv_items(answers.get("inbreng_csv"))
    except (CsvFout, ValueError):
        if strict:
            raise
        csv_items = []
    return csv_items + _typed_items(answers)


def _doelgroepen(plan: Plan) -> list[str]:
    from handreiking.models import Rol

    return [
        b.naam for b in plan.belanghebbenden if b.rol not in {Rol.beslisser, Rol.proceseigenaar}
    ]


def afronden_scope(engine: Any, turn: Any) -> dict[str, Any]:
    """Names the closing interview's questions use: the activities and target groups of the
    vastgestelde plan, and the themes of the input so far."""
    from handreiking.afronding import groepeer
    from handreiking.planning import activiteit_tekst

    s = stukken(engine.store, engine.settings, turn.record.id)
    groups = groepeer(_items(turn.data, strict=False))
    return {
        "activiteiten": [
            activiteit_tekst(a, nr) for nr, a in enumerate(s.vastgesteld.activiteiten, 1)
        ],
        "doelgroepen": _doelgroepen(s.vastgesteld),
        "themas": [{"naam": naam, "aantal": len(items)} for naam, items in groups.items()],
        # the points of the gemeente's handreiking the project group evaluates against
        "checklist": [c.tekst for c in s.profile.checklist],
        "gemeente": s.profile.naam,
    }


def build_afronding(s: Stukken, answers: dict[str, Any]) -> Afronding:
    """The closing interview's answers as an Afronding (handreiking.afronding)."""
    from handreiking.afronding import Thema, Uitvoering, Verwerking, groepeer

    uitvoering = []
    redenen = dict(s.afronding.redenen)
    for nr, a in enumerate(s.vastgesteld.activiteiten, 1):
        if f"gehouden.{nr}" not in answers:
            continue
        held = bool(answers[f"gehouden.{nr}"])
        if not held and answers.get(f"waarom_niet.{nr}"):
            redenen[f"niet_gehouden:{nr}"] = answers[f"waarom_niet.{nr}"]
        uitvoering.append(
            Uitvoering(
                activiteit=nr,
                gehouden=held,
                datum=a.datum,
                periode=a.periode,
                deelnemers=answers.get(f"deelnemers.{nr}") if held else None,
            )
        )
    for extra in answers.get("extra") or []:
        count = extra.get("deelnemers")
        if isinstance(count, dict):  # a number in a list item: {'waarde': .., 'schatting': ..}
            count = count.get("waarde")
        uitvoering.append(
            Uitvoering(
                omschrijving=extra.get("omschrijving"),
                deelnemers=int(count) if count is not None else None,
            )
        )
    doelgroepen = _doelgroepen(s.vastgesteld)
    # 'deels' (understanding.PARTLY) is a yes: the group took part, some of it
    bereikt = [n for i, n in enumerate(doelgroepen, 1) if answers.get(f"bereikt.{i}")]
    deels = {
        n: str(answers.get(f"bereikt_deels.{i}") or "").strip()
        for i, n in enumerate(doelgroepen, 1)
        if answers.get(f"bereikt.{i}") == PARTLY
    }
    items = _items(answers, strict=True)
    themas = []
    for nr, naam in enumerate(groepeer(items), 1):
        verwerking = answers.get(f"verwerking.{nr}")
        themas.append(
            Thema(
                naam=naam,
                verwerking=Verwerking(verwerking) if verwerking else None,
                reden=answers.get(f"reden.{nr}"),
            )
        )
    return s.afronding.model_copy(
        update={
            "projectgroep": _projectgroep(s, answers),
            "voorbeeld": answers.get("voorbeeld"),
            "uitvoering": uitvoering,
            "bereikt": bereikt,
            "bereikt_deels": deels,
            "inbreng": items,
            "themas": themas,
            "afweging": answers.get("afweging"),
            "redenen": redenen,
        }
    )


def _projectgroep(s: Stukken, answers: dict[str, Any]) -> Any:
    """The project group's verdict per point of the handreiking, when it gave one."""
    from handreiking.projectgroep import ProjectgroepEvaluatie, Punt, lees_oordeel

    if not answers.get("pg_evalueren"):
        return s.afronding.projectgroep
    punten = []
    for nr, item in enumerate(s.profile.checklist, 1):
        answer = answers.get(f"pg_punt.{nr}")
        if answer:
            oordeel, opmerking = lees_oordeel(answer)
            punten.append(Punt(tekst=item.tekst, oordeel=oordeel, opmerking=opmerking))
    return ProjectgroepEvaluatie(
        punten=punten, goed=answers.get("pg_goed"), beter=answers.get("pg_beter")
    )


def _advisor_mail(
    settings: Settings,
    record: PlanRecord,
    addresses: list[str],
    paths: list[Path],
    besluit: Besluit | None = None,
) -> Any:
    """The rapportage for the advisor; with `besluit`, the one rewritten to tell it."""
    from email.message import EmailMessage

    titel = record.titel or f"plan {record.id}"
    msg = EmailMessage()
    msg["To"] = ", ".join(addresses)
    if besluit is None:
        msg["Subject"] = TEXTS["rapportage_subject"].format(titel=titel)
        msg.set_content(TEXTS["advisor_mail"].format(titel=titel, id=record.id))
    else:
        msg["Subject"] = TEXTS["advisor_besluit_subject"].format(titel=titel)
        body = TEXTS["advisor_besluit_mail"].format(
            titel=titel, id=record.id, **_besluit_woorden(besluit)
        )
        msg.set_content(body)
    types = {
        ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ".png": ("image", "png"),
        ".ics": ("text", "calendar"),
    }
    for path in paths:
        main, sub = types.get(path.suffix, ("application", "octet-stream"))
        msg.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
    return msg


def finish_afronden(engine: Any, turn: Any) -> list[Any]:
    """The closing interview is confirmed: store the Afronding, write the rapportage (with the
    timeline and calendar), send it to the advisor and the participants, remind the owner to
    publish, and move the plan to afgerond. Raises ValueError (a Dutch sentence) on a bad CSV."""
    from bot.engine.types import Reply
    from bot.features.review import advisor_addresses
    from bot.mail import Outbox
    from handreiking.afronding import CsvFout
    from handreiking.closing_documents import write_planning

    store, settings = engine.store, engine.settings
    record = store.plan(turn.record.id) or turn.record
    s = stukken(store, settings, record.id)
    try:
        afronding = build_afronding(s, turn.data)
    except CsvFout as e:
        raise ValueError(str(e)) from None
    save_afronding(store, record.id, afronding)
    out_dir = settings.plans_dir / record.id
    png, ics = write_planning(s.actueel, s.profile, out_dir, record.id)
    # the .docx goes out with the reply; its PDF for publication follows when it is made
    with pdf.later() as pending:
        rapportage = write_rapportage(store, settings, record.id, tijdlijn=png)
    # the participatieparagraaf for the college or raad proposal, from what is known now
    paragraaf = write_paragraaf(store, settings, record.id, out_dir)
    # the evaluatie: the participants' scores so far beside the project group's evaluation
    evaluatie = write_evaluatie(store, settings, record.id)
    now = settings.clock()
    titel = record.titel or f"plan {record.id}"
    adviseurs = advisor_addresses(settings, s.profile)
    if adviseurs:
        Outbox(settings, store).put(
            _advisor_mail(settings, record, adviseurs, [rapportage, png, ics]), record.id
        )
    body = TEXTS["participants"].format(
        titel=titel,
        gemeente=s.profile.naam,
        verwerking=_verwerking_tekst(afronding) or TEXTS["no_input"],
        # the plan's public page, where the rapportage is published beside the plan
        link=participants.public_page(settings, participants.invitation_code(store, record.id)),
    )
    notice = participants.Notice(
        body,
        kind="notice",
        dedupe=f"rapportage:{record.id}:{int(now.timestamp())}",
        subject=TEXTS["rapportage_subject"].format(titel=titel),
    )
    n = participants.tell_participants(store, settings, record, notice, now)
    record_step(store, record.id, rapportage_verstuurd=now.isoformat(), deelnemers=n)
    lc = Lifecycle(store)
    try:
        if record.status == "vastgesteld":
            # participation took place, or there would be nothing to close
            lc.transition(record.id, "in_uitvoering", turn.identity, "afronden")
        lc.transition(record.id, "afgerond", turn.identity, "participatierapportage")
    except lifecycle.TransitionError:
        pass  # the rapportage stands; the status is the lifecycle's to decide
    sent = (
        counted(TEXTS, "sent", n).format(adviseurs=", ".join(adviseurs), n=n)
        if adviseurs
        else counted(TEXTS, "no_advisor", n).format(n=n)
    )
    follows = f"\n{load_texts('pdf')['follows']}" if pdf.coming(pending) else ""
    return [
        Reply(
            f"{TEXTS['done'].format(titel=titel)}\n{sent}{follows}",
            kind="done",
            documents=[rapportage, paragraaf, evaluatie, png, ics],
            pending=pending,
        ),
        Reply(TEXTS["publish"]),
    ]


def register(registry: Registry) -> None:
    registry.command(
        Command(
            "close", ("afronden", "close"), before_plan=lambda e, who, naam, _: start(e, who, naam)
        ),
        Command(
            "decision",
            ("besluit", "decision"),
            before_plan=lambda e, who, naam, _: start_besluit(e, who, naam),
        ),
    )
    registry.hook("afronden.scope", afronden_scope)
    registry.hook("afronden.finish", finish_afronden)
    registry.hook("afronden.csv", check_csv)
    registry.hook("afronden.csv_gelezen", csv_gelezen)
    registry.hook("afronden.reden", check_reden)
    registry.hook("projectgroep.oordeel", projectgroep.check_oordeel)
    registry.hook("besluit.finish", finish_besluit)
    registry.hook("besluit.link", check_link)
