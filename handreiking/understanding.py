"""Understanding what people type at a question: the value meant and how sure, or what to ask."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Literal

from babel.dates import format_date, get_day_names
from babel.numbers import format_decimal
from rapidfuzz import fuzz

from handreiking import parsing
from handreiking.formatting import bedrag, datum, euro
from handreiking.models import Aantal, Activiteit, Bedrag, Periode, Plan
from handreiking.profiles import Profile
from handreiking.resources import load_yaml, shipped

Kind = Literal[
    "text",
    "long_text",
    "email",
    "choice",
    "multi",
    "yesno",
    "date",
    "period",
    "number",
    "hours",
    "money",
    "frequency",
]

# Answers to a choice longer than this are not a choice; it also bounds the fuzzy matching.
_CHOICE_LIMIT = 200
_FUZZY_LIMIT = 60
# rapidfuzz ratio (0-100): from SURE on a typo is taken, from CLOSE on it is asked about.
_SURE, _CLOSE, _MARGIN = 85.0, 72.0, 6.0


class Outcome(StrEnum):
    """What the answer turned out to be; the engine acts on this."""

    match = "match"  # store `value`, show `echo`, go on
    ask = "ask"  # show `message` with `candidates` as buttons; the answer goes to `resolve`
    unknown = "unknown"  # store an explicit 'not known yet'
    not_applicable = "not_applicable"  # store an explicit 'does not apply'
    proposal = "proposal"  # the person took the bot's proposal: store `value`
    refuse = "refuse"  # show `message` and ask the same question again; store nothing
    none = "none"  # in a list: no (more) items, the list ends
    done = "done"  # in a list: the list is complete


@dataclass(frozen=True)
class Option:
    """One option of a choice: the value stored, the label shown, and words that mean it."""

    value: str
    label: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """A value the person may have meant, with the label for its button."""

    value: Any
    label: str


# a moment of the plan: the words that name it, its first day and its last
Anchor = tuple[frozenset[str], date, date]


@dataclass(frozen=True)
class Asked:
    """What the engine asked: the kind of answer and what the question allows."""

    kind: Kind
    options: tuple[Option, ...] = ()
    proposal: Any = None  # the bot's proposal; 'ja', 'prima', '👍' take it
    unknown_ok: bool = True  # 'weet ik nog niet' and 'nvt' may be stored
    in_list: bool = False  # the first field of a list item: 'geen', 'klaar' end the list
    past_ok: bool = False  # dates before today are allowed (looking back, not planning)
    regio: str | None = None  # school-holiday region, for 'na de zomer'
    name: bool = False  # a text that names someone or something: a yes or a no is not one
    person: bool = False  # a name of a person: 'Ruud (secretaris)' is Ruud, with a remark
    remark_later: bool = False  # that remark is proposed at a question still to come
    # a yes/no about whether there is much of something: 'valt mee' is a no (elsewhere unclear)
    asks_much: bool = False
    # moments of the plan by the words that name them, for '2 weken na de inloopavond': their
    # first and last day (a survey open for three weeks ends later than it starts)
    anchors: tuple[Anchor, ...] = ()
    current: Any = None  # the answer given before, for 'een week eerder'
    # a yes/no about a group where part of it is an answer of its own: 'deels, een paar
    # ouders' or 'niet iedereen' at 'Deden ouders mee?' is PARTLY, not a no
    partly: bool = False
    # a yes/no about whether something was done, where a part of it is a yes: 'een beetje, met
    # twee buren' at 'Heb je gepraat met mensen?' is a yes with that remark (not at a question
    # about how much: 'Verandert de leefomgeving flink?' 'een beetje' is a no)
    partly_yes: bool = False
    # a yes/no about whether there are many: a list of several names ('NS, ProRail, de buren')
    # answers it, a yes with the list as its remark
    list_yes: bool = False
    # an answer that fits this question, as it is typed ('Buurthuis De Linde' where a place is
    # asked); a text question without one gets messages without an example
    example: str = ""


@dataclass(frozen=True)
class Understood:
    """What an answer means, how sure that is, and what to say."""

    outcome: Outcome
    value: Any = None
    echo: str = ""
    message: str = ""
    candidates: tuple[Candidate, ...] = ()
    confidence: float = 0.0
    # with one candidate: the label of the answer that declines it, as the message names it
    # ('een andere datum'), for the button next to 'ja'
    other: str = ""
    # what was typed beside the value and is kept beside it: the parties after a yes read from
    # a list, 'een beetje, met twee buren' after a yes read from it, the remark after a name
    remark: str = ""


# --- data -----------------------------------------------------------------------------------


@functools.cache
def _words() -> dict[str, Any]:
    path = shipped("conversations") / "synoniemen.yaml"
    return load_yaml(path)


@functools.cache
def _messages() -> dict[str, dict[str, str]]:
    path = shipped("templates") / "messages" / "understanding.yaml"
    return load_yaml(path)


def _say(key: str, lang: str, **params: Any) -> str:
    texts = _messages()[key]
    return (texts.get(lang) or texts["nl"]).format_map(params)


def phrase(key: str, lang: str = "nl", **params: Any) -> str:
    """A text of templates/messages/understanding.yaml: 'hours', 'estimate', 'unknown', ..."""
    return _say(key, lang, **params)


def _match(value: Any, shown: str, lang: str, confidence: float = 1.0) -> Understood:
    echo = _say("echo", lang, value=shown)
    return Understood(Outcome.match, value=value, echo=echo, confidence=confidence)


def _refuse(key: str, lang: str, **params: Any) -> Understood:
    return Understood(Outcome.refuse, message=_say(key, lang, **params))


def _all_languages(by_lang: Mapping[str, Sequence[str]] | None) -> list[str]:
    return [word for words in (by_lang or {}).values() for word in words]


@functools.cache
def _phrase_set(*path: str) -> frozenset[str]:
    """Answers listed in the words file ('voorstel'; 'lijst', 'geen'), normalised."""
    found: Any = _words()
    for key in path:
        found = found[key]
    return frozenset(" ".join(_tokens(word)) for word in _all_languages(found))


def options(
    values: Sequence[tuple[str, str]],
    option_set: str | None = None,
    profile: Profile | None = None,
) -> tuple[Option, ...]:
    """The options of a choice question with the words people use for them.

    `values` are (value, label) as the question shows them. `option_set` names the set in
    conversations/synoniemen.yaml (the enum of `options: {enum: ...}` or the question key);
    without it, the set that holds all these values is used. A profile adds its own words.
    """
    sets = _words()["opties"]
    wanted = {value for value, _ in values}
    if option_set not in sets:
        option_set = next((name for name, words in sets.items() if wanted <= set(words)), None)
    own = sets.get(option_set, {}) if option_set else {}
    extra = profile.synoniemen.get(option_set or "", {}) if profile else {}
    return tuple(
        Option(
            value=value,
            label=label,
            words=tuple(_all_languages(own.get(value)) + _all_languages(extra.get(value))),
        )
        for value, label in values
    )


def with_kind_words(
    opts: tuple[Option, ...], kinds: Mapping[str, str], option_set: str, profile: Profile | None
) -> tuple[Option, ...]:
    """Options that also mean their kind (`kinds`: value -> an option of `option_set`): a
    middel proposed is known by the words for its kind of activity too."""
    by_kind = {
        o.value: o for o in options([(k, k) for k in set(kinds.values())], option_set, profile)
    }
    return tuple(
        replace(o, words=(*o.words, kinds[o.value], *by_kind[kinds[o.value]].words))
        if o.value in kinds
        else o
        for o in opts
    )


def gemeente_options(
    profiles: Mapping[str, Profile], shown: Sequence[tuple[str, str]] = ()
) -> tuple[Option, ...]:
    """The gemeenten to choose from, known by their name and other names ('Voorburg');
    `shown` (key, label) are the labels the question shows, where they differ from the name
    (the neutral profile in English), so typing the label chooses it too."""
    labels = dict(shown)
    return tuple(
        Option(
            value=key,
            label=labels.get(key, profile.naam),
            words=(*profile.namen, profile.naam),
        )
        for key, profile in profiles.items()
    )


# --- normalising ----------------------------------------------------------------------------

_EMOJI = {"👍": " ja ", "👌": " ja ", "✅": " ja ", "👎": " nee ", "❌": " nee "}


def _tokens(text: str) -> tuple[str, ...]:
    """Lower-case words without accents or punctuation: 'B&W!' -> ('b', 'en', 'w');
    'co-creatie' -> ('co', 'creatie'); 'ideeën' -> ('ideeen',)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for emoji, word in _EMOJI.items():
        text = text.replace(emoji, word)
    text = text.replace("&", " en ").replace("'", "")
    return tuple(re.sub(r"[\W_]+", " ", text).split())


def _short(text: str) -> str:
    """The answer on one line, or '' when it is too long to be a choice or a short answer."""
    return " ".join(text.split()) if len(text) <= 20 * _CHOICE_LIMIT else ""


def never_mind(text: str) -> bool:
    """'laat maar, het klopt', 'toch niet': nothing to change after all."""
    return len(text) <= _CHOICE_LIMIT and _in(_tokens(text), "laat_maar")


def says_same(text: str) -> bool:
    """'zelfde', 'hetzelfde als hierboven': the answer given before to a question like this."""
    return len(text) <= _CHOICE_LIMIT and _in(_tokens(text), "hetzelfde")


# 'zelfde als NS', 'dezelfde rol als de omwonenden', 'net als bij NS', 'zoals bij NS', 'same as NS',
# 'zie NS', 'zie bij de jongeren' (a name that is no item is kept as typed: 'zie website')
_SAME_AS = re.compile(
    r"(?:(?:het)?zelfde|dezelfde|precies|net|idem|same|just)(?: \w+)? (?:als|zoals|as|like)"
    r" (?:bij |voor |at |for )?(?P<name>.+)|(?:zoals|als|like) bij (?P<at>.+)"
    r"|(?:zie|see)(?: ook)?(?: bij| at)? (?P<see>.+)",
    re.I,
)
# what names the item before, not an item of its own: 'zelfde als hierboven', 'als de vorige'
_PREVIOUS = frozenset(
    {"hierboven", "boven", "vorige", "daarnet", "ervoor", "hiervoor", "die", "groep", "activiteit"}
    | {"above", "previous", "one", "before", "last"}
)
_ARTICLES = frozenset({"de", "het", "the", "een", "a"})


def same_as(text: str) -> str | None:
    """The name in 'zelfde als NS' ('NS'), '' where it names the one before ('hetzelfde als de
    vorige'), None where the answer says no such thing."""
    said = " ".join(_short(text).split()).strip(" .!?")
    m = _SAME_AS.fullmatch(said) if len(said) <= _CHOICE_LIMIT else None
    if m is None:
        return None
    name = (m["name"] or m["at"] or m["see"]).strip(" .!?'\"‘’“”")
    words = set(_tokens(name)) - _ARTICLES
    return "" if not words or words <= _PREVIOUS else name


def named_among(name: str, names: Sequence[Sequence[str]]) -> list[int]:
    """Which entries `name` names, by any of their names and typed roughly: 'de omwonenden'
    names 'Omwonenden', 'prorial' 'ProRail', 'omwonenden' 'omwonenden stationsplein' (all its
    words are there). Every entry named best where several are; [] where none is."""

    def words(text: str) -> str:
        return " ".join(t for t in _tokens(text) if t not in _ARTICLES)

    said = words(name)[:_FUZZY_LIMIT]
    if not said:
        return []
    scores = [
        max(
            (101.0 if said == words(n) else fuzz.token_set_ratio(said, words(n)[:_FUZZY_LIMIT]))
            for n in forms
            if n
        )
        if any(forms)
        else 0.0
        for forms in names
    ]
    best = max(scores, default=0.0)
    return [i for i, score in enumerate(scores) if score == best] if best >= _SURE else []


