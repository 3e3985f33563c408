"""What people meet after the interview, as they meet it: the owner in the web chat, the
advisor's page and mails, participants following a plan, the closing conversation."""

from __future__ import annotations

import html
import re
from datetime import date, datetime

import httpx
from starlette.applications import Starlette

from bot import participant_pages, public_pages
from bot.app import build_engine
from bot.channels.console import format_reply
from bot.engine import Engine
from bot.features import participants, privacy, reminders_worker, review
from bot.mail import Outbox
from bot.settings import Settings
from bot.signing import secret_key, verify
from bot.storage import Store
from bot.storage.lifecycle import Lifecycle
from bot.storage.store import PlanRecord
from handreiking import reminders
from handreiking.documents import document_text
from handreiking.models import Plan
from handreiking.profiles import profile_or_default
from tests.conftest import NOW, Chat
from tests.interviews import LEIDEN
from tests.review_helpers import (
    BASE,
    MailServer,
    attachments,
    client,
    finish,
    form_of,
    read_eml,
    review_link,
    text_body,
)
from tests.test_delivery import make_plan
from tests.test_engine import run_script
from tests.test_participants import outbox
from tests.test_review import action, verdicts
from tests.test_webchat import hidden, site, site_settings  # noqa: F401 (fixtures)

WEB_OWNER = "web:k2XfProefSessie"
NOW_CLOCK = datetime.fromisoformat(NOW)


async def answered(engine: Engine, settings: Settings, store: Store, **aanpassen: str) -> str:
    """A plan from the web chat handed in and answered by the advisor; the review link."""
    _, link = await submitted_from_the_web(engine)
    async with client(settings, store) as web:
        page = (await web.get(link)).text
        await web.post(action(page, "beoordeling"), data=verdicts(page, **aanpassen))
    return link


async def submitted_from_the_web(engine: Engine) -> tuple[Chat, str]:
    """A plan written in the web chat and handed in; the review link from its mail."""
    owner = Chat(engine, WEB_OWNER)
    await finish(owner, LEIDEN, "leiden")
    await owner.say("indienen")
    path = re.search(r"\S+\.eml", owner.text).group()
    return owner, review_link(read_eml(path))


async def close_to_the_weighing(owner: Chat) -> None:
    """'afronden' on the made plan: its activity, one reaction about Groen, then that reaction
    weighed ('overgenomen', what is done, how it was weighed)."""
    await owner.say("afronden")
    for answer in (
        "nee, de zaal was dicht",
        "ja",
        "34",
        "klaar",
        "overslaan",
        "Groen: Meer bomen",
        "klaar",
        "overgenomen",
        "Er komen bomen.",
        "Gewogen in het ontwerp.",
    ):
        await owner.say(answer)


async def closed_plan(engine: Engine, store: Store) -> tuple[PlanRecord, Chat]:
    """A made plan closed by its owner: the reaction weighed, the rapportage written."""
    record = make_plan(store, owner=WEB_OWNER)
    owner = Chat(engine, WEB_OWNER)
    await close_to_the_weighing(owner)
    for answer in ("nee", "nee", "ja"):
        await owner.say(answer)
    return record, owner


async def record_besluit(owner: Chat) -> None:
    """'besluit': the raad decided on 12 January 2026 that the square gets greener."""
    await owner.say("besluit")
    for answer in ("12 januari 2026", "raad", "Het plein wordt groener.", "overslaan", "ja"):
        await owner.say(answer)


async def test_a_pasted_list_of_reactions_is_noted_at_once_and_the_list_asked_again(
    engine: Engine, store: Store
) -> None:
    owner = Chat(engine, "web:eigenaar")
    make_plan(store, owner="web:eigenaar")
    await owner.say("afronden")
    for answer in ("nee, de zaal was dicht", "ja", "weet ik nog niet", "klaar", "overslaan"):
        await owner.say(answer)
    assert owner.question.text.startswith("Welke reacties kwamen er nog meer binnen")
    await owner.say("Groen: Meer bomen\nVerkeer: Een zebrapad\nGroen: Bankjes in de schaduw")
    assert "Ik heb er 3 genoteerd." in owner.text
    assert "per groep" not in owner.text
    assert all(r.text for r in owner.replies), owner.replies  # never an empty message
    assert "3. Groen: Bankjes in de schaduw" in owner.question.text
    await owner.say("klaar")
    assert owner.question.text.startswith("Thema Groen (2 reacties).")


