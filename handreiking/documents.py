"""The plan's Word documents: template context, rendering with docxtpl, reading text back."""

from __future__ import annotations

import os
import re
import tempfile
import threading
import traceback
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date, timedelta
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.lists import format_list
from jinja2 import TemplateError

from handreiking import drawing
from handreiking.formatting import (
    LEEG,
    LOCALE,
    bedrag,
    datum,
    ja_nee,
    maand,
    onbekend,
    soort_en_naam,
    text,
    uren,
)
from handreiking.models import Aantal, Activiteit, Bedrag, Beslisser, Plan, Stand
from handreiking.planning import (
    aankondiging_dagen,
    activiteit_tekst,
    needs_announcement,
    op_datum,
)
from handreiking.profiles import Profile
from handreiking.resources import shipped
from handreiking.rules import Finding, Soort

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

# a document whose name ends so is published: no findings, no personal details of the owner
OPENBAAR = "-openbaar"


# written from the closing interview by handreiking.closing_documents, not with the plan
AFRONDING = ("participatierapportage", "evaluatie", "participatieparagraaf")


class DocumentError(Exception):
    """A template could not be read or rendered; the message is plain Dutch for the user."""


def _known(value: Any) -> Any:
    return None if onbekend(value) else value


def _plain(value: Any) -> Any:
    """A Plan value as the template shows it; an open answer is None so '{% if x %}' works."""
    if onbekend(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return ja_nee(value)
    if isinstance(value, date):
        return datum(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def aan_het_begin(value: Any) -> Any:
    """A typed answer that begins a paragraph or a table cell: 'een stalling' -> 'Een stalling'.

    Only the first letter changes. A first word with a capital inside ('iPhone', 'eBike') or an
    address ('naam@example.org', 'www.example.org') is a name that is written so: left as typed.
    """
    if not isinstance(value, str) or not value[:1].islower():
        return value
    first = value.split(maxsplit=1)[0]
    if any(c.isupper() for c in first) or "@" in first or "://" in first or "www." in first:
        return value
    if (short := _AFKORTING.match(value)) and short[0] not in _TITELS:
        # a word without a vowel is an abbreviation typed small ('knvb', 'ggd'): 'KNVB', not 'Knvb'
        return short[0].upper() + value[short.end() :]
    return _cap(value)


_AFKORTING = re.compile(r"[b-df-hj-np-tv-xz]{2,6}(?![\w.'’-])")
# the abbreviations before a name that are written with one capital
_TITELS = frozenset({"dhr", "mr", "dr", "st", "mw", "mvr", "jr", "sr", "ds"})


def _sentence(text: str | None) -> str | None:
    """'een bos bloemen' -> 'Een bos bloemen.': a typed remark printed after our own sentence."""
    if not text:
        return text
    text = _cap(text.strip())
    return text if text[-1:] in ".!?)" else f"{text}."


def eerste_zin(value: str | None, limit: int = 220) -> str | None:
    """The first sentence of a free text, for a summary; None when it is too long to be one."""
    if onbekend(value):
        return None
    first = re.split(r"(?<=[.!?])\s+|\n", value.strip(), maxsplit=1)[0].strip()
    if len(first) > limit:
        return None
    return first if first[-1:] in ".!?" else f"{first}."


def korte_tekst(value: str | None, limit: int = 220) -> str | None:
    """A short free text whole, for a summary; a longer one by its first sentence. The first
    sentence alone can say the opposite of the answer: 'Het veld ligt vast. Over het groen praat
    je mee.' after 'Hierover kun je meepraten'."""
    if onbekend(value):
        return None
    whole = " ".join(value.split())
    if len(whole) > limit:
        return eerste_zin(value, limit)
    return whole if whole[-1:] in ".!?" else f"{whole}."


# ---------------------------------------------------------------- context


def _weken(dagen: int) -> str:
    if dagen % 7:
        return f"{dagen} dagen"
    return "1 week" if dagen == 7 else f"{dagen // 7} weken"


def _activiteit(nr: int, a: Activiteit, plan: Plan, profile: Profile) -> dict[str, Any]:
    if a.periode:
        dagen = (a.periode.tot - a.periode.van).days + 1
        wanneer = (
            f"{datum(a.periode.van)} tot en met {datum(a.periode.tot)} "
            f"({text('open_dagen', dagen=dagen)})"
        )
    else:
        wanneer = datum(a.datum)
    aankondiging = datum(a.aankondiging)
    if aankondiging is None and needs_announcement(a) and a.start:
        dagen = aankondiging_dagen(profile)
        aankondiging = text(
            "aankondiging_uiterlijk",
            datum=datum(a.start - timedelta(days=dagen)),
            weken=_weken(dagen),
        )
    omschrijving = _known(a.omschrijving)
    return {
        "nr": nr,
        "titel": _cap(soort_en_naam(a.type.value, omschrijving)),
        "type": a.type.value,
        "omschrijving": omschrijving,
        "wanneer": wanneer,
        "aankondiging": aankondiging if needs_announcement(a) else None,
        "plaats": _known(a.plaats) or ("online" if a.type.has_period else None),
        # only worth a mention where this activity works at another rung than the plan
        "niveau": profile.niveau_label(a.niveau) if a.niveau and a.niveau != plan.niveau else None,
        "uren": uren(a.uren) if a.uren else None,
        "kosten": bedrag(a.kosten) if a.kosten else None,
    }


def _zinnen(plan: Plan, groep: str, keys: tuple[str, ...]) -> list[str]:
    """Yes/no answers as the plan's sentences: a reader never sees a bare 'ja' or 'nee'."""
    return [
        _met_opmerking(plan, key, text(f"{groep}.{key}.{'ja' if getattr(plan, key) else 'nee'}"))
        for key in keys
        if getattr(plan, key) is not None
    ]


def _met_opmerking(plan: Plan, key: str, zin: str) -> str:
    """Our words for an answer with what was typed beside it, between brackets: 'We hebben
    gepraat met mensen ... (een beetje, met twee buren).'"""
    opmerking = " ".join((plan.opmerkingen.get(key) or "").split())
    if not opmerking:
        return zin
    return f"{zin[:-1]} ({opmerking})." if zin.endswith(".") else f"{zin} ({opmerking})"


def _zonder(totaal: str, open_: int) -> str:
    """The total, saying how many activities it leaves out (their amount is not known yet)."""
    if not open_:
        return totaal
    return text("totaal_zonder")["een" if open_ == 1 else "meer"].format(totaal=totaal, n=open_)


def _leeg(a: Activiteit, key: str) -> str:
    """An empty cell of the table of hours and costs: open, or said not to apply."""
    return text("cel_nvt") if key in a.nvt else text("cel_onbekend")


def _nog_open(plan: Plan, key: str) -> int:
    """How many activities do not say their hours or costs yet ('niet van toepassing' does)."""
    return sum(1 for a in plan.activiteiten if getattr(a, key) is None and key not in a.nvt)


def _totaal_uren(plan: Plan) -> str | None:
    known = [a.uren for a in plan.activiteiten if a.uren]
    if not known:
        return None
    low = sum(u.waarde for u in known)
    high = sum(u.waarde if u.max is None else u.max for u in known)
    totaal = uren(Aantal(waarde=low, max=high, schatting=any(u.schatting for u in known)))
    return _zonder(totaal, _nog_open(plan, "uren"))


def _totaal_kosten(plan: Plan) -> str | None:
    known = [a.kosten for a in plan.activiteiten if a.kosten]
    if not known:
        return None
    low = sum(k.min for k in known)
    high = sum(k.min if k.max is None else k.max for k in known)
    totaal = bedrag(Bedrag(min=low, max=high, schatting=any(k.schatting for k in known)))
    return _zonder(totaal, _nog_open(plan, "kosten"))


def _mijlpalen(plan: Plan, profile: Profile) -> list[dict[str, str]]:
    """The real steps of the traject, earliest first, named for a reader of the plan."""
    from handreiking.tijdlijn import label, stappen  # the timeline formats with this module

    return [
        {"datum": datum(m.datum), "wat": label(m, plan)}
        for m in stappen(plan, profile)
        if not (m.soort == "activiteit_eind" and m.activiteit)
        or plan.activiteiten[m.activiteit - 1].periode is None
    ]


_MET_LIDWOORD = {
    Beslisser.initiatiefnemer: "de initiatiefnemer",
    Beslisser.ambtenaren: "de gemeente (ambtelijk)",
    Beslisser.college: "het college van burgemeester en wethouders",
    Beslisser.raad: "de gemeenteraad",
}


def beslisser_tekst(plan: Plan) -> str | None:
    """'het college van burgemeester en wethouders'."""
    return _MET_LIDWOORD[plan.beslisser] if plan.beslisser else None


def _complex_uitleg(plan: Plan) -> str | None:
    if plan.beslisser is None:
        return None
    if not plan.complex:
        return text("niet_complex")
    redenen = [
        _met_opmerking(plan, key, text(f"complex_redenen.{key}"))
        for key in ("grote_wijziging", "veel_actoren", "veel_belangen")
        if getattr(plan, key)
    ]
    return text(
        "complex",
        redenen=format_list(redenen, locale=LOCALE),
        beslisser=beslisser_tekst(plan),
    )


def _rolverdeling(plan: Plan) -> str | None:
    beslisser = beslisser_tekst(plan)
    if beslisser is None:
        return None
    if plan.initiatiefnemer_type and plan.initiatiefnemer_type.value == "gemeente":
        return text("rolverdeling.gemeente", beslisser=_cap(beslisser))
    initiatiefnemer = _known(plan.initiatiefnemer)
    if initiatiefnemer is None:
        return None
    return text(
        "rolverdeling.anders", initiatiefnemer=_cap(initiatiefnemer), beslisser=_cap(beslisser)
    )


def _kort(plan: Plan, profile: Profile, activiteiten: list[dict[str, Any]]) -> list[str]:
    """'In het kort': five to eight short lines a resident reads first."""
    lines = []
    if opgave := korte_tekst(plan.opgave):
        lines.append(opgave)
    if beslisser := beslisser_tekst(plan):
        wanneer = text("kort.wanneer", maand=maand(plan.besluitdatum)) if plan.besluitdatum else ""
        initiatiefnemer = _known(plan.initiatiefnemer)
        if initiatiefnemer:
            lines.append(
                text(
                    "kort.wie",
                    initiatiefnemer=initiatiefnemer,
                    beslisser=_cap(beslisser),
                    wanneer=wanneer,
                )
            )
        else:
            lines.append(
                text("kort.wie_zonder_initiatiefnemer", beslisser=_cap(beslisser), wanneer=wanneer)
            )
    if ruimte := korte_tekst(plan.ruimte):
        lines.append(text("kort.ruimte", tekst=ruimte))
    if vast := korte_tekst(plan.kaders_voor_inwoners):
        lines.append(text("kort.vast", tekst=vast))
    if plan.niveau:
        lines.append(
            text(
                "kort.niveau",
                niveau=profile.niveau_label(plan.niveau),
                uitleg=text(f"niveau_uitleg.{plan.niveau.value}"),
            )
        )
    meedoen = []
    paired = zip(plan.activiteiten, activiteiten, strict=True)
    for a, item in op_datum((a.start, (a, item)) for a, item in paired):
        wat = f"een {a.type.value}"
        soort = (a.omschrijving or "").strip()
        if a.type.value == "anders" and soort:  # 'een plantdag', not 'een anders'
            soort = soort[:1].lower() + soort[1:] if soort[1:2].islower() else soort
            eerste = soort.split()[0].lower()
            # 'keukentafelgesprekken met de buren' is more than one: no 'een' before it
            meer = len(eerste) >= 6 and eerste.endswith(("en", "s")) and not eerste.endswith("ss")
            wat = soort if meer or eerste in ("een", "de", "het") else f"een {soort}"
        if a.periode:
            wat += f" van {datum(a.periode.van)} tot en met {datum(a.periode.tot)}"
        elif a.datum:
            wat += f" op {datum(a.datum)}"
        if item["plaats"] and item["plaats"] != "online":
            # 'buurthuis de Brink (als het vrij is)' between brackets reads as '(... (...))'
            plaats = item["plaats"]
            wat += f" – {plaats}" if "(" in plaats else f" ({plaats})"
        meedoen.append(wat)
    if meedoen:
        lines.append(text("kort.meedoen", activiteiten=format_list(meedoen, locale=LOCALE)))
    wanneer = (
        text("kort.rapportage_wanneer", datum=datum(plan.rapportage_datum))
        if plan.rapportage_datum
        else ""
    )
    lines.append(text("kort.rapportage", wanneer=wanneer))
    # a line may start with typed text ('buurtgroep Kerkpad neemt het initiatief'): a sentence
    # starts with a capital, the rest stays as typed
    return [aan_het_begin(line) for line in lines]


def open_punten(plan: Plan) -> list[str]:
    """What the plan does not say yet, in the order of the plan."""
    found = []

    def check(key: str, value: Any) -> None:
        if onbekend(value):
            found.append(text(f"open.{key}"))

    for key in ("opgave", "initiatiefnemer", "beslisser", "besluitdatum"):
        check(key, getattr(plan, key))
    if all(onbekend(getattr(plan, k)) for k in _KADERS):
        found.append(text("open.kaders"))
    if plan.complex:
        for key in ("maatschappelijke_waarde", "regels", "wie_doet_mee", "belangen"):
            check(key, getattr(plan, key))
        check("kosten_baten", plan.kosten_baten)
    for key in (
        "ruimte",
        "niveau",
        "niveau_toelichting",
        "doelen",
        "afwegingskader",
        "belanghebbenden",
        "inclusie_jongeren",
        "inclusie_moeilijk_bereikbaar",
        "activiteiten",
    ):
        check(key, getattr(plan, key))
    for nr, a in enumerate(plan.activiteiten, 1):
        naam = activiteit_tekst(a, nr)
        when = "periode" if a.type.has_period else "datum"
        if a.start is None and when not in a.nvt:
            found.append(text(f"open.{when}", naam=naam))
        if onbekend(a.plaats) and not a.type.has_period and a.type.value != "anders":
            if a.type.needs_notice and "plaats" not in a.nvt:
                found.append(text("open.plaats", naam=naam))
        for key in ("uren", "kosten"):  # 'niet nodig' at them is no open point
            if getattr(a, key) is None and key not in a.nvt:
                found.append(text(f"open.{key}", naam=naam))
    for key in ("rapportage_datum", "evaluatie_datum", "terugkoppeling", "evaluatie"):
        check(key, getattr(plan, key))
    if onbekend(plan.avg_tekst) and not plan.avg_akkoord:
        found.append(text("open.avg"))
    # a question that may be left out, answered with 'weet ik nog niet': open all the same
    uitgesteld = text("open_uitgesteld")
    kaders_open = all(onbekend(getattr(plan, k)) for k in _KADERS)
    for key in plan.nog_te_bepalen:
        if key in uitgesteld and not (kaders_open and key in _KADERS):
            if onbekend(getattr(plan, key, None)) and uitgesteld[key] not in found:
                found.append(uitgesteld[key])
    return found


_PLANOMSCHRIJVING = (
    "opgave",
    "maatschappelijke_waarde",
    "regels",
    "wie_doet_mee",
    "belangen",
    "kosten_baten",
    "kaders",
)
_KADERS = ("kader_inhoudelijk", "kader_financieel", "kader_proces")
_INCLUSIE = ("inclusie_jongeren", "inclusie_moeilijk_bereikbaar", "inclusie_taal")


def _hoofdstukken(plan: Plan, ctx: dict[str, Any], profile: Profile) -> list[dict[str, Any]]:
    """The chapters that have something to say, numbered in the gemeente's order."""
    inhoud = {
        "opgave": ctx["opgave"] or ctx["initiatiefnemer"] or ctx["beslisser"],
        "kaders": any(
            ctx[k]
            for k in (
                "kader_inhoudelijk",
                "kader_financieel",
                "kader_proces",
                "kaders_voor_inwoners",
            )
        ),
        "ruimte": ctx["ruimte"] or ctx["complexiteit"] or ctx["haalbaarheid"],
        "niveau": ctx["niveau"],
        "doel": ctx["doelen"],
        "deelnemers": ctx["belanghebbenden"]
        or ctx["omgeving"]
        or ctx["rolverdeling"]
        or any(
            ctx[k] for k in ("inclusie_jongeren", "inclusie_moeilijk_bereikbaar", "inclusie_taal")
        ),
        "aanpak": ctx["activiteiten"],
        "planning": ctx["mijlpalen"] or ctx["update_ritme"],
        "afweging": ctx["afwegingskader"],
        "terugkoppeling": True,
        "evaluatie": ctx["evaluatie"]
        or ctx["evaluatie_criteria"]
        or ctx["evaluatie_datum"]
        or ctx["tussentijdse_evaluatie_datum"],
        "privacy": ctx["avg_tekst"],
        "afspraken": ctx["vergoeding_tekst"] or ctx["samenwerking_tekst"] or ctx["regie"],
    }
    shown = [h for h in profile.hoofdstukken if inhoud[h.key]]
    return [{"key": h.key, "titel": h.titel, "nr": nr} for nr, h in enumerate(shown, 1)]


def eigenaar_tekst(plan: Plan) -> str | None:
    """Who wrote the plan: 'Sam Voorbeeld (projectleider)'; None when the plan does not say."""
    naam = _known(plan.eigenaar_naam)
    if naam and _known(plan.eigenaar_rol):
        return f"{naam.strip()} ({plan.eigenaar_rol.strip()})"
    return naam.strip() if naam else None


def _status(stand: Stand) -> str:
    status = text("status").get(stand.status, _cap(stand.status))
    if stand.vastgesteld_op:
        status = text("vastgesteld_door", datum=datum(stand.vastgesteld_op))
        if stand.besluit:
            status += f" ({text('besluit_ref', besluit=stand.besluit)})"
    return status


def _toets(findings: list[Finding], plan: Plan, profile: Profile) -> list[dict[str, Any]]:
    """The findings for the advisor's appendix: rule or tip, the source's words, status."""
    rows = []
    for f in findings:
        afwijking = f.afwijking or plan.afwijkingen.get(f.code)
        soort = (
            text("toets_soort.beleidsregel", gemeente=profile.naam)
            if f.soort == Soort.beleidsregel
            else text("toets_soort.tip")
        )
        tekst = f.tekst
        # the rule is shown in its own row: no need to repeat it after the finding
        herhaling = f" Regel van {profile.naam}: {f.regel}"
        if f.regel and tekst.endswith(herhaling):
            tekst = tekst[: -len(herhaling)]
        rows.append(
            {
                "soort": soort,
                "regel": f.regel,
                "tekst": tekst,
                "status": text("toets_status.afwijking" if afwijking else "toets_status.open"),
                "afwijking": afwijking,
                "bron": f.bron,
            }
        )
    return rows


def build_context(
    plan: Plan,
    profile: Profile,
    findings: list[Finding],
    extra: dict[str, Any] | None = None,
    *,
    stand: Stand | None = None,
    openbaar: bool = False,
) -> dict[str, Any]:
    """Everything the templates show, as plain dicts and strings in Dutch.

    Every Plan field appears under its own name (None while the answer is open, see
    `onbekend`); gemeente is the profile's name. Computed values: the front page (stand,
    status, eigenaar, contact), kort, hoofdstukken, the activities and their totals,
    mijlpalen, open_punten and the advisor's toets. `openbaar`: the version for publication,
    without findings and without the owner's personal details. `extra` adds names for documents
    beyond the plan (the closing documents) and wins over the rest.
    """
    ctx: dict[str, Any] = {name: _plain(getattr(plan, name)) for name in Plan.model_fields}
    # a template shows most answers at the start of a paragraph or a cell, where a published
    # text starts with a capital; inside a sentence of its own it uses getypt, as typed
    ctx["getypt"] = dict(ctx)
    ctx.update(
        {
            name: aan_het_begin(value)
            for name, value in ctx.items()
            # typed text only: an option's value ('ondernemer of ontwikkelaar') follows our words
            if type(getattr(plan, name, None)) is str and not name.endswith("_email")
        }
    )
    del ctx["afwijkingen"]  # shown with the findings they belong to
    # without a Stand the caller does not know the status: the front page leaves it out
    # rather than call a vastgesteld plan a concept
    status = _status(stand) if stand else None
    stand = stand or Stand(datum=date.today())
    ritme = plan.update_ritme_weken
    if ritme is None:
        ritme = profile.update_ritme_weken
    activiteiten = [_activiteit(nr, a, plan, profile) for nr, a in enumerate(plan.activiteiten, 1)]
    nog = text("cel_onbekend")
    has_uren = any(a.uren for a in plan.activiteiten)
    has_kosten = any(a.kosten for a in plan.activiteiten)
    eigenaar = eigenaar_tekst(plan)
    accounthouder = _known(plan.contactpersoon)
    if accounthouder and _known(plan.accounthouder_email):
        accounthouder = f"{accounthouder} ({plan.accounthouder_email})"
    if plan.avg_akkoord and onbekend(plan.avg_tekst):
        avg_tekst = profile.avg_standaard
    else:
        avg_tekst = _known(plan.avg_tekst)
    if plan.avg_akkoord and avg_tekst:
        # 'ja, plus telefoonnummers van de buren': what was added to the yes is printed with it
        avg_tekst = _met_opmerking(plan, "avg_akkoord", avg_tekst)
    # printed after a sentence of ours: 'een bos bloemen' as a sentence of its own
    toelichting = _sentence(_known(plan.vergoeding_toelichting))
    samenwerking = _sentence(_known(plan.samenwerkingsovereenkomst_toelichting))
    ctx.update(
        leeg=LEEG,
        openbaar=openbaar,
        gemeente=profile.naam,
        stand={
            "datum": datum(stand.datum),
            "versie": stand.versie,
            "status": status,
        },
        eigenaar=None if openbaar else eigenaar,
        contact=None if openbaar else _known(plan.eigenaar_email),
        accounthouder=None if openbaar else accounthouder,
        beslisser_tekst=_cap(beslisser_tekst(plan) or "") or None,
        complex=ja_nee(plan.complex) if plan.beslisser else None,
        complex_uitleg=_complex_uitleg(plan),
        rolverdeling=_rolverdeling(plan),
        regie=profile.regie,
        niveau=profile.niveau_label(plan.niveau) if plan.niveau else None,
        niveau_uitleg=text(f"niveau_uitleg.{plan.niveau.value}") if plan.niveau else None,
        doelen=[d.value for d in plan.doelen],
        doel_uitleg=text("doel_uitleg"),
        belanghebbenden=[
            {
                "naam": aan_het_begin(b.naam),
                "rol": b.rol.value if b.rol else "",
                "belang": aan_het_begin(_known(b.belang) or ""),
            }
            for b in plan.belanghebbenden
            if _known(b.naam)
        ],
        omgeving=_zinnen(plan, "omgeving", ("omgeving_bezocht", "omgeving_gesproken"))
        + (
            [text("omgeving.omgeving_netwerk", netwerk=plan.omgeving_netwerk)]
            if _known(plan.omgeving_netwerk)
            else []
        ),
        haalbaarheid=_zinnen(
            plan, "haalbaarheid", ("haalbaar_ruimte", "haalbaar_tijd", "haalbaar_budget")
        ),
        # the stakeholderanalyse: only where a party has an estimate
        stakeholders=[
            {
                "naam": aan_het_begin(b.naam),
                "invloed": b.invloed.value if b.invloed else "",
                "interesse": b.interesse.value if b.interesse else "",
                "positie": b.positie.value if b.positie else "",
            }
            for b in plan.belanghebbenden
            if _known(b.naam) and (b.invloed or b.interesse or b.positie)
        ],
        activiteiten=[{**a, "plaats": aan_het_begin(a["plaats"])} for a in activiteiten],
        # an empty cell in the table of hours and costs reads as forgotten: say it is open
        middelen=[
            {
                **a,
                "uren": a["uren"] or _leeg(b, "uren"),
                "kosten": a["kosten"] or _leeg(b, "kosten"),
            }
            for a, b in zip(activiteiten, plan.activiteiten, strict=True)
            if a["uren"] or a["kosten"]
        ],
        totaal_uren=_totaal_uren(plan) or (nog if has_kosten else None),
        totaal_kosten=_totaal_kosten(plan) or (nog if has_uren else None),
        schattingen=text("schattingen")
        if any(
            (a.uren and a.uren.schatting) or (a.kosten and (a.kosten.schatting or a.kosten.max))
            for a in plan.activiteiten
        )
        else None,
        update_ritme=text("updates", ritme="elke week" if ritme == 1 else f"elke {ritme} weken")
        if ritme
        else text("geen_updates"),
        update_ritme_weken=ritme,
        mijlpalen=_mijlpalen(plan, profile),
        # for templates made before the activities had their own blocks
        online=[
            f"{a['titel']}: {a['wanneer']}"
            for a, item in zip(activiteiten, plan.activiteiten, strict=True)
            if item.periode
        ],
        publicatie=text("publicatie", waar=profile.publiceren_in),
        avg_tekst=avg_tekst,
        vergoeding_tekst=None
        if plan.vergoeding is None
        else " ".join(
            t
            for t in (
                # 'nee, zijn er niet' keeps its remark; a yes's comment is the toelichting
                _met_opmerking(
                    plan,
                    "vergoeding",
                    text("vergoeding_ja" if plan.vergoeding else "vergoeding_nee"),
                ),
                toelichting,
            )
            if t
        ),
        samenwerking_tekst=None
        if plan.samenwerkingsovereenkomst is None
        else " ".join(
            t
            for t in (
                _met_opmerking(
                    plan,
                    "samenwerkingsovereenkomst",
                    text(
                        "samenwerking_ja" if plan.samenwerkingsovereenkomst else "samenwerking_nee"
                    ),
                ),
                samenwerking,
            )
            if t
        ),
        open_punten=open_punten(plan),
        nog_te_bepalen=text("nog_te_bepalen"),
        open_intro=text("open_intro"),
        toets=[] if openbaar else _toets(findings, plan, profile),
        bevindingen=[]
        if openbaar
        else [
            {
                "soort": f.soort.value,
                "tekst": f.tekst,
                "bron": f.bron,
                "afwijking": f.afwijking or plan.afwijkingen.get(f.code),
            }
            for f in findings
        ],
        # pictures, filled in by render() when the template shows them
        ladder=None,
        tijdlijn=None,
        stakeholdergrid=None,
    )
    ctx["open_planomschrijving"] = [
        t for t in ctx["open_punten"] if t in {text(f"open.{k}") for k in _PLANOMSCHRIJVING}
    ]
    ctx["kort"] = _kort(plan, profile, activiteiten)
    ctx["hoofdstukken"] = _hoofdstukken(plan, ctx, profile)
    ctx.update(extra or {})
    return ctx


# ---------------------------------------------------------------- rendering


def find_template(name: str, template_dirs: list[Path] | None = None) -> Path | None:
    """`<name>.docx` from the first of template_dirs that has it, else the shipped one."""
    for folder in [*(template_dirs or []), shipped("templates")]:
        path = Path(folder) / f"{name}.docx"
        if path.is_file():
            return path
    return None


def _template_line(exc: TemplateError) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if lineno is None:
        # errors while rendering carry the line only in Jinja's rewritten traceback
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename == "<template>":
                return frame.lineno
    return lineno


def _error(path: Path, exc: TemplateError) -> DocumentError:
    line = _template_line(exc)
    where = f" op regel {line}" if line else ""
    context = [t.strip() for t in getattr(exc, "docx_context", []) if t.strip()]
    near = f" (bij de tekst: {' … '.join(context)[:200]})" if context else ""
    detail = (exc.message or type(exc).__name__).rstrip(".")
    unknown = re.fullmatch(r"'(.+)' is undefined", detail)
    reason = f"de naam '{unknown[1]}' bestaat niet" if unknown else f"Jinja meldt: {detail}"
    return DocumentError(
        f"Het sjabloon {path} heeft een fout{where}{near}: {reason}. "
        "Pas het sjabloon aan in Word en probeer het opnieuw."
    )


# Drawn pictures by what they show: the plan, its public version and the next render of the
# same plan share them, which saves most of a render's time.
_DRAWN: OrderedDict[tuple[str, ...], bytes] = OrderedDict()
_DRAWN_MAX = 32
_DRAWN_LOCK = threading.Lock()
# pictures begun ahead (predraw) and not yet drawn, by what they show
_AHEAD: dict[tuple[str, ...], Future[bytes]] = {}


def _keep(key: tuple[str, ...], data: bytes) -> None:
    with _DRAWN_LOCK:
        _DRAWN[key] = data
        while len(_DRAWN) > _DRAWN_MAX:
            _DRAWN.popitem(last=False)


def _drawn(
    key: tuple[str, ...], path: Path, draw: Callable[..., Path], *args: Any
) -> Callable[[], Path]:
    """What gives the picture at `path` when the template shows it: the one drawn before or
    begun ahead, or `draw(*args, path)`, begun now in the drawing worker when one runs
    (handreiking.drawing)."""
    with _DRAWN_LOCK:
        known = _DRAWN.get(key)
        if known is not None:
            _DRAWN.move_to_end(key)
        ahead = _AHEAD.get(key)
    if known is not None:

        def again() -> Path:
            path.write_bytes(known)
            return path

        return again
    if ahead is not None:

        def waited() -> Path:
            try:
                path.write_bytes(ahead.result())
            except Exception:  # the worker died meanwhile: drawn here after all
                draw(*args, path)
            return path

        return waited
    waiting = drawing.draw(draw, *args, path)

    def drawn() -> Path:
        waiting()
        _keep(key, path.read_bytes())
        return path

    return drawn


def _arrived(key: tuple[str, ...], future: Future[bytes]) -> None:
    with _DRAWN_LOCK:
        _AHEAD.pop(key, None)
    if not future.cancelled() and future.exception() is None:
        _keep(key, future.result())


def predraw(plan: Plan, profile: Profile) -> None:
    """Begin the plan's pictures in the drawing worker, when one runs, before its documents are
    asked for: the owner reads the summary before saying 'ja', and the documents then need only
    their Word part. Without a worker nothing happens (drawing here would slow this turn)."""
    for key, _name, draw, args in _picture_jobs(plan, profile):
        with _DRAWN_LOCK:
            if key in _DRAWN or key in _AHEAD:
                continue
        future = drawing.ahead(draw, *args)
        if future is None:
            return
        with _DRAWN_LOCK:
            _AHEAD[key] = future
        future.add_done_callback(lambda done, key=key: _arrived(key, done))


def _picture_jobs(
    plan: Plan, profile: Profile
) -> list[tuple[tuple[str, ...], str, Callable[..., Path], tuple[Any, ...]]]:
    """(what it shows, its name in the template, what draws it, with what) for each picture of
    the plan: the ladder, the timeline and the stakeholder grid."""
    from handreiking import stakeholders
    from handreiking.ladder import ladder_png
    from handreiking.tijdlijn import stappen, tijdlijn_png

    jobs: list[tuple[tuple[str, ...], str, Callable[..., Path], tuple[Any, ...]]] = []
    if plan.niveau:
        gekozen = _gekozen(plan)
        key = ("ladder", profile.model_dump_json(include={"niveau_labels"}), *gekozen)
        jobs.append((key, "ladder", ladder_png, (profile, gekozen)))
    if stappen(plan, profile):
        key = ("tijdlijn", profile.key, plan.model_dump_json())
        jobs.append((key, "tijdlijn", tijdlijn_png, (plan, profile)))
    if stakeholders.geplaatst(plan):
        key = ("stakeholders", plan.model_dump_json(include={"titel", "belanghebbenden"}))
        jobs.append((key, "stakeholdergrid", stakeholders.grid_png, (plan,)))
    return jobs


def _gekozen(plan: Plan) -> list[Any]:
    chosen = {n for n in [plan.niveau, *(a.niveau for a in plan.activiteiten)] if n}
    return sorted(chosen, key=lambda n: n.rank)


def _pictures(tpl: DocxTemplate, plan: Plan, profile: Profile, folder: Path) -> dict[str, Any]:
    """The ladder, the timeline and the stakeholder grid of the plan; with a drawing worker they
    are begun at once and drawn beside the rest of the document."""
    from docx.shared import Mm

    from handreiking import stakeholders
    from handreiking.ladder import ladder_alt
    from handreiking.tijdlijn import alt_tekst
    from handreiking.word import Afbeelding

    alt = {
        "ladder": lambda: ladder_alt(profile, _gekozen(plan)),
        "tijdlijn": lambda: alt_tekst(plan, profile),
        "stakeholdergrid": lambda: stakeholders.alt_tekst(plan),
    }
    size = {"ladder": {"width": Mm(95)}, "stakeholdergrid": {"width": Mm(150)}}
    files = {
        "ladder": "ladder.png",
        "tijdlijn": "tijdlijn.png",
        "stakeholdergrid": "stakeholders.png",
    }
    pictures: dict[str, Any] = {"ladder": None, "tijdlijn": None, "stakeholdergrid": None}
    for key, name, draw, args in _picture_jobs(plan, profile):
        picture = _drawn(key, folder / files[name], draw, *args)
        pictures[name] = Afbeelding(tpl, picture, alt[name](), **size.get(name, {}))
    return pictures


def render(
    name: str,
    plan: Plan,
    profile: Profile,
    findings: list[Finding],
    out_path: Path,
    template_dirs: list[Path] | None = None,
    extra: dict[str, Any] | Callable[[DocxTemplate], dict[str, Any]] | None = None,
    *,
    stand: Stand | None = None,
) -> Path:
    """Render the template `name` for this plan into out_path (a gemeente's own copy wins).

    `extra`: more names for the template (see build_context); a function of the template when a
    value needs it, as docxtpl's InlineImage does. A document whose name ends in '-openbaar' is
    for publication: it gets no findings and no personal details of the owner, whatever the
    template. A document named in the profile's `pdf` also gets a tagged PDF beside it: before
    this returns, or after it inside handreiking.pdf.later().
    """
    template = find_template(name, template_dirs)
    if template is None:
        raise DocumentError(f"Er is geen sjabloon {name}.docx.")
    # Word only when a document is made: a process that only talks need not hold it
    from handreiking.word import WordTemplate, environment

    tpl = WordTemplate(template)
    try:
        tpl.init_docx()
    except Exception as exc:  # any failure to open someone's file means: not a usable .docx
        raise DocumentError(f"Het sjabloon {template} is geen geldig Word-bestand.") from exc
    out_path = Path(out_path)
    openbaar = out_path.stem.endswith(OPENBAAR)
    with tempfile.TemporaryDirectory() as tmp:
        pictures = _pictures(tpl, plan, profile, Path(tmp))
        if callable(extra):
            extra = extra(tpl)
        context = build_context(
            plan,
            profile,
            findings,
            {**pictures, **(extra or {})},
            stand=stand,
            openbaar=openbaar,
        )
        try:
            tpl.render(context, environment(), autoescape=True)
        except TemplateError as exc:
            raise _error(template, exc) from exc

    out_path.parent.mkdir(parents=True, exist_ok=True)
    # write beside the target, then swap: a reader never sees half a document
    tmp_path = out_path.with_name(f".{out_path.name}.tmp")
    tpl.save(tmp_path)
    os.replace(tmp_path, out_path)
    if out_path.stem in profile.pdf:
        from handreiking.pdf import make_pdf

        make_pdf(out_path)
    return out_path


def render_documents(
    plan: Plan,
    profile: Profile,
    findings: list[Finding],
    out_dir: Path,
    template_dirs: list[Path] | None = None,
    *,
    stand: Stand | None = None,
) -> list[Path]:
    """Every document of profile.documenten that has a template, as out_dir/<name>.docx.

    The planomschrijving belongs to a complex opgave only (Heemstede's proceskader); the
    documents of AFRONDING need the afronding, and the public version is written by
    handreiking.openbaar: those are left out.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        render(name, plan, profile, findings, out_dir / f"{name}.docx", template_dirs, stand=stand)
        for name in profile.documenten
        if find_template(name, template_dirs)
        and name not in AFRONDING
        and not name.endswith(OPENBAAR)
        and (name != "planomschrijving" or plan.complex)
    ]


def document_text(path: Path) -> str:
    """All text of a .docx, paragraphs and table rows (cells tab-separated) in reading order."""
    from docx import Document
    from docx.table import Table

    lines: list[str] = []
    for block in Document(str(path)).iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:
                    if cell is not previous:  # a merged cell is listed once per grid column
                        cells.append(cell.text)
                    previous = cell
                lines.append("\t".join(cells))
        else:
            lines.append(block.text)
    return "\n".join(lines)
