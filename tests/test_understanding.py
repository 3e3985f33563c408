"""Understanding answers as people type them: the corpus of real answers, our own variations, and
what the person is told back (echo, 'Bedoel je ...?', one clear refusal)."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handreiking import understanding as u
from handreiking.models import Aantal, Activiteit, ActiviteitType, Bedrag, Beslisser, Periode, Plan
from handreiking.profiles import load_profile
from tests.corpus import ASKED, COPY, SHARED, Case, judge, load, variations

TODAY, CORPUS = load(COPY)
BESLISSER = u.options([(b.value, b.value) for b in Beslisser], "Beslisser")


def _id(case: Case) -> str:
    return f"{case.group}:{case.say}"


@pytest.mark.parametrize("case", CORPUS, ids=_id)
def test_every_corpus_answer_is_understood_at_the_first_ask(case: Case) -> None:
    verdict = judge(case, TODAY)
    assert not verdict.stored_wrongly, verdict.got
    assert verdict.understood, verdict.got


@pytest.mark.parametrize("case", variations(), ids=_id)
def test_answers_typed_another_way_are_understood_too(case: Case) -> None:
    verdict = judge(case, TODAY)
    assert not verdict.stored_wrongly, verdict.got
    assert verdict.understood, verdict.got


@pytest.mark.skipif(not SHARED.is_file(), reason="no shared corpus beside this checkout")
def test_the_teams_current_corpus_is_understood() -> None:
    today, cases = load(SHARED)
    missed = [(c.group, c.say) for c in cases if not judge(c, today).understood]
    assert missed == []


# --- what the person is told ----------------------------------------------------------------


def test_a_clear_match_is_echoed() -> None:
    got = u.understand("het college van B en W", u.Asked("choice", BESLISSER), today=TODAY)
    assert (got.outcome, got.value, got.echo) == (u.Outcome.match, "college", "→ college")
    got = u.understand("elke maand", u.Asked("frequency", proposal=4), today=TODAY)
    assert (got.value, got.echo) == (4, "→ elke 4 weken")
    got = u.understand("tussen de 1000 en 2000 euro", u.Asked("money"), today=TODAY)
    assert got.value == Bedrag(min=1000, max=2000, schatting=True)
    assert got.echo == "→ ca. €\xa01.000 – €\xa02.000"
    got = u.understand("een uur of 8", u.Asked("hours"), today=TODAY)
    assert (got.value, got.echo) == (Aantal(waarde=8, schatting=True), "→ ca. 8 uur")
    got = u.understand("24 feb", u.Asked("date"), today=TODAY)
    assert (got.value, got.echo) == (date(2027, 2, 24), "→ woensdag 24 februari 2027")


def test_two_options_named_apart_are_asked_about_with_both_as_candidates() -> None:
    got = u.understand("niet de raad maar het college", u.Asked("choice", BESLISSER), today=TODAY)
    assert got.outcome is u.Outcome.ask
    assert got.message == "Bedoel je college of raad?"
    assert [c.value for c in got.candidates] == ["college", "raad"]


def test_labels_with_of_are_quoted_in_the_question() -> None:
    got = u.understand("bewoners en de gemeente samen", ASKED["initiatiefnemer_type"], today=TODAY)
    assert got.message == "Bedoel je gemeente of inwoners?"
    got = u.understand("een ondernemer en de gemeente", ASKED["initiatiefnemer_type"], today=TODAY)
    assert got.message == "Bedoel je 'ondernemer of ontwikkelaar' of gemeente?"


def test_the_answer_to_a_question_back_picks_a_candidate_or_is_a_new_answer() -> None:
    asked = u.understand("ideeënmarkt", ASKED["activiteit_type"], today=TODAY)
    assert asked.message == "Bedoel je bijeenkomst of workshop?"
    assert u.resolve("2", asked).value == "workshop"
    assert u.resolve("Bijeenkomst", asked).echo == "→ bijeenkomst"
    assert u.resolve("een enquête", asked) is None  # read it as a new answer
    # the start of one of them, or its place: 'work' and 'de tweede' were refused
    assert u.resolve("work", asked).value == "workshop"
    assert u.resolve("de tweede", asked).value == "workshop"
    assert u.resolve("b", asked) is None  # one letter says too little
    vague = u.understand("ergens in het voorjaar", ASKED["datum"], today=TODAY)
    assert vague.message == (
        "Dat is nog wat ruim. Bedoel je donderdag 15 april 2027? "
        "Typ 'ja', of geef een andere datum."
    )
    assert u.resolve("ja", vague).value == date(2027, 4, 15)
    period = u.understand("ergens in het voorjaar", ASKED["periode"], today=TODAY)
    assert u.resolve("👍", period).value == Periode(van=date(2027, 3, 1), tot=date(2027, 5, 31))


def test_a_weekday_that_does_not_fit_the_date_is_asked_about() -> None:
    got = u.understand("dinsdag 24 februari", ASKED["datum"], today=TODAY)
    assert got.message == (
        "Bedoel je woensdag 24 februari 2027 of dinsdag 23 februari 2027? "
        "24 februari 2027 valt op een woensdag."
    )


def test_after_the_summer_proposes_the_first_school_day_of_the_region() -> None:
    got = u.understand("na de zomer", u.Asked("date", regio="zuid"), today=TODAY)
    # Zuid's zomervakantie 2027 runs from 24 July to Sunday 5 September
    assert got.candidates[0].value == date(2027, 9, 6)
    got = u.understand("na de zomer", u.Asked("date", regio="midden"), today=TODAY)
    assert got.candidates[0].value == date(2027, 8, 30)


def test_a_frequency_question_refuses_with_a_frequency_example() -> None:
    got = u.understand("hangt ervan af", u.Asked("frequency", proposal=4), today=TODAY)
    assert got.outcome is u.Outcome.refuse
    assert got.message == (
        "Om de hoeveel weken stuur je een update? Kies 1 tot en met 52 weken. "
        "Schrijf bijvoorbeeld: 4, 'elke 4 weken' of 'maandelijks'."
    )
    assert "'ca. 40 uur'" not in got.message


def test_the_bots_own_proposal_is_taken_and_a_no_asks_for_another_answer() -> None:
    asked = u.Asked("frequency", proposal=4)
    for text in ("ja", "prima", "doe maar", "👍", "Ja, prima"):
        got = u.understand(text, asked, today=TODAY)
        assert (got.outcome, got.value, got.echo) == (u.Outcome.proposal, 4, "→ elke 4 weken"), text
    got = u.understand("nee", asked, today=TODAY)
    assert got.message == "Wat wordt het dan? Schrijf bijvoorbeeld: 'elke 2 weken'."


@pytest.mark.parametrize("today", [date(2026, 12, 1), date(2027, 6, 20), date(2030, 1, 31)])
def test_example_dates_lie_after_today(today: date) -> None:
    for kind in ("date", "period"):
        got = u.understand("ooit", u.Asked(kind), today=today)
        assert got.outcome is u.Outcome.refuse
        year = int(re.search(r"20[0-9]{2}", got.message)[0])
        assert year >= today.year
        assert str(today.year - 1) not in got.message


def test_a_date_in_the_past_is_refused_when_planning_and_kept_when_looking_back() -> None:
    got = u.understand("1-1-2020", ASKED["datum"], today=TODAY)
    assert got.message == (
        "Die datum is al voorbij. Kies een datum na vandaag, bijvoorbeeld: 12 januari 2027."
    )
    got = u.understand("1 november 2026", u.Asked("date", past_ok=True), today=TODAY)
    assert got.value == date(2026, 11, 1)


@pytest.mark.parametrize("kind", ["text", "yesno", "date", "period", "hours", "money", "choice"])
def test_not_known_yet_is_an_explicit_unknown_at_every_kind(kind: str) -> None:
    asked = u.Asked(kind, BESLISSER if kind == "choice" else ())  # type: ignore[arg-type]
    for text in ("weet ik nog niet", "nog niet bekend", "?", "volgt later", "geen idee"):
        got = u.understand(text, asked, today=TODAY)
        assert (got.outcome, got.value, got.echo) == (u.Outcome.unknown, None, "→ nog te bepalen")
    got = u.understand("n.v.t.", asked, today=TODAY)
    if kind != "yesno":
        assert got.outcome is u.Outcome.not_applicable


def test_unknown_where_it_is_not_allowed_gets_one_message_that_fits() -> None:
    got = u.understand("weet ik nog niet", ASKED["gemeente"], today=TODAY)
    assert got.outcome is u.Outcome.refuse
    assert got.message.startswith("Dit heb ik nodig om verder te gaan.")
    assert "bijvoorbeeld: " in got.message


def test_unknown_at_a_required_text_asks_for_what_is_known_without_an_odd_example() -> None:
    got = u.understand(
        "weet ik nog niet precies", u.Asked("long_text", unknown_ok=False), today=TODAY
    )
    assert got.outcome is u.Outcome.refuse
    assert got.message.startswith("Dit heb ik nodig om verder te gaan. Schrijf op wat je")
    assert "Buurthuis" not in got.message  # a place as example, at 'welke regels gelden?'


def test_unknown_where_a_proposal_stands_points_to_that_proposal() -> None:
    # 'Wanneer is de participatierapportage klaar? Voorstel: 9 maart 2026.' and 'weet ik nog
    # niet': the reply offered some other day as example, one before the activities
    asked = u.Asked("date", unknown_ok=False, proposal=date(2026, 3, 9))
    for text in ("weet ik nog niet", "geen idee, hangt van de avond af"):
        got = u.understand(text, asked, today=TODAY)
        assert got.outcome is u.Outcome.refuse
        assert "9 maart 2026" in got.message, got.message
        assert "'ja'" in got.message
        assert "12 februari" not in got.message


def test_list_enders_are_never_items() -> None:
    for kind, options in (("text", ()), ("choice", ASKED["activiteit_type"].options)):
        asked = u.Asked(kind, options, in_list=True)  # type: ignore[arg-type]
        said = {t: u.understand(t, asked, today=TODAY).outcome for t in ("geen", "dat was het")}
        assert said == {"geen": u.Outcome.none, "dat was het": u.Outcome.done}
    # outside a list, where an answer is needed, 'geen' is an answer like any other
    assert u.understand("geen", u.Asked("text", unknown_ok=False), today=TODAY).value == "geen"


def test_a_gemeente_profile_adds_its_own_words() -> None:
    profile = load_profile("leiden").model_copy(
        update={"synoniemen": {"Beslisser": {"college": {"nl": ["het stadsbestuur"]}}}}
    )
    values = [(b.value, b.value) for b in Beslisser]
    asked = u.Asked("choice", u.options(values, "Beslisser", profile))
    assert u.understand("het stadsbestuur", asked, today=TODAY).value == "college"
    plain = u.Asked("choice", u.options(values, "Beslisser"))
    assert u.understand("het stadsbestuur", plain, today=TODAY).outcome is u.Outcome.refuse


def test_options_find_their_words_without_a_set_name() -> None:
    # besluit.yaml lists the same values as the Beslisser enum under another key
    options = u.options([(v, v) for v in ("college", "raad", "ambtenaren", "initiatiefnemer")])
    assert u.understand("B&W", u.Asked("choice", options), today=TODAY).value == "college"


def test_english_messages() -> None:
    asked = u.Asked("choice", BESLISSER)
    got = u.understand("the council or the executive", asked, today=TODAY, lang="en")
    assert got.message == "Do you mean college or raad?"
    got = u.understand("every month", u.Asked("frequency"), today=TODAY, lang="en")
    assert got.echo == "→ every 4 weeks"
    got = u.understand("later", u.Asked("hours"), today=TODAY, lang="en")
    assert got.echo == "→ to be decided"


# --- any input at all -----------------------------------------------------------------------

KINDS = [
    u.Asked("text"),
    u.Asked("long_text"),
    u.Asked("email"),
    u.Asked("yesno"),
    u.Asked("date"),
    u.Asked("period"),
    u.Asked("number"),
    u.Asked("hours"),
    u.Asked("money"),
    u.Asked("frequency", proposal=4),
    u.Asked("choice", BESLISSER, in_list=True),
    ASKED["doelen"],
    ASKED["gemeente"],
]


@pytest.mark.parametrize("asked", KINDS, ids=lambda a: a.kind)
def test_huge_answers_are_read_in_linear_time(asked: u.Asked) -> None:
    for text in ("1" * 200_000, "ja " * 70_000, "a, " * 70_000, "x\n" * 100_000):
        start = time.process_time()  # processor time: a busy machine must not count
        got = u.understand(text, asked, today=TODAY)
        assert time.process_time() - start < 1.0
        assert got.outcome is not u.Outcome.ask


PIECES = ["ja", "nee", " en ", ", ", "raad", "college", "maart", " t/m ", "weet", "niet", "?"]
PIECES += ["elke", " weken", "4", "1", "-", "€", "👍", "uur", "dag", "zomer", "é", "\x00", "\n"]
ANY_TEXT = st.one_of(
    st.text(max_size=200), st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT)
def test_any_text_gives_a_result_never_an_error(text: str) -> None:
    for asked in KINDS:
        got = u.understand(text, asked, today=TODAY)
        if got.outcome in (u.Outcome.refuse, u.Outcome.ask):
            assert got.message
            assert "{" in text or "{" not in got.message
        if got.outcome is u.Outcome.ask:
            assert 1 <= len(got.candidates) <= 2


def _enum_asked(kind: str, enum: type) -> u.Asked:
    return u.Asked(kind, u.options([(e.value, e.value) for e in enum], enum.__name__))


@pytest.mark.parametrize(
    ("enum", "say", "means"),
    [
        ("Schaal", "buurt", "buurt"),
        ("Schaal", "de hele wijk", "wijk"),
        ("Schaal", "een paar straten", "buurt"),  # more than one street
        ("Schaal", "de hele stad", "hele gemeente"),
        ("Schaal", "gemeentebreed", "hele gemeente"),
        ("Beleidsveld", "onderwijs", "jeugd en onderwijs"),
        ("Beleidsveld", "parkeren", "verkeer en parkeren"),
        ("Beleidsveld", "een speeltuin", "openbare ruimte en groen"),
        ("Beleidsveld", "duurzaamheid", "klimaat en energie"),
        ("Mate", "veel", "hoog"),
        ("Mate", "weinig", "laag"),
        ("Mate", "niet veel", "laag"),
        ("Mate", "heel groot", "hoog"),
        ("Mate", "gemiddeld", "midden"),
        ("Positie", "voor", "voor"),
        ("Positie", "tegen", "tegen"),
        ("Positie", "ze zijn ertegen", "tegen"),
        ("Positie", "positief", "voor"),
        ("Positie", "geen mening", "neutraal"),
    ],
)
def test_the_words_for_scale_field_weight_and_position(enum: str, say: str, means: str) -> None:
    from handreiking import models

    got = u.understand(say, _enum_asked("choice", getattr(models, enum)), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, means)


MIDDELEN = u.Asked("multi", u.options([(n, f"{n} (ca. 8 uur)") for n in "ABCD"], "middelen"))


@pytest.mark.parametrize(
    ("say", "means"),
    [
        ("1, 3", ["A", "C"]),
        ("de eerste en de derde", ["A", "C"]),
        ("2e en 4e", ["B", "D"]),
        ("1-3", ["A", "B", "C"]),
        ("2 t/m 4", ["B", "C", "D"]),
        ("alle", ["A", "B", "C", "D"]),
        ("de tweede", ["B"]),
        ("geen", []),
        ("nee", []),
        ("geen van deze", []),
        ("nee, 2", ["B"]),
    ],
)
def test_middelen_are_chosen_by_number_ordinal_or_range(say: str, means: list[str]) -> None:
    got = u.understand(say, MIDDELEN, today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, means)


def test_nog_niet_is_no_at_a_yes_no_question() -> None:
    got = u.understand("nog niet", u.Asked("yesno", unknown_ok=False), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, False)


def test_what_a_busy_person_typed_in_a_heerlen_walk_is_understood() -> None:
    from handreiking.models import InitiatiefnemerType, Rol

    text = u.Asked("text", unknown_ok=False)
    got = u.understand("weet niet eigenlijk", text, today=TODAY)
    assert got.outcome is u.Outcome.refuse  # not a name
    got = u.understand("om de week of 2", u.Asked("frequency"), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, 2)
    got = u.understand("doet mee", _enum_asked("choice", Rol), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, "co-producent")
    got = u.understand("wij als buurt", _enum_asked("choice", InitiatiefnemerType), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, "inwoners")


def test_what_a_busy_person_typed_in_a_heemstede_walk_is_understood() -> None:
    from handreiking.models import InitiatiefnemerType, Rol

    rol = _enum_asked("choice", Rol)
    for said in ("meepraten", "ze mogen reageren", "hun mening geven"):
        got = u.understand(said, rol, today=TODAY)
        assert (got.outcome, got.value) == (u.Outcome.match, "wordt geraadpleegd"), said
    wie = _enum_asked("choice", InitiatiefnemerType)
    got = u.understand("ouders van leerlingen", wie, today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, "inwoners")
    # parents of a school: residents or the school's own body, so the bot asks which
    got = u.understand("wij als ouders van de school", wie, today=TODAY)
    assert got.outcome is u.Outcome.ask
    assert {c.value for c in got.candidates} == {"inwoners", "maatschappelijke organisatie"}


def test_a_month_of_next_year_is_read_with_its_year() -> None:
    from datetime import date

    today = date(2026, 12, 7)
    got = u.understand("12 mei volgend jaar", u.Asked("date"), today=today)
    assert (got.outcome, got.value) == (u.Outcome.match, date(2027, 5, 12))
    for said in ("april volgend jaar ergens", "ergens in april volgend jaar"):
        got = u.understand(said, u.Asked("date"), today=today)
        assert got.outcome is u.Outcome.ask, said  # 'Bedoel je donderdag 15 april 2027?'
        assert [c.value for c in got.candidates] == [date(2027, 4, 15)], said


def test_before_or_after_a_school_break_proposes_the_school_day_next_to_it() -> None:
    from datetime import date

    today = date(2026, 12, 7)
    for said, meant in [
        ("na de kerstvakantie", date(2027, 1, 4)),  # the Monday school starts again
        ("na kerst", date(2027, 1, 4)),
        ("voor de meivakantie", date(2027, 4, 23)),  # the last school day before it
    ]:
        got = u.understand(said, u.Asked("date", regio="noord"), today=today)
        assert got.outcome is u.Outcome.ask, said
        assert [c.value for c in got.candidates] == [meant], said


def test_before_or_after_a_public_holiday_proposes_the_working_day_next_to_it() -> None:
    # 'na pasen' and 'voor pinksteren' were refused ('Dat is geen datum die ik kan lezen')
    from datetime import date

    today = date(2026, 12, 7)
    for said, meant in [
        ("na pasen", date(2027, 3, 30)),  # Tuesday, after Tweede paasdag
        ("voor pasen", date(2027, 3, 25)),  # Thursday, before Goede vrijdag
        ("na de pinksterdagen", date(2027, 5, 18)),
        ("na hemelvaart", date(2027, 5, 10)),  # the Friday after it is a day off for many
        ("rond koningsdag", date(2027, 4, 26)),
        ("na pasen 2028", date(2028, 4, 18)),
        ("after easter", date(2027, 3, 30)),
    ]:
        got = u.understand(said, u.Asked("date"), today=today)
        assert got.outcome is u.Outcome.ask, said
        assert [c.value for c in got.candidates] == [meant], said


def test_the_end_of_this_year_proposes_a_day_still_to_come() -> None:
    # 'eind dit jaar' on 1 December proposed 1 December: the middle of November and December
    from datetime import date

    today = date(2026, 12, 1)
    for said in ("eind dit jaar", "eind van het jaar", "eind 2026"):
        got = u.understand(said, u.Asked("date"), today=today)
        assert got.outcome is u.Outcome.ask, said
        assert [c.value for c in got.candidates] == [date(2026, 12, 16)], said
    got = u.understand("begin van het jaar", u.Asked("date"), today=today)
    assert [c.value for c in got.candidates] == [date(2027, 1, 29)]


def test_the_same_at_an_optional_choice_leaves_it_out() -> None:
    # 'Heeft deze activiteit een ander niveau dan het plan? ... overslaan als het hetzelfde is'
    from handreiking.models import Niveau

    niveau = replace(_enum_asked("choice", Niveau), unknown_ok=True)
    for said in ("zelfde", "nee, hetzelfde", "hetzelfde als het plan", "nee"):
        got = u.understand(said, niveau, today=TODAY)
        assert (got.outcome, got.value) == (u.Outcome.not_applicable, None), said
    got = u.understand("zelfde", replace(niveau, unknown_ok=False), today=TODAY)
    assert got.outcome is u.Outcome.refuse  # where a choice is needed, 'zelfde' says nothing


def test_the_part_of_the_day_beside_a_date_is_left_aside() -> None:
    from datetime import date

    today = date(2026, 12, 7)
    for said in ("woensdagmiddag 20 januari", "20 januari 's avonds", "dinsdagavond 19 januari"):
        got = u.understand(said, u.Asked("date"), today=today)
        assert got.outcome is u.Outcome.match, said
    # the weekday in 'woensdagmiddag' still checks the date: the 21st is a Thursday
    got = u.understand("woensdagmiddag 21 januari", u.Asked("date"), today=today)
    assert got.outcome is u.Outcome.ask
    assert [c.value for c in got.candidates] == [date(2027, 1, 21), date(2027, 1, 20)]


def test_how_long_and_roughly_when_proposes_a_period() -> None:
    from datetime import date

    from handreiking.models import Periode

    today = date(2026, 12, 7)
    got = u.understand("2 weken in februari", u.Asked("period"), today=today)
    assert got.outcome is u.Outcome.ask  # 'Bedoel je 1 februari t/m 14 februari 2027?'
    assert [c.value for c in got.candidates] == [
        Periode(van=date(2027, 2, 1), tot=date(2027, 2, 14))
    ]


def test_a_middel_is_known_by_the_words_for_its_kind_of_activity() -> None:
    pairs = [("Workshops", "Workshops (ca. 30 uur)"), ("Meedenkgroep", "Meedenkgroep (ca. 40 uur)")]
    kinds = {"Workshops": "workshop", "Meedenkgroep": "meedenkgroep"}
    opts = u.with_kind_words(u.options(pairs, "middelen_gekozen"), kinds, "ActiviteitType", None)
    got = u.understand("een workshop en de klankbordgroep", u.Asked("multi", opts), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, ["Workshops", "Meedenkgroep"])


@pytest.mark.parametrize("text", ["niks eigenlijk", "-", "niets", "Geen."])
def test_nothing_at_a_text_that_may_be_left_out_is_not_stored_as_text(text: str) -> None:
    optional = u.Asked(kind="text", unknown_ok=True)
    assert u.understand(text, optional, today=TODAY).outcome is u.Outcome.not_applicable
    # where an answer is needed, the words are the answer
    needed = u.Asked(kind="text", unknown_ok=False)
    assert u.understand(text, needed, today=TODAY).value == text


@pytest.mark.parametrize("text", ["de gemeente denk ik", "gemeente"])
def test_the_gemeente_as_decider_is_asked_college_or_raad_not_guessed(text: str) -> None:
    got = u.understand(text, ASKED["beslisser"], today=TODAY)
    assert got.outcome is u.Outcome.ask
    assert got.message == "Bedoel je college of raad?"
    assert u.understand("de gemeenteraad", ASKED["beslisser"], today=TODAY).value == "raad"


def _asked_in_plan() -> u.Asked:
    plan = Plan(
        besluitdatum=date(2027, 6, 15),  # a Tuesday
        activiteiten=[
            Activiteit(type=ActiviteitType.bijeenkomst, omschrijving="Inloopavond",
                       datum=date(2027, 3, 10)),
            Activiteit(type=ActiviteitType.enquete, periode=Periode(van=date(2027, 3, 1),
                       tot=date(2027, 3, 31))),
        ],
    )  # fmt: skip
    return u.Asked("date", anchors=u.plan_anchors(plan))


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("2 weken na de inloopavond", date(2027, 3, 24)),
        ("een week voor het besluit", date(2027, 6, 8)),
        ("week na de inloopavond", date(2027, 3, 17)),  # without 'een': was not a date
        # the only survey, named by its kind; after it is after it closes on 31 March
        ("1 maand na de enquête", date(2027, 4, 30)),
        ("een week voor de enquête", date(2027, 2, 22)),  # before it opens on 1 March
    ],
)
def test_a_date_counted_from_a_moment_of_the_plan(said: str, meant: date) -> None:
    got = u.understand(said, _asked_in_plan(), today=TODAY)
    assert got.outcome is u.Outcome.match and got.value == meant


def test_a_date_near_a_moment_of_the_plan_is_proposed() -> None:
    got = u.understand("vlak voor het besluit", _asked_in_plan(), today=TODAY)
    assert got.outcome is u.Outcome.ask and got.candidates[0].value == date(2027, 6, 8)
    got = u.understand("na de laatste activiteit", _asked_in_plan(), today=TODAY)
    assert got.candidates[0].value == date(2027, 4, 7)  # a week after the survey closes
    # 'na de enquete' at the interim evaluation proposed a day in the middle of the survey
    got = u.understand("na de enquete", _asked_in_plan(), today=TODAY)
    assert got.candidates[0].label.endswith("7 april 2027"), got.candidates
    # a moment the plan does not have is not guessed
    got = u.understand("2 weken na de buurtschouw", _asked_in_plan(), today=TODAY)
    assert got.outcome is u.Outcome.refuse


# --- an answer with a comment after it (a walk through a Heerlen interview) -----------------


@pytest.mark.parametrize(
    ("text", "yes"),
    [
        ("valt wel mee, buurt + school + woningcorp", False),
        ("weinig (alleen de school)", False),
        ("niet echt - misschien de corporatie", False),
        ("klopt helemaal, zie het plan", True),
        ("zeker weten. de hele buurt", True),
    ],
)
def test_a_yes_or_no_with_a_comment_after_it_is_read(text: str, yes: bool) -> None:
    # asked at 'Zijn er veel partijen bij betrokken?', where 'valt mee' is a no
    got = u.understand(text, u.Asked("yesno", asks_much=True), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, yes)


@pytest.mark.parametrize("text", ["valt mee", "valt wel mee, buurt + school", "het valt wel mee"])
def test_valt_mee_is_asked_again_where_the_question_is_not_about_how_much(text: str) -> None:
    got = u.understand(text, u.Asked("yesno"), today=TODAY)
    assert got.outcome is u.Outcome.refuse
    assert got.message == "'Valt mee' kan hier ja of nee betekenen. Typ 'ja' of 'nee'."


@pytest.mark.parametrize("text", ["ja, nee toch niet", "valt mee, ja toch wel veel"])
def test_a_comment_that_says_the_opposite_is_not_taken_for_either(text: str) -> None:
    assert u.understand(text, u.Asked("yesno"), today=TODAY).outcome is u.Outcome.refuse


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("weet ik nog niet, iemand van wijkteam", "text"),
        ("geen idee (vraag ik na)", "text"),
        ("weet ik nog niet, paar keer in mei/juni", "date"),
        ("nog niet bekend - hangt van de offerte af", "money"),
        ("geen idee, de aannemer weet het", "hours"),
    ],
)
def test_not_known_with_a_comment_after_it_is_open_never_a_name(text: str, kind: str) -> None:
    got = u.understand(text, u.Asked(kind), today=TODAY)
    assert got.outcome is u.Outcome.unknown


def test_not_known_then_a_value_at_a_date_gives_the_value() -> None:
    got = u.understand("geen idee, 12 maart denk ik", u.Asked("date"), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, date(2027, 3, 12))


@pytest.mark.parametrize(
    "text", ["hoeft niet, gaat via school", "niet nodig (de school doet het)", "is niet nodig"]
)
def test_no_need_at_an_optional_date_is_not_applicable(text: str) -> None:
    got = u.understand(text, u.Asked("date", proposal=date(2027, 5, 25)), today=TODAY)
    assert got.outcome is u.Outcome.not_applicable


def test_no_need_at_a_yes_no_stays_a_plain_no() -> None:
    got = u.understand("niet nodig", u.Asked("yesno", unknown_ok=True), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, False)


@pytest.mark.parametrize(
    ("text", "kind", "first"),
    [
        ("ergens na de zomer, sept of okt?", "date", "2027-08"),
        ("na de zomervakantie (denk ik)", "date", "2027-08"),
        ("eind juni tot half juli, ong 3 weken", "period", "2027-06-30"),
    ],
)
def test_a_time_with_a_comment_after_it_is_read_from_the_part_before(
    text: str, kind: str, first: str
) -> None:
    got = u.understand(text, u.Asked(kind, regio="zuid"), today=TODAY)
    assert got.outcome in (u.Outcome.match, u.Outcome.ask), got.message
    value = got.value if got.outcome is u.Outcome.match else got.candidates[0].value
    day = value.van if isinstance(value, Periode) else value
    assert day.isoformat().startswith(first) or day.isoformat() >= first


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("mei/juni", date(2027, 5, 1), date(2027, 6, 30)),
        ("mei of juni", date(2027, 5, 1), date(2027, 6, 30)),
        ("april-mei 2027", date(2027, 4, 1), date(2027, 5, 31)),
        ("december/januari", date(2026, 12, 1), date(2027, 1, 31)),
    ],
)
def test_two_months_are_one_vague_time_with_a_proposal_inside_them(
    text: str, start: date, end: date
) -> None:
    got = u.understand(text, u.Asked("date", regio="zuid"), today=TODAY)
    assert got.outcome is u.Outcome.ask
    assert start <= got.candidates[0].value <= end


@pytest.mark.parametrize("text", ["in mei", "april-mei 2027", "december/januari", "mei 2027"])
def test_a_proposed_date_is_no_public_holiday_and_no_school_holiday(text: str) -> None:
    from handreiking.calendar import holiday_on

    got = u.understand(text, u.Asked("date", regio="zuid"), today=TODAY)
    proposed = got.candidates[0].value
    assert holiday_on(proposed, "zuid") is None, proposed  # 'in mei' was Tweede Pinksterdag
    assert proposed.weekday() < 5


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("minder, we doen 2 avonden dus zeg 20 uurtjes", 20),
        ("we zijn met 3 man, 12 uur totaal", 12),
        ("2 bijeenkomsten van ieder een avond, samen 9 uur", 9),
    ],
)
def test_the_one_number_said_in_hours_is_the_answer_among_other_numbers(
    text: str, hours: int
) -> None:
    got = u.understand(text, u.Asked("hours"), today=TODAY)
    assert (got.outcome, got.value.waarde) == (u.Outcome.match, hours)


def test_two_numbers_said_in_hours_are_not_guessed() -> None:
    got = u.understand("2 uur voorbereiden en 3 uur de avond", u.Asked("hours"), today=TODAY)
    assert got.outcome is u.Outcome.refuse


@pytest.mark.parametrize(
    "text",
    [
        "een paar honderd euro voor koffie en materiaal",
        "voor de zaal enkele honderden",
        "koffie, thee: een paar honderd",
    ],
)
def test_a_few_hundred_among_words_is_200_to_400(text: str) -> None:
    got = u.understand(text, u.Asked("money"), today=TODAY)
    assert got.value == Bedrag(min=200, max=400, schatting=True)


@pytest.mark.parametrize(
    ("text", "echo"),
    [
        # 'zaalhuur 0, koffie en drukwerk zo'n 350' at 'Wat kost de bijeenkomst?' got "Dat
        # bedrag kan ik niet lezen": costs each with its name, apart by a comma or 'en'
        ("zaalhuur 0, koffie en drukwerk zo'n 350", "ca. € 350"),
        ("zaal 200, koffie 50", "€ 250"),
        ("zaalhuur 200 en koffie 50", "€ 250"),
    ],
)
def test_costs_named_one_by_one_are_added_up(text: str, echo: str) -> None:
    got = u.understand(text, u.Asked("money"), today=TODAY)
    assert got.outcome is u.Outcome.match and got.echo.replace("\xa0", " ").endswith(echo), got


@pytest.mark.parametrize("text", ["1500, misschien 2000", "ca. 1500, eerder 2000"])
def test_two_guesses_of_one_cost_are_not_added_up(text: str) -> None:
    got = u.understand(text, u.Asked("money"), today=TODAY)
    assert got.value != Bedrag(min=3500) and got.value != Bedrag(min=3500, schatting=True)


@pytest.mark.parametrize(
    "text", ["niks, gratis", "gratis (zaal van de school)", "niets. Vrijwilligers"]
)
def test_nothing_with_a_comment_after_it_costs_nothing(text: str) -> None:
    got = u.understand(text, u.Asked("money"), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, Bedrag(min=0))


TWO_MIDDELEN = u.options(
    [("Workshops", "Workshops (ca. 30 uur)"), ("Meedenkgroep", "Meedenkgroep")]
)


@pytest.mark.parametrize("text", ["allebei wel", "doe maar beide", "neem ze allemaal graag"])
def test_all_of_them_with_other_words_takes_every_option(text: str) -> None:
    got = u.understand(text, u.Asked("multi", TWO_MIDDELEN), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, ["Workshops", "Meedenkgroep"])


def test_none_of_both_is_not_all_of_them() -> None:
    got = u.understand("geen van beide", u.Asked("multi", TWO_MIDDELEN), today=TODAY)
    assert got.value == []


def test_an_unknown_part_of_two_options_is_refused_with_numbers_that_exist() -> None:
    got = u.understand("1, 5", u.Asked("multi", TWO_MIDDELEN), today=TODAY)
    assert got.outcome is u.Outcome.refuse
    assert "1, 2" in got.message and "1, 3" not in got.message


@pytest.mark.parametrize("text", ["8 uurtjes denk ik", "8 uur, denk ik"])
def test_a_doubt_after_the_hours_makes_them_an_estimate(text: str) -> None:
    got = u.understand(text, u.Asked("hours"), today=TODAY)
    assert got.value == Aantal(waarde=8, schatting=True)
    assert got.echo == "→ ca. 8 uur"


@pytest.mark.parametrize("text", ["een beetje, er komt een hek omheen", "amper", "niet zo erg"])
def test_a_little_at_a_question_about_a_lot_is_no(text: str) -> None:
    got = u.understand(text, u.Asked("yesno"), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, False)


@pytest.mark.parametrize(
    "text", ["we zijn met z'n vieren, samen zo'n 16 uur", "alles bij elkaar ongeveer 16 uur"]
)
def test_a_rough_word_before_the_hours_among_words_makes_them_an_estimate(text: str) -> None:
    got = u.understand(text, u.Asked("hours"), today=TODAY)
    assert got.value == Aantal(waarde=16, schatting=True)


def test_not_known_twice_at_a_long_text_is_open_but_a_comment_with_content_is_kept() -> None:
    got = u.understand("weet niet, volgt nog", u.Asked("long_text"), today=TODAY)
    assert got.outcome is u.Outcome.unknown
    got = u.understand("weet niet, misschien geluid", u.Asked("long_text"), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, "weet niet, misschien geluid")


@pytest.mark.parametrize("text", ["volgt nog", "komt nog", "dat volgt nog"])
def test_it_follows_is_not_known_yet(text: str) -> None:
    assert u.understand(text, u.Asked("text"), today=TODAY).outcome is u.Outcome.unknown


@pytest.mark.parametrize(
    "text", ["drukwerk ca 150", "voor de zaal ongeveer 150", "zeg 150 voor koffie"]
)
def test_a_rough_word_before_an_amount_among_words_makes_it_an_estimate(text: str) -> None:
    got = u.understand(text, u.Asked("money"), today=TODAY)
    assert got.value == Bedrag(min=150, schatting=True)


@pytest.mark.parametrize(
    ("text", "day"),
    [("nee, liever half juni", date(2027, 6, 15)), ("nee joh, 3 juni", date(2027, 6, 3))],
)
def test_no_with_the_answer_after_it_at_a_proposal_takes_that_answer(text: str, day: date) -> None:
    got = u.understand(text, u.Asked("date", proposal=date(2027, 5, 3)), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, day)
    got = u.understand("nee", u.Asked("date", proposal=date(2027, 5, 3)), today=TODAY)
    assert got.outcome is u.Outcome.refuse  # a bare no asks for another date


@pytest.mark.parametrize(
    ("text", "means"), [("wijkje", "wijk"), ("een buurtje", "buurt"), ("straatje", "straat")]
)
def test_a_diminutive_of_an_option_is_that_option(text: str, means: str) -> None:
    scale = u.options([(s, s) for s in ("straat", "buurt", "wijk", "hele gemeente")], "Schaal")
    got = u.understand(text, u.Asked("choice", scale), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, means)


@pytest.mark.parametrize(
    ("text", "means"),
    [
        ("buurt, een paar straten", "buurt"),  # was 'Bedoel je straat of buurt?'
        ("wijk (een paar buurten eigenlijk)", "wijk"),
        ("straat - eigenlijk maar een stukje ervan", "straat"),
    ],
)
def test_an_option_with_a_comment_after_it_is_that_option(text: str, means: str) -> None:
    scale = u.options([(s, s) for s in ("straat", "buurt", "wijk", "hele gemeente")], "Schaal")
    got = u.understand(text, u.Asked("choice", scale), today=TODAY)
    assert (got.outcome, got.value, got.echo) == (u.Outcome.match, means, f"→ {means}")


def test_an_option_then_another_after_of_is_asked_about() -> None:
    # 'straat - of eigenlijk twee straten' (a few streets: buurt) is a second thought
    scale = u.options([(s, s) for s in ("straat", "buurt", "wijk", "hele gemeente")], "Schaal")
    got = u.understand("straat - of eigenlijk twee straten", u.Asked("choice", scale), today=TODAY)
    assert got.outcome is u.Outcome.ask
    assert [c.value for c in got.candidates] == ["straat", "buurt"]


@pytest.mark.parametrize(
    "text", ["klaar hoor", "dat was het wel", "nee hoor, klaar", "niemand meer hoor"]
)
def test_the_end_of_a_list_with_a_word_around_it_is_never_an_item(text: str) -> None:
    got = u.understand(text, ASKED["list_items"], today=TODAY)
    assert got.outcome in (u.Outcome.done, u.Outcome.none)  # 'klaar hoor' became a group


@pytest.mark.parametrize(
    ("text", "month"),
    [("ergens na de zomer van 2027", 9), ("het voorjaar van 2027", 4), ("in maart van 2027", 3)],
)
def test_a_vague_time_with_van_before_the_year_is_proposed(text: str, month: int) -> None:
    got = u.understand(text, u.Asked("date", regio="zuid"), today=TODAY)
    assert got.outcome is u.Outcome.ask
    proposed = got.candidates[0].value
    assert (proposed.year, proposed.month) == (2027, month)


@pytest.mark.parametrize("text", ["iets minder, zo'n 40", "minder: 40", "nee, eerder 40"])
def test_a_comment_then_the_number_of_hours_is_read(text: str) -> None:
    got = u.understand(text, u.Asked("hours"), today=TODAY)
    assert (got.outcome, got.value.waarde) == (u.Outcome.match, 40)


def test_people_counted_are_not_hours() -> None:
    got = u.understand("we zijn met 4 man", u.Asked("hours"), today=TODAY)
    assert got.outcome is u.Outcome.refuse


@pytest.mark.parametrize("text", ["dat klopt ongeveer", "prima denk ik", "klopt wel zo'n beetje"])
def test_a_hedged_yes_takes_the_proposal(text: str) -> None:
    got = u.understand(
        text, u.Asked("hours", proposal=Aantal(waarde=60, schatting=True)), today=TODAY
    )
    assert got.outcome is u.Outcome.proposal


@pytest.mark.parametrize(
    "text", ["nul komma nul", "helemaal niks", "geen rooie cent", "kost ons niets", "nada"]
)
def test_nothing_said_in_other_words_costs_nothing(text: str) -> None:
    got = u.understand(text, u.Asked("money"), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, Bedrag(min=0))


@pytest.mark.parametrize(
    ("text", "proposed"),
    [
        ("na de herfstvakantie 2027", date(2027, 11, 1)),
        ("na de kerstvakantie van 2027", date(2027, 1, 4)),
    ],
)
def test_a_school_break_with_its_year_is_that_years_break(text: str, proposed: date) -> None:
    got = u.understand(text, u.Asked("date", regio="zuid"), today=TODAY)
    assert got.outcome is u.Outcome.ask
    assert got.candidates[0].value == proposed


@pytest.mark.parametrize(
    "text", ["samen doen (en een beetje meedenken)", "samen doen (plus samen denken)"]
)
def test_a_second_choice_between_brackets_is_chosen_too(text: str) -> None:
    got = u.understand(text, ASKED["doelen"], today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, ["samen denken", "samen doen"])


@pytest.mark.parametrize("text", ["geen van beide, we doen zelf iets", "nee, eigen activiteiten"])
def test_none_with_a_comment_chooses_none(text: str) -> None:
    got = u.understand(text, u.Asked("multi", TWO_MIDDELEN, unknown_ok=True), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, [])


@pytest.mark.parametrize(
    ("text", "amount"),
    [("koffie en vlaai, zeg 75 euro", 75), ("zaalhuur: 150", 150), ("150, voor de zaal", 150)],
)
def test_an_amount_among_words_with_a_comma_or_colon_is_read(text: str, amount: int) -> None:
    got = u.understand(text, u.Asked("money"), today=TODAY)
    assert (got.outcome, got.value.min) == (u.Outcome.match, amount)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("1x in de maand is genoeg hoor", "frequency", 4),
        ("elke maand hoor", "frequency", 4),
        ("20 uur joh", "hours", Aantal(waarde=20)),
    ],
)
def test_hoor_or_joh_at_the_end_says_nothing_more(text: str, kind: str, value: object) -> None:
    got = u.understand(text, u.Asked(kind), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, value)


@pytest.mark.parametrize("said", ["nee nog niet", "ja hoor", "klopt wel"])
def test_a_short_yes_or_no_at_an_open_question_is_no_answer_in_words(said: str) -> None:
    got = u.understand(said, u.Asked("text", unknown_ok=False), today=TODAY)
    assert got.outcome is u.Outcome.refuse and got.message.startswith("Dit is geen vraag met ja")


@pytest.mark.parametrize("said", ["nee, want de school doet niet mee", "Prima Vista"])
def test_a_longer_answer_or_a_name_that_starts_like_a_yes_or_no_is_kept(said: str) -> None:
    got = u.understand(said, u.Asked("text", unknown_ok=False, name=True), today=TODAY)
    assert got.outcome is u.Outcome.match and got.value == said


# --- a civil servant's walk (Leidschendam-Voorburg, console): what surprised ----------------
WALK_DAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("said", "proposed"),
    [
        # the weekday named was ignored: 'vrijdag 15 januari' was stored
        ("half januari, op een woensdagmiddag", date(2027, 1, 13)),
        ("eind januari, dinsdagavond", date(2027, 1, 26)),  # in January, not 2 February
        ("een woensdag in maart", date(2027, 3, 17)),
        # the second guess says which part of spring: was 15 april
        ("ergens in het voorjaar, maart of zo", date(2027, 3, 16)),
        # one time or the other: were refused
        ("eind januari of begin februari", date(2027, 2, 1)),
        ("begin of half maart", date(2027, 3, 8)),
        ("na de zomer als het speelveld klaar is", date(2027, 8, 30)),
    ],
)
def test_a_time_said_with_a_weekday_or_a_second_guess_is_proposed_on_that_day(said, proposed):
    got = u.understand(said, u.Asked("date", regio="midden"), today=WALK_DAY)
    assert got.outcome is u.Outcome.ask, got
    assert [c.value for c in got.candidates] == [proposed]
    assert got.message.startswith("Dat is nog wat ruim. Bedoel je")


def test_the_end_of_a_month_on_a_sunday_is_a_working_day():
    # 'eind januari' was stored as Sunday 31 January 2027, and a tip about Sundays followed
    got = u.understand("eind januari", u.Asked("date", regio="midden"), today=WALK_DAY)
    assert got.outcome is u.Outcome.match and got.value == date(2027, 1, 29)
    assert got.echo == "→ vrijdag 29 januari 2027"
    got = u.understand("eind mei", u.Asked("date", regio="midden"), today=WALK_DAY)
    assert got.outcome is u.Outcome.match and got.value == date(2027, 5, 31)


def test_a_weekday_that_is_the_date_itself_stays_that_date():
    got = u.understand("volgende week woensdag", u.Asked("date"), today=WALK_DAY)
    assert got.outcome is u.Outcome.match and got.value == date(2026, 12, 16)


def test_an_amount_after_words_with_zon_is_an_estimate():
    got = u.understand("koffie en zaalhuur zo'n 150", u.Asked("money"), today=WALK_DAY)
    assert got.outcome is u.Outcome.match and got.echo == "→ ca. €\xa0150"
    assert got.value == Bedrag(min=150, schatting=True)


@pytest.mark.parametrize("said", ["na elke bijeenkomst een mailtje", "na elk overleg"])
def test_an_update_after_each_step_gets_a_rhythm_proposed(said):
    got = u.understand(said, u.Asked("frequency", proposal=4), today=WALK_DAY)
    assert got.outcome is u.Outcome.ask and [c.value for c in got.candidates] == [4]


def test_an_activity_is_a_moment_by_a_word_of_its_description():
    avond = Activiteit(
        type=ActiviteitType.bijeenkomst,
        omschrijving="informatieavond definitief ontwerp",
        datum=date(2027, 3, 2),
    )
    plan = Plan(activiteiten=[avond], besluitdatum=date(2027, 3, 16))
    asked = u.Asked("date", anchors=u.plan_anchors(plan))
    got = u.understand("een week na de informatieavond", asked, today=WALK_DAY)
    assert got.outcome is u.Outcome.match and got.value == date(2027, 3, 9)


def test_zie_hierboven_is_no_answer_and_what_follows_it_is():
    # 'zie hierboven, speelveld opknappen' was the first line of the plan's 'In het kort'
    got = u.understand("zie hierboven, speelveld opknappen", u.Asked("long_text"), today=WALK_DAY)
    assert got.outcome is u.Outcome.match and got.value == "speelveld opknappen"
    got = u.understand("Zie boven.", u.Asked("long_text"), today=WALK_DAY)
    assert got.outcome is u.Outcome.refuse and "eigen plek" in got.message
    said = "Zie eerder besluit van de raad uit 2019"
    got = u.understand(said, u.Asked("long_text"), today=WALK_DAY)
    assert got.outcome is u.Outcome.match and got.value == said


@pytest.mark.parametrize(
    ("said", "name", "remark"),
    [
        (
            "Stichting Brinkspel (wij zijn met 4 buren)",
            "Stichting Brinkspel",
            "wij zijn met 4 buren",
        ),
        (
            "Stichting Brinkspel, wij zijn met 4 buren",
            "Stichting Brinkspel",
            "wij zijn met 4 buren",
        ),
        ("St. Brinkspel. Wij zijn met 4 buren.", "St. Brinkspel", "Wij zijn met 4 buren"),
        ("Anna Voorbeeld - die is er pas sinds mei", "Anna Voorbeeld", "die is er pas sinds mei"),
    ],
)
def test_a_remark_after_a_name_is_not_part_of_the_name(said: str, name: str, remark: str) -> None:
    got = u.understand(said, u.Asked("text", unknown_ok=False, name=True), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, name)
    assert got.echo == (
        f"→ {name}\nAlleen de naam komt in je documenten, niet je opmerking ‘{remark}’."
    )


@pytest.mark.parametrize(
    "said",
    [
        "Gemeente Voorbeeld, team Wijken",
        "Buurtvereniging De Linde (BVL)",
        "Stichting Brinkspel (i.o.)",
        "Vereniging Dorpsbelang, Ons Dorp",
    ],
)
def test_a_name_with_a_comma_or_brackets_of_its_own_is_kept_whole(said: str) -> None:
    got = u.understand(said, u.Asked("text", unknown_ok=False, name=True), today=TODAY)
    assert (got.outcome, got.value, got.echo) == (u.Outcome.match, said, "")


@pytest.mark.parametrize(("said", "lang"), [("ongeveer 20 uur", "nl"), ("about 20 hours", "en")])
def test_hours_where_the_cost_is_asked_are_not_euros(said, lang):
    # 'about 20 hours' at the cost question was stored as about € 20
    got = u.understand(said, u.Asked("money"), today=WALK_DAY, lang=lang)
    assert got.outcome is u.Outcome.refuse
    assert ("aantal uren" if lang == "nl" else "number of hours") in got.message


def test_forgotten_then_a_guess_is_the_guess():
    # 'weet ik niet meer precies, zo'n 40 mensen' at how many came was refused
    said = "weet ik niet meer precies, zo'n 40 mensen"
    got = u.understand(said, u.Asked("number"), today=WALK_DAY)
    assert got.outcome is u.Outcome.match and got.value == Aantal(waarde=40, schatting=True)
    got = u.understand("weet ik niet meer", u.Asked("number"), today=WALK_DAY)
    assert got.outcome is u.Outcome.unknown


def test_nee_at_a_date_that_may_stay_open_is_not_applicable():
    # 'nee' at 'Wanneer kijk je halverwege ...?' got 'Die datum kan ik niet lezen', four times
    got = u.understand("nee", u.Asked("date"), today=WALK_DAY)
    assert got.outcome is u.Outcome.not_applicable
    got = u.understand("nee", u.Asked("date", unknown_ok=False), today=WALK_DAY)
    assert got.outcome is u.Outcome.refuse


@pytest.mark.parametrize(
    "text",
    [
        "deels, een paar ouders",
        "een paar wel",
        "gedeeltelijk",
        "niet iedereen",
        "niet allemaal, vooral de jonge ouders",
        "ja, maar niet iedereen",
        "nee, alleen een paar",
        "sommigen wel",
        "de meesten",
        "some of them",
    ],
)
def test_part_of_a_group_is_partly_where_the_question_allows_it(text: str) -> None:
    got = u.understand(text, u.Asked("yesno", partly=True), today=TODAY)
    assert (got.outcome, got.value, got.echo) == (u.Outcome.match, u.PARTLY, "→ deels")


@pytest.mark.parametrize(
    ("text", "yes"),
    [
        ("ja", True),
        ("ja, vooral via de school", True),
        ("zeker, de hele buurt", True),
        ("nee", False),
        ("niet echt", False),
        ("nee, die kwamen niet", False),
    ],
)
def test_a_plain_yes_or_no_stays_one_where_partly_is_allowed(text: str, yes: bool) -> None:
    got = u.understand(text, u.Asked("yesno", partly=True), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, yes)


def test_partly_is_a_no_where_the_question_asks_whether_it_is_all_there() -> None:
    # 'Zijn er geld en uren?' 'deels': not (yet) as asked
    got = u.understand("deels", u.Asked("yesno"), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, False)


# --- a Leiden walk: dates and amounts as a busy person corrects them ------------------------


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("op de inloopavond zelf", date(2027, 3, 10)),
        ("tijdens de inloopavond", date(2027, 3, 10)),
        ("dezelfde dag als het besluit", date(2027, 6, 15)),
    ],
)
def test_a_date_on_a_moment_of_the_plan_is_that_day(said: str, meant: date) -> None:
    got = u.understand(said, _asked_in_plan(), today=TODAY)
    assert got.outcome is u.Outcome.match and got.value == meant


def test_a_date_moved_from_the_one_given_before() -> None:
    given = u.Asked("date", current=date(2027, 2, 23))
    assert u.understand("dan een week eerder", given, today=WALK_DAY).value == date(2027, 2, 16)
    assert u.understand("nog 2 dagen later", given, today=WALK_DAY).value == date(2027, 2, 25)
    # without a date given before there is nothing to move
    alone = u.understand("een week eerder", u.Asked("date"), today=WALK_DAY)
    assert alone.outcome is u.Outcome.refuse
    # and a move into the past is refused as any past date is
    soon = u.Asked("date", current=date(2026, 12, 9))
    assert "voorbij" in u.understand("een week eerder", soon, today=WALK_DAY).message


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("ergens half maart", date(2027, 3, 15)),
        ("ongeveer half maart", date(2027, 3, 15)),
        ("eind sept", date(2027, 9, 30)),
        ("15 sept 2027", date(2027, 9, 15)),
    ],
)
def test_a_date_with_a_hedge_or_a_short_month(said: str, meant: date) -> None:
    got = u.understand(said, u.Asked("date"), today=WALK_DAY)
    assert got.outcome is u.Outcome.match and got.value == meant


@pytest.mark.parametrize("said", ["ergens na de zomer 2027, sept/okt", "sept/okt 2027"])
def test_two_months_with_a_slash_are_one_or_the_other(said: str) -> None:
    got = u.understand(said, u.Asked("date", regio="midden"), today=WALK_DAY)
    assert got.outcome is u.Outcome.ask
    assert date(2027, 9, 1) <= got.candidates[0].value <= date(2027, 10, 31)


def test_a_vague_time_with_a_weekday_after_a_hedge() -> None:
    got = u.understand("ergens half maart, dinsdagavond", u.Asked("date"), today=WALK_DAY)
    assert got.outcome is u.Outcome.ask and got.candidates[0].value == date(2027, 3, 16)


@pytest.mark.parametrize(
    ("kind", "said", "meant", "estimate"),
    [
        ("money", "300 is wat krap, maak er 500 van", 500, False),
        ("money", "niet 300 maar 500", 500, False),
        ("hours", "eerder 12, met voorbereiding", 12, False),
        ("hours", "12, schat ik", 12, True),
        ("hours", "8 is te weinig, maak er 12 uur van", 12, False),
        ("number", "eerder 50", 50, True),
        ("number", "zo rond de 50 denk ik", 50, True),
        ("number", "40, schat ik", 40, True),
    ],
)
def test_an_amount_among_words(kind: str, said: str, meant: float, estimate: bool) -> None:
    got = u.understand(said, u.Asked(kind), today=WALK_DAY)  # type: ignore[arg-type]
    assert got.outcome is u.Outcome.match
    value = got.value
    assert (value.min if kind == "money" else value.waarde) == meant
    assert value.schatting is estimate


def test_two_amounts_without_a_correction_are_not_guessed() -> None:
    got = u.understand("eerder 50, misschien 60", u.Asked("number"), today=WALK_DAY)
    assert got.outcome is u.Outcome.refuse


@pytest.mark.parametrize("kind", ["choice", "number", "money", "date"])
def test_a_dash_where_an_answer_may_be_left_out_leaves_it_out(kind: str) -> None:
    # 'Hoeveel invloed heeft ...? (mag je overslaan)' '-' got 'Die keuze ken ik niet'
    options = (u.Option("laag", "laag"), u.Option("hoog", "hoog")) if kind == "choice" else ()
    optional = u.Asked(kind, options=options, unknown_ok=True)  # type: ignore[arg-type]
    assert u.understand("-", optional, today=WALK_DAY).outcome is u.Outcome.not_applicable
    needed = u.Asked(kind, options=options, unknown_ok=False)  # type: ignore[arg-type]
    refused = u.understand("-", needed, today=WALK_DAY)
    assert refused.outcome is u.Outcome.refuse
    assert "onder nul" not in refused.message and "negatief" not in refused.message


@pytest.mark.parametrize("said", ["mogen meebeslissen", "beslissen mee", "meebeslissen"])
def test_a_group_that_decides_along_is_no_decision_maker(said: str) -> None:
    # the kids of a playground 'mogen meebeslissen': the college still decides
    from handreiking.models import Rol

    got = u.understand(said, _enum_asked("choice", Rol), today=TODAY)
    assert (got.outcome, got.value) == (u.Outcome.match, "co-producent")


@pytest.mark.parametrize(
    ("said", "day"),
    [("raad van 12 maart 2027", date(2027, 3, 12)), ("commissie eind maart", date(2027, 3, 31))],
)
def test_a_date_after_a_word_that_names_the_occasion(said: str, day: date) -> None:
    # 'raadsvergadering juni 2027' at 'Wanneer valt het besluit?' got 'Die datum kan ik niet lezen'
    got = u.understand(said, u.Asked("date"), today=WALK_DAY)
    assert got.outcome is u.Outcome.match and got.value == day
    vague = u.understand("raadsvergadering juni 2027", u.Asked("date"), today=WALK_DAY)
    assert vague.outcome is u.Outcome.ask and vague.candidates[0].value.month == 6


@pytest.mark.parametrize("regio", ["noord", "midden", "zuid", None])
def test_a_weekday_named_with_a_vague_time_is_never_proposed_in_a_holiday(regio) -> None:
    # 'eind februari, donderdagavond' proposed Thursday 25 February 2027, in the voorjaarsvakantie
    from handreiking.calendar import free_day

    got = u.understand(
        "eind februari, donderdagavond", u.Asked("date", regio=regio), today=WALK_DAY
    )
    day = got.candidates[0].value
    assert got.outcome is u.Outcome.ask and day.weekday() == 3
    assert free_day(day, regio)


def test_valt_mee_at_an_open_question_about_how_much_is_kept_as_the_answer() -> None:
    # 'Hoe complex is het vraagstuk?' (may be left out) 'valt mee' was stored as 'niet van
    # toepassing': it says the issue is not very complex, which the plan should say
    complex_ = u.Asked("long_text", unknown_ok=True)
    for said in ("valt mee", "dat valt wel mee hoor"):
        got = u.understand(said, complex_, today=TODAY)
        assert (got.outcome, got.value) == (u.Outcome.match, said)
        assert "niet van toepassing" not in got.echo
    # a bare no there is still nothing
    assert u.understand("nee", complex_, today=TODAY).outcome is u.Outcome.not_applicable
