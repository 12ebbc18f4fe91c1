"""Block-level heuristics shared by the pasted-text cleaner and the HTML extractor.

A *block* is one paragraph-sized line of text. Nothing here edits the inside of a block: blocks are
only kept or dropped, so quotes taken from the cleaned text stay verbatim copies of the source.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A phone or fax number is contact junk only under its label ("Tel:", "Fax", "Телефон", "電話") or as a tel: link:
# a bare run of digits is as often a budget ("1 250 000 000"), a date or a score ("3 - 1 (2 - 0)").
_PHONE = re.compile(
    r"(?:(?<![^\W\d_])(?:tel|tél|tfn|phone|telephone|téléphone|telefon|telefone|teléfono|telefono|fax|mobile|mob"
    r"|cell|hotline|whatsapp|тел|телефон|факс|моб|hp|telp)(?![^\W\d_])\.?|電話|电话|전화|☎|📞|(?<![^\W\d_])[TFM](?=\s*:))"
    r"\s*(?:number|no\.?|nr\.?)?\s*[:.：]?\s*(?:\(\w+\)\s*)?\+?\d[\d ()./-]{5,}\d",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[•·▪◦●■►▸‣⁃]|[*-](?=\s))\s*")
_EDGE = re.compile(r"(?<![^\W_])[^\W_]|(?<![^\w\s])[^\w\s]")
_WORD = re.compile(r"[^\W_][\w'’.-]*")
_CLOSERS = "\"'”’»)]」』）】〕"
_PHOTO_CREDIT = re.compile(r"[\[(][^\])]*(?:/|\bvia\b|photo|getty|credit|image|file)[^\])]*[\])]\s*$", re.IGNORECASE)

_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        """
    the a an of to in on at for and or but is are was were be been being has have had that this these
    those with from by as it its he she they their his her him them not no will would said says which who
    whom there than into about after before over under while when also can could should may might if we
    our i what where how did do does so such between during against since until because""",
    )
)

# Prompts and footers that can look like sentences; matched only in blocks of at most 60 words so a
# long news paragraph *about* cookies or newsletters survives.
_BOILERPLATE = re.compile(
    r"your e-?mail address will not be published|required fields are marked|please enter your "
    r"|(?:this|our) (?:web)?site uses cookies|we use cookies|accept (?:all )?cookies"
    r"|cookie (?:policy|settings)"
    r"|by (?:continuing|using) (?:to (?:browse|use)|this (?:web)?site|our (?:web)?site)"
    r"|share (?:on|via) (?:facebook|twitter|x\b|whatsapp|linkedin|telegram|reddit|e-?mail|pinterest)"
    r"|©|\(c\) \d{4}|copyright \d{4}|all rights reserved|scroll to top|back to top"
    r"|(?:enable|turn on) javascript|sign up (?:for|to) (?:our|the) |subscribe to (?:our|the) "
    r"|leave a (?:reply|comment)|save my name, e-?mail|notify me of (?:new|follow-up)"
    r"|^(?:image|media|video) (?:source|caption), ",
    re.IGNORECASE,
)

_BOILERPLATE_HINTS = (
    "mail",
    "required fields",
    "please enter",
    "cookie",
    "by continuing",
    "by using",
    "share ",
    "©",
    "(c)",
    "copyright",
    "rights reserved",
    "to top",
    "javascript",
    "sign up",
    "subscribe to",
    "leave a",
    "notify me",
    "source, ",
    "caption, ",
)

# Headings that open the page furniture under an article: whatever follows them is lists of other stories,
# comment forms or social links until real prose resumes.
_SECTION_MARKER = re.compile(
    r"^(?:related(?: articles| posts| stories| news| content| coverage| reading)?"
    r"|recommended(?: for you| stories| articles)?|(?:most )?popular(?: news| posts| stories| articles| now)?"
    r"|most (?:read|viewed|shared)|latest(?: articles| news| posts| stories| headlines)?"
    r"|trending(?: now| stories| news)?|you (?:may|might) also (?:like|be interested in)"
    r"|more (?:from|stories|news)\b.*|read (?:more|next|also)|also read|see also|next (?:post|article|story)"
    r"|previous (?:post|article|story)|leave a (?:reply|comment)\b.*"
    r"|comments?(?: \(\d+\))?|\d+ comments?|tags?:.*|topics?:.*|filed under:?.*|stay connected|follow us\b.*"
    r"|share this(?: article| story)?|don'?t miss|editor'?s picks?|top stories|what to read next"
    r"|repl(?:y|ies)|\d+ (?:responses|replies)|(?:join|start) the (?:conversation|discussion)|add a comment"
    r"|show comments|about the author)[\s:.!]*$",
    re.IGNORECASE,
)

# Section headings that are page furniture whatever follows them (tags, comments, share and follow rows).
_ALWAYS_FURNITURE = re.compile(
    r"\W*(?:tags?|topics?|filed under|follow us|share this|comments?|\d+ comments?|leave a|repl(?:y|ies)"
    r"|\d+ (?:responses|replies)|join the|start the|add a comment|show comments|about the author|stay connected)\b",
    re.IGNORECASE,
)
# The same furniture in other languages (word lists per language are fine for boilerplate; a page in a language
# missing here only keeps a little more furniture). Matched as whole short lines.
_SECTION_MARKER_INTL = re.compile(
    r"(?:noticias|artículos|notícias|matérias|artigos) relacionad[oa]s|lo más (?:leído|visto)|más leídas?"
    r"|mais (?:lidas|vistas)|leia (?:também|mais)|veja também|lea también|lee también|ver también"
    r"|lesen sie auch|meistgelesen|ähnliche artikel|verwandte artikel|das könnte sie auch interessieren"
    r"|à lire aussi|lire aussi|les plus lus|articles similaires|leggi anche|i più letti|più lett[ie]"
    r"|articoli correlati|читайте также|самое читаемое|похожие (?:новости|статьи)|популярное"
    r"|baca juga|berita terkait|terpopuler|関連記事|人気記事|おすすめ記事|관련 ?기사|많이 본 ?뉴스|인기 ?기사"
    r"|相关(?:新闻|文章|阅读)|热门(?:新闻|文章)|推荐阅读|(?:网友|读者)?评论(?:\s*[（(]\d+[）)])?|コメント(?:\s*[（(]\d+[）)])?"
    r"|댓글(?:\s*\d+)?|comentarios?(?:\s*\(\d+\))?|comentários?(?:\s*\(\d+\))?|kommentare?(?:\s*\(\d+\))?"
    r"|commentaires?(?:\s*\(\d+\))?|commenti(?:\s*\(\d+\))?|комментарии(?:\s*\(\d+\))?",
    re.IGNORECASE,
)
# "Share on ..." rows: a share word next to a network's name, in a short line.
_SHARE_WORD = re.compile(
    r"\bshare\b|compartir|compartilhar|partager|teilen|condividi|поделиться|bagikan|공유|分享|シェア|送る|共有",
    re.IGNORECASE,
)
_NETWORK = re.compile(
    r"facebook|twitter|\bx\b|whatsapp|linkedin|telegram|\bline\b|kakao|카카오|페이스북|트위터|微信|微博|weibo"
    r"|wechat|\bqq\b|\bvk\b|вконтакте|e-?mail|メール|リンク|link|ライン|LINE",
    re.IGNORECASE,
)
# Newsletter and sign-up prompts, as plain substrings (cheaper than one alternation); only in blocks of at most
# 30 words.
_PROMPTS = (
    "newsletter",
    "in your inbox",
    "nuestro boletín",
    "nosso boletim",
    "suscríbete",
    "inscreva-se",
    "infolettre",
    "подпишитесь",
    "рассылк",
    "뉴스레터",
    "ニュースレター",
    "メルマガ",
    "订阅",
    "訂閱",
    "no seu e-mail",
    "no seu email",
    "en tu correo",
    "en tu email",
    "en tu e-mail",
    "en tu bandeja",
    "이메일로 받아",
    "per e-mail",
    "per email",
    "dans votre boîte",
)


def is_furniture(text: str) -> bool:
    """A share row or a newsletter prompt, in any of the languages above."""
    s = stats(text)
    if s.words > 30 or len(text) > 240:
        return False
    lowered = text.casefold()
    if any(prompt in lowered for prompt in _PROMPTS):
        return True
    return len(text) <= 60 and s.words <= 8 and bool(_SHARE_WORD.search(text) and _NETWORK.search(text))


_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "\u00a0": " ",
    }
)


@functools.lru_cache(maxsize=8192)  # the same block is compared as headline, link text and repeat
def norm_key(text: str) -> str:
    """Comparison key: case, quote style, dash style and spacing do not make two blocks different."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(text.split())


