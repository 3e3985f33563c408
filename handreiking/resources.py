"""Where the shipped conversations and templates live, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).parent


def shipped(name: str) -> Path:
    """The shipped folder `name` ('conversations' or 'templates')."""
    installed = _HERE / "_shipped" / name
    if installed.is_dir():
        return installed
    return _HERE.parent / name
