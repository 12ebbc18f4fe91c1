"""The one decision "HTML or text?" for what an editor submits or a fetch brings back, used by intake, refresh and
the ingest command (through the services): page source goes to extraction, anything else to the text cleaner.
Pure: no Django."""

from __future__ import annotations

import re
from dataclasses import replace

from claims.ingest.clean import clean_text, matches_headline
from claims.ingest.decode import decode_body
from claims.ingest.extract import extract_html
from claims.ingest.fetch import FetchedPage
from claims.ingest.result import Extracted

_HTML_DOCUMENT = re.compile(r"\s*(?:<!doctype html|<html[\s>])", re.IGNORECASE)


def read_pasted(raw: str, *, title: str | None = None) -> Extracted:
    """Text an editor pasted: a whole page's source is extracted as HTML (so that no markup reaches the article);
    plain text, or text with inline markup, is cleaned as text. `title` is the client's headline, if any."""
    if not _HTML_DOCUMENT.match(raw or ""):
        return clean_text(raw, title=title)
    found = extract_html(raw)
    client_title = " ".join(title.split()) if title and title.strip() else None
    if client_title is None:
        return found
    blocks = found.text.split("\n\n")[1 if found.title else 0 :]
    body = [b for b in blocks if not matches_headline(b, client_title)]
    return replace(found, text="\n\n".join([client_title, *body]), title=client_title)


def read_fetched(page: FetchedPage, *, title: str | None = None) -> tuple[Extracted, str]:
    """A fetched page, decoded (its charset, or detected) and read: HTML is extracted, anything else is read as
    pasted text. Returns the article and the decoded body (kept as the article's raw input)."""
    body = decode_body(page.body, page.charset)
    is_html = "html" in page.content_type or "xml" in page.content_type
    return (extract_html(body, url=page.url) if is_html else read_pasted(body, title=title)), body
