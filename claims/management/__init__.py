"""Management commands of the claims app (ingest, load_demo, ...)."""
