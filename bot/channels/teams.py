"""The Microsoft Teams channel: Bot Framework activities in, Adaptive Cards and files out."""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import logging
import re
from collections import OrderedDict, defaultdict
from collections.abc import Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import jwt
from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    Attachment,
    ConversationReference,
    InvokeResponse,
)
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.core import (
    AgentAuthConfiguration,
    AuthenticationConstants,
    ClaimsIdentity,
    RestChannelServiceClientFactory,
    TurnContext,
)
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient
from microsoft_agents.hosting.fastapi import CloudAdapter, JwtAuthorizationMiddleware
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from bot import delivery, signing
from bot.channels.grouping import grouped
from bot.channels.later import follow_up, has_pending
from bot.delivery import Blocked, RetryLater, Undeliverable
from bot.engine import Engine, Registry, Reply, replies_lang
from bot.engine.texts import load_texts, messages, t
from bot.pacing import Pace, split_text
from bot.settings import Settings
from bot.storage import Store

log = logging.getLogger(__name__)

ENDPOINT = "/api/messages"
CARD = "application/vnd.microsoft.card.adaptive"
FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
CARD_VERSION = "1.5"  # the newest Adaptive Card version Teams renders on desktop and phone
TEXT_LIMIT = 4000  # characters in one message: Teams refuses activities over about 28 KB
BUTTONS = 5  # buttons side by side; more options become a list to pick from
# Teams allows 7 messages a second, 8 in 2 s and 60 in 30 s to one conversation: a reply's
# first few go at once, then PARTICIPATIEBOT_TEAMS_RATE a second (default 2).
BURST = 3
BOT_RATE = 30.0  # the outbox's messages a second over all conversations
RETRIES = 3  # a reply that gets 429 is tried again this often, after Retry-After
MAX_WAIT = 60.0  # seconds: a longer Retry-After is cut to this
FILE_DAYS = 7  # a file consent card can be accepted this long
FILE_PURPOSE = "teams-file"
MARK = "participatiebot"  # the key in a card action's data that says what was pressed


def enabled(settings: Settings) -> bool:
    """Teams runs with an app id (a Bot Framework registration), or anonymously for tests."""
    return settings.teams_enabled


class TeamsSetupError(Exception):
    """Teams cannot start with these settings; the message says in one line what to check."""


def texts(lang: str = "nl") -> dict[str, str]:
    return load_texts("teams", "texts", lang)


# ---------------------------------------------------------------------- the SDK's connection
class _OnePool(RestChannelServiceClientFactory):
    """The SDK's factory, with every connector client on one pool of connections. The SDK makes
    a client with an aiohttp session of its own for every turn and closes it after: a new TCP
    and TLS handshake with the Bot Connector for every message."""

    def __init__(self, connections: MsalConnectionManager) -> None:
        super().__init__(connections)
        self._connector: aiohttp.TCPConnector | None = None

    async def create_connector_client(self, *args: Any, **kwargs: Any) -> Any:
        made = await super().create_connector_client(*args, **kwargs)
        if type(made) is not TeamsConnectorClient:  # e.g. Copilot Studio's: left as it is
            return made
        if self._connector is None or self._connector.closed:
            self._connector = aiohttp.TCPConnector()
        own = made.client
        endpoint = made.base_uri
        token = own.headers.get("Authorization", "").removeprefix("Bearer ")
        await own.close()  # never used: it opened no connection
        shared = aiohttp.ClientSession(
            base_url=endpoint, connector=self._connector, connector_owner=False
        )
        return TeamsConnectorClient(endpoint, token, session=shared)

    async def close(self) -> None:
        if self._connector is not None:
            await self._connector.close()


