"""The composition root: one registry with every feature, and the engine built on it.

`chat`, `serve`, the tests and the benchmarks all build the engine here. A new feature is a module
in bot/features/ with a `register(registry)` function, added to FEATURES.
"""

from __future__ import annotations

from types import ModuleType

from bot.engine import Engine, Registry
from bot.engine.commands import CORE
from bot.engine.conversation import Conversation, shipped_conversations
from bot.features import (
    closing,
    coauthors,
    evaluation,
    participants,
    review,
    verslag,
    voorbeelden,
)
from bot.settings import Settings
from bot.storage import Store

# In this order; participants' handler answers before the interview (see Registry.handler).
FEATURES: tuple[ModuleType, ...] = (
    participants,
    coauthors,
    review,
    closing,
    evaluation,
    verslag,
    voorbeelden,
)


def registry() -> Registry:
    """The engine's own commands and every feature's commands, handlers and hooks."""
    built = Registry(*CORE)
    for feature in FEATURES:
        feature.register(built)
    return built


def build_engine(
    store: Store, settings: Settings, conversation: Conversation | None = None
) -> Engine:
    """The engine with every feature; every shipped conversation is checked for its hooks."""
    engine = Engine(store, settings, conversation, registry=registry())
    engine.check(*shipped_conversations())
    return engine
