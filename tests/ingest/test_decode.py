"""Bytes to text: the declared charset when it holds, a detected one when it does not (claims.ingest.decode)."""

from __future__ import annotations

import pytest

from claims.ingest.clean import ExtractionError
from claims.ingest.decode import MIN_EVIDENCE_BYTES, decode_body

RUSSIAN = (
    "<html><head><title>Новости</title></head><body><p>Правительство в среду объявило о новых мерах "
    "поддержки экономики, сообщили в министерстве.</p></body></html>"
)
JAPANESE = "<p>政府は水曜日、経済を支援するための新たな措置を発表しました。東京の株価は上昇した。</p>"
PORTUGUESE = (
    "<p>O governo anunciou ontem novas medidas econômicas para a região, após reunião com ministros e "
    "sindicatos, e a população está apreensiva com a situação.</p>"
)


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        (RUSSIAN, "cp1251"),
        (RUSSIAN, "koi8_r"),
        (JAPANESE, "shift_jis"),
        (JAPANESE, "euc_jp"),
        (PORTUGUESE, "latin_1"),
    ],
)
def test_undeclared_non_utf8_page_is_detected(text: str, charset: str) -> None:
    assert decode_body(text.encode(charset), None) == text


@pytest.mark.parametrize(("text", "charset"), [(RUSSIAN, "cp1251"), (JAPANESE, "shift_jis"), (PORTUGUESE, "cp1252")])
def test_wrong_declared_charset_is_overridden_by_detection(text: str, charset: str) -> None:
    assert decode_body(text.encode(charset), "utf-8") == text


@pytest.mark.parametrize("declared", ["iso-8859-1", "windows-1252", "windows-1251"])
def test_utf8_bytes_under_a_single_byte_label_are_read_as_utf8(declared: str) -> None:
    for text in (RUSSIAN, JAPANESE, PORTUGUESE):
        assert decode_body(text.encode(), declared) == text


def test_meta_charset_still_decides_when_it_is_right() -> None:
    data = f'<meta charset="windows-1251">{RUSSIAN}'.encode("cp1251")
    assert decode_body(data, None).endswith(RUSSIAN)


def test_too_few_non_ascii_bytes_to_tell_is_refused_with_the_reason() -> None:
    data = "<p>Café prices rose by 12 percent</p>".encode("latin-1")
    assert data.count(b"\xe9") < MIN_EVIDENCE_BYTES
    with pytest.raises(ExtractionError, match=r"declares no charset and is not valid UTF-8 \(at byte 6\)"):
        decode_body(data, None)
    with pytest.raises(ExtractionError, match=r"declares the charset utf-8, but its bytes are not valid utf-8"):
        decode_body(data, "utf-8")


def test_binary_data_is_still_refused() -> None:
    with pytest.raises(ExtractionError, match="binary"):
        decode_body(bytes(range(128, 256)) * 40 + b"\x00", None)
    with pytest.raises(ExtractionError, match="a PNG image"):
        decode_body(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), None)


BULGARIAN = (
    "<html><body><p>Общинският съвет одобри в четвъртък ремонта на старата гара, който ще струва "
    "повече от два милиона лева и ще започне през есента.</p></body></html>"
)
CZECH = (
    "<p>Městská rada ve čtvrtek schválila opravu starého nádraží, která bude stát více než dva miliony "
    "korun a začne na podzim.</p>"
)


@pytest.mark.parametrize(
    ("text", "actual", "declared"),
    [
        (RUSSIAN, "cp1251", "iso-8859-1"),
        (RUSSIAN, "cp1251", "windows-1252"),
        (BULGARIAN, "cp1251", "latin1"),
        (RUSSIAN, "koi8_r", "windows-1251"),
        (CZECH, "cp1250", "iso-8859-2"),
    ],
)
def test_a_wrong_single_byte_declaration_is_detected(text: str, actual: str, declared: str) -> None:
    assert decode_body(text.encode(actual), declared) == text


@pytest.mark.parametrize(
    ("text", "charset"),
    [(PORTUGUESE, "iso-8859-1"), (PORTUGUESE, "windows-1252"), (RUSSIAN, "windows-1251"), (CZECH, "iso-8859-2")],
)
def test_a_right_single_byte_declaration_stands(text: str, charset: str) -> None:
    assert decode_body(text.encode(charset), charset) == text
