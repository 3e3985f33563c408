"""One message being handled: the plan and the interview state it reads and changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.engine.conversation import Conversation
from bot.engine.texts import t
from bot.engine.types import Reply
from bot.storage import PlanRecord
from handreiking.profiles import Profile


@dataclass
class Turn:
    identity: str
    lang: str
    record: PlanRecord
    data: dict[str, Any]
    state: dict[str, Any]
    profile: Profile
    replies: list[Reply] = field(default_factory=list)
    prompted: bool = False  # the next question is already in replies
    cache: dict[str, Any] = field(default_factory=dict)  # derived from data; see Engine._scope
    # walking a second conversation about the plan (see Engine.walk): which one, and
    # the session state it was started from (data and state above are then its own)
    conversation: Conversation | None = None
    outer: dict[str, Any] | None = None
    # what was typed beside the answer just read and is kept with it (Engine._keep_remark)
    remark: str = ""

    def say(self, key: str, kind: str = "info", **params: Any) -> None:
        self.replies.append(Reply(text=t(key, self.lang, **params), kind=kind))

    def list(self, name: str) -> list[Any]:
        return self.state.setdefault(name, [])
