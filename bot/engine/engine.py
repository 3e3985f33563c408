"""The interview engine: walks the conversation data, stores every answer, asks the next question.

It knows no channel: a channel hands in (identity, text) and the file the person sent, if any,
and gets back a list of Replies. Each turn runs on a worker thread, one at a time per person.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
from collections import defaultdict
from collections.abc import Coroutine
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bot import delivery
from bot.engine import incoming
from bot.engine.conversation import Conversation, Question, expression, load_conversation
from bot.engine.display import display_value, show_date
from bot.engine.texts import t
from bot.engine.types import Choice, Reply, Upload
from bot.settings import Settings
from bot.storage import PlanRecord, Store
from handreiking import documents, openbaar, parsing, rules, understanding
from handreiking.models import Aantal, Activiteit, Bedrag, Belanghebbende, Periode, Plan, Stand
from handreiking.profiles import Profile, available_profiles, profile_or_default
from handreiking.understanding import Outcome

COMMANDS = {
    "hulp": "help",
    "help": "help",
    "terug": "back",
    "back": "back",
    "overslaan": "skip",
    "skip": "skip",
    "wijzig": "edit",
    "edit": "edit",
    "status": "status",
    "samenvatting": "summary",
    "summary": "summary",
    "pauze": "pause",
    "pause": "pause",
    "opnieuw": "restart",
    "restart": "restart",
    "plannen": "plans",
    "plans": "plans",
    "nieuw": "new",
    "new": "new",
    "taal": "language",
    "language": "language",
    "start": "start",
    "medeauteur": "coauthor",
    "coauthor": "coauthor",
    "meeschrijven": "join",
    "join": "join",
    # participants and updates: answered by bot/features/participants.py
    "update": "update",
    "volg": "follow",
    "follow": "follow",
    "afmelden": "unsubscribe",
    "unsubscribe": "unsubscribe",
    "mijngegevens": "mydata",
    "mydata": "mydata",
    "uitnodigen": "invite",
    "invite": "invite",
    "verstuur": "send_proposal",
    "verwijder": "erase",  # a participant erases what is kept about them
    "erase": "erase",
    # lifecycle: the owner submits the finished plan to the gemeente's advisor
    "indienen": "submit",
    "submit": "submit",
    # closing: the owner starts the closing interview (bot/features/closing.py)
    "besluit": "decision",
    "decision": "decision",
    "afronden": "close",
    "close": "close",
    "evaluatie": "evaluate",
    "evaluate": "evaluate",
    # the participatieverslag for an omgevingsvergunning (bot/features/verslag.py)
    "verslag": "report",
    "report": "report",
}
TAKES_ARGUMENT = {"language", "start", "join"}
TAKES_ARGUMENT |= {"update", "follow", "unsubscribe", "invite"}
TAKES_ARGUMENT |= {"erase"}  # 'verwijder ja' confirms
MAX_ANSWER = 200_000
ITEM_MODELS: dict[str, type[BaseModel]] = {
    "activiteiten": Activiteit,
    "belanghebbenden": Belanghebbende,
}
# lifecycle: words that keep a reopened answer as it was
KEEP_WORDS = {"houden", "keep"}
AFWIJKEN = re.compile(r"^\s*afwijken\b[\s,:;-]*(?P<reden>.*)$", re.I | re.S)
BECAUSE = re.compile(r"^(?:omdat|because)\b\s*", re.I)
# outside a rule's question only the full form keeps a tip: 'afwijken van de planning is ...'
# typed at an open question stays an answer
KEEP_TIP = re.compile(r"^\s*afwijken\s*(?:[,:;]|omdat\b|because\b)", re.I)


log = logging.getLogger(__name__)


class PlanNotFound(LookupError):
    pass


# Turns run on worker threads. A thread that waited for the database takes the interpreter
# lock back only after the busy one had it this long; at Python's default (5 ms) a turn of a few
# dozen queries waits ~0.2 s behind one long render, at 1 ms about 40 ms.
SWITCH_INTERVAL = 0.001


async def _off_loop(work: Coroutine[Any, Any, list[Reply]]) -> list[Reply]:
    """Run a turn on a worker thread, so a slow one (a long render, a slow query) holds up no
    other conversation; its few awaits (sending mail) run on that thread's own event loop."""
    try:
        return await asyncio.to_thread(asyncio.run, work)
    finally:
        # what the turn queued goes out now: the delivery worker sleeps on this loop
        delivery.kick()


def parse_command(text: str) -> tuple[str, str] | None:
    """A command is exactly the word (leading '/' allowed), with an argument where it takes one."""
    stripped = text.strip()
    word, _, rest = stripped.removeprefix("/").partition(" ")
    word = word.split("@", 1)[0].lower()  # Telegram sends '/hulp@botname' in groups
    cmd = COMMANDS.get(word)
    if cmd is None or (rest.strip() and cmd not in TAKES_ARGUMENT):
        return None
    return cmd, rest.strip()


@dataclass
class Turn:
    """One message being handled: the plan and interview state it reads and changes."""

    identity: str
    lang: str
    record: PlanRecord
    data: dict[str, Any]
    state: dict[str, Any]
    profile: Profile
    replies: list[Reply] = field(default_factory=list)
    prompted: bool = False  # the next question is already in replies
    cache: dict[str, Any] = field(default_factory=dict)  # derived from data; see Engine._scope
    # walking a second conversation about the plan (see Engine.walk): which one, and
    # the session state it was started from (data and state above are then its own)
    conversation: Conversation | None = None
    outer: dict[str, Any] | None = None

    def say(self, key: str, kind: str = "info", **params: Any) -> None:
        self.replies.append(Reply(text=t(key, self.lang, **params), kind=kind))

    def list(self, name: str) -> list[Any]:
        return self.state.setdefault(name, [])


