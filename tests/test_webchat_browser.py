"""The web chat and the public plan page in a real headless Chromium (Debian's, through
Playwright), on a phone's width: a whole interview with JavaScript and without it, following a
plan by e-mail, and axe-core's accessibility check (no violations of WCAG 2.1 level A or AA).

With PARTICIPATIEBOT_SCREENSHOT_DIR set, the chat and the plan page on a phone are saved there
(docs/webchat-phone.png and docs/plan-publiek.png in the README come from it)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from pathlib import Path

import pytest

from bot.features import participants
from tests.a11y import no_violations
from tests.interviews import LEIDEN
from tests.review_helpers import text_body
from tests.test_plan_publiek import adopted, mail_to, site, site_settings  # noqa: F401
from tests.test_review_browser import browser  # noqa: F401
from tests.test_webchat import VERSLAG, with_a_plan

PHONE = {"width": 360, "height": 740}


async def fits_the_screen(page) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


async def screenshot(page, name: str, full_page: bool = False) -> None:
    target = os.environ.get("PARTICIPATIEBOT_SCREENSHOT_DIR")
    if target:
        await page.screenshot(path=str(Path(target) / name), full_page=full_page)


async def answer(page, text: str) -> None:
    """A choice button when one says exactly this, else typed into the answer field; returns
    when the reply is on the page (a new page without JavaScript, added to it with)."""
    bots = page.locator(".chat-msg--bot")
    before = await bots.count()
    choice = page.locator("#antwoord fieldset button", has_text=re.compile(f"^{re.escape(text)}$"))
    if "\n" not in text and await choice.count() == 1:
        button = choice
    else:
        await page.locator("#tekst").fill(text)
        button = page.get_by_role("button", name="Verstuur", exact=True)
    if not await page.evaluate("window.chatScript === true"):
        async with page.expect_navigation():
            await button.click()
        return
    await button.click()
    async with asyncio.timeout(30):
        while await bots.count() <= before:
            await asyncio.sleep(0.05)


async def interview(page) -> None:
    """The whole Leiden interview, summary confirmed; checks each question as it comes."""
    asked = page.locator(".chat-msg[data-kind=question]").last
    for fragment, text in LEIDEN:
        text_now = (await asked.inner_text()).lower()
        assert fragment.lower() in text_now, (fragment, text_now)
        await answer(page, text)
    assert "klopt alles" in (await asked.inner_text()).lower()
    await answer(page, "ja")


async def test_a_whole_interview_in_the_browser_with_javascript(browser, site, smtp) -> None:  # noqa: F811
    context = await browser.new_context(viewport=PHONE, locale="nl-NL")
    page = await context.new_page()
    await page.goto(f"{site}/chat?gemeente=leiden")
    await no_violations(page)
    await page.evaluate("window.stayed = true")  # gone if any answer reloads the page
    await page.get_by_role("button", name="Begin het gesprek").click()
    await page.locator(".chat-msg[data-kind=question]").first.wait_for()
    for _, text in LEIDEN[:3]:
        await answer(page, text)
    # 'Wie beslist' with its choices as buttons: the picture in the README
    assert await page.locator("#antwoord fieldset button").count() >= 3
    await fits_the_screen(page)
    await no_violations(page)
    await screenshot(page, "webchat-phone.png")
    # the resume link, asked for in the conversation the script began
    await page.get_by_label("Je e-mailadres").fill("sam@example.org")
    await page.get_by_role("button", name="Stuur mij een link").click()
    assert "staat de link zo in je mail" in await page.get_by_role("status").inner_text()
    [mail] = await mail_to(smtp, "sam@example.org")
    assert "/chat/verder?t=" in mail.get_body(("plain",)).get_content()
    await page.goto(f"{site}/chat")  # the conversation so far comes back after a reload
    assert "Team Openbare Ruimte" in await page.locator("#log").inner_text()
    await page.evaluate("window.stayed = true")
    for _, text in LEIDEN[3:]:
        await answer(page, text)
    await answer(page, "ja")
    assert await page.evaluate("window.stayed === true")
    link = page.get_by_role("link", name="participatieplan.docx")
    async with page.expect_download() as download:
        await link.click()
    assert (await download.value).suggested_filename == "participatieplan.docx"
    # no question open: the field takes more lines ('update' with a message to the followers)
    assert await page.locator("textarea#tekst").count() == 1
    await no_violations(page)
    await context.close()


@pytest.mark.pdf
async def test_with_javascript_a_pdf_made_after_the_reply_appears_by_itself(
    browser,  # noqa: F811
    site,  # noqa: F811
    site_settings,  # noqa: F811
    store,
) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    context = await browser.new_context(viewport=PHONE, locale="nl-NL")
    page = await context.new_page()
    await page.goto(f"{site}/chat")
    await page.get_by_role("button", name="Begin het gesprek").click()
    await page.locator(".chat-msg[data-kind=question]").first.wait_for()
    [cookie] = [c for c in await context.cookies() if c["name"] == "participatiebot_chat"]
    with_a_plan(site_settings, store, cookie["value"])
    await page.evaluate("window.stayed = true")
    await answer(page, "verslag")
    assert "De PDF-versie volgt zo." in await page.locator(".chat-msg--bot").last.inner_text()
    link = page.get_by_role("link", name=f"{VERSLAG}.pdf")
    await link.wait_for(timeout=60_000)
    assert await page.evaluate("window.stayed === true")  # no reload brought it
    async with page.expect_download() as download:
        await link.click()
    assert (await download.value).suggested_filename == f"{VERSLAG}.pdf"
    await no_violations(page)
    await context.close()


async def test_a_whole_interview_in_the_browser_without_javascript(browser, site) -> None:  # noqa: F811
    context = await browser.new_context(viewport=PHONE, locale="nl-NL", java_script_enabled=False)
    page = await context.new_page()
    await page.goto(f"{site}/chat")
    await page.get_by_label("Gemeente").select_option(label="Leiden")
    await page.get_by_role("button", name="Begin het gesprek").click()
    await interview(page)
    await fits_the_screen(page)
    assert await page.get_by_role("link", name="participatieplan.docx").count() == 1
    await context.close()


async def test_the_public_plan_page_on_a_phone_and_following_it(
    browser,  # noqa: F811
    site,  # noqa: F811
    site_settings,  # noqa: F811
    store,
    smtp,
) -> None:
    record = adopted(store, site_settings)
    code = participants.invitation_code(store, record.id)
    context = await browser.new_context(viewport=PHONE, locale="nl-NL")
    page = await context.new_page()
    await page.goto(f"{site}/plannen?gemeente=leiden")
    await no_violations(page)
    await page.get_by_role("link", name="Herinrichting Lindenplein").click()
    assert page.url.endswith(f"/plannen/{code}")
    await fits_the_screen(page)
    await no_violations(page)
    await screenshot(page, "plan-publiek.png", full_page=True)
    await page.get_by_label("Je e-mailadres").fill("buur@example.org")
    await page.get_by_role("button", name="Volg dit plan").click()
    assert "Kijk in je mail" in await page.get_by_role("status").inner_text()
    [mail] = await mail_to(smtp, "buur@example.org")
    assert "Herinrichting Lindenplein" in mail["Subject"]
    await context.close()


async def test_a_title_with_a_long_dutch_word_fits_a_phone(
    browser,  # noqa: F811
    site,  # noqa: F811
    site_settings,  # noqa: F811
    store,
    smtp,
) -> None:
    # '(experimenteerprogramma participatie)' in a title made the plan page and the consent
    # page 432 px wide on a 390 px phone: the heading did not break the word
    titel = "Experiment wijkbudget Lindenplein (experimenteerprogramma participatie)"
    record = adopted(store, site_settings, titel=titel)
    code = participants.invitation_code(store, record.id)
    context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    page = await context.new_page()
    await page.goto(f"{site}/plannen/{code}")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    await page.get_by_label("Je e-mailadres").fill("buur@example.org")
    await page.get_by_role("button", name="Volg dit plan").click()
    [mail] = await mail_to(smtp, "buur@example.org")
    await page.goto(re.search(r"http://\S+/deelnemen/\S+", text_body(mail)).group())
    assert titel in await page.get_by_role("heading", level=1).inner_text()
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    await context.close()


async def test_on_a_phone_the_summary_folds_into_its_parts(browser, site) -> None:  # noqa: F811
    # on a phone the summary's text ran to five screens: a wall of questions and answers
    context = await browser.new_context(viewport=PHONE, locale="nl-NL")
    page = await context.new_page()
    await page.goto(f"{site}/chat?gemeente=leiden")
    await page.get_by_role("button", name="Begin het gesprek").click()
    await page.locator(".chat-msg[data-kind=question]").first.wait_for()
    await answer(page, "Herinrichting Lindenplein")
    await answer(page, "samenvatting")
    summary = page.locator(".chat-msg[data-kind=summary]").last
    part = summary.locator("details", has_text="Quickscan (")
    assert not await part.evaluate("d => d.open")
    assert (await summary.bounding_box())["height"] < PHONE["height"] / 2
    await part.locator("summary").click()
    question = part.locator("dt", has_text="Hoe heet je opgave")
    given = part.locator("dd", has_text="Herinrichting Lindenplein")
    # the answer stands under its question
    assert (await given.bounding_box())["y"] > (await question.bounding_box())["y"]
    await context.close()
