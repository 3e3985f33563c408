"""A Heerlen sports club that wants a new clubhouse and an artificial turf pitch, typed by a busy
person (invented data), and the leftovers of earlier walks: answers that were misread or got an
odd message, now read at their question in the real engine."""

from __future__ import annotations

import pytest

from handreiking.documents import document_text
from tests.conftest import Chat
from tests.interviews import HEEMSTEDE, LEIDEN, answer_script, answer_until


def _data(store, chat: Chat) -> dict:
    return store.plans(owner=chat.identity)[-1].data


@pytest.mark.parametrize(
    "typed",
    [
        "de werkgroep samen met de gemeente",
        "werkgroep i.s.m. gemeente",
        "wij als werkgroep, samen met de gemeente",
        "een groep bewoners samen met de gemeente",
    ],
)
async def test_a_werkgroep_with_the_gemeente_is_an_initiative_of_inwoners(chat, store, typed):
    # 'de werkgroep samen met de gemeente' got 'Bedoel je inwoners?' (a guess from 'werkgroep')
    await chat.start(gemeente="heerlen")
    await chat.say("Nieuw clubhuis")
    text = await chat.say(typed)
    assert "Bedoel je" not in text and "Die keuze ken ik niet" not in text
    assert "naam van de initiatiefnemer" in chat.question.text
    assert _data(store, chat)["initiatiefnemer_type"] == "inwoners"


async def test_a_remark_at_a_name_proposed_later_is_not_said_to_stay_out(chat):
    # 'Ruud (secretaris)' at the contact person: that remark is not asked for again, so it
    # does stay out of the documents (the owner's name: see test_walk_fietsersbond)
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "contactpersoon (accounthouder)")
    text = await chat.say("Mirthe (teamleider)")
    assert "Alleen de naam komt in je documenten, niet je opmerking ‘teamleider’." in text
    rest = LEIDEN[LEIDEN.index(("contactpersoon (accounthouder)", "Mirthe Voorbeeld")) + 1 :]
    await answer_until(chat, rest, "Wat is je naam")
    text = await chat.say("Sam (voorzitter)")
    assert "Je opmerking ‘voorzitter’ stel ik zo voor bij de volgende vraag." in text
    assert "Voorstel: voorzitter." in chat.question.text


@pytest.mark.parametrize(
    ("typed", "schaal"),
    [("een paar straten", "buurt"), ("enkele straten rond het sportpark", "buurt")],
)
async def test_a_few_streets_are_a_buurt(chat, store, typed, schaal):
    # 'een paar straten' was one street: schaal 'straat', and the middelen for a street
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Hoe groot is het gebied")
    text = await chat.say(typed)
    assert f"→ {schaal}" in text
    assert _data(store, chat)["schaal"] == schaal


def _heemstede(**changed: str) -> list[tuple[str, str]]:
    return [(q, changed.get(q, a)) for q, a in HEEMSTEDE]


@pytest.mark.parametrize("typed", ["ja", "ja hoor", "jazeker"])
async def test_ja_at_the_interim_evaluation_asks_when(chat, store, typed):
    # 'ja' at 'Wanneer kijk je halverwege ...?' got 'Die datum kan ik niet lezen'
    await chat.start(gemeente="heemstede")
    await answer_until(chat, HEEMSTEDE, "halverwege")
    text = await chat.say(typed)
    assert "Die datum kan ik niet lezen" not in text
    assert text.startswith("Fijn. Wanneer ongeveer? Schrijf een datum, bijvoorbeeld: ")
    assert "halverwege" in chat.question.text
    text = await chat.say("ja, begin juli")
    assert "→ woensdag 1 juli 2026" in text
    assert _data(store, chat)["tussentijdse_evaluatie_datum"] == "2026-07-01"


async def test_ja_without_a_date_known_yet_is_open(chat, store):
    await chat.start(gemeente="heemstede")
    await answer_until(chat, HEEMSTEDE, "halverwege")
    text = await chat.say("ja, weet nog niet wanneer")
    assert "→ nog te bepalen" in text
    assert "wat er met hun inbreng" in chat.question.text


@pytest.mark.parametrize(
    ("typed", "shown", "sentence"),
    [
        (
            "ja, krap",
            "ja (krap)",
            "Er is genoeg tijd voor participatie voordat het besluit valt (krap).",
        ),
        (
            "krap, maar het kan",
            "ja (krap, maar het kan)",
            "Er is genoeg tijd voor participatie voordat het besluit valt (krap, maar het kan).",
        ),
        (
            "nee, de raad beslist al in juni",
            "nee (de raad beslist al in juni)",
            "(de raad beslist al in juni).",
        ),
    ],
)
async def test_a_remark_with_a_yes_or_no_reaches_the_summary_and_the_plan(
    chat, store, typed, shown, sentence
):
    # the remark in 'ja, krap' at 'Is er genoeg tijd?' was dropped: the plan said only yes
    await chat.start(gemeente="heemstede")
    script = _heemstede(**{"genoeg tijd": typed})
    await answer_until(chat, script, "genoeg tijd")
    text = await chat.say(typed)
    if not typed.startswith(("ja", "nee")):  # an echo that repeats what was typed is left out
        assert f"→ {shown}" in text
    await answer_script(chat, script[script.index(("genoeg tijd", typed)) + 1 :])
    assert shown in chat.text  # the summary
    await chat.say("ja")
    done = next(r for r in chat.replies if r.kind == "done")
    plan = document_text(next(p for p in done.documents if p.name == "participatieplan.docx"))
    assert sentence in plan


async def test_a_yes_whose_comment_answers_the_follow_up_keeps_no_remark(chat, store):
    # 'ja, een bon van 25 euro' answers 'Welke vergoeding?': the comment is not said twice
    await chat.start(gemeente="heemstede")
    script = _heemstede(ervaringsdeskundigen="ja, een bon van 25 euro")
    await answer_script(chat, script)
    data = _data(store, chat)
    assert data["vergoeding"] is True
    assert data["vergoeding_toelichting"] == "een bon van 25 euro"
    assert "vergoeding" not in (data.get("opmerkingen") or {})
