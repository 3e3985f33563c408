"""Answers as people type them, understood by the real engine at the real question."""

from __future__ import annotations

import pytest

from bot.app import build_engine
from bot.engine import Engine
from bot.storage import Store
from handreiking.documents import document_text
from handreiking.middelen import voorstel
from handreiking.profiles import load_profile
from tests import engine_corpus
from tests.conftest import Chat
from tests.interviews import LEIDEN, answer_until


async def test_every_corpus_answer_is_understood_at_its_question_and_none_stored_wrongly(
    tmp_path,
):
    today, cases, now = engine_corpus.today_of()
    settings = engine_corpus.settings_at(tmp_path / "var", now)
    store = Store(settings.db_url, clock=settings.clock)
    engine = build_engine(store, settings)
    spots = await engine_corpus.walk_to_spots(engine, store, "console:corpus")
    missed, wrong = [], []
    for case in cases:
        verdict = await engine_corpus.judge(engine, store, "console:corpus", spots, case)
        if not verdict.understood:
            missed.append((case.group, case.say, verdict.said[:200]))
        if verdict.stored_wrongly:
            wrong.append((case.group, case.say))
    store.close()
    assert len(cases) > 150
    assert not wrong
    assert not missed


GEMEENTEN = {
    "leiden": "leiden",
    "heemstede": "Gemeente Heemstede",
    "heerlen": "heerlen",
    "leidschendam-voorburg": "Voorburg",
}


@pytest.mark.parametrize("gemeente", GEMEENTEN)
async def test_a_busy_person_is_understood_the_first_time_and_the_plan_holds_it(tmp_path, gemeente):
    """A whole interview typed the way a busy person types: no question asked twice, no
    'Bedoel je', no error; then the documents say 'nog te bepalen' where it is open."""
    _, _, now = engine_corpus.today_of()
    settings = engine_corpus.settings_at(tmp_path / "var", now)
    store = Store(settings.db_url, clock=settings.clock)
    chat = Chat(build_engine(store, settings), "console:druk")
    await chat.start()
    asked: list[str] = []
    given: dict[str, int] = {}
    while "Klopt alles?" not in chat.text:
        question = chat.question.text
        assert not any(r.kind == "error" for r in chat.replies), chat.text
        assert "Bedoel je" not in question and "afwijken, omdat" not in question, chat.text
        assert not asked or question != asked[-1], question  # never asked again
        asked.append(question)
        if "In welke gemeente" in question:
            answer = GEMEENTEN[gemeente]
        else:
            answer = engine_corpus.answer_for(question, given)
        await chat.say(answer)
    summary = chat.text
    plan = store.plans(owner="console:druk")[-1]
    data = plan.data
    assert data["gemeente"] == gemeente
    assert data["initiatiefnemer_type"] == "inwoners"  # 'wij als bewoners'
    assert data["beslisser"] == "raad"  # 'de gemeenteraad'
    assert data["veel_belangen"] is None  # 'geen idee': open, not 'nee'
    assert data["accounthouder"] is None  # 'weet ik nog niet' is not a name
    assert data["doelen"] == ["samen denken"]
    assert data["niveau"] == "adviseren"
    groups = [b["naam"] for b in data["belanghebbenden"]]
    assert "ouders van de school" in groups and not any("weet" in g for g in groups)
    assert data["belanghebbenden"][-1]["rol"] == "adviseur"  # 'denkt mee'
    assert data["schaal"] == "wijk"  # 'de hele wijk'
    assert data["beleidsveld"] == "jeugd en onderwijs"  # 'onderwijs'
    if gemeente == "leiden":  # Leiden's 'ken je omgeving'
        assert data["omgeving_bezocht"] is False  # 'nog niet'
        assert data["omgeving_gesproken"] is True  # 'ja, met een paar ouders'
    if gemeente == "heerlen":  # Heerlen's stakeholderanalyse
        ouders = data["belanghebbenden"][-1]
        analysis = (ouders["invloed"], ouders["interesse"], ouders["positie"])
        assert analysis == ("laag", "hoog", "voor")  # 'weinig', 'heel groot', 'voor'
    # 'de eerste en de tweede' of the middelen proposed: queued first, their proposed hours and
    # euros taken with 'ja'
    profile = load_profile(gemeente)
    first, second = voorstel(profile, "adviseren", "wijk")[:2]
    assert data["middelen_gekozen"] == [first.naam, second.naam]
    *chosen, meeting, survey = data["activiteiten"]
    assert [a["type"] for a in chosen] == [first.type, second.type]
    assert chosen[0]["uren"] == {"waarde": first.uren, "schatting": True}
    assert chosen[1]["kosten"]["min"] == second.kosten
    assert meeting["type"] == "bijeenkomst"  # 'inloopavond'
    assert meeting["datum"] == "2027-06-15"  # '15 jnui 2027'
    assert meeting["uren"] == {"waarde": 8, "schatting": True}  # 'een uur of 8'
    assert meeting["kosten"]["min"] == 0  # 'gratis'
    assert survey["type"] == "enquête"  # 'enquete'
    assert survey["periode"] == {"van": "2027-03-01", "tot": "2027-03-31"}
    assert data["update_ritme_weken"] == 4  # 'elke maand'
    assert data["vergoeding"] is None
    assert "nog te bepalen" in summary
    assert "weet ik nog niet" not in summary
    await chat.say("ja")
    done = next(r for r in chat.replies if r.kind == "done")
    text = document_text(next(p for p in done.documents if p.name == "participatieplan.docx"))
    assert "nog te bepalen" in text.lower()
    assert "weet ik nog niet" not in text
    store.close()


