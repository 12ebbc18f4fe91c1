"""The HTML front door: public reader pages and feeds (views, feeds, chart) and the editor's pages (editor).
Reads through claims.selectors, writes only through claims.services."""
