"""axe-core (through axe-playwright-python) on a page in the browser: no WCAG 2.1 A/AA violation."""

from __future__ import annotations

import pytest

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


async def no_violations(page) -> None:
    pytest.importorskip("axe_playwright_python")
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