async def test_a_close_answer_gets_bedoel_je_and_keeps_the_question(chat, store):
    await chat.start(gemeente="leiden")
    await chat.say("Plein")
    await chat.say("wij als bewoners")
    await chat.say("Buurtgroep")
    text = await chat.say("niet de raad maar het college")
    assert "Bedoel je" in text
    assert {c.label for c in chat.question.choices} == {"raad", "college"}
    assert "beslisser" not in store.plans(owner="console:tester")[-1].data
    button = next(c for c in chat.question.choices if c.label == "college")
    text = await chat.say(button.value)
    assert "→ college" in text
    assert store.plans(owner="console:tester")[-1].data["beslisser"] == "college"


async def test_a_vague_date_is_proposed_and_nee_asks_again(chat, store):
    await _to_activity_date(chat)
    text = await chat.say("ergens in het voorjaar")
    assert "Bedoel je" in text and "Typ 'ja'" in text
    text = await chat.say("nee")
    assert "Op welke datum is de bijeenkomst" in chat.question.text
    await chat.say("ergens in het voorjaar")
    await chat.say("ja")
    item = store.state("console:tester", store.plans(owner="console:tester")[-1].id)["item"]
    assert item["data"]["datum"].startswith("2026-0")


async def test_nee_with_the_answer_after_it_at_bedoel_je_takes_that_answer(chat, store):
    await _to_activity_date(chat)
    await chat.say("ergens in het voorjaar")
    text = await chat.say("nee, liever half april")  # was 'Geef dan een ander antwoord'
    assert "Geef dan een ander antwoord" not in text
    assert "15 april" in text
    item = store.state("console:tester", store.plans(owner="console:tester")[-1].id)["item"]
    assert item["data"]["datum"].endswith("-04-15")


async def test_the_bot_reads_its_own_frequency_proposal_and_example(chat, store):
    await _to_activity_date(chat)
    while "Hoe vaak stuur je" not in chat.question.text:
        question = chat.question.text
        if "afwijken, omdat" in question:  # Heerlen's rule on missing hours: leave it open
            await chat.say("overslaan")
        else:
            await chat.say("klaar" if "Welke activiteiten" in question else "weet ik nog niet")
        assert not any(r.kind == "error" for r in chat.replies), chat.text
    assert "Hoe vaak stuur je" in chat.question.text
    assert chat.question.text.count("Voorstel") == 1
    assert "elke" in chat.question.text
    assert "Dat getal kan ik niet lezen" not in await chat.say("om de 6 weken")
    assert store.plans(owner="console:tester")[-1].data["update_ritme_weken"] == 6


async def test_updates_when_there_is_news_get_a_rhythm_for_the_reminder(chat, store):
    await _to_activity_date(chat)
    while "Hoe vaak stuur je" not in chat.question.text:
        question = chat.question.text
        if "afwijken, omdat" in question:
            await chat.say("overslaan")
        else:
            await chat.say("klaar" if "Welke activiteiten" in question else "weet ik nog niet")
    text = await chat.say("als er nieuws is")  # was 'Om de hoeveel weken stuur je een update?'
    assert "Zal ik dat elke 4 weken doen?" in text
    await chat.say("ja")
    assert store.plans(owner="console:tester")[-1].data["update_ritme_weken"] == 4


async def test_weet_ik_nog_niet_is_never_a_name_and_shows_as_nog_te_bepalen(chat, store):
    await chat.start(gemeente="heemstede")
    for answer in ("Bankjes Raadhuisplein", "projectontwikkelaar", "Bouwbedrijf Voorbeeld"):
        await chat.say(answer)
    text = await chat.say("het college van B en W")
    assert "→ college" in text
    for answer in ("nee", "nee", "geen idee"):
        await chat.say(answer)
    assert "accounthouder" in chat.question.text
    text = await chat.say("weet ik nog niet")
    assert "→ nog te bepalen" in text
    status = await chat.say("status")
    assert "nog te bepalen" in status.lower()
    data = store.plans(owner="console:tester")[-1].data
    assert data["initiatiefnemer_type"] == "ondernemer of ontwikkelaar"
    assert data["accounthouder"] is None and data["veel_belangen"] is None


async def test_a_past_date_is_refused_with_an_example_in_the_future(chat):
    await _to_activity_date(chat)
    text = await chat.say("1 januari 2025")
    assert "al voorbij" in text
    assert "2026" in text or "2027" in text
    assert "2025" not in text.split("voorbij", 1)[1]


