"""Format sniffing and HTML to text: whole pages (trafilatura, else lxml), HTML pasted into text files, Markdown recognised."""
from __future__ import annotations

import html
import html.entities
import re
from typing import Optional

from miner.reading.source import SourceText, _normalise_newlines

_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_TAG = re.compile(
    r"</?(?:p|br|span|div|strong|em|b|i|u|a|img|font|sup|sub|table|tbody|thead|tr|td|th"
    r"|ul|ol|li|h[1-6]|blockquote|figure|figcaption|iframe|script|style)\b[^<>]*>",
    re.I,
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_MD_MARKUP = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__|\[[^\]\n]+\]\([^)\s]+\)")

MIN_TAGS = 3
MIN_ENTITIES = 5


def _looks_like_html_document(text: str) -> bool:
    return bool(_HTML_START.match(text[:4096]))


def _is_entity(match: re.Match) -> bool:
    token = match.group(0)
    return token.startswith("&#") or token[1:] in html.entities.html5


def _looks_like_html_in_text(text: str) -> bool:
    tags = 0
    for _ in _TAG.finditer(text):
        tags += 1
        if tags >= MIN_TAGS:
            return True
    entities = 0
    for match in _ENTITY.finditer(text):
        if _is_entity(match):
            entities += 1
            if entities >= MIN_ENTITIES:
                return True
    return False


def _looks_like_markdown(text: str) -> bool:
    headings = len(_MD_HEADING.findall(text))
    return headings >= 2 or (headings >= 1 and bool(_MD_MARKUP.search(text)))

