"""The participatieverslag for an omgevingsvergunning application (art. 7.4 Omgevingsregeling).

The aanvraagvereiste asks whether participation of others took place and, if so, how it took
place and what its results are. The verslag answers in that order, and adds what the
initiatiefnemer did with the results. Before the traject it says what is planned.
"""

from __future__ import annotations

from typing import Any

from babel.lists import format_list

from handreiking.afronding import (
    NOG_NIET,
    Afronding,
    bereikt_namen,
    niet_bereikt,
    per_thema,
    verloop,
)
from handreiking.formatting import LOCALE, datum, onbekend, soort_en_naam
from handreiking.models import Plan, Rol
from handreiking.paragraaf import inbreng_samenvatting, uitgevoerd, zin
from handreiking.planning import op_datum
from handreiking.profiles import Profile

INLEIDING = (
    "Dit verslag hoort bij de aanvraag van een omgevingsvergunning. De Omgevingsregeling "
    "(artikel 7.4) vraagt of er participatie is geweest, en zo ja: hoe die is gegaan en wat die "
    "heeft opgeleverd. Het verslag zegt ook wat de initiatiefnemer met de resultaten heeft gedaan."
)
INLEIDING_VOORAF = (
    "Dit verslag hoort bij de aanvraag van een omgevingsvergunning. De Omgevingsregeling "
    "(artikel 7.4) vraagt of er participatie is geweest. Die is er nog niet geweest: dit verslag "
    "beschrijft wat er gepland is. Na afloop volgt een verslag van wat de participatie heeft "
    "opgeleverd en wat de initiatiefnemer ermee heeft gedaan."
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _meervoud(n: int, een: str, meer: str) -> str:
    return f"{n} {een if n == 1 else meer}"


def _wie(plan: Plan) -> str:
    initiatiefnemer = plan.initiatiefnemer if not onbekend(plan.initiatiefnemer) else None
    return initiatiefnemer or "De initiatiefnemer"


def _groepen(plan: Plan) -> list[str]:
    return [
        b.naam
        for b in plan.belanghebbenden
        if b.rol not in {Rol.beslisser, Rol.proceseigenaar} and not onbekend(b.naam)
    ]


def _na(plan: Plan, afronding: Afronding, profile: Profile) -> list[dict[str, Any]]:
    rows = verloop(plan, afronding)
    gehouden = [r for r in rows if r.gehouden]
    starts = [u.start for u in afronding.uitvoering if u.gehouden and u.start]
    ends = [u.eind for u in afronding.uitvoering if u.gehouden and u.eind]
    if gehouden:
        periode = ""
        if starts and ends:
            periode = f", van {datum(min(starts))} tot en met {datum(max(ends))}"
        plaats = (
            f"Ja. {_wie(plan)} organiseerde "
            f"{_meervoud(len(gehouden), 'activiteit', 'activiteiten')}{periode}."
        )
    else:
        plaats = "Nee. Er is geen activiteit vastgelegd die doorging."

    hoe = []
    bereikt = bereikt_namen(afronding)
    if bereikt:
        hoe.append(f"Mee deden: {format_list(bereikt, locale=LOCALE)}.")
    if niet := [b.naam for b in niet_bereikt(plan, afronding)]:
        hoe.append(f"Niet bereikt: {format_list(niet, locale=LOCALE)}.")
    niveau = afronding.niveau or plan.niveau
    if niveau:
        hoe.append(f"Het niveau van participatie was {profile.niveau_label(niveau)}.")
    if totaal := afronding.deelnames():
        hoe.append(f"Samen telden de activiteiten {totaal} deelnames.")
    activiteiten = [
        {
            "naam": _cap(r.naam),
            "wanneer": r.gedaan,
            "deelnemers": "" if r.deelnemers is None else r.deelnemers,
        }
        for r in rows
    ]

    opgeleverd = [inbreng_samenvatting(afronding)]
    gedaan = []
    for thema, items in per_thema(afronding):
        opgeleverd.append(f"- {thema.naam}: {_meervoud(len(items), 'reactie', 'reacties')}.")
        wat = thema.verwerking.value if thema.verwerking else NOG_NIET
        reden = f" {zin(thema.reden)}" if thema.reden else ""
        gedaan.append(f"- {thema.naam}: {wat}.{reden}")
    afweging = afronding.afweging or plan.afwegingskader
    if not onbekend(afweging):
        gedaan.append(f"Zo is de inbreng gewogen: {zin(afweging)}")
    if not gedaan:
        gedaan.append("Er is nog niet vastgelegd wat er met de inbreng is gedaan.")
    return [
        {"kop": "Heeft participatie plaatsgevonden?", "tekst": plaats, "activiteiten": []},
        {
            "kop": "Hoe is de participatie gegaan?",
            "tekst": "\n".join(hoe) or "Er is niet vastgelegd wie meededen.",
            "activiteiten": activiteiten,
        },
        {
            "kop": "Wat heeft de participatie opgeleverd?",
            "tekst": "\n".join(opgeleverd),
            "activiteiten": [],
        },
        {
            "kop": "Wat heeft de initiatiefnemer met de resultaten gedaan?",
            "tekst": "\n".join(gedaan),
            "activiteiten": [],
        },
    ]


def _vooraf(plan: Plan, profile: Profile) -> list[dict[str, Any]]:
    starts = [a.start for a in plan.activiteiten if a.start]
    ends = [a.eind for a in plan.activiteiten if a.eind]
    if plan.activiteiten:
        periode = ""
        if starts and ends:
            periode = f" Ze staat gepland van {datum(min(starts))} tot en met {datum(max(ends))}."
        plaats = f"Nog niet. {_wie(plan)} bereidt de participatie voor.{periode}"
    else:
        plaats = "Nog niet. Er zijn nog geen activiteiten gepland."
    hoe = []
    if groepen := _groepen(plan):
        hoe.append(f"{_wie(plan)} betrekt {format_list(groepen, locale=LOCALE)}.")
    if plan.niveau:
        hoe.append(f"Het niveau van participatie is {profile.niveau_label(plan.niveau)}.")
    activiteiten = []
    genummerd = enumerate(plan.activiteiten, 1)
    for nr, a in op_datum((a.start, (nr, a)) for nr, a in genummerd):
        naam = soort_en_naam(a.type.value, a.omschrijving)
        if a.periode:
            wanneer = f"{datum(a.periode.van)} tot en met {datum(a.periode.tot)}"
        else:
            wanneer = datum(a.datum) or "nog te bepalen"
        activiteiten.append({"naam": f"{nr}. {_cap(naam)}", "wanneer": wanneer, "deelnemers": ""})
    opleveren = "Dat is nog niet bekend. De resultaten komen in de participatierapportage"
    opleveren += (
        f", die klaar is op {datum(plan.rapportage_datum)}." if plan.rapportage_datum else "."
    )
    doen = []
    if not onbekend(plan.afwegingskader):
        doen.append(f"Zo weegt {_wie(plan)} de inbreng: {zin(plan.afwegingskader)}")
    doen.append("Het verslag na afloop zegt wat er met de inbreng is gedaan, en waarom.")
    return [
        {"kop": "Heeft participatie plaatsgevonden?", "tekst": plaats, "activiteiten": []},
        {
            "kop": "Hoe gaat de participatie?",
            "tekst": "\n".join(hoe) or "Dat ligt nog niet vast.",
            "activiteiten": activiteiten,
        },
        {"kop": "Wat levert de participatie op?", "tekst": opleveren, "activiteiten": []},
        {
            "kop": "Wat doet de initiatiefnemer met de resultaten?",
            "tekst": "\n".join(doen),
            "activiteiten": [],
        },
    ]


def verslag(plan: Plan, afronding: Afronding, profile: Profile) -> dict[str, Any]:
    """The verslag's parts for the template: `stand`, `inleiding` and `delen` (kop, tekst and,
    for how it went, the activities)."""
    klaar = uitgevoerd(afronding)
    return {
        "stand": "na de participatie" if klaar else "voor de participatie",
        "inleiding": INLEIDING if klaar else INLEIDING_VOORAF,
        "delen": _na(plan, afronding, profile) if klaar else _vooraf(plan, profile),
    }


def verslag_tekst(plan: Plan, afronding: Afronding, profile: Profile) -> str:
    """The verslag as plain text, for the command line and the chat."""
    v = verslag(plan, afronding, profile)
    parts = [v["inleiding"]]
    for nr, deel in enumerate(v["delen"], 1):
        lines = [f"{nr}. {deel['kop']}", deel["tekst"]]
        lines += [
            f"- {r['naam']}: {r['wanneer']}"
            + (f", {r['deelnemers']} deelnemers" if r["deelnemers"] != "" else "")
            for r in deel["activiteiten"]
        ]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)