async def _to_activity_date(chat: Chat, gemeente: str | None = None) -> None:
    """A Heerlen plan up to the date of its first activity, a bijeenkomst; or one for the
    gemeente typed, when given."""
    await chat.start(gemeente=None if gemeente else "heerlen")
    given: dict[str, int] = {}
    for _ in range(80):
        question = chat.question.text
        if "Op welke datum is de" in question:
            return
        if gemeente and "In welke gemeente" in question:
            await chat.say(gemeente)
        elif "besluit over de opgave" in question:
            await chat.say("1 december 2026")
        elif "Welke neem je over" in question:  # none of the middelen proposed
            await chat.say("overslaan")
        elif "Welke activiteiten" in question:
            await chat.say("een bewonersavond")
        else:
            await chat.say(engine_corpus.answer_for(question, given))
    raise AssertionError(chat.text)


async def test_a_gemeente_without_a_profile_hears_of_a_date_in_the_kerstvakantie(chat):
    # no school-holiday region is known for Haarlem here: the kerstvakantie of every region
    # was not checked
    await _to_activity_date(chat, gemeente="Haarlem")
    text = await chat.say("22 december 2026")
    assert "Activiteit 1 (bijeenkomst) valt in de Kerstvakantie. Dan zijn veel mensen weg." in text


async def test_wijzig_changes_one_field_of_one_activity_and_keeps_the_rest(chat, store):
    await _to_activity_date(chat)
    for answer in ("15 maart 2026", "ja", "Buurthuis De Es", "ca. 10", "€ 400", "overslaan"):
        await chat.say(answer)
    await chat.say("workshop")
    for answer in ("Ontwerpen met de buurt", "22 april 2026", "ja", "Wijkcentrum", "6", "0"):
        await chat.say(answer)
    await chat.say("overslaan")
    assert "Tot nu toe" in chat.text and "wijzig 2" in chat.text
    before = store.plans(owner="console:tester")[-1].data["activiteiten"]
    menu = await chat.say("wijzig 2")
    assert "Wat wil je veranderen aan 2. workshop" in menu
    assert "Wijkcentrum" in menu
    number = next(line.split(".")[0] for line in menu.splitlines() if "Waar is" in line)
    text = await chat.say(number)
    assert "Waar is de workshop" in chat.question.text
    assert "Je antwoord was: Wijkcentrum" in text
    text = await chat.say("de bibliotheek")
    assert "Tot nu toe" in text
    after = store.plans(owner="console:tester")[-1].data["activiteiten"]
    assert len(after) == 2
    assert after[0] == before[0]
    assert after[1] == {**before[1], "plaats": "de bibliotheek"}


async def test_wijzig_2_takes_the_field_by_the_name_on_its_button(chat, store):
    # in the terminal the buttons under 'wijzig 2' read 'datum | plaats | uren ...'; typing
    # 'plaats' got "Dat nummer staat niet in de lijst"
    await test_wijzig_changes_one_field_of_one_activity_and_keeps_the_rest(chat, store)
    menu = await chat.say("wijzig 1")
    assert "plaats" in [c.label for c in chat.question.choices], menu
    text = await chat.say("plaats")
    assert "Waar is de bijeenkomst" in chat.question.text
    assert "Je antwoord was: Buurthuis De Es" in text
    await chat.say("Buurthuis De Vijf Meren")
    assert store.plans(owner="console:tester")[-1].data["activiteiten"][0]["plaats"] == (
        "Buurthuis De Vijf Meren"
    )
    await chat.say("wijzig 1")
    text = await chat.say("de kleur")
    assert "Dat staat niet in de lijst" in text and "typ wat je wilt veranderen" in text


async def test_wijzig_from_the_edit_menu_reaches_one_field_of_an_activity(chat, store):
    await test_wijzig_changes_one_field_of_one_activity_and_keeps_the_rest(chat, store)
    await chat.say("klaar")
    menu = await chat.say("wijzig")
    number = next(line.split(".")[0] for line in menu.splitlines() if "Welke activiteiten" in line)
    await chat.say(number)
    assert "Tot nu toe" in chat.text
    await chat.say("wijzig 1")
    number = next(line.split(".")[0] for line in chat.text.splitlines() if "Hoeveel uur" in line)
    await chat.say(number)
    await chat.say("twee dagen")
    activities = store.plans(owner="console:tester")[-1].data["activiteiten"]
    assert activities[0]["uren"]["waarde"] == 16
    assert activities[0]["plaats"] == "Buurthuis De Es"
    assert len(activities) == 2


async def _walk(chat: Chat, until: str, **answers: str) -> None:
    """The busy person's Leiden interview up to a question holding `until`; `answers` maps a
    fragment of a question to another answer."""
    given: dict[str, int] = {}
    for _ in range(150):
        text = chat.text if "Klopt alles?" in chat.text else chat.question.text
        if until in text:
            return
        own = next((a for fragment, a in answers.items() if fragment in text), None)
        await chat.say(own or engine_corpus.answer_for(text, given))
    raise AssertionError(chat.text)


