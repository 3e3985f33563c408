"""The project group's evaluation against the handreiking, in the closing conversation, in
evaluatie.docx beside the participants' scores and in the public rapportage."""

from __future__ import annotations

import pytest

from bot.features import closing
from handreiking.documents import document_text
from handreiking.parsing import ParseError
from handreiking.projectgroep import Oordeel, lees_oordeel
from tests.conftest import Chat
from tests.test_delivery import make_plan


@pytest.mark.parametrize(
    ("typed", "oordeel", "opmerking"),
    [
        ("gedaan", Oordeel.gedaan, None),
        ("Deels: de zaal was te klein", Oordeel.deels, "de zaal was te klein"),
        ("niet gedaan, geen tijd", Oordeel.niet, "geen tijd"),
        ("niet - geen tijd", Oordeel.niet, "geen tijd"),
        ("ja", Oordeel.gedaan, None),
        ("jazeker", Oordeel.gedaan, None),
        ("klopt", Oordeel.gedaan, None),
        ("grotendeels, op de zaal na", Oordeel.deels, "op de zaal na"),
        ("niet helemaal: te laat", Oordeel.deels, "te laat"),
        ("nee, geen tijd", Oordeel.niet, "geen tijd"),
        # a word that only stresses the verdict is no remark
        ("nee hoor", Oordeel.niet, None),
        ("gedaan, zeker wel!", Oordeel.gedaan, None),
        ("ja hoor, via de nieuwsbrief", Oordeel.gedaan, "via de nieuwsbrief"),
    ],
)
def test_a_verdict_is_read_with_its_remark(typed, oordeel, opmerking):
    assert lees_oordeel(typed) == (oordeel, opmerking)


@pytest.mark.parametrize("typed", ["misschien", "", "nietsvermoedend"])
def test_anything_else_says_how_to_answer(typed):
    with pytest.raises(ParseError) as e:
        lees_oordeel(typed)
    assert "Begin je antwoord met 'gedaan', 'deels' of 'niet'." in e.value.message()


async def close_plan(
    owner: Chat,
    evalueren: bool,
    voorbeeld: bool = False,
    punten: dict[str, str] | None = None,
    stop_at: str | None = None,
) -> list:
    """The closing conversation of make_plan's plan, to the end; the documents it gave.
    `punten`: what is typed at a point of the handreiking ('Punt 4:' -> 'ja'); `stop_at`: the
    question to stop before (nothing is returned then)."""
    await owner.say("afronden")
    for _ in range(80):
        q = owner.question.text
        if stop_at and q.startswith(stop_at):
            return []
        typed = next((a for p, a in (punten or {}).items() if q.startswith(p)), None)
        if typed is not None:
            answer = typed
        elif "doorgegaan" in q:
            answer = "ja"
        elif q.startswith("Hoeveel mensen"):
            answer = "20"
        elif "niet in het plan stond" in q:
            answer = "klaar"
        elif q.startswith("Deden "):
            answer = "ja"
        elif "CSV" in q:
            answer = "overslaan"
        elif q.startswith("Welke reacties"):
            answer = "Groen: Meer bomen" if "Tot nu toe" not in q else "klaar"
        elif "Wat is er met deze inbreng gedaan?" in q:
            answer = "overgenomen"
        elif q.startswith("Waarom?"):
            answer = "Er komen twaalf bomen bij."
        elif "meegewogen" in q:
            answer = "In het ontwerp."
        elif "Wil je die evaluatie nu vastleggen?" in q:
            assert "handreiking van Leiden" in q
            answer = "ja" if evalueren else "nee"
        elif q.startswith("Punt 2:"):
            assert "Begin vroeg met participatie." in q
            await owner.say("misschien")
            assert "Begin je antwoord met 'gedaan', 'deels' of 'niet'." in owner.text
            assert owner.question.text == q  # the same point again
            answer = "deels: we begonnen pas na het voorontwerp"
        elif q.startswith("Punt 3:"):
            answer = "niet: de zaal was te laat geboekt"
        elif q.startswith("Punt "):
            answer = "gedaan"
        elif q.startswith("Wat ging goed"):
            answer = "De avond op het plein trok veel buren."
        elif q.startswith("Wat doet de projectgroep"):
            answer = "Eerder beginnen en de zaal op tijd boeken."
        elif "voorbeeldenbank" in q:
            answer = "ja" if voorbeeld else "nee"
        elif q.startswith("Klopt alles?"):
            answer = "ja"
        else:
            raise AssertionError(f"unexpected question: {q}")
        await owner.say(answer)
        done = [r for r in owner.replies if r.kind == "done"]
        if done:
            return done[0].documents
    raise AssertionError("the closing interview did not end")


