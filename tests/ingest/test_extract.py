from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.ingest.extract import ExtractionError, decode_body, extract_html

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
MARKUP = re.compile(r"<[a-zA-Z/!][^>]*>")
SENTENCE = "The committee approved the plan on Thursday after a debate that lasted more than four hours."

HTML_CASES: list[dict[str, Any]] = [
    {
        "file": "html_nav_aside.html",
        "title": "Rail freight volumes jump 12% after tunnel reopening",
        "kept": [
            "Rail freight volumes rose 12 percent in August compared with the same month last year, the "
            "national rail regulator said on Monday, as traffic returned to the Kessel tunnel after a "
            "14-month closure.",
            "“The tunnel is the spine of the network,” said Petra Lind, the regulator’s chief economist. "
            "“Without it, everything else bends.”",
            "The tunnel closed in June 2023 after a landslide damaged 300 metres of track.",
        ],
        "once": ["The regulator said 4.1 million tonnes of goods were carried"],
        "junk": [
            "Culture", "21.4 C", "Share on", "Copy link", "Sign up for our newsletter", "Related Articles",
            "Port of Halden posts record quarter", "Truck drivers strike", "Most Read",
            "Bank cuts mortgage rates",
            "+31 20 555 0199", "desk@meridiantimes.example", "© 2024", "Privacy Policy", "Back to top",
            "dataLayer", "querySelectorAll", "color: #333", "| Meridian Times",
        ],
        "url": "https://meridiantimes.example/business/2024/09/rail-freight-volumes-jump",
        "published": datetime.datetime(2024, 9, 17, 4, 45, tzinfo=datetime.UTC),
        "outlet": "Meridian Times",
        "byline": "Tomasz Weller",
    },
    {
        "file": "html_div_soup.html",
        "title": "Vaccination drive reaches 2 million children",
        "kept": [
            "Health workers vaccinated 2.04 million children against measles in the first three weeks of a "
            "national campaign, the health ministry said on Sunday.",
            "Mobile teams are visiting schools in 212 districts, the ministry said.",
        ],
        "once": ["The campaign aims to reach 3.5 million children under the age of 10"],
        "junk": [
            "cookies", "Accept all", "Opinion", "Sunday, November 3, 2024", "Telegram", "Tags:", "measles,",
            "Leave a Reply", "Your email address", "Popular News", "Fuel prices fall", "Stadium to host",
            "Copyright", "contact@coastline.example", "+1 415 555 0142", "@context", "- Coastline Daily",
        ],
        "url": None,
        "published": datetime.datetime(2024, 11, 3, 14, 20, tzinfo=datetime.UTC),
        "outlet": "Coastline Daily",
        "byline": "Rosa Malik",
    },
]


@pytest.mark.parametrize("case", HTML_CASES, ids=[c["file"] for c in HTML_CASES])
def test_html_pages_are_extracted(case: dict[str, Any]) -> None:
    result = extract_html((FIXTURES / case["file"]).read_text(encoding="utf-8"))
    assert result.title == case["title"]
    assert result.text.startswith(case["title"] + "\n\n")
    assert result.text.count(case["title"]) == 1
    for sentence in case["kept"]:
        assert sentence in result.text
    for sentence in case["once"]:
        assert result.text.count(sentence) == 1
    for junk in case["junk"]:
        assert junk not in result.text, junk
    assert not MARKUP.search(result.text)
    assert result.url == case["url"]
    assert result.published_at == case["published"]
    assert result.published_at is not None and result.published_at.tzinfo is not None
    assert result.outlet == case["outlet"]
    assert result.byline == case["byline"]


def test_fetched_url_is_used_when_the_page_names_none() -> None:
    html = f"<html><body><article><h1>Plan approved</h1><p>{SENTENCE}</p></article></body></html>"
    result = extract_html(html, url="https://news.example/plan")
    assert result.url == "https://news.example/plan"
    assert SENTENCE in result.text


def test_repeated_paragraphs_in_html_are_kept_once() -> None:
    html = (f"<html><body><article><h1>Plan approved</h1><p>{SENTENCE}</p><p>Opponents said they would "
            f"appeal within 30 days.</p><div class='mobile'><p>{SENTENCE}</p></div></article></body></html>")
    result = extract_html(html)
    assert result.text.count(SENTENCE) == 1
    assert "Opponents said they would appeal within 30 days." in result.text


