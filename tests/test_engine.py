"""The interview engine as a person meets it: questions, answers, commands, findings, documents."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from bot.app import build_engine
from bot.settings import Settings
from bot.storage import Store
from handreiking.documents import document_text
from tests.conftest import NOW, Chat
from tests.interviews import HEEMSTEDE, HEERLEN, LEIDEN, answer_from, answer_until

SCRIPTS = {"leiden": LEIDEN, "heemstede": HEEMSTEDE, "heerlen": HEERLEN}
# answers that are choices, commands or get reformatted; checked separately where it matters
NOT_LITERAL = {"ja", "nee", "klaar", "overslaan", "weet ik nog niet", "1, 4"}


async def run_script(chat: Chat, script, gemeente: str) -> str:
    await chat.start(gemeente=gemeente)
    chat.free_text = []  # answers typed at a text question: they must show literally
    for fragment, answer in script:
        assert fragment.lower() in chat.question.text.lower(), (fragment, chat.text)
        if chat.question.input in ("text", "long_text", "list:text") and answer not in NOT_LITERAL:
            chat.free_text.append(answer)
        await chat.say(answer)
    return chat.text


def plan_of(store: Store, identity: str = "console:tester"):
    plans = store.plans(owner=identity)
    assert plans
    return plans[-1]


@pytest.mark.parametrize("gemeente", SCRIPTS)
async def test_whole_interview_writes_documents_holding_every_answer(chat, store, gemeente):
    text = await run_script(chat, SCRIPTS[gemeente], gemeente)
    assert "Klopt alles?" in text
    await chat.say("ja")
    done = [r for r in chat.replies if r.kind == "done"]
    assert done and done[0].documents
    names = {p.name for p in done[0].documents}
    assert "participatieplan.docx" in names
    all_text = "\n".join(document_text(p) for p in done[0].documents)
    assert len(chat.free_text) > 15
    for answer in chat.free_text:
        for line in answer.split("\n"):
            assert line in all_text, line
    assert plan_of(store).status == "compleet"


async def test_complex_opgave_gets_planomschrijving_and_simple_does_not(chat):
    await run_script(chat, LEIDEN, "leiden")
    await chat.say("ja")
    docs = next(r for r in chat.replies if r.kind == "done").documents
    assert {p.name for p in docs} == {"participatieplan.docx", "planomschrijving.docx"}
    omschrijving = document_text(next(p for p in docs if p.name == "planomschrijving.docx"))
    assert "Een koeler en groener plein waar buren elkaar ontmoeten." in omschrijving

    other = Chat(chat.engine, "console:ander")
    await run_script(other, HEERLEN, "heerlen")
    await other.say("ja")
    docs = next(r for r in other.replies if r.kind == "done").documents
    assert [p.name for p in docs] == ["participatieplan.docx"]


async def test_documents_show_dutch_dates_amounts_and_estimates(chat):
    await run_script(chat, LEIDEN, "leiden")
    await chat.say("ja")
    doc = next(r for r in chat.replies if r.kind == "done").documents[0]
    text = document_text(doc).replace("\xa0", " ")
    assert "12 maart 2026" in text  # typed '12 maart 2026'
    assert "1 oktober 2026" in text  # besluitdatum
    assert "€ 1.500,50" in text  # typed '€ 1.500,50'
    assert "ca. € 1.000 – € 2.000" in text  # typed '1000-2000'
    assert "ca. 20" in text  # typed 'ca. 20'
    # proposed aankondiging, accepted with 'ja': 3 weeks before is 19 February, in the
    # voorjaarsvakantie; the Friday before it
    assert "13 februari 2026" in text


async def test_a_remark_after_the_initiatiefnemers_name_stays_out_of_the_documents(chat, store):
    # the remark was kept as the name: 'Stichting Brinkspel (wij zijn met 4 buren)' in the plan
    said = "Stichting Brinkspel (wij zijn met 4 buren)"
    script = [(q, said if q == "naam van de initiatiefnemer" else a) for q, a in LEIDEN]
    await run_script(chat, script[:3], "leiden")
    assert "→ Stichting Brinkspel\nAlleen de naam komt in je documenten, niet je opmerking" in (
        chat.text
    )
    assert "‘wij zijn met 4 buren’" in chat.text
    await answer_from(chat, script, "Wie beslist")
    await chat.say("ja")
    doc = next(r for r in chat.replies if r.kind == "done").documents[0]
    text = document_text(doc)
    assert "Stichting Brinkspel" in text and "wij zijn met 4 buren" not in text
    assert plan_of(store).data["belanghebbenden"][0]["naam"] == "Stichting Brinkspel"


async def _to_the_groups(chat: Chat) -> None:
    """The Leiden interview up to its list of groups (belanghebbenden)."""
    groups = ("Welke groepen", "Omwonenden Lindenplein\nOndernemers Lindenstraat")
    await run_script(chat, LEIDEN[: LEIDEN.index(groups)], "leiden")


async def test_quickscan_prefills_known_roles_in_belanghebbenden(chat):
    await _to_the_groups(chat)
    assert "Ik heb alvast toegevoegd: Team Openbare Ruimte (proceseigenaar)" in chat.text
    assert "College van B&W (beslisser)" in chat.text
    labels = [c.label for c in chat.question.choices]
    assert "omwonenden" in labels and "jongeren" in labels


async def test_in_english_the_beslisser_filled_in_and_a_suggested_group_read_in_english(
    chat, store
):
    # 'I already added: ..., College van B&W (decision maker)', and 'jongeren (adviser)'
    await english_until(chat, "Welke groepen", LEIDEN, "leiden")
    assert "I already added: Team Openbare Ruimte (process owner), Municipal executive" in (
        chat.text
    )
    assert "2. Municipal executive (decision maker)" in chat.question.text
    assert "jongeren" in [c.value for c in chat.question.choices]
    await chat.say("jongeren")  # the button 'young people'
    await chat.say("adviser")
    await chat.say("skip")
    assert "3. young people (adviser)" in chat.question.text
    await chat.say("done")
    summary = await chat.say("summary")
    assert "2. Municipal executive · role: decision maker" in summary
    assert "3. young people · role: adviser" in summary
    # stored, and in the documents, as the gemeente names it
    names = [b["naam"] for b in plan_of(store).data["belanghebbenden"]]
    assert names == ["Team Openbare Ruimte", "College van B&W", "jongeren"]


async def test_a_suggested_group_goes_once_a_group_of_its_kind_is_listed(chat):
    await _to_the_groups(chat)
    await chat.say("basisschool De Linde\nBuurtbewoners Lindenplein\nWinkeliers Lindenstraat")
    for _ in range(12):  # the role and the belang of each
        if "Welke groepen" in chat.question.text:
            break
        await chat.say("adviseur" if "Welke rol" in chat.question.text else "overslaan")
    assert "Welke groepen" in chat.question.text, chat.text
    labels = [c.label for c in chat.question.choices]
    for same_kind in ("scholen", "omwonenden", "ondernemers in de buurt"):
        assert same_kind not in labels, same_kind
    assert "jongeren" in labels and "ouderen" in labels and "woningcorporatie" in labels
    assert "wijkvereniging of bewonersorganisatie" in labels  # 'Buurtbewoners' is not one


async def test_pasted_list_becomes_several_items_each_asked_for_its_role(chat, store):
    await _to_the_groups(chat)
    await chat.say("- Buurtbewoners\n- Winkeliers\n- Scholen")
    assert "3 groepen" in chat.text
    assert "Welke rol heeft 'Buurtbewoners'?" in chat.question.text
    for answer in ["adviseur", "overslaan", "geinformeerd", "overslaan", "geraadpleegd", "Leren"]:
        await chat.say(answer)
    names = [(b["naam"], b["rol"]) for b in plan_of(store).data["belanghebbenden"]]
    assert names[-3:] == [
        ("Buurtbewoners", "adviseur"),
        ("Winkeliers", "wordt geïnformeerd"),
        ("Scholen", "wordt geraadpleegd"),
    ]
    assert "Tot nu toe:" in chat.question.text


async def test_groups_typed_on_one_line_are_each_asked_for(chat, store):
    await _to_the_groups(chat)
    await chat.say("buren, de school en winkeliers")
    assert "3 groepen genoteerd: 3. buren, 4. de school, 5. winkeliers" in chat.text
    assert "Welke rol heeft 'buren'?" in chat.question.text


async def test_a_group_named_again_is_not_added_twice(chat, store):
    await _to_the_groups(chat)
    before = len(plan_of(store).data["belanghebbenden"])
    await chat.say("college van b&w")
    assert "Die staat al in de lijst" in chat.text and "College van B&W" in chat.text
    assert "Welke groepen" in chat.question.text
    await chat.say("- Buurtbewoners\n- College van B&W.\n- buurtbewoners")
    assert "Die staat al in de lijst" in chat.text
    assert "Welke rol heeft 'Buurtbewoners'?" in chat.question.text
    await chat.say("adviseur")
    await chat.say("overslaan")
    assert "Tot nu toe:" in chat.question.text
    names = [b["naam"] for b in plan_of(store).data["belanghebbenden"]]
    assert len(names) == before + 1 and names[-1] == "Buurtbewoners"
    assert names.count("College van B&W") == 1


async def test_every_answer_is_stored_the_moment_it_is_given(chat, engine, store, settings):
    await chat.start(gemeente="leiden")
    await chat.say("Fietsenstalling Stationsplein")
    await chat.say("gemeente")
    # a new engine on the same database: as after a killed process
    fresh = build_engine(Store(settings.db_url, clock=settings.clock), settings)
    replies = await fresh.start("console:tester")
    text = "\n".join(r.text for r in replies)
    assert "Welkom terug" in text and "Fietsenstalling Stationsplein" in text
    assert "naam van de initiatiefnemer" in replies[-1].text
    assert plan_of(store).data["initiatiefnemer_type"] == "gemeente"


async def test_gemeente_is_asked_when_not_given(chat, store):
    await chat.start()
    await chat.say("Bomen in de Dorpsstraat")
    assert "In welke gemeente" in chat.question.text
    assert "Heemstede" in [c.label for c in chat.question.choices]
    await chat.say("heemstede")
    assert plan_of(store).data["gemeente"] == "heemstede"


async def test_the_other_gemeente_reads_in_english(chat, store):
    # in English the choice still said 'Andere gemeente'
    await chat.start()
    await chat.say("language en")
    await chat.say("Trees in the Dorpsstraat")
    labels = [c.label for c in chat.question.choices]
    assert "Other municipality" in labels and "Andere gemeente" not in labels
    assert "Heemstede" in labels
    await chat.say("other municipality")
    assert plan_of(store).data["gemeente"] == "standaard"  # the stored value stays
    assert "What is your municipality called?" in chat.question.text


# ---------------------------------------------------------------- question types and bad input


BAD_DATES = ["", "   ", "31-2-2026", "abc", "\x00\x07", "{{ x }}", "<w:t>", "🎉", "x" * 100_000]


@pytest.mark.parametrize("bad", BAD_DATES)
async def test_bad_date_gets_one_dutch_message_and_the_same_question(chat, store, bad):
    await run_script(
        chat, HEERLEN[: HEERLEN.index(("besluit over de opgave", "1 juni 2026"))], "heerlen"
    )
    assert "besluit over de opgave" in chat.question.text
    before = dict(plan_of(store).data)
    await chat.say(bad)
    errors = [r for r in chat.replies if r.kind == "error"]
    assert len(errors) == 1
    assert "bijvoorbeeld" in errors[0].text.lower() or "antwoord" in errors[0].text.lower()
    assert "besluit over de opgave" in chat.question.text
    assert plan_of(store).data == before


@pytest.mark.parametrize(
    ("answer", "stored"),
    [
        ("€ 1.500,50", {"min": 1500.5, "max": None, "schatting": False}),
        ("1500", {"min": 1500.0, "max": None, "schatting": False}),
        ("1000-2000", {"min": 1000.0, "max": 2000.0, "schatting": True}),
        ("weet ik nog niet", None),
    ],
)
async def test_money_answers(chat, store, answer, stored):
    script = HEERLEN[: HEERLEN.index(("Wat kost de enquête", "ongeveer 300"))]
    await run_script(chat, script, "heerlen")
    await chat.say(answer)
    assert "ander niveau" in chat.question.text
    await chat.say("overslaan")
    activiteit = plan_of(store).data["activiteiten"][-1]
    assert activiteit.get("kosten") == stored


async def test_bad_money_and_email_are_asked_again(chat, store):
    await chat.start(gemeente="heerlen")
    for answer in HEERLEN[:5]:
        await chat.say(answer[1])
    assert "e-mailadres van je contactpersoon" in chat.question.text
    await chat.say("jory at example")
    assert [r.kind for r in chat.replies].count("error") == 1
    assert "e-mailadres van je contactpersoon" in chat.question.text
    await chat.say("Jory@Example.org")
    assert plan_of(store).data["accounthouder_email"].endswith("@example.org")


async def test_yes_no_and_choice_accept_buttons_numbers_and_words(chat, store):
    await chat.start(gemeente="leiden")
    await chat.say("Parkeerplan Oost")
    q = chat.question
    assert q.input == "choice" and [c.value for c in q.choices][:2] == ["1", "2"]
    await chat.say("2")  # the second button: inwoners
    assert plan_of(store).data["initiatiefnemer_type"] == "inwoners"
    await chat.say("Bewonersgroep Oost")
    await chat.say("RAAD")
    assert chat.question.input == "yesno"
    await chat.say("blauw")  # neither yes nor no; "misschien" is open
    assert [r.kind for r in chat.replies].count("error") == 1
    await chat.say("j")
    assert plan_of(store).data["grote_wijziging"] is True


async def test_hostile_text_is_stored_and_rendered_literally(chat, store):
    hostile = "{{ titel }} {% if %} <w:p> & \x07 🎉 " + "x" * 1000
    await chat.start(gemeente="heerlen")
    await chat.say(hostile)
    assert plan_of(store).data["titel"] == hostile.strip()
    assert chat.question.input == "choice"


# ---------------------------------------------------------------- commands


async def test_help_says_why_with_its_source(chat):
    await chat.start(gemeente="leiden")
    await chat.say("hulp")
    assert "Waarom vragen we dit?" in chat.text
    assert (
        "Bron: Uitwerking participatiebeleid van Heemstede (2021), onderdeel ‘Quickscan’"
        in chat.text
    )
    assert "seed" not in chat.text
    assert "Hoe heet je opgave" in chat.question.text
    await chat.say("/help")
    assert "Waarom vragen we dit?" in chat.text


async def test_in_english_help_and_a_finding_name_their_source_in_english(chat):
    # 'Source: Checklist participatie van Leiden (2023), onderdeel ‘Ken je omgeving’'
    await english_until(chat, "Heb je daar al gepraat", LEIDEN, "leiden")
    await chat.say("help")
    assert (
        "Source: Checklist participatie, municipality of Leiden (2023), section ‘Ken je omgeving’"
        in chat.text
    )
    await chat.say("no")
    assert (
        "Source: Checklist participatie (handreiking samenwerken in de stad), municipality of"
        " Leiden (2023), section ‘Ken je omgeving’: https://www.leiden.nl/participatie" in chat.text
    )
    assert "onderdeel" not in chat.text and "gemeente Leiden" not in chat.text
    # in Dutch as before
    await chat.say("taal nl")
    await chat.say("terug")
    await chat.say("hulp")
    assert "Bron: Checklist participatie van Leiden (2023), onderdeel ‘Ken je omgeving’" in (
        chat.text
    )


async def test_back_asks_the_previous_question_with_its_answer(chat, store):
    await chat.start(gemeente="leiden")
    await chat.say("Speelplek Noord")
    await chat.say("terug")
    assert "Hoe heet je opgave" in chat.question.text
    assert "Je antwoord was: Speelplek Noord" in chat.question.text
    await chat.say("Speelplek Zuid")
    assert plan_of(store).data["titel"] == "Speelplek Zuid"
    assert "Wie neemt het initiatief" in chat.question.text


async def test_skip_only_optional_questions(chat, store):
    await chat.start(gemeente="heerlen")
    await chat.say("overslaan")
    assert "kun je niet overslaan" in chat.text
    assert "Hoe heet je opgave" in chat.question.text
    for _, answer in HEERLEN[:4]:
        await chat.say(answer)
    assert "accounthouder" in chat.question.text
    await chat.say("skip")
    assert "Overgeslagen" in chat.text
    assert "herinneringen" in chat.question.text


async def test_edit_changes_an_earlier_answer_then_returns(chat, store):
    await run_script(chat, HEERLEN, "heerlen")
    assert "Klopt alles?" in chat.text
    await chat.say("wijzig")
    assert "Welk antwoord wil je wijzigen?" in chat.text
    await chat.say("1")
    assert "Hoe heet je opgave" in chat.question.text
    await chat.say("Ontmoetingsplek Kerkplein")
    assert "Klopt alles?" in chat.text  # back to the summary
    assert "Ontmoetingsplek Kerkplein" in chat.text
    assert plan_of(store).data["titel"] == "Ontmoetingsplek Kerkplein"


async def test_status_and_summary(chat):
    await run_script(chat, LEIDEN[:10], "leiden")
    await chat.say("status")
    assert "10 van ongeveer" in chat.text or "11 van ongeveer" in chat.text
    await chat.say("samenvatting")
    assert "Herinrichting Lindenplein" in chat.text and "\nQuickscan:\n" in chat.text
    assert "==" not in chat.text  # a plain heading: markup showed as typed in the chats
    assert "Wat is je naam" in chat.question.text  # and the question again


async def test_pause_keeps_everything(chat, store):
    await run_script(chat, LEIDEN[:3], "leiden")
    await chat.say("pauze")
    assert any(r.kind == "pause" for r in chat.replies)
    await chat.start()
    assert "Wie beslist" in chat.question.text


async def test_restart_asks_for_confirmation_first(chat, store):
    await run_script(chat, LEIDEN[:3], "leiden")
    await chat.say("opnieuw")
    assert "Weet je zeker" in chat.text
    await chat.say("nee")
    assert "Wie beslist" in chat.question.text
    assert plan_of(store).data["titel"] == "Herinrichting Lindenplein"
    await chat.say("opnieuw")
    await chat.say("ja")
    assert "Hoe heet je opgave" in chat.question.text
    assert "titel" not in plan_of(store).data
    assert plan_of(store).data["gemeente"] == "leiden"


async def test_plans_and_new_switch_between_plans(chat, store):
    await run_script(chat, LEIDEN[:2], "leiden")
    await chat.say("nieuw")
    assert "nieuw plan" in chat.text
    await chat.say("Tweede plan")
    assert len(store.plans(owner="console:tester")) == 2
    await chat.say("plannen")
    assert "Herinrichting Lindenplein" in chat.text and "Tweede plan" in chat.text
    await chat.say("1")
    assert "Je werkt nu aan 'Herinrichting Lindenplein'" in chat.text
    assert "naam van de initiatiefnemer" in chat.question.text
    await chat.say("Team Stad")
    first, second = store.plans(owner="console:tester")
    assert first.data["initiatiefnemer"] == "Team Stad"
    assert "initiatiefnemer" not in second.data


async def test_language_switch(chat):
    # an expat met only Dutch until they guessed the command
    assert "In English? Type 'language en'." in await chat.start(gemeente="leiden")
    await chat.say("taal en")
    assert "We continue in English." in chat.text
    assert "What is your project or initiative called?" in chat.question.text
    await chat.say("language nl")
    assert "Hoe heet je opgave" in chat.question.text


async def test_klaar_in_a_list_is_an_answer_and_commands_with_text_are_answers(chat, store):
    await chat.start(gemeente="leiden")
    await chat.say("status update")  # not exactly the command word: an answer
    assert plan_of(store).data["titel"] == "status update"


async def test_klaar_at_an_open_question_that_is_no_list_is_asked_again(chat, store):
    # 'klaar' at 'Hoe betrek je jongeren?' was kept as the answer
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "jongeren")
    for said in ("klaar", "klaar ermee", "done"):
        await chat.say(said)
        assert [r.text for r in chat.replies if r.kind == "error"] == [
            f"'{said}' is hier geen antwoord: deze vraag wil een korte beschrijving in je eigen"
            " woorden. Schrijf op wat je er nu van weet, al is het maar een zin. Je kunt het"
            " later nog wijzigen."
        ]
        assert chat.question.text == "Hoe betrek je jongeren?"
        assert "inclusie_jongeren" not in plan_of(store).data
    await answer_from(chat, LEIDEN, "jongeren")
    assert plan_of(store).data["inclusie_jongeren"] == "Via de basisschool en het jongerenwerk."


async def test_klaar_where_not_knowing_may_stay_open_says_so(chat, store):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "taalbarrières")
    await chat.say("klaar hoor")
    assert "Weet je het nog niet? Typ 'weet ik nog niet'." in chat.text
    assert "taalbarrières" in chat.question.text
    await chat.say("weet ik nog niet")
    assert "besluit over de opgave" in chat.question.text
    # in a list 'klaar ermee' ends it, as 'klaar' does
    await chat.say("language en")
    await chat.say("1 October 2026")
    await chat.say("skip")
    await chat.say("meeting")
    for _ in range(7):
        await chat.say("skip")
    assert "Which activities do you plan?" in chat.question.text
    await chat.say("klaar ermee")
    assert "klaar ermee" not in str(plan_of(store).data["activiteiten"])
    assert "Which activities do you plan?" not in chat.question.text


async def test_a_gemeente_without_rules_here_is_kept_by_its_name(chat, engine, store):
    await chat.start()
    await chat.say("Speeltuin Parkstraat")
    await chat.say("gemeente haarlem")  # was 'Die keuze ken ik niet'
    assert "Voor Haarlem heb ik geen eigen regels" in chat.text
    assert "Wie neemt het initiatief" in chat.question.text
    data = plan_of(store).data
    assert (data["gemeente"], data["gemeente_naam"]) == ("standaard", "Haarlem")
    assert "Haarlem" in await chat.say("samenvatting")

    other = Chat(engine, "console:ander")
    await other.start()
    await other.say("Bankjes Dorpsplein")
    await other.say("Andere gemeente")
    assert "Hoe heet je gemeente?" in other.question.text
    await other.say("Alphen aan den Rijn")
    assert plan_of(store, "console:ander").data["gemeente_naam"] == "Alphen aan den Rijn"


async def test_the_summary_names_a_gemeente_without_rules_here_once(chat, engine):
    # 'Zwolle' typed at the gemeente: the summary listed it twice, the second time under
    # 'Hoe heet je gemeente?', a question that was never asked
    await chat.start()
    await chat.say("Speelveld achter de Brink")
    await chat.say("Zwolle")
    summary = await chat.say("samenvatting")
    assert summary.count("Zwolle") == 1, summary
    assert "Hoe heet je gemeente" not in summary
    other = Chat(engine, "console:ander")
    await other.start()
    await other.say("Bankjes Dorpsplein")
    await other.say("Andere gemeente")
    await other.say("Amersfoort")
    summary = await other.say("samenvatting")
    assert summary.count("Amersfoort") == 1, summary


async def test_the_summary_names_each_answer_by_its_short_question(chat):
    # on a phone the summary ran to screens of instructions: '(mag je overslaan)', 'Noem er
    # een, of plak een lijst (één per regel). Typ klaar ...' before every answer
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "jongeren")
    summary = await chat.say("samenvatting")
    assert "• Welke groepen hebben belang bij de opgave?\n" in summary
    assert "(mag je overslaan)" not in summary
    assert "plak een lijst" not in summary
    assert "eigenaar@example.org" in summary


async def test_commands_said_the_way_people_say_them(chat, store):
    await chat.start(gemeente="leiden")
    await chat.say("Speeltuin Parkstraat")
    assert "Wie neemt het initiatief" in chat.question.text
    await chat.say("Oeps, ga terug")
    assert "Hoe heet je opgave" in chat.question.text and "Speeltuin Parkstraat" in chat.text
    await chat.say("Speeltuin Parkstraat-Zuid")
    await chat.say("ik ga later verder")
    assert "Alles is bewaard" in chat.text
    assert plan_of(store).data["titel"] == "Speeltuin Parkstraat-Zuid"
    # at a list, 'stop' ends the list, as 'klaar' does
    other = Chat(chat.engine, "console:lijst")
    await _to_the_groups(other)
    await other.say("stop")
    assert "Alles is bewaard" not in other.text and "jongeren" in other.question.text
    # a whole message only: with more words it stays an answer
    await chat.say("ga terug naar de tekentafel")
    assert "initiatiefnemer_type" not in plan_of(store).data
    assert "Die keuze ken ik niet" in chat.text


async def test_an_address_read_from_a_typo_is_shown_and_one_typed_right_is_not(chat, store):
    await run_script(chat, LEIDEN[:8], "leiden")
    await chat.say("mirthe@example,org")
    assert "→ mirthe@example.org" in chat.text
    assert plan_of(store).data["accounthouder_email"] == "mirthe@example.org"
    await chat.say("eigenaar@example.org")
    assert "→" not in chat.text


# ---------------------------------------------------------------- findings


async def test_rule_finding_shows_at_the_question_and_afwijken_keeps_it(chat, store):
    script = LEIDEN[: LEIDEN.index(("Wanneer kondig je de bijeenkomst aan", "ja"))]
    await run_script(chat, script, "leiden")
    await chat.say("1 maart 2026")  # 11 days before 12 maart: Leiden wants 21
    findings = [r for r in chat.replies if r.kind == "finding"]
    assert findings and "Leiden" in findings[0].text and "Bron:" in findings[0].text
    assert "Wanneer kondig je de bijeenkomst aan" in chat.question.text
    assert "afwijken, omdat" in chat.question.text
    await chat.say("afwijken, omdat de zaal pas laat bevestigd was")
    assert "Genoteerd" in chat.text
    assert "Waar is de bijeenkomst" in chat.question.text
    data = plan_of(store).data
    assert "omdat de zaal pas laat bevestigd was" in data["afwijkingen"].values()
    for _, answer in LEIDEN[LEIDEN.index(("Waar is de bijeenkomst", "Buurthuis De Linde")) :]:
        await chat.say(answer)
    assert "afwijking, omdat de zaal pas laat bevestigd was" in chat.text
    await chat.say("ja")
    doc = next(r for r in chat.replies if r.kind == "done").documents[0]
    assert "omdat de zaal pas laat bevestigd was" in document_text(doc)


async def test_a_new_answer_resolves_a_finding(chat, store):
    script = LEIDEN[: LEIDEN.index(("Wanneer kondig je de bijeenkomst aan", "ja"))]
    await run_script(chat, script, "leiden")
    await chat.say("1 maart 2026")
    assert any(r.kind == "finding" for r in chat.replies)
    await chat.say("1 februari 2026")
    assert not any(r.kind == "finding" for r in chat.replies)
    assert "Waar is de bijeenkomst" in chat.question.text


async def test_leiden_minimum_level_is_a_rule_elsewhere_not(chat, engine):
    script = LEIDEN[: LEIDEN.index(("Welk niveau", "adviseren"))]
    await run_script(chat, script, "leiden")
    await chat.say("informeren")
    assert any(r.kind == "finding" and "raadplegen" in r.text for r in chat.replies)

    other = Chat(engine, "console:heerlen")
    await run_script(other, HEERLEN[: HEERLEN.index(("Welk niveau", "raadplegen"))], "heerlen")
    await other.say("informeren")
    assert not any(r.kind == "finding" and "⚠️" in r.text for r in other.replies)


# ---------------------------------------------------------------- robustness


async def test_unexpected_failure_keeps_answers_and_asks_again(chat, store, monkeypatch):
    """A bug in a rule must not cost the user anything: one message, same question."""
    await chat.start(gemeente="leiden")
    await chat.say("Plein Zuid")
    from handreiking import rules

    def broken(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(rules, "check", broken)  # the boundary: a failing domain rule
    await chat.say("gemeente")
    assert "Er ging bij mij iets mis" in chat.text
    assert "Wie neemt het initiatief" in chat.question.text
    assert plan_of(store).data["titel"] == "Plein Zuid"


COMMAND_WORDS = ["hulp", "terug", "overslaan", "wijzig", "status", "samenvatting", "pauze"]
COMMAND_WORDS += ["plannen", "nieuw", "taal en", "taal nl", "klaar", "ja", "nee", "1", "2, 3"]
ANSWERS = ["12 maart 2026", "over 3 weken", "€ 1.500", "ca. 20", "test@example.org"]
ANSWERS += ["1 t/m 22 maart 2026", "afwijken, omdat het moet", "weet ik nog niet"]


@hsettings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.one_of(st.sampled_from(COMMAND_WORDS), st.sampled_from(ANSWERS), st.text(max_size=40)),
        min_size=1,
        max_size=40,
    )
)
def test_random_input_never_crashes_or_loses_a_stored_answer(messages):
    with tempfile.TemporaryDirectory() as tmp:
        s = Settings(data_dir=Path(tmp), now=datetime.fromisoformat(NOW), _env_file=None)
        store = Store(s.db_url, clock=s.clock)
        engine = build_engine(store, s)

        async def run():
            await engine.start("console:fuzz", gemeente="leiden")
            for message in messages:
                before = {p.id: dict(p.data) for p in store.plans(owner="console:fuzz")}
                replies = await engine.handle("console:fuzz", message)
                text = "\n".join(r.text for r in replies)
                assert "Er ging bij mij iets mis" not in text, (message, text)
                assert replies, message
                after = {p.id: p.data for p in store.plans(owner="console:fuzz")}
                for plan_id, data in before.items():
                    for key, value in data.items():
                        # an answer only changes when that question is answered again
                        if value not in (None, [], "") and key != "afwijkingen":
                            assert key in after[plan_id], (key, message)

        asyncio.run(run())
        store.close()


async def test_first_message_greets_and_is_not_taken_as_an_answer(chat, store):
    await chat.say("hallo")
    assert "Ik help je een participatieplan te maken" in chat.text
    assert "Hoe heet je opgave" in chat.question.text
    assert "titel" not in plan_of(store).data
    other = Chat(chat.engine, "slack:T1/U2")
    await other.say("hulp")  # a command as first message is carried out as well
    assert "Waarom vragen we dit?" in other.text


async def test_personal_data_in_text_for_publication_gets_a_tip(chat):
    script = LEIDEN[
        : LEIDEN.index(
            ("ruimte voor participatie", "Inrichting, speelplekken en bankjes liggen open.")
        )
    ]
    await run_script(chat, script, "leiden")
    await chat.say("Bel Jan de Vries op 06-12345678 of mail jan@example.org over de bankjes.")
    tips = [r.text for r in chat.replies if r.kind == "finding"]
    assert any("06-12345678" in t for t in tips), chat.text
    assert any("jan@example.org" in t for t in tips)


async def test_in_english_the_tip_about_personal_data_reads_in_english(chat):
    # 'In je antwoord over wat de opgave inhoudt staat iets dat lijkt op een telefoonnummer'
    await english_until(chat, "ruimte voor participatie", LEIDEN, "leiden")
    await chat.say("Call Jan de Vries on 06-12345678 or mail jan@example.org about the benches.")
    tips = [r.text for r in chat.replies if r.kind == "finding"]
    assert tips == [
        "💡 Tip: Your answer about the room for participation holds something that looks like"
        f" {what}. I leave it out of the public version.\nSource: Publication in the digital"
        " gemeenteblad without personal data (Leiden, Checklist participatie, 2023)\nWant to"
        " keep it anyway? Type: keep, because <your reason>."
        for what in ("an e-mail address: 'jan@example.org'", "a phone number: '06-12345678'")
    ] + [
        "💡 Tip: Your answer about the room for participation holds something that looks like a"
        " person's name: 'Jan de Vries'. A plan that is made public names no residents; rather"
        " write who they are (for example 'a local resident').\nSource: Publication in the"
        " digital gemeenteblad without personal data (Leiden, Checklist participatie, 2023)\n"
        "Want to keep it anyway? Type: keep, because <your reason>."
    ]
    await chat.say("taal nl")
    assert (
        "- In je antwoord over de ruimte voor participatie staat iets dat lijkt op een"
        " telefoonnummer: '06-12345678'. In de openbare versie laat ik dat weg."
        in await chat.say("status")
    )


async def test_a_co_author_sees_and_changes_the_same_plan(chat, engine, store):
    await run_script(chat, LEIDEN[:3], "leiden")
    await chat.say("medeauteur")
    line = next(x for x in chat.text.splitlines() if x.startswith("meeschrijven "))
    other = Chat(engine, "slack:T1/U9")
    await other.say(line)
    assert "Je schrijft nu mee aan 'Herinrichting Lindenplein'" in other.text
    assert "Wie beslist" in other.question.text
    await other.say("raad")
    assert plan_of(store).data["beslisser"] == "raad"
    assert [p.id for p in store.plans(owner="slack:T1/U9")] == [plan_of(store).id]
    stranger = Chat(engine, "slack:T1/U10")
    await stranger.say("meeschrijven " + line.split()[1][:-3] + "xyz")
    assert "Deze code ken ik niet" in stranger.text
    assert store.plans(owner="slack:T1/U10") == []


@pytest.mark.parametrize("answer", ["hoeft niet", "nvt"])
async def test_an_announcement_that_is_not_needed_is_not_open_and_has_no_deadline(chat, answer):
    script = [(q, answer if q == "Wanneer kondig je de bijeenkomst aan" else a) for q, a in LEIDEN]
    script = [
        (q, "weet ik nog niet" if q == "Hoeveel uur kost de bijeenkomst" else a) for q, a in script
    ]
    summary = await run_script(chat, script, "leiden")
    assert "uren: nog te bepalen" in summary and "aankondiging" not in summary
    await chat.say("status")
    status = next(r for r in reversed(chat.replies) if r.kind == "status").text
    assert "1. Hoeveel uur kost de bijeenkomst" in status  # what is open is still listed
    assert "kondig" not in status.lower()
    await chat.say("ja")
    doc = next(r for r in chat.replies if r.kind == "done").documents[0]
    text = document_text(doc).replace("\xa0", " ")
    assert "Ontwerpavond" in text
    assert "uiterlijk" not in text and "13 februari 2026" not in text
    assert "Kondig activiteit 1" not in text  # nor a milestone to announce it


async def test_in_english_a_suggested_group_typed_or_pressed_keeps_its_dutch_value(chat, store):
    # typing 'young people' stored the English words as the group's name, where the button
    # stored 'jongeren'; the role question then asked about 'omwonenden' in English
    answers = [a for _, a in HEERLEN]
    await chat.start(gemeente="heerlen")
    await chat.say("language en")
    for answer in answers[:22]:
        await chat.say(answer)
    assert "young people" in [c.label for c in chat.question.choices]
    await chat.say("Young people")
    assert "What role does 'young people' have?" in chat.question.text
    await chat.say("is consulted")
    for _ in range(4):
        await chat.say("skip")
    assert "young people" not in [c.label for c in chat.question.choices]
    pressed = next(c for c in chat.question.choices if c.label == "local residents")
    await chat.say(pressed.value)
    assert "What role does 'local residents' have?" in chat.question.text
    assert "omwonenden" not in chat.text
    await chat.say("is consulted")
    for _ in range(4):
        await chat.say("skip")
    names = [b["naam"] for b in plan_of(store).data["belanghebbenden"]]
    assert names[-2:] == ["jongeren", "omwonenden"]
    await chat.say("Buurtcomité Parkstraat")  # a name people type stays as typed
    assert "What role does 'Buurtcomité Parkstraat' have?" in chat.question.text


async def test_in_english_the_options_and_their_answers_read_in_english(chat, store):
    # the questions were English and their options Dutch: 'inwoners', 'samen denken'
    answers = [a for _, a in HEERLEN]
    await chat.start(gemeente="heerlen")
    await chat.say("language en")
    await chat.say(answers[0])
    assert [c.label for c in chat.question.choices] == [
        "the municipality",
        "residents",
        "business or developer",
        "community organisation",
    ]
    assert "→ community organisation" in await chat.say("maatschappelijke organisatie")
    # stored as the documents print it
    assert plan_of(store).data["initiatiefnemer_type"] == "maatschappelijke organisatie"
    for answer in answers[2:18]:
        await chat.say(answer)
    assert "What is the aim of participation?" in chat.question.text
    labels = [c.label for c in chat.question.choices]
    assert labels == ["think together", "do together", "decide together", "learn together"]
    assert "→ think together, learn together" in await chat.say("1, 4")
    assert [c.label for c in chat.question.choices][:3] == ["inform", "consult", "advise"]
    await chat.say("consult")
    assert plan_of(store).data["doelen"] == ["samen denken", "samen leren"]
    assert plan_of(store).data["niveau"] == "raadplegen"
    for answer in answers[20:22]:
        await chat.say(answer)
    assert "Stichting Samen Parkstraat (process owner)" in chat.text
    assert "local residents" in [c.label for c in chat.question.choices]
    await chat.say("Ouderen in de wijk")
    assert "What role does 'Ouderen in de wijk' have?" in chat.question.text
    assert "is consulted" in [c.label for c in chat.question.choices]
    await chat.say("is consulted")
    for _ in range(4):  # belang, invloed, interesse, positie
        await chat.say("overslaan")
    assert plan_of(store).data["belanghebbenden"][-1]["rol"] == "wordt geraadpleegd"
    summary = await chat.say("samenvatting")
    assert "community organisation" in summary and "think together, learn together" in summary
    assert "3. Ouderen in de wijk (is consulted)" in summary


async def test_in_english_an_activity_is_named_in_english_in_its_questions(chat):
    until = next(i for i, (q, _) in enumerate(HEERLEN) if q == "Op welke datum is de ideeënmarkt")
    await chat.start(gemeente="heerlen")
    await chat.say("language en")
    for _, answer in HEERLEN[:until]:
        await chat.say(answer)
    # the middel by its English name; was 'the bijeenkomst'
    assert "On which date is the ideas market?" in chat.question.text


async def english_until(chat: Chat, fragment: str, script=HEERLEN, gemeente="heerlen") -> None:
    """An English-speaking person answers the (Dutch) script up to the question with fragment."""
    await chat.start(gemeente=gemeente)
    await chat.say("language en")
    for _, answer in script[: _at(script, fragment)]:
        await chat.say(answer)


def _at(script, fragment: str) -> int:
    return next(i for i, (q, _) in enumerate(script) if q == fragment)


async def test_in_english_a_list_says_and_takes_done_edit_and_remove(chat, store):
    # the prompt said "Type 'klaar' when done. 'wijzig 2' ..., 'verwijder 2' removes it",
    # and 'remove 4' became a group named 'remove 4'
    await english_until(chat, "Welke groepen")
    prompt = chat.question.text
    assert "Type 'done' when you have them all." in prompt
    assert "'edit 2' changes number 2, 'remove 2' removes it." in prompt
    assert "klaar" not in prompt and "wijzig" not in prompt and "verwijder" not in prompt
    assert [c.label for c in chat.question.choices][-1] == "done"
    for answer in ("Older neighbours", "is consulted", "skip", "skip", "skip", "skip"):
        await chat.say(answer)
    assert "3. Older neighbours (is consulted)" in chat.question.text
    assert "Removed: Older neighbours (is consulted)." in await chat.say("remove 3")
    assert "Older neighbours" not in str(plan_of(store).data.get("belanghebbenden"))
    await chat.say("done")
    assert "young people" in chat.question.text  # the next question: jongeren


async def test_in_english_a_tip_is_kept_with_keep_because(chat, store):
    # the tip said "Type: afwijken, omdat <your reason>", and only that Dutch form kept it
    script = HEERLEN[:18] + [("doel", "do together")] + HEERLEN[19:]
    await english_until(chat, "Welk niveau", script)
    text = await chat.say("consult")
    assert "Want to keep it anyway? Type: keep, because <your reason>." in text
    assert "afwijken" not in text
    # without a reason: asked for one, in English, and the tip can still be kept
    assert "Add a reason, for example: keep, because" in await chat.say("keep it")
    assert "Noted. Your reason goes into the plan" in await chat.say("keep, because we start small")
    assert plan_of(store).data["afwijkingen"] == {
        "doel_niveau:samen_doen": "because we start small"
    }
    assert "Why does this level fit your project?" in chat.question.text


async def test_in_english_the_proposed_middelen_read_in_english(chat, store):
    # was "For raadplegen at the scale of a wijk" and "Buurtschouw (ca. 12 uur, € 200)", then
    # 'Buurtschouw (about 12 hours, € 200)': the names stayed Dutch
    await english_until(chat, "Welke neem je over")
    prompt = chat.question.text
    assert "For the level 'consult' at the scale of a district, projects often use" in prompt
    labels = [c.label for c in chat.question.choices]
    assert "Neighbourhood walk (about 12 hours, € 200)" in labels
    assert "Facebook group (about 12 hours, no costs)" in labels
    assert "Ideas market (about 30 hours, € 1.500)" in labels
    await chat.say("language nl")
    assert "Bij raadplegen voor de wijk" in chat.question.text
    assert "Buurtschouw (ca. 12 uur, € 200)" in [c.label for c in chat.question.choices]
    await chat.say("language en")
    assert "→ Neighbourhood walk (about 12 hours, € 200), Ideas market" in await chat.say("1, 2")
    assert plan_of(store).data["middelen_gekozen"] == ["Buurtschouw", "Ideeënmarkt"]
    for answer in ("3 March 2026", "yes", "skip", "yes", "yes", "skip"):
        await chat.say(answer)
    assert "On which date is the ideas market?" in chat.question.text
    for answer in ("17 March 2026", "yes", "skip", "yes", "yes", "skip"):
        await chat.say(answer)
    assert "2. meeting: Ideas market – 17 March 2026" in chat.question.text
    await chat.say("done")
    summary = await chat.say("summary")
    assert "Neighbourhood walk, Ideas market" in summary
    assert "2. meeting · description: Ideas market · date: 17 March 2026" in summary
    # the plan keeps the names the documents print
    assert plan_of(store).data["activiteiten"][-1]["omschrijving"] == "Ideeënmarkt"


async def test_in_english_the_findings_met_most_read_in_english(chat, store):
    # the tips and rules read Dutch in English: 'Je doel is samen doen, maar je koos raadplegen',
    # 'valt in de Voorjaarsvakantie', 'Je kondigt ... aan', 'Het besluit staat op ...'
    script = [
        (
            f,
            {
                "doel van de participatie": "do together",
                "besluit over de opgave": "6 June 2026",
            }.get(f, a),
        )
        for f, a in HEERLEN
    ]
    await english_until(chat, "Welk niveau", script)
    text = await chat.say("consult")
    assert "Tip: Your aim is to do together, but you chose 'consult'." in text
    assert "Source: from the guide of Heemstede:" in text
    await chat.say("keep, because we start small")
    for answer in [
        a
        for _, a in script[
            _at(script, "Waarom past dit niveau") : _at(script, "Welke neem je over")
        ]
    ]:
        await chat.say(answer)
    assert (
        "The decision is on 6 June 2026. That is a Saturday: the executive and the council"
        in chat.text
    )
    await chat.say("1 June 2026")
    await chat.say("1, 2")
    text = await chat.say("17 February 2026")
    assert (
        "Activity 1 (neighbourhood walk) falls in the Spring Break (region zuid). Many people"
        " are away then. Choose another date" in text
    )
    text = await chat.say("10 February 2026")
    assert "Tip: You announce activity 1 (neighbourhood walk) 7 days in advance." in text
    assert "The advice is 3 weeks in advance. Announce it by 27 January 2026 at the latest" in text
    await chat.say("skip")  # the place
    assert "An estimate is fine, for example 'about 20'." in chat.question.text  # was 'ca. 20'
    assert "Proposal: about €200." in await chat.say("yes")  # was 'ca. €200'
    assert "- The decision is on 6 June 2026. That is a Saturday" in await chat.say("status")
    # the plan keeps the Dutch text for the documents
    await chat.say("language nl")
    assert "- Het besluit staat op 6 juni 2026. Dat is een zaterdag" in await chat.say("status")


async def test_in_english_the_privacy_text_reads_in_english_and_the_plan_keeps_dutch(chat, store):
    # was "Privacy: 'We bewaren alleen naam en e-mailadres ...' Is this right for your process?"
    await english_until(chat, "Privacy")
    prompt = chat.question.text
    assert (
        "Privacy: 'We only keep the name and e-mail address or chat name of participants" in prompt
    )
    assert "(Your plan says this in Dutch.) Is this right for your process?" in prompt
    await chat.say("yes")
    assert plan_of(store).data["avg_tekst"].startswith("We bewaren alleen naam en e-mailadres")


def test_a_profile_with_its_own_privacy_text_has_no_english_one_that_says_otherwise():
    from handreiking.profiles import Profile

    own = Profile.model_validate({"key": "x", "naam": "X", "avg_standaard": "Wij wissen alles."})
    assert own.avg_standaard_en is None


@pytest.mark.parametrize(
    ("said", "day"),
    [("a week before", "24 February 2026"), ("two weeks in advance", "17 February 2026")],
)
async def test_in_english_an_announcement_is_counted_back_from_its_activity(chat, said, day):
    # 'a week before' got 'That date has passed'; Dutch 'een week van tevoren' was understood
    await english_until(chat, "Wanneer kondig je de buurtschouw aan")
    assert "When do you announce the neighbourhood walk?" in chat.question.text
    assert f"→ Tuesday {day}" in await chat.say(said)


async def test_in_english_the_other_findings_read_in_english_too(chat):
    # 'Je hebt niets ingevuld over wat al vastligt' showed to an English speaker
    await english_until(chat, "financieel vast")
    await chat.say("skip")
    text = await chat.say("skip")
    assert "Tip: You filled in nothing about what is already fixed." in text
    assert "Je hebt" not in text


async def test_a_date_moved_after_a_tip_counts_from_the_date_given(chat):
    # 'Leiden vraagt 3 weken van tevoren' after '1 week van tevoren': 'dan 2 weken eerder'
    # moves that date, it is not a date of its own
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Wanneer kondig je de bijeenkomst aan")
    text = await chat.say("1 week van tevoren")
    assert "→ donderdag 5 maart 2026" in text and "3 weken van tevoren" in text
    text = await chat.say("dan 2 weken eerder")
    assert "→ donderdag 19 februari 2026" in text
    assert "Waar is de bijeenkomst" in chat.question.text
