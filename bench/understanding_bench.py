"""Answers understood at the first ask, and answers stored wrongly, over the corpus of real
answers (tests/data/antwoorden.yaml) and our own variations (tests/corpus.py), Dutch and English.

Three readers: 'old engine' reads each answer the way the engine did before it used the
understanding (parsing.match_choice, parse_number, parse_date, at the question's engine type);
'understand' is handreiking.understanding alone; 'engine' types every corpus answer into the
real engine at its real question (tests/engine_corpus.py) and judges what the plan then holds.
Usage: python bench/understanding_bench.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handreiking import parsing  # noqa: E402
from handreiking import understanding as u  # noqa: E402
from handreiking.models import Aantal, Bedrag, Periode  # noqa: E402
from tests import corpus, engine_corpus  # noqa: E402


def _engine_today(case: corpus.Case, today: date) -> u.Understood:
    """The answer as the engine read it before the understanding (Engine._parse then)."""
    asked = corpus.ASKED[case.group]
    text = case.say.strip()
    options = [(o.value, o.label) for o in asked.options]
    try:
        if asked.in_list and text.lower() == "klaar":
            return u.Understood(u.Outcome.done)
        if case.group in ("uren", "kosten", "datum", "periode") and parsing.is_unknown(text):
            return u.Understood(u.Outcome.unknown)
        if asked.kind in ("text", "long_text"):
            return u.Understood(u.Outcome.match, value=text)
        if asked.kind == "choice":
            return u.Understood(u.Outcome.match, value=parsing.match_choice(text, options))
        if asked.kind == "multi":
            return u.Understood(u.Outcome.match, value=parsing.match_choices(text, options))
        if asked.kind == "yesno":
            return u.Understood(u.Outcome.match, value=parsing.parse_yesno(text))
        if asked.proposal is not None and parsing.parse_yesno(text):
            return u.Understood(u.Outcome.proposal, value=asked.proposal)
    except parsing.ParseError:
        return u.Understood(u.Outcome.refuse)
    try:
        if asked.kind == "date":
            value: Any = parsing.parse_date(text, today)
        elif asked.kind == "period":
            van, tot = parsing.parse_period(text, today)
            value = Periode(van=van, tot=tot)
        elif asked.kind == "money":
            low, high, estimate = parsing.parse_money(text)
            value = Bedrag(min=low, max=high, schatting=estimate)
        elif asked.kind == "hours":
            value = Aantal(waarde=parsing.parse_number(text)[0])
        else:  # the update rhythm is a number question
            value = int(round(parsing.parse_number(text)[0]))
    except parsing.ParseError:
        return u.Understood(u.Outcome.refuse)
    return u.Understood(u.Outcome.match, value=value)


def judge_engine_today(case: corpus.Case, today: date) -> corpus.Verdict:
    got = _engine_today(case, today)
    expected = corpus.OUTCOMES.get(case.means) if isinstance(case.means, str) else None
    if expected is None:
        ok = got.outcome is u.Outcome.match and corpus.value_means(
            case.group, got.value, case.means
        )
    else:
        ok = got.outcome is expected
    return corpus.Verdict(ok, got.outcome in corpus.STORED and not ok, got)


def main() -> None:
    today, answers = corpus.load(corpus.COPY)
    sets = {
        "corpus": answers,
        "variations (nl)": [c for c in corpus.variations() if c.lang == "nl"],
        "variations (en)": [c for c in corpus.variations() if c.lang == "en"],
    }
    print(f"{'answers':<17}{'reader':<13}{'n':>5}{'understood':>15}{'stored wrongly':>16}")
    for name, cases in sets.items():
        for reader, judged in (("old engine", judge_engine_today), ("understand", corpus.judge)):
            start = time.perf_counter()
            verdicts = [judged(case, today) for case in cases]
            ms = (time.perf_counter() - start) * 1000 / len(cases)
            understood = sum(v.understood for v in verdicts)
            wrong = sum(v.stored_wrongly for v in verdicts)
            share = f"{understood} ({100 * understood / len(cases):.0f}%)"
            print(f"{name:<17}{reader:<13}{len(cases):>5}{share:>15}{wrong:>16}  {ms:.2f} ms each")
    _real_engine(sets["corpus"])
    misses = [(c, corpus.judge(c, today)) for cases in sets.values() for c in cases]
    for case, verdict in misses:
        if not verdict.understood:
            print(f"  not understood: {case.group}: {case.say!r} -> {verdict.got.outcome.value}")


def _real_engine(cases: list[corpus.Case]) -> None:
    """The corpus typed into the real engine (SQLite in a temporary directory)."""
    from bot.app import build_engine
    from bot.storage import Store

    async def run() -> list[engine_corpus.EngineVerdict]:
        _, _, now = engine_corpus.today_of()
        with tempfile.TemporaryDirectory() as tmp:
            settings = engine_corpus.settings_at(Path(tmp) / "var", now)
            store = Store(settings.db_url, clock=settings.clock)
            engine = build_engine(store, settings)
            spots = await engine_corpus.walk_to_spots(engine, store, "console:bench")
            verdicts = []
            for case in cases:
                verdicts.append(
                    await engine_corpus.judge(engine, store, "console:bench", spots, case)
                )
            store.close()
            return verdicts

    start = time.perf_counter()
    verdicts = asyncio.run(run())
    ms = (time.perf_counter() - start) * 1000 / len(cases)
    understood = sum(v.understood for v in verdicts)
    wrong = sum(v.stored_wrongly for v in verdicts)
    share = f"{understood} ({100 * understood / len(cases):.0f}%)"
    print(f"{'corpus':<17}{'engine':<13}{len(cases):>5}{share:>15}{wrong:>16}  {ms:.2f} ms each")


if __name__ == "__main__":
    main()
