"""A Leiden civil servant redesigning a park, typing like a busy person (invented data): answers
that were refused or misread in the console walk, now understood at their question in the real
engine."""

from __future__ import annotations

import pytest

from tests.conftest import Chat
from tests.interviews import LEIDEN, answer_until


def _data(store, chat: Chat) -> dict:
    return store.plans(owner=chat.identity)[-1].data


@pytest.mark.parametrize(
    "typed", ["best wel, het hele park gaat op de schop", "best wel ja", "behoorlijk", "nogal"]
)
async def test_a_yes_that_says_how_much_is_a_yes(chat, store, typed):
    # 'Antwoord met ja of nee' for 'best wel, het hele park gaat op de schop'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "leefomgeving")
    await chat.say(typed)
    assert "veel partijen" in chat.question.text, chat.text
    assert _data(store, chat)["grote_wijziging"] is True


@pytest.mark.parametrize("typed", ["zelfde als de contactpersoon", "zie boven", "idem"])
async def test_the_same_person_as_the_contact_gives_that_name(chat, store, typed):
    # 'zelfde als de contactpersoon' at 'Wat is je naam?' was stored as the name, and the front
    # page of the plan read 'Opgesteld door: zelfde als de contactpersoon'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Wat is je naam")
    text = await chat.say(typed)
    assert "→ Mirthe Voorbeeld" in text
    assert "rol bij deze opgave" in chat.question.text
    assert _data(store, chat)["eigenaar_naam"] == "Mirthe Voorbeeld"


async def test_samen_doen_is_the_role_of_a_co_producer(chat, store):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "rol heeft 'Omwonenden Lindenplein'")
    await chat.say("samen doen, ze beheren de speeltuin")
    assert "belang van 'Omwonenden Lindenplein'" in chat.question.text, chat.text


async def _groups_typed(chat: Chat, typed: str) -> str:
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "rol heeft 'Omwonenden Lindenplein'")
    for answer in ("co-producent", "overslaan", "adviseur", "overslaan"):
        await chat.say(answer)
    assert "Welke groepen" in chat.question.text
    return await chat.say(typed)


async def test_talk_around_the_names_of_groups_is_no_group(chat, store):
    # 'o ja, jongeren en ouderen ook nog' made the groups 'o ja', 'jongeren', 'ouderen ook nog'
    text = await _groups_typed(chat, "o ja, jongeren en ouderen ook nog")
    assert "groepen genoteerd" not in text
    assert "Welke rol heeft 'jongeren en ouderen'?" in chat.question.text
    await chat.say("geraadpleegd")
    await chat.say("overslaan")
    text = await chat.say("oja, de huisarts ook, en de kerk")
    assert "2 groepen genoteerd: 6. de huisarts, 7. de kerk" in text


async def test_a_wrong_group_is_removed_while_its_questions_are_asked(chat, store):
    # 'verwijder 5' at the role of group 5 got 'Die keuze ken ik niet': its role and interest
    # had to be answered first, though the message said to remove it with 'verwijder'
    text = await _groups_typed(chat, "ooievaars, jongeren, ouderen")
    assert "Typ 'verwijder' en het nummer" in text
    assert "Welke rol heeft 'ooievaars'?" in chat.question.text
    text = await chat.say("verwijder 5")
    assert "Weggehaald: ooievaars" in text
    assert "Welke rol heeft 'jongeren'?" in chat.question.text
    await chat.say("verwijder 6")  # queued: ouderen, now number 6
    assert "Welke rol heeft 'jongeren'?" in chat.question.text
    await chat.say("geraadpleegd")
    await chat.say("overslaan")
    assert "Tot nu toe:" in chat.question.text
    names = [b["naam"] for b in _data(store, chat)["belanghebbenden"]]
    assert "ooievaars" not in names and "ouderen" not in names and names[-1] == "jongeren"


async def test_remove_alone_takes_the_group_being_asked_about(chat, store):
    await _groups_typed(chat, "ooievaars, jongeren")
    text = await chat.say("verwijder")
    assert "Weggehaald: ooievaars" in text
    assert "Welke rol heeft 'jongeren'?" in chat.question.text
    text = await chat.say("verwijder 9")
    assert "Dat nummer staat niet in de lijst" in text
    assert "Welke rol heeft 'jongeren'?" in chat.question.text


async def test_all_middelen_plus_more_chooses_all_and_says_what_is_left_out(chat, store):
    # 'allebei, plus een inloopavond en een schouw' was refused: 'Ik weet niet welke keuze'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Welke neem je over")
    options = len(chat.question.choices) - ("overslaan" in [c.value for c in chat.question.choices])
    text = await chat.say("allebei, plus een inloopavond en een schouw in het park")
    assert "'een inloopavond en een schouw in het park' staat niet bij deze keuzes" in text
    assert len(_data(store, chat)["middelen_gekozen"]) == options == 2


