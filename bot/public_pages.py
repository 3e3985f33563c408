"""The public page per plan (`/plannen/<code>`) and a gemeente's index (`/plannen`)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from bot.settings import Settings
from bot.storage import Store


def routes(settings: Settings, store: Store) -> list[BaseRoute]:
    return []