async def test_following_in_the_web_chat_leads_to_following_by_mail(
    engine: Engine, store: Store, settings: Settings
) -> None:
    plan = make_plan(store)
    code = participants.invitation_code(store, plan.id)
    visitor = Chat(engine, "web:bezoeker")
    text = await visitor.say(f"volg {code}")
    assert "In deze chat kan ik je later geen nieuws sturen." in text
    assert f"{settings.public_url}/volg/{code}" in text
    await visitor.say(f"volg {code} ja")
    assert participants.followed(store, "web:bezoeker") == []  # nothing kept that never arrives


async def test_the_advisor_sees_the_owner_by_name_and_never_a_chat_id(
    engine: Engine, store: Store, settings: Settings
) -> None:
    link = await answered(engine, settings, store, planning="Eerder.")
    async with client(settings, store) as web:
        page = (await web.get(link)).text
    assert "eigenaar: Sam Voorbeeld (projectleider openbare ruimte)" in page
    # the history names the advisor by address and the owner by name
    assert "web:" not in page and "email:" not in page
    assert "(participatie-leiden@example.org)" in page
    assert "(Sam Voorbeeld (projectleider openbare ruimte))" in page


async def test_the_close_points_to_the_besluit_command_and_participants_to_the_rapportage(
    engine: Engine, store: Store, settings: Settings
) -> None:
    plan = make_plan(store, owner=WEB_OWNER)
    code = participants.invitation_code(store, plan.id)
    await engine.handle("telegram:4711", f"volg {code} ja", naam="Deelnemer")
    owner = Chat(engine, WEB_OWNER)
    await close_to_the_weighing(owner)
    for answer in ("nee", "nee"):
        await owner.say(answer)
    await owner.say("ja")
    assert "Is het besluit genomen? Typ dan 'besluit';" in owner.text
    assert "participatiebot plans" not in owner.text  # a command line the web chat has not
    told = [m.text for m in outbox(store, "telegram:4711") if "rapportage" in m.text]
    assert told and f"Je leest hem ook hier: {settings.public_url}/plannen/{code}" in told[0]


async def test_a_web_chat_owner_gets_a_link_back_and_hears_that_the_plan_was_adopted(
    site: str,  # noqa: F811
    smtp: MailServer,
    store: Store,
    site_settings: Settings,  # noqa: F811
) -> None:
    owner = Chat(build_engine(store, site_settings), WEB_OWNER)
    await finish(owner, LEIDEN, "leiden")
    await owner.say("indienen")
    [submitted] = smtp.to("participatie-leiden@example.org")
    link = re.search(r"http://\S+/adviseur/plannen/\S+", text_body(submitted)).group()
    async with httpx.AsyncClient(follow_redirects=True) as advisor:
        page = (await advisor.get(link)).text
        form = verdicts(page, planning="Begin eerder met de aankondiging.")
        await advisor.post(site + action(page, "beoordeling"), data=form)
    await Outbox(site_settings, store).send_due()
    [answered] = smtp.to("eigenaar@example.org")
    back = re.search(r"http://\S+/chat/verder\?t=\S+", text_body(answered)).group()
    assert back.startswith(site)
    async with httpx.AsyncClient(follow_redirects=True) as laptop:
        opened = await laptop.get(back)
        page = await laptop.post(f"{site}/chat/verder", data={"t": hidden(opened.text, "t")})
    assert "vraagt je iets aan te passen" in page.text
    assert "Begin eerder met de aankondiging." in page.text

    plan_id = store.plans()[0].id
    store.save(WEB_OWNER, plan_id, store.plan(plan_id).data, {}, status="akkoord_adviseur")
    review.vaststellen(site_settings, store, plan_id, date(2026, 1, 9), None, "email:adviseur")
    [told] = [
        m.text for m in outbox(store, "email:eigenaar@example.org") if "vastgesteld" in m.text
    ]
    assert "is vastgesteld op 9 januari 2026. De participatie kan beginnen." in told
    # a letter, as the advisor's mails are: it had no greeting or sign-off
    assert told.startswith("Hallo,\n\n") and told.endswith(
        "Met vriendelijke groet,\nparticipatiebot"
    )
    assert "typ 'uitnodigen'" in told and f"{site}/chat/verder?t=" in told
    code = participants.invitation_code(store, plan_id)
    assert f"De openbare pagina van je plan: {site}/plannen/{code}" in told


