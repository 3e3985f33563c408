"""Every check that runs over what a person typed takes time in proportion to its length: an
answer of 200,000 characters (the most the engine takes) is checked in well under a second."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from bot.channels.slack import from_slack
from bot.engine import parse_command
from bot.engine.findings import AFWIJKEN
from bot.engine.walk import MAX_ANSWER
from handreiking import afronding, evaluatie, openbaar, parsing, reminders
from handreiking.models import Plan
from handreiking.profiles import load_profile
from tests.conftest import Chat
from tests.test_delivery import LEIDEN_PLAN

N = MAX_ANSWER
TODAY = date(2026, 3, 1)
OPTIONS = [("informeren", "Informeren"), ("raadplegen", "Raadplegen")]
# Shapes that make a backtracking pattern try every start and every split: long runs of the
# characters a pattern repeats, with the one character it needs to finish missing.
SHAPES = {
    "word": "a" * N,
    "at": "a@" * (N // 2),
    "dots": "a." * (N // 2),
    "initials": "A. " * (N // 3),
    "title": "mevrouw " + "A. " * (N // 3 - 3),
    "names": "Anna van de " * (N // 12),
    "digits": "0 " * (N // 2),
    "spaces": "om" + " " * (N - 2),
    "dashes": "A" + "a-A" * (N // 3 - 1),
    "brackets": "<a|" + "b" * (N - 3),
    "mixed": "x@x." * (N // 4),
    "quotes": '",' * (N // 2),
    "streets": "Kerkstraat 1 " * (N // 13),
    "numbers": "a 1" * (N // 3),
}


def _quietly(check: Callable[[str], Any]) -> Callable[[str], Any]:
    def run(text: str) -> Any:
        try:
            return check(text)
        except ValueError:  # a ParseError: refusing is an answer too
            return None

    return run


def _plan_with(text: str) -> Plan:
    activiteit = {**LEIDEN_PLAN["activiteiten"][0], "plaats": text}
    return Plan.model_validate({**LEIDEN_PLAN, "titel": text, "activiteiten": [activiteit]})


LEIDEN = load_profile("leiden")
CHECKS: dict[str, Callable[[str], Any]] = {
    "persoonsgegevens": lambda text: openbaar.persoonsgegevens(text, [text[:60]]),
    "openbaar.check": lambda text: openbaar.check(_plan_with(text), LEIDEN),
    "openbaar.publiek": lambda text: openbaar.publiek(_plan_with(text), LEIDEN),
    "evaluatie.anoniem": evaluatie.anoniem,
    "time_in": reminders.time_in,
    "reminders": lambda text: reminders.reminders(_plan_with(text), LEIDEN),
    "parse_date": _quietly(lambda text: parsing.parse_date(text, TODAY)),
    "parse_period": _quietly(lambda text: parsing.parse_period(text, TODAY)),
    "parse_money": _quietly(parsing.parse_money),
    "parse_number": _quietly(parsing.parse_number),
    "parse_email": _quietly(parsing.parse_email),
    "parse_yesno": _quietly(parsing.parse_yesno),
    "is_unknown": parsing.is_unknown,
    "match_choice": _quietly(lambda text: parsing.match_choice(text, OPTIONS)),
    "match_choices": _quietly(lambda text: parsing.match_choices(text, OPTIONS)),
    "split_items": parsing.split_items,
    "import_csv": _quietly(afronding.import_csv),
    "parse_command": parse_command,
    "afwijken": lambda text: AFWIJKEN.match("afwijken, omdat " + text),
    "from_slack": from_slack,
}


@pytest.mark.parametrize("name", CHECKS)
def test_each_check_over_200000_characters_takes_well_under_a_second(name: str) -> None:
    check = CHECKS[name]
    for shape, text in SHAPES.items():
        # processor time, not wall time: other work on a busy machine must not count. The
        # bound is for text read again and again (which takes minutes at this length), with
        # room for a slow processor: the slowest check takes about 0.4 s on a slow one
        started = time.process_time()
        check(text)
        took = time.process_time() - started
        assert took < 0.8, (name, shape, took)


async def test_a_long_title_does_not_slow_down_the_turns_after_it(chat: Chat) -> None:
    await chat.start(gemeente="leiden")
    await chat.say("Plein " + "a" * (N - 20) + " einde")
    for answer in ["gemeente", "Team Openbare Ruimte", "college"]:
        started = time.process_time()
        await chat.say(answer)
        assert time.process_time() - started < 1, answer
    assert "Er ging bij mij iets mis" not in chat.text


class _Counted(str):
    """A text that adds up how many characters the str operations on it (and on the texts
    made from it) look at: the work of the code that reads it, without a clock."""

    work = 0

    def replace(self, old, new, count=-1):  # type: ignore[override]
        _Counted.work += len(self)
        return _Counted(str.replace(self, old, new, count))

    def __getitem__(self, key):  # type: ignore[override]
        part = str.__getitem__(self, key)
        _Counted.work += len(part)
        return _Counted(part)

    def startswith(self, prefix, *args):  # type: ignore[override]
        _Counted.work += len(prefix) if isinstance(prefix, str) else len(self)
        return str.startswith(self, prefix, *args)

    def find(self, sub, *args):  # type: ignore[override]
        _Counted.work += len(self)
        return str.find(self, sub, *args)

    def __contains__(self, sub):  # type: ignore[override]
        _Counted.work += len(self)
        return str.__contains__(self, sub)


def _surname(i: int) -> str:
    """'Baf' for 105: a different name for every number, in letters only."""
    return "".join(chr(97 + int(c)) for c in str(i + 100)).capitalize()


def test_taking_out_tens_of_thousands_of_different_finds_reads_the_text_a_few_times() -> None:
    # A pasted export of reactions: every line its own address, number and name. Replacing
    # each find in the whole text once more read the text once per find.
    lines = [
        f"buur{i}@example.org, 06-{i:08d}, Kerkstraat {i % 999 + 1}, "
        f"mevrouw {_surname(i)}, "
        "Bewoners van de Kerkstraat willen bankjes."
        for i in range(10_000)
    ]
    text = "\n".join(lines)
    _Counted.work = 0
    published = evaluatie.anoniem(_Counted(text))
    assert _Counted.work < 3 * len(text), _Counted.work / len(text)
    assert published.count("[weggelaten]") == 4 * 10_000
    assert published.count("Bewoners van de Kerkstraat willen bankjes.") == 10_000
