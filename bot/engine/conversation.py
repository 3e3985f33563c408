"""The interview as data: loads conversations/*.yaml into questions the engine can walk."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, Field, field_validator

from handreiking import afronding, models
from handreiking.resources import load_yaml, shipped

_jinja = SandboxedEnvironment(autoescape=False)
# 'gesprek op het veld, 12 jongeren': the number proposed at 'Hoeveel mensen deden mee?'
_jinja.filters["aantal_mensen"] = afronding.aantal_mensen
# Every text and condition the conversation files hold. Only these are ever compiled as
# templates: what a person typed reaches a template as data, never as its source.
_SOURCES: set[str] = set()

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
    # the question as a reader of the answers sees it (the advisor's page and mail), where the
    # prompt also tells how to answer in the chat ('Typ klaar als je alles hebt')
    label: dict[str, str] = Field(default_factory=dict)
    bron: dict[str, str] = Field(default_factory=dict)  # where the help comes from, per language
    section: str | None = None
    when: str | None = None
    optional: bool = False
    unknown_ok: bool = False  # 'weet ik nog niet' is a valid answer (stored as empty)
    # what 'weet ik nog niet' stands for where not knowing is an answer itself: at 'is there
    # money for it?' not knowing yet means it is not arranged yet (false)
    unknown_is: Any = None
    # a yes/no about whether there is much of something ('Zijn er veel partijen?'): 'valt mee'
    # says no there; elsewhere ('Kan de inbreng nog iets veranderen?') it can mean either
    asks_much: bool = False
    # how the answer is read when it is not plain `type`: 'name' (a text that names someone or
    # something: 'ja' is no name), 'hours' ('twee dagen', '10-20') or
    # 'frequency' ('elke maand', 'om de 2 weken'); 'person' is a name of a person, where
    # 'Ruud (secretaris)' is Ruud with a remark (kept in `opmerkingen` under the question's
    # key, for a `default` of the next question); the value is stored as `type` stores it
    answer: str | None = None
    # list of values, {'enum': Name}, 'profiles', or {'voorstel': hook} called with
    # (profile, plan) for (value, label) pairs that depend on the answers so far; with
    # 'soort': hook giving each value's ActiviteitType, whose words name it too.
    # A hook is a key a feature registered (bot/engine/registry.py), e.g. 'middelen.keuzes'.
    options: Any = None
    # 'profile': show niveau labels in the gemeente's words; 'middelen': a middel by its name in
    # the person's language (handreiking.middelen.naam); any other: a text answer that is one of
    # the bot's own words reads back by that set of option_labels (engine.yaml)
    labels: str | None = None
    propose: bool = False
    default: str | None = None
    set_if_yes: dict[str, str] = Field(default_factory=dict)
    # a person's name whose remark ('Ruud (secretaris)') the question with this key proposes
    # (its `default` reads it from `opmerkingen`): the echo says so, instead of that the remark
    # stays out of the documents
    remark_to: str | None = None
    # a yes/no whose follow-up asks for more: a comment after the answer is that more ('ja,
    # jongeren krijgen een tegoedbon' answers 'Welke vergoeding?' too)
    comment_to: str | None = None
    # a yes/no about a group where part of it is an answer of its own ('deels', 'een paar
    # wel', 'niet iedereen'): stored as understanding.PARTLY, which counts as a yes
    partly: bool = False
    # a yes/no about whether something was done: a part of it is a yes ('een beetje, met twee
    # buren', 'nog maar kort'), the answer kept as its remark; not at a question about how much
    partly_yes: bool = False
    # a yes/no about whether there are many: a list of several ('NS, ProRail, de buren') is a
    # yes, the list kept as its remark
    list_yes: bool = False
    # an answer that fits this text question, per language, for the messages that ask again
    # ('Schrijf bijvoorbeeld: ...'); without one they ask without an example
    example: dict[str, str] = Field(default_factory=dict)
    prefill: list[dict[str, str]] = Field(default_factory=list)
    suggest: list[str] = Field(default_factory=list)
    # a list of names (groups, organisations): one line may name several, 'wijkteam, de school
    # en de kinderopvang' or '• school • kinderopvang', each an item of its own, and each is
    # named once (in a list of reactions, a line with commas is one reaction)
    names: bool = False
    item: list[Question] = Field(default_factory=list)
    # a choice where a name that is none of the options ('Haarlem' for the gemeente) chooses the
    # option 'standaard', the name kept under this key
    other: str | None = None
    # ask this question once per element of the list this expression gives; the copy
    # is keyed '<key>.<nr>' and sees `each` (the element) and `nr` (1-based) in its texts
    foreach: str | None = None
    # hook called with the parsed answer; a ValueError (its message in
    # plain Dutch) rejects the answer and the question is asked again
    check: str | None = None
    # a list question: hook called with (profile, plan) when the list starts;
    # the items it gives are asked first, each with the fields it does not fill in yet
    queue_from: str | None = None
    # hook called with (engine, turn) once the question is answered or skipped;
    # a text it returns is shown before the next question
    note: str | None = None
    # the question may be answered with a file the person sends; its text is the answer
    accepts_file: bool = False
    # the values a `foreach` copy's texts see besides the answers: `each` and `nr`
    bound: dict[str, Any] = Field(default_factory=dict)

    @field_validator("bron", mode="before")
    @classmethod
    def _bron_per_language(cls, value: Any) -> Any:
        # a source written as one text is the Dutch one
        return {"nl": value} if isinstance(value, str) else value

    def model_post_init(self, __context: Any) -> None:
        if self.type not in TYPES:
            raise ValueError(f"{self.key}: unknown question type {self.type!r}")
        if self.answer not in (None, "hours", "frequency", "name", "person"):
            raise ValueError(f"{self.key}: unknown answer kind {self.answer!r}")
        texts = [*self.prompt.values(), *self.help.values(), *self.label.values()]
        texts += [v for spec in self.prefill for v in spec.values()]
        texts += [self.when, self.foreach, self.default, *self.set_if_yes.values()]
        _SOURCES.update(t for t in texts if t)

    def applies(self, scope: dict[str, Any]) -> bool:
        return self.when is None or bool(expression(self.when)(**scope))

    def expand(self, nr: int, each: Any) -> Question:
        """The copy of a `foreach` question for one element: its texts see `each` and `nr`.

        The texts stay as the conversation file has them; they are rendered once, when shown,
        with the element as data (an element may hold what a person typed)."""
        update = {"key": f"{self.key}.{nr}", "foreach": None, "when": None}
        if self.comment_to:  # the follow-up of the same element: 'waarom_niet.3'
            update["comment_to"] = f"{self.comment_to}.{nr}"
        return self.model_copy(update={**update, "bound": {"each": each, "nr": nr}})

    def text(self, field: str, lang: str, scope: dict[str, Any]) -> str:
        """The prompt or help (`field`) in `lang` (Dutch when missing), rendered with `scope`."""
        texts: dict[str, str] = getattr(self, field)
        source = texts.get(lang) or texts.get("nl", "")
        return render_text(source, {**scope, **self.bound}) if "{" in source else source

    def source(self, lang: str) -> str:
        """Where the help comes from, in `lang` (Dutch when missing); '' when not said."""
        return self.bron.get(lang) or self.bron.get("nl", "")

    def option_values(self) -> list[str]:
        if isinstance(self.options, dict) and "enum" in self.options:
            return [m.value for m in getattr(models, self.options["enum"])]
        if isinstance(self.options, list):
            return [str(o) for o in self.options]
        return []

    def option_set(self) -> str:
        """The name of its options in the word lists and labels: the enum of `options: {enum:
        ...}`, else the question's key (a `foreach` copy's too: 'verwerking', not
        'verwerking.2')."""
        enum = self.options.get("enum") if isinstance(self.options, dict) else None
        return enum or self.key.split(".")[0]

    def hook_keys(self) -> set[str]:
        """The hooks this question and its list's fields name."""
        keys = {self.check, self.queue_from, self.note}
        if isinstance(self.options, dict):
            keys |= {self.options.get("voorstel"), self.options.get("soort")}
        for field in self.item:
            keys |= field.hook_keys()
        return {k for k in keys if k}


