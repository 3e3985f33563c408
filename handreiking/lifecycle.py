"""The life of a plan, from concept to afgerond: statuses, allowed steps and the next step."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where a plan stands. 'compleet' is a concept whose interview is finished."""

    concept = "concept"
    compleet = "compleet"
    ingediend = "ingediend"
    aanpassen_gevraagd = "aanpassen_gevraagd"
    akkoord_adviseur = "akkoord_adviseur"
    vastgesteld = "vastgesteld"
    in_uitvoering = "in_uitvoering"
    afgerond = "afgerond"


S = Status

# Heemstede's proceskader (participatiebeleid): college or raad adopt the plan before participation
# starts; Leiden's handreiking: the gemeente keeps regie, so an advisor answers every draft.
_STEPS: dict[Status, set[Status]] = {
    S.concept: {S.compleet},
    S.compleet: {S.concept, S.ingediend},
    S.ingediend: {S.aanpassen_gevraagd, S.akkoord_adviseur},
    S.aanpassen_gevraagd: {S.ingediend},
    S.akkoord_adviseur: {S.vastgesteld, S.in_uitvoering},
    S.vastgesteld: {S.in_uitvoering},
    S.in_uitvoering: {S.afgerond},
    S.afgerond: set(),
}

# Adopted, or participation under way: people can follow the plan, reminders go out and the
# owner can close the traject.
RUNNING: frozenset[Status] = frozenset({S.vastgesteld, S.in_uitvoering})
# The plan was adopted at some point: its besluit and evaluation can still be recorded.
ADOPTED: frozenset[Status] = RUNNING | {S.afgerond}
# The interview still sets the status: a concept, or one whose interview is finished.
INTERVIEW: frozenset[Status] = frozenset({S.concept, S.compleet})
# The owner still writes the plan: its documents are not final (the advisor may have sent it back).
DRAFTING: frozenset[Status] = frozenset({S.concept, S.aanpassen_gevraagd})
# Not yet handed in (or sent back): the plan a person's chat opens by default.
UNFINISHED: frozenset[Status] = INTERVIEW | DRAFTING

LABELS: dict[Status, str] = {
    S.concept: "concept",
    S.compleet: "concept, klaar om in te dienen",
    S.ingediend: "ingediend bij de adviseur",
    S.aanpassen_gevraagd: "aanpassen gevraagd",
    S.akkoord_adviseur: "akkoord van de adviseur",
    S.vastgesteld: "vastgesteld",
    S.in_uitvoering: "in uitvoering",
    S.afgerond: "afgerond",
}


class TransitionError(ValueError):
    """A step the lifecycle does not allow; the message is plain Dutch."""


def allowed(current: Status | str, target: Status | str, *, complex: bool) -> bool:
    """May a plan go from `current` to `target`?

    A complex opgave (college or raad decides) is adopted before it starts; a simple
    initiative may start right after the advisor's akkoord.
    """
    current, target = Status(current), Status(target)
    if target not in _STEPS[current]:
        return False
    if current == S.akkoord_adviseur and target == S.in_uitvoering:
        return not complex
    return True


def check(current: Status | str, target: Status | str, *, complex: bool) -> None:
    """Raise TransitionError, in Dutch, when the step is not allowed."""
    if allowed(current, target, complex=complex):
        return
    current, target = Status(current), Status(target)
    if current == S.akkoord_adviseur and target == S.in_uitvoering:
        raise TransitionError(
            "Dit is een complexe opgave: college of raad stelt het plan eerst vast. "
            "Pas daarna begint de uitvoering."
        )
    if target == S.vastgesteld:
        raise TransitionError(
            f"Het plan is {LABELS[current]}. Vaststellen kan pas na het akkoord van de adviseur."
        )
    if target == S.ingediend and current == S.concept:
        raise TransitionError("Het plan is nog niet af. Beantwoord eerst alle vragen.")
    raise TransitionError(f"Een plan dat {LABELS[current]} is, kan niet naar '{LABELS[target]}'.")


def next_step(status: Status | str, *, complex: bool) -> str:
    """What has to happen next, in one short Dutch sentence."""
    status = Status(status)
    return {
        S.concept: "De eigenaar beantwoordt de vragen.",
        S.compleet: "De eigenaar dient het plan in.",
        S.ingediend: "De adviseur beoordeelt het plan.",
        S.aanpassen_gevraagd: "De eigenaar past het plan aan en dient het opnieuw in.",
        S.akkoord_adviseur: (
            "College of raad stelt het plan vast."
            if complex
            else "De uitvoering kan beginnen (vaststellen mag, hoeft niet)."
        ),
        S.vastgesteld: "De uitvoering kan beginnen.",
        S.in_uitvoering: "De participatie loopt; daarna volgen rapportage en evaluatie.",
        S.afgerond: "Niets meer: het traject is afgerond.",
    }[status]


def is_submittable(status: Status | str) -> bool:
    """The owner may (re)submit: a finished concept, or after the advisor asked for changes."""
    return Status(status) in (S.compleet, S.aanpassen_gevraagd)


def review_outcome(verdicts: dict[str, str]) -> Status:
    """The advisor's verdict per section ('akkoord' or 'aanpassen') decides the next status."""
    if not verdicts:
        raise ValueError("een beoordeling heeft minstens één onderdeel")
    unknown = set(verdicts.values()) - {"akkoord", "aanpassen"}
    if unknown:
        raise ValueError(f"onbekend oordeel: {', '.join(sorted(unknown))}")
    if any(v == "aanpassen" for v in verdicts.values()):
        return S.aanpassen_gevraagd
    return S.akkoord_adviseur
