"""What features add to the engine: commands, message handlers, turn hooks and named hooks.

The engine knows no feature by name. A feature's `register(registry)` adds its commands (words in
Dutch and English), a handler that may answer a message before any plan is opened, a hook that
runs whenever a person's turn on their plan begins, and the named hooks its conversation files
refer to (`finish: besluit.finish`). `bot.app` builds one registry with every feature in it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Command:
    """A chat command: the word (leading '/' allowed) with an argument where it takes one.

    `before_plan(engine, identity, naam, argument)` runs before any plan is opened and returns the
    replies. `in_turn(engine, turn, argument)` runs on the person's active plan: it returns None
    and the engine asks the next question, or (awaitable) the turn's final replies. A command with
    neither is a word a handler answers; where no handler does, it is an ordinary answer."""

    name: str
    words: tuple[str, ...]
    takes_argument: bool = False
    before_plan: Callable[..., Any] | None = None
    in_turn: Callable[..., Any] | None = None
    keeps_ask: bool = False  # a 'Bedoel je ...?' still waits after it (help, status)
    # the shape a typed argument must have (a regular expression); a word followed by anything
    # else is an answer that starts with that word: 'start bij de school' is a place
    argument: str | None = None

    @property
    def is_async(self) -> bool:
        return inspect.iscoroutinefunction(self.in_turn)


# (engine, visit, text, naam) -> replies, or None to let the next handler and the interview go on;
# `visit` is what the engine read about the sender in its one query (bot.storage.Visit)
Handler = Callable[..., Any]
# (engine, turn) -> None: runs when a person's turn on their plan's interview begins
TurnHook = Callable[..., None]


class Registry:
    def __init__(self, *commands: Command) -> None:
        self.words: dict[str, Command] = {}
        self.commands: dict[str, Command] = {}
        self.handlers: list[tuple[int, Handler]] = []
        self.turn_hooks: list[TurnHook] = []
        self.hooks: dict[str, Callable[..., Any]] = {}
        self.command(*commands)

    def command(self, *commands: Command) -> None:
        for command in commands:
            taken = [w for w in command.words if w in self.words]
            if taken or command.name in self.commands:
                raise ValueError(f"command {command.name!r} registered twice ({taken})")
            self.commands[command.name] = command
            self.words.update(dict.fromkeys(command.words, command))

    def handler(self, handler: Handler, group: int = 0) -> None:
        """Handlers run in group order (then in the order added); the first reply wins."""
        self.handlers.append((group, handler))
        self.handlers.sort(key=lambda entry: entry[0])

    def on_turn(self, hook: TurnHook) -> None:
        self.turn_hooks.append(hook)

    def hook(self, key: str, function: Callable[..., Any]) -> None:
        if key in self.hooks:
            raise ValueError(f"hook {key!r} registered twice")
        self.hooks[key] = function

    def missing(self, keys: Iterable[str]) -> list[str]:
        return sorted(k for k in keys if k not in self.hooks)

    def parse(self, text: str) -> tuple[str, str] | None:
        return parse_command(text, self.words)


def parse_command(text: str, words: dict[str, Command]) -> tuple[str, str] | None:
    """A command is exactly the word (leading '/' allowed), with an argument where it takes one."""
    stripped = text.strip()
    word, _, rest = stripped.removeprefix("/").partition(" ")
    word = word.split("@", 1)[0].lower()  # Telegram sends '/hulp@botname' in groups
    command = words.get(word)
    argument = rest.strip()
    if command is None or (argument and not command.takes_argument):
        return None
    typed = not stripped.startswith("/")  # '/start <payload>' is a command whatever follows
    if (
        typed
        and argument
        and command.argument
        and not re.fullmatch(command.argument, argument, re.I)
    ):
        return None
    return command.name, argument


# A plan's invitation code (8 letters and digits), with 'ja' or 'nee' after it where it asks:
# what a Telegram deep link ('/start K7P3QX9M') and 'volg' carry.
CODE_ARGUMENT = r"[a-z0-9]{8}(?: +\w+)?"
