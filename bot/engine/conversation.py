"""The interview as data: loads conversations/*.yaml into questions the engine can walk."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, Field

from handreiking import models
from handreiking.resources import shipped

_jinja = SandboxedEnvironment(autoescape=False)

TYPES = {
    "text",
    "long_text",
    "choice",
    "multi",
    "yesno",
    "date",
    "period",
    "number",
    "money",
    "email",
    "repeat",
}


class Question(BaseModel):
    key: str
    type: str
    prompt: dict[str, str]
    help: dict[str, str] = Field(default_factory=dict)
    bron: str | None = None
    section: str | None = None
    when: str | None = None
    optional: bool = False
    unknown_ok: bool = False  # 'weet ik nog niet' is a valid answer (stored as empty)
    options: Any = None  # list of values, {'enum': Name} or 'profiles'
    labels: str | None = None  # 'profile': show niveau labels in the gemeente's words
    propose: bool = False
    default: str | None = None
    set_if_yes: dict[str, str] = Field(default_factory=dict)
    prefill: list[dict[str, str]] = Field(default_factory=list)
    suggest: list[str] = Field(default_factory=list)
    item: list[Question] = Field(default_factory=list)
    # issue 7: ask this question once per element of the list this expression gives; the copy
    # is keyed '<key>.<nr>' and sees `each` (the element) and `nr` (1-based) in its texts
    foreach: str | None = None
    # issue 7: 'module:function' called with the parsed answer; a ValueError (its message in
    # plain Dutch) rejects the answer and the question is asked again
    check: str | None = None

    def model_post_init(self, __context: Any) -> None:
        if self.type not in TYPES:
            raise ValueError(f"{self.key}: unknown question type {self.type!r}")

    def applies(self, scope: dict[str, Any]) -> bool:
        return self.when is None or bool(expression(self.when)(**scope))

    def expand(self, nr: int, scope: dict[str, Any]) -> Question:
        """issue 7: the copy of a `foreach` question for one element, its texts filled in."""

        def fill(texts: dict[str, str]) -> dict[str, str]:
            return {lang: render_text(text, scope) for lang, text in texts.items()}

        update = {"key": f"{self.key}.{nr}", "foreach": None, "when": None}
        return self.model_copy(
            update={**update, "prompt": fill(self.prompt), "help": fill(self.help)}
        )

    def option_values(self) -> list[str]:
        if isinstance(self.options, dict) and "enum" in self.options:
            return [m.value for m in getattr(models, self.options["enum"])]
        if isinstance(self.options, list):
            return [str(o) for o in self.options]
        return []


class Conversation(BaseModel):
    sections: dict[str, dict[str, str]] = Field(default_factory=dict)
    questions: list[Question]
    # issue 7: a second conversation about the same plan (e.g. afronden) keeps its answers
    # under this key of the plan's data; `scope` and `finish` name 'module:function' hooks that
    # add names for its conditions and prompts, and act on the confirmed answers
    store_under: str | None = None
    intro: dict[str, str] = Field(default_factory=dict)
    scope: str | None = None
    finish: str | None = None

    def by_key(self, key: str) -> Question:
        for q in self.questions:
            if q.key == key:
                return q
        raise KeyError(key)


@cache
def expression(source: str) -> Any:
    return _jinja.compile_expression(source)


def render_text(source: str, scope: dict[str, Any]) -> str:
    return _jinja.from_string(source).render(**scope)


@cache
def load_conversation(name: str = "participatieplan") -> Conversation:
    path = shipped("conversations") / f"{name}.yaml"
    return Conversation.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