@dataclass(frozen=True)
class BlockStats:
    words: int  # for scripts written without spaces, an estimate from the characters (see `stats`)
    stop_ratio: float
    cap_ratio: float
    terminal: bool
    caseless: bool  # most letters are of a script without letter case (CJK, Arabic, Devanagari, Thai ...)


# Sentence ends across scripts: Latin, CJK (full and half width), Arabic and Urdu, Devanagari, Ethiopic.
_TERMINALS = (".", "!", "?", "…", "。", "！", "？", "．", "｡", "؟", "۔", "।", "॥", "።")
# Scripts written without spaces between words: a run of them is one \w+ token however long. Han and kana
# average about two characters a word; Thai, Lao, Khmer and Myanmar (with their vowel marks) about three.
_HAN_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_SOUTHEAST_ASIAN = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
_UNSPACED = re.compile(
    r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    r"\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]"
)


def _ends_sentence(text: str) -> bool:
    # String ops, not a "$"-anchored regex: a regex search retries at every position of long paragraphs.
    return text.rstrip().rstrip(_CLOSERS).endswith(_TERMINALS)


def _word_count(text: str, tokens: Sequence[str]) -> int:
    """Words, with runs of an unspaced script counted by their characters: "市政府公布了计划" is four words,
    not one, so the length thresholds below mean the same in Chinese as in English."""
    if text.isascii() or not _UNSPACED.search(text):
        return len(tokens)
    spaced = sum(1 for t in tokens if not _UNSPACED.search(t))
    estimate = len(_HAN_KANA.findall(text)) / 2 + len(_SOUTHEAST_ASIAN.findall(text)) / 3
    return spaced + max(1, round(estimate))


