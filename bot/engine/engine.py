"""The interview engine: dispatches a message, walks the conversation data, stores every answer.

It knows no channel and no feature: a channel hands in (identity, text) and the file the person
sent, if any, and gets back a list of Replies; features add their commands, handlers and hooks
through a Registry (bot/engine/registry.py, built with every feature by bot.app). Each turn runs
on a worker thread, one at a time per person. The walk, lists, reading answers, commands,
findings and prompts are parts of the Engine in their own modules.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import logging
import sys
import threading
import weakref
from collections.abc import Coroutine
from typing import Any

from bot.engine import incoming
from bot.engine.commands import CORE, CommandsMixin
from bot.engine.conversation import Conversation, load_conversation
from bot.engine.findings import FindingsMixin
from bot.engine.lists import ListsMixin
from bot.engine.prompts import PromptsMixin
from bot.engine.reading import ReadingMixin
from bot.engine.registry import Registry
from bot.engine.texts import t
from bot.engine.turn import Turn
from bot.engine.types import Reply, Upload
from bot.engine.walk import WalkMixin
from bot.settings import Settings
from bot.storage import PlanRecord, Store
from handreiking import lifecycle, middelen, understanding
from handreiking.profiles import Profile, available_profiles, profile_for, profile_or_default

log = logging.getLogger(__name__)

# Hooks the interview itself names (conversations/participatieplan.yaml): Heerlen's 70 %-plan.
DOMAIN_HOOKS = {
    "middelen.keuzes": middelen.keuzes,
    "middelen.soorten": middelen.soorten,
    "middelen.wachtrij": middelen.wachtrij,
}


class PlanNotFound(LookupError):
    pass


# Turns run on worker threads. A thread that waited for the database takes the interpreter
# lock back only after the busy one had it this long; at Python's default (5 ms) a turn of a few
# dozen queries waits ~0.2 s behind one long render, at 1 ms about 40 ms.
SWITCH_INTERVAL = 0.001


_worker = threading.local()


def _run_here(work: Coroutine[Any, Any, list[Reply]]) -> list[Reply]:
    """Run a turn on this worker thread's own event loop, made once per thread: a new loop per
    turn (asyncio.run) cost as much as the turn's reading of the answer."""
    runner = getattr(_worker, "runner", None)
    if runner is None:
        runner = _worker.runner = asyncio.Runner()
    return runner.run(work, context=contextvars.copy_context())


async def _off_loop(work: Coroutine[Any, Any, list[Reply]]) -> list[Reply]:
    """Run a turn on a worker thread, so a slow one (a long render, a slow query) holds up no
    other conversation; its few awaits (sending mail) run on that thread's own event loop."""
    return await asyncio.to_thread(_run_here, work)


