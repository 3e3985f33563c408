"""Alembic's upgrade, run as `python -m bot.storage.migrate` in a process of its own.

A server that migrates a fresh database at its first start need not hold Alembic, Mako and
Pygments (about 12 MB) for the rest of its life; the URL comes in the environment, not the
command line, where `ps` would show a password in it.
"""

from __future__ import annotations

import os
import sys

from alembic import command
from alembic.config import Config

from bot.storage.store import MIGRATIONS

URL = "PARTICIPATIEBOT_MIGRATE_URL"


def upgrade_here(url: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["url"] = url  # not in the ini options: a '%' in a URL would break them
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "heads")


if __name__ == "__main__":
    try:
        upgrade_here(os.environ[URL])
    except Exception as e:  # the parent shows the last line of stderr as the reason
        print(f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}", file=sys.stderr)
        sys.exit(1)
