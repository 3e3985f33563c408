"""The engine's own chat commands: help, back, skip, edit, status, plans, restart."""

from __future__ import annotations

from bot.engine.conversation import Question
from bot.engine.display import NVT, OPEN, answer_shown, display_value, short, with_remark
from bot.engine.registry import CODE_ARGUMENT, Command, Registry
from bot.engine.registry import parse_command as parse_command_in
from bot.engine.texts import t
from bot.engine.turn import Turn
from bot.engine.types import Choice, Reply
from bot.storage import PlanRecord
from handreiking import parsing, understanding


class CommandsMixin:
    """Part of Engine (bot/engine/engine.py)."""

    # ------------------------------------------------------------------ commands
    def _command(self, turn: Turn, cmd: str, arg: str) -> None:
        command = self.registry.commands[cmd]
        if not command.keeps_ask:
            turn.state.pop("ask", None)  # moving on drops a 'Bedoel je ...?'
        if command.in_turn is not None:
            command.in_turn(self, turn, arg)
        self._prompt(turn)

    def _summary(self, turn: Turn, arg: str = "") -> None:
        turn.replies.append(self._summary_reply(turn))

    def _pause(self, turn: Turn, arg: str = "") -> None:
        said = t("paused", turn.lang)
        if turn.state.get("mode") == "complete":
            # no question waits: 'we continue at this question' pointed at nothing
            said = f"{t('paused_done', turn.lang)}\n{t(self._done_after_key(turn), turn.lang)}"
        turn.replies.append(Reply(said, kind="pause"))
        turn.prompted = True  # the next question waits until the person comes back

    def _restart(self, turn: Turn, arg: str = "") -> None:
        turn.state["mode_before"] = turn.state.get("mode")
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

    def _new(self, turn: Turn, arg: str = "") -> None:
        self._switch(turn, self._create(turn.identity, turn.data.get("gemeente")), new=True)

    def _language(self, turn: Turn, arg: str = "") -> None:
        lang = arg.lower()[:2]
        if lang not in ("nl", "en"):
            turn.say("language_unknown", kind="error")
        else:
            turn.lang = lang
            self.store.update_person(turn.identity, lang=lang)
            turn.say("language_set")

    def _help(self, turn: Turn, arg: str = "") -> None:
        q = self._current(turn)
        if q is None:
            turn.say("help_general")
            if turn.state.get("mode") == "complete":
                turn.say("help_after")  # the words that only work once the plan is written
            return
        fq = self._item_field(turn, q) if q.type == "repeat" else None
        source = q if not fq or not fq.help else fq
        item = (turn.state.get("item") or {}).get("data") if source is fq else None
        text = self._text(turn, source, "help", self._scope(turn, item))
        bron = source.source(turn.lang) or q.source(turn.lang) or "-"
        turn.replies.append(Reply(t("help", turn.lang, help=text, bron=bron), kind="help"))
        turn.say("help_general")

    def _back(self, turn: Turn, arg: str = "") -> None:
        mode = turn.state.get("mode")
        if mode in ("edit", "plans", "restart", "confirm", "item_edit"):
            turn.state["mode"] = None
            turn.state.pop("confirm", None)
            turn.state.pop("item_edit", None)
            return
        item = turn.state.get("item")
        if item:
            if len(item["done"]) > 1:
                key = item["done"].pop()
                # the field asked again shows what was answered, as 'terug' does elsewhere
                turn.state.setdefault("item_was", {})[key] = item["data"].get(key)
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

    def _skip(self, turn: Turn, arg: str = "") -> None:
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

    def _status(self, turn: Turn, arg: str = "") -> None:
        n, total = self._progress(turn)
        # in a second conversation about the plan (the closing) the title is the plan's own
        titel = turn.data.get("titel") or turn.record.titel or t("untitled", turn.lang)
        lines = [t("status", turn.lang, titel=titel, n=n, total=total)]
        still_open = self._still_open(turn)
        if still_open:
            lines.append(t("status_unknown", turn.lang, n=len(still_open)))
            lines += [f"- {short(text, 80)}" for text in still_open]
        open_findings = [f for f in self._findings(turn) if not f.afwijking]
        if open_findings:
            lines.append(t("status_findings", turn.lang, n=len(open_findings)))
            lines += [f"- {f.tekst_in(turn.lang)}" for f in open_findings]
        else:
            lines.append(t("status_no_findings", turn.lang))
        turn.replies.append(Reply("\n".join(lines), kind="status"))

    def _shown(self, turn: Turn, q: Question) -> str:
        """An answer as the summary and the edit menu list it; 'nog te bepalen' when open."""
        value = turn.data.get(q.key)
        if value is None and q.key in {*turn.list("nvt"), *turn.list("unknown")}:
            lists = {**turn.data, NVT: turn.list("nvt"), OPEN: turn.list("unknown")}
            return answer_shown(q, lists, turn.profile, turn.lang)
        if q.accepts_file and isinstance(value, str) and value.count("\n") > 1:
            # an export of hundreds of reactions (with the names of those who gave them)
            return t("file_answer", turn.lang, n=len(value.strip().splitlines()))
        return with_remark(q, display_value(q, value, turn.profile, turn.lang), turn.data)

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
                    nvt = f.key in item.get("nvt", [])
                    if f.unknown_ok and item.get(f.key) is None and not nvt and f.applies(scope):
                        found.append(f"{nr}. {self._prompt_text(turn, f, scope)}")
        return found

    def _edit(self, turn: Turn, arg: str = "") -> None:
        keys = self._editable(turn)
        if not keys:
            turn.say("edit_nothing")
            self._prompt(turn)
            return
        turn.state["mode"] = "edit"
        if arg:
            self._edit_answer(turn, arg)
            return
        lines = [t("edit_choose", turn.lang)]
        for i, q in enumerate(keys, 1):
            value = self._shown(turn, q)
            lines.append(f"{i}. {self._prompt_text(turn, q)} → {short(value)}")
        turn.replies.append(Reply("\n".join(lines), kind="question", input="number"))

    def _editable(self, turn: Turn) -> list[Question]:
        done = set(turn.list("done"))
        return [q for q in self._applicable(turn) if q.key in done]

    def _plans(self, turn: Turn, arg: str = "") -> None:
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

    def _restart_answer(self, turn: Turn, text: str) -> None:
        try:
            yes = parsing.parse_yesno(text)
        except parsing.ParseError as e:
            turn.replies.append(Reply(e.message(turn.lang), kind="error"))
            turn.state["mode"] = "restart"
            self._restart(turn)
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
        if q is None and understanding.never_mind(text):  # 'laat maar, het klopt'
            turn.state["mode"] = None
            turn.say("edit_left")  # the summary or the question follows
            return
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


