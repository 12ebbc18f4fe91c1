"""64-bit SimHash of an article's words, for finding the same article reformatted or with a line changed.

Each run of SHINGLE consecutive words (lower-cased, punctuation dropped) is hashed to 64 bits; bit i of the
SimHash is set when more shingles have bit i set than not. Texts that share most of their shingles get hashes
that differ in few bits, so the Hamming distance between two SimHashes estimates how different the texts are:
the same article re-wrapped or with other punctuation gives distance 0, one boilerplate sentence more or less
in a few hundred words gives 0-3 bits, unrelated articles about 32.

To look up near neighbours without scanning every article, the 64 bits are cut into BANDS bands of 16 bits.
Two hashes within MAX_DISTANCE (< BANDS) bits of each other agree on at least one whole band (pigeonhole),
so a query for "any band equal" (four indexed columns) finds every candidate; the distance is checked after.

The database has signed 64-bit integers only: `to_signed` / `to_unsigned` convert.

Pure: no Django, no I/O.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

__all__ = [
    "BANDS",
    "MAX_DISTANCE",
    "MIN_SHINGLES",
    "bands",
    "figures_differ",
    "hamming",
    "numbers",
    "shingles",
    "simhash",
    "to_signed",
    "to_unsigned",
]

# Word pairs: measured on 8 articles, each with one of 6 boilerplate lines added at the top or the bottom (96
# copies), pairs keep 83% of the copies within MAX_DISTANCE while different articles on one story stay at least 20
# bits apart; triples keep only 63% within it (more bits move per changed word), single words bring different
# articles on one story down to 5 bits.
SHINGLE = 2
BANDS = 4
BAND_BITS = 64 // BANDS
# At most this many differing bits makes two texts near-duplicates. Must stay below BANDS for the band lookup to
# find every pair (pigeonhole). Same text re-wrapped, re-cased or re-punctuated: 0; a boilerplate line more or less
# in a few hundred words: typically 0-3; unrelated articles: about 32.
MAX_DISTANCE = 3
# Below this many shingles a text is too short for its SimHash to mean much (a changed word moves many bits,
# and short unrelated texts collide more easily); such texts are matched by exact content hash only.
MIN_SHINGLES = 40

_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MASK = (1 << 64) - 1

assert MAX_DISTANCE < BANDS, "the band lookup only guarantees neighbours within BANDS - 1 bits"


def shingles(text: str, size: int = SHINGLE) -> Counter[str]:
    """Runs of `size` consecutive words, lower-cased, with how often each occurs. A text shorter than `size`
    words gives its words as one shingle; a text without words gives none."""
    words = [word.lower() for word in _WORD.findall(text)]
    if not words:
        return Counter()
    if len(words) < size:
        return Counter([" ".join(words)])
    return Counter(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def _hash64(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")


def simhash(text: str) -> int:
    """The unsigned 64-bit SimHash of `text` (0 for a text without words)."""
    # Column counting in C: every shingle's hash as 64 '0'/'1' characters (repeated per occurrence), all in one
    # string; column i of that table is the slice [i::64]. Five times faster than adding up bit by bit in Python.
    table = "".join(format(_hash64(shingle), "064b") * count for shingle, count in shingles(text).items())
    total = len(table) // 64
    result = 0
    for column in range(64):
        # Bit set when more shingles have it set than not (column 0 is the highest bit).
        if 2 * table[column::64].count("1") > total:
            result |= 1 << (63 - column)
    return result


def hamming(a: int, b: int) -> int:
    """Differing bits of two 64-bit hashes, signed or unsigned."""
    return ((a ^ b) & _MASK).bit_count()


def to_signed(value: int) -> int:
    """An unsigned 64-bit value as the signed integer a PostgreSQL bigint holds."""
    if not 0 <= value <= _MASK:
        raise ValueError(f"{value} is not an unsigned 64-bit value")
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    if not -(1 << 63) <= value < 1 << 63:
        raise ValueError(f"{value} is not a signed 64-bit value")
    return value & _MASK


def bands(value: int) -> tuple[int, ...]:
    """The hash cut into BANDS unsigned 16-bit pieces, lowest bits first (each fits an ordinary integer column)."""
    value &= _MASK
    piece = (1 << BAND_BITS) - 1
    return tuple(value >> (BAND_BITS * i) & piece for i in range(BANDS))


def numbers(text: str) -> set[str]:
    """The figures a text states ("2,400", "3.5", "2024")."""
    return set(_NUMBER.findall(text))


def figures_differ(a: str, b: str) -> bool:
    """Whether each text states a figure the other does not: a number that moved ("2,400" -> "2,500").

    Two near-duplicate texts whose figures moved are not the same report — a number that moved is news — so the
    caller keeps them apart. A figure on one side only (an added "Updated 10:45" line) is not a move."""
    left, right = numbers(a), numbers(b)
    return bool(left - right) and bool(right - left)
