"""What every stage of ingestion returns or raises: the extracted article, or why there is none. Imports nothing
of the project, so that decode, clean and extract can all use it without importing each other."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None
    url: str | None
    published_at: datetime.datetime | None
    outlet: str | None
    byline: str | None


class ExtractionError(ValueError):
    """The input holds no usable article; the message is meant for the editor who submitted it."""
