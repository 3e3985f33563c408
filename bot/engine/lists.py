"""Questions that are lists (activiteiten, belanghebbenden): items field by field, edits."""

from __future__ import annotations

import re
from typing import Any

from bot.engine.conversation import Question, render_text
from bot.engine.display import display_value, field_label, item_label, option_value, short
from bot.engine.reading import ANDERS
from bot.engine.texts import t
from bot.engine.turn import Turn
from bot.engine.types import Choice, Reply
from handreiking import parsing, understanding
from handreiking.understanding import Outcome

# 'verwijder 2' and, in English, 'remove 2' or 'delete 2' take item 2 off a list
_REMOVE = r"(?:verwijder|remove|delete)"


class ListsMixin:
    """Part of Engine (bot/engine/engine.py)."""

    # ------------------------------------------------------------------ lists
    def _list_answer(self, turn: Turn, q: Question, text: str) -> None:
        item = turn.state.get("item")
        stripped = text.strip()
        if item and (m := re.fullmatch(rf"{_REMOVE}(?:\s+(?:nr\.?\s*)?(\d+))?", stripped, re.I)):
            # 'verwijder 9' while group 9's role is asked: a wrong one goes at once, not after
            # all its questions have been answered
            self._remove_while_asking(turn, q, item, int(m.group(1)) if m.group(1) else None)
            return
        if item:
            self._field_answer(turn, q, text)
            return
        items = list(turn.data.get(q.key) or [])
        if re.fullmatch(rf"klaar|(?:wijzig|edit|{_REMOVE})\s+\d+", stripped, re.I):
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
        m = re.fullmatch(rf"{_REMOVE}\s+(\d+)", stripped, re.I)
        if m:
            n = int(m.group(1))
            if 1 <= n <= len(items):
                removed = items.pop(n - 1)
                turn.data[q.key] = items
                turn.say("list_removed", value=item_label(removed, turn.lang, turn.profile))
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
        # 'zie boven: winkeliers, bewoners': the names after it
        named = understanding.after_see_above(text) if first.type == "text" else text
        lines = parsing.split_items(named, names=q.names) if first.type == "text" else [text]
        if first.type == "text":  # a suggested group typed by its English label: its value
            lines = [option_value(q.key, line, turn.lang) for line in lines]
        if q.names:
            lines = self._new_items(turn, items, first.key, lines)
        if outcome is None or not lines:
            self._prompt(turn)
            return
        if first.type == "text":
            value = lines[0]
        data = {first.key: value}
        described = any(f.key == "omschrijving" for f in q.item)
        other = value == ANDERS and not understanding.only_other(text)
        if described and first.type == "choice" and (_says_more(text, value) or other):
            # 'schouw in het park met omwonenden, zaterdagochtend': the kind is read from it, the
            # words are proposed as its description (a question with `default` takes them)
            words, day = self._typed_day(turn, " ".join(text.split()))
            # 'en nog een nieuwsbrief via de clubsite': what it is, without how it was added
            data["voorstel_omschrijving"] = _ADDED.sub("", words) or words
            if day:
                data["voorstel_datum"] = day
        turn.state["item"] = {"data": data, "done": [first.key], "queue": lines[1:]}
        if len(lines) > 1:
            # 'per groep de rest' only where there is more to ask about each
            key = "list_queued" if len(q.item) > 1 else "list_noted"
            if key == "list_queued":  # numbered as in the list, for 'verwijder 9'
                lines_shown = [f"{nr}. {line}" for nr, line in enumerate(lines, len(items) + 1)]
            else:
                lines_shown = lines
            turn.say(key, n=len(lines), names=", ".join(lines_shown))
        self._item_progress(turn, q)

    def _remove_while_asking(
        self, turn: Turn, q: Question, item: dict[str, Any], nr: int | None
    ) -> None:
        """'verwijder' (the item being asked about) or 'verwijder N' while an item's fields are
        asked: the list counts on through the item asked about and those queued after it."""
        items = list(turn.data.get(q.key) or [])
        queue = list(item.get("queue") or [])
        editing = item.get("index")
        current = editing + 1 if editing is not None else len(items) + 1
        last = len(items) if editing is not None else current + len(queue)
        nr = current if nr is None else nr
        if not 1 <= nr <= last:
            turn.replies.append(Reply(t("list_bad_number", turn.lang, n=last), kind="error"))
            self._prompt(turn)
            return
        if nr == current:
            removed = item["data"]
            if editing is not None:
                items.pop(editing)
            turn.state["item"] = None
            turn.state.pop("item_was", None)
            self._next_queued(turn, q, items, queue)
        elif nr < current:
            removed = items.pop(nr - 1)
            if editing is not None and nr - 1 < editing:
                item["index"] = editing - 1
            turn.data[q.key] = items
        else:
            queued = queue.pop(nr - current - 1)
            removed = queued if isinstance(queued, dict) else {q.item[0].key: queued}
            item["queue"] = queue
        turn.say("list_removed", value=item_label(removed, turn.lang, turn.profile))
        self._prompt(turn)

    def _new_items(
        self, turn: Turn, items: list[dict[str, Any]], key: str, lines: list[str]
    ) -> list[str]:
        """The named items not in the list yet; one named again is said, not added twice."""
        known = {_same(str(i.get(key) or "")): nr for nr, i in enumerate(items, 1)}
        fresh: list[str] = []
        for line in lines:
            nr = known.get(_same(line))
            if nr is not None:
                turn.say(
                    "list_already",
                    value=f"{nr}. {item_label(items[nr - 1], turn.lang, turn.profile)}",
                )
            elif _same(line) not in {_same(f) for f in fresh}:
                fresh.append(line)
        return fresh

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
        lines = [
            t(
                "item_edit_choose",
                turn.lang,
                item=f"{nr}. {item_label(item, turn.lang, turn.profile)}",
            )
        ]
        for i, f in enumerate(fields, 1):
            value = display_value(f, item.get(f.key), turn.profile, turn.lang)
            prompt = self._prompt_text(turn, f, self._scope(turn, item))
            lines.append(f"{i}. {prompt} → {short(value, 80)}")
        choices = [Choice(field_label(f.key, turn.lang), str(i)) for i, f in enumerate(fields, 1)]
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
        if not choice.isdecimal() and understanding.never_mind(text):  # 'laat maar'
            turn.state["mode"] = None
            turn.state.pop("item_edit", None)
            turn.say("edit_left")
            self._prompt(turn)
            return
        # a field by its number or by the name on its button ('periode'), as typed in a
        # terminal or the web chat where the buttons are words
        options = [(str(i), field_label(f.key, turn.lang)) for i, f in enumerate(fields, 1)]
        try:
            chosen = fields[int(parsing.match_choice(text, options)) - 1]
        except parsing.ParseError:
            turn.replies.append(Reply(t("list_bad_field", turn.lang, n=len(fields)), kind="error"))
            self._item_edit(turn, q, index + 1)
            return
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
        said_nvt = False
        if (f.optional or f.unknown_ok) and self._is_list_answer(turn, text):
            # 'klaar' at a field that may be left out: this one is done, so is the field
            outcome, value = Outcome.not_applicable, None
            turn.say("skipped")
        else:
            outcome, value = self._read(turn, f, text, item["data"], [q.key, f.key])
            said_nvt = outcome is Outcome.not_applicable
        if f.type in ("date", "period") and (place := _place_beside(text)):
            # 'liever een donderdag half januari, in de kantine': the place, proposed at its
            # own question (also while a 'Bedoel je …?' about the day waits)
            item["data"]["voorstel_plaats"] = place
        if outcome is None:
            self._prompt(turn)
            return
        item["data"][f.key] = value
        # the item keeps which of its fields do not apply, as the state's 'nvt' marks do for a
        # question: status leaves them out and the documents give them no deadline
        nvt = [k for k in item["data"].pop("nvt", []) if k != f.key] + [f.key] * said_nvt
        if nvt:
            item["data"]["nvt"] = nvt
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
        turn.state["item"] = None
        turn.state.pop("item_was", None)
        self._next_queued(turn, q, items, item.get("queue") or [])
        self._prompt(turn)

    def _next_queued(
        self, turn: Turn, q: Question, items: list[dict[str, Any]], queue: list[Any]
    ) -> None:
        """The next queued item becomes the one asked about; queued items with nothing left to
        ask (a pasted list of reactions) are stored as they are."""
        while queue:
            # a queued item is the first field's answer, or (queue_from) the fields known
            data = queue[0] if isinstance(queue[0], dict) else {q.item[0].key: queue[0]}
            turn.state["item"] = {"data": data, "done": list(data), "queue": queue[1:]}
            if self._item_field(turn, q) is not None:
                break
            # nothing left to ask about it (a pasted list of reactions): it is complete
            items.append(data)
            queue = queue[1:]
            turn.state["item"] = None
        turn.data[q.key] = items

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

        items = list(turn.data.get(q.key) or [])
        added = []
        for spec in q.prefill:
            entry = {k: render_text(v, scope).strip() for k, v in spec.items()}
            if entry.get("naam") and entry["naam"] != "None":
                items.append(entry)
                added.append(item_label(entry, turn.lang, turn.profile))
        if added:
            turn.data[q.key] = items
            turn.say("prefilled", value=", ".join(added))


