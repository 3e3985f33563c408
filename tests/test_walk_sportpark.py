"""A football club's secretary in Leidschendam-Voorburg planning LED floodlights beside houses,
typing like a busy person (invented data): answers that were refused or read silently in the
console walk, now read at their question in the real engine."""

from __future__ import annotations

import pytest

from handreiking.documents import document_text
from tests.conftest import Chat
from tests.interviews import LEIDEN, answer_script, answer_until


def _data(store, chat: Chat) -> dict:
    return store.plans(owner=chat.identity)[-1].data


@pytest.mark.parametrize(
    ("typed", "remark"),
    [
        # 'Antwoord met ja of nee'
        (
            "voor de buren aan de sportlaan wel ja, meer licht 's avonds",
            "voor de buren aan de sportlaan, meer licht 's avonds",
        ),
        ("voor de buren wel", "voor de buren"),
        # a yes, and 'voor de buren' was dropped without a word
        ("ja voor de buren", "voor de buren"),
    ],
)
async def test_a_yes_said_for_whom_keeps_for_whom(chat, store, typed, remark):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "leefomgeving")
    text = await chat.say(typed)
    if not typed.startswith("ja "):  # 'ja voor de buren' is not said back to the one who typed it
        assert f"→ ja ({remark})" in text
    assert "veel partijen" in chat.question.text
    data = _data(store, chat)
    assert data["grote_wijziging"] is True
    assert data["opmerkingen"]["grote_wijziging"] == remark


async def test_a_no_in_other_words_is_read_back(chat, store):
    # 'valt wel mee eigenlijk' was stored as a no without a word about it
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "veel verschillende belangen")
    assert "→ nee" in await chat.say("valt wel mee eigenlijk")
    assert _data(store, chat)["veel_belangen"] is False
    await chat.say("terug")
    assert "→" not in await chat.say("nee hoor")  # a no in so many words needs no echo


async def test_the_start_of_a_candidate_picks_it(chat, store):
    # 'co' at 'Bedoel je co-producent of adviseur?' got 'Die keuze ken ik niet' and the list
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "rol heeft 'Omwonenden Lindenplein'")
    assert "Bedoel je co-producent of adviseur?" in await chat.say(
        "helpen mee bij de werkdag en denken mee"
    )
    assert "→ co-producent" in await chat.say("co")
    assert "belang van 'Omwonenden Lindenplein'" in chat.question.text


async def test_the_amount_in_a_sentence_about_the_costs(chat, store):
    # 'Dat bedrag kan ik niet lezen' for the one amount among the words
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Wat kost de bijeenkomst")
    assert "→ ca. €\xa050" in await chat.say("niks, kantine is van ons. koffie 50 euro ofzo")
    assert "ander niveau dan het plan" in chat.question.text


async def test_kitchen_table_talks_are_another_kind_of_activity_named_as_typed(chat, store):
    # 'keukentafelgesprekken met ...' got 'Die keuze ken ik niet'; and 'anders' chosen by its
    # own word was proposed as the description: 'Voorstel: anders'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Hoe vaak stuur je deelnemers")
    await chat.say("terug")
    await chat.say("keukentafelgesprekken met de 6 dichtstbijzijnde adressen, begin januari")
    assert "Omschrijf de activiteit kort" in chat.question.text, chat.text
    assert "Voorstel: keukentafelgesprekken met de 6 dichtstbijzijnde adressen." in chat.text
    await chat.say("ja")
    assert "Voorstel: 4 januari 2027." in chat.question.text  # the first school day
    # asked about by a name, not 'Op welke datum is de keukentafelgesprekken met de 6 …?'
    assert "Op welke datum is de activiteit ‘keukentafelgesprekken’?" in chat.question.text
    while "Welke activiteiten" not in chat.question.text:
        await chat.say("overslaan")
    await chat.say("anders")
    assert "Omschrijf de activiteit kort" in chat.question.text
    assert "Voorstel" not in chat.question.text


async def test_an_activity_added_with_en_nog_een_is_described_without_it(chat):
    # 'Voorstel: en nog een nieuwsbrief via de clubsite, maandelijks'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Hoe vaak stuur je deelnemers")
    await chat.say("terug")
    await chat.say("en nog een nieuwsbrief via de clubsite, maandelijks")
    assert "Voorstel: nieuwsbrief via de clubsite, maandelijks." in chat.question.text


async def test_an_amount_per_time_asks_for_the_total_and_a_count_gives_it(chat):
    # 'drukwerk 150 euro per keer' got 'Dat bedrag kan ik niet lezen'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Wat kost de bijeenkomst")
    text = await chat.say("drukwerk 150 euro per keer")
    assert "Is 150 per keer? Geef het totaal voor de hele activiteit" in text
    assert "bijvoorbeeld: 6 × 150." in text
    assert "Wat kost de bijeenkomst" in chat.question.text
    assert "→ €\xa0900 (6 × €\xa0150)" in await chat.say("6 keer 150 euro")


