"""The Slack channel: DMs, /participatie and buttons in; Block Kit messages and files out."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot import delivery
from bot.channels.grouping import grouped
from bot.channels.later import follow_up, has_pending
from bot.delivery import Blocked, RetryLater, Undeliverable
from bot.engine import Engine, Reply, Upload, replies_lang
from bot.engine.incoming import MAX_FILE_BYTES
from bot.engine.texts import load_texts, t
from bot.pacing import Pace, split_text
from bot.settings import Settings
from bot.storage import Store

log = logging.getLogger(__name__)

COMMAND = "/participatie"
SECTION_LIMIT = 3000  # characters in one section block (Slack's limit)
LABEL_LIMIT = 75  # characters on a button
ELEMENTS_PER_BLOCK = 25  # elements in one actions block
MAX_BLOCKS = 50  # blocks in one message
BURST = 3  # messages a channel may get at once before the per-second rate applies
ANSWER_ACTION = re.compile(r"^answer:")
DATE_ACTION = "date"
# 'Kies er een of meer': boxes to tick, and a button that sends what is ticked
TICK_ACTION = "ticks"
SEND_ACTION = "send"
MAX_TICKS = 10  # options in one checkboxes element (Slack's limit)
# <mailto:a@example.org|a@example.org>, <https://x|label>, <@U123>: what Slack makes of typed text
SLACK_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")
# Slack writes an emoji in a message's text by its name (👍 arrives as ':+1:', with a skin tone
# as ':+1::skin-tone-3:'); the ones an answer can be, back as the emoji the interview reads.
SLACK_EMOJI = re.compile(r":([a-z0-9_+-]+):(?::skin-tone-\d:)?")
EMOJI = {
    "+1": "👍",
    "thumbsup": "👍",
    "ok_hand": "👌",
    "white_check_mark": "✅",
    "heavy_check_mark": "✔",
    "-1": "👎",
    "thumbsdown": "👎",
    "x": "❌",
}


def enabled(settings: Settings) -> bool:
    """Slack runs with a bot token plus a way in: a signing secret (HTTP) or an app token."""
    return settings.slack_enabled


class SlackChannel:
    """Translates Slack requests into engine input and the engine's replies into Slack messages."""

    def __init__(self, settings: Settings, engine: Engine, store: Store) -> None:
        self.settings = settings
        self.engine = engine
        self.store = store
        self.client = AsyncWebClient(
            token=settings.slack_bot_token,
            base_url=settings.slack_api_url,
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(),
                AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            ],
        )
        self.app = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret or "",
            request_verification_enabled=bool(settings.slack_signing_secret),
            # listeners only ack and hand the work to a task, so answering after them is fast
            # and the delivery is recorded before Slack hears back
            process_before_response=True,
        )
        self.app.middleware(self._once)
        self.app.event("message")(self._on_message)
        self.app.event("app_home_opened")(self._on_home)
        self.app.command(COMMAND)(self._on_command)
        self.app.action(ANSWER_ACTION)(self._on_button)
        self.app.action(DATE_ACTION)(self._on_date)
        self.app.action(TICK_ACTION)(self._on_tick)
        self.app.action(SEND_ACTION)(self._on_send)
        self._handler = AsyncSlackRequestHandler(self.app)
        self._socket: AsyncSocketModeHandler | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._dms: dict[str, str] = {}
        # DM -> ts of the message whose buttons answer the current question ('' when none).
        # Only what this process sent: after a restart a press is taken as it comes.
        self._live: dict[str, str] = {}
        self._pacer = Pace(per_key=settings.slack_rate, burst=BURST, safety=1.0)

    # ------------------------------------------------------------------ lifecycle
    @property
    def mode(self) -> str:
        """How Slack reaches the bot, for the log."""
        return "Socket Mode" if self.settings.slack_app_token else "HTTP, POST /slack/events"

    def routes(self) -> list[BaseRoute]:
        """POST /slack/events for events, the slash command and interactivity (HTTP mode)."""
        if not self.settings.slack_signing_secret:
            return []  # without a secret no request can be verified: offer no endpoint

        async def events(request: Request) -> Response:
            return await self._handler.handle(request)

        return [Route("/slack/events", events, methods=["POST"])]

    async def start(self) -> None:
        """Check the token (auth.test raises SlackApiError when Slack rejects it); connect Socket
        Mode when an app token is set."""
        # one HTTP session for every call: without it slack_sdk opens a new one, with a new
        # connection (and TLS handshake), for each message
        self.client.session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.client.timeout)
        )
        try:
            auth = await self.client.auth_test()
        except Exception:
            await self.client.session.close()
            self.client.session = None
            raise
        log.info("Slack: bot %s in workspace %s", auth.get("user"), auth.get("team"))
        if self.settings.slack_app_token:
            self._socket = AsyncSocketModeHandler(self.app, self.settings.slack_app_token)
            await self._socket.connect_async()
            log.info("Slack: Socket Mode connected")

    async def stop(self, timeout: float = 10) -> None:
        """Stop taking requests, then finish the turns already accepted (for at most `timeout`
        seconds)."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        try:
            async with asyncio.timeout(timeout):
                await self.idle()
        except TimeoutError:
            for task in self._tasks:
                task.cancel()
        if self.client.session is not None:
            await self.client.session.close()
            self.client.session = None

    async def idle(self) -> None:
        """Wait until every accepted message has been answered."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # ------------------------------------------------------------------ Slack in
    async def _once(
        self, body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Slack re-sends what it thinks failed (X-Slack-Retry-Num); handle each delivery once."""
        key = delivery_key(body)
        # the store waits for the database; the event loop must not
        if key is not None and not await asyncio.to_thread(self.store.first_delivery, "slack", key):
            log.info("Slack: repeated delivery %s ignored", key)
            return BoltResponse(status=200, body="")  # acknowledged: Slack stops re-sending
        await next()
        return None

    async def _on_message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        # edits, joins and other bots' messages are not answers; a shared file may be one
        subtype = event.get("subtype")
        if event.get("channel_type") == "im" and subtype == "message_changed":
            self._on_edit(body, event)
            return
        if event.get("channel_type") != "im" or subtype not in (None, "file_share"):
            return
        if event.get("bot_id"):
            return
        team = body.get("team_id") or event.get("team", "")
        files = event.get("files") or []
        upload = self._shared(files[0]) if subtype == "file_share" and files else None
        text = from_slack(event.get("text", ""))
        self._spawn(self._turn(team, event["user"], text, event["channel"], upload=upload))

    async def _on_home(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        """Someone opens the bot's Messages tab. The first time they get the welcome and the
        first question, as Telegram's Start button gives them (the tab was empty until they
        guessed to type something); after that the chat speaks for itself."""
        if event.get("tab") != "messages" or not event.get("user"):
            return
        team = body.get("team_id") or ""
        self._spawn(self._welcome(f"slack:{team}/{event['user']}", event["user"], event))

    async def _welcome(self, identity: str, user: str, event: dict[str, Any]) -> None:
        async with self._locks[identity]:
            try:
                if await asyncio.to_thread(self.store.find_person, identity) is not None:
                    return  # known here (writing a plan, or following one): nothing to offer
                channel = event.get("channel") or await self._dm(user)
                replies = await self.engine.start(identity)
                await self._send(channel, replies, "nl")
            except Exception:
                log.exception("Slack: welcome of %s failed", identity)

    def _on_edit(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        """A typo put right after sending: the answer taken was the first version. (Slack also
        says 'changed' when it adds a link preview, or when the bot closes a question: only a
        person's new text is an edit.)"""
        now, before = event.get("message") or {}, event.get("previous_message") or {}
        if now.get("bot_id") or not now.get("user") or now.get("text") == before.get("text"):
            return
        identity = f"slack:{body.get('team_id') or now.get('team', '')}/{now['user']}"
        self._spawn(self._notice(identity, event["channel"], partial(t, "edited_message")))

    async def _notice(self, identity: str, channel: str, text: Callable[[str], str]) -> None:
        """A word in between that asks nothing: the buttons of the question asked stay the
        ones to answer."""
        async with self._locks[identity]:
            try:
                person = await asyncio.to_thread(self.store.find_person, identity)
                lang = person.lang if person else "nl"
                await self._send(channel, [Reply(text(lang))], lang, asks=False)
            except Exception:
                log.exception("Slack: could not answer %s", identity)

    async def _on_command(self, ack: Callable[..., Awaitable[None]], body: dict[str, Any]) -> None:
        if str(body.get("channel_id", "")).startswith("D"):
            await ack()
        else:
            # typed in a channel: the answer goes to the DM, which the person may not watch
            person = await asyncio.to_thread(
                self.store.find_person, f"slack:{body['team_id']}/{body['user_id']}"
            )
            await ack(texts(person.lang if person else "nl")["answered_in_dm"])
        text = from_slack(body.get("text", ""))
        self._spawn(self._turn(body["team_id"], body["user_id"], text, None))

    async def _on_button(
        self, ack: Callable[..., Awaitable[None]], body: dict[str, Any], action: dict[str, Any]
    ) -> None:
        await ack()
        self._answered(body, action["value"], action["text"]["text"])

    async def _on_date(
        self, ack: Callable[..., Awaitable[None]], body: dict[str, Any], action: dict[str, Any]
    ) -> None:
        await ack()
        if action.get("selected_date"):
            self._answered(body, action["selected_date"], action["selected_date"])

    async def _on_tick(self, ack: Callable[..., Awaitable[None]]) -> None:
        await ack()  # a box ticked answers nothing yet: what is ticked is read at 'Verstuur'

    async def _on_send(self, ack: Callable[..., Awaitable[None]], body: dict[str, Any]) -> None:
        await ack()
        picks = ticked(body)
        if picks:
            self._answered(body, ", ".join(v for v, _ in picks), ", ".join(x for _, x in picks))
            return
        # nothing ticked: the question stays open
        team = (body.get("team") or {}).get("id") or body["user"].get("team_id", "")
        identity = f"slack:{team}/{body['user']['id']}"
        channel = (body.get("channel") or {}).get("id") or await self._dm(body["user"]["id"])
        self._spawn(self._notice(identity, channel, partial(t, "tick_first")))

    def _answered(self, body: dict[str, Any], value: str, shown: str) -> None:
        """A button or date picked under a question: the same as typing its value."""
        team = (body.get("team") or {}).get("id") or body["user"].get("team_id", "")
        channel = (body.get("channel") or {}).get("id")
        message = body.get("message")
        self._spawn(self._turn(team, body["user"]["id"], value, channel, message, shown))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ------------------------------------------------------------------ engine and Slack out
    async def _turn(
        self,
        team: str,
        user: str,
        text: str,
        channel: str | None,
        message: dict[str, Any] | None = None,
        shown: str = "",
        upload: Upload | None = None,
    ) -> None:
        identity = f"slack:{team}/{user}"
        # one person's messages are handled and answered in the order they came in
        async with self._locks[identity]:
            try:
                channel = channel or await self._dm(user)
                if message is not None and self._stale(channel, message):
                    # its value ('2') would answer the question asked now, not this one
                    lang = (await asyncio.to_thread(self.store.person, identity)).lang
                    await self._close_question(channel, message, t("stale_button", lang))
                    return
                # a pressed button's question is closed while the engine reads the answer
                closed = (
                    asyncio.ensure_future(self._close_question(channel, message, f"→ {shown}"))
                    if message is not None
                    else None
                )
                try:
                    if upload is not None:
                        replies = await self.engine.handle(identity, text, upload=upload)
                    else:
                        replies = await self._ask(identity, text)
                finally:
                    if closed is not None:
                        await closed
                lang = replies_lang(replies)
                if lang is None:
                    lang = (await asyncio.to_thread(self.store.person, identity)).lang
                await self._send(channel, replies, lang)
            except Exception:
                log.exception("Slack: turn of %s failed", identity)

    async def _ask(self, identity: str, text: str) -> list[Reply]:
        """The engine greets a first contact; a bare /participatie resumes (the start command)."""
        return await self.engine.handle(identity, text.strip() or "start")

    def _shared(self, file: dict[str, Any]) -> Upload:
        """A file shared in the direct message, fetched with the bot's token when the engine
        reads it; only from Slack's own file host, so the token goes nowhere else."""
        url = str(file.get("url_private_download") or file.get("url_private") or "")

        async def read() -> bytes:
            if not _slack_host(url, self.settings.slack_api_url):
                raise ValueError(f"not a Slack file address: {url}")
            headers = {"Authorization": f"Bearer {self.settings.slack_bot_token}"}
            timeout = aiohttp.ClientTimeout(total=30)
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.get(url, headers=headers, allow_redirects=False) as response,
            ):
                response.raise_for_status()
                data = b""
                async for chunk in response.content.iter_chunked(64 * 1024):
                    data += chunk
                    if len(data) > MAX_FILE_BYTES:
                        break  # the engine says it is too big; no need to read the rest
                return data

        return Upload(str(file.get("name") or "bestand"), file.get("size"), read)

    async def _dm(self, user: str) -> str:
        if user not in self._dms:
            response = await self.client.conversations_open(users=user)
            self._dms[user] = response["channel"]["id"]
        return self._dms[user]

    def _stale(self, channel: str, message: dict[str, Any]) -> bool:
        live = self._live.get(channel)
        return live is not None and message.get("ts") != live

    async def _close_question(self, channel: str, message: dict[str, Any], note: str) -> None:
        """Replace the buttons of a question by `note` (the answer given), so it is not
        answered twice."""
        blocks = [b for b in message.get("blocks", []) if b.get("type") != "actions"]
        blocks.append(_context(note))
        try:
            await self.client.chat_update(
                channel=channel, ts=message["ts"], text=message.get("text") or note, blocks=blocks
            )
        except Exception:  # the answer is taken all the same; only the old buttons stay
            log.warning("Slack: kon de beantwoorde vraag niet bijwerken", exc_info=True)

    async def _send(
        self, channel: str, replies: list[Reply], lang: str, *, asks: bool = True
    ) -> None:
        """Post the replies; with `asks`, the buttons of the last one are the ones to answer
        now (the PDFs that follow later ask nothing)."""
        live = ""
        for group in grouped(replies):
            for message in packed([m for r in group for m in to_messages(r, lang)]):
                await self._pacer.wait(channel)
                posted = await self.client.chat_postMessage(channel=channel, **message)
                if any(b["type"] == "actions" for b in message["blocks"]):
                    live = posted["ts"]
            if group[-1].documents:
                await self._upload(channel, group[-1].documents)
        if asks and replies:
            self._live[channel] = live
        if has_pending(replies):  # the PDFs follow once made (bot/channels/later.py)
            self._spawn(
                follow_up(replies, lambda more: self._send(channel, more, lang, asks=False), lang)
            )

    async def _upload(self, channel: str, paths: list[Path]) -> None:
        # files_upload_v2: files.getUploadURLExternal, the bytes, files.completeUploadExternal
        await self.client.files_upload_v2(
            channel=channel,
            file_uploads=[{"file": str(p), "filename": p.name, "title": p.name} for p in paths],
        )


