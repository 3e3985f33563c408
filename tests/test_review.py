"""The advisor's review page over HTTP: links, gemeenten, verdicts, reopened questions,
resubmission with the changes marked, vaststelling, and the overview with one-time login."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.features import review
from bot.storage.lifecycle import Lifecycle
from handreiking.documents import document_text
from tests.conftest import Chat
from tests.interviews import HEEMSTEDE, HEERLEN, LEIDEN
from tests.review_helpers import client, finish, form_of, read_eml, review_link, text_body

LEIDEN_ADVISOR = "participatie-leiden@example.org"
KADERS = ["kader_inhoudelijk", "kader_financieel", "kader_proces", "kaders_voor_inwoners"]


async def submit(chat: Chat, script=LEIDEN, gemeente="leiden") -> str:
    """Finish and submit; returns the review link from the (.eml) mail."""
    await finish(chat, script, gemeente)
    await chat.say("indienen")
    path = re.search(r"\S+\.eml", chat.text).group()
    return review_link(read_eml(path))


def verdicts(html: str, **aanpassen: str) -> dict[str, str]:
    """A filled-in review form: 'aanpassen' with a comment where given, else 'akkoord'."""
    form = form_of(html)
    for section in re.findall(r'name="oordeel_([a-z_]+)" value="akkoord"', html):
        comment = aanpassen.get(section)
        form[f"oordeel_{section}"] = "aanpassen" if comment else "akkoord"
        form[f"opmerking_{section}"] = comment or ""
    return form


def action(html: str, name: str) -> str:
    return re.search(rf'action="(/adviseur/plannen/[^"]+/{name})"', html).group(1)


@pytest.fixture
def owner(engine) -> Chat:
    return Chat(engine, "console:eigenaar")


async def test_forged_or_expired_links_are_refused(owner, settings, store):
    link = await submit(owner)
    async with client(settings, store) as web:
        assert (await web.get(link)).status_code == 200
        token = link.split("token=")[1]
        forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        page = await web.get(link.replace(token, forged))
        assert page.status_code == 403 and "Geen toegang" in page.text
        assert (await web.get(link.split("?")[0])).status_code == 403
        # a damaged signature
        other = link.replace(token, token.split(".")[0] + ".x")
        assert (await web.get(other)).status_code == 403
        posted = await web.post(action((await web.get(link)).text, "beoordeling"), data={})
        assert posted.status_code == 403

    plan_id = store.plans()[0].id
    expired, _ = review.advisor_token(
        settings, LEIDEN_ADVISOR, "leiden", plan_id, timedelta(days=-1)
    )
    async with client(settings, store) as web:
        page = await web.get(link.replace(token, expired))
    assert page.status_code == 403


async def test_a_link_opens_only_its_own_plan_and_not_the_overview(engine, owner, settings, store):
    link_a = await submit(owner)
    other = Chat(engine, "console:buurtgroep")
    link_b = await submit(other, LEIDEN, "leiden")
    heemstede_link = await submit(Chat(engine, "console:bosrand"), HEEMSTEDE, "heemstede")
    plan_a, plan_b, heemstede_plan = (p.id for p in store.plans())
    token_a = link_a.split("token=")[1]
    async with client(settings, store) as web:
        page_b = (await web.get(link_b)).text
        # plan A's link on plan B of the same gemeente: refused, page and forms alike
        refused = await web.get(link_a.replace(plan_a, plan_b))
        assert refused.status_code == 403 and "Herinrichting Lindenplein" not in refused.text
        assert "alleen het plan uit je mail" in refused.text
        for name in ("beoordeling", "vaststelling", "uitvoering"):
            form = {**verdicts(page_b), "token": token_a, "datum": "2026-01-09"}
            posted = await web.post(f"/adviseur/plannen/{plan_b}/{name}", data=form)
            assert posted.status_code == 403, name
        assert store.plan(plan_b).status == "ingediend"
        # the overview needs the login; a review link is not one
        overview = await web.get("/adviseur/plannen", params={"token": token_a})
        assert overview.status_code == 403 and "Lindenplein" not in overview.text
        # another gemeente's plan, or one that does not exist: refused too
        assert (await web.get(link_a.replace(plan_a, heemstede_plan))).status_code == 403
        assert (await web.get(link_a.replace(plan_a, "2026-9999"))).status_code == 403
        # each link still opens its own plan
        assert (await web.get(link_a)).status_code == 200
        assert (await web.get(heemstede_link)).status_code == 200


async def test_aanpassen_reopens_exactly_those_questions_and_the_resubmission_shows_changes(
    owner, settings, store
):
    link = await submit(owner)
    plan_id = store.plans()[0].id
    async with client(settings, store) as web:
        page = (await web.get(link)).text
        assert "Versie 1" in page and "Verstuur" in page
        form = verdicts(page, kaders="Leg in gewone woorden uit wat autoluw betekent.")
        sent = await web.post(action(page, "beoordeling"), data=form)
        assert sent.status_code == 303
        after = await web.get(sent.headers["location"])
    assert "Je beoordeling is verstuurd" in after.text
    assert store.plan(plan_id).status == "aanpassen_gevraagd"

    # the owner comes back: first what the advisor asked, then exactly the kaders questions
    text = await owner.say("hallo")
    assert "vraagt je iets aan te passen" in text
    assert "Wat ligt al vast: Leg in gewone woorden uit wat autoluw betekent." in text
    asked = []
    for answer in ["houden", "houden", "houden"]:
        asked.append(owner.question.text.split("\n")[0])
        await owner.say(answer)
    asked.append(owner.question.text.split("\n")[0])
    await owner.say("Autoluw: er rijden alleen bewoners en laden en lossen tot 11 uur.")
    assert "Klopt alles?" in owner.text
    assert [a.split("?")[0] for a in asked] == [
        "Wat ligt inhoudelijk al vast",
        "Wat ligt financieel vast",
        "Wat ligt vast in het proces",
        "Wat betekenen deze kaders voor inwoners",
    ]
    data = store.plan(plan_id).data
    assert (
        data["kader_inhoudelijk"]
        == "Gebiedsvisie Lindenkwartier: het plein blijft autoluw & groen."
    )
    assert data["kaders_voor_inwoners"].startswith("Autoluw:")

    await owner.say("ja")
    await owner.say("indienen")
    assert store.plan(plan_id).status == "ingediend"
    path = re.search(r"\S+\.eml", owner.text).group()
    mail = read_eml(path)
    assert "opnieuw ingediend" in mail["Subject"] and "versie 2" in mail["Subject"]
    body = text_body(mail)
    changes = body.split("GEWIJZIGD SINDS VERSIE 1", 1)[1].split("OPEN BEVINDINGEN")[0]
    assert "Wat ligt al vast: Wat betekenen deze kaders voor inwoners?" in changes
    assert changes.count("\n- ") == 1  # nothing else changed

    async with client(settings, store) as web:
        page = (await web.get(review_link(mail))).text
    assert "Versie 2" in page and "sinds versie 1" in page
    assert page.count('<dt class="changed">') == 1
    assert '<dt class="changed">Wat betekenen deze kaders voor inwoners?' in page


async def test_the_owner_gets_a_mail_with_what_was_asked(owner, settings, store):
    link = await submit(owner)
    async with client(settings, store) as web:
        page = (await web.get(link)).text
        await web.post(action(page, "beoordeling"), data=verdicts(page, planning="Later beginnen."))
    mails = {read_eml(p)["To"]: read_eml(p) for p in (settings.data_dir / "outbox").glob("*.eml")}
    body = text_body(mails["eigenaar@example.org"])
    assert "- Planning: Later beginnen." in body


async def test_a_review_needs_a_verdict_everywhere_and_a_reason_to_change(owner, settings, store):
    link = await submit(owner)
    async with client(settings, store) as web:
        page = (await web.get(link)).text
        empty = await web.post(action(page, "beoordeling"), data=form_of(page))
        assert empty.status_code == 400
        assert "Kies akkoord of aanpassen bij Quickscan." in empty.text
        form = verdicts(page)
        form["oordeel_planning"] = "aanpassen"
        no_reason = await web.post(action(page, "beoordeling"), data=form)
        assert no_reason.status_code == 400
        assert "Schrijf bij Planning wat er anders moet." in no_reason.text
        assert 'aria-invalid="true"' in no_reason.text
        assert store.plans()[0].status == "ingediend"

        done = await web.post(action(page, "beoordeling"), data=verdicts(page))
        assert done.status_code == 303
        again = await web.post(action(page, "beoordeling"), data=verdicts(page))
        assert again.status_code == 409 and "al beoordeeld" in again.text
    assert store.plans()[0].status == "akkoord_adviseur"


async def test_vaststelling_on_the_page_freezes_the_plan_and_writes_the_public_version(
    owner, settings, store
):
    link = await submit(owner)
    plan_id = store.plans()[0].id
    async with client(settings, store) as web:
        page = (await web.get(link)).text
        assert "Vaststelling vastleggen" not in page
        await web.post(action(page, "beoordeling"), data=verdicts(page))
        page = (await web.get(link)).text
        assert "Vaststelling vastleggen" in page
        assert "Uitvoering starten" not in page  # a complex opgave is adopted first
        bad = await web.post(action(page, "vaststelling"), data={**form_of(page), "datum": ""})
        assert bad.status_code == 400 and "Vul de datum van het besluit in." in bad.text
        done = await web.post(
            action(page, "vaststelling"),
            data={**form_of(page), "datum": "2026-01-09", "besluit": "Collegebesluit 2026/17"},
        )
        assert done.status_code == 303
        page = (await web.get(done.headers["location"])).text
        assert "Vastgesteld op 9 januari 2026, besluit Collegebesluit 2026/17" in page
        assert "Uitvoering starten" in page
        started = await web.post(action(page, "uitvoering"), data=form_of(page))
        assert started.status_code == 303
    assert store.plan(plan_id).status == "in_uitvoering"
    adopted = Lifecycle(store).latest(plan_id, "vastgesteld")
    assert adopted.besluit == "Collegebesluit 2026/17"
    text = document_text(settings.plans_dir / plan_id / "participatieplan-openbaar.docx")
    assert "Herinrichting Lindenplein" in text
    assert "@" not in text and "Mirthe Voorbeeld" not in text


async def test_a_simple_initiative_starts_right_after_akkoord(owner, settings, store):
    link = await submit(owner, HEERLEN, "heerlen")
    async with client(settings, store) as web:
        page = (await web.get(link)).text
        await web.post(action(page, "beoordeling"), data=verdicts(page))
        page = (await web.get(link)).text
        assert "geen complexe opgave" in page
        started = await web.post(action(page, "uitvoering"), data=form_of(page))
        assert started.status_code == 303
    assert store.plans()[0].status == "in_uitvoering"


async def test_the_page_is_accessible_in_structure(owner, settings, store):
    link = await submit(owner)
    async with client(settings, store) as web:
        response = await web.get(link)
    page = response.text
    assert '<html lang="nl">' in page
    assert page.count("<h1>") == 1 and "<main" in page
    for ident in re.findall(r'<textarea id="([^"]+)"', page):
        assert f'<label for="{ident}">' in page
    assert re.search(r"<legend[^>]*>Oordeel over Quickscan</legend>", page)
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


# ---------------------------------------------------------------- overview and login


async def login(web, settings, email: str, gemeente: str = "leiden"):
    asked = await web.post("/adviseur/inloggen", data={"email": email, "gemeente": gemeente})
    assert asked.status_code == 200 and "Kijk in je mail" in asked.text
    mails = sorted((settings.data_dir / "outbox").glob("*.eml"), key=lambda p: int(p.stem))
    body = text_body(read_eml(mails[-1]))
    code = re.search(r"code=(\S+)", body).group(1)
    confirm = await web.get(f"/adviseur/inloggen?code={code}")
    assert confirm.status_code == 200 and "Inloggen" in confirm.text
    return code, await web.post("/adviseur/sessie", data={"code": code})


async def test_overview_after_a_one_time_login_shows_only_the_own_gemeente(
    engine, owner, settings, store
):
    await submit(owner)
    other = Chat(engine, "console:buurtgroep")
    await submit(other, HEEMSTEDE, "heemstede")
    async with client(settings, store) as web:
        assert (await web.get("/adviseur/plannen")).status_code == 403
        code, session = await login(web, settings, LEIDEN_ADVISOR)
        assert session.status_code == 303
        overview = await web.get("/adviseur/plannen")
        assert overview.status_code == 200
        assert "Herinrichting Lindenplein" in overview.text
        assert "ingediend bij de adviseur" in overview.text
        assert "Mirthe Voorbeeld" in overview.text  # the contact person
        assert "Speeltuin Bosrand" not in overview.text
        found = await web.get("/adviseur/plannen", params={"zoek": "linden"})
        assert "Herinrichting Lindenplein" in found.text
        none = await web.get("/adviseur/plannen", params={"zoek": "zwembad"})
        assert "Geen plannen gevonden" in none.text
        # the plan opens from the overview with the session; the other gemeente's does not
        leiden, heemstede = (p.id for p in store.plans())
        assert (await web.get(f"/adviseur/plannen/{leiden}")).status_code == 200
        assert (await web.get(f"/adviseur/plannen/{heemstede}")).status_code == 404

        # a used link does not work twice
        reused = await web.post("/adviseur/sessie", data={"code": code})
        assert reused.status_code == 403

        # a form without the session's check value is refused
        page = (await web.get(f"/adviseur/plannen/{leiden}")).text
        forged = verdicts(page)
        forged.pop("csrf")
        assert (await web.post(action(page, "beoordeling"), data=forged)).status_code == 403
        assert (await web.post(action(page, "beoordeling"), data=verdicts(page))).status_code == 303


async def test_sessions_expire_and_strangers_get_no_link(owner, settings, store):
    await submit(owner)
    async with client(settings, store) as web:
        before = len(list((settings.data_dir / "outbox").glob("*.eml")))
        asked = await web.post(
            "/adviseur/inloggen", data={"email": "iemand@example.org", "gemeente": "leiden"}
        )
        assert asked.status_code == 200 and "Kijk in je mail" in asked.text
        assert len(list((settings.data_dir / "outbox").glob("*.eml"))) == before

        await login(web, settings, LEIDEN_ADVISOR)
        assert (await web.get("/adviseur/plannen")).status_code == 200
        settings.now = settings.now + timedelta(hours=9)
        assert (await web.get("/adviseur/plannen")).status_code == 403


async def test_the_console_resumes_the_returned_plan_with_the_advisors_questions(
    owner, settings, store
):
    link = await submit(owner)
    async with client(settings, store) as web:
        page = (await web.get(link)).text
        await web.post(action(page, "beoordeling"), data=verdicts(page, afspraken="Welke bon?"))
    # `participatiebot chat` without --plan: the plan the advisor sent back is the unfinished one
    text = await owner.start()
    assert "Welkom terug" in text
    assert "• Afspraken: Welke bon?" in text
    assert "Privacy" in owner.question.text


async def test_an_owner_on_telegram_hears_at_once_what_the_advisor_asked(engine, settings, store):
    from bot.features import reminders_worker
    from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI

    owner = Chat(engine, "telegram:4242")
    link = await submit(owner)
    async with client(settings, store) as web:
        page = (await web.get(link)).text
        await web.post(action(page, "beoordeling"), data=verdicts(page, planning="Later beginnen."))
    async with FakeTelegramAPI() as api:
        on_telegram = settings.model_copy(
            update={"telegram_token": TOKEN, "telegram_base_url": api.base_url}
        )
        await reminders_worker.send_once(on_telegram, store, settings.clock())
        texts = api.texts(4242)
    assert any("vraagt aanpassingen" in t and "Later beginnen." in t for t in texts), texts


async def test_login_links_to_one_address_are_limited_a_day(settings, store):
    from bot.web import LOGIN_LINKS_PER_DAY

    def mails() -> int:
        return len(list((settings.data_dir / "outbox").glob("*.eml")))

    async with client(settings, store) as web:
        for _ in range(LOGIN_LINKS_PER_DAY + 2):
            asked = await web.post(
                "/adviseur/inloggen", data={"email": LEIDEN_ADVISOR, "gemeente": "leiden"}
            )
            # the same answer every time: the page does not tell who is an advisor
            assert asked.status_code == 200 and "Kijk in je mail" in asked.text
    assert mails() == LOGIN_LINKS_PER_DAY
    settings.now = settings.now + timedelta(days=1)
    async with client(settings, store) as web:
        await login(web, settings, LEIDEN_ADVISOR)
        assert (await web.get("/adviseur/plannen")).status_code == 200
    assert mails() == LOGIN_LINKS_PER_DAY + 1
