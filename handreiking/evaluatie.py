"""The participants' evaluation: questions per gemeente, scores added up, and a bar chart."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from pydantic import BaseModel

from handreiking.formatting import LOCALE, PNG
from handreiking.openbaar import weglaten
from handreiking.profiles import EvaluatieVraag, Profile

SCHAAL = range(1, 6)
SCHAAL_UITLEG = "1 betekent helemaal niet, 5 betekent helemaal wel."

# Leiden's checklist sends an evaluation form to the participants after the traject; these
# are the questions when a gemeente sets none of its own: a few scores and one open question.
STANDAARD_VRAGEN = [
    EvaluatieVraag(key="informatie", tekst="Kreeg je genoeg informatie om mee te doen?"),
    EvaluatieVraag(key="gehoord", tekst="Had je het gevoel dat er naar je werd geluisterd?"),
    EvaluatieVraag(key="terugkoppeling", tekst="Weet je wat er met de inbreng is gedaan?"),
    EvaluatieVraag(key="tevreden", tekst="Ben je tevreden over hoe het traject ging?"),
    EvaluatieVraag(key="beter", tekst="Wat kan er de volgende keer beter?", soort="open"),
]

# Okabe-Ito blue: readable for people with colour blindness, and printed in grey
_KLEUR = "#0072B2"


def vragen(profile: Profile) -> list[EvaluatieVraag]:
    """The gemeente's evaluation questions, else the default set."""
    return list(profile.evaluatievragen) or list(STANDAARD_VRAGEN)


class Uitslag(BaseModel):
    """All answers to one question, added up."""

    vraag: EvaluatieVraag
    aantal: int
    gemiddelde: float | None = None
    verdeling: dict[int, int] = {}  # score -> how many gave it (scale questions)
    antwoorden: list[str] = []  # open answers, personal data taken out

    @property
    def gemiddelde_tekst(self) -> str:
        """'3,8', or '–' without answers."""
        if self.gemiddelde is None:
            return "–"
        return format_decimal(self.gemiddelde, format="0.0", locale=LOCALE)


def anoniem(text: str) -> str:
    """What a resident wrote, as it may be published: names, home addresses, e-mail addresses
    and phone numbers replaced by '[weggelaten]'."""
    return weglaten(text)


def _score(vraag: EvaluatieVraag, value: object) -> int:
    try:
        score = int(str(value).strip())
    except ValueError:
        score = 0
    if isinstance(value, bool) or score not in SCHAAL:
        raise ValueError(f"{vraag.key}: {value!r} is geen score van 1 tot en met 5")
    return score


def aggregate(
    answers: Iterable[Mapping[str, object]], vragen: list[EvaluatieVraag] | None = None
) -> list[Uitslag]:
    """Per question: how many answered, the mean and the spread of the scores, the open answers.

    `answers` holds one mapping per participant, question key -> score (1-5) or text; a
    question left out or None is not answered. No names go in, and none come out.
    """
    vragen = vragen if vragen is not None else STANDAARD_VRAGEN
    answers = list(answers)
    out = []
    for vraag in vragen:
        given = [a[vraag.key] for a in answers if a.get(vraag.key) not in (None, "")]
        if vraag.soort == "open":
            texts = [anoniem(str(t).strip()) for t in given if str(t).strip()]
            out.append(Uitslag(vraag=vraag, aantal=len(texts), antwoorden=texts))
            continue
        scores = [_score(vraag, v) for v in given]
        out.append(
            Uitslag(
                vraag=vraag,
                aantal=len(scores),
                gemiddelde=sum(scores) / len(scores) if scores else None,
                verdeling={s: scores.count(s) for s in SCHAAL},
            )
        )
    return out


def _antwoorden(n: int) -> str:
    return "1 antwoord" if n == 1 else f"{n} antwoorden"


def chart(uitslagen: list[Uitslag], path: Path) -> Path:
    """A bar chart of the mean score per question, as PNG; the same input gives the same bytes."""
    # matplotlib only when a chart is drawn: a process that only talks need not hold it
    import matplotlib

    schaal = [u for u in uitslagen if u.vraag.soort == "schaal"]
    # a '$' in a question is text, not a formula
    with matplotlib.rc_context({"text.parse_math": False}):
        return _chart(schaal, Path(path))


def _chart(schaal: list[Uitslag], path: Path) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 1.2 + 0.7 * max(len(schaal), 1)), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if not schaal:
        ax.axis("off")
        ax.text(0.5, 0.5, "Er zijn nog geen scores.", ha="center", va="center")
    else:
        rows = list(range(len(schaal)))[::-1]  # first question on top
        means = [u.gemiddelde or 0 for u in schaal]
        ax.barh(rows, means, color=_KLEUR, height=0.6)
        ax.set_yticks(rows, [textwrap.fill(u.vraag.tekst, 34) for u in schaal])
        for row, u in zip(rows, schaal, strict=True):
            label = (
                f"{u.gemiddelde_tekst} ({_antwoorden(u.aantal)})" if u.aantal else "geen antwoorden"
            )
            ax.text((u.gemiddelde or 0) + 0.08, row, label, va="center")
        ax.set_xlim(0, 7.6)  # room for the label of a full score
        ax.set_xticks(list(SCHAAL))
        ax.set_xlabel("Gemiddelde score (1 = helemaal niet, 5 = helemaal wel)")
        ax.spines[["top", "right"]].set_visible(False)
    ax.set_title("Evaluatie door de deelnemers", loc="left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, **PNG)
    return path


def chart_alt_tekst(uitslagen: list[Uitslag]) -> str:
    """The chart in words, for screen readers."""
    schaal = [u for u in uitslagen if u.vraag.soort == "schaal"]
    if not schaal:
        return "Grafiek van de evaluatie. Er zijn nog geen scores."
    parts = [
        f"{u.vraag.tekst} gemiddeld {u.gemiddelde_tekst} uit {_antwoorden(u.aantal)}"
        if u.aantal
        else f"{u.vraag.tekst} nog geen antwoorden"
        for u in schaal
    ]
    return "Staafgrafiek van de gemiddelde scores van 1 tot en met 5. " + "; ".join(parts) + "."


# where a plan's data keeps the filled-in forms (not "evaluatie": that is a question of the plan)
ANTWOORDEN = "evaluatie_antwoorden"


def antwoorden(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The filled-in forms kept in a plan's data, oldest first."""
    kept = data.get(ANTWOORDEN) or {}
    return list(kept.get("antwoorden") or []) if isinstance(kept, Mapping) else []


def gebruikt(data: Mapping[str, Any], nonce: str) -> bool:
    """Whether the link with this random number was filled in already."""
    kept = data.get(ANTWOORDEN) or {}
    return isinstance(kept, Mapping) and nonce in (kept.get("gebruikt") or [])


def met_antwoord(
    data: Mapping[str, Any], nonce: str, given: Mapping[str, Any]
) -> dict[str, Any] | None:
    """What the plan keeps under ANTWOORDEN with one more form; None when the link with this
    random number was used before (a link counts once, and names nobody)."""
    kept = data.get(ANTWOORDEN) or {}
    kept = dict(kept) if isinstance(kept, Mapping) else {}
    used = list(kept.get("gebruikt") or [])
    if nonce in used:
        return None
    kept["gebruikt"] = [*used, nonce]
    kept["antwoorden"] = [*(kept.get("antwoorden") or []), dict(given)]
    return kept
