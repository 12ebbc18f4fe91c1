from __future__ import annotations

import pytest

from claims.suggest import suggest
from claims.suggest.spans import MASK, mask_junk


@pytest.mark.parametrize(
    "text",
    [
        "Contact the newsroom at +74956456601 or news@example.org for any corrections to this story.",
        "Call our desk on (555) 123-4567 between office hours for questions about subscriptions.",
        "The picture https://cdn.example.com/img/1920x0_80_0_0_a85f.jpg shows the camp from above.",
        "The image file photo_1920x1080_2024 was attached to the report by the editors.",
        "Updated at 04:59 and again at 10:30 GMT after the ministry changed its statement.",
        "It was 25.9 C in the capital when the ministers arrived at the airport building.",
        "Reference number 1117086034 was assigned to the complaint by the registry office.",
        "The COVID-19 measures were lifted across the region for the first time since spring.",
    ],
)
def test_junk_numbers_are_never_suggested(text: str) -> None:
    assert [c for c in suggest(text) if c.kind != "attribution"] == []


@pytest.mark.parametrize(
    "line", ["2 years ago", "12 months ago", "© 2023 THE DAILY EXAMPLE", "2024", "25 Jan, 2024 04:59"]
)
def test_page_furniture_lines_are_masked(line: str) -> None:
    text = f"Some headline about talks\n{line}\nThe talks continue in the capital, the minister said."
    masked = mask_junk(text)
    assert len(masked) == len(text)
    assert set(masked[text.index(line) : text.index(line) + len(line)]) == {MASK}
    assert [c.kind for c in suggest(text)] == ["attribution"]


def test_scale_suffix_is_not_glued_junk() -> None:
    text = "The contract is worth $4.4bn according to the finance committee report."
    (q,) = [c for c in suggest(text) if c.kind == "quantity"]
    assert (q.value, q.unit) == (4_400_000_000, "USD")
