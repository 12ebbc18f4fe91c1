"""Pasted text that still carries a CMS's inline markup, read as the HTML fragment it is.

Copied from a source view, an article arrives with "<b>", "<a href=...>" and "&#8217;" around its text and no
page around it: the tags go, their text and the pasted line breaks stay, entities are decoded, and block
elements end up on lines of their own, before the text cleaner runs.
"""

from __future__ import annotations

import re
from html import unescape

from lxml import etree, html

__all__ = ["fragment_text", "has_markup"]

_PARSER = html.HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True)
_TAG = re.compile(r"<[^<>]*>")

# Tags a CMS's source view leaves in copied text. Only these turn pasted text into a fragment: "a < b" or
# "<The Palace>" in plain text must stay text.
_FRAGMENT_TAG = re.compile(
    r"</?(?:a|b|i|u|p|br|hr|em|strong|span|div|font|small|sup|sub|li|ul|ol|h[1-6]|blockquote|q|cite|mark"
    r"|table|tr|td|th|img|figure|figcaption|section|article)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_FRAGMENT_BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "table",
        "tr",
        "figure",
        "figcaption",
        "section",
        "article",
        "hr",
        "dt",
        "dd",
        "pre",
    }
)


def has_markup(text: str) -> bool:
    """Pasted text that still carries HTML tags or character references."""
    return bool(_FRAGMENT_TAG.search(text) or _ENTITY.search(text))


def fragment_text(text: str) -> str:
    """Pasted text with inline markup read as the HTML fragment it is: tags dropped with their text kept,
    entities decoded, the pasted line breaks kept and block elements on lines of their own."""
    if not _FRAGMENT_TAG.search(text):
        return unescape(text)
    try:
        root = html.fragment_fromstring(text.replace("\x00", ""), create_parent="div", parser=_PARSER)
    except (ValueError, TypeError, etree.LxmlError, RecursionError):
        return unescape(_TAG.sub(" ", text))
    etree.strip_elements(root, "script", "style", "noscript", "template", with_tail=False)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif tag in ("td", "th"):
            el.tail = " | " + (el.tail or "")
        elif tag in _FRAGMENT_BLOCKS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    return str(root.text_content())
