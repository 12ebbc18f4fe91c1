"""What changed between two versions of an article's text, in terms an editor cares about.

`describe_changes(old, new)` compares the texts sentence by sentence (whitespace does not count), pairs the
sentences that were edited rather than replaced, and within those finds the figures that moved — "2,400" became
"2,500" is the change a newsroom wants to see first. The result is a small JSON-able dict:

    {"summary": "1 figure changed, 1 sentence added",
     "numbers": [{"old": "2,400", "new": "2,500", "old_sentence": ..., "new_sentence": ...}],
     "changed": [{"old": ..., "new": ...}], "added": [...], "removed": [...],
     "chars": [old length, new length]}

Each list is capped at LIMIT entries and each sentence at SENTENCE_CHARS characters, so a rewritten page does
not make a huge record. Pure: no Django, no I/O.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

__all__ = ["describe_changes", "sentences"]

LIMIT = 50
SENTENCE_CHARS = 300
# Two sentences at a 'replace' position count as one edited sentence when at least this similar.
EDITED = 0.5

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[.!?…][\"'”’)\]])\s+|\n\s*")
_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|\w+|[^\w\s]")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")


def sentences(text: str) -> list[str]:
    """The text cut at sentence ends and line breaks, whitespace squashed, empty pieces dropped."""
    pieces = (re.sub(r"\s+", " ", piece).strip() for piece in _SENTENCE_END.split(text))
    return [piece for piece in pieces if piece]


def _clip(sentence: str) -> str:
    return sentence if len(sentence) <= SENTENCE_CHARS else sentence[: SENTENCE_CHARS - 1] + "…"


def _moved_figures(old: str, new: str) -> list[tuple[str, str]]:
    """Figures replaced by other figures between two versions of one sentence, in order."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    moved: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "replace":
            continue
        left = [token for token in a[i1:i2] if _NUMBER.fullmatch(token)]
        right = [token for token in b[j1:j2] if _NUMBER.fullmatch(token)]
        moved.extend(zip(left, right, strict=False))
    return moved


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def describe_changes(old: str, new: str) -> dict[str, Any]:
    before, after = sentences(old), sentences(new)
    numbers: list[dict[str, str]] = []
    changed: list[dict[str, str]] = []
    added: list[str] = []
    removed: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        olds, news = before[i1:i2], after[j1:j2]
        if op == "replace":
            # Pair edited sentences in order while they still look alike; the rest were cut or written anew.
            while olds and news and SequenceMatcher(None, olds[0], news[0], autojunk=False).ratio() >= EDITED:
                was, now = olds.pop(0), news.pop(0)
                changed.append({"old": _clip(was), "new": _clip(now)})
                for old_figure, new_figure in _moved_figures(was, now):
                    numbers.append(
                        {"old": old_figure, "new": new_figure, "old_sentence": _clip(was), "new_sentence": _clip(now)}
                    )
        removed.extend(_clip(sentence) for sentence in olds)
        added.extend(_clip(sentence) for sentence in news)
    parts = []
    for count, word, verb in (
        (len(numbers), "figure", "changed"),
        (len(changed), "sentence", "edited"),
        (len(added), "sentence", "added"),
        (len(removed), "sentence", "removed"),
    ):
        if count:
            parts.append(f"{_plural(count, word)} {verb}")
    if not parts:
        parts.append("whitespace or layout only" if old != new else "no change")
    return {
        "summary": ", ".join(parts),
        "numbers": numbers[:LIMIT],
        "changed": changed[:LIMIT],
        "added": added[:LIMIT],
        "removed": removed[:LIMIT],
        "chars": [len(old), len(new)],
    }