# ---------------------------------------------------------------------- translation
def delivery_key(body: dict[str, Any]) -> str | None:
    """What makes a delivery unique: the event, the answered question message, the command."""
    if body.get("event_id"):
        return f"event:{body['event_id']}"
    if body.get("type") == "block_actions":
        container = body.get("container") or {}
        if container.get("message_ts") and _answers(body):
            # one answer per question message, however often its buttons are pressed
            return f"answer:{container.get('channel_id')}:{container['message_ts']}"
        return f"action:{body.get('trigger_id')}"
    if body.get("command"):
        return f"command:{body.get('trigger_id')}"
    return None


def _answers(body: dict[str, Any]) -> bool:
    """Whether this press answers its question: a box ticked does not, nor 'Verstuur' with
    nothing ticked (the question stays open for the real answer)."""
    action = (body.get("actions") or [{}])[0].get("action_id")
    return action != TICK_ACTION and (action != SEND_ACTION or bool(ticked(body)))


def ticked(body: dict[str, Any]) -> list[tuple[str, str]]:
    """(value, label) of the boxes ticked under the question, as Slack sends them along."""
    values = (body.get("state") or {}).get("values") or {}
    return [
        (o["value"], o["text"]["text"])
        for block in values.values()
        for o in (block.get(TICK_ACTION) or {}).get("selected_options") or []
    ]