async def test_the_project_group_evaluates_point_by_point_and_both_documents_show_it(engine, store):
    make_plan(store)
    documents = await close_plan(Chat(engine, "console:tester"), evalueren=True)
    by_name = {p.name: p for p in documents}
    evaluatie = document_text(by_name["evaluatie.docx"])
    assert "Van de 18 punten van de handreiking: 16 gedaan, 1 deels, 1 niet gedaan." in evaluatie
    # the remark begins a cell of the table: a capital, the rest as typed
    assert "Begin vroeg met participatie.\tdeels\tWe begonnen pas na het voorontwerp" in evaluatie
    assert "tevoren aan.\tniet gedaan\tDe zaal was te laat geboekt" in evaluatie
    assert "Wat ging goed\nDe avond op het plein trok veel buren." in evaluatie
    assert "Eerder beginnen en de zaal op tijd boeken." in evaluatie
    # the participants' part stays: nobody filled in the form yet
    assert "Nog niemand vulde het evaluatieformulier in." in evaluatie
    # Leiden: part of the public decision-making, so in the rapportage too
    rapportage = document_text(by_name["participatierapportage.docx"])
    assert "8. Evaluatie door de projectgroep" in rapportage
    assert "Begin vroeg met participatie.\tdeels\tWe begonnen pas na het voorontwerp" in rapportage


async def test_without_the_project_groups_evaluation_the_documents_say_it_is_not_there_yet(
    engine, store
):
    plan = make_plan(store)
    documents = await close_plan(Chat(engine, "console:tester"), evalueren=False)
    by_name = {p.name: p for p in documents}
    evaluatie = document_text(by_name["evaluatie.docx"])
    assert "De projectgroep heeft haar evaluatie nog niet vastgelegd." in evaluatie
    assert "Evaluatie door de projectgroep" not in document_text(
        by_name["participatierapportage.docx"]
    )
    assert closing.load_afronding(store.plan(plan.id)).projectgroep is None


async def test_yes_and_no_answer_is_this_done(engine, store):
    """'Is dit gedaan?' was answered 'ja' and got 'Dit is geen vraag met ja of nee ...
    bijvoorbeeld: 'Buurthuis De Linde''; a yes is 'gedaan', a no 'niet gedaan'."""
    make_plan(store)
    owner = Chat(engine, "console:tester")
    documents = await close_plan(
        owner,
        evalueren=True,
        punten={"Punt 4:": "ja", "Punt 5:": "nee, geen tijd", "Punt 6:": "jazeker"},
    )
    assert not any("geen vraag met ja of nee" in r.text for r in owner.replies)
    evaluatie = document_text({p.name: p for p in documents}["evaluatie.docx"])
    assert "Van de 18 punten van de handreiking: 15 gedaan, 1 deels, 2 niet gedaan." in evaluatie
    assert "niet gedaan\tGeen tijd" in evaluatie


async def test_ja_hoor_is_done_without_a_remark_in_the_table(engine, store):
    # 'ja hoor' at 'Punt 4' came out in the rapportage's table as gedaan with the remark 'Hoor'
    make_plan(store)
    owner = Chat(engine, "console:tester")
    documents = await close_plan(owner, evalueren=True, punten={"Punt 4:": "ja hoor"})
    evaluatie = document_text({p.name: p for p in documents}["evaluatie.docx"])
    assert "Hoor" not in evaluatie
    assert "Van de 18 punten van de handreiking: 16 gedaan, 1 deels, 1 niet gedaan." in evaluatie


