"""Gemeente profiles: rules, vocabulary and addresses of each gemeente, one YAML file each."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from handreiking.models import ActiviteitType, Niveau, Schaal
from handreiking.resources import load_yaml, shipped

PROFILE_DIR = Path(__file__).parent / "profiles"


class Publicatie(BaseModel):
    """A public document of the gemeente (or the law) that rules and tips come from."""

    titel: str
    jaar: int | None = None
    url: str
    # who publishes it when that is not the gemeente itself ('Rijksoverheid')
    uitgever: str | None = None


class Bron(BaseModel):
    """Where a rule or tip comes from: one of the profile's publicaties, and its section.

    `document` is a key of the profile's `publicaties`; loading the profile fills in
    `publicatie` and `gemeente`, so a Bron can say where a reader finds it.
    """

    document: str
    onderdeel: str | None = None
    # the rule or tip in the document's own words, for the advisor's appendix
    tekst: str | None = None
    publicatie: Publicatie | None = None
    gemeente: str | None = None

    def __str__(self) -> str:
        return self.citeer()

    def citeer(self, gemeente: bool = True, lang: str = "nl") -> str:
        """'Checklist participatie, gemeente Leiden (2023), onderdeel ‘Tijdig aankondigen’:
        https://www.leiden.nl/participatie'; without the gemeente where the reader knows it. In
        English the words around the document's own title: 'municipality of Leiden', 'section'."""
        p = self.publicatie
        if p is None:
            return self.document
        words = _citation_words(lang)
        wie = p.uitgever or (
            words["gemeente"].format(gemeente=self.gemeente) if gemeente and self.gemeente else None
        )
        text = f"{p.titel}, {wie}" if wie else p.titel
        if p.jaar:
            text += f" ({p.jaar})"
        if self.onderdeel:
            text += ", " + words["onderdeel"].format(onderdeel=self.onderdeel)
        return f"{text}: {p.url}"


@cache
def _citation_words(lang: str) -> dict[str, str]:
    """How a source names the gemeente and the section: templates/messages/bevindingen.yaml."""
    texts = load_yaml(shipped("templates") / "messages" / "bevindingen.yaml")
    return {
        word: texts[f"bron_{word}"].get(lang) or texts[f"bron_{word}"]["nl"]
        for word in ("gemeente", "onderdeel")
    }


class Middel(BaseModel):
    """One means of participation with the hours and euros it typically takes for a buurt."""

    naam: str
    naam_en: str | None = None  # for the chat in English; the plan keeps `naam`
    type: ActiviteitType
    uren: float
    kosten: float
    # the scales it fits; empty: every scale
    schalen: list[Schaal] = Field(default_factory=list)


class Middelen(BaseModel):
    """The toolbox's '70 %-plan': middelen per level, scaled by how far the opgave reaches."""

    # hours and euros for a buurt times this factor per scale
    factor: dict[Schaal, float] = Field(default_factory=dict)
    niveaus: dict[Niveau, list[Middel]] = Field(default_factory=dict)
    bron: Bron | None = None


class Termijn(BaseModel):
    """A number of days that the gemeente's own rules set."""

    dagen: int
    bron: Bron


class MinimumNiveau(BaseModel):
    niveau: Niveau
    bron: Bron


class VakantieRegel(BaseModel):
    """No activities in school holidays unless unavoidable."""

    bron: Bron


class ChecklistItem(BaseModel):
    tekst: str
    bron: Bron
    # code of the check in handreiking.rules that this item makes the gemeente's own rule
    bevinding: str | None = None


class EvaluatieVraag(BaseModel):
    """One question of the evaluation form for participants: a score from 1 to 5, or open."""

    key: str
    tekst: str
    soort: Literal["schaal", "open"] = "schaal"


class Hoofdstuk(BaseModel):
    """One numbered chapter of the participatieplan, in the gemeente's order and words."""

    key: Literal[
        "opgave",
        "kaders",
        "ruimte",
        "niveau",
        "doel",
        "deelnemers",
        "aanpak",
        "planning",
        "afweging",
        "terugkoppeling",
        "evaluatie",
        "privacy",
        "afspraken",
    ]
    titel: str


