"""Closing a traject: planned against done, CSV import, themes, evaluation, paragraaf, calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from PIL import Image

from handreiking.afronding import (
    Afronding,
    Besluit,
    CsvFout,
    InbrengItem,
    Thema,
    Uitvoering,
    Verwerking,
    groepeer,
    import_csv,
    vergelijk,
)
from handreiking.agenda import planning_ics
from handreiking.evaluatie import STANDAARD_VRAGEN, aggregate, chart, chart_alt_tekst, vragen
from handreiking.models import (
    Activiteit,
    ActiviteitType,
    Belanghebbende,
    Beslisser,
    Doel,
    Niveau,
    Periode,
    Plan,
    Rol,
)
from handreiking.paragraaf import paragraaf_tekst
from handreiking.planning import milestones
from handreiking.profiles import load_profile
from handreiking.tijdlijn import alt_tekst, tijdlijn_png

HEEMSTEDE = load_profile("heemstede")
LEIDEN = load_profile("leiden")


def vastgesteld_plan() -> Plan:
    """An invented plan as the raad adopted it."""
    return Plan(
        titel="Vergroening Kastanjeplein",
        opgave="Het plein krijgt meer groen en een speelplek.",
        beslisser=Beslisser.raad,
        grote_wijziging=True,
        niveau=Niveau.raadplegen,
        niveau_toelichting="De raad wil weten wat de buurt belangrijk vindt.",
        doelen=[Doel.samen_denken],
        afwegingskader="We wegen af op veiligheid, groen en kosten.",
        besluitdatum=date(2026, 6, 25),
        belanghebbenden=[
            Belanghebbende(naam="Omwonenden Kastanjeplein", rol=Rol.geraadpleegd),
            Belanghebbende(naam="Basisschool De Eik", rol=Rol.adviseur),
            Belanghebbende(naam="Winkeliers", rol=Rol.geraadpleegd),
            Belanghebbende(naam="Gemeenteraad", rol=Rol.beslisser),
        ],
        activiteiten=[
            Activiteit(
                type=ActiviteitType.bijeenkomst,
                omschrijving="Inloopavond",
                datum=date(2026, 3, 12),
                plaats="Buurthuis De Eik",
            ),
            Activiteit(
                type=ActiviteitType.online,
                omschrijving="Reageren op de schetsen",
                periode=Periode(van=date(2026, 3, 2), tot=date(2026, 3, 23)),
            ),
            Activiteit(
                type=ActiviteitType.workshop,
                omschrijving="Ontwerpatelier",
                datum=date(2026, 4, 14),
                niveau=Niveau.coproduceren,
            ),
        ],
        update_ritme_weken=4,
        rapportage_datum=date(2026, 5, 15),
        evaluatie_datum=date(2026, 9, 1),
    )


def afronding() -> Afronding:
    """What happened: one activity moved, one cancelled, one added, a group missed."""
    return Afronding(
        uitvoering=[
            Uitvoering(activiteit=1, datum=date(2026, 3, 19), deelnemers=45),
            Uitvoering(
                activiteit=2,
                periode=Periode(van=date(2026, 3, 2), tot=date(2026, 3, 23)),
                deelnemers=130,
            ),
            Uitvoering(activiteit=3, gehouden=False),
            Uitvoering(
                type=ActiviteitType.buurtschouw,
                omschrijving="Rondje over het plein",
                datum=date(2026, 4, 20),
                deelnemers=12,
            ),
        ],
        niveau=Niveau.adviseren,
        bereikt=["omwonenden kastanjeplein", "Basisschool De Eik"],
        inbreng=[
            InbrengItem(tekst="Meer bomen graag", thema="Groen", bron="DoeMee"),
            InbrengItem(tekst="Laat de parkeerplaatsen", thema="Parkeren", bron="DoeMee"),
            InbrengItem(tekst="Schaduw bij de bankjes", thema="groen", bron="inloopavond"),
            InbrengItem(tekst="Een watertappunt", bron="DoeMee"),
        ],
        themas=[
            Thema(
                naam="Groen",
                verwerking=Verwerking.overgenomen,
                reden="Er komen twaalf bomen bij; dat past in het budget.",
            ),
            Thema(
                naam="Parkeren",
                verwerking=Verwerking.niet,
                reden="Het aantal parkeerplaatsen ligt vast in het verkeersplan.",
            ),
            Thema(
                naam="Spelen",
                verwerking=Verwerking.deels,
                reden="Er komt een speelplek, maar kleiner dan gevraagd.",
            ),
        ],
        afweging="Veiligheid ging voor; daarna groen, daarna kosten.",
        besluit=Besluit(
            datum=date(2026, 7, 2),
            orgaan=Beslisser.raad,
            uitkomst="De raad stemt in met het ontwerp.",
            link="https://example.org/raad/besluit-42",
        ),
        redenen={
            "niet_gehouden:3": "Er waren te weinig aanmeldingen.",
            "verplaatst:1": "Het buurthuis was op 12 maart bezet.",
        },
    )


# ---------------------------------------------------------------- planned against done


def test_vergelijk_finds_every_deviation_with_its_reason():
    afwijkingen = vergelijk(vastgesteld_plan(), afronding(), LEIDEN)
    by_code = {a.code: a for a in afwijkingen}
    assert set(by_code) == {
        "verplaatst:1",
        "niet_gehouden:3",
        "extra:4",
        "niveau",
        "bereik:winkeliers",
        "besluit",
    }
    assert by_code["verplaatst:1"].tekst == (
        "Activiteit 1 (bijeenkomst: Inloopavond) was gepland op 12 maart 2026 "
        "en was op 19 maart 2026."
    )
    assert by_code["verplaatst:1"].reden == "Het buurthuis was op 12 maart bezet."
    assert (
        by_code["niet_gehouden:3"].tekst
        == "Activiteit 3 (workshop: Ontwerpatelier) ging niet door."
    )
    assert by_code["niet_gehouden:3"].reden == "Er waren te weinig aanmeldingen."
    assert "buurtschouw: Rondje over het plein, op 20 april 2026" in by_code["extra:4"].tekst
    assert by_code["niveau"].tekst == (
        "Het plan koos voor raadplegen. In de uitvoering werd het adviseren."
    )
    # the raad decides; it is not a group that should have taken part
    assert by_code["bereik:winkeliers"].tekst == "Niet bereikt: Winkeliers (wordt geraadpleegd)."
    assert by_code["besluit"].tekst == (
        "Het besluit was gepland op 25 juni 2026 en viel op 2 juli 2026."
    )
    assert by_code["besluit"].reden is None


def test_a_traject_that_went_as_planned_has_no_deviations():
    plan = vastgesteld_plan()
    done = Afronding(
        uitvoering=[
            Uitvoering(activiteit=1, datum=date(2026, 3, 12)),
            Uitvoering(activiteit=2),  # held, dates not given: as planned
            Uitvoering(activiteit=3, niveau=Niveau.coproduceren),
        ],
        bereikt=["Omwonenden Kastanjeplein", "Basisschool De Eik", "Winkeliers"],
        besluit=Besluit(datum=date(2026, 6, 25), orgaan=Beslisser.raad, uitkomst="Akkoord."),
    )
    assert vergelijk(plan, done) == []


def test_what_was_not_recorded_is_a_deviation_too():
    texts = [a.tekst for a in vergelijk(vastgesteld_plan(), Afronding())]
    assert texts == [
        "Van activiteit 1 (bijeenkomst: Inloopavond) is niet vastgelegd of hij doorging.",
        "Van activiteit 2 (online inbreng: Reageren op de schetsen) is niet vastgelegd of hij "
        "doorging.",
        "Van activiteit 3 (workshop: Ontwerpatelier) is niet vastgelegd of hij doorging.",
        "Er is niet vastgelegd welke belanghebbenden meededen.",
    ]


def test_a_changed_activity_level_uses_the_gemeente_words():
    done = afronding()
    done.uitvoering[0].niveau = Niveau.informeren
    texts = [a.tekst for a in vergelijk(vastgesteld_plan(), done, HEEMSTEDE)]
    assert (
        "Activiteit 1 (bijeenkomst: Inloopavond) was gepland als samen denken (raadplegen) "
        "en werd informeren."
    ) in texts
    assert (
        "Het plan koos voor samen denken (raadplegen). "
        "In de uitvoering werd het samen denken (adviseren)."
    ) in texts


# ---------------------------------------------------------------- CSV import

DOEMEE = (
    "\ufeffID;Datum;Reactie;Categorie;Stemmen\r\n"
    '1;2026-03-03;"Meer bomen; vooral aan de zuidkant";Groen;12\r\n'
    '2;2026-03-04;"Twee dingen:\r\n1. een bankje\r\n2. een ""watertappunt""";Spelen;3\r\n'
    "3;2026-03-05;Laat de parkeerplaatsen staan;Parkeren;7\r\n"
    "4;2026-03-06;;Groen;0\r\n"
    "5;2026-03-07;Goed plan!;;1\r\n"
)