def _same(name: str) -> str:
    """A name as compared with the names in the list: 'Omwonenden.' is 'omwonenden'."""
    return " ".join(re.sub(r"[^\w&]+", " ", name.casefold()).split())


# the words that add one more to a list: 'en nog een', 'daarnaast ook', 'and also a'
_ADDED = re.compile(
    r"^(?:(?:en|nog|ook|plus|daarnaast|verder|and|also)\s+)+(?:(?:een|an|a)\s+)?", re.I
)


# a place said beside a time: 'in de kantine', 'bij de school', 'op het grasveld zelf'
_PLACE = re.compile(
    r"(?:^|,\s*)(?:in|bij|op|at)\s+(?P<place>(?:de|het|'t|the)\s+[^\W\d][^,\d]*?)\s*$", re.I
)


def _place_beside(text: str) -> str:
    """The place in the last part of an answer about a time, or ''; a part that names a time
    ('in de kerstvakantie', 'op de dag zelf') is none."""
    m = _PLACE.search(" ".join(text.split()))
    if m is None or "," not in text:
        return ""
    place = re.sub(r"\s+zelf$", "", m["place"])  # 'op het grasveld zelf'
    words = set(place.casefold().split())
    times = set(parsing.month_names()) | set(parsing.weekday_numbers()) | _TIME_PARTS
    if words & times or any(w.endswith(_TIME_ENDS) for w in words):
        return ""
    return place


_TIME_PARTS = frozenset("ochtend middag avond begin eind helft maand jaar zomer winter".split())
_TIME_ENDS = ("vakantie", "week", "weken", "dag", "dagen")


def _says_more(text: str, value: Any) -> bool:
    """Whether a typed answer holds more than the option it chose: three words or more that are
    not just the option itself ('een inloopavond' does not, 'inloopavond met schetsen' does)."""
    words = text.split()
    return len(words) >= 3 and " ".join(words).casefold() != str(value).casefold()
