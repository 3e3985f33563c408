"""The participatieparagraaf for a college or raad proposal, in the gemeente's own words."""

from __future__ import annotations

from typing import NamedTuple

from babel.lists import format_list

from handreiking.afronding import (
    NOG_NIET,
    Afronding,
    bereikt_namen,
    per_thema,
    vergelijk,
    verloop,
)
from handreiking.formatting import LOCALE, datum, onbekend, soort_en_naam
from handreiking.models import Plan, Rol
from handreiking.planning import MET_LIDWOORD, op_datum
from handreiking.profiles import Profile


class Alinea(NamedTuple):
    """One part of the paragraaf: a short heading and its text (lines separated by '\\n')."""

    kop: str
    tekst: str


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _meervoud(n: int, een: str, meer: str) -> str:
    return f"{n} {een if n == 1 else meer}"


def zin(text: str) -> str:
    """A typed answer as a sentence: it ends with a full stop."""
    text = text.strip()
    return text if text[-1:] in ".!?" else f"{text}."


def hoofdletter(text: str) -> str:
    """A typed answer that starts a sentence: 'er komen ...' -> 'Er komen ...'."""
    return text[:1].upper() + text[1:]


def uitgevoerd(afronding: Afronding) -> bool:
    """Whether the traject has run: something of the closing interview is recorded."""
    return bool(afronding.uitvoering or afronding.inbreng or afronding.themas or afronding.besluit)


def _niveau(plan: Plan, afronding: Afronding, profile: Profile) -> Alinea:
    samen = profile.woordenschat == "samen"
    klaar = uitgevoerd(afronding)
    zinnen = []
    if plan.niveau:
        label = profile.niveau_label(plan.niveau)
        # Heemstede speaks of samen denken / doen / beslissen, the others of the ladder
        if samen:
            zinnen.append(f"Voor deze opgave is gekozen voor {label}.")
        else:
            zinnen.append(f"Voor deze opgave is gekozen voor {label} op de participatieladder.")
    else:
        zinnen.append("Het plan legde geen niveau van participatie vast.")
    if not onbekend(plan.niveau_toelichting):
        zinnen.append(f"Waarom: {zin(plan.niveau_toelichting)}")
    if afronding.niveau and afronding.niveau != plan.niveau:
        zinnen.append(f"In de uitvoering werd het {profile.niveau_label(afronding.niveau)}.")
    if plan.doelen:
        doelen = format_list([d.value for d in plan.doelen], locale=LOCALE)
        zinnen.append(f"Het doel {'was' if klaar else 'is'} {doelen}.")
    kop = "Vorm van participatie" if samen else "Niveau van participatie"
    return Alinea(kop, " ".join(zinnen))


def _deelname(plan: Plan, afronding: Afronding) -> Alinea:
    regels = verloop(plan, afronding)
    gehouden = [r for r in regels if r.gehouden]
    lines = []
    if gehouden:
        lines.append(
            f"Er {'was' if len(gehouden) == 1 else 'waren'} "
            f"{_meervoud(len(gehouden), 'activiteit', 'activiteiten')}:"
        )
        for r in gehouden:
            aantal = _meervoud(r.deelnemers, "deelnemer", "deelnemers") if r.deelnemers else None
            lines.append(f"- {_cap(r.naam)}: {r.gedaan}" + (f", {aantal}." if aantal else "."))
    else:
        lines.append("Er is geen activiteit vastgelegd die doorging.")
    totaal = afronding.deelnames()
    if totaal is not None:
        lines.append(f"Samen telden de activiteiten {totaal} deelnames.")
    if afronding.bereikt:
        lines.append(f"Mee deden: {format_list(bereikt_namen(afronding), locale=LOCALE)}.")
    return Alinea("Wie deden mee", "\n".join(lines))


def _gepland(plan: Plan) -> Alinea:
    """Before the traject: who will take part, in which activities."""
    lines = []
    if plan.activiteiten:
        n = len(plan.activiteiten)
        lines.append(
            f"Er {'is' if n == 1 else 'zijn'} {_meervoud(n, 'activiteit', 'activiteiten')} gepland:"
        )
        for a in op_datum((a.start, a) for a in plan.activiteiten):
            naam = soort_en_naam(a.type.value, a.omschrijving)
            if a.periode:
                wanneer = f"van {datum(a.periode.van)} tot en met {datum(a.periode.tot)}"
            elif a.datum:
                wanneer = f"op {datum(a.datum)}"
            else:
                wanneer = "datum nog te bepalen"
            lines.append(f"- {_cap(naam)}, {wanneer}.")
    else:
        lines.append("Er zijn nog geen activiteiten gepland.")
    groepen = [
        b.naam
        for b in plan.belanghebbenden
        if b.rol not in {Rol.beslisser, Rol.proceseigenaar} and not onbekend(b.naam)
    ]
    if groepen:
        lines.append(f"We betrekken {format_list(groepen, locale=LOCALE)}.")
    return Alinea("Wie doen mee", "\n".join(lines))