SURVEY = (
    "Tijdstempel,Wat vind je van het ontwerp? (antwoord),Onderwerp\n"
    '2026/03/10 10:00,"Mooi, maar te weinig schaduw",groen\n'
    '2026/03/10 11:30,"Veilig oversteken, dat is het belangrijkste",Verkeer\n'
    "2026/03/11 09:15,Prima,\n"
)


def test_import_a_semicolon_doemee_export_with_a_bom():
    for data in (DOEMEE, DOEMEE.encode("utf-8")):
        items = import_csv(data, bron="DoeMee")
        assert [(i.tekst, i.thema) for i in items] == [
            ("Meer bomen; vooral aan de zuidkant", "Groen"),
            ('Twee dingen:\n1. een bankje\n2. een "watertappunt"', "Spelen"),
            ("Laat de parkeerplaatsen staan", "Parkeren"),
            ("Goed plan!", None),
        ]
        assert {i.bron for i in items} == {"DoeMee"}


def test_import_a_comma_survey_export():
    items = import_csv(SURVEY)
    assert [(i.tekst, i.thema, i.bron) for i in items] == [
        ("Mooi, maar te weinig schaduw", "groen", None),
        ("Veilig oversteken, dat is het belangrijkste", "Verkeer", None),
        ("Prima", None, None),
    ]


