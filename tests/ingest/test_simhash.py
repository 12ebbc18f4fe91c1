"""SimHash over word shingles (claims.ingest.simhash) and the change summary between versions (changes): pure."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from claims.ingest import simhash as sh
from claims.ingest.changes import describe_changes, sentences

# Our own fixture article: a few hundred words about a made-up ferry strike.
ARTICLE = """Ferry crews on the northern routes walked out on Monday morning, leaving about 1,150 passengers stranded
at three terminals, the operator said in a statement.

The union representing deck officers said the stoppage would continue until the company withdrew a plan to cut
night-shift allowances, which it says would cost each member roughly 3,200 euros a year.

A spokesman for the operator, Halvard Ness, said the company had offered to phase the change in over two years and
called the strike "disproportionate". He said talks could resume as early as Wednesday if the union agreed.

Passengers queued for hours at the main terminal, where volunteers handed out water and blankets. Several families
said they had not been told about the cancellations until they arrived at the quay.

The regional transport authority said it had chartered two smaller vessels to carry medical staff and supplies to
the islands, and that school trips planned for the week had been postponed.

Local businesses on the islands, which depend on the daily crossings for fresh produce, warned that shelves could
be empty within days. One grocer said deliveries had already fallen by half since the dispute began in March.

The strike is the third this year on the northern routes. An earlier walkout in April ended after four days when
both sides accepted an independent mediator, whose report has not been published.

Union officials said they remained open to mediation but would not accept any cut to allowances without a written
guarantee on staffing levels for the winter timetable."""

OTHER = """City engineers closed the old stone bridge over the river on Friday after divers found cracks in two of
its supporting piers, diverting around 9,000 vehicles a day onto the ring road.

The council said the bridge, built in 1874, would stay shut for at least six weeks while a specialist firm assessed
whether the piers could be strengthened or had to be rebuilt from the riverbed up.

Shopkeepers on the western bank said footfall had dropped sharply within hours of the closure, and asked the
council for a temporary footbridge. A council spokeswoman said a footbridge was being considered but would need
approval from the river authority, which has raised concerns about flood flows.

Commuters faced delays of up to forty minutes on the ring road during the evening rush hour, and bus operators
said several routes would be diverted until further notice. Cyclists were advised to use the railway crossing.

An inspection two years ago rated the bridge in fair condition. Engineers said the cracks may have been caused by
scouring after last winter's floods, which left debris piled against the piers for several weeks."""


def test_same_text_rewrapped_or_recased_has_the_same_hash() -> None:
    rewrapped = " ".join(ARTICLE.split())
    assert sh.simhash(rewrapped) == sh.simhash(ARTICLE)
    assert sh.simhash(ARTICLE.upper()) == sh.simhash(ARTICLE)


BOILERPLATE = [
    "Follow our live coverage for further updates throughout the day.",
    "Share this story with your friends.",
    "Sign up for our daily newsletter to get the top stories.",
    "Read more: latest news from the region",
    "Photo: Reuters",
    "This article was updated at 10:45 GMT.",
]


def test_a_boilerplate_line_more_mostly_stays_within_the_threshold() -> None:
    original = sh.simhash(ARTICLE)
    distances = [
        sh.hamming(original, sh.simhash(text))
        for line in BOILERPLATE
        for text in (ARTICLE + "\n" + line, line + "\n" + ARTICLE)
    ]
    within = sum(distance <= sh.MAX_DISTANCE for distance in distances)
    assert within >= len(distances) * 3 // 4, distances
    # Those left out are still much closer than a different article.
    assert max(distances) < sh.hamming(original, sh.simhash(OTHER)) // 3


def test_unrelated_articles_are_far_apart() -> None:
    assert sh.hamming(sh.simhash(ARTICLE), sh.simhash(OTHER)) > 10


def test_random_texts_are_about_half_the_bits_apart() -> None:
    rng = random.Random(7)
    vocabulary = ARTICLE.split() + OTHER.split()
    distances = []
    for _ in range(40):
        a = " ".join(rng.choices(vocabulary, k=200))
        b = " ".join(rng.choices(vocabulary, k=200))
        distances.append(sh.hamming(sh.simhash(a), sh.simhash(b)))
    assert min(distances) > sh.MAX_DISTANCE
    assert 24 <= sum(distances) / len(distances) <= 40


def test_shingles() -> None:
    assert sh.shingles("One, two three! Two three") == {"one two": 1, "two three": 2, "three two": 1}
    assert sh.shingles("One, two three! Four", size=3) == {"one two three": 1, "two three four": 1}
    assert sh.shingles("Alone") == {"alone": 1}
    assert sh.shingles("  ... ") == {}
    assert sh.simhash("") == 0


