"""Pure claim suggestion: text (+ publication date) -> candidate claims. No Django here."""

from __future__ import annotations

from claims.suggest.core import Candidate, suggest
from claims.suggest.numbers import parse_number

__all__ = ["Candidate", "parse_number", "suggest"]
