"""Reading an answer: what it means (through the understanding) and how it is stored."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from pydantic import ValidationError

from bot.engine.conversation import Question, expression
from bot.engine.display import NVT, OPEN, display_value, option_label, profile_label
from bot.engine.texts import t
from bot.engine.turn import Turn
from bot.engine.types import Reply
from handreiking import parsing, planning, understanding
from handreiking.models import (
    Aantal,
    Activiteit,
    Bedrag,
    Niveau,
    Periode,
)
from handreiking.profiles import STANDAARD
from handreiking.understanding import Outcome

# what names the other person question: 'zelfde als de contactpersoon'
_PERSON_WORDS = frozenset({"contactpersoon", "contact", "accounthouder", "hem", "haar", "die"})
# the option for what fits none of the others
ANDERS = "anders"


class ReadingMixin:
    """Part of Engine (bot/engine/engine.py)."""

    # ------------------------------------------------------------------ understanding
    def _earlier_in_list(self, turn: Turn, at: list[str | None]) -> Any:
        """The last answer to this field among the items before the one being answered."""
        key, field = at
        items = list(turn.data.get(key or "") or [])
        index = (turn.state.get("item") or {}).get("index")
        earlier = items[:index] if index is not None else items
        given = [it.get(field) for it in earlier if it.get(field) not in (None, "", [])]
        return given[-1] if given else None

    def _field_before(
        self, turn: Turn, q: Question, item: dict[str, Any], at: list[str | None]
    ) -> Any:
        """The answer of the field just before `q` in the same item, where that field asks with
        the same options (influence, then interest: laag, midden, hoog); else None."""
        try:
            fields = self._by_key(turn, at[0] or "").item
        except KeyError:
            return None
        keys = [f.key for f in fields]
        if q.key not in keys or keys.index(q.key) == 0:
            return None
        before = fields[keys.index(q.key) - 1]
        if before.type != q.type or before.options != q.options:
            return None
        return item.get(before.key)

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
        turn.remark = ""
        pending = turn.state.pop("ask", None)
        if pending and pending["at"] == at:
            asked = understanding.Understood(
                Outcome.ask,
                candidates=tuple(understanding.Candidate(v, lab) for v, lab in pending["options"]),
            )
            picked = understanding.resolve(text, asked, lang=turn.lang)
            if picked is not None:
                turn.replies.append(Reply(picked.echo, kind="info"))
                turn.remark = pending.get("remark", "")  # the parties named before the 'ja'
                return Outcome.match, picked.value
            if len(pending["options"]) == 1 and _is_no(text):
                # 'nee, eerder: mei' says no and gives the answer: read the answer
                text = understanding.after_no(text)
                if not text:
                    turn.say("ask_declined", kind="error")
                    return None, None
        if not text.strip():
            turn.replies.append(Reply(_Empty(turn, q).message(turn.lang), kind="error"))
            return None, None
        if q.type == "email" and understanding.says_same(text):
            # 'zelfde' after the contact person's address: the last address given in this plan
            given = [v for v in turn.data.values() if isinstance(v, str) and _is_email(v)]
            if given:
                turn.replies.append(Reply(understanding.phrase("echo", turn.lang, value=given[-1])))
                return Outcome.match, given[-1]
        if q.answer == "person" and (same := self._same_person(turn, q, text)):
            # 'zelfde als de contactpersoon', 'zie boven' at 'Wat is je naam?': the name given
            # at the other question for a person in this plan
            turn.replies.append(Reply(understanding.phrase("echo", turn.lang, value=same)))
            return Outcome.match, same
        if (
            item is not None
            and q.type == "choice"
            and understanding.says_same(text)
            and (just_said := self._field_before(turn, q, item, at)) is not None
        ):
            # 'zelfde' at 'Hoe groot is het belang ...: laag, midden of hoog?' right after
            # 'hoog' at the influence of the same group: that answer, not 'none'
            return self._copy(turn, q, just_said)
        asked = self._asked(turn, q, item, list_of)
        if (
            item is not None
            and q.type == "text"
            and isinstance(asked.proposal, str)
            and (understanding.says_same(text) or _only_see_above(text))
        ):
            # 'zie boven' at 'Omschrijf de nieuwsbrief kort', proposed from what was typed with
            # its kind ('nieuwsbrief aan omwonenden'): those words, not the activity before's
            return self._copy(turn, q, asked.proposal)
        got = understanding.understand(text, asked, today=self.settings.today(), lang=turn.lang)
        new_name = list_of is not None and q.type == "text"  # a new item's name is no copy
        if (
            item is not None
            and not new_name
            and (q.type == "text" or got.outcome is Outcome.refuse)
            and understanding.says_same(text)
            and (before := self._earlier_in_list(turn, at)) is not None
        ):
            # 'idem' at the place of the second activity, or at the role of the second group:
            # what the one before it has (where 'zelfde' means nothing else there)
            return self._copy(turn, q, before)
        if (
            item is not None
            and (q.type == "text" or got.outcome is Outcome.refuse)
            and not new_name
            and (named := understanding.same_as(text)) is not None
            and (copied := self._same_as(turn, q, at, named)) is not None
        ):
            return copied
        if got.outcome is Outcome.refuse and q.other and (name := understanding.place_name(text)):
            # 'Haarlem' at the gemeente: no rules of its own here, its name in the documents
            turn.data[q.other] = name
            turn.list("done").append(q.other)
            turn.say("other_option", naam=name)
            return Outcome.match, STANDAARD
        if (
            got.outcome is Outcome.refuse
            and list_of is not None
            and q.type == "choice"
            and ANDERS in q.option_values()
            and _names_something_else(text)
        ):
            # 'opening met de kinderen' as the kind of an activity: none of the kinds, so
            # 'anders', with the words proposed as its description (bot/engine/lists.py)
            shown = display_value(q, ANDERS, turn.profile, turn.lang)
            turn.replies.append(Reply(understanding.phrase("echo", turn.lang, value=shown)))
            return Outcome.match, ANDERS
        if got.outcome is Outcome.refuse and self._own_reading(q, text):
            # a question whose check reads the answer itself: 'ja' at 'Is dit gedaan?'
            return Outcome.match, text.strip()
        if got.outcome is Outcome.refuse:
            turn.replies.append(Reply(got.message, kind="error"))
            return None, None
        if got.outcome is Outcome.ask:
            options = [[self._stored(q, c.value, item), c.label] for c in got.candidates]
            turn.state["ask"] = {
                "at": at,
                "message": got.message,
                "options": options,
                "other": got.other,
                "remark": got.remark,
            }
            return None, None
        if got.outcome is Outcome.unknown and q.unknown_is is not None:
            shown = display_value(q, q.unknown_is, turn.profile, turn.lang)
            turn.replies.append(Reply(understanding.phrase("echo", turn.lang, value=shown)))
            return Outcome.match, q.unknown_is
        value = None
        if got.outcome in (Outcome.match, Outcome.proposal):
            value = self._stored(q, got.value, item)
        if (
            got.outcome is Outcome.proposal
        ):  # a proposal may be a stored dict: show it as the summary does
            shown = display_value(q, value, turn.profile, turn.lang)
            if isinstance(got.value, date):  # a day with its weekday, as a typed one is
                shown = understanding.day_text(got.value, turn.lang)
            got = replace(got, echo=understanding.phrase("echo", turn.lang, value=shown))
        # 'jazeker' needs no '→ ja'; 'een paar wel' is shown as read: '→ deels', a yes read
        # from a list with it: '→ ja (NS, ProRail, ...)', and 'valt wel mee' as '→ nee'
        quiet = (
            q.type == "yesno"
            and got.outcome is Outcome.match
            and got.value != understanding.PARTLY
            and not got.remark
            and understanding.reads_yesno(text)
        )
        turn.remark = got.remark
        if got.echo and not quiet and not _says(text, got.echo):
            turn.replies.append(Reply(got.echo, kind="info"))
        return got.outcome, value

    def _same_person(self, turn: Turn, q: Question, text: str) -> str | None:
        """The person's name given at another question for a person, where the answer says it
        is the same one ('zelfde', 'zie boven', 'zelfde als de contactpersoon'); None where
        the answer says no such thing, or no other name was given."""
        named = understanding.same_as(text)
        if not (understanding.says_same(text) or _only_see_above(text) or named is not None):
            return None
        given = [
            str(turn.data[other.key])
            for other in self._conv(turn).questions
            if other.answer == "person"
            and other.key != q.key
            and isinstance(turn.data.get(other.key), str)
            and turn.data[other.key].strip()
        ]
        if not given:
            return None
        # 'zelfde als de contactpersoon' names the question; 'zelfde als Sam' must name the one
        words = set(named.casefold().split()) if named else set()
        if named and not (words & _PERSON_WORDS or named.casefold() in given[-1].casefold()):
            return None
        return given[-1]

    def _same_as(
        self, turn: Turn, q: Question, at: list[str | None], named: str
    ) -> tuple[Outcome | None, Any] | None:
        """'zelfde als NS' at the role of ProRail: what the item named (roughly, by its name or
        description) has for this field, as 'idem' takes the one before. (None, None) where
        that is refused with a message (nothing there yet, or several items of that name);
        None where no item has that name: the answer is read as it is."""
        key, field = at
        if not named:
            before = self._earlier_in_list(turn, at)
            return None if before is None else self._copy(turn, q, before)
        first = self._by_key(turn, key or "").item[0].key
        index = (turn.state.get("item") or {}).get("index")
        others = [it for i, it in enumerate(turn.data.get(key or "") or []) if i != index]
        names = [[str(it.get(first) or ""), str(it.get("omschrijving") or "")] for it in others]
        found = understanding.named_among(named, names)
        if not found:
            return None
        if len(found) > 1:
            which = ", ".join(f"'{names[i][0]}'" for i in found)
            turn.say("same_as_which", kind="error", names=which)
            return None, None
        value = others[found[0]].get(field or "")
        if value in (None, "", []):
            turn.say("same_as_empty", kind="error", naam=names[found[0]][0])
            return None, None
        return self._copy(turn, q, value)

    def _copy(self, turn: Turn, q: Question, value: Any) -> tuple[Outcome, Any]:
        """Another item's answer taken over, shown as read."""
        shown = display_value(q, value, turn.profile, turn.lang)
        turn.replies.append(Reply(understanding.phrase("echo", turn.lang, value=shown)))
        return Outcome.match, value

    def _own_reading(self, q: Question, text: str) -> bool:
        """Whether the check of a short-text question takes this answer as it is: the check
        knows the words of its own question better than the general reading of a text."""
        if not q.check or q.type != "text":
            return False
        try:
            self._hook(q.check)(text.strip())
        except ValueError:
            return False
        return True

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
            opts = understanding.gemeente_options(self.profiles(), self._options(turn, q))
        elif q.type in ("choice", "multi"):
            enum = q.options.get("enum") if isinstance(q.options, dict) else None
            opts = understanding.options(self._options(turn, q), enum or q.key, turn.profile)
            if isinstance(q.options, dict) and "soort" in q.options:  # a middel by its kind
                kinds = self._hook(q.options["soort"])(turn.profile, self._plan(turn.data))
                opts = understanding.with_kind_words(opts, kinds, "ActiviteitType", turn.profile)
        proposed = q.type in ("date", "number", "money") or q.default
        proposal = self._proposal(turn, q, item) if proposed else None
        if q.type == "date" and isinstance(proposal, str):
            proposal = date.fromisoformat(proposal)
        # in a list, 'weet ik nog niet' ends it (an empty required list is refused there)
        unknown_ok = q.unknown_ok or q.optional or list_of is not None or q.unknown_is is not None
        return understanding.Asked(
            kind=q.type if q.answer in ("name", "person") else q.answer or q.type,  # type: ignore[arg-type]
            name=q.answer in ("name", "person"),
            person=q.answer == "person",
            remark_later=bool(q.remark_to) and q.remark_to not in turn.list("done"),
            asks_much=q.asks_much,
            options=opts,
            proposal=proposal,
            unknown_ok=unknown_ok,
            in_list=list_of is not None,
            past_ok=turn.conversation is not None,  # a walk looks back on what happened
            regio=turn.profile.regio,
            anchors=self._anchors(turn, item) if q.type == "date" else (),
            current=self._current_date(turn, q, item) if q.type == "date" else None,
            partly=q.partly,
            partly_yes=q.partly_yes,
            list_yes=q.list_yes,
            example=q.example.get(turn.lang) or q.example.get("nl", ""),
        )

    @staticmethod
    def _current_date(turn: Turn, q: Question, item: dict[str, Any] | None) -> date | None:
        """The date this question holds now, for 'een week eerder' after a tip about it."""
        held = (item if item is not None else turn.data).get(q.key)
        try:
            return date.fromisoformat(held) if isinstance(held, str) else None
        except ValueError:
            return None

    def _anchors(self, turn: Turn, item: dict[str, Any] | None) -> tuple[understanding.Anchor, ...]:
        """The plan's dated moments, for '2 weken na de inloopavond'; in an activity also the
        activity itself, for '3 weken van tevoren'."""
        try:
            found = understanding.plan_anchors(self._plan(turn.data))
            if item:
                found += understanding.item_anchor(Activiteit.model_validate(item))
            return found
        except ValidationError:
            return ()

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
        not apply ('nvt'); any other answer takes the key off both lists. The plan keeps them
        too (OPEN, NVT), for what is read without the conversation: the advisor's page, the
        documents' 'Nog te bepalen'."""
        for name, marks in (("unknown", Outcome.unknown), ("nvt", Outcome.not_applicable)):
            keys = turn.list(name)
            if outcome is marks and key not in keys:
                keys.append(key)
            elif outcome is not marks and key in keys:
                keys.remove(key)
            kept = OPEN if name == "unknown" else NVT
            if keys:
                turn.data[kept] = list(keys)
            else:
                turn.data.pop(kept, None)

    def _options(self, turn: Turn, q: Question) -> list[tuple[str, str]]:
        if q.options == "profiles":
            return [(k, profile_label(p, turn.lang)) for k, p in self.profiles().items()]
        if isinstance(q.options, dict) and "voorstel" in q.options:
            hook = self._hook(q.options["voorstel"])
            return hook(turn.profile, self._plan(turn.data), turn.lang)
        values = q.option_values()
        if q.labels == "profile" and turn.lang == "nl":
            return [(v, turn.profile.niveau_label(Niveau(v))) for v in values]
        return [(v, option_label(q.option_set(), v, turn.lang)) for v in values]

    def _proposal(self, turn: Turn, q: Question, item: dict[str, Any] | None) -> Any:
        if q.default:
            # a text proposed from an earlier remark ('secretaris'), where there is one
            proposed = expression(q.default)(**self._scope(turn, item))
            return None if proposed == "" else proposed
        if not q.propose:
            return None
        if q.key == "datum" and item and item.get("voorstel_datum"):
            return item["voorstel_datum"]
        try:
            proposed = planning.propose(
                self._plan(turn.data), turn.profile, q.key, self.settings.today(), item=item
            )
        except (ValidationError, ValueError, KeyError, TypeError):
            return None
        return proposed.isoformat() if proposed else None

    def _typed_day(self, turn: Turn, text: str) -> tuple[str, str | None]:
        """The words typed with the kind of activity, and the day after their last comma
        ('workshop met de jongeren, 13 maart', 'schouw, zaterdagochtend eind jan'): the words
        are proposed as its description, the day at its date."""
        words, comma, last = text.rpartition(",")
        if not comma or not words.strip():
            return text, None
        asked = understanding.Asked(kind="date", regio=turn.profile.regio)
        got = understanding.understand(last, asked, today=self.settings.today(), lang=turn.lang)
        if got.outcome is Outcome.match and isinstance(got.value, date):
            return words.strip(), got.value.isoformat()
        if got.outcome is Outcome.ask and len(got.candidates) == 1:
            return words.strip(), got.candidates[0].value.isoformat()
        return text, None


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
    if "@" in echo:  # an address read from 'naam@example,org' is shown: a dot can matter
        return text.strip(" <>.").casefold() == echo.lstrip("→ ").casefold()
    typed = " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())
    shown = " ".join(re.sub(r"[\W_]+", " ", echo.casefold()).split())
    return typed == shown


