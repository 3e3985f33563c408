"""The web chat (/chat) as a visitor of the gemeente's site meets it: served by uvicorn on
loopback, used over HTTP with httpx (plain form posts, the JSON API) and in a real headless
Chromium, with and without JavaScript. Mail goes to aiosmtpd."""

from __future__ import annotations

import asyncio
import html
import re
import shutil
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn

from bot.app import build_engine
from bot.http import build_app
from bot.serve import page_routes
from bot.settings import Settings
from bot.signing import secret_key, verify
from bot.storage import Store
from tests.interviews import LEIDEN
from tests.review_helpers import MailServer, smtp_settings, text_body
from tests.test_delivery import make_plan


@pytest.fixture
def site_settings(settings: Settings, smtp: MailServer, listener: socket.socket) -> Settings:
    host, port = listener.getsockname()
    return smtp_settings(settings, smtp.port).model_copy(
        update={"public_url": f"http://{host}:{port}"}
    )


async def serve(settings: Settings, store: Store, listener: socket.socket):
    engine = build_engine(store, settings)
    app = build_app(settings, engine, store, page_routes(settings, engine, store))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[listener]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    return server, task


@pytest.fixture
async def site(site_settings: Settings, store: Store, listener) -> AsyncIterator[str]:
    """Every page of `serve` on loopback, in this test's event loop; yields its address."""
    server, task = await serve(site_settings, store, listener)
    yield site_settings.public_url
    server.should_exit = True
    await task


def hidden(page: str, name: str) -> str:
    return html.unescape(re.search(rf'name="{name}" value="([^"]*)"', page).group(1))