class Conversation(BaseModel):
    sections: dict[str, dict[str, str]] = Field(default_factory=dict)
    questions: list[Question]
    # a second conversation about the same plan (e.g. afronden) keeps its answers
    # under this key of the plan's data; `scope` and `finish` name hooks that
    # add names for its conditions and prompts, and act on the confirmed answers
    store_under: str | None = None
    intro: dict[str, str] = Field(default_factory=dict)
    # the question under the summary, where 'ja' does something else than make the documents
    confirm: dict[str, str] = Field(default_factory=dict)
    scope: str | None = None
    finish: str | None = None

    name: str = ""  # the file's name, set when it loads

    def hook_keys(self) -> set[str]:
        keys = {k for k in (self.scope, self.finish) if k}
        for q in self.questions:
            keys |= q.hook_keys()
        return keys

    def conditions(self, scope: dict[str, Any]) -> dict[str, bool]:
        """Whether each question outside a `foreach` applies, every condition evaluated in one
        go: one template context for all of them instead of one each (most of a turn's work)."""
        keys, evaluate = _all_conditions(
            tuple((q.key, q.when) for q in self.questions if q.when and not q.foreach)
        )
        return dict(zip(keys, map(bool, evaluate(**scope)), strict=True))

    def by_key(self, key: str) -> Question:
        for q in self.questions:
            if q.key == key:
                return q
        raise KeyError(key)


def _known(source: str) -> str:
    if source not in _SOURCES:
        raise ValueError(f"not a text of the conversation files: {source[:40]!r}")
    return source


@cache
def expression(source: str) -> Any:
    """A condition or value of the conversation files, compiled once."""
    return _jinja.compile_expression(_known(source))


@cache
def _template(source: str) -> Any:
    return _jinja.from_string(_known(source))


@cache
def _all_conditions(whens: tuple[tuple[str, str], ...]) -> tuple[list[str], Any]:
    # the list is built from the conversation files' own conditions, so it is one of their texts
    source = "[" + ", ".join(f"({when})" for _, when in whens) + "]"
    _SOURCES.add(source)
    return [key for key, _ in whens], expression(source)


def render_text(source: str, scope: dict[str, Any]) -> str:
    """A text of the conversation files with the names of `scope` filled in (as data)."""
    return _template(source).render(**scope)


@cache
def load_conversation(name: str = "participatieplan") -> Conversation:
    path = shipped("conversations") / f"{name}.yaml"
    data = load_yaml(path)
    return Conversation.model_validate({**data, "name": name})


def shipped_conversations() -> list[Conversation]:
    """Every interview in conversations/ (the other files there are word lists)."""
    folder = shipped("conversations")
    names = [p.stem for p in sorted(folder.glob("*.yaml")) if "questions" in (load_yaml(p) or {})]
    return [load_conversation(name) for name in names]
