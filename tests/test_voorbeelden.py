"""The voorbeeldenbank: a finished plan whose owner agreed is shown to advisors and offered as
an example in a new interview in the same area; without consent it is not."""

from __future__ import annotations

from handreiking.afronding import Afronding
from handreiking.models import Plan
from handreiking.profiles import load_profile
from handreiking.voorbeelden import Voorbeeld, vergelijkbaar, voorbeeld
from tests.conftest import Chat
from tests.document_plans import LEIDEN as LEIDEN_PLAN
from tests.interviews import LEIDEN, answer_until
from tests.review_helpers import client
from tests.test_delivery import make_plan
from tests.test_projectgroep import close_plan
from tests.test_review import LEIDEN_ADVISOR, login

AFGEROND = {
    "titel": "Groen Lindenhof",
    "gebied": "Lindenkwartier",
    "beleidsveld": "openbare ruimte en groen",
    "eigenaar_naam": "Kim Verzonnen",
    "eigenaar_rol": "projectleider groen",
    "niveau": "adviseren",
}
INTRO = "Er zijn afgeronde plannen die op het jouwe lijken."


def test_a_finished_plan_shows_what_where_middelen_and_a_role_but_no_name():
    v = voorbeeld("p7", LEIDEN_PLAN, Afronding(), load_profile("leiden"))
    assert v.titel == "Herinrichting Lindenplein" and v.niveau == "adviseren"
    assert v.middelen[0].replace("\xa0", " ") == (
        "bijeenkomst: Ontwerpavond met schetsen en koffie (ca. 20 uur, € 1.500,50)"
    )
    assert v.contact_rol == "projectleider openbare ruimte"
    assert "Sam Voorbeeld" not in v.model_dump_json()


def test_the_same_area_comes_before_the_same_kind():
    a = Voorbeeld(plan_id="a", titel="A", gebied="Elders", beleidsveld="wonen en bouwen")
    b = Voorbeeld(plan_id="b", titel="B", gebied="lindenkwartier ", beleidsveld="anders")
    c = Voorbeeld(plan_id="c", titel="C", gebied="Noord", beleidsveld="verkeer en parkeren")
    plan = Plan(gebied="Lindenkwartier", beleidsveld="wonen en bouwen")
    assert [v.titel for v in vergelijkbaar(plan, [a, b, c])] == ["B", "A"]
    assert vergelijkbaar(Plan(), [a, b, c]) == []


async def _finished(engine, store, voorbeeld: bool) -> None:
    make_plan(store, **AFGEROND)
    await close_plan(Chat(engine, "console:tester"), evalueren=True, voorbeeld=voorbeeld)


async def test_with_consent_advisors_see_it_and_a_new_interview_in_the_area_gets_it(
    engine, store, settings
):
    await _finished(engine, store, voorbeeld=True)
    new = Chat(engine, "console:nieuw")
    await new.start(gemeente="leiden")
    await answer_until(new, LEIDEN, "beleidsveld")
    await new.say("openbare ruimte en groen")
    assert INTRO in new.text
    shown = new.text.replace("\xa0", " ")
    assert "- Groen Lindenhof (Lindenkwartier, openbare ruimte en groen, adviseren)." in shown
    assert "Middelen: bijeenkomst: Ontwerpavond; online inbreng: Reageren op schetsen." in shown
    assert "Wat goed ging: De avond op het plein trok veel buren. Vraag" in shown
    assert "Vraag de gemeente naar de projectleider groen." in shown
    assert "Kim Verzonnen" not in shown
    assert "Ben je al op de plek" in new.question.text  # and the interview goes on

    async with client(settings, store) as web:
        await login(web, settings, LEIDEN_ADVISOR)
        overview = await web.get("/adviseur/plannen")
    assert "<h2>Voorbeeldenbank</h2>" in overview.text
    assert "Groen Lindenhof (Lindenkwartier, openbare ruimte en groen, adviseren)" in overview.text


async def test_without_consent_nobody_sees_it(engine, store, settings):
    await _finished(engine, store, voorbeeld=False)
    new = Chat(engine, "console:nieuw")
    await new.start(gemeente="leiden")
    await answer_until(new, LEIDEN, "beleidsveld")
    await new.say("openbare ruimte en groen")
    assert INTRO not in new.text
    async with client(settings, store) as web:
        await login(web, settings, LEIDEN_ADVISOR)
        overview = await web.get("/adviseur/plannen")
    assert "Nog geen afgeronde plannen in de voorbeeldenbank." in overview.text
    assert "Groen Lindenhof" not in overview.text.split("Voorbeeldenbank")[1]
