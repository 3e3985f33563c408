"""Reading what people type in the interview: accepted forms, bad input and the error messages."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handreiking import parsing
from handreiking.models import Doel, Niveau, Rol
from handreiking.parsing import (
    ParseError,
    is_unknown,
    match_choice,
    match_choices,
    parse_date,
    parse_email,
    parse_frequency,
    parse_hours,
    parse_money,
    parse_number,
    parse_period,
    parse_vague,
    parse_yesno,
    split_items,
)
from handreiking.projectgroep import lees_oordeel
from handreiking.resources import shipped

TODAY = date(2026, 3, 1)  # a Sunday
ROLLEN = [(r.value, r.value) for r in Rol]
DOELEN = [(d.value, d.value) for d in Doel]
NIVEAUS = [(n.value, n.value.capitalize()) for n in Niveau]


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 maart 2026", date(2026, 3, 12)),
        ("12-3-2026", date(2026, 3, 12)),
        ("12/3/2026", date(2026, 3, 12)),
        ("2026-03-12", date(2026, 3, 12)),
        ("12.03.2026", date(2026, 3, 12)),
        ("dinsdag 12 maart 2026", date(2026, 3, 12)),
        ("12e maart", date(2026, 3, 12)),
        ("op 12 maart", date(2026, 3, 12)),
        ("12 maart 2026 om 10 uur", date(2026, 3, 12)),
        ("12 mrt", date(2026, 3, 12)),
        ("morgen", date(2026, 3, 2)),
        ("overmorgen", date(2026, 3, 3)),
        ("gisteren?", date(2026, 2, 28)),
        ("over 3 weken", date(2026, 3, 22)),
        ("over drie weken", date(2026, 3, 22)),
        ("over een week", date(2026, 3, 8)),
        ("over 2 maanden", date(2026, 5, 1)),
        ("volgende week", date(2026, 3, 8)),
        ("eind april", date(2026, 4, 30)),
        ("begin mei", date(2026, 5, 1)),
        ("half juni", date(2026, 6, 15)),
        ("medio juni 2027", date(2027, 6, 15)),
        ("halverwege juni", date(2026, 6, 15)),
        ("eind deze maand", date(2026, 3, 31)),
        ("eind dit jaar", date(2026, 12, 31)),
        ("begin volgend jaar", date(2027, 1, 1)),
        ("dinsdag", date(2026, 3, 3)),
        ("volgende dinsdag", date(2026, 3, 3)),
        ("volgende week dinsdag", date(2026, 3, 3)),
        ("Tuesday", date(2026, 3, 3)),
        ("March 12, 2026", date(2026, 3, 12)),
        ("in 3 weeks", date(2026, 3, 22)),
        # A date without a year is its next occurrence, and today counts.
        ("1 maart", date(2026, 3, 1)),
        ("28 februari", date(2027, 2, 28)),
        ("eind februari", date(2027, 2, 28)),
    ],
)
def test_dates_people_write(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


def test_weekdays_and_years_count_from_the_day_passed_in() -> None:
    tuesday = date(2026, 3, 10)
    assert parse_date("dinsdag", tuesday) == date(2026, 3, 17)
    assert parse_date("volgende week dinsdag", tuesday) == date(2026, 3, 17)
    assert parse_date("woensdag", tuesday) == date(2026, 3, 11)
    assert parse_date("volgende week woensdag", tuesday) == date(2026, 3, 18)
    assert parse_date("10 maart", tuesday) == tuesday
    assert parse_date("9 maart", tuesday) == date(2027, 3, 9)
    assert parse_date("begin maart", tuesday) == date(2027, 3, 1)


@pytest.mark.parametrize(
    "text",
    ["1-1-1900", "31-12-1999", "12 maart 1999", "1 jan 2101", "2-3-2036", "eind april 2999"],
)
def test_dates_before_2000_or_over_ten_years_ahead_are_refused(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date(text, TODAY)
    # the example lies ahead of the day the answer was read
    assert caught.value.message() == (
        "Die datum kan niet kloppen. Kies een datum vanaf 2000 en hooguit tien jaar vooruit, "
        "bijvoorbeeld: 12 april 2026."
    )


@pytest.mark.parametrize("text", ["1-1-2000", "1-3-2036", "over 10 jaar"])
def test_dates_from_2000_to_ten_years_ahead_are_taken(text: str) -> None:
    assert date(2000, 1, 1) <= parse_date(text, TODAY) <= date(2036, 3, 1)


@pytest.mark.parametrize(
    "text", ["2000-1000", "32-1", "1/13", "31-2-2027", "30-2", "0-3", "13-2026", "12-3-4-5"]
)
def test_days_that_do_not_exist_are_not_dates(text: str) -> None:
    with pytest.raises(ParseError, match="Die datum kan ik niet lezen"):
        parse_date(text, TODAY)


@pytest.mark.parametrize("text", ["12", "2026", "10:30", "10 uur", "a", "morgen" * 40])
def test_numbers_times_and_long_texts_are_not_dates(text: str) -> None:
    with pytest.raises(ParseError, match="Die datum kan ik niet lezen"):
        parse_date(text, TODAY)


# --- periods --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1 t/m 21 maart 2026",
        "1 maart - 21 maart 2026",
        "1 maart – 21 maart 2026",
        "1-21 maart 2026",
        "1 maart-21 maart",
        "1 maart 2026 tot en met 21 maart 2026",
        "1-3-2026 t/m 21-3-2026",
        "Van 1 maart tot en met 21 maart.",
        # 'tot' as people use it: up to and including
        "1-3-2026 tot 21-3-2026",
        "van 1 maart tot 21 maart",
        "maart 2026 t/m 21 maart 2026",
        "vanaf 1 maart, 21 dagen",
    ],
)
def test_periods_people_write(text: str) -> None:
    assert parse_period(text, TODAY) == (date(2026, 3, 1), date(2026, 3, 21))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # three weeks from a Sunday run to the Sunday three weeks on
        ("vanaf 1 maart, 3 weken", (date(2026, 3, 1), date(2026, 3, 22))),
        ("vanaf 1 maart drie weken lang", (date(2026, 3, 1), date(2026, 3, 22))),
        ("3 weken vanaf 1 maart", (date(2026, 3, 1), date(2026, 3, 22))),
        ("vanaf 1 maart, 1 maand", (date(2026, 3, 1), date(2026, 4, 1))),
        ("heel april", (date(2026, 4, 1), date(2026, 4, 30))),
        ("februari t/m april 2027", (date(2027, 2, 1), date(2027, 4, 30))),
        ("november t/m februari", (date(2026, 11, 1), date(2027, 2, 28))),
        ("15 jnui t/m 30 jnui 2026", (date(2026, 6, 15), date(2026, 6, 30))),
    ],
)
def test_periods_in_weeks_and_whole_months(text: str, expected: tuple[date, date]) -> None:
    assert parse_period(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20 december t/m 10 januari", (date(2026, 12, 20), date(2027, 1, 10))),
        ("1 maart 2027 t/m 10 april", (date(2027, 3, 1), date(2027, 4, 10))),
        ("van begin april tot eind mei 2027", (date(2027, 4, 1), date(2027, 5, 31))),
        ("vanaf morgen, 2 maanden", (date(2026, 3, 2), date(2026, 5, 2))),
        ("15 juni t/m 15 juni", (date(2026, 6, 15), date(2026, 6, 15))),
    ],
)
def test_periods_across_months_and_years(text: str, expected: tuple[date, date]) -> None:
    assert parse_period(text, TODAY) == expected


def test_a_period_that_ends_before_it_starts_says_so() -> None:
    with pytest.raises(ParseError) as caught:
        parse_period("22 maart - 1 maart 2026", TODAY)
    assert caught.value.message() == (
        "De einddatum (1-3-2026) ligt voor de begindatum (22-3-2026). "
        "Schrijf bijvoorbeeld: 1 t/m 21 mei 2026."
    )


@pytest.mark.parametrize("text", ["1 maart", "1 maart tot", "tot 22 maart", "31 t/m 1 april"])
def test_half_periods_are_refused(text: str) -> None:
    with pytest.raises(ParseError, match="Die periode kan ik niet lezen"):
        parse_period(text, TODAY)


# --- money and numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€ 1.500,50", (1500.5, None, False)),
        ("1500", (1500.0, None, False)),
        ("1.500", (1500.0, None, False)),
        ("1500 euro", (1500.0, None, False)),
        ("EUR 2.000,-", (2000.0, None, False)),
        ("€1,5k", (1500.0, None, False)),
        ("1,500", (1.5, None, False)),
        ("1,500.50", (1500.5, None, False)),
        ("1.000.000", (1_000_000.0, None, False)),
        ("€ 250.000 incl. btw", (250_000.0, None, False)),
        ("gratis", (0.0, None, False)),
        ("ca. 2000", (2000.0, None, True)),
        ("ongeveer 2000", (2000.0, None, True)),
        ("± 2000", (2000.0, None, True)),
        ("1000-2000", (1000.0, 2000.0, True)),
        ("€ 1.000 tot € 2.000", (1000.0, 2000.0, True)),
        ("€ 2.000,- tot € 3.000,-", (2000.0, 3000.0, True)),
        ("1-2k", (1000.0, 2000.0, True)),
    ],
)
def test_amounts_people_write(text: str, expected: tuple[float, float | None, bool]) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("€ -5", "Een bedrag kan niet negatief zijn. Schrijf bijvoorbeeld: € 1.500 of 0."),
        (
            "2.000.000.000",
            "Dat bedrag is groter dan een miljard euro. Schrijf bijvoorbeeld: € 250.000.",
        ),
        (
            "2000-1000",
            "Het eerste bedrag is groter dan het tweede. Schrijf bijvoorbeeld: 1.000 - 2.000.",
        ),
        (
            "1e99",
            "Dat bedrag kan ik niet lezen. Schrijf bijvoorbeeld: € 1.500, 1500 euro of 'ca. 2000'.",
        ),
        (
            "1500 per jaar",
            "Dat bedrag kan ik niet lezen. Schrijf bijvoorbeeld: € 1.500, 1500 euro of 'ca. 2000'.",
        ),
    ],
)
def test_wrong_amounts_get_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_money(text)
    assert caught.value.message() == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", (12.0, False)),
        ("12,5", (12.5, False)),
        ("ca. 40 uur", (40.0, True)),
        ("40 uren", (40.0, False)),
        ("ongeveer 10", (10.0, True)),
        ("tien", (10.0, False)),
        ("10-20 uur", (15.0, True)),
        ("1.500 deelnemers", (1500.0, False)),
    ],
)
def test_numbers_people_write(text: str, expected: tuple[float, bool]) -> None:
    assert parse_number(text) == expected


def test_negative_numbers_are_refused() -> None:
    with pytest.raises(ParseError) as caught:
        parse_number("-3 uur")
    assert caught.value.message() == (
        "Een getal onder nul kan hier niet. Schrijf bijvoorbeeld: 12 of 'ongeveer 40'."
    )


def test_an_unreadable_number_gets_an_example_without_hours() -> None:
    """'Hoeveel mensen deden mee?' answered in words got 'Schrijf bijvoorbeeld: ... 'ca. 40
    uur'': hours, for a number of people."""
    with pytest.raises(ParseError) as caught:
        parse_number("heel veel")
    assert caught.value.message() == (
        "Dat getal kan ik niet lezen. Schrijf bijvoorbeeld: 12, 12,5 of 'ongeveer 40'."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("twaalf", (12.0, False)),
        ("vijfentwintig", (25.0, False)),
        ("een stuk of tien", (10.0, True)),
        ("een stuk of 10", (10.0, True)),
        ("tussen de 10 en 20", (15.0, True)),
    ],
)
def test_number_words_and_estimates(text: str, expected: tuple[float, bool]) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tussen de 1000 en 2000 euro", (1000.0, 2000.0, True)),
        ("between 1000 and 2000", (1000.0, 2000.0, True)),
        ("tweeduizend euro", (2000.0, None, False)),
        ("geen kosten", (0.0, None, False)),
        ("kost niets", (0.0, None, False)),
        # what it is for around the amount, the estimate after it
        ("drukwerk 150 euro ongeveer", (150.0, None, True)),
        ("300 voor de zaal", (300.0, None, False)),
        ("een paar honderd euro", (200.0, 400.0, True)),  # was read as 100
        ("enkele duizenden", (2000.0, 4000.0, True)),
        # 'honderd' as a multiplier, number words written apart: '15 honderd' was stored as 15
        ("15 honderd", (1500.0, None, False)),
        ("twee duizend", (2000.0, None, False)),
        ("drie honderd euro", (300.0, None, False)),
        # a tenner was stored as € 1
        ("een tientje", (10.0, None, False)),
        ("paar tientjes", (20.0, 40.0, True)),
        # a sum is its total
        ("zaalhuur 200 + koffie 50", (250.0, None, False)),
        ("200 euro voor de zaal en 50 voor koffie", (250.0, None, False)),
        ("ca. 100-200 + 50", (150.0, 250.0, True)),
    ],
)
def test_amounts_in_words(text: str, expected: tuple[float, float | None, bool]) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16", (16.0, None, False)),
        ("16 uur", (16.0, None, False)),
        ("ca. 16", (16.0, None, True)),
        ("een uur of 8", (8.0, None, True)),
        ("zo'n 20 uur", (20.0, None, True)),
        ("twee dagen", (16.0, None, True)),
        ("een halve dag", (4.0, None, True)),
        ("1,5 dag", (12.0, None, True)),
        ("10-20", (10.0, 20.0, True)),
        ("10 à 20 uur", (10.0, 20.0, True)),
        # parts of a day are 4 hours: 'een dagdeel of 2' was read as 2 hours
        ("een dagdeel of 2", (8.0, None, True)),
        ("2 dagdelen", (8.0, None, True)),
        ("drie avonden", (12.0, None, True)),
        ("een dag of 3", (24.0, None, True)),
        ("een paar uurtjes", (2.0, 4.0, True)),
        ("paar dagen", (16.0, 32.0, True)),
        # what the hours are for around the one number of them
        ("een avondje, 4 uur", (4.0, None, False)),
        ("een avondje", (4.0, None, True)),
        # hours times people or sessions
        ("2 x 3 uur", (6.0, None, False)),
        ("3 mensen 4 uur", (12.0, None, False)),
        ("ca. 4 vrijwilligers elk 3 uur", (12.0, None, True)),
    ],
)
def test_hours(text: str, expected: tuple[float, float | None, bool]) -> None:
    assert parse_hours(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4", (4, None)),
        ("elke 4 weken", (4, None)),
        ("iedere zes weken", (6, None)),
        ("om de 2 weken", (2, None)),
        ("tweewekelijks", (2, None)),
        ("elke maand", (4, None)),
        ("maandelijks of zo", (4, None)),
        ("eens per maand", (4, None)),
        ("twee keer per maand", (2, None)),
        ("2x per maand", (2, None)),
        ("elk kwartaal", (13, None)),
        ("elke 2 maanden", (9, None)),
        ("jaarlijks", (52, None)),
        ("every other week", (2, None)),
        ("twice a month", (2, None)),
        # two answers in one: the asker has to choose
        ("elke 4 à 6 weken", (4, 6)),
        ("om de week", (1, 2)),
    ],
)
def test_frequencies_in_weeks(text: str, expected: tuple[int, int | None]) -> None:
    assert parse_frequency(text) == expected


@pytest.mark.parametrize(
    "text", ["elke dag", "0", "elke 60 weken", "soms", "ja", "3 keer per week"]
)
def test_frequencies_outside_1_to_52_weeks_are_refused(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_frequency(text)
    assert "'elke 4 weken'" in caught.value.message()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ergens in het voorjaar", (date(2026, 3, 1), date(2026, 5, 31), date(2026, 4, 15))),
        # without a region no region's school holiday is proposed: noord's zomervakantie
        # starts 4 July 2026, midden's ends 30 August
        ("in de zomer", (date(2026, 6, 1), date(2026, 8, 31), date(2026, 7, 3))),
        ("volgend voorjaar", (date(2027, 3, 1), date(2027, 5, 31), date(2027, 4, 15))),
        ("in maart", (date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 16))),
        ("Q3 2026", (date(2026, 7, 1), date(2026, 9, 30), date(2026, 8, 31))),
        ("volgende week", (date(2026, 3, 2), date(2026, 3, 6), date(2026, 3, 4))),
        ("begin 2027", (date(2027, 1, 1), date(2027, 2, 28), date(2027, 1, 29))),
        # weeks as offices count them, and a week of a month
        ("in week 11", (date(2026, 3, 9), date(2026, 3, 13), date(2026, 3, 11))),
        ("wk 3 2027", (date(2027, 1, 18), date(2027, 1, 22), date(2027, 1, 20))),
        ("de tweede week van maart", (date(2026, 3, 8), date(2026, 3, 14), date(2026, 3, 11))),
        # the middle is Koningsdag, and from 25 April the meivakantie of every region
        ("laatste week van april", (date(2026, 4, 24), date(2026, 4, 30), date(2026, 4, 24))),
    ],
)
def test_vague_times_give_a_range_and_a_working_day_to_propose(
    text: str, expected: tuple[date, date, date]
) -> None:
    assert parse_vague(text, TODAY) == expected


def test_after_the_summer_is_after_the_regions_summer_holiday() -> None:
    # Zomervakantie 2026: noord 4 July - 16 August, zuid 11 July - 23 August
    assert parse_vague("na de zomer", TODAY, "noord")[2] == date(2026, 8, 17)
    assert parse_vague("na de zomervakantie", TODAY, "zuid")[2] == date(2026, 8, 24)
    assert parse_vague("na de zomer", TODAY)[2] == date(2026, 9, 7)  # no region: September


@pytest.mark.parametrize(
    "text", ["12 maart", "morgen", "eind april", "1 t/m 3 maart", "", "week 60", "week van"]
)
def test_clear_dates_are_not_vague(text: str) -> None:
    assert parse_vague(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 jnui 2027", date(2027, 6, 15)),
        ("24 februarie 2027", date(2027, 2, 24)),
        ("3 setpember 2027", date(2027, 9, 3)),
        ("15 juli 2027", date(2027, 7, 15)),
    ],
)
def test_month_typos(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


def test_a_date_message_gives_an_example_after_today() -> None:
    with pytest.raises(ParseError) as caught:
        parse_date("abc", date(2026, 12, 1))
    assert caught.value.message() == (
        "Die datum kan ik niet lezen. Schrijf bijvoorbeeld: 12 januari 2027, 12-1-2027 "
        "of 'over 3 weken'."
    )
    assert "12 January 2027" in caught.value.message("en")


# --- e-mail, yes / no, unknown --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Projectleider@Example.ORG ", "Projectleider@example.org"),
        ("mailto:team.participatie@example.org", "team.participatie@example.org"),
        ("a+plan@sub.example.org", "a+plan@sub.example.org"),
        # as people type it: among words, with spaces, '(at)', a comma for the dot
        ("mail: sam@example.org", "sam@example.org"),
        ("mijn mail is sam@example.org, bellen mag ook", "sam@example.org"),
        ("sam@example.org (werk)", "sam@example.org"),
        ("sam @ example.org", "sam@example.org"),
        ("sam(at)example.org", "sam@example.org"),
        ("sam@example,org", "sam@example.org"),
        ("mijn mail is sam@example,org", "sam@example.org"),
    ],
)
def test_email_addresses(text: str, expected: str) -> None:
    assert parse_email(text) == expected


@pytest.mark.parametrize(
    "text",
    ["naam", "naam@", "@example.org", "naam example.org", "na am@example.org", "naam@example",
     "naam@-example.org", "x..y@example.org", "x@@example.org", "x@example..org",
     "sam@example.org en kim@example.org", "mail sam@example", "sam@example.org,kim@example.org"],
)  # fmt: skip
def test_bad_email_addresses(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_email(text)
    assert caught.value.message() == (
        "Dat e-mailadres kan ik niet lezen. Schrijf bijvoorbeeld: naam@example.org."
    )


@pytest.mark.parametrize(
    "text",
    [
        "ja",
        "J",
        "Yes",
        "y",
        "klopt",
        "Akkoord",
        "👍",
        "👍🏽",
        "Ja, graag!",
        "jup",
        "is goed",
        "Prima, zo doen we het",
    ],
)
def test_yes(text: str) -> None:
    assert parse_yesno(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "nee",
        "N",
        "no",
        "niet",
        "Nee.",
        "nee, liever later",
        "niet echt",
        "nee, valt mee",
        "valt mee",
    ],
)
def test_no(text: str) -> None:
    assert parse_yesno(text) is False


@pytest.mark.parametrize("text", ["misschien", "niet zeker", "jaaa nee", "ja, nee toch niet"])
def test_neither_yes_nor_no(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_yesno(text)
    assert caught.value.message() == "Antwoord met ja of nee. Schrijf bijvoorbeeld: ja."


@pytest.mark.parametrize(
    "text",
    ["weet ik nog niet", "Weet niet.", "onbekend", "?", "nog niet bekend", "don't know",
     "I don’t know yet", "geen idee", "dat weet ik nu nog niet", "volgt later", "p.m."],
)  # fmt: skip
def test_unknown(text: str) -> None:
    assert is_unknown(text)


@pytest.mark.parametrize(
    "text", ["12 maart", "nee", "onbekende bewoners", "", "\x00", "x" * 100_000]
)
def test_not_unknown(text: str) -> None:
    assert not is_unknown(text)


# --- choices and lists ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        ("2", ROLLEN, "beslisser"),
        ("2.", ROLLEN, "beslisser"),
        ("Adviseur", ROLLEN, "adviseur"),
        ("geinformeerd", ROLLEN, "wordt geïnformeerd"),
        ("Wordt Geïnformeerd", ROLLEN, "wordt geïnformeerd"),
        ("coproducent", ROLLEN, "co-producent"),
        ("beslis", ROLLEN, "beslisser"),
        ("raadplegen", NIVEAUS, "raadplegen"),
        ("raadpelgen", NIVEAUS, "raadplegen"),
        ("mee", NIVEAUS, "meebeslissen"),
        ("samen le", DOELEN, "samen leren"),
    ],
)
def test_match_choice(text: str, options: list[tuple[str, str]], expected: str) -> None:
    assert match_choice(text, options) == expected


def test_an_ambiguous_choice_lists_the_options_that_fit() -> None:
    with pytest.raises(ParseError) as caught:
        match_choice("wordt", ROLLEN)
    assert caught.value.message() == (
        "Dat past bij meer dan één keuze: 5 = wordt geraadpleegd, 6 = wordt geïnformeerd. "
        "Typ het nummer, bijvoorbeeld: 5."
    )


@pytest.mark.parametrize("text", ["7", "0", "zzz", "", "beslissen over alles"])
def test_an_unknown_choice_lists_all_options(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        match_choice(text, NIVEAUS)
    assert caught.value.message() == (
        "Die keuze ken ik niet. Kies een van deze: 1 = Informeren, 2 = Raadplegen, "
        "3 = Adviseren, 4 = Coproduceren, 5 = Meebeslissen. Schrijf bijvoorbeeld: 1 of Informeren."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1, 3", ["samen denken", "samen beslissen"]),
        ("3, 1", ["samen denken", "samen beslissen"]),
        ("1 en 3", ["samen denken", "samen beslissen"]),
        ("1 3", ["samen denken", "samen beslissen"]),
        ("1\n4", ["samen denken", "samen leren"]),
        ("samen denken en samen leren", ["samen denken", "samen leren"]),
        ("leren, denken, denken", ["samen denken", "samen leren"]),
        ("2", ["samen doen"]),
    ],
)
def test_match_choices(text: str, expected: list[str]) -> None:
    assert match_choices(text, DOELEN) == expected


def test_a_label_with_en_stays_one_choice() -> None:
    options = [("a", "bewoners en ondernemers"), ("b", "scholen"), ("c", "ondernemers")]
    assert match_choices("scholen, bewoners en ondernemers", options) == ["a", "b"]


def test_one_wrong_choice_among_several_is_named() -> None:
    with pytest.raises(ParseError) as caught:
        match_choices("1, 9", DOELEN)
    assert caught.value.message() == (
        "Ik weet niet welke keuze '9' is. Kies uit: 1 = samen denken, 2 = samen doen, "
        "3 = samen beslissen, 4 = samen leren. Schrijf bijvoorbeeld: 1, 3 of samen denken."
    )


def test_split_items() -> None:
    pasted = (
        "- bewoners\n* ondernemers\n1. scholen\n\n"
        "2) sportclub; jongerenraad ;;\n  huurders  \r\nkerk"
    )
    assert split_items(pasted) == [
        "bewoners",
        "ondernemers",
        "scholen",
        "sportclub",
        "jongerenraad",
        "huurders",
        "kerk",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("buren, school en de winkeliers", ["buren", "school", "de winkeliers"]),
        ("ouders, kinderen, leraren", ["ouders", "kinderen", "leraren"]),
        ("1. Buren 2. School 3. Winkeliers", ["Buren", "School", "Winkeliers"]),
        ("• buren • school", ["buren", "school"]),
        # one group with a comment: one item
        ("Ondernemers Lindenstraat, vooral horeca", ["Ondernemers Lindenstraat, vooral horeca"]),
        ("de buren en de school", ["de buren en de school"]),
    ],
)
def test_a_list_of_names_on_one_line(text: str, expected: list[str]) -> None:
    assert split_items(text, names=True) == expected


def test_a_reaction_with_commas_is_one_item() -> None:
    assert split_items("Meer groen, minder auto's en bankjes") == [
        "Meer groen, minder auto's en bankjes"
    ]


def test_split_items_keeps_text_that_only_looks_like_a_bullet() -> None:
    assert split_items("1.500 folders\n-5 graden\n{{ x }}\n\x00\x07") == [
        "1.500 folders",
        "-5 graden",
        "{{ x }}",
    ]


# --- bad input ------------------------------------------------------------------------------

BAD_INPUT = [
    "",
    "   ",
    "\t\n",
    "31-2-2026",
    "abc",
    "€ -5",
    "1e99",
    "x" * 100_000,
    "1" * 100_000,
    "\x00\x07",
    "{{ x }}",
    "{% for x in y %}",
    "<w:t>",
    "😀🎉",
    "مرحبا بالعالم",
    "\u202eabc",
    "'; DROP TABLE plans; --",
]
PARSERS = {
    "date": lambda text: parse_date(text, TODAY),
    "period": lambda text: parse_period(text, TODAY),
    "money": parse_money,
    "number": parse_number,
    "hours": parse_hours,
    "frequency": parse_frequency,
    "email": parse_email,
    "yesno": parse_yesno,
    "choice": lambda text: match_choice(text, ROLLEN),
    "choices": lambda text: match_choices(text, ROLLEN),
}


@pytest.mark.parametrize("name", PARSERS)
@pytest.mark.parametrize("text", BAD_INPUT, ids=lambda text: repr(text[:12]))
def test_bad_input_gets_a_dutch_message_with_an_example(name: str, text: str) -> None:
    with pytest.raises(ParseError) as caught:
        PARSERS[name](text)
    assert "bijvoorbeeld:" in caught.value.message()
    assert "example:" in caught.value.message("en")


# --- the messages themselves ----------------------------------------------------------------

# One input per message key, so every text in parsing.yaml is reachable.
TRIGGERS = {
    "date": lambda: parse_date("abc", TODAY),
    "date_range": lambda: parse_date("1 jan 2101", TODAY),
    "period": lambda: parse_period("1 maart", TODAY),
    "period_order": lambda: parse_period("22 maart - 1 maart 2026", TODAY),
    "money": lambda: parse_money("veel"),
    "money_negative": lambda: parse_money("-5"),
    "money_hours": lambda: parse_money("ongeveer 20 uur"),
    "money_too_large": lambda: parse_money("2.000.000.000"),
    "money_order": lambda: parse_money("2000-1000"),
    "number": lambda: parse_number("veel"),
    "number_negative": lambda: parse_number("-5"),
    "number_too_large": lambda: parse_number("99999999999"),
    "hours": lambda: parse_hours("veel"),
    "hours_negative": lambda: parse_hours("-3 uur"),
    "frequency": lambda: parse_frequency("elke dag"),
    "email": lambda: parse_email("naam"),
    "yesno": lambda: parse_yesno("misschien"),
    "choice": lambda: match_choice("zzz", ROLLEN),
    "choice_ambiguous": lambda: match_choice("wordt", ROLLEN),
    "choices": lambda: match_choices("1, zzz", ROLLEN),
    "oordeel": lambda: lees_oordeel("misschien"),
}


def _texts() -> dict[str, dict[str, str]]:
    path = shipped("templates") / "messages" / "parsing.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_message_has_dutch_and_english_with_the_same_blanks() -> None:
    for key, texts in _texts().items():
        assert set(texts) == {"nl", "en"}, key
        assert re.findall(r"\{\w+\}", texts["nl"]) == re.findall(r"\{\w+\}", texts["en"]), key


@pytest.mark.parametrize("key", TRIGGERS)
def test_every_message_key_is_raised_and_reads_well(key: str) -> None:
    with pytest.raises(ParseError) as caught:
        TRIGGERS[key]()
    assert caught.value.key == key
    for lang in ("nl", "en"):
        message = caught.value.message(lang)
        assert "{" not in message and message.endswith(".")
        assert ("bijvoorbeeld:" if lang == "nl" else "example:") in message


def test_every_message_in_the_file_is_tested() -> None:
    assert set(_texts()) == set(TRIGGERS)


def test_an_unknown_language_falls_back_to_dutch() -> None:
    assert ParseError("yesno").message("fr") == "Antwoord met ja of nee. Schrijf bijvoorbeeld: ja."
    assert str(ParseError("yesno")) == "Antwoord met ja of nee. Schrijf bijvoorbeeld: ja."


# --- any text at all ------------------------------------------------------------------------

# Text built from the pieces the parsers look for, so hypothesis reaches the deeper branches.
PIECES = list("0123456789 -/.,:;€±?k\n") + [
    "maart", " t/m ", " tot ", " en ", "eind ", "over ", " weken", "dinsdag", "volgende ",
    "ca. ", "euro", "@", "example.org", "ja", "samen", "wordt", "\x00", "👍", "é",
]  # fmt: skip
ANY_TEXT = st.one_of(
    st.text(max_size=300), st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT)
def test_any_text_gives_a_value_or_a_parse_error(text: str) -> None:
    for parse in PARSERS.values():
        try:
            parse(text)
        except ParseError as error:
            assert error.message() and error.message("en")
    assert isinstance(is_unknown(text), bool)
    assert all(item.strip() == item and item for item in split_items(text))


@pytest.mark.parametrize("text", ["€ 5 per persoon", "2 workshops van 500", "zaalhuur 2 keer 150"])
def test_an_amount_that_is_no_total_is_not_guessed(text: str) -> None:
    with pytest.raises(ParseError):
        parse_money(text)


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("1x per maand is wel genoeg", 4),
        ("om de 2 weken lijkt me prima", 2),
        ("maandelijks denk ik", 4),
    ],
)
def test_a_comment_after_how_often_says_nothing_more(text: str, weeks: int) -> None:
    assert parse_frequency(text) == (weeks, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("over 2 maanden", date(2027, 2, 7)),  # was the 1st of that month
        ("over een jaar", date(2027, 12, 7)),
        ("over een half jaar", date(2027, 6, 7)),  # was not read at all
        ("over anderhalve maand", date(2027, 1, 22)),
    ],
)
def test_a_time_from_now_counts_from_today(text: str, expected: date) -> None:
    assert parse_date(text, date(2026, 12, 7)) == expected


def test_two_rhythms_in_one_answer_are_offered_as_a_choice() -> None:
    # 'om de 2 weken tijdens de inbreng, daarna maandelijks' was refused
    assert parse_frequency("om de 2 weken tijdens de inbreng, daarna maandelijks") == (2, 4)


@pytest.mark.parametrize(
    ("text", "items"),
    [
        (
            "wijkteam, buurtvereniging meezenbroek en de kinderopvang",
            ["wijkteam", "buurtvereniging meezenbroek", "de kinderopvang"],
        ),
        (
            "• buurtvereniging • kinderopvang het Zonnetje",
            ["buurtvereniging", "kinderopvang het Zonnetje"],
        ),
        ("basisschool, kinderopvang", ["basisschool", "kinderopvang"]),
        ("- huurders\n- school, sportclub & kerk", ["huurders", "school", "sportclub", "kerk"]),
        ("school (leerlingen, ouders), wijkteam", ["school (leerlingen, ouders)", "wijkteam"]),
        # a comma that starts a comment on the one name keeps it whole
        ("omwonenden, vooral de Voorbeeldstraat", ["omwonenden, vooral de Voorbeeldstraat"]),
        ("ouders en kinderen", ["ouders en kinderen"]),
    ],
)
def test_a_line_of_names_is_split_at_commas_and_bullets(text: str, items: list[str]) -> None:
    assert split_items(text, names=True) == items


def test_a_line_that_is_not_a_list_of_names_keeps_its_commas() -> None:
    # a reaction in the closing interview is one text, commas and all
    assert split_items("mooi plan, maar te duur • echt") == ["mooi plan, maar te duur • echt"]


@pytest.mark.parametrize(
    ("text", "yes"),
    [
        ("heb ik", True),
        ("heb ik wel", True),
        ("heb ik niet", False),
        ("doen we", True),
        ("gaan we doen", True),
        ("krijgen ze nog niet", False),
        ("dat is zo", True),
        ("heb ik wel, met twee buren", True),
    ],
)
def test_the_questions_verb_said_back_is_a_yes_or_a_no(text: str, yes: bool) -> None:
    assert parsing.parse_yesno(text) is yes


@pytest.mark.parametrize("text", ["weet ik", "ik"])
def test_knowing_or_a_pronoun_alone_is_no_yes_or_no(text: str) -> None:
    with pytest.raises(parsing.ParseError):
        parsing.parse_yesno(text)


@pytest.mark.parametrize(
    "text", ["heb ik niet bij de hand", "zoek ik nog op", "moet ik nog uitzoeken"]
)
def test_not_at_hand_is_not_known_yet(text: str) -> None:
    assert parsing.is_unknown(text)
    assert not parsing.is_unknown("heb ik niet")  # at a yes/no that is a no


@pytest.mark.parametrize(
    ("text", "yes"),
    [("krap maar het kan", True), ("krap, maar het lukt", True), ("niet veel maar genoeg", True)],
)
def test_what_comes_after_maar_decides(text: str, yes: bool) -> None:
    # 'Is er genoeg tijd voor participatie?' 'krap maar het kan' got 'Antwoord met ja of nee'
    assert parsing.parse_yesno(text) is yes