def texts(lang: str = "nl") -> dict[str, str]:
    """What only this channel says (the interview's own texts live in the engine's messages)."""
    return load_texts("slack", "texts", lang)


def _slack_host(url: str, api_url: str) -> bool:
    """Slack serves shared files from files.slack.com; a Slack-compatible server (SLACK_API_URL)
    from its own address."""
    parts, api = urlsplit(url), urlsplit(api_url)
    if parts.scheme == "https" and parts.hostname == "files.slack.com":
        return True
    return (parts.scheme, parts.netloc) == (api.scheme, api.netloc)


def from_slack(text: str) -> str:
    """Typed text as the person meant it: Slack wraps e-mail addresses and links, names
    emoji, and escapes &, < and >."""

    def unwrap(m: re.Match[str]) -> str:
        target, label = m.group(1), m.group(2)
        return label or target.removeprefix("mailto:")

    text = SLACK_LINK.sub(unwrap, text)
    text = SLACK_EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def to_messages(reply: Reply, lang: str = "nl") -> list[dict[str, Any]]:
    """One reply as chat.postMessage arguments: the text in parts that fit a section block,
    progress above a question, buttons and a date picker below it."""
    text = reply.text
    if reply.documents:
        # the files themselves follow; a path on the server means nothing in Slack
        paths = {str(p) for p in reply.documents}
        text = "\n".join(line for line in text.splitlines() if line.strip() not in paths)
    parts = [p.strip() for p in split_text(text, SECTION_LIMIT)]
    controls = _controls(reply, lang)
    if not parts and not controls:
        return []
    messages = [{"text": _escape(p), "blocks": [_section(p)]} for p in parts] or [
        {"text": " ", "blocks": []}
    ]
    if reply.kind == "question" and reply.progress:
        n, total = reply.progress
        messages[0]["blocks"].insert(0, _context(t("progress", lang, n=n, total=total)))
    messages[-1]["blocks"] += controls
    return messages


