"""The article's blocks out of an extracted page: trafilatura's body, less the junk the page proves is junk.

trafilatura finds the article's container well; what it lets through are the container's own furniture:
"Related: <other story>" teasers, "Don't miss" link lists, share rows, newsletter prompts. Removing them is a
precision filter, never a truncation: a block is dropped only on evidence that holds whatever the page's
language or outlet -- the words are the link text of an anchor (link density), a furniture phrase
(`text_blocks.is_junk`), a copy of another block -- and a run of links is only treated as a list of other
stories when a section heading introduces it or it sits at an edge of the body. A furniture phrase is itself
only evidence where the block stands as furniture: a full sentence with body on both sides ("its share price
fell", "the firm's own newsletter") stays unless the markup puts it in a newsletter, share or form box.
Lists, table rows, subheadings, quotes and one-line paragraphs between body paragraphs are kept whatever their
shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lxml import etree, html

from claims.ingest import text_blocks as tb
from claims.ingest.dates import parse_date_line

__all__ = [
    "LinkIndex",
    "body_blocks",
    "join_split_bodies",
    "parse_html",
    "split_merged_line",
    "standfirst",
    "surface_entry_times",
    "text_lines",
]

# Page code that reached the text: a comment, a closing tag, a tag of HTML's own or one with attributes.
# "<The Palace: Tale of Jang Noksu>" is a title printed in angle brackets (the Korean convention) and stays.
_MARKUP = re.compile(
    r"<!|</[a-zA-Z]|<[a-zA-Z][\w:-]*\s+[\w:-]+\s*=|<(?:a|b|i|u|p|br|hr|em|strong|span|div|img|li|ul|ol|dl|dt|dd"
    r"|table|tr|td|th|tbody|thead|h[1-6]|script|style|iframe|meta|link|html|head|body|nav|header|footer|section"
    r"|article|aside|main|form|input|button|select|option|label|noscript|svg|path|figure|figcaption|blockquote"
    r"|pre|code|source|video|audio|picture|frame|frameset|template|time|small|sup|sub|font|center)\s*/?>",
    re.IGNORECASE,
)
_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_IMAGE_URL = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|avif|bmp)(?:[?#]\S*)?(?:\s|$)", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[a-zA-Z!/?]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_WORDS = re.compile(r"\w+")
# "Related: <link>", "READ MORE: <link>", "(See also: <link>)": a short label, a colon, then one anchor's text.
_TEASER = re.compile(r"^\(?\s*(?P<label>[^:()]{1,40}?)\s*[:：]\s*(?P<rest>.+?)\s*\)?$")
# "By Jane Holt | Reuters": a credit, not a sentence (no full stop, a few words).
_BYLINE = re.compile(r"^(?:by|von|por|par|di|oleh)\s+[^.!?。]{1,60}$", re.IGNORECASE)
_LINK_SHARE = 0.8  # of a block's letters inside anchors' text: a link, not prose that cites one
_LINK_WORDS = 25  # longer blocks are never one link: headlines and teasers are short
_EDGE_WORDS = 8  # lines this short between a run of links and the body's edge do not make it "inside"

_PARSER = html.HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True)


def parse_html(page: str) -> html.HtmlElement | None:
    """The page as an lxml tree, or None when it holds no markup at all or lxml finds no document in it."""
    if not _ANY_TAG.search(page):
        return None  # text, not a page: lxml would wrap it in a paragraph and make it look like one
    # lxml refuses a str that declares its own encoding; the declaration means nothing once decoded.
    page = _XML_DECLARATION.sub("", page, count=1).replace("\x00", "")
    if not page.strip():
        return None
    try:
        tree = html.document_fromstring(page, parser=_PARSER)
    except (ValueError, TypeError, etree.LxmlError, RecursionError):
        return None
    return tree if tree is not None and len(tree) else None


# Class names (page code, not page language) of the containers an article body is poured into.
_BODY_CLASS = re.compile(r"body|content|text|story|article|entry|post", re.IGNORECASE)
_CONTAINERS = ("div", "section", "article", "main")


def join_split_bodies(tree: html.HtmlElement) -> None:
    """Put back together a body that the page splits into sibling containers of one class, with an ad or a
    newsletter box between them (Arc and Next.js templates do): trafilatura would keep the first part only."""
    groups: dict[tuple[object, str], list[html.HtmlElement]] = {}
    for el in tree.iter(*_CONTAINERS):
        cls = el.get("class")
        parent = el.getparent()
        if cls and parent is not None and _BODY_CLASS.search(cls):
            groups.setdefault((parent, f"{el.tag} {cls}"), []).append(el)
    for group in groups.values():
        members = [el for el in group if el.find(".//p") is not None] if len(group) >= 2 else []
        if len(members) < 2:
            continue
        first = members[0]
        for other in members[1:]:
            if other.getparent() is None:
                continue
            if other.text and other.text.strip():
                wrapper = html.Element("p")
                wrapper.text = other.text
                first.append(wrapper)
            for child in list(other):
                first.append(child)
            other.text = None
            _remove_keeping_tail(other)


def _remove_keeping_tail(el: html.HtmlElement) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        before = el.getprevious()
        if before is not None:
            before.tail = (before.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def surface_entry_times(tree: html.HtmlElement) -> None:
    """A live blog stamps each entry with a <time> alone in its own box ("16:45", "88'", "FT"); trafilatura
    drops such boxes as too short to be text. As a paragraph of its own the stamp stays with its entry."""
    for el in list(tree.iter("time")):
        parent = el.getparent()
        text = " ".join(el.text_content().split())
        if parent is None or not text or len(text) > 40 or parent.tag not in ("div", "span", "li"):
            continue
        if " ".join(parent.text_content().split()) == text and parent.getnext() is not None:
            el.tag = "p"


# A box of page furniture, by the page's code (not its language): a newsletter, subscription or sign-up box,
# a promotion, a share or follow row, as a word of an id or class.
_FURNITURE_CODE = re.compile(
    r"(?<![a-z])(?:newsletters?|subscribe|subscriptions?|sign-?up|promos?|promotions?|social|share|sharing"
    r"|follow)(?![a-z])",
    re.IGNORECASE,
)
_FURNITURE_TEXT = 300  # characters: longer texts inside such a box are not its prompt
_FORM_BOX = 600  # characters: a form's container is a sign-up box when this small, else it is the page's body
_FURNITURE_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "div", "span", "label", "li", "strong", "em")


@dataclass(frozen=True)
class LinkIndex:
    """The text of every anchor of the page (comparison keys), found by its first word; and the texts that the
    page's markup shows as furniture: inside a box whose code names it (newsletter, share, promo) or in the
    small box of a form (a sign-up prompt next to its e-mail field)."""

    by_first_word: dict[str, tuple[str, ...]]
    tree: html.HtmlElement | None = None
    # The furniture texts, found on first use: a tenth of the extraction's time, asked for on few pages.
    _furniture: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, tree: html.HtmlElement) -> LinkIndex:
        found: dict[str, set[str]] = {}
        for anchor in tree.iter("a"):
            key = tb.norm_key(anchor.text_content())
            first = _WORDS.search(key)
            if first is None or len(key) < 3:
                continue
            found.setdefault(first.group(), set()).add(key[first.start() :])
        return cls({word: tuple(sorted(keys, key=len, reverse=True)) for word, keys in found.items()}, tree)

    def is_furniture(self, text: str) -> bool:
        if self.tree is None:
            return False
        if "texts" not in self._furniture:
            self._furniture["texts"] = _furniture(self.tree)
        return tb.norm_key(text) in self._furniture["texts"]

    def share(self, text: str) -> float:
        """How much of `text` (its word characters) is the text of some anchor of the page."""
        key = tb.norm_key(text)
        words = [(m.start(), m.end(), m.group()) for m in _WORDS.finditer(key)]
        total = sum(end - start for start, end, _ in words)
        covered_to = covered = 0
        for start, end, word in words:
            if start < covered_to:  # inside an anchor already counted
                covered += min(end, covered_to) - start
                continue
            for anchor in self.by_first_word.get(word, ()):
                if key.startswith(anchor, start):
                    covered_to = start + len(anchor)
                    covered += min(end, covered_to) - start
                    break
        return covered / total if total else 0.0


def _furniture(tree: html.HtmlElement) -> frozenset[str]:
    boxes = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "form":
            parent = el.getparent()
            if parent is not None and len(parent.text_content()) <= _FORM_BOX:
                boxes.append(parent)
        elif _FURNITURE_CODE.search(f"{el.get('id') or ''} {el.get('class') or ''}") and el.tag not in ("html", "body"):
            boxes.append(el)
    texts: set[str] = set()
    for box in boxes:
        for block in box.iter(*_FURNITURE_BLOCKS):
            text = " ".join(block.text_content().split())
            if text and len(text) <= _FURNITURE_TEXT:
                texts.add(tb.norm_key(text))
    return frozenset(texts)


def text_lines(text: str) -> list[str]:
    """trafilatura's text as blocks: one per paragraph, list item, heading or table row (cells joined by
    " | ", the Markdown rule lines dropped). Lines that still carry markup are page code, not text."""
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or _TABLE_RULE.match(line) or _MARKUP.search(line):
            continue
        if line.startswith("|") and line.endswith("|"):
            line = " | ".join(cell.strip() for cell in line.strip("|").split("|") if cell.strip())
            if not line:
                continue
        out.append(line)
    return out


# What each block is, as far as junk goes.
_BODY, _JUNK, _LINK, _MARKER, _PHRASE = "body", "junk", "link", "marker", "phrase"


def body_blocks(lines: Sequence[str], is_headline: Callable[[str], bool], links: LinkIndex | None) -> list[str]:
    """The body's blocks in page order: without the headline, junk blocks and other stories' link lists."""
    kinds = [_kind(line, is_headline, links) for line in lines]
    # A furniture phrase in a full sentence with body on both sides is the article's own sentence.
    kinds = [
        kind
        if kind != _PHRASE
        else _BODY
        if tb.phrase_block_is_body(
            lines[i],
            body_before=i > 0 and kinds[i - 1] == _BODY,
            body_after=i + 1 < len(kinds) and kinds[i + 1] == _BODY,
        )
        and (links is None or (links.share(lines[i]) < _LINK_SHARE and not links.is_furniture(lines[i])))
        else _JUNK
        for i, kind in enumerate(kinds)
    ]
    drop = {i for i, kind in enumerate(kinds) if kind == _JUNK}
    for i, kind in enumerate(kinds):
        if kind != _MARKER:
            continue
        # Links right under a section heading ("Related", "Don't miss", "Read more") are its list of stories,
        # and the heading goes with them. A heading with the body going on under it is an interjection of
        # the article's own ("Don't miss:" before its next paragraph), and stays.
        j = i + 1
        while j < len(kinds) and kinds[j] == _JUNK:
            j += 1
        if j < len(kinds) and kinds[j] == _BODY and not tb.is_always_furniture(lines[i]):
            continue
        drop.add(i)
        while j < len(kinds) and kinds[j] in (_LINK, _JUNK, _MARKER):
            drop.add(j)
            j += 1
    # Bylines and datelines above the first paragraph are metadata (trafilatura reads them as such).
    for i, line in enumerate(lines):
        if kinds[i] == _BODY and tb.stats(line).words > _EDGE_WORDS:
            break
        if parse_date_line(line) is not None or (_BYLINE.match(line) and tb.stats(line).words <= 6):
            drop.add(i)
    # Links at either edge of the body belong to the page, not the story: those before any other block, and
    # a list of them past only junk and short lines ("Originally published on ...").
    for order in (range(len(lines)), range(len(lines) - 1, -1, -1)):
        edge: list[int] = []
        passed_body = False
        for i in order:
            if kinds[i] == _LINK:
                edge.append(i)
                if not passed_body:
                    drop.add(i)
            elif kinds[i] == _BODY:
                if tb.stats(lines[i]).words > _EDGE_WORDS:
                    break
                passed_body = True
        if len(edge) >= 2:
            drop.update(edge)
    return tb.dedupe([line for i, line in enumerate(lines) if i not in drop])


def _kind(line: str, is_headline: Callable[[str], bool], links: LinkIndex | None) -> str:
    if is_headline(line):
        return _JUNK
    if tb.is_section_marker(line):
        return _MARKER
    if tb.is_url_block(line) and not _IMAGE_URL.search(line):
        return _LINK  # an address the author printed: kept inside the body, like any other link
    if tb.is_shape_junk(line):
        return _JUNK
    if tb.is_phrase_junk(line):
        return _PHRASE
    if links is None or tb.stats(line).words > _LINK_WORDS:
        return _BODY
    teaser = _TEASER.match(line)
    if teaser and tb.stats(teaser.group("label")).words <= 4 and links.share(teaser.group("rest")) >= _LINK_SHARE:
        return _JUNK  # a teaser for another story, wherever it stands
    if links.share(tb.strip_bullet(line)) >= _LINK_SHARE:
        return _LINK
    return _BODY


_STANDFIRST_TAGS = ("p", "div", "h2", "h3", "span", "strong", "em", "header", "section", "summary")


def standfirst(tree: html.HtmlElement, description: str | None, body: Sequence[str]) -> str | None:
    """The standfirst the page prints above its body, when trafilatura left it out: the page's own summary
    (its meta description) found as the visible text of one element, and in none of the body's blocks."""
    if not description or tb.stats(description).words < 5:
        return None
    key = tb.norm_key(description)
    if any(key in tb.norm_key(block) for block in body):
        return None
    opening = key[:24]
    first_word = description.split()[0]
    for el in tree.iter(*_STANDFIRST_TAGS):
        if el.text and first_word in el.text and tb.norm_key(el.text).startswith(opening):
            text = " ".join(el.text_content().split())
            if tb.norm_key(text) == key:
                return text
    return None


