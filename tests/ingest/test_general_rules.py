"""The cleaner's rules hold on pages and languages it has never seen: furniture phrases drop furniture, not the
sentences that happen to use their words; prose is recognised in scripts without letter case; length is measured
fairly for languages written without spaces."""

from __future__ import annotations

from html import escape

import pytest

from claims.ingest import text_blocks as tb
from claims.ingest.clean import clean_text
from claims.ingest.extract import extract_html

FILLER = [
    "The regional council met for six hours on Tuesday to settle the dispute over the harbour road.",
    "Several members asked for the vote to be delayed until the engineers had finished their survey.",
    "In the end the motion passed with a narrow majority, and work is expected to begin in the spring.",
    "Residents who live along the road said they had been waiting for a decision for almost ten years.",
]


def _page(title: str, paragraphs: list[str], *, extra: str = "", lang: str = "en") -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f'<body><nav><a href="/">Home</a> <a href="/news">News</a></nav><main><article><h1>{escape(title)}</h1>'
        f"{body}{extra}</article></main><footer><a href='/about'>About us</a></footer></body></html>"
    )


def _middle(sentence: str, filler: list[str] = FILLER) -> list[str]:
    return [*filler[:2], sentence, *filler[2:]]


# ---------------------------------------------------------------- 1. furniture phrases inside the body

MID_BODY_SENTENCES = [
    "Voters must sign up for the new register by Friday.",
    "Twitter's share price fell 5% on Monday.",
    "The company's own newsletter reported a loss.",
    "All rights reserved under the old lease were transferred to the tenants' association in May.",
]


@pytest.mark.parametrize("sentence", MID_BODY_SENTENCES)
def test_a_furniture_phrase_in_a_body_sentence_keeps_the_sentence(sentence: str) -> None:
    paragraphs = _middle(sentence)
    extracted = extract_html(_page("Council settles harbour road dispute", paragraphs))
    assert sentence in extracted.text.split("\n\n")
    pasted = clean_text("\n\n".join(["Council settles harbour road dispute", *paragraphs]))
    assert sentence in pasted.text.split("\n\n")


INTL = [
    (
        "de",
        [
            "Der Stadtrat hat am Dienstag über den neuen Haushalt für die Schulen der Stadt beraten.",
            "Mehrere Fraktionen verlangten eine längere Frist für die Prüfung der vorgelegten Zahlen.",
            "Die Eltern wurden per E-Mail über die geänderten Öffnungszeiten der Schule informiert.",
            "Eine endgültige Entscheidung soll nach Angaben der Verwaltung im kommenden Monat fallen.",
            "Bis dahin bleiben die bisherigen Regeln für alle Schulen der Stadt weiterhin in Kraft.",
        ],
    ),
    (
        "ru",
        [
            "Городская дума во вторник обсудила план ремонта мостов через реку в этом году.",
            "Депутаты попросили мэрию представить подробную смету работ до конца месяца.",
            "Рассылка уведомлений жителям прибрежных кварталов началась ещё в понедельник вечером.",
            "Первые работы на старом мосту должны начаться в мае, если погода это позволит.",
            "Движение транспорта на время ремонта будет перенаправлено на соседние улицы.",
        ],
    ),
    (
        "zh",
        [
            "市政府星期二公布了今年的道路维修计划，预计投入资金比去年增加两成。",
            "交通部门表示，大部分工程将在夜间进行，以减少对市民出行的影响。",
            "不少市民已经通过手机订阅了施工路段的提醒服务，以便提前安排出行路线。",
            "有居民在社区会议上分享了去年施工期间的经历，希望今年能够改进。",
            "负责人表示，所有工程预计将在十月底之前全部完成并恢复正常通行。",
        ],
    ),
]


@pytest.mark.parametrize(("lang", "paragraphs"), INTL, ids=[lang for lang, _ in INTL])
def test_furniture_words_inside_sentences_of_other_languages_are_kept(lang: str, paragraphs: list[str]) -> None:
    extracted = extract_html(_page(paragraphs[0][:20], paragraphs, lang=lang))
    kept = extracted.text.split("\n\n")
    for paragraph in paragraphs[1:]:
        assert paragraph in kept


def test_furniture_at_the_edge_of_the_body_still_goes() -> None:
    prompt = "Sign up for our newsletter to get the morning briefing."
    share = "Share on Facebook"
    extracted = extract_html(_page("Council settles harbour road dispute", [*FILLER, prompt, share]))
    assert prompt not in extracted.text
    assert share not in extracted.text
    assert FILLER[-1] in extracted.text
    pasted = clean_text("\n".join(["Council settles harbour road dispute", *FILLER, prompt, share]))
    assert prompt not in pasted.text
    assert FILLER[-1] in pasted.text


