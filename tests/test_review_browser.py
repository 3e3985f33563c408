"""The advisor's side end to end in a real headless Chromium: mail, review, reopened questions,
resubmission with the change marked, vaststelling; and the page on a phone and with a keyboard.

Needs Debian's `chromium` (/usr/bin/chromium) and the Python package playwright (its driver
only: the browser is the system's, nothing is downloaded). Skipped without them, failed when CI
is set. With PARTICIPATIEBOT_SCREENSHOT_DIR set, the review page being filled in is saved there
at desktop and phone width (scripts/screenshot_review.py makes docs/adviseur-review.png of them).
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
from pathlib import Path

import pytest
import uvicorn
from starlette.applications import Starlette

from bot import participant_pages
from bot.app import build_engine
from bot.features import evaluation, participants
from bot.storage.lifecycle import Lifecycle
from bot.web import routes
from tests.a11y import no_violations
from tests.conftest import Chat
from tests.interviews import LEIDEN
from tests.review_helpers import finish, review_link, smtp_settings, text_body
from tests.test_delivery import make_plan
from tests.test_participants import outbox

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ADVISOR = "participatie-leiden@example.org"
DESKTOP = {"width": 1024, "height": 1400}
PHONE = {"width": 375, "height": 740}
KADERS = "Wat ligt al vast"
KADERS_COMMENT = "Leg in gewone woorden uit wat autoluw betekent voor bewoners."


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)"
    if importlib.util.find_spec("playwright") is None:
        return "the Python package playwright is missing: pip install -e '.[test]'"
    return None


@pytest.fixture
async def browser():
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture
def site_settings(settings, smtp, listener):
    host, port = listener.getsockname()
    return smtp_settings(settings, smtp.port).model_copy(
        update={"public_url": f"http://{host}:{port}"}
    )


@pytest.fixture
async def site(site_settings, store, listener):
    """The advisor's and the participants' pages served by uvicorn on loopback, in this test's
    event loop."""
    app = Starlette(
        routes=[*routes(site_settings, store), *participant_pages.routes(site_settings, store)]
    )
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[listener]))
    while not server.started:
        if task.done():
            task.result()  # raises what stopped it
        await asyncio.sleep(0.01)
    yield site_settings.public_url
    server.should_exit = True
    await task


async def review_all(page, aanpassen: dict[str, str] | None = None) -> None:
    """Every section 'akkoord', except those given: 'aanpassen' with the comment."""
    aanpassen = aanpassen or {}
    groups = page.get_by_role("group", name=re.compile(r"^Oordeel over "))
    assert await groups.count() > 5
    for i in range(await groups.count()):
        group = groups.nth(i)
        title = (await group.locator("legend").inner_text()).removeprefix("Oordeel over ")
        if title in aanpassen:
            await group.get_by_label("aanpassen").check()
            await page.get_by_label(f"Opmerking bij {title}").fill(aanpassen[title])
        else:
            await group.get_by_label("akkoord").check()


async def test_advisor_asks_a_change_owner_resubmits_advisor_records_the_vaststelling(
    browser, site, site_settings, store, smtp
):
    owner = Chat(build_engine(store, site_settings), "console:eigenaar")
    await finish(owner, LEIDEN, "leiden", naam="Noor Testpersoon")
    await owner.say("indienen")
    assert "ingediend bij de adviseur van Leiden" in owner.text
    plan_id = store.plans()[0].id

    [first] = smtp.to(ADVISOR)
    link = review_link(first)
    assert link.startswith(f"{site}/adviseur/plannen/{plan_id}?token=")

    context = await browser.new_context(viewport=DESKTOP, locale="nl-NL")
    page = await context.new_page()
    await page.goto(link)
    assert await page.get_by_role("heading", level=1).inner_text() == "Herinrichting Lindenplein"
    assert "Versie 1, ingediend op" in await page.locator("main").inner_text()
    await no_violations(page)
    await review_all(page, {KADERS: KADERS_COMMENT})
    await screenshot(page, "review-desktop.png")
    # the same page on a phone: nothing wider than the screen, no sideways scrolling
    await page.set_viewport_size(PHONE)
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    await screenshot(page, "review-phone.png", page.get_by_label(f"Opmerking bij {KADERS}"))
    await page.set_viewport_size(DESKTOP)
    await page.get_by_role("button", name="Verstuur").click()
    notice = page.get_by_role("status")
    assert (
        await notice.inner_text() == "Je beoordeling is verstuurd. De eigenaar past het plan aan."
    )
    assert "status: aanpassen gevraagd" in await page.locator("main").inner_text()
    assert store.plan(plan_id).status == "aanpassen_gevraagd"
    [to_owner] = smtp.to("eigenaar@example.org")
    assert f"- Wat ligt al vast: {KADERS_COMMENT}" in text_body(to_owner)

    # the owner comes back to the console: what was asked, then exactly the kaders questions
    text = await owner.say("hallo")
    assert f"• Wat ligt al vast: {KADERS_COMMENT}" in text
    asked = []
    for answer in ["houden", "houden", "houden", "Autoluw: alleen bewoners rijden er nog."]:
        asked.append(owner.question.text.split("?")[0])
        await owner.say(answer)
    assert asked == [
        "Wat ligt inhoudelijk al vast",
        "Wat ligt financieel vast",
        "Wat ligt vast in het proces",
        "Wat betekenen deze kaders voor inwoners",
    ]
    assert "Klopt alles?" in owner.text
    await owner.say("ja")
    await owner.say("indienen")
    assert store.plan(plan_id).status == "ingediend"

    _, second = smtp.to(ADVISOR)
    assert "opnieuw ingediend" in second["Subject"] and "versie 2" in second["Subject"]
    changes = text_body(second).split("GEWIJZIGD SINDS VERSIE 1", 1)[1].split("OPEN BEVINDINGEN")[0]
    [line] = changes.strip().splitlines()  # only that answer changed
    assert line.startswith("- Wat ligt al vast: Wat betekenen deze kaders voor inwoners?")

    await page.goto(review_link(second))
    main = page.locator("main")
    assert "Versie 2, ingediend op" in await main.inner_text()
    changed = page.locator("dt.changed")
    assert await changed.count() == 1
    label = await changed.inner_text()
    assert label.startswith("Wat betekenen deze kaders voor inwoners?")
    assert label.endswith("gewijzigd")
    assert "Autoluw: alleen bewoners rijden er nog." in await main.inner_text()
    await review_all(page)
    await page.get_by_role("button", name="Verstuur").click()
    assert await page.get_by_role("status").inner_text() == "Je beoordeling is verstuurd: akkoord."

    # the vaststelling, in English this time: the choice holds on the next page too
    await page.get_by_role("link", name="English").click()
    assert await page.locator("html").get_attribute("lang") == "en"
    assert "status: approved by the advisor" in await main.inner_text()
    await page.get_by_label("Date of the decision by the college or the council").fill("2026-01-09")
    await page.get_by_label("Reference of the decision").fill("Collegebesluit 2026/17")
    await page.get_by_role("button", name="Record the adoption").click()
    assert await page.get_by_role("status").inner_text() == "The adoption has been recorded."
    text = await main.inner_text()
    assert "Adopted on 9 January 2026, decision Collegebesluit 2026/17" in text
    assert "status: adopted" in text
    assert store.plan(plan_id).status == "vastgesteld"
    assert Lifecycle(store).latest(plan_id, "vastgesteld").besluit == "Collegebesluit 2026/17"
    await context.close()


async def tab_to(page, selector: str) -> None:
    """Press Tab until the element focused matches `selector`; its focus must be visible."""
    for _ in range(12):
        await page.keyboard.press("Tab")
        if await page.evaluate("s => document.activeElement.matches(s)", selector):
            style = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert style == "solid", f"focus on {selector} is not visible"
            return
    raise AssertionError(f"Tab never reached {selector}")


async def test_a_review_can_be_done_with_the_keyboard_alone(
    browser, site, site_settings, store, smtp
):
    owner = Chat(build_engine(store, site_settings), "console:eigenaar")
    await finish(owner, LEIDEN, "leiden")
    await owner.say("indienen")
    [mail] = smtp.to(ADVISOR)

    context = await browser.new_context(viewport=DESKTOP, locale="nl-NL")
    page = await context.new_page()
    await page.goto(review_link(mail))
    await tab_to(page, "a.skip")
    box = await page.locator("a.skip").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0  # on screen once it has focus
    keys = await page.eval_on_selector_all(
        "input[type=radio][value=akkoord]", "rs => rs.map(r => r.name)"
    )
    for name in keys:
        # Tab reaches a radio group at its first choice, 'akkoord'; Space picks it
        await tab_to(page, f"input[name={name}]")
        await page.keyboard.press("Space")
    await tab_to(page, "button[type=submit]")
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(r"klaar="))
    assert await page.get_by_role("status").inner_text() == "Je beoordeling is verstuurd: akkoord."
    assert store.plans()[0].status == "akkoord_adviseur"
    await context.close()


async def test_a_participant_answers_the_evaluation_and_unsubscribes_with_the_keyboard(
    browser, site, site_settings, store
):
    plan = make_plan(store)
    engine = build_engine(store, site_settings)
    await engine.handle("console:tester", "uitnodigen buur@example.org")
    consent = re.search(r"http://\S+/deelnemen/\S+", outbox(store)[-1].text).group(0)
    context = await browser.new_context(viewport=DESKTOP, locale="nl-NL")
    page = await context.new_page()

    await page.goto(consent)
    assert await page.get_by_role("heading", level=1).inner_text() == "Herinrichting Lindenplein"
    await tab_to(page, "button[value=ja]")
    # wait for the answer page itself: the form page is already loaded when Enter is pressed
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert (
        "Welkom! Je volgt nu Herinrichting Lindenplein." in await page.locator("main").inner_text()
    )

    evaluation.invite(store, site_settings, plan.id, site_settings.clock())
    form = re.search(r"http://\S+/evaluatie/\S+", outbox(store, "email:buur@example.org")[-1].text)
    await page.goto(form.group(0))
    for name in ("informatie", "gehoord", "terugkoppeling", "tevreden"):
        group = page.get_by_role("group", name=re.compile(r"\?$")).filter(
            has=page.locator(f"input[name={name}]")
        )
        assert await group.count() == 1
        # Tab reaches a radio group at its first choice; the arrow keys move to another
        await tab_to(page, f"input[name={name}]")
        await page.keyboard.press("ArrowRight")
        await page.keyboard.press("ArrowRight")
    await page.get_by_label("Wat kan er de volgende keer beter?").fill("Een avond in het weekend.")
    await tab_to(page, "button[type=submit]")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert "Dank je wel!" in await page.locator("main").inner_text()
    [answer] = evaluation.answers(store, plan.id)
    assert answer == {
        "informatie": 3, "gehoord": 3, "terugkoppeling": 3, "tevreden": 3,
        "beter": "Een avond in het weekend.",
    }  # fmt: skip

    leave = outbox(store, "email:buur@example.org")[-1].unsubscribe_url
    await page.goto(leave)
    assert await page.get_by_role("heading", level=1).inner_text() == "Afmelden"
    assert participants.followed(store, "email:buur@example.org")  # opening it changed nothing
    await tab_to(page, "button[type=submit]")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert "Je bent afgemeld." in await page.locator("main").inner_text()
    assert participants.followed(store, "email:buur@example.org") == []
    await context.close()


async def screenshot(page, name: str, show=None) -> None:
    """Save what is on screen, from the top or with `show` (a locator) near the bottom."""
    target = os.environ.get("PARTICIPATIEBOT_SCREENSHOT_DIR")
    if not target:
        return
    if show is None:
        await page.evaluate("window.scrollTo(0, 0)")
    else:
        await show.evaluate("e => { e.scrollIntoView({block: 'end'}); window.scrollBy(0, 24); }")
    await page.screenshot(path=str(Path(target) / name))
