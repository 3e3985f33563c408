"""A Leiden initiatiefnemer of a cyclists' association, typing like a busy person (invented data):
answers that were refused or misread, now understood at their question in the real engine."""

from __future__ import annotations

import pytest

from tests.conftest import Chat
from tests.interviews import LEIDEN, answer_until


def _data(store, chat: Chat) -> dict:
    return store.plans(owner=chat.identity)[-1].data


async def test_ja_at_an_open_question_gets_an_example_that_fits_that_question(chat):
    # the example was a place ('Buurthuis De Linde') at 'Hoe evalueer je het traject?'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Hoe evalueer je het traject")
    text = await chat.say("ja")
    assert "Dit is geen vraag met ja of nee." in text
    assert "Buurthuis" not in text
    assert "bijvoorbeeld: 'een evaluatieformulier voor deelnemers" in text
    assert "Hoe evalueer je het traject" in chat.question.text


async def test_ja_at_an_open_question_without_an_example_is_asked_again_without_one(chat):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "jongeren")
    text = await chat.say("ja")
    assert "Dit is geen vraag met ja of nee. Schrijf je antwoord in een paar woorden.\n" in text
    assert "bijvoorbeeld" not in text.split("\n")[0]
    assert "Hoe betrek je jongeren" in chat.question.text


@pytest.mark.parametrize("typed", ["zie vorige vraag", "Zie hierboven", "idem dito"])
async def test_see_the_previous_question_is_quoted_as_typed(chat, typed):
    # 'zie vorige vraag' was told "'zie hierboven' zegt daar niets": words it did not type
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Hoe evalueer je het traject")
    text = await chat.say(typed)
    assert f"dus '{typed}' zegt daar niets" in text
    if typed != "Zie hierboven":
        assert "hierboven" not in text
    assert "Hoe evalueer je het traject" in chat.question.text


PARTIES = "NS, prorail, omwonenden, ondernemers stationsplein, de fietsersbond zelf"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        (PARTIES, PARTIES),
        ("NS; ProRail; de buren", "NS; ProRail; de buren"),
        ("- NS\n- ProRail\n- omwonenden stationsplein", "NS, ProRail, omwonenden stationsplein"),
    ],
)
async def test_a_list_of_parties_answers_are_there_many_with_yes_and_is_kept(
    chat, store, typed, shown
):
    # 'Zijn er veel partijen bij betrokken?' answered with the parties got 'Antwoord met ja of nee'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "veel partijen")
    text = await chat.say(typed)
    assert "ja of nee" not in text
    assert text.startswith(f"→ ja ({shown})")
    assert "veel verschillende belangen" in chat.question.text
    text = await chat.say(
        "veiligheid van fietsers, doorstroming van de bussen, ruimte voor terrassen"
    )
    assert "→ ja (veiligheid van fietsers, doorstroming van de bussen" in text
    assert "contactpersoon (accounthouder)" in chat.question.text
    data = _data(store, chat)
    assert data["veel_actoren"] is True and data["veel_belangen"] is True
    summary = await chat.say("samenvatting")
    assert f"Zijn er veel partijen bij betrokken?\n  ja ({shown})" in summary


async def test_a_list_is_no_answer_where_the_question_does_not_ask_for_many(chat, store):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "leefomgeving")
    text = await chat.say(PARTIES)
    assert "Antwoord met ja of nee" in text and "leefomgeving" in chat.question.text
    assert "grote_wijziging" not in _data(store, chat)


@pytest.mark.parametrize(
    "typed",
    [
        "een beetje, met de bloemenkraam en twee buren",
        "met een paar buren",
        "deels",
        "ja, een paar",
        "nog niet echt, alleen even met de bloemenkraam",
    ],
)
async def test_a_little_talk_on_the_spot_is_a_yes_and_no_tip_says_otherwise(chat, store, typed):
    # 'een beetje, met de bloemenkraam en twee buren' was read as no, and the tip followed
    # 'Je hebt nog niet gepraat met mensen op de plek'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Heb je daar al gepraat")
    text = await chat.say(typed)
    assert "nog niet gepraat" not in text
    assert f"→ ja ({typed})" in text
    assert "Met welke groepen of organisaties" in chat.question.text
    assert _data(store, chat)["omgeving_gesproken"] is True
    status = await chat.say("status")
    assert "nog niet gepraat" not in status


async def test_only_a_short_visit_is_a_visit(chat, store):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Ben je al op de plek")
    text = await chat.say("nog maar kort")
    assert "→ ja (nog maar kort)" in text and "nog niet op de plek" not in text
    assert _data(store, chat)["omgeving_bezocht"] is True


async def test_a_little_at_a_question_of_how_much_stays_a_no(chat, store):
    # 'Verandert de leefomgeving flink?' 'een beetje' is not flink
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "leefomgeving")
    await chat.say("een beetje")
    assert _data(store, chat)["grote_wijziging"] is False