class TeamsConnection:
    """The Agents SDK set up for our app: checks incoming requests and sends activities, in
    answer or proactively from a stored conversation reference."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.anonymous = settings.teams_anonymous
        if self.anonymous:
            self.config = AgentAuthConfiguration(anonymous_allowed=True)
            # without an app id the SDK warns on every turn; anonymous is for tests only
            logging.getLogger(
                "microsoft_agents.hosting.core.connector.client.user_token_client"
            ).setLevel(logging.ERROR)
        else:
            self.config = AgentAuthConfiguration(
                client_id=settings.teams_app_id,
                client_secret=settings.teams_app_password,
                tenant_id=settings.teams_tenant_id,
                anonymous_allowed=False,
                validate_issuer=True,  # only the Bot Framework and our own tenant sign tokens
            )
        self.connections = MsalConnectionManager(
            connections_configurations={"SERVICE_CONNECTION": self.config}
        )
        self.pool = _OnePool(self.connections)
        self.adapter = CloudAdapter(
            connection_manager=self.connections, channel_service_client_factory=self.pool
        )
        # the SDK would tell the user the exception; we log it, and the outbox must see a 429
        self.adapter.on_turn_error = None
        self.pace = Pace(per_key=settings.teams_rate, burst=BURST, safety=1.0)

    def check_setup(self) -> None:
        """Anonymous only on loopback; otherwise an app id, its password and the tenant."""
        s = self.settings
        if self.anonymous:
            if not _loopback_url(s.public_url):
                raise TeamsSetupError(
                    "PARTICIPATIEBOT_TEAMS_ANONYMOUS=1 is alleen voor tests op deze machine, "
                    f"maar PARTICIPATIEBOT_PUBLIC_URL is {s.public_url}: zet TEAMS_APP_ID, "
                    "TEAMS_APP_PASSWORD en TEAMS_TENANT_ID en haal de anonieme modus weg"
                )
            return
        missing = [
            name
            for name, value in (
                ("TEAMS_APP_PASSWORD", s.teams_app_password),
                ("TEAMS_TENANT_ID", s.teams_tenant_id),
            )
            if not value
        ]
        if missing:
            raise TeamsSetupError(
                f"Teams heeft ook {' en '.join(missing)} nodig (Azure Bot: Configuratie)"
            )

    async def sign_in(self) -> None:
        """Ask Entra ID for a token now, so wrong credentials show at start, not per message."""
        if self.anonymous:
            return
        provider = self.connections.get_default_connection()
        # MSAL's own error line would come before ours: the one line below says it all
        msal_log = logging.getLogger("microsoft_agents.authentication.msal")
        level = msal_log.level
        msal_log.setLevel(logging.CRITICAL)
        try:
            await provider.get_access_token(
                AuthenticationConstants.AGENTS_SDK_SCOPE,
                [f"{AuthenticationConstants.AGENTS_SDK_SCOPE}/.default"],
            )
        except Exception as e:
            # Entra ID's own code says most (AADSTS7000215: wrong secret, ...)
            code = re.search(r"AADSTS\d+:[^'\"\n]*", str(e))
            lines = str(e).strip().splitlines()
            reason = code.group(0) if code else lines[0] if lines else type(e).__name__
            raise TeamsSetupError(
                f"Entra ID weigert de aanmelding van de bot ({reason[:160]}): controleer "
                "TEAMS_APP_ID (Microsoft App ID), TEAMS_APP_PASSWORD (een geldig client secret) "
                "en TEAMS_TENANT_ID (de tenant van de app-registratie)"
            ) from None
        finally:
            msal_log.setLevel(level)

    # --- conversation references ---
    def remember(self, identity: str, activity: Activity) -> ConversationReference:
        """Keep where this person talks to us: replies and reminders go there."""
        reference = activity.get_conversation_reference()
        data = reference.model_dump(mode="json", by_alias=True, exclude_none=True)
        self.store.save_teams_reference(identity, data, self.settings.clock())
        return reference

    def reference(self, identity: str) -> ConversationReference | None:
        data = self.store.teams_reference(identity)
        return ConversationReference.model_validate(data) if data is not None else None

    # --- sending ---
    async def continue_with(
        self, reference: ConversationReference, work: Any, *, retry: bool = True
    ) -> Any:
        """Run `work(context)` in the conversation of `reference` with a connector client of
        its own (a proactive turn): a new message there, not a reply to an old one."""
        continuation = reference.get_continuation_activity()
        continuation.id = None  # no id: what is sent is a new message, not a reply to it
        if self.anonymous:
            claims = ClaimsIdentity()
        else:
            claims = self.adapter.create_claims_identity(self.settings.teams_app_id or "")
        result: list[Any] = []

        async def callback(context: TurnContext) -> None:
            result.append(await work(context))

        await self.adapter.continue_conversation_with_claims(claims, continuation, callback)
        return result[0] if result else None

    async def post(self, context: TurnContext, activity: Activity, *, retry: bool) -> str | None:
        """Send one activity at the conversation's pace; with `retry`, a 429 waits for its
        Retry-After and tries again."""
        for attempt in range(RETRIES + 1):
            if retry:  # the outbox keeps its own pace
                await self.pace.wait(context.activity.conversation.id)
            try:
                response = await context.send_activity(activity)
            except aiohttp.ClientResponseError as e:
                if e.status == 429 and retry and attempt < RETRIES:
                    await asyncio.sleep(retry_after(e))
                    continue
                raise
            return response.id if response is not None else None
        return None

    async def send(
        self, reference: ConversationReference, activities: list[Activity], *, retry: bool = True
    ) -> list[str | None]:
        async def work(context: TurnContext) -> list[str | None]:
            return [await self.post(context, a, retry=retry) for a in activities]

        return await self.continue_with(reference, work) or []

    async def replace(self, reference: ConversationReference, activity: Activity) -> None:
        """Change a message sent before (the card of a question that was answered)."""

        async def work(context: TurnContext) -> None:
            await context.update_activity(activity)

        await self.continue_with(reference, work)


# ---------------------------------------------------------------------- the channel
class TeamsChannel:
    """Translates Teams activities into engine input and the engine's replies into cards."""

    mode = "POST /api/messages"

    def __init__(self, settings: Settings, engine: Engine, store: Store) -> None:
        self.settings = settings
        self.engine = engine
        self.store = store
        self.connection = TeamsConnection(settings, store)
        self._tasks: set[asyncio.Task[None]] = set()
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        # question cards sent by this process, so an answered one can lose its buttons
        self._cards: OrderedDict[str, dict[str, Any]] = OrderedDict()
        # person -> id of the card whose controls answer the current question ('' when none).
        # Only what this process sent: after a restart a press is taken as it comes.
        self._live: dict[str, str] = {}
        self._key = signing.secret_key(settings.data_dir)

    # ------------------------------------------------------------------ life
    def routes(self) -> list[BaseRoute]:
        """POST /api/messages behind the SDK's JWT check (its FastAPI middleware is plain
        Starlette; it reads the configuration from the app it runs in)."""
        endpoint = Starlette(
            routes=[Route(ENDPOINT, self._messages, methods=["POST"])],
            middleware=[Middleware(KeyIdRequired), Middleware(JwtAuthorizationMiddleware)],
        )
        endpoint.state.agent_configuration = self.connection.config
        return [Route(ENDPOINT, endpoint, methods=["POST"])]

    async def start(self) -> None:
        self.connection.check_setup()
        await self.connection.sign_in()
        if self.connection.anonymous:
            log.warning("Teams aan, ANONIEM: alleen voor tests op deze machine")
        else:
            log.info(
                "Teams aan: app %s, tenant %s, POST %s",
                self.settings.teams_app_id,
                self.settings.teams_tenant_id,
                ENDPOINT,
            )

    async def stop(self, timeout: float = 10) -> None:
        """Finish the turns already accepted (for at most `timeout` seconds)."""
        try:
            async with asyncio.timeout(timeout):
                await self.idle()
        except TimeoutError:
            for task in self._tasks:
                task.cancel()
        await self.connection.pool.close()

    async def idle(self) -> None:
        """Wait until every accepted message has been answered."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # ------------------------------------------------------------------ Teams in
    async def _messages(self, request: Request) -> Response:
        if self.connection.anonymous and not _loopback_host(
            request.client.host if request.client else ""
        ):
            return JSONResponse({"error": "anonymous Teams only from this machine"}, 401)
        # the bot sends its own token to the activity's serviceUrl: it must be the one Microsoft
        # signed into the request's token (the SDK only warns about a mismatch)
        claims = getattr(request.state, "claims_identity", None)
        signed = claims.get_claim_value("serviceurl") if claims is not None else None
        try:
            given = (await request.json()).get("serviceUrl")
        except (ValueError, AttributeError):
            given = None
        if signed and _host(signed) != _host(str(given or "")):
            log.warning("Teams: serviceUrl %s is not the one in the token", given)
            return JSONResponse({"error": "serviceUrl does not match the token"}, 401)
        response = await self.connection.adapter.process(request, self)
        return response if response is not None else Response(status_code=202)

    async def on_turn(self, context: TurnContext) -> None:
        """The SDK's Agent protocol: one incoming activity, authenticated by the middleware."""
        activity = context.activity
        if self.connection.anonymous and not _loopback_url(activity.service_url or ""):
            log.warning("Teams (anoniem): serviceUrl %s genegeerd", activity.service_url)
            return
        tenant = tenant_of(activity)
        wanted = self.settings.teams_tenant_id
        if wanted and not self.connection.anonymous and tenant.lower() != wanted.lower():
            log.warning("Teams: activiteit uit een andere tenant (%s) genegeerd", tenant)
            return
        # in a thread: the store waits for the database, the event loop must not
        if not await asyncio.to_thread(self.store.first_delivery, "teams", delivery_key(activity)):
            log.info("Teams: activiteit %s kwam opnieuw; al behandeld", activity.id)
            if activity.type == ActivityTypes.invoke:
                await _invoke_done(context)
            return
        if activity.type == ActivityTypes.invoke:
            await self._on_invoke(context)
        elif activity.type == ActivityTypes.conversation_update:
            self._on_conversation_update(activity)
        elif activity.type == ActivityTypes.message:
            await self._on_message(context)
        elif activity.type == ActivityTypes.message_update:
            self._on_edit(activity)

    def _on_edit(self, activity: Activity) -> None:
        """A typo put right after sending: the answer taken was the first version."""
        data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
        if not personal(activity) or data.get("eventType") != "editMessage":
            return
        identity = identity_of(activity)
        reference = activity.get_conversation_reference()
        person = self.store.find_person(identity)
        self._spawn(self._say(reference, t("edited_message", person.lang if person else "nl")))

    def _on_conversation_update(self, activity: Activity) -> None:
        """The app was added to a personal chat: greet and ask the first question."""
        bot = activity.recipient.id if activity.recipient else None
        added = {m.id for m in activity.members_added or []}
        if not personal(activity) or bot not in added or activity.from_property is None:
            return
        identity = identity_of(activity)
        reference = self.connection.remember(identity, activity)
        self._spawn(self._turn(identity, reference, None, first_name(activity)))

    async def _on_message(self, context: TurnContext) -> None:
        activity = context.activity
        if not personal(activity):
            lang = "en" if (activity.locale or "").startswith("en") else "nl"
            await self.connection.post(
                context, text_message(texts(lang)["private_only"]), retry=True
            )
            return
        identity = identity_of(activity)
        reference = await asyncio.to_thread(self.connection.remember, identity, activity)
        answered: tuple[str, str] | None = None
        if isinstance(activity.value, dict) and activity.value.get(MARK):
            submitted = from_card(activity.value)
            # a question is closed by its answer only; an empty one leaves it open
            card = activity.reply_to_id if submitted and submitted[0] else None
            if submitted is None:
                return
            key = f"answer:{_hash(activity.conversation.id)}:{card}"
            if card and not await asyncio.to_thread(self.store.first_delivery, "teams", key):
                log.info("Teams: vraag %s was al beantwoord", card)
                return
            text = submitted[0]
            if card:
                answered = (card, submitted[1])
        elif activity.text and activity.text.strip():
            text = activity.text.strip()
        else:
            lang = self.store.person(identity).lang
            self._spawn(self._say(reference, texts(lang)["text_only"]))
            return
        self._spawn(self._turn(identity, reference, text, first_name(activity), answered))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ------------------------------------------------------------------ engine and Teams out
    async def _turn(
        self,
        identity: str,
        reference: ConversationReference,
        text: str | None,
        naam: str | None,
        answered: tuple[str, str] | None = None,
    ) -> None:
        """One engine step, answered after Teams had its 202 (it waits at most 15 s)."""
        # one person's messages are handled and answered in the order they came in
        async with self._locks[identity]:
            try:
                if answered is not None and self._stale(identity, answered[0]):
                    # its value ('2') would answer the question asked now, not this one
                    lang = (await asyncio.to_thread(self.store.person, identity)).lang
                    note = t("stale_button", lang)
                    if not await self._close_question(reference, answered[0], note):
                        await self.connection.send(reference, [text_message(note)])
                    return
                if answered is not None:
                    await self._close_question(reference, answered[0], f"→ {answered[1]}")
                if text is None:
                    replies = await self.engine.start(identity, naam=naam)
                else:
                    replies = await self.engine.handle(identity, text, naam=naam)
                await self.send(identity, replies, reference)
            except Exception:
                log.exception("Teams: turn of %s failed", identity)

    async def send(
        self,
        identity: str,
        replies: list[Reply],
        reference: ConversationReference | None = None,
        *,
        asks: bool = True,
    ) -> None:
        """Send replies to a person who talked to the bot in Teams before; with `asks`, the
        controls of the last card are the ones to answer now (the PDFs that follow later ask
        nothing)."""
        reference = reference or self.connection.reference(identity)
        if reference is None:
            raise LookupError(f"no Teams conversation with {identity}")
        # the engine's question says its language; other replies look the person up
        lang = replies_lang(replies) or self.store.person(identity).lang
        activities: list[Activity] = []
        cards: list[dict[str, Any] | None] = []
        for group in grouped(replies):
            for card in packed([c for r in group for c in to_cards(r, lang)]):
                activities.append(message([card_attachment(card)]))
                cards.append(card if _has_controls(card) else None)
            for path in group[-1].documents:
                activities.append(self._file_offer(identity, path, lang))
                cards.append(None)
        if has_pending(replies):  # the PDFs follow once made (bot/channels/later.py)
            self._spawn(
                follow_up(
                    replies, lambda more: self.send(identity, more, reference, asks=False), lang
                )
            )
        if not activities:
            return
        ids = await self.connection.send(reference, activities)
        live = ""
        for sent_id, card in zip(ids, cards, strict=False):
            if sent_id and card is not None:
                live = sent_id
                self._cards[sent_id] = card
                while len(self._cards) > 1000:
                    self._cards.popitem(last=False)
        if asks:
            self._live[identity] = live

    def _stale(self, identity: str, card_id: str) -> bool:
        live = self._live.get(identity)
        return live is not None and card_id != live

    async def _say(self, reference: ConversationReference, text: str) -> None:
        try:
            await self.connection.send(reference, [text_message(text)])
        except Exception:
            log.exception("Teams: could not answer")

    async def _close_question(
        self, reference: ConversationReference, card_id: str, note: str
    ) -> bool:
        """Replace the controls of a question by `note` (the answer given), so the chat reads
        as question and answer and the card is not answered twice; False when that card is
        not known here."""
        card = self._cards.pop(card_id, None)
        if card is None:  # sent before a restart: the buttons stay, a second press is ignored
            return False
        closed = {**card, "body": [b for b in card["body"] if not _is_control(b)]}
        closed["body"].append(text_block(note, subtle=True))
        closed.pop("actions", None)
        update = message([card_attachment(closed)])
        update.id = card_id
        try:
            await self.connection.replace(reference, update)
        except aiohttp.ClientError as e:
            log.info("Teams: could not close question %s: %s", card_id, e)
        return True

    # ------------------------------------------------------------------ documents
    def _file_offer(self, identity: str, path: Path, lang: str) -> Activity:
        """A file consent card: Teams lets a bot put a file in a personal chat once the person
        allows it; the file then lands in their OneDrive."""
        relative = path.resolve().relative_to(self.settings.data_dir.resolve())
        expires = self.settings.clock() + timedelta(days=FILE_DAYS)
        token = signing.sign(
            self._key, FILE_PURPOSE, {"path": relative.as_posix(), "who": identity}, expires
        )
        content = {
            "description": texts(lang)["file_description"].format(name=path.name),
            "sizeInBytes": path.stat().st_size,
            "acceptContext": {"file": token},
            "declineContext": {"file": token},
        }
        return message([Attachment(content_type=FILE_CONSENT, name=path.name, content=content)])

    async def _on_invoke(self, context: TurnContext) -> None:
        activity = context.activity
        if activity.name == "fileConsent/invoke" and isinstance(activity.value, dict):
            try:
                await self._file_answer(context, activity.value)
            except Exception:
                log.exception("Teams: file consent of %s failed", identity_of(activity))
        await _invoke_done(context)

    async def _file_answer(self, context: TurnContext, value: dict[str, Any]) -> None:
        identity = identity_of(context.activity)
        lang = self.store.person(identity).lang
        token = (value.get("context") or {}).get("file", "")
        try:
            claim = signing.verify(self._key, FILE_PURPOSE, token, self.settings.clock())
        except signing.BadToken as e:
            log.warning("Teams: file consent with a bad token (%s)", e)
            return
        path = (self.settings.data_dir / claim["path"]).resolve()
        if claim.get("who") != identity or not path.is_relative_to(
            self.settings.plans_dir.resolve()
        ):
            log.warning("Teams: file consent of %s for another person's file", identity)
            return
        if value.get("action") != "accept":
            text = texts(lang)["file_declined"].format(name=path.name)
            await self.connection.post(context, text_message(text), retry=True)
            return
        info = value.get("uploadInfo") or {}
        try:
            await self._upload(str(info.get("uploadUrl", "")), path.read_bytes())
        except (aiohttp.ClientError, OSError, ValueError) as e:
            log.warning("Teams: upload of %s failed: %s", path.name, e)
            text = texts(lang)["file_failed"].format(name=path.name)
            await self.connection.post(context, text_message(text), retry=True)
            return
        card = Attachment(
            content_type=FILE_INFO,
            content_url=info.get("contentUrl"),
            name=info.get("name") or path.name,
            content={"uniqueId": info.get("uniqueId"), "fileType": info.get("fileType")},
        )
        await self.connection.post(context, message([card]), retry=True)

    async def _upload(self, url: str, content: bytes) -> None:
        """The bytes to the OneDrive upload session Teams opened (one PUT, as for files under
        4 MB)."""
        scheme = urlsplit(url).scheme
        if not (scheme == "https" or (self.connection.anonymous and _loopback_url(url))):
            raise ValueError(f"upload URL not allowed: {url[:80]}")
        n = len(content)
        headers = {"Content-Range": f"bytes 0-{n - 1}/{n}", "Content-Length": str(n)}
        async with aiohttp.ClientSession() as http:
            async with http.put(url, data=content, headers=headers) as response:
                response.raise_for_status()


