"""A Leiden initiatiefnemer of a cyclists' association, typing like a busy person (invented data):
answers that were refused or misread, now understood at their question in the real engine."""

from __future__ import annotations

import re

import pytest

from handreiking.documents import document_text
from tests.conftest import Chat
from tests.interviews import LEIDEN, answer_script, answer_until


def _data(store, chat: Chat) -> dict:
    return store.plans(owner=chat.identity)[-1].data


@pytest.mark.parametrize("typed", ["ja en nee", "nee en dat blijft zo"])
async def test_yes_and_no_joined_by_en_is_no_list_of_parties(chat, store, typed):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "veel partijen")
    text = await chat.say(typed)
    assert not text.startswith("→ ja (")
    assert _data(store, chat).get("veel_actoren") is not True


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
        ("NS; ProRail; de buren; de taxi's", "NS; ProRail; de buren; de taxi's"),
        (
            "- NS\n- ProRail\n- omwonenden stationsplein\n- de taxi's",
            "NS, ProRail, omwonenden stationsplein, de taxi's",
        ),
        # names joined by 'en' were refused: 'Antwoord met ja of nee'
        ("NS, ProRail, de taxi's en de buren", "NS, ProRail, de taxi's en de buren"),
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
        "veiligheid van fietsers, doorstroming van de bussen, ruimte voor terrassen, rust"
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
    if typed.startswith("ja, "):  # read as typed: nothing to echo
        assert "→" not in text
    else:
        assert f"→ ja ({typed})" in text
    assert "Met welke groepen of organisaties" in chat.question.text
    assert _data(store, chat)["omgeving_gesproken"] is True
    status = await chat.say("status")
    assert "nog niet gepraat" not in status
    summary = await chat.say("samenvatting")
    assert f"vaak komen?\n  ja ({typed.removeprefix('ja, ')})\n" in summary


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


async def _groups(chat: Chat, typed: str) -> None:
    """The Leiden interview up to its list of groups, where `typed` names them."""
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Welke groepen")
    await chat.say(typed)


@pytest.mark.parametrize(
    "same", ["zelfde als NS", "net als NS", "Hetzelfde als de NS.", "dezelfde rol als ns"]
)
async def test_same_as_an_earlier_group_takes_its_role(chat, store, same):
    # 'zelfde als NS' at 'Welke rol heeft 'ProRail'?' got 'Die keuze ken ik niet'
    await _groups(chat, "NS, ProRail, omwonenden, ondernemers stationsplein")
    await chat.say("adviseur")
    await chat.say("veilige fietsroute naar het station")
    assert "Welke rol heeft 'ProRail'?" in chat.question.text
    text = await chat.say(same)
    assert "ken ik niet" not in text and "→ adviseur" in text
    assert "Wat is het belang van 'ProRail'?" in chat.question.text
    text = await chat.say("zelfde als NS")  # an open field: NS's text
    assert "→ veilige fietsroute naar het station" in text
    assert "Welke rol heeft 'omwonenden'?" in chat.question.text
    for said in ("co-producent", "rust en minder fietsen op de stoep"):
        await chat.say(said)
    text = await chat.say("hetzelfde als de vorige")
    assert "→ co-producent" in text
    await chat.say("klaar")  # the belang of the fourth group, left out
    groups = {b["naam"]: b for b in _data(store, chat)["belanghebbenden"]}
    assert groups["ProRail"]["rol"] == "adviseur"
    assert groups["ProRail"]["belang"] == "veilige fietsroute naar het station"


async def test_same_as_a_group_with_nothing_there_says_so_and_asks_again(chat, store):
    await _groups(chat, "NS, ProRail, de omwonenden")
    await chat.say("adviseur")
    await chat.say("overslaan")  # no belang for NS
    await chat.say("hetzelfde als de NS")
    text = await chat.say("zelfde als NS")
    assert "Bij 'NS' is dit nog niet ingevuld. Schrijf het antwoord hier zelf." in text
    assert "Wat is het belang van 'ProRail'?" in chat.question.text
    await chat.say("overslaan")
    text = await chat.say("net als prorial")  # typed roughly: ProRail's role
    assert "→ adviseur" in text
    text = await chat.say("zelfde als de gemeente")  # no group of that name: kept as typed
    assert "Welke groepen" in chat.question.text
    omwonenden = _data(store, chat)["belanghebbenden"][-1]
    assert omwonenden == {
        "naam": "de omwonenden",
        "rol": "adviseur",
        "belang": "zelfde als de gemeente",
    }


async def test_same_as_a_name_two_groups_share_asks_which_one(chat):
    await _groups(chat, "ondernemers stationsplein, ondernemers binnenstad, winkeliers")
    for said in ("adviseur", "overslaan", "wordt geraadpleegd", "overslaan"):
        await chat.say(said)
    text = await chat.say("zelfde als de ondernemers")
    assert "Die naam past bij meer dan één in de lijst: 'ondernemers stationsplein', " in text
    assert "Welke rol heeft 'winkeliers'?" in chat.question.text
    text = await chat.say("zelfde als ondernemers binnenstad")
    assert "→ wordt geraadpleegd" in text


