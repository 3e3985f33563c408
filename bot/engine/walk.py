"""Walking the interview: which questions apply, which one is next, storing an answer."""

from __future__ import annotations

import marshal
import re
from typing import Any

from bot.engine import incoming
from bot.engine.conversation import Conversation, Question, expression
from bot.engine.display import with_soort
from bot.engine.findings import AFWIJKEN, KEEP_TIP
from bot.engine.texts import t
from bot.engine.turn import Turn
from bot.engine.types import Reply
from handreiking import parsing, understanding
from handreiking.models import (
    Plan,
)

MAX_ANSWER = 200_000
# lifecycle: words that keep a reopened answer as it was
KEEP_WORDS = {"houden", "keep"}


# 'wijzig 2', 'verwijder 2' (and in English) at a list: its item 2
_LIST_ITEM = re.compile(r"(?:wijzig|edit|verwijder|remove|delete)\s+\d+")


def _fingerprint(data: dict[str, Any]) -> bytes | str:
    """The answers as bytes that change when they do: asked several times a turn, so marshal (in
    C, a third of repr's time), without shared references (version 2), whose bytes could differ
    for the same answers. The same answers in another order only cost a recomputation."""
    try:
        return marshal.dumps(data, 2)
    except ValueError:  # a value marshal does not know (JSON holds none): repr still tells
        return repr(data)


class WalkMixin:
    """Part of Engine (bot/engine/engine.py)."""

    def _conv(self, turn: Turn) -> Conversation:
        return turn.conversation or self.conversation

    def _by_key(self, turn: Turn, key: str) -> Question:
        """A question by key, also the copies of a `foreach` question ('uitvoering.2')."""
        for q in self._applicable(turn):
            if q.key == key:
                return q
        return self._conv(turn).by_key(key)

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
        key = _fingerprint(turn.data)
        if turn.cache.get("key") != key and turn.conversation is not None:
            turn.cache = {"key": key, "scope": self._walk_scope(turn)}
        elif turn.cache.get("key") != key:
            plan = self._plan(turn.data)
            base = plan.model_dump(mode="json")
            base.update(complex=plan.complex, profile=turn.profile)
            turn.cache = {"key": key, "scope": base}
        return {**turn.cache["scope"], "item": with_soort(item or {}, turn.lang, turn.profile)}

    def _applicable(self, turn: Turn) -> list[Question]:
        scope = self._scope(turn)
        if turn.cache.get("applicable") is None:
            applicable: list[Question] = []
            questions = [
                q for q in self._conv(turn).questions if q.key not in turn.profile.vragen_uit
            ]
            applies = self._conv(turn).conditions(scope)
            i = 0
            while i < len(questions):
                q = questions[i]
                if not q.foreach:
                    applicable += [q] if applies.get(q.key, True) else []
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

    def _at_list(self, turn: Turn) -> bool:
        """Whether the question now is a list (outside an item being filled in)."""
        q = self._current(turn)
        return q is not None and q.type == "repeat" and not turn.state.get("item")

    def _is_list_answer(self, turn: Turn, text: str) -> bool:
        """'klaar' ends a list, 'wijzig 2' at a list changes its item 2: answers, never
        commands ('wijzig 2' elsewhere is number 2 of the wijzig menu)."""
        said = text.strip().lower()
        if said == "klaar":
            return True
        return bool(_LIST_ITEM.fullmatch(said)) and (
            self._at_list(turn) or bool(turn.state.get("item"))
        )

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
            self._done_after(turn)
        elif mode == "confirm" and AFWIJKEN.match(text):
            self._afwijken(turn, text)
        elif KEEP_TIP.match(text) and turn.state.get("last_tips"):
            self._afwijken_tip(turn, text)
        else:
            confirm = turn.state.get("confirm") if mode == "confirm" else None
            if confirm:
                # a new answer to the same question: its findings may show again
                seen = turn.list("seen")
                for code in confirm["codes"]:
                    if code in seen:
                        seen.remove(code)
                turn.state["mode"] = None
                turn.state.pop("confirm", None)
            before = len(turn.replies)
            if understanding.asks_meaning(text):  # 'geen idee wat dat is': explain, ask again
                self._help(turn)
                self._prompt(turn)
            else:
                self._answer(turn, text)
            if confirm and self._nothing_stored(turn, before):
                self._keep_rule_open(turn, confirm)
            return
        if turn.state.get("mode") not in ("restart", "plans", "edit", "item_edit"):
            self._prompt(turn)

    def _nothing_stored(self, turn: Turn, before: int) -> bool:
        """Whether the replies since `before` refused the answer or only explained the question."""
        new = turn.replies[before:]
        return (
            not turn.state.get("mode")
            and not turn.state.get("ask")
            and any(r.kind in ("error", "help") for r in new)
        )

    def _keep_rule_open(self, turn: Turn, confirm: dict[str, Any]) -> None:
        """The rule shown before a refused answer stays open: 'afwijken, omdat' still keeps it
        (it was read as an answer to the question once something else came in between)."""
        turn.state["mode"] = "confirm"
        turn.state["confirm"] = confirm
        seen = turn.list("seen")
        seen.extend(code for code in confirm["codes"] if code not in seen)
        question = next((r for r in reversed(turn.replies) if r.kind == "question"), None)
        if question is not None:
            question.text = f"{question.text}\n{t('finding_choice', turn.lang)}"

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
        self._keep_remark(turn, q.key)
        self._mark_open(turn, q.key, outcome)
        if q.type == "yesno" and value:
            scope = self._scope(turn)
            for key, expr in q.set_if_yes.items():
                turn.data[key] = expression(expr)(**scope)
        self._complete_question(turn, q)
        if q.comment_to and value is not None and self._comment_answers(turn, q.comment_to, text):
            # 'ja, een bon van 25 euro': the comment is the follow-up's answer, not a remark
            turn.remark = ""
            self._keep_remark(turn, q.key)
        self._check(turn, q.key)  # a rule may keep the same question open (confirm mode)
        self._prompt(turn)

    def _keep_remark(self, turn: Turn, key: str) -> None:
        """The remark typed with the answer ('een beetje, met twee buren' after its yes), kept
        under `opmerkingen` by the question's key; a new answer without one drops the old."""
        remarks = dict(turn.data.get("opmerkingen") or {})
        if turn.remark:
            remarks[key] = turn.remark
        elif remarks.pop(key, None) is None:
            return
        turn.data["opmerkingen"] = remarks

    def _comment_answers(self, turn: Turn, key: str, text: str) -> bool:
        """The comment after a yes/no as the answer to its follow-up question, when that one
        applies now; the follow-up is then not asked (it stays open to 'wijzig'). Whether it
        answered it."""
        comment = parsing.first_clause(" ".join(text.split()))[1]
        if not comment:
            return False
        try:
            follow = self._by_key(turn, key)
        except KeyError:  # a copy of a `foreach` follow-up that does not apply to this answer
            return False
        if not follow.applies(self._scope(turn)):
            return False
        turn.data[key] = comment
        self._complete_question(turn, follow)
        return True

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