async def test_a_tip_is_kept_with_afwijken_omdat_and_the_reason_is_printed_with_omdat(chat, store):
    await chat.start()
    await _walk(chat, "Welk niveau", **{"In welke gemeente": "heemstede"})
    text = await chat.say("alleen informeren")
    assert "💡 Tip:" in text
    assert "afwijken, omdat" in text
    text = await chat.say("afwijken, omdat de buurt eerst moet weten wat er kan")
    assert "Genoteerd" in text and "afwijken, omdat" not in chat.question.text
    assert "Waarom past dit niveau" in chat.question.text  # the interview goes on
    data = store.plans(owner="console:tester")[-1].data
    assert data["niveau"] == "informeren"
    assert list(data["afwijkingen"].values()) == ["omdat de buurt eerst moet weten wat er kan"]
    await _walk(chat, "Klopt alles?", **{"In welke gemeente": "heemstede"})
    assert "(afwijking, omdat de buurt eerst moet weten wat er kan)" in chat.text


async def test_at_the_summary_afwijken_keeps_the_open_findings_with_the_reason(chat, store):
    await chat.start()
    await _walk(chat, "Klopt alles?", **{"In welke gemeente": "Heemstede", "Welk niveau": "1"})
    assert "(open)" in chat.text
    text = await chat.say("afwijken, omdat we alles met vrijwilligers doen")
    assert "Genoteerd" in text and "Klopt alles?" in text
    assert "(open)" not in text
    assert "(afwijking, omdat we alles met vrijwilligers doen)" in text
    await chat.say("ja")
    done = next(r for r in chat.replies if r.kind == "done")
    from handreiking.documents import document_text

    plan = document_text(next(p for p in done.documents if p.name == "participatieplan.docx"))
    assert "omdat we alles met vrijwilligers doen" in plan


async def test_console_goes_on_after_the_documents_and_chat_resumes_that_plan(engine, store):
    import io

    from bot.channels.console import EXIT_COMPLETE, run_console
    from tests.interviews import HEERLEN
    from tests.test_cli import piped

    typed = piped(HEERLEN) + "ja\nsamenvatting\nstatus\n"
    out = io.StringIO()
    code = await run_console(
        engine, "console:tester", gemeente="heerlen", stdin=io.StringIO(typed), stdout=out
    )
    text = out.getvalue()
    assert code == EXIT_COMPLETE
    assert "participatieplan.docx" in text
    after = text.split("participatieplan.docx", 1)[1]
    assert "Samenvatting van 'Ontmoetingsplek Parkstraat'" in after  # still talking
    assert "vragen beantwoord" in after
    plans = store.plans(owner="console:tester")
    assert len(plans) == 1 and plans[0].status == "compleet"

    again = io.StringIO()
    code = await run_console(engine, "console:tester", stdin=io.StringIO(""), stdout=again)
    assert code == EXIT_COMPLETE
    assert "Welkom terug" in again.getvalue() and "Ontmoetingsplek Parkstraat" in again.getvalue()
    assert "indienen" in again.getvalue()
    assert len(store.plans(owner="console:tester")) == 1  # the same plan, not a new one

    fresh = io.StringIO()
    code = await run_console(
        engine, "console:tester", new=True, stdin=io.StringIO(""), stdout=fresh
    )
    assert "Hoe heet je opgave" in fresh.getvalue()
    assert len(store.plans(owner="console:tester")) == 2


async def test_one_hint_per_thing_and_overslaan_leaves_the_edit_menu(chat):
    from bot.channels.console import format_reply

    await chat.start()
    await _walk(chat, "doel van de participatie")
    assert chat.question.text.count("meer") == 1  # one hint that more may be chosen
    await _walk(chat, "taalbarrières")
    shown = format_reply(chat.question)
    assert shown.count("overslaan") == 1  # '(mag je overslaan)', no second '(overslaan)'
    await chat.say("wijzig")
    text = await chat.say("overslaan")
    assert "We gaan verder" in text and "taalbarrières" in chat.question.text
    await _walk(chat, "Hoe vaak stuur je")
    assert chat.question.text.count("Voorstel") == 1


async def test_the_summary_labels_the_values_of_a_list_item(chat):
    await chat.start()
    await _walk(chat, "Klopt alles?")
    lines = chat.text.replace("\xa0", " ").splitlines()
    line = next(line for line in lines if "bijeenkomst ·" in line)
    assert "datum: 15 juni 2027" in line
    assert "plaats:" not in line  # not known yet
    assert "uren: ca. 8 uur" in line
    assert "kosten: € 0" in line and "€ 0,00" not in line
    assert "• Wie is bij de gemeente je contactpersoon (accounthouder)" in chat.text
    contact = chat.text.split("contactpersoon (accounthouder)", 1)[1].splitlines()[1]
    assert contact.strip() == "nog te bepalen"


async def test_a_part_starts_with_its_name_and_number(chat):
    await chat.start()
    await _walk(chat, "Wat ligt inhoudelijk al vast")
    part = chat.replies[chat.replies.index(chat.question) - 1]
    assert part.text == "Deel 2 van 7: Wat ligt al vast"


