"""Turn a news page copied from a browser into the article: headline once, then standfirst and body.

The cleaner only keeps or drops whole lines; it never rewrites inside a paragraph, so a quote an
editor copies from the cleaned text is character for character what the outlet printed.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Sequence
from urllib.parse import urlsplit

from claims.ingest import text_blocks as tb
from claims.ingest.dates import DateLine, parse_date_line
from claims.ingest.fragment import fragment_text, has_markup
from claims.ingest.result import Extracted, ExtractionError

__all__ = ["Extracted", "ExtractionError", "clean_text", "matches_headline", "select_body"]


_BARE_URL = re.compile(r"(?:(?:url|source|link)\s*:\s*)?(https?://\S+)", re.IGNORECASE)
_IMAGE_URL = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|avif|bmp)(?:[?#]\S*)?$", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"\s*\|\s*")  # dashes are too often part of the headline itself
_FIGURE = re.compile(r"\d")
# What is a number on a line without being a figure of the story: a list's rank ("3. ", or "3 " when the lines
# count 1, 2, 3...) and a teaser's age ("2 hours ago").
_RANK = re.compile(r"^\s*\d{1,2}[.)]\s+")
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,2})\s+")
_AGO = re.compile(r"\b\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|w|months?)\s+ago\b", re.I)
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*(?:by\s+)?(?P<name>[^.|,©]+?)\s*"
    r"(?:[.|,]|all rights reserved|$)",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:[Bb]y|BY|[Aa]uthor:?)\s+(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})\s*(?:[,|–—-].*)?$"
)


def clean_text(raw: str, *, title: str | None = None) -> Extracted:
    """Clean text pasted from a news page (plain, or with inline markup). ``title`` (the client's, if any) helps
    find the headline. A whole page's source pasted as text is claims.ingest.pipeline's to route to extraction."""
    if not raw or not raw.strip():
        raise ExtractionError("the text is empty")
    # A title carries no line breaks: a pasted one with a newline would split the headline block.
    client_title = " ".join(title.split()) if title and title.strip() else None
    if has_markup(raw):
        # Copied from a CMS's source view: "<b>", "<a href=...>", "&#8217;" around the text, no page.
        raw = fragment_text(raw)
    lines = split_lines(raw)
    headline = client_title or _guess_headline(lines)
    body = select_body(lines, headline)
    if not body:
        raise ExtractionError("no article body found")
    anchor = _headline_index(lines, headline)
    if anchor is None:
        anchor = next((i for i, line in enumerate(lines) if line == body[0]), 0)
    url = _find_url(lines, anchor)
    return Extracted(
        text="\n\n".join(([headline] if headline else []) + body),
        title=headline,
        url=url,
        published_at=find_published(lines, anchor),
        outlet=find_outlet(lines, url),
        byline=find_byline(lines),
    )


def split_lines(raw: str) -> list[str]:
    """Non-empty stripped lines; a paragraph hard-wrapped across lines is joined back with one space."""
    out: list[str] = []
    after_blank = True
    for line in raw.splitlines():
        stripped = line.strip()
        if not stripped:
            after_blank = True
            continue
        if out and not after_blank and _continues(out[-1], stripped):
            out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(stripped)
        after_blank = False
    return out


def _continues(previous: str, line: str) -> bool:
    # Only a long prose line cut mid-sentence followed by a lowercase start: tag lists and menus
    # also run on without punctuation, but they have no function words.
    return (
        len(previous) >= 40
        and line[0].islower()
        and not tb.stats(previous).terminal
        and tb.stats(previous).stop_ratio >= 0.12
        and not tb.is_bullet(line)
        and not tb.is_url_block(previous)
    )


def select_body(lines: Sequence[str], headline: str | None) -> list[str]:
    """The article's prose blocks in page order, without boilerplate, repeats or the headline."""
    start = _headline_index(lines, headline)
    prose_flags = _body_prose(lines)
    total = sum(len(line) for line, ok in zip(lines, prose_flags, strict=True) if ok)
    if start is not None:
        after = sum(len(line) for line, ok in zip(lines[start:], prose_flags[start:], strict=True) if ok)
        # Everything above the headline is the site header -- unless the "headline" sits below most of
        # the prose (a footer link with the same words), where cutting would lose the article.
        if after * 2 < total:
            start = None
    # A line the page prints more than once is its furniture (agency name, tag list, section label), and a
    # date alone on its line is metadata: neither is held as body between paragraphs.
    counts = Counter(tb.norm_key(line) for line in lines)
    kept: list[str] = []
    # Lines that are not prose (list items, subheadings, table rows, "Here's what to know:") are body when
    # the body goes on after them: they wait here until the next paragraph is kept.
    pending: list[str] = []
    body_started = skipping = False
    for i in range(start or 0, len(lines)):
        line = lines[i]
        if tb.is_section_marker(line):
            if _interjection(lines, prose_flags, i):
                # "Don't miss:" with the article going on under it: the article's own heading, not a list's.
                skipping = False
                pending[:] = [line]
                continue
            skipping = skipping or body_started
            pending.clear()
            continue
        if matches_headline(line, headline):
            continue
        if not prose_flags[i]:
            listed = (
                not skipping
                and (tb.stats(line).words >= 2 or tb.is_bullet(line))
                and counts[tb.norm_key(line)] == 1
                and not tb.is_junk(line)
                and parse_date_line(line) is None
            )
            if listed:
                pending.append(line)
            elif not kept:
                pending.clear()  # above the body, only the run right before its first paragraph can belong to it
            continue
        if skipping and not _prose_resumes(lines, prose_flags, i):
            continue
        skipping = False
        if kept or _is_data_list(pending):
            # Above the first paragraph, only a list of figures ("Key figures: 1,200 evacuated...") is body: the
            # other short lines there are the page's header and menus.
            kept.extend(pending)
        pending.clear()
        kept.append(line)
        body_started = body_started or tb.stats(line).words >= 20
    if not skipping and _is_body_list(pending, kept[-1] if kept else ""):
        # The article ends on a list of its own (results, a schedule, the points a lead-in announces): that is
        # body, not the page's footer, whose links and headlines of other stories are neither introduced by the
        # text nor bulleted, and rarely carry a number on most lines.
        kept.extend(pending)
    return tb.dedupe(_drop_trailing_headlines(kept))


# A paragraph, not a teaser's headline: the length below which a line after a section heading may be one.
_PARAGRAPH_WORDS = 12


def _interjection(lines: Sequence[str], prose_flags: Sequence[bool], i: int) -> bool:
    """A section heading right above a paragraph of the article ("Don't miss" in mid-story): the rule of the HTML
    path, where the heading stays when the body goes on under it. Comment, tag and share headings never are."""
    return (
        i + 1 < len(lines)
        and prose_flags[i + 1]
        and tb.stats(lines[i + 1]).words >= _PARAGRAPH_WORDS
        and not tb.is_always_furniture(lines[i])
    )


def _is_body_list(items: Sequence[str], before: str) -> bool:
    """A run of short lines that is the article's list: of figures, bulleted, or introduced by a lead-in
    ending in a colon (the last paragraph's, or the run's first line)."""
    if _is_data_list(items):
        return True
    if len(items) >= 2 and all(tb.is_bullet(item) for item in items):
        return True
    if _introduces(before):
        return len(items) >= 2
    return len(items) >= 3 and _introduces(items[0])


def _introduces(line: str) -> bool:
    return line.rstrip().endswith((":", "：")) and not tb.is_section_marker(line)


def _body_prose(lines: Sequence[str]) -> list[bool]:
    """Which lines are body prose: prose, not junk -- a furniture phrase inside a full sentence between two
    paragraphs of prose is the article's own ("its share price fell"), not a prompt."""
    prose = [tb.is_prose(line) for line in lines]
    shape_junk = [tb.is_shape_junk(line) for line in lines]
    phrase_junk = [not shaped and tb.is_phrase_junk(line) for line, shaped in zip(lines, shape_junk, strict=True)]
    body = [p and not s and not f for p, s, f in zip(prose, shape_junk, phrase_junk, strict=True)]
    return [
        body[i]
        or (
            prose[i]
            and phrase_junk[i]
            and tb.phrase_block_is_body(
                lines[i], body_before=i > 0 and body[i - 1], body_after=i + 1 < len(lines) and body[i + 1]
            )
        )
        for i in range(len(lines))
    ]


def _is_data_list(lines: Sequence[str]) -> bool:
    """Two or more lines, at least two thirds of them holding a figure (not counting a rank or a teaser's age:
    "1. Council approves quay wall" and "Dockers vote on pay 2 hours ago" are headlines of other stories)."""
    if len(lines) < 2:
        return False
    items = [_RANK.sub("", tb.strip_bullet(line), count=1) for line in lines]
    leading = [_LEADING_NUMBER.match(item) for item in items]
    if all(leading) and [int(m.group(1)) for m in leading if m] == list(range(1, len(items) + 1)):
        items = [item[m.end() :] for item, m in zip(items, leading, strict=True) if m]  # 1, 2, 3...: ranks
    return 3 * sum(1 for item in items if _FIGURE.search(_AGO.sub(" ", item))) >= 2 * len(items)


def _prose_resumes(lines: Sequence[str], prose_flags: Sequence[bool], i: int) -> bool:
    """After a "Related"/"Comments" heading, only a run of real paragraphs means the article goes on;
    teaser lists alternate headlines and single blurbs."""
    if i + 1 >= len(lines) or not prose_flags[i + 1]:
        return False
    first, second = tb.stats(lines[i]).words, tb.stats(lines[i + 1]).words
    return first >= 15 and first + second >= 40


def _drop_trailing_headlines(blocks: list[str]) -> list[str]:
    # Unpunctuated mid-length lines after the last real sentence are headlines of other stories;
    # a longer unpunctuated block is a last paragraph that lost its full stop.
    # A list of figures after it is the article's own (see select_body).
    last_sentence = max((i for i, b in enumerate(blocks) if tb.stats(b).terminal), default=-1)
    if _is_body_list(blocks[last_sentence + 1 :], blocks[last_sentence] if last_sentence >= 0 else ""):
        return blocks
    return [b for i, b in enumerate(blocks) if i <= last_sentence or tb.stats(b).words >= 15]


def matches_headline(line: str, headline: str | None) -> bool:
    if not headline:
        return False
    key, head = tb.norm_key(line), tb.norm_key(headline)
    if key == head:
        return True
    if not key.startswith(head):
        return False
    rest = key[len(head) :]
    # "Headline | Site name" or "Headline - section": the same headline with a short site suffix.
    return bool(re.match(r"\s*[|:\-·•]", rest)) and tb.stats(rest).words <= 6


def _headline_index(lines: Sequence[str], headline: str | None) -> int | None:
    return next((i for i, line in enumerate(lines) if matches_headline(line, headline)), None)


def _headline_candidate(line: str) -> bool:
    s = tb.stats(line)
    return (
        4 <= s.words <= 30
        and line.count(",") < 3
        and not line.rstrip().endswith(".")
        and not tb.is_bullet(line)
        and not tb.is_junk(line)
        and parse_date_line(line) is None
        and not _BYLINE.match(line)
    )


def _guess_headline(lines: Sequence[str]) -> str | None:
    """Without a client title: the headline-like line nearest above the first body sentence, preferring
    one the page repeats (headlines recur in breadcrumbs, share blocks and page titles)."""
    first_body = next(
        (
            i
            for i, line in enumerate(lines)
            if tb.looks_like_sentence(line) and tb.stats(line).words >= 8 and not tb.is_junk(line)
        ),
        len(lines),
    )
    counts = Counter(tb.norm_key(line) for line in lines)
    repeated = [i for i, line in enumerate(lines) if counts[tb.norm_key(line)] >= 2 and _headline_candidate(line)]
    above = [i for i in repeated if i < first_body]
    if above or repeated:
        # Nearest above the body: a menu line repeated in header and footer sits farther away.
        return _strip_site_suffix(lines[above[-1] if above else repeated[0]])
    window = [line for line in lines[max(0, first_body - 10) : first_body] if _headline_candidate(line)]
    plain = [line for line in window if not tb.is_prose(line)]
    if not (plain or window):
        return _short_headline(lines)
    return _strip_site_suffix((plain or window)[-1])


def _short_headline(lines: Sequence[str]) -> str | None:
    """A headline of two or three words ("Quake hits coast") only as the paste's first line, right above prose:
    elsewhere, lines that short above the body are the page's menus and labels."""
    if len(lines) < 2:
        return None
    first, s = lines[0], tb.stats(lines[0])
    if not 2 <= s.words <= 3 or s.terminal or tb.is_bullet(first) or tb.is_junk(first) or not tb.is_prose(lines[1]):
        return None
    return first if parse_date_line(first) is None and not _BYLINE.match(first) else None


def _strip_site_suffix(line: str) -> str:
    parts = _TITLE_SUFFIX.split(line)
    if len(parts) > 1 and tb.stats(parts[0]).words >= 4 and tb.stats(" ".join(parts[1:])).words <= 4:
        return parts[0].strip()
    return line


def _find_url(lines: Sequence[str], anchor: int) -> str | None:
    """The page's own address: a bare link line above the headline (links further down are other stories)."""
    for line in lines[: max(anchor, 3) + 1]:
        m = _BARE_URL.fullmatch(line)
        if m and not _IMAGE_URL.search(m.group(1)):
            return m.group(1)
    return None


def find_published(lines: Sequence[str], anchor: int) -> datetime.datetime | None:
    candidates: list[tuple[int, DateLine]] = []
    for i, line in enumerate(lines):
        found = parse_date_line(line)
        # A weekday date with no time above the headline is the site header's "today", i.e. the visit.
        if found is None or (found.has_weekday and not found.has_time and i < anchor):
            continue
        candidates.append((i, found))
    if not candidates:
        return None
    best = min(candidates, key=lambda c: (c[1].updated, abs(c[0] - anchor), c[0]))
    return best[1].when


def find_outlet(lines: Sequence[str], url: str | None) -> str | None:
    """Only a name the page states plainly: its copyright holder, or a short line naming its domain."""
    by_key = {tb.norm_key(line): line for line in lines if len(line) <= 60}
    for line in lines:
        if len(line) > 120:
            continue
        m = _COPYRIGHT.search(line)
        if m:
            name = m.group("name").strip(" -–—:")
            if 1 <= tb.stats(name).words <= 6 and not re.search(r"\d", name):
                return by_key.get(tb.norm_key(name), name)
    if url:
        label = _domain_label(url)
        for line in lines:
            s = tb.stats(line)
            squashed = re.sub(r"[^a-z]", "", line.casefold())
            if 1 <= s.words <= 5 and not s.terminal and squashed and _same_name(squashed, label):
                return line
    return None


_GENERIC_HOST_LABELS = frozenset({"www", "m", "amp", "edition", "com", "co", "org", "net"})


def _domain_label(url: str) -> str:
    host = (urlsplit(url).hostname or "").casefold()
    labels = [p for p in host.split(".") if p not in _GENERIC_HOST_LABELS]
    return re.sub(r"[^a-z]", "", labels[0]) if labels else ""


def _same_name(squashed: str, label: str) -> bool:
    if not label:
        return False
    if squashed == label:
        return True
    common = 0
    for a, b in zip(squashed, label, strict=False):
        if a != b:
            break
        common += 1
    return common >= 5


def find_byline(lines: Sequence[str]) -> str | None:
    for line in lines:
        m = _BYLINE.match(line)
        if m and len(line) <= 80 and not tb.stats(line).terminal:  # "By Monday, officials had left."
            return m.group("name")
    return None