def test_furniture_next_to_other_furniture_in_the_middle_still_goes() -> None:
    prompt = "Get the weekly newsletter in your inbox every Sunday."
    extracted = extract_html(
        _page("Council settles harbour road dispute", [*FILLER[:2], prompt, "Share on Twitter", *FILLER[2:]])
    )
    assert prompt not in extracted.text
    assert all(p in extracted.text for p in FILLER)


@pytest.mark.parametrize(
    "box",
    [
        '<div class="promo-box"><p>{prompt}</p></div>',
        '<div><p>{prompt}</p><form><input type="email" name="address"></form></div>',
        '<section id="newsletter-signup"><h3>{prompt}</h3></section>',
    ],
)
def test_a_prompt_the_markup_shows_as_furniture_goes_even_between_paragraphs(box: str) -> None:
    prompt = "Get the morning briefing in your inbox every weekday."
    after = "".join(f"<p>{p}</p>" for p in FILLER[2:])
    extracted = extract_html(
        _page("Council settles harbour road dispute", FILLER[:2], extra=box.format(prompt=prompt) + after)
    )
    assert prompt not in extracted.text
    assert all(p in extracted.text for p in FILLER)


@pytest.mark.parametrize(
    "line",
    [
        "Бюджет составит 1 250 000 000 рублей.",
        "12.05.2024 Berlin, Mercedes-Benz Arena",
        "Arsenal 3 - 1 (2 - 0) Chelsea",
        "Population 2 345 678 (2021 census)",
    ],
)
def test_big_numbers_dates_and_scores_are_not_phone_numbers(line: str) -> None:
    assert not tb.is_contact_block(line)
    assert not tb.is_junk(line)


@pytest.mark.parametrize(
    "line",
    [
        "Tel: +44 20 7946 0018",
        "Phone (555) 010-2233",
        "Fax 030 12 34 56 78",
        "Телефон: 8 800 100-20-30",
        "電話 03-5555-0101",
    ],
)
def test_labelled_phone_numbers_are_contact_lines(line: str) -> None:
    assert tb.is_contact_block(line)


def test_results_and_dates_in_a_body_survive_extraction() -> None:
    lines = ["Arsenal 3 - 1 (2 - 0) Chelsea", "12.05.2024 Berlin, Mercedes-Benz Arena"]
    extra = "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"
    page = _page("Weekend fixtures and results", FILLER[:2], extra=extra + "".join(f"<p>{p}</p>" for p in FILLER[2:]))
    text = extract_html(page).text
    for line in lines:
        assert line in text


# ---------------------------------------------------------------- 3. length in scripts without spaces

ZH_BODY = [
    "市体育局星期三公布了今年夏季游泳馆的开放安排，共有十二家场馆参加。",
    "负责人介绍说，今年新增了三家社区游泳馆，开放时间也比去年延长一小时。",
    "以下场馆将从七月一日起每天开放：",
]
ZH_AFTER = [
    "体育局提醒市民，入场前需要在网上预约，每场人数不超过两百人。",
    "如遇雷雨天气，室外泳池将暂停开放，具体安排以场馆通知为准。",
]
ZH_VENUES = ["东湖游泳馆", "西山体育中心", "南门社区泳池"]


def test_a_linked_list_inside_a_chinese_body_is_kept() -> None:
    listed = "<ul>" + "".join(f'<li><a href="/venue/{i}">{v}</a></li>' for i, v in enumerate(ZH_VENUES)) + "</ul>"
    after = "".join(f"<p>{p}</p>" for p in ZH_AFTER)
    extracted = extract_html(_page("今年夏季游泳馆开放安排公布", ZH_BODY, extra=listed + after, lang="zh"))
    kept = extracted.text.split("\n\n")
    for block in [*ZH_BODY, *ZH_VENUES, *ZH_AFTER]:
        assert block in kept


def test_chinese_paragraphs_are_measured_by_their_characters() -> None:
    assert tb.stats(ZH_BODY[0]).words >= 15
    assert tb.stats("东湖游泳馆").words <= 3
    assert tb.stats("The council met on Tuesday.").words == 5


# ---------------------------------------------------------------- 2. pasted prose in scripts without letter case