class Engine:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        conversation: Conversation | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.conversation = conversation or load_conversation()
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        if sys.getswitchinterval() > SWITCH_INTERVAL:
            sys.setswitchinterval(SWITCH_INTERVAL)

    # ------------------------------------------------------------------ entry points
    async def start(
        self,
        identity: str,
        *,
        naam: str | None = None,
        gemeente: str | None = None,
        plan_id: str | None = None,
        new: bool = False,
    ) -> list[Reply]:
        """Open a conversation: a given plan, a new one, or the person's unfinished one."""

        async def opened() -> list[Reply]:
            return self._open(identity, naam, gemeente, plan_id, new).replies

        async with self._locks[identity]:
            return await _off_loop(opened())

    def _open(
        self,
        identity: str,
        naam: str | None,
        gemeente: str | None = None,
        plan_id: str | None = None,
        new: bool = False,
    ) -> Turn:
        person = self.store.person(identity, naam)
        if plan_id is not None:
            record = self.store.plan(plan_id)
            if record is None or not self.store.may_edit(record, identity):
                raise PlanNotFound(plan_id)
            greeting = "resume"
        else:
            record = None if new else self._unfinished(identity, person.active_plan_id)
            greeting = "resume" if record else "welcome"
            if record is None:
                record = self._create(identity, gemeente)
        self.store.update_person(identity, active_plan_id=record.id)
        turn = self._turn(identity, person.lang, record)
        if greeting == "welcome":
            turn.say("welcome", naam=f" {naam}" if naam else "")
        else:
            turn.say("resume", titel=record.data.get("titel") or t("untitled", turn.lang))
        if turn.state.get("mode") == "complete" and turn.conversation is None:
            turn.say("done_after")  # the interview is done: what can come next
        self._prompt(turn)
        self._save(turn)
        return turn

    def documents_written(self, identity: str) -> bool:
        """Whether the person's active plan has its documents (its interview is complete)."""
        person = self.store.person(identity)
        record = self.store.plan(person.active_plan_id) if person.active_plan_id else None
        return record is not None and record.status not in ("concept", "aanpassen_gevraagd")

    async def handle(
        self, identity: str, text: str, *, naam: str | None = None, upload: Upload | None = None
    ) -> list[Reply]:
        """One message from a person, with the file they sent if any; returns what to send back.

        One person's messages are handled one at a time, in order."""
        text = incoming.clean(text)
        async with self._locks[identity]:
            file = await incoming.fetch(upload) if upload is not None else None
            return await _off_loop(self._handle(identity, text, naam, file))

    async def _handle(
        self, identity: str, text: str, naam: str | None, file: bytes | str | None
    ) -> list[Reply]:
        # participants and updates: a participant is not interviewed and nothing is
        # kept about them before they agree, so their messages are answered before any plan
        from bot.features import participants

        if file is None:
            answered = await participants.handle(self, identity, text, naam=naam)
            if answered is not None:
                return answered
        command = parse_command(text) if file is None else None
        if command and command[0] == "close":  # the closing interview
            from bot.features import closing

            return closing.start(self, identity, naam)
        if command and command[0] == "decision":  # record the besluit
            from bot.features import closing

            return closing.start_besluit(self, identity, naam)
        if command and command[0] == "evaluate":  # the participants' evaluation
            from bot.features import evaluation

            return evaluation.start(self, identity)
        if command and command[0] == "report":  # the participatieverslag
            from bot.features import verslag

            return verslag.chat(self.store, self.settings, identity)
        if command and command[0] == "join":
            return self._join(identity, naam, command[1])
        if not self.store.plans(owner=identity):
            # first contact: greet and ask; a first message that is a command is carried
            # out too, anything else is not yet an answer
            turn = self._open(identity, naam)
            if command and command[0] not in ("start", "submit"):
                turn.prompted = False
                self._command(turn, *command)
                self._save(turn)
            return turn.replies
        person = self.store.person(identity, naam)
        record = self.store.plan(person.active_plan_id) if person.active_plan_id else None
        if record is None or not self.store.may_edit(record, identity):
            record = self._unfinished(identity, None) or self._create(identity, None)
            self.store.update_person(identity, active_plan_id=record.id)
        turn = self._turn(identity, person.lang, record)
        # lifecycle: the advisor's questions come first; this message answers none
        if turn.state.get("review_notice"):
            self._prompt(turn)
            self._save(turn)
            return turn.replies
        try:
            if command and command[0] in participants.COMMANDS:
                command = None  # not answered above, so here it is an answer
            # lifecycle: submitting renders, freezes and mails: async, done here
            if command and command[0] == "submit" and not self._is_list_answer(turn, text):
                return await self._submit(turn)
            if file is not None:
                self._file(turn, file)
            elif command and not self._is_list_answer(turn, text):
                self._command(turn, *command)
            else:
                self._input(turn, text)
        except Exception:
            # never die on user input: keep what was stored, say so, ask again
            log.exception("engine failed on input of %s for plan %s", identity, record.id)
            fresh = self._turn(identity, person.lang, self.store.plan(record.id) or record)
            fresh.say("internal_error", kind="error")
            self._prompt(fresh)
            self._save(fresh)
            return fresh.replies
        if turn.state.pop("_switch", False):
            # plans / new switched the active plan: its own state was already saved
            return turn.replies
        self._save(turn)
        return turn.replies

    # ------------------------------------------------------------------ plans
    def _unfinished(self, identity: str, preferred: str | None) -> PlanRecord | None:
        # lifecycle: a plan the advisor sent back is unfinished again; a complete plan is
        # unfinished until it is handed in (its next step is 'indienen')
        plans = [
            p
            for p in self.store.plans(owner=identity)
            if p.status in ("concept", "compleet", "aanpassen_gevraagd")
        ]
        for p in plans:
            if p.id == preferred:
                return p
        return plans[-1] if plans else None

    def _create(self, identity: str, gemeente: str | None) -> PlanRecord:
        data: dict[str, Any] = {}
        if gemeente:
            data["gemeente"] = gemeente
        record = self.store.create_plan(identity, gemeente, data)
        state = {"done": ["gemeente"] if gemeente else [], "lang": None}
        self.store.save(identity, record.id, data, state)
        record.state = state
        return record

    def _turn(self, identity: str, lang: str, record: PlanRecord) -> Turn:
        state = self.store.state(identity, record.id) or {"done": []}
        if record.owner != identity:
            # a co-author: what the owner already answered (or skipped) is not asked again
            owner = self.store.state(record.owner, record.id)
            for name in ("done", "skipped", "prefilled", "seen"):
                mine = state.setdefault(name, [])
                mine += [k for k in owner.get(name, []) if k not in mine]
        profile = self._profile(record.data.get("gemeente"))
        walk = state.get("walk")
        if walk:  # a second conversation about this plan is under way
            conv = load_conversation(walk["conversation"])
            data = dict(record.data.get(conv.store_under or walk["conversation"]) or {})
            return Turn(
                identity, lang or "nl", record, data, walk["state"], profile, conversation=conv,
                outer=state,
            )  # fmt: skip
        turn = Turn(identity, lang or "nl", record, dict(record.data), state, profile)
        # lifecycle: reopen the questions of the sections the advisor sent back
        from bot.features.review import reopen_pending

        reopen_pending(self.store, self.conversation, record, identity, state, profile, turn.lang)
        return turn

    def _profile(self, gemeente: str | None) -> Profile:
        return profile_or_default(gemeente, self.settings.profiles_dir)

    def profiles(self) -> dict[str, Profile]:
        return available_profiles(self.settings.profiles_dir)

    def _save(self, turn: Turn) -> None:
        if turn.conversation is not None:  # the answers go under their own key
            self._save_walk(turn)
            return
        status: str | None = "compleet" if turn.state.get("mode") == "complete" else "concept"
        # lifecycle: once submitted, the status belongs to the review, not the interview
        if turn.record.status not in ("concept", "compleet"):
            status = None
        self.store.save(turn.identity, turn.record.id, turn.data, turn.state, status=status)

    # ------------------------------------------------------------------ walks
    def walk(self, identity: str, record: PlanRecord, name: str) -> list[Reply]:
        """Start the conversation `name` (conversations/<name>.yaml) about an existing plan;
        its answers are kept under the conversation's `store_under` key of the plan's data.
        A walk already under way goes on where it was. When it is confirmed, its `finish` hook
        acts and the person is back where they were."""
        conv = load_conversation(name)
        state = self.store.state(identity, record.id) or {"done": []}
        resume = (state.get("walk") or {}).get("conversation") == name
        if not resume:
            state["walk"] = {"conversation": name, "state": {"done": []}}
            self.store.save(identity, record.id, record.data, state)
        person = self.store.person(identity)
        self.store.update_person(identity, active_plan_id=record.id)
        turn = self._turn(identity, person.lang, self.store.plan(record.id) or record)
        if conv.intro and not resume:
            text = conv.intro.get(turn.lang) or conv.intro.get("nl", "")
            turn.replies.append(Reply(text.format(titel=record.titel or record.id)))
        self._prompt(turn)
        self._save(turn)
        return turn.replies

    def _conv(self, turn: Turn) -> Conversation:
        return turn.conversation or self.conversation

    def _by_key(self, turn: Turn, key: str) -> Question:
        """A question by key, also the copies of a `foreach` question ('uitvoering.2')."""
        for q in self._applicable(turn):
            if q.key == key:
                return q
        return self._conv(turn).by_key(key)

    def _save_walk(self, turn: Turn) -> None:
        assert turn.conversation is not None and turn.outer is not None
        name = turn.outer["walk"]["conversation"]
        fresh = self.store.plan(turn.record.id)  # a finish hook may have stored more
        data = dict((fresh or turn.record).data)
        data[turn.conversation.store_under or name] = turn.data
        outer = dict(turn.outer)
        if turn.state.get("mode") == "complete":
            outer.pop("walk", None)  # done: the person is back in their own conversation
        else:
            outer["walk"] = {"conversation": name, "state": turn.state}
        self.store.save(turn.identity, turn.record.id, data, outer)

    @staticmethod
    def _hook(path: str) -> Any:
        import importlib

        module, _, name = path.partition(":")
        return getattr(importlib.import_module(module), name)

    def _walk_scope(self, turn: Turn) -> dict[str, Any]:
        assert turn.conversation is not None
        plan = self._plan(turn.record.data)
        scope = {
            "answers": turn.data,
            "plan": plan.model_dump(mode="json"),
            "profile": turn.profile,
            "complex": plan.complex,
        }
        if turn.conversation.scope:
            scope.update(self._hook(turn.conversation.scope)(self, turn))
        return scope

    # ------------------------------------------------------------------ scope and questions
    def _plan(self, data: dict[str, Any]) -> Plan:
        return Plan.model_validate(data)

    def _scope(self, turn: Turn, item: dict[str, Any] | None = None) -> dict[str, Any]:
        """The answers as conditions and prompts see them; cached while the answers are the same."""
        key = json.dumps(turn.data, sort_keys=True, default=str)
        if turn.cache.get("key") != key and turn.conversation is not None:
            turn.cache = {"key": key, "scope": self._walk_scope(turn)}
        elif turn.cache.get("key") != key:
            plan = self._plan(turn.data)
            base = plan.model_dump(mode="json")
            base.update(complex=plan.complex, profile=turn.profile)
            turn.cache = {"key": key, "scope": base}
        return {**turn.cache["scope"], "item": _with_soort(item or {}, turn.lang)}

    def _applicable(self, turn: Turn) -> list[Question]:
        scope = self._scope(turn)
        if turn.cache.get("applicable") is None:
            applicable: list[Question] = []
            questions = [
                q for q in self._conv(turn).questions if q.key not in turn.profile.vragen_uit
            ]
            i = 0
            while i < len(questions):
                q = questions[i]
                if not q.foreach:
                    applicable += [q] if q.applies(scope) else []
                    i += 1
                    continue
                # questions in a row over the same list are asked element by element
                run = [q]
                while (
                    i + len(run) < len(questions) and questions[i + len(run)].foreach == q.foreach
                ):
                    run.append(questions[i + len(run)])
                for nr, each in enumerate(expression(q.foreach)(**scope) or [], 1):
                    inner = {**scope, "each": each, "nr": nr}
                    applicable += [r.expand(nr, each) for r in run if r.applies(inner)]
                i += len(run)
            turn.cache["applicable"] = applicable
        return turn.cache["applicable"]

    def _current(self, turn: Turn) -> Question | None:
        editing = turn.state.get("editing")
        if editing:
            return self._by_key(turn, editing)
        done = set(turn.list("done"))
        for q in self._applicable(turn):
            if q.key not in done:
                return q
        return None

    def _progress(self, turn: Turn) -> tuple[int, int]:
        applicable = self._applicable(turn)
        done = set(turn.list("done"))
        answered = sum(1 for q in applicable if q.key in done)
        return answered, len(applicable)

    def _item_field(self, turn: Turn, q: Question) -> Question | None:
        item = turn.state.get("item")
        if not item:
            return None
        scope = self._scope(turn, item["data"])
        for f in q.item:
            if f.key not in item["done"] and f.applies(scope):
                return f
        return None

    def _is_list_answer(self, turn: Turn, text: str) -> bool:
        """'klaar' ends a list; it is an answer, never a command."""
        return text.strip().lower() == "klaar"

    # ------------------------------------------------------------------ commands
    def _command(self, turn: Turn, cmd: str, arg: str) -> None:
        mode = turn.state.get("mode")
        if cmd not in ("help", "status", "summary", "pause", "language"):
            turn.state.pop("ask", None)  # moving on drops a 'Bedoel je ...?'
        if cmd == "help":
            self._help(turn)
        elif cmd == "back":
            self._back(turn)
        elif cmd == "skip":
            self._skip(turn)
        elif cmd == "edit":
            self._edit(turn)
            return
        elif cmd == "status":
            self._status(turn)
        elif cmd == "summary":
            turn.replies.append(Reply(self._summary_text(turn), kind="summary"))
        elif cmd == "pause":
            turn.replies.append(Reply(t("paused", turn.lang), kind="pause"))
            return
        elif cmd == "restart":
            turn.state["mode_before"] = mode
            turn.state["mode"] = "restart"
            titel = turn.data.get("titel") or t("untitled", turn.lang)
            turn.replies.append(
                Reply(
                    t("restart_confirm", turn.lang, titel=titel),
                    kind="question",
                    input="yesno",
                    choices=self._yesno_choices(turn),
                )
            )
            return
        elif cmd == "plans":
            self._plans(turn)
            return
        elif cmd == "new":
            self._switch(turn, self._create(turn.identity, turn.data.get("gemeente")), new=True)
            return
        elif cmd == "language":
            lang = arg.lower()[:2]
            if lang not in ("nl", "en"):
                turn.say("language_unknown", kind="error")
            else:
                turn.lang = lang
                self.store.update_person(turn.identity, lang=lang)
                turn.say("language_set")
        elif cmd == "start":
            pass
        elif cmd == "coauthor":
            self._invite_author(turn)
        elif cmd == "join":
            turn.replies.extend(self._join(turn.identity, None, arg))
            turn.prompted = True
            return
        self._prompt(turn)

    def _help(self, turn: Turn) -> None:
        q = self._current(turn)
        if q is None:
            turn.say("help_general")
            return
        fq = self._item_field(turn, q) if q.type == "repeat" else None
        source = q if not fq or not fq.help else fq
        item = (turn.state.get("item") or {}).get("data") if source is fq else None
        text = source.text("help", turn.lang, self._scope(turn, item))
        turn.replies.append(
            Reply(t("help", turn.lang, help=text, bron=source.bron or q.bron or "-"), kind="help")
        )
        turn.say("help_general")

    def _back(self, turn: Turn) -> None:
        mode = turn.state.get("mode")
        if mode in ("edit", "plans", "restart", "confirm", "item_edit"):
            turn.state["mode"] = None
            turn.state.pop("confirm", None)
            turn.state.pop("item_edit", None)
            return
        item = turn.state.get("item")
        if item:
            if len(item["done"]) > 1:
                item["done"].pop()
            else:
                turn.state["item"] = None
            return
        if turn.state.get("editing"):
            turn.state["editing"] = None
            return
        history = turn.list("history")
        done = turn.list("done")
        if not history:
            turn.say("no_previous")
            return
        key = history.pop()
        if key in done:
            done.remove(key)
        if key in turn.list("skipped"):
            turn.list("skipped").remove(key)
        turn.state["mode"] = None

    def _skip(self, turn: Turn) -> None:
        mode = turn.state.get("mode")
        if mode == "confirm":
            self._keep_answer(turn)
            return
        if mode in ("edit", "item_edit", "plans"):  # leave the menu; nothing is skipped
            turn.state["mode"] = None
            turn.state.pop("item_edit", None)
            turn.say("edit_left")
            return
        q = self._current(turn)
        if q is None:
            return
        if q.type == "repeat":
            f = self._item_field(turn, q)
            if f is None:
                if not q.optional:
                    self._cannot_skip(turn)
                    return
                self._complete_question(turn, q, skipped=True)
                return
            if not (f.optional or f.unknown_ok):
                self._cannot_skip(turn)
                return
            turn.state["item"]["done"].append(f.key)
            self._item_progress(turn, q)
            return
        if not (q.optional or q.unknown_ok):
            self._cannot_skip(turn)
            return
        turn.data[q.key] = [] if q.type in ("multi",) else None
        self._complete_question(turn, q, skipped=True)
        turn.say("skipped")
        self._check(turn, q.key)

    def _cannot_skip(self, turn: Turn) -> None:
        turn.replies.append(
            Reply(t("cannot_skip", turn.lang, hint=t("empty_answer", turn.lang)), kind="error")
        )

    def _status(self, turn: Turn) -> None:
        n, total = self._progress(turn)
        titel = turn.data.get("titel") or t("untitled", turn.lang)
        lines = [t("status", turn.lang, titel=titel, n=n, total=total)]
        still_open = self._still_open(turn)
        if still_open:
            lines.append(t("status_unknown", turn.lang, n=len(still_open)))
            lines += [f"- {_short(text, 80)}" for text in still_open]
        open_findings = [f for f in self._findings(turn) if not f.afwijking]
        if open_findings:
            lines.append(t("status_findings", turn.lang, n=len(open_findings)))
            lines += [f"- {f.tekst}" for f in open_findings]
        else:
            lines.append(t("status_no_findings", turn.lang))
        turn.replies.append(Reply("\n".join(lines), kind="status"))

    def _shown(self, turn: Turn, q: Question) -> str:
        """An answer as the summary and the edit menu list it; 'nog te bepalen' when open."""
        value = turn.data.get(q.key)
        if value is None and q.key in turn.list("nvt"):
            return t("not_applicable", turn.lang)
        if value is None and q.key in turn.list("unknown"):
            return display_value(
                q.model_copy(update={"unknown_ok": True}), None, turn.profile, turn.lang
            )
        return display_value(q, value, turn.profile, turn.lang)

    def _still_open(self, turn: Turn) -> list[str]:
        """The answers that are 'nog te bepalen', by their question (a list item's by its own)."""
        unknown = set(turn.list("unknown"))
        done = set(turn.list("done"))
        found = []
        for q in self._applicable(turn):
            if q.key in unknown and q.key in done:
                found.append(self._prompt_text(turn, q))
            if q.type != "repeat":
                continue
            for nr, item in enumerate(turn.data.get(q.key) or [], 1):
                scope = self._scope(turn, item)
                for f in q.item:
                    if f.unknown_ok and item.get(f.key) is None and f.applies(scope):
                        found.append(f"{nr}. {self._prompt_text(turn, f, scope)}")
        return found

    def _edit(self, turn: Turn) -> None:
        keys = self._editable(turn)
        if not keys:
            turn.say("edit_nothing")
            self._prompt(turn)
            return
        turn.state["mode"] = "edit"
        lines = [t("edit_choose", turn.lang)]
        for i, q in enumerate(keys, 1):
            value = self._shown(turn, q)
            lines.append(f"{i}. {self._prompt_text(turn, q)} → {_short(value)}")
        turn.replies.append(Reply("\n".join(lines), kind="question", input="number"))

    def _editable(self, turn: Turn) -> list[Question]:
        done = set(turn.list("done"))
        return [q for q in self._applicable(turn) if q.key in done]

    def _plans(self, turn: Turn) -> None:
        plans = self.store.plans(owner=turn.identity)
        turn.state["mode"] = "plans"
        lines = [t("plans_list", turn.lang)]
        choices = []
        for i, p in enumerate(plans, 1):
            titel = p.titel or t("untitled", turn.lang)
            status = t(f"status_names.{p.status}", turn.lang)
            marker = " ←" if p.id == turn.record.id else ""
            lines.append(f"{i}. {titel} ({p.id}, {status}){marker}")
            choices.append(Choice(titel[:30], str(i)))
        lines.append(t("plans_choose", turn.lang))
        choices.append(Choice(t("new_plan", turn.lang), "nieuw"))
        turn.replies.append(
            Reply("\n".join(lines), kind="question", input="choice", choices=choices)
        )

    def _switch(self, turn: Turn, record: PlanRecord, new: bool = False) -> None:
        self._save(turn)
        self.store.update_person(turn.identity, active_plan_id=record.id)
        other = self._turn(turn.identity, turn.lang, record)
        other.replies = turn.replies
        if new:
            other.say("new_plan")
        else:
            other.say("plans_switched", titel=record.titel or t("untitled", turn.lang))
        self._prompt(other)
        self._save(other)
        turn.state["_switch"] = True
        turn.prompted = True

    # ------------------------------------------------------------------ co-authors
    def _invite_author(self, turn: Turn) -> None:
        """A code the owner passes on; whoever types 'meeschrijven <code>' writes along."""
        from bot.signing import secret_key, sign

        expires = self.settings.clock() + timedelta(days=7)
        code = sign(secret_key(self.settings.data_dir), "coauthor", {"p": turn.record.id}, expires)
        titel = turn.data.get("titel") or t("untitled", turn.lang)
        turn.say("coauthor_code", titel=titel, code=code)

    def _join(self, identity: str, naam: str | None, code: str) -> list[Reply]:
        from bot.signing import BadToken, secret_key, verify

        try:
            payload = verify(
                secret_key(self.settings.data_dir), "coauthor", code.strip(), self.settings.clock()
            )
            record = self.store.plan(str(payload.get("p")))
        except BadToken:
            record = None
        if record is None:
            return [Reply(t("coauthor_bad_code", "nl"), kind="error")]
        self.store.person(identity, naam)
        self.store.add_author(record.id, identity)
        self.store.update_person(identity, active_plan_id=record.id)
        turn = self._turn(identity, "nl", record)
        turn.say("coauthor_joined", titel=record.titel or t("untitled", turn.lang))
        self._prompt(turn)
        self._save(turn)
        return turn.replies

    # ------------------------------------------------------------------ input
    def _input(self, turn: Turn, text: str) -> None:
        mode = turn.state.get("mode")
        if mode == "restart":
            self._restart_answer(turn, text)
        elif mode == "plans":
            self._plans_answer(turn, text)
        elif mode == "edit":
            self._edit_answer(turn, text)
        elif mode == "item_edit":
            self._item_edit_answer(turn, text)
        elif mode == "summary" and KEEP_TIP.match(text):
            self._afwijken_tip(turn, text, summary=True)
        elif mode == "summary":
            self._summary_answer(turn, text)
        elif mode == "complete":
            turn.say("done_after")
        elif mode == "confirm" and AFWIJKEN.match(text):
            self._afwijken(turn, text)
        elif KEEP_TIP.match(text) and turn.state.get("last_tips"):
            self._afwijken_tip(turn, text)
        else:
            if mode == "confirm":
                # a new answer to the same question: its findings may show again
                seen = turn.list("seen")
                for code in turn.state["confirm"]["codes"]:
                    if code in seen:
                        seen.remove(code)
                turn.state["mode"] = None
                turn.state.pop("confirm", None)
            self._answer(turn, text)
            return
        if turn.state.get("mode") not in ("restart", "plans", "edit", "item_edit"):
            self._prompt(turn)

    def _file(self, turn: Turn, file: bytes | str) -> None:
        """A file sent with the message: the answer to a question that asks for one."""
        q = self._current(turn)
        if isinstance(file, str):  # it could not be used: the key says why
            turn.say(file, kind="error")
        elif q is None or not q.accepts_file or turn.state.get("mode") or turn.state.get("item"):
            turn.say("file_not_here", kind="error")
        else:
            self._input(turn, incoming.as_text(file))
            return
        self._prompt(turn)

    def _restart_answer(self, turn: Turn, text: str) -> None:
        try:
            yes = parsing.parse_yesno(text)
        except parsing.ParseError as e:
            turn.replies.append(Reply(e.message(turn.lang), kind="error"))
            turn.state["mode"] = "restart"
            self._command(turn, "restart", "")
            return
        if yes:
            gemeente = turn.data.get("gemeente")
            turn.data.clear()
            turn.state.clear()
            turn.state["done"] = []
            if gemeente:
                turn.data["gemeente"] = gemeente
                turn.state["done"].append("gemeente")
            turn.say("restart_done")
        else:
            turn.state["mode"] = turn.state.pop("mode_before", None)
            turn.say("restart_cancelled")

    def _plans_answer(self, turn: Turn, text: str) -> None:
        plans = self.store.plans(owner=turn.identity)
        choice = text.strip()
        if choice.isdecimal() and 1 <= int(choice) <= len(plans):
            turn.state["mode"] = None
            target = plans[int(choice) - 1]
            if target.id == turn.record.id:
                turn.say("plans_switched", titel=target.titel or t("untitled", turn.lang))
                self._prompt(turn)
                return
            self._switch(turn, target)
            return
        turn.replies.append(Reply(t("list_bad_number", turn.lang, n=len(plans)), kind="error"))
        self._plans(turn)

    def _edit_answer(self, turn: Turn, text: str) -> None:
        keys = self._editable(turn)
        choice = text.strip()
        q = None
        if choice.isdecimal() and 1 <= int(choice) <= len(keys):
            q = keys[int(choice) - 1]
        else:
            q = next((k for k in keys if k.key == choice), None)
        if q is None:
            turn.say("edit_unknown", kind="error")
            self._edit(turn)
            return
        turn.state["mode"] = None
        turn.state["editing"] = q.key
        turn.state["return_summary"] = self._current_without_edit(turn) is None
        if q.type == "repeat":
            turn.state["item"] = None
        self._prompt(turn)

    def _current_without_edit(self, turn: Turn) -> Question | None:
        editing = turn.state.pop("editing", None)
        try:
            return self._current(turn)
        finally:
            turn.state["editing"] = editing

    def _summary_answer(self, turn: Turn, text: str) -> None:
        try:
            yes = parsing.parse_yesno(text)
        except parsing.ParseError:
            turn.say("summary_unclear", kind="error")
            return
        if yes:
            self._finish(turn)
        else:
            turn.state["mode"] = None
            self._edit(turn)

    def _afwijken(self, turn: Turn, text: str) -> None:
        if self._keep_with_reason(turn, text, turn.state["confirm"]["codes"]):
            self._keep_answer(turn)

    def _keep_with_reason(self, turn: Turn, text: str, codes: list[str]) -> bool:
        """'afwijken, omdat <reden>': the findings stay, with the reason as written."""
        reden = AFWIJKEN.match(text).group("reden").strip()  # type: ignore[union-attr]
        if not BECAUSE.sub("", reden).strip():
            turn.say("finding_reason_missing", kind="error")
            return False
        if not BECAUSE.match(reden):
            reden = f"{t('because', turn.lang)} {reden}"
        afwijkingen = dict(turn.data.get("afwijkingen") or {})
        for code in codes:
            afwijkingen[code] = reden
        turn.data["afwijkingen"] = afwijkingen
        turn.say("finding_kept")
        return True

    def _afwijken_tip(self, turn: Turn, text: str, summary: bool = False) -> None:
        """A tip kept with a reason: the tips just shown, or at the summary every open one."""
        if summary:
            codes = [f.code for f in self._findings(turn) if not f.afwijking]
        else:
            codes = turn.state.pop("last_tips", [])
        if not codes:
            turn.say("finding_nothing_open", kind="error")
        elif self._keep_with_reason(turn, text, codes) and summary:
            turn.state["mode"] = None  # the summary again, with the reason beside the finding

    def _keep_answer(self, turn: Turn) -> None:
        """Leave the finding as it is: the answer stands and the interview goes on."""
        confirm = turn.state.pop("confirm", None) or {}
        turn.state["mode"] = None
        key, field = confirm.get("key"), confirm.get("field")
        if not key:
            return
        q = self._by_key(turn, key)
        if field and turn.state.get("item"):
            turn.state["item"]["done"].append(field)
            self._item_progress(turn, q)
        elif not field:
            self._complete_question(turn, q)

    def _answer(self, turn: Turn, text: str) -> None:
        q = self._current(turn)
        if q is None:
            self._prompt(turn)
            return
        if len(text) > MAX_ANSWER:
            turn.replies.append(Reply(t("too_long", turn.lang, n=MAX_ANSWER), kind="error"))
            self._prompt(turn)
            return
        # lifecycle: 'houden' leaves an answer the advisor's review reopened as it was
        if (
            text.strip().lower() in KEEP_WORDS
            and q.key in turn.state.get("reopened", [])
            and not turn.state.get("item")
        ):
            self._complete_question(turn, q)
            self._prompt(turn)
            return
        if q.type == "repeat":
            self._list_answer(turn, q, text)
            return
        outcome, value = self._read(turn, q, text, None, [q.key, None])
        if outcome is None:  # refused, or a 'Bedoel je ...?' to answer first
            self._prompt(turn)
            return
        try:
            if q.check and value is not None:  # a hook that checks the answer, e.g. a CSV
                self._hook(q.check)(value)
        except ValueError as e:
            turn.replies.append(Reply(str(e), kind="error"))
            self._prompt(turn)
            return
        turn.data[q.key] = value
        self._mark_open(turn, q.key, outcome)
        if q.type == "yesno" and value:
            scope = self._scope(turn)
            for key, expr in q.set_if_yes.items():
                turn.data[key] = expression(expr)(**scope)
        self._complete_question(turn, q)
        self._check(turn, q.key)  # a rule may keep the same question open (confirm mode)
        self._prompt(turn)

    def _complete_question(self, turn: Turn, q: Question, skipped: bool = False) -> None:
        done = turn.list("done")
        if q.key not in done:
            done.append(q.key)
        skipped_list = turn.list("skipped")
        if skipped and q.key not in skipped_list:
            skipped_list.append(q.key)
        elif not skipped and q.key in skipped_list:
            skipped_list.remove(q.key)
        history = turn.list("history")
        if q.key in history:
            history.remove(q.key)
        history.append(q.key)
        if q.note and q.key not in turn.list("noted"):
            turn.list("noted").append(q.key)
            note = self._hook(q.note)(self, turn)
            if note:
                turn.replies.append(Reply(note, kind="info"))
        if turn.state.get("editing") == q.key:
            turn.state["editing"] = None
        if turn.data.get("titel"):
            turn.record.titel = turn.data["titel"]

    # ------------------------------------------------------------------ lists
    def _list_answer(self, turn: Turn, q: Question, text: str) -> None:
        item = turn.state.get("item")
        if item:
            self._field_answer(turn, q, text)
            return
        stripped = text.strip()
        items = list(turn.data.get(q.key) or [])
        if re.fullmatch(r"klaar|(?:wijzig|edit|verwijder)\s+\d+", stripped, re.I):
            turn.state.pop("ask", None)  # the list itself is answered, not the 'Bedoel je'
        if stripped.lower() == "klaar":
            if not items and not q.optional:
                turn.say("list_empty", kind="error")
            else:
                self._complete_question(turn, q)
                self._check(turn, q.key)
            self._prompt(turn)
            return
        m = re.fullmatch(r"(?:wijzig|edit)\s+(\d+)", stripped, re.I)
        if m:
            self._item_edit(turn, q, int(m.group(1)))
            return
        m = re.fullmatch(r"verwijder\s+(\d+)", stripped, re.I)
        if m:
            n = int(m.group(1))
            if 1 <= n <= len(items):
                removed = items.pop(n - 1)
                turn.data[q.key] = items
                turn.say("list_removed", value=_item_label(removed))
            else:
                turn.replies.append(
                    Reply(t("list_bad_number", turn.lang, n=len(items)), kind="error")
                )
            self._prompt(turn)
            return
        first = q.item[0]
        # 'geen', 'dat was het', 'weet ik nog niet' end the list or leave it open: never an item
        outcome, value = self._read(turn, first, text, {}, [q.key, first.key], list_of=q)
        if outcome in (Outcome.none, Outcome.done, Outcome.unknown, Outcome.not_applicable):
            if not items and not q.optional:
                turn.say("list_empty", kind="error")
            else:
                self._complete_question(turn, q, skipped=not items)
                self._mark_open(turn, q.key, outcome)
                self._check(turn, q.key)
            self._prompt(turn)
            return
        lines = parsing.split_items(text) if first.type == "text" else [text]
        if outcome is None or not lines:
            self._prompt(turn)
            return
        if first.type == "text":
            value = lines[0]
        turn.state["item"] = {"data": {first.key: value}, "done": [first.key], "queue": lines[1:]}
        if len(lines) > 1:
            turn.say("list_queued", n=len(lines))
        self._item_progress(turn, q)

    def _item_edit(self, turn: Turn, q: Question, nr: int) -> None:
        """'wijzig 2': the fields of item 2 with their answers; one is chosen by its number."""
        items = turn.data.get(q.key) or []
        if not 1 <= nr <= len(items):
            turn.replies.append(Reply(t("list_bad_number", turn.lang, n=len(items)), kind="error"))
            self._prompt(turn)
            return
        item = items[nr - 1]
        fields = self._item_fields(turn, q, item)
        turn.state["mode"] = "item_edit"
        turn.state["item_edit"] = {"key": q.key, "index": nr - 1}
        lines = [t("item_edit_choose", turn.lang, item=f"{nr}. {_item_label(item)}")]
        for i, f in enumerate(fields, 1):
            value = display_value(f, item.get(f.key), turn.profile, turn.lang)
            prompt = self._prompt_text(turn, f, self._scope(turn, item))
            lines.append(f"{i}. {prompt} → {_short(value, 80)}")
        choices = [Choice(f.key, str(i)) for i, f in enumerate(fields, 1)]
        turn.replies.append(
            Reply("\n".join(lines), kind="question", input="choice", choices=choices)
        )

    def _item_fields(self, turn: Turn, q: Question, item: dict[str, Any]) -> list[Question]:
        scope = self._scope(turn, item)
        return [f for f in q.item if f.applies(scope)]

    def _item_edit_answer(self, turn: Turn, text: str) -> None:
        editing = turn.state.get("item_edit") or {}
        q = self._by_key(turn, editing.get("key", ""))
        items = turn.data.get(q.key) or []
        index = editing.get("index", len(items))
        if index >= len(items):
            turn.state["mode"] = None
            self._prompt(turn)
            return
        fields = self._item_fields(turn, q, items[index])
        choice = text.strip()
        if not (choice.isdecimal() and 1 <= int(choice) <= len(fields)):
            turn.replies.append(Reply(t("list_bad_number", turn.lang, n=len(fields)), kind="error"))
            self._item_edit(turn, q, index + 1)
            return
        chosen = fields[int(choice) - 1]
        turn.state["mode"] = None
        turn.state.pop("item_edit", None)
        # every other field stays as it is; a field that only applies after the change
        # (a period once a meeting became a survey) is asked as well
        done = [f.key for f in fields if f.key != chosen.key]
        data = dict(items[index])
        data.pop(chosen.key, None)
        turn.state["item"] = {"data": data, "done": done, "queue": [], "index": index}
        turn.state["item_was"] = {chosen.key: items[index].get(chosen.key)}
        self._prompt(turn)

    def _field_answer(self, turn: Turn, q: Question, text: str) -> None:
        item = turn.state["item"]
        f = self._item_field(turn, q)
        if f is None:
            self._item_progress(turn, q)
            return
        outcome, value = self._read(turn, f, text, item["data"], [q.key, f.key])
        if outcome is None:
            self._prompt(turn)
            return
        item["data"][f.key] = value
        item["done"].append(f.key)
        if self._check(turn, q.key, field=f.key):
            self._prompt(turn)
            return
        self._item_progress(turn, q)

    def _item_progress(self, turn: Turn, q: Question) -> None:
        """After a field: ask the next one, or store the finished item and take the next in line."""
        if self._item_field(turn, q) is not None:
            self._prompt(turn)
            return
        item = turn.state["item"]
        items = list(turn.data.get(q.key) or [])
        if item.get("index") is not None and item["index"] < len(items):
            items[item["index"]] = item["data"]  # one item changed with 'wijzig 2'
        else:
            items.append(item["data"])
        turn.data[q.key] = items
        queue = item.get("queue") or []
        if queue:
            # a queued item is the first field's answer, or (queue_from) the fields known
            data = queue[0] if isinstance(queue[0], dict) else {q.item[0].key: queue[0]}
            turn.state["item"] = {"data": data, "done": list(data), "queue": queue[1:]}
        else:
            turn.state["item"] = None
        turn.state.pop("item_was", None)
        self._prompt(turn)

    # ------------------------------------------------------------------ understanding
    def _read(
        self,
        turn: Turn,
        q: Question,
        text: str,
        item: dict[str, Any] | None,
        at: list[str | None],
        list_of: Question | None = None,
    ) -> tuple[Outcome | None, Any]:
        """What the answer to `q` means, as stored; (None, None) when it was refused (the
        message is in the replies) or a 'Bedoel je ...?' waits (in state['ask']). `at` is where
        the question stands ([key, field]); `list_of` the list whose first field `q` is."""
        pending = turn.state.pop("ask", None)
        if pending and pending["at"] == at:
            asked = understanding.Understood(
                Outcome.ask,
                candidates=tuple(understanding.Candidate(v, lab) for v, lab in pending["options"]),
            )
            picked = understanding.resolve(text, asked, lang=turn.lang)
            if picked is not None:
                turn.replies.append(Reply(picked.echo, kind="info"))
                return Outcome.match, picked.value
            if len(pending["options"]) == 1 and _is_no(text):
                turn.say("ask_declined", kind="error")
                return None, None
        if not text.strip():
            turn.replies.append(Reply(_Empty(turn, q).message(turn.lang), kind="error"))
            return None, None
        asked = self._asked(turn, q, item, list_of)
        got = understanding.understand(text, asked, today=self.settings.today(), lang=turn.lang)
        if got.outcome is Outcome.refuse:
            turn.replies.append(Reply(got.message, kind="error"))
            return None, None
        if got.outcome is Outcome.ask:
            options = [[self._stored(q, c.value, item), c.label] for c in got.candidates]
            turn.state["ask"] = {"at": at, "message": got.message, "options": options}
            return None, None
        value = None
        if got.outcome in (Outcome.match, Outcome.proposal):
            value = self._stored(q, got.value, item)
        if (
            got.outcome is Outcome.proposal
        ):  # a proposal may be a stored dict: show it as the summary does
            shown = display_value(q, value, turn.profile, turn.lang)
            got = replace(got, echo=understanding.phrase("echo", turn.lang, value=shown))
        quiet = q.type == "yesno" and got.outcome is Outcome.match  # 'jazeker' needs no '→ ja'
        if got.echo and not quiet and not _says(text, got.echo):
            turn.replies.append(Reply(got.echo, kind="info"))
        return got.outcome, value

    def _asked(
        self,
        turn: Turn,
        q: Question,
        item: dict[str, Any] | None,
        list_of: Question | None = None,
    ) -> understanding.Asked:
        """The question as the understanding needs it: its kind, options with their synonyms,
        the proposal 'ja' takes, and whether 'weet ik nog niet' may be stored."""
        opts: tuple[understanding.Option, ...] = ()
        if q.options == "profiles":
            opts = understanding.gemeente_options(self.profiles())
        elif q.type in ("choice", "multi"):
            enum = q.options.get("enum") if isinstance(q.options, dict) else None
            opts = understanding.options(self._options(turn, q), enum or q.key, turn.profile)
            if isinstance(q.options, dict) and "soort" in q.options:  # a middel by its kind
                kinds = self._hook(q.options["soort"])(turn.profile, self._plan(turn.data))
                opts = understanding.with_kind_words(opts, kinds, "ActiviteitType", turn.profile)
        proposal = self._proposal(turn, q, item) if q.type in ("date", "number", "money") else None
        if q.type == "date" and isinstance(proposal, str):
            proposal = date.fromisoformat(proposal)
        # in a list, 'weet ik nog niet' ends it (an empty required list is refused there)
        unknown_ok = q.unknown_ok or q.optional or list_of is not None
        return understanding.Asked(
            kind=q.answer or q.type,  # type: ignore[arg-type]
            options=opts,
            proposal=proposal,
            unknown_ok=unknown_ok,
            in_list=list_of is not None,
            past_ok=turn.conversation is not None,  # a walk looks back on what happened
            regio=turn.profile.regio,
        )

    @staticmethod
    def _stored(q: Question, value: Any, item: dict[str, Any] | None) -> Any:
        """A value the understanding read, as the plan's data keeps it (JSON)."""
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Periode):
            return {"van": value.van.isoformat(), "tot": value.tot.isoformat()}
        if isinstance(value, Bedrag):
            return {"min": value.min, "max": value.max, "schatting": value.schatting}
        if isinstance(value, Aantal):
            if item is None and q.answer != "hours":
                return int(round(value.waarde))
            stored: dict[str, Any] = {"waarde": value.waarde, "schatting": value.schatting}
            if value.max is not None:
                stored["max"] = value.max
            return stored
        if q.type == "multi" and not isinstance(value, list):
            return [value]
        return value

    def _mark_open(self, turn: Turn, key: str, outcome: Outcome) -> None:
        """Keep which answers are 'nog te bepalen' (status counts them as open) and which do
        not apply ('nvt'); any other answer takes the key off both lists."""
        for name, marks in (("unknown", Outcome.unknown), ("nvt", Outcome.not_applicable)):
            keys = turn.list(name)
            if outcome is marks and key not in keys:
                keys.append(key)
            elif outcome is not marks and key in keys:
                keys.remove(key)

    def _options(self, turn: Turn, q: Question) -> list[tuple[str, str]]:
        if q.options == "profiles":
            return [(k, p.naam) for k, p in self.profiles().items()]
        if isinstance(q.options, dict) and "voorstel" in q.options:
            return self._hook(q.options["voorstel"])(turn.profile, self._plan(turn.data))
        values = q.option_values()
        if q.labels == "profile":
            from handreiking.models import Niveau

            return [(v, turn.profile.niveau_label(Niveau(v))) for v in values]
        return [(v, v) for v in values]

    def _proposal(self, turn: Turn, q: Question, item: dict[str, Any] | None) -> Any:
        if q.default:
            return expression(q.default)(**self._scope(turn, item))
        if not q.propose:
            return None
        from handreiking import planning

        try:
            proposed = planning.propose(
                self._plan(turn.data), turn.profile, q.key, self.settings.today(), item=item
            )
        except (ValidationError, ValueError, KeyError, TypeError):
            return None
        return proposed.isoformat() if proposed else None

    # ------------------------------------------------------------------ findings
    def _candidate(self, turn: Turn, key: str) -> Plan:
        data = dict(turn.data)
        item = turn.state.get("item")
        if item and key in ITEM_MODELS:
            items = list(data.get(key) or [])
            if item.get("index") is not None and item["index"] < len(items):
                items[item["index"]] = item["data"]
            else:
                items.append(item["data"])
            data[key] = items
        return self._plan(data)

    def _findings(
        self, turn: Turn, key: str | None = None, field: str | None = None
    ) -> list[rules.Finding]:
        if turn.conversation is not None:
            return []  # the handreiking's rules are about the plan, not this walk
        asked = set(turn.list("done"))
        if key and not field:
            # a list counts as asked once it is closed with 'klaar', not while an item is built
            asked.add(key)
        complete = self._current(turn) is None and not turn.state.get("item")
        try:
            plan = self._candidate(turn, key) if key else self._plan(turn.data)
        except ValidationError:
            return []
        found = rules.check(
            plan, turn.profile, self.settings.today(), asked=None if complete else asked
        )
        # text meant for publication that looks like a name, address or phone number: a tip
        return found + openbaar.check(plan, turn.profile)

    def _check(self, turn: Turn, key: str, field: str | None = None) -> bool:
        """Show findings that are new after this answer; True when a rule asks for a decision."""
        seen = turn.list("seen")
        new = [
            f for f in self._findings(turn, key, field) if f.code not in seen and not f.afwijking
        ]
        blocking = []
        for f in new:
            seen.append(f.code)
            tmpl = "finding_rule" if f.soort == rules.Soort.beleidsregel else "finding_tip"
            turn.replies.append(
                Reply(
                    t(tmpl, turn.lang, gemeente=turn.profile.naam, tekst=f.tekst, bron=f.bron),
                    kind="finding",
                )
            )
            if f.soort == rules.Soort.beleidsregel and f.vraag == key:
                blocking.append(f.code)
        # a tip may be kept with 'afwijken, omdat ...' as the next message
        turn.state["last_tips"] = [f.code for f in new if f.code not in blocking]
        if not blocking:
            return False
        turn.state["mode"] = "confirm"
        turn.state["confirm"] = {"codes": blocking, "key": key, "field": field}
        if field:
            # the same field is asked again: take it out of the item's done list
            item = turn.state.get("item")
            if item and field in item["done"]:
                item["done"].remove(field)
        else:
            done = turn.list("done")
            if key in done:
                done.remove(key)
            turn.state["editing"] = key if turn.state.get("editing") == key else None
        return True

    # ------------------------------------------------------------------ prompting
    def _prompt(self, turn: Turn) -> None:
        """Append the question the person should answer now (or the summary, or the end)."""
        if turn.prompted:
            return
        # lifecycle: what the advisor asked, before the first reopened question
        notice = turn.state.pop("review_notice", None)
        if notice:
            turn.replies.append(Reply(notice, kind="review"))
        mode = turn.state.get("mode")
        if mode == "complete":
            return
        if mode in ("edit", "plans", "restart", "item_edit"):
            return
        ask = turn.state.get("ask")
        if ask:  # 'Bedoel je ...?' waits for its answer
            turn.prompted = True
            turn.replies.append(self._ask_reply(turn, ask))
            return
        q = self._current(turn)
        if q is None:
            if turn.state.get("item"):
                return
            turn.state["mode"] = "summary"
            turn.prompted = True
            turn.replies.append(Reply(self._summary_text(turn), kind="summary"))
            turn.replies.append(
                Reply(
                    t("summary_confirm", turn.lang),
                    kind="question",
                    input="yesno",
                    choices=self._yesno_choices(turn),
                )
            )
            return
        if turn.state.get("mode") == "summary":
            turn.state["mode"] = None
        reply = self._question_reply(turn, q)
        if mode == "confirm":
            reply.text = f"{reply.text}\n{t('finding_choice', turn.lang)}"
        turn.prompted = True
        part = self._part(turn, q) if mode != "confirm" else None
        turn.replies += [part, reply] if part else [reply]

    def _ask_reply(self, turn: Turn, ask: dict[str, Any]) -> Reply:
        options = ask["options"]
        if len(options) == 1:
            choices = self._yesno_choices(turn)
        else:
            choices = [Choice(str(label), str(i)) for i, (_, label) in enumerate(options, 1)]
        return Reply(ask["message"], kind="question", input="choice", choices=choices)

    def _question_reply(self, turn: Turn, q: Question) -> Reply:
        n, total = self._progress(turn)
        progress = (min(n + 1, total), total)
        applicable = self._applicable(turn)
        keys = [x.key for x in applicable]
        if turn.state.get("editing") and q.key in keys:
            progress = (keys.index(q.key) + 1, total)  # where the changed question stands
        if q.type == "repeat":
            reply = self._list_reply(turn, q, progress)
        else:
            lines = [self._prompt_text(turn, q)]
            current = turn.data.get(q.key)
            if q.key in turn.data and current not in (None, [], ""):
                value = display_value(q, current, turn.profile, turn.lang)
                lines.append(t("current_answer", turn.lang, value=_short(value)))
            reply = self._finish_reply(turn, q, lines, None, progress)
        return reply

    def _part(self, turn: Turn, q: Question) -> Reply | None:
        """Before the first question of a part, which part it opens: 'Deel 2 van 7: ...'."""
        applicable = self._applicable(turn)
        sections = list(dict.fromkeys(x.section for x in applicable if x.section))
        first = next((x.key for x in applicable if x.section == q.section), None)
        if q.section not in sections or first != q.key or turn.state.get("item"):
            return None
        if turn.state.get("part") == q.section:  # asked again: said already
            return None
        turn.state["part"] = q.section
        name = self._conv(turn).sections.get(q.section or "", {})
        title = name.get(turn.lang) or name.get("nl") or q.section
        part = t("section", turn.lang, n=sections.index(q.section) + 1, total=len(sections))
        return Reply(f"{part}: {title}", kind="info")

    def _finish_reply(
        self,
        turn: Turn,
        q: Question,
        lines: list[str],
        item: dict[str, Any] | None,
        progress: tuple[int, int],
    ) -> Reply:
        choices: list[Choice] = []
        if q.type in ("choice", "multi"):
            opts = self._options(turn, q)
            choices = [Choice(label, str(i)) for i, (_, label) in enumerate(opts, 1)]
            lines.append(t("multi_hint" if q.type == "multi" else "options_hint", turn.lang))
        elif q.type == "yesno":
            choices = self._yesno_choices(turn)
        proposal = self._proposal(turn, q, item) if q.type in ("date", "number", "money") else None
        if proposal is not None:
            shown = display_value(q, proposal, turn.profile, turn.lang)
            lines.append(t("proposal", turn.lang, value=shown))
            choices.append(Choice(t("yes", turn.lang), "ja"))
        if q.unknown_ok:
            lines.append(t("unknown_hint", turn.lang))
        if q.optional or q.unknown_ok:
            choices.append(Choice(_skip_label(turn.lang), "overslaan"))
        return Reply(
            "\n".join(lines),
            kind="question",
            input=q.type,
            choices=choices,
            progress=progress,
            accepts_file=q.accepts_file,
        )

    def _list_reply(self, turn: Turn, q: Question, progress: tuple[int, int]) -> Reply:
        self._prefill(turn, q)
        item = turn.state.get("item")
        if item:
            f = self._item_field(turn, q)
            if f is None:
                return Reply("", kind="info")
            scope = self._scope(turn, item["data"])
            lines = [self._prompt_text(turn, f, scope)]
            was = (turn.state.get("item_was") or {}).get(f.key)
            if item.get("index") is not None and was not in (None, "", []):
                value = display_value(f, was, turn.profile, turn.lang)
                lines.append(t("current_answer", turn.lang, value=_short(value)))
            return self._finish_reply(turn, f, lines, item["data"], progress)
        items = turn.data.get(q.key) or []
        lines = [self._prompt_text(turn, q)]
        if items:
            lines.append(t("list_so_far", turn.lang))
            lines += [f"{i}. {_item_label(it)}" for i, it in enumerate(items, 1)]
            lines.append(t("list_more", turn.lang))
        first = q.item[0]
        choices: list[Choice] = []
        if first.type == "choice":
            opts = self._options(turn, first)
            choices = [Choice(label, str(i)) for i, (_, label) in enumerate(opts, 1)]
        else:
            names = {str(it.get("naam", "")).lower() for it in items}
            choices = [Choice(s, s) for s in q.suggest if s.lower() not in names]
        choices.append(Choice(t("klaar", turn.lang), "klaar"))
        return Reply(
            "\n".join(lines),
            kind="question",
            input=f"list:{first.type}",
            choices=choices,
            progress=progress,
        )

    def _prefill(self, turn: Turn, q: Question) -> None:
        if q.queue_from and q.key not in turn.list("queued") and not turn.state.get("item"):
            turn.list("queued").append(q.key)
            queue = self._hook(q.queue_from)(turn.profile, self._plan(turn.data))
            if queue:
                turn.state["item"] = {"data": queue[0], "done": list(queue[0]), "queue": queue[1:]}
        prefilled = turn.list("prefilled")
        if not q.prefill or q.key in prefilled:
            return
        prefilled.append(q.key)
        scope = self._scope(turn)
        from bot.engine.conversation import render_text

        items = list(turn.data.get(q.key) or [])
        added = []
        for spec in q.prefill:
            entry = {k: render_text(v, scope).strip() for k, v in spec.items()}
            if entry.get("naam") and entry["naam"] != "None":
                items.append(entry)
                added.append(_item_label(entry))
        if added:
            turn.data[q.key] = items
            turn.say("prefilled", value=", ".join(added))

    def _prompt_text(self, turn: Turn, q: Question, scope: dict[str, Any] | None = None) -> str:
        return q.text("prompt", turn.lang, scope or self._scope(turn))

    def _yesno_choices(self, turn: Turn) -> list[Choice]:
        return [Choice(t("yes", turn.lang), "ja"), Choice(t("no", turn.lang), "nee")]

    # ------------------------------------------------------------------ summary and documents
    def _summary_text(self, turn: Turn) -> str:
        titel = turn.data.get("titel") or turn.record.titel or t("untitled", turn.lang)
        lines = [t("summary_title", turn.lang, titel=titel)]
        done = set(turn.list("done"))
        section = None
        count = 0
        for q in self._applicable(turn):
            if q.key not in done:
                continue
            if q.section != section:
                section = q.section
                name = self._conv(turn).sections.get(section or "", {})
                lines.append(f"\n== {name.get(turn.lang) or name.get('nl') or section} ==")
            value = self._shown(turn, q)
            sep = "\n" if q.type == "repeat" else "\n  "
            lines.append(f"• {self._prompt_text(turn, q)}{sep}{value}")
            count += 1
        if not count:
            lines.append(t("summary_none", turn.lang))
        findings = self._findings(turn)
        if findings:
            lines.append(f"\n{t('summary_findings', turn.lang)}")
            for f in findings:
                mark = "⚠️" if f.soort == rules.Soort.beleidsregel else "💡"
                status = (
                    t("afwijking", turn.lang, reden=f.afwijking)
                    if f.afwijking
                    else t("open", turn.lang)
                )
                lines.append(f"{mark} {f.tekst} ({status})")
        return "\n".join(lines)

    def _finish(self, turn: Turn) -> None:
        if turn.conversation is not None and turn.conversation.finish:  # its own hook
            try:
                replies = self._hook(turn.conversation.finish)(self, turn)
            except ValueError as e:
                turn.replies.append(Reply(str(e), kind="error"))
                return
            turn.state["mode"] = "complete"
            turn.replies.extend(replies)
            return
        plan = self._plan(turn.data)
        findings = rules.check(plan, turn.profile, self.settings.today())
        out_dir = self.settings.plans_dir / turn.record.id
        try:
            # the front page says where the plan stands: a concept until it is submitted
            stand = Stand(datum=self.settings.today(), status=turn.record.status or "concept")
            paths = self.render(plan, turn.profile, findings, out_dir, stand=stand)
        except documents.DocumentError as e:
            turn.replies.append(Reply(t("document_error", turn.lang, error=str(e)), kind="error"))
            return
        turn.state["mode"] = "complete"
        turn.replies.append(Reply(t("done", turn.lang), kind="done", documents=paths))
        turn.say("done_after")

    async def _submit(self, turn: Turn) -> list[Reply]:
        """lifecycle: 'indienen' sends the finished plan to the gemeente's advisor."""
        from bot.features.review import Refused, submit

        try:
            result = await submit(
                self.settings, self.store, turn.record.id, turn.identity, lang=turn.lang
            )
        except Refused as e:
            turn.replies.append(Reply(str(e), kind="error"))
            self._prompt(turn)
            self._save(turn)
            return turn.replies
        # the turn's state is unchanged; saving it would only race with the new status
        turn.replies.append(result.reply)
        return turn.replies

    def render(
        self,
        plan: Plan,
        profile: Profile,
        findings: list[rules.Finding],
        out_dir: Path,
        stand: Stand | None = None,
    ) -> list[Path]:
        """Write the plan's documents, a gemeente's own templates first."""
        template_dirs = self.settings.template_dirs(plan.gemeente)
        return documents.render_documents(
            plan, profile, findings, out_dir, template_dirs, stand=stand
        )


