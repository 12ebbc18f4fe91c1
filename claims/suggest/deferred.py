"""Deferred and passive attributions: the speaker is named after what was said, often a sentence later.

- Passive: "This was stated by the head of the agency, Dr Lena Ortiz", "The figures were released by
  commission chair Rosa Vidal".
- Deferred: "Those were the words of Colonel Ines Marr, the ministry spokesperson", "That was the view of
  Anna Greer".
The speaker is the first person's name among the comma-separated parts after "by"/"of" (a role before
it, "the head of the agency", describes the same person), else the first part when it is short ("the
ministry"). The raw phrase is returned; attributions.py normalises it (titles dropped, full name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from claims.suggest.spans import Index, Sentence, sentence_at, words

_PASSIVE = words(
    """stated said given released made issued provided announced confirmed reported published shared
    delivered presented disclosed expressed voiced"""
)
# Passives of speech verbs attribute whatever their subject; "given", "made", "released" only words.
_SPEECH = words("stated said announced confirmed reported disclosed expressed voiced")
_SPEECH_SUBJECT_RE = re.compile(
    r"\b(?:this|that|these|those|it|figures?|comments?|remarks?|statements?|announcement|details?|estimates?"
    r"|numbers?|claims?|assessment|warning|words|data|information|confirmation|account|forecast|briefing"
    r"|update|message|prediction|promise|pledge|threat|criticism|appeal|denial|quote|quotes)\s+$",
    re.I,
)
_VIEWS = words("words view views verdict assessment message position conclusion account remarks comments")
TRIGGERS = _PASSIVE | _VIEWS | {"came", "comes"}
# '"We will not back down." So said union leader Sam Odum.'
_SO_BEFORE = re.compile(r"(?:^|[.!?\"”]\s+|\n)So\s+$")
_FROM_RE = re.compile(r"\s+from\s+")
_SPACE_RE = re.compile(r"\s+")
_AUX_BEFORE = re.compile(r"\b(?:was|were|is|are|been|being)\s+(?:[a-z]+ly\s+|later\s+|also\s+|since\s+)?$", re.I)
_VIEW_BEFORE = re.compile(r"\b(?:those|these|that|this|such|it)\s+(?:was|were|is|are)\s+the\s+(?:[a-z]+\s+)?$", re.I)
_BY_RE = re.compile(r"\s+by\s+")
_OF_RE = re.compile(r"\s+of\s+")
_TOKEN_RE = re.compile(r"[A-Za-z][\w'’-]*\.?|[,;:()\"“”—–]|\S")
_ENDS = words("in at on during after before who when while where which that to for with from as")
_TITLE_DOTS = words("gen. dr. col. lt. maj. capt. sgt. adm. gov. sen. rep. prof. mr. mrs. ms. st. jr.")


@dataclass(frozen=True)
class Deferred:
    start: int
    end: int
    speaker: str
    role: str = ""  # "the head of the agency, Dr Lena Ortiz": "head of the agency"


def find_deferred(index: Index, sents: list[Sentence]) -> Iterator[Deferred]:
    text = index.text
    for vs, ve in index.positions(TRIGGERS):
        word = text[vs:ve]
        if not word.islower():
            continue
        begin = vs
        if word in ("said", "says") and _SO_BEFORE.search(text, max(0, vs - 6), vs):
            joint, begin = _SPACE_RE.match(text, ve), vs - 3  # "So said union leader Sam Odum"
        elif word in ("came", "comes"):
            # "The prediction came from central bank governor Eva Lind."
            opener = _SPEECH_SUBJECT_RE.search(text, max(0, vs - 30), vs)
            joint = _FROM_RE.match(text, ve) if opener else None
            begin = opener.start() if opener else vs
        elif word in _PASSIVE:
            joint, opener = _BY_RE.match(text, ve), _AUX_BEFORE.search(text, max(0, vs - 12), vs)
            said = opener is not None and (
                word in _SPEECH or _SPEECH_SUBJECT_RE.search(text, max(0, opener.start() - 30), opener.start())
            )
            if not said or opener is None:
                continue  # "the cars were made by a factory": not words being given
            begin = opener.start()
        else:
            opener = _VIEW_BEFORE.search(text, max(0, vs - 40), vs)
            joint = _OF_RE.match(text, ve) if opener else None
            begin = opener.start() if opener else vs
        sent = sentence_at(sents, vs)
        if joint is None or sent is None:
            continue
        found = _speaker_after(text, joint.end(), sent.end)
        if found:
            end, speaker, role = found
            yield Deferred(begin, end, speaker, role)


def _speaker_after(text: str, pos: int, limit: int) -> tuple[int, str, str] | None:
    """(end offset, speaker phrase, role) of the speaker named from ``pos``: the role is another short part set off
    by commas around the name ("the head of the agency", "the ministry spokesperson"), else ""."""
    parts: list[list[re.Match[str]]] = [[]]
    for m in _TOKEN_RE.finditer(text, pos, limit):
        tok = m.group()
        if tok == ",":
            parts.append([])
            continue
        if not tok[0].isalpha() or tok.lower() in _ENDS or sum(len(p) for p in parts) > 16:
            break
        if tok.endswith(".") and tok.lower() not in _TITLE_DOTS:
            parts[-1].append(m)
            break  # the sentence ends here
        parts[-1].append(m)
    for n, part in enumerate(parts):
        run = _name_run(part)
        if run:
            lead = part[: len(part) - len(run)]  # "union leader Sam Odum": the words before the name
            others = [p for k, p in enumerate(parts[: n + 2]) if k != n and p and len(p) <= 6 and not _name_run(p)]
            words = lead if 0 < len(lead) <= 6 else (others[0] if others else [])
            role = " ".join(t.group() for t in words).rstrip(".")
            role = re.sub(r"^(?:the|an?)\s+", "", role, flags=re.I)
            return (
                run[-1].start() + len(run[-1].group().rstrip(".")),
                " ".join(t.group() for t in run).rstrip("."),
                role,
            )
    first = parts[0]
    if first and len(first) <= 6:
        last = first[-1]
        return last.start() + len(last.group().rstrip(".")), " ".join(t.group() for t in first).rstrip("."), ""
    return None


def _name_run(part: list[re.Match[str]]) -> list[re.Match[str]]:
    """The trailing run of capitalised words in ``part`` when it has two or more, else []."""
    run: list[re.Match[str]] = []
    for m in part:
        if m.group()[0].isupper():
            run.append(m)
        else:
            run = []
    names = [m for m in run if m.group().lower() not in _TITLE_DOTS]
    return run if len(names) >= 2 else []
