"""RSS and Atom parsing (pure): the links of the items, in order, resolved; hostile XML refused."""

from __future__ import annotations

import pytest

from claims.ingest.feeds import FeedError, FeedItem, parse_feed


def test_rss2_links_guids_and_relative_links() -> None:
    feed = b"""<?xml version="1.0" encoding="iso-8859-1"?>
    <rss version="2.0"><channel><title>Desk</title>
      <item><title>One \xe9</title><link> /a/one </link></item>
      <item><title>Two</title><guid>https://news.example/two</guid></item>
      <item><title>Three</title><guid isPermaLink="false">tag:news.example,2025:3</guid></item>
    </channel></rss>"""
    assert parse_feed(feed, base_url="https://news.example/feed/") == [
        FeedItem(1, "https://news.example/a/one", "One é"),
        FeedItem(2, "https://news.example/two", "Two"),
        FeedItem(3, None, "Three"),
    ]


def test_rss1_rdf() -> None:
    feed = b"""<?xml version="1.0"?>
    <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
      <channel rdf:about="https://news.example/"><title>Desk</title></channel>
      <item rdf:about="https://news.example/about-link"><title>A</title></item>
      <item rdf:about="https://news.example/x"><title>B</title><link>https://news.example/b</link></item>
    </rdf:RDF>"""
    assert [i.link for i in parse_feed(feed)] == ["https://news.example/about-link", "https://news.example/b"]


def test_atom_takes_the_alternate_link() -> None:
    feed = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>
      <entry><title type="html">A &amp; B</title><link rel="self" href="/api/1"/>
        <link rel="alternate" type="text/html" href="/stories/1"/></entry>
      <entry><title>No link</title></entry>
    </feed>"""
    assert parse_feed(feed, base_url="https://news.example/atom.xml") == [
        FeedItem(1, "https://news.example/stories/1", "A & B"),
        FeedItem(2, None, "No link"),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the feed is empty"),
        (b"<html><body>hi</body></html>", "not an RSS or Atom feed: the document's root element is <html>"),
        (b"<rss><item>", "the feed is not well-formed XML (line 1, column 11)"),
        (b"<rss version='2.0'></rss>", "the RSS feed has no <channel>"),
        (b'<!DOCTYPE r [<!ENTITY e "x">]><rss><channel/></rss>', "the feed declares XML entities, which are refused"),
        (
            b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><rss><channel><title>&e;</title></channel></rss>',
            "the feed declares XML entities, which are refused",
        ),
    ],
)
def test_what_is_not_a_readable_feed_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(FeedError) as caught:
        parse_feed(data)
    assert str(caught.value).startswith(message)
