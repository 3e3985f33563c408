"""Checks of a plan against the gemeente's rules and the handreiking's tips: each one a Finding."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel

from handreiking.models import Plan
from handreiking.profiles import Profile


class Soort(StrEnum):
    beleidsregel = "beleidsregel"
    tip = "tip"


class Finding(BaseModel):
    code: str  # stable id, unique within a plan, e.g. 'aankondiging:2' for the 2nd activity
    soort: Soort
    tekst: str  # plain Dutch explanation
    bron: str  # document and line
    vraag: str  # question key where it shows
    afwijking: str | None = None  # the user's reason to keep it, if given


def check(plan: Plan, profile: Profile, today: date) -> list[Finding]:
    """Every finding on the plan as it stands."""
    raise NotImplementedError
