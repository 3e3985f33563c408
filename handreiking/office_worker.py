"""Keeps one LibreOffice open and converts documents to PDF through it, one request at a time.

Run by a Python that has LibreOffice's `uno` module (see handreiking.pdf, which starts it):
`python -I office_worker.py SOFFICE PIPE`. It starts LibreOffice on a profile of its own,
listening on the local UNO pipe PIPE (no network port), then reads one JSON request a line on
stdin, `{"docx": path, "pdf": path, "filter": name, "options": {name: value}}`, and answers one
JSON line on stdout: `{"ok": true}`, `{"error": why}`, or `{"error": why, "dead": true}` when
LibreOffice is gone (then it exits, and its parent starts a new one). End of stdin closes
LibreOffice and removes its profile. Only the standard library and `uno`: this file runs
outside the project's venv.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any

CONNECT_TIMEOUT = 120  # seconds; a first start on a busy machine builds the profile first


def main() -> int:
    # the protocol owns the real stdout; anything LibreOffice or pyuno prints goes to stderr
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)

    def say(**answer: object) -> None:
        answers.write(json.dumps(answer) + "\n")
        answers.flush()

    try:
        import uno
    except ImportError as e:
        say(error=f"no uno module in {sys.executable}: {e}", no_uno=True)
        return 1
    soffice, pipe = sys.argv[1:3]
    # the server keeps its own Python on one core (handreiking.cores, which this file cannot
    # import outside the venv); LibreOffice may use every core
    cores = os.environ.get("PARTICIPATIEBOT_ALL_CORES")
    if cores and hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError, ValueError):
            os.sched_setaffinity(0, {int(c) for c in cores.split(",")})
    # a profile of its own: two LibreOffices on one profile would block each other
    profile = tempfile.mkdtemp(prefix="participatiebot-lo-")
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
            "--headless",
            "--invisible",
            "--nocrashreport",
            "--nodefault",
            "--nologo",
            "--nofirststartwizard",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    desktop = None
    try:
        desktop = connect(uno, office, pipe)
        if desktop is None:
            say(error=f"LibreOffice did not answer on pipe {pipe}", dead=True)
            return 1
        warm_up(desktop)
        say(ready=True)
        for line in sys.stdin:
            request = json.loads(line)
            try:
                document = convert(uno, desktop, request)
            except Exception as e:  # LibreOffice's errors are UNO exceptions of many kinds
                if alive(office, desktop):
                    say(error=f"{type(e).__name__}: {e}")
                    continue
                say(error=f"LibreOffice stopped: {type(e).__name__}: {e}", dead=True)
                return 1
            say(ok=True)
            with contextlib.suppress(Exception):  # after the answer: the PDF is written
                document.close(True)
        return 0
    finally:
        stop(office, desktop)
        shutil.rmtree(profile, ignore_errors=True)


def connect(uno: Any, office: subprocess.Popen, pipe: str) -> Any:
    """The Desktop of the LibreOffice just started, or None when it never answered."""
    from com.sun.star.connection import NoConnectException

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + CONNECT_TIMEOUT
    while time.monotonic() < deadline and office.poll() is None:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            time.sleep(0.05)
            continue
        return context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
    return None


def convert(uno: Any, desktop: Any, request: dict[str, Any]) -> Any:
    """Open the .docx hidden and read-only and store it through the export filter; the open
    document, for the caller to close."""
    from com.sun.star.beans import PropertyValue

    def props(**values: object) -> tuple:
        return tuple(PropertyValue(Name=k, Value=v) for k, v in values.items())

    # MacroExecutionMode 0: never run a macro of a gemeente's own template
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(os.path.abspath(request["docx"])),
        "_blank",
        0,
        props(Hidden=True, ReadOnly=True, MacroExecutionMode=0),
    )
    if document is None:
        raise ValueError(f"LibreOffice could not open {request['docx']}")
    try:
        data = uno.Any("[]com.sun.star.beans.PropertyValue", props(**request["options"]))
        document.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(request["pdf"])),
            props(FilterName=request["filter"], FilterData=data, Overwrite=True),
        )
    except Exception:
        document.close(True)
        raise
    return document


def warm_up(desktop: Any) -> None:
    """Load Writer before the first request, which would otherwise wait for it."""
    from com.sun.star.beans import PropertyValue

    hidden = (PropertyValue(Name="Hidden", Value=True),)
    desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, hidden).close(True)


def alive(office: subprocess.Popen, desktop: Any) -> bool:
    """Whether LibreOffice still answers (a failed document leaves it running)."""
    if office.poll() is not None:
        return False
    try:
        desktop.getFrames()
    except Exception:  # a disposed bridge raises; any failure here means it is gone
        return False
    return True


def stop(office: subprocess.Popen, desktop: Any) -> None:
    if desktop is not None and office.poll() is None:
        try:
            desktop.terminate()
        except Exception:  # it may close the bridge before it answers
            pass
    try:
        office.wait(timeout=10)
    except subprocess.TimeoutExpired:
        office.kill()


if __name__ == "__main__":
    sys.exit(main())