def packed(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages that follow one another as one, while they fit in a section's length and
    Slack's 50 blocks; buttons end a message."""
    out: list[dict[str, Any]] = []
    for message in messages:
        last = out[-1] if out else None
        if (
            last is not None
            and not any(b["type"] == "actions" for b in last["blocks"])
            and len(last["text"]) + len(message["text"]) <= SECTION_LIMIT
            and len(last["blocks"]) + len(message["blocks"]) <= MAX_BLOCKS
        ):
            last["text"] = f"{last['text']}\n\n{message['text']}".strip()
            last["blocks"] = last["blocks"] + message["blocks"]
        else:
            out.append({**message, "blocks": list(message["blocks"])})
    return out


def _controls(reply: Reply, lang: str = "nl") -> list[dict[str, Any]]:
    elements: list[dict[str, Any]] = []
    choices = reply.choices
    if reply.input == "date":
        elements.append({"type": "datepicker", "action_id": DATE_ACTION})
    options = [c for c in choices if c.value.isdigit()]
    if reply.input == "multi" and 1 < len(options) <= MAX_TICKS:
        # a button answered at once with one option, where the question asks for one or more
        boxes = [{"text": _plain(_label(c.label)), "value": c.value} for c in options]
        send = _plain(t("send", lang))
        elements += [
            {"type": "checkboxes", "action_id": TICK_ACTION, "options": boxes},
            {"type": "button", "action_id": SEND_ACTION, "text": send, "value": SEND_ACTION},
        ]
        choices = [c for c in choices if not c.value.isdigit()]
    elements += [
        {
            "type": "button",
            "action_id": f"answer:{i}",
            "text": _plain(_label(c.label)),
            "value": c.value,
        }
        for i, c in enumerate(choices)
    ]
    step = ELEMENTS_PER_BLOCK
    return [
        {"type": "actions", "block_id": f"answers-{i}", "elements": elements[i : i + step]}
        for i in range(0, len(elements), step)
    ]


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _label(label: str) -> str:
    return label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1] + "…"