def last_question(page: str) -> str:
    messages = re.findall(r'<li class="chat-msg chat-msg--bot[^"]*"[^>]*>(.*?)</li>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", messages[-1]))


async def test_a_whole_interview_with_plain_forms_and_the_documents(site: str) -> None:
    async with httpx.AsyncClient(base_url=site, follow_redirects=True) as client:
        first = await client.get("/chat?gemeente=leiden")
        assert "participatiebot · chat · Leiden" in first.text  # preselected
        assert 'name="gemeente" value="leiden"' in first.text
        page = await client.post(
            "/chat?gemeente=leiden", data={"actie": "start", "gemeente": "leiden"}
        )
        assert "Hoe heet je opgave" in last_question(page.text)
        cookie = client.cookies.get("participatiebot_chat")
        assert cookie
        for fragment, answer in LEIDEN:
            assert fragment.lower() in last_question(page.text).lower(), fragment
            page = await client.post(
                "/chat", data={"csrf": hidden(page.text, "csrf"), "text": answer}
            )
            assert page.status_code == 200
        # the summary asks 'Klopt alles?': the yes button is a real form button
        assert re.search(r'<button type="submit"[^>]*name="text" value="ja">', page.text)
        page = await client.post("/chat", data={"csrf": hidden(page.text, "csrf"), "text": "ja"})
        links = re.findall(r'<a href="(/chat/documenten/[^"]+)" download>', page.text)
        assert any(link.endswith("/participatieplan.docx") for link in links), page.text[-3000:]
        document = await client.get(links[0])
        assert document.status_code == 200 and document.content.startswith(b"PK")
        assert "attachment" in document.headers["content-disposition"]
        # what was said is on the page again, in order
        assert page.text.index("Herinrichting Lindenplein") < page.text.index("Team Openbare")
    async with httpx.AsyncClient(base_url=site) as stranger:
        refused = await stranger.get(links[0])
        assert refused.status_code == 404
        assert "hoort bij een ander gesprek" in refused.text


async def test_the_json_api_speaks_as_interface_md_says(site: str, store: Store) -> None:
    started = await httpx.AsyncClient(base_url=site).post("/chat/api/session", json={})
    body = started.json()
    assert set(body) == {"session", "replies"}
    question = body["replies"][-1]
    assert set(question) == {"text", "kind", "choices", "input", "documents"}
    # the token in the body works without the cookie (a script inside an iframe)
    async with httpx.AsyncClient(base_url=site) as cookieless:
        said = await cookieless.post(
            "/chat/api/message", json={"session": body["session"], "text": "Speeltuin Bosrand"}
        )
        asked = said.json()["replies"][-1]
        assert asked["kind"] == "question"
        assert asked["choices"] and all(set(c) == {"label", "value"} for c in asked["choices"])
        # a choice is answered with its value
        assert asked["text"].startswith("In welke gemeente speelt je opgave?")
        value = next(c["value"] for c in asked["choices"] if c["label"] == "Heemstede")
        said = await cookieless.post(
            "/chat/api/message", json={"session": body["session"], "text": value}
        )
        assert "Wie neemt het initiatief" in said.json()["replies"][-1]["text"]
        # the button's label stands in the conversation as the answer: no '→ Heemstede' after it
        assert not any("→" in r["text"] for r in said.json()["replies"])
        assert (await cookieless.post("/chat/api/message", json={"text": "x"})).status_code == 401
    owners = {p.owner for p in store.plans()}
    assert all(re.fullmatch(r"web:[A-Za-z0-9_-]{20,}", o) for o in owners), owners


VERSLAG = "participatieverslag-aanvraag"


def with_a_plan(settings: Settings, store: Store, token: str) -> None:
    """A plan in uitvoering for the conversation of this session token."""
    sid = verify(secret_key(settings.data_dir), "webchat", token, settings.clock())["s"]
    make_plan(store, owner=f"web:{sid}")


def links(page: str) -> list[str]:
    return re.findall(r'<a href="/chat/documenten/[^"]+/([^"/]+)" download>', page)


@pytest.mark.pdf
async def test_without_javascript_the_pdf_made_after_the_reply_is_on_the_next_page(
    site: str, site_settings: Settings, store: Store
) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    async with httpx.AsyncClient(base_url=site, follow_redirects=True) as client:
        page = await client.post("/chat", data={"actie": "start"})
        with_a_plan(site_settings, store, client.cookies["participatiebot_chat"])
        page = await client.post(
            "/chat", data={"csrf": hidden(page.text, "csrf"), "text": "verslag"}
        )
        assert "De PDF-versie volgt zo." in last_question(page.text)
        assert links(page.text) == [f"{VERSLAG}.docx"]
        async with asyncio.timeout(60):  # the person reloads the page a while later
            while f"{VERSLAG}.pdf" not in links(page.text):
                await asyncio.sleep(0.3)
                page = await client.get("/chat")
        ready = f"Hier is de PDF-versie, klaar om te publiceren: {VERSLAG}.pdf."
        assert ready in last_question(page.text)  # one more message, after the .docx
        url = re.search(rf'<a href="([^"]+/{VERSLAG}\.pdf)"', page.text).group(1)
        assert (await client.get(url)).content.startswith(b"%PDF")


@pytest.mark.pdf
async def test_the_json_api_says_a_pdf_follows_and_brings_it_when_asked(
    site: str, site_settings: Settings, store: Store
) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    async with httpx.AsyncClient(base_url=site) as client:
        started = (await client.post("/chat/api/session", json={})).json()
        with_a_plan(site_settings, store, started["session"])
        said = (await client.post("/chat/api/message", json={"text": "verslag"})).json()
        [reply] = said["replies"]
        assert reply["text"].endswith("De PDF-versie volgt zo.")
        assert [d["name"] for d in reply["documents"]] == [f"{VERSLAG}.docx"]
        asked = {"pending": said["pending"]}
        # another conversation learns nothing about it, not even that it exists
        async with httpx.AsyncClient(base_url=site) as stranger:
            other = await stranger.post("/chat/api/later", json=asked)
            assert other.json() == {"replies": [], "pending": False}
        async with asyncio.timeout(60):
            while (later := (await client.post("/chat/api/later", json=asked)).json())["pending"]:
                assert later["replies"] == []
                await asyncio.sleep(0.2)
        [ready] = later["replies"]
        assert ready["text"] == f"Hier is de PDF-versie, klaar om te publiceren: {VERSLAG}.pdf."
        [document] = ready["documents"]
        assert document["name"] == f"{VERSLAG}.pdf"
        assert (await client.get(document["url"])).content.startswith(b"%PDF")
        # an answer that makes no document says nothing about PDFs
        plain = (await client.post("/chat/api/message", json={"text": "hulp"})).json()
        assert "pending" not in plain


async def test_posts_from_other_sites_and_without_the_check_are_refused(
    site: str, store: Store
) -> None:
    async with httpx.AsyncClient(base_url=site, follow_redirects=True) as client:
        page = await client.post("/chat", data={"actie": "start"})
        plan = store.plans()[0]
        # a form on another site posting into the person's conversation
        other = await client.post(
            "/chat",
            data={"csrf": hidden(page.text, "csrf"), "text": "Gekaapt"},
            headers={"Origin": "https://kwaadwillend.example"},
        )
        assert other.status_code == 403
        missing = await client.post("/chat", data={"text": "Gekaapt"})
        assert missing.status_code == 403
        assert "verlopen" in missing.text
        as_form = await client.post("/chat/api/message", data={"text": "Gekaapt"})
        assert as_form.status_code == 415
        cross = await client.post(
            "/chat/api/message",
            json={"text": "Gekaapt"},
            headers={"Sec-Fetch-Site": "cross-site"},
        )
        assert cross.status_code == 403
        assert "titel" not in store.plan(plan.id).data
        cookie = client.cookies.get("participatiebot_chat")
    async with httpx.AsyncClient(base_url=site) as fresh:
        lost = await fresh.post("/chat", data={"text": "Een antwoord zonder gesprek"})
        assert lost.status_code == 403 and "niet gevonden" in lost.text
        started = await fresh.post("/chat", data={"actie": "start"})
    set_cookie = started.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=lax" in set_cookie and "path=/chat" in set_cookie
    assert cookie


async def test_too_many_new_conversations_from_one_address_are_slowed_down(site: str) -> None:
    async with httpx.AsyncClient(base_url=site) as client:
        codes = [(await client.post("/chat/api/session", json={})).status_code for _ in range(31)]
    assert codes[:30] == [200] * 30
    assert codes[30] == 429


async def test_a_resume_link_by_mail_opens_the_conversation_elsewhere(
    site: str, smtp: MailServer
) -> None:
    async with httpx.AsyncClient(base_url=site, follow_redirects=True) as phone:
        page = await phone.post("/chat", data={"actie": "start", "gemeente": "leiden"})
        page = await phone.post(
            "/chat", data={"csrf": hidden(page.text, "csrf"), "text": "Herinrichting Lindenplein"}
        )
        bad = await phone.post(
            "/chat/link", data={"csrf": hidden(page.text, "csrf"), "email": "geen adres"}
        )
        assert bad.status_code == 400 and "naam@voorbeeld.nl" in bad.text
        sent = await phone.post(
            "/chat/link", data={"csrf": hidden(page.text, "csrf"), "email": "sam@example.org"}
        )
        assert "staat de link zo in je mail" in sent.text
    [mail] = smtp.to("sam@example.org")
    link = re.search(r"http://\S+/chat/verder\?t=\S+", text_body(mail)).group()
    assert link.startswith(f"{site}/chat/verder")
    async with httpx.AsyncClient(follow_redirects=True) as laptop:
        opened = await laptop.get(link)  # a mail scanner opening it changes nothing
        assert "Ga verder waar je was" in opened.text
        assert not laptop.cookies.get("participatiebot_chat")
        page = await laptop.post(f"{site}/chat/verder", data={"t": hidden(opened.text, "t")})
        assert "Herinrichting Lindenplein" in page.text
        assert "Wie neemt het initiatief" in last_question(page.text)
        gone = await laptop.post(f"{site}/chat/verder", data={"t": "vervalst.token"})
        assert gone.status_code == 404


async def test_embedding_is_allowed_only_for_the_sites_set(
    settings: Settings, store: Store, listener
) -> None:
    embedded = settings.model_copy(
        update={
            "frame_ancestors": "https://www.gemeente.example",
            "public_url": "https://x.example",
        }
    )
    server, task = await serve(embedded, store, listener)
    host, port = listener.getsockname()
    try:
        async with httpx.AsyncClient(base_url=f"http://{host}:{port}") as client:
            page = await client.get("/chat")
            started = await client.post("/chat/api/session", json={})
    finally:
        server.should_exit = True
        await task
    assert "frame-ancestors https://www.gemeente.example" in page.headers["content-security-policy"]
    cookie = started.headers["set-cookie"].lower()
    assert "samesite=none" in cookie and "secure" in cookie


def test_the_web_chat_and_the_public_pages_build_on_no_other_page_module() -> None:
    """Shared HTML helpers live in bot/pages.py; the advisor's and the participants' pages
    can change without touching the web chat or the public plan pages."""
    import ast
    from pathlib import Path

    root = Path(__file__).parent.parent
    for module in ("bot/channels/web.py", "bot/public_pages.py"):
        tree = ast.parse((root / module).read_text())
        imported = {
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        imported |= {
            f"{node.module}.{alias.name}"
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
        for page_module in ("bot.web", "bot.participant_pages", "bot.features.review"):
            assert page_module not in imported, (module, page_module)


async def test_the_summary_comes_in_parts_the_page_can_fold(site: str) -> None:
    async with httpx.AsyncClient(base_url=site) as client:
        body = (await client.post("/chat/api/session", json={"gemeente": "leiden"})).json()
        for text in ("Herinrichting Lindenplein", "samenvatting"):
            data = (
                await client.post(
                    "/chat/api/message", json={"session": body["session"], "text": text}
                )
            ).json()
        [summary] = [r for r in data["replies"] if r["kind"] == "summary"]
        assert summary["sections"]["title"] == "Samenvatting van 'Herinrichting Lindenplein':"
        [part] = summary["sections"]["parts"]
        assert part["heading"] == "Quickscan"
        assert "Herinrichting Lindenplein" in [i["value"] for i in part["items"]]
    # the page without script shows the same parts
    async with httpx.AsyncClient(base_url=site, follow_redirects=True) as client:
        page = await client.post(
            "/chat?gemeente=leiden", data={"actie": "start", "gemeente": "leiden"}
        )
        for text in ("Herinrichting Lindenplein", "samenvatting"):
            page = await client.post(
                "/chat", data={"csrf": hidden(page.text, "csrf"), "text": text}
            )
        assert re.search(r"<summary>Quickscan \(\d+\)</summary>", page.text)
        assert "<dd>Herinrichting Lindenplein</dd>" in page.text
