"""Shared fixtures: settings on a temporary data dir with a fixed 'now', a store and an engine."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.engine import Engine, Reply
from bot.settings import Settings
from bot.storage import Store

NOW = "2026-01-12T10:00:00+01:00"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "var",
        now=datetime.fromisoformat(NOW),
        _env_file=None,
    )


@pytest.fixture
def store(settings: Settings):
    s = Store(settings.db_url, clock=settings.clock)
    yield s
    s.close()


@pytest.fixture
def engine(store: Store, settings: Settings) -> Engine:
    return Engine(store, settings)


class Chat:
    """A person talking to the engine; keeps the last replies for assertions."""

    def __init__(self, engine: Engine, identity: str = "console:tester") -> None:
        self.engine = engine
        self.identity = identity
        self.replies: list[Reply] = []

    async def start(self, **kw) -> str:
        self.replies = await self.engine.start(self.identity, **kw)
        return self.text

    async def say(self, text: str) -> str:
        self.replies = await self.engine.handle(self.identity, text)
        return self.text

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    @property
    def question(self) -> Reply:
        questions = [r for r in self.replies if r.kind == "question"]
        assert questions, f"no question in: {self.text}"
        return questions[-1]


@pytest.fixture
def chat(engine: Engine) -> Chat:
    return Chat(engine)
