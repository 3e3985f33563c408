"""The handreiking's findings while the person answers: tips, rules, 'afwijken, omdat'."""

from __future__ import annotations

import re

from pydantic import BaseModel, ValidationError

from bot.engine.texts import t
from bot.engine.turn import Turn
from bot.engine.types import Reply
from handreiking import openbaar, parsing, rules
from handreiking.models import (
    Activiteit,
    Belanghebbende,
    Plan,
)

ITEM_MODELS: dict[str, type[BaseModel]] = {
    "activiteiten": Activiteit,
    "belanghebbenden": Belanghebbende,
}
# 'omdat', and the other words that give a reason: 'afwijken want ...', 'afwijken, aangezien ...'
_REASON_WORDS = r"(?:omdat|want|aangezien|vanwege|doordat|because|since)"
# in English 'keep, because ...' ('keep it as it is since ...'); 'keep the old benches' at a
# rule's question is a new answer, so 'keep' needs a comma, a reason word or nothing after it
_KEEP = r"keep(?:\s+it)?(?:\s+as\s+it\s+is)?(?=\s*(?:[,:;-]|because\b|since\b|$))"
AFWIJKEN = re.compile(rf"^\s*(?:afwijken\b|{_KEEP})[\s,:;-]*(?P<reden>.*)$", re.I | re.S)
BECAUSE = re.compile(rf"^{_REASON_WORDS}\b\s*", re.I)
# outside a rule's question only the full form keeps a tip: 'afwijken van de planning is ...'
# typed at an open question stays an answer
KEEP_TIP = re.compile(rf"^\s*(?:afwijken\s*(?:[,:;]|{_REASON_WORDS}\b)|{_KEEP})", re.I)


class FindingsMixin:
    """Part of Engine (bot/engine/engine.py)."""

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
                    t(
                        tmpl,
                        turn.lang,
                        gemeente=turn.profile.naam,
                        tekst=f.tekst_in(turn.lang),
                        bron=f.bron_in(turn.lang),
                    ),
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
            codes = turn.state.get("last_tips", [])
        if not codes:
            turn.say("finding_nothing_open", kind="error")
        elif self._keep_with_reason(turn, text, codes):
            turn.state.pop("last_tips", None)
            if summary:
                turn.state["mode"] = None  # the summary again, with the reason beside it
        # without a reason the tip stays open to the next try

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
