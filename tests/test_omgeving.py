"""Before the plan: Leiden's 'Ken je omgeving' and Heemstede's haalbaarheid, as questions with
a tip when the answer is no, and their answers in the plan."""

from __future__ import annotations

from handreiking.documents import document_text
from tests.interviews import HEEMSTEDE, HEERLEN, LEIDEN, answer_from, answer_script, answer_until


def _replace(script, fragment: str, answer: str):
    return [(f, answer if f == fragment else a) for f, a in script]


async def _plan_text(chat) -> str:
    await chat.say("ja")
    docs = next(r for r in chat.replies if r.kind == "done").documents
    return document_text(next(p for p in docs if p.name == "participatieplan.docx"))


async def test_leiden_asks_ken_je_omgeving_with_a_tip_when_nobody_was_spoken_to(chat):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Ben je al op de plek")
    assert "Ken je de omgeving? Ben je al op de plek zelf gaan kijken?" in chat.question.text
    await chat.say("ja")
    assert "Je bent nog niet op de plek" not in chat.text
    await chat.say("nee")
    assert "Je hebt nog niet gepraat met mensen op de plek" in chat.text
    assert "Checklist participatie" in chat.text and "Ken je omgeving" in chat.text
    assert "Noem groepen, geen namen of adressen van bewoners" in chat.question.text
    await answer_from(chat, LEIDEN, "Met welke groepen of organisaties")
    text = await _plan_text(chat)
    assert "Ken je omgeving" in text
    assert "We zijn op de plek zelf gaan kijken." in text
    assert "We hebben nog niet gepraat met mensen op de plek." in text
    assert "contact met: De wijkvereniging Lindenkwartier en basisschool De Linde." in text


async def test_heerlen_does_not_ask_about_the_area_or_feasibility(chat):
    await chat.start(gemeente="heerlen")
    await answer_until(chat, HEERLEN, "ruimte voor participatie")
    assert "ruimte voor participatie" in chat.question.text


async def test_heemstede_checks_feasibility_first_and_a_no_is_a_tip_with_the_reason_in_the_plan(
    chat,
):
    await chat.start(gemeente="heemstede")
    await answer_until(chat, HEEMSTEDE, "echt iets veranderen")
    assert chat.question.text.startswith("Is participatie haalbaar?")
    await chat.say("ja")
    await chat.say("ja")
    await chat.say("nee")
    assert "Participatie lijkt nu niet goed haalbaar: er zijn nog geen geld en uren." in chat.text
    assert "Uitwerking participatiebeleid" in chat.text and "Processen" in chat.text
    assert "Waarom start je toch, of wat regel je eerst?" in chat.question.text
    await answer_from(chat, HEEMSTEDE, "Waarom start je toch")
    text = await _plan_text(chat)
    assert "Is participatie haalbaar?" in text
    assert "Er zijn nog geen geld en uren voor de participatie." in text
    assert "Er is genoeg tijd voor participatie voordat het besluit valt." in text
    assert "De buurtgroep zoekt sponsors; de gemeente helpt met uren." in text
    assert "Participatie lijkt nu niet goed haalbaar" in text  # the advisor's appendix
    assert "Halverwege evalueren we tussentijds, op 1 juli 2026." in text


async def test_heemstede_feasible_asks_no_reason(chat):
    script = _replace(HEEMSTEDE, "geld en uren", "ja")
    script = [x for x in script if x[0] != "Waarom start je toch"]
    await chat.start(gemeente="heemstede")
    await answer_script(chat, script)
    text = await _plan_text(chat)
    assert "Er zijn geld en uren voor de participatie." in text
    assert "niet goed haalbaar" not in text


async def test_heemstede_not_knowing_about_money_yet_is_not_arranged_yet(chat):
    # 'weet ik nog niet' at a feasibility question was refused ('Dit heb ik nodig')
    await chat.start(gemeente="heemstede")
    await answer_until(chat, HEEMSTEDE, "echt iets veranderen")
    await chat.say("ja")
    await chat.say("ja")
    await chat.say("weet ik nog niet")
    assert "Dit heb ik nodig" not in chat.text
    assert "→ nee" in chat.text
    assert "Participatie lijkt nu niet goed haalbaar: er zijn nog geen geld en uren." in chat.text
    assert "Waarom start je toch, of wat regel je eerst?" in chat.question.text


async def test_valt_mee_at_feasibility_is_asked_again_and_stays_a_no_where_it_means_not_much(
    chat,
):
    # 'valt mee' at 'kan de inbreng nog iets veranderen?' was read as no and a tip followed
    await chat.start(gemeente="heemstede")
    await answer_until(chat, HEEMSTEDE, "veel partijen")
    await chat.say("dat valt wel mee hoor")  # not many parties: a no
    assert "'Valt mee'" not in chat.text
    assert "Spelen er veel verschillende belangen?" in chat.question.text
    frags = [f for f, _ in HEEMSTEDE]
    between = frags.index("veel verschillende belangen"), frags.index("echt iets veranderen")
    await answer_script(chat, HEEMSTEDE[between[0] : between[1]])
    for answer in ("valt mee", "valt wel mee, denk ik"):
        await chat.say(answer)
        assert chat.replies[0].text == "'Valt mee' kan hier ja of nee betekenen. Typ 'ja' of 'nee'."
        assert "niet goed haalbaar" not in chat.text
        assert "kan de inbreng van mensen nog echt iets veranderen?" in chat.question.text
    await chat.say("ja")
    assert "niet goed haalbaar" not in chat.text
    assert "Is er genoeg tijd" in chat.question.text
    await chat.say("valt mee")
    assert "'Valt mee' kan hier ja of nee betekenen" in chat.text
    assert "Is er genoeg tijd" in chat.question.text


def test_heemstede_interim_evaluation_is_on_the_timeline_and_reminds_the_owner(tmp_path):
    from datetime import date, datetime

    from handreiking.documents import render
    from handreiking.profiles import load_profile
    from handreiking.reminders import due, reminders
    from tests.document_plans import HEEMSTEDE

    profile = load_profile("heemstede")
    plan = HEEMSTEDE.model_copy(update={"tussentijdse_evaluatie_datum": date(2026, 7, 1)})
    on_the_day = datetime.fromisoformat("2026-07-01T10:00+02:00")
    owner = [r.text for r in due(reminders(plan, profile), on_the_day) if r.audience == "owner"]
    assert any("evalueer je" in t and "tussentijds" in t for t in owner)

    out = tmp_path / "plan.docx"
    text = document_text(render("participatieplan", plan, profile, [], out))
    assert "1 juli 2026\tTussentijdse evaluatie" in text  # in the table of milestones