def test_import_reads_an_excel_export_and_a_source_column():
    data = "tekst;tag;platform\nCafé op het plein;Horeca;DoeMee\n".encode("cp1252")
    [item] = import_csv(data, bron="enquête")
    assert (item.tekst, item.thema, item.bron) == ("Café op het plein", "Horeca", "DoeMee")


def test_a_single_column_file_is_read():
    assert [i.tekst for i in import_csv("comment\nEerste\nTweede\n")] == ["Eerste", "Tweede"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "Het CSV-bestand is leeg."),
        ("\ufeff \r\n", "Het CSV-bestand is leeg."),
        (
            "naam;adres\nA;B\n",
            "Ik vind geen kolom met de reacties. Geef die kolom de naam 'reactie', 'bijdrage', "
            "'antwoord', 'tekst' of 'comment'. Kolommen in het bestand: 'naam', 'adres'.",
        ),
        ('reactie;thema\n"Niet afgesloten;Groen\n', "Ik kan het CSV-bestand niet lezen"),
        ("reactie;thema\n;Groen\n", "Het CSV-bestand heeft geen reacties in de kolom 'reactie'."),
        (b"PK\x03\x04\x00\x00binary", "Dit is geen CSV-bestand."),
    ],
)
def test_a_bad_file_gives_a_clear_dutch_error(data, message):
    with pytest.raises(CsvFout) as caught:
        import_csv(data)
    assert str(caught.value).startswith(message)


def test_groepeer_joins_spellings_and_puts_loose_items_last():
    items = import_csv(DOEMEE) + import_csv(SURVEY)
    groups = groepeer(items)
    assert list(groups) == ["Groen", "Spelen", "Parkeren", "Verkeer", "Overig"]
    assert [i.tekst for i in groups["Groen"]] == [
        "Meer bomen; vooral aan de zuidkant",
        "Mooi, maar te weinig schaduw",
    ]
    assert [i.tekst for i in groups["Overig"]] == ["Goed plan!", "Prima"]