def _start(engine: CommandsMixin, turn: Turn, arg: str) -> None:
    """'start' opens or resumes the interview: the next question is all it needs."""


# The engine's own commands; features add theirs through the registry (bot/engine/registry.py).
CORE = (
    Command("help", ("hulp", "help"), in_turn=CommandsMixin._help, keeps_ask=True),
    Command("back", ("terug", "back"), in_turn=CommandsMixin._back),
    Command("skip", ("overslaan", "skip"), in_turn=CommandsMixin._skip),
    # 'wijzig 3': number 3 of the menu at once
    Command(
        "edit",
        ("wijzig", "edit"),
        takes_argument=True,
        argument=r"[0-9]{1,3}",
        in_turn=CommandsMixin._edit,
    ),
    Command("status", ("status",), in_turn=CommandsMixin._status, keeps_ask=True),
    Command("summary", ("samenvatting", "summary"), in_turn=CommandsMixin._summary, keeps_ask=True),
    Command("pause", ("pauze", "pause"), in_turn=CommandsMixin._pause, keeps_ask=True),
    Command("restart", ("opnieuw", "restart"), in_turn=CommandsMixin._restart),
    Command("plans", ("plannen", "plans"), in_turn=CommandsMixin._plans),
    Command("new", ("nieuw", "new"), in_turn=CommandsMixin._new),
    Command(
        "language",
        ("taal", "language"),
        takes_argument=True,
        in_turn=CommandsMixin._language,
        keeps_ask=True,
    ),
    Command("start", ("start",), takes_argument=True, argument=CODE_ARGUMENT, in_turn=_start),
)


_CORE_WORDS = Registry(*CORE).words


def parse_command(text: str) -> tuple[str, str] | None:
    """The engine's own commands only; an engine with features parses with its registry."""
    return parse_command_in(text, _CORE_WORDS)
