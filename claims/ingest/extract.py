"""Article text and metadata from a fetched HTML page (trafilatura), and safe bytes-to-text decoding."""

from __future__ import annotations

import codecs
import copy
import datetime
import logging
import re
from html import unescape
from typing import Any

import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from claims.ingest import text_blocks as tb
from claims.ingest.clean import Extracted, ExtractionError, clean_text, select_body, split_lines

__all__ = ["Extracted", "ExtractionError", "decode_body", "extract_html"]

# trafilatura logs ERROR ("empty HTML tree", "parsed tree length: 0") for every page it cannot make sense of.
# For junk input that is an expected outcome we handle ourselves (the fallback below, or a readable `failed`
# article), so its records would only bury real errors in the worker's log. Exceptions still surface.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

_MARKUP = re.compile(r"</?[a-zA-Z][\w:-]*(?:\s[^<>]*)?/?>|<!--")
_TAG = re.compile(r"<[^<>]*>")
_TITLE_TAG = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>|<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
# Like a browser, an unclosed <script> or comment hides the rest of the page; an unclosed <nav> does not.
_INVISIBLE = re.compile(
    r"<!--.*?(?:-->|$)|<(script|style|noscript|template|svg|iframe)\b.*?(?:</\1\s*>|$)"
    r"|<(nav|header|footer|aside|form)\b.*?</\2\s*>",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|blockquote|article|section|main|td|th|tr|table|br|pre|figcaption|dd|dt)\b[^>]*>",
    re.IGNORECASE,
)
_DATE_PARAMS = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True}
_ENOUGH_BODY = 600  # characters of body below which the slower, more tolerant extraction is tried too


def extract_html(html: str, *, url: str | None = None) -> Extracted:
    """Extract the article from an HTML page; ``url`` is where it was fetched from, if known."""
    if not html or not html.strip():
        raise ExtractionError("the page is empty")
    best: tuple[Any, str | None, list[str]] | None = None
    page = _pruned(html)
    # trafilatura's own extractor is half the cost of a full run; its fallbacks (readability, jusText)
    # are only worth paying for when the fast pass finds little.
    for fast in (True, False):
        doc = _trafilatura(copy.deepcopy(page) if page is not None else html, url, fast=fast)
        if doc is None or not getattr(doc, "text", None):
            continue
        title = _headline(doc)
        lines = [line for line in split_lines(doc.text) if not _MARKUP.search(line)]
        body = select_body(lines, title)
        if best is None or _size(body) > _size(best[2]):
            best = (doc, title, body)
        if _size(body) >= _ENOUGH_BODY:
            break
    if best is None or not best[2]:
        return _fallback(html, url)
    doc, title, body = best
    page_url = doc.url if isinstance(doc.url, str) and doc.url.startswith(("http://", "https://")) else url
    return Extracted(
        text="\n\n".join(([title] if title else []) + body),
        title=title,
        url=page_url,
        published_at=_parse_date(doc.date),
        outlet=_plain(doc.sitename),
        byline=_byline(doc.author),
    )


def _size(blocks: list[str]) -> int:
    return sum(len(b) for b in blocks)


def _headline(doc: Any) -> str | None:
    title, sitename = _plain(doc.title), _plain(doc.sitename)
    if title and sitename:
        # Titles taken from <title> often carry " | Site name"; the headline is the part before it.
        title = re.sub(r"\s*[|–—-]\s*" + re.escape(sitename) + r"\s*$", "", title) or title
    return title


def _byline(author: object) -> str | None:
    """trafilatura joins authors with "; " and sometimes drags in the date that shared the byline line."""
    text = _plain(author)
    if text is None:
        return None
    names = [n.strip() for n in text.split(";")]
    names = [n for n in names if n and not re.search(r"\d", n) and n.casefold().rstrip(".") not in tb.MONTHS]
    return "; ".join(names) or None


_NEVER_TEXT = ("style", "noscript", "template", "iframe", "object", "embed")


def _pruned(html: str) -> Any:
    """The page parsed once, without the elements that never hold article text (scripts other than JSON-LD
    metadata, styles...). trafilatura removes them too, but one element at a time: a page stuffed with tens
    of thousands of scripts took it over a minute. None when lxml cannot parse the page."""
    try:
        tree = load_html(html)
    except (ValueError, TypeError, etree.LxmlError, RecursionError):
        return None
    if tree is None:
        return None
    etree.strip_elements(tree, *_NEVER_TEXT, with_tail=False)
    scripts = [el for el in tree.iter("script") if "ld+json" not in (el.get("type") or "").lower()]
    for el in scripts:
        _drop_keeping_tail(el)
    return tree