class Engine(WalkMixin, ListsMixin, ReadingMixin, CommandsMixin, FindingsMixin, PromptsMixin):
    def __init__(
        self,
        store: Store,
        settings: Settings,
        conversation: Conversation | None = None,
        registry: Registry | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.registry = registry or Registry()
        for command in CORE:
            if command.name not in self.registry.commands:
                self.registry.command(command)
        for key, hook in DOMAIN_HOOKS.items():
            self.registry.hooks.setdefault(key, hook)
        self.conversation = conversation or load_conversation()
        self.check(self.conversation)
        # one lock per person while a turn of theirs runs or waits; dropped when none does
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        if sys.getswitchinterval() > SWITCH_INTERVAL:
            sys.setswitchinterval(SWITCH_INTERVAL)

    def check(self, *conversations: Conversation) -> None:
        """A conversation that names a hook no feature registered fails here, when it loads."""
        for conv in conversations:
            missing = self.registry.missing(conv.hook_keys())
            if missing:
                raise ValueError(f"{conv.name}: no feature registered the hooks {missing}")

    def parse_command(self, text: str) -> tuple[str, str] | None:
        """(command, argument) when the text is one of the registered commands."""
        return self.registry.parse(text)

    def _hook(self, key: str) -> Any:
        return self.registry.hooks[key]

    # ------------------------------------------------------------------ entry points
    async def start(
        self,
        identity: str,
        *,
        naam: str | None = None,
        gemeente: str | None = None,
        plan_id: str | None = None,
        new: bool = False,
        once: tuple[str, str] | None = None,
    ) -> list[Reply]:
        """Open a conversation: a given plan, a new one, or the person's unfinished one.

        `once`: as for `handle`."""

        async def opened() -> list[Reply]:
            return self._open(identity, naam, gemeente, plan_id, new).replies

        async with self._locks.setdefault(identity, asyncio.Lock()):
            return await _off_loop(self._once(once, opened()))

    async def _once(
        self, once: tuple[str, str] | None, work: Coroutine[Any, Any, list[Reply]]
    ) -> list[Reply]:
        """The turn, unless the platform sent this update before: then nothing. Recorded on the
        turn's own thread: a thread hop of its own cost more than recording it."""
        if once is not None and not self.store.first_delivery(*once):
            work.close()
            log.info("%s update %s came again; handled before", *once)
            return []
        return await work

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
        # back after handing a plan in: that plan, with where it stands and what comes next
        # ('nieuw' among it); a new, empty interview read as if the plan was gone
        handed_in = (
            self.store.plan(person.active_plan_id)
            if record is None and not new and plan_id is None and person.active_plan_id
            else None
        )
        if handed_in is not None and self.store.may_edit(handed_in, identity):
            record = handed_in
        else:
            handed_in = None
        if record is None:
            # made the person's active plan with its first state, in one transaction
            record = self._create(identity, gemeente, activate=True)
            turn = self._turn(identity, person.lang, record, record.state)
        else:
            self.store.update_person(identity, active_plan_id=record.id)
            turn = self._turn(identity, person.lang, record)
        if handed_in is not None:
            turn.say(
                "welcome_handed_in",
                titel=handed_in.data.get("titel") or t("untitled", turn.lang),
                status=t(f"status_names.{handed_in.status}", turn.lang),
            )
        elif greeting == "welcome":
            turn.say("welcome", naam=f" {naam}" if naam else "")
        else:
            turn.say("resume", titel=record.data.get("titel") or t("untitled", turn.lang))
        if turn.state.get("mode") == "complete" and turn.conversation is None:
            self._done_after(turn)  # the interview is done: what can come next
        self._prompt(turn)
        self._save(turn)
        return turn

    def documents_written(self, identity: str) -> bool:
        """Whether the person's active plan has its documents (its interview is complete)."""
        person = self.store.person(identity)
        record = self.store.plan(person.active_plan_id) if person.active_plan_id else None
        return record is not None and record.status not in lifecycle.DRAFTING

    async def handle(
        self,
        identity: str,
        text: str,
        *,
        naam: str | None = None,
        upload: Upload | None = None,
        once: tuple[str, str] | None = None,
    ) -> list[Reply]:
        """One message from a person, with the file they sent if any; returns what to send back.

        One person's messages are handled one at a time, in order. `once`: the platform's
        (channel, update key); an update it sent again gets no replies."""
        text = incoming.clean(text)
        async with self._locks.setdefault(identity, asyncio.Lock()):
            file = await incoming.fetch(upload) if upload is not None else None
            return await _off_loop(self._once(once, self._handle(identity, text, naam, file)))

    async def _handle(
        self, identity: str, text: str, naam: str | None, file: bytes | str | None
    ) -> list[Reply]:
        visit = self.store.visit(identity)  # the one read of this turn
        if file is None:
            # a feature may answer first: a participant is not interviewed, and nothing is kept
            # about them before they agree
            for _, handler in self.registry.handlers:
                answered = handler(self, visit, text, naam)
                if inspect.isawaitable(answered):
                    answered = await answered
                if answered is not None:
                    return answered
        command = self.parse_command(text) if file is None else None
        said = False
        if command is None and file is None and visit.writes_plans:
            # mid-interview, a command said the way people say it: 'ga terug', 'sla maar over'
            word = understanding.command_meant(text)
            command = self.parse_command(word) if word else None
            said = command is not None
        spec = self.registry.commands[command[0]] if command else None
        if spec and spec.before_plan is not None:
            return spec.before_plan(self, identity, naam, command[1])
        if not visit.writes_plans:
            # first contact: greet and ask; a first message that is a command is carried
            # out too (one that hands a plan in waits for a plan), anything else is not yet
            # an answer
            turn = self._open(identity, naam)
            if command and spec and spec.name != "start" and not spec.is_async:
                turn.prompted = False
                self._command(turn, *command)
                self._save(turn)
            return turn.replies
        person = visit.person
        if person is None or (naam and not person.naam):
            person = self.store.person(identity, naam)
        record, state = visit.record, visit.state
        if record is None or not visit.may_edit:
            record = self._unfinished(identity, None) or self._create(identity, None)
            self.store.update_person(identity, active_plan_id=record.id)
            state = None
        turn = self._turn(identity, person.lang, record, state)
        # lifecycle: the advisor's questions come first; this message answers none
        if turn.state.get("review_notice"):
            self._prompt(turn)
            self._save(turn)
            return turn.replies
        try:
            if spec and spec.in_turn is None:
                command = None  # a word no handler answered above: here it is an answer
            if said and understanding.ends_list(text) and self._at_list(turn):
                command = None  # 'stop' at a list ends the list, as 'klaar' does
            if file is not None:
                self._file(turn, file)
            elif command and spec and not self._is_list_answer(turn, text):
                if spec.is_async:  # e.g. handing the plan in: renders, freezes and mails
                    return await spec.in_turn(self, turn, command[1])  # type: ignore[misc]
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

    # ------------------------------------------------------------------ for features
    def turn_on(self, identity: str, record: PlanRecord, lang: str = "nl") -> Turn:
        """A turn on `record` for `identity`, as a message of theirs would start it."""
        return self._turn(identity, lang, record)

    def next_question(self, turn: Turn) -> None:
        """Add what the person answers now to the turn's replies (unless it is there already)."""
        self._prompt(turn)

    def save(self, turn: Turn) -> None:
        self._save(turn)

    # ------------------------------------------------------------------ plans
    def _unfinished(self, identity: str, preferred: str | None) -> PlanRecord | None:
        # lifecycle: a plan the advisor sent back is unfinished again; a complete plan is
        # unfinished until it is handed in (its next step is 'indienen')
        plans = [p for p in self.store.plans(owner=identity) if p.status in lifecycle.UNFINISHED]
        for p in plans:
            if p.id == preferred:
                return p
        return plans[-1] if plans else None

    def _create(self, identity: str, gemeente: str | None, activate: bool = False) -> PlanRecord:
        """A new plan of `identity` with their interview state on it; `activate`: their active
        plan from now on."""
        data: dict[str, Any] = {}
        if gemeente:
            data["gemeente"] = gemeente
        state = {"done": ["gemeente"] if gemeente else [], "lang": None}
        record = self.store.create_plan(identity, gemeente, data, state=state, activate=activate)
        record.state = state
        return record

    def _turn(
        self, identity: str, lang: str, record: PlanRecord, state: dict[str, Any] | None = None
    ) -> Turn:
        """The turn on `record`; `state` is the person's interview state on it when it was read
        already (Store.visit)."""
        if state is None:
            state = self.store.state(identity, record.id)
        state = state or {"done": []}
        if record.owner != identity:
            # a co-author: what the owner already answered (or skipped) is not asked again
            owner = self.store.state(record.owner, record.id)
            for name in ("done", "skipped", "prefilled", "seen"):
                mine = state.setdefault(name, [])
                mine += [k for k in owner.get(name, []) if k not in mine]
        profile = profile_for(record.data, self.settings.profiles_dir)
        walk = state.get("walk")
        if walk:  # a second conversation about this plan is under way
            conv = load_conversation(walk["conversation"])
            data = dict(record.data.get(conv.store_under or walk["conversation"]) or {})
            return Turn(
                identity, lang or "nl", record, data, walk["state"], profile, conversation=conv,
                outer=state,
            )  # fmt: skip
        turn = Turn(identity, lang or "nl", record, dict(record.data), state, profile)
        for hook in self.registry.turn_hooks:  # e.g. reopen what the advisor sent back
            hook(self, turn)
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
        if turn.record.status not in lifecycle.INTERVIEW:
            status = None
        self.store.save(turn.identity, turn.record.id, turn.data, turn.state, status=status)

    # ------------------------------------------------------------------ walks
    def walk(self, identity: str, record: PlanRecord, name: str) -> list[Reply]:
        """Start the conversation `name` (conversations/<name>.yaml) about an existing plan;
        its answers are kept under the conversation's `store_under` key of the plan's data.
        A walk already under way goes on where it was. When it is confirmed, its `finish` hook
        acts and the person is back where they were."""
        conv = load_conversation(name)
        self.check(conv)
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
