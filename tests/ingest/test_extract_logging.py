"""Junk input is an expected outcome of extraction, not an error: trafilatura must not log it at ERROR."""

from __future__ import annotations

import logging

import pytest

from claims.ingest.extract import ExtractionError, extract_html

JUNK = [
    "<html><body><div></div></body></html>",
    "\x01\x02 garbage <<<>>>",
    "<p>",
    '<?xml version="1.0"?><x/>',
    "<html><head><meta name='date' content='2099-99-99'></head><body><span>4</span></body></html>",
]


@pytest.mark.parametrize("page", JUNK)
def test_junk_pages_fail_readably_without_trafilatura_errors(page: str, caplog: pytest.LogCaptureFixture) -> None:
    # caplog at DEBUG on the root logger: it captures whatever the libraries let through.
    with caplog.at_level(logging.DEBUG), pytest.raises(ExtractionError, match="no article body found"):
        extract_html(page)
    noisy = [r for r in caplog.records if r.name.startswith("trafilatura") and r.levelno >= logging.ERROR]
    assert noisy == []


def test_our_setting_is_what_silences_it(caplog: pytest.LogCaptureFixture) -> None:
    """Without the level set in claims.ingest.extract the same junk does log ERRORs (so the test above bites)."""
    library = logging.getLogger("trafilatura")
    before = library.level
    library.setLevel(logging.NOTSET)
    try:
        with caplog.at_level(logging.DEBUG), pytest.raises(ExtractionError):
            extract_html(JUNK[1])
    finally:
        library.setLevel(before)
    assert before == logging.CRITICAL
    assert any(r.name.startswith("trafilatura") and r.levelno >= logging.ERROR for r in caplog.records)