async def test_the_page_after_yes_by_mail_speaks_of_mail_not_of_chat_commands(
    engine: Engine, store: Store, settings: Settings
) -> None:
    make_plan(store)
    await Chat(engine, "console:tester").say("uitnodigen buur@example.org")
    [row] = outbox(store, "email:buur@example.org")
    consent = re.search(r"http://\S+/deelnemen/\S+", row.text).group(0)
    app = Starlette(routes=participant_pages.routes(settings, store))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as web:
        page = await web.get(consent)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        done = (await web.post(consent, data={"csrf": csrf, "keuze": "ja"})).text
        again = (await web.get(consent)).text
    assert "Je krijgt nieuws en herinneringen per mail" in done
    for page_text in (done, again):
        assert "gebruik de afmeldlink onder elke mail" in page_text
        assert "stuur &#39;afmelden&#39;" not in page_text and "stuur 'afmelden'" not in page_text
    assert "Stuur gewoon een bericht" not in done  # a mail reply reaches nobody


async def test_the_public_page_says_what_the_level_means_for_residents(
    store: Store, settings: Settings
) -> None:
    record = make_plan(store, niveau="adviseren", niveau_toelichting="De buurt kent de plek.")
    code = participants.invitation_code(store, record.id)
    app = Starlette(routes=public_pages.routes(settings, store))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as web:
        page = html.unescape((await web.get(f"/plannen/{code}")).text)
        english = html.unescape((await web.get(f"/plannen/{code}?lang=en")).text)
    meaning = "Je geeft advies. Wie besluit, neemt dat advies over of legt uit waarom niet."
    assert f"<p>We kiezen voor adviseren. {meaning}</p>" in page
    assert "<p>De buurt kent de plek.</p>" in page
    assert "<p>adviseren." not in page  # not a bare word in lower case as a sentence
    assert "<p>Adviseren.</p>" in english


def test_reminders_name_an_activity_without_a_name_of_its_own_once() -> None:
    plan = Plan(
        titel="Speeltuin opknappen",
        gemeente="leiden",
        activiteiten=[
            {"type": "workshop", "datum": "2027-02-10", "plaats": "Buurthuis"},
            {"type": "bijeenkomst", "omschrijving": "Inloopavond", "datum": "2027-04-06"},
        ],
    )
    texts = [r.text for r in reminders.reminders(plan, profile_or_default("leiden"))]
    said = "\n".join(texts)
    assert "workshop (workshop)" not in said
    assert "Morgen is het zover: workshop over Speeltuin opknappen, op 10 februari 2027" in said
    assert "moet de aankondiging van de workshop op 10 februari 2027 de deur uit" in said
    assert "Morgen is het zover: Inloopavond (bijeenkomst) over Speeltuin opknappen" in said


async def test_the_advisor_reads_the_questions_without_the_chat_instructions(
    engine: Engine, store: Store, settings: Settings
) -> None:
    _, link = await submitted_from_the_web(engine)
    async with client(settings, store) as web:
        page = html.unescape((await web.get(link)).text)
    labels = re.findall(r"<dt[^>]*>(.*?)</dt>", page)
    assert "Welke activiteiten plan je?" in labels
    assert "Welke groepen hebben belang bij de opgave?" in labels
    assert "Welk niveau van participatie kies je voor het plan als geheel?" in labels
    for said_in_chat in ("Typ 'klaar'", "Typ de nummers", "mag je overslaan", "plak een lijst"):
        assert not [label for label in labels if said_in_chat in label], said_in_chat


async def test_changing_an_activity_offers_its_fields_in_words_and_laat_maar_leaves_it(
    chat: Chat,
) -> None:
    await run_script(
        chat, LEIDEN[: LEIDEN.index(("Welke activiteiten", "online inbreng"))], "leiden"
    )
    await chat.say("wijzig 1")
    labels = [c.label for c in chat.question.choices]
    assert labels[:3] == ["soort activiteit", "omschrijving", "datum"]
    assert "type" not in labels
    text = await chat.say("laat maar")
    assert "Je wijzigt niets." in text
    assert "Dat nummer staat niet in de lijst" not in text
    assert chat.question.text.startswith("Welke activiteiten plan je?")


async def test_after_the_close_the_owner_is_offered_what_fits_a_finished_plan(
    engine: Engine, store: Store
) -> None:
    owner = Chat(engine, WEB_OWNER)
    await finish(owner, LEIDEN, "leiden")
    plan_id = store.plans()[0].id
    state = store.state(WEB_OWNER, plan_id)
    store.save(WEB_OWNER, plan_id, store.plan(plan_id).data, state, status="afgerond")
    text = await owner.say("hallo")
    assert "Je plan is afgerond. Typ 'besluit'" in text
    assert "indienen" not in text  # it was handed in long ago
    text = await owner.say("verwijder")
    assert "dus dat wis ik niet in de chat" in text  # an answer to what was asked


