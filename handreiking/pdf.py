"""Tagged, Dutch PDFs of the documents meant for publication, made by LibreOffice."""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import json
import logging
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import ContextVar
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Where LibreOffice is: a path or a command name; empty means 'make no PDFs'. Unset: `soffice`
# on the PATH.
SOFFICE = "PARTICIPATIEBOT_SOFFICE"
FILTER = "writer_pdf_Export"
# Tagged PDF (structure tree, headings, table headers, alt text) that aims at PDF/UA; the title
# comes from the document's title property, the language (nl-NL) from its default language.
OPTIONS = {"UseTaggedPDF": True, "PDFUACompliance": True}
# the same options as `soffice --convert-to` takes them (LibreOffice 7.4 and later)
EXPORT = f"pdf:{FILTER}:" + json.dumps(
    {name: {"type": "boolean", "value": json.dumps(value)} for name, value in OPTIONS.items()}
)
TIMEOUT = 180  # seconds for one conversion
START_TIMEOUT = 150  # seconds for LibreOffice to start (the worker gives up after 120)
WORKER = Path(__file__).with_name("office_worker.py")

_lock = threading.Lock()  # the offices and the background thread
_cold_lock = threading.Lock()  # one cold LibreOffice at a time on its profile
_profile: Path | None = None
_state = {"missing": False, "told": False}
_offices: dict[str, Office] = {}
_background: ThreadPoolExecutor | None = None
_later: ContextVar[list[Future[list[Path]]] | None] = ContextVar("pdf_later", default=None)


class OfficeUnavailable(Exception):
    """The warm LibreOffice cannot run here; to_pdf then starts `soffice` for each batch."""


class ConversionFailed(Exception):
    """LibreOffice runs but made no PDF of this document."""


def soffice() -> str | None:
    """The LibreOffice executable, or None when there is none (or PDFs are switched off)."""
    wanted = os.environ.get(SOFFICE)
    if wanted is None:
        return shutil.which("soffice")
    return shutil.which(wanted) if wanted.strip() else None