async def test_a_section_the_advisor_sends_back_edits_one_field_of_one_activity(
    engine, settings, store
):
    from tests.review_helpers import client
    from tests.test_review import action, submit, verdicts

    owner = Chat(engine, "console:eigenaar")
    link = await submit(owner)
    plan_id = store.plans()[0].id
    before = store.plan(plan_id).data["activiteiten"]
    async with client(settings, store) as web:
        page = (await web.get(link)).text
        form = verdicts(page, planning="Schuif de bijeenkomst naar april.")
        await web.post(action(page, "beoordeling"), data=form)
    await owner.say("hallo")
    for _ in range(40):
        question = owner.question.text
        if "Welke activiteiten" in question:
            break
        await owner.say("houden")
    menu = await owner.say("wijzig 1")
    number = next(line.split(".")[0] for line in menu.splitlines() if "Op welke datum" in line)
    await owner.say(number)
    await owner.say("16 april 2026")
    assert "Tot nu toe" in owner.text
    after = store.plan(plan_id).data["activiteiten"]
    assert len(after) == len(before)
    assert after[0] == {**before[0], "datum": "2026-04-16"}
    assert after[1:] == before[1:]


async def test_an_answer_that_starts_with_afwijken_is_an_answer_where_no_tip_is_open(chat, store):
    await chat.start()
    await _walk(chat, "Welke regels")
    await chat.say("Afwijken van het omgevingsplan kan niet.")
    assert store.plans(owner="console:tester")[-1].data["regels"].startswith("Afwijken van")


async def test_nvt_is_not_applicable_and_not_counted_as_open(chat):
    await chat.start()
    await _walk(chat, "contactpersoon (accounthouder)")
    text = await chat.say("n.v.t.")
    assert "→ niet van toepassing" in text
    status = await chat.say("status")
    assert "accounthouder" not in status
    await _walk(chat, "Klopt alles?")
    contact = chat.text.split("contactpersoon (accounthouder)", 1)[1].splitlines()[1]
    assert contact.strip() == "niet van toepassing"


async def test_klaar_while_bedoel_je_waits_ends_the_list(chat, store):
    await _to_activity_date(chat)
    for answer in ("weet ik nog niet", "weet ik nog niet", "ca. 4", "0", "overslaan"):
        await chat.say(answer)
    assert "Welke activiteiten" in chat.question.text
    text = await chat.say("ideeënmarkt")
    assert "Bedoel je" in text
    await chat.say("klaar")
    assert "Bedoel je" not in chat.text
    assert "Hoe vaak stuur je" in chat.question.text


async def test_geen_at_the_middelen_proposed_chooses_none_and_the_list_starts_empty(chat, store):
    await chat.start()
    await _walk(chat, "Welke neem je over")
    await chat.say("geen")
    assert not any(r.kind == "error" for r in chat.replies), chat.text
    assert "Welke activiteiten" in chat.question.text and "Tot nu toe" not in chat.question.text
    data = store.plans(owner="console:tester")[-1].data
    assert data["middelen_gekozen"] == [] and not data.get("activiteiten")
    await _walk(chat, "Klopt alles?")
    # the summary names the question by its label: 'Welke middelen ..., neem je over?'
    assert "neem je over?" in chat.text.split("Planning", 1)[1]


async def test_an_other_activity_is_asked_about_by_its_description(chat):
    await chat.start()
    await _walk(chat, "Welke activiteiten")
    await chat.say("anders")
    assert "Omschrijf de activiteit kort" in chat.question.text
    await chat.say("Plantdag met de buurt")
    assert "Op welke datum is de plantdag met de buurt?" in chat.question.text


async def test_nothing_at_a_question_that_may_be_left_out_is_not_kept_as_text(
    engine: Engine, store: Store
) -> None:
    from tests.interviews import HEEMSTEDE, answer_until

    owner = Chat(engine)
    await owner.start(gemeente="heemstede")
    await answer_until(owner, HEEMSTEDE, "inhoudelijk al vast")
    for said in ("niks eigenlijk", "-"):
        await owner.say(said)
        assert "niet van toepassing" in owner.text
    await owner.say("Het moet voor de zomer klaar zijn.")
    assert "betekenen deze kaders" in owner.question.text
    data = store.plans(owner=owner.identity)[0].data
    assert data["kader_inhoudelijk"] is None and data["kader_financieel"] is None
    assert data["kader_proces"] == "Het moet voor de zomer klaar zijn."


async def test_ja_where_words_are_asked_gets_one_message_and_the_same_question(chat, store):
    await chat.start(gemeente="heemstede")
    assert "Hoe heet je opgave" in chat.question.text
    text = await chat.say("ja")
    assert "geen vraag met ja of nee" in text
    assert "Hoe heet je opgave" in chat.question.text
    for answer in ("Bankjes Raadhuisplein", "projectontwikkelaar", "Bouwbedrijf Voorbeeld"):
        await chat.say(answer)
    await chat.say("het college van B en W")
    for answer in ("nee", "nee", "geen idee"):
        await chat.say(answer)
    assert "accounthouder" in chat.question.text  # may be left out: 'nee' leaves it out
    text = await chat.say("nee")
    assert "→ niet van toepassing" in text
    data = store.plans(owner="console:tester")[-1].data
    assert data["titel"] == "Bankjes Raadhuisplein" and data["accounthouder"] is None


