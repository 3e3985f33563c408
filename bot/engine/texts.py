"""Message texts of the engine, read from templates/messages/engine.yaml."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from handreiking.resources import shipped


@cache
def _messages() -> dict[str, Any]:
    path = shipped("templates") / "messages" / "engine.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def t(key: str, lang: str = "nl", **params: Any) -> str:
    """The text `key` in `lang` (Dutch when missing), with {params} filled in."""
    entry: Any = _messages()
    for part in key.split("."):
        entry = entry[part]
    text = entry.get(lang) or entry["nl"]
    return text.format(**params) if params else text
