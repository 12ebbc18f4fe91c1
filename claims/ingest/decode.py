"""Fetched or uploaded bytes to text: the declared charset when it holds, a detected one when it does not.

The charset in force is, in order: a byte order mark, the declared one (the Content-Type header's, else the
page's own <meta charset> or XML declaration), else UTF-8. Pages lie about it or say nothing: when the bytes
are not valid in the charset in force, charset-normalizer (installed with trafilatura) names the encoding
they are valid in -- but only given enough non-ASCII bytes to tell encodings apart. With a handful of accented
bytes every single-byte charset reads them as some letter, so the page is refused with the reason instead of
being stored with a guessed letter in a quote. A single-byte declaration never fails to decode, so it is checked
by its result: C1 control characters or text charset-normalizer finds chaotic in it (a cp1251 page labelled
iso-8859-1) send the page to detection too.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from claims.ingest.result import ExtractionError

__all__ = ["decode_body"]

_BINARY_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"RIFF", "a media file"),
    (b"\x00\x00\x00", "a media file"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_CHARSET = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)
# The web platform reads these labels as windows-1252; servers send them for pages that use its extras.
_WINDOWS_1252_ALIASES = frozenset({"iso8859_1", "ascii", "cp1252"})
# Fewer non-ASCII bytes than this and a detector is guessing: "caf\xe9" is café in cp1252, cafщ in cp1251.
MIN_EVIDENCE_BYTES = 8
_HIGH_BYTES = re.compile(rb"[\x80-\xff]")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_SAMPLE_BYTES = 256 * 1024  # detection cost grows with size; a page's charset shows in its first part
_C1_OR_REPLACEMENT = re.compile("[\x80-\x9f\ufffd]")
_CHAOS_SAMPLE_BYTES = 64 * 1024  # a wrong charset shows in every paragraph: the first ones are enough
_CHAOS = 0.1  # charset-normalizer's mess ratio above which text read in a charset is not text in it


def decode_body(data: bytes, declared_charset: str | None) -> str:
    """Decode a fetched body; refuse binary data and bytes no charset reads with confidence."""
    if not data:
        raise ExtractionError("the page is empty")
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise ExtractionError(f"the address returned {what}, not a web page")
    if data.startswith(codecs.BOM_UTF8):
        return _decode(
            data[len(codecs.BOM_UTF8) :], "utf_8", "the page starts as UTF-8 but its bytes are not valid UTF-8"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf_16", "the page starts as UTF-16 but its bytes are not valid UTF-16")
    label = declared_charset or _sniff_charset(data[:4096])
    codec = _lookup(label) if label else None
    if codec is None:
        if b"\x00" in data:
            raise ExtractionError("the page is binary data, not text")
        if label:
            # An unknown label tells us nothing; UTF-8 is what the page most likely is.
            return _decode(data, "utf_8", f"the page declares an unknown charset {label!r} and is not valid UTF-8")
        return _decode(data, "utf_8", "the page declares no charset and is not valid UTF-8")
    if b"\x00" in data and not codec.startswith("utf_16") and not codec.startswith("utf_32"):
        raise ExtractionError("the page is binary data, not text")
    # Every byte is valid in a single-byte charset, so a wrong label never fails to decode. Bytes that are
    # valid UTF-8 with multi-byte sequences are UTF-8: a real single-byte text almost never is.
    if (codec in _WINDOWS_1252_ALIASES or _is_single_byte(codec)) and _UTF8_MULTIBYTE.search(data):
        try:
            return _check_text(data.decode("utf_8"))
        except UnicodeDecodeError:
            pass
    if codec in _WINDOWS_1252_ALIASES:
        try:
            text, codec = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text = data.decode("latin_1")
        return _check_text(_unless_wrong(text, data, codec))
    if _is_single_byte(codec):
        return _check_text(_unless_wrong(data.decode(codec, errors="replace"), data, codec))
    return _decode(data, codec, f"the page declares the charset {label}, but its bytes are not valid {label}")


def _unless_wrong(text: str, data: bytes, codec: str) -> str:
    """`text` (`data` read in the declared single-byte `codec`), or the page in the charset detected when the
    declaration is wrong: a single-byte charset reads any bytes, so a wrong one shows only in the result --
    C1 control characters (bytes a windows-125x page uses for letters and punctuation), a replacement
    character, or text that charset-normalizer finds chaotic in that charset (Cyrillic read as Latin accents)."""
    if len(_HIGH_BYTES.findall(data[:_SAMPLE_BYTES])) < MIN_EVIDENCE_BYTES:
        return text  # too few bytes to tell charsets apart: the declaration stands
    if not (_C1_OR_REPLACEMENT.search(text) or _chaotic(data, codec)):
        return text
    return _detect(data, exclude=codec, near=text) or text


def _differences(data: bytes, encoding: str, near: str) -> int:
    sample = data[:_SAMPLE_BYTES].decode(encoding, errors="replace")
    return sum(1 for a, b in zip(sample, near, strict=False) if a != b) + abs(len(sample) - len(near[: len(sample)]))


def _chaotic(data: bytes, codec: str) -> bool:
    match = from_bytes(data[:_CHAOS_SAMPLE_BYTES], cp_isolation=[codec]).best()
    return match is None or match.chaos > _CHAOS


def _is_single_byte(codec: str) -> bool:
    return codec.startswith(("cp125", "iso8859", "koi8", "mac_", "latin"))


def _lookup(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip().strip("\"'")).name.replace("-", "_")
    except LookupError:
        return None


def _sniff_charset(head: bytes) -> str | None:
    m = _META_CHARSET.search(head) or _XML_CHARSET.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def _decode(data: bytes, codec: str, problem: str) -> str:
    """`data` in `codec`; when it is not valid there, in the charset detected with confidence, else refused."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        detected = _detect(data, exclude=codec)
        if detected is None:
            raise ExtractionError(f"{problem} (at byte {exc.start})") from None
        text = detected
    return _check_text(text)


def _detect(data: bytes, *, exclude: str, near: str | None = None) -> str | None:
    """`data` in the charset detected with confidence. Latin text scores the same in several single-byte
    charsets: the one whose reading is nearest `near` (the wrong declaration's, which is right for most letters)
    breaks the tie, else the web's own default."""
    if len(_HIGH_BYTES.findall(data[:_SAMPLE_BYTES])) < MIN_EVIDENCE_BYTES:
        return None
    matches = list(from_bytes(data[:_SAMPLE_BYTES]))
    if not matches:
        return None
    best = matches[0]
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    if near is not None and len(tied) > 1:
        chosen = min(tied, key=lambda m: _differences(data, m.encoding, near))
    else:
        chosen = next((m for m in tied if m.encoding == "cp1252"), best)
    codec = _lookup(chosen.encoding)
    if codec is None or codec == exclude:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None  # the sample was valid in it, the rest of the page is not


def _check_text(text: str) -> str:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        raise ExtractionError("the page is binary data, not text")
    return text
