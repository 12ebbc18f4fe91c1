"""Throughput of extract_html on realistic pages: `python bench/bench_extract.py [-n 300] [--seed 7]`.

Pages are synthetic, 5-30 KB: navigation, inline scripts and styles, a cookie banner, share widgets,
related-story lists, comments, a footer with contacts around 6-45 paragraphs of prose with numbers.
Runs on one core, in process; prints wall-clock and CPU-time throughput (the machine may be shared).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.ingest.extract import extract_html  # noqa: E402

SUBJECTS = ["The ministry", "Regional officials", "The central bank", "A spokeswoman for the council",
            "Union leaders", "The port authority", "Hospital managers", "The court", "Police", "Analysts"]
VERBS = ["said on Tuesday that", "told reporters that", "warned that", "confirmed that", "estimated that",
         "announced that", "denied reports that", "argued that"]
OBJECTS = ["{n} people had been affected by the change", "prices rose {p} percent in {m}",
           "the project would cost {n} million euros", "talks would resume on {m} {d}",
           "about {n} workers joined the strike", "the budget gap reached {p} percent of output",
           "{n} homes were still without power", "the plan had been delayed until {y}"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
HEADLINE_WORDS = ["Council", "Budget", "Strike", "Port", "Rates", "Storm", "Election", "Rail", "Water",
                  "Hospital", "Talks", "Court", "Prices", "Airport", "Schools"]


def sentence(rng: random.Random) -> str:
    obj = rng.choice(OBJECTS).format(n=rng.randint(2, 9000), p=round(rng.uniform(0.5, 12), 1),
                                     m=rng.choice(MONTHS), d=rng.randint(1, 28), y=rng.randint(2024, 2030))
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {obj}."


def headline(rng: random.Random) -> str:
    words = rng.sample(HEADLINE_WORDS, 4)
    return f"{words[0]} {words[1].lower()} plan hits {rng.randint(2, 900)} {words[2].lower()} target"


def page(rng: random.Random) -> str:
    title = headline(rng)
    paragraphs = "\n".join(
        f"<p>{' '.join(sentence(rng) for _ in range(rng.randint(1, 4)))}</p>"
        for _ in range(rng.randint(6, 45))
    )
    nav = "".join(f'<li><a href="/s/{w.lower()}">{w}</a></li>' for w in HEADLINE_WORDS * 2)
    related = "".join(f'<li><a href="/r/{i}">{headline(rng)}</a></li>' for i in range(rng.randint(5, 15)))
    comments = "".join(
        f'<div class="comment"><b>reader{i}</b><p>{sentence(rng)}</p><a>Reply</a></div>'
        for i in range(rng.randint(0, 16))
    )
    script = "var cfg = " + repr({f"k{i}": rng.random() for i in range(rng.randint(60, 600))}) + ";"
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} | Daily Example</title>
<meta property="og:site_name" content="Daily Example">
<link rel="canonical" href="https://daily.example/news/{rng.randint(1, 10**6)}">
<meta property="article:published_time" content="2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T08:00:00Z">
<style>body {{ font: 16px serif }} .nav li {{ display: inline }} .share a {{ margin: 2px }}</style>
<script>{script}</script></head><body>
<header><div class="weather">{round(rng.uniform(-5, 35), 1)} C</div>
<nav><ul class="nav">{nav}</ul></nav></header>
<div class="cookie">We use cookies to improve your experience. <button>Accept</button></div>
<main><article><h1>{title}</h1><div class="byline">By Sam Writer | June {rng.randint(1, 28)}, 2024</div>
<div class="share"><a>Share on Facebook</a><a>Share on X</a><a>Share on WhatsApp</a></div>
{paragraphs}
<div class="tags">Tags: <a>news</a>, <a>economy</a>, <a>region</a></div></article>
<section class="comments"><h3>Leave a Reply</h3>{comments}</section>
<aside><h3>Related Articles</h3><ul>{related}</ul></aside></main>
<footer><p>Daily Example, 1 Main Street. Tel +1 202 555 0100. news@daily.example</p>
<p>© 2024 Daily Example. All rights reserved.</p><ul class="nav">{nav}</ul></footer>
<script>document.querySelectorAll('.share a').forEach(function (a) {{ a.onclick = track; }});</script>
</body></html>"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", type=int, default=300, help="articles to extract")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pages = [page(rng) for _ in range(args.n)]
    extract_html(pages[-1])  # first call pays for lazy imports inside trafilatura
    timings: list[float] = []
    cpu_started = time.process_time()
    started = time.perf_counter()
    for html in pages:
        t0 = time.perf_counter()
        extract_html(html)
        timings.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    sizes = sorted(len(p.encode()) for p in pages)
    quantiles = statistics.quantiles(timings, n=100)
    kb = [size / 1024 for size in sizes]
    print(f"pages: {len(pages)}  size KB: min {kb[0]:.1f}  median {kb[len(kb) // 2]:.1f}  max {kb[-1]:.1f}")
    print(f"throughput: {len(pages) / elapsed:.1f} articles/s wall-clock, {len(pages) / cpu:.1f} articles/s "
          "per CPU-second (one core)")
    print(f"latency ms: p50 {quantiles[49]:.1f}  p95 {quantiles[94]:.1f}  max {max(timings):.1f}")


if __name__ == "__main__":
    main()
