"""The planning as a calendar file (.ics): one all-day event per milestone."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta

from handreiking.models import Plan
from handreiking.planning import milestones
from handreiking.profiles import Profile
from handreiking.tijdlijn import label

TIJDZONE = "Europe/Amsterdam"
PRODID = "-//participatiebot//participatieplan//NL"


def plan_sleutel(plan: Plan, plan_id: str | None = None) -> str:
    """The plan's part of every UID: the plan id, else a slug of the titel."""
    text = plan_id or plan.titel or "plan"
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "plan"


def planning_ics(
    plan: Plan, profile: Profile, plan_id: str | None = None, stamp: datetime | None = None
) -> bytes:
    """Every milestone of the plan as an all-day event, SUMMARY and DESCRIPTION in Dutch.

    A milestone keeps its UID when its date moves, so a calendar that imports the file again
    moves the event instead of adding a second one. `stamp` is the DTSTAMP (default: now).
    """
    # icalendar only when a calendar file is asked for, not when the process starts
    from icalendar import Calendar, Event

    sleutel = plan_sleutel(plan, plan_id)
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    naam = f"Planning participatie: {plan.titel}" if plan.titel else "Planning participatie"
    cal = Calendar.new(prodid=PRODID, name=naam, method="PUBLISH", uid=f"{sleutel}@participatiebot")
    # all-day events float; the calendar says which zone its days belong to
    cal.add("x-wr-timezone", TIJDZONE)
    seen: dict[str, int] = {}
    for m in milestones(plan, profile):
        base = f"{m.soort}-{m.activiteit}" if m.activiteit else m.soort
        seen[base] = seen.get(base, 0) + 1
        # updates repeat: their number in the row keeps them apart
        uid = f"{base}-{seen[base]}" if m.soort == "update" else base
        plaats = None
        if m.soort == "activiteit" and m.activiteit:
            plaats = plan.activiteiten[m.activiteit - 1].plaats
        cal.add_component(
            Event.new(
                uid=f"{sleutel}-{uid}@participatiebot",
                stamp=stamp,
                start=m.datum,
                end=m.datum + timedelta(days=1),
                summary=label(m, plan, by_name=True),
                description=m.omschrijving,
                location=plaats,
                categories=["participatie"],
                transparency="TRANSPARENT",
            )
        )
    return cal.to_ical()


def activiteit_ics(
    plan: Plan,
    profile: Profile,
    index: int,
    plan_id: str | None = None,
    stamp: datetime | None = None,
) -> bytes | None:
    """One activity (1-based) as a calendar file for people taking part: its own dates only,
    not the organiser's reminders (announcing it); None when it has no date."""
    from icalendar import Calendar, Event

    if not 1 <= index <= len(plan.activiteiten):
        return None
    sleutel = plan_sleutel(plan, plan_id)
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    cal = Calendar.new(prodid=PRODID, method="PUBLISH", name=plan.titel or "Participatie")
    cal.add("x-wr-timezone", TIJDZONE)
    activiteit = plan.activiteiten[index - 1]
    for m in milestones(plan, profile):
        if m.activiteit != index or m.soort == "aankondiging":
            continue
        cal.add_component(
            Event.new(
                uid=f"{sleutel}-{m.soort}-{index}@participatiebot",
                stamp=stamp,
                start=m.datum,
                end=m.datum + timedelta(days=1),
                summary=label(m, plan, by_name=True),
                description=activiteit.omschrijving or m.omschrijving,
                location=activiteit.plaats,
                categories=["participatie"],
            )
        )
    return cal.to_ical() if cal.subcomponents else None