class KeyIdRequired:
    """Microsoft signs its tokens with a key it publishes by id. The SDK's check answers 500 on
    a token without a key id (it looks the id up unguarded), so such a request gets 401 here."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            kind, _, token = Headers(scope=scope).get("authorization", "").partition(" ")
            if kind.lower() == "bearer" and not _key_id(token):
                refused = JSONResponse({"error": "Invalid token or authentication failed."}, 401)
                await refused(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _key_id(token: str) -> str | None:
    try:
        return jwt.get_unverified_header(token).get("kid")
    except jwt.PyJWTError:
        return None


# ---------------------------------------------------------------------- the outbox's way out
class TeamsSender:
    """Sends a proactive message into the Teams chat a person had with the bot, for the outbox
    (bot/delivery.py): reminders, the advisor's questions, updates to participants."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.store = store
        self.connection = TeamsConnection(settings, store)

    async def start(self) -> None:
        self.connection.check_setup()

    async def close(self) -> None:
        await self.connection.pool.close()

    async def send(self, identity: str, text: str, **extra: Any) -> None:
        reference = self.connection.reference(identity)
        if reference is None:
            raise Blocked("no Teams conversation with this person")
        lang = self.store.person(identity).lang
        activities = [message([card_attachment(c)]) for c in to_cards(Reply(text), lang)]
        try:
            # the outbox paces and retries itself: a 429 goes back to it at once
            await self.connection.send(reference, activities, retry=False)
        except aiohttp.ClientResponseError as e:
            if e.status == 429:
                raise RetryLater(retry_after(e)) from None
            if e.status in (403, 404):  # the app was removed, or the chat is gone
                raise Blocked(f"Teams {e.status}: {e.message[:200]}") from None
            if 400 <= e.status < 500:
                raise Undeliverable(f"Teams {e.status}: {e.message[:200]}") from None
            raise