async def test_mijngegevens_tells_an_owner_what_the_plan_keeps_about_them(engine: Engine) -> None:
    owner = Chat(engine, WEB_OWNER)
    await finish(owner, LEIDEN, "leiden")
    text = await owner.say("mijngegevens")
    assert "• Je plannen: Herinrichting Lindenplein." in text
    assert "wat je over jezelf invulde: Sam Voorbeeld, eigenaar@example.org." in text
    assert "afmelden" not in text  # they follow no plan: nothing to stop


async def test_the_project_groups_points_come_with_their_three_answers_as_buttons(
    engine: Engine, store: Store
) -> None:
    owner = Chat(engine, WEB_OWNER)
    make_plan(store, owner=WEB_OWNER)
    await close_to_the_weighing(owner)
    await owner.say("ja")
    assert owner.question.text.startswith("Punt 1:")
    assert [c.label for c in owner.question.choices] == ["gedaan", "deels", "niet"]
    await owner.say(owner.question.choices[0].value)
    assert owner.question.text.startswith("Punt 2:")


async def test_a_reminder_sent_later_in_its_window_counts_no_wrong_days(
    store: Store, settings: Settings
) -> None:
    # a plan adopted a week after the reminder to prepare the aankondiging was due hears it at
    # once; it read 'Over 14 dagen, op 19 februari' on 12 February, a week before that day
    make_plan(store, owner=WEB_OWNER)
    reminders_worker.schedule(store, settings, datetime.fromisoformat("2026-02-12T10:00+01:00"))
    [mail] = outbox(store, "email:eigenaar@example.org")
    assert "Over 14 dagen" not in mail.text
    assert "Uiterlijk 19 februari 2026 moet de aankondiging" in mail.text


async def test_a_reminder_mail_to_a_web_chat_owner_carries_the_way_back(
    store: Store, settings: Settings
) -> None:
    record = make_plan(store, owner=WEB_OWNER)
    reminders_worker.schedule(store, settings, datetime.fromisoformat("2026-02-05T10:00+01:00"))
    [mail] = outbox(store, "email:eigenaar@example.org")
    assert "Uiterlijk 19 februari 2026 moet de aankondiging" in mail.text
    link = re.search(r"Ga verder in het gesprek: (\S+) \(de link werkt 7 dagen\)", mail.text)
    assert link and link.group(1).startswith(f"{settings.public_url}/chat/verder?t=")
    console = make_plan(store, owner="console:tester")
    assert participants.way_back(settings, console) == ""  # the terminal is where it was
    assert record.id != console.id


async def test_the_link_back_opens_the_adopted_plan_not_a_new_interview(
    site: str,  # noqa: F811
    store: Store,
    site_settings: Settings,  # noqa: F811
) -> None:
    owner = Chat(build_engine(store, site_settings), WEB_OWNER)
    await finish(owner, LEIDEN, "leiden")
    plan_id = store.plans()[0].id
    state = store.state(WEB_OWNER, plan_id)
    store.save(WEB_OWNER, plan_id, store.plan(plan_id).data, state, status="in_uitvoering")
    back = re.search(
        r"http://\S+/chat/verder\?t=\S+", participants.way_back(site_settings, store.plan(plan_id))
    )
    async with httpx.AsyncClient(follow_redirects=True) as laptop:
        opened = await laptop.get(back.group())
        page = await laptop.post(f"{site}/chat/verder", data={"t": hidden(opened.text, "t")})
    text = html.unescape(page.text)
    assert "Je plan is vastgesteld. Typ 'uitnodigen'" in text
    assert "Hoe heet je opgave" not in text
    assert [p.id for p in store.plans(owner=WEB_OWNER)] == [plan_id]  # no new plan begun