# ---------------------------------------------------------------- evaluation

ANTWOORDEN = [
    {"informatie": 4, "gehoord": 3, "terugkoppeling": 5, "tevreden": 4, "beter": "Meer avonden"},
    {"informatie": "2", "gehoord": 5, "beter": "Bel mij op 06-12345678, groet mevrouw Jansen"},
    {"tevreden": 1, "beter": "  "},
    {},
]


def test_the_default_questions_and_a_gemeente_set(tmp_path):
    assert vragen(LEIDEN) == STANDAARD_VRAGEN
    assert [v.soort for v in STANDAARD_VRAGEN].count("open") == 1
    (tmp_path / "proefdorp.yaml").write_text(
        "key: proefdorp\nnaam: Proefdorp\nevaluatievragen:\n"
        '  - {key: duidelijk, tekst: "Was het duidelijk?"}\n'
        '  - {key: tip, tekst: "Heb je een tip?", soort: open}\n',
        encoding="utf-8",
    )
    own = vragen(load_profile("proefdorp", tmp_path))
    assert [(v.key, v.soort) for v in own] == [("duidelijk", "schaal"), ("tip", "open")]


def test_aggregate_counts_means_and_spread():
    uitslagen = {u.vraag.key: u for u in aggregate(ANTWOORDEN)}
    informatie = uitslagen["informatie"]
    assert (informatie.aantal, informatie.gemiddelde_tekst) == (2, "3,0")
    assert informatie.verdeling == {1: 0, 2: 1, 3: 0, 4: 1, 5: 0}
    assert uitslagen["tevreden"].gemiddelde == 2.5
    assert uitslagen["terugkoppeling"].aantal == 1
    # open answers: blank ones left out, personal data taken out
    assert uitslagen["beter"].antwoorden == [
        "Meer avonden",
        "Bel mij op [weggelaten], groet [weggelaten]",
    ]
    assert aggregate([])[0].gemiddelde_tekst == "–"


@pytest.mark.parametrize("score", [0, 6, "veel", True])
def test_a_score_outside_the_scale_is_refused(score):
    with pytest.raises(ValueError, match="geen score van 1 tot en met 5"):
        aggregate([{"informatie": score}])


