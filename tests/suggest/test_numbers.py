from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.suggest import parse_number, suggest
from claims.suggest.numbers import parse_words, read_digits

_ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def to_words(n: int, hyphen: bool = True, use_and: bool = False) -> str:
    """A test-side int -> English words, written independently of the parser."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, rest = divmod(n, 10)
        return _TENS[tens] + ((("-" if hyphen else " ") + _ONES[rest]) if rest else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = f"{_ONES[hundreds]} hundred"
        return head + ((" and " if use_and else " ") + to_words(rest, hyphen) if rest else "")
    for scale, name in ((10**9, "billion"), (10**6, "million"), (10**3, "thousand")):
        if n >= scale:
            high, rest = divmod(n, scale)
            return f"{to_words(high, hyphen, use_and)} {name}" + (f" {to_words(rest, hyphen, use_and)}" if rest else "")
    raise AssertionError(n)


HEDGE_QUALIFIERS = [
    ("", "exact"), ("about", "approx"), ("around", "approx"), ("nearly", "approx"), ("some", "approx"),
    ("roughly", "approx"), ("approximately", "approx"), ("more than", "at_least"), ("over", "at_least"),
    ("at least", "at_least"), ("up to", "at_most"), ("fewer than", "at_most"), ("less than", "at_most"),
    ("at most", "at_most"),
]  # fmt: skip


def _formats(n: int) -> list[str]:
    return [f"{n:,}", str(n), to_words(n), to_words(n, hyphen=False, use_and=True)]


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=10**9),
    form=st.integers(min_value=0, max_value=3),
    hedge=st.sampled_from(HEDGE_QUALIFIERS),
)
def test_parse_number_round_trips_every_format_and_hedge(n: int, form: int, hedge: tuple[str, str]) -> None:
    words, qualifier = hedge
    text = f"{words} {_formats(n)[form]}".strip()
    assert parse_number(text) == (n, qualifier)


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=10**9),
    form=st.integers(min_value=0, max_value=3),
    hedge=st.sampled_from([h for h in HEDGE_QUALIFIERS if h[0]]),
)
def test_suggest_finds_one_quantity_in_a_sentence(n: int, form: int, hedge: tuple[str, str]) -> None:
    words, qualifier = hedge
    sentence = f"Officials said {words} {_formats(n)[form]} troops remain."
    quantities = [c for c in suggest(sentence) if c.kind == "quantity"]
    assert len(quantities) == 1
    (q,) = quantities
    assert (q.value, q.qualifier, q.unit) == (n, qualifier, "troops")
    assert sentence[q.start : q.end].startswith(words)
    assert sentence[q.start : q.end].endswith("troops")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("about 2,500", (2500, "approx")),
        ("$4.4 Billion", (4_400_000_000, "exact")),
        ("215 Million", (215_000_000, "exact")),
        ("2.5 million", (2_500_000, "exact")),
        ("a dozen", (12, "exact")),
        ("about a dozen", (12, "approx")),
        ("dozens of", (24, "at_least")),
        ("hundreds of", (200, "at_least")),
        ("tens of thousands of", (20_000, "at_least")),
        ("a thousand", (1000, "exact")),
        ("reaches 2,400", (2400, "exact")),
        ("1.000.000", (1_000_000, "exact")),
        ("2.5", (2.5, "exact")),
        ("an estimated 3,000", (3000, "approx")),
        ("no more than 40", (40, "at_most")),
    ],
)
def test_parse_number_examples(text: str, expected: tuple[float | int, str]) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["troops", "", "a", "someone", "five five", "twenty twelve", "COVID-19"])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_lone_dot_group_is_thousands_only_for_whole_things() -> None:
    assert read_digits("2.500") == 2.5
    assert read_digits("2.500", whole_things=True) == 2500
    assert parse_words("nineteen hundred") == 1900
    assert parse_words("thousand million") is None