# Letters of the scripts with letter case (Latin, Greek, Coptic, Cyrillic, Armenian, Georgian's Mtavruli aside)
# and of the main scripts without it (Hebrew to Sinhala, Thai to Myanmar, Hangul, Ethiopic, Khmer, CJK, kana).
_CASED_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f\u0531-\u0587\u1e00-\u1fff]")
_CASELESS_LETTER = re.compile(
    r"[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1100-\u11ff\u1200-\u139f\u1780-\u17ff"
    r"\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uffdc]"
)


def _mostly_caseless(text: str) -> bool:
    if text.isascii():
        return False
    caseless = len(_CASELESS_LETTER.findall(text))
    return caseless > 0 and caseless > len(_CASED_LETTER.findall(text))


@functools.lru_cache(maxsize=8192)  # every classifier asks again for the same block
def stats(text: str) -> BlockStats:
    words = _WORD.findall(text)
    lowered = [w.casefold() for w in words]
    stop = sum(1 for w in lowered if w in _STOPWORDS)
    content = [w for w, lw in zip(words, lowered, strict=True) if lw not in _STOPWORDS and w[0].isalpha()]
    caps = sum(1 for w in content if w[0].isupper())
    return BlockStats(
        words=_word_count(text, words),
        stop_ratio=stop / len(words) if words else 0.0,
        cap_ratio=caps / len(content) if content else 0.0,
        terminal=_ends_sentence(text),
        caseless=_mostly_caseless(text),
    )


def is_bullet(text: str) -> bool:
    return bool(_BULLET.match(text))


def strip_bullet(text: str) -> str:
    return _BULLET.sub("", text, count=1)


def is_url_block(text: str) -> bool:
    """A bare link, an image address, or a link glued to a few words of label."""
    lowered = text.casefold()
    if ("http" not in lowered and "www." not in lowered) or not _URL.search(text):
        return False
    rest = _URL.sub(" ", text)
    return stats(rest).words < 6 or not looks_like_sentence(rest)


def is_contact_block(text: str) -> bool:
    return stats(text).words <= 12 and bool(_EMAIL.search(text) or _PHONE.search(text))


def is_boilerplate(text: str) -> bool:
    if stats(text).words > 60:
        return False
    lowered = text.casefold()
    # Literal hints first: the alternation regex costs ~100 µs per paragraph, and almost all miss.
    return any(hint in lowered for hint in _BOILERPLATE_HINTS) and bool(_BOILERPLATE.search(text))


def is_section_marker(text: str) -> bool:
    stripped = _BULLET.sub("", text).strip()
    if len(stripped) > 80:
        return False
    return bool(_SECTION_MARKER.match(stripped) or _SECTION_MARKER_INTL.fullmatch(stripped.rstrip(" :.!…")))


def is_always_furniture(text: str) -> bool:
    """A section heading whose section is furniture whatever follows it (tags, comments, share and follow
    rows); other headings ("Don't miss", "Read more") can be the article's own interjection."""
    return bool(_ALWAYS_FURNITURE.match(text))


def is_photo_caption(text: str) -> bool:
    """Captions end in a bracketed credit such as "[Name/Agency]" or "(Photo: Agency)"; prose that cites
    a source in brackets puts its full stop after the bracket."""
    return text.rstrip().endswith((")", "]")) and bool(_PHOTO_CREDIT.search(text))


# Clause marks of scripts without letter case: a long unpunctuated line that holds them reads as prose.
_CLAUSE_MARKS = ("，", "、", "،", "；", ";", ",", "：")