async def test_an_optional_answer_not_known_yet_stays_open_for_the_reader(chat, store):
    # 'weet ik nog niet' at an optional question: the advisor's page said '(niet ingevuld)'
    # and the plan's 'Nog te bepalen' left it out, as if it had been skipped
    from bot.features.review import plan_sections
    from handreiking.profiles import load_profile

    await chat.start(gemeente="leiden")
    said = {"inhoudelijk al vast": "weet ik nog niet", "taalbarrières": "overslaan"}
    script = [(q, said.get(q, a)) for q, a in LEIDEN]
    await answer_script(chat, script)
    await chat.say("ja")
    done = next(r for r in chat.replies if r.kind == "done")
    plan = document_text(next(p for p in done.documents if p.name == "participatieplan.docx"))
    rows = plan.splitlines()
    assert "Wat er inhoudelijk al vastligt" in rows[rows.index("Nog te bepalen") :]
    sections = plan_sections(_data(store, chat), load_profile("leiden"))
    [shown] = [i.value for s in sections for i in s.items if i.key == "kader_inhoudelijk"]
    assert shown == "nog te bepalen"
    [skipped] = [i.value for s in sections for i in s.items if i.key == "inclusie_taal"]
    assert skipped == "(niet ingevuld)"  # left out by 'overslaan': not open
    assert "Hoe mensen meedoen die de taal minder goed spreken" not in plan


async def test_tight_asks_whether_it_is_enough(chat, store):
    # 'krap, planten moet voor de kerst' at 'Is er genoeg tijd …?' got 'Antwoord met ja of nee'
    from tests.interviews import HEEMSTEDE

    await chat.start(gemeente="heemstede")
    await answer_until(chat, HEEMSTEDE, "genoeg tijd")
    assert "Bedoel je dat het genoeg is (ja), of te krap (nee)?" in await chat.say(
        "krap, planten moet voor de kerst"
    )
    await chat.say("ja")
    data = _data(store, chat)
    assert data["haalbaar_tijd"] is True
    assert data["opmerkingen"]["haalbaar_tijd"] == "krap, planten moet voor de kerst"
    await chat.say("terug")
    assert "→ nee (te krap)" in await chat.say("te krap")


async def test_the_hours_and_money_there_are_say_yes(chat, store):
    # 'zo'n 40 uur vrijwilligers en 15k subsidie' at 'Zijn er geld en uren …?' got 'Antwoord
    # met ja of nee'
    from tests.interviews import HEEMSTEDE

    await chat.start(gemeente="heemstede")
    await answer_until(chat, HEEMSTEDE, "geld en uren")
    typed = "zo'n 40 uur vrijwilligers en 15k subsidie"
    assert f"→ ja ({typed})" in await chat.say(typed)
    data = _data(store, chat)
    assert data["haalbaar_budget"] is True
    assert data["opmerkingen"]["haalbaar_budget"] == typed


async def test_an_activity_named_with_its_day_in_the_middle_is_another_kind(chat):
    # 'plantdag zaterdag 12 december met de hele buurt' got 'Die keuze ken ik niet'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Hoe vaak stuur je deelnemers")
    await chat.say("terug")
    text = await chat.say("plantdag zaterdag 12 december met de hele buurt")
    assert "→ anders" in text and "Die keuze ken ik niet" not in text
    assert "Omschrijf de activiteit kort" in chat.question.text


async def test_a_place_typed_with_the_date_is_proposed_at_the_place(chat, store):
    # 'liever een donderdag half januari, in de kantine': the kantine was asked for again
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Op welke datum is de bijeenkomst")
    await chat.say("liever een donderdag half maart, in de kantine")
    await chat.say("ja")  # the Thursday proposed for 'half maart'
    while "Waar is de" not in chat.question.text:
        await chat.say("ja")
    assert "Voorstel: de kantine." in chat.question.text
    assert "→ de kantine" in await chat.say("ja")
    assert "Hoeveel uur kost de bijeenkomst" in chat.question.text


async def test_an_activity_whose_name_takes_het_is_asked_about_as_an_activity(chat):
    # 'Op welke datum is de buurtontbijt?'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Hoe vaak stuur je deelnemers")
    await chat.say("terug")
    await chat.say("buurtontbijt op het plein")
    await chat.say("ja")  # its words proposed as its description
    assert "Op welke datum is de activiteit ‘buurtontbijt op het plein’?" in chat.question.text


async def test_tight_is_no_answer_where_the_question_asks_how_much(chat, store):
    # 'te krap eigenlijk' typed one question late, at 'Spelen er veel verschillende belangen?',
    # was stored as a no
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "veel verschillende belangen")
    assert "Antwoord met ja of nee" in await chat.say("te krap eigenlijk")
    assert "veel verschillende belangen" in chat.question.text
