"""The calendar, proposed dates counted back from the besluitdatum, and the milestones of a plan."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from handreiking.calendar import covered, holiday_on, school_holiday_on
from handreiking.models import Plan
from handreiking.planning import milestones, propose
from handreiking.profiles import load_profile

TODAY = date(2026, 1, 12)
LEIDEN = load_profile("leiden")
HEERLEN = load_profile("heerlen")
STANDAARD = load_profile("standaard")


def plan(**data: Any) -> Plan:
    return Plan.model_validate(data)


# --- calendar ---


@pytest.mark.parametrize(
    ("d", "regio", "naam", "soort"),
    [
        (date(2026, 12, 22), "midden", "Kerstvakantie", "schoolvakantie"),
        (date(2027, 1, 2), "midden", "Kerstvakantie", "schoolvakantie"),
        (date(2026, 4, 27), None, "Koningsdag", "feestdag"),
        # a public holiday inside the meivakantie: the more precise name wins
        (date(2026, 4, 27), "midden", "Koningsdag", "feestdag"),
        (date(2026, 4, 29), "noord", "Meivakantie", "schoolvakantie"),
        (date(2026, 2, 17), "zuid", "Voorjaarsvakantie", "schoolvakantie"),
        (date(2026, 7, 28), "zuid", "Zomervakantie", "schoolvakantie"),
        (date(2026, 10, 20), "midden", "Herfstvakantie", "schoolvakantie"),
        (date(2026, 12, 25), None, "Eerste kerstdag", "feestdag"),
    ],
)
def test_holiday_on(d: date, regio: str | None, naam: str, soort: str) -> None:
    h = holiday_on(d, regio)
    assert h is not None
    assert (h.naam, h.soort) == (naam, soort)


def test_no_holiday() -> None:
    assert holiday_on(date(2026, 3, 10), "midden") is None
    # Voorjaarsvakantie 2026 is a week later in noord than in midden.
    assert holiday_on(date(2026, 2, 17), "noord") is None
    # Without a region only public holidays count.
    assert holiday_on(date(2026, 12, 22), None) is None
    # Bevrijdingsdag is a public holiday only every fifth year.
    assert holiday_on(date(2026, 5, 5), None) is None
    assert holiday_on(date(2030, 5, 5), None) is not None


def test_covered_years() -> None:
    assert covered(date(2026, 3, 1))
    assert covered(date(2029, 11, 1))
    assert not covered(date(2031, 3, 1))
    assert not covered(date(2013, 3, 1))
    # A school holiday in a year the package does not know is simply not found.
    assert holiday_on(date(2031, 12, 24), "midden") is None


# --- proposals ---


def test_rapportage_four_weeks_before_the_decision() -> None:
    assert propose(plan(besluitdatum="2026-06-30"), LEIDEN, "rapportage_datum", TODAY) == date(
        2026, 6, 2
    )


def test_rapportage_after_the_last_activity() -> None:
    p = plan(
        besluitdatum="2026-06-30", activiteiten=[{"type": "bijeenkomst", "datum": "2026-06-10"}]
    )
    assert propose(p, LEIDEN, "rapportage_datum", TODAY) == date(2026, 6, 17)


def test_evaluation_six_weeks_after_the_decision() -> None:
    assert propose(plan(besluitdatum="2026-03-03"), LEIDEN, "evaluatie_datum", TODAY) == date(
        2026, 4, 14
    )
    # six weeks after 30 June 2026 is in the zomervakantie: the first school day after it
    assert propose(plan(besluitdatum="2026-06-30"), LEIDEN, "evaluatie_datum", TODAY) == date(
        2026, 8, 31
    )


def test_deadlines_from_a_besluit_on_a_saturday_fall_on_weekdays() -> None:
    # 15 May 2027 is a Saturday: four weeks before and six after were Saturdays too
    besluit = plan(besluitdatum="2027-05-15")
    assert propose(besluit, LEIDEN, "rapportage_datum", TODAY) == date(2027, 4, 16)  # Friday
    assert propose(besluit, LEIDEN, "evaluatie_datum", TODAY) == date(2027, 6, 28)  # Monday


def test_no_proposal_without_a_decision_date() -> None:
    for key in ("rapportage_datum", "evaluatie_datum"):
        assert propose(Plan(), LEIDEN, key, TODAY) is None


def test_never_in_the_past() -> None:
    soon = plan(besluitdatum="2026-01-30")
    assert propose(soon, LEIDEN, "rapportage_datum", TODAY) == TODAY
    item = {"type": "bijeenkomst", "datum": "2026-01-20"}
    assert propose(soon, LEIDEN, "aankondiging", TODAY, item) == TODAY
    assert propose(plan(besluitdatum="2025-11-01"), LEIDEN, "evaluatie_datum", TODAY) == TODAY
    assert propose(plan(besluitdatum="2025-11-01"), LEIDEN, "rapportage_datum", TODAY) is None


def test_announcement_counted_back_from_the_activity() -> None:
    item = {"type": "workshop", "datum": date(2026, 3, 31)}
    assert propose(Plan(), LEIDEN, "aankondiging", TODAY, item) == date(2026, 3, 10)
    # without a number of its own a gemeente gets the general 3 weeks as well
    assert propose(Plan(), HEERLEN, "aankondiging", TODAY, item) == date(2026, 3, 10)
    assert propose(Plan(), LEIDEN, "aankondiging", TODAY, {"type": "workshop"}) is None


def test_meeting_date_leaves_time_to_announce_and_avoids_holidays() -> None:
    p = plan(besluitdatum="2026-06-30")
    d = propose(p, LEIDEN, "datum", TODAY, {"type": "bijeenkomst"})
    assert d is not None
    assert d - TODAY >= timedelta(days=21)
    assert d.weekday() < 5
    assert holiday_on(d, "midden") is None
    # 21 days notice plus a week lands in the voorjaarsvakantie of midden (14-22 February)
    start = date(2026, 1, 20)
    d = propose(p, LEIDEN, "datum", start, {"type": "bijeenkomst"})
    assert d == date(2026, 2, 23)


def test_next_activity_comes_after_the_earlier_ones() -> None:
    p = plan(
        besluitdatum="2026-06-30", activiteiten=[{"type": "bijeenkomst", "datum": "2026-03-10"}]
    )
    d = propose(p, LEIDEN, "datum", TODAY, {"type": "workshop"})
    assert d is not None and date(2026, 3, 24) <= d <= date(2026, 5, 26)


def test_online_period_avoids_school_holidays() -> None:
    p = plan(besluitdatum="2026-06-30")
    # from 7 February three weeks would run through the voorjaarsvakantie
    van = propose(p, LEIDEN, "periode", date(2026, 1, 31))
    assert van == date(2026, 2, 23)
    tot = propose(p, LEIDEN, "tot", date(2026, 1, 31), {"periode": {"van": van}})
    assert tot == date(2026, 3, 15)
    days = [van + timedelta(days=n) for n in range((tot - van).days + 1)]
    assert not [d for d in days if school_holiday_on(d, "midden")]


def test_period_through_a_holiday_is_extended() -> None:
    item = {"periode": {"van": "2026-10-12"}}
    # midden: herfstvakantie 17-25 October adds 9 days to the 21
    assert propose(Plan(), LEIDEN, "tot", TODAY, item) == date(2026, 11, 10)
    # without a region every region's herfstvakantie counts: zuid 10-18, the others 17-25
    # October, so 14 days are added
    assert propose(Plan(), STANDAARD, "tot", TODAY, item) == date(2026, 11, 15)


def test_without_a_region_a_proposed_meeting_avoids_every_regions_school_holiday() -> None:
    # a gemeente without a profile has no region; four weeks ahead lands in the kerstvakantie
    # (19 December - 3 January in all regions): the first school day after it is proposed
    p = plan(besluitdatum="2027-03-30")
    assert propose(p, STANDAARD, "datum", date(2026, 11, 25), {"type": "bijeenkomst"}) == date(
        2027, 1, 4
    )
    # 8 July 2026 is in noord's zomervakantie only (4 July - 16 August); midden's lasts until
    # 30 August, so the Monday after is the first day no region is on holiday
    p = plan(besluitdatum="2026-10-30")
    assert propose(p, STANDAARD, "datum", date(2026, 6, 10), {"type": "bijeenkomst"}) == date(
        2026, 8, 31
    )


def test_unknown_key_has_no_proposal() -> None:
    assert propose(plan(besluitdatum="2026-06-30"), LEIDEN, "titel", TODAY) is None


# --- milestones ---


def test_milestones_in_order() -> None:
    p = plan(
        titel="Speelplek",
        beslisser="college",
        besluitdatum="2026-06-30",
        rapportage_datum="2026-06-02",
        evaluatie_datum="2026-08-11",
        update_ritme_weken=4,
        activiteiten=[
            {
                "type": "bijeenkomst",
                "omschrijving": "Inloopavond",
                "datum": "2026-03-10",
                "plaats": "Buurthuis",
            },
            {"type": "online inbreng", "periode": {"van": "2026-03-02", "tot": "2026-03-29"}},
            {"type": "workshop", "datum": "2026-04-14", "aankondiging": "2026-03-17"},
        ],
    )
    ms = milestones(p, LEIDEN)
    assert [m.datum for m in ms] == sorted(m.datum for m in ms)
    rows = [(m.datum, m.soort, m.activiteit) for m in ms]
    assert rows[:4] == [
        (date(2026, 2, 17), "aankondiging", 1),
        (date(2026, 3, 2), "inbreng_open", 2),
        (date(2026, 3, 10), "activiteit", 1),
        (date(2026, 3, 17), "aankondiging", 3),
    ]
    assert (date(2026, 3, 29), "inbreng_dicht", 2) in rows
    assert [m.datum for m in ms if m.soort == "update"] == [
        date(2026, 3, 30),
        date(2026, 4, 27),
        date(2026, 5, 25),
        date(2026, 6, 22),
    ]
    assert rows[-3:] == [
        (date(2026, 6, 22), "update", None),
        (date(2026, 6, 30), "besluit", None),
        (date(2026, 8, 11), "evaluatie", None),
    ]
    texts = {m.soort: m.omschrijving for m in ms}
    assert texts["besluit"] == "Besluit door het college over Speelplek."
    first = ms[0]
    assert first.voorgesteld
    assert (
        first.omschrijving
        == "Kondig activiteit 1 (bijeenkomst: Inloopavond) aan. Die is op 10 maart 2026."
    )
    meeting = next(m for m in ms if m.soort == "activiteit")
    assert meeting.omschrijving == "Activiteit 1 (bijeenkomst: Inloopavond) in Buurthuis."
    entered = next(m for m in ms if m.soort == "aankondiging" and m.activiteit == 3)
    assert not entered.voorgesteld


def test_no_updates_when_the_plan_says_none() -> None:
    p = plan(
        besluitdatum="2026-06-30",
        update_ritme_weken=0,
        activiteiten=[{"type": "bijeenkomst", "datum": "2026-03-10"}],
    )
    assert not [m for m in milestones(p, LEIDEN) if m.soort == "update"]


def test_update_rhythm_defaults_to_the_profile() -> None:
    p = plan(
        besluitdatum="2026-05-01",
        activiteiten=[{"type": "enquête", "periode": {"van": "2026-03-02", "tot": "2026-03-29"}}],
    )
    updates = [m.datum for m in milestones(p, LEIDEN) if m.soort == "update"]
    assert updates == [date(2026, 3, 30), date(2026, 4, 27)]


def test_empty_plan_has_no_milestones() -> None:
    assert milestones(Plan(), LEIDEN) == []


def test_a_proposed_aankondiging_is_no_public_holiday_and_still_early_enough():
    # three weeks before 18 May 2027 is Koningsdag, 27 April, in the meivakantie: the last
    # working day before the holiday is proposed
    item = {"type": "meedenkgroep", "datum": "2027-05-18"}
    proposed = propose(Plan(), HEERLEN, "aankondiging", TODAY, item)
    assert proposed == date(2027, 4, 23)
    assert holiday_on(proposed, None) is None


def test_a_proposed_evaluation_is_not_in_the_summer_holiday():
    # six weeks after a besluit of 15 June 2027 is in Limburg's zomervakantie
    proposed = propose(Plan(besluitdatum=date(2027, 6, 15)), HEERLEN, "evaluatie_datum", TODAY)
    assert proposed is not None and holiday_on(proposed, "zuid") is None
    assert proposed.weekday() < 5 and proposed > date(2027, 7, 27)


def test_a_proposed_aankondiging_is_not_in_a_school_holiday():
    # three weeks before a workshop on 13 January 2027 is 23 December, in the Christmas
    # holiday: the Friday before it is proposed; a buurtschouw on 23 January (its notice fell on
    # 31 December) too
    for datum in ("2027-01-13", "2027-01-23"):
        item = {"type": "workshop", "datum": datum}
        assert propose(Plan(), HEERLEN, "aankondiging", TODAY, item) == date(2026, 12, 18)
    # and one three weeks before a workshop on 10 March 2026, in the voorjaarsvakantie
    item = {"type": "workshop", "datum": "2026-03-10"}
    assert propose(Plan(), HEERLEN, "aankondiging", TODAY, item) == date(2026, 2, 13)
