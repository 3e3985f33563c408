"""The shape of the code: no import cycles, one way to the database, features that register."""

from __future__ import annotations

import sys

import grimp
import pytest

from bot.app import build_engine, registry
from bot.engine import Command, Engine, Reply
from bot.engine.conversation import Conversation, load_conversation
from bot.storage import Store


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph.find_modules_directly_imported_by(module):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_among_our_modules_counting_imports_inside_functions() -> None:
    graph = grimp.build_graph(
        "bot",
        "handreiking",
        include_external_packages=False,
        exclude_type_checking_imports=True,
        cache_dir=None,
    )
    assert _cycles(graph) == []


def test_only_the_store_talks_to_the_database() -> None:
    graph = grimp.build_graph("bot", include_external_packages=True, cache_dir=None)
    talking = sorted(
        module
        for module in graph.modules
        if module.startswith("bot.")
        and not module.startswith("bot.storage")
        and graph.find_modules_directly_imported_by(module) & {"sqlalchemy", "alembic"}
    )
    assert talking == []


async def test_a_new_command_is_one_registration(store: Store, settings) -> None:
    def hallo(engine: Engine, identity: str, naam: str | None, arg: str) -> list[Reply]:
        return [Reply(f"Hallo {naam or identity}, je typte {arg!r}.")]

    commands = registry()
    commands.command(Command("hello", ("hallo",), takes_argument=True, before_plan=hallo))
    engine = Engine(store, settings, registry=commands)

    replies = await engine.handle("console:test", "hallo daar", naam="Sam")

    assert [r.text for r in replies] == ["Hallo Sam, je typte 'daar'."]
    # the interview's own words are still understood
    assert engine.parse_command("hulp") == ("help", "")


def test_a_conversation_naming_an_unknown_hook_fails_when_it_loads(store: Store, settings) -> None:
    engine = build_engine(store, settings)
    broken = Conversation.model_validate(
        {"name": "kapot", "finish": "bestaat.niet", "questions": []}
    )
    with pytest.raises(ValueError, match="bestaat.niet"):
        engine.check(broken)
    engine.check(load_conversation("afronden"))  # the shipped ones name registered hooks


def test_a_command_word_cannot_be_registered_twice() -> None:
    with pytest.raises(ValueError, match="twice"):
        registry().command(Command("help2", ("hulp",)))
