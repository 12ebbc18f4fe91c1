"""JSON in and out of the API, hardened: every malformed body is a 400, and every answer can be encoded.

- Python's json module recurses once per nesting level, so a body of `[[[[...` a hundred thousand deep escaped
  from DRF's parser as a RecursionError (a 500); it is a parse error like any other.
- A JSON string may carry a lone surrogate (`"\\ud800"`), which is not text. Where a serializer echoes such input
  in an error message (an unknown field's name, an invalid choice), UTF-8 cannot encode the answer; it is then sent
  with non-ASCII characters escaped, which JSON allows.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer


class SafeJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply") from None


class _AsciiJSONRenderer(JSONRenderer):
    ensure_ascii = True


class SafeJSONRenderer(JSONRenderer):
    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return _AsciiJSONRenderer().render(data, accepted_media_type, renderer_context)
