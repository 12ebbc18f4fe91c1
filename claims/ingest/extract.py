"""Article text and metadata from a fetched HTML page (trafilatura finds the article, `html_body` drops its junk)."""

from __future__ import annotations

import datetime
import logging
import re
from functools import partial
from html import unescape
from typing import Any

import trafilatura
from lxml import etree
from trafilatura.settings import use_config

from claims.ingest import text_blocks as tb
from claims.ingest.clean import clean_text, matches_headline
from claims.ingest.dates import MONTHS
from claims.ingest.decode import decode_body
from claims.ingest.html_body import (
    LinkIndex,
    body_blocks,
    join_split_bodies,
    parse_html,
    split_merged_line,
    standfirst,
    surface_entry_times,
    text_lines,
)
from claims.ingest.result import Extracted, ExtractionError

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
_LEAST_LETTERS = 15  # a "body" with fewer letters than a short sentence is debris of a broken page
# trafilatura throws away its own extraction under 250 characters and falls back to the page's whole text as
# one line. 250 characters is a paragraph in English but a whole short article in Chinese or Japanese, where
# that fallback merges body, share row and related links into one block. When the text comes back as one
# line, the extraction is asked for again with a lower floor. (Lowering it for every page lets trafilatura
# settle for a smaller part of long articles.)
_CONFIG, _LOW_FLOOR = use_config(), use_config()
_LOW_FLOOR.set("DEFAULT", "MIN_EXTRACTED_SIZE", "60")
_DATE_PARAMS = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True}
# Characters of body below which the slower, more tolerant extraction is tried too. It costs as much again as
# the fast pass, and on real pages it finds more only when the fast pass found next to nothing.
_ENOUGH_BODY = 250


def extract_html(html: str, *, url: str | None = None) -> Extracted:
    """Extract the article from an HTML page; ``url`` is where it was fetched from, if known."""
    if not html or not html.strip():
        raise ExtractionError("the page is empty")
    best: tuple[str | None, list[str]] | None = None
    page, links = _pruned(html)  # trafilatura works on a copy: one parse serves both passes
    # trafilatura's own extractor is half the cost of a full run; its fallbacks (readability, jusText)
    # are only worth paying for when the fast pass finds little.
    meta: Any = None  # the first document trafilatura returns carries the metadata; later passes skip it
    for fast in (True, False):
        doc = _trafilatura(page if page is not None else html, url, fast=fast, metadata=meta is None)
        if doc is None or not getattr(doc, "text", None):
            continue
        meta = meta or doc
        lines = text_lines(doc.text)
        if page is not None and len(lines) == 1:
            # One line: the page's own blocks show where trafilatura merged them. They are the container's
            # every block, lists of links included, where a second pass with a lower floor would again drop
            # the links (a list of venues inside a Chinese article) -- it is only tried when they do not.
            split = split_merged_line(page, lines[0])
            if split is None:
                retry = _trafilatura(page, url, fast=fast, metadata=False, low_floor=True)
                if retry is not None and retry.text and "\n" in retry.text.strip():
                    lines = text_lines(retry.text)
            lines = split or lines
        title = _printed_headline(page, _plain(meta.sitename)) or _headline(meta)
        body = body_blocks(lines, partial(matches_headline, headline=title), links)
        if best is None or _size(body) > _size(best[1]):
            best = (title, body)
        if _size(body) >= _ENOUGH_BODY:
            break
    if best is None or sum(map(str.isalpha, "".join(best[1]))) < _LEAST_LETTERS:
        return _fallback(html, url)
    title, body = best
    doc = meta
    lead = standfirst(page, _plain(doc.description), body) if page is not None else None
    if lead and not matches_headline(lead, title):
        body = [lead, *body]
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


