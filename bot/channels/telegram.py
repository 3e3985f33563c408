"""The Telegram channel: an update in, the engine's replies out as messages, buttons and files."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import socket
import warnings
import weakref
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import (
    Bot,
    BotCommand,
    CallbackQuery,
    Document,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatAction, ChatType, MessageLimit
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot import delivery
from bot.channels.grouping import grouped
from bot.channels.later import follow_up, has_pending
from bot.channels.telegram_http import AiohttpRequest
from bot.delivery import Blocked, RetryLater, SharedBudget, Undeliverable
from bot.engine import Choice, Engine, Reply, Upload, replies_lang
from bot.engine.texts import load_texts, messages, t
from bot.pacing import Pace, split_text
from bot.settings import Settings
from bot.storage import Store
from bot.storage.shared import acquire_lease, release_lease

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
CALLBACK_LIMIT = 64  # bytes of callback_data Telegram accepts
# 'Kies er een of meer': a button per option ticks it (its callback is TICK + the value, never
# an answer by itself), SEND answers with what is ticked
TICK = "+"
SEND = "+send"
UNTICKED, TICKED = "☐ ", "☑ "
# Telegram allows one getUpdates at a time per bot (a second one gets 409): with several
# processes on one database, the process that holds this lease polls, the others wait.
POLLING_LEASE = "telegram-polling"
LEASE_SECONDS = 30.0
# Telegram's published guidance: about one message a second to one chat.
CHAT_RATE = 1.0
# HTTP connections to the Bot API (python-telegram-bot's default is 256). 16 carry far more
# than the 30 messages a second Telegram takes, and leave room when Telegram is slow.
CONNECTIONS = 16
# A finding names its source with the gemeente's web address: Telegram would put a preview of
# that web page in the message, between the question and its buttons.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def texts(lang: str = "nl") -> dict[str, str]:
    """What only this channel says (the interview's own texts live in the engine's messages)."""
    return load_texts("telegram", "texts", lang)


# The chat commands of INTERFACE.md as Telegram shows them in its menu: (Dutch, English, what).
COMMANDS = [
    (c["command"]["nl"], c["command"]["en"], c["description"]["nl"], c["description"]["en"])
    for c in messages("telegram")["commands"]
]


class TelegramChannel:
    """Long polling by default; webhook on our own HTTP server when TELEGRAM_WEBHOOK_URL is set."""

    def __init__(self, settings: Settings, engine: Engine, store: Store) -> None:
        if not settings.telegram_token:
            raise ValueError("TELEGRAM_TOKEN is not set")
        self.settings = settings
        self.engine = engine
        self.store = store
        self.webhook_url = settings.telegram_webhook_url
        # Without a configured secret we make one: Telegram echoes whatever setWebhook gave it.
        self.secret = settings.telegram_webhook_secret or secrets.token_urlsafe(32)
        builder = (
            ApplicationBuilder()
            .token(settings.telegram_token)
            .base_url(settings.telegram_base_url)
            .concurrent_updates(True)  # many people at once; one person's turns: self._locks
            # aiohttp, not httpx: see bot/channels/telegram_http.py; getUpdates has its own
            .request(AiohttpRequest(CONNECTIONS))
            .get_updates_request(AiohttpRequest(1))
            .rate_limiter(AIORateLimiter(overall_max_rate=settings.telegram_rate, max_retries=3))
        )
        if settings.telegram_base_url.endswith("/bot"):
            builder = builder.base_file_url(settings.telegram_base_url[:-4] + "/file/bot")
        if self.webhook_url:
            builder = builder.updater(None)
        self.app: Application = builder.build()
        self.app.add_handler(TypeHandler(Update, self._on_update))
        self.app.add_error_handler(self._on_error)
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._long_values: dict[str, str] = {}  # callback key -> a button value over 64 bytes
        self._keyboard: dict[int, int] = {}  # chat -> message with the buttons to answer now
        self.username = ""
        self.lease_seconds = LEASE_SECONDS
        self._holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._lease_task: asyncio.Task[None] | None = None
        self._following: set[asyncio.Task[None]] = set()  # PDFs on their way (bot/channels/later)

    # ------------------------------------------------------------------ life
    def routes(self) -> list[BaseRoute]:
        if not self.webhook_url:
            return []
        path = urlsplit(self.webhook_url).path.rstrip("/") or WEBHOOK_PATH
        return [Route(path, self._webhook, methods=["POST"])]

    async def start(self) -> None:
        """getMe (InvalidToken when Telegram rejects the token), commands, webhook or polling."""
        await self.app.initialize()
        self.username = self.app.bot.username
        await self._register_commands()
        if self.webhook_url:
            url = self.webhook_url
            if not urlsplit(url).path.strip("/"):
                url = url.rstrip("/") + WEBHOOK_PATH
            await self.app.bot.set_webhook(
                url, secret_token=self.secret, allowed_updates=ALLOWED_UPDATES
            )
        await self.app.start()
        if not self.webhook_url:
            await self._poll_if_leased()
            self._lease_task = asyncio.create_task(self._keep_lease())

    @property
    def polling(self) -> bool:
        """This process fetches the updates (it holds the polling lease)."""
        return bool(self.app.updater and self.app.updater.running)

    async def _poll_if_leased(self) -> None:
        """Poll while this process holds the lease; stop when another process took it over."""
        try:
            held = acquire_lease(self.store.engine, POLLING_LEASE, self._holder, self.lease_seconds)
        except Exception:  # the database is away for a moment: try again next round
            log.warning("kan de lease voor Telegram niet vernieuwen", exc_info=True)
            return
        if held and not self.polling:
            await self.app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            log.info("dit proces haalt de Telegram-berichten op (long polling)")
        elif not held and self.polling:
            await self.app.updater.stop()
            log.warning("een ander proces haalt nu de Telegram-berichten op; dit proces wacht")
        elif not held and self._lease_task is None:
            log.info(
                "een ander proces haalt de Telegram-berichten op; dit proces neemt het over "
                "als dat proces stopt"
            )

    async def _keep_lease(self) -> None:
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            try:
                await self._poll_if_leased()
            except Exception:  # Telegram away for a moment: the next round tries again
                log.warning("long polling starten of stoppen mislukte", exc_info=True)

    async def stop(self) -> None:
        """Stop fetching, let running turns finish, close the connections."""
        if self._lease_task is not None:
            self._lease_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._lease_task
            self._lease_task = None
        if self.app.updater and self.app.updater.running:
            await self.app.updater.stop()
        if not self.webhook_url:
            try:
                release_lease(self.store.engine, POLLING_LEASE, self._holder)
            except Exception:  # the lease runs out by itself
                log.warning("kan de lease voor Telegram niet teruggeven", exc_info=True)
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()
        # after a failed start (token rejected) only the bot's connections are open
        await self.app.bot.shutdown()

    @property
    def mode(self) -> str:
        if self.webhook_url:
            return "webhook"
        return "long polling" if self.polling else "long polling door een ander proces"

    async def _register_commands(self) -> None:
        # only what the engine understands today: a menu entry must never become an answer
        known = [c for c in COMMANDS if self.engine.parse_command("/" + c[0])]
        nl = [BotCommand(name, what) for name, _, what, _ in known]
        en = [
            BotCommand(name, what)
            for _, name, _, what in known
            if self.engine.parse_command("/" + name)
        ]
        await self.app.bot.set_my_commands(nl)
        if en:
            await self.app.bot.set_my_commands(en, language_code="en")

    async def _webhook(self, request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            return Response(status_code=403)
        try:
            update = Update.de_json(await request.json(), self.app.bot)
        except Exception:  # not an Update: Telegram never sends that, so nothing to do
            return Response(status_code=400)
        await self.app.update_queue.put(update)
        return Response()

    # ------------------------------------------------------------------ incoming
    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        chat = update.effective_chat
        if user is None or chat is None or user.is_bot:
            return
        # held from the first moment, so one person's turns run and answer in order
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        async with lock:
            # Telegram numbers updates per bot: the bot id keeps two bots on one database apart
            key = ("telegram", f"{self.app.bot.id}:{update.update_id}")
            if update.callback_query:
                if await self._first(key):
                    await self._on_button(update, chat.id)
            elif update.message:
                await self._on_message(update.message, chat.id, key)
            elif update.edited_message and chat.type == ChatType.PRIVATE:
                # a typo put right after sending: the answer taken was the first version
                if await self._first(key):
                    await self._send_text(chat.id, await self._edited_text(user.id))

    async def _edited_text(self, user_id: int) -> str:
        return t("edited_message", await self._lang(user_id))

    async def _lang(self, user_id: int) -> str:
        """The language this person chose ('taal en'), Dutch for someone new."""
        person = await asyncio.to_thread(self.store.find_person, f"telegram:{user_id}")
        return person.lang if person else "nl"

    async def _first(self, key: tuple[str, str]) -> bool:
        """Whether this update is new (Telegram sends one again when it saw no answer); in a
        thread: the store waits for the database, the event loop must not."""
        if await asyncio.to_thread(self.store.first_delivery, *key):
            return True
        log.info("update %s came again; handled before", key[1])
        return False

    async def _on_message(self, message: Message, chat_id: int, key: tuple[str, str]) -> None:
        """A message; what goes to the engine is recorded as handled there, in the turn."""
        text = message.text
        if message.chat.type != ChatType.PRIVATE:
            if text and (text.startswith("/") or f"@{self.username}" in text):
                if await self._first(key):
                    # in a group the person may never have chosen: their Telegram's language
                    user = message.from_user
                    code = (user.language_code or "") if user else ""
                    await self._private_only(chat_id, "en" if code.startswith("en") else "nl")
            return
        user = message.from_user
        identity = f"telegram:{user.id}"
        naam = user.first_name
        if message.document is not None:
            upload = self._upload(message.document)
            replies = await self.engine.handle(
                identity, message.caption or "", naam=naam, upload=upload, once=key
            )
            await self._send(chat_id, replies)
            return
        if text is None:
            if await self._first(key):
                await self._send_text(chat_id, texts(await self._lang(user.id))["text_only"])
            return
        word, _, argument = text.strip().partition(" ")
        word = word.split("@")[0]  # '/start@participatiebot' when picked from a menu
        if word == "/start" and not argument.strip():
            replies = await self.engine.start(identity, naam=naam, once=key)
        else:
            if word == "/stop" and not argument:
                # Telegram's usual word for 'stop messaging me': a follower leaves the plan, an
                # owner pauses the interview (bot/features/participants.py reads 'stop')
                text = "stop"
            # '/start <code>' from a deep link goes to the engine as it is
            replies = await self.engine.handle(identity, text, naam=naam, once=key)
        await self._send(chat_id, replies)

    def _upload(self, document: Document) -> Upload:
        """The document as the file the person sent, fetched when the engine reads it."""

        async def read() -> bytes:
            file = await self.app.bot.get_file(document.file_id)
            # python-telegram-bot reads a file_path that exists on this machine from disk
            # (for a local Bot API server); only a download from Telegram is the person's file
            if not str(file.file_path).startswith(("https://", "http://")):
                raise ValueError("not a download from the Bot API")
            return bytes(await file.download_as_bytearray())

        return Upload(document.file_name or "bestand", document.file_size, read)

    async def _on_button(self, update: Update, chat_id: int) -> None:
        query = update.callback_query
        message = query.message if isinstance(query.message, Message) else None
        data = query.data or ""
        value = self._long_values.get(data) if data.startswith("#") else data
        live = self._keyboard.get(chat_id)
        if message and live is not None and message.message_id != live:
            await query.answer(t("stale_button", await self._lang(query.from_user.id)))
            await self._remove_keyboard(message)
            return
        if value is None or message is None or message.chat.type != ChatType.PRIVATE:
            await query.answer(texts(await self._lang(query.from_user.id))["unknown_button"])
            return
        shown = _label(message, data) or value
        if data.startswith(TICK):
            picked = await self._tick(query, message, data)
            if picked is None:
                return
            value, shown = ", ".join(v for v, _ in picked), ", ".join(x for _, x in picked)
        self._keyboard[chat_id] = 0  # answered: no buttons to press until the next question
        user = query.from_user
        # the press is acknowledged and written into the question while the engine reads the
        # answer and the reply goes out: no round trips to Telegram before the reply (there
        # were two, one after another)
        acknowledged = asyncio.gather(self._acknowledge(query), self._show_choice(message, shown))
        try:
            replies = await self.engine.handle(f"telegram:{user.id}", value, naam=user.first_name)
            await self._send(chat_id, replies)
        finally:
            await acknowledged

    async def _tick(
        self, query: CallbackQuery, message: Message, data: str
    ) -> list[tuple[str, str]] | None:
        """A box ticked or unticked (None: nothing to answer yet), or Verstuur: the (value,
        label) of what is ticked."""
        markup = message.reply_markup
        rows = [list(row) for row in markup.inline_keyboard] if markup else []
        boxes = [b for row in rows for b in row if str(b.callback_data).startswith(TICK)]
        if data == SEND:
            picked = [
                (str(b.callback_data)[len(TICK) :], b.text[len(TICKED) :])
                for b in boxes
                if b.text.startswith(TICKED)
            ]
            if not picked:
                await query.answer(t("tick_first", await self._lang(query.from_user.id)))
                return None
            return picked
        flipped = [
            [
                InlineKeyboardButton(_flip(b.text), callback_data=b.callback_data)
                if b.callback_data == data
                else b
                for b in row
            ]
            for row in rows
        ]
        await self._acknowledge(query)
        try:
            await message.edit_reply_markup(InlineKeyboardMarkup(flipped))
        except TelegramError as e:
            log.info("could not tick in message %s: %s", message.message_id, e)
        return None

    async def _acknowledge(self, query: CallbackQuery) -> None:
        """Stop the button's spinner (an old press may no longer be answered: nothing lost)."""
        try:
            await query.answer()
        except TelegramError as e:
            log.info("could not answer button press %s: %s", query.id, e)

    async def _show_choice(self, message: Message, label: str) -> None:
        """Replace the buttons by the choice made, so the chat reads as question and answer."""
        text = f"{message.text}\n\n→ {label}" if message.text else None
        try:
            if text and _length(text) <= MessageLimit.MAX_TEXT_LENGTH:
                await message.edit_text(text, link_preview_options=NO_PREVIEW)
            else:
                await message.edit_reply_markup(None)
        except TelegramError as e:
            log.info("could not edit message %s: %s", message.message_id, e)

    async def _remove_keyboard(self, message: Message) -> None:
        try:
            await message.edit_reply_markup(None)
        except TelegramError as e:
            log.info("could not remove buttons of %s: %s", message.message_id, e)

    async def _private_only(self, chat_id: int, lang: str) -> None:
        url = f"https://t.me/{self.username}"
        said = texts(lang)
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(said["open_private"], url=url)]])
        await self._send_text(chat_id, said["private_only"].format(username=self.username), markup)

    # ------------------------------------------------------------------ outgoing
    async def send(self, identity: str, replies: list[Reply]) -> None:
        """Send replies to a person who talked to the bot before (`telegram:<user id>`)."""
        chat_id = int(identity.removeprefix("telegram:"))
        async with self._locks.setdefault(chat_id, asyncio.Lock()):
            await self._send(chat_id, replies)

    async def _send(self, chat_id: int, replies: list[Reply]) -> None:
        if not replies:  # an update handled before: the buttons shown stay the live ones
            return
        self._keyboard[chat_id] = 0
        # only a question's progress and boxes to tick (Verstuur) carry words of the bot's own,
        # and a question says the person's language
        lang = replies_lang(replies) or "nl"
        try:
            for reply in bubbles(replies, lang):
                markup = self._markup(reply.choices, reply.input, lang)
                chunks = split_message(reply.text) if reply.text else []
                sent = None
                for i, chunk in enumerate(chunks):
                    # the buttons go under the last part, where the question is
                    last = i == len(chunks) - 1
                    sent = await self.app.bot.send_message(
                        chat_id,
                        chunk,
                        reply_markup=markup if last else None,
                        link_preview_options=NO_PREVIEW,
                    )
                if markup and sent:
                    self._keyboard[chat_id] = sent.message_id
                for path in reply.documents:
                    await self.app.bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)
                    await self.app.bot.send_document(
                        chat_id, document=path.read_bytes(), filename=path.name
                    )
        except Forbidden:
            log.info("chat %s blocked the bot; replies dropped", chat_id)
            return
        if has_pending(replies):
            self._follow(chat_id, replies)

    def _follow(self, chat_id: int, replies: list[Reply]) -> None:
        """The PDFs of these replies follow once made, without holding up this turn."""

        async def send(more: list[Reply]) -> None:
            async with self._locks.setdefault(chat_id, asyncio.Lock()):
                # the buttons of the question asked meanwhile stay the ones to answer
                keyboard = self._keyboard.get(chat_id)
                await self._send(chat_id, more)
                if keyboard is not None:
                    self._keyboard[chat_id] = keyboard

        async def follow() -> None:
            person = await asyncio.to_thread(self.store.person, f"telegram:{chat_id}")
            await follow_up(replies, send, person.lang)

        task = asyncio.create_task(follow())
        self._following.add(task)
        task.add_done_callback(self._following.discard)

    async def _send_text(
        self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        try:
            await self.app.bot.send_message(chat_id, text, reply_markup=markup)
        except Forbidden:
            log.info("chat %s blocked the bot", chat_id)

    def _markup(
        self, choices: list[Choice], input: str | None = None, lang: str = "nl"
    ) -> InlineKeyboardMarkup | None:
        if not choices:
            return None
        options = [c for c in choices if c.value.isdigit()]
        boxes: list[InlineKeyboardButton] = []
        if input == "multi" and len(options) > 1:
            # a button answered at once with one option, where the question asks for one or more
            boxes = [
                InlineKeyboardButton(UNTICKED + c.label, callback_data=TICK + c.value)
                for c in options
            ]
            boxes.append(InlineKeyboardButton(t("send", lang), callback_data=SEND))
            choices = [c for c in choices if not c.value.isdigit()]
        buttons = boxes + [
            InlineKeyboardButton(c.label, callback_data=self._callback(c.value)) for c in choices
        ]
        return InlineKeyboardMarkup(button_rows(buttons))

    def _callback(self, value: str) -> str:
        if len(value.encode()) <= CALLBACK_LIMIT and not value.startswith(("#", TICK)):
            return value
        key = "#" + hashlib.sha256(value.encode()).hexdigest()[:32]
        self._long_values[key] = value
        return key

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram update failed: %s", context.error, exc_info=context.error)


def _flip(label: str) -> str:
    if label.startswith(UNTICKED):
        return TICKED + label[len(UNTICKED) :]
    return UNTICKED + label.removeprefix(TICKED)


def _label(message: Message, data: str) -> str | None:
    """The text on the button that was pressed."""
    markup = message.reply_markup
    buttons = [b for row in markup.inline_keyboard for b in row] if markup else []
    return next((b.text for b in buttons if b.callback_data == data), None)


def bubbles(replies: list[Reply], lang: str = "nl") -> list[Reply]:
    """The replies of a turn as the messages to send (bot/channels/grouping.py), each with
    the text a phone shows."""
    merged: list[Reply] = []
    for group in grouped(replies):
        text = "\n\n".join(t for t in (message_text(r, lang) for r in group) if t)
        last = group[-1]
        if text or last.documents:
            merged.append(
                Reply(text, choices=last.choices, documents=last.documents, input=last.input)
            )
    return merged


def message_text(reply: Reply, lang: str = "nl") -> str:
    """The reply as a phone shows it: progress first ('Vraag 3 van ongeveer 41': the number of
    questions changes with the answers, as Slack and Teams say); file paths left out (the files
    follow)."""
    paths = {str(p) for p in reply.documents}
    lines = [line for line in reply.text.splitlines() if line.strip() not in paths]
    text = "\n".join(lines).strip()
    if reply.kind == "question" and reply.progress and text:
        n, total = reply.progress
        text = f"{t('progress', lang, n=n, total=total)}\n{text}"
    if not text and reply.choices:
        text = "…"
    return text


def split_message(text: str) -> list[str]:
    """Telegram's 4096-character messages, cut at line ends (a longer line at the limit)."""
    return split_text(text, MessageLimit.MAX_TEXT_LENGTH, _length)


def _length(text: str) -> int:
    """Telegram counts UTF-16 code units: an emoji can count for two."""
    return len(text.encode("utf-16-le")) // 2


def button_rows(buttons: list[InlineKeyboardButton], width: int = 32) -> list[list[Any]]:
    """Short labels side by side (as many as fit on a phone), long ones on a row of their own."""
    rows: list[list[InlineKeyboardButton]] = []
    for b in buttons:
        row = rows[-1] if rows else None
        if row and len(row) < 3 and sum(len(x.text) for x in row) + len(b.text) <= width:
            row.append(b)
        else:
            rows.append([b])
    return rows


# ---------------------------------------------------------------------- the outbox's way out
class TelegramSender:
    """Sends the outbox's messages (bot/delivery.py) through python-telegram-bot's Bot, at the
    configured base_url."""

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        if not settings.telegram_token:
            raise ValueError("TELEGRAM_TOKEN is not set")
        self.store = store
        request = AiohttpRequest(delivery.MAX_IN_FLIGHT * 2)
        # it never fetches updates: one HTTP client (and TLS context, ~1 MB) instead of two
        self.bot = Bot(
            settings.telegram_token,
            base_url=settings.telegram_base_url,
            request=request,
            get_updates_request=request,
        )

    async def start(self) -> None:
        await self.bot.initialize()  # getMe: a wrong token fails here, not per message
        if self.store is not None and self.bot.username:
            self.store.set_bot_value("telegram_username", self.bot.username)

    async def close(self) -> None:
        await self.bot.shutdown()

    async def send(self, identity: str, text: str, **extra: Any) -> None:
        chat_id = int(identity.removeprefix("telegram:"))
        try:
            for chunk in split_message(text):
                await self.bot.send_message(chat_id, chunk)
        except RetryAfter as e:
            raise RetryLater(_seconds(e)) from None
        except Forbidden as e:
            raise Blocked(e.message) from None
        except BadRequest as e:
            if "chat not found" in e.message.lower():
                raise Blocked(e.message) from None
            raise Undeliverable(e.message) from None


def _seconds(e: Any) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB warns that retry_after becomes a timedelta
        value = e.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def open_sender(settings: Settings, store: Store) -> TelegramSender | None:
    """The outbox's sender when a token is set (started: a wrong token fails here)."""
    if not settings.telegram_token:
        return None
    sender = TelegramSender(settings, store)
    await sender.start()
    return sender


def pace(settings: Settings, store: Store | None = None) -> Pace:
    """30 a second overall (with a store: shared by all processes on that database; on SQLite
    the same code, with one worker) and one a second per chat."""
    shared = SharedBudget(store, "telegram", settings.telegram_rate) if store else None
    return Pace(settings.telegram_rate, CHAT_RATE, shared)


delivery.register_sender("telegram", open_sender, pace)