def test_signed_conversion_fits_a_postgres_bigint() -> None:
    assert sh.to_signed(2**64 - 1) == -1
    assert sh.to_signed(2**63) == -(2**63)
    assert sh.to_signed(5) == 5
    assert sh.to_unsigned(-1) == 2**64 - 1
    for bad in (-1, 2**64):
        try:
            sh.to_signed(bad)
        except ValueError as exc:
            assert str(bad) in str(exc)
        else:
            raise AssertionError(f"{bad} was accepted")


def test_figures_differ_only_when_a_number_moved() -> None:
    assert sh.figures_differ("about 2,400 troops", "about 2,500 troops")
    assert not sh.figures_differ("about 2,400 troops", "about 2,400 troops. Updated 10:45")
    assert not sh.figures_differ("no figures", "none here either")


@given(st.integers(0, 2**64 - 1))
def test_property_signed_round_trip_and_bands(value: int) -> None:
    signed = sh.to_signed(value)
    assert -(2**63) <= signed < 2**63
    assert sh.to_unsigned(signed) == value
    pieces = sh.bands(value)
    assert len(pieces) == sh.BANDS and all(0 <= piece < 2**16 for piece in pieces)
    assert sum(piece << (16 * i) for i, piece in enumerate(pieces)) == value
    assert sh.bands(signed) == pieces


@given(st.integers(0, 2**64 - 1), st.sets(st.integers(0, 63), max_size=sh.MAX_DISTANCE))
def test_property_hashes_within_the_threshold_share_a_band(value: int, flips: set[int]) -> None:
    other = value
    for bit in flips:
        other ^= 1 << bit
    assert sh.hamming(value, other) == len(flips)
    assert sh.hamming(sh.to_signed(value), sh.to_signed(other)) == len(flips)
    assert any(a == b for a, b in zip(sh.bands(value), sh.bands(other), strict=True))


@given(st.lists(st.sampled_from(ARTICLE.split()), min_size=1, max_size=120), st.sampled_from([" ", "\n", "  \t"]))
def test_property_whitespace_never_changes_the_hash(words: list[str], space: str) -> None:
    assert sh.simhash(space.join(words)) == sh.simhash(" ".join(words))


# ---------------------------------------------------------------------------------------------- change summary


def test_a_moved_figure_is_reported_with_its_sentence() -> None:
    new = ARTICLE.replace("about 1,150 passengers", "about 1,400 passengers")
    changes = describe_changes(ARTICLE, new)
    assert [(n["old"], n["new"]) for n in changes["numbers"]] == [("1,150", "1,400")]
    assert "1,400 passengers" in changes["numbers"][0]["new_sentence"]
    assert changes["summary"].startswith("1 figure changed")
    assert changes["added"] == [] and changes["removed"] == []


def test_added_and_removed_sentences() -> None:
    new = ARTICLE.replace("The strike is the third this year on the northern routes. ", "") + (
        "\n\nThe operator later said a first ferry would sail at 6 p.m."
    )
    changes = describe_changes(ARTICLE, new)
    assert changes["added"] == ["The operator later said a first ferry would sail at 6 p.m."]
    assert changes["removed"] == ["The strike is the third this year on the northern routes."]
    assert changes["numbers"] == []
    assert changes["chars"] == [len(ARTICLE), len(new)]


def test_whitespace_only_is_not_a_content_change() -> None:
    changes = describe_changes(ARTICLE, ARTICLE.replace("\n\n", "\n"))
    assert changes["summary"] == "whitespace or layout only"
    assert sentences("One. Two!\n\nThree") == ["One.", "Two!", "Three"]


def test_a_rewritten_page_makes_a_bounded_record() -> None:
    old = " ".join(f"Sentence number {i} says {i * 3} things." for i in range(400))
    new = " ".join(f"Line {i} now reads {i * 7} items." for i in range(400))
    changes = describe_changes(old, new)
    for key in ("numbers", "changed", "added", "removed"):
        assert len(changes[key]) <= 50


def _naive_simhash(text: str) -> int:
    """The definition, bit by bit: the implementation counts columns in bulk and must agree with it."""
    weights = [0] * 64
    for shingle, count in sh.shingles(text).items():
        value = sh._hash64(shingle)
        for bit in range(64):
            weights[bit] += count if value >> bit & 1 else -count
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


@given(st.lists(st.sampled_from(ARTICLE.split() + OTHER.split()), max_size=300).map(" ".join))
def test_property_simhash_is_the_weighted_majority_of_shingle_hash_bits(text: str) -> None:
    assert sh.simhash(text) == _naive_simhash(text)
