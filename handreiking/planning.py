"""Planning counted back from the besluitdatum: proposed dates for questions and the milestones."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from typing import Any, Literal, TypeVar, get_args

from babel.dates import format_date
from pydantic import BaseModel, TypeAdapter, ValidationError

from handreiking.calendar import free_day, holiday_on, school_holiday_for
from handreiking.formatting import soort_en_naam
from handreiking.models import Activiteit, ActiviteitType, Beslisser, Plan
from handreiking.profiles import Profile

# The handreiking's general planning advice where a gemeente sets no number of its own:
# announce a meeting 3 weeks ahead and keep online inbreng open 3 weeks.
ALGEMEEN_AANKONDIGING_DAGEN = 21
ALGEMEEN_INBRENG_DAGEN = 21

RAPPORTAGE_VOOR_BESLUIT = timedelta(weeks=4)
EVALUATIE_NA_BESLUIT = timedelta(weeks=6)
# Room between the last activity and the rapportage to write it up.
UITWERKEN = timedelta(weeks=1)
# Time to prepare an activity that needs no announcement (a survey, a letter).
VOORBEREIDEN = timedelta(weeks=1)
# Between two proposed activities, so they do not pile up on one week.
TUSSENRUIMTE = timedelta(weeks=2)
# How far a proposal may shift to avoid a holiday before it gives up.
ZOEKEN = 70

Soort = Literal[
    "aankondiging",
    "activiteit",
    "activiteit_eind",
    "inbreng_open",
    "inbreng_dicht",
    "update",
    "tussentijdse_evaluatie",
    "rapportage",
    "besluit",
    "evaluatie",
]
# Same-day milestones in the order they happen.
_ORDER = list(get_args(Soort))


MET_LIDWOORD = {
    Beslisser.initiatiefnemer: "de initiatiefnemer",
    Beslisser.ambtenaren: "de ambtenaren",
    Beslisser.college: "het college",
    Beslisser.raad: "de raad",
}


class Milestone(BaseModel):
    """One dated step of the traject, for reminders, the .ics file and the timeline."""

    datum: date
    soort: Soort
    omschrijving: str
    activiteit: int | None = None  # 1-based index in plan.activiteiten
    voorgesteld: bool = False  # derived by the planner, not entered by the user


def aankondiging_dagen(profile: Profile) -> int:
    """Days of notice before a meeting: the gemeente's rule, else the general advice."""
    return profile.aankondiging.dagen if profile.aankondiging else ALGEMEEN_AANKONDIGING_DAGEN


def uiterlijk_aankondigen(start: date, profile: Profile) -> date:
    """The last day to announce an activity on: the notice period before it, earlier when that
    is a weekend or a public holiday (a flyer on Christmas Day reaches no one)."""
    d = start - timedelta(days=aankondiging_dagen(profile))
    while d.weekday() >= 5 or holiday_on(d, None) is not None:
        d -= timedelta(days=1)
    return d


def inbreng_dagen(profile: Profile) -> int:
    """Days online inbreng stays open: the gemeente's rule, else the general advice."""
    return profile.online_inbreng.dagen if profile.online_inbreng else ALGEMEEN_INBRENG_DAGEN


def datum_tekst(d: date) -> str:
    """A date as people write it: '12 maart 2026'."""
    return format_date(d, format="d MMMM yyyy", locale="nl")


def needs_announcement(a: Activiteit) -> bool:
    """A meeting people attend is announced, unless the owner said it needs none."""
    return a.type.needs_notice and "aankondiging" not in a.nvt


def activiteit_tekst(a: Activiteit, index: int) -> str:
    """'activiteit 2 (bijeenkomst: Inloopavond)'."""
    return f"activiteit {index} ({soort_en_naam(a.type.value, a.omschrijving)})"


_DATE = TypeAdapter(date)


def _as_date(value: Any) -> date | None:
    try:
        return _DATE.validate_python(value) if value else None
    except ValidationError:
        return None


def _item_start(item: dict[str, Any]) -> date | None:
    periode = item.get("periode")
    if isinstance(periode, dict):
        return _as_date(periode.get("van"))
    if periode is not None and hasattr(periode, "van"):
        return periode.van
    return _as_date(item.get("datum"))


def _item_type(item: dict[str, Any]) -> ActiviteitType | None:
    try:
        return ActiviteitType(item.get("type"))
    except ValueError:
        return None


def _rapportage(plan: Plan) -> date | None:
    if plan.rapportage_datum:
        return plan.rapportage_datum
    return plan.besluitdatum - RAPPORTAGE_VOOR_BESLUIT if plan.besluitdatum else None


def _laatste_dag(plan: Plan) -> date | None:
    """The last day activities fit in: a week before the rapportage is due."""
    rapportage = _rapportage(plan)
    return rapportage - UITWERKEN if rapportage else None