async def test_the_web_chat_takes_the_csv_of_reactions_as_a_file(
    site: str,  # noqa: F811
    store: Store,
    site_settings: Settings,  # noqa: F811
) -> None:
    async with httpx.AsyncClient(base_url=site, follow_redirects=True) as browser:
        token = (await browser.post("/chat/api/session", json={"gemeente": "leiden"})).json()
        sid = verify(secret_key(site_settings.data_dir), "webchat", token["session"], NOW_CLOCK)
        make_plan(store, owner=f"web:{sid['s']}")
        page = (await browser.get("/chat")).text
        for answer in ("afronden", "nee, de zaal was dicht", "ja", "34", "klaar"):
            page = (
                await browser.post("/chat", data={"csrf": hidden(page, "csrf"), "text": answer})
            ).text
        assert "Stuur het bestand" in page
        assert (
            '<label class="utrecht-form-label" for="bestand">Of kies het bestand (CSV)</label>'
            in page
        )
        assert 'enctype="multipart/form-data"' in page
        csv = b"Reactie;Thema\nMeer bomen;Groen\nEen zebrapad;Verkeer\n"
        sent = await browser.post(
            "/chat",
            data={"csrf": hidden(page, "csrf"), "text": ""},
            files={"bestand": ("doemee-export.csv", csv, "text/csv")},
        )
    page = html.unescape(sent.text)
    assert "📎 doemee-export.csv" in page  # the answer as the conversation shows it
    assert "Welke reacties kwamen er nog meer binnen" in page  # the file was read: next question


async def test_the_join_page_offers_volg_in_a_chat_only_where_slack_or_teams_runs(
    store: Store, settings: Settings
) -> None:
    record = make_plan(store)
    code = participants.invitation_code(store, record.id)
    slack = settings.model_copy(update={"slack_bot_token": "xoxb-1", "slack_signing_secret": "s"})
    for configured, offered in ((settings, False), (slack, True)):
        app = Starlette(routes=participant_pages.routes(configured, store))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as web:
            page = (await web.get(f"/volg/{code}")).text
        assert (f"in de chat met participatiebot: stuur volg {code}" in page) is offered


async def test_the_adoption_names_the_version_the_advisor_approved(
    engine: Engine, store: Store, settings: Settings
) -> None:
    link = await answered(engine, settings, store)
    async with client(settings, store) as web:
        page = (await web.get(link)).text
        form = {**form_of(page), "datum": "2026-01-09", "besluit": "B-1"}
        await web.post(action(page, "vaststelling"), data=form)
        page = (await web.get(link)).text
    assert "Versie 1, ingediend op" in page
    assert "Vastgesteld op 9 januari 2026, besluit B-1 (versie 1)." in page


async def test_the_history_names_the_sections_sent_back_by_their_titles(
    engine: Engine, store: Store, settings: Settings
) -> None:
    link = await answered(engine, settings, store, planning="Eerder.", kaders="Uitleggen.")
    async with client(settings, store) as web:
        page = html.unescape((await web.get(link)).text)
    assert "aanpassen: Wat ligt al vast, Planning" in page


async def test_the_chat_page_tells_what_the_advisor_asked_without_waiting_for_a_message(
    site: str,  # noqa: F811
    store: Store,
    site_settings: Settings,  # noqa: F811
) -> None:
    async with httpx.AsyncClient(base_url=site, follow_redirects=True) as browser:
        page = (await browser.post("/chat", data={"actie": "start", "gemeente": "leiden"})).text
        for _, answer in [*LEIDEN, ("Klopt alles", "ja"), ("indienen", "indienen")]:
            page = (
                await browser.post("/chat", data={"csrf": hidden(page, "csrf"), "text": answer})
            ).text
        assert "Je plan is ingediend bij de adviseur" in html.unescape(page)
        [record] = store.plans()
        version = Lifecycle(store).latest(record.id, "ingediend").nr
        verdicts_ = {
            s: ("akkoord", None) for s in ("quickscan", "kaders", "plan", "terugkoppeling")
        }
        verdicts_["planning"] = ("aanpassen", "Begin eerder met de aankondiging.")
        review.record_review(site_settings, store, record.id, version, verdicts_, "email:a@x.nl")
        page = html.unescape((await browser.get("/chat")).text)  # the page opened again
    assert "vraagt je iets aan te passen" in page
    assert "Begin eerder met de aankondiging." in page


async def test_status_during_the_close_names_the_plan(engine: Engine, store: Store) -> None:
    owner = Chat(engine, WEB_OWNER)
    make_plan(store, owner=WEB_OWNER)
    await owner.say("afronden")
    text = await owner.say("status")
    assert text.startswith("'Herinrichting Lindenplein':")
    assert "nog zonder naam" not in text


def test_the_announcement_reminder_names_its_date_also_when_it_goes_out_later() -> None:
    plan = Plan(
        titel="Speeltuin opknappen",
        gemeente="leiden",
        activiteiten=[{"type": "workshop", "datum": "2027-02-10", "aankondiging": "2027-01-20"}],
    )
    [send] = [
        r
        for r in reminders.reminders(plan, profile_or_default("leiden"))
        if r.kind == "aankondiging_versturen"
    ]
    later = date(2027, 2, 1)  # the plan was adopted after the deadline: it goes out now
    assert send.start <= later <= send.end
    assert "Vandaag" not in send.text
    assert "moet uiterlijk 20 januari 2027 de deur uit. Is hij nog niet verstuurd?" in send.text


