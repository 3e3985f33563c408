"""The web chat (`/chat`): the engine's interview on the gemeente's own site, no app, no account.

Plain HTML forms do everything (the question, choices as buttons, the conversation so far);
templates/web/static/chat.js makes it quicker through the JSON API (`/chat/api/...`) when the
browser runs scripts. A person is `web:<random id>`; the id travels in a signed, HttpOnly
cookie (and, for the script in an <iframe> that gets no cookies, in the API's `session`).
Forms carry a check value bound to the session; no POST is taken from another site.
A PDF made after the turn (bot/channels/later.py) joins the conversation as one more message:
the page shows it on its next load, the script asks `/chat/api/later` until it is there.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import OrderedDict, deque
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.channels.later import has_pending, made, ready_reply
from bot.engine import Engine, Reply
from bot.engine.texts import load_texts
from bot.engine.types import Upload
from bot.mail import Outbox, sender
from bot.pages import MAX_FORM, lang, localised, page, public_headers, read_form
from bot.settings import AMSTERDAM, Settings
from bot.signing import (
    WEBCHAT_LINK,
    WEBCHAT_LINK_LIFETIME,
    BadToken,
    form_token,
    form_token_ok,
    pseudonym,
    secret_key,
    sign,
    verify,
    webchat_link,
)
from bot.storage import PlanRecord, Store
from handreiking import parsing, understanding
from handreiking.profiles import STANDAARD

log = logging.getLogger(__name__)

COOKIE = "participatiebot_chat"
SESSION_LIFETIME = timedelta(days=30)
LINK_LIFETIME = WEBCHAT_LINK_LIFETIME
MAX_TEXT = 8_000  # characters of one message; the engine has its own limit for an answer
MAX_JSON = 64_000
HISTORY = 60  # messages of a conversation shown again on the page
SESSIONS_IN_MEMORY = 5_000
# what one person or one address may do in a while (count, seconds)
MESSAGES_PER_SESSION = (120, 60)  # two a second: more than anyone types
SESSIONS_PER_CLIENT = (30, 600)
LINKS_PER_CLIENT = (5, 3600)
LINKS_PER_ADDRESS_PER_DAY = 3


def texts() -> dict[str, str]:
    return load_texts("webchat", "texts", lang())


class RateLimit:
    """At most `count` events per `seconds` per key, counted in this process."""

    def __init__(self, count: int, seconds: float, keys: int = 10_000) -> None:
        self.count, self.seconds, self.keys = count, seconds, keys
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        seen = self._seen.setdefault(key, deque())
        self._seen.move_to_end(key)
        while seen and seen[0] <= now - self.seconds:
            seen.popleft()
        if len(self._seen) > self.keys:
            self._seen.popitem(last=False)
        if len(seen) >= self.count:
            return False
        seen.append(now)
        return True


class WebChat:
    """The routes of the web chat over one engine."""

    def __init__(self, settings: Settings, engine: Engine, store: Store) -> None:
        self.settings = settings
        self.engine = engine
        self.store = store
        self.key = secret_key(settings.data_dir)
        # the conversation so far per session, to show again after a form post; a restart
        # forgets it and the page then offers to go on where the interview is
        self.history: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
        # per conversation: where its plan stood when the page last spoke (a change since is told)
        self.seen: dict[str, str | None] = {}
        # PDFs on their way, by an id the script asks about: (session, the message that brings
        # them, None while they are being made)
        self.later: OrderedDict[str, tuple[str, list[dict[str, Any]] | None]] = OrderedDict()
        self._following: set[asyncio.Task[None]] = set()
        self.per_session = RateLimit(*MESSAGES_PER_SESSION)
        self.per_client = RateLimit(*SESSIONS_PER_CLIENT)
        self.links = RateLimit(*LINKS_PER_CLIENT)
        https = settings.public_url.startswith("https://")
        embedded = settings.frame_ancestors.strip() not in ("", "'none'")
        # inside a gemeente's <iframe> the cookie is a third party's: only 'None' sends it
        self.samesite = "none" if embedded and https else "lax"
        self.secure = https

    # ------------------------------------------------------------------ sessions
    def _token(self, sid: str) -> str:
        return sign(self.key, "webchat", {"s": sid}, self.settings.clock() + SESSION_LIFETIME)

    def _sid(self, token: str | None) -> str | None:
        try:
            sid = verify(self.key, "webchat", token or "", self.settings.clock()).get("s")
        except BadToken:
            return None
        return sid if isinstance(sid, str) and sid else None

    def _request_sid(self, request: Request, given: str | None = None) -> str | None:
        return self._sid(given) or self._sid(request.cookies.get(COOKIE))

    def _set_cookie(self, response: Response, sid: str) -> None:
        response.set_cookie(
            COOKIE,
            self._token(sid),
            max_age=int(SESSION_LIFETIME.total_seconds()),
            path="/chat",
            httponly=True,
            secure=self.secure,
            samesite=self.samesite,  # type: ignore[arg-type]
        )

    def _csrf(self, sid: str) -> str:
        return form_token(self.key, f"webchat\n{sid}")

    def _same_site(self, request: Request) -> bool:
        """A POST from our own pages: browsers say where a request comes from. (Our pages send
        no Referer, so a form's Origin is 'null'; Sec-Fetch-Site still tells.)"""
        fetch_site = request.headers.get("sec-fetch-site")
        if fetch_site:
            return fetch_site in ("same-origin", "none")
        origin = request.headers.get("origin")
        if not origin or origin == "null":
            return True  # an older browser: the form's check value decides
        ours = {_origin(self.settings.public_url), _origin(str(request.base_url))}
        return origin in ours

    def _client(self, request: Request) -> str:
        return request.client.host if request.client else "?"

    def _gemeente(self, given: Any) -> str | None:
        return given if isinstance(given, str) and given in self.engine.profiles() else None

    def _remember(self, sid: str, entries: list[dict[str, Any]]) -> None:
        kept = self.history.setdefault(sid, [])
        self.history.move_to_end(sid)
        kept.extend(entries)
        del kept[:-HISTORY]
        while len(self.history) > SESSIONS_IN_MEMORY:
            gone, _ = self.history.popitem(last=False)
            self.seen.pop(gone, None)

    # ------------------------------------------------------------------ replies
    def reply_json(self, reply: Reply) -> dict[str, Any]:
        return {
            "text": reply.text,
            "kind": reply.kind,
            "choices": [{"label": c.label, "value": c.value} for c in reply.choices],
            "input": reply.input or "",
            # a PDF still being made is not offered yet (an older one may stand in its place)
            "documents": self._documents(reply.documents, beside=not reply.pending),
            # only where a file may answer (the CSV of reactions): a file field beside the text
            **({"file": True} if reply.accepts_file else {}),
            # the summary in parts that fold: on a phone its text ran to five screens
            **({"sections": _sections(reply)} if reply.sections else {}),
        }

    def _documents(self, paths: list[Path], beside: bool = True) -> list[dict[str, str]]:
        """Download links, a PDF next to its Word document where one was made."""
        shown: list[dict[str, str]] = []
        for path in paths:
            for p in (path, path.with_suffix(".pdf")) if beside else (path,):
                if p.suffix in (".docx", ".pdf", ".ics", ".png") and p.is_file():
                    url = f"/chat/documenten/{quote(p.parent.name)}/{quote(p.name)}"
                    if all(d["url"] != url for d in shown):
                        shown.append({"name": p.name, "url": url})
        return shown

    async def _start(self, sid: str, gemeente: str | None) -> list[dict[str, Any]]:
        identity = f"web:{sid}"
        # going on where one was: the plan last worked on, also one handed in or adopted (the
        # engine would otherwise open an unfinished one, or a new interview)
        plan_id = await asyncio.to_thread(self._going_on, identity)
        replies = await self.engine.start(identity, gemeente=gemeente, plan_id=plan_id)
        shown = [self.reply_json(r) for r in replies]
        self._remember(sid, [{"who": "bot", **r} for r in shown])
        self.seen[sid] = await asyncio.to_thread(self._plan_status, sid)
        return shown

    def _active(self, identity: str) -> PlanRecord | None:
        """The plan the person last worked on."""
        person = self.store.find_person(identity)
        active = person.active_plan_id if person else None
        return self.store.plan(active) if active else None

    def _going_on(self, identity: str) -> str | None:
        """The plan to go on with: the one last worked on, when it may still be edited."""
        record = self._active(identity)
        return record.id if record and self.store.may_edit(record, identity) else None

    def _plan_status(self, sid: str) -> str | None:
        """Where the plan this conversation works on stands; None before there is one (one
        query: it is asked after every turn)."""
        return self.store.active_status(f"web:{sid}")

    async def _say(
        self, sid: str, text: str, upload: Upload | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """The replies to `text` (or the file sent), and the id of the PDFs that follow them
        (None when none)."""
        asked = self._last_question(sid)
        choices = (asked or {}).get("choices", [])
        label = next((c["label"] for c in choices if c["value"] == text), text)
        if upload is not None and not text.strip():
            text, label = "", f"📎 {upload.name}"
        replies = await self.engine.handle(f"web:{sid}", text, upload=upload)
        if label != text:  # a button: its label is shown as the answer, no need to echo it
            person = await asyncio.to_thread(self.store.person, f"web:{sid}")
            echo = understanding.phrase("echo", person.lang, value=label)
            replies = [r for r in replies if not (r.kind == "info" and r.text == echo)]
        shown = [self.reply_json(r) for r in replies]
        said = {"who": "you", "text": label, "kind": "answer", "choices": [], "documents": []}
        self._remember(sid, [said, *({"who": "bot", **r} for r in shown)])
        self.seen[sid] = await asyncio.to_thread(self._plan_status, sid)
        return shown, self._follow(sid, replies) if has_pending(replies) else None

    def _follow(self, sid: str, replies: list[Reply]) -> str:
        """Once made, the PDFs of these replies join the conversation as one more message."""
        later_id = secrets.token_urlsafe(12)
        self.later[later_id] = (sid, None)
        while len(self.later) > SESSIONS_IN_MEMORY:
            self.later.popitem(last=False)

        async def follow() -> None:
            paths = await made(replies)
            person_lang = (await asyncio.to_thread(self.store.person, f"web:{sid}")).lang
            shown = [self.reply_json(ready_reply(paths, person_lang))] if paths else []
            self._remember(sid, [{"who": "bot", **r} for r in shown])
            if later_id in self.later:
                self.later[later_id] = (sid, shown)

        task = asyncio.create_task(follow())
        self._following.add(task)
        task.add_done_callback(self._following.discard)
        return later_id

    def _last_question(self, sid: str) -> dict[str, Any] | None:
        for entry in reversed(self.history.get(sid, [])):
            if entry["who"] == "bot" and (entry["kind"] == "question" or entry["choices"]):
                return entry
            if entry["who"] == "you":
                return None
        return None

    # ------------------------------------------------------------------ the page
    def _page(self, request: Request, sid: str | None, status_code: int = 200, **extra: Any):
        profiles = self.engine.profiles()
        chosen = self._gemeente(request.query_params.get("gemeente"))
        history = self.history.get(sid, []) if sid else []
        asked = self._last_question(sid) if sid else None
        response = page(
            "chat.html",
            status_code,
            headers=public_headers(self.settings.frame_ancestors),
            titel=texts()["title"],
            c=texts(),
            site=texts()["site"],
            gemeente=profiles[chosen].naam if chosen else None,
            gemeenten={k: p.naam for k, p in profiles.items() if k != STANDAARD},
            gekozen=chosen or "",
            sessie=sid is not None and self._known(sid),
            geschiedenis=history,
            vraag=asked,
            csrf=self._csrf(sid) if sid else "",
            melding=extra.get("melding"),
            fout=extra.get("fout"),
            email=extra.get("email", ""),
        )
        if sid:
            self._set_cookie(response, sid)
        return response

    def _known(self, sid: str) -> bool:
        return sid in self.history or bool(self.store.plans(owner=f"web:{sid}"))

    async def show(self, request: Request) -> Response:
        code = request.query_params.get("volg", "").strip()
        if code:
            # following a plan goes by e-mail: a web page cannot send the updates later
            return RedirectResponse(f"/volg/{quote(code.upper())}", status_code=303)
        sid = self._request_sid(request)
        if sid and sid in self.seen and sid in self.history:
            now = await asyncio.to_thread(self._plan_status, sid)
            if now != self.seen[sid]:
                # the advisor answered, or college or raad adopted the plan, since the page was
                # last shown: the conversation says so without waiting for a message
                await self._start(sid, None)
        return self._page(request, sid)

    async def post(self, request: Request) -> Response:
        upload = await _upload(request)  # parsed first: the form keeps it for read_form
        form = await read_form(request)
        if not self._same_site(request):
            return self._page(request, None, 403, fout=texts()["stale"])
        sid = self._request_sid(request, form.get("session"))
        if sid is None and form.get("actie") != "start":
            # an answer without its conversation (the cookie ran out): say so, start nothing
            return self._page(request, None, 403, fout=texts()["no_session"])
        if form.get("actie") == "start" or sid is None:
            if not self.per_client.allow(self._client(request)):
                return self._page(request, sid, 429, fout=texts()["too_many"])
            if sid is None:
                sid = secrets.token_urlsafe(18)
            await self._start(sid, self._gemeente(form.get("gemeente")))
            return self._back(request, sid)
        if not form_token_ok(self.key, f"webchat\n{sid}", form.get("csrf")):
            return self._page(request, sid, 403, fout=texts()["stale"])
        if not self.per_session.allow(sid):
            return self._page(request, sid, 429, fout=texts()["too_many"])
        picked = [v for k, v in _multi(await request.form()) if k == "keuze"]
        text = ", ".join(picked) if picked else form.get("text", "")
        await self._say(sid, text[:MAX_TEXT], upload)
        return self._back(request, sid)

    def _back(self, request: Request, sid: str) -> Response:
        # after a post, a fresh GET: reloading the page does not send the answer again
        query = {k: v for k, v in request.query_params.items() if k in ("lang", "gemeente")}
        target = "/chat" + (f"?{urlencode(query)}" if query else "") + "#antwoord"
        response = RedirectResponse(target, status_code=303)
        self._set_cookie(response, sid)
        return response

    # ------------------------------------------------------------------ JSON API
    async def _json(self, request: Request) -> dict[str, Any] | Response:
        # JSON only: a form on another site cannot send it without the browser asking us first
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return JSONResponse({"error": "application/json verwacht"}, status_code=415)
        if not self._same_site(request):
            return JSONResponse({"error": texts()["stale"]}, status_code=403)
        body = await request.body()
        if len(body) > MAX_JSON:
            return JSONResponse({"error": "te groot"}, status_code=413)
        try:
            data = await request.json() if body else {}
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return JSONResponse({"error": "geen JSON-object"}, status_code=400)
        return data

    async def api_session(self, request: Request) -> Response:
        data = await self._json(request)
        if isinstance(data, Response):
            return data
        if not self.per_client.allow(self._client(request)):
            return JSONResponse({"error": texts()["too_many"]}, status_code=429)
        sid = secrets.token_urlsafe(18)
        replies = await self._start(sid, self._gemeente(data.get("gemeente")))
        response = JSONResponse({"session": self._token(sid), "replies": replies})
        self._set_cookie(response, sid)
        return response

    async def api_message(self, request: Request) -> Response:
        data = await self._json(request)
        if isinstance(data, Response):
            return data
        given = data.get("session")
        sid = self._request_sid(request, given if isinstance(given, str) else None)
        if sid is None:
            return JSONResponse({"error": texts()["no_session"]}, status_code=401)
        text = data.get("text")
        if not isinstance(text, str):
            return JSONResponse({"error": "text ontbreekt"}, status_code=400)
        if not self.per_session.allow(sid):
            return JSONResponse({"error": texts()["too_many"]}, status_code=429)
        shown, later_id = await self._say(sid, text[:MAX_TEXT])
        # `pending`: PDFs are being made; `/chat/api/later` brings them when they are there
        return JSONResponse({"replies": shown, **({"pending": later_id} if later_id else {})})

    async def api_later(self, request: Request) -> Response:
        """The message with the PDFs of `pending` once made: `{"replies": [...], "pending":
        bool}`; only to the conversation they belong to."""
        data = await self._json(request)
        if isinstance(data, Response):
            return data
        given = data.get("session")
        sid = self._request_sid(request, given if isinstance(given, str) else None)
        sought = data.get("pending")
        owner, shown = (
            self.later.get(sought, (None, None)) if isinstance(sought, str) else (None, None)
        )
        if sid is None or owner != sid:
            # forgotten (a restart) or another conversation's: nothing more will come
            return JSONResponse({"replies": [], "pending": False})
        return JSONResponse({"replies": shown or [], "pending": shown is None})

    # ------------------------------------------------------------------ documents
    async def document(self, request: Request) -> Response:
        sid = self._request_sid(request)
        plan_id, name = request.path_params["plan_id"], request.path_params["name"]
        record = self.store.plan(plan_id)
        folder = (self.settings.plans_dir / plan_id).resolve()
        path = (folder / name).resolve()
        allowed = (
            sid is not None
            and record is not None
            and self.store.may_edit(record, f"web:{sid}")
            and path.parent == folder
            and path.is_file()
        )
        if not allowed:
            return self._notice(request, texts()["document_gone"], 404)
        return FileResponse(
            path,
            filename=name,
            headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
        )

    def _notice(self, request: Request, tekst: str, status_code: int) -> Response:
        return page(
            "melding.html",
            status_code,
            public=True,
            headers=public_headers(self.settings.frame_ancestors),
            titel=texts()["title"],
            tekst=tekst,
            terug="/chat",
            site=texts()["site"],
        )

    # ------------------------------------------------------------------ resume link
    async def send_link(self, request: Request) -> Response:
        form = await read_form(request)
        # the script's form carries the conversation's token: that secret is the check itself
        given = self._sid(form.get("session"))
        sid = given or self._request_sid(request)
        if sid is None or not self._same_site(request):
            return self._page(request, None, 403, fout=texts()["stale"])
        if not given and not form_token_ok(self.key, f"webchat\n{sid}", form.get("csrf")):
            return self._page(request, sid, 403, fout=texts()["stale"])
        try:
            address = parsing.parse_email(form.get("email", ""))
        except parsing.ParseError:
            return self._page(
                request, sid, 400, fout=texts()["link_bad_email"], email=form.get("email", "")
            )
        if not self.links.allow(self._client(request)):
            return self._page(request, sid, 429, fout=texts()["too_many"])
        counted = f"webchat-link:{pseudonym(self.key, 'webchat-link', address)}"
        if self.store.count_within(counted, self.settings.today(), LINKS_PER_ADDRESS_PER_DAY):
            await self._mail_link(sid, address)
        # the same answer whether or not the mail went: the page tells nothing about an address
        dagen = LINK_LIFETIME.days
        return self._page(request, sid, melding=texts()["link_sent"].format(dagen=dagen))

    async def _mail_link(self, sid: str, address: str) -> None:
        now = self.settings.clock()
        expires = now + LINK_LIFETIME
        link = webchat_link(self.key, self.settings.public_url, f"web:{sid}", now)
        c = texts()
        msg = EmailMessage()
        msg["Subject"] = c["link_subject"]
        msg["From"] = sender(self.settings.mail_from)
        msg["To"] = address
        msg["Message-ID"] = make_msgid(domain=self.settings.mail_from.rpartition("@")[2] or None)
        tot = f"{expires.astimezone(AMSTERDAM):%d-%m-%Y %H:%M}"
        msg.set_content(c["link_mail"].format(link=link, tot=tot))
        outbox = Outbox(self.settings, self.store)
        mail_id = outbox.put(msg)
        try:
            await outbox.deliver(mail_id)
        except Exception:  # the worker tries again
            log.exception("resume link mail %s not sent yet", mail_id)

    def _link_sid(self, token: str) -> str | None:
        try:
            sid = verify(self.key, WEBCHAT_LINK, token, self.settings.clock()).get("s")
        except BadToken:
            return None
        return sid if isinstance(sid, str) else None

    async def resume(self, request: Request) -> Response:
        # a button, not a session on GET: mail scanners open links on their own
        token = request.query_params.get("t", "")
        if request.method == "POST":
            form = await read_form(request)
            token = form.get("t", "")
        sid = self._link_sid(token)
        if sid is None:
            return self._notice(request, texts()["continue_gone"], 404)
        if request.method == "POST":
            if not self._same_site(request):
                return self._notice(request, texts()["stale"], 403)
            self.history.pop(sid, None)
            await self._start(sid, None)
            return self._back(request, sid)
        return page(
            "chat_verder.html",
            headers=public_headers(self.settings.frame_ancestors),
            titel=texts()["continue_title"],
            c=texts(),
            site=texts()["site"],
            token=token,
        )


async def _upload(request: Request) -> Upload | None:
    """The file a form without JavaScript sent with the answer (the CSV of reactions)."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return None
    if len(await request.body()) > MAX_FORM:
        raise HTTPException(413)
    sent = (await request.form(max_files=1)).get("bestand")
    if not isinstance(sent, UploadFile) or not sent.filename:
        return None
    content = await sent.read()
    if not content:
        return None

    async def read() -> bytes:
        return content

    return Upload(sent.filename, len(content), read)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _sections(reply: Reply) -> dict[str, Any]:
    """The summary's title line and its parts: {'title': ..., 'parts': [{'heading', 'items':
    [{'label', 'value'}]}]}."""
    return {
        "title": reply.text.split("\n", 1)[0],
        "parts": [
            {"heading": heading, "items": [{"label": q, "value": a} for q, a in items]}
            for heading, items in reply.sections
        ],
    }


def _multi(form: Any) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in form.multi_items() if isinstance(v, str)]


def routes(settings: Settings, engine: Engine, store: Store) -> list[BaseRoute]:
    """The web chat's page, its JSON API, the resume link and the documents."""
    chat = WebChat(settings, engine, store)

    table = [
        ("/chat", chat.show, ["GET"]),
        ("/chat", chat.post, ["POST"]),
        ("/chat/api/session", chat.api_session, ["POST"]),
        ("/chat/api/message", chat.api_message, ["POST"]),
        ("/chat/api/later", chat.api_later, ["POST"]),
        ("/chat/link", chat.send_link, ["POST"]),
        ("/chat/verder", chat.resume, ["GET", "POST"]),
        ("/chat/documenten/{plan_id}/{name}", chat.document, ["GET"]),
    ]
    return [Route(path, localised(fn), methods=methods) for path, fn, methods in table]