def _laatste_eind(plan: Plan) -> date | None:
    ends = [a.eind for a in plan.activiteiten if a.eind]
    return max(ends) if ends else None


def _days(start: date, stop: date) -> Iterator[date]:
    for n in range((stop - start).days + 1):
        yield start + timedelta(days=n)


def _search(candidate: date, ok: Callable[[date], bool], low: date, high: date | None) -> date:
    """The first day from candidate on that is ok, else the nearest earlier one, else candidate."""
    end = candidate + timedelta(days=ZOEKEN)
    if high is not None:
        end = min(end, high)
    for d in _days(candidate, end):
        if ok(d):
            return d
    for n in range(1, (candidate - low).days + 1):
        if ok(candidate - timedelta(days=n)):
            return candidate - timedelta(days=n)
    return candidate


def _start_proposal(plan: Plan, earliest: date, length: int) -> tuple[date, date | None]:
    """Where a new activity of `length` days would start: after the earlier ones, in the window."""
    candidate = earliest
    last = _laatste_eind(plan)
    if last:
        candidate = max(candidate, last + TUSSENRUIMTE)
    high = _laatste_dag(plan)
    if high is not None:
        high = high - timedelta(days=length - 1)
        if candidate > high:
            # No room left after the other activities: the start of the window is the best try.
            candidate = max(earliest, min(candidate, high))
    return candidate, high


def _propose_datum(plan: Plan, profile: Profile, today: date, item: dict[str, Any]) -> date:
    soort = _item_type(item)
    notice = aankondiging_dagen(profile) if soort and soort.needs_notice else 0
    earliest = today + timedelta(days=notice) + VOORBEREIDEN
    candidate, high = _start_proposal(plan, earliest, 1)

    return _search(candidate, lambda d: _usable(d, profile), earliest, high)


def _usable(d: date, profile: Profile) -> bool:
    """A weekday outside the holidays: gemeente meetings are on weekdays, and a holiday costs
    participants (without a known region, any region's school holiday: the gemeente may lie in
    it)."""
    return d.weekday() < 5 and free_day(d, profile.regio)


def _nearest_usable(d: date, profile: Profile, step: int) -> date:
    """d, or the nearest usable day in the direction of `step` (within ZOEKEN days)."""
    for _ in range(ZOEKEN):
        if _usable(d, profile):
            break
        d += timedelta(days=step)
    return d


def _propose_periode(plan: Plan, profile: Profile, today: date) -> tuple[date, date]:
    length = inbreng_dagen(profile)
    earliest = today + VOORBEREIDEN
    candidate, high = _start_proposal(plan, earliest, length)

    def ok(van: date) -> bool:
        days = _days(van, van + timedelta(days=length - 1))
        return all(school_holiday_for(d, profile.regio) is None for d in days)

    van = _search(candidate, ok, earliest, high)
    return van, _period_end(van, profile)


def _period_end(van: date, profile: Profile) -> date:
    """The day the period has been open the minimum number of days outside school holidays."""
    needed = inbreng_dagen(profile)
    d = van
    for _ in range(needed + ZOEKEN):
        if not school_holiday_for(d, profile.regio):
            needed -= 1
            if needed == 0:
                return d
        d += timedelta(days=1)
    return van + timedelta(days=inbreng_dagen(profile) - 1)


def _workday(d: date, step: int) -> date:
    """d, or the nearest Monday to Friday in the direction of `step` (a deadline counted from a
    besluit on a Saturday fell on a Saturday too)."""
    while d.weekday() >= 5:
        d += timedelta(days=step)
    return d


T = TypeVar("T")


def op_datum(items: Iterable[tuple[date | None, T]]) -> list[T]:
    """The items in date order, undated last; ties keep their order (the plan keeps its
    activities in the order they were typed)."""
    return [item for _, item in sorted(items, key=lambda p: (p[0] is None, p[0] or date.min))]


def propose(
    plan: Plan, profile: Profile, key: str, today: date, item: dict[str, Any] | None = None
) -> date | None:
    """A proposed answer for a date question, or None when there is nothing to go on.

    Plan keys: 'rapportage_datum', 'evaluatie_datum'. Keys inside an activity (item holds the
    activity's answers so far): 'datum', 'aankondiging', 'periode' (its start) and 'tot' (its
    end). A proposal is never before today.
    """
    item = item or {}
    if key == "rapportage_datum":
        if not plan.besluitdatum or plan.besluitdatum <= today:
            return None
        datum = plan.besluitdatum - RAPPORTAGE_VOOR_BESLUIT
        last = _laatste_eind(plan)
        if last and last + UITWERKEN > datum:
            datum = min(last + UITWERKEN, plan.besluitdatum - timedelta(days=1))
        return max(_workday(datum, -1), today)
    if key == "evaluatie_datum":
        base = plan.besluitdatum or plan.rapportage_datum
        if not base:
            return None
        # the participants evaluate too: not in a school holiday (27 July was proposed)
        d = _nearest_usable(base + EVALUATIE_NA_BESLUIT, profile, 1)
        return max(d, today)
    if key == "aankondiging":
        start = _item_start(item)
        if not start or start <= today:
            return None
        # earlier, never later: the notice is a minimum; and not in a school holiday, when a
        # flyer or a message reaches few (23 and 31 December were proposed): the last day before
        return max(_nearest_usable(uiterlijk_aankondigen(start, profile), profile, -1), today)
    if key == "datum":
        return _propose_datum(plan, profile, today, item)
    if key == "periode":
        return _propose_periode(plan, profile, today)[0]
    if key == "tot":
        van = _item_start(item)
        return max(_period_end(van, profile), today) if van else None
    return None


