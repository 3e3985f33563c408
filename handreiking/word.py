"""Word through docxtpl: the template class, its escaping Jinja environment, pictures.

Imported only when a document is rendered: docxtpl, python-docx and lxml are large.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup, escape

BREEDTE = Mm(160)  # the text width of an A4 page with 25 mm margins

# XML 1.0 forbids these; lxml's recovering parser in docxtpl would silently drop text around them
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# the core properties docxtpl renders with the same (escaping) Jinja environment
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
# Word keeps at most this many characters in a core property (python-docx refuses more)
PROPERTY_MAX = 255


def _finalize(value: Any) -> Any:
    """Make every '{{ value }}' safe XML text: escaped, no forbidden characters, braces kept.

    Newlines stay: docxtpl turns '\\n' in any rendered text into a line break (as Listing does).
    """
    if value is None:
        return ""
    if hasattr(value, "__html__"):  # RichText, Listing, Markup: already XML
        return value
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = _NOT_XML.sub("\ufffd", text)
    # docxtpl turns '{_{' and friends into '{{' after rendering; character references survive
    text = str(escape(text)).replace("{", "&#123;").replace("}", "&#125;")
    return Markup(text)


class _CompilingOnce(Environment):
    """An environment whose `from_string` compiles each source once. docxtpl hands it the XML
    of the template file, the same at every render, and compiling it was most of a render.
    Only a template file's own text is ever a source; the answers reach it as data."""

    KEEP = 64  # template parts held compiled (a few per template file)

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, Any] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = super().from_string(source)
            if len(self._compiled) >= self.KEEP:
                self._compiled.pop(next(iter(self._compiled)), None)
            self._compiled[source] = template
        return template


# StrictUndefined: a misspelt name in a gemeente's template is an error, not an empty spot
_ENVIRONMENT = _CompilingOnce(autoescape=True, undefined=StrictUndefined, finalize=_finalize)


def environment() -> Environment:
    return _ENVIRONMENT


# docxtpl's cleaning of a template file's XML, by that XML: the same at every render of a file
_PATCHED: dict[str, str] = {}


class WordTemplate(DocxTemplate):
    """docxtpl's template; its core properties (the title holds the plan's title) are cut to
    Word's length instead of failing the whole document."""

    def patch_xml(self, src_xml: str) -> str:
        """docxtpl's regular expressions over the template's XML took a third of a render;
        they depend on that XML alone, so each file's is cleaned once per process."""
        patched = _PATCHED.get(src_xml)
        if patched is None:
            patched = super().patch_xml(src_xml)
            if len(_PATCHED) >= _CompilingOnce.KEEP:
                _PATCHED.pop(next(iter(_PATCHED)), None)
            _PATCHED[src_xml] = patched
        return patched

    def render_properties(
        self, context: dict[str, Any], jinja_env: Environment | None = None
    ) -> None:
        env = jinja_env or environment()
        props = self.docx.core_properties
        for prop in _PROPERTIES:
            source = getattr(props, prop)
            # the template file's own text (the answers in `context` are data to it), rendered
            # escaped like the body; python-docx escapes again, so it is unescaped here
            text = html.unescape(env.from_string(source).render(context)) if source else ""
            if len(text) > PROPERTY_MAX:
                text = text[: PROPERTY_MAX - 1] + "…"
            setattr(props, prop, text)


class Afbeelding(InlineImage):
    """docxtpl's InlineImage with alt text (docPr descr), which screen readers read aloud.

    `image` is a path, or a function that makes the picture: then it is only drawn when the
    template shows it.
    """

    def __init__(
        self,
        tpl: DocxTemplate,
        image: Path | Callable[[], Path],
        descr: str,
        width: Any = BREEDTE,
    ) -> None:
        super().__init__(tpl, None if callable(image) else str(image), width=width)
        self._make = image if callable(image) else None
        # XML allows no control characters; alt text needs no line breaks either
        self.descr = "".join(c if c.isprintable() else " " for c in descr)

    def _insert_image(self) -> str:
        if self._make is not None:
            self.image_descriptor = str(self._make())
        inline = self.tpl.current_rendering_part.new_pic_inline(
            self.image_descriptor, self.width, self.height
        )
        inline.docPr.set("descr", self.descr)
        # docxtpl turns '{_{' into '{{' after rendering; character references stay literal
        xml = inline.xml.replace("{", "&#123;").replace("}", "&#125;")
        return f'</w:t></w:r><w:r><w:drawing>{xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'
