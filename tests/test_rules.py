"""Findings on a plan: each check fires when it should and stays quiet when it should not."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from handreiking.models import Plan
from handreiking.profiles import available_profiles, load_profile
from handreiking.rules import Finding, Soort, check

TODAY = date(2026, 1, 12)


def good_plan(**changes: Any) -> Plan:
    """A plan every profile accepts; tests break one thing at a time."""
    data: dict[str, Any] = {
        "titel": "Nieuwe speelplek aan de Voorbeeldlaan",
        "kader_inhoudelijk": "De speelplek komt op het grasveld.",
        "kader_financieel": "Er is 40.000 euro.",
        "kader_proces": "Het college besluit in juni.",
        "doelen": ["samen denken"],
        "niveau": "raadplegen",
        "niveau_toelichting": "Buurtbewoners kennen de plek het best.",
        "afwegingskader": "Veiligheid eerst, daarna wat de meeste kinderen willen.",
        "besluitdatum": "2026-06-30",
        "activiteiten": [
            {
                "type": "bijeenkomst",
                "omschrijving": "Inloopavond",
                "datum": "2026-03-10",
                "aankondiging": "2026-02-10",
                "uren": {"waarde": 12},
                "kosten": {"min": 500},
            },
            {
                "type": "online inbreng",
                "periode": {"van": "2026-03-02", "tot": "2026-03-29"},
                "uren": {"waarde": 6},
                "kosten": {"min": 0},
            },
        ],
        "update_ritme_weken": 4,
        "rapportage_datum": "2026-05-26",
        "evaluatie_datum": "2026-08-15",
        "terugkoppeling": "We sturen iedereen de rapportage.",
        "evaluatie": "Evaluatieformulier aan deelnemers; projectgroep evalueert.",
        "evaluatie_criteria": "Hoeveel mensen deden mee; voelden ze zich gehoord.",
        "avg_akkoord": True,
    }
    data.update(changes)
    return Plan.model_validate(data)


def activity(**fields: Any) -> dict[str, Any]:
    return {"type": "bijeenkomst", "datum": "2026-03-10", "aankondiging": "2026-02-10", **fields}


def findings(
    plan: Plan, gemeente: str = "leiden", asked: set[str] | None = None
) -> dict[str, Finding]:
    return {f.code: f for f in check(plan, load_profile(gemeente), TODAY, asked=asked)}


@pytest.mark.parametrize("gemeente", sorted(available_profiles()))
def test_good_plan_has_no_findings(gemeente: str) -> None:
    assert check(good_plan(), load_profile(gemeente), TODAY) == []


@pytest.mark.parametrize("gemeente", sorted(available_profiles()))
def test_nothing_asked_yet_means_no_findings(gemeente: str) -> None:
    assert check(Plan(), load_profile(gemeente), TODAY, asked=set()) == []


def test_codes_are_unique() -> None:
    plan = good_plan(
        niveau="informeren",
        activiteiten=[activity(aankondiging="2026-03-01"), activity(aankondiging="2026-03-02")],
    )
    codes = [f.code for f in check(plan, load_profile("leiden"), TODAY)]
    assert len(codes) == len(set(codes))


# --- aankondiging ---


def test_short_notice_is_leidens_rule() -> None:
    plan = good_plan(activiteiten=[activity(aankondiging="2026-03-01")])
    f = findings(plan)["aankondiging:1"]
    assert f.soort == Soort.beleidsregel
    assert f.vraag == "activiteiten"
    assert f.bron == (
        "Checklist participatie (handreiking samenwerken in de stad), gemeente Leiden (2023), "
        "onderdeel ‘Tijdig aankondigen’: https://www.leiden.nl/participatie"
    )
    assert f.regel == "Kondig een bijeenkomst minimaal 3 weken van tevoren aan."
    assert "9 dagen van tevoren" in f.tekst
    assert "Leiden vraagt 3 weken" in f.tekst
    assert "uiterlijk 17 februari 2026" in f.tekst


def test_the_last_day_to_announce_is_no_public_holiday() -> None:
    # three weeks before 15 January 2027 is Christmas Day: the tip named that day
    workshop = activity(datum="2027-01-15", aankondiging="2027-01-01")
    f = findings(good_plan(activiteiten=[workshop], besluitdatum="2027-03-16"))["aankondiging:1"]
    assert "uiterlijk 24 december 2026" in f.tekst


def test_short_notice_elsewhere_is_a_tip() -> None:
    plan = good_plan(activiteiten=[activity(aankondiging="2026-03-01")])
    f = findings(plan, "heerlen")["aankondiging:1"]
    assert f.soort == Soort.tip
    assert "Het advies is 3 weken" in f.tekst
    # 'Kondig uiterlijk 17 februari aan, of kies een latere datum' read as a later date for
    # the announcement, the opposite of the advice: the activity is what may move
    assert f.tekst.endswith("of verschuif de activiteit naar later.")


def test_notice_of_exactly_three_weeks_is_enough() -> None:
    plan = good_plan(activiteiten=[activity(aankondiging="2026-02-17")])
    assert "aankondiging:1" not in findings(plan)


def test_announcing_after_the_meeting_is_out_of_order() -> None:
    plan = good_plan(activiteiten=[activity(aankondiging="2026-03-12")])
    found = findings(plan)
    assert "aankondiging:1" not in found
    assert "Kondig de activiteit ruim van tevoren aan" in found["volgorde:aankondiging:1"].tekst


def test_activity_index_in_code() -> None:
    plan = good_plan(activiteiten=[activity(), activity(aankondiging="2026-03-05")])
    found = findings(plan)
    assert "aankondiging:2" in found and "aankondiging:1" not in found
    assert "activiteit 2 (bijeenkomst)" in found["aankondiging:2"].tekst


# --- online inbreng ---


def test_online_inbreng_too_short() -> None:
    kort = {"type": "online inbreng", "periode": {"van": "2026-03-02", "tot": "2026-03-15"}}
    f = findings(good_plan(activiteiten=[kort]))["inbreng:1"]
    assert f.soort == Soort.beleidsregel
    assert "staat 14 dagen open" in f.tekst
    assert "tot minimaal 22 maart 2026" in f.tekst
    assert findings(good_plan(activiteiten=[kort]), "heemstede")["inbreng:1"].soort == Soort.tip


def test_online_inbreng_three_weeks_is_enough() -> None:
    ok = {"type": "enquête", "periode": {"van": "2026-03-02", "tot": "2026-03-22"}}
    assert "inbreng:1" not in findings(good_plan(activiteiten=[ok]))


def test_period_ending_before_it_starts() -> None:
    mis = {"type": "online inbreng", "periode": {"van": "2026-03-22", "tot": "2026-03-02"}}
    found = findings(good_plan(activiteiten=[mis]))
    assert "Verbeter de data" in found["volgorde:periode:1"].tekst
    assert "inbreng:1" not in found


# --- vakanties en feestdagen ---


def test_meeting_in_christmas_holiday_is_leidens_rule() -> None:
    plan = good_plan(
        besluitdatum="2027-03-01",
        rapportage_datum="2027-02-01",
        evaluatie_datum="2027-04-15",
        activiteiten=[activity(datum="2026-12-22", aankondiging="2026-11-24")],
    )
    f = findings(plan)["vakantie:1"]
    assert f.soort == Soort.beleidsregel
    assert "gemeente Leiden (2023), onderdeel ‘Tijdig aankondigen’" in f.bron
    assert "valt in de Kerstvakantie (regio midden)" in f.tekst
    assert findings(plan, "heerlen")["vakantie:1"].soort == Soort.tip


def test_meeting_on_kingsday_without_region() -> None:
    plan = good_plan(activiteiten=[activity(datum="2026-04-27", aankondiging="2026-04-01")])
    f = findings(plan, "standaard")["vakantie:1"]
    assert f.soort == Soort.tip
    assert "valt op Koningsdag" in f.tekst


def test_without_a_region_a_holiday_of_every_region_is_named() -> None:
    # a gemeente without a profile (the general handreiking) has no school-holiday region
    zomer = activity(datum="2026-07-28", aankondiging="2026-07-01")
    plan = good_plan(besluitdatum="2026-10-30", rapportage_datum="2026-09-30", activiteiten=[zomer])
    f = findings(plan, "standaard")["vakantie:1"]
    assert f.soort == Soort.tip
    assert "Activiteit 1 (bijeenkomst) valt in de Zomervakantie. Dan zijn veel mensen weg." in (
        f.tekst
    )
    assert "regio" not in f.tekst
    assert "Zomervakantie (regio zuid)" in findings(plan, "heerlen")["vakantie:1"].tekst
    kerst = activity(datum="2026-12-22", aankondiging="2026-11-24")
    plan = good_plan(
        besluitdatum="2027-03-01",
        rapportage_datum="2027-02-01",
        evaluatie_datum="2027-04-15",
        activiteiten=[kerst],
    )
    assert "valt in de Kerstvakantie." in findings(plan, "standaard")["vakantie:1"].tekst


def test_without_a_region_a_holiday_of_some_regions_names_them() -> None:
    # 6 July 2026 is in noord's zomervakantie only
    zomer = activity(datum="2026-07-06", aankondiging="2026-06-01")
    plan = good_plan(besluitdatum="2026-10-30", rapportage_datum="2026-09-30", activiteiten=[zomer])
    tekst = findings(plan, "standaard")["vakantie:1"].tekst
    assert "valt in de Zomervakantie van regio noord." in tekst
    assert "Kijk op rijksoverheid.nl in welke regio je gemeente ligt." in tekst
    # a period from 29 June to 12 July meets noord's (from 4 July) and zuid's (from 11 July);
    # one until 20 July meets midden's too (from 18 July)
    online = {"type": "online inbreng", "periode": {"van": "2026-06-29", "tot": "2026-07-12"}}
    plan = good_plan(
        besluitdatum="2026-10-30", rapportage_datum="2026-09-30", activiteiten=[online]
    )
    tekst = findings(plan, "standaard")["vakantie:1"].tekst
    assert "loopt (deels) door de Zomervakantie van regio noord en zuid." in tekst
    online["periode"]["tot"] = "2026-07-20"
    plan = good_plan(
        besluitdatum="2026-10-30", rapportage_datum="2026-09-30", activiteiten=[online]
    )
    assert "loopt (deels) door de Zomervakantie." in findings(plan, "standaard")["vakantie:1"].tekst


def test_in_english_a_holiday_has_its_english_name() -> None:
    # 'falls on Koningsdag', 'runs (partly) through the Zomervakantie of region noord and zuid'
    plan = good_plan(activiteiten=[activity(datum="2026-04-27", aankondiging="2026-04-01")])
    f = findings(plan, "standaard")["vakantie:1"]
    assert "falls on King's Day. Many people are away then." in f.tekst_in("en")
    assert "valt op Koningsdag. Dan zijn veel mensen weg." in f.tekst
    kerst = activity(datum="2026-12-22", aankondiging="2026-11-24")
    plan = good_plan(
        besluitdatum="2027-03-01",
        rapportage_datum="2027-02-01",
        evaluatie_datum="2027-04-15",
        activiteiten=[kerst],
    )
    assert "falls in the Christmas Break (region midden)." in findings(plan)["vakantie:1"].tekst_in(
        "en"
    )
    online = {"type": "online inbreng", "periode": {"van": "2026-06-29", "tot": "2026-07-12"}}
    plan = good_plan(
        besluitdatum="2026-10-30", rapportage_datum="2026-09-30", activiteiten=[online]
    )
    f = findings(plan, "standaard")["vakantie:1"]
    assert "runs (partly) through the Summer Break of region noord and zuid." in f.tekst_in("en")
    plan = good_plan(besluitdatum="2026-05-14", rapportage_datum="2026-04-14")
    f = findings(plan)["vergaderdag:besluit"]
    assert "That is Ascension Day (a public holiday): the executive" in f.tekst_in("en")
    assert "Dat is Hemelvaartsdag (een feestdag): dan vergaderen" in f.tekst


def test_school_holidays_differ_by_region() -> None:
    # Voorjaarsvakantie 2026: week 8 in midden and zuid, week 9 in noord.
    plan = good_plan(activiteiten=[activity(datum="2026-02-17", aankondiging="2026-01-20")])
    assert "Voorjaarsvakantie" in findings(plan, "leiden")["vakantie:1"].tekst
    assert "vakantie:1" not in findings(plan, "heemstede")


def test_online_period_through_autumn_holiday() -> None:
    herfst = {"type": "online inbreng", "periode": {"van": "2026-10-05", "tot": "2026-11-01"}}
    plan = good_plan(
        besluitdatum="2026-12-15", rapportage_datum="2026-11-20", activiteiten=[herfst]
    )
    assert "door de Herfstvakantie" in findings(plan)["vakantie:1"].tekst


def test_online_period_over_easter_is_fine() -> None:
    pasen = {"type": "online inbreng", "periode": {"van": "2026-04-01", "tot": "2026-04-24"}}
    assert "vakantie:1" not in findings(good_plan(activiteiten=[pasen]))


def test_year_the_calendar_does_not_know() -> None:
    plan = good_plan(
        besluitdatum="2031-06-30",
        rapportage_datum="2031-05-26",
        evaluatie_datum="2031-08-15",
        activiteiten=[activity(datum="2031-03-11", aankondiging="2031-02-10")],
    )
    f = findings(plan)["kalender:1"]
    assert f.soort == Soort.tip
    assert "Ik kan niet controleren" in f.tekst and "2031" in f.tekst
    # without a region school holidays are checked too, so the same tip is given
    assert "Ik kan niet controleren" in findings(plan, "standaard")["kalender:1"].tekst
    assert "kalender:1" not in findings(good_plan())


# --- niveau en doel ---


def test_plan_level_below_leidens_minimum() -> None:
    f = findings(good_plan(niveau="informeren", doelen=[]))["niveau"]
    assert f.soort == Soort.beleidsregel
    assert f.vraag == "niveau"
    assert "Leiden vraagt minimaal raadplegen" in f.tekst
    assert "niveau" not in findings(good_plan(niveau="informeren", doelen=[]), "heerlen")


def test_activity_level_below_minimum() -> None:
    plan = good_plan(
        activiteiten=[
            activity(niveau="informeren"),
            {
                "type": "informatiebrief of nieuwsbrief",
                "datum": "2026-02-02",
                "niveau": "informeren",
            },
        ]
    )
    found = findings(plan)
    assert "Activiteit 1 (bijeenkomst) is informeren" in found["niveau:1"].tekst
    assert "niveau:2" not in found


@pytest.mark.parametrize(
    ("doelen", "niveau", "code"),
    [
        (["samen beslissen"], "raadplegen", "doel_niveau:samen_beslissen"),
        (["samen doen"], "informeren", "doel_niveau:samen_doen"),
        (["samen denken"], "meebeslissen", "doel_niveau:samen_denken"),
        (["samen denken"], "informeren", "doel_niveau:samen_denken"),
    ],
)
def test_doel_contradicts_level(doelen: list[str], niveau: str, code: str) -> None:
    f = findings(good_plan(doelen=doelen, niveau=niveau), "heerlen")[code]
    assert f.vraag == "niveau"
    assert f.soort == Soort.tip


@pytest.mark.parametrize(
    ("doelen", "niveau"),
    [
        (["samen beslissen"], "meebeslissen"),
        (["samen denken", "samen beslissen"], "meebeslissen"),
        (["samen doen"], "coproduceren"),
        (["samen denken"], "raadplegen"),
    ],
)
def test_doel_fits_level(doelen: list[str], niveau: str) -> None:
    found = findings(good_plan(doelen=doelen, niveau=niveau), "heerlen")
    assert not [c for c in found if c.startswith("doel_niveau")]


def test_heemstede_reads_its_own_words() -> None:
    f = findings(good_plan(doelen=["samen beslissen"]), "heemstede")["doel_niveau:samen_beslissen"]
    assert "je koos samen denken (raadplegen)" in f.tekst


def test_no_participation_needs_a_reason_in_leidschendam_voorburg() -> None:
    plan = good_plan(niveau="informeren", doelen=[], niveau_toelichting=None)
    f = findings(plan, "leidschendam-voorburg", asked={"niveau", "niveau_toelichting"})[
        "geen_participatie"
    ]
    assert f.soort == Soort.beleidsregel
    assert f.vraag == "niveau_toelichting"
    assert f.bron.startswith("Participatieverordening Leidschendam-Voorburg 2023")
    assert "lokaleregelgeving.overheid.nl" in f.bron
    assert "geen_participatie" not in findings(plan, "leidschendam-voorburg", asked={"niveau"})
    assert "geen_participatie" not in findings(plan, "heerlen")
    met_reden = good_plan(niveau="informeren", doelen=[], niveau_toelichting="Wettelijke taak.")
    assert "geen_participatie" not in findings(met_reden, "leidschendam-voorburg")


# --- ontbrekende antwoorden ---

KADERS = {"kader_inhoudelijk", "kader_financieel", "kader_proces"}


def test_nothing_fixed() -> None:
    plan = good_plan(kader_inhoudelijk=None, kader_financieel=None, kader_proces=None)
    f = findings(plan, asked=KADERS)["kaders"]
    assert f.soort == Soort.beleidsregel
    assert "onderdeel ‘Maak een participatieplan’: https://www.leiden.nl/participatie" in f.bron
    assert "Regel van Leiden: Maak vooraf duidelijk" in f.tekst
    assert findings(plan, "heerlen")["kaders"].soort == Soort.tip
    assert "kaders" not in findings(plan, asked=KADERS - {"kader_proces"})
    assert "kaders" not in findings(good_plan(kader_inhoudelijk=None, kader_proces=None))


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("afwegingskader", "afwegingskader"),
        ("terugkoppeling", "terugkoppeling"),
        ("evaluatie", "evaluatie"),
    ],
)
def test_missing_answer_only_once_asked(key: str, code: str) -> None:
    plan = good_plan(**{key: None})
    assert findings(plan, "heerlen", asked={key})[code].vraag == key
    assert code not in findings(plan, "heerlen", asked={"titel"})
    assert code in findings(plan, "heerlen")  # interview complete


def test_soort_follows_the_gemeentes_checklist() -> None:
    plan = good_plan(afwegingskader=None, evaluatie=None)
    assert findings(plan, "heemstede")["afwegingskader"].soort == Soort.beleidsregel
    assert findings(plan, "leiden")["afwegingskader"].soort == Soort.tip
    heerlen = findings(plan, "heerlen")["evaluatie"]
    assert heerlen.soort == Soort.beleidsregel
    assert heerlen.bron == (
        "Participatietoolbox: participatie-evaluatie, gemeente Heerlen (2021), onderdeel "
        "‘Evaluatieproces geborgd’: https://www.participatietoolbox.nl/participatie-evaluatie"
    )


def test_no_interim_updates() -> None:
    f = findings(good_plan(update_ritme_weken=0))["updates"]
    assert f.vraag == "update_ritme_weken"
    assert "onderdeel ‘Terugkoppeling en transparantie’" in f.bron
    assert "updates" not in findings(good_plan(update_ritme_weken=None))


def test_evaluation_criteria_only_where_the_gemeente_asks_for_them() -> None:
    plan = good_plan(evaluatie_criteria=None)
    f = findings(plan, "leidschendam-voorburg")["evaluatie_criteria"]
    assert f.soort == Soort.beleidsregel
    assert "Plan van aanpak experimenteerprogramma" in f.bron
    assert "evaluatie_criteria" not in findings(plan, "leiden")
    geen_evaluatie = good_plan(evaluatie=None, evaluatie_criteria=None)
    assert "evaluatie_criteria" not in findings(geen_evaluatie, "leidschendam-voorburg")


def test_hours_and_costs_in_heerlen() -> None:
    plan = good_plan(
        activiteiten=[activity(uren={"waarde": 4}), activity(aankondiging="2026-02-01")]
    )
    f = findings(plan, "heerlen")["middelen"]
    assert f.soort == Soort.beleidsregel
    assert "Bij activiteit 1 en 2 ontbreken de uren of de kosten" in f.tekst
    assert "middelen" not in findings(plan, "leiden")
    assert "middelen" not in findings(plan, "heerlen", asked={"besluitdatum"})


def test_privacy() -> None:
    open_vraag = good_plan(avg_akkoord=None)
    assert findings(open_vraag, asked={"avg_akkoord"})["avg"].vraag == "avg_akkoord"
    assert "avg" not in findings(open_vraag, asked={"titel"})
    niet_akkoord = good_plan(avg_akkoord=False)
    assert "avg" in findings(niet_akkoord)
    assert "avg" not in findings(niet_akkoord, asked={"avg_akkoord"})
    eigen = good_plan(avg_akkoord=False, avg_tekst="Alleen e-mailadressen, weg na het besluit.")
    assert "avg" not in findings(eigen)


# --- data ---


def test_dates_in_the_past() -> None:
    plan = good_plan(
        besluitdatum="2026-01-05",
        rapportage_datum=None,
        evaluatie_datum=None,
        activiteiten=[activity(datum="2026-01-02", aankondiging="2025-12-01")],
    )
    found = findings(plan)
    assert "al voorbij" in found["verleden:besluitdatum"].tekst
    assert found["verleden:besluitdatum"].vraag == "besluitdatum"
    assert "begint op 2 januari 2026" in found["verleden:1"].tekst


def test_announcement_in_the_past() -> None:
    plan = good_plan(activiteiten=[activity(datum="2026-02-03", aankondiging="2026-01-09")])
    tekst = findings(plan)["verleden:aankondiging:1"].tekst
    assert tekst.endswith("Kondig zo snel mogelijk aan, of verschuif de activiteit naar later.")


def test_activity_after_the_decision() -> None:
    plan = good_plan(activiteiten=[activity(datum="2026-07-07", aankondiging="2026-06-01")])
    found = findings(plan)
    assert "na het besluit op 30 juni 2026" in found["volgorde:besluit:1"].tekst
    assert "volgorde:rapportage:1" not in found


def test_activity_after_the_rapportage() -> None:
    plan = good_plan(activiteiten=[activity(datum="2026-06-02", aankondiging="2026-05-01")])
    assert "na de rapportage" in findings(plan)["volgorde:rapportage:1"].tekst


def test_rapportage_after_decision_and_evaluation_before_it() -> None:
    found = findings(good_plan(rapportage_datum="2026-07-01", evaluatie_datum="2026-06-01"))
    assert found["volgorde:rapportage"].vraag == "rapportage_datum"
    assert found["volgorde:evaluatie"].vraag == "evaluatie_datum"
    assert "Evalueer na afloop" in found["volgorde:evaluatie"].tekst


@pytest.mark.parametrize(
    ("besluit", "dag"),
    [
        ("2026-07-04", "een zaterdag"),
        ("2026-07-05", "een zondag"),
        ("2026-05-25", "Tweede pinksterdag (een feestdag)"),
    ],
)
def test_a_decision_on_a_day_without_meetings_gets_a_tip(besluit: str, dag: str) -> None:
    found = findings(good_plan(besluitdatum=besluit))
    assert dag in found["vergaderdag:besluit"].tekst
    assert found["vergaderdag:besluit"].vraag == "besluitdatum"


def test_a_decision_on_a_working_day_gets_no_meeting_tip() -> None:
    assert "vergaderdag:besluit" not in findings(good_plan(besluitdatum="2026-06-30"))


def test_afwijking_is_carried_over() -> None:
    plan = good_plan(
        niveau="informeren",
        doelen=[],
        afwijkingen={"niveau": "Het besluit ligt al vast; we informeren alleen."},
    )
    found = findings(plan)
    assert found["niveau"].afwijking == "Het besluit ligt al vast; we informeren alleen."
    assert all(f.afwijking is None for code, f in found.items() if code != "niveau")


def test_a_tip_from_another_gemeente_says_whose_handreiking_it_is() -> None:
    plan = good_plan(kader_inhoudelijk=None, kader_financieel=None, kader_proces=None)
    tip = findings(plan, "leidschendam-voorburg")["kaders"]
    assert tip.soort == Soort.tip
    assert tip.bron == (
        "uit de handreiking van Leiden: Checklist participatie (handreiking samenwerken in de "
        "stad) (2023), onderdeel ‘Maak een participatieplan’: https://www.leiden.nl/participatie"
    )
    doel = findings(good_plan(doelen=["samen beslissen"]), "leidschendam-voorburg")
    assert doel["doel_niveau:samen_beslissen"].bron.startswith("uit de handreiking van Heemstede")
    eigen = findings(good_plan(doelen=["samen beslissen"]), "heemstede")
    assert eigen["doel_niveau:samen_beslissen"].bron.startswith("Uitwerking participatiebeleid")


@pytest.mark.parametrize("key", ["leiden", "heemstede", "heerlen", "leidschendam-voorburg"])
def test_every_source_is_a_public_document_with_its_address(key: str) -> None:
    plan = good_plan(
        kader_inhoudelijk=None,
        kader_financieel=None,
        kader_proces=None,
        afwegingskader=None,
        terugkoppeling=None,
        evaluatie=None,
        avg_akkoord=None,
        update_ritme_weken=0,
        besluitdatum=date(2025, 1, 1),
        doelen=["samen beslissen"],
    )
    found = findings(plan, key)
    assert len(found) >= 6
    for f in found.values():
        assert "https://" in f.bron, f.bron
        assert not re.search(r"seed|regel \d|platform-facts|\.ya?ml|\.txt", f.bron), f.bron


def test_every_question_names_its_source_in_english_too() -> None:
    from bot.engine.conversation import shipped_conversations

    for conversation in shipped_conversations():
        for q in conversation.questions:
            for asked in (q, *q.item):
                assert not asked.bron or set(asked.bron) == {"nl", "en"}, (q.key, asked.bron)


def test_the_interview_cites_documents_by_title_without_file_or_line_numbers() -> None:
    from bot.engine.conversation import load_conversation

    for name in ("participatieplan", "afronden", "besluit"):
        conversation = load_conversation(name)
        for q in conversation.questions:
            sources = [q.bron, *[i.bron for i in q.item]]
            for text in [text for bron in sources for text in bron.values()]:
                assert not re.search(r"seed|regel \d|platform-facts|\.ya?ml", text), (q.key, text)
