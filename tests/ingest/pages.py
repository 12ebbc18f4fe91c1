"""Fixture articles written for these tests: a few stories, each as an HTML page or a pasted text with the
kinds of junk real pages carry (menus, share buttons, contact blocks, "Popular News" lists)."""

from __future__ import annotations

from html import escape

STORIES: dict[str, tuple[str, list[str]]] = {
    "ferry": (
        "Island ferry timetable cut as fuel costs climb",
        [
            "The operator of the northern island ferry will run 14 crossings a week from May, down from 21, "
            "its chief executive Ilse Marwick said on Tuesday.",
            "Fuel now accounts for about 40 percent of the service's running costs, according to figures the "
            "company filed with the regional transport board in March.",
            "Residents of the three islands said the cut would leave commuters stranded on winter evenings, and "
            "a petition against it had gathered more than 2,300 signatures by Thursday.",
        ],
    ),
    "orchard": (
        "Frost wipes out half of the valley's cherry harvest",
        [
            "Growers in the upper valley expect to pick roughly 1,800 tonnes of cherries this summer, half of "
            "last year's crop, after three nights of frost in early April.",
            "The growers' cooperative said 62 of its 140 member farms had lost most of their blossom, and that "
            "insurance would cover only part of the damage.",
            "An agronomist at the regional college, Pavel Okonjo, said the frost came two weeks later than the "
            "valley's usual last cold snap, when the trees were already in full flower.",
        ],
    ),
    "library": (
        "City library reopens after two-year renovation",
        [
            "The central library reopened on Saturday after a renovation that took two years and cost 11.5 "
            "million euros, twice the budget the council approved in 2021.",
            "The building now holds a makerspace, 40 study rooms and a rooftop reading garden, the head "
            "librarian Joana Ferreira told visitors at the opening.",
            "Council officials said the overrun came from asbestos found in the old roof and a steel price "
            "spike during the first year of work.",
        ],
    ),
}

JUNK_TOP = ["Home", "News", "Sport", "Weather", "Share on Facebook", "Share on Twitter"]
JUNK_BOTTOM = [
    "Contact us: newsdesk@coastpost.example +44 20 7946 0321",
    "Popular News",
    "Mayor unveils 900 new parking spaces downtown",
    "Subscribe to our newsletter",
]


def article_text(key: str) -> str:
    title, paragraphs = STORIES[key]
    return "\n".join([*JUNK_TOP, title, *paragraphs, *JUNK_BOTTOM]) + "\n"


def article_html(key: str) -> str:
    title, paragraphs = STORIES[key]
    nav = "".join(f"<li><a href='/{escape(word.lower())}'>{escape(word)}</a></li>" for word in JUNK_TOP)
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    aside = "".join(f"<li>{escape(line)}</li>" for line in JUNK_BOTTOM)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)} | Coast Post</title></head>"
        f"<body><nav><ul>{nav}</ul></nav><article><h1>{escape(title)}</h1>{body}</article>"
        f"<aside><ul>{aside}</ul></aside><footer>© Coast Post</footer></body></html>"
    )


def first_sentence(key: str) -> str:
    return STORIES[key][1][0]