async def test_same_as_an_earlier_activity_by_its_description_takes_its_place(chat, store):
    await chat.start(gemeente="leiden")
    second = LEIDEN.index(("Welke activiteiten", "online inbreng"))
    await answer_script(chat, LEIDEN[:second])
    for said in ("workshop", "fietsroutes tekenen", "19 maart 2026", "ja"):
        await chat.say(said)
    assert "Waar is de workshop" in chat.question.text
    text = await chat.say("zelfde als bij de ontwerpavond")
    assert "→ Buurthuis De Linde" in text
    item = store.state(chat.identity, store.plans(owner=chat.identity)[-1].id)["item"]
    assert item["data"]["plaats"] == "Buurthuis De Linde"


@pytest.mark.parametrize(
    ("typed", "role", "front"),
    [
        ("Ruud (secretaris)", "secretaris van de afdeling", "Ruud (secretaris van de afdeling)"),
        ("Ruud (secretaris)", "ja", "Ruud (secretaris)"),
        ("Ruud, secretaris", "ja", "Ruud (secretaris)"),
    ],
)
async def test_a_remark_after_the_owners_name_is_not_the_name_and_is_proposed_as_the_role(
    chat, store, typed, role, front
):
    # 'Ruud (secretaris)' was the name: 'Opgesteld door: Ruud (secretaris) (secretaris van ...)'
    script = [(q, typed if q == "Wat is je naam" else a) for q, a in LEIDEN]
    script = [(q, role if q == "rol bij deze opgave" else a) for q, a in script]
    await chat.start(gemeente="leiden")
    await answer_until(chat, script, "rol bij deze opgave")
    assert "→ Ruud\n" in chat.text
    # it said the remark stayed out of the documents, then proposed it as the role
    assert "Je opmerking ‘secretaris’ stel ik zo voor bij de volgende vraag." in chat.text
    assert "niet je opmerking" not in chat.text
    assert "Voorstel: secretaris." in chat.question.text
    await answer_script(chat, script[script.index(("rol bij deze opgave", role)) :])
    await chat.say("ja")
    doc = next(r for r in chat.replies if r.kind == "done").documents[0]
    text = document_text(doc)
    assert f"Opgesteld door\t{front}\n" in text
    assert "Ruud (secretaris) (" not in text
    assert _data(store, chat)["eigenaar_naam"] == "Ruud"


@pytest.mark.parametrize("typed", ["Anna (Annie) Jansen", "Jansen, Ruud", "R. de Vries"])
async def test_a_persons_name_with_brackets_or_a_comma_of_its_own_is_kept_whole(chat, store, typed):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Wat is je naam")
    text = await chat.say(typed)
    assert "opmerking" not in text and "Voorstel" not in chat.question.text
    assert _data(store, chat)["eigenaar_naam"] == typed


async def test_the_plan_says_the_parties_and_the_little_talk_as_they_were_typed(chat):
    talked = "een beetje, met de bloemenkraam en twee buren"
    answers = {"veel partijen": PARTIES, "Heb je daar al gepraat": talked}
    script = [(q, answers.get(q, a)) for q, a in LEIDEN]
    await chat.start(gemeente="leiden")
    await answer_script(chat, script)
    await chat.say("ja")
    doc = next(r for r in chat.replies if r.kind == "done").documents[0]
    text = " ".join(document_text(doc).split())
    assert f"er zijn veel partijen bij betrokken ({PARTIES})" in text
    assert f"We hebben gepraat met mensen die er wonen, werken of vaak komen ({talked})." in text
    assert "nog niet gepraat" not in text


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (
            "wij als fietsersbond afdeling leiden samen met de gemeente",
            "maatschappelijke organisatie",
        ),
        ("de fietsersbond samen met de gemeente", "maatschappelijke organisatie"),
        ("wij als buurtvereniging, met hulp van de gemeente", "maatschappelijke organisatie"),
        ("onze energiecoöperatie i.s.m. de gemeente", "maatschappelijke organisatie"),
        ("wij als wijkraad", "maatschappelijke organisatie"),
        ("buurtbewoners samen met de gemeente", "inwoners"),
        ("wij als bewonersgroep en de school", "inwoners"),
    ],
)
async def test_who_takes_the_initiative_is_the_one_who_speaks_or_leads(chat, store, typed, meant):
    # 'wij als fietsersbond afdeling leiden samen met de gemeente' was read as 'gemeente'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Wie neemt het initiatief")
    text = await chat.say(typed)
    assert f"→ {meant}" in text
    assert "naam van de initiatiefnemer" in chat.question.text
    assert _data(store, chat)["initiatiefnemer_type"] == meant