async def open_sender(settings: Settings, store: Store) -> TeamsSender | None:
    """The outbox's sender when Teams is on (its settings checked here)."""
    if not enabled(settings):
        return None
    sender = TeamsSender(settings, store)
    await sender.start()
    return sender


def pace(settings: Settings, store: Store | None = None) -> Pace:
    """The outbox's pace for Teams: overall and per conversation."""
    return Pace(BOT_RATE, settings.teams_rate)


delivery.register_sender("teams", open_sender, pace)


# ---------------------------------------------------------------------- translation
def identity_of(activity: Activity) -> str:
    """teams:<tenant>/<the person's Entra object id>."""
    sender = activity.from_property
    user = (sender.aad_object_id or sender.id) if sender else ""
    return f"teams:{tenant_of(activity)}/{user}"


def tenant_of(activity: Activity) -> str:
    if activity.conversation and activity.conversation.tenant_id:
        return activity.conversation.tenant_id
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    return str((data.get("tenant") or {}).get("id") or "")


def personal(activity: Activity) -> bool:
    kind = activity.conversation.conversation_type if activity.conversation else None
    return kind in (None, "personal")


def first_name(activity: Activity) -> str | None:
    name = (activity.from_property.name or "").strip() if activity.from_property else ""
    return name.split()[0] if name else None


