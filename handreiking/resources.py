"""Where the shipped conversations and templates live, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_HERE = Path(__file__).parent
# libyaml's loader where PyYAML has it: ten times faster than the pure-Python one, which let the
# first conversations after a start wait while every worker thread read the same file
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def shipped(name: str) -> Path:
    """The shipped folder `name` ('conversations' or 'templates')."""
    installed = _HERE / "_shipped" / name
    if installed.is_dir():
        return installed
    return _HERE.parent / name


def load_yaml(path: Path) -> Any:
    """A YAML file of the project (safe: plain data only)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506
