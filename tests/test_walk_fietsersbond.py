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
