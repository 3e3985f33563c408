"""The console channel: a terminal line in, the engine's replies printed out."""

from __future__ import annotations

import select
import sys
from typing import TextIO

from bot.engine import Engine, Reply

EXIT_COMPLETE = 0
EXIT_INCOMPLETE = 3


def format_reply(reply: Reply) -> str:
    """A reply as terminal text: choices become a numbered list or a short hint."""
    lines = [reply.text] if reply.text else []
    lines += [str(p) for p in reply.documents]  # the command line's contract: paths printed
    if reply.progress and reply.kind == "question":
        n, total = reply.progress
        lines.insert(0, f"[{n}/{total}]")
    numbered = [c for c in reply.choices if c.value.isdigit()]
    if numbered:
        lines += [f"  {c.value}) {c.label}" for c in numbered]
    others = [c for c in reply.choices if not c.value.isdigit()]
    if others and reply.input not in ("yesno",):
        lines.append("  (" + " · ".join(c.label for c in others) + ")")
    return "\n".join(lines)


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
    """Talk until the documents are written (0) or the input ends (3)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty()

    def show(replies: list[Reply]) -> bool:
        done = False
        for r in replies:
            text = format_reply(r)
            if text:
                print(text, file=stdout)
            done = done or r.kind == "done"
        stdout.flush()
        return done

    finished = show(
        await engine.start(identity, naam=naam, gemeente=gemeente, plan_id=plan_id, new=new)
    )
    while not finished:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            return EXIT_INCOMPLETE
        if interactive:
            line += _pasted_rest(stdin)
        replies = await engine.handle(identity, line.rstrip("\n"), naam=naam)
        finished = show(replies)
        if any(r.kind == "pause" for r in replies):
            return EXIT_INCOMPLETE
    return EXIT_COMPLETE


def _pasted_rest(stdin: TextIO) -> str:
    """Lines that arrive together with the first one were pasted as one message (a list)."""
    rest = ""
    while select.select([stdin], [], [], 0.05)[0]:
        more = stdin.readline()
        if not more:
            break
        rest += more
    return rest