def _is_email(value: str) -> bool:
    try:
        return parsing.parse_email(value) == value
    except parsing.ParseError:
        return False


def _only_see_above(text: str) -> bool:
    """'zie boven', 'zie vorige vraag': pointing back, with nothing after it."""
    rest = understanding.after_see_above(text)
    return rest != text and not rest.strip()


def _names_something_else(text: str) -> bool:
    """Whether an answer that fits none of the options names a thing of its own ('opening met
    de kinderen', 'buurtbarbecue'), not an answer meant for another question: no number, date
    or frequency in its first part ('elke 3 weken' after a tip), no bare yes or no."""
    first = parsing.first_clause(text)[0] or text
    if not re.search(r"[^\W\d_]{3}", first):
        return False
    if re.search(r"\d", first) and not _named_before_number(first):
        return False
    try:
        parsing.parse_yesno(first)
        return False
    except parsing.ParseError:
        return True


# words that start a time or an amount, not the name of an activity: 'elke 3 weken', 'over 2'
_TIME_WORDS = frozenset(
    "elke iedere over voor vóór rond eind begin half medio vanaf tussen ongeveer circa week "
    "weken maand every each after before around from about".split()
)


def _named_before_number(text: str) -> bool:
    """'plantdag zaterdag 12 december met de buurt': a name first, then the day; not
    'elke 3 weken', 'zaterdag 12 december' or 'over 2 weken'."""
    first = text.split()[0].casefold().strip(",.:")
    times = _TIME_WORDS | set(parsing.month_names()) | set(parsing.weekday_numbers())
    return len(first) >= 4 and first.isalpha() and first not in times