async def test_the_besluit_is_confirmed_as_recording_it_not_as_making_documents(
    engine: Engine, store: Store
) -> None:
    make_plan(store, owner=WEB_OWNER)
    owner = Chat(engine, WEB_OWNER)
    await owner.say("besluit")
    for answer in ("12 januari 2026", "raad", "Het plein wordt groener.", "overslaan"):
        await owner.say(answer)
    assert owner.question.text == (
        "Klopt alles? Typ 'ja' om het besluit vast te leggen, of 'wijzig' om iets te veranderen."
    )


async def test_a_besluit_not_online_yet_is_no_link_in_the_documents(
    engine: Engine, store: Store, settings: Settings
) -> None:
    # 'staat nog niet online' at the link was printed in the rapportage and the paragraaf as
    # 'Meer informatie: staat nog niet online'
    record, owner = await closed_plan(engine, store)
    await owner.say("besluit")
    for answer in ("12 januari 2026", "raad", "Het plein wordt groener."):
        await owner.say(answer)
    text = await owner.say("staat nog niet online")
    assert "Dat is geen link." in text and "Typ dan 'overslaan'" in text
    assert owner.question.text.startswith("Waar kunnen mensen het besluit lezen?")
    await owner.say("overslaan")
    await owner.say("ja")
    rapportage = document_text(
        settings.data_dir / "plans" / record.id / "participatierapportage.docx"
    )
    assert "besloot de raad: Het plein wordt groener." in rapportage
    assert "Meer informatie" not in rapportage
    # the address once it is there, in a sentence of its own
    await owner.say("besluit")
    for answer in ("12 januari 2026", "raad", "Het plein wordt groener."):
        await owner.say(answer)
    await owner.say("staat op heemstede.nl/raad/besluit-12")
    await owner.say("ja")
    rapportage = document_text(
        settings.data_dir / "plans" / record.id / "participatierapportage.docx"
    )
    assert "Meer informatie: staat op heemstede.nl/raad/besluit-12" in rapportage


GROUPS = [
    {"naam": "Team Openbare Ruimte", "rol": "proceseigenaar"},
    {"naam": "ouders", "rol": "wordt geraadpleegd"},
    {"naam": "buren", "rol": "wordt geraadpleegd"},
    {"naam": "winkeliers", "rol": "wordt geraadpleegd"},
    {"naam": "jongeren", "rol": "wordt geïnformeerd"},
    {"naam": "ouderen", "rol": "wordt geïnformeerd"},
]


async def test_a_group_that_took_part_in_part_is_reached_with_the_remark_kept(
    engine: Engine, store: Store, settings: Settings
) -> None:
    record = make_plan(store, owner=WEB_OWNER, belanghebbenden=GROUPS)
    owner = Chat(engine, WEB_OWNER)
    await owner.say("afronden")
    for answer in ("nee, de zaal was dicht", "ja", "34", "klaar"):
        await owner.say(answer)
    assert owner.question.text.startswith("Deden ouders mee")
    assert [c.label for c in owner.question.choices] == ["ja", "deels", "nee"]
    assert format_reply(owner.question).endswith("(ja · deels · nee)")  # the terminal says so
    await owner.say("deels, een paar ouders")
    assert "→ deels" in owner.text
    assert owner.question.text.startswith("Deden buren mee")  # the remark answered 'wie'
    await owner.say("een paar wel")
    # said without who: asked once, and it may be skipped
    assert owner.question.text.startswith("Wie van buren deden mee, en wie niet?")
    await owner.say("overslaan")
    await owner.say("gedeeltelijk")
    await owner.say("alleen de winkels aan het plein")
    await owner.say("niet iedereen")
    await owner.say("overslaan")
    await owner.say("nee")  # ouderen: not reached
    assert owner.question.text.startswith("Heb je de reacties als CSV-bestand")
    for answer in ("overslaan", "Groen: Meer bomen", "klaar", "overgenomen", "Er komen bomen."):
        await owner.say(answer)
    for answer in ("Gewogen in het ontwerp.", "nee", "nee", "ja"):
        await owner.say(answer)
    folder = settings.plans_dir / record.id
    for name in ("participatierapportage.docx", "participatieparagraaf.docx"):
        text = document_text(folder / name)
        assert (
            "Mee deden: ouders (deels: een paar ouders), buren (deels), winkeliers (deels: "
            "alleen de winkels aan het plein) en jongeren (deels)."
        ) in text, name
    rapportage = document_text(folder / "participatierapportage.docx")
    assert "Niet bereikt: ouderen." in rapportage
    assert "Niet bereikt: ouders" not in rapportage


