"""Message texts read from templates/messages/<name>.yaml: the engine's and each module's."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from handreiking.resources import load_yaml, shipped


@cache
def messages(name: str = "engine") -> dict[str, Any]:
    """The parsed templates/messages/<name>.yaml, read once."""
    path = shipped("templates") / "messages" / f"{name}.yaml"
    return load_yaml(path)


def _messages() -> dict[str, Any]:
    return messages("engine")


def load_texts(name: str, section: str | None = None, lang: str = "nl") -> dict[str, str]:
    """Every text of templates/messages/<name>.yaml (or of its `section`) in `lang`, Dutch
    when missing, by key; the {params} are left for the caller's .format()."""
    entries: dict[str, Any] = messages(name)
    if section is not None:
        entries = entries[section]
    return {key: entry.get(lang) or entry["nl"] for key, entry in entries.items()}


def t(key: str, lang: str = "nl", **params: Any) -> str:
    """The text `key` in `lang` (Dutch when missing), with {params} filled in."""
    entry: Any = _messages()
    for part in key.split("."):
        entry = entry[part]
    text = entry.get(lang) or entry["nl"]
    return text.format(**params) if params else text


def counted(texts: Mapping[str, str], key: str, n: int) -> str:
    """The text `key`, or its `<key>_one` where n is 1: '1 deelnemer', never '1 deelnemers'."""
    return texts.get(f"{key}_one", texts[key]) if n == 1 else texts[key]
