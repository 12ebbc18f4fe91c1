"""The extraction fixture corpus (tests/fixtures/pages/) and how an extracted text is scored against it.

Each page of the corpus comes with its expected body (headline, standfirst, paragraphs, subheadings, list items,
table rows, one per line) and junk strings that must not survive extraction; see the "convention" entry of
manifest.json and tests/fixtures/pages_src/build.py, which writes the pages.

The measure is language-independent: a text becomes tokens (runs of letters and digits; each Chinese character,
kana or other ideograph is a token of its own, so CJK text is scored by character n-grams), each line's tokens
become overlapping 4-token shingles (a line of fewer tokens is one shingle) counted with multiplicity, and

    recall    = shingles of the expected body found in the extracted text / shingles of the expected body
    precision = shingles of the extracted text found in the expected body / shingles of the extracted text

A shingle is "found" in a text when that text has the same run of tokens within one line. Shingles do not cross
line breaks, so a junk line kept between two body lines lowers precision, not recall. Punctuation, bullets and
table separators do not count, so "a | b" and "a b" score the same.

    python -m tests.ingest.corpus [--show N]

prints the mean precision, recall and F1 of the project's extractor and of plain ``trafilatura.extract`` over the
corpus, and the N pages where the project keeps the least of the body.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
SHINGLE = 4
RECALL_MIN = 0.98
PRECISION_MIN = 0.9
REFERENCE_TOLERANCE = 0.005

# Scripts written without spaces between words: every character is a token.
_CJK = "\u3005\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class Page:
    name: str
    language: str
    shape: str
    kind: str
    url: str | None
    expected: tuple[str, ...]
    junk: tuple[str, ...]

    @property
    def path(self) -> Path:
        return PAGES / self.name

    @property
    def pasted(self) -> bool:
        return self.name.endswith(".txt")

    @property
    def body(self) -> str:
        return "\n".join(self.expected)

    def read(self) -> str:
        return self.path.read_text(encoding="utf-8")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text or "").casefold())


def _lines(text: str) -> list[list[str]]:
    return [words for words in (tokens(line) for line in (text or "").splitlines()) if words]


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The n-token shingles of each line, with their counts; a line shorter than n tokens is one shingle.
    Shingles do not cross line breaks, so a junk line between two body lines costs no recall."""
    out: Counter[tuple[str, ...]] = Counter()
    for words in _lines(text):
        out.update(tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)))
    return out


def _grams(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """Every run of 1 to n tokens within a line: where the shingles of another text are looked for, so that a
    short line ("Qualified teams") is found inside a longer one."""
    out: Counter[tuple[str, ...]] = Counter()
    for words in _lines(text):
        for k in range(1, n + 1):
            out.update(tuple(words[i : i + k]) for i in range(len(words) - k + 1))
    return out


def _covered(units: Counter[tuple[str, ...]], text: str) -> int:
    found = _grams(text)
    return sum(min(count, found[unit]) for unit, count in units.items())


def score(expected: str, got: str) -> Score:
    """Recall: the share of the expected body's shingles found in `got`; precision: the share of `got`'s
    shingles found in the expected body. Counted with multiplicity."""
    want, have = shingles(expected), shingles(got)
    recall = _covered(want, got) / sum(want.values()) if want else 1.0
    precision = _covered(have, expected) / sum(have.values()) if have else (1.0 if not want else 0.0)
    return Score(precision, recall)


def without_junk_lines(text: str, junk: Iterable[str]) -> str:
    """The text without the lines that hold one of the page's declared junk strings."""
    marks = [j.casefold() for j in junk]
    return "\n".join(line for line in text.splitlines() if not any(m in line.casefold() for m in marks))


def kept_junk(text: str, junk: Iterable[str]) -> list[str]:
    folded = text.casefold()
    return [j for j in junk if j.casefold() in folded]


def missing_lines(expected: Sequence[str], got: str, *, below: float = 0.9) -> list[str]:
    """Expected lines of which less than `below` of the shingles are in `got`."""
    return [line for line in expected if score(line, got).recall < below]


def load_pages() -> list[Page]:
    manifest = json.loads((PAGES / "manifest.json").read_text(encoding="utf-8"))
    return [
        Page(
            name=name,
            language=entry["language"],
            shape=entry["shape"],
            kind=entry["kind"],
            url=entry.get("url") or None,
            expected=tuple(entry["expected"]),
            junk=tuple(entry["junk"]),
        )
        for name, entry in sorted(manifest["pages"].items())
    ]


def extract_project(page: Page) -> str:
    """The project's text for the page: the HTML extractor, or for pasted text the text cleaner."""
    if page.pasted:
        from claims.ingest.clean import clean_text

        return clean_text(page.read()).text
    from claims.ingest.extract import extract_html

    return extract_html(page.read(), url=page.url).text


def extract_reference(page: Page) -> str:
    """Plain ``trafilatura.extract`` of the same input, with its default settings."""
    import trafilatura

    return trafilatura.extract(page.read(), url=page.url) or ""


# ---------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the project's extractor against the fixture corpus.")
    parser.add_argument("--show", type=int, default=10, help="list the N pages with the lowest recall")
    args = parser.parse_args(argv)
    from claims.ingest.clean import ExtractionError

    rows = []
    t_ours = t_ref = 0.0
    pages = load_pages()
    for page in pages:
        start = time.perf_counter()
        try:
            got = extract_project(page)
        except ExtractionError as exc:
            got = ""
            print(f"{page.name}: ExtractionError: {exc}")
        t_ours += time.perf_counter() - start
        start = time.perf_counter()
        ref = extract_reference(page)
        t_ref += time.perf_counter() - start
        ours, theirs = score(page.body, got), score(page.body, ref)
        compare = score(page.body, without_junk_lines(got, page.junk)).recall
        reference = score(page.body, without_junk_lines(ref, page.junk)).recall
        failures = []
        if ours.recall < RECALL_MIN:
            failures.append("recall")
        if ours.precision < PRECISION_MIN:
            failures.append("precision")
        if kept_junk(got, page.junk):
            failures.append("junk")
        if compare < reference - REFERENCE_TOLERANCE:
            failures.append("below-trafilatura")
        rows.append((page, ours, theirs, failures, got))

    n = len(rows)

    def summary(scores: list[Score], seconds: float) -> str:
        p = sum(s.precision for s in scores) / n
        r = sum(s.recall for s in scores) / n
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return f"precision {p:.3f} recall {r:.3f} F1 {f1:.3f}  {n / seconds if seconds else 0:.0f} pages/s"

    print(f"{n} pages")
    print(f"trafilatura.extract:                {summary([r[2] for r in rows], t_ref)}")
    print(f"claims.ingest.extract:extract_html: {summary([r[1] for r in rows], t_ours)}")
    failing = [r for r in rows if r[3]]
    print(f"pages failing the per-page test: {len(failing)} of {n}")
    for page, ours, theirs, failures, got in sorted(rows, key=lambda r: (r[1].recall, r[1].precision))[: args.show]:
        print(
            f"  {page.name:34} recall {ours.recall:.2f} (trafilatura {theirs.recall:.2f}) "
            f"precision {ours.precision:.2f}  {','.join(failures) or 'ok'}"
        )
        for line in missing_lines(page.expected, got)[:3]:
            print(f"      lost: {line[:90]}")
        for junk in kept_junk(got, page.junk)[:2]:
            print(f"      kept junk: {junk[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
