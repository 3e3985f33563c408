"""Dutch school holidays per region and public holidays, for planning participation around them."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

if TYPE_CHECKING:
    import holidays

Regio = Literal["noord", "midden", "zuid"]

# The package names its school-holiday regions with a capital; profiles use lower case.
_SUBDIV = {"noord": "Noord", "midden": "Midden", "zuid": "Zuid"}
REGIOS: tuple[Regio, ...] = ("noord", "midden", "zuid")

# A year counts as covered only when the package knows all five breaks of it: in its last
# year the package has the spring break but no autumn break yet.
_BREAKS = {"Kerstvakantie", "Voorjaarsvakantie", "Meivakantie", "Zomervakantie", "Herfstvakantie"}


class Holiday(BaseModel):
    """A day on which participation reaches fewer people."""

    naam: str  # Dutch name as the package gives it: 'Kerstvakantie', 'Koningsdag'
    soort: Literal["schoolvakantie", "feestdag"]
    naam_en: str = ""  # the package's English name: 'Christmas Break', "King's Day"


# The holidays package (some MB) loads with the first date that is checked, not at start.


@cache
def _public(language: str = "nl") -> holidays.HolidayBase:
    import holidays

    return holidays.NL(language=language)


@cache
def _school(regio: Regio, language: str = "nl") -> holidays.HolidayBase:
    import holidays

    return holidays.country_holidays(
        "NL", subdiv=_SUBDIV[regio], categories=("school",), language=language
    )


@cache
def _covered_year(year: int) -> bool:
    import holidays

    # The regions share their coverage, so one region answers for all.
    known = holidays.country_holidays(
        "NL", subdiv="Midden", categories=("school",), language="nl", years=year
    )
    return _BREAKS <= set(known.values())


def covered(d: date) -> bool:
    """Whether the holidays package knows the school holidays of d's year."""
    return _covered_year(d.year)


def holiday_on(d: date, regio: str | None) -> Holiday | None:
    """The public holiday on d, else the region's school holiday, else None.

    Without a region only public holidays count. A public holiday wins because it is the more
    precise answer ('Koningsdag' rather than 'Meivakantie').
    """
    name = _public().get(d)
    if name:
        return Holiday(naam=name, soort="feestdag", naam_en=_public("en_US").get(d) or name)
    return school_holiday_on(d, regio)


def school_holiday_on(d: date, regio: str | None) -> Holiday | None:
    """The region's school holiday on d, or None (also without a region)."""
    if regio not in _SUBDIV:
        return None
    name = _school(regio).get(d)
    if not name:
        return None
    return Holiday(
        naam=name, soort="schoolvakantie", naam_en=_school(regio, "en_US").get(d) or name
    )


def school_holiday_regions(d: date) -> dict[str, list[Regio]]:
    """Each school holiday on d with the regions that have it that day, for a gemeente whose
    region is not known: {'Zomervakantie': ['noord']}."""
    found: dict[str, list[Regio]] = {}
    for regio in REGIOS:
        name = _school(regio).get(d)
        if name:
            found.setdefault(name, []).append(regio)
    return found


def school_holiday_for(d: date, regio: str | None) -> Holiday | None:
    """The school holiday on d that may keep a plan's participants away: the region's own, or,
    when the region is not known, any region's, since the gemeente may lie in it."""
    if regio in _SUBDIV:
        return school_holiday_on(d, regio)
    for found in school_holiday_regions(d).values():
        return school_holiday_on(d, found[0])
    return None


def free_day(d: date, regio: str | None) -> bool:
    """No public holiday and no school holiday for the plan (see school_holiday_for)."""
    return holiday_on(d, None) is None and school_holiday_for(d, regio) is None