def delivery_key(activity: Activity) -> str:
    """Activity ids are unique within a conversation; conversation ids are long: hashed."""
    conversation = activity.conversation.id if activity.conversation else ""
    if activity.type == ActivityTypes.message_update:
        # an edit carries the id of the message it changes: each new text is new
        return f"edit:{_hash(conversation)}:{activity.id}:{_hash(activity.text or '')}"
    return f"activity:{_hash(conversation)}:{activity.id or _hash(activity.model_dump_json())}"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def from_card(value: dict[str, Any]) -> tuple[str, str] | None:
    """A card's submit as (text for the engine, what to show as the answer): a pressed
    button's value, or what was filled in (a date, the options ticked)."""
    if value.get(MARK) == "choice" and value.get("value") is not None:
        return str(value["value"]), str(value.get("label") or value["value"])
    if value.get(MARK) == "answer":  # empty: the engine asks again
        answer = str(value.get("answer") or "").strip()
        return answer, answer
    return None


def retry_after(e: aiohttp.ClientResponseError) -> float:
    try:
        seconds = float((e.headers or {}).get("Retry-After", 1))
    except ValueError:
        seconds = 1.0
    return min(max(seconds, 0.0), MAX_WAIT)


def message(attachments: list[Attachment] | list[dict[str, Any]]) -> Activity:
    return Activity(type=ActivityTypes.message, attachments=attachments)