# The order most formats of a participatieplan share (Leiden's format follows its checklist).
STANDAARD_HOOFDSTUKKEN = [
    Hoofdstuk(key="opgave", titel="De opgave en wie beslist"),
    Hoofdstuk(key="kaders", titel="Wat ligt al vast"),
    Hoofdstuk(key="ruimte", titel="Ruimte voor participatie"),
    Hoofdstuk(key="niveau", titel="Niveau van participatie"),
    Hoofdstuk(key="doel", titel="Doel van de participatie"),
    Hoofdstuk(key="deelnemers", titel="Belanghebbenden en rollen"),
    Hoofdstuk(key="aanpak", titel="Aanpak en middelen"),
    Hoofdstuk(key="planning", titel="Planning"),
    Hoofdstuk(key="afweging", titel="Hoe we de inbreng afwegen"),
    Hoofdstuk(key="terugkoppeling", titel="Terugkoppeling en publicatie"),
    Hoofdstuk(key="evaluatie", titel="Evaluatie"),
    Hoofdstuk(key="privacy", titel="Privacy"),
    Hoofdstuk(key="afspraken", titel="Afspraken"),
]


class Profile(BaseModel):
    key: str
    naam: str
    # the public documents the profile's rules and tips cite, by a short key
    publicaties: dict[str, Publicatie] = Field(default_factory=dict)
    # other names people use for the gemeente, such as its kernen ('Voorburg')
    namen: list[str] = Field(default_factory=list)
    # the gemeente's own words for options: option set -> option value -> language -> words
    synoniemen: dict[str, dict[str, dict[str, list[str]]]] = Field(default_factory=dict)
    regio: Literal["noord", "midden", "zuid"] | None = None
    adviseurs: list[str] = Field(default_factory=list)
    handreiking: Bron | None = None
    aankondiging: Termijn | None = None
    online_inbreng: Termijn | None = None
    minimum_niveau: MinimumNiveau | None = None
    vakantie: VakantieRegel | None = None
    # 'ladder' names levels as the participatieladder does; 'samen' uses Heemstede's words
    woordenschat: Literal["ladder", "samen"] = "ladder"
    niveau_labels: dict[Niveau, str] = Field(default_factory=dict)
    # question keys this gemeente does not ask
    vragen_uit: list[str] = Field(default_factory=list)
    documenten: list[str] = Field(default_factory=lambda: ["participatieplan", "planomschrijving"])
    checklist: list[ChecklistItem] = Field(default_factory=list)
    update_ritme_weken: int = 4
    # the participants' evaluation form; empty: the default set in handreiking.evaluatie
    evaluatievragen: list[EvaluatieVraag] = Field(default_factory=list)
    # days before the notice deadline that the owner is reminded to prepare the aankondiging
    voorbereiding_dagen: int = 14
    # AVG: days the participants' personal data is kept after the besluit was told
    bewaartermijn_dagen: int = 90
    # fields left out of the public version of the plan
    intern: list[str] = Field(default_factory=list)
    # the chapters of the participatieplan in the gemeente's order; each key once
    hoofdstukken: list[Hoofdstuk] = Field(default_factory=lambda: list(STANDAARD_HOOFDSTUKKEN))
    # who keeps regie over participation by others, in the gemeente's words (Leiden)
    regie: str | None = None
    # where the plan and the rapportage are published, after 'gepubliceerd'
    publiceren_in: str = "op de website van de gemeente"
    # documents that get a tagged PDF next to the .docx: the ones meant for publication
    pdf: list[str] = Field(
        default_factory=lambda: [
            "participatieplan-openbaar",
            "participatierapportage",
            "participatieverslag-aanvraag",
        ]
    )
    # 'Ken je omgeving' (Leiden): ask whether the owner went and talked there, and to whom
    omgeving: Bron | None = None
    # 'alleen starten als het haalbaar is' (Heemstede): room, time and budget, asked first
    haalbaarheid: Bron | None = None
    # evaluate halfway as well as afterwards (Heemstede)
    tussentijdse_evaluatie: Bron | None = None
    # ask each party's influence, interest and position, and draw them (Heerlen's toolbox)
    stakeholderanalyse: bool = False
    # the middelen proposed per level and scale; none: the neutral list in handreiking/middelen.yaml
    middelen: Middelen | None = None
    avg_standaard: str = (
        "We bewaren alleen naam en e-mailadres of chatnaam van deelnemers, "
        "alleen om hen over dit traject te informeren. "
        "Na afloop van het traject vernietigen we deze gegevens."
    )
    # what the chat shows an English speaker; the plan keeps the Dutch. A profile with its own
    # Dutch text and no English one shows its Dutch (a translation of another text would lie).
    avg_standaard_en: str | None = (
        "We only keep the name and e-mail address or chat name of participants, "
        "only to inform them about this process. "
        "When the process is over, we destroy this data."
    )

    @model_validator(mode="before")
    @classmethod
    def _avg_en(cls, data: Any) -> Any:
        if isinstance(data, dict) and "avg_standaard" in data and "avg_standaard_en" not in data:
            return {**data, "avg_standaard_en": None}
        return data

    @model_validator(mode="after")
    def _cite(self) -> Profile:
        """Tie every Bron to the publicatie it names, so it can cite title, year and URL."""
        keys = [h.key for h in self.hoofdstukken]
        if len(keys) != len(set(keys)):
            raise ValueError("hoofdstukken: each chapter once")
        for bron in self.bronnen():
            if bron.document in self.publicaties:
                bron.publicatie = self.publicaties[bron.document]
                bron.gemeente = self.naam
            elif self.publicaties:
                raise ValueError(f"bron: '{bron.document}' is not one of the publicaties")
        return self

    def bronnen(self) -> list[Bron]:
        """Every Bron in the profile."""
        found = [c.bron for c in self.checklist]
        for rule in (self.aankondiging, self.online_inbreng, self.minimum_niveau, self.vakantie):
            if rule is not None:
                found.append(rule.bron)
        eigen = (self.handreiking, self.omgeving, self.haalbaarheid, self.tussentijdse_evaluatie)
        for bron in eigen:
            if bron is not None:
                found.append(bron)
        if self.middelen is not None and self.middelen.bron is not None:
            found.append(self.middelen.bron)
        return found

    def niveau_label(self, niveau: Niveau) -> str:
        return self.niveau_labels.get(niveau, niveau.value)


