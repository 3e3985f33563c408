"""What an outsider can make the server do through the chat: no user text as a template, no
slow turns from long answers, no broken documents from long values, no nonsense dates."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import docx
import pytest
import yaml
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from bot.engine import Engine
from bot.settings import Settings
from bot.storage import Store
from handreiking.documents import document_text
from tests.conftest import Chat
from tests.interviews import HEERLEN, LEIDEN
from tests.test_delivery import LEIDEN_PLAN, make_plan
from tests.test_engine import run_script

ROOT = Path(__file__).resolve().parents[1]


async def to_inbreng(owner: Chat) -> None:
    """'afronden' on make_plan's plan, up to the question for typed reactions."""
    await owner.say("afronden")
    await owner.say("nee")  # activity 1 did not take place
    assert owner.question.text.startswith("Waarom ging activiteit 1")
    await owner.say("overslaan")
    await owner.say("ja")
    await owner.say("weet ik nog niet")
    await owner.say("klaar")  # no extra activities
    assert "CSV" in owner.question.text
    await owner.say("overslaan")
    assert owner.question.text.startswith("Welke reacties")


# ---------------------------------------------------------------- no user text as a template


async def test_a_typed_theme_is_asked_back_literally(engine: Engine, store: Store) -> None:
    make_plan(store)
    owner = Chat(engine)
    await to_inbreng(owner)
    await owner.say("{{7*7}}: een reactie")
    await owner.say('{{"x"*10**8}}: nog een reactie')
    started = time.process_time()  # processor time: a busy machine must not count
    await owner.say("klaar")
    assert time.process_time() - started < 1
    assert owner.question.text.startswith("Thema {{7*7}} (1 reactie).")
    await owner.say("overgenomen")
    await owner.say("Omdat het kan.")
    assert owner.question.text.startswith('Thema {{"x"*10**8}} (1 reactie).')
    assert "Er ging bij mij iets mis" not in owner.text


async def test_an_activity_description_is_shown_literally(engine: Engine, store: Store) -> None:
    activiteiten = [dict(a) for a in LEIDEN_PLAN["activiteiten"]]
    activiteiten[0]["omschrijving"] = "{{7*7}} avond"
    activiteiten[1]["omschrijving"] = "{{ x"
    make_plan(store, activiteiten=activiteiten)
    owner = Chat(engine)
    await owner.say("afronden")
    assert owner.question.text == "Is activiteit 1 (bijeenkomst: {{7*7}} avond) doorgegaan?"
    await owner.say("ja")
    assert owner.question.text.startswith(
        "Hoeveel mensen deden mee aan activiteit 1 (bijeenkomst: {{7*7}} avond)?"
    )
    await owner.say("12")
    # an unfinished tag in one answer breaks nothing that follows
    assert owner.question.text.startswith("Is activiteit 2 (online inbreng: {{ x)")
    await owner.say("hulp")
    assert "Er ging bij mij iets mis" not in owner.text
    await owner.say("nee")
    assert owner.question.text.startswith(
        "Waarom ging activiteit 2 (online inbreng: {{ x) niet door?"
    )
    await owner.say("overslaan")
    assert "niet in het plan stond" in owner.question.text


async def test_an_answer_in_a_list_item_is_asked_back_literally(chat: Chat) -> None:
    groepen = next(i for i, (q, _) in enumerate(HEERLEN) if q == "Welke groepen")
    await run_script(chat, HEERLEN[:groepen], "heerlen")
    await chat.say("{{ 7*7 }} {% if true %}buren{% endif %}")
    assert "'{{ 7*7 }} {% if true %}buren{% endif %}'" in chat.question.text


# Jinja nodes a conversation text may use: output, names, lookups, tests and conditions. No
# include, import, macro, call block or assignment: nothing that could load or build a template.
ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.Getattr,
    nodes.Getitem,
    nodes.CondExpr,
    nodes.Compare,
    nodes.Operand,
    nodes.Concat,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Test,
    nodes.If,
    nodes.List,
    nodes.Tuple,
    nodes.Dict,
    nodes.Pair,
    nodes.Call,
    nodes.Filter,
)
# 'aantal_mensen' (bot/engine/conversation.py) reads a number from a text and returns it as data
ALLOWED_FILTERS = {"join", "length", "lower", "default", "capitalize", "aantal_mensen"}
ALLOWED_CALLS = {"get"}  # answers.get('gehouden.' ~ nr)


EXPRESSIONS = {"when", "foreach", "default"}


def _conversation_texts() -> list[tuple[str, str]]:
    """(file, template) of every prompt, help, condition and value in conversations/*.yaml;
    a condition or value as the template '{{ <expression> }}'."""
    found = []
    for path in sorted((ROOT / "conversations").glob("*.yaml")):

        def walk(node: object, key: str = "", name: str = path.name) -> None:
            if isinstance(node, dict):
                for k, value in node.items():
                    walk(value, "set_if_yes" if key == "set_if_yes" else str(k))
            elif isinstance(node, list):
                for value in node:
                    walk(value, key)
            elif isinstance(node, str) and (key in EXPRESSIONS or key == "set_if_yes"):
                found.append((name, "{{ " + node + " }}"))
            elif isinstance(node, str) and ("{{" in node or "{%" in node):
                found.append((name, node))

        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def test_conversation_texts_only_show_values_never_build_templates() -> None:
    env = SandboxedEnvironment()
    texts = _conversation_texts()
    assert len(texts) > 10
    for name, text in texts:
        for node in env.parse(text).find_all(nodes.Node):
            assert isinstance(node, ALLOWED_NODES), (name, text, type(node).__name__)
            if isinstance(node, nodes.Filter):
                assert node.name in ALLOWED_FILTERS, (name, text, node.name)
            if isinstance(node, nodes.Call):
                assert isinstance(node.node, nodes.Getattr), (name, text)
                assert node.node.attr in ALLOWED_CALLS, (name, text, node.node.attr)


