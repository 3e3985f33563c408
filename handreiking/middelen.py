"""The '70 %-plan' of Heerlen's participatietoolbox: from the level and the scale of the opgave,
the middelen projects often use, with the hours and euros they need, so a project budgets
participation before it starts. A gemeente lists its own in its profile (`middelen`); the
neutral list in middelen.yaml is the start for the others."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from handreiking.models import ActiviteitType, Niveau, Plan, Schaal
from handreiking.profiles import Middelen, Profile
from handreiking.resources import load_yaml
from handreiking.understanding import phrase

STANDAARD = Path(__file__).parent / "middelen.yaml"


class Voorstel(BaseModel):
    """One proposed middel with its hours and euros for this scale."""

    naam: str
    type: ActiviteitType
    uren: int
    kosten: int
    naam_en: str | None = None


@cache
def standaard() -> Middelen:
    return Middelen.model_validate(load_yaml(STANDAARD))


def _rond(bedrag: float) -> int:
    """Euros to the nearest 50: an estimate should not look more exact than it is."""
    return int(round(bedrag / 50) * 50)


def voorstel(profile: Profile, niveau: str | None, schaal: str | None) -> list[Voorstel]:
    """The middelen for this level and scale; nothing while either is unknown."""
    try:
        n, s = Niveau(niveau), Schaal(schaal)
    except ValueError:
        return []
    data = profile.middelen or standaard()
    factor = data.factor.get(s, 1.0)
    return [
        Voorstel(
            naam=m.naam,
            naam_en=m.naam_en,
            type=m.type,
            uren=max(1, round(m.uren * factor)),
            kosten=_rond(m.kosten * factor),
        )
        for m in data.niveaus.get(n, [])
        if not m.schalen or s in m.schalen
    ]


def label(v: Voorstel, lang: str = "nl") -> str:
    """'Klankbordgroep (ca. 24 uur, € 600)': how the proposal reads as a choice; in English
    'Sounding board group (about 24 hours, € 600)'. The plan carries the Dutch name."""
    uren = phrase("hours", lang, value=phrase("estimate", lang, value=v.uren))
    kosten = phrase("free", lang) if not v.kosten else f"€ {v.kosten:,}".replace(",", ".")
    naam = v.naam_en if lang == "en" and v.naam_en else v.naam
    return f"{naam} ({uren}, {kosten})"


def naam(profile: Profile, stored: str | None, lang: str = "nl") -> str | None:
    """A middel's name as the plan stores it ('Klankbordgroep', also the description of the
    activity made from it), as the chat shows it: in English its `naam_en` where this
    gemeente's list (or the neutral one) has one; any other text as it is."""
    if lang != "en" or not stored:
        return stored
    data = profile.middelen or standaard()
    for lijst in data.niveaus.values():
        for m in lijst:
            if m.naam == stored and m.naam_en:
                return m.naam_en
    return stored


def is_naam(profile: Profile, text: str | None) -> bool:
    """Whether `text` is the name of one of the middelen (this gemeente's or the neutral list)."""
    data = profile.middelen or standaard()
    return bool(text) and any(m.naam == text for lijst in data.niveaus.values() for m in lijst)


def _voor_plan(profile: Profile, plan: Plan) -> list[Voorstel]:
    niveau = plan.niveau.value if plan.niveau else None
    schaal = plan.schaal.value if plan.schaal else None
    return voorstel(profile, niveau, schaal)


def keuzes(profile: Profile, plan: Plan, lang: str = "nl") -> list[tuple[str, str]]:
    """The proposal as options to choose from: the name, shown with hours and euros."""
    return [(v.naam, label(v, lang)) for v in _voor_plan(profile, plan)]


def soorten(profile: Profile, plan: Plan) -> dict[str, str]:
    """Per middel proposed, its kind of activity: 'klankbordgroep' names the Meedenkgroep."""
    return {v.naam: v.type.value for v in _voor_plan(profile, plan)}


def _names_its_kind(naam: str, kind: str) -> bool:
    """Whether the name is the kind of activity itself, one or more of it: 'Workshops'."""
    fold = [
        "".join(c for c in unicodedata.normalize("NFKD", w.casefold()) if c.isalnum())
        for w in (naam, kind)
    ]
    return fold[0] in {fold[1] + end for end in ("", "s", "en", "n")}


def wachtrij(profile: Profile, plan: Plan) -> list[dict[str, Any]]:
    """The chosen middelen as activities to complete: type and description known, and the
    hours and euros offered as the answer 'ja' takes (the owner may type others)."""
    gekozen = set(plan.middelen_gekozen)
    return [
        {
            "type": v.type.value,
            # 'Buurtschouw' and 'Workshops' need no description beside their kind ('Workshop:
            # Workshops' read oddly); 'Ideeënmarkt' does
            "omschrijving": None if _names_its_kind(v.naam, v.type.value) else v.naam,
            "voorstel_uren": {"waarde": v.uren, "schatting": True},
            "voorstel_kosten": {"min": v.kosten, "max": None, "schatting": True},
        }
        for v in _voor_plan(profile, plan)
        if v.naam in gekozen
    ]