class Office:
    """One LibreOffice kept open for conversions: started on first use (or by `start`),
    started again when it died, closed when the process ends.

    LibreOffice runs under a small worker (office_worker.py) in a Python that has its `uno`
    module, which need not be this one: Debian's python3-uno belongs to /usr/bin/python3, not
    to a venv's Python. They talk over the worker's stdin and stdout and a local UNO pipe, so
    no network port is opened. One conversion at a time: LibreOffice's core is single-threaded,
    and a lock lets any number of threads share it.
    """

    def __init__(self, soffice: str) -> None:
        self.soffice = soffice
        self.pipe = ""  # the name of the UNO pipe of the LibreOffice running now
        self.unavailable: str | None = None  # why it cannot start here, once it failed
        self._lock = threading.Lock()
        self._worker: subprocess.Popen[str] | None = None
        atexit.register(self.stop)

    @property
    def running(self) -> bool:
        """Whether a warm LibreOffice is up (it may still have died since)."""
        return self._worker is not None and self._worker.poll() is None

    def start(self) -> None:
        """Start LibreOffice now unless it runs. Raises OfficeUnavailable."""
        with self._lock:
            self._running()

    def convert(self, docx: Path, pdf: Path) -> None:
        """Write the tagged PDF of docx to pdf. Raises ConversionFailed for this document,
        OfficeUnavailable when LibreOffice cannot be (re)started or keeps dying."""
        request = {"docx": str(docx), "pdf": str(pdf), "filter": FILTER, "options": OPTIONS}
        with self._lock:
            for _ in range(2):  # LibreOffice may have died since the last conversion
                answer = self._ask(self._running(), request, TIMEOUT)
                if answer is None:  # hung on this document: not worth another try
                    self._stop()
                    raise ConversionFailed(f"no answer within {TIMEOUT} s")
                if not answer.get("dead"):
                    break
                log.warning("LibreOffice stopped during a conversion: starting it again")
                self._stop()
            else:
                raise OfficeUnavailable("LibreOffice stopped twice on one document")
        if "error" in answer:
            raise ConversionFailed(answer["error"])

    def stop(self) -> None:
        """Close LibreOffice (it starts again at the next conversion)."""
        with self._lock:
            self._stop()

    def _running(self) -> subprocess.Popen[str]:
        if self.running:
            return self._worker  # type: ignore[return-value]
        self._stop()
        if self.unavailable:
            raise OfficeUnavailable(self.unavailable)
        why = "no Python with LibreOffice's uno module (Debian: python3-uno)"
        for python in _pythons(self.soffice):
            worker = self._spawn(python)
            answer = self._ask(worker, None, START_TIMEOUT) or {"error": "no answer"}
            self._worker = worker
            if answer.get("ready"):
                return worker
            self._stop()
            if not answer.get("no_uno"):
                why = f"LibreOffice did not start: {answer['error']}"
                break
        self.unavailable = why
        log.warning("%s; starting soffice for each conversion instead", why)
        raise OfficeUnavailable(why)

    def _spawn(self, python: str) -> subprocess.Popen[str]:
        # a new pipe name each start: a killed LibreOffice may leave its pipe behind
        self.pipe = f"participatiebot-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        command = [python, "-I", str(WORKER), self.soffice, self.pipe]
        # its own process group: stopping it ends LibreOffice too, whatever LibreOffice forked
        return subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            start_new_session=True,
        )

    @staticmethod
    def _ask(
        worker: subprocess.Popen[str], request: dict[str, Any] | None, timeout: float
    ) -> dict[str, Any] | None:
        """The worker's answer to request (None: its first word); `dead` when it is gone, None
        when it did not answer in time."""
        assert worker.stdin is not None and worker.stdout is not None
        gone = {"error": "the worker stopped", "dead": True}
        try:
            if request is not None:
                worker.stdin.write(json.dumps(request) + "\n")
                worker.stdin.flush()
            ready, _, _ = select.select([worker.stdout], [], [], timeout)
            if not ready:
                log.warning("LibreOffice did not answer within %s s", timeout)
                return None
            line = worker.stdout.readline()
        except (OSError, ValueError):  # its end of the pipe is closed
            return gone
        return json.loads(line) if line else gone

    def _stop(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            with contextlib.suppress(OSError):
                worker.stdin.close()  # type: ignore[union-attr]  # the worker closes LibreOffice
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.wait(timeout=15)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(worker.pid, signal.SIGKILL)  # whatever is left of that LibreOffice
            worker.wait()
            with contextlib.suppress(OSError):
                worker.stdout.close()  # type: ignore[union-attr]


def _pythons(soffice: str) -> list[str]:
    """Pythons that may have LibreOffice's uno module, likeliest first: LibreOffice's own (the
    builds of libreoffice.org ship one), this one, the system's (Debian's python3-uno)."""
    found = [str(Path(os.path.realpath(soffice)).parent / "python")]
    if importlib.util.find_spec("uno") is not None:
        found.append(sys.executable)
    found.append("/usr/bin/python3")
    return [p for p in dict.fromkeys(found) if os.access(p, os.X_OK)]


def office(exe: str) -> Office:
    """The warm LibreOffice of this soffice, one per process (not started yet on first call)."""
    with _lock:
        if exe not in _offices:
            _offices[exe] = Office(exe)
        return _offices[exe]


def start() -> Future[None]:
    """Start the warm LibreOffice in the background, so the first PDF need not wait for it
    (`serve` does this; without it LibreOffice starts at the first conversion)."""

    exe = soffice()

    def warm() -> None:
        if exe is not None:
            with contextlib.suppress(OfficeUnavailable):  # logged; to_pdf converts cold
                office(exe).start()

    return _executor().submit(warm)


def stop() -> None:
    """Close every warm LibreOffice of this process (`serve` does this when it stops)."""
    with _lock:
        offices = list(_offices.values())
    for warm in offices:
        warm.stop()


def to_pdf(paths: Iterable[Path]) -> list[Path]:
    """A tagged PDF next to each .docx (same name), through the warm LibreOffice.

    Without LibreOffice nothing is made and `notice` has a sentence for the user once; the
    .docx files stand either way. A conversion that fails is logged and left out. Where the
    warm LibreOffice cannot run, `soffice --convert-to` makes them, in one start.
    """
    paths = [Path(p) for p in paths]
    exe = _libreoffice(paths)
    return _convert(paths, exe) if exe else []


def _libreoffice(paths: list[Path]) -> str | None:
    """The soffice to make these PDFs with; None (and the user told later) when there is none."""
    exe = soffice()
    if paths and exe is None and os.environ.get(SOFFICE) != "":  # "": switched off on purpose
        _state["missing"] = True
        log.warning("LibreOffice (soffice) not found: no PDF of %s", ", ".join(map(str, paths)))
    return exe


def _convert(paths: list[Path], exe: str) -> list[Path]:
    warm = office(exe)
    made = []
    for n, doc in enumerate(paths):
        target = doc.with_suffix(".pdf")
        # written beside the target, then swapped: a reader never sees half a PDF
        partial = target.with_name(f".{target.name}.tmp")
        try:
            warm.convert(doc, partial)
        except ConversionFailed as e:
            partial.unlink(missing_ok=True)
            log.warning("LibreOffice made no PDF of %s: %s", doc, e)
            continue
        except OfficeUnavailable:
            partial.unlink(missing_ok=True)
            return made + _cold(exe, paths[n:])
        os.replace(partial, target)
        made.append(target)
    return made


def to_pdf_later(paths: Iterable[Path]) -> Future[list[Path]]:
    """to_pdf on a background thread: returns at once; the future holds what to_pdf returns.
    Batches are converted one after another, in the order they came."""
    paths = [Path(p) for p in paths]
    # the setting as it is now, not when the background thread comes to this batch
    exe = _libreoffice(paths)
    if exe is None or not paths:
        done: Future[list[Path]] = Future()
        done.set_result([])
        return done
    return _executor().submit(_convert, paths, exe)


@contextlib.contextmanager
def later() -> Iterator[list[Future[list[Path]]]]:
    """Inside this block a rendered document that gets a PDF (see handreiking.documents.render)
    returns as soon as its .docx is written; its PDF follows in the background. The list
    collects one future per PDF, for whoever sends the PDFs on once they are there.
    """
    pending: list[Future[list[Path]]] = []
    token = _later.set(pending)
    try:
        yield pending
    finally:
        _later.reset(token)


def coming(pending: Iterable[Future[list[Path]]]) -> bool:
    """Whether a PDF is on its way (without LibreOffice the futures are done, and empty)."""
    return any(not f.done() or (f.exception() is None and f.result()) for f in pending)


def settle() -> None:
    """Wait until every PDF asked for in this process so far is made (or failed): batches run one
    after another, so an empty one queued now finishes after them."""
    if _background is not None:
        _executor().submit(lambda: None).result()


def make_pdf(docx: Path) -> None:
    """The PDF beside this .docx: now, or in the background inside `later()`."""
    pending = _later.get()
    if pending is None:
        to_pdf([docx])
    else:
        pending.append(to_pdf_later([docx]))


def _executor() -> ThreadPoolExecutor:
    global _background
    with _lock:
        if _background is None:
            _background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf")
        return _background


def _user_profile() -> Path:
    """One LibreOffice profile per process: two processes sharing one would block each other."""
    global _profile
    if _profile is None:
        _profile = Path(tempfile.mkdtemp(prefix="participatiebot-lo-"))
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def _cold(exe: str, paths: list[Path]) -> list[Path]:
    """The PDFs by `soffice --convert-to`, all in one LibreOffice start (about 1.5 s)."""
    with _cold_lock, tempfile.TemporaryDirectory(prefix="participatiebot-pdf-") as tmp:
        # numbered copies: documents of several plans may share a name
        copies = []
        for n, doc in enumerate(paths):
            copy = Path(tmp) / f"{n}.docx"
            shutil.copyfile(doc, copy)
            copies.append(copy)
        out = Path(tmp) / "pdf"
        command = [
            exe,
            f"-env:UserInstallation={_user_profile().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            EXPORT,
            "--outdir",
            str(out),
            *map(str, copies),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=True)
        except (OSError, subprocess.SubprocessError) as e:
            log.warning("LibreOffice could not make PDFs: %s", e)
        made = []
        for n, doc in enumerate(paths):
            pdf = out / f"{n}.pdf"
            if pdf.is_file():
                target = doc.with_suffix(".pdf")
                tmp_target = target.with_name(f".{target.name}.tmp")
                shutil.copyfile(pdf, tmp_target)
                os.replace(tmp_target, target)
                made.append(target)
            else:
                log.warning("LibreOffice made no PDF of %s", doc)
        return made


def notice() -> str | None:
    """Once per process, after a PDF could not be made for want of LibreOffice: what to say."""
    if not _state["missing"] or _state["told"]:
        return None
    _state["told"] = True
    from handreiking.formatting import text

    return text("pdf_missing")
