"""Gemeente profiles: rules, vocabulary and addresses of each gemeente, one YAML file each."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field

from handreiking.models import Niveau

PROFILE_DIR = Path(__file__).parent / "profiles"


class Bron(BaseModel):
    """Where a rule or text comes from: the document and the line in it."""

    document: str
    regel: int | None = None

    def __str__(self) -> str:
        return f"{self.document}, regel {self.regel}" if self.regel else self.document


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


class Profile(BaseModel):
    key: str
    naam: str
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
    # AVG (issue 7): days the participants' personal data is kept after the besluit was told
    bewaartermijn_dagen: int = 90
    # fields left out of the public version of the plan
    intern: list[str] = Field(default_factory=list)
    avg_standaard: str = (
        "We bewaren alleen naam en e-mailadres of chatnaam van deelnemers, "
        "alleen om hen over dit traject te informeren. "
        "Na afloop van het traject vernietigen we deze gegevens."
    )

    def niveau_label(self, niveau: Niveau) -> str:
        return self.niveau_labels.get(niveau, niveau.value)


def _search_dirs(extra: Path | None) -> list[Path]:
    return [d for d in (extra, PROFILE_DIR) if d is not None]


@cache
def _load(path: Path) -> Profile:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Profile.model_validate(data)


def load_profile(key: str, extra_dir: Path | None = None) -> Profile:
    """The profile for a gemeente key ('leiden'); a file in extra_dir wins over the shipped one."""
    key = key.strip().lower().replace(" ", "-")
    for d in _search_dirs(extra_dir):
        path = d / f"{key}.yaml"
        if path.is_file():
            return _load(path)
    raise KeyError(key)


def profile_or_default(key: str | None, extra_dir: Path | None = None) -> Profile:
    """The gemeente's profile; the neutral 'standaard' one for no or an unknown gemeente."""
    try:
        return load_profile(key or "standaard", extra_dir)
    except KeyError:
        return load_profile("standaard", extra_dir)


def available_profiles(extra_dir: Path | None = None) -> dict[str, Profile]:
    """Every known gemeente, by key; the neutral default is called 'standaard'."""
    found: dict[str, Profile] = {}
    for d in reversed(_search_dirs(extra_dir)):
        if d.is_dir():
            for path in sorted(d.glob("*.yaml")):
                found[path.stem] = _load(path)
    return found