class _Empty(parsing.ParseError):
    """An empty answer: the message depends on whether the question may be skipped."""

    def __init__(self, turn: Turn, q: Question) -> None:
        Exception.__init__(self, "empty")
        self._key = "empty_optional" if (q.optional or q.unknown_ok) else "empty_answer"

    def message(self, lang: str = "nl") -> str:
        return t(self._key, lang)


def _is_no(text: str) -> bool:
    try:
        return not parsing.parse_yesno(text)
    except parsing.ParseError:
        return False


def _says(text: str, echo: str) -> bool:
    """Whether the echo ('→ raad') only repeats what was typed ('Raad'): then it is left out."""
    typed = " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())
    shown = " ".join(re.sub(r"[\W_]+", " ", echo.casefold()).split())
    return typed == shown


def _item_label(item: dict[str, Any]) -> str:
    if "naam" in item:
        rol = item.get("rol")
        return f"{item['naam']} ({rol})" if rol else str(item["naam"])
    if "type" not in item and "omschrijving" not in item and item:
        return str(next(iter(item.values())))  # items of other lists, e.g. inbreng
    parts = [str(item.get("type", ""))]
    if item.get("omschrijving"):
        parts.append(str(item["omschrijving"]))
    when = item.get("datum") or (item.get("periode") or {}).get("van")
    if when:
        try:
            parts.append(show_date(str(when)))
        except ValueError:
            parts.append(str(when))
    return " – ".join(parts)


def _short(value: str, limit: int = 200) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _with_soort(item: dict[str, Any], lang: str) -> dict[str, Any]:
    """The item with `soort` for prompts: its kind, or for 'anders' what it is ('Waar is de
    plantdag?', not 'Waar is de anders?')."""
    if "type" not in item:
        return item
    soort = str(item["type"])
    if soort == "anders":
        soort = (item.get("omschrijving") or "").strip() or t("other_activity", lang)
        soort = soort[:1].lower() + soort[1:] if soort[1:2].islower() else soort
    return {**item, "soort": soort}


def _skip_label(lang: str) -> str:
    return "overslaan" if lang == "nl" else "skip"