async def test_geen_idee_wat_dat_is_explains_the_question_and_asks_it_again(chat, store):
    await chat.start(gemeente="leiden")
    await chat.say("Plein")
    await chat.say("wij als bewoners")
    await chat.say("Buurtgroep")
    asked = chat.question.text
    assert "Wie beslist" in asked
    for said in ("geen idee wat je bedoelt", "Wat bedoel je?"):
        text = await chat.say(said)
        assert "Antwoord met" not in text and "ken ik niet" not in text
        assert "Wie beslist, bepaalt de werkwijze." in text  # the question's own explanation
        assert chat.question.text == asked  # the same question again
    assert "beslisser" not in store.plans(owner="console:tester")[-1].data


async def test_zelfde_at_the_owners_address_takes_the_address_given_just_before(chat, store):
    # the owner is the contact person too: 'zelfde' was refused as an address
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "herinneringen")
    text = await chat.say("zelfde als hierboven")
    assert "→ mirthe.voorbeeld@example.org" in text
    assert "herinneringen" not in chat.question.text  # the next question
    assert store.plans(owner="console:tester")[-1].data["eigenaar_email"] == (
        "mirthe.voorbeeld@example.org"
    )


async def test_nvt_at_a_yes_no_that_may_stay_open_is_not_applicable(chat):
    # 'Krijgen ervaringsdeskundigen een vergoeding?' where none take part: 'nvt' was refused
    await chat.start()
    await _walk(chat, "ervaringsdeskundigen een vergoeding")
    text = await chat.say("nvt")
    assert "Antwoord met ja of nee" not in text
    assert "→ niet van toepassing" in text
    assert "ervaringsdeskundigen" not in chat.question.text


async def test_laat_maar_in_the_edit_menu_leaves_it_with_nothing_changed(chat):
    await chat.start()
    await _walk(chat, "taalbarrières")
    await chat.say("wijzig")
    text = await chat.say("laat maar, het klopt")
    assert "Dat nummer ken ik niet" not in text
    assert "We gaan verder" in text
    assert "taalbarrières" in chat.question.text
    assert text.count("taalbarrières") == 1  # the question once, not twice


async def test_klaar_at_a_field_of_an_activity_that_may_be_left_out_leaves_it_out(chat, store):
    await _to_activity_date(chat)
    for _ in range(12):
        if "ander niveau dan het plan" in chat.question.text:
            break
        await chat.say("weet ik nog niet")
    assert "ander niveau dan het plan" in chat.question.text
    text = await chat.say("klaar")  # was 'Die keuze ken ik niet'
    assert "ken ik niet" not in text
    assert "Overgeslagen." in text
    assert "Nog een?" in chat.question.text or "klaar" in chat.question.text
    assert "ander niveau" not in chat.question.text


async def test_the_summary_says_which_amounts_of_an_activity_are_still_open(chat):
    # the costs of the bijeenkomst 'weet ik nog niet': the summary said nothing about them
    await chat.start()
    await _walk(chat, "Klopt alles?", **{"Wat kost de bijeenkomst": "weet ik nog niet"})
    lines = chat.text.replace("\xa0", " ").splitlines()
    line = next(line for line in lines if "bijeenkomst ·" in line)
    assert "kosten: nog te bepalen" in line
    assert "plaats:" not in line  # left out, not 'nog te bepalen': it may be left out


async def test_a_date_counted_from_the_plan_itself(chat, store):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "participatierapportage klaar")
    text = await chat.say("een week voor het besluit")  # the besluit: 1 oktober 2026
    assert "→ donderdag 24 september 2026" in text
    assert store.plans(owner="console:tester")[-1].data["rapportage_datum"] == "2026-09-24"


async def test_an_announcement_counted_back_from_its_activity(chat, store):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Wanneer kondig je de bijeenkomst aan")
    text = await chat.say("3 weken van tevoren")  # the bijeenkomst: 12 maart 2026
    assert "→ donderdag 19 februari 2026" in text
    assert "Waar is de bijeenkomst" in chat.question.text


# --- a walk through a Heerlen interview: what surprised -------------------------------------


async def test_a_line_of_groups_with_commas_or_bullets_is_one_item_each(chat, store):
    from tests.interviews import HEERLEN

    await chat.start(gemeente="heerlen")
    await answer_until(chat, HEERLEN, "Welke groepen")
    text = await chat.say("wijkteam, buurtvereniging Meezenbroek en de kinderopvang")
    assert "3 groepen" in text
    assert "Welke rol heeft 'wijkteam'" in chat.question.text
    for _ in range(3):
        for answer in ("wordt geïnformeerd", "overslaan", "overslaan", "overslaan", "overslaan"):
            await chat.say(answer)
    text = await chat.say("• de school • het Zonnetje")
    assert "2 groepen" in text and "Welke rol heeft 'de school'" in chat.question.text
    plan = store.plans(owner="console:tester")[-1]
    names = [b["naam"] for b in plan.data["belanghebbenden"]]
    assert names[-3:] == ["wijkteam", "buurtvereniging Meezenbroek", "de kinderopvang"]


async def test_start_at_the_start_of_an_answer_is_an_answer_not_a_deep_link(chat, store):
    await _to_activity_date(chat)
    await chat.say("15 maart 2027")
    while "Waar is de" not in chat.question.text:
        await chat.say("ja")
    text = await chat.say("start bij de school, daarna een rondje")
    assert "code" not in text.lower()  # was 'Deze code ken ik niet'
    assert "Hoeveel uur" in chat.question.text, text
    item = store.state("console:tester", store.plans(owner="console:tester")[-1].id)["item"]
    assert item["data"]["plaats"] == "start bij de school, daarna een rondje"


