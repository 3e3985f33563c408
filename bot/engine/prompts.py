"""What the engine says next: the question with its choices, part headers, the summary."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from bot.engine.conversation import Question
from bot.engine.display import display_value, item_label, option_label, short, skip_label
from bot.engine.texts import t
from bot.engine.turn import Turn
from bot.engine.types import Choice, Reply
from handreiking import documents, parsing, rules, understanding
from handreiking.models import (
    Plan,
    Stand,
)
from handreiking.profiles import Profile

# what the chat says to the one answering, not to the one reading the summary back
_CHAT_ONLY = (" (mag je overslaan)", " (you may skip)")

# What comes next once the interview is done depends on where the plan stands: 'indienen' only
# before it is handed in.
_DONE_AFTER = {
    "ingediend": "done_after_submitted",
    "akkoord_adviseur": "done_after_submitted",
    "vastgesteld": "done_after_running",
    "in_uitvoering": "done_after_running",
    "afgerond": "done_after_closed",
}


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text.casefold())
    return re.findall(r"[a-z0-9]+", "".join(c for c in text if not unicodedata.combining(c)))


def _names(name: list[str], word: list[str]) -> bool:
    """Whether a name holds the word; a one-word word also counts at the end of a longer one
    ('basisschool' names 'school'), and a longer one as a run of words ('moeilijk bereikbaar')."""
    if len(word) == 1:
        return any(w.endswith(word[0]) for w in name)
    n = len(word)
    return any(name[i : i + n] == word for i in range(len(name) - n + 1))


def _open_suggestions(q: Question, items: list[dict[str, Any]]) -> list[str]:
    """The suggestions of a list question that no item names yet, by the words of
    conversations/synoniemen.yaml: 'scholen' goes once 'basisschool De Linde' is listed."""
    names = [_words(str(it.get("naam", ""))) for it in items]
    out = []
    for option in understanding.options([(s, s) for s in q.suggest], q.key):
        words = [_words(w) for w in (option.value, *option.words)]
        if not any(_names(name, word) for name in names for word in words if word):
            out.append(option.value)
    return out


class PromptsMixin:
    """Part of Engine (bot/engine/engine.py)."""

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
            turn.replies.append(self._summary_reply(turn))
            if turn.conversation is None:
                # while the summary is read, the documents' pictures are drawn
                documents.predraw(self._plan(turn.data), turn.profile)
            own = self._conv(turn).confirm
            turn.replies.append(
                Reply(
                    own.get(turn.lang) or own.get("nl") or t("summary_confirm", turn.lang),
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
            # 'nee' is the answer that declines; its button says what the message asks instead
            # ('een ander ritme'), or a lone '(nee)' is offered where 'nee' was not asked
            other = ask.get("other") or t("no", turn.lang)
            choices = [Choice(t("yes", turn.lang), "ja"), Choice(other, "nee")]
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
                lines.append(t("current_answer", turn.lang, value=short(value)))
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
            if q.type == "multi":
                lines.append(t("multi_hint", turn.lang, numbers=parsing.example_numbers(len(opts))))
            else:
                lines.append(t("options_hint", turn.lang))
        elif q.type == "yesno":
            choices = self._yesno_choices(turn)
            if q.partly:  # 'deels' between them: a button for part of the group
                partly = understanding.phrase("partly", turn.lang)
                choices.insert(1, Choice(partly, understanding.PARTLY))
        elif q.suggest:  # the usual answers as buttons; typing one with a remark still works
            choices = [Choice(option_label(q.option_set(), s, turn.lang), s) for s in q.suggest]
        proposed = q.type in ("date", "number", "money") or q.default
        proposal = self._proposal(turn, q, item) if proposed else None
        if proposal is not None:
            shown = display_value(q, proposal, turn.profile, turn.lang)
            lines.append(t("proposal", turn.lang, value=shown))
            choices.append(Choice(t("yes", turn.lang), "ja"))
        if q.unknown_ok:
            lines.append(t("unknown_hint", turn.lang))
        if q.optional or q.unknown_ok:
            choices.append(Choice(skip_label(turn.lang), "overslaan"))
        return Reply(
            "\n".join(lines),
            kind="question",
            input=q.type,
            choices=choices,
            progress=progress,
            accepts_file=q.accepts_file,
            lang=turn.lang,
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
            if was not in (None, "", []):
                value = display_value(f, was, turn.profile, turn.lang)
                lines.append(t("current_answer", turn.lang, value=short(value)))
            return self._finish_reply(turn, f, lines, item["data"], progress)
        items = turn.data.get(q.key) or []
        lines = [self._prompt_text(turn, q)]
        if items:
            lines.append(t("list_so_far", turn.lang))
            lines += [
                f"{i}. {item_label(it, turn.lang, turn.profile)}" for i, it in enumerate(items, 1)
            ]
            lines.append(t("list_more", turn.lang))
        first = q.item[0]
        choices: list[Choice] = []
        if first.type == "choice":
            opts = self._options(turn, first)
            choices = [Choice(label, str(i)) for i, (_, label) in enumerate(opts, 1)]
        else:
            suggested = _open_suggestions(q, items)
            choices = [Choice(option_label(q.key, s, turn.lang), s) for s in suggested]
        choices.append(Choice(t("klaar", turn.lang), "klaar"))
        return Reply(
            "\n".join(lines),
            kind="question",
            input=f"list:{first.type}",
            choices=choices,
            progress=progress,
            lang=turn.lang,
        )

    def _prompt_text(self, turn: Turn, q: Question, scope: dict[str, Any] | None = None) -> str:
        return self._text(turn, q, "prompt", scope)

    def _text(
        self, turn: Turn, q: Question, field: str, scope: dict[str, Any] | None = None
    ) -> str:
        """A question's prompt, label or help. In English an answer it names reads as that
        option does ('For the level consult at the scale of a street', not 'raadplegen' and
        'straat'); the stored value stays Dutch."""
        scope = scope or self._scope(turn)
        if turn.lang != "nl":
            sets = {c.key: c.option_set() for c in self._conv(turn).questions if c.type == "choice"}
            shown = {
                key: option_label(option_set, value, turn.lang)
                for key, option_set in sets.items()
                if isinstance(value := scope.get(key), str)
            }
            scope = {**scope, **shown}
        return q.text(field, turn.lang, scope)

    def _yesno_choices(self, turn: Turn) -> list[Choice]:
        return [Choice(t("yes", turn.lang), "ja"), Choice(t("no", turn.lang), "nee")]

    # ------------------------------------------------------------------ summary and documents
    def _summary_reply(self, turn: Turn) -> Reply:
        """Every answer given, part by part, and the findings: as text, and as parts."""
        titel = turn.data.get("titel") or turn.record.titel or t("untitled", turn.lang)
        lines = [t("summary_title", turn.lang, titel=titel)]
        sections: list[tuple[str, list[tuple[str, str]]]] = []
        done = set(turn.list("done"))
        section = None
        applicable = self._applicable(turn)
        # the gemeente already shows its typed name ('Zwolle'): its own line under a
        # question that was never asked only repeats it
        folded = {
            q.other
            for q in applicable
            if q.other and q.key in done and self._shown(turn, q) == turn.data.get(q.other)
        }
        for q in applicable:
            if q.key not in done or q.key in folded:
                continue
            if q.section != section:
                section = q.section
                name = self._conv(turn).sections.get(section or "", {})
                heading = name.get(turn.lang) or name.get("nl") or section or ""
                # a plain heading: '== x ==' showed as typed in the web chat and in Telegram
                lines.append(f"\n{heading}:")
                sections.append((heading, []))
            label, value = self._summary_label(turn, q), self._shown(turn, q)
            sep = "\n" if q.type == "repeat" else "\n  "
            lines.append(f"• {label}{sep}{value}")
            sections[-1][1].append((label, value))
        if not sections:
            lines.append(t("summary_none", turn.lang))
        findings = self._findings(turn)
        if findings:
            heading = t("summary_findings", turn.lang)
            lines.append(f"\n{heading}")
            sections.append((heading.rstrip(":"), []))
            for f in findings:
                mark = "⚠️" if f.soort == rules.Soort.beleidsregel else "💡"
                status = (
                    t("afwijking", turn.lang, reden=f.afwijking)
                    if f.afwijking
                    else t("open", turn.lang)
                )
                lines.append(f"{mark} {f.tekst_in(turn.lang)} ({status})")
                sections[-1][1].append(("", lines[-1]))
        return Reply("\n".join(lines), kind="summary", sections=sections)

    def _summary_label(self, turn: Turn, q: Question) -> str:
        """The question as the summary names it: its short label where it has one, and
        without what only the one answering needs ('(mag je overslaan)')."""
        label = self._text(turn, q, "label" if q.label else "prompt")
        for said in _CHAT_ONLY:
            label = label.replace(said, "")
        return label

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
        self._done_after(turn)

    def _done_after(self, turn: Turn) -> None:
        """What the owner can do now that the interview is done."""
        turn.say(self._done_after_key(turn))

    def _done_after_key(self, turn: Turn) -> str:
        return _DONE_AFTER.get(str(turn.record.status or ""), "done_after")

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
