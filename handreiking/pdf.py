"""Tagged, Dutch PDFs of the documents meant for publication, made by LibreOffice."""

from __future__ import annotations

import atexit
import json
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

# Where LibreOffice is: a path or a command name; empty means 'make no PDFs'. Unset: `soffice`
# on the PATH.
SOFFICE = "PARTICIPATIEBOT_SOFFICE"
# Tagged PDF (structure tree, headings, table headers, alt text) that aims at PDF/UA; the title
# comes from the document's title property, the language (nl-NL) from its default language.
EXPORT = "pdf:writer_pdf_Export:" + json.dumps(
    {
        "UseTaggedPDF": {"type": "boolean", "value": "true"},
        "PDFUACompliance": {"type": "boolean", "value": "true"},
    }
)
TIMEOUT = 180

_lock = threading.Lock()
_profile: Path | None = None
_state = {"missing": False, "told": False}


def soffice() -> str | None:
    """The LibreOffice executable, or None when there is none (or PDFs are switched off)."""
    wanted = os.environ.get(SOFFICE)
    if wanted is None:
        return shutil.which("soffice")
    return shutil.which(wanted) if wanted.strip() else None


def _user_profile() -> Path:
    """One LibreOffice profile per process: two processes sharing one would block each other."""
    global _profile
    if _profile is None:
        _profile = Path(tempfile.mkdtemp(prefix="participatiebot-lo-"))
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def to_pdf(paths: Iterable[Path]) -> list[Path]:
    """A tagged PDF next to each .docx (same name), all in one LibreOffice start.

    Without LibreOffice nothing is made and `notice` has a sentence for the user once; the
    .docx files stand either way. A conversion that fails is logged and left out.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return []
    exe = soffice()
    if exe is None:
        if os.environ.get(SOFFICE) != "":  # switched off on purpose: nothing to tell
            _state["missing"] = True
            log.warning("LibreOffice (soffice) not found: no PDF of %s", ", ".join(map(str, paths)))
        return []
    with _lock, tempfile.TemporaryDirectory(prefix="participatiebot-pdf-") as tmp:
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
                # written beside the target, then swapped: a reader never sees half a PDF
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
    from handreiking.documents import text

    return text("pdf_missing")