@pytest.mark.parametrize("said", ["nee joh, half april", "nee hoor, dat wordt half april"])
async def test_nee_joh_with_the_answer_after_it_at_bedoel_je_takes_that_answer(chat, store, said):
    await _to_activity_date(chat)
    await chat.say("ergens in het voorjaar")
    text = await chat.say(said)
    assert "kan ik niet lezen" not in text and "15 april" in text
    item = store.state("console:tester", store.plans(owner="console:tester")[-1].id)["item"]
    assert item["data"]["datum"].endswith("-04-15")


async def test_after_the_documents_help_names_what_comes_next_and_submitted_is_not_submit_again(
    engine, store
):
    import io

    from bot.channels.console import run_console
    from tests.interviews import HEERLEN
    from tests.test_cli import piped

    typed = piped(HEERLEN) + "ja\nhulp\nindienen\nuitnodigen\nnog iets\n"
    out = io.StringIO()
    await run_console(
        engine, "console:tester", gemeente="heerlen", stdin=io.StringIO(typed), stdout=out
    )
    after = out.getvalue().split("participatieplan.docx", 1)[1]
    helped, rest = after.split("Je plan is ingediend. Er is geen mailserver", 1)
    assert "uitnodigen:" in helped and "afronden:" in helped and "indienen:" in helped
    invited, other = rest.strip().splitlines()[-2:]
    # 'uitnodigen' on a plan the gemeente did not adopt yet says so, and not 'Typ indienen'
    assert "als je plan is vastgesteld" in invited
    assert "Je plan ligt bij de adviseur" in other and "Typ 'indienen'" not in other


async def _say_until(chat: Chat, until: str, answers: dict[str, str]) -> None:
    """Answer by a fragment of each question ('ja' to the rest) up to the question with `until`."""
    for _ in range(30):
        question = chat.question.text
        if until in question:
            return
        await chat.say(next((a for f, a in answers.items() if f in question), "ja"))
    raise AssertionError(chat.text)


@pytest.mark.parametrize("same", ["idem", "zelfde plek", "zie boven"])
async def test_idem_at_the_place_of_an_activity_takes_the_place_of_the_one_before(
    chat, store, same
):
    await _to_activity_date(chat)
    answers = {
        "Op welke datum is de bijeenkomst": "15 maart 2027",
        "Waar is de bijeenkomst": "buurthuis De Voorbeeld",
        "Welke activiteiten": "workshop",
        "Op welke datum is de workshop": "12 april 2027",
        "Hoeveel uur": "10",
        "Wat kost": "100",
        "ander niveau": "zelfde",
        "Omschrijf": "overslaan",
    }
    await _say_until(chat, "Waar is de workshop", answers)
    text = await chat.say(same)
    assert "→ buurthuis De Voorbeeld" in text
    item = store.state("console:tester", store.plans(owner="console:tester")[-1].id)["item"]
    assert item["data"]["plaats"] == "buurthuis De Voorbeeld"


async def test_terug_inside_an_activity_shows_the_answer_given(chat):
    await _to_activity_date(chat)
    await chat.say("17 mei 2027")
    assert "Wanneer kondig je" in chat.question.text
    text = await chat.say("terug")
    assert "Op welke datum is de bijeenkomst" in text
    assert "Je antwoord was: 17 mei 2027" in chat.question.text  # was only the Voorstel


async def test_not_known_yet_at_the_samenwerkingsovereenkomst_is_open_and_hulp_says_what_it_is(
    chat, store
):
    from tests.interviews import HEERLEN

    await chat.start(gemeente="heerlen")
    await answer_until(chat, HEERLEN, "samenwerkingsovereenkomst")
    text = await chat.say("geen idee wat dat is")
    assert "afspraak op papier tussen de gemeente en de initiatiefnemer" in text
    text = await chat.say("weet ik nog niet, vraag ik na")
    assert "Dit heb ik nodig" not in text and "→ nog te bepalen" in text
    assert store.plans(owner="console:tester")[-1].data["samenwerkingsovereenkomst"] is None


async def test_the_list_of_activities_names_a_middel_once(chat):
    from tests.interviews import HEERLEN

    await chat.start(gemeente="heerlen")
    answers = dict(HEERLEN)
    answers.update({"Welk niveau": "meebeslissen", "Welke neem je over": "1"})
    for _ in range(80):
        question = chat.question.text
        if "Wanneer kondig je" in question:
            break
        own = next((a for f, a in answers.items() if f.lower() in question.lower()), None)
        await chat.say(own or ("1 maart 2027" if "datum" in question else "overslaan"))
    for answer in ("ja", "overslaan", "ja", "ja", "overslaan"):
        await chat.say(answer)
    assert "1. Meedenkgroep met mandaat – " in chat.question.text, chat.text
    assert "meedenkgroep – Meedenkgroep" not in chat.question.text