async def test_the_summary_names_each_point_without_how_to_type_it(engine, store):
    """The summary before the documents repeated 'Is dit gedaan? Typ 'gedaan', 'deels' of
    'niet'. Een opmerking mag erachter, ...' under every one of the points."""
    make_plan(store)
    owner = Chat(engine, "console:tester")
    await close_plan(owner, evalueren=True, stop_at="Klopt alles?")
    summary = await owner.say("samenvatting")
    assert "• Punt 2: Begin vroeg met participatie.\n  deels: we begonnen pas" in summary
    assert "Typ 'gedaan'" not in summary and "Een opmerking mag erachter" not in summary


async def test_the_summary_counts_the_lines_of_a_csv_file(engine, store):
    """A pasted export stood in the summary line by line, with the names and e-mail addresses
    of everyone who reacted."""
    make_plan(store)
    owner = Chat(engine, "console:tester")
    export = "Naam;E-mail;Reactie\nPiet Testpersoon;piet@example.org;Meer bomen\n;;Een bankje\n"
    await close_plan(owner, evalueren=False, punten={"Heb je de reacties": export}, stop_at="Klopt")
    summary = await owner.say("samenvatting")
    assert "• Reacties uit een CSV-bestand\n  een bestand van 3 regels" in summary
    assert "Piet Testpersoon" not in summary


async def test_why_an_activity_did_not_take_place_reaches_the_rapportage(engine, store):
    """'nee, verschoven naar het najaar vanwege de regen' lost its reason, and nothing asked
    for one: the rapportage said only '... ging niet door.'"""
    make_plan(store)
    owner = Chat(engine, "console:tester")
    documents = await close_plan(
        owner,
        evalueren=False,
        punten={
            "Is activiteit 1": "nee, verschoven naar het najaar vanwege de regen",
            "Is activiteit 2": "nee",
            "Waarom ging activiteit 2": "Het platform lag eruit.",
        },
    )
    rapportage = document_text({p.name: p for p in documents}["participatierapportage.docx"])
    assert "Ontwerpavond) ging niet door.\nWaarom: verschoven naar het najaar vanwege de regen" in (
        rapportage
    )
    assert "schetsen) ging niet door.\nWaarom: Het platform lag eruit." in rapportage
    # one reaction is no plural
    assert "Er kwam 1 reactie binnen, over 1 thema." in rapportage


async def test_the_closing_documents_carry_the_day_they_were_made(engine, store):
    """With the bot's clock on 12 januari 2026 the rapportage's front page gave the
    computer's date, months away from the traject it reported on."""
    make_plan(store)
    documents = await close_plan(Chat(engine, "console:tester"), evalueren=False)
    by_name = {p.name: p for p in documents}
    for name in ("participatierapportage.docx", "evaluatie.docx"):
        assert "Datum\t12 januari 2026" in document_text(by_name[name]), name


async def test_after_the_close_the_owner_hears_of_the_participants_evaluation(engine, store):
    """The close named publishing and 'besluit' as next steps, never 'evaluatie': evaluatie.docx
    said 'Nog niemand vulde het evaluatieformulier in.' and nothing said how to send it."""
    make_plan(store)
    owner = Chat(engine, "console:tester")
    await close_plan(owner, evalueren=False)
    assert "Typ 'evaluatie'; dan krijgt iedere deelnemer een korte vragenlijst." in owner.text


async def test_a_reason_that_says_nothing_is_asked_again(engine, store):
    """'zelfde als in het plan' and 'weet ik niet meer precies' at 'Waarom?' went as they were
    into the public rapportage and the mail to every participant."""
    make_plan(store)
    owner = Chat(engine, "console:tester")
    await close_plan(owner, evalueren=False, stop_at="Waarom?")
    question = owner.question.text
    for typed in ("zelfde als in het plan", "Weet ik niet meer precies.", "zie plan"):
        await owner.say(typed)
        # 'weet ik niet meer' is not knowing, which this question needs an answer to
        said = ("Dit komt zo in de openbare rapportage", "Dit heb ik nodig om verder te gaan")
        assert any(s in owner.text for s in said), typed
        assert owner.question.text == question
    await owner.say("Zoals in het plan stond: twee bankjes bij de kerk.")
    assert owner.question.text != question
