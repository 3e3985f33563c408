"""The console channel: a terminal line in, the engine's replies printed out."""

from __future__ import annotations

import contextlib
import io
import select
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from bot.channels.later import has_pending, made, ready_reply
from bot.engine import Engine, Reply, Upload
from bot.engine.texts import load_texts

EXIT_COMPLETE = 0
EXIT_INCOMPLETE = 3
# what a terminal in bracketed paste mode puts around pasted text
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"
TEXTS = load_texts("console", "texts")


def format_reply(reply: Reply) -> str:
    """A reply as terminal text: choices become a numbered list or a short hint."""
    lines = [reply.text] if reply.text else []
    lines += [str(p) for p in reply.documents]  # the command line's contract: paths printed
    if reply.progress and reply.kind == "question":
        n, total = reply.progress
        progress = load_texts("console", "texts", reply.lang or "nl")["progress"]
        lines.insert(0, progress.format(n=n, total=total))
    numbered = [c for c in reply.choices if c.value.isdigit()]
    if numbered:
        lines += [f"  {c.value}) {c.label}" for c in numbered]
    # a button the text already names ('(mag je overslaan)') needs no second hint
    others = [
        c for c in reply.choices if not c.value.isdigit() and c.label.lower() not in reply.text
    ]
    # 'ja' and 'nee' go without saying; a third answer ('deels') does not
    if others and (reply.input != "yesno" or len(others) > 2):
        lines.append("  (" + " · ".join(c.label for c in others) + ")")
    if reply.accepts_file:
        lines.append(TEXTS["file_hint"])
    return "\n".join(lines)


def local_file(line: str) -> Upload | Path | None:
    """The file on this machine a typed line names, as the file the person sends: the console
    user sits at this machine, so a path is theirs to give (no other channel reads one).
    A path that names no file comes back as a Path; other text as None."""
    text = line.strip()
    if not text or "\n" in text:
        return None
    path = Path(text).expanduser()
    try:
        size = path.stat().st_size if path.is_file() else None
    except (OSError, ValueError):  # not a name the file system takes
        size = None
    if size is None:
        looks_like_path = text.lower().endswith(".csv") or text.startswith(("/", "~", "./"))
        return path if looks_like_path else None

    async def read() -> bytes:
        return path.read_bytes()

    return Upload(path.name, size, read)


async def run_console(
    engine: Engine,
    identity: str,
    *,
    naam: str | None = None,
    gemeente: str | None = None,
    plan_id: str | None = None,
    new: bool = False,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Talk until the input ends: 0 when the documents of the plan are written by then (the
    conversation goes on after them: 'indienen', 'wijzig', ...), else 3 (progress kept)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if isinstance(stdin, io.TextIOWrapper):
        stdin.reconfigure(errors="replace")  # bytes that are no UTF-8 are not the end of it
    interactive = stdin.isatty()
    asked_file = False

    async def show(replies: list[Reply]) -> bool:
        nonlocal asked_file
        done = False
        for r in replies:
            text = format_reply(r)
            if text:
                print(text, file=stdout)
            done = done or r.kind == "done"
            if r.kind == "question":
                asked_file = r.accepts_file
        stdout.flush()
        if has_pending(replies):  # the .docx is shown; its PDF follows when LibreOffice is done
            paths = await made(replies)
            if paths:
                lang = engine.store.person(identity).lang
                print(format_reply(ready_reply(paths, lang)), file=stdout, flush=True)
        return done

    finished = await show(
        await engine.start(identity, naam=naam, gemeente=gemeente, plan_id=plan_id, new=new)
    )
    finished = finished or engine.documents_written(identity)
    with _pastes_marked(stdin, stdout):
        while True:
            if interactive:
                print("> ", end="", file=stdout, flush=True)
            line = stdin.readline()
            if not line:
                return EXIT_COMPLETE if finished else EXIT_INCOMPLETE
            if PASTE_START in line:
                line = _whole_paste(stdin, line)
            elif interactive:
                line += _pasted_rest(stdin)
            upload = local_file(line) if asked_file else None
            if isinstance(upload, Path):
                print(TEXTS["file_missing"].format(pad=upload), file=stdout, flush=True)
                continue
            text = "" if upload else line.rstrip("\n")
            replies = await engine.handle(identity, text, naam=naam, upload=upload)
            finished = await show(replies) or finished
            if any(r.kind == "pause" for r in replies):
                return EXIT_COMPLETE if finished else EXIT_INCOMPLETE


@contextlib.contextmanager
def _pastes_marked(stdin: TextIO, stdout: TextIO) -> Iterator[None]:
    """In a terminal, ask it to mark pasted text (bracketed paste), so that a pasted list is one
    message, sent with Enter as in a chat app, also when its last line has no line break (that
    line waited in the terminal, and became the answer to the next question). The marks are not
    echoed as '^[[200~'. Everything is put back afterwards; a terminal that does not know the
    mode ignores it, and pastes are then told by the lines that arrive together."""
    try:
        import termios

        fd = stdin.fileno()
        if not (stdin.isatty() and stdout.isatty()):
            raise OSError
        before = termios.tcgetattr(fd)
    except (ImportError, OSError, ValueError, io.UnsupportedOperation):
        yield
        return
    quiet = list(before)
    quiet[3] &= ~termios.ECHOCTL
    termios.tcsetattr(fd, termios.TCSADRAIN, quiet)
    print("\x1b[?2004h", end="", file=stdout, flush=True)
    try:
        yield
    finally:
        print("\x1b[?2004l", end="", file=stdout, flush=True)
        termios.tcsetattr(fd, termios.TCSADRAIN, before)


def _whole_paste(stdin: TextIO, line: str) -> str:
    """The pasted text from its first line to the terminal's end mark, without the marks."""
    while PASTE_END not in line:
        more = stdin.readline()
        if not more:
            break
        line += more
    return line.replace(PASTE_START, "").replace(PASTE_END, "")


def _pasted_rest(stdin: TextIO) -> str:
    """Lines that arrive together with the first one were pasted as one message (a list)."""
    rest = ""
    while select.select([stdin], [], [], 0.05)[0]:
        more = stdin.readline()
        if not more:
            break
        rest += more
    return rest
