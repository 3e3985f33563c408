"""Make docs/adviseur-review.png, the README's picture of the advisor's review page.

Runs the browser test (tests/test_review_browser.py), which saves the review page as it is
being filled in on a desktop-width and a phone-width screen, and puts the two side by side.
Needs what that test needs: Debian's chromium and the Python package playwright.

    .venv/bin/python scripts/screenshot_review.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "adviseur-review.png"
BACKGROUND = "#e6ebf1"
MARGIN = 32
BEZEL = 14


def compose(desktop: Path, phone: Path, out: Path) -> None:
    """The desktop view with a thin border, the phone view in a dark rounded frame beside it."""
    wide, narrow = Image.open(desktop).convert("RGB"), Image.open(phone).convert("RGB")
    framed_w, framed_h = narrow.width + 2 * BEZEL, narrow.height + 2 * BEZEL
    width = MARGIN + wide.width + 2 + MARGIN + framed_w + MARGIN
    height = MARGIN + max(wide.height + 2, framed_h) + MARGIN
    canvas = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle(
        (MARGIN, MARGIN, MARGIN + wide.width + 1, MARGIN + wide.height + 1), outline="#8c8c8c"
    )
    canvas.paste(wide, (MARGIN + 1, MARGIN + 1))
    left = MARGIN + wide.width + 2 + MARGIN
    draw.rounded_rectangle(
        (left, MARGIN, left + framed_w - 1, MARGIN + framed_h - 1), radius=28, fill="#1a1a1a"
    )
    canvas.paste(narrow, (left + BEZEL, MARGIN + BEZEL))
    out.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(out, optimize=True)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        # CI=1: a missing browser is an error here, not a skipped test and an old picture
        env = {**os.environ, "PARTICIPATIEBOT_SCREENSHOT_DIR": tmp, "CI": "1"}
        test = "tests/test_review_browser.py::" + (
            "test_advisor_asks_a_change_owner_resubmits_advisor_records_the_vaststelling"
        )
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", test], cwd=ROOT, env=env)
        if run.returncode:
            return run.returncode
        compose(Path(tmp) / "review-desktop.png", Path(tmp) / "review-phone.png", OUT)
    print(OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