async def test_a_leader_that_is_no_option_is_asked_about_not_read_as_the_other(chat, store):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Wie neemt het initiatief")
    text = await chat.say("wij als Fietsvrienden Oost, samen met de gemeente")
    assert "Welke keuze past bij 'Fietsvrienden Oost'?" in text
    assert "Wie neemt het initiatief" in chat.question.text
    assert "initiatiefnemer_type" not in _data(store, chat)
    text = await chat.say("wij als ouders van de school")  # both: asked, never guessed
    assert "Bedoel je inwoners of maatschappelijke organisatie?" in text
    await chat.say("1")
    assert _data(store, chat)["initiatiefnemer_type"] == "inwoners"


async def test_the_advisor_reads_the_parties_beside_the_yes(engine, settings, store):
    import html as html_lib

    from tests.review_helpers import client, read_eml, review_link

    owner = Chat(engine, "console:fietsersbond")
    script = [(q, PARTIES if q == "veel partijen" else a) for q, a in LEIDEN]
    await owner.start(gemeente="leiden")
    await answer_script(owner, script)
    await owner.say("ja")
    await owner.say("indienen")
    link = review_link(read_eml(re.search(r"\S+\.eml", owner.text).group()))
    async with client(settings, store) as web:
        page = html_lib.unescape((await web.get(link)).text)
    assert f"ja ({PARTIES})" in page


@pytest.mark.parametrize("typed", ["NS en ProRail", "de buurt, de school en de gemeente"])
async def test_two_or_three_parties_are_asked_about_not_taken_for_many(chat, store, typed):
    # a playground's 'de buurt, de school en de gemeente' was taken for 'veel partijen', which
    # made the opgave complex (a planomschrijving, more questions)
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "veel partijen")
    text = await chat.say(typed)
    n = 2 if " en " in typed and "," not in typed else 3
    assert f"Je noemt er {n}. Zijn dat er veel, voor deze opgave?" in text
    assert "→ nee" in await chat.say("nee")
    data = _data(store, chat)
    assert data["veel_actoren"] is False
    assert data["opmerkingen"]["veel_actoren"] == typed  # the names stay beside the answer
    assert "veel verschillende belangen" in chat.question.text


async def test_idem_as_a_new_groups_name_is_asked_again_not_added(chat, store):
    # 'idem' where the next group's name is asked was added as a group called 'idem'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Welke groepen")
    for said in ("omwonenden", "co-producent", "overslaan"):
        await chat.say(said)
    text = await chat.say("idem")
    assert "'idem' zegt daar niets" in text
    assert "Welke groepen hebben belang" in chat.question.text
    names = [b["naam"] for b in _data(store, chat)["belanghebbenden"]]
    assert "idem" not in names and names.count("omwonenden") == 1


async def test_the_contact_person_as_oneself_is_asked_by_name(chat, store):
    # 'ben ik zelf' at 'Wie is je contactpersoon?' was stored as the contact's name
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "contactpersoon (accounthouder)")
    text = await chat.say("ben ik zelf")
    assert "Typ de naam zelf, ook als het je eigen naam is" in text
    assert "contactpersoon (accounthouder)" in chat.question.text
    assert "contactpersoon" not in _data(store, chat)


async def test_see_above_before_a_pasted_list_of_groups_is_no_part_of_a_name(chat, store):
    # 'zie boven: winkeliers, bewoners' made a group called 'zie boven: winkeliers'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Welke groepen")
    text = await chat.say("zie boven: winkeliers, bewoners")
    assert "Welke rol heeft 'winkeliers'?" in text
    names = [b["naam"] for b in _data(store, chat)["belanghebbenden"]]
    assert not any("zie boven" in n for n in names)


@pytest.mark.parametrize("see", ["zie NS", "zie bij de NS", "zie ook ns"])
async def test_see_an_earlier_group_takes_its_answer(chat, store, see):
    # 'zie jongeren' at the belang of the skatevereniging went into the plan as 'Zie jongeren'
    await _groups(chat, "NS, ProRail, omwonenden")
    await chat.say("adviseur")
    await chat.say("veilige fietsroute naar het station")
    await chat.say("co-producent")
    text = await chat.say(see)
    assert "→ veilige fietsroute naar het station" in text
    await chat.say("wordt geïnformeerd")
    text = await chat.say("zie website")  # no group of that name: kept as typed
    groups = {b["naam"]: b for b in _data(store, chat)["belanghebbenden"]}
    assert groups["ProRail"]["belang"] == "veilige fietsroute naar het station"
    assert groups["omwonenden"]["belang"] == "zie website"


@pytest.mark.parametrize("typed", ["ouderraad, buurtvereniging, wijkagent", "met de buren"])
async def test_who_was_talked_with_means_yes(chat, store, typed):
    # 'ouderraad, buurtvereniging, wijkagent' got 'Antwoord met ja of nee'
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Heb je daar al gepraat")
    text = await chat.say(typed)
    assert f"→ ja ({typed})" in text
    assert _data(store, chat)["omgeving_gesproken"] is True


async def test_naming_nobody_is_no_yes(chat, store):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Heb je daar al gepraat")
    text = await chat.say("nee, nog niemand, ook de school niet")
    assert "→ ja" not in text
