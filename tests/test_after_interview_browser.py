"""What the owner and the advisor meet after the interview, in a real headless Chromium at a
phone's width: the web chat reloaded, a CSV of reactions sent as a file, the advisor's overview."""

from __future__ import annotations

from datetime import datetime

from bot.signing import secret_key, verify
from tests.a11y import no_violations
from tests.conftest import NOW, Chat
from tests.review_helpers import client
from tests.test_delivery import make_plan
from tests.test_plan_publiek import site, site_settings  # noqa: F401
from tests.test_review import login
from tests.test_review_browser import browser  # noqa: F401
from tests.test_webchat_browser import answer

PHONE = {"width": 390, "height": 844}


async def test_a_message_on_a_reloaded_page_has_no_empty_lines_below_it(browser, site) -> None:  # noqa: F811
    context = await browser.new_context(viewport=PHONE, locale="nl-NL", java_script_enabled=False)
    page = await context.new_page()
    await page.goto(f"{site}/chat?gemeente=leiden")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Begin het gesprek").click()
    bubbles = page.locator(".chat-msg--bot")
    assert await bubbles.count() >= 2
    for i in range(await bubbles.count()):
        bubble = await bubbles.nth(i).bounding_box()
        text = await bubbles.nth(i).locator("p").bounding_box()
        # the padding (0.5rem above and below) and nothing more: no blank line under the text
        assert bubble["height"] - text["height"] <= 18, (i, bubble, text)
    await context.close()


async def test_the_advisors_overview_on_a_phone_says_what_each_value_is(
    browser,  # noqa: F811
    engine,
    settings,
    store,
) -> None:
    await Chat(engine, "web:nogZonderNaam").start(gemeente="leiden")  # a plan just begun
    async with client(settings, store) as web:
        await login(web, settings, "participatie-leiden@example.org")
        overview = (await web.get("/adviseur/plannen")).text
    assert "web:nogZonderNaam" not in overview
    assert "iemand in de webchat (nog zonder naam)" in overview
    context = await browser.new_context(viewport=PHONE, locale="nl-NL")
    page = await context.new_page()
    await page.set_content(overview)
    labels = await page.evaluate(
        """[...document.querySelectorAll('table.plans tbody td')].map(
            td => getComputedStyle(td, '::before').content)"""
    )
    assert labels[1:5] == ['"Status: "', '"Eigenaar: "', '"Contactpersoon: "', '"Volgende stap: "']
    await context.close()


async def test_with_javascript_the_csv_of_reactions_is_sent_as_a_file(
    browser,  # noqa: F811
    site,  # noqa: F811
    site_settings,  # noqa: F811
    store,
) -> None:
    context = await browser.new_context(viewport=PHONE, locale="nl-NL")
    page = await context.new_page()
    await page.goto(f"{site}/chat?gemeente=leiden")
    await page.get_by_role("button", name="Begin het gesprek").click()
    await page.locator(".chat-msg[data-kind=question]").first.wait_for()
    [cookie] = [c for c in await context.cookies() if c["name"] == "participatiebot_chat"]
    key = secret_key(site_settings.data_dir)
    sid = verify(key, "webchat", cookie["value"], datetime.fromisoformat(NOW))["s"]
    make_plan(store, owner=f"web:{sid}")
    for text in ("afronden", "nee, de zaal was dicht", "ja", "34", "klaar"):
        await answer(page, text)
    await no_violations(page)  # the file field has its label
    await page.get_by_label("Of kies het bestand (CSV)").set_input_files(
        files=[
            {
                "name": "doemee-export.csv",
                "mimeType": "text/csv",
                "buffer": b"Reactie;Thema\nMeer bomen;Groen\n",
            }
        ]
    )
    await answer(page, "")
    log = await page.locator("#log").inner_text()
    assert "📎 doemee-export.csv" in log
    asked = page.locator(".chat-msg[data-kind=question]").last
    assert "Welke reacties kwamen er nog meer binnen" in await asked.inner_text()
    await context.close()