async def test_after_the_besluit_the_published_rapportage_and_the_paragraaf_tell_it(
    engine: Engine, store: Store, settings: Settings
) -> None:
    record, owner = await closed_plan(engine, store)
    folder = settings.plans_dir / record.id
    assert "Er is nog geen besluit." in document_text(folder / "participatierapportage.docx")
    await record_besluit(owner)
    assert "Het besluit is vastgelegd." in owner.text
    assert "Het besluit staat nu ook in participatierapportage.docx en " in owner.text
    sent = {p.name for r in owner.replies for p in r.documents}
    assert sent == {"participatierapportage.docx", "participatieparagraaf.docx"}
    said = "Op 12 januari 2026 besloot de raad: Het plein wordt groener."
    rapportage = document_text(folder / "participatierapportage.docx")
    assert said in rapportage
    assert "Er is nog geen besluit." not in rapportage
    assert "Het besluit was gepland op 1 oktober 2026 en viel op 12 januari 2026." in rapportage
    assert said in document_text(folder / "participatieparagraaf.docx")


async def test_a_besluit_before_the_close_writes_no_rapportage_yet(
    engine: Engine, store: Store, settings: Settings
) -> None:
    record = make_plan(store, owner=WEB_OWNER)
    owner = Chat(engine, WEB_OWNER)
    await record_besluit(owner)
    assert "Het besluit is vastgelegd." in owner.text
    assert "staat nu ook in" not in owner.text
    assert not (settings.plans_dir / record.id / "participatierapportage.docx").exists()


async def test_a_home_address_in_a_reaction_stays_out_of_the_published_rapportage(
    engine: Engine, store: Store, settings: Settings
) -> None:
    record = make_plan(store, owner=WEB_OWNER)
    owner = Chat(engine, WEB_OWNER)
    await owner.say("afronden")
    for answer in ("nee, de zaal was dicht", "ja", "34", "klaar", "overslaan"):
        await owner.say(answer)
    await owner.say("Groen: Meer bomen voor mijn huis, Kerkstraat 12a, 2311 AB Leiden")
    await owner.say("Verkeer: Een drempel, ik woon op de Lindenlaan 7 en er wordt hard gereden")
    for answer in ("klaar", "overgenomen", "Er komen bomen.", "deels overgenomen"):
        await owner.say(answer)
    for answer in ("Er komt een drempel.", "Gewogen in het ontwerp.", "nee", "nee", "ja"):
        await owner.say(answer)
    text = document_text(settings.plans_dir / record.id / "participatierapportage.docx")
    assert "Meer bomen voor mijn huis, [weggelaten], [weggelaten] Leiden" in text
    assert "Een drempel, ik woon op de [weggelaten] en er wordt hard gereden" in text
    for gone in ("Kerkstraat", "12a", "2311", "Lindenlaan 7"):
        assert gone not in text


async def test_participants_hear_from_the_owner_by_the_name_given_in_the_plan(
    engine: Engine, store: Store
) -> None:
    """'Namens root, Team Openbare Ruimte': the terminal's login name signed every message."""
    named = make_plan(store, owner="console:root", eigenaar_naam="Sam Voorbeeld")
    unnamed = make_plan(store, owner="console:root")
    for record in (named, unnamed):
        code = participants.invitation_code(store, record.id)
        await engine.handle("telegram:4711", f"volg {code} ja", naam="Deelnemer")
    owner = Chat(engine, "console:root")
    await engine.handle(owner.identity, "plannen", naam="root")  # the login name, as `chat` does
    for record in (named, unnamed):
        participants.post_update(store, engine.settings, record, owner.identity, "Nieuws.")
    said = [m.text for m in outbox(store, "telegram:4711") if "Nieuws." in m.text]
    assert len(said) == 2
    assert "Namens Sam Voorbeeld, Team Openbare Ruimte (Leiden)." in said[0]
    assert "Namens Team Openbare Ruimte (Leiden)." in said[1]
    assert not [text for text in said if "root" in text]
    # the owner asked to be erased: the plan goes on without their name
    privacy.erase_person(store, engine.settings, owner.identity)
    participants.post_update(store, engine.settings, store.plan(named.id), "gewist", "Later.")
    [later] = [m.text for m in outbox(store, "telegram:4711") if "Later." in m.text]
    assert "Namens Team Openbare Ruimte (Leiden)." in later