def update_ritme(plan: Plan, profile: Profile) -> int:
    """Weeks between interim updates: the plan's answer, else the gemeente's default."""
    if plan.update_ritme_weken is not None:
        return plan.update_ritme_weken
    return profile.update_ritme_weken


def milestones(plan: Plan, profile: Profile) -> list[Milestone]:
    """Every dated step of the plan, sorted by date."""
    out: list[Milestone] = []
    for i, a in enumerate(plan.activiteiten, start=1):
        naam = activiteit_tekst(a, i)
        if needs_announcement(a) and a.start:
            out.append(
                Milestone(
                    datum=a.aankondiging or a.start - timedelta(days=aankondiging_dagen(profile)),
                    soort="aankondiging",
                    omschrijving=f"Kondig {naam} aan. Die is op {datum_tekst(a.start)}.",
                    activiteit=i,
                    voorgesteld=a.aankondiging is None,
                )
            )
        if a.periode and a.type.has_period:
            out.append(
                Milestone(
                    datum=a.periode.van,
                    soort="inbreng_open",
                    omschrijving=f"{naam[0].upper()}{naam[1:]} gaat open.",
                    activiteit=i,
                )
            )
            out.append(
                Milestone(
                    datum=a.periode.tot,
                    soort="inbreng_dicht",
                    omschrijving=f"{naam[0].upper()}{naam[1:]} sluit.",
                    activiteit=i,
                )
            )
        elif a.periode:
            out.append(
                Milestone(
                    datum=a.periode.van,
                    soort="activiteit",
                    omschrijving=f"Start van {naam}.",
                    activiteit=i,
                )
            )
            out.append(
                Milestone(
                    datum=a.periode.tot,
                    soort="activiteit_eind",
                    omschrijving=f"Einde van {naam}.",
                    activiteit=i,
                )
            )
        elif a.datum:
            waar = f" in {a.plaats}" if a.plaats else ""
            out.append(
                Milestone(
                    datum=a.datum,
                    soort="activiteit",
                    omschrijving=f"{naam[0].upper()}{naam[1:]}{waar}.",
                    activiteit=i,
                )
            )
    out.extend(_updates(plan, profile))
    if plan.rapportage_datum:
        out.append(
            Milestone(
                datum=plan.rapportage_datum,
                soort="rapportage",
                omschrijving="De participatierapportage is klaar. Deel hem met de deelnemers.",
            )
        )
    if plan.besluitdatum:
        wie = f" door {MET_LIDWOORD[plan.beslisser]}" if plan.beslisser else ""
        out.append(
            Milestone(
                datum=plan.besluitdatum,
                soort="besluit",
                omschrijving=f"Besluit{wie} over {plan.titel or 'de opgave'}.",
            )
        )
    if plan.tussentijdse_evaluatie_datum:
        out.append(
            Milestone(
                datum=plan.tussentijdse_evaluatie_datum,
                soort="tussentijdse_evaluatie",
                omschrijving=(
                    "Evalueer tussentijds met de deelnemers en de projectgroep: gaat het "
                    "traject zoals bedoeld?"
                ),
            )
        )
    if plan.evaluatie_datum:
        out.append(
            Milestone(
                datum=plan.evaluatie_datum,
                soort="evaluatie",
                omschrijving="Evalueer het traject met de deelnemers en de projectgroep.",
            )
        )
    return sorted(out, key=lambda m: (m.datum, _ORDER.index(m.soort), m.activiteit or 0))


def _updates(plan: Plan, profile: Profile) -> list[Milestone]:
    """Interim updates every few weeks from the first activity until the besluit."""
    weeks = update_ritme(plan, profile)
    starts = [a.start for a in plan.activiteiten if a.start]
    end = plan.besluitdatum or plan.rapportage_datum or _laatste_eind(plan)
    if weeks <= 0 or not starts or not end:
        return []
    out = []
    d = min(starts) + timedelta(weeks=weeks)
    while d < end:
        out.append(
            Milestone(
                datum=d,
                soort="update",
                omschrijving="Stuur de deelnemers een update, ook als er weinig nieuws is.",
                voorgesteld=True,
            )
        )
        d += timedelta(weeks=weeks)
    return out
