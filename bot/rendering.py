"""The one Jinja environment: the HTML pages of templates/web/ and the mail texts of
templates/mail/ (HTML autoescaped, an unknown name fails instead of printing nothing)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from handreiking.resources import shipped


@cache
def environment() -> Environment:
    """The environment every page and mail is rendered with; a name is looked up in
    templates/web/ first, then templates/mail/ (the two folders share no file name)."""
    templates = shipped("templates")
    return Environment(
        loader=FileSystemLoader([templates / "web", templates / "mail"]),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
