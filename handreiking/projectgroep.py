"""The project group's own evaluation of the traject, point by point against the gemeente's
handreiking (Leiden: 'De projectgroep evalueert altijd het participatietraject aan de hand van
deze handreiking'), with what went well and what to do differently next time."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, Field

from handreiking.parsing import ParseError


class Oordeel(StrEnum):
    gedaan = "gedaan"
    deels = "deels"
    niet = "niet gedaan"


class Punt(BaseModel):
    """One point of the handreiking with the project group's verdict and remark."""

    tekst: str
    oordeel: Oordeel
    opmerking: str | None = None


class ProjectgroepEvaluatie(BaseModel):
    punten: list[Punt] = Field(default_factory=list)
    goed: str | None = None  # what went well
    beter: str | None = None  # what the project group does differently next time


# the words people start an answer with, per verdict ('Is dit gedaan?' is answered 'ja' or
# 'nee' too); 'niet helemaal' before 'niet', and 'niet' before 'gedaan': 'niet gedaan'
_WOORDEN = {
    Oordeel.deels: (
        "deels",
        "gedeeltelijk",
        "grotendeels",
        "niet helemaal",
        "een beetje",
        "half",
        "partly",
    ),
    Oordeel.niet: ("niet gedaan", "niet", "nee", "no", "not"),
    Oordeel.gedaan: (
        "gedaan",
        "ja",
        "jazeker",
        "jawel",
        "zeker",
        "klopt",
        "helemaal",
        "klaar",
        "yes",
        "done",
    ),
}


# what only stresses the verdict and says nothing of its own: 'ja hoor', 'nee hoor',
# 'gedaan, zeker wel' (it came out in the table as the remark 'Hoor')
_NADRUK = re.compile(
    r"(?:(?:hoor|zeker|wel|helemaal|natuurlijk|gewoon|prima|absoluut|toch)\b[\s!.,;:–—-]*)+"
    r"$",
    re.I,
)

# before a remark only the words that cannot start one: 'ja hoor, via de nieuwsbrief'
_NADRUK_VOORAF = re.compile(r"^(?:(?:hoor|zeker|natuurlijk|absoluut)\b[\s!.,;:–—-]*)+", re.I)


def lees_oordeel(text: str) -> tuple[Oordeel, str | None]:
    """'deels: de zaal was te klein' -> (deels, 'de zaal was te klein'). ParseError otherwise."""
    stripped = " ".join(text.split()) if isinstance(text, str) else ""
    lowered = stripped.lower()
    for oordeel, woorden in _WOORDEN.items():
        for woord in woorden:
            if re.match(rf"{re.escape(woord)}\b", lowered):
                rest = stripped[len(woord) :].lstrip(" :,;.!-–—").strip()
                if _NADRUK.fullmatch(rest):
                    return oordeel, None
                return oordeel, _NADRUK_VOORAF.sub("", rest) or None
    raise ParseError("oordeel")


def check_oordeel(value: str | None) -> None:
    """The interview's check: the answer starts with a verdict."""
    if value is not None:
        lees_oordeel(value)


def samenvatting(evaluatie: ProjectgroepEvaluatie) -> str:
    """'12 punten gedaan, 3 deels, 1 niet': the verdicts counted, for a short line."""
    tel = {o: sum(1 for p in evaluatie.punten if p.oordeel == o) for o in Oordeel}
    delen = [f"{tel[Oordeel.gedaan]} gedaan", f"{tel[Oordeel.deels]} deels"]
    delen.append(f"{tel[Oordeel.niet]} niet gedaan")
    n = len(evaluatie.punten)
    return f"Van de {n} punten van de handreiking: {', '.join(delen)}."