def _search_dirs(extra: Path | None) -> list[Path]:
    return [d for d in (extra, PROFILE_DIR) if d is not None]


@cache
def _load(path: Path) -> Profile:
    data = load_yaml(path)
    return Profile.model_validate(data)


def load_profile(key: str, extra_dir: Path | None = None) -> Profile:
    """The profile for a gemeente key ('leiden'); a file in extra_dir wins over the shipped one."""
    key = key.strip().lower().replace(" ", "-")
    for d in _search_dirs(extra_dir):
        path = d / f"{key}.yaml"
        if path.is_file():
            return _load(path)
    raise KeyError(key)


# the neutral profile, for a gemeente without one of its own here
STANDAARD = "standaard"


def profile_or_default(
    key: str | None, extra_dir: Path | None = None, naam: str | None = None
) -> Profile:
    """The gemeente's profile; the neutral 'standaard' one for no or an unknown gemeente.
    `naam`: the gemeente's own name (Plan.gemeente_naam), shown by the neutral profile instead
    of 'Andere gemeente' in documents, pages and mails."""
    try:
        profile = load_profile(key or STANDAARD, extra_dir)
    except KeyError:
        profile = load_profile(STANDAARD, extra_dir)
    if naam and profile.key == STANDAARD:
        return profile.model_copy(update={"naam": naam})
    return profile


def profile_for(data: Mapping[str, Any], extra_dir: Path | None = None) -> Profile:
    """The profile of a plan's answers: its gemeente's, by the name it was given if the gemeente
    has none of its own."""
    return profile_or_default(data.get("gemeente"), extra_dir, data.get("gemeente_naam"))


def available_profiles(extra_dir: Path | None = None) -> dict[str, Profile]:
    """Every known gemeente, by key; the neutral default is called 'standaard'."""
    found: dict[str, Profile] = {}
    for d in reversed(_search_dirs(extra_dir)):
        if d.is_dir():
            for path in sorted(d.glob("*.yaml")):
                found[path.stem] = _load(path)
    return found