async def test_pauze_after_the_plan_is_done_says_what_comes_next_not_this_question(
    chat: Chat,
) -> None:
    # 'we gaan dan verder bij deze vraag' pointed at a question that was not there
    await finish(chat, LEIDEN, "leiden")
    text = await chat.say("pauze")
    assert "bij deze vraag" not in text
    assert "Alles is bewaard. Er staat geen vraag meer open." in text
    assert "Typ 'indienen' om het naar de adviseur van de gemeente te sturen" in text
    await chat.say("indienen")
    text = await chat.say("pauze")
    assert "bij deze vraag" not in text
    assert "Je plan ligt bij de adviseur van de gemeente." in text


async def test_after_the_besluit_the_advisor_gets_the_new_rapportage_once(
    engine: Engine, store: Store, settings: Settings
) -> None:
    # the advisor kept the rapportage from the close, without the besluit
    record, owner = await closed_plan(engine, store)

    async def advisor_mails() -> list:
        await Outbox(settings, store).send_due()  # delivered as .eml files
        folder = settings.data_dir / "outbox"
        mails = [read_eml(p) for p in sorted(folder.glob("*.eml"), key=lambda p: int(p.stem))]
        return [m for m in mails if m["To"] == "participatie-leiden@example.org"]

    [closed] = await advisor_mails()
    await record_besluit(owner)
    assert "Het besluit is vastgelegd." in owner.text
    [_, besluit] = await advisor_mails()
    assert besluit["Subject"] == f"Besluit in de participatierapportage: {record.titel}"
    body = text_body(besluit)
    assert "Op 12 januari 2026 besloot de raad: Het plein wordt groener." in body
    assert "die vervangt de rapportage die je bij het afronden kreeg" in body
    folder = settings.data_dir / "bijlagen"
    folder.mkdir()
    for nr, mail in enumerate((closed, besluit)):
        [(name, content)] = [(n, c) for n, c in attachments(mail).items() if n.endswith(".docx")]
        assert name == "participatierapportage.docx"
        (folder / f"{nr}.docx").write_bytes(content)
    assert "Er is nog geen besluit." in document_text(folder / "0.docx")
    new = document_text(folder / "1.docx")
    assert "Op 12 januari 2026 besloot de raad: Het plein wordt groener." in new
    assert "Er is nog geen besluit." not in new


async def test_an_extra_activity_named_with_its_number_of_people_proposes_that_number(
    engine: Engine, store: Store
) -> None:
    # 'gesprek met de jongeren op het veld, 12 jongeren' was followed by 'Hoeveel mensen deden
    # mee aan gesprek met de jongeren op het veld, 12 jongeren?' with nothing to take over
    from tests.test_projectgroep import close_plan

    make_plan(store)
    owner = Chat(engine, "console:tester")
    await close_plan(owner, evalueren=False, stop_at="Was er nog een activiteit")
    await owner.say("gesprek met de jongeren op het veld, 12 jongeren")
    assert "Voorstel: 12." in owner.question.text
    await owner.say("ja")
    assert "1. gesprek met de jongeren op het veld, 12 jongeren" in owner.question.text
    await owner.say("buurtschouw met de wijkagent")  # no number: nothing proposed
    assert "Voorstel" not in owner.question.text
    await owner.say("8")
    await owner.say("klaar")
    await owner.say("samenvatting")
    assert "gesprek met de jongeren op het veld, 12 jongeren · deelnemers: 12" in owner.text
    assert "buurtschouw met de wijkagent · deelnemers: 8" in owner.text


async def test_a_pasted_csv_export_is_said_back_with_its_number_of_reactions(
    engine: Engine, store: Store
) -> None:
    # a pasted export was followed by the next question only: read or not, nobody said
    from tests.test_projectgroep import close_plan

    make_plan(store)
    owner = Chat(engine, "console:tester")
    await close_plan(owner, evalueren=False, stop_at="Heb je de reacties als CSV")
    text = await owner.say(
        "naam;email;reactie;thema\n"
        "Kees van Amsterdam;kees@example.org;Een trapveld graag.;sport\n"
        "Anoniem;;Meer schaduw.;groen\n"
        "Anoniem;;Bankjes aan de rand.;groen\n"
    )
    assert "Ik heb 3 reacties uit het bestand gelezen. Thema's: sport en groen." in text
    assert owner.question.text.startswith("Welke reacties kwamen er nog meer binnen")
