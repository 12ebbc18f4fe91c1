from __future__ import annotations

import datetime as dt

from claims.suggest import Candidate, suggest

# A Thursday: weekday and month-day expressions in the tests resolve against it.
PUBLISHED = dt.date(2024, 3, 14)


def of_kind(text: str, kind: str, published: dt.date | None = PUBLISHED) -> list[Candidate]:
    return [c for c in suggest(text, published) if c.kind == kind]


def one(text: str, kind: str, published: dt.date | None = PUBLISHED) -> Candidate:
    found = of_kind(text, kind, published)
    assert len(found) == 1, [(text[c.start : c.end], c.value) for c in found]
    return found[0]


def quoted(text: str, c: Candidate) -> str:
    return text[c.start : c.end]