# ---------------------------------------------------------------- a body merged into one line

# Block elements whose text is a block of the body; the innermost of nested ones is taken.
_SPLIT_BLOCKS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "dt", "dd", "pre", "figcaption")
# Elements whose blocks are never the article's: page furniture, and forms (a comment box).
_NOT_BODY = frozenset({"nav", "aside", "menu", "form", "footer", "header"})
# A comments section, by the page's code (not its language): "comment", "comments", "js-comment",
# "reply", "replies", "discussion" as a word of an id or class ("commentary" is an article, not comments).
_COMMENT_CODE = re.compile(r"(?<![a-z])(?:comments?|repl(?:y|ies)|discussions?)(?![a-z])", re.IGNORECASE)
# An advertising slot, by the page's code: "ad", "ads", "advert", "advertisement" as a word of an id or class.
_AD_CODE = re.compile(r"(?<![a-z])(?:ads?|adverts?|advertisements?|adslot)(?![a-z])", re.IGNORECASE)
_SPLIT_LEAST_BLOCKS = 3  # a line that holds fewer of the page's blocks was not several merged together
_SPLIT_COVER = 0.7  # of the line's characters the page's blocks must account for
_SPLIT_KEY_DROP = re.compile(r"[\s|]+")


def split_merged_line(tree: html.HtmlElement, line: str) -> list[str] | None:
    """The page's own blocks (paragraphs, list items, subheadings, quotes, table rows) that trafilatura merged
    into the one line `line`, in page order; None when the line is not such a merge.

    trafilatura falls back to the whole container's text as one line when its extraction is short (a whole
    article in Chinese or Japanese), merging the body with the container's furniture: a comments heading, a
    tag row. The blocks found in the line, outside comment sections, navigation and forms, give the body back
    block by block, where the usual junk filters can see each of them. Text the line holds outside any such
    block (a label in a bare <div>) is left out; the split is only trusted when the blocks account for most
    of the line."""
    key = _SPLIT_KEY_DROP.sub("", tb.norm_key(line))
    if not key:
        return None
    blocks: list[str] = []
    covered = cursor = 0
    for el in tree.iter(*_SPLIT_BLOCKS):
        if any(isinstance(d.tag, str) and d.tag in _SPLIT_BLOCKS for d in el.iterdescendants()):
            continue
        text = _block_text(el)
        block_key = _SPLIT_KEY_DROP.sub("", tb.norm_key(text))
        if not block_key or _outside_body(el):
            continue
        at = key.find(block_key, cursor)
        if at < 0:
            continue
        blocks.append(text)
        covered += len(block_key)
        cursor = at + len(block_key)
    if len(blocks) < _SPLIT_LEAST_BLOCKS or covered < _SPLIT_COVER * len(key):
        return None
    return blocks


def _block_text(el: html.HtmlElement) -> str:
    if el.tag == "tr":
        cells = (" ".join(cell.text_content().split()) for cell in el.iter("td", "th"))
        return " | ".join(cell for cell in cells if cell)
    return " ".join(el.text_content().split())


def _outside_body(el: html.HtmlElement) -> bool:
    """`el` sits in page furniture, a comments section or an advertising slot."""
    for node in (el, *el.iterancestors()):
        if node.tag in _NOT_BODY:
            return True
        code = f"{node.get('id') or ''} {node.get('class') or ''}"
        if _COMMENT_CODE.search(code) or _AD_CODE.search(code):
            return True
    return False
