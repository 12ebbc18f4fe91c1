"""Per page of the fixture corpus (tests/fixtures/pages/): the project's extractor keeps the expected body
(recall >= 0.98), little else (precision >= 0.9), none of the page's junk, and no less of the body than plain
``trafilatura.extract`` on the same page (lines the fixture declares as junk aside). See tests/ingest/corpus.py
for the measure and `python -m tests.ingest.corpus` for a summary."""

from __future__ import annotations

import pytest

from tests.ingest import corpus

PAGES = corpus.load_pages()


def test_corpus_is_large_and_varied() -> None:
    assert len(PAGES) >= 60
    assert len({p.language for p in PAGES}) >= 6
    assert {"zh", "ja", "ko", "ru"} <= {p.language for p in PAGES}
    shapes = {p.shape.split("/")[0] for p in PAGES}
    assert {"wordpress", "nextjs", "drupal", "ghost", "amp", "google-cache", "paste"} <= shapes
    assert {"paste/plain", "paste/markup"} <= {p.shape for p in PAGES}
    for page in PAGES:
        body = page.body.casefold()
        assert page.expected and page.junk, page.name
        assert not [j for j in page.junk if j.casefold() in body], f"{page.name}: a junk string is in the body"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page(page: corpus.Page) -> None:
    got = corpus.extract_project(page)
    ours = corpus.score(page.body, got)
    problems = []
    if ours.recall < corpus.RECALL_MIN:
        lost = corpus.missing_lines(page.expected, got)
        problems.append(f"recall {ours.recall:.3f} < {corpus.RECALL_MIN}; lines lost (wholly or partly): {lost}")
    if ours.precision < corpus.PRECISION_MIN:
        problems.append(f"precision {ours.precision:.3f} < {corpus.PRECISION_MIN}")
    junk = corpus.kept_junk(got, page.junk)
    if junk:
        problems.append(f"junk kept: {junk}")
    compared = corpus.score(page.body, corpus.without_junk_lines(got, page.junk)).recall
    reference = corpus.score(page.body, corpus.without_junk_lines(corpus.extract_reference(page), page.junk)).recall
    if compared < reference - corpus.REFERENCE_TOLERANCE:
        problems.append(f"keeps less than trafilatura.extract: recall {compared:.3f} against {reference:.3f}")
    assert not problems, f"{page.name} ({page.shape}, {page.kind}, {page.language}):\n" + "\n".join(problems)
