"""The 70 %-plan: middelen proposed for the level and the scale, taken over in the interview."""

from __future__ import annotations

from handreiking.documents import document_text
from handreiking.middelen import label, voorstel
from handreiking.profiles import load_profile
from tests.interviews import HEERLEN, LEIDEN, answer_until


def test_heerlen_proposes_its_toolbox_middelen_scaled_to_the_area():
    heerlen = load_profile("heerlen")
    buurt = {v.naam: v for v in voorstel(heerlen, "raadplegen", "buurt")}
    wijk = {v.naam: v for v in voorstel(heerlen, "raadplegen", "wijk")}
    assert {"Buurtschouw", "Ideeënmarkt", "Facebookgroep"} <= set(buurt)
    assert "Vragenlijst" not in buurt and "Vragenlijst" in wijk  # only for a larger area
    assert (buurt["Ideeënmarkt"].uren, buurt["Ideeënmarkt"].kosten) == (20, 1000)
    assert (wijk["Ideeënmarkt"].uren, wijk["Ideeënmarkt"].kosten) == (30, 1500)
    assert label(wijk["Facebookgroep"]) == "Facebookgroep (ca. 12 uur, geen kosten)"
    assert "Buurtschouw" not in {v.naam for v in voorstel(heerlen, "raadplegen", "hele gemeente")}


def test_other_gemeenten_get_the_neutral_list_and_nothing_without_level_or_scale():
    leiden = load_profile("leiden")
    assert [v.naam for v in voorstel(leiden, "adviseren", "straat")] == [
        "Workshop",
        "Klankbordgroep",
    ]
    assert voorstel(leiden, "adviseren", None) == []
    assert voorstel(leiden, None, "wijk") == []


async def test_heerlen_owner_takes_two_middelen_changes_one_and_adds_one(chat):
    await chat.start(gemeente="heerlen")
    await answer_until(chat, HEERLEN, "Welke neem je over")
    question = chat.question
    assert "Bij raadplegen voor de wijk" in question.text
    assert [c.label for c in question.choices][:4] == [
        "Buurtschouw (ca. 12 uur, € 200)",
        "Ideeënmarkt (ca. 30 uur, € 1.500)",
        "Facebookgroep (ca. 12 uur, geen kosten)",
        "Vragenlijst (ca. 15 uur, € 450)",
    ]
    start = HEERLEN.index(("Welke neem je over", "1, 2"))
    for frag, answer in HEERLEN[start:]:
        assert frag.lower() in chat.question.text.lower(), (frag, chat.text)
        if frag == "Hoeveel uur kost de buurtschouw":
            assert "Voorstel: ca. 12" in chat.question.text
        if frag == "Wat kost de ideeënmarkt":
            assert "Voorstel: ca. € 1.500." in chat.question.text.replace("\xa0", " ")
        await chat.say(answer)
    await chat.say("ja")
    docs = next(r for r in chat.replies if r.kind == "done").documents
    plan = document_text(next(p for p in docs if p.name == "participatieplan.docx"))
    plan = plan.replace("\xa0", " ")
    assert "Activiteit 1. Buurtschouw\n" in plan and "Bijeenkomst: Ideeënmarkt" in plan
    assert "Enquête: Korte vragenlijst op papier" in plan
    # taken over (12 h, € 200), changed (24 h instead of 30) and added (ca. 16 h, ca. € 300)
    assert "1. Buurtschouw\tca. 12\tca. € 200\n" in plan
    assert "2. Bijeenkomst: Ideeënmarkt\t24\tca. € 1.500\n" in plan
    assert "Totaal\tca. 52\tca. € 2.000\n" in plan
    assert "Parkstraatkwartier" in plan and "zorg en welzijn" in plan


async def test_skipping_the_proposal_leaves_the_activities_to_the_owner(chat):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Welke neem je over")
    assert "Bij adviseren voor de buurt" in chat.question.text
    await chat.say("overslaan")
    assert "Welke activiteiten plan je" in chat.question.text
    assert "Tot nu toe" not in chat.question.text


def test_a_middel_named_after_its_kind_gets_no_description_beside_it():
    from handreiking.middelen import wachtrij
    from handreiking.models import Niveau, Plan, Schaal

    heerlen = load_profile("heerlen")
    plan = Plan(niveau=Niveau.coproduceren, schaal=Schaal.buurt)
    plan.middelen_gekozen = ["Workshops", "Meedenkgroep"]
    queued = {a["type"]: a["omschrijving"] for a in wachtrij(heerlen, plan)}
    # 'Activiteit 1. Workshop: Workshops' read oddly in the plan
    assert queued == {"workshop": None, "meedenkgroep": None}
    plan = Plan(niveau=Niveau.raadplegen, schaal=Schaal.buurt, middelen_gekozen=["Ideeënmarkt"])
    assert wachtrij(heerlen, plan)[0]["omschrijving"] == "Ideeënmarkt"


def test_in_english_a_middel_and_a_finding_about_its_activity_use_its_english_name():
    from datetime import date

    from handreiking import rules
    from handreiking.middelen import naam
    from handreiking.profiles import Middel, Middelen

    leiden = load_profile("leiden")
    assert naam(leiden, "Klankbordgroep", "en") == "Sounding board group"
    assert naam(leiden, "Klankbordgroep") == "Klankbordgroep"
    assert naam(leiden, "Onze eigen avond", "en") == "Onze eigen avond"  # typed, not a middel
    # a gemeente's own middel without an English name keeps its name
    eigen = Middel(naam="Buurtsoep", type="bijeenkomst", uren=4, kosten=50)
    own = leiden.model_copy(update={"middelen": Middelen(niveaus={"adviseren": [eigen]})})
    assert naam(own, "Buurtsoep", "en") == "Buurtsoep"
    assert label(voorstel(own, "adviseren", "buurt")[0], "en") == "Buurtsoep (about 4 hours, € 50)"
    # 'activity 1 (sounding board group: Klankbordgroep)' in a finding in English
    from tests.test_rules import activity, good_plan

    plan = good_plan(
        activiteiten=[
            activity(
                type="meedenkgroep",
                omschrijving="Klankbordgroep",
                datum="2026-04-27",
                aankondiging="2026-04-01",
            )
        ]
    )
    [f] = [f for f in rules.check(plan, leiden, date(2026, 1, 12)) if f.code == "vakantie:1"]
    # the kind inside a sentence in lower case, as the Dutch writes it
    assert f.tekst_in("en").startswith("Activity 1 (sounding board group) falls on King's Day.")
    assert f.tekst.startswith("Activiteit 1 (meedenkgroep: Klankbordgroep) valt op Koningsdag.")