def asks_meaning(text: str) -> bool:
    """'wat bedoel je?', 'geen idee wat dat is': the person asks what the question means (a bare
    '?' is 'weet ik niet' in how people answer, not a question)."""
    return len(text) <= _CHOICE_LIMIT and _in(_tokens(text), "uitleg")


_PLACE = re.compile(
    r"(?:(?:de |in |in de )?gemeente )?(?P<name>(?:'[st][ -])?[^\W\d_][\w'’ -]{1,40})", re.I
)
# small words inside Dutch place names: 'Alphen aan den Rijn', 'Bergen op Zoom'
_PLACE_SMALL = {"aan", "den", "de", "der", "op", "en", "van", "bij", "in", "'s", "'t"}


def place_name(text: str) -> str | None:
    """The name in 'Haarlem', 'gemeente haarlem', 'alphen aan den rijn' ('Alphen aan den Rijn'),
    or None for what is not a name (a number, a sentence, yes or no)."""
    m = _PLACE.fullmatch(" ".join(text.split()).strip(" .!"))
    if m is None or len(m["name"].split()) > 5:
        return None
    name = m["name"].strip()
    tokens = _tokens(name)
    said_nothing = not set(tokens) - {"de", "het", "gemeente", "mijn", "onze", "s", "t"}
    if said_nothing or parsing.is_unknown(name) or _in(tokens, "lijst", "geen"):
        return None
    if tokens[0] in {"ja", "nee", "yes", "no"}:
        return None
    if name != name.casefold():
        return name  # typed with capitals: as typed
    words = name.split()
    return " ".join(
        w if i and w in _PLACE_SMALL else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


def ends_list(text: str) -> bool:
    """'klaar', 'dat was het', 'stop': the end of a list."""
    return len(text) <= _CHOICE_LIMIT and _in(_tokens(text), "lijst", "klaar")


def only_other(text: str) -> bool:
    """Whether the text chose 'anders' by that word or its number, not by a word that says what
    it is ('keukentafelgesprekken' is anders too, and names it)."""
    tokens = _content(_tokens(text)) or _tokens(text)
    if len(tokens) == 1 and _number(tokens[0]) is not None:
        return True
    return " ".join(tokens) in _OTHER


_OTHER = frozenset({"anders", "iets anders", "overig", "overige", "other", "something else"})


def command_meant(text: str) -> str | None:
    """The chat command a whole message means ('ga terug' -> 'terug'), or None."""
    if len(text) > _CHOICE_LIMIT:
        return None
    tokens = _tokens(text)
    return next((word for word in _words()["opdrachten"] if _in(tokens, "opdrachten", word)), None)


def _content(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for t in tokens if t not in _phrase_set("vulwoorden"))


@functools.cache
def _ordinals() -> dict[str, int]:
    return {w: n for words in _words()["rangtelwoorden"].values() for w, n in words.items()}


def _number(token: str) -> int | None:
    """The option number a word stands for: '3', '3e', '3de', 'derde', 'third'; else None."""
    if found := re.fullmatch(r"(\d+)(?:e|de|ste|st|nd|rd|th)?", token):
        return int(found.group(1))
    return _ordinals().get(token)


# --- choices --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Phrases:
    """Every option's phrases as word tuples, prepared once per set of options."""

    by_option: tuple[tuple[tuple[str, ...], ...], ...]
    exact: Mapping[str, frozenset[int]]  # a whole answer, spaced or not -> options
    words: frozenset[str]  # every word of every phrase


@functools.lru_cache(maxsize=256)
def _phrases(opts: tuple[Option, ...]) -> _Phrases:
    by_option = []
    exact: dict[str, set[int]] = {}
    for i, option in enumerate(opts):
        phrases = {_tokens(p) for p in (option.value, option.label, *option.words)} - {()}
        by_option.append(tuple(sorted(phrases)))
        for phrase in phrases:
            for key in (" ".join(phrase), "".join(phrase)):
                exact.setdefault(key, set()).add(i)
    words = frozenset(w for phrases in by_option for p in phrases for w in p)
    return _Phrases(tuple(by_option), {k: frozenset(v) for k, v in exact.items()}, words)


def _undiminished(token: str, words: frozenset[str]) -> str:
    """'wijkje' -> 'wijk', 'pleintje' -> 'plein': a diminutive of a word an option uses."""
    if token in words:
        return token
    for ending in ("etje", "tje", "pje", "je"):
        if token.endswith(ending) and token[: -len(ending)] in words:
            return token[: -len(ending)]
    return token


def _held(tokens: tuple[str, ...], phrase: tuple[str, ...]) -> tuple[float, int, int]:
    """Where the answer holds the phrase, as (strength, first word, end): the strength is the
    number of letters of its words that are not filler ('zelf' alone counts), a little less when
    the phrase only ends a longer word ('avond' in 'bewonersavond'); 0 when it is absent."""
    n = len(phrase)
    for i in range(len(tokens) - n + 1):
        if tokens[i : i + n] == phrase:
            meaningful = _content(phrase) or phrase
            return float(sum(map(len, meaningful))), i, i + n
    if n == 1 and len(phrase[0]) >= 4:
        for i, t in enumerate(tokens):
            if len(t) > len(phrase[0]) and t.endswith(phrase[0]):
                return len(phrase[0]) - 0.5, i, i + 1
    return 0.0, 0, 0


def _named(tokens: tuple[str, ...], table: _Phrases) -> list[tuple[float, int]]:
    """The options a phrase of which the answer holds, as (strength, option). An option whose
    phrase lies within another option's longer phrase does not count: 'online peiling' is
    online inbreng, not also a peiling; 'college en raad' is the raad. A word that names an option
    only at the start ('afdeling stadsontwikkeling') does not behind another ('Fietsersbond
    afdeling Leiden')."""
    first = next((k for k, t in enumerate(tokens) if t not in _phrase_set("vulwoorden")), 0)
    in_front = _phrase_set("alleen_vooraan")

    def held(phrase: tuple[str, ...]) -> tuple[float, int, int]:
        found = _held(tokens, phrase)
        return (0.0, 0, 0) if found[1] > first and " ".join(phrase) in in_front else found

    best = {}
    for i, phrases in enumerate(table.by_option):
        found = max(map(held, phrases))
        if found[0] > 0:
            best[i] = found
    return [
        (strength, i)
        for i, (strength, start, end) in best.items()
        if not any(
            j != i and s <= start and end <= e and (e - s, other) > (end - start, strength)
            for j, (other, s, e) in best.items()
        )
    ]


def _starts(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """Every word typed starts a word of the phrase: 'beslis' for 'beslisser'."""
    return all(any(p.startswith(w) for p in phrase) for w in words)


def _initials(phrase: tuple[str, ...]) -> str:
    return "".join(word[0] for word in phrase) if len(phrase) > 1 else ""


def _pick(ranked: list[tuple[float, int]], margin: float = 0.0) -> list[int]:
    """The best option when it stands out by `margin` or more, else the best two."""
    ranked = sorted(ranked, key=lambda r: (-r[0], r[1]))
    if len(ranked) == 1 or (margin and ranked[0][0] - ranked[1][0] >= margin):
        return [ranked[0][1]]
    return [ranked[0][1], ranked[1][1]]


def _choose(text: str, opts: tuple[Option, ...]) -> tuple[list[int], float]:
    """The options the text may mean, best first, and how sure: one option is a match, two are
    a question, none is a refusal."""
    if len(text) > _CHOICE_LIMIT:
        return [], 0.0
    tokens = _tokens(text)
    if not tokens:
        return [], 0.0
    # 'nummer 3', '3.', 'optie 3'
    numbers = [n for t in tokens if (n := _number(t)) is not None]
    if len(numbers) == 1 and len(tokens) <= 2 and (len(tokens) == 1 or _number(tokens[0]) is None):
        n = numbers[0]
        return ([n - 1], 1.0) if 1 <= n <= len(opts) else ([], 0.0)
    table = _phrases(opts)
    tokens = tuple(_undiminished(t, table.words) for t in tokens)
    content = _content(tokens)
    for form in (tokens, content):
        hits = table.exact.get(" ".join(form), frozenset()) | table.exact.get("".join(form), set())
        if hits:
            return sorted(hits)[:2], 1.0 if len(hits) == 1 else 0.5
    # A phrase of an option inside the answer: 'het college van B en W', 'inloopavond'. Two
    # options named apart ('niet de raad maar het college') are asked about, never guessed.
    if named := _named(tokens, table):
        return _pick(named), 0.9 if len(named) == 1 else 0.5
    # The start of an option's words: 'beslis', 'samen le', 'wordt'.
    typed_words = content or tokens
    if sum(map(len, typed_words)) >= 3:
        starts = [
            i
            for i, phrases in enumerate(table.by_option)
            if any(_starts(typed_words, p) for p in phrases)
        ]
        if starts:
            return starts[:2], 0.8 if len(starts) == 1 else 0.5
    # A typo: 'ondernmer', 'raadpegen', 'rad'.
    typed = " ".join(content or tokens)[:_FUZZY_LIMIT]
    if len(typed) >= 3:
        scored = [
            (max(fuzz.ratio(typed, " ".join(p)) for p in phrases), i)
            for i, phrases in enumerate(table.by_option)
        ]
        close = [(score, i) for score, i in scored if score >= _CLOSE]
        if close:
            picked = _pick(close, margin=_MARGIN)
            best = max(score for score, _ in close)
            return picked, best / 100 if best >= _SURE and len(picked) == 1 else 0.5
    # Initials: 'LV' for Leidschendam-Voorburg; worth asking, never taking.
    letters = "".join(tokens)
    if 2 <= len(letters) <= 4 and len(tokens) == 1:
        found = [
            i
            for i, phrases in enumerate(table.by_option)
            if any(_initials(p) == letters for p in phrases)
        ]
        if found:
            return found[:2], 0.5
    return [], 0.0


def _choice_refusal(opts: tuple[Option, ...], lang: str, **part: str) -> Understood:
    """'Die keuze ken ik niet. Kies een van deze: 1 = ...'; with a part: the one not known."""
    pairs = [(o.value, o.label) for o in opts]
    error = parsing.choice_error(pairs, "choices" if part else "choice", **part)
    return Understood(Outcome.refuse, message=error.message(lang))


def _ask(candidates: Sequence[Candidate], lang: str, key: str = "", **params: Any) -> Understood:
    # 'ondernemer of ontwikkelaar' between quotes, so 'Bedoel je A of B?' stays readable
    labels = [f"'{c.label}'" if re.search(r" (?:of|or) ", c.label) else c.label for c in candidates]
    if not key:
        key = "ask_one" if len(labels) == 1 else "ask_two"
    message = _say(key, lang, a=labels[0], b=labels[-1], **params)
    other = _say(f"{key}_other", lang) if len(candidates) == 1 else ""
    return Understood(
        Outcome.ask, message=message, candidates=tuple(candidates), confidence=0.5, other=other
    )


# 'wij als fietsersbond ...', 'ik als ondernemer': who speaks, named by what they are
_WE_AS = re.compile(r"(?:wij|we|ik|i)\s+(?:als|as)\s+(?P<who>.+)", re.I)
# 'de fietsersbond samen met de gemeente': the one before it leads
_TOGETHER = re.compile(
    r"\s+(?:samen met|in samenwerking met|i\.?s\.?m\.?|together with|in cooperation with)\s+",
    re.I,
)
# where the one who speaks ends: 'wij als bewoners, met hulp van de school'
_WHO_ENDS = re.compile(r"\s*[,;(]\s*|\s+(?:met|en|maar|want|with|and|but)\s+", re.I)


def _leader(text: str) -> tuple[str, str]:
    """Who leads in an answer that names more than one, and the rest: 'wij als fietsersbond
    afdeling leiden samen met de gemeente' -> ('fietsersbond afdeling leiden', 'de gemeente');
    ('', '') where it says no such thing."""
    said = " ".join(text.split())
    if m := _WE_AS.match(said):
        who, *rest = _WHO_ENDS.split(_TOGETHER.split(m["who"], maxsplit=1)[0], maxsplit=1)
        return who, m["who"][len(who) :]
    first, *rest = _TOGETHER.split(said, maxsplit=1)
    return (first, rest[0]) if rest and first.strip() else ("", "")


def _led_by(text: str, opts: tuple[Option, ...], lang: str) -> Understood | None:
    """What the one who leads is, where the answer names more than one ('wij als fietsersbond
    samen met de gemeente'): the answer read from the leader alone; a refusal that asks which
    option fits the leader where only the other one is named; None where no leader is said."""
    leader, rest = _leader(text) if len(text) <= _CHOICE_LIMIT else ("", "")
    if not _tokens(leader):
        return None
    if _choose(leader, opts)[0]:
        return _read_choice(leader, opts, lang)
    if _choose(rest, opts)[0]:
        # 'de werkgroep samen met de gemeente': the gemeente is named, but does not lead
        listing = parsing.choice_error([(o.value, o.label) for o in opts]).params
        return _refuse("choice_lead", lang, **{**listing, "part": leader.strip()[:40]})
    return None


# a hedge after the choice: '1 en 2 denk ik', '3 ofzo', 'adviseren, geloof ik'
_HEDGE_AFTER = re.compile(
    r"(?:[\s,]+|^)(?:denk ik|geloof ik|volgens mij|ofzo|of zo|misschien|i think|i guess|maybe)"
    r"[\s.!?]*$",
    re.I,
)


def _understand_choice(text: str, opts: tuple[Option, ...], lang: str) -> Understood:
    text = _HEDGE_AFTER.sub("", text) or text
    if led := _led_by(text, opts, lang):
        return led
    return _read_choice(text, opts, lang)


def _read_choice(text: str, opts: tuple[Option, ...], lang: str) -> Understood:
    picked, confidence = _choose(text, opts)
    if len(picked) != 1 or confidence < _SURE / 100:
        # 'buurt, een paar straten': the option before the comment, not a choice between the
        # option and a word in the comment
        clause, rest = parsing.first_clause(text)
        if rest and (first := _choose(clause, opts)) and len(first[0]) == 1:
            if first[1] >= _SURE / 100:
                picked, confidence = first
                # 'denken mee, raadplegen': a second option in so many words, not a comment
                second = _phrases(opts).exact.get(" ".join(_tokens(rest)), frozenset())
                if len(second) == 1 and first[0][0] not in second:
                    picked, confidence = [first[0][0], *second], 0.5
    if not picked:
        return _choice_refusal(opts, lang)
    if len(picked) == 1 and (doubt := _OR_ELSE.search(text)):
        # 'college denk ik, of toch de raad?': one option, then another in doubt; asked about
        other, sure = _choose(text[doubt.end() :], opts)
        if len(other) == 1 and other[0] != picked[0] and sure >= _SURE / 100:
            return _ask(
                [Candidate(opts[i].value, opts[i].label) for i in (picked[0], other[0])], lang
            )
    if len(picked) == 1 and confidence >= _SURE / 100:
        return _match(opts[picked[0]].value, opts[picked[0]].label, lang, confidence)
    return _ask([Candidate(opts[i].value, opts[i].label) for i in picked], lang)


# 'of toch', '(of ...?)' after an option: a second thought
_OR_ELSE = re.compile(
    r"(?:^|[\s,(])(?:of|or)(?: toch| misschien| eventueel| maybe| perhaps)?\s", re.I
)
_SEPARATORS = re.compile(r"[,;/+&\n]| en | and | plus | ook | also ")
# '1-3', '1 t/m 3', '2 tot en met 4': the options from one number up to another
_RANGE = re.compile(r"\s*(\d+)\s*(?:-|–|t/m|tm|tot en met|tot|to|through)\s*(\d+)\s*")


# words that refuse a choice: 'geen van beide' is not 'beide'
_NOT = frozenset({"geen", "niet", "niks", "niets", "none", "neither", "not", "no", "nee"})


def _all_among_words(tokens: tuple[str, ...], opts: tuple[Option, ...]) -> bool:
    """'allebei wel', 'doe maar beide', 'neem ze allemaal': a word for all of them in a short
    answer that names no option, no number and no 'geen'."""
    alle = {phrase for phrase in _phrase_set("alle") if " " not in phrase}
    return (
        0 < len(tokens) <= 5
        and bool(alle & set(tokens))
        and not _NOT & set(tokens)
        and not any(_number(t) is not None for t in tokens)
        and not _named(tokens, _phrases(opts))
    )


# 'allebei, plus een inloopavond': what is chosen, then more that is not among the options
_PLUS = re.compile(
    r"\s*(?:,\s*|\s)(?:en )?(?:plus|daarnaast|ook nog|en ook|and also|plus also)\s+", re.I
)


def _understand_multi(text: str, opts: tuple[Option, ...], lang: str) -> Understood:
    got = _understand_multi_only(text, opts, lang)
    if got.outcome is Outcome.refuse and len(parts := _PLUS.split(text, maxsplit=1)) == 2:
        first = _understand_multi_only(parts[0], opts, lang)
        rest = parts[1].strip(" .!")
        if (
            first.outcome is Outcome.match
            and rest
            and _understand_multi_only(rest, opts, lang).outcome is Outcome.refuse
        ):
            # what is not among the options is said to be left out, not silently dropped
            more = _say("multi_more", lang, more=rest)
            return replace(first, echo=f"{first.echo}\n{more}")
    return got


def _understand_multi_only(text: str, opts: tuple[Option, ...], lang: str) -> Understood:
    text = _HEDGE_AFTER.sub("", text) or text
    tokens = _tokens(text) if len(text) <= _CHOICE_LIMIT else ()
    span = _RANGE.fullmatch(text.casefold()) if tokens else None
    if " ".join(tokens) in _phrase_set("alle") or _all_among_words(tokens, opts):
        chosen = list(range(len(opts)))
    elif span and 1 <= int(span[1]) <= int(span[2]) <= len(opts):
        chosen = list(range(int(span[1]) - 1, int(span[2])))
    elif (whole := _choose(text, opts)) and whole[1] == 1.0:
        chosen = whole[0][:1]
    else:
        chosen = []
        # brackets hold words like any others: 'samen doen (en een beetje meedenken)'
        unbracketed = re.sub(r"\s*[()]\s*", " ", text.casefold())
        pieces = _SEPARATORS.split(unbracketed) if tokens else []
        if len(pieces) == 1 and all(_number(t) for t in tokens):  # '1 3'
            pieces = list(tokens)
        for piece in pieces:
            if not _content(_tokens(piece)) and not any(_number(t) for t in _tokens(piece)):
                continue
            result = _understand_choice(piece, opts, lang)
            if result.outcome is Outcome.ask:
                return result
            if result.outcome is not Outcome.match:
                return _choice_refusal(opts, lang, part=piece.strip()[:40])
            chosen.append(next(i for i, o in enumerate(opts) if o.value == result.value))
    if not chosen:
        return _choice_refusal(opts, lang)
    values = [o for i, o in enumerate(opts) if i in set(chosen)]
    return _match([o.value for o in values], ", ".join(o.label for o in values), lang, 0.9)


# --- dates and periods ----------------------------------------------------------------------


def day_text(d: date, lang: str) -> str:
    """'woensdag 24 februari 2027': a day as the understanding reads it back."""
    return format_date(d, "EEEE d MMMM y", locale="en" if lang == "en" else "nl")


def _span(start: date, end: date, lang: str) -> str:
    locale = "en" if lang == "en" else "nl"
    first = format_date(start, "d MMMM" if start.year == end.year else "d MMMM y", locale=locale)
    return _say("period", lang, start=first, end=format_date(end, "d MMMM y", locale=locale))


def _named_weekday(text: str) -> int | None:
    """The weekday named beside a written date ('woensdag 24 februari'), if any."""
    if not re.search(r"[0-9]", text):
        return None
    # 'woensdagmiddag 21 januari' names a Wednesday too
    tokens = [
        re.sub(r"(dag)(?:ochtend|morgen|middag|avond|nacht)$", r"\1", t) for t in _tokens(text)
    ]
    weekdays = parsing.weekday_numbers()
    named = {weekdays[t] for t in tokens if t in weekdays}
    return named.pop() if len(named) == 1 else None


def plan_anchors(plan: Plan) -> tuple[Anchor, ...]:
    """The plan's dated moments by the words that name them: the besluit, the rapportage, the
    last activity, and each activity by its description and (when it is the only one of that
    kind) its kind."""
    found: list[Anchor] = []
    for key, when in (("besluit", plan.besluitdatum), ("rapportage", plan.rapportage_datum)):
        if when:
            found.append((_phrase_set("ankers", key), when, when))
    ends = [a.eind or a.start for a in plan.activiteiten if a.eind or a.start]
    if ends:
        last = max(ends)
        found.append((_phrase_set("ankers", "laatste_activiteit"), last, last))
    kinds = [a.type for a in plan.activiteiten]
    for a in plan.activiteiten:
        if a.start is None:
            continue
        names = set()
        if (a.omschrijving or "").strip():
            names.add(" ".join(_tokens(a.omschrijving)))
        if kinds.count(a.type) == 1:
            names.add(" ".join(_tokens(a.type.value)))
        if names:
            names_said = frozenset(n for name in names for n in (name, f"de {name}"))
            found.append((names_said, a.start, a.eind or a.start))
    return tuple(found)


# the activity being planned, for '3 weken van tevoren', '2 weken ervoor'
THIS = "dit"


def item_anchor(activiteit: Activiteit) -> tuple[Anchor, ...]:
    """The activity the question is about, by 'dit' and its kind and description."""
    if activiteit.start is None:
        return ()
    names = {THIS, " ".join(_tokens(activiteit.type.value))}
    if (activiteit.omschrijving or "").strip():
        names.add(" ".join(_tokens(activiteit.omschrijving)))
    names_said = frozenset(n for name in names for n in (name, f"de {name}"))
    return ((names_said, activiteit.start, activiteit.eind or activiteit.start),)


# 'N weken van tevoren', 'ervoor', 'vooraf': before the activity the question is about
_BEFOREHAND = re.compile(
    r"(?P<amount>.+?) (?:van tevoren|ervoor|daarvoor|vooraf|in advance|before)$"
)


_AMOUNT_OF_TIME = (
    r"(?P<n>[0-9]{1,2}|een|twee|drie|vier|vijf|zes|a|one|two|three|four|five|six) "
    r"(?P<unit>dag|dagen|week|weken|maand|maanden|days?|weeks?|months?)"
)
_RELATIVE = re.compile(
    rf"(?:{_AMOUNT_OF_TIME}"
    r"|(?P<close>vlak|kort|net|direct|meteen|snel|ergens|een tijdje|zo snel mogelijk))? ?"
    r"(?P<rel>na|voor|vóór|after|before) (?P<what>.+)"
)
# 'dan een week eerder', 'nog 2 dagen later': moved from the date given
_SHIFT = re.compile(
    rf"(?:(?:dan|nog|toch|maar|liever|then|make it) )*{_AMOUNT_OF_TIME} "
    r"(?P<dir>eerder|vroeger|later|earlier|sooner)(?: dan| then)?"
)
# 'op de workshop zelf', 'tijdens de inloopavond', 'dezelfde dag als het besluit'
_AT = re.compile(
    r"(?:(?:ook |gewoon |dan )?(?:op|tijdens|bij|at|during|on)|(?:de)?zelfde dag als|same day as"
    r"|(?P<with>(?:tegelijk|gelijk|samen|together) (?:met|with)))"
    r" (?P<what>.+?)(?: zelf| itself)?"
)
# in English too: 'a week before', 'two weeks in advance'
_SMALL_NUMBERS = {
    **{"een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6},
    **{"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6},
}


def _anchored(what: str, anchors: tuple[Anchor, ...]) -> tuple[date, date] | None:
    """The first and last day of the moment `what` names: by one of its names, or by words of
    one name only ('de informatieavond' for the activity 'informatieavond definitief ontwerp')."""
    if exact := next(((a, b) for names, a, b in anchors if what in names), None):
        return exact
    words = set(re.sub(r"^(?:de|het|the) ", "", what).split())
    partial = {
        (a, b) for names, a, b in anchors for name in names if words and words <= set(name.split())
    }
    return partial.pop() if len(partial) == 1 else None


def _moved(day: date, amount: re.Match[str], sign: int) -> date:
    """`day` moved by the amount of time `amount` matched (_AMOUNT_OF_TIME), back when `sign`
    is -1: '2 weken' after, 'een maand' before."""
    n = _SMALL_NUMBERS.get(amount["n"]) or int(amount["n"])
    if amount["unit"].startswith(("maand", "month")):
        return parsing.add_months(day, sign * n)
    return day + timedelta(days=sign * n * (7 if amount["unit"].startswith("we") else 1))


def _relative_to_plan(text: str, asked: Asked, today: date, lang: str) -> Understood | None:
    """'2 weken na de inloopavond' (that day), 'vlak voor het besluit' (a working day a week
    before it, to confirm); None when the text names no moment of the plan."""
    said = " ".join(text.casefold().split()).strip(" .!?")
    # 'week na de plantdag', 'dag voor het besluit': one of them
    said = re.sub(r"^(?:de )?(dag|week|maand)(?= (?:na|voor|vóór) )", r"een \1", said)
    if beforehand := _BEFOREHAND.fullmatch(said):
        said = f"{beforehand['amount']} voor {THIS}"
    if (shift := _SHIFT.fullmatch(said)) and isinstance(asked.current, date):
        # 'dan een week eerder', after a tip on the date just given: from that date
        sign = -1 if shift["dir"] in {"eerder", "vroeger", "earlier", "sooner"} else 1
        found = _moved(asked.current, shift, sign)
        if found < today and not asked.past_ok:
            examples = parsing.date_examples(today, lang)
            return Understood(Outcome.refuse, message=_say("date_past", lang, **examples))
        return _match(found, day_text(found, lang), lang)
    if (at := _AT.fullmatch(said)) and (
        days := _anchored(" ".join(_tokens(at["what"])), asked.anchors)
    ):
        # 'op de workshop zelf', 'tijdens de informatieavond': that day (the first of a period)
        when = days[0]
        if at["with"]:
            # 'tegelijk met de workshop' where an announcement is asked may also mean together
            # with the workshop's own announcement: the day is asked about, not taken
            what = at["what"].strip()
            return _ask([Candidate(when, day_text(when, lang))], lang, "ask_same_day", what=what)
        return _match(when, day_text(when, lang), lang)
    m = _RELATIVE.fullmatch(said)
    if m is None or not asked.anchors:
        return None
    days = _anchored(" ".join(_tokens(m["what"])), asked.anchors)
    if days is None:
        return None
    sign = -1 if m["rel"] in {"voor", "vóór", "before"} else 1
    # before a survey open for three weeks is before it opens, after it is after it closes
    when = days[0] if sign < 0 else days[1]
    if m["n"]:
        found = _moved(when, m, sign)
        return _match(found, day_text(found, lang), lang)
    proposal = parsing.working_day(when + timedelta(days=sign * 7))
    if not asked.past_ok:
        proposal = max(proposal, today)
    return _ask([Candidate(proposal, day_text(proposal, lang))], lang, "ask_vague")


# 'na de zomer als het speelveld klaar is': the time, then when or why
_WHEN_CLAUSE = re.compile(r" (?:als|zodra|wanneer|omdat|want|once|when|because) ")
# 'zomer 2027 na het eerste seizoen': the time, then what it follows; not '2 weken na de
# opening', where the part before it is no time of its own
_AFTER_CLAUSE = re.compile(r" (?:na|after) ")
_DURATION_END = re.compile(
    r"(?:dag|dagen|week|weken|maand|maanden|jaar|jaren|days?|weeks?|months?|years?)\s*$", re.I
)


def _rhythm(text: str) -> bool:
    """'elke maand', 'wekelijks', 'om de 2 weken': how often, not when."""
    return _rhythm_of(text) is not None


def _before_comment(read: Any) -> Any:
    """A reading of a date or period that, where the whole answer cannot be read, reads the
    part before a comment: 'na de zomer, sept of okt?', 'eind juni tot half juli, ong 3 weken',
    'na de zomer als het klaar is'."""

    @functools.wraps(read)
    def reading(text: str, asked: Asked, today: date, lang: str) -> Understood:
        got = read(text, asked, today, lang)
        if got.outcome is not Outcome.refuse:
            return got
        clause, rest = parsing.first_clause(text)
        if not rest and (when := _WHEN_CLAUSE.search(text)) and when.start() > 0:
            clause, rest = text[: when.start()], text[when.end() :]
        if not rest and len(parts := _time_parts(text)) == 3:
            # 'begin april na de paasvakantie': the part that can be read
            clause, rest = parts[1], parts[2]
        elif (
            not rest
            and (after := _AFTER_CLAUSE.search(text))
            and after.start() > 0
            and not _DURATION_END.search(text[: after.start()])
        ):
            clause, rest = text[: after.start()], text[after.end() :]
        if rest:
            first = read(clause, asked, today, lang)
            if first.outcome is not Outcome.refuse:
                return first
            if _rhythm(clause):
                # 'elke maand, de eerste half januari': the first time follows the rhythm
                second = understand(rest, asked, today=today, lang=lang)
                if second.outcome in (Outcome.match, Outcome.ask):
                    return second
        return got

    return reading


# 'op een woensdagmiddag', ', dinsdagavond': the day of the week a time falls on
_ON_WEEKDAY = re.compile(
    r",? ?\b(?:op )?(?:een |de )?(?P<day>[a-z]+?dag)(?:ochtend|morgen|middag|avond)?\b,?", re.I
)


def _on_weekday(read: Any) -> Any:
    """A date read with the day of the week it names, when the words name one without a number:
    'half januari, op een woensdagmiddag' is the Wednesday nearest the 15th (in January),
    proposed to confirm. A written date with another weekday is asked about by the reading."""

    @functools.wraps(read)
    def reading(text: str, asked: Asked, today: date, lang: str) -> Understood:
        got = read(text, asked, today, lang)
        weekdays = parsing.weekday_numbers()
        named = [
            (m, weekdays[m["day"].casefold()])
            for m in _ON_WEEKDAY.finditer(text)
            if m["day"].casefold() in weekdays
        ]
        if len(named) != 1 or re.search(r"[0-9]", text):
            return got
        m, weekday = named[0]
        if got.outcome is Outcome.refuse:
            rest = (text[: m.start()] + " " + text[m.end() :]).strip(" ,")
            if not rest:
                return got
            got = read(rest, asked, today, lang)
        if got.outcome is Outcome.match:
            day = got.value
        elif got.outcome is Outcome.ask and len(got.candidates) == 1:
            day = got.candidates[0].value
        else:
            return got
        if not isinstance(day, date) or day.weekday() == weekday:
            return got
        before = day - timedelta(days=(day.weekday() - weekday) % 7)
        after = before + timedelta(days=7)
        # in the month the time was named in, then the nearest; never in a holiday, as no
        # proposal is (the week before or after it, on the same weekday)
        from handreiking.calendar import free_day

        options = [before, after, before - timedelta(days=7), after + timedelta(days=7)]
        options.sort(
            key=lambda d: (not free_day(d, asked.regio), d.month != day.month, abs(d - day))
        )
        if not asked.past_ok:
            options = [d for d in options if d >= today] or [after]
        return _ask([Candidate(options[0], day_text(options[0], lang))], lang, "ask_vague")

    return reading


# 'begin maart', 'eind januari': a part of a month, read as its first, 15th or last day
_MONTH_PART = re.compile(
    r"(?:begin|start|half|halverwege|medio|midden|eind|einde|end|early|mid|late)\b", re.I
)


# where a second time starts without a comma: 'half januari na de kerstvakantie'
_SECOND_TIME = re.compile(r" (?=(?:na|voor|vóór|rond|tijdens|after|before|around) (?:de|het|the) )")


def _names_month(text: str) -> bool:
    return bool(parsing.month_names() & {w.casefold().strip(",.") for w in text.split()})


def _time_parts(text: str) -> list[str]:
    """The answer, and the two parts it names a time in where it names two: at its first
    comma, or where a second time starts ('half januari na de kerstvakantie')."""
    clause, rest = parsing.first_clause(text)
    if not rest and (m := _SECOND_TIME.search(text)) and _names_month(text[: m.start()]):
        clause, rest = text[: m.start()], text[m.end() :]
    return [text, clause, rest] if rest else [text]


def _narrowest(text: str, today: date, regio: str | None) -> tuple[date, date, date] | None:
    """The time the answer names, or the narrowest of the two its parts name: in 'ergens in
    het voorjaar, maart of zo' the second says which part of spring."""
    parts = _time_parts(text)
    times = [f for part in parts if (f := parsing.parse_vague(part, today, regio)) is not None]
    if len(times) == 2:
        # 'februari ergens, na carnaval': the time both name, where one's proposal lies in it
        start, end = max(times[0][0], times[1][0]), min(times[0][1], times[1][1])
        within = sorted((f for f in times if start <= f[2] <= end), key=lambda f: f[1] - f[0])
        if start <= end and within:
            return start, end, within[0][2]
    return min(times, key=lambda f: f[1] - f[0]) if times else None


def _day_named(text: str, today: date) -> date | None:
    """A day one part of the answer names beside a vague time: 'na de kerst, half jan' is
    15 January, not the first day after the holiday (proposed, so it is confirmed)."""
    for part in _time_parts(text)[1:]:
        if not (re.search(r"[0-9]", part) or _MONTH_PART.match(part.strip())):
            continue  # 'maart of zo' names a month, not a day: the vague reading has it
        try:
            return parsing.parse_date(part, today)
        except parsing.ParseError:
            continue
    return None


def _after_label(read: Any) -> Any:
    """A reading of a date that, where the whole answer cannot be read, reads it from the
    first word that names a month: 'raadsvergadering juni 2027', 'de commissie van maart'."""

    @functools.wraps(read)
    def reading(text: str, asked: Asked, today: date, lang: str) -> Understood:
        got = read(text, asked, today, lang)
        if got.outcome is not Outcome.refuse:
            return got
        words = text.split()
        months = parsing.month_names()
        at = next((i for i, w in enumerate(words) if w.casefold().strip(",.") in months), 0)
        while at > 0 and (words[at - 1].isdigit() or _MONTH_PART.fullmatch(words[at - 1])):
            at -= 1  # '12 maart', 'eind maart' belong to the month
        # further on only a day with its month: 'tegelijk met de aankondiging daarvan, dus
        # 19 december' (not any word in a sentence that happens to name a month)
        # ('na de raad van 12 maart' is not 12 March itself)
        relative = {"na", "voor", "vóór", "rond", "after", "before", "around"}
        further = (
            at > 3 and words[at].isdigit() and not relative & {w.casefold() for w in words[:at]}
        )
        if 0 < at <= 3 or further:
            again = read(" ".join(words[at:]), asked, today, lang)
            if again.outcome is not Outcome.refuse:
                return again
        return got

    return reading


@_on_weekday
@_after_label
@_before_comment
def _understand_date(text: str, asked: Asked, today: date, lang: str) -> Understood:
    if relative := _relative_to_plan(text, asked, today, lang):
        return relative
    if vague := _narrowest(text, today, asked.regio):
        proposal = max(vague[2], today) if not asked.past_ok else vague[2]
        if (named := _day_named(text, today)) and (asked.past_ok or named >= today):
            proposal = named
        return _ask([Candidate(proposal, day_text(proposal, lang))], lang, "ask_vague")
    try:
        found = parsing.parse_date(text, today)
    except parsing.ParseError as error:
        return Understood(Outcome.refuse, message=error.message(lang))
    if not asked.past_ok and found < today:
        examples = parsing.date_examples(today, lang)
        return Understood(Outcome.refuse, message=_say("date_past", lang, **examples))
    if _MONTH_PART.match(text.strip()):
        # 'eind januari' is a working day at the end of January, not Sunday the 31st
        free = parsing.working_day_in_month(found)
        found = free if asked.past_ok or free >= today else found
    weekday = _named_weekday(text)
    if weekday is not None and weekday != found.weekday():
        # 'dinsdag 24 februari' while the 24th is a Wednesday: which of the two?
        other = found + timedelta(days=weekday - found.weekday())
        names = get_day_names("wide", locale="en" if lang == "en" else "nl")
        return _ask(
            [Candidate(found, day_text(found, lang)), Candidate(other, day_text(other, lang))],
            lang,
            "ask_weekday",
            written=datum(found) if lang != "en" else format_date(found, "d MMMM y", locale="en"),
            weekday=names[found.weekday()],
        )
    return _match(found, day_text(found, lang), lang)


@_before_comment
def _understand_period(text: str, asked: Asked, today: date, lang: str) -> Understood:
    try:
        start, end = parsing.parse_period(text, today)
    except parsing.ParseError as error:
        vague = parsing.parse_vague(text, today, asked.regio)
        within = parsing.parse_length_in(text, today, asked.regio) if vague is None else None
        if within is not None:  # '2 weken in februari': that long, from the start of it
            vague = (*within, within[0])
        if vague is None:
            return Understood(Outcome.refuse, message=error.message(lang))
        periode = Periode(van=vague[0], tot=vague[1])
        label = _span(periode.van, periode.tot, lang)
        return _ask([Candidate(periode, label)], lang, "ask_vague_period")
    if not asked.past_ok and end < today:
        examples = parsing.date_examples(today, lang)
        return Understood(Outcome.refuse, message=_say("period_past", lang, **examples))
    return _match(Periode(van=start, tot=end), _span(start, end, lang), lang)


# --- numbers, money, frequencies ------------------------------------------------------------


def _number_text(value: float, lang: str) -> str:
    return format_decimal(value, locale="en" if lang == "en" else "nl")


def _understand_hours(text: str, lang: str) -> Understood:
    try:
        low, high, estimate = parsing.parse_hours(text)
    except parsing.ParseError as error:
        return Understood(Outcome.refuse, message=error.message(lang))
    if high is None:
        shown = _say("hours", lang, value=_number_text(low, lang))
    else:
        low_text, high_text = _number_text(low, lang), _number_text(high, lang)
        shown = _say("hours_range", lang, low=low_text, high=high_text)
    if estimate and high is None:
        shown = _say("estimate", lang, value=shown)
    return _match(Aantal(waarde=low, max=high, schatting=estimate), shown, lang)


def _understand_number(text: str, lang: str) -> Understood:
    try:
        number, estimate = parsing.parse_number(text)
    except parsing.ParseError as error:
        return Understood(Outcome.refuse, message=error.message(lang))
    shown = _number_text(number, lang)
    if estimate:
        shown = _say("estimate", lang, value=shown)
    return _match(Aantal(waarde=number, schatting=estimate), shown, lang)


def _understand_money(text: str, lang: str) -> Understood:
    try:
        low, high, estimate = parsing.parse_money(text)
    except parsing.ParseError as error:
        return Understood(Outcome.refuse, message=error.message(lang))
    value = Bedrag(min=low, max=high, schatting=estimate)
    shown = bedrag(value) if low or high else f"{euro(0)} ({_say('free', lang)})"
    if lang == "en":
        shown = shown.replace("ca. ", "about ")
    return _match(value, shown, lang)


_AMOUNT_READERS = {
    "hours": _understand_hours,
    "number": _understand_number,
    "money": _understand_money,
}
_NUMBER_IN_TEXT = re.compile(r"(?<![\w.,])[0-9][0-9.,]*")
# '300 is wat krap, maak er 500 van', 'niet 8 maar 12': the second amount replaces the first
_INSTEAD = re.compile(
    r"\b(?:maak er|maken er|doe maar|doe|zet er|zet maar|liever|eerder|maar|wordt|dus|make it"
    r"|rather|but)\b"
)
# words around the one number that only say how sure it is: 'eerder 50', '40, schat ik'
_HEDGED_NUMBER = re.compile(
    r"(?:(?:eerder|liever|meer|iets|toch|ik denk|denk ik|schat ik|zeg|zo'?n|zo|ongeveer|rond de"
    r"|rond|om en nabij|ofzo|of zo"
    r"|maximaal|max|hooguit|minstens|wel|rather|more like)\b[ ,]*)+"
)


def _amount_with_words(read: Any, text: str, lang: str) -> Understood:
    """An amount, also among words the strict reading refuses: a correction of the proposal
    ('300 is wat krap, maak er 500 van'), a comment after it ('12, met voorbereiding'), a
    hedge around it ('eerder 50') or how many times ('6 keer 150 euro')."""
    if (times := _TIMES.search(text)) and _NUMBER_IN_TEXT.search(rest := _TIMES.sub(" ", text)):
        if counted := _times(read, int(times["n"]), rest, lang):
            return counted
    got = read(text, lang)
    if got.outcome is not Outcome.refuse:
        return got
    if _PER_TIME.search(text) and (numbers := _NUMBER_IN_TEXT.findall(text)):
        # '150 euro per keer': the plan counts what the whole activity costs
        return _refuse("per_time", lang, value=numbers[0])
    numbers = list(_NUMBER_IN_TEXT.finditer(text))
    if len(numbers) == 2 and _INSTEAD.search(text, numbers[0].end(), numbers[1].start()):
        again = read(text[numbers[1].start() :].split(" van")[0], lang)
        if again.outcome is not Outcome.refuse:
            return again
    clause, rest = parsing.first_clause(text)
    if rest and len(numbers) == 1 and numbers[0].start() < len(clause):
        hedged = _HEDGED_NUMBER.fullmatch(rest.casefold().strip(" ,.")) is not None
        again = read(f"ca. {clause}" if hedged else clause, lang)
        if again.outcome is not Outcome.refuse:
            return again
    bare = _HEDGED_NUMBER.sub(" ", text.casefold()).strip(" ,.")
    if len(numbers) == 1 and bare != text.casefold().strip(" ,."):
        again = read(f"ca. {bare}", lang)
        if again.outcome is not Outcome.refuse:
            return again
    parts = [p for p in _SENTENCE_PARTS.split(text) if p.strip()]
    if len(numbers) == 1 and len(parts) > 1:
        # 'niks, de kantine is van ons. koffie 50 euro ofzo': the part that holds the amount
        part = next(p for p in parts if _NUMBER_IN_TEXT.search(p))
        again = _amount_with_words(read, part, lang)
        if again.outcome is not Outcome.refuse:
            return again
    return got


# where one part of an answer ends and the next begins; not inside '1.500,50'
_SENTENCE_PARTS = re.compile(r"(?<![0-9])[.;,](?![0-9])\s*|[.;,]\s+")


# how many times: '6 keer', '6x', '6 ×', 'zes maal'; and the words that say an amount is for
# one of them
_TIMES = re.compile(
    r"(?<![\w.,])(?P<n>[0-9]{1,3}) ?(?:keer|maal|times|(?:[a-z]+ ?)?(?:x|×))(?!\w)", re.I
)
_PER_TIME = re.compile(
    r"(?:per|elke|iedere|p/|/) ?(?:keer|editie|uitgave|avond|bijeenkomst|maand|mnd|week|stuk"
    r"|m|time|edition|month|week|session)\b",
    re.I,
)


def _times(read: Any, n: int, text: str, lang: str) -> Understood | None:
    """'6 keer 150 euro': six times the amount the rest reads as, said back with the sum."""
    once = _amount_with_words(read, _PER_TIME.sub(" ", text).strip(" ,"), lang)
    if once.outcome is not Outcome.match or n < 1:
        return None
    if n == 1:
        return once
    value = once.value
    if isinstance(value, Bedrag):
        low, high, estimate = value.min * n, value.max and value.max * n, value.schatting
    else:
        low, high, estimate = value.waarde * n, value.max and value.max * n, value.schatting
    total = " - ".join(_plain_number(v) for v in (low, high) if v is not None)
    got = read(f"ca. {total}" if estimate else total, lang)
    if got.outcome is not Outcome.match:
        return None
    single = once.echo.removeprefix("→ ")
    return replace(got, echo=f"{got.echo} ({n} × {single})")


def _plain_number(value: float) -> str:
    """A number as the readers read it back: '900', '1500,5'."""
    return str(int(value)) if value == int(value) else f"{value:.2f}".replace(".", ",")


def every(weeks: int, lang: str = "nl") -> str:
    """'elke week', 'elke 4 weken': a frequency as the bot says it."""
    return _say("every_week", lang) if weeks == 1 else _say("every_weeks", lang, n=weeks)


# 'na elke bijeenkomst een mailtje', 'na elk overleg': after each step, whatever it is called
_AFTER_EACH = re.compile(r" (?:na|bij|per|after) (?:elke|elk|iedere|ieder|each|every) [a-z]{3,} ")


def _understand_frequency(text: str, lang: str, proposal: Any = None) -> Understood:
    try:
        weeks, other = parsing.parse_frequency(text)
    except parsing.ParseError as error:
        # 'via de nieuwsbrief, dus maandelijks': the one part that says how often
        parts = _PARTS.split(text) if len(text) <= _CHOICE_LIMIT else []
        read = [got for part in parts if (got := _rhythm_of(part))]
        if len(read) == 1:
            weeks, other = read[0]
            return (
                _match(weeks, every(weeks, lang), lang)
                if other is None
                else _ask([Candidate(w, every(w, lang)) for w in (weeks, other)], lang)
            )
        # 'als er nieuws is', 'na elke activiteit': fine, and a rhythm still keeps the reminder
        weeks = proposal if isinstance(proposal, int) else 4
        said = f" {' '.join(_tokens(_short(text)))} "
        if _AFTER_EACH.search(said) or any(f" {p} " in said for p in _phrase_set("bij_nieuws")):
            return _ask([Candidate(weeks, every(weeks, lang))], lang, "ask_rhythm")
        return Understood(Outcome.refuse, message=error.message(lang))
    if other is not None:
        return _ask([Candidate(w, every(w, lang)) for w in (weeks, other)], lang)
    return _match(weeks, every(weeks, lang), lang)


# where one part of an answer ends and the next begins: 'via de nieuwsbrief, dus maandelijks'
_PARTS = re.compile(r"[,;:]|\s(?:dus|en|so|and)\s", re.I)


def _rhythm_of(text: str) -> tuple[int, int | None] | None:
    try:
        return parsing.parse_frequency(text)
    except parsing.ParseError:
        return None


# --- the answer as a whole ------------------------------------------------------------------


def _example(asked: Asked, today: date, lang: str) -> str:
    """An answer to show as an example, or '' where only the question knows one that fits (a
    place fits 'Waar is de bijeenkomst?', not 'Hoe evalueer je het traject?')."""
    if asked.kind in ("text", "long_text"):
        return asked.example
    if asked.kind in ("choice", "multi") and asked.options:
        return asked.options[0].label
    if asked.kind in ("date", "period"):
        examples = parsing.date_examples(today, lang)
        return examples["example" if asked.kind == "date" else "example_period"]
    return _say(f"example_{asked.kind}", lang)


def _refuse_with_example(key: str, asked: Asked, today: date, lang: str) -> Understood:
    """The message `key` with an example that fits the question, or its `<key>_plain` wording
    where there is none."""
    if example := _example(asked, today, lang):
        return _refuse(key, lang, example=example)
    return _refuse(f"{key}_plain", lang)


def _show(value: Any, asked: Asked, lang: str) -> str:
    """A stored value as the echo shows it."""
    if asked.kind == "frequency" and isinstance(value, int):
        return every(value, lang)
    if asked.kind in ("choice", "multi"):
        labels = {o.value: o.label for o in asked.options}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(v, str(v)) for v in values)
    if isinstance(value, date):
        return day_text(value, lang)
    return str(value)


def _only_yesno(text: str, tokens: tuple[str, ...]) -> bool:
    """A short answer that is only a yes or a no ('ja hoor', 'nee nog niet'); not a longer one,
    nor a name in capitals that starts like one ('Prima Vista')."""
    words = text.split()
    proper = len(words) > 1 and all(w[:1].isupper() for w in words)
    return 0 < len(tokens) <= 3 and not proper and reads_yesno(text)


def reads_yesno(text: str) -> bool:
    """'ja', 'jazeker', 'nee hoor': a yes or a no in so many words."""
    try:
        parsing.parse_yesno(text)
    except parsing.ParseError:
        return False
    return True


# 'nee', then words that only lead to the real answer: 'nee, liever', 'nee eerder', 'nee dan',
# 'nee joh, half juni', 'nee hoor, dat wordt mei', 'nah, sorry: 3 juni'
_NO_LEAD = re.compile(
    r"^\s*(?:nee|neen|no|nope|nah|neuh|welnee)\b[\s,.:;!-]*"
    r"(?:(?:liever|eerder|later|maar|dan|toch|het is|het wordt|wordt|is|ik bedoel|joh|hoor|sorry"
    r"|dat niet|niet|not|rather|i mean|dat wordt|doe maar|wel)\b[\s,.:;!-]*)*",
    re.I,
)


def after_no(text: str) -> str:
    """What follows a leading 'nee' and its lead-in words ('' when nothing does)."""
    m = _NO_LEAD.match(text)
    rest = text[m.end() :].strip(" .!") if m else ""
    if rest.casefold() in _NO_TAIL or _says_no(rest):  # 'nee hoor', 'nee, niet'
        return ""
    return rest


_NO_TAIL = {"hoor", "joh", "dank je", "dank je wel", "bedankt", "thanks", "sorry", "toch niet"}


def _says_no(text: str) -> bool:
    try:
        return not parsing.parse_yesno(text)
    except parsing.ParseError:
        return False


def _is_yes(text: str) -> bool:
    try:
        return parsing.parse_yesno(text)
    except parsing.ParseError:
        return False


# What a yes/no question that allows it (Asked.partly) stores for 'part of them': it counts as
# a yes wherever a yes is asked for ('deels' is a true value).
PARTLY = "deels"
# what may come before the part, or between a yes or a no and the part: 'ja, maar niet iedereen',
# 'nee, wel een paar', 'met een paar buren'
_PARTLY_LEAD = {"maar", "wel", "alleen", "slechts", "met", "al"}


def says_partly(text: str) -> bool:
    """'deels, een paar ouders', 'een paar wel', 'niet iedereen', 'ja, maar niet iedereen',
    'nee, alleen een paar': part of a group, said at the start of the answer or right after
    its yes or no. 'niet echt' or 'ja, vooral via de school' is no such answer."""
    cleaned = _short(text)
    first, rest = parsing.first_clause(cleaned)
    candidates = [_tokens(cleaned)]
    if rest and _only_yesno(first, _tokens(first)):
        candidates.append(_tokens(rest))
    for tokens in list(candidates):  # 'alleen met een paar buren'
        while tokens[:1] and tokens[0] in _PARTLY_LEAD:
            tokens = tokens[1:]
        candidates.append(tokens)
    partly = _phrase_set("deels")
    return any(
        " ".join(tokens[:n]) in partly for tokens in candidates for n in range(1, 5) if tokens
    )


# from this many names on, a list answers 'Zijn er veel partijen?' with yes by itself
MANY = 4


def names_several(text: str) -> list[str]:
    """The names in 'NS, prorail, omwonenden en ondernemers stationsplein' (or one per line): two
    or more, each of a few words, none a yes, a no or a remark; [] for anything else ('dat
    hangt ervan af, de raad beslist')."""
    items = parsing.split_items(text if _short(text) else "", names=True)
    if len(items) == 1:
        # 'NS en ProRail': without a comma a list keeps the name whole, but two names joined by
        # 'en' are two parties too; 'ja en nee' fails the checks below
        items = [p.strip() for p in re.split(r"\s+(?:en|and|&)\s+", items[0]) if p.strip()]
    starters = _phrase_set("opmerking")
    several = len(items) >= 2 and all(
        0 < len(tokens := _tokens(item)) <= 6
        and tokens[0] not in starters
        and not reads_yesno(item)
        and not parsing.is_unknown(item)
        for item in items
    )
    return items if several else []


def _yesno_remark(cleaned: str, yes: bool) -> str:
    """What was typed beside a yes or a no, to keep with it: 'krap' in 'ja, krap'; the whole
    answer where what follows 'maar' decided it ('krap, maar het kan'); '' where the rest only
    says the same again ('nee, nog niet', 'ja hoor, prima')."""
    first, rest = parsing.first_clause(cleaned)
    words = cleaned.split(maxsplit=2)
    if not rest and len(words) == 3 and words[0].casefold() in _PLAIN_YESNO:
        # 'ja voor de buren', 'nee alleen de club', without a comma: the words after the yes
        # or no, where they say for whom or why ('ja hoor prima' says nothing more)
        if words[1].casefold() in _REMARK_LEAD:
            return cleaned.split(maxsplit=1)[1]
    if not rest:
        return ""
    # 'is er nog niet, de gemeente stelt die op': the question's verb said back, then the remark
    if 0 < len(_tokens(first)) <= 5 and reads_yesno(first) and _is_yes(first) == yes:
        said_again = _only_yesno(rest, _tokens(rest)) and _is_yes(rest) == yes
        plain = tuple(t for t in _tokens(rest) if t not in _INTERJECTIONS)
        return "" if said_again or not plain or rest.casefold() in _NO_TAIL else rest
    if re.search(r",? (?:maar|but) ", cleaned):
        return cleaned
    return ""


# just enough, or just not: 'krap', 'nipt', 'net aan', 'kantje boord'; 'te krap' is a no
_TIGHT = re.compile(
    r"\b(?P<too>te\s+)?(?:krap|krapjes|nipt|net\s+aan|kantje\s+boord|tight|barely)\b", re.I
)


# an amount of time or money named: there is some ('40 uur', '15k', '€ 2.000', '2 ton')
_AMOUNT_NAMED = re.compile(
    r"(?:€\s*[0-9]|\b[0-9][0-9.,]*\s*(?:k|uur|uren|euro|eur|duizend|ton|mille|hours|euros)\b)",
    re.I,
)


# a yes that ends what it says yes to: 'voor de buren wel', 'bij de ingang wel ja'
_YES_AT_END = re.compile(r"(?P<said>.+?)\s+(?:wel(?: ja| hoor)?|ja(?: hoor| wel)?|yes)[\s.!]*")


def _yes_after(cleaned: str) -> str:
    """What the yes at the end of the first clause is said for, with the comment after it:
    'voor de buren wel ja, meer licht' -> 'voor de buren, meer licht'; '' when the answer is
    not of that shape, or says no as well ('voor de buren niet, voor de club wel')."""
    first, rest = parsing.first_clause(cleaned)
    m = _YES_AT_END.fullmatch(first or cleaned)
    if m is None or set(_tokens(cleaned)) & _NOBODY or len(m["said"].split()) < 2:
        return ""
    return f"{m['said']}, {rest}" if rest else m["said"]


def _yes_with_remark(cleaned: str, lang: str, yes: bool = True) -> Understood:
    """A yes (or a no) read from what was typed, which is kept as its remark and shown with it."""
    echo = _say("yes_remark" if yes else "no_remark", lang, remark=cleaned)
    return Understood(Outcome.match, value=yes, echo=echo, confidence=1, remark=cleaned)


_PLAIN_YESNO = frozenset({"ja", "nee", "yes", "no"})
# the words that start a remark after a yes or a no: for whom, where, why
_REMARK_LEAD = frozenset(
    "voor bij met in op aan alleen vooral behalve via want omdat maar for with at in on only "
    "mainly because but".split()
)
# A plain 'no': it declines a proposal, and chooses none where none need be chosen.
_NO = {("nee",), ("no",), ("n",), ("nee", "hoor"), ("liever", "niet")}
# a bare yes: at a question that wants words it answers a question that was not asked
_BARE_YES = {("ja",), ("yes",), ("j",), ("ja", "hoor"), ("jazeker",), ("ja", "zeker")}


# Words that soften a yes to a proposal: 'dat klopt ongeveer', 'prima denk ik'.
_HEDGES = frozenset({"dat", "ongeveer", "wel", "zo", "ofzo", "denk", "ik", "grofweg", "zowat"})
# Words that only colour an answer: 'klaar hoor', 'nee joh', 'dat was het wel'.
_INTERJECTIONS = frozenset(
    {"hoor", "joh", "wel", "he", "hè", "nu", "toch", "dan", "zo", "hoi", "hé", "eigenlijk"}
)


def _in(tokens: tuple[str, ...], *path: str) -> bool:
    return bool(tokens) and " ".join(tokens) in _phrase_set(*path)


def understand(text: str, asked: Asked, *, today: date, lang: str = "nl") -> Understood:
    """What `text`, typed at a question of this kind, means.

    Never a silent guess: an answer that fits two options, or a vague time, gives `ask` with
    the candidates; one that fits nothing gives `refuse` with one message that fits the
    question. See Outcome for what the engine does with each result.
    """
    raw = text if isinstance(text, str) else ""
    if asked.kind not in ("text", "long_text") and (rest := after_see_above(raw)) != raw:
        # 'zie boven, zaterdagochtend eind jan': what follows is the answer (a text keeps its
        # own rule, below: 'zie hierboven' alone says nothing in the plan)
        raw = rest if rest.strip() else raw
    cleaned = _short(raw)
    tokens = _tokens(cleaned) if len(cleaned) <= _CHOICE_LIMIT else ()
    if not raw.strip():
        return _refuse_with_example("empty", asked, today, lang)
    if asked.in_list:
        # 'klaar hoor', 'dat was het wel': the words around it say nothing more
        plain = tuple(t for t in tokens if t not in _INTERJECTIONS)
        said = (tokens, plain, plain[1:] if plain[:1] in (("nee",), ("ja",)) else plain)
        for outcome, name in ((Outcome.none, "geen"), (Outcome.done, "klaar")):
            if any(_in(form, "lijst", name) for form in said):
                return Understood(outcome, confidence=1)
    if asked.kind == "yesno" and asked.partly and says_partly(cleaned):
        return _match(PARTLY, _say("partly", lang), lang)
    if asked.kind == "yesno" and asked.partly_yes and says_partly(cleaned):
        # 'ja, met een paar ouders' is '→ ja (met een paar ouders)', not '(ja, met ...)'
        first, rest = parsing.first_clause(cleaned)
        said_yes = rest and _only_yesno(first, _tokens(first)) and _is_yes(first)
        return _yes_with_remark(rest if said_yes else cleaned, lang)
    maybe = asked.kind == "yesno" and _in(tokens, "misschien")
    # 'nvt denk ik', 'weet ik nog niet eigenlijk': the hedge after it changes nothing
    unhedged = _HEDGE_AFTER.sub("", cleaned) or cleaned
    hedged = unhedged != cleaned
    unknown = parsing.is_unknown(cleaned) or (hedged and parsing.is_unknown(unhedged)) or maybe
    if not unknown and parsing.starts_unknown(cleaned) and _comment_may_go(cleaned, asked):
        # 'weet ik nog niet, iemand van het wijkteam': not known, whatever the comment says;
        # but 'geen idee, 12 maart denk ik' at a date still gives the date it names
        if asked.kind not in ("text", "long_text"):
            rest = parsing.first_clause(cleaned)[1]
            got = _by_kind(rest, rest, asked, today, lang)
            if got.outcome is not Outcome.refuse:
                return got
        unknown = True
    if unknown:
        if not asked.unknown_ok and asked.kind in ("text", "long_text"):
            # an example of a name or a place does not help at 'what can and cannot be done?'
            return _refuse("unknown_not_here_text", lang)
        if not asked.unknown_ok and asked.proposal is not None:
            # the bot's own proposal is the answer that fits best, not some other example day
            shown = _show(asked.proposal, asked, lang)
            return _refuse("unknown_take_proposal", lang, proposal=shown)
        if not asked.unknown_ok:
            return _refuse_with_example("unknown_not_here", asked, today, lang)
        return Understood(Outcome.unknown, echo=_say("unknown", lang), confidence=1)
    # 'nvt' at a yes/no question that may stay open ('Krijgen ervaringsdeskundigen een
    # vergoeding?' where there are none); where a yes or no is needed, one is asked for
    # 'hoeft niet, gaat via school': the first clause says it, the rest is why
    says_nvt = _in(tokens, "niet_van_toepassing") or _in(
        _tokens(parsing.first_clause(cleaned)[0]), "niet_van_toepassing"
    )
    says_nvt = says_nvt or (hedged and _in(_tokens(unhedged), "niet_van_toepassing"))
    # at a yes/no question 'niet nodig' is a plain no
    if says_nvt and (asked.kind != "yesno" or (asked.unknown_ok and not reads_yesno(cleaned))):
        if not asked.unknown_ok:
            return _refuse_with_example("unknown_not_here", asked, today, lang)
        return Understood(Outcome.not_applicable, echo=_say("not_applicable", lang), confidence=1)
    if (
        asked.kind in ("date", "period")
        and asked.unknown_ok
        and asked.proposal is None
        and tokens in _NO
    ):
        # 'nee' at 'Wanneer kijk je halverwege ...?' (may stay open): none, not an unreadable date
        return Understood(Outcome.not_applicable, echo=_say("not_applicable", lang), confidence=1)
    if asked.kind in ("date", "period") and asked.proposal is None:
        # 'ja' at 'Wanneer kijk je halverwege ...?': yes, it happens; the day is still to come
        # ('ja, nog niet bekend wanneer': not known yet, where that may stay open)
        first, rest = parsing.first_clause(cleaned)
        if not rest and _only_yesno(cleaned, tokens) and _is_yes(cleaned):
            return _refuse_with_example(f"{asked.kind}_yes", asked, today, lang)
        said_yes = rest and _only_yesno(first, _tokens(first)) and _is_yes(first)
        if said_yes and (parsing.is_unknown(rest) or parsing.starts_unknown(rest)):
            if asked.unknown_ok:
                return Understood(Outcome.unknown, echo=_say("unknown", lang), confidence=1)
            return _refuse_with_example(f"{asked.kind}_yes", asked, today, lang)
    dash = cleaned in ("-", "–", "—", ".")
    if (
        asked.unknown_ok
        and not asked.in_list
        and (
            dash or (asked.kind in ("text", "long_text") and _in(_content(tokens), "lijst", "geen"))
        )
    ):
        # 'niks eigenlijk', '-' where an answer may be left out: nothing, not the text 'niks'
        # (nor 'Die keuze ken ik niet' at 'Hoeveel invloed heeft ...? (mag je overslaan)')
        return Understood(Outcome.not_applicable, echo=_say("not_applicable", lang), confidence=1)
    if (
        asked.kind in ("text", "long_text")
        and not asked.in_list
        and asked.proposal is None
        and (tokens in _NO or tokens in _BARE_YES or _only_yesno(cleaned, tokens))
        # 'valt mee' at 'Hoe complex is het vraagstuk?' answers how much, in words: not nothing
        and not _says_valt_mee(cleaned, whole=True)
    ):
        # a short answer that is only a yes or a no ('nee nog niet', 'ja hoor'); a longer one
        # ('nee, want de school doet niet mee') is an answer in words
        said_no = tokens in _NO or (tokens not in _BARE_YES and not parsing.parse_yesno(cleaned))
        if said_no and asked.unknown_ok:
            # 'nee' where an answer may be left out: nothing, as 'niks' is
            return Understood(
                Outcome.not_applicable, echo=_say("not_applicable", lang), confidence=1
            )
        # 'ja' as the place of a meeting or the name of a group is not kept as that
        if asked.name:
            return _refuse("not_a_name", lang)
        return _refuse_with_example("text_not_yesno", asked, today, lang)
    if (
        asked.kind in ("text", "long_text")
        and not asked.in_list
        and _in(tuple(t for t in tokens if t not in _INTERJECTIONS), "klaar_buiten_lijst")
    ):
        # 'klaar' at 'Hoe betrek je jongeren?': the end of a list, where no list is asked
        key = "done_not_a_name" if asked.name else "done_no_answer"
        if not asked.unknown_ok and not asked.name:
            key = "done_no_answer_needed"
        return _refuse(key, lang, said=raw.strip())
    if asked.kind == "choice" and asked.unknown_ok and not asked.in_list:
        # 'zelfde', 'nee' where a choice may be left out ('een ander niveau dan het plan?')
        if _in(tokens, "hetzelfde"):
            return Understood(Outcome.not_applicable, echo=_say("same", lang), confidence=1)
        if tokens in _NO:
            return Understood(
                Outcome.not_applicable, echo=_say("not_applicable", lang), confidence=1
            )
    if (
        asked.kind == "multi"
        and asked.unknown_ok
        and (_in(tokens, "lijst", "geen") or tokens in _NO or _none_then_comment(cleaned, asked))
    ):
        # 'geen', 'nee' where none need be chosen: none, not 'geen kosten' in a label
        return _match([], _say("none_chosen", lang), lang)
    if asked.kind == "yesno" and not asked.asks_much and _says_valt_mee(cleaned):
        # 'valt mee' says 'less than feared': a no to 'Zijn er veel partijen?', but at 'Kan de
        # inbreng nog iets veranderen?' it may mean 'yes, enough' as well as 'hardly'
        return _refuse("valt_mee", lang)
    if asked.kind == "yesno" and asked.asks_much and _says_valt_mee(cleaned, whole=True):
        return _match(False, _say("no", lang), lang)  # 'dat valt wel mee hoor'
    if asked.proposal is not None and asked.kind != "yesno" and (other := _yes_but(cleaned)):
        # 'ja, maar liever eind april': the yes is polite, what follows 'maar' is the answer
        got = _by_kind(other[1], _short(other[1]), asked, today, lang)
        if got.outcome is not Outcome.refuse or other[0]:
            # 'ja, maar liever ...' asks for something else: never the proposal in its place
            return got
    if asked.proposal is not None and asked.kind != "yesno":
        # 'dat klopt ongeveer', 'prima zo denk ik': a yes that hedges is still a yes
        hedged = tuple(t for t in tokens if t not in _HEDGES)
        if _in(tokens, "voorstel") or _is_yes(cleaned) or _in(hedged, "voorstel"):
            shown = _show(asked.proposal, asked, lang)
            echo = _say("echo", lang, value=shown)
            return Understood(Outcome.proposal, value=asked.proposal, echo=echo, confidence=1)
        if tokens in _NO:
            return _refuse_with_example("proposal_declined", asked, today, lang)
        if _says_no(cleaned) and (rest := after_no(cleaned)):
            # 'nee, liever half juni' declines the proposal and gives the answer
            return _by_kind(rest, _short(rest), asked, today, lang)
    got = _by_kind(raw, cleaned, asked, today, lang)
    if got.outcome is Outcome.refuse and asked.partly_yes and _names_people(cleaned):
        # 'ouderraad, buurtvereniging, wijkagent' at 'Heb je al gepraat met mensen …?': who
        # they talked with, so they did
        return _yes_with_remark(cleaned, lang)
    return got


# words that say nobody was talked with, whoever else the answer names
_NOBODY = frozenset({"nee", "niet", "geen", "niemand", "nooit", "no", "not", "nobody", "none"})


def _names_people(text: str) -> bool:
    """'ouderraad, buurtvereniging, wijkagent', 'met de buren': people, not a yes or a no."""
    tokens = _tokens(text)
    names = len(parsing.split_items(text, names=True)) >= 2 or tokens[:1] in (("met",), ("with",))
    return names and not set(tokens) & _NOBODY


_YES_BUT = re.compile(
    r"(?P<yes>.+?),? (?:maar|but) (?P<rather>(?:(?:liever|eerder|dan|toch|rather) )*)(?P<other>.+)"
)


def _yes_but(cleaned: str) -> tuple[bool, str] | None:
    """What follows the 'maar' of a yes to a proposal ('ja, maar liever eind april', 'prima
    maar dan 20'), and whether it says 'rather'; None where there is no yes before it."""
    m = _YES_BUT.fullmatch(cleaned)
    if m is None or not _is_yes(m["yes"]):
        return None
    return bool(m["rather"]), m["other"]


def _says_valt_mee(cleaned: str, whole: bool = False) -> bool:
    """'valt mee', 'dat valt wel mee hoor'; unless `whole`, also before a comment ('valt mee,
    3 partijen')."""
    parts = (cleaned,) if whole else (cleaned, parsing.first_clause(cleaned)[0])
    for part in parts:
        plain = tuple(t for t in _tokens(part) if t not in _INTERJECTIONS)
        if _in(plain, "valt_mee"):
            return True
    return False


def _none_then_comment(cleaned: str, asked: Asked) -> bool:
    """'geen van beide, we doen zelf iets': none, and a comment that chooses nothing ('nee, 2'
    chooses 2)."""
    first, rest = parsing.first_clause(cleaned)
    said = _tokens(first)
    if not rest or not (_in(said, "lijst", "geen") or said in _NO):
        return False
    return _understand_multi(rest, asked.options, "nl").outcome is Outcome.refuse


# Where a remark may start after a name: a comma, a semicolon, a bracket, a dash between
# spaces, a full stop before the next word ('St. Brinkspel' is still one name, see below).
_NAME_BREAK = re.compile(r"\s*(?:[,;(]| [-–—] |\.\s+)\s*")


# small words that continue a person's name after a comma: 'Vries, de'
_NAME_PARTICLES = frozenset({"van", "de", "der", "den", "ter", "ten", "te", "het", "in", "op"})


def name_and_comment(text: str, person: bool = False) -> tuple[str, str] | None:
    """The name and the remark typed after it: 'Stichting Brinkspel (wij zijn met 4 buren)' ->
    ('Stichting Brinkspel', 'wij zijn met 4 buren'); None when all of it is the name
    ('Gemeente Leiden, team Wijken', 'Buurtvereniging De Linde (BVL)', 'Vereniging Ons Dorp').

    A remark starts with a word a name does not start with (synoniemen.yaml, 'opmerking'):
    typed in lower case, or opening a sentence of three words or more. A `person`'s name has no
    brackets or lower-case words after a comma of its own: 'Ruud (secretaris)' and 'Ruud,
    secretaris' are Ruud with a remark ('Anna (Annie) Jansen' and 'Jansen, Ruud' stay whole)."""
    starters = _phrase_set("opmerking")
    for m in _NAME_BREAK.finditer(text):
        name, rest = text[: m.start()].strip(), text[m.end() :].strip(" .!?)")
        words = rest.split()
        if not name or not words or _only_yesno(name, _tokens(name)):
            continue  # 'nee, want de school doet niet mee' names nobody
        first = _tokens(words[0])  # 'i.o.' (in oprichting) is two, and no remark
        if len(first) == 1 and first[0] in starters and (words[0].islower() or len(words) >= 3):
            if (open_ := name.rfind("(")) > name.rfind(")"):
                # 'VV Oost (vereniging, ca 400 leden)': the remark is all that is in brackets
                return name[:open_].strip(), text[open_ + 1 :].strip(" .!?)")
            return name, rest
        mark = m.group(0).strip()
        if person and mark == "(" and ")" not in rest:
            return name, rest
        lower = words[0].islower() and words[0] not in _NAME_PARTICLES
        if person and mark in (",", ";", "-", "–", "—") and lower:
            return name, rest
    return None


def _comment_may_go(cleaned: str, asked: Asked) -> bool:
    """Whether the comment after a 'weet ik niet' may be left out: where a longer text is asked,
    'weet niet, misschien de geluidsoverlast' says something, 'weet niet, volgt nog' does not."""
    return asked.kind != "long_text" or parsing.is_unknown(parsing.first_clause(cleaned)[1])


_SEE_ABOVE = re.compile(
    r"(?:(?:zie|see|als|(?:het)?zelfde als|same as) (?:hier)?(?:boven|above)|zie (?:de )?vorige"
    r"(?: vraag)?|zie (?:mijn )?vorig antwoord|zie eerder|idem(?: dito)?"
    # 'zie titel' at 'Wat houdt de opgave in?': another answer named, not this one
    r"|zie (?:de |het )?(?:titel|naam|opgave)|see (?:the )?(?:title|name))"
    # the whole answer, or before a comma: 'zie eerder besluit van de raad' is an answer
    r"(?:\s*[,.:;!-]+\s*|\s*$)",
    re.I,
)


def after_see_above(text: str) -> str:
    """What follows 'zie hierboven' at the start of an answer ('zie boven: winkeliers,
    bewoners' -> 'winkeliers, bewoners'); the text itself where it does not start so."""
    see = _SEE_ABOVE.match(text.strip())
    return text.strip()[see.end() :] if see else text


# 'ben ik zelf' where a name is asked: the person, but not by name
_SELF = {"ik", "ik zelf", "ikzelf", "zelf", "mijzelf", "mezelf", "ben ik", "ben ik zelf"}
_SELF |= {"dat ben ik", "dat ben ik zelf", "ik ben dat", "dat ben ik dus", "myself", "me", "its me"}


def _by_kind(raw: str, cleaned: str, asked: Asked, today: date, lang: str) -> Understood:
    kind = asked.kind
    if kind in ("text", "long_text"):
        first = parsing.first_clause(cleaned)[0]
        if asked.name and (
            _only_yesno(cleaned, _tokens(cleaned))
            or (asked.person and _only_yesno(first, _tokens(first)))
        ):
            # 'Wie is je contactpersoon?' 'ja hoor' (or 'jawel, wel 30 ton', an answer to
            # another question): there is one, its name is still to come
            return _refuse("not_a_name", lang)
        if asked.person and "@" in cleaned and not cleaned.count(" "):
            # 'sam@example.org' typed one question too late: an address is no name
            return _refuse("email_not_a_name", lang)
        if asked.name and " ".join(_tokens(cleaned)) in _SELF:
            # the plan and the advisor's mail need the name itself
            return _refuse("self_name", lang)
        if see := _SEE_ABOVE.match(raw.strip()):
            # every answer has a place of its own in the plan: 'zie hierboven' says nothing
            # there; what follows it ('zie hierboven, speelveld opknappen') is the answer
            raw = raw.strip()[see.end() :]
            if not raw.strip():
                # quoted as typed: 'zie vorige vraag' is not told it wrote 'zie hierboven'
                return _refuse("see_above", lang, typed=see.group(0).strip(" ,.:;!-"))
        if asked.name and (split := name_and_comment(cleaned, asked.person)):
            # the name goes into the documents and the list of belanghebbenden as typed
            name, comment = split
            key = "name_comment_later" if asked.remark_later else "name_comment"
            echo = _say(key, lang, value=name, comment=comment)
            return Understood(Outcome.match, value=name, echo=echo, confidence=1, remark=comment)
        value = raw.strip("\r\n") if kind == "long_text" else raw.strip()
        return Understood(Outcome.match, value=value, confidence=1)
    if kind == "email":
        try:
            address = parsing.parse_email(raw)
        except parsing.ParseError as error:
            return Understood(Outcome.refuse, message=error.message(lang))
        return _match(address, address, lang)
    if kind == "yesno":
        try:
            yes = parsing.parse_yesno(raw)
        except parsing.ParseError as error:
            tight = not asked.asks_much and _TIGHT.search(
                parsing.first_clause(cleaned)[0] or cleaned
            )
            if tight:
                # 'krap, planten moet voor de kerst': enough, or not? The person's call
                if tight["too"]:  # 'te krap': not enough
                    return _yes_with_remark(cleaned, lang, yes=False)
                yes, no = Candidate(True, _say("yes", lang)), Candidate(False, _say("no", lang))
                return replace(_ask([yes, no], lang, "ask_tight"), remark=cleaned)
            if _AMOUNT_NAMED.search(cleaned) and not set(_tokens(cleaned)) & _NOBODY:
                # 'zo'n 40 uur vrijwilligers en 15k subsidie' at 'Zijn er geld en uren …?'
                return _yes_with_remark(cleaned, lang)
            if said := _yes_after(cleaned):
                # 'voor de buren wel, meer licht 's avonds': a yes for whom it names
                return _yes_with_remark(said, lang)
            if asked.list_yes and (names := names_several(raw)):
                # a pasted list, one per line, is kept on one line
                listed = cleaned if "\n" not in raw else ", ".join(names)
                if len(names) < MANY:
                    # 'de buurt, de school en de gemeente' at a playground: whether three is
                    # many is the person's call (it makes the opgave complex), not a guess;
                    # the names stay beside the answer they give
                    yes, no = Candidate(True, _say("yes", lang)), Candidate(False, _say("no", lang))
                    return replace(_ask([yes, no], lang, "ask_many", n=len(names)), remark=listed)
                return _yes_with_remark(listed, lang)
            return Understood(Outcome.refuse, message=error.message(lang))
        if remark := _yesno_remark(cleaned, yes):
            # 'ja, krap' at 'Is er genoeg tijd?': the plan shows the yes with 'krap' beside it
            return _yes_with_remark(remark, lang, yes=yes)
        return _match(yes, _say("yes" if yes else "no", lang), lang)
    if kind == "choice":
        return _understand_choice(cleaned, asked.options, lang)
    if kind == "multi":
        return _understand_multi(raw if len(raw) <= _CHOICE_LIMIT else "", asked.options, lang)
    if kind == "date":
        return _understand_date(raw, asked, today, lang)
    if kind == "period":
        return _understand_period(raw, asked, today, lang)
    if kind in _AMOUNT_READERS:
        return _amount_with_words(_AMOUNT_READERS[kind], raw, lang)
    if kind == "frequency":
        return _understand_frequency(raw, lang, asked.proposal)
    raise ValueError(kind)


def resolve(text: str, asked: Understood, *, lang: str = "nl") -> Understood | None:
    """The answer to a 'Bedoel je ...?': the candidate picked (by 'ja' when there is one, by
    its number, its label or its value), or None when the text is a new answer to the
    question itself, to be read with `understand`."""
    if asked.outcome is not Outcome.ask or not asked.candidates:
        return None
    tokens = _tokens(_short(text)[:_CHOICE_LIMIT])
    picked: Candidate | None = None
    if len(asked.candidates) == 1 and (_in(tokens, "voorstel") or _is_yes(text)):
        picked = asked.candidates[0]
    elif len(said := _content(tokens) or tokens) == 1 and (n := _number(said[0])) is not None:
        # '2', 'de tweede'
        picked = asked.candidates[n - 1] if 1 <= n <= len(asked.candidates) else None
    else:
        said = " ".join(tokens)
        forms = {
            c: {" ".join(_tokens(c.label)), " ".join(_tokens(str(c.value)))}
            for c in asked.candidates
        }
        picked = next((c for c, named in forms.items() if said in named), None)
        # the start of one of them: 'co' at 'Bedoel je co-producent of adviseur?'
        starting = [c for c, named in forms.items() if any(f.startswith(said) for f in named)]
        if picked is None and len(said) >= 2 and len(starting) == 1 < len(asked.candidates):
            picked = starting[0]
    if picked is None:
        return None
    return _match(picked.value, picked.label, lang)