def _section(text: str) -> dict[str, Any]:
    # plain_text: answers are shown as typed, without Slack's *bold* or _italic_ markup
    return {"type": "section", "text": {"type": "plain_text", "text": text, "emoji": True}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "plain_text", "text": text, "emoji": True}]}


def _escape(text: str) -> str:
    """The message's `text` (notifications) is read as mrkdwn: &, < and > must be escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------- the outbox's way out
# Slack answers these when a person or their DM is gone for good.
GONE = {
    "account_inactive",
    "user_not_found",
    "user_disabled",
    "cannot_dm_bot",
    "channel_not_found",
    "is_archived",
    "not_in_channel",
    "messages_tab_disabled",
}


class SlackSender:
    """Sends the outbox's messages (bot/delivery.py) as direct messages through the Slack Web
    API (conversations.open, chat.postMessage)."""

    def __init__(self, settings: Settings) -> None:
        self.client = AsyncWebClient(
            token=settings.slack_bot_token, base_url=settings.slack_api_url
        )
        self._dms: dict[str, str] = {}

    async def start(self) -> None:
        # one HTTP session for the whole round of messages, not one per message
        self.client.session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.client.timeout)
        )

    async def close(self) -> None:
        if self.client.session is not None:
            await self.client.session.close()
            self.client.session = None

    async def send(self, identity: str, text: str, **extra: Any) -> None:
        user = identity.removeprefix("slack:").split("/", 1)[-1]
        try:
            if user not in self._dms:
                opened = await self.client.conversations_open(users=user)
                self._dms[user] = opened["channel"]["id"]
            await self.client.chat_postMessage(channel=self._dms[user], text=_escape(text))
        except SlackApiError as e:
            if e.response.status_code == 429:
                raise RetryLater(float(e.response.headers.get("Retry-After", 1))) from None
            error = str(e.response.get("error", ""))
            if error in GONE:
                raise Blocked(error) from None
            raise Undeliverable(error or str(e)) from None


async def open_sender(settings: Settings, store: Store) -> SlackSender | None:
    """The outbox's sender when a bot token is set (no way in is needed to send)."""
    if not settings.slack_bot_token:
        return None
    sender = SlackSender(settings)
    await sender.start()
    return sender


def pace(settings: Settings, store: Store | None = None) -> Pace:
    """The outbox's pace: PARTICIPATIEBOT_SLACK_RATE messages a second per person."""
    return Pace(None, settings.slack_rate)


delivery.register_sender("slack", open_sender, pace)
