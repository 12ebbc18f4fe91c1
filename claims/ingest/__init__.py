"""Ingestion, pure: fetching a URL safely, decoding bytes, extracting an article body from HTML or cleaning pasted
text (one pipeline: pipeline.read_pasted / read_fetched), and re-anchoring claims on a changed page. No Django;
used by claims.services."""
