"""The one HTTP server (ASGI, Starlette): health check plus the routes the channels bring."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.engine import Engine
from bot.settings import Settings
from bot.storage import Store


def build_app(
    settings: Settings, engine: Engine, store: Store, routes: list[BaseRoute]
) -> Starlette:
    """`GET /health` and the given routes (Telegram webhook, Slack events, later web pages)."""

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True})

    app = Starlette(routes=[Route("/health", health, methods=["GET"]), *routes])
    # later routes (web pages, e-mail links) reach the engine and store through the app
    app.state.settings = settings
    app.state.engine = engine
    app.state.store = store
    return app