def _png(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        assert image.format == "PNG"
        return image.size


def test_chart_is_a_deterministic_png(tmp_path):
    uitslagen = aggregate(ANTWOORDEN)
    first = chart(uitslagen, tmp_path / "a.png")
    second = chart(uitslagen, tmp_path / "sub" / "b.png")
    width, height = _png(first)
    assert width > 600 and height > 300
    assert first.read_bytes() == second.read_bytes()
    assert chart_alt_tekst(uitslagen) == (
        "Staafgrafiek van de gemiddelde scores van 1 tot en met 5. "
        "Kreeg je genoeg informatie om mee te doen? gemiddeld 3,0 uit 2 antwoorden; "
        "Had je het gevoel dat er naar je werd geluisterd? gemiddeld 4,0 uit 2 antwoorden; "
        "Weet je wat er met de inbreng is gedaan? gemiddeld 5,0 uit 1 antwoord; "
        "Ben je tevreden over hoe het traject ging? gemiddeld 2,5 uit 2 antwoorden."
    )
    _png(chart([], tmp_path / "leeg.png"))


# ---------------------------------------------------------------- timeline and calendar


def test_timeline_is_a_png_and_its_alt_text_names_every_step(tmp_path):
    plan = vastgesteld_plan()
    path = tijdlijn_png(plan, LEIDEN, tmp_path / "tijdlijn.png")
    _png(path)
    assert tijdlijn_png(plan, LEIDEN, tmp_path / "b.png").read_bytes() == path.read_bytes()
    text = alt_tekst(plan, LEIDEN)
    assert text.startswith("Tijdlijn van de planning, van 19 februari 2026 tot en met ")
    for part in (
        "19 februari 2026: Aankondiging van activiteit 1 (bijeenkomst: Inloopavond).",
        "Van 2 maart 2026 tot en met 23 maart 2026: activiteit 2 (online inbreng: "
        "Reageren op de schetsen).",
        "12 maart 2026: Activiteit 1 (bijeenkomst: Inloopavond).",
        "14 april 2026: Activiteit 3 (workshop: Ontwerpatelier).",
        "15 mei 2026: Participatierapportage klaar.",
        "25 juni 2026: Besluit door de raad over Vergroening Kastanjeplein.",
        "1 september 2026: Evaluatie van het traject.",
    ):
        assert part in text
    # the owner's interim-update reminders are a to-do, not a step of the traject
    assert "Update" not in text


def test_timeline_of_an_empty_plan(tmp_path):
    _png(tijdlijn_png(Plan(titel="Leeg $x$"), LEIDEN, tmp_path / "leeg.png"))
    assert alt_tekst(Plan(), LEIDEN) == "Tijdlijn van de planning. De planning heeft nog geen data."


def _events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def test_ics_holds_every_milestone_as_an_all_day_event():
    plan = vastgesteld_plan()
    stamp = datetime(2026, 1, 12, 9, tzinfo=UTC)
    data = planning_ics(plan, LEIDEN, "p42", stamp=stamp)
    cal = Calendar.from_ical(data)
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Amsterdam"
    events = _events(data)
    steps = milestones(plan, LEIDEN)
    assert len(events) == len(steps)
    for event, step in zip(events, steps, strict=True):
        start = event.decoded("DTSTART")
        assert type(start) is date and start == step.datum
        assert (event.decoded("DTEND") - start).days == 1
        assert str(event["DESCRIPTION"]) == step.omschrijving
        assert str(event["UID"]).startswith("p42-") and str(event["UID"]).endswith(
            "@participatiebot"
        )
    summaries = [str(e["SUMMARY"]) for e in events]
    # in a calendar an activity is named by what it is, not by its number in the plan
    assert "Aankondiging van Inloopavond (bijeenkomst)" in summaries
    assert "Reageren op de schetsen (online inbreng) gaat open" in summaries
    assert "Participatierapportage klaar" in summaries
    assert "Besluit door de raad over Vergroening Kastanjeplein" in summaries
    assert len({str(e["UID"]) for e in events}) == len(events)
    inloop = next(e for e in events if str(e["SUMMARY"]) == "Inloopavond (bijeenkomst)")
    assert str(inloop["LOCATION"]) == "Buurthuis De Eik"
    assert planning_ics(plan, LEIDEN, "p42", stamp=stamp) == data


def test_ics_uids_stay_when_a_date_moves():
    plan = vastgesteld_plan()
    moved = plan.model_copy(deep=True)
    moved.activiteiten[2].datum = date(2026, 4, 21)
    before = {str(e["SUMMARY"]): str(e["UID"]) for e in _events(planning_ics(plan, LEIDEN))}
    after = {str(e["SUMMARY"]): str(e["UID"]) for e in _events(planning_ics(moved, LEIDEN))}
    key = "Ontwerpatelier (workshop)"
    assert before[key] == after[key] == "vergroening-kastanjeplein-activiteit-3@participatiebot"


# ---------------------------------------------------------------- participatieparagraaf


def test_paragraaf_tells_level_participants_input_use_and_deviations():
    text = paragraaf_tekst(vastgesteld_plan(), afronding(), LEIDEN)
    assert "Niveau van participatie\nVoor deze opgave is gekozen voor raadplegen op de " in text
    assert "- Activiteit 1 (bijeenkomst: Inloopavond): 19 maart 2026, 45 deelnemers." in text
    assert "Samen telden de activiteiten 187 deelnames." in text
    assert "Er kwamen 4 reacties binnen via DoeMee en inloopavond, over 4 thema's." in text
    assert "Groen: overgenomen. Er komen twaalf bomen bij; dat past in het budget." in text
    assert "Parkeren: niet overgenomen. Het aantal parkeerplaatsen ligt vast" in text
    assert "Spelen: deels overgenomen. Er komt een speelplek, maar kleiner dan gevraagd." in text
    assert "Overig: nog niet besloten." in text
    assert "Zo is de inbreng gewogen: Veiligheid ging voor; daarna groen, daarna kosten." in text
    assert (
        "Afwijkingen van het plan\nHet traject week op deze punten af van de planomschrijving "
        in (text)
    )
    assert (
        "- Activiteit 3 (workshop: Ontwerpatelier) ging niet door. "
        "Reden: Er waren te weinig aanmeldingen."
    ) in text
    assert "- Niet bereikt: Winkeliers (wordt geraadpleegd)." in text
    assert "Op 2 juli 2026 besloot de raad: De raad stemt in met het ontwerp." in text
    assert "samen denken" not in text.split("Het doel was")[0]


def test_paragraaf_speaks_heemstede_words_for_heemstede():
    text = paragraaf_tekst(vastgesteld_plan(), afronding(), HEEMSTEDE)
    assert text.startswith(
        "Vorm van participatie\nVoor deze opgave is gekozen voor samen denken (raadplegen)."
    )
    assert "participatieladder" not in text
    assert "Hoe het traject zich hield aan de planomschrijving en het participatieplan" in text
    assert "Het doel was samen denken." in text


def test_paragraaf_of_a_traject_without_afronding():
    text = paragraaf_tekst(Plan(titel="Bankje"), Afronding(), LEIDEN)
    assert "Het plan legde geen niveau van participatie vast." in text
    assert "Er zijn nog geen activiteiten gepland." in text
    assert "De inbreng komt in de participatierapportage." in text
    assert "Besluit" not in text and "week" not in text


PAST = (
    "Het doel was",
    "waren",
    "Er was ",
    "week op",
    "liep zoals",
    "besloot",
    "kwamen",
    "deden mee",
)


def test_paragraaf_before_the_traject_says_what_is_planned():
    plan = vastgesteld_plan().model_copy(update={"niveau_toelichting": "De raad moet instemmen"})
    text = paragraaf_tekst(plan, Afronding(), LEIDEN)
    assert "Waarom: De raad moet instemmen. Het doel is samen denken" in text
    assert "Er zijn 3 activiteiten gepland:" in text
    assert "- Bijeenkomst: Inloopavond, op 12 maart 2026." in text
    assert (
        "- Online inbreng: Reageren op de schetsen, van 2 maart 2026 tot en met 23 maart 2026."
        in text
    )
    assert "De inbreng komt in de participatierapportage. Die is klaar op 15 mei 2026." in text
    assert "Het besluit staat gepland op 25 juni 2026." in text
    for past in PAST:
        assert past not in text, past
    assert "Er is geen activiteit vastgelegd die doorging" not in text


def test_paragraaf_after_the_traject_says_what_took_place():
    plan = vastgesteld_plan().model_copy(update={"niveau_toelichting": "De raad moet instemmen"})
    text = paragraaf_tekst(plan, afronding(), LEIDEN)
    assert "instemmen. In de uitvoering werd het adviseren. Het doel was samen denken." in text
    assert "Er waren 3 activiteiten:" in text
    assert "gepland" not in text.split("Afwijkingen")[0]
    assert "Op 2 juli 2026 besloot de raad:" in text


def test_an_added_activity_told_in_words_reads_as_it_was_told():
    """The closing interview asks only what it was and how many came: the rapportage said
    'Extra activiteit (activiteit: langs de deuren ...)' and '..., zonder datum.'"""
    done = Afronding(
        uitvoering=[Uitvoering(omschrijving="langs de deuren bij de ouderen", deelnemers=12)]
    )
    texts = [a.tekst for a in vergelijk(vastgesteld_plan(), done, LEIDEN)]
    assert "Er was een activiteit die niet in het plan stond: langs de deuren bij de ouderen." in (
        texts
    )
    text = paragraaf_tekst(vastgesteld_plan(), done, LEIDEN)
    assert "- Extra activiteit (langs de deuren bij de ouderen): ging door, 12 deelnemers." in text
    assert "activiteit: langs" not in text and "zonder datum" not in text