async def test_afwijken_after_an_answer_that_was_not_understood_still_keeps_the_rule(chat, store):
    await _to_activity_date(chat)
    answers = {
        "Op welke datum": "15 maart 2027",
        "Hoeveel uur": "weet ik nog niet",
        "Wat kost": "weet ik nog niet",
        "ander niveau": "zelfde",
        "Waar is": "overslaan",
    }
    await _say_until(chat, "Welke activiteiten", answers)
    text = await chat.say("klaar")
    assert "Let op (Heerlen)" in text  # the 70%-plan wants hours and euros
    text = await chat.say("elke 3 weken")  # meant for the next question: not an activity
    assert "afwijken, omdat" in chat.question.text
    text = await chat.say("afwijken, omdat de offerte nog loopt")
    assert "Genoteerd" in text and "Hoe vaak stuur je" in chat.question.text
    data = store.plans(owner="console:tester")[-1].data
    assert list(data["afwijkingen"].values()) == ["omdat de offerte nog loopt"]


async def test_a_comment_after_yes_answers_the_follow_up_question_too(chat, store):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "ervaringsdeskundigen")
    await chat.say("ja, jongeren krijgen een tegoedbon")
    assert "Welke vergoeding" not in chat.question.text  # it was asked again
    data = store.plans(owner="console:tester")[-1].data
    assert (data["vergoeding"], data["vergoeding_toelichting"]) == (
        True,
        "jongeren krijgen een tegoedbon",
    )


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("afwijken want de buurt moet eerst weten wat er kan", "want de buurt"),
        ("afwijken, aangezien de buurt eerst moet weten wat er kan", "aangezien de buurt"),
    ],
)
async def test_a_tip_is_kept_with_another_word_for_omdat(chat, store, said, kept):
    await chat.start()
    await _walk(chat, "Welk niveau", **{"In welke gemeente": "heemstede"})
    assert "💡 Tip:" in await chat.say("alleen informeren")
    text = await chat.say(said)
    assert "Genoteerd" in text and "Waarom past dit niveau" in chat.question.text
    data = store.plans(owner="console:tester")[-1].data
    assert list(data["afwijkingen"].values())[0].startswith(kept)
    assert "niveau_toelichting" not in data  # was stored as the answer to the next question


async def test_a_yes_where_a_name_is_asked_asks_for_the_name(chat, store):
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "contactpersoon (accounthouder)")
    text = await chat.say("ja best wel")  # was kept as the contact person's name
    assert "Ik zoek hier een naam" in text
    assert "accounthouder" in chat.question.text
    assert "accounthouder" not in store.plans(owner="console:tester")[-1].data
    await chat.say("Mirthe Voorbeeld")
    assert store.plans(owner="console:tester")[-1].data["accounthouder"] == "Mirthe Voorbeeld"


async def test_idem_at_the_role_of_the_next_group_takes_the_role_before_it(chat, store):
    from tests.interviews import HEERLEN

    await chat.start(gemeente="heerlen")
    await answer_until(chat, HEERLEN, "Welke groepen")
    await chat.say("kinderen, ouders")
    await chat.say("adviseur")
    while "Welke rol heeft 'ouders'" not in chat.question.text:
        await chat.say("overslaan")
    text = await chat.say("idem")  # was 'Die keuze ken ik niet'
    assert "→ adviseur" in text and "ken ik niet" not in text
    assert "'ouders'" in chat.question.text and "Welke rol" not in chat.question.text


async def test_the_buttons_after_als_er_nieuws_is_are_what_the_question_asks(chat, engine):
    import io

    from bot.channels.console import run_console
    from tests.interviews import HEERLEN
    from tests.test_cli import piped

    # the terminal showed '(nee)' as the only choice under "Typ 'ja', of geef een ander ritme"
    fragment = "Hoe vaak stuur je deelnemers"
    until = next(n for n, (q, _) in enumerate(HEERLEN) if q == fragment)
    typed = piped(HEERLEN[:until]) + "als er nieuws is\n"
    out = io.StringIO()
    await run_console(
        engine, "console:tester", gemeente="heerlen", stdin=io.StringIO(typed), stdout=out
    )
    shown = out.getvalue().split("Een update als er nieuws is, is goed.", 1)[1]
    assert "Typ 'ja', of geef een ander ritme." in shown
    assert "(nee)" not in shown
    # in a chat with buttons (the same person, back): 'ja' and the other answer it names
    await chat.start()
    assert [c.label for c in chat.question.choices] == ["ja", "een ander ritme"]
    await chat.say("nee")
    assert "Geef dan een ander antwoord." in chat.text and fragment in chat.question.text


async def test_wijzig_with_a_number_outside_a_list_opens_that_question(chat, store):
    # 'wijzig 2' at a question that is no list was kept as the answer to that question
    await chat.start(gemeente="leiden")
    await answer_until(chat, LEIDEN, "Wie neemt het initiatief")
    asked = chat.question.text
    text = await chat.say("wijzig 1")
    assert "Hoe heet je opgave" in chat.question.text, text
    await chat.say("Speelplek Kerkpad, nieuw")
    assert chat.question.text == asked
    data = store.plans(owner="console:tester")[-1].data
    assert data["titel"] == "Speelplek Kerkpad, nieuw"
    assert "initiatiefnemer_type" not in data