def looks_like_sentence(text: str) -> bool:
    s = stats(text)
    if s.caseless:
        # No lowercase to tell a sentence from a label: its end mark and its length do (a menu item or a
        # headline in Chinese, Arabic or Hindi does not end in 。 ؟ । or a full stop).
        return s.terminal and s.words >= 3
    return s.terminal and s.words >= 2 and any(w[0].islower() for w in _WORD.findall(text))


def is_prose(text: str) -> bool:
    """True for a block that reads as article prose rather than a menu item, label or headline."""
    if is_bullet(text):
        return looks_like_sentence(text) and stats(text).words >= 6
    if looks_like_sentence(text):
        return True
    # Paragraphs that merely lack a final full stop (a standfirst, a truncated last paragraph) still
    # read as prose: long, with function words, not Title Case like a headline or an icon/tag list.
    s = stats(text)
    if s.caseless:
        # Without case or stopwords: long, and with clauses (Thai marks neither sentences nor clauses).
        return s.words >= 25 or (s.words >= 15 and any(mark in text for mark in _CLAUSE_MARKS))
    return s.words >= 12 and s.stop_ratio >= 0.12 and s.cap_ratio <= 0.6


def is_shape_junk(text: str) -> bool:
    """Junk by its shape wherever it stands: a bare link, a contact line, a section heading, a photo credit."""
    return is_url_block(text) or is_contact_block(text) or is_section_marker(text) or is_photo_caption(text)


def is_phrase_junk(text: str) -> bool:
    """A block holding a furniture phrase (cookie, copyright, share, newsletter): junk only where it stands as
    furniture -- see `phrase_block_is_body`. The same words occur in news sentences ("its share price fell")."""
    return is_boilerplate(text) or is_furniture(text)


def is_junk(text: str) -> bool:
    return is_shape_junk(text) or is_phrase_junk(text)


def phrase_block_is_body(text: str, *, body_before: bool, body_after: bool) -> bool:
    """A phrase-matched block is still body when it is a full prose sentence in the middle of the body: the
    blocks right before and after it are body (not junk, links or headings). Prompts and share rows stand at
    an edge of the body or next to other furniture (the button, the form, the list of networks)."""
    return body_before and body_after and looks_like_sentence(text) and stats(text).words >= 4


def dedupe(blocks: Sequence[str], min_chars: int = 25) -> list[str]:
    """Keep one copy of repeated content, in page order.

    Exact repeats keep their first copy. When one block contains another, the containing block wins
    (a dateline paragraph over the bare standfirst) -- unless it is mostly made of several other blocks,
    which is a body pasted once as one long paragraph and again split into paragraphs: then the split
    copy wins. Blocks shorter than ``min_chars`` are never treated as contained: short sentences recur
    inside unrelated paragraphs by chance.
    """
    keys = [norm_key(b) for b in blocks]
    dropped: set[int] = set()
    seen: set[str] = set()
    for i, key in enumerate(keys):
        if key in seen:
            dropped.add(i)
        seen.add(key)
    order = sorted((i for i in range(len(blocks)) if i not in dropped), key=lambda i: -len(keys[i]))
    # Blocks by their first `min_chars` characters: a block can only sit inside `big` where its opening does,
    # so one pass over `big` finds every candidate (comparing every pair was quadratic in the block count).
    by_opening: dict[str, list[int]] = {}
    for j, key in enumerate(keys):
        if len(key) >= min_chars and j not in dropped:
            by_opening.setdefault(key[:min_chars], []).append(j)
    for i in order:
        if i in dropped:
            continue
        big = keys[i]
        found: set[int] = set()
        # A block sits inside another at a word's edge: only those positions need looking up.
        for at in _edges(big):
            for j in by_opening.get(big[at : at + min_chars], ()):
                if j != i and j not in dropped and len(keys[j]) < len(big) and big.startswith(keys[j], at):
                    found.add(j)
        pieces = sorted(found)
        if not pieces:
            continue
        if len(pieces) >= 2 and _coverage(big, [keys[j] for j in pieces]) >= 0.85:
            dropped.add(i)
        else:
            dropped.update(pieces)
    return [b for i, b in enumerate(blocks) if i not in dropped]


def _edges(text: str) -> list[int]:
    """Where a word starts, and where a run of punctuation does (a quoted block opens with its quote mark)."""
    return [m.start() for m in _EDGE.finditer(text)]


def _coverage(big: str, pieces: list[str]) -> float:
    covered = bytearray(len(big))
    for piece in pieces:
        start = big.find(piece)
        while start != -1:
            covered[start : start + len(piece)] = b"\x01" * len(piece)
            start = big.find(piece, start + 1)
    letters = [k for k, ch in enumerate(big) if ch != " "]
    return sum(covered[k] for k in letters) / max(1, len(letters))