def test_only_conversation_texts_are_compiled_as_templates() -> None:
    """The code that builds prompts compiles a template from one place, and only from the
    conversation files' own texts; no module makes a template from a string elsewhere."""
    compiling = re.compile(r"\b(?:from_string|compile_expression|Template)\(")
    places = {
        str(path.relative_to(ROOT))
        for folder in ("bot", "handreiking")
        for path in (ROOT / folder).rglob("*.py")
        if compiling.search(path.read_text(encoding="utf-8"))
    }
    assert places == {"bot/engine/conversation.py", "handreiking/word.py"}
    # a Word template's core properties are its own text, read from the template file; the
    # environment that compiles each template part once passes on only what docxtpl hands it
    source = (ROOT / "handreiking/word.py").read_text(encoding="utf-8")
    assert set(re.findall(r"from_string\((\w+)[,)]", source)) - {"self"} == {"source"}
    assert "source = getattr(props, prop)" in source
    source = (ROOT / "bot/engine/conversation.py").read_text(encoding="utf-8")
    assert source.count("from_string(") == 1 and source.count("compile_expression(") == 1
    # the copy of a foreach question keeps its texts: the element is bound as data
    expand = source[source.index("def expand") : source.index("def text")]
    assert "render_text(" not in expand
    # callers of render_text hand it a text of a question, never a value
    calls = []
    for folder in ("bot", "handreiking"):
        for path in (ROOT / folder).rglob("*.py"):
            calls += re.findall(r"(?<!def )render_text\(([^,]+),", path.read_text(encoding="utf-8"))
    assert calls and set(calls) <= {"source", "v"}, calls


def test_a_typed_value_cannot_be_compiled() -> None:
    from bot.engine.conversation import expression, render_text

    with pytest.raises(ValueError):
        render_text("{{7*7}}", {})
    with pytest.raises(ValueError):
        expression("7*7")


# ---------------------------------------------------------------- long values


@pytest.mark.parametrize("length", [240, 5000])
async def test_a_long_title_still_gives_documents(chat: Chat, length: int) -> None:
    titel = ("Herinrichting van het Lindenplein en de straten eromheen " * 100)[:length].strip()
    await run_script(chat, [("Hoe heet je opgave", titel), *LEIDEN[1:]], "leiden")
    await chat.say("ja")
    [done] = [r for r in chat.replies if r.kind == "done"]
    assert {p.name for p in done.documents} == {"participatieplan.docx", "planomschrijving.docx"}
    for path in done.documents:
        document = docx.Document(str(path))
        title = document.core_properties.title
        assert title.startswith(f"{path.stem.capitalize()}: Herinrichting van het Lindenplein")
        assert len(title) <= 255
        assert titel in document_text(path)


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("2000-1000", "Die datum kan ik niet lezen."),
        ("31-2-2027", "Die datum kan ik niet lezen."),
        ("1-1-1900", "Die datum kan niet kloppen."),
        ("12 maart 2040", "Die datum kan niet kloppen."),
    ],
)
async def test_a_nonsense_date_is_refused_with_one_message(
    chat: Chat, store: Store, answer: str, message: str
) -> None:
    await run_script(
        chat,
        HEERLEN[: next(i for i, (q, _) in enumerate(HEERLEN) if q == "besluit over de opgave")],
        "heerlen",
    )
    assert "besluit over de opgave" in chat.question.text
    before = dict(store.plans()[0].data)
    await chat.say(answer)
    [error] = [r for r in chat.replies if r.kind != "question"]
    assert error.kind == "error" and error.text.startswith(message)
    assert "besluit over de opgave" in chat.question.text
    assert store.plans()[0].data == before


# ---------------------------------------------------------------- one slow turn holds up no other


def slow_template(settings: Settings, gemeente: str, loops: int = 40_000_000) -> None:
    """A gemeente's own participatieplan template that takes seconds to fill in."""
    from handreiking.documents import find_template

    document = docx.Document(str(find_template("participatieplan")))
    document.add_paragraph(f"{{% for i in range({loops}) %}}{{% endfor %}}")
    folder = settings.data_dir / "templates" / gemeente
    folder.mkdir(parents=True, exist_ok=True)
    document.save(str(folder / "participatieplan.docx"))


async def test_a_slow_render_does_not_hold_up_another_person(
    engine: Engine, settings: Settings
) -> None:
    slow_template(settings, "heerlen")
    owner = Chat(engine, "console:eigenaar")
    await run_script(owner, HEERLEN, "heerlen")
    assert "Klopt alles?" in owner.text
    rendering = asyncio.create_task(owner.say("ja"))
    await asyncio.sleep(0.3)  # the documents are being written now
    other = Chat(engine, "console:ander")
    started = time.monotonic()
    await other.say("hallo")
    took = time.monotonic() - started
    assert not rendering.done(), "the render should still be going on"
    # the render takes seconds; a reply within one second shows it did not wait for it
    assert took < 1, took
    assert "Hoe heet je opgave" in other.question.text
    await rendering
    [done] = [r for r in owner.replies if r.kind == "done"]
    assert [p.name for p in done.documents] == ["participatieplan.docx"]
