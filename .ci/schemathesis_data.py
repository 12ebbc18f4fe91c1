"""Known data for the fuzzer (.ci/schemathesis.sh), written into its configuration after the demo story is loaded.

Some rules of the API are about the data, and no OpenAPI schema can state them: a claim's quote must be found in
its article's text, a merge goes into another speaker that exists, pasted text or HTML must hold an article, a
claim is edited at the version it was read at, a ClaimReview exists only for a flag an editor has reviewed.
Schema-valid values drawn at random almost never meet them, and schemathesis then warns that every generated
request was refused ("schema validation mismatch", "missing test data"). Here real ids, versions, quotes and
article texts of the demo story are offered to those fields as dictionaries, drawn half of the time, so that the
fuzzer also reaches the code behind the rules; the other half stays random. One open flag is reviewed (dismissed)
through the service, so that a ClaimReview exists. A merge removes the speaker merged: a run that merges a few of
the demo's eight speakers early leaves later merges naming only speakers that are gone, so spare speakers are made
for merging (SPARE_SPEAKERS), through the service as an editor would.

    DJANGO_SETTINGS_MODULE=tracker.settings python .ci/schemathesis_data.py BASE_CONFIG OUT_CONFIG
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from claims import services  # noqa: E402
from claims.models import Article, Claim, Contradiction, Speaker  # noqa: E402

DRAWN = 0.5  # how often a bound field takes a known value rather than a generated one
SPARE_SPEAKERS = 60  # speakers made for merging, beside the demo's


def _toml_list(values: list[object]) -> str:
    return "[" + ", ".join(json.dumps(value, ensure_ascii=False) for value in values) + "]"


def main(base: Path, out: Path) -> None:
    editor = get_user_model().objects.get(username="editor")
    flag = Contradiction.objects.filter(status=Contradiction.Status.OPEN).order_by("id").first()
    if flag is None:
        sys.exit("schemathesis_data: the demo story has no open contradiction to review")
    services.contradiction_resolve(contradiction=flag, actor=editor, status="dismissed", note="fuzzing: reviewed")

    for n in range(1, SPARE_SPEAKERS + 1):
        services.speaker_get_or_create(name=f"Spare spokesperson {n}", actor=editor)
    speakers = list(Speaker.objects.order_by("id").values_list("id", flat=True))
    articles = list(Article.objects.filter(status=Article.Status.READY).order_by("id").values_list("id", flat=True))
    claims = list(Claim.objects.order_by("id").values_list("id", flat=True))
    versions = sorted(set(Claim.objects.values_list("version", flat=True)))
    quotes = sorted({quote for quote in Claim.objects.values_list("quote", flat=True) if 0 < len(quote) <= 200})
    # Pasted articles: each demo article's text with a line of its own, so that each is new once (a repeat is 409).
    bodies = list(Article.objects.filter(pk__in=articles).values_list("text", flat=True))
    texts = [f"{body}\n\nUpdate {n}: the figures above were checked again." for n in range(20) for body in bodies]
    pages = [_page(text) for text in texts]
    # Addresses the API takes (a public name, the default port); each new once. This machine cannot fetch them: a URL
    # alone becomes a failed article, which the API answers 201 all the same.
    urls = [f"https://news.example.org/{year}/port-strike-day-{n}" for year in (2024, 2025) for n in range(1, 101)]
    if len(speakers) < 2 or not articles or not quotes or not texts:
        sys.exit("schemathesis_data: the demo story lacks speakers, articles or quotes to offer")

    sections = [
        base.read_text(),
        "# Written by .ci/schemathesis_data.py: known ids and quotes of the demo story.",
        f"[dictionaries.speakers]\nvalues = {_toml_list(speakers)}",
        f"[dictionaries.articles]\nvalues = {_toml_list(articles)}",
        f"[dictionaries.quotes]\nvalues = {_toml_list(quotes)}",
        f"[dictionaries.texts]\nvalues = {_toml_list(texts)}",
        f"[dictionaries.pages]\nvalues = {_toml_list(pages)}",
        f"[dictionaries.urls]\nvalues = {_toml_list(urls)}",
        f"[dictionaries.reviewed]\nvalues = {_toml_list([flag.pk])}",
        f"[dictionaries.claims]\nvalues = {_toml_list(claims)}",
        f"[dictionaries.versions]\nvalues = {_toml_list(versions)}",
        _bind("POST /api/v1/speakers/{id}/merge/", {"path.id": "speakers", "body.into": "speakers"}),
        _bind("POST /api/v1/claims/", {"body.article": "articles", "body.quote": "quotes"}),
        _bind("POST /api/v1/articles/", {"body.text": "texts", "body.html": "pages", "body.url": "urls"}),
        _bind("GET /api/v1/contradictions/{id}/claimreview/", {"path.id": "reviewed"}),
        _bind("PATCH /api/v1/claims/{id}/", {"path.id": "claims", "body.version": "versions"}),
    ]
    out.write_text("\n\n".join(sections) + "\n")


def _page(text: str) -> str:
    """The text as a small web page: a headline and one paragraph per block (escaped)."""
    head, *blocks = [block for block in text.split("\n\n") if block.strip()]
    paragraphs = "".join(f"<p>{html.escape(block)}</p>" for block in blocks)
    return f"<html><body><article><h1>{html.escape(head)}</h1>{paragraphs}</article></body></html>"


def _bind(operation: str, fields: dict[str, str]) -> str:
    bindings = ", ".join(
        f'"{field}" = {{ dictionary = "{name}", probability = {DRAWN} }}' for field, name in fields.items()
    )
    return f'[[operations]]\ninclude-name = "{operation}"\nparameters = {{ {bindings} }}'


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
