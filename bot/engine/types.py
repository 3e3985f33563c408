"""What goes into the engine and what comes out: channel-neutral messages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Choice:
    """A button: `label` is shown, `value` is sent back as the user's text when pressed."""

    label: str
    value: str


@dataclass
class Reply:
    """One message to the user.

    kind: 'question' (asks something; `input` says what type of answer), 'finding' (a check on
    the answer), 'error' (bad input, the question follows again), 'info', 'document'.
    """

    text: str
    kind: str = "info"
    choices: list[Choice] = field(default_factory=list)
    input: str | None = None  # question type: text, long_text, choice, multi, yesno, date, ...
    documents: list[Path] = field(default_factory=list)
    progress: tuple[int, int] | None = None  # (answered, total) for questions
    accepts_file: bool = False  # the question may be answered with a file (Upload)
    # documents still being made (tagged PDFs, handreiking.pdf.later): the channel sends them
    # after this reply, once they are there (bot/channels/later.py)
    pending: list[Future[list[Path]]] = field(default_factory=list)
    # the summary's parts, for a channel that shows them as such (the web chat folds them):
    # (heading, [(question, answer)]); `text` holds the same
    sections: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    # the person's language, on a question: for the words a channel adds to it (its progress,
    # 'Verstuur'), so that it need not look the person up for them
    lang: str | None = None


def replies_lang(replies: list[Reply]) -> str | None:
    """The language the engine answered in, where its replies say so (a question does)."""
    return next((r.lang for r in replies if r.lang), None)


@dataclass(frozen=True)
class Upload:
    """A file the person sent with the message: a Telegram document, a Slack file, or a file
    the console user named on their own machine. The engine reads it (`read`) when its `size`
    (bytes, when known) is within its limit; only a question that asks for a file takes it."""

    name: str
    size: int | None
    read: Callable[[], Awaitable[bytes]]
