"""How fast and in what parts a message goes out: one pace and one text splitter for every
channel and the outbox, below the channels so no channel borrows another's."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Protocol

# Keep a little under a limit, so a request that is a few ms late never makes 31 in a second.
SAFETY = 1.03


class Budget(Protocol):
    """A rate limit shared with other processes (the outbox's SharedBudget)."""

    def take(self) -> float: ...

    def pause(self, seconds: float) -> None: ...


class Pace:
    """At most `rate` sends a second overall and `per_key` a second per key (chat, channel),
    after a burst of `burst` sends per key that go at once.

    Spacing counts from the moment a send really starts, so a stalled event loop never
    catches up with a burst. A key's slot is taken before waiting, so sends to one key that
    wait at the same time go out one interval apart, in the order they asked.
    """

    def __init__(
        self,
        rate: float | None = None,
        per_key: float | None = None,
        budget: Budget | None = None,
        *,
        burst: int = 1,
        safety: float = SAFETY,
    ) -> None:
        self.budget = budget
        self.interval = safety / rate if rate else 0.0
        self.key_interval = safety / per_key if per_key and per_key > 0 else 0.0
        self.burst = burst
        self._last = -1e9
        self._paused_until = 0.0
        self._lock = asyncio.Lock()
        # per key: when its next send is due when no burst is left (reserved in advance)
        self._due: dict[str, float] = {}

    def pause(self, seconds: float) -> None:
        """A platform's retry_after: nothing goes out on this channel until it has passed."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)
        if self.budget is not None:
            self.budget.pause(seconds)

    async def wait(self, key: str) -> None:
        now = time.monotonic()
        due = max(self._due.get(key, now), now)
        self._due[key] = due + self.key_interval  # reserve the slot before sleeping
        delay = due - now - (self.burst - 1) * self.key_interval
        if delay > 0:
            await asyncio.sleep(delay)
        now = await self._overall()
        # a send held up by the overall limit starts the key's interval when it really starts
        self._due[key] = max(self._due[key], now + self.key_interval)
        if len(self._due) > 10_000:  # forget keys that are long past their interval
            self._due = {k: t for k, t in self._due.items() if t > now}

    async def _overall(self) -> float:
        async with self._lock:
            while True:
                now = time.monotonic()
                ready = max(self._last + self.interval, self._paused_until)
                if ready <= now:
                    wait = self.budget.take() if self.budget is not None else 0.0
                    if wait <= 0:
                        break
                    ready = now + wait
                await asyncio.sleep(ready - now)
            self._last = now
        return now

    def done(self, key: str) -> None:
        """A send to `key` has finished: the next one waits a full interval from now, so a
        slow request (a new connection) never lets two arrive closer than the limit."""
        self._due[key] = max(self._due.get(key, 0.0), time.monotonic() + self.key_interval)


def split_text(text: str, limit: int, length: Callable[[str], int] = len) -> list[str]:
    """Parts of at most `limit` (as `length` counts), cut at line ends; a longer line is cut at
    its last space in the second half of the limit, else at the limit."""
    chunks: list[str] = []
    current = ""
    for line in text.splitlines():
        while length(line) > limit:
            cut = _cut(line, limit, length)
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if length(candidate) > limit:
            chunks.append(current)
            candidate = line
        current = candidate
    if current.strip():
        chunks.append(current)
    return [c for c in chunks if c.strip()]


def _cut(line: str, limit: int, length: Callable[[str], int]) -> int:
    cut = min(len(line), limit)
    while length(line[:cut]) > limit:
        cut -= 1
    space = line.rfind(" ", 0, cut)
    return space if space > limit // 2 else cut
