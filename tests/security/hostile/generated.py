"""The large hostile articles, built rather than stored: deep nesting, huge attributes, megabytes of repetition."""

from __future__ import annotations

LEAD = (
    "<h1>Dock cranes replaced</h1><p>The port replaced 14 cranes in 2024 at a cost of 60 million, officials said.</p>"
)


def deep_nesting(depth: int = 10_000) -> str:
    """10,000 nested divs (and an unclosed variant's worth of inline tags) around a payload."""
    payload = "<p>Deep inside: 7 cranes were idle.<img src=x onerror=\"window.__pwned='deep'\"></p>"
    return (
        f"<html><head><title>Dock cranes replaced</title></head><body><article>{LEAD}"
        + "<div>" * depth
        + payload
        + "</div>" * depth
        + "<b><i><u>" * 2_000
        + "unclosed inline tags"
        + "</article></body></html>"
    )


def huge_attributes() -> str:
    """Attributes of most of a megabyte, one of them an event handler, plus a very long href."""
    filler = "A" * 900_000
    return (
        f"<html><head><title>Cranes</title></head><body><article>{LEAD}"
        f'<p title="{filler}" onmouseover="window.__pwned=\'huge\'">Cranes moved 80,000 containers.</p>'
        f'<a href="javascript:alert(1)//{"x" * 500_000}">long link</a>'
        f'<p data-x="{"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" * 10_000}">Another 9 cranes.</p>'
        "</article></body></html>"
    )


def repetition(megabytes: float = 1.9) -> str:
    """Zip-bomb-like: one short sentence repeated to almost the API's input limit (2,000,000 characters)."""
    sentence = "The port handled 9,000 containers on Monday <script>window.__pwned='rep'</script>. "
    count = int(megabytes * 1_000_000 / len(sentence))
    return "Container volumes hold steady\n\n" + sentence * count


def many_paragraphs(count: int = 50_000) -> str:
    """Text with a very large number of tiny paragraphs (each its own element on the annotation page)."""
    return "Berth numbers listed\n\n" + "\n\n".join(f"Berth {n} <b onclick=alert({n})>" for n in range(count))


GENERATED = {
    "deep_nesting.html": deep_nesting,
    "huge_attributes.html": huge_attributes,
    "repetition.txt": repetition,
    "many_paragraphs.txt": many_paragraphs,
}
