"""A Heerlen sports club that wants a new clubhouse and an artificial turf pitch, typed by a busy
person (invented data), and the leftovers of earlier walks: answers that were misread or got an
odd message, now read at their question in the real engine."""

from __future__ import annotations

import pytest

from handreiking.documents import document_text
from tests.conftest import Chat
from tests.interviews import HEEMSTEDE, HEERLEN, LEIDEN, answer_script, answer_until


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


# --- the sports club's own walk (Heerlen) ---------------------------------------------------


def _heerlen(**changed: str) -> list[tuple[str, str]]:
    return [(q, changed.get(q, a)) for q, a in HEERLEN]


def _doc(chat: Chat) -> str:
    done = next(r for r in chat.replies if r.kind == "done")
    return document_text(next(p for p in done.documents if p.name == "participatieplan.docx"))


async def test_valt_mee_eigenlijk_at_are_there_many_interests_is_a_no(chat, store):
    # 'valt mee eigenlijk' got 'Antwoord met ja of nee' ('dat valt wel mee hoor' was a no)
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "veel verschillende belangen")
    text = await chat.say("valt mee eigenlijk")
    assert "Antwoord met ja of nee" not in text
    assert _data(store, chat)["veel_belangen"] is False


@pytest.mark.parametrize("typed", ["zie titel", "zie de titel"])
async def test_see_the_title_at_what_the_opgave_holds_is_asked_again(chat, store, typed):
    # 'zie titel' at 'Wat houdt de opgave in?' was the answer: the plan opened with 'Zie titel.'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Wat houdt de opgave in")
    text = await chat.say(typed)
    assert f"dus '{typed}' zegt daar niets" in text
    assert "Wat houdt de opgave in" in chat.question.text
    assert "opgave" not in _data(store, chat)


async def test_dunno_yet_is_not_known_not_an_answer(chat, store):
    # 'dunno yet' at 'Wat zijn de kosten en baten?' was stored as the answer
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "kosten en baten")
    text = await chat.say("dunno yet")
    assert "Dit heb ik nodig om verder te gaan" in text
    assert "kosten en baten" in chat.question.text


async def test_a_clubs_name_with_a_remark_in_brackets_is_the_name(chat, store):
    # 'VV Oost (vereniging, ca 400 leden)' was the name on the front page and in the list
    await chat.start(gemeente="heerlen")
    await answer_until(chat, HEERLEN, "naam van de initiatiefnemer")
    text = await chat.say("VV Voorbeeld Oost (vereniging, ca 400 leden)")
    assert "→ VV Voorbeeld Oost\n" in text
    assert "niet je opmerking ‘vereniging, ca 400 leden’" in text
    assert _data(store, chat)["initiatiefnemer"] == "VV Voorbeeld Oost"


async def test_zelfde_at_the_interest_takes_the_influence_just_given(chat, store):
    # 'zelfde' after 'hoog' at the influence of the same group left the interest empty
    await chat.start(gemeente="heerlen")
    script = _heerlen(**{"Hoe groot is het belang van 'Ouderen in de wijk'": "zelfde"})
    await answer_until(chat, script, "Hoe groot is het belang van 'Ouderen in de wijk'")
    text = await chat.say("zelfde")
    assert "→ midden" in text
    await answer_until(
        chat, script[script.index(("Wat vindt 'Ouderen in de wijk'", "voor")) :], "jongeren"
    )
    ouderen = next(
        b for b in _data(store, chat)["belanghebbenden"] if b["naam"] == "Ouderen in de wijk"
    )
    assert (ouderen["invloed"], ouderen["interesse"]) == ("midden", "midden")


async def test_middelen_chosen_with_a_hedge_after_them(chat, store):
    # '1 en 2 denk ik' got 'Ik weet niet welke keuze '2 denk ik' is'
    await chat.start(gemeente="heerlen")
    await answer_until(chat, HEERLEN, "Welke neem je over")
    text = await chat.say("1 en 2 denk ik")
    assert "Ik weet niet welke keuze" not in text
    assert len(_data(store, chat)["middelen_gekozen"]) == 2


async def test_two_vague_times_give_the_time_both_name(chat):
    # 'februari ergens, na carnaval' proposed 13 February, before the carnival holiday
    await chat.start(gemeente="heerlen")
    await answer_until(chat, HEERLEN, "Op welke datum is de buurtschouw")
    text = await chat.say("februari ergens, na carnaval")
    assert "Bedoel je maandag 23 februari 2026?" in text


async def test_a_time_then_what_it_follows_is_read(chat):
    # 'zomer 2027 na het eerste seizoen' was 'Die datum kan ik niet lezen'
    await chat.start(gemeente="heerlen")
    await answer_until(chat, HEERLEN, "Wanneer evalueer je")
    text = await chat.say("zomer 2027 na het eerste seizoen op het nieuwe veld")
    assert "Die datum kan ik niet lezen" not in text
    assert "Bedoel je" in text and "juli 2027" in text


async def test_remarks_beside_privacy_and_the_agreement_are_in_the_plan(chat, store):
    # the extra personal data in 'ja, plus telefoonnummers ...' was not in the plan's privacy
    script = _heerlen(
        Privacy="ja, plus telefoonnummers van buren die meedoen",
        samenwerkingsovereenkomst="is er nog niet, de gemeente stelt die op",
    )
    await chat.start(gemeente="heerlen")
    await answer_script(chat, script)
    assert "ja (plus telefoonnummers van buren die meedoen)" in chat.text
    await chat.say("ja")
    plan = _doc(chat)
    assert "vernietigen we deze gegevens (plus telefoonnummers van buren die meedoen)." in plan
    assert "niet in een samenwerkingsovereenkomst (de gemeente stelt die op)." in plan


async def test_in_het_kort_gives_a_short_answer_about_the_room_whole(chat):
    # 'Hierover kun je meepraten: Het veld ligt vast.' said only what was not open
    room = "Het veld ligt vast. Over parkeren en het groen praat je mee."
    await chat.start(gemeente="heerlen")
    await answer_script(chat, _heerlen(**{"ruimte voor participatie": room}))
    await chat.say("ja")
    assert f"Hierover kun je meepraten: {room}" in _doc(chat)