async def _to_the_workshop_date(chat: Chat) -> None:
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Hoe vaak stuur je deelnemers")
    assert "Welke activiteiten" not in chat.question.text
    await chat.say("terug")
    assert "Welke activiteiten" in chat.question.text, chat.text
    await chat.say("workshop")
    while "Op welke datum is de workshop" not in chat.question.text:
        await chat.say("overslaan")


async def test_a_weekday_with_a_vague_time_after_see_above_is_that_weekday(chat, store):
    # 'zie boven, zaterdagochtend eind maart' was stored as Tuesday 31 March, silently
    await _to_the_workshop_date(chat)
    text = await chat.say("zie boven, zaterdagochtend eind maart")
    assert "Bedoel je zaterdag 28 maart 2026?" in text


async def test_together_with_another_activity_asks_about_its_day(chat, store):
    await _to_the_workshop_date(chat)
    text = await chat.say("tegelijk met de bijeenkomst")
    assert "Bedoel je donderdag 12 maart 2026, de dag van de bijeenkomst?" in text
    await chat.say("ja")
    assert "kondig je de workshop aan" in chat.question.text, chat.text


async def test_yes_but_rather_another_date_takes_that_date(chat, store):
    # 'ja, maar liever eind augustus' at the proposed rapportage date stored the proposal
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "participatierapportage klaar")
    text = await chat.say("ja, maar liever eind augustus")
    assert "→ maandag 31 augustus 2026" in text
    assert _data(store, chat)["rapportage_datum"] == "2026-08-31"


async def test_a_middel_taken_over_is_asked_about_by_its_own_name(chat, store):
    # after choosing 'Klankbordgroep' the bot asked 'Op welke datum is de meedenkgroep?'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Welke neem je over")
    await chat.say("allebei")
    asked = []
    while "Welke activiteiten" not in chat.question.text and len(asked) < 20:
        asked.append(chat.question.text.split("\n")[0])
        await chat.say("weet ik nog niet" if "?" in asked[-1] else "overslaan")
    assert "Op welke datum is de klankbordgroep?" in asked, asked
    assert not [q for q in asked if "meedenkgroep" in q]


async def test_words_typed_with_the_kind_of_activity_are_proposed_as_its_description(chat, store):
    # 'schouw in het park met omwonenden, zaterdagochtend eind jan' chose buurtschouw, and then
    # 'Omschrijf de buurtschouw kort' had to be typed again
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Hoe vaak stuur je deelnemers")
    await chat.say("terug")
    typed = "schouw in het park met omwonenden,  zaterdagochtend eind maart"
    await chat.say(typed)
    question = chat.question.text
    assert "Omschrijf de buurtschouw kort" in question
    # the words as its description; the time they name at its date
    assert "Voorstel: schouw in het park met omwonenden." in question
    await chat.say("ja")
    assert "Op welke datum is de buurtschouw?" in chat.question.text
    assert "Voorstel: 28 maart 2026." in chat.question.text  # the last Saturday of March
    await chat.say("weet ik nog niet")
    while "Welke activiteiten" not in chat.question.text:
        await chat.say("overslaan")
    activity = _data(store, chat)["activiteiten"][-1]
    assert activity["omschrijving"] == "schouw in het park met omwonenden"
    await chat.say("inloopavond")
    assert "Voorstel" not in chat.question.text  # one word says nothing more than the kind


async def test_a_proposed_day_taken_is_read_back_with_its_weekday(chat):
    # '→ 28 maart 2026' after 'ja', where a day typed is read back as 'zaterdag 28 maart 2026'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Hoe vaak stuur je deelnemers")
    await chat.say("terug")
    await chat.say("schouw in het park, zaterdagochtend eind maart")
    await chat.say("ja")
    assert "Voorstel: 28 maart 2026." in chat.question.text
    assert "→ zaterdag 28 maart 2026" in await chat.say("ja")


@pytest.mark.parametrize(
    ("typed", "proposed"),
    [
        ("half mei na de meivakantie", "vrijdag 15 mei 2026"),  # was refused
        ("na de meivakantie, begin juni", "maandag 1 juni 2026"),  # was the day after it
    ],
)
async def test_a_day_named_beside_a_holiday_is_the_day_proposed(chat, store, typed, proposed):
    await _to_the_workshop_date(chat)
    text = await chat.say(typed)
    assert f"Bedoel je {proposed}?" in text


async def test_see_above_at_the_description_takes_the_words_typed_with_the_kind(chat, store):
    # 'zie boven' copied the description of the activity before ('Ontwerpavond ...') into a
    # newsletter typed as 'nieuwsbrief aan alle omwonenden'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Hoe vaak stuur je deelnemers")
    await chat.say("terug")
    await chat.say("nieuwsbrief aan alle omwonenden van het plein")
    assert "Omschrijf de informatiebrief of nieuwsbrief kort" in chat.question.text
    text = await chat.say("zie boven")
    assert "→ nieuwsbrief aan alle omwonenden van het plein" in text
    assert "Ontwerpavond" not in text


