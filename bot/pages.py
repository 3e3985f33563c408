"""What every HTML page of the one HTTP server shares: the page's language, its texts
(templates/messages/web.yaml), templates/web/ rendered with the security headers, posted forms
read within limits. The advisor's pages, the participants' pages, the web chat and the public
plan pages all build on this module and on nothing of each other's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from bot.engine.texts import messages
from bot.rendering import environment
from handreiking.resources import shipped

LANG_COOKIE = "participatiebot_taal"
LANGS = ("nl", "en")
MAX_FORM = 256_000

HEADERS = {
    "Cache-Control": "no-store",
    # the token in the address must not leak to other sites through the Referer header
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}


# the request whose page is being made, so that texts need not be handed its language
_request: ContextVar[Request | None] = ContextVar("request", default=None)


def lang() -> str:
    """The language of this request's page: `?lang=`, else the remembered choice, else Dutch."""
    request = _request.get()
    if request is not None:
        for choice in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
            if choice in LANGS:
                return choice
    return "nl"


def _messages() -> dict[str, Any]:
    """templates/messages/web.yaml, read once by the one reader of message files."""
    return messages("web")


def t(key: str, **params: Any) -> str:
    """The page text `key` in this request's language (Dutch when missing), {params} filled in."""
    entry = _messages()[key]
    text = entry.get(lang()) or entry["nl"]
    return text.format(**params) if params else text


def _switch() -> str | None:
    """The address of this page in the other language; only a GET can simply be asked again."""
    request = _request.get()
    if request is None or request.method != "GET":
        return None
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    other = "en" if lang() == "nl" else "nl"
    return f"{request.url.path}?{urlencode([*query, ('lang', other)])}"


@cache
def _env() -> Environment:
    env = environment()
    env.globals["t"] = t  # a page's texts in the language of its request
    return env


def page(
    name: str,
    status_code: int = 200,
    *,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page from templates/web/; `site` names the site in the header (the advisor's pages
    by default); `headers` replace the defaults (a page with its own script and style sheet)."""
    context.setdefault("gemeente", None)
    context.setdefault("site", None)
    context.setdefault("public", False)  # the public pages' look (templates/web/static)
    html = _env().get_template(name).render(lang=lang(), switch=_switch(), **context)
    sent = {**HEADERS, **(headers or {}), "Content-Language": lang()}
    return HTMLResponse(html, status_code=status_code, headers=sent)


def public_headers(frame_ancestors: str = "'none'", *, cache: bool = False) -> dict[str, str]:
    """Headers of a public page with the shipped style sheet and script (/static), which a
    gemeente may show in an <iframe> on its own site (`frame_ancestors`)."""
    return {
        "Cache-Control": "public, max-age=300" if cache else "no-store",
        "Content-Security-Policy": (
            "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; "
            f"img-src 'self' data:; form-action 'self'; frame-ancestors {frame_ancestors}; "
            "base-uri 'none'"
        ),
    }


@contextmanager
def for_request(request: Request) -> Iterator[None]:
    """Texts and pages made inside this block speak the request's language."""
    current = _request.set(request)
    try:
        yield
    finally:
        _request.reset(current)


def localised(
    handler: Callable[[Request], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint with its pages and texts in the request's language."""

    async def endpoint(request: Request) -> Response:
        with for_request(request):
            return await handler(request)

    return endpoint


def melding(titel: str, tekst: str, status_code: int, terug: str | None = None) -> HTMLResponse:
    return page("melding.html", status_code, titel=titel, tekst=tekst, terug=terug)


async def read_form(request: Request) -> dict[str, str]:
    """The fields of a posted form, urlencoded or multipart (no files); 413 when too large."""
    if len(await request.body()) > MAX_FORM:
        raise HTTPException(413)
    form = await request.form(max_files=0)
    return {k: v for k, v in form.multi_items() if isinstance(v, str)}


STATIC = {"nlds.css": "text/css", "chat.js": "text/javascript"}


def static_routes() -> list[BaseRoute]:
    """The style sheet and script the public pages share, shipped in templates/web/static/
    (no CDN: the pages work on a gemeente's network and tell no third party who visits)."""

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return Response(status_code=404)
        return FileResponse(
            shipped("templates") / "web" / "static" / name,
            media_type=STATIC[name],
            headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
        )

    return [Route("/static/{name}", static, methods=["GET"])]