MALFORMED = {
    "unclosed tags": f"<html><body><div><p>{SENTENCE}<p>The board signed off too.<div><span><b>bold",
    "deep nesting": "<html><body>" + "<div>" * 4000 + f"<p>{SENTENCE}</p>" + "</div>" * 12,
    "stray brackets": "<<<>>><</p><p<<div>>" * 40,
    "scripts only": "<html><head><script>var a = '<p>x</p>';</script></head><body><script>go()</script>",
    "unclosed script": f"<html><body><p>{SENTENCE}</p><script>var s = '<p>{SENTENCE}</p>';",
    "unclosed comment": f"<p>{SENTENCE}</p><!-- <p>hidden paragraph that should stay hidden here.</p>",
    "frameset": "<html><frameset><frame src='a.html'></frameset></html>",
    "xml declaration": f'<?xml version="1.0" encoding="utf-8"?><html><body><p>{SENTENCE}</p></body></html>',
    "plain text": SENTENCE,
    "nul character": f"<html>\x00<body><p>{SENTENCE}</p></body></html>",
}


@pytest.mark.parametrize("html", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_html_never_crashes_nor_leaks_markup(html: str) -> None:
    try:
        result = extract_html(html)
    except ExtractionError as exc:
        assert str(exc) == "no article body found"
        return
    assert result.text.strip()
    assert not MARKUP.search(result.text)
    assert "hidden paragraph" not in result.text


def test_malformed_pages_with_a_paragraph_still_yield_it() -> None:
    for key in ("unclosed tags", "deep nesting", "unclosed script", "xml declaration"):
        assert SENTENCE in extract_html(MALFORMED[key]).text, key


def test_empty_page_is_refused() -> None:
    with pytest.raises(ExtractionError, match="empty"):
        extract_html("   ")


# ---------------------------------------------------------------- decode_body

def test_valid_utf8_decodes() -> None:
    assert decode_body("Zürich – “quoted”".encode(), "utf-8") == "Zürich – “quoted”"


def test_latin1_page_decodes() -> None:
    assert decode_body("Café crème à 3 €".encode("cp1252"), "ISO-8859-1") == "Café crème à 3 €"
    assert decode_body("Señor Núñez".encode("latin-1"), "latin-1") == "Señor Núñez"


def test_meta_charset_is_used_when_the_header_names_none() -> None:
    data = '<meta charset="windows-1251"><p>Привет</p>'.encode("cp1251")
    assert decode_body(data, None) == '<meta charset="windows-1251"><p>Привет</p>'


def test_byte_order_marks_decide() -> None:
    assert decode_body(b"\xef\xbb\xbfhello", "iso-8859-1") == "hello"
    assert decode_body("hello".encode("utf-16"), None) == "hello"


def test_invalid_utf8_is_refused() -> None:
    with pytest.raises(ExtractionError, match=r"declares no charset and is not valid UTF-8 \(at byte 3\)"):
        decode_body("Café".encode("latin-1"), None)


def test_lying_charset_is_refused() -> None:
    with pytest.raises(ExtractionError, match="declares the charset utf-8, but its bytes are not valid"):
        decode_body("Café crème".encode("latin-1"), "utf-8")
    with pytest.raises(ExtractionError, match="declares the charset shift_jis"):
        decode_body(b"\x81\x20\xff\xfe\xa0", "shift_jis")
    with pytest.raises(ExtractionError, match="declares the charset utf-8"):
        decode_body(b'<meta charset="utf-8"><p>caf\xe9</p>', None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"abc\x00\x01\x02def", "binary data"),
        (bytes(range(1, 32)) * 20, "binary data"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"),
        (b"\x1f\x8b\x08\x00", "gzip-compressed data"),
        (b"", "empty"),
    ],
)
def test_binary_bodies_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ExtractionError, match=message):
        decode_body(data, "utf-8" if data.startswith(b"%PDF") else None)


def test_unknown_charset_label_falls_back_to_utf8() -> None:
    assert decode_body("naïve".encode(), "x-made-up") == "naïve"


_PIECES = st.sampled_from([
    "<div>", "</div>", "<p>", "</p>", "<script>", "</script>", "<!--", "-->", "<nav>", "</nav>", "<b>",
    "<li>",
    "<h1>", "</h1>", "<table><tr><td>", "&amp;", "&#8217;", "<", ">", "<p class='x'", "<?xml?>", "\x00",
    SENTENCE, "Share on Facebook", "Related Articles", "© 2024 Example", "Home", "\n",
])


@settings(max_examples=120, deadline=None, database=None)
@given(pieces=st.lists(st.one_of(_PIECES, st.text(max_size=30)), max_size=40))
def test_tag_soup_never_crashes_nor_leaks_markup(pieces: list[str]) -> None:
    try:
        result = extract_html("".join(pieces))
    except ExtractionError as exc:
        assert str(exc) in {"no article body found", "the page is empty"}
        return
    assert result.text.strip()
    assert not MARKUP.search(result.text)
