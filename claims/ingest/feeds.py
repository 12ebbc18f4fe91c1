"""RSS and Atom feeds: the links of their items, from the feed's bytes. Pure: fetching is `fetch.py`'s job.

Understands RSS 2.0 (and the 0.9x dialects), RSS 1.0 (RDF) and Atom 1.0. The XML is parsed with defusedxml:
a feed is untrusted input, and entity declarations (the "billion laughs" bomb) or external entities are
refused rather than expanded.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urljoin

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

__all__ = ["FeedError", "FeedItem", "parse_feed"]

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"


class FeedError(ValueError):
    """Bytes that are not a feed we can read; the message names the problem."""


@dataclass(frozen=True)
class FeedItem:
    position: int  # 1-based, in feed order
    link: str | None  # absolute; None when the item gives none
    title: str | None


def parse_feed(data: bytes, *, base_url: str | None = None) -> list[FeedItem]:
    """The items of an RSS or Atom feed in feed order; relative links are resolved against `base_url`."""
    if not data.strip():
        raise FeedError("the feed is empty")
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FeedError(f"the feed declares XML entities, which are refused ({type(exc).__name__})") from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise FeedError(f"the feed is not well-formed XML (line {line}, column {column})") from None
    if root.tag == f"{ATOM}feed":
        return _atom(root, base_url)
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise FeedError("the RSS feed has no <channel>")
        return [_rss_item(n, item, "", base_url) for n, item in enumerate(channel.findall("item"), 1)]
    if root.tag == f"{RDF}RDF":
        return [_rss_item(n, item, RSS1, base_url) for n, item in enumerate(root.findall(f"{RSS1}item"), 1)]
    raise FeedError(f"not an RSS or Atom feed: the document's root element is <{_local(root.tag)}>")


def _rss_item(position: int, item: ET.Element, ns: str, base_url: str | None) -> FeedItem:
    link = _text(item.find(f"{ns}link"))
    if link is None and not ns:
        # RSS 2.0 lets an item go without <link> when its <guid> is a permalink (the default for guid).
        guid = item.find("guid")
        if guid is not None and guid.get("isPermaLink", "true").strip().lower() == "true":
            link = _text(guid)
    if link is None and ns:
        about = item.get(f"{RDF}about")
        link = about.strip() if about and about.strip() else None
    return FeedItem(position, _absolute(link, base_url), _text(item.find(f"{ns}title")))


def _atom(root: ET.Element, base_url: str | None) -> list[FeedItem]:
    items = []
    for position, entry in enumerate(root.findall(f"{ATOM}entry"), 1):
        href = None
        for link in entry.findall(f"{ATOM}link"):
            rel = (link.get("rel") or "alternate").strip()
            candidate = (link.get("href") or "").strip()
            if rel == "alternate" and candidate:
                href = candidate
                break
        items.append(FeedItem(position, _absolute(href, base_url), _text(entry.find(f"{ATOM}title"))))
    return items


def _absolute(link: str | None, base_url: str | None) -> str | None:
    if link is None:
        return None
    return urljoin(base_url, link) if base_url else link


def _text(node: ET.Element | None) -> str | None:
    if node is None:
        return None
    text = " ".join("".join(node.itertext()).split())
    return text or None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