def _drop_keeping_tail(el: Any) -> None:
    """Remove `el` but not the text that follows it (in lxml that text belongs to the removed element)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        before = el.getprevious()
        if before is not None:
            before.tail = (before.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _trafilatura(html: Any, url: str | None, *, fast: bool) -> Any:
    try:
        return trafilatura.bare_extraction(
            html, url=url, fast=fast, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, include_links=False, date_extraction_params=dict(_DATE_PARAMS),
        )
    except (ValueError, TypeError, etree.LxmlError, RecursionError):
        # trafilatura is tolerant, but pathological markup can still trip lxml; the fallback below copes.
        return None


def _plain(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _parse_date(value: object) -> datetime.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=datetime.UTC)


def _fallback(html: str, url: str | None) -> Extracted:
    """When trafilatura finds no article (or chokes on nesting deeper than lxml accepts): the page's
    visible text by plain tag stripping, cleaned like pasted text."""
    title_match = _TITLE_TAG.search(html)
    title = None
    if title_match:
        title = _plain(unescape(_TAG.sub(" ", title_match.group(1) or title_match.group(2) or "")))
    text = _INVISIBLE.sub(" ", html)
    text = _BLOCK_TAG.sub("\n", text)
    text = unescape(_TAG.sub("", text))
    lines = [
        line for line in text.splitlines() if not _MARKUP.search(line) and not line.lstrip().startswith("<")
    ]
    try:
        cleaned = clean_text("\n".join(lines), title=title)
    except ExtractionError:
        raise ExtractionError("no article body found") from None
    return Extracted(cleaned.text, cleaned.title, cleaned.url or url, cleaned.published_at, cleaned.outlet,
                     cleaned.byline)


# ---------------------------------------------------------------- decoding

_BINARY_MAGIC = (
    (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"), (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"RIFF", "a media file"), (b"\x00\x00\x00", "a media file"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_CHARSET = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)
# The web platform reads these labels as windows-1252; servers send them for pages that use its extras.
_WINDOWS_1252_ALIASES = frozenset({"iso8859_1", "ascii", "cp1252"})


def decode_body(data: bytes, declared_charset: str | None) -> str:
    """Decode a fetched body; refuse binary data and bytes that are not valid in the charset in force."""
    if not data:
        raise ExtractionError("the page is empty")
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise ExtractionError(f"the address returned {what}, not a web page")
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[len(codecs.BOM_UTF8):], "utf_8",
                       "the page starts as UTF-8 but its bytes are not valid UTF-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf_16", "the page starts as UTF-16 but its bytes are not valid UTF-16")
    label = declared_charset or _sniff_charset(data[:4096])
    codec = _lookup(label) if label else None
    if codec is None:
        if b"\x00" in data:
            raise ExtractionError("the page is binary data, not text")
        if label:
            # An unknown label tells us nothing; UTF-8 is what the page most likely is.
            return _decode(data, "utf_8",
                           f"the page declares an unknown charset {label!r} and is not valid UTF-8")
        return _decode(data, "utf_8", "the page declares no charset and is not valid UTF-8")
    if b"\x00" in data and not codec.startswith("utf_16") and not codec.startswith("utf_32"):
        raise ExtractionError("the page is binary data, not text")
    if codec in _WINDOWS_1252_ALIASES:
        try:
            return _check_text(data.decode("cp1252"))
        except UnicodeDecodeError:
            return _check_text(data.decode("latin_1"))
    return _decode(data, codec, f"the page declares the charset {label}, but its bytes are not valid {label}")


def _lookup(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip().strip("\"'")).name.replace("-", "_")
    except LookupError:
        return None


def _sniff_charset(head: bytes) -> str | None:
    m = _META_CHARSET.search(head) or _XML_CHARSET.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def _decode(data: bytes, codec: str, problem: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ExtractionError(f"{problem} (at byte {exc.start})") from None
    return _check_text(text)


def _check_text(text: str) -> str:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        raise ExtractionError("the page is binary data, not text")
    return text