CASELESS_PASTES = {
    "zh": [
        "城市公交将延长夜间运营时间",
        "市交通局星期二宣布，从下个月起，主要线路的末班车将推迟半小时发车。",
        "不少乘客表示，下班较晚的人今后回家会方便许多。",
        "交通局同时提醒，夜间班次的间隔会比白天更长。",
    ],
    "ja": [
        "市営バス、深夜の運行を延長へ",
        "市は来月から、主要な路線で最終バスの時刻を三十分遅らせると発表した。",
        "利用者からは、仕事帰りに使いやすくなるとの声が上がっている。",
        "市の担当者は、運転手の確保が今後の課題だと話した。",
    ],
    "ar": [
        "البلدية تمدد ساعات عمل الحافلات ليلا",
        "أعلنت البلدية يوم الثلاثاء أن الحافلات ستعمل حتى منتصف الليل ابتداء من الشهر المقبل.",
        "وقال مسؤول في قسم النقل إن القرار جاء بعد طلبات كثيرة من السكان.",
        "هل تكفي الحافلات الحالية لتغطية الطلب المتزايد؟",
    ],
    "hi": [
        "शहर में रात की बस सेवा बढ़ाई जाएगी",
        "नगर निगम ने मंगलवार को घोषणा की कि अगले महीने से बसें आधी रात तक चलेंगी।",
        "परिवहन विभाग के एक अधिकारी ने कहा कि यह फैसला यात्रियों की माँग पर लिया गया है।",
        "नई समय-सारिणी जल्द ही सभी बस अड्डों पर लगाई जाएगी।",
    ],
    "th": [
        "เทศบาลขยายเวลาเดินรถโดยสารตอนกลางคืน",
        "เทศบาลประกาศเมื่อวันอังคารว่ารถโดยสารประจำทางจะให้บริการจนถึงเที่ยงคืนตั้งแต่เดือนหน้าเป็นต้นไปทุกสาย",
        "เจ้าหน้าที่ฝ่ายขนส่งกล่าวว่าการตัดสินใจครั้งนี้เกิดจากคำร้องของประชาชนจำนวนมากในช่วงหลายเดือนที่ผ่านมา",
    ],
}


@pytest.mark.parametrize("lang", sorted(CASELESS_PASTES))
def test_pasted_text_without_letter_case_has_a_body(lang: str) -> None:
    headline, *paragraphs = CASELESS_PASTES[lang]
    for title in (None, headline):
        result = clean_text("\n\n".join([headline, *paragraphs]), title=title)
        blocks = result.text.split("\n\n")
        assert result.title == headline
        assert blocks[1:] == paragraphs


def test_caseless_menus_and_headlines_are_not_prose() -> None:
    assert not tb.is_prose("首页")
    assert not tb.is_prose("城市公交将延长夜间运营时间")
    assert not tb.is_prose("الرئيسية")
    assert tb.is_prose(CASELESS_PASTES["ar"][3])
    assert tb.is_prose(CASELESS_PASTES["hi"][1])


def test_pasted_chinese_page_loses_its_menu_and_footer() -> None:
    headline, *paragraphs = CASELESS_PASTES["zh"]
    raw = "\n".join(["首页", "新闻", "体育", "财经", headline, *paragraphs, "相关新闻", "地铁新线开通", "机场扩建完工"])
    blocks = clean_text(raw).text.split("\n\n")
    assert blocks == [headline, *paragraphs]


# ---------------------------------------------------------------- 4. pasted text: headings and final lists

PASTE_OPENING = [
    "Ferry fares to rise in October",
    "The island ferry company will raise its fares by eight percent from the first of October, it said on Monday.",
    "The company blamed the higher price of fuel and the cost of repairing its oldest vessel after a winter storm.",
]


def test_pasted_body_after_a_short_interjection_is_kept() -> None:
    after = [
        "Passengers with a season ticket will keep their current price until the ticket runs out, the company added.",
        "Islanders said the rise would hit those who commute to the mainland for work the hardest.",
    ]
    for interjection in ("Don't miss", "Read more:"):
        result = clean_text("\n".join([*PASTE_OPENING, interjection, *after]))
        for paragraph in [*PASTE_OPENING[1:], *after]:
            assert paragraph in result.text


def test_teasers_under_a_section_heading_still_go() -> None:
    teasers = ["Harbour Master Retires After 30 Years", "New Cafe Opens On The Pier"]
    result = clean_text("\n".join([*PASTE_OPENING, "Related stories", *teasers]))
    assert PASTE_OPENING[2] in result.text
    assert "Related stories" not in result.text
    assert all(teaser not in result.text for teaser in teasers)


def test_a_final_list_introduced_by_the_text_is_kept_without_figures() -> None:
    lead = "The company listed the changes passengers will notice:"
    items = ["Tickets sold only online", "Cars must be booked ahead", "Pets travel free on the upper deck"]
    result = clean_text("\n".join([*PASTE_OPENING, lead, *items]))
    for line in [lead, *items]:
        assert line in result.text


def test_a_final_bulleted_list_is_kept() -> None:
    items = ["• Tickets sold only online", "• Cars must be booked ahead"]
    result = clean_text("\n".join([*PASTE_OPENING, *items]))
    for line in items:
        assert line in result.text


def test_a_final_run_of_other_headlines_still_goes() -> None:
    headlines = ["Harbour Master Retires After Thirty Years", "New Cafe Opens On The Pier"]
    result = clean_text("\n".join([*PASTE_OPENING, *headlines]))
    assert PASTE_OPENING[2] in result.text
    assert all(headline not in result.text for headline in headlines)


def test_a_japanese_sentence_closed_by_its_quote_mark_ends_a_sentence() -> None:
    quoted = "市長は記者会見で「来年の春までに新しい橋を完成させたい。」"
    assert tb.stats(quoted).terminal
    assert tb.is_prose(quoted)