@pytest.mark.parametrize("typed", ["college denk ik, of toch de raad?", "college (of raad?)"])
async def test_an_option_with_a_second_thought_is_asked_about(chat, store, typed):
    # 'college denk ik, of toch de raad?' was stored as college without a word
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Wie beslist")
    text = await chat.say(typed)
    assert "Bedoel je college of raad?" in text
    assert "beslisser" not in _data(store, chat)
    await chat.say("raad")
    assert _data(store, chat)["beslisser"] == "raad"


async def test_a_yes_with_words_after_it_is_no_name_of_a_person(chat, store):
    # 'jawel, wel 30 ton' (an answer to another question) was stored as the contact person
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "contactpersoon (accounthouder)")
    text = await chat.say("jawel, wel 30 ton")
    assert "Ik zoek hier een naam, geen ja of nee." in text
    assert "accounthouder" not in _data(store, chat)
    await chat.say("Mirthe Voorbeeld")
    assert _data(store, chat)["accounthouder"] == "Mirthe Voorbeeld"


async def test_a_middel_named_in_the_plural_is_asked_about_by_its_kind(chat, store):
    # 'Op welke datum is de ontwerpsessies?' after choosing 'Ontwerpsessies'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Welk niveau")
    await chat.say("coproduceren")
    rest = LEIDEN[LEIDEN.index(("Welk niveau", "adviseren")) + 1 :]
    for fragment, answer in rest:
        if fragment == "Welke neem je over":
            break
        assert fragment.lower() in chat.question.text.lower(), (fragment, chat.text)
        await chat.say(answer)
    labels = [c.label for c in chat.question.choices]
    assert any(label.startswith("Ontwerpsessies") for label in labels), labels
    await chat.say("beide")
    assert "Op welke datum is de workshop?" in chat.question.text, chat.text


async def test_a_day_with_its_month_at_the_end_of_a_sentence_is_read(chat, store):
    # 'nee, tegelijk met de aankondiging daarvan dus 19 december' got 'Die datum kan ik niet
    # lezen'; 'na de raadsvergadering van 12 maart' is not 12 March itself
    await _to_the_workshop_date(chat)
    text = await chat.say("tegelijk met de aankondiging daarvan, dus 19 maart")
    assert "→ donderdag 19 maart 2026" in text


async def test_a_day_after_a_word_of_before_or_after_is_not_that_day(chat, store):
    await _to_the_workshop_date(chat)
    text = await chat.say("we doen het na de raadsvergadering van 12 maart")
    assert "12 maart 2026" not in text
    assert "Op welke datum is de workshop" in chat.question.text


@pytest.mark.parametrize("typed", ["opening met de kinderen", "opening met de kinderen, 5 juni"])
async def test_an_activity_of_no_listed_kind_is_anders_with_its_words_proposed(chat, store, typed):
    # 'opening met de kinderen, zaterdag 5 juni' got 'Die keuze ken ik niet' and the list of
    # eight kinds, although one of them is 'anders'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Hoe vaak stuur je deelnemers")
    await chat.say("terug")
    text = await chat.say(typed)
    assert "→ anders" in text and "Die keuze ken ik niet" not in text
    # the words as its description; a day they name is proposed at its date
    assert "Voorstel: opening met de kinderen." in chat.question.text
    await chat.say("ja")
    assert "Op welke datum is de opening met de kinderen?" in chat.question.text


@pytest.mark.parametrize("typed", ["elke 3 weken", "ja", "12 maart"])
async def test_an_answer_meant_for_another_question_is_no_activity_of_its_own(chat, typed):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Hoe vaak stuur je deelnemers")
    await chat.say("terug")
    text = await chat.say(typed)
    assert "→ anders" not in text
    assert "Welke activiteiten" in chat.question.text


async def test_the_same_as_someone_else_is_not_the_contact(chat, store):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Wat is je naam")
    await chat.say("zelfde als Sam")
    assert _data(store, chat).get("eigenaar_naam") != "Mirthe Voorbeeld"


async def test_an_email_address_is_no_name_of_a_person(chat, store):
    # 'directie@linde.example', typed one question late, became the name on the front page
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Wat is je naam")
    text = await chat.say("directie@linde.example")
    assert "Dat is een e-mailadres. Ik zoek hier een naam" in text
    assert "Wat is je naam" in chat.question.text
    assert "eigenaar_naam" not in _data(store, chat)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("workshop met de jongeren, 13 maart", "13 maart 2026"),
        ("schouw, zaterdag eind maart", "28 maart 2026"),
    ],
)
async def test_the_day_typed_with_the_kind_of_activity_is_proposed_at_its_date(
    chat, store, typed, day
):
    # 'online stemming over 3 ontwerpen, feb 2027': the time was typed, then asked for again
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Hoe vaak stuur je deelnemers")
    await chat.say("terug")
    await chat.say(typed)
    # the words as its description, without the day
    assert f"Voorstel: {typed.rpartition(',')[0]}." in chat.question.text
    await chat.say("ja")
    assert "Op welke datum is de" in chat.question.text
    assert f"Voorstel: {day}." in chat.question.text
    text = await chat.say("ja")
    assert day in text