def _printed_headline(page: Any, sitename: str | None) -> str | None:
    """The page's one <h1>, when it has exactly one that reads as a headline (not the site's name in a logo):
    the metadata title is often an SEO title ("Westport budget 2026 explained: ...") the article never prints."""
    if page is None:
        return None
    found = [text for h1 in page.iter("h1") if (text := _plain(h1.text_content())) and tb.stats(text).words >= 3]
    if len(found) != 1 or (sitename and tb.norm_key(found[0]) == tb.norm_key(sitename)):
        return None
    return found[0]


def _byline(author: object) -> str | None:
    """trafilatura joins authors with "; " and sometimes drags in the date that shared the byline line."""
    text = _plain(author)
    if text is None:
        return None
    names = [n.strip() for n in text.split(";")]
    names = [n for n in names if n and not re.search(r"\d", n) and n.casefold().rstrip(".") not in MONTHS]
    return "; ".join(names) or None


_NEVER_TEXT = ("style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "select", "button")


def _pruned(html: str) -> tuple[Any, LinkIndex | None]:
    """The page parsed once, without the elements that never hold article text (scripts other than JSON-LD
    metadata, styles...), and the index of its links. trafilatura removes those elements too, but one at a
    time: a page stuffed with tens of thousands of scripts took it over a minute. (None, None) when lxml cannot
    parse the page."""
    tree = parse_html(html)
    if tree is None:
        return None, None
    etree.strip_elements(tree, *_NEVER_TEXT, with_tail=False)
    _drop_keeping_tails([el for el in tree.iter("script") if "ld+json" not in (el.get("type") or "").lower()])
    # The links of menus and sidebars name the page's sections and other stories: indexed first, they mark the
    # same words when trafilatura leaves them in the body. Then the menus and sidebars go: trafilatura removes
    # them before extracting the body but reads metadata on the whole page first, where they cost a third.
    links = LinkIndex.of(tree)
    _drop_keeping_tails(list(tree.iter("nav", "aside", "menu")))
    join_split_bodies(tree)
    surface_entry_times(tree)
    return tree, links


_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _drop_keeping_tails(elements: list[Any]) -> None:
    """Remove `elements` but not the text that follows each (in lxml that text belongs to the removed element): it
    joins the text before. One pass over each parent's children, so that removing tens of thousands of siblings
    (a page of repeated scripts) takes linear time: joining the tails one removal at a time was quadratic."""
    doomed_by_parent: dict[Any, set[Any]] = {}
    for el in elements:
        parent = el.getparent()
        if parent is not None:
            doomed_by_parent.setdefault(parent, set()).add(el)
    for parent, doomed in doomed_by_parent.items():
        _drop_children(parent, doomed)


def _drop_children(parent: Any, doomed: set[Any]) -> None:
    """Remove the `doomed` children of `parent`; each run of text they carried joins the text before it."""
    kept: Any = None  # the last child kept: text runs on in its tail (before the first, in the parent's text)
    pieces: list[str] = [parent.text or ""]
    for child in [*parent, None]:
        if child is not None and child in doomed:
            pieces.append(child.tail or "")
            parent.remove(child)
            continue
        if len(pieces) > 1:  # something was removed since `kept`: its text is set anew
            # lxml parses control characters into text but refuses them when text is assigned: they go (they are
            # never article text).
            joined = _XML_UNSAFE.sub("", "".join(pieces)) or None
            if kept is None:
                parent.text = joined
            else:
                kept.tail = joined
        if child is not None:
            kept, pieces = child, [child.tail or ""]


def _trafilatura(html: Any, url: str | None, *, fast: bool, metadata: bool, low_floor: bool = False) -> Any:
    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            fast=fast,
            with_metadata=metadata,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            date_extraction_params=dict(_DATE_PARAMS),
            config=_LOW_FLOOR if low_floor else _CONFIG,
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
    lines = [line for line in text.splitlines() if not _MARKUP.search(line) and not line.lstrip().startswith("<")]
    try:
        cleaned = clean_text("\n".join(lines), title=title)
    except ExtractionError:
        raise ExtractionError("no article body found") from None
    return Extracted(
        cleaned.text, cleaned.title, cleaned.url or url, cleaned.published_at, cleaned.outlet, cleaned.byline
    )