def _inbreng_gepland(plan: Plan) -> Alinea:
    """Before the traject: what will happen with the input."""
    lines = []
    if plan.rapportage_datum:
        lines.append(
            "De inbreng komt in de participatierapportage. Die is klaar op "
            f"{datum(plan.rapportage_datum)}."
        )
    else:
        lines.append("De inbreng komt in de participatierapportage.")
    if not onbekend(plan.afwegingskader):
        lines.append(f"Zo wordt de inbreng gewogen: {zin(plan.afwegingskader)}")
    if plan.besluitdatum:
        lines.append(f"Het besluit staat gepland op {datum(plan.besluitdatum)}.")
    return Alinea("Wat er met de inbreng gebeurt", "\n".join(lines))


def inbreng_samenvatting(afronding: Afronding) -> str:
    """'Er kwamen 37 reacties binnen via DoeMee, over 4 thema's.'"""
    n_themas = len(per_thema(afronding))
    themas = ", over " + _meervoud(n_themas, "thema", "thema's") if n_themas else ""
    if not afronding.inbreng:
        return f"Er zijn geen losse reacties vastgelegd{themas}."
    bronnen = sorted({i.bron for i in afronding.inbreng if i.bron})
    via = f" via {format_list(bronnen, locale=LOCALE)}" if bronnen else ""
    reacties = _meervoud(len(afronding.inbreng), "reactie", "reacties")
    kwam = "kwam" if len(afronding.inbreng) == 1 else "kwamen"
    return f"Er {kwam} {reacties} binnen{via}{themas}."


def _inbreng(afronding: Afronding) -> Alinea:
    lines = [inbreng_samenvatting(afronding)]
    themas = per_thema(afronding)
    if themas:
        delen = [f"{t.naam} ({len(items)})" if items else t.naam for t, items in themas]
        lines.append(f"De thema's met het aantal reacties: {format_list(delen, locale=LOCALE)}.")
    return Alinea("Wat kwam er binnen", "\n".join(lines))


def _verwerking(plan: Plan, afronding: Afronding) -> Alinea:
    lines = []
    for thema, _ in per_thema(afronding):
        wat = thema.verwerking.value if thema.verwerking else NOG_NIET
        # after 'Groen: deels overgenomen.' the reason starts a new sentence
        reden = f" {hoofdletter(zin(thema.reden))}" if thema.reden else ""
        lines.append(f"{thema.naam}: {wat}.{reden}")
    afweging = afronding.afweging or plan.afwegingskader
    if not onbekend(afweging):
        lines.append(f"Zo is de inbreng gewogen: {zin(afweging)}")
    if not lines:
        lines.append("Er is nog niet vastgelegd wat er met de inbreng is gedaan.")
    return Alinea("Wat is er met de inbreng gedaan", "\n".join(lines))


def vastgestelde_stukken(plan: Plan) -> str:
    """What college or raad adopted: Heemstede's planomschrijving comes with a complex opgave."""
    return "de planomschrijving en het participatieplan" if plan.complex else "het participatieplan"


def _afwijkingen(plan: Plan, afronding: Afronding, profile: Profile) -> Alinea:
    stukken = vastgestelde_stukken(plan)
    afwijkingen = vergelijk(plan, afronding, profile)
    if profile.woordenschat == "samen":
        # Heemstede's basisstap 5: 'in hoeverre het gelopen traject voldaan heeft aan de vooraf
        # vastgestelde planomschrijving en het participatieplan'
        kop = f"Hoe het traject zich hield aan {stukken}"
    else:
        kop = "Afwijkingen van het plan"
    if not afwijkingen:
        return Alinea(kop, f"Het traject liep zoals {stukken} beschreef.")
    lines = [f"Het traject week op deze punten af van {stukken}:"]
    for a in afwijkingen:
        lines.append(f"- {a.tekst} Reden: {a.reden}" if a.reden else f"- {a.tekst}")
    return Alinea(kop, "\n".join(lines))


def _besluit(afronding: Afronding) -> Alinea | None:
    besluit = afronding.besluit
    if besluit is None:
        return None
    tekst = (
        f"Op {datum(besluit.datum)} besloot {MET_LIDWOORD[besluit.orgaan]}: {zin(besluit.uitkomst)}"
    )
    if besluit.link:
        tekst += f"\nMeer informatie: {besluit.link}"
    return Alinea("Besluit", tekst)


def alineas(plan: Plan, afronding: Afronding, profile: Profile) -> list[Alinea]:
    """The parts of the paragraaf; `plan` is the plan as college or raad adopted it.

    Before the traject (nothing of the closing interview recorded) it says what is planned,
    in the present and future tense; after it, what took place.
    """
    if not uitgevoerd(afronding):
        return [_niveau(plan, afronding, profile), _gepland(plan), _inbreng_gepland(plan)]
    parts = [
        _niveau(plan, afronding, profile),
        _deelname(plan, afronding),
        _inbreng(afronding),
        _verwerking(plan, afronding),
        _afwijkingen(plan, afronding, profile),
        _besluit(afronding),
    ]
    return [p for p in parts if p is not None]


def paragraaf_tekst(plan: Plan, afronding: Afronding, profile: Profile) -> str:
    """The participatieparagraaf as plain text: level, who took part, what came in, what was
    done with it, deviations from the plan and why (Heerlen: in every proposal).
    """
    return "\n\n".join(f"{a.kop}\n{a.tekst}" for a in alineas(plan, afronding, profile))
