"""Which reminders a plan has and when: pure, from the planning's milestones and the profile."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from handreiking.models import Activiteit, Beslisser, Plan
from handreiking.planning import (
    Milestone,
    aankondiging_dagen,
    datum_tekst,
    milestones,
    needs_announcement,
    update_ritme,
)
from handreiking.profiles import Profile

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# People get messages in the daytime only: a reminder at 03:00 is noise, not help.
WINDOW_START = time(9, 0)
WINDOW_END = time(20, 0)
# The issue: after an update reminder, 5 days of silence bring a proposed status message.
SILENCE = timedelta(days=5)
# Participants hear that online inbreng closes this many days before it does.
CLOSING_NOTICE = timedelta(days=3)
# How long an owner reminder about the end of the traject stays worth sending.
AFRONDEN_GELDIG = timedelta(days=14)

Kind = Literal[
    "update",
    "update_voorstel",
    "aankondiging_voorbereiden",
    "aankondiging_versturen",
    "inbreng_open",
    "inbreng_sluit",
    "bijeenkomst_morgen",
    "afronden",
    "evaluatie",
]
Audience = Literal["owner", "participants"]

_TIME = re.compile(
    r"\b(?:om\s+)?([01]?\d|2[0-3])[:.]([0-5]\d)\b(?:\s*uur\b)?|\bom\s+([01]?\d|2[0-3])\s*uur\b"
)


class Reminder(BaseModel):
    """One reminder: to whom, from which day until which day it is worth sending, and its text."""

    key: str  # stable while the plan's dates stay the same; a changed date gives a new key
    kind: Kind
    audience: Audience
    start: date
    end: date
    text: str
    activiteit: int | None = None  # 1-based index in plan.activiteiten
    # update_voorstel: only when the owner sent no update on or after this day
    unless_update_since: date | None = None
    # update_voorstel: the status message the owner can approve with one tap
    proposal: str | None = None


def in_window(at: datetime) -> bool:
    """True between 09:00 and 20:00 in Amsterdam."""
    local = at.astimezone(AMSTERDAM).time()
    return WINDOW_START <= local < WINDOW_END


def window_start(at: datetime) -> datetime:
    """`at` itself when inside the window, else the next 09:00 in Amsterdam (aware, local)."""
    local = at.astimezone(AMSTERDAM)
    if in_window(local):
        return local
    day = local.date() if local.time() < WINDOW_START else local.date() + timedelta(days=1)
    return datetime.combine(day, WINDOW_START, tzinfo=AMSTERDAM)


def due(reminders: list[Reminder], at: datetime) -> list[Reminder]:
    """The reminders that may go out at `at`: in their days and inside the daytime window."""
    if not in_window(at):
        return []
    today = at.astimezone(AMSTERDAM).date()
    return [r for r in reminders if r.start <= today <= r.end]


def reminders(plan: Plan, profile: Profile) -> list[Reminder]:
    """Every reminder of the plan, by start day."""
    out: list[Reminder] = []
    titel = plan.titel or "je plan"
    steps = milestones(plan, profile)
    out += _updates(plan, profile, steps, titel)
    for i, a in enumerate(plan.activiteiten, start=1):
        out += _activity(plan, profile, a, i, titel)
    out += _closing(plan, titel)
    return sorted(out, key=lambda r: (r.start, r.audience, r.key))


def _key(kind: str, day: date, activiteit: int | None = None) -> str:
    return f"{kind}:{activiteit or '-'}:{day.isoformat()}"


def _updates(plan: Plan, profile: Profile, steps: list[Milestone], titel: str) -> list[Reminder]:
    days = [m.datum for m in steps if m.soort == "update"]
    rhythm = timedelta(weeks=max(update_ritme(plan, profile), 1))
    out = []
    for n, day in enumerate(days):
        following = days[n + 1] if n + 1 < len(days) else day + rhythm
        silence = day + SILENCE
        out.append(
            Reminder(
                key=_key("update", day),
                kind="update",
                audience="owner",
                start=day,
                end=min(silence, following) - timedelta(days=1),
                text=(
                    f"Tijd voor een tussentijdse update over {titel}. Vertel de deelnemers hoe "
                    "het gaat, ook als er weinig nieuws is. Stuur: update <je bericht>"
                ),
            )
        )
        if silence < following:
            proposal = status_message(plan, profile, silence, steps)
            out.append(
                Reminder(
                    key=_key("update_voorstel", silence),
                    kind="update_voorstel",
                    audience="owner",
                    start=silence,
                    end=following - timedelta(days=1),
                    text=(
                        f"Je stuurde nog geen update over {titel}. Mijn voorstel voor de "
                        f"deelnemers:\n\n{proposal}\n\nTik op /verstuur om dit te sturen. "
                        "Of stuur zelf: update <je bericht>"
                    ),
                    unless_update_since=day,
                    proposal=proposal,
                )
            )
    return out


def _naam(a: Activiteit) -> str:
    """'Ontwerpavond (bijeenkomst)'; 'workshop' on its own where it has no name of its own,
    not 'workshop (workshop)'."""
    eigen = (a.omschrijving or "").strip()
    return f"{eigen} ({a.type.value})" if eigen else a.type.value


def _activity(plan: Plan, profile: Profile, a: Activiteit, i: int, titel: str) -> list[Reminder]:
    out: list[Reminder] = []
    wat = _naam(a)
    if needs_announcement(a) and a.start:
        eigen = (a.omschrijving or "").strip()
        op = datum_tekst(a.start)
        naam = f"'{eigen}' ({a.type.value} op {op})" if eigen else f"de {a.type.value} op {op}"
        rule = a.start - timedelta(days=aankondiging_dagen(profile))
        deadline = min(a.aankondiging, rule) if a.aankondiging else rule
        prepare = deadline - timedelta(days=profile.voorbereiding_dagen)
        if profile.voorbereiding_dagen > 0:
            out.append(
                Reminder(
                    key=_key("aankondiging_voorbereiden", prepare, i),
                    kind="aankondiging_voorbereiden",
                    audience="owner",
                    start=prepare,
                    end=deadline - timedelta(days=1),
                    activiteit=i,
                    # sent on any day of its window (a plan adopted after `prepare` hears it
                    # at once), so the text names the date and counts no days
                    text=(
                        f"Uiterlijk {datum_tekst(deadline)} moet de aankondiging van {naam} "
                        "de deur uit. Een brief moet nog gedrukt en bezorgd worden: begin nu "
                        "met de aankondiging."
                    ),
                )
            )
        out.append(
            Reminder(
                key=_key("aankondiging_versturen", deadline, i),
                kind="aankondiging_versturen",
                audience="owner",
                start=deadline,
                end=a.start - timedelta(days=1),
                activiteit=i,
                # sent on the day, or later when the plan was adopted after it: the date says
                # which, where 'vandaag' would be wrong the day after
                text=(
                    f"De aankondiging van {naam} moet uiterlijk {datum_tekst(deadline)} de deur "
                    f"uit. Is hij nog niet verstuurd? Doe het dan nu. Kondig een bijeenkomst "
                    f"minstens {aankondiging_dagen(profile)} dagen van tevoren aan."
                ),
            )
        )
    if a.type.has_period and a.periode:
        van, tot = a.periode.van, a.periode.tot
        out.append(
            Reminder(
                key=_key("inbreng_open", van, i),
                kind="inbreng_open",
                audience="participants",
                start=van,
                end=max(van, tot - CLOSING_NOTICE - timedelta(days=1)),
                activiteit=i,
                text=(
                    f"Je kunt nu meedoen: {wat} over {titel}. "
                    f"Dat kan tot en met {datum_tekst(tot)}."
                ),
            )
        )
        closing = tot - CLOSING_NOTICE
        if closing > van:
            out.append(
                Reminder(
                    key=_key("inbreng_sluit", closing, i),
                    kind="inbreng_sluit",
                    audience="participants",
                    start=closing,
                    end=tot - timedelta(days=1),
                    activiteit=i,
                    text=(
                        f"Nog {CLOSING_NOTICE.days} dagen: {wat} over {titel} "
                        f"sluit op {datum_tekst(tot)}. Heb je al meegedaan?"
                    ),
                )
            )
    if a.type.needs_notice and a.datum:
        eve = a.datum - timedelta(days=1)
        tijd = time_in(a.plaats) or time_in(a.omschrijving)
        wanneer = f" om {tijd}" if tijd else ""
        # '19:30 uur' in the place is said once, as the time
        plaats = _TIME.sub("", a.plaats or "").strip(" ,;-")
        waar = f" in {plaats}" if plaats else ""
        hint = "" if tijd else " Kijk in de uitnodiging hoe laat het begint."
        out.append(
            Reminder(
                key=_key("bijeenkomst_morgen", eve, i),
                kind="bijeenkomst_morgen",
                audience="participants",
                start=eve,
                end=eve,
                activiteit=i,
                text=(
                    f"Morgen is het zover: {wat} over {titel}, op "
                    f"{datum_tekst(a.datum)}{wanneer}{waar}. Je bent welkom!{hint}"
                ),
            )
        )
    return out


def _closing(plan: Plan, titel: str) -> list[Reminder]:
    ends = [a.eind for a in plan.activiteiten if a.eind]
    out = []
    if ends:
        after = max(ends) + timedelta(days=1)
        klaar = (
            f" Die moet klaar zijn op {datum_tekst(plan.rapportage_datum)}."
            if plan.rapportage_datum
            else ""
        )
        out.append(
            Reminder(
                key=_key("afronden", after),
                kind="afronden",
                audience="owner",
                start=after,
                end=after + AFRONDEN_GELDIG,
                text=(
                    f"De laatste activiteit van {titel} is voorbij. Schrijf nu de "
                    f"participatierapportage: wat kwam er binnen en wat doe je ermee?{klaar} "
                    "Stuur de deelnemers ook het evaluatieformulier."
                ),
            )
        )
    # the evaluation, and the one halfway where the gemeente asks for it (Heemstede)
    evaluaties = [
        (
            "tussentijds",
            plan.tussentijdse_evaluatie_datum,
            f"Vandaag evalueer je {titel} tussentijds: kijk met de deelnemers en de projectgroep "
            "of het traject gaat zoals bedoeld, en stuur bij waar nodig.",
        ),
        (
            "evaluatie",
            plan.evaluatie_datum,
            f"Vandaag evalueer je {titel}: stuur de deelnemers het evaluatieformulier en bespreek "
            "het traject met de projectgroep, aan de hand van de handreiking.",
        ),
    ]
    for name, day, text in evaluaties:
        if day:
            out.append(
                Reminder(
                    key=_key(name, day),
                    kind="evaluatie",
                    audience="owner",
                    start=day,
                    end=day + timedelta(days=7),
                    text=text,
                )
            )
    return out


# Milestones participants care about, in words they understand.
def _step(m: Milestone, plan: Plan) -> str | None:
    a = plan.activiteiten[m.activiteit - 1] if m.activiteit else None
    wat = _naam(a) if a else ""
    if m.soort == "activiteit" and a:
        return f"{wat}{' in ' + a.plaats if a.plaats else ''}"
    if m.soort == "inbreng_open" and a:
        return f"de start van {wat}"
    if m.soort == "inbreng_dicht" and a:
        return f"het einde van {wat}"
    if m.soort == "rapportage":
        return "de participatierapportage: wat er met de inbreng gebeurt"
    if m.soort == "besluit":
        return "het besluit" + (f" door {_wie(plan)}" if plan.beslisser else "")
    if m.soort == "evaluatie":
        return "de evaluatie van het traject"
    return None


_MET_LIDWOORD = {
    Beslisser.initiatiefnemer: "de initiatiefnemer",
    Beslisser.ambtenaren: "de ambtenaren",
    Beslisser.college: "het college",
    Beslisser.raad: "de raad",
}


def _wie(plan: Plan) -> str:
    return _MET_LIDWOORD[plan.beslisser] if plan.beslisser else ""


def next_step(
    plan: Plan, profile: Profile, after: date, steps: list[Milestone] | None = None
) -> tuple[str, date] | None:
    """The next thing participants will notice after `after`, and its date (`steps`: the
    plan's milestones when the caller has them already)."""
    for m in milestones(plan, profile) if steps is None else steps:
        if m.datum > after:
            step = _step(m, plan)
            if step:
                return step, m.datum
    return None


def status_message(
    plan: Plan, profile: Profile, on: date, steps: list[Milestone] | None = None
) -> str:
    """A short status update the owner can approve with one tap when there is no news."""
    titel = plan.titel or "dit plan"
    step = next_step(plan, profile, on, steps)
    if step is None:
        return f"Nog geen nieuws over {titel}. We laten het je weten zodra er meer bekend is."
    wat, when = step
    return f"Nog geen nieuws over {titel}. De volgende stap is {wat} op {datum_tekst(when)}."


def time_in(text: str | None) -> str | None:
    """A clock time written in a text ('19:30', 'om 19.30 uur', 'om 20 uur') as '19:30'."""
    if not text:
        return None
    m = _TIME.search(text)
    if not m:
        return None
    if m.group(3):
        return f"{int(m.group(3)):02d}:00"
    return f"{int(m.group(1)):02d}:{m.group(2)}"