def card_attachment(card: dict[str, Any]) -> Attachment:
    return Attachment(content_type=CARD, content=card)


def text_message(text: str) -> Activity:
    """A message of plain text, one text block per line."""
    return message([card_attachment(_card([text_block(line) for line in text.splitlines()]))])


def to_cards(reply: Reply, lang: str = "nl") -> list[dict[str, Any]]:
    """One reply as Adaptive Cards: the text in parts that fit a message (a text block per
    line, so line breaks stay), progress above a question, its controls below it."""
    text = reply.text
    if reply.documents:
        # the files themselves follow; a path on the server means nothing in Teams
        paths = {str(p) for p in reply.documents}
        text = "\n".join(line for line in text.splitlines() if line.strip() not in paths)
    parts = [p.strip() for p in split_text(text, TEXT_LIMIT)]
    controls = _controls(reply, lang)
    if not parts and not controls:
        return []
    cards = [_card([text_block(line) for line in part.splitlines()]) for part in parts]
    cards = cards or [_card([])]
    if reply.kind == "question" and reply.progress:
        n, total = reply.progress
        cards[0]["body"].insert(0, text_block(t("progress", lang, n=n, total=total), subtle=True))
    cards[-1]["body"] += controls
    return cards


def packed(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cards that follow one another as one, while their text fits in a message; controls
    end a card."""
    out: list[dict[str, Any]] = []
    for card in cards:
        last = out[-1] if out else None
        if (
            last is not None
            and not _has_controls(last)
            and _text_length(last) + _text_length(card) <= TEXT_LIMIT
        ):
            body = [dict(b) for b in card["body"]]
            if body:
                body[0]["spacing"] = "Medium"  # where the next message would have begun
            last["body"] = last["body"] + body
        else:
            out.append({**card, "body": list(card["body"])})
    return out


def _text_length(card: dict[str, Any]) -> int:
    return sum(len(b.get("text", "")) + 1 for b in card["body"])


def _card(body: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
    }


def text_block(text: str, *, subtle: bool = False) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "TextBlock", "text": text or " ", "wrap": True}
    if subtle:
        block.update(isSubtle=True, size="Small")
    return block


def _controls(reply: Reply, lang: str) -> list[dict[str, Any]]:
    """Buttons for the choices; a date input for a date; a list to tick for several options
    or to pick from when there are too many for buttons."""
    options = [c for c in reply.choices if c.value.isdigit()]
    others = [c for c in reply.choices if not c.value.isdigit()]
    field: dict[str, Any] | None = None
    if reply.input == "date":
        field = {"type": "Input.Date", "id": "answer"}
        options, others = [], reply.choices
    elif options and (reply.input == "multi" or len(options) > BUTTONS):
        field = {
            "type": "Input.ChoiceSet",
            "id": "answer",
            "isMultiSelect": reply.input == "multi",
            "style": "expanded" if reply.input == "multi" else "compact",
            "choices": [{"title": c.label, "value": c.value} for c in options],
        }
        options = []
    buttons = [
        {
            "type": "Action.Submit",
            "title": c.label,
            "data": {MARK: "choice", "value": c.value, "label": c.label},
            "associatedInputs": "none",  # a button answers by itself, whatever is filled in
        }
        for c in options + others
    ]
    blocks: list[dict[str, Any]] = []
    if field is not None:
        blocks.append(field)
        send = {"type": "Action.Submit", "title": t("send", lang), "data": {MARK: "answer"}}
        buttons.insert(0, send)
    blocks += [
        {"type": "ActionSet", "actions": buttons[i : i + BUTTONS]}
        for i in range(0, len(buttons), BUTTONS)
    ]
    return blocks


def _is_control(block: dict[str, Any]) -> bool:
    return block.get("type") == "ActionSet" or str(block.get("type", "")).startswith("Input.")


def _has_controls(card: dict[str, Any]) -> bool:
    return any(_is_control(b) for b in card["body"])


async def _invoke_done(context: TurnContext) -> None:
    """Teams waits for the answer to an invoke in the HTTP response: 200."""
    await context.send_activity(
        Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200))
    )


def _loopback_host(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _loopback_url(url: str) -> bool:
    return _loopback_host(_host(url))


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


# ---------------------------------------------------------------------- the app package
def manifest(settings: Settings, commands: Registry) -> dict[str, Any]:
    """manifest.json of the Teams app: a bot for personal chats (the interview) that also
    answers in teams and group chats, with the chat commands (of `commands`) as its menu."""
    app_id = settings.teams_app_id
    if not app_id:
        raise TeamsSetupError("zet TEAMS_APP_ID (de Microsoft App ID van de Azure Bot)")
    url = settings.public_url.rstrip("/")
    if not url.startswith("https://"):
        raise TeamsSetupError(
            f"PARTICIPATIEBOT_PUBLIC_URL is {url}: Teams neemt alleen https-adressen in het "
            "app-pakket aan; zet het https-adres waarop de server bereikbaar is"
        )
    text = messages("teams")["manifest"]
    commands = [
        {"title": c["command"]["nl"], "description": c["description"]["nl"]}
        for c in messages("telegram")["commands"]
        if commands.parse(c["command"]["nl"])
    ][:10]  # Teams shows at most ten commands per scope
    return {
        "$schema": "https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json",
        "manifestVersion": "1.17",
        "version": "1.0.0",
        "id": app_id,
        "developer": {
            "name": "participatiebot",
            "websiteUrl": url,
            "privacyUrl": url,
            "termsOfUseUrl": url,
        },
        "name": {"short": text["short_name"], "full": text["full_name"]},
        "description": {"short": text["short_description"], "full": text["full_description"]},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "bots": [
            {
                "botId": app_id,
                "scopes": ["personal", "team", "groupchat"],
                "supportsFiles": True,
                "isNotificationOnly": False,
                "commandLists": [{"scopes": ["personal"], "commands": commands}],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [urlsplit(url).hostname or "localhost"],
    }


ACCENT = "#1F5E8C"
PACKAGE = "participatiebot-teams.zip"


def write_package(settings: Settings, out: Path, commands: Registry) -> Path:
    """The zip an IT department uploads in the Teams admin centre: manifest.json and icons."""
    import json
    import zipfile

    files = {
        "manifest.json": json.dumps(manifest(settings, commands), ensure_ascii=False, indent=2)
    }
    out.mkdir(parents=True, exist_ok=True)
    path = out / PACKAGE
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in {**files, **icons()}.items():
            z.writestr(name, content)
    return path


def icons() -> dict[str, bytes]:
    """The two icons Teams asks for: a 192x192 colour icon and a 32x32 white outline on a
    transparent background."""
    import io

    from PIL import Image, ImageDraw

    def png(size: int, background: Any, filled: bool) -> bytes:
        image = Image.new("RGBA", (size, size), background)
        _bubble(ImageDraw.Draw(image), size, filled=filled)
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()

    return {"color.png": png(192, ACCENT, True), "outline.png": png(32, (0, 0, 0, 0), False)}


def _bubble(draw: Any, size: int, *, filled: bool) -> None:
    """A white speech bubble with three dots: a conversation about participation."""
    s = size / 32
    white = (255, 255, 255, 255)
    box = (4 * s, 5 * s, 28 * s, 22 * s)
    if filled:
        draw.rounded_rectangle(box, radius=5 * s, fill=white)
    else:
        draw.rounded_rectangle(box, radius=5 * s, outline=white, width=max(1, round(2 * s)))
    draw.polygon([(9 * s, 21 * s), (9 * s, 27 * s), (15 * s, 21 * s)], fill=white)
    r = 1.8 * s
    for x in (11, 16, 21):
        draw.ellipse(
            (x * s - r, 13.5 * s - r, x * s + r, 13.5 * s + r), fill=ACCENT if filled else white
        )