_PARAGRAPH_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 blockquote pre table ul ol dl figure address".split()
)
_LINE_TAGS = frozenset(
    "div li tr dt dd section article header footer nav aside main form "
    "figcaption caption hr thead tbody tfoot center".split()
)
_CELL_TAGS = frozenset(("td", "th"))
_DROPPED_TAGS = frozenset("script style noscript template head title iframe object svg math".split())
_HORIZONTAL_SPACE = re.compile(r"[ \t\f\v\u00a0\r]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _TextSink:
    """Collects text with line and paragraph breaks, HTML-style."""

    def __init__(self, keep_newlines: bool):
        self.keep_newlines = keep_newlines
        self.parts: list[str] = []

    def _tail(self) -> str:
        return self.parts[-1] if self.parts else "\n"

    def text(self, value: str) -> None:
        if self.keep_newlines:
            value = _HORIZONTAL_SPACE.sub(" ", value)
        else:
            value = re.sub(r"\s+", " ", value)
        if self._tail().endswith("\n"):
            value = value.lstrip(" \n")
        elif self._tail().endswith((" ", "\t")) and value.startswith(" "):
            value = value[1:]
        if value:
            self.parts.append(value)

    def line_break(self) -> None:
        self.parts.append("\n")

    def block_break(self, newlines: int) -> None:
        """Make the output end in at least ``newlines`` newlines."""
        if self.parts:
            missing = newlines - self._trailing_newlines()
            if missing > 0:
                self.parts.append("\n" * missing)

    def _trailing_newlines(self) -> int:
        count = 0
        for part in reversed(self.parts):
            stripped = part.rstrip("\n")
            count += len(part) - len(stripped)
            if stripped:
                break
        return count

    def cell_break(self) -> None:
        if not self._tail().endswith("\n"):
            self.parts.append("\t")

    def result(self) -> str:
        text = "".join(self.parts)
        text = re.sub(r"[ \t]+\n", "\n", text)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return text.strip()


def _render_element(root, keep_newlines: bool) -> str:
    """Text of an lxml element: block elements become line breaks (a blank
    line after paragraphs), inline tags vanish, scripts and styles are dropped.
    Iterative, so deeply nested broken markup cannot exhaust the stack."""
    sink = _TextSink(keep_newlines)
    stack = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if closing:
            _close_element(sink, tag)
            if element is not root and element.tail:
                sink.text(element.tail)
            continue
        if tag is None or tag in _DROPPED_TAGS:  # comment, processing instruction
            if element is not root and element.tail:
                sink.text(element.tail)
            continue
        _open_element(sink, tag)
        if element.text:
            sink.text(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return sink.result()


def _open_element(sink: _TextSink, tag: Optional[str]) -> None:
    if tag == "br":
        sink.line_break()
    elif tag in _PARAGRAPH_TAGS:
        sink.block_break(2)
    elif tag in _LINE_TAGS:
        sink.block_break(1)


def _close_element(sink: _TextSink, tag: Optional[str]) -> None:
    if tag in _PARAGRAPH_TAGS:
        sink.block_break(2)
    elif tag in _LINE_TAGS:
        sink.block_break(1)
    elif tag in _CELL_TAGS:
        sink.cell_break()


def _html_fragment_to_text(fragment: str, keep_newlines: bool) -> str:
    from lxml import etree, html as lxml_html

    fragment = fragment.strip()
    if not fragment:
        return ""
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return _strip_tags_crudely(fragment)
    return _render_element(root, keep_newlines)


def _strip_tags_crudely(fragment: str) -> str:
    text = re.sub(r"<[^<>]*>", " ", fragment)
    return _HORIZONTAL_SPACE.sub(" ", html.unescape(text)).strip()


def _clean_html_in_text(text: str) -> str:
    """Keep the plain lines before the first HTML line as they are; convert
    the rest with lxml, keeping its own line breaks."""
    lines = text.split("\n")
    first_html = next(
        (i for i, line in enumerate(lines) if _TAG.search(line) or _has_entity(line)),
        0,
    )
    prefix = "\n".join(lines[:first_html])
    body = _html_fragment_to_text("\n".join(lines[first_html:]), keep_newlines=True)
    if not prefix:
        return body
    return prefix + "\n" + body if body else prefix


def _has_entity(line: str) -> bool:
    return any(_is_entity(m) for m in _ENTITY.finditer(line))


def _apply_html_page(result: SourceText) -> None:
    """Replace result.text by the page's main text (title first), via
    trafilatura, falling back to all visible text when it finds nothing."""
    page = re.sub(r"\A\s*<\?xml[^>]*>", "", result.text)  # lxml refuses str with an XML declaration
    body, title, date = _trafilatura_extract(page)
    if not body:
        body, fallback_title = _lxml_page_text(page)
        title = title or fallback_title
        result.warnings.append("trafilatura found no main text; used all visible text")
    if not body.strip():
        # libxml2 stops at 256 nested elements and drops what lies deeper; the words are still there
        body = _strip_tags_crudely(re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page))
        if body:
            result.warnings.append("HTML too deeply nested for the parser; tags stripped instead")
    title = _HORIZONTAL_SPACE.sub(" ", title).strip() if title else None
    if title and not body.startswith(title):
        body = f"{title}\n{body}" if body else title
    result.text = _normalise_newlines(body)
    result.input_format = "html"
    result.title_hint = title
    result.date_hint = date if date and _DATE.fullmatch(date) else None


def _trafilatura_extract(page: str) -> tuple[str, Optional[str], Optional[str]]:
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its "discarding data" notes are not the user's business

    try:
        body = trafilatura.extract(
            page, output_format="txt", include_comments=False, include_tables=True, with_metadata=False
        )
        metadata = trafilatura.extract_metadata(page)
    except Exception:  # trafilatura can trip on odd markup; the fallback handles it
        return "", None, None
    title = metadata.title if metadata is not None else None
    date = metadata.date if metadata is not None else None
    return (body or "").strip(), title, date


def _lxml_page_text(page: str) -> tuple[str, Optional[str]]:
    from lxml import etree, html as lxml_html

    try:
        document = lxml_html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return _strip_tags_crudely(page), None
    title_element = document.find(".//title")
    title = title_element.text_content() if title_element is not None else None
    body = document.find("body")
    return _render_element(body if body is not None else document, keep_newlines=False), title
